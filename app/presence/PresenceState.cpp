#include "presence/PresenceState.h"

#include "matrix/MatrixTypes.h"

PresenceState PresenceState::fromWire(const PresenceContent &content, qint64 receivedAtMs)
{
    PresenceState state;
    state.presence = presenceFromWire(content.presence);
    state.rawPresence = content.presence;
    state.statusMessage = content.statusMessage;
    // last_active_ago counts back from when the server generated the event; never in the future.
    if (content.lastActiveAgoMs)
        state.lastActiveAtMs = receivedAtMs - qMin(*content.lastActiveAgoMs, receivedAtMs);
    state.currentlyActive = content.currentlyActive;
    return state;
}
