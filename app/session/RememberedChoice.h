#pragma once

#include "presence/Presence.h"

#include <QString>

#include <optional>

// The presence and status message last chosen on this device, kept across starts (QSettings) for the user who
// chose them, so that a restart publishes what that user chose and never a default.
class RememberedChoice {
public:
    Presence presence = Presence::Online;
    QString statusMessage;

    // What `userId` chose here last, if anything.
    static std::optional<RememberedChoice> load(const QString &userId);
    static void save(const QString &userId, const RememberedChoice &choice);
    // Signing out: nothing of the user stays.
    static void forget();
};
