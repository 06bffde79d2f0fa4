#pragma once

#include <QCollator>
#include <QSortFilterProxyModel>

// Sorts the roster (most reachable first, then by name in the user's locale) and filters it (text over
// display name and user ID; optionally hiding people who are offline).
class RosterFilterModel : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit RosterFilterModel(QObject *parent = nullptr);

    QString filterText() const { return m_filterText; }

public Q_SLOTS:
    void setFilterText(const QString &text);
    void setHideOffline(bool hide);

protected:
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_filterText;
    bool m_hideOffline = false;
    QCollator m_collator;
};
