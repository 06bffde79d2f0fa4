#pragma once

#include <QJsonObject>

// The one filter Presently uploads: presence events, m.direct account data, membership in state and
// timeline with lazy-loaded members and room summaries, and nothing else (no messages, receipts, typing).
// A timeline holding more member events than `timelineLimit` comes back `limited`, which the roster takes
// as "refetch this room's members".
QJsonObject presenceClientFilter(int timelineLimit = 50);
