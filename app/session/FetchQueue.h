#pragma once

#include <QQueue>
#include <QSet>
#include <QString>

#include <functional>

// Keys (room or user IDs) to fetch, a few at a time so that a first sync does not flood the server: a key is
// wanted at most once while it is queued, running or waiting to be retried. The owner's `send` starts one fetch;
// the owner reports each end with finished(), which starts the next. Answers that arrive after clear() are told
// apart by generation().
class FetchQueue {
public:
    using Send = std::function<void(const QString &key)>;

    FetchQueue(int maxRunning, Send send) : m_maxRunning(maxRunning), m_send(std::move(send)) {}

    // Queues `key` unless it is already wanted, and sends what the free slots allow.
    void add(const QString &key);
    // The fetch of `key` is over: its slot frees, and the key is forgotten unless it is to be retried (then
    // retry() queues it again later; meanwhile add() does not queue it twice).
    enum class Outcome : quint8 { Done, WillRetry };
    void finished(const QString &key, Outcome outcome);
    void retry(const QString &key);

    // Forgets everything; answers to fetches started before carry an older generation().
    void clear();
    quint64 generation() const { return m_generation; }

private:
    void sendWhatFits();

    int m_maxRunning;
    Send m_send;
    QQueue<QString> m_queue;
    QSet<QString> m_wanted;  // queued, running or waiting to be retried
    int m_running = 0;
    quint64 m_generation = 0;
};
