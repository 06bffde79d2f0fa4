#include "presence/ActivityMonitor.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcActivity, "presently.activity", QtInfoMsg)

ActivityMonitor::ActivityMonitor(const QList<IdleSource *> &sources, QObject *parent)
    : QObject(parent)
    , m_sources(sources)
{
    for (IdleSource *source : m_sources) {
        source->setParent(this);
        // Answers from a source that is no longer the one asked (it gave up meanwhile) are ignored.
        connect(source, &IdleSource::idleTime, this, [this, source](qint64 idleMs) {
            if (m_current < m_sources.size() && m_sources.at(m_current) == source)
                onIdleTime(idleMs);
        });
        connect(source, &IdleSource::unavailable, this, [this, source] {
            if (m_current < m_sources.size() && m_sources.at(m_current) == source)
                onUnavailable();
        });
    }
    m_pollTimer.setSingleShot(true);
    m_pollTimer.setTimerType(Qt::CoarseTimer);
    connect(&m_pollTimer, &QTimer::timeout, this, &ActivityMonitor::poll);
}

void ActivityMonitor::setAwayAfterMs(qint64 ms)
{
    m_awayAfterMs = qMax<qint64>(0, ms);
    if (m_awayAfterMs == 0)
        setIdle(false);
}

QString ActivityMonitor::sourceName() const
{
    return m_current < m_sources.size() ? m_sources.at(m_current)->name() : QString();
}

void ActivityMonitor::start()
{
    if (!m_pollTimer.isActive() && !m_querying)
        poll();
}

void ActivityMonitor::stop()
{
    m_pollTimer.stop();
    m_querying = false;
    setIdle(false);
}

void ActivityMonitor::poll()
{
    if (m_awayAfterMs == 0 || m_current >= m_sources.size())
        return;
    m_querying = true;
    m_sources.at(m_current)->query();
}

void ActivityMonitor::onIdleTime(qint64 idleMs)
{
    if (!m_querying)
        return;  // stopped meanwhile
    m_querying = false;
    setIdle(m_awayAfterMs > 0 && idleMs >= m_awayAfterMs);
    scheduleNextPoll(idleMs);
}

void ActivityMonitor::onUnavailable()
{
    qCInfo(lcActivity).noquote() << "idle time source" << m_sources.at(m_current)->name() << "is not available here";
    ++m_current;
    if (m_current < m_sources.size()) {
        qCInfo(lcActivity).noquote() << "asking" << m_sources.at(m_current)->name() << "instead";
        m_sources.at(m_current)->query();
    } else {
        m_querying = false;
        qCWarning(lcActivity) << "no idle time source answers: automatic away is off";
    }
}

void ActivityMonitor::setIdle(bool idle)
{
    if (idle == m_idle)
        return;
    m_idle = idle;
    Q_EMIT idleChanged(idle);
}

void ActivityMonitor::scheduleNextPoll(qint64 idleMs)
{
    if (m_awayAfterMs == 0)
        return;
    const qint64 untilAway = m_awayAfterMs - idleMs;
    const qint64 waitMs = m_idle ? m_idlePollMs : qBound(qint64(minPollMs), untilAway, qint64(maxActivePollMs));
    m_pollTimer.start(static_cast<int>(waitMs));
}
