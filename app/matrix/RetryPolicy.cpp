#include "matrix/RetryPolicy.h"

#include <QRandomGenerator>

#include <algorithm>
#include <cmath>

int RetryPolicy::Backoff::delayMs(int failures, double unitRandom) const
{
    const double exponential = firstMs * std::pow(2.0, std::clamp(failures - 1, 0, 30));
    const double capped = std::min<double>(exponential, maxMs);
    const double jittered = capped / 2 + (capped / 2) * std::clamp(unitRandom, 0.0, 1.0);
    return static_cast<int>(std::lround(jittered));
}

int RetryPolicy::delayMs(int failures, qint64 failingForMs, const MatrixError &error, double unitRandom) const
{
    if (error.isRateLimited() && error.retryAfterMs)
        return static_cast<int>(*error.retryAfterMs);  // MatrixError bounds it to minutes
    if (!error.isTransient())
        return refused.delayMs(failures, unitRandom);
    Backoff ladder = transient;
    const auto step = std::find_if(outageSteps.cbegin(), outageSteps.cend(),
                                   [failingForMs](const OutageStep &candidate) { return failingForMs < candidate.forMs; });
    if (step != outageSteps.cend())
        ladder.maxMs = std::min(ladder.maxMs, step->capMs);
    return ladder.delayMs(failures, unitRandom);
}

RetryTracker::RetryTracker(RetryPolicy policy, MonotonicClock clock)
    : m_policy(policy)
    , m_clock(orMonotonicClock(std::move(clock)))
{
}

int RetryTracker::failed(const QString &resource, const MatrixError &error)
{
    const qint64 now = m_clock();
    Failing &failing = m_failing[resource];
    if (failing.failures++ == 0)
        failing.sinceMs = now;
    const int waitMs = m_policy.delayMs(failing.failures, now - failing.sinceMs, error,
                                        QRandomGenerator::global()->generateDouble());
    failing.notBeforeMs = now + waitMs;
    return waitMs;
}

qint64 RetryTracker::remainingMs(const QString &resource) const
{
    const auto failing = m_failing.constFind(resource);
    if (failing == m_failing.cend())
        return 0;
    return std::max<qint64>(0, failing->notBeforeMs - m_clock());
}
