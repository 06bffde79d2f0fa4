// The roster cache without a server: CacheDatabase on the test's thread in a QTemporaryDir (what a batch's changes
// write reads back as the roster that made them; the v1 -> v2 migration; broken files moved aside), the roster's
// export and restore, and RosterCache's worker thread and file naming.
#include "roster/Roster.h"
#include "store/CacheDatabase.h"
#include "store/RosterCache.h"
#include "SyncBatchBuilders.h"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace SyncBatchBuilders;

namespace {
const QString alice = u"@alice:example.org"_s;

// The same state whatever order hashes and queries hand it out in.
RosterChanges normalized(RosterChanges state)
{
    const auto byRoom = [](const auto &left, const auto &right) { return left.roomId < right.roomId; };
    std::sort(state.rooms.begin(), state.rooms.end(), byRoom);
    std::sort(state.members.begin(), state.members.end(), [](const MemberRecord &left, const MemberRecord &right) {
        return std::tie(left.roomId, left.userId) < std::tie(right.roomId, right.userId);
    });
    for (auto it = state.profiles.begin(); it != state.profiles.end(); ++it)
        std::sort(it->rooms.begin(), it->rooms.end(), byRoom);
    if (state.directChats) {
        for (auto it = state.directChats->begin(); it != state.directChats->end(); ++it)
            it->sort();
    }
    state.nextBatch.clear();
    return state;
}

// A roster with its model watched, whose every changed() goes to `database`.
struct WatchedRoster {
    ContactListModel model;
    QAbstractItemModelTester tester{&model, QAbstractItemModelTester::FailureReportingMode::QtTest};
    Roster roster{&model};
    WatchedRoster() { roster.setOwnUserId(alice); }
};

SyncBatch directChatsBatch(const QString &next, const QHash<QString, QStringList> &chats, QList<RoomUpdate> rooms = {},
                           QList<PresenceEvent> presenceUpdates = {})
{
    SyncBatch result = batch(next, std::move(rooms), std::move(presenceUpdates));
    result.directChats = chats;
    return result;
}

int userVersion(const QString &path)
{
    int version = -1;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"inspect"_s);
        db.setDatabaseName(path);
        if (db.open()) {
            QSqlQuery query(db);
            if (query.exec(u"PRAGMA user_version"_s) && query.next())
                version = query.value(0).toInt();
        }
    }
    QSqlDatabase::removeDatabase(u"inspect"_s);
    return version;
}
} // namespace

class RosterCacheTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void whatEachBatchWritesReadsBackAsTheRoster()
    {
        QTemporaryDir dir;
        CacheDatabase database(u"test"_s);
        QVERIFY(database.open(dir.filePath(u"cache.sqlite"_s), alice));
        WatchedRoster live;
        QObject::connect(&live.roster, &Roster::changed, [&](const RosterChanges &changes) {
            QVERIFY(database.write(changes, 42));
        });
        QSignalSpy applied(&live.roster, &Roster::batchApplied);

        live.roster.applyBatch(directChatsBatch(u"s1"_s, {{u"@bob:x"_s, {u"!dm:x"_s}}},
            {room(u"!dm:x"_s, 2, {member(alice), member(u"@bob:x"_s, Membership::Join, u"Bob"_s, u"mxc://x/b"_s)}),
             room(u"!small:x"_s, 3, {member(alice), member(u"@carol:x"_s, Membership::Join, u"Carol"_s),
                                     member(u"@dave:x"_s, Membership::Invite, u"Dave"_s)})},
            {presence(u"@bob:x"_s, Presence::Online, u"Hello"_s, 5'000), presence(u"@carol:x"_s, Presence::Unavailable)}));
        QTRY_COMPARE(applied.count(), 1);
        // Carol leaves, Bob changes his status, a large room adds members that are no contacts, Dave renames.
        live.roster.applyBatch(batch(u"s2"_s,
            {room(u"!small:x"_s, 2, {member(u"@carol:x"_s, Membership::Leave), member(u"@dave:x"_s, Membership::Join, u"Dave D"_s)}),
             room(u"!large:x"_s, 400, {member(alice), member(u"@erin:x"_s)})},
            {presence(u"@bob:x"_s, Presence::Unavailable, u"Lunch"_s, 60'000)}));
        QTRY_COMPARE(applied.count(), 2);
        live.roster.applyGlobalProfile(u"@dave:x"_s, {u"Dave Global"_s, {}});
        live.roster.applyFetchedPresence(u"@dave:x"_s, {u"offline"_s, u"Away for a week"_s, 3'600'000, false}, 1'700'000'000'000);

        const CachedState cached = database.load();
        QCOMPARE(cached.roster.nextBatch, u"s2"_s);
        QCOMPARE(cached.writtenAtMs, 42);
        QCOMPARE(normalized(cached.roster), normalized(live.roster.exportState()));
        QCOMPARE(cached.roster.presence.value(u"@dave:x"_s).lastActiveAtMs, 1'700'000'000'000 - 3'600'000);
        QVERIFY(!cached.roster.presence.contains(u"@carol:x"_s));  // no contact any more
    }

    void aLargeBatchsChangesAreRecordedInSlicesAndSentOnceBeforeItIsApplied()
    {
        WatchedRoster live;
        live.roster.setSliceBudgetMs(0);  // every step over budget: the change set too is recorded in many slices
        QList<RoomUpdate> rooms;
        for (int r = 0; r < 30; ++r)
            rooms << room(u"!r%1:x"_s.arg(r), 3, {member(alice), member(u"@a%1:x"_s.arg(r), Membership::Join, u"A"_s),
                                                  member(u"@b%1:x"_s.arg(r), Membership::Invite, u"B"_s)});
        QList<MemberChange> strangers{member(alice)};
        for (int s = 0; s < 200; ++s)
            strangers << member(u"@stranger%1:x"_s.arg(s), Membership::Join, u"S"_s);
        rooms << room(u"!large:x"_s, 201, strangers);
        QStringList order;
        QList<RosterChanges> sent;
        QObject::connect(&live.roster, &Roster::changed, [&](const RosterChanges &changes) {
            order << u"changed %1"_s.arg(changes.nextBatch);
            sent << changes;
        });
        QObject::connect(&live.roster, &Roster::batchApplied, [&](const QString &next) { order << u"applied %1"_s.arg(next); });

        live.roster.applyBatch(batch(u"s1"_s, rooms, {presence(u"@a0:x"_s, Presence::Online)}));
        QTRY_VERIFY(!live.roster.isApplying());
        QCOMPARE(order, (QStringList{u"changed s1"_s, u"applied s1"_s}));
        // Written to an empty cache, it is everything the roster holds (beside what it says nobody has: presence).
        const RosterChanges written = normalized(sent.at(0));
        const RosterChanges state = normalized(live.roster.exportState());
        QCOMPARE(written.rooms, state.rooms);
        QCOMPARE(written.members, state.members);
        QCOMPARE(written.presence, state.presence);
        QCOMPARE(written.profiles, state.profiles);
        // The large room's members are written, as exportState has them; being no contacts, nothing of them as people.
        QCOMPARE(sent.at(0).members.size(), 30 * 3 + 201);
        QVERIFY(!sent.at(0).removedPresence.contains(u"@stranger0:x"_s));
        QVERIFY(!sent.at(0).removedProfiles.contains(u"@stranger0:x"_s));
    }

    void aRoomLeftAndJoinedAgainInOneBatchLosesItsOldMembersInTheCache()
    {
        QTemporaryDir dir;
        CacheDatabase database(u"test"_s);
        QVERIFY(database.open(dir.filePath(u"cache.sqlite"_s), alice));
        WatchedRoster live;
        QObject::connect(&live.roster, &Roster::changed, [&](const RosterChanges &changes) { QVERIFY(database.write(changes, 42)); });
        live.roster.applyBatch(batch(u"s1"_s, {room(u"!r:x"_s, 3, {member(alice), member(u"@bob:x"_s), member(u"@carol:x"_s)})}));
        QTRY_VERIFY(!live.roster.isApplying());
        // New to the roster again, so its members are written whole; Carol's row from before goes.
        SyncBatch again = batch(u"s2"_s, {room(u"!r:x"_s, 2, {member(alice), member(u"@bob:x"_s)})});
        again.leftRoomIds = {u"!r:x"_s};
        live.roster.applyBatch(again);
        QTRY_VERIFY(!live.roster.isApplying());
        const CachedState cached = database.load();
        QCOMPARE(normalized(cached.roster), normalized(live.roster.exportState()));
        QCOMPARE(cached.roster.members.size(), 2);
    }

    void answersThatComeWhileALargeBatchIsAppliedAreWrittenToo()
    {
        QTemporaryDir dir;
        CacheDatabase database(u"test"_s);
        QVERIFY(database.open(dir.filePath(u"cache.sqlite"_s), alice));
        WatchedRoster live;
        live.roster.setSliceBudgetMs(0);
        QStringList positions;
        QObject::connect(&live.roster, &Roster::changed, [&](const RosterChanges &changes) {
            positions << changes.nextBatch;
            QVERIFY(database.write(changes, 42));
        });
        QList<RoomUpdate> rooms;
        for (int r = 0; r < 30; ++r)
            rooms << room(u"!r%1:x"_s.arg(r), 2, {member(alice), member(u"@a%1:x"_s.arg(r), Membership::Join, u"A"_s)});
        live.roster.applyBatch(batch(u"s1"_s, rooms));
        // Between every two slices, whatever phase they are in, an answer to a request: a global profile.
        int answers = 0;
        while (live.roster.isApplying()) {
            QCoreApplication::processEvents();
            live.roster.applyGlobalProfile(u"@a%1:x"_s.arg(answers++ % 30), {u"Global %1"_s.arg(answers), {}});
        }
        QVERIFY(answers > 30);
        QCOMPARE(positions.count(u"s1"_s), 1);
        QCOMPARE(positions.first(), u"s1"_s);  // what came after its recording began follows it, with no position
        const CachedState cached = database.load();
        QCOMPARE(cached.roster.nextBatch, u"s1"_s);
        QCOMPARE(normalized(cached.roster), normalized(live.roster.exportState()));
    }

    void aRestoredRosterShowsTheSameRowsAndAsksWhatWasUnanswered()
    {
        WatchedRoster live;
        live.roster.applyBatch(directChatsBatch(u"s1"_s, {{u"@bob:x"_s, {u"!dm:x"_s}}},
            {room(u"!dm:x"_s, 2, {member(alice), member(u"@bob:x"_s, Membership::Join, u"Bob"_s)}),
             room(u"!small:x"_s, 3, {member(alice), member(u"@carol:x"_s, Membership::Join, u"Carol"_s)})},
            {presence(u"@bob:x"_s, Presence::Online, u"Hello"_s, 5'000, true)}));
        QTRY_VERIFY(!live.roster.isApplying());

        WatchedRoster restored;
        QSignalSpy presenceNeeded(&restored.roster, &Roster::presenceNeeded);
        QSignalSpy membersNeeded(&restored.roster, &Roster::membersNeeded);
        QSignalSpy contactsChanged(&restored.roster, &Roster::contactsChanged);
        QSignalSpy changed(&restored.roster, &Roster::changed);
        restored.roster.restore(live.roster.exportState());
        QCOMPARE(restored.model.rowCount(), live.model.rowCount());
        for (int row = 0; row < live.model.rowCount(); ++row) {
            const Contact &contact = live.model.contactAt(row);
            QCOMPARE(restored.model.contactAt(restored.model.rowOf(contact.userId)), contact);
        }
        QCOMPARE(presenceNeeded.count(), 1);  // Carol: nothing known of her presence
        QCOMPARE(presenceNeeded.at(0).at(0).toString(), u"@carol:x"_s);
        QCOMPARE(membersNeeded.count(), 1);   // the small room's list never came (3 joined, 2 known)
        QCOMPARE(contactsChanged.count(), 1);
        QCOMPARE(changed.count(), 0);         // nothing new to write
        QCOMPARE(normalized(restored.roster.exportState()), normalized(live.roster.exportState()));
    }

    void aVersionOneCacheIsUpgradedKeepingItsData()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"v1.sqlite"_s);
        {
            // Version 1's schema, as an earlier build wrote it: last_active_ago relative to received_at.
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"v1"_s);
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery q(db);
            for (const QString &statement : {
                     u"CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"_s,
                     u"CREATE TABLE direct_chats (user_id TEXT NOT NULL, room_id TEXT NOT NULL, PRIMARY KEY (user_id, room_id))"_s,
                     u"CREATE TABLE rooms (room_id TEXT PRIMARY KEY, joined_count INTEGER NOT NULL, members_complete INTEGER NOT NULL)"_s,
                     u"CREATE TABLE members (room_id TEXT NOT NULL, user_id TEXT NOT NULL, membership INTEGER NOT NULL, PRIMARY KEY (room_id, user_id)) WITHOUT ROWID"_s,
                     u"CREATE TABLE presence (user_id TEXT PRIMARY KEY, presence TEXT NOT NULL, status_message TEXT NOT NULL, last_active_ago INTEGER, received_at INTEGER NOT NULL, currently_active INTEGER NOT NULL)"_s,
                     u"CREATE TABLE profiles (user_id TEXT PRIMARY KEY, shown_name TEXT NOT NULL, shown_avatar TEXT NOT NULL, has_global INTEGER NOT NULL, global_name TEXT NOT NULL, global_avatar TEXT NOT NULL)"_s,
                     u"PRAGMA user_version = 1"_s,
                     u"INSERT INTO meta VALUES ('user_id', '@alice:example.org'), ('since', 's77')"_s,
                     u"INSERT INTO direct_chats VALUES ('@bob:x', '!dm:x')"_s,
                     u"INSERT INTO rooms VALUES ('!dm:x', 2, 1)"_s,
                     u"INSERT INTO members VALUES ('!dm:x', '@alice:example.org', 0), ('!dm:x', '@bob:x', 0)"_s,
                     u"INSERT INTO presence VALUES ('@bob:x', 'unavailable', 'Lunch', 60000, 1700000000000, 0)"_s,
                     u"INSERT INTO profiles VALUES ('@bob:x', 'Bob', 'mxc://x/b', 1, 'Bob', 'mxc://x/b')"_s})
                QVERIFY2(q.exec(statement), qPrintable(statement));
        }
        QSqlDatabase::removeDatabase(u"v1"_s);

        CacheDatabase database(u"test"_s);
        QVERIFY(database.open(path, alice));
        const CachedState cached = database.load();
        QCOMPARE(cached.roster.nextBatch, u"s77"_s);
        QCOMPARE(cached.roster.members.size(), 2);
        QCOMPARE(cached.roster.directChats->value(u"@bob:x"_s), QStringList{u"!dm:x"_s});
        const PresenceState bob = cached.roster.presence.value(u"@bob:x"_s);
        QCOMPARE(bob.presence, Presence::Unavailable);
        QCOMPARE(bob.statusMessage, u"Lunch"_s);
        QCOMPARE(bob.lastActiveAtMs, 1'700'000'000'000 - 60'000);  // made absolute
        QCOMPARE(cached.roster.profiles.value(u"@bob:x"_s).shown.displayName, u"Bob"_s);
        QVERIFY(!cached.roster.profiles.value(u"@bob:x"_s).inDoubt);
        database.close();
        QCOMPARE(userVersion(path), CacheDatabase::schemaVersion);

        // And the upgraded cache paints Bob.
        WatchedRoster restored;
        restored.roster.restore(cached.roster);
        QCOMPARE(restored.model.rowCount(), 1);
        QCOMPARE(restored.model.contactAt(0).displayName, u"Bob"_s);
        QCOMPARE(restored.model.contactAt(0).state.statusMessage, u"Lunch"_s);
    }

    void brokenFilesAreMovedAsideAndStartedAnew_data()
    {
        QTest::addColumn<QByteArray>("kind");
        QTest::newRow("garbage") << QByteArray("garbage");
        QTest::newRow("foreign tables") << QByteArray("foreign");
        QTest::newRow("newer version") << QByteArray("newer");
        QTest::newRow("damaged pages") << QByteArray("damaged");
        QTest::newRow("missing table") << QByteArray("missing");
    }
    void brokenFilesAreMovedAsideAndStartedAnew()
    {
        QFETCH(QByteArray, kind);
        QTemporaryDir dir;
        const QString path = dir.filePath(u"cache.sqlite"_s);
        const auto runSql = [&](const QStringList &statements) {
            {
                QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"make"_s);
                db.setDatabaseName(path);
                QVERIFY(db.open());
                QSqlQuery q(db);
                for (const QString &statement : statements)
                    QVERIFY2(q.exec(statement), qPrintable(statement));
            }
            QSqlDatabase::removeDatabase(u"make"_s);
        };
        if (kind == "garbage") {
            QFile file(path);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(QByteArray(8192, 'x'));
        } else if (kind == "foreign") {
            runSql({u"CREATE TABLE notes (text TEXT)"_s});
        } else if (kind == "newer") {
            runSql({u"PRAGMA user_version = 99"_s});
        } else if (kind == "missing" || kind == "damaged") {
            {
                CacheDatabase database(u"make"_s);
                QVERIFY(database.open(path, alice));
                RosterChanges changes;
                changes.nextBatch = u"s1"_s;
                for (int i = 0; i < 2000; ++i)
                    changes.members.append({u"!room%1:x"_s.arg(i % 20), u"@user%1:x"_s.arg(i), Membership::Join});
                QVERIFY(database.write(changes, 1));
                if (kind == "missing")
                    QVERIFY(QSqlQuery(QSqlDatabase::database(u"make"_s)).exec(u"DROP TABLE presence"_s));
                QVERIFY(QSqlQuery(QSqlDatabase::database(u"make"_s)).exec(u"PRAGMA wal_checkpoint(TRUNCATE)"_s));
            }
            if (kind == "damaged") {
                // Overwrite the middle of the file: index and table pages no longer agree.
                QFile file(path);
                QVERIFY(file.open(QIODevice::ReadWrite));
                QVERIFY(file.size() > 16384);
                file.seek(file.size() / 2);
                file.write(QByteArray(4096, '\x5a'));
            }
        }

        CacheDatabase database(u"test"_s);
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"moved aside"_s));
        QVERIFY(database.open(path, alice));
        QVERIFY(database.isOpen());
        const CachedState cached = database.load();
        QVERIFY(cached.roster.nextBatch.isEmpty());
        QVERIFY(cached.roster.members.isEmpty());
        QVERIFY(QFile::exists(path + u".broken"_s));
        RosterChanges changes;
        changes.nextBatch = u"s9"_s;
        QVERIFY(database.write(changes, 1));  // usable again
        QCOMPARE(database.load().roster.nextBatch, u"s9"_s);
    }

    void anotherUsersCacheIsEmptied()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"cache.sqlite"_s);
        {
            CacheDatabase database(u"test"_s);
            QVERIFY(database.open(path, u"@mallory:x"_s));
            RosterChanges changes;
            changes.nextBatch = u"s1"_s;
            changes.rooms.append({u"!r:x"_s, 2, true});
            QVERIFY(database.write(changes, 1));
            QVERIFY(database.writeFilter(u"7"_s, {u"@mallory:x"_s}, "key"));
        }
        CacheDatabase database(u"test"_s);
        QVERIFY(database.open(path, alice));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"another user"_s));
        const CachedState cached = database.load();
        QVERIFY(cached.roster.nextBatch.isEmpty());
        QVERIFY(database.load().roster.rooms.isEmpty());
        QVERIFY(database.load().filterId.isEmpty());
    }

    void anotherDevicesStreamStartsOverKeepingTheFilter()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"cache.sqlite"_s);
        {
            CacheDatabase database(u"test"_s);
            QVERIFY(database.open(path, alice, u"OLDDEVICE"_s));
            RosterChanges changes;
            changes.nextBatch = u"s1"_s;
            changes.rooms.append({u"!r:x"_s, 2, true});
            QVERIFY(database.write(changes, 1));
            QVERIFY(database.writeFilter(u"7"_s, {alice}, "key"));
            QCOMPARE(database.load().roster.nextBatch, u"s1"_s);
        }
        CacheDatabase database(u"test"_s);
        QVERIFY(database.open(path, alice, u"NEWDEVICE"_s));
        const CachedState cached = database.load();
        QVERIFY(cached.roster.nextBatch.isEmpty());
        QVERIFY(database.load().roster.rooms.isEmpty());
        QCOMPARE(database.load().filterId, u"7"_s);
    }

    void theFilterAndClearKeepWhatTheyShould()
    {
        QTemporaryDir dir;
        CacheDatabase database(u"test"_s);
        QVERIFY(database.open(dir.filePath(u"cache.sqlite"_s), alice));
        QVERIFY(database.writeFilter(u"3"_s, {alice, u"@bob:x"_s}, "abc"));
        RosterChanges changes;
        changes.nextBatch = u"s1"_s;
        changes.rooms.append({u"!r:x"_s, 2, true});
        QVERIFY(database.write(changes, 5));
        CachedState cached = database.load();
        QCOMPARE(cached.filterId, u"3"_s);
        QCOMPARE(cached.filterSenders, (QStringList{alice, u"@bob:x"_s}));
        QCOMPARE(cached.filterKey, QByteArray("abc"));
        QVERIFY(database.clear());
        cached = database.load();
        QVERIFY(cached.roster.nextBatch.isEmpty());
        QVERIFY(cached.roster.rooms.isEmpty());
        QCOMPARE(cached.filterId, u"3"_s);  // the filter is the user's, whatever the stream
    }

    void theWorkerWritesInOrderAndRemoveDeletesTheFile()
    {
        RosterCache cache;
        const QString path = RosterCache::fileFor(alice);
        QVERIFY(path.startsWith(RosterCache::directory()));
        QVERIFY(!path.contains(u"alice"_s));  // a hash, not the ID
        QVERIFY(cache.open(alice).roster.nextBatch.isEmpty());
        QVERIFY(QFile::exists(path));
        for (int i = 1; i <= 50; ++i) {
            RosterChanges changes;
            changes.nextBatch = u"s%1"_s.arg(i);
            changes.presence.insert(u"@bob:x"_s, PresenceState{Presence::Online, u"online"_s, QString::number(i), 0, false});
            cache.write(changes);
        }
        cache.flush();
        {
            RosterCache again;  // another connection sees every commit
            const CachedState cached = again.open(alice);
            QCOMPARE(cached.roster.nextBatch, u"s50"_s);
            QCOMPARE(cached.roster.presence.value(u"@bob:x"_s).statusMessage, u"50"_s);
        }
        // Opening another user's cache deletes this one: one account at a time.
        RosterCache other;
        other.open(u"@bob:x"_s);
        QVERIFY(!QFile::exists(path));
        other.remove();
        QVERIFY(!QFile::exists(RosterCache::fileFor(u"@bob:x"_s)));
        QVERIFY(!other.isOpen());
    }
};

QTEST_GUILESS_MAIN(RosterCacheTest)
#include "tst_rostercache.moc"
