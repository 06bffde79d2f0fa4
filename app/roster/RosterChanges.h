#pragma once

#include "matrix/SyncBatch.h"
#include "presence/PresenceState.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

// What the roster knows of one person's name (ProfileBook's record of them): the profile each counted room holds,
// the global profile when known, what the row shows, and whether the global profile is in doubt (to be asked for).
struct PersonProfiles {
    struct InRoom {
        QString roomId;
        Profile profile;
        bool operator==(const InRoom &) const = default;
    };
    QList<InRoom> rooms;
    std::optional<Profile> global;
    Profile shown;
    bool inDoubt = false;

    bool operator==(const PersonProfiles &) const = default;
};

// One room as the roster keeps it (its members apart).
struct RoomRecord {
    QString roomId;
    int joinedCount = -1;       // -1: unknown
    bool membersComplete = false;

    bool operator==(const RoomRecord &) const = default;
};

// One membership: `userId` is joined to or invited into `roomId`.
struct MemberRecord {
    QString roomId;
    QString userId;
    Membership membership = Membership::Join;

    bool operator==(const MemberRecord &) const = default;
};

// What an applied batch (or member list, or fetched answer) changed in the roster, as the new values of what it
// touched: written as one transaction by the cache. Applied to an empty roster it is also the whole state
// (Roster::exportState, read back from the cache by Roster::restore). `nextBatch` is the sync position the
// changes bring the roster to (empty for changes that are not a sync batch's): the cache stores it with them.
struct RosterChanges {
    QString nextBatch;
    std::optional<QHash<QString, QStringList>> directChats;  // the whole m.direct map, when it changed
    QList<RoomRecord> rooms;
    QStringList removedRoomIds;  // their memberships go with them
    QList<MemberRecord> members;
    QList<MemberRecord> removedMembers;  // membership ignored
    QHash<QString, PresenceState> presence;
    QStringList removedPresence;
    QHash<QString, PersonProfiles> profiles;
    QStringList removedProfiles;

    bool operator==(const RosterChanges &) const = default;

    bool isEmpty() const
    {
        return nextBatch.isEmpty() && !directChats && rooms.isEmpty() && removedRoomIds.isEmpty() && members.isEmpty()
            && removedMembers.isEmpty() && presence.isEmpty() && removedPresence.isEmpty() && profiles.isEmpty()
            && removedProfiles.isEmpty();
    }
};
