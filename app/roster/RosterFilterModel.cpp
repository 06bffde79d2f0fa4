#include "roster/RosterFilterModel.h"

#include "roster/ContactListModel.h"
#include "roster/HiddenContacts.h"

RosterFilterModel::RosterFilterModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setDynamicSortFilter(true);
    // Re-sort and re-filter only when a change can move or hide a row (see ContactListModel::OrderRole).
    setSortRole(ContactListModel::OrderRole);
    setFilterRole(ContactListModel::OrderRole);
    sort(0);
}

void RosterFilterModel::setSourceModel(QAbstractItemModel *sourceModel)
{
    // Sorting reads the rows' order keys straight from the contacts rather than role by role through data():
    // a sort compares every row many times, and the QVariants made it twice as slow.
    const auto *contacts = qobject_cast<const ContactListModel *>(sourceModel);
    if (sourceModel && !contacts) {
        qWarning("RosterFilterModel: the source must be a ContactListModel; %s refused",
                 sourceModel->metaObject()->className());
        return;
    }
    m_contacts = contacts;
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

void RosterFilterModel::setHiddenContacts(const HiddenContacts *hidden)
{
    if (m_hidden)
        disconnect(m_hidden, nullptr, this, nullptr);
    m_hidden = hidden;
    if (m_hidden)
        connect(m_hidden, &HiddenContacts::hiddenChanged, this, &RosterFilterModel::invalidateFilter);
    invalidateFilter();
}

bool RosterFilterModel::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    return m_order(m_contacts->orderKeyAt(left.row()), m_contacts->orderKeyAt(right.row()));
}

bool RosterFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    if (m_hidden && m_hidden->isHidden(m_contacts->contactAt(sourceRow).userId))
        return false;
    if (m_hideOffline) {
        const Presence presence = index.data(ContactListModel::PresenceRole).value<Presence>();
        if (reachOf(presence) == Reach::Gone)
            return false;
    }
    if (m_filterText.isEmpty())
        return true;
    // Your nickname for them and their real name both find a person.
    return index.data(ContactListModel::NicknameRole).toString().contains(m_filterText, Qt::CaseInsensitive)
        || index.data(ContactListModel::DisplayNameRole).toString().contains(m_filterText, Qt::CaseInsensitive)
        || index.data(ContactListModel::UserIdRole).toString().contains(m_filterText, Qt::CaseInsensitive);
}
