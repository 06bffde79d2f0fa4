#include "roster/RosterGroupModel.h"

#include "presence/Presence.h"
#include "roster/CollapsedGroups.h"
#include "roster/ContactListModel.h"
#include "roster/HiddenContacts.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMimeData>
#include <QSet>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace {
// internalId of a group row; a member row's is its group's row + 1.
constexpr quintptr groupRowId = 0;
} // namespace

RosterGroupModel::RosterGroupModel(ContactListModel *contacts, QObject *parent)
    : QAbstractItemModel(parent)
    , m_contacts(contacts)
{
    connect(contacts, &QAbstractItemModel::dataChanged, this, &RosterGroupModel::onContactsChanged);
    // Rows are only appended there, so the rows the tree holds stay true and new ones go at the end of their groups.
    connect(contacts, &QAbstractItemModel::rowsInserted, this,
            [this](const QModelIndex &, int first, int last) { followContactsInserted(first, last); });
    // The leaving rows go while they can still be read (a view may ask for them as they go); the rows after them
    // are renumbered once they have moved up.
    connect(contacts, &QAbstractItemModel::rowsAboutToBeRemoved, this,
            [this](const QModelIndex &, int first, int last) { follow(membersByGroup(first, last)); });
    connect(contacts, &QAbstractItemModel::rowsRemoved, this,
            [this](const QModelIndex &, int first, int last) { followContactsRemoved(first, last); });
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
    const auto idsOf = [](const QList<RosterAccountData::Group> &list) {
        QStringList ids;
        for (const RosterAccountData::Group &group : list)
            ids << group.id;
        return ids;
    };
    const bool sameGroups = idsOf(groups) == idsOf(m_definitions);
    m_definitions = groups;
    m_membership = membership;
    if (!sameGroups) {  // added, removed or reordered: rare, and every row may have moved
        rebuild();
        return;
    }
    for (int g = 0; g < m_definitions.size(); ++g) {
        if (m_groups.at(g).name == m_definitions.at(g).name)
            continue;
        m_groups[g].name = m_definitions.at(g).name;
        const QModelIndex header = index(g, 0);
        Q_EMIT dataChanged(header, header, {Qt::DisplayRole});
    }
    follow(membersByGroup());
}

void RosterGroupModel::setHiddenContacts(const HiddenContacts *hidden)
{
    if (m_hidden)
        disconnect(m_hidden, nullptr, this, nullptr);
    m_hidden = hidden;
    if (m_hidden)
        connect(m_hidden, &HiddenContacts::hiddenChanged, this, [this] { follow(membersByGroup()); });
    follow(membersByGroup());
}

void RosterGroupModel::setCollapsedGroups(CollapsedGroups *collapsed)
{
    if (m_collapsed)
        disconnect(m_collapsed, nullptr, this, nullptr);
    m_collapsed = collapsed;
    const auto announce = [this] {
        if (!m_groups.isEmpty())
            Q_EMIT dataChanged(index(0, 0), index(static_cast<int>(m_groups.size()) - 1, 0), {CollapsedRole});
    };
    if (m_collapsed)
        connect(m_collapsed, &CollapsedGroups::changed, this, announce);
    announce();
}

int RosterGroupModel::contactRow(const QModelIndex &index) const
{
    if (!index.isValid() || index.internalId() == groupRowId)
        return -1;
    return m_groups.at(static_cast<int>(index.internalId() - 1)).contactRows.at(index.row());
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
    for (const RosterAccountData::Group &definition : std::as_const(m_definitions))
        m_groups.append({definition.id, definition.name, {}});
    m_groups.append({QString(), tr("Contacts"), {}});
    const QList<QList<int>> members = membersByGroup();
    for (int g = 0; g < m_groups.size(); ++g)
        m_groups[g].contactRows = members.at(g);
}

QList<QList<int>> RosterGroupModel::membersByGroup(int leavingFirst, int leavingLast) const
{
    QList<QList<int>> members(m_groups.size());
    const int rows = m_contacts->rowCount();
    if (leavingFirst < 0) {
        sortIntoGroups(0, rows - 1, members);
    } else {
        sortIntoGroups(0, leavingFirst - 1, members);
        sortIntoGroups(leavingLast + 1, rows - 1, members);
    }
    return members;
}

void RosterGroupModel::sortIntoGroups(int first, int last, QList<QList<int>> &members) const
{
    const int defaultGroup = static_cast<int>(m_groups.size()) - 1;
    QHash<QString, int> groupRow;
    for (int g = 0; g < defaultGroup; ++g)
        groupRow.insert(m_groups.at(g).id, g);
    for (int row = first; row <= last; ++row) {
        const QString &userId = m_contacts->contactAt(row).userId;
        if (m_hidden && m_hidden->isHidden(userId))
            continue;
        bool inAGroup = false;
        for (const QString &id : m_membership.value(userId)) {
            const int group = groupRow.value(id, -1);
            if (group < 0 || (!members.at(group).isEmpty() && members.at(group).constLast() == row))
                continue;  // no such group, or named twice
            members[group].append(row);
            inAGroup = true;
        }
        if (!inAGroup)
            members[defaultGroup].append(row);
    }
}

void RosterGroupModel::followContactsInserted(int first, int last)
{
    QList<QList<int>> wanted;
    wanted.reserve(m_groups.size());
    for (const Group &group : std::as_const(m_groups))
        wanted.append(group.contactRows);
    sortIntoGroups(first, last, wanted);
    follow(wanted);
}

void RosterGroupModel::follow(const QList<QList<int>> &wanted)
{
    for (int g = 0; g < m_groups.size(); ++g) {
        QList<int> &rows = m_groups[g].contactRows;
        const QList<int> &want = wanted.at(g);
        if (rows == want)
            continue;
        const QModelIndex header = index(g, 0);
        const auto stays = [&want](int row) { return std::binary_search(want.cbegin(), want.cend(), row); };
        // Who left, a run at a time from the end, so the positions before it hold.
        for (int end = static_cast<int>(rows.size()); end > 0;) {
            if (stays(rows.at(end - 1))) {
                --end;
                continue;
            }
            int begin = end - 1;
            while (begin > 0 && !stays(rows.at(begin - 1)))
                --begin;
            beginRemoveRows(header, begin, end - 1);
            rows.remove(begin, end - begin);
            endRemoveRows();
            end = begin;
        }
        // Who joined: what is left is in `want`, in its order, so each gap is a run to insert.
        for (int at = 0; at < want.size();) {
            if (at < rows.size() && rows.at(at) == want.at(at)) {
                ++at;
                continue;
            }
            int end = at;
            while (end < want.size() && (at >= rows.size() || want.at(end) != rows.at(at)))
                ++end;
            beginInsertRows(header, at, end - 1);
            rows = rows.first(at) + want.sliced(at, end - at) + rows.sliced(at);
            endInsertRows();
            at = end;
        }
        Q_EMIT dataChanged(header, header, {OnlineCountRole, TotalCountRole});
    }
}

void RosterGroupModel::followContactsRemoved(int first, int last)
{
    // Their rows left the tree at rowsAboutToBeRemoved; the ones after them moved up by as many.
    const int removed = last - first + 1;
    for (Group &group : m_groups) {
        for (int &row : group.contactRows) {
            if (row > last)
                row -= removed;
        }
    }
}

void RosterGroupModel::onContactsChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight, const QList<int> &roles)
{
    // Called for every presence change: each group's rows are ascending, so the changed ones are found by binary
    // search and are one run of its members (a scan of every member made a presence update cost twice as much
    // at 10,000 contacts: presently-bench's update_us_per_presence).
    const bool countsMayChange = roles.isEmpty() || roles.contains(ContactListModel::PresenceRole);
    for (int g = 0; g < m_groups.size(); ++g) {
        const QList<int> &rows = m_groups.at(g).contactRows;
        const auto first = std::lower_bound(rows.cbegin(), rows.cend(), topLeft.row());
        const auto end = std::upper_bound(first, rows.cend(), bottomRight.row());
        if (first == end)
            continue;
        const quintptr groupOfMembers = quintptr(g) + 1;
        Q_EMIT dataChanged(createIndex(static_cast<int>(first - rows.cbegin()), 0, groupOfMembers),
                           createIndex(static_cast<int>(end - rows.cbegin()) - 1, 0, groupOfMembers), roles);
        if (countsMayChange) {
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
    case CollapsedRole: return m_collapsed && m_collapsed->isCollapsed(group.id);
    default: return {};
    }
}

bool RosterGroupModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != CollapsedRole || !m_collapsed || !checkIndex(index, CheckIndexOption::IndexIsValid)
        || index.internalId() != groupRowId)
        return false;
    m_collapsed->setCollapsed(m_groups.at(index.row()).id, value.toBool());  // its changed() says dataChanged
    return true;
}

void RosterGroupModel::place(const QString &userId, const QString &fromGroupId, const QString &toGroupId,
                             Qt::DropAction action)
{
    QStringList ids;
    for (const RosterAccountData::Group &group : groupsOf(userId))
        ids << group.id;
    const QStringList before = ids;
    if (action == Qt::MoveAction)
        ids.removeAll(fromGroupId);
    if (!toGroupId.isEmpty() && !ids.contains(toGroupId))
        ids << toGroupId;
    if (ids != before)
        Q_EMIT groupsRequested(userId, ids);
}

Qt::ItemFlags RosterGroupModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::ItemIsDropEnabled;  // between the groups, in the flat list of one group
    const Qt::ItemFlags flags = Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsDropEnabled;
    return index.internalId() == groupRowId ? flags : flags | Qt::ItemIsDragEnabled;
}

QStringList RosterGroupModel::mimeTypes() const
{
    return {membersMimeType};
}

QMimeData *RosterGroupModel::mimeData(const QModelIndexList &indexes) const
{
    // Who and from which group: a move takes them out of that one only (they may be in others too).
    QJsonArray moves;
    for (const QModelIndex &index : indexes) {
        const int row = contactRow(index);
        if (row < 0)
            continue;
        moves.append(QJsonObject{{u"user_id"_s, m_contacts->contactAt(row).userId},
                                 {u"from_group"_s, m_groups.at(static_cast<int>(index.internalId() - 1)).id}});
    }
    if (moves.isEmpty())
        return nullptr;
    auto *data = new QMimeData;
    data->setData(membersMimeType, QJsonDocument(moves).toJson(QJsonDocument::Compact));
    return data;
}

QList<RosterGroupModel::Move> RosterGroupModel::movesIn(const QMimeData *data)
{
    // Another program may drop anything under this type: what is not a list of such objects is skipped.
    QList<Move> moves;
    if (!data)
        return moves;
    for (const QJsonValue &entry : QJsonDocument::fromJson(data->data(membersMimeType)).array()) {
        const QString userId = entry[u"user_id"_s].toString();
        if (!userId.isEmpty())
            moves.append({userId, entry[u"from_group"_s].toString()});
    }
    return moves;
}

std::optional<QString> RosterGroupModel::dropTarget(int row, const QModelIndex &parent) const
{
    if (parent.isValid())  // on or between the people of a group, or on its header
        return parent.internalId() == groupRowId ? m_groups.at(parent.row()).id
                                                 : m_groups.at(static_cast<int>(parent.internalId() - 1)).id;
    if (row < 0 || m_groups.isEmpty())
        return std::nullopt;
    // Between two headers: the group whose header is under the line.
    return m_groups.at(qMin(row, static_cast<int>(m_groups.size()) - 1)).id;
}

bool RosterGroupModel::canDropMimeData(const QMimeData *data, Qt::DropAction action, int row, int, const QModelIndex &parent) const
{
    if ((action != Qt::MoveAction && action != Qt::CopyAction) || !data || !data->hasFormat(membersMimeType))
        return false;
    const std::optional<QString> target = dropTarget(row, parent);
    return target && !(action == Qt::CopyAction && target->isEmpty());
}

bool RosterGroupModel::dropMimeData(const QMimeData *data, Qt::DropAction action, int row, int column, const QModelIndex &parent)
{
    if (!canDropMimeData(data, action, row, column, parent))
        return false;
    const QString target = *dropTarget(row, parent);
    for (const Move &move : movesIn(data)) {
        if (move.fromGroupId != target)
            place(move.userId, move.fromGroupId, target, action);
    }
    return true;  // rows move once the account data has the change; removeRows (a view's follow-up) is refused
}

QHash<int, QByteArray> RosterGroupModel::roleNames() const
{
    QHash<int, QByteArray> names = m_contacts->roleNames();
    names.insert(IsGroupRole, "isGroup");
    names.insert(GroupIdRole, "groupId");
    names.insert(OnlineCountRole, "onlineCount");
    names.insert(TotalCountRole, "totalCount");
    names.insert(CollapsedRole, "collapsed");
    return names;
}
