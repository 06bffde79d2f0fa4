#pragma once

#include "matrix/MatrixError.h"
#include "matrix/MonotonicClock.h"

#include <QHash>

#include <array>
#include <QString>

// How long a resource (the sync stream, a room's member list, a thumbnail, your presence) waits before it is
// asked for again, from how many times in a row it failed and why:
//
//   429 with a wait          exactly the server's wait (MatrixError bounds it)
//   transient (network, timeout, garbage, 5xx, 429 without a wait)
//                            1 s, 2 s, then at most 2 s for the first 30 s of trouble, at most 5 s up to 2
//                            minutes, then on up to 1 min: such trouble tends to pass in seconds
//   refused (any other 4xx, TLS, a request the client could not make)
//                            1 min, 2 min, 4 min ... up to 15 min (the longest wait a server may ask for):
//                            asking again helps only once something changed on the server's side, which is rare
//                            but happens (a room joined again, a proxy fixed, a captive portal passed)
//
// Every wait but the server's has "equal jitter": a random part of up to half of it, so that the many clients
// that lost the same server do not all come back in the same second. Whether to ask again at all is the
// caller's to say: the sync loop stops for a session that ended, and a refused thumbnail stays refused.
struct RetryPolicy {
    struct Backoff {
        int firstMs;
        int maxMs;
        // failures: how many times in a row the resource failed, this time included (1 or more).
        // unitRandom: uniform in [0, 1).
        int delayMs(int failures, double unitRandom) const;
    };

    Backoff transient{1'000, 60'000};
    Backoff refused{60'000, static_cast<int>(MatrixError::maxRetryAfterMs)};
    // The first minutes of trouble are usually a blip (a server restarting, a network handing over): while a
    // resource has failed for less than a step's forMs, transient waits stay at most its capMs, so that the
    // roster is current again a second or two after the server is back (docs/benchmarks.md, "Outage
    // recovery": with a 5 s cap from the start, half the restarts took over 2 s). Longer outages back off as
    // above.
    struct OutageStep {
        qint64 forMs;
        int capMs;
    };
    std::array<OutageStep, 2> outageSteps{{{30'000, 2'000}, {2 * 60'000, 5'000}}};

    // failingForMs: how long the resource has been failing, from its first failure in a row.
    int delayMs(int failures, qint64 failingForMs, const MatrixError &error, double unitRandom) const;
};

// The consecutive failures of each resource of one kind, keyed by a name ("sync", a room ID, an mxc URI), and
// when each may be asked for again. A success starts the resource's backoff afresh; clear() forgets all of them
// (another user signs in).
class RetryTracker {
public:
    explicit RetryTracker(RetryPolicy policy = {}, MonotonicClock clock = {});

    void setPolicy(const RetryPolicy &policy) { m_policy = policy; }

    // Counts a failure of `resource`; returns how long it waits before it may be asked for again.
    int failed(const QString &resource, const MatrixError &error);
    void succeeded(const QString &resource) { m_failing.remove(resource); }
    void clear() { m_failing.clear(); }

    // 0 when `resource` may be asked for now.
    qint64 remainingMs(const QString &resource) const;

private:
    struct Failing {
        int failures = 0;
        qint64 sinceMs = 0;  // the first failure in a row, on m_clock
        qint64 notBeforeMs = 0;  // on m_clock
    };

    RetryPolicy m_policy;
    MonotonicClock m_clock;
    QHash<QString, Failing> m_failing;
};
