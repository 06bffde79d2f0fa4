#pragma once

#include <QByteArray>
#include <QString>

// Deterministic, Synapse-shaped /sync bodies for the benchmark.
//
// The initial sync holds `directRooms` direct chats (you and one partner), `smallRooms` rooms of
// `smallRoomMembers` (you and friends, every friend in about three rooms) and `largeRooms` of
// `largeRoomMembers` (you and strangers), all as state member events with full Synapse fields
// (event_id, sender, origin_server_ts, unsigned), plus presence for every contact and some strangers.
// Defaults: 1,500 rooms, 76,584 member events, 12,000 presence events, about 36 MB, 10,000 contacts.
struct SyncShape {
    int directRooms = 300;
    int smallRooms = 1100;
    int smallRoomMembers = 27;    // including you
    int largeRooms = 100;
    int largeRoomMembers = 463;   // including you; 16 of them hold one member fewer, see below
    int friends = 9700;           // the people in small rooms
    int strangers = 30000;        // the people in large rooms
    int presenceEvents = 12000;
    QString ownUserId = QStringLiteral("@me:example.org");

    int memberEvents() const;
    int expectedContacts() const { return directRooms + friends; }
};

QByteArray generateInitialSync(const SyncShape &shape);
// A small incremental sync: `presenceUpdates` presence changes for contacts, different for every `seq`.
QByteArray generateIncrementalSync(int seq, int presenceUpdates, const SyncShape &shape);

// Parse throughput of parseSync() on `body`: best of `rounds` after one warm-up, and the peak RSS.
struct ParseFigures {
    double mbPerSecond = 0;
    double peakRssMb = 0;
    int presenceEvents = 0;
    int memberEvents = 0;
    int rooms = 0;
};
ParseFigures measureParse(const QByteArray &body, int rounds);
