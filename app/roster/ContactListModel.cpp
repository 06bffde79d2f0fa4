#include "roster/ContactListModel.h"

#include "roster/Nicknames.h"
#include "roster/TimeZoneBook.h"
#include "roster/WatchList.h"

using namespace Qt::Literals::StringLiterals;

ContactListModel::ContactListModel(QObject *parent)
    : QAbstractListModel(parent)
{
}

int ContactListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_contacts.size());
}

QVariant ContactListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Contact &contact = m_contacts.at(index.row());
    switch (role) {
    case Qt::DisplayRole: return rowName(contact);
    case UserIdRole: return contact.userId;
    case DisplayNameRole: return contact.displayName;
    case AvatarUrlRole: return contact.avatarUrl;
    case PresenceRole: return QVariant::fromValue(shownPresence(contact));
    case RawPresenceRole: return m_presenceAvailable ? contact.state.rawPresence : QString();
    case StatusMessageRole: return contact.state.statusMessage;
    case LastActiveAtRole: return contact.state.lastActiveAtMs;
    case CurrentlyActiveRole: return m_current && contact.state.currentlyActive;
    case OrderRole: return presenceRank(shownPresence(contact));
    case WatchedRole: return m_watchList && m_watchList->isWatched(contact.userId);
    case OtherNamesRole: return contact.otherNames;
    case TimeZoneRole: return m_timeZones ? m_timeZones->zoneOf(contact.userId) : QString();
    case InvitedRole: return contact.invited;
    case NicknameRole: return m_nicknames ? m_nicknames->nicknameOf(contact.userId) : QString();
    default: return {};
    }
}

ContactOrder::Key ContactListModel::orderKeyAt(int row) const
{
    const Contact &contact = m_contacts.at(row);
    return {shownPresence(contact), rowName(contact), contact.userId};
}

QString ContactListModel::rowName(const Contact &contact) const
{
    const QString nickname = m_nicknames ? m_nicknames->nicknameOf(contact.userId) : QString();
    return nickname.isEmpty() ? contact.shownName() : nickname;
}

QHash<int, QByteArray> ContactListModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(UserIdRole, "userId");
    names.insert(DisplayNameRole, "displayName");
    names.insert(AvatarUrlRole, "avatarUrl");
    names.insert(PresenceRole, "presence");
    names.insert(RawPresenceRole, "rawPresence");
    names.insert(StatusMessageRole, "statusMessage");
    names.insert(LastActiveAtRole, "lastActiveAt");
    names.insert(CurrentlyActiveRole, "currentlyActive");
    names.insert(OrderRole, "order");
    names.insert(WatchedRole, "watched");
    names.insert(OtherNamesRole, "otherNames");
    names.insert(TimeZoneRole, "timeZone");
    names.insert(InvitedRole, "invited");
    names.insert(NicknameRole, "nickname");
    return names;
}

void ContactListModel::setWatchList(const WatchList *watchList)
{
    m_watchList = watchList;
    connect(watchList, &WatchList::watchedChanged, this, [this](const QString &userId) { signalRoles(userId, {WatchedRole}); });
}

void ContactListModel::setTimeZoneBook(const TimeZoneBook *timeZones)
{
    m_timeZones = timeZones;
    connect(timeZones, &TimeZoneBook::zoneChanged, this, [this](const QString &userId) { signalRoles(userId, {TimeZoneRole}); });
}

void ContactListModel::setNicknames(const Nicknames *nicknames)
{
    m_nicknames = nicknames;
    connect(nicknames, &Nicknames::nicknameChanged, this,
            [this](const QString &userId) { signalRoles(userId, {NicknameRole, Qt::DisplayRole, OrderRole}); });
}

void ContactListModel::signalRoles(const QString &userId, const QList<int> &roles)
{
    const int row = rowOf(userId);
    if (row >= 0)
        Q_EMIT dataChanged(index(row), index(row), roles);
}

void ContactListModel::setPresenceAvailable(bool available)
{
    if (available == m_presenceAvailable)
        return;
    m_presenceAvailable = available;
    notifyAllRowsChanged({PresenceRole, RawPresenceRole, OrderRole});
}

void ContactListModel::setCurrent(bool current)
{
    if (current == m_current)
        return;
    m_current = current;
    notifyAllRowsChanged({CurrentlyActiveRole});
}

void ContactListModel::appendContacts(const QList<Contact> &contacts)
{
    if (contacts.isEmpty())
        return;
    const int first = static_cast<int>(m_contacts.size());
    beginInsertRows({}, first, first + static_cast<int>(contacts.size()) - 1);
    m_contacts.append(contacts);
    for (int row = first; row < m_contacts.size(); ++row)
        m_rowByUserId.insert(m_contacts.at(row).userId, row);
    endInsertRows();
}

void ContactListModel::removeContact(const QString &userId)
{
    const int row = rowOf(userId);
    if (row < 0)
        return;
    beginRemoveRows({}, row, row);
    m_contacts.removeAt(row);
    m_rowByUserId.remove(userId);
    for (int later = row; later < m_contacts.size(); ++later)
        m_rowByUserId[m_contacts.at(later).userId] = later;
    endRemoveRows();
}

QList<int> ContactListModel::changedRoles(const Contact &before, const Contact &after)
{
    QList<int> roles;
    if (before.displayName != after.displayName)
        roles << Qt::DisplayRole << DisplayNameRole;
    if (before.avatarUrl != after.avatarUrl)
        roles << AvatarUrlRole;
    if (before.otherNames != after.otherNames)
        roles << OtherNamesRole;
    if (before.state.presence != after.state.presence)
        roles << PresenceRole;
    if (before.state.rawPresence != after.state.rawPresence)
        roles << RawPresenceRole;
    if (before.state.statusMessage != after.state.statusMessage)
        roles << StatusMessageRole;
    if (before.state.lastActiveAtMs != after.state.lastActiveAtMs)
        roles << LastActiveAtRole;
    if (before.state.currentlyActive != after.state.currentlyActive)
        roles << CurrentlyActiveRole;
    if (before.invited != after.invited)
        roles << InvitedRole;
    if (before.state.presence != after.state.presence || before.displayName != after.displayName)
        roles << OrderRole;
    return roles;
}

QList<int> ContactListModel::updateContact(int row, const Contact &contact, Notify notify)
{
    Q_ASSERT(row >= 0 && row < m_contacts.size());
    Q_ASSERT(m_contacts.at(row).userId == contact.userId);
    const QList<int> roles = changedRoles(m_contacts.at(row), contact);
    if (roles.isEmpty())
        return roles;
    m_contacts[row] = contact;
    if (notify == Notify::Now) {
        const QModelIndex changed = index(row);
        Q_EMIT dataChanged(changed, changed, roles);
    }
    return roles;
}

void ContactListModel::notifyAllRowsChanged(const QList<int> &roles)
{
    if (m_contacts.isEmpty() || roles.isEmpty())
        return;
    Q_EMIT dataChanged(index(0), index(rowCount() - 1), roles);
}

void ContactListModel::clear()
{
    if (m_contacts.isEmpty())
        return;
    beginRemoveRows({}, 0, rowCount() - 1);
    m_contacts.clear();
    m_rowByUserId.clear();
    endRemoveRows();
}
