#pragma once

#include "matrix/RetryPolicy.h"

#include <QObject>
#include <QQueue>
#include <QSet>
#include <QString>

#include <functional>

// Keys (room or user IDs) to fetch, a few at a time so that a first sync does not flood the server: a key is
// wanted at most once while it is queued, running or waiting to be retried. The owner's `send` starts one fetch;
// the owner reports how each ended, which starts the next. A failure the owner wants retried waits its
// RetryPolicy time. Answers that arrive after clear() are told apart by generation().
class FetchQueue {
public:
    using Send = std::function<void(const QString &key)>;
    using Drained = std::function<void()>;

    // `context` owns the retry timers (the owner, which outlives the queue's use). `drained`, if given, is called
    // each time the last running fetch ends with nothing queued.
    FetchQueue(int maxRunning, QObject *context, Send send, Drained drained = {});

    void setRetryPolicy(const RetryPolicy &policy) { m_retries.setPolicy(policy); }

    // Queues `key` unless it is already wanted, and sends what the free slots allow.
    void add(const QString &key);
    // The fetch of `key` is over and not to be repeated (answered, or refused for good).
    void done(const QString &key);
    void succeeded(const QString &key);
    // The fetch of `key` failed and is tried again after its RetryPolicy wait (meanwhile add() does not queue it
    // twice); returns the wait.
    int retryLater(const QString &key, const MatrixError &error);

    // Nothing queued or running (a key waiting to be retried does not count: a room refused for good is retried
    // for ever, and what waits on the queue should not wait on it).
    bool isDrained() const { return m_queue.isEmpty() && m_running == 0; }

    // Forgets everything; answers to fetches started before carry an older generation().
    void clear();
    quint64 generation() const { return m_generation; }

private:
    void sendWhatFits();
    void reportIfDrained();

    int m_maxRunning;
    QObject *m_context;
    Send m_send;
    Drained m_drained;
    QQueue<QString> m_queue;
    QSet<QString> m_wanted;  // queued, running or waiting to be retried
    int m_running = 0;
    quint64 m_generation = 0;
    RetryTracker m_retries;  // per key
};
