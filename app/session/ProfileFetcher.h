#pragma once

#include "matrix/HomeserverApi.h"
#include "session/FetchQueue.h"

#include <QObject>

class Roster;

// Fetches the global profiles the roster asks for (Roster::profileNeeded) with GET /profile/{userId} and hands
// them back, a few at a time, in the order asked. A transient failure is tried again after its RetryPolicy wait
// (the person keeps their name meanwhile); a refusal (no such profile, not allowed) hands the decision back to
// the rooms (Roster::globalProfileUnavailable).
class ProfileFetcher : public QObject {
    Q_OBJECT
public:
    // At most this many requests at once: a first sync can put many people in doubt.
    static constexpr int maxRunning = 4;

    ProfileFetcher(HomeserverApi *api, Roster *roster, QObject *parent = nullptr);

    // Drops what is queued or on its way: the roster that asked has been cleared.
    void clear();

    // Nothing asked for is queued or on its way (Account waits for this before the extras, TimeZoneProfiles).
    bool isDrained() const { return m_users.isDrained(); }

Q_SIGNALS:
    // The last fetch asked for ended with nothing queued.
    void drained();

private:
    void fetch(const QString &userId);

    HomeserverApi *m_api;
    Roster *m_roster;
    FetchQueue m_users;
};
