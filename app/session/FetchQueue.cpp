#include "session/FetchQueue.h"

#include <QTimer>

FetchQueue::FetchQueue(int maxRunning, QObject *context, Send send, Drained drained)
    : m_maxRunning(maxRunning)
    , m_context(context)
    , m_send(std::move(send))
    , m_drained(std::move(drained))
{
}

void FetchQueue::add(const QString &key)
{
    if (m_wanted.contains(key))
        return;
    m_wanted.insert(key);
    m_queue.enqueue(key);
    sendWhatFits();
}

void FetchQueue::done(const QString &key)
{
    --m_running;
    m_wanted.remove(key);
    sendWhatFits();
    reportIfDrained();
}

void FetchQueue::succeeded(const QString &key)
{
    m_retries.succeeded(key);
    done(key);
}

int FetchQueue::retryLater(const QString &key, const MatrixError &error)
{
    --m_running;
    const int waitMs = m_retries.failed(key, error);
    // Stays wanted while it waits, so the key is not fetched twice if it is asked for again meanwhile.
    QTimer::singleShot(waitMs, m_context, [this, key, generation = m_generation] {
        if (generation != m_generation)
            return;  // cleared while waiting
        m_queue.enqueue(key);
        sendWhatFits();
    });
    sendWhatFits();
    reportIfDrained();
    return waitMs;
}

void FetchQueue::clear()
{
    ++m_generation;
    m_queue.clear();
    m_wanted.clear();
    m_running = 0;
    m_retries.clear();
}

void FetchQueue::sendWhatFits()
{
    while (m_running < m_maxRunning && !m_queue.isEmpty()) {
        ++m_running;
        m_send(m_queue.dequeue());
    }
}

void FetchQueue::reportIfDrained()
{
    if (m_drained && isDrained())
        m_drained();
}
