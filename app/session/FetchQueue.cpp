#include "session/FetchQueue.h"

void FetchQueue::add(const QString &key)
{
    if (m_wanted.contains(key))
        return;
    m_wanted.insert(key);
    m_queue.enqueue(key);
    sendWhatFits();
}

void FetchQueue::finished(const QString &key, Outcome outcome)
{
    --m_running;
    if (outcome == Outcome::Done)
        m_wanted.remove(key);
    sendWhatFits();
}

void FetchQueue::retry(const QString &key)
{
    m_queue.enqueue(key);
    sendWhatFits();
}

void FetchQueue::clear()
{
    ++m_generation;
    m_queue.clear();
    m_wanted.clear();
    m_running = 0;
}

void FetchQueue::sendWhatFits()
{
    while (m_running < m_maxRunning && !m_queue.isEmpty()) {
        ++m_running;
        m_send(m_queue.dequeue());
    }
}
