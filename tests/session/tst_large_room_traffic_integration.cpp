// Large rooms on the wire (issue 11): the sync filter brings each room's size and at most its latest membership
// change, so people joining and leaving a large room cost one trimmed member event per batch, not one each; a room
// crossing the small-room limit either way changes who is a contact; direct chats count whatever their size.
// Against stock Synapse; Alice runs the engine (or the app's filter through plain HTTP), the others act through
// plain HTTP. Rooms of a handful stand in for large ones (dozens of registrations otherwise): the tests lower
// Alice's small-room limit.
#include "matrix/SyncFilter.h"
#include "session/Account.h"
#include "EngineUnderTest.h"
#include "TestHomeserver.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include <memory>
#include <vector>

using namespace Qt::Literals::StringLiterals;

namespace {

constexpr int serverTimeoutMs = 30'000;
constexpr int longPollMs = 30'000;

std::vector<std::unique_ptr<TestUser>> registerCrowd(TestHomeserver &server, int count)
{
    std::vector<std::unique_ptr<TestUser>> crowd;
    for (int i = 0; i < count; ++i)
        crowd.push_back(std::make_unique<TestUser>(server.baseUrl(), server.registerUser(u"member"_s)));
    return crowd;
}

QJsonArray memberEventsOf(const QJsonObject &sync, const QString &roomId)
{
    const QJsonObject room = sync.value("rooms"_L1).toObject().value("join"_L1).toObject().value(roomId).toObject();
    QJsonArray members;
    for (const char *section : {"state", "timeline"}) {
        for (const QJsonValue &event : room.value(QLatin1StringView(section)).toObject().value("events"_L1).toArray()) {
            if (event.toObject().value("type"_L1).toString() == "m.room.member"_L1)
                members.append(event);
        }
    }
    return members;
}

int joinedCountOf(const QJsonObject &sync, const QString &roomId)
{
    return sync.value("rooms"_L1).toObject().value("join"_L1).toObject().value(roomId).toObject()
        .value("summary"_L1).toObject().value("m.joined_member_count"_L1).toInt(-1);
}

qsizetype compactBytes(const QJsonObject &body)
{
    return QJsonDocument(body).toJson(QJsonDocument::Compact).size();
}

} // namespace

class LargeRoomTrafficIntegrationTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_server.isValid(), qPrintable(m_server.problem()));
    }

    // Four people join a room and one leaves between two syncs. Under the app's filter the second sync carries that
    // room's new size and one member event with only the fields the roster reads; under the filter before it
    // (RoomTraffic::MemberTimeline) it carried all five events in full. The bytes are printed for docs.
    void churnInALargeRoomBringsItsSizeNotEveryMember()
    {
        const LoginSession aliceSession = m_server.registerUser(u"alice"_s);
        TestUser alice(m_server.baseUrl(), aliceSession);
        auto crowd = registerCrowd(m_server, 6);
        QStringList invitees;
        for (const auto &member : crowd)
            invitees << member->userId();
        const QString room = alice.createRoom(invitees, false, u"large"_s);
        QVERIFY(!room.isEmpty());
        QVERIFY(crowd.at(0)->join(room) && crowd.at(1)->join(room));

        const QString appFilter = uploadFilter(alice, presenceClientFilter({aliceSession.userId}));
        const QString oldFilter = uploadFilter(alice, presenceClientFilter({aliceSession.userId}, RoomTraffic::MemberTimeline));
        const QJsonObject first = sync(alice, appFilter, {});
        QCOMPARE(joinedCountOf(first, room), 3);
        QCOMPARE(memberEventsOf(first, room).size(), 1);
        const QString since = first.value("next_batch"_L1).toString();

        for (int i = 2; i < 6; ++i)
            QVERIFY(crowd.at(i)->join(room));
        QVERIFY(crowd.at(0)->leave(room));

        const QJsonObject churn = sync(alice, appFilter, since);
        const QJsonObject churnBefore = sync(alice, oldFilter, since);
        const QJsonArray members = memberEventsOf(churn, room);
        QCOMPARE(joinedCountOf(churn, room), 6);
        QCOMPARE(members.size(), 1);
        const QJsonObject latest = members.at(0).toObject();
        QCOMPARE(latest.value("state_key"_L1).toString(), crowd.at(0)->userId());
        QCOMPARE(latest.value("content"_L1).toObject().value("membership"_L1).toString(), u"leave"_s);
        QVERIFY2(!latest.contains("event_id"_L1) && !latest.contains("unsigned"_L1), "event_fields trims member events");
        QVERIFY(churn.value("rooms"_L1).toObject().value("join"_L1).toObject().value(room).toObject()
                    .value("timeline"_L1).toObject().value("limited"_L1).toBool());
        QVERIFY(memberEventsOf(churnBefore, room).size() >= 5);
        qInfo("a room where 4 joined and 1 left between two syncs: %lld B (%lld member event) with the app's filter, "
              "%lld B (%lld member events) with the filter before it; first sync of the 3-member room: %lld B",
              qlonglong(compactBytes(churn)), qlonglong(members.size()), qlonglong(compactBytes(churnBefore)),
              qlonglong(memberEventsOf(churnBefore, room).size()), qlonglong(compactBytes(first)));
        QVERIFY(compactBytes(churn) < compactBytes(churnBefore));
    }

    // With a small-room limit of 3, a room of Alice, Bob and Carol counts: they are contacts. Dave joins and it no
    // longer does: they leave the roster (Dave never enters it). Dave leaves and it counts again: they are back,
    // their member list fetched anew. A direct chat with Erin that grew to five people counts throughout.
    void aRoomCrossingTheLimitEitherWayChangesWhoIsAContact()
    {
        const LoginSession aliceSession = m_server.registerUser(u"alice"_s);
        TestUser alice(m_server.baseUrl(), aliceSession);
        auto people = registerCrowd(m_server, 7);
        TestUser &bob = *people.at(0), &carol = *people.at(1), &dave = *people.at(2), &erin = *people.at(3);
        const QString room = alice.createRoom({bob.userId(), carol.userId()}, false, u"team"_s);
        QVERIFY(!room.isEmpty() && bob.join(room) && carol.join(room));
        const QString direct = alice.createRoom({erin.userId(), people.at(4)->userId(), people.at(5)->userId(),
                                                 people.at(6)->userId()}, true);
        QVERIFY(!direct.isEmpty());
        for (int i = 3; i < 7; ++i)
            QVERIFY(people.at(i)->join(direct));
        QVERIFY(alice.addDirectChat(erin.userId(), direct));
        auto aliceEngine = startEngine(aliceSession, longPollMs);
        aliceEngine->setSmallRoomLimit(3);
        const auto listed = [&](const TestUser &user) { return aliceEngine->contacts()->rowOf(user.userId()) >= 0; };
        QTRY_VERIFY_WITH_TIMEOUT(listed(bob) && listed(carol) && listed(erin) && listed(*people.at(6)), serverTimeoutMs);
        QVERIFY(!listed(dave));

        QVERIFY(alice.request("POST", u"/_matrix/client/v3/rooms/%1/invite"_s.arg(encodedSegment(room)),
                              QJsonObject{{"user_id"_L1, dave.userId()}}).ok());
        QVERIFY(dave.join(room));
        QTRY_VERIFY_WITH_TIMEOUT(!listed(bob) && !listed(carol), serverTimeoutMs);
        QVERIFY(!listed(dave));
        QVERIFY(listed(erin) && listed(*people.at(6)));

        QVERIFY(dave.leave(room));
        QTRY_VERIFY_WITH_TIMEOUT(listed(bob) && listed(carol), serverTimeoutMs);
        QVERIFY(!listed(dave));
        QVERIFY(listed(erin) && listed(*people.at(4)));
    }

private:
    static QString uploadFilter(TestUser &user, const QJsonObject &filter)
    {
        return user.request("POST", u"/_matrix/client/v3/user/%1/filter"_s.arg(encodedSegment(user.userId())), filter)
            .body.value("filter_id"_L1).toString();
    }

    // A sync that returns at once. Each call gets a timeout of its own: Synapse answers an identical request
    // within 2 minutes from its response cache.
    QJsonObject sync(TestUser &user, const QString &filterId, const QString &since)
    {
        QString path = u"/_matrix/client/v3/sync?filter=%1&timeout=%2"_s.arg(filterId).arg(++m_syncs);
        if (!since.isEmpty())
            path += u"&since="_s + QString::fromLatin1(QUrl::toPercentEncoding(since));
        return user.request("GET", path).body;
    }

    TestHomeserver m_server;
    int m_syncs = 0;
};

QTEST_GUILESS_MAIN(LargeRoomTrafficIntegrationTest)
#include "tst_large_room_traffic_integration.moc"
