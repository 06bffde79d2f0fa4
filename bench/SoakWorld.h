#pragma once

#include "matrix/SyncBatch.h"
#include "roster/ContactListModel.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QRandomGenerator>
#include <QSet>
#include <QString>

#include <optional>

// The account the soak program lives through, a week of it: who is in which room, their profiles and presence.
struct SoakShape {
    int people = 2000;       // about this many contacts; a tenth more people come and go among them
    int strangers = 600;     // in the large rooms only: never contacts, but their presence and names still arrive
    int largeRooms = 2;
    // Strangers who leave are replaced by people never seen before, as in a public room over a week; without,
    // everyone who leaves may come back.
    bool newcomers = false;
    quint32 seed = 1;
    QString ownUserId = QStringLiteral("@me:soak.example.org");
};

// A deterministic, seeded world that emits Synapse-shaped /sync bodies of what happens in it (presence changes,
// profile changes reaching every shared room, people joining and leaving rooms, you leaving and rejoining whole
// rooms) and keeps the truth, so that a client's roster can be compared with it at any quiet moment.
//
// Direct chats (one partner each) and small rooms (up to a few dozen people) make their members contacts; the
// large rooms hold the strangers and a few of the contacts. Membership moves both ways at the same rate, so the
// number of contacts wanders around its start instead of drifting. Time is simulated: about 0.6 s per change,
// a week per million.
class SoakWorld {
public:
    struct Counts {
        qint64 presenceChanges = 0;
        qint64 profileChanges = 0;
        qint64 joins = 0;          // a person joined a room you are in
        qint64 leaves = 0;         // a person left a room you are in
        qint64 roomJoins = 0;      // you rejoined a room (its full state arrives)
        qint64 roomLeaves = 0;     // you left a room (rooms.leave)
        qint64 newcomers = 0;      // strangers never seen before (SoakShape::newcomers)

        qint64 changes() const { return presenceChanges + profileChanges; }
    };

    explicit SoakWorld(const SoakShape &shape);

    QString ownUserId() const { return m_shape.ownUserId; }
    // The simulated wall clock, ms since the epoch: when the latest body "arrived".
    qint64 nowMs() const { return m_nowMs; }
    const Counts &counts() const { return m_counts; }

    // What a client without a `since` gets: every room you are in with its full member state, the direct chats
    // (m.direct) and everyone's known presence.
    QByteArray initialSync();
    // An incremental sync of `steps` things happening. With `limitedTimelines` (the catch-up after an outage)
    // the member events of every room touched come as state with a limited timeline, as Synapse sends a gap.
    QByteArray incrementalSync(int steps, bool limitedTimelines = false);
    // Moves the clock on without anything happening (an outage).
    void advanceClock(qint64 ms) { m_nowMs += ms; }

    // The server's answers: GET /profile/{userId}, and GET /rooms/{roomId}/joined_members (none once you left).
    Profile globalProfile(const QString &userId) const;
    std::optional<QList<MemberChange>> joinedMembers(const QString &roomId) const;

    // The roster as it must be now: every person joined to a direct chat or small room you are in, with their
    // global profile and the presence the server last sent (as the roster stores it, times absolute).
    QHash<QString, Contact> expectedContacts() const;

private:
    struct Person {
        QByteArray userId;
        Profile first;    // the profile the person starts with
        Profile global;   // the first one, changed profileChanges times
        int profileChanges = 0;
        std::optional<PresenceState> presence;  // none until the server has said anything
        QList<int> homeRooms;                   // the rooms this person may be in
    };
    struct Room {
        QByteArray roomId;
        enum class Kind : quint8 { Direct, Small, Large } kind = Kind::Small;
        int partner = -1;  // a direct chat's other person
        bool youAreIn = true;
        QSet<int> joined;  // people, by index
    };
    class SyncBody;

    void addPeople();
    // Makes the person at `index` someone of that name: a friend (contact-to-be) or a stranger.
    void becomeSomeone(int index, const QByteArray &name);
    void addRooms();
    int randomIndex(qsizetype size) { return static_cast<int>(m_random.bounded(static_cast<quint32>(size))); }
    bool sharesRoomWithYou(int person) const;

    void step(SyncBody &body);
    bool changePresence(SyncBody &body);
    bool changeProfile(SyncBody &body);
    bool moveMember(SyncBody &body, bool join);
    bool moveYourself(SyncBody &body, bool rejoin);

    SoakShape m_shape;
    QRandomGenerator m_random;
    int m_friends;  // the people who may be contacts come first in m_people
    qint64 m_nowMs = 1767225600000;  // 2026-01-01
    Person m_you;
    QList<Person> m_people;          // contacts-to-be first, then the strangers
    QList<Room> m_rooms;
    QHash<QString, int> m_personByUserId;
    QHash<QString, int> m_roomById;
    Counts m_counts;
    qint64 m_syncSerial = 0;   // for next_batch
    qint64 m_eventSerial = 0;  // for event IDs
};
