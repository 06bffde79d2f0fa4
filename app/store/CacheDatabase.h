#pragma once

#include "roster/RosterChanges.h"

#include <QString>
#include <QStringList>

#include <functional>

// What one account's cache holds: the roster (its nextBatch is the stored `since`), the filter in use when it was
// written, and when the last batch was written.
struct CachedState {
    RosterChanges roster;
    QString filterId;
    QStringList filterSenders;  // the presence senders that filter lists
    QByteArray filterKey;       // a hash of the filter's JSON: the ID is reused only for the same filter
    qint64 writtenAtMs = 0;     // wall clock of the last sync batch written; 0 when none was
};

// One account's SQLite database, used from one thread only (Qt SQL's rule): the thread that calls open().
// The schema's version is PRAGMA user_version, upgraded step by step on open. WAL with synchronous=NORMAL: a
// committed transaction survives the process being killed at any moment, and each batch is one transaction with
// the `since` it brings the roster to, so what is on disk is always a whole batch and its own position.
// A file that is not a database, fails PRAGMA integrity_check, has a schema this build does not know, or cannot
// be read is moved aside (`<file>.broken`) and a new one started, with a warning: never a crash.
class CacheDatabase {
public:
    static constexpr int schemaVersion = 2;

    explicit CacheDatabase(QString connectionName);
    ~CacheDatabase();
    CacheDatabase(const CacheDatabase &) = delete;
    CacheDatabase &operator=(const CacheDatabase &) = delete;

    // Opens (or creates) the file for `userId`'s `deviceId`; load() empties a cache of another user, or of another
    // device's stream. False only when not even a new file could be made (then nothing is cached this run).
    bool open(const QString &path, const QString &userId, const QString &deviceId = QString());
    bool isOpen() const;
    void close();
    // Closes and deletes the file with its WAL and shared-memory files.
    void remove();

    // The stored state; an unreadable one is moved aside and comes back empty.
    CachedState load();
    // Each in one transaction. False (and logged) when it could not be written.
    bool write(const RosterChanges &changes, qint64 writtenAtMs);
    bool writeFilter(const QString &filterId, const QStringList &senders, const QByteArray &key);
    // Empties every table but the filter's (a new device's stream starts over) and keeps the file.
    bool clear();

private:
    bool openFile();
    bool usable();
    bool createSchema();
    bool migrate(int fromVersion);
    bool migrateFrom1();
    void moveAside(const QString &why);
    bool exec(const QString &statement);
    bool writeInTransaction(const std::function<bool()> &work);

    QString m_connectionName;
    QString m_path;
    QString m_userId;
    QString m_deviceId;
};
