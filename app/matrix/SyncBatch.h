#pragma once

#include "matrix/MatrixTypes.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

// The engine's typed view of one /sync response: only what a presence roster needs.
// Produced by parseSync() (pure, off the GUI thread), applied by Roster on the GUI thread.

// One m.presence event. Presence events carry the user's complete state, so presence, status message,
// last-active and currently-active replace what was known. Profile fields are optional: Synapse omits them,
// older servers sent them (the seed's "Events on Change of Profile Information").
struct PresenceEvent {
    QString userId;                         // the sender
    PresenceContent content;
    std::optional<QString> displayName;     // present only when the event carried `displayname`
    std::optional<QString> avatarUrl;       // present only when the event carried `avatar_url`
};

enum class Membership : quint8 { Join, Invite, Leave, Ban, Knock };

// One m.room.member event (state or timeline) reduced to what changes the roster.
struct MemberChange {
    QString userId;  // the state_key
    Membership membership = Membership::Leave;
    QString displayName;  // empty when unset
    QString avatarUrl;    // mxc:// URI or empty
};

// A joined room's part of the response.
struct RoomUpdate {
    QString roomId;
    std::optional<int> joinedMemberCount;   // summary m.joined_member_count, when the server sent it
    std::optional<int> invitedMemberCount;  // summary m.invited_member_count, when the server sent it
    // summary m.heroes, when the server sent it (a room without a name or alias): up to 5 others, joined first
    std::optional<QStringList> heroes;
    bool timelineLimited = false;           // true: member events were skipped, refetch the member list
    QList<MemberChange> memberChanges;      // state first, then timeline, in server order
};

// An m.room.member event of an invited room's stripped invite_state: who (state_key), who sent it, and for an
// invite whether it is a direct chat. Which one is yours the parser cannot know; InvitationList picks it.
struct InviteMember {
    MemberChange member;
    QString sender;
    bool isDirect = false;  // content.is_direct: true
};

// A room you are invited to (rooms.invite) with the member events of its invite_state, in server order.
struct RoomInvite {
    QString roomId;
    QList<InviteMember> members;
};

struct SyncBatch {
    QString nextBatch;
    QList<PresenceEvent> presence;
    // m.direct account data: user ID -> direct room IDs. Absent when the response did not carry it.
    std::optional<QHash<QString, QStringList>> directChats;
    // im.presently.roster account data, the content whole. Absent when the response did not carry it.
    std::optional<QJsonObject> rosterAccountData;
    QList<RoomUpdate> joinedRooms;
    QStringList leftRoomIds;
    QList<RoomInvite> invitedRooms;
    int skippedEvents = 0;          // events dropped for wrong types or missing fields
    qint64 receivedAtMs = 0;        // wall clock when the response arrived (set by the sync loop)
};

// What parseSync() returns: a batch, or an error string for a body that is not a sync response at all.
struct SyncParseResult {
    std::optional<SyncBatch> batch;
    QString error;
};
