#pragma once

#include "roster/ContactOrder.h"

#include <QSortFilterProxyModel>

class ContactListModel;
class RosterGroupModel;

// Sorts the roster and filters it (text over nickname, display name and user ID; optionally hiding people who are
// offline). Its source is the window's RosterGroupModel, a tree: the groups keep the tree's order (the default group
// last) and the people in each group are in ContactOrder (most reachable first, then by name in the user's locale).
// While a filter is on, a group shows only when someone in it matches; without one, an empty named group shows
// too (something to drop people into) and an empty default group does not. The filter's state is held here: views
// show the search text and the hide-offline switch as these properties say and follow their NOTIFY signals.
class RosterFilterModel : public QSortFilterProxyModel {
    Q_OBJECT
    Q_PROPERTY(QString filterText READ filterText WRITE setFilterText NOTIFY filterTextChanged)
    Q_PROPERTY(bool hideOffline READ hideOffline WRITE setHideOffline NOTIFY hideOfflineChanged)
public:
    explicit RosterFilterModel(QObject *parent = nullptr);

    // Only a RosterGroupModel (or none) is taken; any other model is refused with a warning.
    void setSourceModel(QAbstractItemModel *sourceModel) override;

    // What a row's nickname, display name or user ID must contain, trimmed; empty for everyone.
    QString filterText() const { return m_filterText; }
    // Whether people who are offline (or appear so) are left out.
    bool hideOffline() const { return m_hideOffline; }
    // Whether either of the two leaves anyone out.
    bool isFiltering() const { return m_hideOffline || !m_filterText.isEmpty(); }
    // The source; null before one is set.
    RosterGroupModel *groupModel() const { return m_groups; }
    // Whether the user has groups of their own (not only the default group).
    bool hasGroups() const;
    // The contact rows shown, in every group (a person in two groups counts twice); group rows do not count.
    int contactCount() const;

public Q_SLOTS:
    void setFilterText(const QString &text);
    void setHideOffline(bool hide);

Q_SIGNALS:
    // Emitted once the rows are filtered anew: a slot sees the new rows.
    void filterTextChanged(const QString &filterText);
    void hideOfflineChanged(bool hideOffline);

protected:
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    // The ContactListModel row behind a source row; -1 for a group row.
    int contactRow(const QModelIndex &sourceIndex) const;

    const ContactListModel *m_contacts = nullptr;
    RosterGroupModel *m_groups = nullptr;
    QString m_filterText;
    bool m_hideOffline = false;
    ContactOrder m_order;
};
