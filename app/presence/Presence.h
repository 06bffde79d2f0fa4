#pragma once

#include <QMetaType>
#include <QString>
#include <QStringView>

#include <optional>

// Presently's one presence vocabulary. Every state Presently can show or choose: the seed's five, the unstable
// MSC3026 `busy`, and Unknown for a string no spec defines (shown as "unknown", never mistaken for offline).
enum class Presence : quint8 {
    Online,
    FreeForChat,
    Unavailable,
    Busy,
    Hidden,
    Offline,
    Unknown,
};

// The wire value a state is published as, and the state a wire value means. Hidden ("appear offline") is
// published as `offline`; Busy as the unstable `org.matrix.msc3026.busy`; Unknown has none. Whether the server
// takes the state at all (busy, free_for_chat) is the availability owner's business, not this mapping's.
QString presenceToWire(Presence presence);
// Both `busy` and `org.matrix.msc3026.busy` are Busy, the seed's `hidden` is Hidden; anything undefined is Unknown.
Presence presenceFromWire(QStringView wire);

// Presently's own stable names, used by scripts and settings: online, free_for_chat, unavailable, busy, hidden,
// offline, unknown. They differ from the wire only where the wire cannot say it (hidden, unknown) or says it
// with a prefix (busy).
QString presenceName(Presence presence);
std::optional<Presence> presenceFromName(QStringView name);

// How reachable a person in a state is: the one definition behind the tray's "online" count, come-online
// notifications (a move into Reachable) and "hide offline" (hides Gone).
//   Reachable  online, free for chat: ready for a conversation
//   Occupied   busy, away: connected, but not to be disturbed or not at their device
//   Gone       offline, appear offline
//   Unknown    a state no spec defines (or a server without presence)
enum class Reach : quint8 { Reachable, Occupied, Gone, Unknown };
Reach reachOf(Presence presence);
inline bool isReachable(Presence presence) { return reachOf(presence) == Reach::Reachable; }

// Sort rank for every list of people: the most reachable first, Unknown last.
int presenceRank(Presence presence);

// Human label ("Online", "Free for chat", "Away", ...), translated.
QString presenceLabel(Presence presence);

Q_DECLARE_METATYPE(Presence)
