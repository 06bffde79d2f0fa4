#pragma once

#include "roster/RosterAccountData.h"

#include <QAbstractItemModel>
#include <QList>

#include <optional>

class CollapsedGroups;
class ContactListModel;
class HiddenContacts;

// The roster as a tree: one row per group (RosterAccountData's groups, by their order, then the default group of
// people in none), under it one row per member that is a contact. A person in several groups has a row in each.
// Member rows answer every role from their ContactListModel row; dataChanged there is passed on, for the same
// roles, to each of the person's rows, and a presence change also to their groups' OnlineCountRole.
// Contacts coming and going, people moving between groups, hidden or shown again, and renames change only the rows
// and headers concerned (row inserts and removals, a header's dataChanged), so a view keeps its scroll position,
// selection and current row. Only a change of the set or order of groups rebuilds the tree (a model reset).
// Sorting and filtering are for a proxy above it.
// People are moved or copied between groups by drag and drop (mimeData/dropMimeData) or by place(): the tree
// never changes its own rows for it, it asks for the person's new groups (groupsRequested) and follows setGroups
// once the account data says so.
class RosterGroupModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Role {
        IsGroupRole = Qt::UserRole + 100,  // bool: a group row
        GroupIdRole,                       // QString: the group's id; empty for the default group
        OnlineCountRole,                   // int, on a group row: members whose presence is not gone or unknown
        TotalCountRole,                    // int, on a group row: members that are contacts
        CollapsedRole,                     // bool, on a group row: folded by the user (settable; CollapsedGroups)
    };
    Q_ENUM(Role)

    explicit RosterGroupModel(ContactListModel *contacts, QObject *parent = nullptr);

    // The groups and who is in which (RosterAccountData::read): membership in a group that does not exist counts
    // as none.
    void setGroups(const QList<RosterAccountData::Group> &groups, const QHash<QString, QStringList> &membership);

    const ContactListModel *contacts() const { return m_contacts; }

    // The people left off the tree (and its counts); null hides nobody.
    void setHiddenContacts(const HiddenContacts *hidden);

    // Where the groups' folded state is kept; null: every group open, and CollapsedRole cannot be set.
    void setCollapsedGroups(CollapsedGroups *collapsed);

    // The groups the person is in, in the groups' order; empty for the default group.
    QList<RosterAccountData::Group> groupsOf(const QString &userId) const;
    // Every group but the default one, in order.
    const QList<RosterAccountData::Group> &groups() const { return m_definitions; }

    static constexpr QLatin1StringView membersMimeType{"application/x-presently-roster-members"};
    // Asks for the person to be in `toGroupId` too (Qt::CopyAction), or instead of `fromGroupId` (Qt::MoveAction).
    // Moving to the default group (an empty id) takes them out of `fromGroupId` only; copying there does nothing.
    void place(const QString &userId, const QString &fromGroupId, const QString &toGroupId, Qt::DropAction action);

    // The ContactListModel row a member row shows; -1 for a group row.
    int contactRow(const QModelIndex &index) const;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QStringList mimeTypes() const override;
    QMimeData *mimeData(const QModelIndexList &indexes) const override;
    // A drop on a group's header, on one of its people or between them is for that group.
    bool canDropMimeData(const QMimeData *data, Qt::DropAction action, int row, int column,
                         const QModelIndex &parent) const override;
    bool dropMimeData(const QMimeData *data, Qt::DropAction action, int row, int column, const QModelIndex &parent) override;
    Qt::DropActions supportedDragActions() const override { return Qt::MoveAction | Qt::CopyAction; }
    Qt::DropActions supportedDropActions() const override { return Qt::MoveAction | Qt::CopyAction; }

    QHash<int, QByteArray> roleNames() const override;

Q_SIGNALS:
    // The person's groups should be these (ids; none: the default group): for RosterChoices::setGroupsOf.
    void groupsRequested(const QString &userId, const QStringList &groupIds);

private:
    struct Move {
        QString userId;
        QString fromGroupId;
    };
    static QList<Move> movesIn(const QMimeData *data);
    // The group a drop at (row, parent) is for; nullopt for none.
    std::optional<QString> dropTarget(int row, const QModelIndex &parent) const;

    struct Group {
        QString id;
        QString name;
        QList<int> contactRows;  // rows of ContactListModel, in its order
    };
    void rebuild();
    void fill();  // m_groups from the contacts and the groups, between the two halves of a reset
    // Per group of m_groups (same order), the ContactListModel rows that belong in it, ascending; the rows from
    // `leavingFirst` to `leavingLast` (being removed there) are left out.
    QList<QList<int>> membersByGroup(int leavingFirst = -1, int leavingLast = -2) const;
    // Appends to `members` (one list per group of m_groups) the ContactListModel rows from `first` to `last` that
    // belong in each group.
    void sortIntoGroups(int first, int last, QList<QList<int>> &members) const;
    // Rows `first` to `last` were appended there: only they are sorted into the groups, after the rows each holds.
    void followContactsInserted(int first, int last);
    // Makes each group's members `wanted` by removing and inserting rows, then says its counts changed.
    void follow(const QList<QList<int>> &wanted);
    void followContactsRemoved(int first, int last);
    void onContactsChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight, const QList<int> &roles);
    int onlineCount(const Group &group) const;

    ContactListModel *m_contacts;
    const HiddenContacts *m_hidden = nullptr;
    CollapsedGroups *m_collapsed = nullptr;
    QList<RosterAccountData::Group> m_definitions;
    QHash<QString, QStringList> m_membership;
    QList<Group> m_groups;  // the default group last, always present
};
