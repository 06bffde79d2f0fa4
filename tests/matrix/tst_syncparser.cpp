// parseSync(): realistic Synapse bodies, and every kind of bad input a server or a proxy can send.
#include "matrix/SyncParser.h"
#include "presence/Presence.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

#include <thread>

using namespace Qt::Literals::StringLiterals;

namespace {

QByteArray fixture(const QString &name)
{
    QFile file(QStringLiteral(PRESENTLY_FIXTURES_DIR) + u"/sync/"_s + name);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing fixture %s", qPrintable(name));
    return file.readAll();
}

const RoomUpdate *room(const SyncBatch &batch, const QString &roomId)
{
    for (const RoomUpdate &update : batch.joinedRooms)
        if (update.roomId == roomId)
            return &update;
    return nullptr;
}

const PresenceEvent *presenceOf(const SyncBatch &batch, const QString &userId)
{
    for (const PresenceEvent &update : batch.presence)
        if (update.userId == userId)
            return &update;
    return nullptr;
}

// Presence events whose state is none Presently knows: kept as they are, shown as "unknown".
int unrecognisedPresence(const SyncBatch &batch)
{
    return static_cast<int>(std::ranges::count_if(batch.presence, [](const PresenceEvent &event) {
        return presenceFromWire(event.content.presence) == Presence::Unknown;
    }));
}

} // namespace

class SyncParserTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void aRealisticInitialSync();
    void badEventsAreSkippedAndCountedTheRestIsKept();
    void heroesThatAreNotAllUserIdsAreDropped();
    void bodiesThatAreNotASyncResponseAreErrors_data();
    void bodiesThatAreNotASyncResponseAreErrors();
    void malformedLiteralsAreErrorsNotCrashes_data();
    void malformedLiteralsAreErrorsNotCrashes();
    void aByteOrderMarkIsAccepted();
    void theResultDependsOnlyOnTheBody();
    void hugeStringsAndHostileNamesAreKeptVerbatim();
    void escapedStringsAreUnescaped();
    void aBodyWithoutSpareCapacityParses();
    void theParserIsReusableAfterAnError();
    void smallBodiesAfterALargeOneParse();
    void deepNestingIsSkippedWithoutRecursion();
    void deepNestingWhereAnEventBelongsIsAnError();
    void invitedRoomsCarryTheirMemberEvents();
    void theRosterAccountDataIsKeptWhole();
};

// moc 6.4 cannot read raw string literals holding braces, so it sees only the declarations above.
#ifndef Q_MOC_RUN

void SyncParserTest::aRealisticInitialSync()
{
    const SyncParseResult result = parseSync(fixture(u"initial.json"_s));
    QVERIFY2(result.batch, qPrintable(result.error));
    const SyncBatch &batch = *result.batch;
    QCOMPARE(batch.nextBatch, u"s72595_4483_1934"_s);
    QCOMPARE(batch.skippedEvents, 0);
    QCOMPARE(unrecognisedPresence(batch), 0);

    QCOMPARE(batch.presence.size(), 4);
    const PresenceEvent *bob = presenceOf(batch, u"@bob:example.org"_s);
    QVERIFY(bob);
    QCOMPARE(presenceFromWire(bob->content.presence), Presence::Online);
    QCOMPARE(bob->content.statusMessage, u"Making cupcakes"_s);
    QCOMPARE(bob->content.lastActiveAgoMs, std::optional<qint64>(2478593));
    QVERIFY(bob->content.currentlyActive);
    QVERIFY(!bob->displayName.has_value());  // Synapse does not send profile fields in presence
    const PresenceEvent *dave = presenceOf(batch, u"@dave:example.org"_s);  // keys in another order
    QCOMPARE(presenceFromWire(dave->content.presence), Presence::Offline);
    QVERIFY(dave->content.statusMessage.isEmpty());
    QVERIFY(!dave->content.lastActiveAgoMs.has_value());
    const PresenceEvent *erin = presenceOf(batch, u"@erin:example.org"_s);
    QCOMPARE(presenceFromWire(erin->content.presence), Presence::Busy);
    QCOMPARE(erin->content.presence, u"org.matrix.msc3026.busy"_s);
    QCOMPARE(erin->displayName, std::optional<QString>(u"Erin"_s));
    QCOMPARE(erin->avatarUrl, std::optional<QString>(u"mxc://example.org/erin"_s));

    QVERIFY(batch.directChats);
    QCOMPARE(batch.directChats->value(u"@bob:example.org"_s), QStringList{u"!dm-bob:example.org"_s});
    QCOMPARE(batch.directChats->value(u"@erin:example.org"_s).size(), 2);

    QCOMPARE(batch.joinedRooms.size(), 2);
    const RoomUpdate *dm = room(batch, u"!dm-bob:example.org"_s);
    QVERIFY(dm);
    QCOMPARE(dm->joinedMemberCount, std::optional<int>(2));
    QCOMPARE(dm->invitedMemberCount, std::optional<int>(0));
    QCOMPARE(dm->heroes, std::optional<QStringList>(QStringList{u"@bob:example.org"_s}));
    QVERIFY(!dm->timelineLimited);
    // State first (although it comes after the timeline in the body), then the timeline's profile change.
    QCOMPARE(dm->memberChanges.size(), 3);
    QCOMPARE(dm->memberChanges.at(0).userId, u"@me:example.org"_s);
    QCOMPARE(dm->memberChanges.at(1).displayName, u"Bobby"_s);
    QVERIFY(dm->memberChanges.at(1).avatarUrl.isEmpty());
    QCOMPARE(dm->memberChanges.at(2).displayName, u"Bob"_s);
    QCOMPARE(dm->memberChanges.at(2).avatarUrl, u"mxc://example.org/bob2"_s);

    const RoomUpdate *team = room(batch, u"!team:example.org"_s);
    QVERIFY(team->timelineLimited);
    QCOMPARE(team->joinedMemberCount, std::optional<int>(4));
    QVERIFY(!team->invitedMemberCount.has_value());
    QVERIFY(!team->heroes.has_value());
    const QList<Membership> expected{Membership::Join, Membership::Invite, Membership::Leave, Membership::Ban,
                                     Membership::Knock};
    QCOMPARE(team->memberChanges.size(), expected.size());  // m.room.create is not a member event
    for (int i = 0; i < expected.size(); ++i)
        QCOMPARE(team->memberChanges.at(i).membership, expected.at(i));

    QCOMPARE(batch.leftRoomIds, QStringList{u"!old:example.org"_s});
}

void SyncParserTest::badEventsAreSkippedAndCountedTheRestIsKept()
{
    const SyncParseResult result = parseSync(fixture(u"wrong-types.json"_s));
    QVERIFY2(result.batch, qPrintable(result.error));
    const SyncBatch &batch = *result.batch;
    QCOMPARE(batch.skippedEvents, 19);
    QCOMPARE(batch.presence.size(), 3);
    QCOMPARE(batch.presence.at(0).userId, u"@ok:x"_s);
    const PresenceEvent *weird = presenceOf(batch, u"@weird:x"_s);
    QVERIFY(weird);
    QCOMPARE(presenceFromWire(weird->content.presence), Presence::Unknown);
    QCOMPARE(weird->content.presence, u"dnd"_s);
    QCOMPARE(unrecognisedPresence(batch), 1);
    QCOMPARE(presenceOf(batch, u"@neg:x"_s)->content.lastActiveAgoMs, std::optional<qint64>(0));
    QVERIFY(!batch.directChats);  // the malformed m.direct is dropped, not half-applied
    QCOMPARE(batch.joinedRooms.size(), 1);
    QCOMPARE(batch.joinedRooms.at(0).memberChanges.size(), 1);
    QCOMPARE(batch.joinedRooms.at(0).memberChanges.at(0).userId, u"@ok:x"_s);
    QVERIFY(!batch.joinedRooms.at(0).joinedMemberCount.has_value());
    QVERIFY(!batch.joinedRooms.at(0).timelineLimited);
}

void SyncParserTest::heroesThatAreNotAllUserIdsAreDropped()
{
    // Half a list could prove a wrong member list (Roster::joinedProvenBy): the roster gets none.
    const SyncParseResult result = parseSync(R"({"next_batch": "s", "rooms": {"join": {
        "!a:x": {"summary": {"m.heroes": ["@b:x", 7], "m.joined_member_count": 2}},
        "!b:x": {"summary": {"m.heroes": {"@b:x": true}, "m.joined_member_count": 2}},
        "!c:x": {"summary": {"m.heroes": [], "m.joined_member_count": 1}}}}})");
    QVERIFY2(result.batch, qPrintable(result.error));
    const SyncBatch &batch = *result.batch;
    QVERIFY(!room(batch, u"!a:x"_s)->heroes.has_value());
    QVERIFY(!room(batch, u"!b:x"_s)->heroes.has_value());
    QCOMPARE(room(batch, u"!c:x"_s)->heroes, std::optional<QStringList>(QStringList{}));
    QCOMPARE(room(batch, u"!a:x"_s)->joinedMemberCount, std::optional<int>(2));
}

void SyncParserTest::bodiesThatAreNotASyncResponseAreErrors_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("not JSON") << QByteArray("<html><body>502 Bad Gateway</body></html>");
    QTest::newRow("truncated") << fixture(u"initial.json"_s).left(700);
    QTest::newRow("top-level array") << QByteArray(R"([{"next_batch":"s1"}])");
    QTest::newRow("top-level string") << QByteArray(R"("next_batch")");
    QTest::newRow("no next_batch") << QByteArray(R"({"presence":{"events":[]}})");
    QTest::newRow("next_batch not a string") << QByteArray(R"({"next_batch":12})");
    QTest::newRow("NUL bytes") << QByteArray("{\"next_batch\":\"s1\"\0\0\0}", 23);
    QByteArray invalidUtf8 = R"({"next_batch":"s1","presence":{"events":[{"type":"m.presence","sender":"@)";
    invalidUtf8 += "\xff\xfe\xc3\x28";
    invalidUtf8 += R"(:x","content":{"presence":"online"}}]}})";
    QTest::newRow("invalid UTF-8") << invalidUtf8;
    QTest::newRow("a stray brace after the object") << QByteArray(R"({"next_batch":"s1"}})");
    QTest::newRow("two documents") << QByteArray(R"({"next_batch":"s1"} {"next_batch":"s2"})");
    QTest::newRow("trailing garbage") << QByteArray(R"({"next_batch":"s1"}<html>)");
    // Malformed where nothing is read: the body is still not JSON.
    QTest::newRow("a bad literal nobody reads") << QByteArray(R"({"next_batch":"s1","x":nul})");
    QTest::newRow("a missing comma nobody reads") << QByteArray(R"({"next_batch":"s1","x":[1,2 3]})");
    QTest::newRow("a missing colon nobody reads") << QByteArray(R"({"next_batch":"s1","x":{"a" 1}})");
    QTest::newRow("a bad escape nobody reads") << QByteArray(R"({"next_batch":"s1","x":"bad\q"})");
    QTest::newRow("a bad number nobody reads") << QByteArray(R"({"next_batch":"s1","x":1.2.3})");
    QTest::newRow("a bad literal in an event's unread field") << QByteArray(
        R"({"next_batch":"s","presence":{"events":[{"type":"m.presence","sender":"@a:x","unsigned":tru,)"
        R"("content":{"presence":"online"}}]}})");
}

void SyncParserTest::malformedLiteralsAreErrorsNotCrashes_data()
{
    // Each was an exception out of parseSync() (simdjson's is_null() converted to bool), rethrown on the GUI
    // thread: one byte from a proxy ended Presently.
    QTest::addColumn<QByteArray>("body");
    const auto presenceWith = [](const QByteArray &field, const QByteArray &literal) {
        return R"({"next_batch":"s","presence":{"events":[{"type":"m.presence","sender":"@a:x","content":{"presence":"online",")"
               + field + R"(":)" + literal + "}}]}}";
    };
    QTest::newRow("status_msg nul") << presenceWith("status_msg", "nul");
    QTest::newRow("status_msg nulll") << presenceWith("status_msg", "nulll");
    QTest::newRow("displayname n") << presenceWith("displayname", "n");
    QTest::newRow("avatar_url NULL") << presenceWith("avatar_url", "NULL");
    QTest::newRow("currently_active tru") << presenceWith("currently_active", "tru");
    QTest::newRow("member displayname nul") << QByteArray(
        R"({"next_batch":"s","rooms":{"join":{"!r:x":{"state":{"events":[{"type":"m.room.member","state_key":"@b:x",)"
        R"("content":{"membership":"join","displayname":nul}}]}}}}})");
}

void SyncParserTest::malformedLiteralsAreErrorsNotCrashes()
{
    QFETCH(QByteArray, body);
    const SyncParseResult result = parseSync(body);  // returns: nothing is thrown
    // Not JSON: the whole body is refused, never read as if the literal were null.
    QVERIFY(!result.batch);
    QVERIFY(!result.error.isEmpty());
}

void SyncParserTest::aByteOrderMarkIsAccepted()
{
    const SyncParseResult result = parseSync("\xEF\xBB\xBF" R"({"next_batch":"bom"})");
    QVERIFY2(result.batch, qPrintable(result.error));
    QCOMPARE(result.batch->nextBatch, u"bom"_s);
}

void SyncParserTest::theResultDependsOnlyOnTheBody()
{
    // A long body, then one that is its beginning: the padding the second is read with must not hold the rest of
    // the first. Parsed fresh (on a thread of its own, with an unused parser) or after it, the result is the same.
    const QByteArray longer = R"({"next_batch":"s1","presence":{"events":[]}})";
    const QByteArray shorter = longer.left(longer.size() - 3);
    QVERIFY(parseSync(longer).batch);
    const SyncParseResult afterLonger = parseSync(shorter);
    SyncParseResult fresh;
    std::thread([&] { fresh = parseSync(shorter); }).join();
    QCOMPARE(afterLonger.batch.has_value(), fresh.batch.has_value());
    QCOMPARE(afterLonger.error, fresh.error);
    QVERIFY(!fresh.batch);
}

void SyncParserTest::bodiesThatAreNotASyncResponseAreErrors()
{
    QFETCH(QByteArray, body);
    const SyncParseResult result = parseSync(body);
    QVERIFY(!result.batch);
    QVERIFY(!result.error.isEmpty());
}

void SyncParserTest::hugeStringsAndHostileNamesAreKeptVerbatim()
{
    const QString hostile = u"<img src=x><b>Bob</b>\u202Eevil"_s;
    const QByteArray huge(5 * 1024 * 1024, 'a');
    const QByteArray body = R"({"next_batch":"s1","presence":{"events":[{"type":"m.presence","sender":"@bob:x",)"
                            R"("content":{"presence":"online","status_msg":")" + huge + R"("}}]},"rooms":{"join":{"!r:x":)"
                            R"({"state":{"events":[{"type":"m.room.member","state_key":"@bob:x","content":)"
                            R"({"membership":"join","displayname":")" + hostile.toUtf8() + R"("}}]}}}}})";
    const SyncParseResult result = parseSync(body);
    QVERIFY2(result.batch, qPrintable(result.error));
    QCOMPARE(result.batch->presence.at(0).content.statusMessage.size(), huge.size());
    QCOMPARE(result.batch->joinedRooms.at(0).memberChanges.at(0).displayName, hostile);
}

void SyncParserTest::escapedStringsAreUnescaped()
{
    const SyncParseResult result = parseSync(
        R"({"next_batch":"s\u0031","presence":{"events":[{"type":"m.presence","sender":"@b\u00f6b:x","content":{"presence":"on\u006cine","status_msg":"line\nbreak \"quoted\""}}]}})");
    QVERIFY2(result.batch, qPrintable(result.error));
    QCOMPARE(result.batch->nextBatch, u"s1"_s);
    QCOMPARE(result.batch->presence.at(0).userId, u"@böb:x"_s);
    QCOMPARE(presenceFromWire(result.batch->presence.at(0).content.presence), Presence::Online);
    QCOMPARE(result.batch->presence.at(0).content.statusMessage, u"line\nbreak \"quoted\""_s);
}

void SyncParserTest::aBodyWithoutSpareCapacityParses()
{
    // QByteArray::fromRawData has no bytes after the end at all: the parser must copy, not overread.
    static const char raw[] = R"({"next_batch":"tight","presence":{"events":[{"type":"m.presence","sender":"@a:x","content":{"presence":"unavailable"}}]}})";
    const QByteArray body = QByteArray::fromRawData(raw, sizeof(raw) - 1);
    const SyncParseResult result = parseSync(body);
    QVERIFY2(result.batch, qPrintable(result.error));
    QCOMPARE(result.batch->nextBatch, u"tight"_s);
    QCOMPARE(presenceFromWire(result.batch->presence.at(0).content.presence), Presence::Unavailable);
}

void SyncParserTest::theParserIsReusableAfterAnError()
{
    QVERIFY(!parseSync("{{{{").batch);
    QVERIFY(parseSync(fixture(u"initial.json"_s)).batch);
    QVERIFY(!parseSync(fixture(u"initial.json"_s).left(100)).batch);
    QVERIFY(parseSync(R"({"next_batch":"s9"})").batch);
}

void SyncParserTest::smallBodiesAfterALargeOneParse()
{
    // A large body (an initial sync) and then small ones: the buffers the large one needed are given back
    // before the next small one is parsed, and parsing goes on as before; a large one after that grows them again.
    const auto bodyWithStatus = [](const QByteArray &next, qsizetype statusSize) {
        return R"({"next_batch":")" + next + R"(","presence":{"events":[{"type":"m.presence","sender":"@a:x",)"
               R"("content":{"presence":"online","status_msg":")" + QByteArray(statusSize, 's') + R"("}}]}})";
    };
    const QList<std::pair<QByteArray, qsizetype>> bodies{{"large", 8 * 1024 * 1024}, {"small", 10}, {"smaller", 0},
                                                         {"large again", 8 * 1024 * 1024}, {"small again", 100}};
    for (const auto &[next, statusSize] : bodies) {
        const SyncParseResult result = parseSync(bodyWithStatus(next, statusSize));
        QVERIFY2(result.batch, qPrintable(result.error));
        QCOMPARE(result.batch->nextBatch, QString::fromUtf8(next));
        QCOMPARE(result.batch->presence.at(0).content.statusMessage.size(), statusSize);
    }
}

void SyncParserTest::deepNestingIsSkippedWithoutRecursion()
{
    // Valid JSON under a key the parser does not read, nested deeper than any server sends: read without recursion
    // (no stack to overflow), and refused only beyond the parser's limit.
    const auto nested = [](int depth) {
        return R"({"next_batch":"s1","x":)" + QByteArray(depth, '[') + QByteArray(depth, ']') + "}";
    };
    const SyncParseResult deep = parseSync(nested(4000));
    QVERIFY2(deep.batch, qPrintable(deep.error));
    QCOMPARE(deep.batch->nextBatch, u"s1"_s);
    const SyncParseResult tooDeep = parseSync(nested(100000));
    QVERIFY(!tooDeep.batch);
    QVERIFY(tooDeep.error.contains(u"deep"_s));
}

void SyncParserTest::deepNestingWhereAnEventBelongsIsAnError()
{
    // Unbalanced nesting is malformed wherever it is.
    const QByteArray body = R"({"next_batch":"s1","presence":{"events":)" + QByteArray(100000, '[') + "}}";
    QVERIFY(!parseSync(body).batch);
}

#endif

// rooms.invite as Synapse sends it: stripped state (no event IDs), the inviter's member event and, last, yours
// with is_direct. Other state is not read; a member event with a wrong type is skipped and counted.
void SyncParserTest::invitedRoomsCarryTheirMemberEvents()
{
    const SyncParseResult result = parseSync(QByteArrayLiteral(R"({"next_batch":"s2","rooms":{"invite":{
        "!dm:x":{"invite_state":{"events":[
            {"type":"m.room.create","state_key":"","sender":"@bob:x","content":{"room_version":"10"}},
            {"type":"m.room.member","state_key":"@bob:x","sender":"@bob:x","content":{"membership":"join","displayname":"Bob"}},
            {"type":"m.room.member","state_key":"@me:x","sender":"@bob:x","content":{"membership":"invite","is_direct":true}}]}},
        "!bad:x":{"invite_state":{"events":[{"type":"m.room.member","state_key":7,"content":{"membership":"invite"}}]}}}}})"));
    QVERIFY2(result.batch, qPrintable(result.error));
    const SyncBatch &batch = *result.batch;
    QCOMPARE(batch.invitedRooms.size(), 2);
    QCOMPARE(batch.skippedEvents, 1);
    QVERIFY(batch.joinedRooms.isEmpty());
    const RoomInvite &dm = batch.invitedRooms.at(0).roomId == u"!dm:x"_s ? batch.invitedRooms.at(0) : batch.invitedRooms.at(1);
    QCOMPARE(dm.members.size(), 2);
    QCOMPARE(dm.members.at(0).member.displayName, u"Bob"_s);
    QCOMPARE(dm.members.at(0).isDirect, false);
    QCOMPARE(dm.members.at(1).member.userId, u"@me:x"_s);
    QCOMPARE(dm.members.at(1).member.membership, Membership::Invite);
    QCOMPARE(dm.members.at(1).sender, u"@bob:x"_s);
    QCOMPARE(dm.members.at(1).isDirect, true);
}

// im.presently.roster arrives whole (unknown keys included: a write keeps them); a content that is not an object
// costs the event, and an event of another type is not read.
void SyncParserTest::theRosterAccountDataIsKeptWhole()
{
    const SyncParseResult result = parseSync(QByteArrayLiteral(R"({"next_batch":"s3","account_data":{"events":[
        {"type":"im.presently.roster","content":{"hidden":["@spam:x"],"future":{"a":[1,2]},"nicknames":{"@b:x":"Bee"}}},
        {"type":"m.push_rules","content":{}}]}})"));
    QVERIFY2(result.batch, qPrintable(result.error));
    QVERIFY(result.batch->rosterAccountData);
    const QJsonObject content = *result.batch->rosterAccountData;
    QCOMPARE(content.value("hidden"_L1).toArray().at(0).toString(), u"@spam:x"_s);
    QCOMPARE(content.value("future"_L1).toObject().value("a"_L1).toArray().size(), 2);
    QCOMPARE(content.value("nicknames"_L1).toObject().value("@b:x"_L1).toString(), u"Bee"_s);
    QCOMPARE(result.batch->skippedEvents, 0);

    const SyncParseResult bad = parseSync(QByteArrayLiteral(
        R"({"next_batch":"s4","account_data":{"events":[{"type":"im.presently.roster","content":["@spam:x"]}]}})"));
    QVERIFY2(bad.batch, qPrintable(bad.error));
    QVERIFY(!bad.batch->rosterAccountData);
    QCOMPARE(bad.batch->skippedEvents, 1);

    const SyncParseResult none = parseSync(QByteArrayLiteral(R"({"next_batch":"s5"})"));
    QVERIFY(none.batch && !none.batch->rosterAccountData);
}

QTEST_GUILESS_MAIN(SyncParserTest)
#include "tst_syncparser.moc"
