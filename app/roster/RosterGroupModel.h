#pragma once

#include "roster/RosterAccountData.h"

#include <QAbstractItemModel>
#include <QList>

class ContactListModel;

// The roster as a tree: one row per group (RosterAccountData's groups, by their order, then the default group of
// people in none), under it one row per member that is a contact. A person in several groups has a row in each.
// Member rows answer every role from their ContactListModel row; dataChanged there is passed on, for the same
// roles, to each of the person's rows, and a presence change also to their groups' OnlineCountRole.
// Changes of the groups or of the set of contacts rebuild the tree (a model reset): both are rare next to
// presence and names. Sorting and filtering are for a proxy above it.
class RosterGroupModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Role {
        IsGroupRole = Qt::UserRole + 100,  // bool: a group row
        GroupIdRole,                       // QString: the group's id; empty for the default group
        OnlineCountRole,                   // int, on a group row: members whose presence is not gone or unknown
        TotalCountRole,                    // int, on a group row: members that are contacts
    };
    Q_ENUM(Role)

    explicit RosterGroupModel(ContactListModel *contacts, QObject *parent = nullptr);

    // The groups and who is in which (RosterAccountData::read): membership in a group that does not exist counts
    // as none.
    void setGroups(const QList<RosterAccountData::Group> &groups, const QHash<QString, QStringList> &membership);

    // The groups the person is in, in the groups' order; empty for the default group.
    QList<RosterAccountData::Group> groupsOf(const QString &userId) const;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

private:
    struct Group {
        QString id;
        QString name;
        QList<int> contactRows;  // rows of ContactListModel, in its order
    };
    void rebuild();
    void fill();  // m_groups from the contacts and the groups, between the two halves of a reset
    void onContactsChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight, const QList<int> &roles);
    int onlineCount(const Group &group) const;

    ContactListModel *m_contacts;
    QList<RosterAccountData::Group> m_definitions;
    QHash<QString, QStringList> m_membership;
    QList<Group> m_groups;  // the default group last, always present
};
