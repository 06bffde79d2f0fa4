#pragma once

#include "matrix/MatrixError.h"
#include "matrix/RetryPolicy.h"

#include <QObject>
#include <QTimer>

#include <functional>

// One read of your own state (your profile, the time zone you publish) that a passing failure must not leave
// wrong for the rest of the connection: a transient error (network, 5xx, 429 — stock Synapse's rc_profile allows a
// burst of 500 lookups and then one a second, which a start right after another with a few hundred contacts
// exceeds) asks again after its RetryPolicy wait, the server's own wait for a 429. The owner reports how each read
// ended.
class RetryingRead : public QObject {
    Q_OBJECT
public:
    using Read = std::function<void()>;

    RetryingRead(Read read, QObject *parent);

    // The read failed for `error`: it is asked again after its wait when the error is transient; returns the wait,
    // or -1 when it is not asked again.
    int failed(const MatrixError &error);
    void succeeded();
    // The connection is gone: no read is asked again, and the next failure starts the backoff afresh.
    void stop();

    bool isWaiting() const { return m_timer.isActive(); }

private:
    Read m_read;
    QTimer m_timer;
    RetryTracker m_retries;
};
