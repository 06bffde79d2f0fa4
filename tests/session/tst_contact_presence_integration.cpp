// Presence only for contacts (issue 11): the sync filter lists Alice's contacts as presence senders, so strangers
// in large rooms neither add bytes nor wake her long-poll; a person who becomes a contact is asked for their
// presence once (which brings offline contacts' status messages, left out of an initial sync). Against stock
// Synapse; Alice runs the engine, the others act through plain HTTP.
#include "matrix/SyncFilter.h"
#include "session/Account.h"
#include "EngineUnderTest.h"
#include "TestHomeserver.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::Literals::StringLiterals;

namespace {

constexpr int serverTimeoutMs = 30'000;
// Long enough that a long-poll answered within it was woken by something, not by its timeout.
constexpr int longPollMs = 30'000;

QStringList sorted(QStringList userIds)
{
    userIds.sort();
    return userIds;
}

QStringList presenceSendersOf(const QJsonObject &filter)
{
    QStringList senders;
    for (const QJsonValue &sender : filter.value("presence"_L1).toObject().value("senders"_L1).toArray())
        senders << sender.toString();
    return sorted(senders);
}

bool mentionsPresenceOf(const SyncBatch &batch, const QString &userId)
{
    return std::any_of(batch.presence.cbegin(), batch.presence.cend(),
                       [&](const PresenceEvent &event) { return event.userId == userId; });
}

} // namespace

class ContactPresenceIntegrationTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_server.isValid(), qPrintable(m_server.problem()));
    }

    // A 3-person room stands in for a large one (more than Roster::defaultSmallRoomLimit members would take
    // dozens of registrations): Alice's limit is 2, so its members are strangers.
    void strangersInALargeRoomNeitherWakeNorReachAlice()
    {
        const LoginSession aliceSession = m_server.registerUser(u"alice"_s);
        TestUser aliceHttp(m_server.baseUrl(), aliceSession);
        TestUser bob(m_server.baseUrl(), m_server.registerUser(u"bob"_s));
        TestUser stranger(m_server.baseUrl(), m_server.registerUser(u"stranger"_s));
        TestUser other(m_server.baseUrl(), m_server.registerUser(u"other"_s));
        QVERIFY(aliceHttp.startDirectChatWith(bob.session()));
        const QString bigRoom = aliceHttp.createRoom({stranger.userId(), other.userId()}, false, u"big"_s);
        QVERIFY(!bigRoom.isEmpty());
        QVERIFY(stranger.join(bigRoom));
        QVERIFY(other.join(bigRoom));

        auto alice = startEngine(aliceSession, longPollMs);
        alice->setSmallRoomLimit(2);
        // Settled: the roster holds Bob only, and the filter in use lists Alice and Bob.
        QTRY_VERIFY_WITH_TIMEOUT(alice->contacts()->rowOf(bob.userId()) >= 0
                                     && alice->contacts()->rowOf(stranger.userId()) < 0
                                     && filterSenders(aliceHttp, alice->syncLoop()->filterId())
                                            == sorted({alice->userId(), bob.userId()}),
                                 serverTimeoutMs);

        // Right after an answer the next long-poll is (about to be) in flight with 30 s before its timeout: any
        // batch before Bob's change is one that something else woke.
        QSignalSpy batches(alice->syncLoop(), &SyncLoop::batchReady);
        QVERIFY(batches.wait(longPollMs + serverTimeoutMs));
        batches.clear();
        QVERIFY(stranger.setPresence(u"online"_s, u"stranger was here"_s));
        QVERIFY(bob.setPresence(u"unavailable"_s, u"bob is away"_s));
        QTRY_COMPARE_WITH_TIMEOUT(contactOf(*alice, bob.userId()).state.statusMessage, u"bob is away"_s, serverTimeoutMs);
        QVERIFY(!batches.isEmpty());
        const SyncBatch first = batches.at(0).at(0).value<SyncBatch>();
        QVERIFY2(mentionsPresenceOf(first, bob.userId()), "the first batch after the stranger's change is Bob's");
        for (const QList<QVariant> &arguments : std::as_const(batches))
            QVERIFY(!mentionsPresenceOf(arguments.at(0).value<SyncBatch>(), stranger.userId()));
        // The server sees the stranger online; Alice's roster never heard of him.
        QCOMPARE(aliceHttp.presenceOf(stranger.userId()).value("status_msg"_L1).toString(), u"stranger was here"_s);
        QCOMPARE(alice->contacts()->rowOf(stranger.userId()), -1);

        // Her own presence still comes back from the sync (the filter lists her).
        QTRY_VERIFY_WITH_TIMEOUT(alice->availability()->reportedByServer().has_value(), serverTimeoutMs);
    }

    // Carol, offline with a status, becomes a contact: her status and last active time show without her changing
    // anything, and the filter is uploaded again with her in it.
    void aNewContactGetsTheirCurrentStateAndTheFilterFollows()
    {
        const LoginSession aliceSession = m_server.registerUser(u"alice"_s);
        TestUser aliceHttp(m_server.baseUrl(), aliceSession);
        TestUser bob(m_server.baseUrl(), m_server.registerUser(u"bob"_s));
        TestUser carol(m_server.baseUrl(), m_server.registerUser(u"carol"_s));
        QVERIFY(aliceHttp.startDirectChatWith(bob.session()));
        // Online first, so that the server has a last active time for her (a second update waits out rc_presence).
        QVERIFY(carol.setPresence(u"online"_s));
        QVERIFY(carol.setPresence(u"offline"_s, u"gone fishing"_s));

        auto alice = startEngine(aliceSession, longPollMs);
        QTRY_VERIFY_WITH_TIMEOUT(alice->contacts()->rowOf(bob.userId()) >= 0 && !alice->syncLoop()->filterId().isEmpty(),
                                 serverTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(filterSenders(aliceHttp, alice->syncLoop()->filterId()),
                                  sorted({alice->userId(), bob.userId()}), serverTimeoutMs);
        const QString filterBefore = alice->syncLoop()->filterId();

        QVERIFY(carol.startDirectChatWith(aliceSession));
        QTRY_COMPARE_WITH_TIMEOUT(contactOf(*alice, carol.userId()).state.statusMessage, u"gone fishing"_s, serverTimeoutMs);
        const Contact shown = contactOf(*alice, carol.userId());
        QCOMPARE(shown.state.presence, Presence::Offline);
        QVERIFY(shown.state.lastActiveAtMs > 0);
        QVERIFY(shown.state.lastActiveAtMs <= QDateTime::currentMSecsSinceEpoch());

        QTRY_VERIFY_WITH_TIMEOUT(alice->syncLoop()->filterId() != filterBefore, serverTimeoutMs);
        QCOMPARE(filterSenders(aliceHttp, alice->syncLoop()->filterId()),
                 sorted({alice->userId(), bob.userId(), carol.userId()}));
    }

    // An initial sync leaves offline users out; the roster asks for them.
    void anOfflineContactsStatusShowsAfterTheFirstSync()
    {
        const LoginSession aliceSession = m_server.registerUser(u"alice"_s);
        TestUser aliceHttp(m_server.baseUrl(), aliceSession);
        TestUser bob(m_server.baseUrl(), m_server.registerUser(u"bob"_s));
        QVERIFY(aliceHttp.startDirectChatWith(bob.session()));
        QVERIFY(bob.setPresence(u"offline"_s, u"back on Monday"_s));

        auto alice = startEngine(aliceSession, longPollMs);
        QTRY_COMPARE_WITH_TIMEOUT(contactOf(*alice, bob.userId()).state.statusMessage, u"back on Monday"_s, serverTimeoutMs);
        QCOMPARE(contactOf(*alice, bob.userId()).state.presence, Presence::Offline);
    }

    // The first sync's bytes on an account with a room of strangers who are all online: the app's filter (presence
    // of Alice only, as before any contact is known) against the same filter without `senders` (the old one).
    // Measured as the compact JSON of the body; printed for docs, checked only for "smaller, and no stranger".
    void theFirstSyncCarriesNoStrangersPresence()
    {
        constexpr int strangers = 12;
        const LoginSession aliceSession = m_server.registerUser(u"alice"_s);
        TestUser aliceHttp(m_server.baseUrl(), aliceSession);
        QStringList invitees;
        std::vector<std::unique_ptr<TestUser>> crowd;
        for (int i = 0; i < strangers; ++i) {
            crowd.push_back(std::make_unique<TestUser>(m_server.baseUrl(), m_server.registerUser(u"stranger"_s)));
            invitees << crowd.back()->userId();
        }
        const QString bigRoom = aliceHttp.createRoom(invitees, false, u"big"_s);
        QVERIFY(!bigRoom.isEmpty());
        for (const auto &member : crowd) {
            QVERIFY(member->join(bigRoom));
            QVERIFY(member->setPresence(u"online"_s, u"in the crowd"_s));
        }
        QVERIFY(aliceHttp.setPresence(u"online"_s));

        QJsonObject withSenders = presenceClientFilter({aliceSession.userId});
        QJsonObject withoutSenders = withSenders;
        withoutSenders.insert("presence"_L1, QJsonObject{{"types"_L1, QJsonArray{u"m.presence"_s}}});
        // Different timeouts: Synapse caches identical sync requests for 2 minutes.
        const QJsonObject filtered = initialSync(aliceHttp, withSenders, 1);
        const QJsonObject unfiltered = initialSync(aliceHttp, withoutSenders, 2);
        const auto bytes = [](const QJsonObject &body) { return QJsonDocument(body).toJson(QJsonDocument::Compact).size(); };
        const QJsonArray presence = filtered.value("presence"_L1).toObject().value("events"_L1).toArray();
        const QJsonArray everyone = unfiltered.value("presence"_L1).toObject().value("events"_L1).toArray();
        qInfo("first sync with %d online strangers in a room: %lld B with senders [you] (%lld presence events), "
              "%lld B without (%lld presence events)",
              strangers, qlonglong(bytes(filtered)), qlonglong(presence.size()), qlonglong(bytes(unfiltered)),
              qlonglong(everyone.size()));
        QVERIFY(everyone.size() > strangers);  // the strangers (and Alice) were online: the comparison means something
        QCOMPARE(presence.size(), 1);
        QCOMPARE(presence.at(0).toObject().value("sender"_L1).toString(), aliceSession.userId);
        QVERIFY(bytes(filtered) < bytes(unfiltered));
    }

private:
    static QStringList filterSenders(TestUser &owner, const QString &filterId)
    {
        if (filterId.isEmpty())
            return {};
        const TestUser::Reply reply = owner.request(
            "GET", u"/_matrix/client/v3/user/%1/filter/%2"_s.arg(encodedSegment(owner.userId()), encodedSegment(filterId)));
        return presenceSendersOf(reply.body);
    }

    static QJsonObject initialSync(TestUser &user, const QJsonObject &filter, int timeoutMs)
    {
        const TestUser::Reply uploaded = user.request(
            "POST", u"/_matrix/client/v3/user/%1/filter"_s.arg(encodedSegment(user.userId())), filter);
        const QString filterId = uploaded.body.value("filter_id"_L1).toString();
        return user.request("GET", u"/_matrix/client/v3/sync?filter=%1&timeout=%2&set_presence=online"_s.arg(filterId).arg(timeoutMs))
            .body;
    }

    TestHomeserver m_server;
};

QTEST_GUILESS_MAIN(ContactPresenceIntegrationTest)
#include "tst_contact_presence_integration.moc"
