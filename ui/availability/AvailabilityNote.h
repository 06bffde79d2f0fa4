#pragma once

#include "presence/Presence.h"

#include <QString>

class AvailabilityController;

// The plain sentences that explain your presence when what others see is not simply what you chose: auto-away,
// a state the server refused, appear offline, offline, another device, a server without presence. Shown under
// the presence selector and in the tray tooltip; empty when there is nothing to explain.
QString availabilityNote(const AvailabilityController *availability);

// The state your own badge shows (selector and tray): your choice, or Away while automatically away.
Presence ownBadgePresence(const AvailabilityController *availability);
