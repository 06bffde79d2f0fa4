#pragma once

#include <QMetaType>
#include <QString>
#include <QStringView>

// Every presence state Presently can show or choose. The seed's five states, the unstable MSC3026 `busy`,
// and Unknown for a string no spec defines (rendered as "unknown", never mistaken for offline).
enum class Presence : quint8 {
    Online,
    FreeForChat,
    Unavailable,
    Busy,
    Hidden,
    Offline,
    Unknown,
};

// Wire value as sent in m.presence content; Busy uses the unstable MSC3026 name servers understand.
QString presenceToWire(Presence presence);

// Parses a wire value; both `busy` and `org.matrix.msc3026.busy` map to Busy. Anything else yields Unknown.
Presence presenceFromWire(QStringView wire);

// Sort rank for the roster: the most reachable first, Unknown after Offline.
int presenceRank(Presence presence);

// Human label ("Online", "Free for chat", "Away", ...), translated.
QString presenceLabel(Presence presence);

Q_DECLARE_METATYPE(Presence)
