#pragma once

#include "matrix/HomeserverApi.h"
#include "session/FetchQueue.h"

#include <QObject>

class Roster;

// Fetches the global profiles the roster asks for (Roster::profileNeeded) with GET /profile/{userId} and hands
// them back, a few at a time. Each question is sent at once: the roster asks once per burst of member events and
// judges an answer by when it was asked (ProfileBook), so waiting would only delay the name. A failed request is
// not repeated: the roster falls back to what the rooms agree on until the next doubt.
class ProfileFetcher : public QObject {
    Q_OBJECT
public:
    // At most this many requests at once: a first sync can put many people in doubt.
    static constexpr int maxRunning = 4;

    ProfileFetcher(HomeserverApi *api, Roster *roster, QObject *parent = nullptr);

    // Drops what is queued or on its way: the roster that asked has been cleared.
    void clear();

private:
    void fetch(const QString &userId);

    HomeserverApi *m_api;
    Roster *m_roster;
    FetchQueue m_users;
};
