#pragma once

#include "roster/ContactOrder.h"

#include <QSortFilterProxyModel>

class ContactListModel;

// Sorts the roster in ContactOrder (most reachable first, then by name in the user's locale) and filters it
// (text over display name and user ID; optionally hiding people who are offline). Its source is a
// ContactListModel.
class RosterFilterModel : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit RosterFilterModel(QObject *parent = nullptr);

    void setSourceModel(QAbstractItemModel *sourceModel) override;

    QString filterText() const { return m_filterText; }

public Q_SLOTS:
    void setFilterText(const QString &text);
    void setHideOffline(bool hide);

protected:
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    const ContactListModel *m_contacts = nullptr;
    QString m_filterText;
    bool m_hideOffline = false;
    ContactOrder m_order;
};
