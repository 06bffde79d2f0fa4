#pragma once

#include "matrix/HomeserverApi.h"

#include <QObject>
#include <QQueue>
#include <QSet>

class Roster;

// Fetches the member lists the roster asks for (Roster::membersNeeded) with /rooms/{id}/joined_members, a few at
// a time so a first sync with many small rooms does not flood the server, and hands them to the roster.
class MemberFetcher : public QObject {
    Q_OBJECT
public:
    // At most this many requests at once (the server's rate limiter would answer 429 anyway).
    static constexpr int maxRunning = 4;

    MemberFetcher(HomeserverApi *api, Roster *roster, QObject *parent = nullptr);

    // Forgets what is queued or running: the answers belong to a connection that is gone.
    void clear();

private:
    void enqueue(const QString &roomId);
    void fetchNext();

    HomeserverApi *m_api;
    Roster *m_roster;
    QQueue<QString> m_queue;
    QSet<QString> m_queued;  // queued or running
    int m_running = 0;
    quint64 m_generation = 0;  // counts clear()s, so answers to an earlier generation are dropped
};
