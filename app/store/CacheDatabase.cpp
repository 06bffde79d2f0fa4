#include "store/CacheDatabase.h"

#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>

using namespace Qt::Literals::StringLiterals;

Q_LOGGING_CATEGORY(lcCache, "presently.cache", QtInfoMsg)

namespace {
// Schema version 2. Text values may be NULL: an empty QString binds as NULL and reads back empty. (Version 1 kept presence's last_active_ago relative to a received_at column, had no
// per-room names and no in_doubt: migrateFrom1 turns it into this.)
const char *const schemaStatements[] = {
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)",
    "CREATE TABLE direct_chats (user_id TEXT NOT NULL, room_id TEXT NOT NULL, PRIMARY KEY (user_id, room_id))",
    "CREATE TABLE rooms (room_id TEXT PRIMARY KEY, joined_count INTEGER NOT NULL, members_complete INTEGER NOT NULL)",
    "CREATE TABLE members (room_id TEXT NOT NULL, user_id TEXT NOT NULL, membership INTEGER NOT NULL,"
    " PRIMARY KEY (room_id, user_id)) WITHOUT ROWID",
    "CREATE TABLE presence (user_id TEXT PRIMARY KEY, presence TEXT, status_message TEXT,"
    " last_active_at INTEGER NOT NULL, currently_active INTEGER NOT NULL)",
    "CREATE TABLE profiles (user_id TEXT PRIMARY KEY, shown_name TEXT, shown_avatar TEXT,"
    " has_global INTEGER NOT NULL, global_name TEXT, global_avatar TEXT,"
    " in_doubt INTEGER NOT NULL DEFAULT 0)",
    "CREATE TABLE room_profiles (user_id TEXT NOT NULL, room_id TEXT NOT NULL, display_name TEXT,"
    " avatar_url TEXT, PRIMARY KEY (user_id, room_id)) WITHOUT ROWID",
};

const QString sinceKey = u"since"_s;
const QString userKey = u"user_id"_s;
const QString deviceKey = u"device_id"_s;
const QString filterIdKey = u"filter_id"_s;
const QString filterSendersKey = u"filter_senders"_s;
const QString filterKeyKey = u"filter_key"_s;
const QString writtenAtKey = u"written_at"_s;

QString describe(const QSqlError &error)
{
    return error.text().isEmpty() ? u"unknown error"_s : error.text();
}

// A query on `db` whose failure is logged with what it was for.
class Statement {
public:
    Statement(const QSqlDatabase &db, const QString &sql)
        : m_query(db)
    {
        m_query.setForwardOnly(true);
        m_ok = m_query.prepare(sql);
        if (!m_ok)
            qCWarning(lcCache).noquote() << "cache: could not prepare" << sql << ":" << describe(m_query.lastError());
    }
    bool run(const QVariantList &values)
    {
        if (!m_ok)
            return false;
        for (int i = 0; i < values.size(); ++i)
            m_query.bindValue(i, values.at(i));
        if (m_query.exec())
            return true;
        qCWarning(lcCache).noquote() << "cache: write failed:" << describe(m_query.lastError());
        return false;
    }

private:
    QSqlQuery m_query;
    bool m_ok = false;
};

QString encodeSenders(const QStringList &senders)
{
    return QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(senders)).toJson(QJsonDocument::Compact));
}

QStringList decodeSenders(const QString &text)
{
    QStringList senders;
    for (const QJsonValue &value : QJsonDocument::fromJson(text.toUtf8()).array())
        senders.append(value.toString());
    return senders;
}
} // namespace

CacheDatabase::CacheDatabase(QString connectionName)
    : m_connectionName(std::move(connectionName))
{
}

CacheDatabase::~CacheDatabase()
{
    close();
}

bool CacheDatabase::isOpen() const
{
    return QSqlDatabase::contains(m_connectionName) && QSqlDatabase::database(m_connectionName, false).isOpen();
}

void CacheDatabase::close()
{
    if (!QSqlDatabase::contains(m_connectionName))
        return;
    {
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        db.close();
    }
    QSqlDatabase::removeDatabase(m_connectionName);
}

void CacheDatabase::remove()
{
    close();
    if (m_path.isEmpty())
        return;
    for (const QString &suffix : {QString(), u"-wal"_s, u"-shm"_s})
        QFile::remove(m_path + suffix);
    qCInfo(lcCache) << "cache removed";
    m_path.clear();
}

bool CacheDatabase::open(const QString &path, const QString &userId, const QString &deviceId)
{
    close();
    m_path = path;
    m_userId = userId;
    m_deviceId = deviceId;
    if (openFile() && usable())
        return true;
    moveAside(u"it could not be opened as this version's cache"_s);
    return openFile() && usable();
}

bool CacheDatabase::openFile()
{
    QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_connectionName);
    db.setDatabaseName(m_path);
    db.setConnectOptions(u"QSQLITE_BUSY_TIMEOUT=5000"_s);
    if (!db.open()) {
        qCWarning(lcCache).noquote() << "cache: could not open" << m_path << ":" << describe(db.lastError());
        return false;
    }
    return true;
}

bool CacheDatabase::usable()
{
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    QSqlQuery check(db);
    // A file that is not a database fails here ("file is not a database"), a damaged one answers with its faults.
    if (!check.exec(u"PRAGMA integrity_check"_s) || !check.next() || check.value(0).toString() != "ok"_L1) {
        qCWarning(lcCache).noquote() << "cache: integrity check failed:"
                                     << (check.lastError().isValid() ? describe(check.lastError()) : check.value(0).toString());
        return false;
    }
    check.finish();
    // Per connection (journal_mode=WAL stays in the file, synchronous does not): set on every open.
    if (!exec(u"PRAGMA journal_mode=WAL"_s) || !exec(u"PRAGMA synchronous=NORMAL"_s))
        return false;
    QSqlQuery version(db);
    if (!version.exec(u"PRAGMA user_version"_s) || !version.next())
        return false;
    const int found = version.value(0).toInt();
    version.finish();
    if (found == schemaVersion)
        return true;
    if (found == 0) {
        QSqlQuery tables(db);
        if (!tables.exec(u"SELECT count(*) FROM sqlite_master"_s) || !tables.next())
            return false;
        if (tables.value(0).toInt() != 0) {
            qCWarning(lcCache) << "cache: the file holds tables of no known schema";
            return false;
        }
        return createSchema();
    }
    if (found > schemaVersion) {
        qCWarning(lcCache) << "cache: schema version" << found << "is newer than this build's" << schemaVersion;
        return false;
    }
    return migrate(found);
}

bool CacheDatabase::createSchema()
{
    return writeInTransaction([this] {
        for (const char *statement : schemaStatements) {
            if (!exec(QString::fromLatin1(statement)))
                return false;
        }
        return exec(u"PRAGMA user_version = %1"_s.arg(schemaVersion));
    });
}

bool CacheDatabase::migrate(int fromVersion)
{
    qCInfo(lcCache) << "cache: upgrading the schema from version" << fromVersion << "to" << schemaVersion;
    // One step per version, each in its own transaction with the version it reaches.
    for (int version = fromVersion; version < schemaVersion; ++version) {
        bool stepped = false;
        switch (version) {
        case 1:
            stepped = writeInTransaction([this] { return migrateFrom1() && exec(u"PRAGMA user_version = 2"_s); });
            break;
        default:
            break;
        }
        if (!stepped) {
            qCWarning(lcCache) << "cache: the upgrade from version" << version << "failed";
            return false;
        }
    }
    return true;
}

bool CacheDatabase::migrateFrom1()
{
    // Version 1 stored last_active_ago with the wall-clock time it was received: made absolute here, as design.md
    // asks of every last-active time. It had neither per-room names nor the in_doubt flag: without them, names
    // are what the rows showed, and nothing is in doubt.
    return exec(u"CREATE TABLE presence_v2 (user_id TEXT PRIMARY KEY, presence TEXT, status_message TEXT,"
                " last_active_at INTEGER NOT NULL, currently_active INTEGER NOT NULL)"_s)
        && exec(u"INSERT INTO presence_v2 SELECT user_id, presence, status_message,"
                " CASE WHEN last_active_ago IS NULL THEN 0 ELSE max(received_at - last_active_ago, 0) END,"
                " currently_active FROM presence"_s)
        && exec(u"DROP TABLE presence"_s) && exec(u"ALTER TABLE presence_v2 RENAME TO presence"_s)
        && exec(u"ALTER TABLE profiles ADD COLUMN in_doubt INTEGER NOT NULL DEFAULT 0"_s)
        && exec(QString::fromLatin1(schemaStatements[6]));
}

void CacheDatabase::moveAside(const QString &why)
{
    close();
    const QString aside = m_path + u".broken"_s;
    qCWarning(lcCache).noquote() << "cache:" << m_path << "moved aside to" << aside << "and started anew:" << why;
    QFile::remove(aside);
    if (!QFile::rename(m_path, aside))
        QFile::remove(m_path);
    QFile::remove(m_path + u"-wal"_s);
    QFile::remove(m_path + u"-shm"_s);
}

bool CacheDatabase::exec(const QString &statement)
{
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    if (query.exec(statement))
        return true;
    qCWarning(lcCache).noquote() << "cache: failed:" << statement << ":" << describe(query.lastError());
    return false;
}

bool CacheDatabase::writeInTransaction(const std::function<bool()> &work)
{
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    if (!db.isOpen() || !db.transaction())
        return false;
    if (work() && db.commit())
        return true;
    db.rollback();
    return false;
}

CachedState CacheDatabase::load()
{
    CachedState state;
    if (!isOpen())
        return state;
    bool readable = true;
    const auto select = [&](const QString &sql, const std::function<void(const QSqlQuery &)> &row) {
        QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
        query.setForwardOnly(true);
        if (!query.exec(sql)) {
            qCWarning(lcCache).noquote() << "cache: could not read:" << describe(query.lastError());
            readable = false;
            return;
        }
        while (query.next())
            row(query);
    };
    QHash<QString, QString> meta;
    select(u"SELECT key, value FROM meta"_s, [&](const QSqlQuery &q) { meta.insert(q.value(0).toString(), q.value(1).toString()); });
    if (readable && !meta.isEmpty() && meta.value(userKey) != m_userId) {
        qCWarning(lcCache) << "cache: the file belongs to another user; emptied";
        clear();
        exec(u"DELETE FROM meta"_s);  // the filter too: Synapse numbers filters per user
        return state;
    }
    if (readable && meta.contains(sinceKey) && meta.value(deviceKey) != m_deviceId) {
        // Another device's stream (a new sign-in): its position means nothing here; the filter is the user's.
        qCInfo(lcCache) << "cache: written by another device of this user; the stream starts over";
        clear();
        return state;
    }
    QHash<QString, QStringList> directChats;
    select(u"SELECT user_id, room_id FROM direct_chats"_s, [&](const QSqlQuery &q) {
        directChats[q.value(0).toString()].append(q.value(1).toString());
    });
    select(u"SELECT room_id, joined_count, members_complete FROM rooms"_s, [&](const QSqlQuery &q) {
        state.roster.rooms.append({q.value(0).toString(), q.value(1).toInt(), q.value(2).toBool()});
    });
    select(u"SELECT room_id, user_id, membership FROM members"_s, [&](const QSqlQuery &q) {
        const int membership = q.value(2).toInt();
        if (membership == int(Membership::Join) || membership == int(Membership::Invite))
            state.roster.members.append({q.value(0).toString(), q.value(1).toString(), Membership(membership)});
    });
    select(u"SELECT user_id, presence, status_message, last_active_at, currently_active FROM presence"_s, [&](const QSqlQuery &q) {
        PresenceContent content;
        content.presence = q.value(1).toString();
        content.statusMessage = q.value(2).toString();
        content.currentlyActive = q.value(4).toBool();
        PresenceState presence = PresenceState::fromWire(content, 0);
        presence.lastActiveAtMs = q.value(3).toLongLong();
        state.roster.presence.insert(q.value(0).toString(), presence);
    });
    select(u"SELECT user_id, shown_name, shown_avatar, has_global, global_name, global_avatar, in_doubt FROM profiles"_s,
           [&](const QSqlQuery &q) {
               PersonProfiles profiles;
               profiles.shown = {q.value(1).toString(), q.value(2).toString()};
               if (q.value(3).toBool())
                   profiles.global = Profile{q.value(4).toString(), q.value(5).toString()};
               profiles.inDoubt = q.value(6).toBool();
               state.roster.profiles.insert(q.value(0).toString(), profiles);
           });
    select(u"SELECT user_id, room_id, display_name, avatar_url FROM room_profiles ORDER BY user_id, room_id"_s,
           [&](const QSqlQuery &q) {
               const auto person = state.roster.profiles.find(q.value(0).toString());
               if (person != state.roster.profiles.end())
                   person->rooms.append({q.value(1).toString(), {q.value(2).toString(), q.value(3).toString()}});
           });
    if (!readable) {
        // A file that opened but cannot be read as this schema (tables missing or altered).
        moveAside(u"its tables could not be read"_s);
        if (openFile() && usable())
            qCInfo(lcCache) << "cache: started anew";
        return {};
    }
    state.roster.directChats = directChats;
    state.roster.nextBatch = meta.value(sinceKey);
    state.filterId = meta.value(filterIdKey);
    state.filterSenders = decodeSenders(meta.value(filterSendersKey));
    state.filterKey = meta.value(filterKeyKey).toLatin1();
    state.writtenAtMs = meta.value(writtenAtKey).toLongLong();
    return state;
}

bool CacheDatabase::write(const RosterChanges &changes, qint64 writtenAtMs)
{
    const QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    const bool written = writeInTransaction([&] {
        bool ok = true;
        Statement setMeta(db, u"INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)"_s);
        ok = ok && setMeta.run({userKey, m_userId});
        if (changes.directChats) {
            ok = ok && exec(u"DELETE FROM direct_chats"_s);
            Statement insert(db, u"INSERT OR IGNORE INTO direct_chats (user_id, room_id) VALUES (?, ?)"_s);
            for (auto it = changes.directChats->cbegin(); ok && it != changes.directChats->cend(); ++it) {
                for (const QString &roomId : it.value())
                    ok = ok && insert.run({it.key(), roomId});
            }
        }
        if (!changes.removedRoomIds.isEmpty()) {
            Statement room(db, u"DELETE FROM rooms WHERE room_id = ?"_s);
            Statement members(db, u"DELETE FROM members WHERE room_id = ?"_s);
            for (const QString &roomId : changes.removedRoomIds)
                ok = ok && room.run({roomId}) && members.run({roomId});
        }
        if (!changes.rooms.isEmpty()) {
            Statement room(db, u"INSERT OR REPLACE INTO rooms (room_id, joined_count, members_complete) VALUES (?, ?, ?)"_s);
            for (const RoomRecord &record : changes.rooms)
                ok = ok && room.run({record.roomId, record.joinedCount, record.membersComplete ? 1 : 0});
        }
        if (!changes.members.isEmpty()) {
            Statement member(db, u"INSERT OR REPLACE INTO members (room_id, user_id, membership) VALUES (?, ?, ?)"_s);
            for (const MemberRecord &record : changes.members)
                ok = ok && member.run({record.roomId, record.userId, int(record.membership)});
        }
        if (!changes.removedMembers.isEmpty()) {
            Statement member(db, u"DELETE FROM members WHERE room_id = ? AND user_id = ?"_s);
            for (const MemberRecord &record : changes.removedMembers)
                ok = ok && member.run({record.roomId, record.userId});
        }
        if (!changes.presence.isEmpty()) {
            Statement presence(db, u"INSERT OR REPLACE INTO presence (user_id, presence, status_message, last_active_at,"
                                   " currently_active) VALUES (?, ?, ?, ?, ?)"_s);
            for (auto it = changes.presence.cbegin(); ok && it != changes.presence.cend(); ++it)
                ok = presence.run({it.key(), it->rawPresence, it->statusMessage, it->lastActiveAtMs, it->currentlyActive ? 1 : 0});
        }
        if (!changes.removedPresence.isEmpty()) {
            Statement presence(db, u"DELETE FROM presence WHERE user_id = ?"_s);
            for (const QString &userId : changes.removedPresence)
                ok = ok && presence.run({userId});
        }
        if (!changes.profiles.isEmpty() || !changes.removedProfiles.isEmpty()) {
            Statement profile(db, u"INSERT OR REPLACE INTO profiles (user_id, shown_name, shown_avatar, has_global,"
                                  " global_name, global_avatar, in_doubt) VALUES (?, ?, ?, ?, ?, ?, ?)"_s);
            Statement removeProfile(db, u"DELETE FROM profiles WHERE user_id = ?"_s);
            Statement removeRooms(db, u"DELETE FROM room_profiles WHERE user_id = ?"_s);
            Statement inRoom(db, u"INSERT OR REPLACE INTO room_profiles (user_id, room_id, display_name, avatar_url)"
                                 " VALUES (?, ?, ?, ?)"_s);
            for (auto it = changes.profiles.cbegin(); ok && it != changes.profiles.cend(); ++it) {
                const Profile global = it->global.value_or(Profile{});
                ok = profile.run({it.key(), it->shown.displayName, it->shown.avatarUrl, it->global ? 1 : 0,
                                  global.displayName, global.avatarUrl, it->inDoubt ? 1 : 0})
                  && removeRooms.run({it.key()});
                for (const PersonProfiles::InRoom &room : it->rooms)
                    ok = ok && inRoom.run({it.key(), room.roomId, room.profile.displayName, room.profile.avatarUrl});
            }
            for (const QString &userId : changes.removedProfiles)
                ok = ok && removeProfile.run({userId}) && removeRooms.run({userId});
        }
        if (!changes.nextBatch.isEmpty()) {
            // The position goes with the data it is the position of: both or neither reach the disk.
            ok = ok && setMeta.run({sinceKey, changes.nextBatch}) && setMeta.run({deviceKey, m_deviceId})
              && setMeta.run({writtenAtKey, QString::number(writtenAtMs)});
        }
        return ok;
    });
    if (!written)
        qCWarning(lcCache) << "cache: a batch could not be written; the next start may sync from an earlier position";
    return written;
}

bool CacheDatabase::writeFilter(const QString &filterId, const QStringList &senders, const QByteArray &key)
{
    const QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    return writeInTransaction([&] {
        Statement setMeta(db, u"INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)"_s);
        return setMeta.run({userKey, m_userId}) && setMeta.run({filterIdKey, filterId})
            && setMeta.run({filterSendersKey, encodeSenders(senders)}) && setMeta.run({filterKeyKey, QString::fromLatin1(key)});
    });
}

bool CacheDatabase::clear()
{
    return writeInTransaction([this] {
        // The filter stays: it is the user's, whatever the device (Account::resetStream).
        if (!exec(u"DELETE FROM meta WHERE key NOT IN ('%1', '%2', '%3', '%4')"_s.arg(userKey, filterIdKey, filterSendersKey, filterKeyKey)))
            return false;
        for (const char *table : {"direct_chats", "rooms", "members", "presence", "profiles", "room_profiles"}) {
            if (!exec(u"DELETE FROM %1"_s.arg(QLatin1StringView(table))))
                return false;
        }
        return true;
    });
}
