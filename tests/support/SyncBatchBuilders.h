#pragma once

// Builders for the SyncBatch values the parser produces, for tests that drive the Roster without a server.
#include "matrix/SyncBatch.h"
#include "presence/Presence.h"

#include <QList>
#include <QString>

using namespace Qt::Literals::StringLiterals;

namespace SyncBatchBuilders {

inline MemberChange member(const QString &userId, Membership membership = Membership::Join, const QString &name = {},
                           const QString &avatar = {})
{
    return MemberChange{userId, membership, name, avatar};
}

inline RoomUpdate room(const QString &roomId, std::optional<int> joined, QList<MemberChange> changes, bool limited = false)
{
    RoomUpdate update;
    update.roomId = roomId;
    update.joinedMemberCount = joined;
    update.memberChanges = std::move(changes);
    update.timelineLimited = limited;
    return update;
}

inline PresenceEvent presence(const QString &userId, Presence state, const QString &status = {},
                               std::optional<qint64> agoMs = std::nullopt, bool active = false)
{
    PresenceEvent update;
    update.userId = userId;
    update.content.presence = presenceName(state);  // what presenceFromWire() reads back as `state`
    update.content.statusMessage = status;
    update.content.lastActiveAgoMs = agoMs;
    update.content.currentlyActive = active;
    return update;
}

inline SyncBatch batch(const QString &next, QList<RoomUpdate> rooms = {}, QList<PresenceEvent> presenceUpdates = {})
{
    SyncBatch result;
    result.nextBatch = next;
    result.joinedRooms = std::move(rooms);
    result.presence = std::move(presenceUpdates);
    result.receivedAtMs = 1'700'000'000'000;
    return result;
}

} // namespace SyncBatchBuilders
