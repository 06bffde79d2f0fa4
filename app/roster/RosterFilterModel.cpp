#include "roster/RosterFilterModel.h"

#include "roster/ContactListModel.h"
#include "roster/RosterGroupModel.h"

RosterFilterModel::RosterFilterModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setDynamicSortFilter(true);
    // Re-sort and re-filter only when a change can move or hide a row (see ContactListModel::OrderRole).
    setSortRole(ContactListModel::OrderRole);
    setFilterRole(ContactListModel::OrderRole);
    // A group is shown while someone in it is (filterAcceptsRow says when it shows regardless).
    setRecursiveFilteringEnabled(true);
    sort(0);
}

void RosterFilterModel::setSourceModel(QAbstractItemModel *sourceModel)
{
    // Sorting reads the rows' order keys straight from the contacts rather than role by role through data():
    // a sort compares every row many times, and the QVariants made it twice as slow.
    auto *groups = qobject_cast<RosterGroupModel *>(sourceModel);
    if (sourceModel && !groups) {
        qWarning("RosterFilterModel: the source must be a RosterGroupModel; %s refused",
                 sourceModel->metaObject()->className());
        return;
    }
    m_contacts = groups ? groups->contacts() : nullptr;
    m_groups = groups;
    QSortFilterProxyModel::setSourceModel(sourceModel);
}

void RosterFilterModel::setFilterText(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed == m_filterText)
        return;
    m_filterText = trimmed;
    invalidateFilter();
    Q_EMIT filterTextChanged(m_filterText);
}

void RosterFilterModel::setHideOffline(bool hide)
{
    if (hide == m_hideOffline)
        return;
    m_hideOffline = hide;
    invalidateFilter();
    Q_EMIT hideOfflineChanged(m_hideOffline);
}

bool RosterFilterModel::hasGroups() const
{
    return m_groups && m_groups->rowCount() > 1;  // the default group is always there
}

int RosterFilterModel::contactCount() const
{
    int count = 0;
    for (int row = 0; row < rowCount(); ++row)
        count += rowCount(index(row, 0));
    return count;
}

int RosterFilterModel::contactRow(const QModelIndex &sourceIndex) const
{
    return m_groups->contactRow(sourceIndex);
}

bool RosterFilterModel::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    const int leftRow = contactRow(left);
    const int rightRow = contactRow(right);
    if (leftRow < 0 || rightRow < 0)  // groups: in the tree's order
        return left.row() < right.row();
    return m_order(m_contacts->orderKeyAt(leftRow), m_contacts->orderKeyAt(rightRow));
}

bool RosterFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    const int row = contactRow(index);
    if (row < 0)  // a group: shown for a member that is (recursive filtering), and when named, also empty
        return !isFiltering() && !index.data(RosterGroupModel::GroupIdRole).toString().isEmpty();
    if (m_hideOffline && reachOf(m_contacts->shownPresence(m_contacts->contactAt(row))) == Reach::Gone)
        return false;
    if (m_filterText.isEmpty())
        return true;
    // Your nickname for them and their real name both find a person.
    return index.data(ContactListModel::NicknameRole).toString().contains(m_filterText, Qt::CaseInsensitive)
        || index.data(ContactListModel::DisplayNameRole).toString().contains(m_filterText, Qt::CaseInsensitive)
        || index.data(ContactListModel::UserIdRole).toString().contains(m_filterText, Qt::CaseInsensitive);
}
