#pragma once

#include <QJsonObject>
#include <QStringList>

// The one filter Presently uploads: presence events of `presenceSenders` only, m.direct account data, membership
// in state and timeline with lazy-loaded members and room summaries, and nothing else (no messages, receipts,
// typing). Listing the senders keeps strangers in large rooms from adding bytes or waking the long-poll; an
// empty list would block all presence (Synapse's blocks_all_presence), which is why presenceSendersFor() always
// lists you. A timeline holding more member events than `timelineLimit` comes back `limited`, which the roster
// takes as "refetch this room's members".
QJsonObject presenceClientFilter(const QStringList &presenceSenders, int timelineLimit = 50);

// The presence senders for a filter: you (Synapse drops your own presence unless listed, and the app reads it
// from sync) and your contacts, sorted and without repeats so that the same set always yields the same filter.
QStringList presenceSendersFor(const QString &ownUserId, const QStringList &contactIds);
