#include "roster/RosterFilterModel.h"

#include "roster/ContactListModel.h"

RosterFilterModel::RosterFilterModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    m_collator.setCaseSensitivity(Qt::CaseInsensitive);
    m_collator.setNumericMode(true);
    setDynamicSortFilter(true);
    // Re-sort and re-filter only when a change can move or hide a row (see ContactListModel::OrderRole).
    setSortRole(ContactListModel::OrderRole);
    setFilterRole(ContactListModel::OrderRole);
    sort(0);
}

void RosterFilterModel::setFilterText(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed == m_filterText)
        return;
    m_filterText = trimmed;
    invalidateFilter();
}

void RosterFilterModel::setHideOffline(bool hide)
{
    if (hide == m_hideOffline)
        return;
    m_hideOffline = hide;
    invalidateFilter();
}

bool RosterFilterModel::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    const int leftRank = presenceRank(left.data(ContactListModel::PresenceRole).value<Presence>());
    const int rightRank = presenceRank(right.data(ContactListModel::PresenceRole).value<Presence>());
    if (leftRank != rightRank)
        return leftRank < rightRank;
    const int byName = m_collator.compare(left.data(Qt::DisplayRole).toString(), right.data(Qt::DisplayRole).toString());
    if (byName != 0)
        return byName < 0;
    // Same name: keep a stable, predictable order.
    return left.data(ContactListModel::UserIdRole).toString() < right.data(ContactListModel::UserIdRole).toString();
}

bool RosterFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    if (m_hideOffline) {
        const Presence presence = index.data(ContactListModel::PresenceRole).value<Presence>();
        if (reachOf(presence) == Reach::Gone)
            return false;
    }
    if (m_filterText.isEmpty())
        return true;
    return index.data(ContactListModel::DisplayNameRole).toString().contains(m_filterText, Qt::CaseInsensitive)
        || index.data(ContactListModel::UserIdRole).toString().contains(m_filterText, Qt::CaseInsensitive);
}
