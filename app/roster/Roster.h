#pragma once

#include "roster/ContactListModel.h"
#include "roster/ProfileBook.h"
#include "roster/RosterChanges.h"
#include "matrix/SyncBatch.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QSet>

#include <deque>

// Decides who is on the roster and keeps their live state, applying sync batches to a ContactListModel.
//
// A contact is anyone other than you who is joined to (or invited into) a room you share that is a direct
// chat (m.direct) or has at most smallRoomLimit() joined members; each person once, whatever number of rooms
// you share. Presence is kept for contacts and you only: the sync filter lists them (contactsChanged() says
// when the list changes), and a person who becomes a contact without a known presence is asked for once
// (presenceNeeded()), which also brings offline contacts' status messages that an initial sync leaves out. Names and avatars follow the global profile, not a per-room nickname
// (ProfileBook); when a room's value puts it in doubt, profileNeeded() asks for the person's global profile.
//
// Batches are applied in slices of at most setSliceBudgetMs() (default 5 ms) so the GUI thread keeps painting during a large
// initial sync; batchApplied() says when a batch is fully in the model. Signals follow design.md's measured
// rules: rows appended in ranges; per-row dataChanged for small batches; one whole-range dataChanged when a
// batch touches more than bulkUpdateShare of the rows; every change signalled right after it is applied.
class Roster : public QObject {
    Q_OBJECT
public:
    static constexpr int defaultSmallRoomLimit = 50;
    static constexpr int defaultSliceBudgetMs = 5;
    static constexpr double bulkUpdateShare = 0.15;

    explicit Roster(ContactListModel *model, QObject *parent = nullptr);
    ~Roster() override;

    void setOwnUserId(const QString &userId) { m_ownUserId = userId; }
    QString ownUserId() const { return m_ownUserId; }
    int smallRoomLimit() const { return m_smallRoomLimit; }
    // Re-evaluates every room against the new limit (rooms that now count get their members fetched).
    void setSmallRoomLimit(int limit);
    void setSliceBudgetMs(int ms) { m_sliceBudgetMs = ms; }

    bool isApplying() const { return !m_jobs.empty(); }
    // The direct chats (m.direct rooms) where `userId` is joined or invited: where an invitation to them is
    // withdrawn, or where you leave them.
    QStringList directRoomsWith(const QString &userId) const;
    // Whether the room's last summary counted invited people, whom joined_members does not list.
    bool hasInvitees(const QString &roomId) const { return m_rooms.value(roomId).invitedCount > 0; }

    // Everything the roster knows, as changes to an empty roster (nextBatch empty): what a cache would hold.
    RosterChanges exportState() const;
    // Starts over from `state` (read from the cache): rooms, memberships, presence and names as they were, the
    // contacts' rows appended at once. What was still to be asked is asked again: member lists never completed,
    // presence never known, profiles in doubt. Emits contactsChanged(), and no changed().
    void restore(const RosterChanges &state);

public Q_SLOTS:
    void applyBatch(const SyncBatch &batch);
    // The answer to membersNeeded(): the room's complete list of joined members, and of invited ones when it has
    // any (hasInvitees()).
    void applyJoinedMembers(const QString &roomId, const QList<MemberChange> &members);
    // Forgets everything (sign out).
    void clear();
    // Asks again (membersNeeded) for the member lists that were asked for and never arrived: the requests
    // belonged to a connection that is gone, while the roster stays (a session resumed).
    void requestUnansweredMembers();
    // The answer to profileNeeded(): the person's global profile, or that the server would not give it.
    void applyGlobalProfile(const QString &userId, const Profile &profile);
    void globalProfileUnavailable(const QString &userId);
    // The answer to presenceNeeded(). Kept only while the person is a contact and nothing came by sync since they
    // became one: a sync's presence is at least as new as an answer to a request sent after they became a contact.
    void applyFetchedPresence(const QString &userId, const PresenceContent &content, qint64 receivedAtMs);

Q_SIGNALS:
    void batchApplied(const QString &nextBatch);
    // What a batch, member list or fetched answer changed, once it is fully applied (before batchApplied() for a
    // sync batch, whose next_batch it carries): for the cache. A large batch's is built in slices too; what an
    // answer changes meanwhile comes in the next changed().
    void changed(const RosterChanges &changes);
    // A room that counts has an incomplete member list: fetch /rooms/{id}/joined_members and apply it.
    void membersNeeded(const QString &roomId);
    // A contact's global profile is in doubt (a room changed its name or avatar, or rooms disagree): fetch
    // GET /profile/{userId} and apply it. Asked once per doubt, however many rooms the change reaches.
    void profileNeeded(const QString &userId);
    void ownPresenceReceived(const PresenceState &presence);
    // The set of contacts changed (once per applied batch or member list that changed it): `contactIds` is all of them.
    void contactsChanged(const QStringList &contactIds);
    // A person became a contact and nothing is known of their presence: fetch GET /presence/{userId}/status once
    // and apply it (applyFetchedPresence).
    void presenceNeeded(const QString &userId);
    // A member event about you: your profile as that room has it (possibly a per-room name).
    void ownProfileReceived(const QString &displayName, const QString &avatarUrl);

private:
    struct Room {
        int joinedCount = -1;  // unknown until a summary or a member list arrives
        int invitedCount = 0;  // as the last summary said
        bool isDirect = false;
        bool membersComplete = false;
        bool fetchRequested = false;
        QHash<QString, Membership> members;  // joined and invited only
        // Whose name here a sync brought while the member list was asked for: the list may be older than that.
        QSet<QString> namedSinceAsked;
    };
    struct Job;

    void scheduleSlice();
    void runSlice();
    bool advance(Job &job, const QElapsedTimer &slice);
    bool overBudget(const QElapsedTimer &slice) const { return slice.elapsed() >= m_sliceBudgetMs; }

    void reserveFor(const SyncBatch &batch);
    void applyDirectChats(const QHash<QString, QStringList> &directChats);
    void applyRoom(const RoomUpdate &update);
    void replaceRoomMembers(const QString &roomId, const QList<MemberChange> &members);
    // The joined members of a room whose timeline came back limited, when the batch alone proves them.
    std::optional<QSet<QString>> joinedProvenBy(const RoomUpdate &update) const;
    void forgetRoom(const QString &roomId);
    void applyPresence(const PresenceEvent &update, qint64 receivedAtMs);
    // `touchesPeople`: the room counts, or counted before this change. Only then can a membership in it change who
    // is a contact, a row or a name: a large room's members are not looked at (reevaluateRoom looks at everyone in a
    // room that starts or stops counting).
    void setMembership(const QString &roomId, Room &room, const MemberChange &change, bool touchesPeople);
    void askForDoubtedProfiles();
    void refreshRow(const QString &userId);
    void markChanged(const QString &userId);
    // After a room's count, kind or members changed: its members may have become or stopped being contacts, and
    // the ProfileBook holds the names of exactly the rooms that count.
    void reevaluateRoom(const QString &roomId, Room &room, bool countedBefore, bool membersKnownBefore);
    void forgetRoomProfiles(const QString &roomId, const Room &room);
    void requestMembersIfNeeded(const QString &roomId, Room &room);
    void markRoomMembersAsCandidates(const Room &room);
    // What the next changed() carries: the rooms, memberships (room -> users) and people (presence and names)
    // touched since the last one. Their values are read when it is built.
    struct Touched {
        QSet<QString> rooms;
        QHash<QString, QSet<QString>> members;
        // Rooms new to the roster (so to the cache): all their members are written, none noted one by one (an
        // initial sync's tens of thousands of notes, freed after it, left the heap fragmented).
        QSet<QString> newRooms;
        QSet<QString> people;
        bool directChats = false;

        bool isEmpty() const
        {
            return rooms.isEmpty() && members.isEmpty() && newRooms.isEmpty() && people.isEmpty() && !directChats;
        }
    };
    struct ChangeRecording;

    void touchRoom(const QString &roomId) { m_touched.rooms.insert(roomId); }
    void touchMembership(const QString &roomId, const QString &userId)
    {
        if (!m_touched.newRooms.contains(roomId))
            m_touched.members[roomId].insert(userId);
    }
    void touchPerson(const QString &userId) { m_touched.people.insert(userId); }
    // Reads the values of what `recording` holds into its RosterChanges: all of them (true), or with a slice as many
    // as fit in it (false: more to come).
    bool recordChanges(ChangeRecording &recording, const QElapsedTimer *slice) const;
    qsizetype newRoomMembers() const;
    void emitChangesBetweenBatches();

    bool roomCounts(const Room &room) const { return roomCountsUnder(room, m_smallRoomLimit); }
    static bool roomCountsUnder(const Room &room, int smallRoomLimit);
    static int joinedMemberCount(const Room &room);
    bool isContact(const QString &userId) const;
    bool isOnlyInvited(const QString &userId) const;
    Contact contactFor(const QString &userId) const;

    ContactListModel *m_model;
    QString m_ownUserId;
    int m_smallRoomLimit = defaultSmallRoomLimit;
    int m_sliceBudgetMs = defaultSliceBudgetMs;

    QHash<QString, Room> m_rooms;
    QHash<QString, QSet<QString>> m_roomsByUser;  // rooms where the user is joined or invited
    QSet<QString> m_directRoomIds;
    QHash<QString, QStringList> m_directChats;  // the m.direct map the rooms above come from, for the cache
    QHash<QString, PresenceState> m_presence;  // what the server last said, for contacts and you only
    ProfileBook m_profiles;  // contacts' names and avatars, from the rooms that count; yours is Account's

    QSet<QString> m_membershipCandidates;  // users who may have become or stopped being contacts
    QSet<QString> m_changedUsers;          // listed users whose presence or profile changed

    Touched m_touched;

    std::deque<Job> m_jobs;
    bool m_sliceScheduled = false;
    bool m_inSlice = false;
};
