#pragma once

#include "store/CacheDatabase.h"

#include <QObject>
#include <QThread>

// The signed-in account's roster cache: one SQLite database per account under the XDG data directory
// (<AppDataLocation>/roster-cache/<SHA-256 of the user ID>.sqlite), used only by a worker thread that owns its
// connection. Writes are queued to it in order and never wait on the GUI thread; open() and remove() wait for
// the worker (at start there is nothing to paint before the cache, and at sign out nothing may outlive it).
class RosterCache : public QObject {
    Q_OBJECT
public:
    explicit RosterCache(QObject *parent = nullptr);
    ~RosterCache() override;

    static QString directory();
    static QString fileFor(const QString &userId);

    // Opens `userId`'s cache and reads it; other accounts' caches in the directory are deleted (one account at a time:
    // a cache left by a user who signed in elsewhere since belongs to nobody now).
    CachedState open(const QString &userId, const QString &deviceId = QString());
    bool isOpen() const { return !m_userId.isEmpty(); }
    QString userId() const { return m_userId; }

    // Queued to the worker, each one transaction.
    void write(const RosterChanges &changes);
    void writeFilter(const QString &filterId, const QStringList &senders, const QByteArray &filterKey);
    void clear();
    // Closes and deletes the open cache (sign out, another user); waits for the worker.
    void remove();
    // Waits until everything queued so far is written (tests; quitting).
    void flush();

private:
    QThread m_thread;
    QObject *m_worker;          // lives on m_thread; the context of everything run there
    CacheDatabase *m_database;  // used on m_thread only
    QString m_userId;
};
