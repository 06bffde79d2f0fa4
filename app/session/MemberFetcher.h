#pragma once

#include "matrix/HomeserverApi.h"
#include "matrix/RetryPolicy.h"
#include "session/FetchQueue.h"

#include <QObject>

class Roster;

// Fetches the member lists the roster asks for (Roster::membersNeeded) with /rooms/{id}/joined_members (and
// /members?membership=invite for a room with invitees), a few at
// a time so a first sync with many small rooms does not flood the server, and hands them to the roster. A room
// whose list failed is asked again after its RetryPolicy wait, even when the server refused it: the roster asks
// only once per room, and a room can become readable again (rejoined, a server or proxy fixed).
class MemberFetcher : public QObject {
    Q_OBJECT
public:
    // At most this many requests at once (the server's rate limiter would answer 429 anyway).
    static constexpr int maxRunning = 4;

    MemberFetcher(HomeserverApi *api, Roster *roster, QObject *parent = nullptr);

    void setRetryPolicy(const RetryPolicy &policy) { m_rooms.setRetryPolicy(policy); }
    // Forgets what is queued, running or waiting to be retried: the answers belong to a connection that is gone.
    void clear();

    // Nothing asked for is queued or on its way (Account waits for this before the extras, TimeZoneProfiles).
    bool isDrained() const { return m_rooms.isDrained(); }

Q_SIGNALS:
    // The last fetch asked for ended with nothing queued.
    void drained();

private:
    void fetch(const QString &roomId);
    void fetchInvitees(const QString &roomId, const QList<MemberChange> &joined);
    void finish(const QString &roomId, const Result<QList<MemberChange>> &result);

    HomeserverApi *m_api;
    Roster *m_roster;
    FetchQueue m_rooms;
};
