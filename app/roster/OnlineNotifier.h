#pragma once

#include "matrix/MonotonicClock.h"
#include "presence/Presence.h"

#include <QHash>
#include <QObject>

class ContactListModel;
class Roster;
class WatchList;

// Says when a watched contact comes online: from offline, away or unknown to online (or free for chat) as
// the roster applies sync batches. Never for what the first batch after signing in shows (that is the state
// already, not a change), and at most once per contact per quietPeriodMs.
class OnlineNotifier : public QObject {
    Q_OBJECT
public:
    static constexpr qint64 quietPeriodMs = 5 * 60 * 1000;

    OnlineNotifier(ContactListModel *contacts, Roster *roster, const WatchList *watchList, MonotonicClock clock = {},
                   QObject *parent = nullptr);

public Q_SLOTS:
    // Signing in again: the next batch is a first batch once more.
    void reset();

Q_SIGNALS:
    // `displayName` falls back to the user ID; `statusMessage` may be empty. Both are plain text from the network.
    void contactCameOnline(const QString &userId, const QString &displayName, const QString &statusMessage);

private:
    void onRowsChanged(int first, int last);
    ContactListModel *m_contacts;
    const WatchList *m_watchList;
    MonotonicClock m_clock;
    bool m_armed = false;  // after the first applied batch
    QHash<QString, Presence> m_lastPresence;  // every contact's, not only the watched ones
    QHash<QString, qint64> m_lastNotifiedMs;
};
