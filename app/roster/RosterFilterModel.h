#pragma once

#include "roster/ContactOrder.h"

#include <QSortFilterProxyModel>

class ContactListModel;
class HiddenContacts;

// Sorts the roster in ContactOrder (most reachable first, then by name in the user's locale) and filters it
// (text over display name and user ID; optionally hiding people who are offline). Its source is a
// ContactListModel. The filter's state is held here: views show the search text and the hide-offline switch
// as these properties say and follow their NOTIFY signals.
class RosterFilterModel : public QSortFilterProxyModel {
    Q_OBJECT
    Q_PROPERTY(QString filterText READ filterText WRITE setFilterText NOTIFY filterTextChanged)
    Q_PROPERTY(bool hideOffline READ hideOffline WRITE setHideOffline NOTIFY hideOfflineChanged)
public:
    explicit RosterFilterModel(QObject *parent = nullptr);

    // Only a ContactListModel (or none) is taken; any other model is refused with a warning.
    void setSourceModel(QAbstractItemModel *sourceModel) override;

    // The people left off the roster (hidden by the user); null hides nobody.
    void setHiddenContacts(const HiddenContacts *hidden);

    // What a row's display name or user ID must contain, trimmed; empty for everyone.
    QString filterText() const { return m_filterText; }
    // Whether people who are offline (or appear so) are left out.
    bool hideOffline() const { return m_hideOffline; }

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
    const ContactListModel *m_contacts = nullptr;
    const HiddenContacts *m_hidden = nullptr;
    QString m_filterText;
    bool m_hideOffline = false;
    ContactOrder m_order;
};
