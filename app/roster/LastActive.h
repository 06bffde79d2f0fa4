#pragma once

#include <QString>

// "online now", "active 4 min ago", "active 2 h ago", "active 3 d ago" or empty when nothing is known.
// `lastActiveAtMs` is absolute (see Roster); a time in the future (clock skew between us and the server)
// reads as "just now", never as a negative age.
QString describeLastActive(bool currentlyActive, qint64 lastActiveAtMs, qint64 nowMs);
