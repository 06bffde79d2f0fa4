#pragma once

#include "matrix/HomeserverApi.h"
#include "session/FetchQueue.h"

#include <QObject>

// GET /presence/{userId}/status for people who became contacts without a known presence (Account connects
// Roster::presenceNeeded to want() and fetched() to Roster::applyFetchedPresence): their state from before the
// sync filter listed them, and the status message and last active time of offline contacts, which an initial
// sync leaves out. Each person once, at most maxRunning requests at once. A transient failure is tried again after
// its RetryPolicy wait; a refusal (403: no shared room any more, so not visible) leaves them as the roster has them.
class PresenceFetcher : public QObject {
    Q_OBJECT
public:
    // A first sync makes every contact new: a few at a time.
    static constexpr int maxRunning = 4;

    explicit PresenceFetcher(HomeserverApi *api, QObject *parent = nullptr);

    // Drops what is queued or on its way: the roster that asked has been cleared.
    void clear() { m_wanted.clear(); }

    // Nothing asked for is queued or on its way (Account waits for this before the extras, TimeZoneProfiles).
    bool isDrained() const { return m_wanted.isDrained(); }

public Q_SLOTS:
    void want(const QString &userId) { m_wanted.add(userId); }

Q_SIGNALS:
    // The last fetch asked for ended with nothing queued.
    void drained();
    // The server's answer, received at `receivedAtMs` (last_active_ago counts back from then).
    void fetched(const QString &userId, const PresenceContent &content, qint64 receivedAtMs);

private:
    void fetch(const QString &userId);

    HomeserverApi *m_api;
    FetchQueue m_wanted;
};
