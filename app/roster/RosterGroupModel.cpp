#include "roster/RosterGroupModel.h"

#include "presence/Presence.h"
#include "roster/ContactListModel.h"

#include <QSet>

namespace {
// internalId of a group row; a member row's is its group's row + 1.
constexpr quintptr groupRowId = 0;
} // namespace

RosterGroupModel::RosterGroupModel(ContactListModel *contacts, QObject *parent)
    : QAbstractItemModel(parent)
    , m_contacts(contacts)
{
    connect(contacts, &QAbstractItemModel::dataChanged, this, &RosterGroupModel::onContactsChanged);
    // Rows are only appended there, so the tree stays true until rowsInserted; a removal shifts the rows it
    // points at, so the reset begins before it.
    connect(contacts, &QAbstractItemModel::rowsInserted, this, &RosterGroupModel::rebuild);
    connect(contacts, &QAbstractItemModel::rowsAboutToBeRemoved, this, &RosterGroupModel::beginResetModel);
    connect(contacts, &QAbstractItemModel::rowsRemoved, this, [this] {
        fill();
        endResetModel();
    });
    connect(contacts, &QAbstractItemModel::modelAboutToBeReset, this, &RosterGroupModel::beginResetModel);
    connect(contacts, &QAbstractItemModel::modelReset, this, [this] {
        fill();
        endResetModel();
    });
    fill();
}

void RosterGroupModel::setGroups(const QList<RosterAccountData::Group> &groups, const QHash<QString, QStringList> &membership)
{
    if (groups == m_definitions && membership == m_membership)
        return;
    m_definitions = groups;
    m_membership = membership;
    rebuild();
}

QList<RosterAccountData::Group> RosterGroupModel::groupsOf(const QString &userId) const
{
    const QStringList ids = m_membership.value(userId);
    QList<RosterAccountData::Group> groups;
    for (const RosterAccountData::Group &group : m_definitions) {
        if (ids.contains(group.id))
            groups.append(group);
    }
    return groups;
}

void RosterGroupModel::rebuild()
{
    beginResetModel();
    fill();
    endResetModel();
}

void RosterGroupModel::fill()
{
    m_groups.clear();
    QHash<QString, int> groupRow;
    for (const RosterAccountData::Group &definition : std::as_const(m_definitions)) {
        groupRow.insert(definition.id, static_cast<int>(m_groups.size()));
        m_groups.append({definition.id, definition.name, {}});
    }
    m_groups.append({QString(), tr("Contacts"), {}});
    for (int row = 0; row < m_contacts->rowCount(); ++row) {
        bool inAGroup = false;
        for (const QString &id : m_membership.value(m_contacts->contactAt(row).userId)) {
            const int group = groupRow.value(id, -1);
            if (group >= 0) {
                m_groups[group].contactRows.append(row);
                inAGroup = true;
            }
        }
        if (!inAGroup)
            m_groups.last().contactRows.append(row);
    }
}

void RosterGroupModel::onContactsChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight, const QList<int> &roles)
{
    const bool countsMayChange = roles.isEmpty() || roles.contains(ContactListModel::PresenceRole);
    for (int g = 0; g < m_groups.size(); ++g) {
        const Group &group = m_groups.at(g);
        bool touched = false;
        for (int i = 0; i < group.contactRows.size(); ++i) {
            const int row = group.contactRows.at(i);
            if (row < topLeft.row() || row > bottomRight.row())
                continue;
            const QModelIndex member = createIndex(i, 0, quintptr(g) + 1);
            Q_EMIT dataChanged(member, member, roles);
            touched = true;
        }
        if (touched && countsMayChange) {
            const QModelIndex header = createIndex(g, 0, groupRowId);
            Q_EMIT dataChanged(header, header, {OnlineCountRole});
        }
    }
}

QModelIndex RosterGroupModel::index(int row, int column, const QModelIndex &parent) const
{
    if (column != 0 || row < 0)
        return {};
    if (!parent.isValid())
        return row < m_groups.size() ? createIndex(row, 0, groupRowId) : QModelIndex();
    if (parent.internalId() != groupRowId || parent.row() >= m_groups.size()
        || row >= m_groups.at(parent.row()).contactRows.size())
        return {};
    return createIndex(row, 0, quintptr(parent.row()) + 1);
}

QModelIndex RosterGroupModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || child.internalId() == groupRowId)
        return {};
    return createIndex(static_cast<int>(child.internalId() - 1), 0, groupRowId);
}

int RosterGroupModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return static_cast<int>(m_groups.size());
    if (parent.column() != 0 || parent.internalId() != groupRowId)
        return 0;
    return static_cast<int>(m_groups.at(parent.row()).contactRows.size());
}

int RosterGroupModel::columnCount(const QModelIndex &) const
{
    return 1;
}

int RosterGroupModel::onlineCount(const Group &group) const
{
    int online = 0;
    for (const int row : group.contactRows) {
        const Reach reach = reachOf(m_contacts->shownPresence(m_contacts->contactAt(row)));
        if (reach != Reach::Gone && reach != Reach::Unknown)
            ++online;
    }
    return online;
}

QVariant RosterGroupModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    if (index.internalId() != groupRowId) {
        const Group &group = m_groups.at(static_cast<int>(index.internalId() - 1));
        if (role == IsGroupRole)
            return false;
        if (role == GroupIdRole)
            return group.id;
        return m_contacts->index(group.contactRows.at(index.row())).data(role);
    }
    const Group &group = m_groups.at(index.row());
    switch (role) {
    case Qt::DisplayRole: return group.name;
    case IsGroupRole: return true;
    case GroupIdRole: return group.id;
    case OnlineCountRole: return onlineCount(group);
    case TotalCountRole: return static_cast<int>(group.contactRows.size());
    default: return {};
    }
}

QHash<int, QByteArray> RosterGroupModel::roleNames() const
{
    QHash<int, QByteArray> names = m_contacts->roleNames();
    names.insert(IsGroupRole, "isGroup");
    names.insert(GroupIdRole, "groupId");
    names.insert(OnlineCountRole, "onlineCount");
    names.insert(TotalCountRole, "totalCount");
    return names;
}
