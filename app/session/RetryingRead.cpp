#include "session/RetryingRead.h"

#include <QString>

namespace {
// RetryTracker counts failures per resource; this class has one.
const QString resource = QStringLiteral("read");
} // namespace

RetryingRead::RetryingRead(Read read, QObject *parent)
    : QObject(parent)
    , m_read(std::move(read))
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, [this] { m_read(); });
}

int RetryingRead::failed(const MatrixError &error)
{
    if (!error.isTransient())
        return -1;
    const int waitMs = m_retries.failed(resource, error);
    m_timer.start(waitMs);
    return waitMs;
}

void RetryingRead::succeeded()
{
    m_retries.succeeded(resource);
}

void RetryingRead::stop()
{
    m_timer.stop();
    m_retries.clear();
}
