#include "store/RosterCache.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QLoggingCategory>
#include <QStandardPaths>

using namespace Qt::Literals::StringLiterals;

Q_DECLARE_LOGGING_CATEGORY(lcCache)

namespace {
const QString suffix = u".sqlite"_s;
} // namespace

RosterCache::RosterCache(QObject *parent)
    : QObject(parent)
    , m_worker(new QObject)
    , m_database(new CacheDatabase(u"presently-roster-cache-%1"_s.arg(quintptr(this), 0, 16)))
{
    m_thread.setObjectName(u"roster cache"_s);
    m_worker->moveToThread(&m_thread);
    m_thread.start();
}

RosterCache::~RosterCache()
{
    // The connection is closed on the thread that opened it.
    QMetaObject::invokeMethod(m_worker, [database = m_database] { delete database; }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
    delete m_worker;
}

QString RosterCache::directory()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + u"/roster-cache"_s;
}

QString RosterCache::fileFor(const QString &userId)
{
    // A hash, not the ID: user IDs hold characters a file name may not, and the name says nothing of the account.
    const QByteArray hash = QCryptographicHash::hash(userId.toUtf8(), QCryptographicHash::Sha256).toHex();
    return directory() + u'/' + QString::fromLatin1(hash) + suffix;
}

CachedState RosterCache::open(const QString &userId, const QString &deviceId)
{
    QDir dir(directory());
    dir.mkpath(u"."_s);
    const QString path = fileFor(userId);
    const QStringList files = dir.entryList({u"*"_s + suffix}, QDir::Files);
    for (const QString &file : files) {
        if (dir.filePath(file) != path) {
            qCInfo(lcCache) << "cache: removing another account's cache";
            for (const QString &extra : {QString(), u"-wal"_s, u"-shm"_s})
                QFile::remove(dir.filePath(file) + extra);
        }
    }
    CachedState state;
    bool opened = false;
    QMetaObject::invokeMethod(m_worker, [&] {
        opened = m_database->open(path, userId, deviceId);
        if (opened)
            state = m_database->load();
    }, Qt::BlockingQueuedConnection);
    m_userId = opened ? userId : QString();
    return state;
}

void RosterCache::write(const RosterChanges &changes)
{
    if (!isOpen())
        return;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QMetaObject::invokeMethod(m_worker, [database = m_database, changes, now] { database->write(changes, now); });
}

void RosterCache::writeFilter(const QString &filterId, const QStringList &senders, const QByteArray &filterKey)
{
    if (!isOpen())
        return;
    QMetaObject::invokeMethod(m_worker, [database = m_database, filterId, senders, filterKey] {
        database->writeFilter(filterId, senders, filterKey);
    });
}

void RosterCache::clear()
{
    if (!isOpen())
        return;
    QMetaObject::invokeMethod(m_worker, [database = m_database] { database->clear(); });
}

void RosterCache::remove()
{
    if (!isOpen())
        return;
    QMetaObject::invokeMethod(m_worker, [database = m_database] { database->remove(); }, Qt::BlockingQueuedConnection);
    m_userId.clear();
}

void RosterCache::flush()
{
    QMetaObject::invokeMethod(m_worker, [] {}, Qt::BlockingQueuedConnection);
}
