#include "roster/OnlineNotifier.h"

#include "roster/ContactListModel.h"
#include "roster/Roster.h"
#include "roster/WatchList.h"


OnlineNotifier::OnlineNotifier(ContactListModel *contacts, Roster *roster, const WatchList *watchList, MonotonicClock clock,
                               QObject *parent)
    : QObject(parent)
    , m_contacts(contacts)
    , m_watchList(watchList)
    , m_clock(orMonotonicClock(std::move(clock)))
{
    connect(roster, &Roster::batchApplied, this, [this] { m_armed = true; });
    connect(contacts, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex &topLeft, const QModelIndex &bottomRight, const QList<int> &roles) {
                if (roles.isEmpty() || roles.contains(ContactListModel::PresenceRole))
                    onRowsChanged(topLeft.row(), bottomRight.row());
            });
    connect(contacts, &QAbstractItemModel::rowsInserted, this,
            [this](const QModelIndex &, int first, int last) { onRowsChanged(first, last); });
}

void OnlineNotifier::reset()
{
    m_armed = false;
    m_lastPresence.clear();
}

void OnlineNotifier::onRowsChanged(int first, int last)
{
    for (int row = first; row <= last; ++row) {
        const Contact &contact = m_contacts->contactAt(row);
        const Presence presence = m_contacts->index(row).data(ContactListModel::PresenceRole).value<Presence>();
        // Everyone's last state is kept, so whoever is watched later has a "before".
        const auto known = m_lastPresence.constFind(contact.userId);
        const bool cameOnline = known != m_lastPresence.cend() && !isReachable(*known) && isReachable(presence);
        m_lastPresence.insert(contact.userId, presence);
        if (!cameOnline || !m_armed || !m_watchList->isWatched(contact.userId))
            continue;
        const qint64 now = m_clock();
        const auto notified = m_lastNotifiedMs.constFind(contact.userId);
        if (notified != m_lastNotifiedMs.cend() && now - *notified < quietPeriodMs)
            continue;
        m_lastNotifiedMs.insert(contact.userId, now);
        Q_EMIT contactCameOnline(contact.userId, contact.displayName.isEmpty() ? contact.userId : contact.displayName,
                                 contact.state.statusMessage);
    }
}
