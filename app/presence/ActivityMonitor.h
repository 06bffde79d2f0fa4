#pragma once

#include "presence/IdleSource.h"

#include <QList>
#include <QTimer>

// Watches the user's idle time and says when they become idle (no input for awayAfterMs) and active again.
// It asks the first of its sources that can answer; the order is the caller's (the desktop's own services
// first, input to the app itself last). Polling is sparse while the user is active (the next poll is when
// they could first cross the threshold) and every idlePollMs while idle, so a return is noticed quickly;
// never more often than once a second.
class ActivityMonitor : public QObject {
    Q_OBJECT
public:
    static constexpr int defaultAwayAfterMinutes = 5;
    static constexpr int defaultIdlePollMs = 2000;
    static constexpr int maxActivePollMs = 60000;

    // Takes ownership of the sources.
    explicit ActivityMonitor(const QList<IdleSource *> &sources, QObject *parent = nullptr);

    // 0 turns automatic away off (and ends an idle period).
    void setAwayAfterMs(qint64 ms);
    qint64 awayAfterMs() const { return m_awayAfterMs; }
    void setIdlePollMs(int ms) { m_idlePollMs = qMax(minPollMs, ms); }
    bool isIdle() const { return m_idle; }
    // The source that answered last, empty before the first answer.
    QString sourceName() const;

public Q_SLOTS:
    void start();
    void stop();

Q_SIGNALS:
    void idleChanged(bool idle);

private:
    static constexpr int minPollMs = 1000;

    void poll();
    void onIdleTime(qint64 idleMs);
    void onUnavailable();
    void setIdle(bool idle);
    void scheduleNextPoll(qint64 idleMs);

    QList<IdleSource *> m_sources;
    int m_current = 0;  // index of the source being asked
    qint64 m_awayAfterMs = qint64(defaultAwayAfterMinutes) * 60 * 1000;
    int m_idlePollMs = defaultIdlePollMs;
    bool m_idle = false;
    bool m_querying = false;
    QTimer m_pollTimer;
};
