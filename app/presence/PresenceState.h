#pragma once

#include "presence/Presence.h"

#include <QMetaType>
#include <QString>

struct PresenceContent;

// What is known of a person's presence at a moment: the value the roster keeps, a contact row shows and the
// availability owner compares with your choice. Times are absolute, converted from the server's relative
// last_active_ago the moment the event arrived (design.md).
struct PresenceState {
    Presence presence = Presence::Offline;
    QString rawPresence;         // the wire value, so a state Presently does not know can still be shown
    QString statusMessage;
    qint64 lastActiveAtMs = 0;   // wall-clock ms since the epoch, 0 when unknown
    bool currentlyActive = false;

    // `receivedAtMs`: wall-clock time when the response carrying `content` arrived.
    static PresenceState fromWire(const PresenceContent &content, qint64 receivedAtMs);

    bool operator==(const PresenceState &) const = default;
};

Q_DECLARE_METATYPE(PresenceState)
