#pragma once

#include "matrix/MatrixTypes.h"
#include "roster/RosterChanges.h"

#include <QHash>
#include <QString>
#include <QStringList>

#include <optional>

// What each person is called on the roster. A room's member events carry the name and avatar the person has in
// that room, which may be a per-room nickname; only the global profile (GET /profile, or a presence event that
// carries one) names them everywhere. The book keeps both and decides what a row shows:
//  - the global profile, when it is known and nothing since has put it in doubt;
//  - otherwise the value every room agrees on (a global change reaches every shared room);
//  - while rooms disagree or a change waits to be confirmed, what an earlier batch showed, so that a nickname set
//    in one room never renames the person;
//  - for someone new whose rooms disagree, the value most rooms hold (ties to the lowest room ID), so the name
//    never depends on the order rooms arrive in.
// A room value that changes (a member event replacing an earlier one) may be a per-room nickname or the first of
// a global change's burst of events: either way the global profile is in doubt and the person is reported by
// takeQuestions() for a GET /profile, whose answer goes to setGlobal() or globalUnavailable().
// The roster gives it only the rooms that make people contacts (direct chats, small rooms): a large room's
// members are not on the roster, and their names would cost memory and questions for nothing.
class ProfileBook {
public:
    // What a row shows for the person: empty when nothing is known.
    Profile shown(const QString &userId) const;
    // Names the person has in shared rooms that differ from the shown one, sorted (for the tooltip).
    QStringList otherNames(const QString &userId) const;

    // A sync batch or member list starts: what is shown now was decided before it, and is held while in doubt.
    void startBatch() { ++m_batch; }

    // Each returns whether shown() or otherNames() may have changed.
    bool setRoomProfile(const QString &userId, const QString &roomId, const Profile &profile);
    // Keeps a room's existing value: a fetched member list may be older than the events applied meanwhile.
    bool setRoomProfileIfUnknown(const QString &userId, const QString &roomId, const Profile &profile);
    bool removeRoom(const QString &userId, const QString &roomId);
    // The answer to a question from takeQuestions(). An answer to a question asked before the latest change is
    // taken only if every room now holds it; otherwise the person is put back among the questions.
    bool setGlobal(const QString &userId, const Profile &profile);
    // A global profile that came unasked (older servers put it in presence events).
    bool setGlobalFromPresence(const QString &userId, const Profile &profile);
    // The server would not say (error, or a user without a profile): the rooms decide again.
    bool globalUnavailable(const QString &userId);

    // People whose global profile is in doubt and has not been asked for yet; each is handed out once per doubt.
    QStringList takeQuestions();

    void clear();

    // What the book holds of a person, for the cache; nullopt when it holds nothing.
    std::optional<PersonProfiles> record(const QString &userId) const;
    QStringList people() const { return m_people.keys(); }
    // Puts back a person as record() gave them (a start from the cache): shown as they were, asked for again
    // when they were in doubt.
    void restore(const QString &userId, const PersonProfiles &record);

private:
    struct InRoom {
        QString roomId;
        Profile profile;  // the member event's name and avatar there
    };
    struct Person {
        QList<InRoom> rooms;            // a list: most people share one to three rooms with you
        std::optional<Profile> global;
        bool inDoubt = false;           // the global profile may be stale; asked for or about to be
        bool asked = false;             // a question is out (handed out by takeQuestions, not answered yet)
        bool changedSinceAsked = false; // a room changed after the question went out
        Profile shown;
        quint64 shownSince = 0;         // the batch that first decided it; 0: nothing shown yet
    };

    static InRoom *findRoom(Person &person, const QString &roomId);
    bool resolve(Person &person);
    bool settle(const QString &userId, Person &person, const std::optional<Profile> &global);
    void doubt(const QString &userId, Person &person);
    static std::optional<Profile> agreedByRooms(const Person &person);
    static Profile mostCommonInRooms(const Person &person);

    QHash<QString, Person> m_people;
    QStringList m_questions;  // in doubt, not asked for yet
    quint64 m_batch = 1;
};
