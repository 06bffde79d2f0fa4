#pragma once

#include <QJsonObject>
#include <QStringList>

// What the filter lets through of the joined rooms.
enum class RoomTraffic : quint8 {
    // Each room's size and the latest membership change: lazy-loaded members (so Synapse sends the room summary
    // with m.joined_member_count), a timeline of member events cut to the newest one, and of the state only
    // m.room.create (always there, so that a room is never left out of the first sync for want of events). A
    // large room then costs one trimmed member event per batch in which people joined or left it, whatever their
    // number; a small room whose timeline comes back `limited` has its members fetched from joined_members.
    SizesAndLatestChange,
    // The filter before issue 11 part 2: up to 50 member events per room in full (a large room's first sync brought
    // 50 of them). Kept only so that presently-roster-traffic prints today's and yesterday's figures side by side.
    MemberTimeline,
};

// The one filter Presently uploads: presence events of `presenceSenders` only, m.direct account data, membership
// as `rooms` says, and nothing else (no messages, receipts, typing). Room events carry only the fields the roster
// reads (event_fields). Listing the senders keeps strangers in large rooms from adding bytes or waking the
// long-poll; an empty list would block all presence (Synapse's blocks_all_presence), which is why
// presenceSendersFor() always lists you. A timeline holding more member events than the limit comes back
// `limited`, which the roster takes as "refetch this room's members" (for the rooms whose members it keeps).
QJsonObject presenceClientFilter(const QStringList &presenceSenders,
                                 RoomTraffic rooms = RoomTraffic::SizesAndLatestChange);

// The presence senders for a filter: you (Synapse drops your own presence unless listed, and the app reads it
// from sync) and your contacts, sorted and without repeats so that the same set always yields the same filter.
QStringList presenceSendersFor(const QString &ownUserId, const QStringList &contactIds);
