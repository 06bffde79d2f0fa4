// The engine against a real Synapse: the stock one (what users run: default presence timers, rc_presence one
// update per user per 10 s), except where a function says why not. Alice runs the engine; Bob and Carol act
// through plain HTTP (TestUser) unless a test needs Bob's engine too. Each test function is its own CTest test.
#include "session/Account.h"
#include "presence/ActivityMonitor.h"
#include "EngineUnderTest.h"
#include "FakeIdleSource.h"
#include "RosterScenarios.h"
#include "TestHomeserver.h"

#include <QDateTime>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::Literals::StringLiterals;

namespace {

constexpr int serverTimeoutMs = 30'000;
// Waits for a presence change that may have to wait out rc_presence's window once or twice (a user's second
// update within 10 s, or a refusal and the fallback after it).
constexpr int rateLimitedTimeoutMs = 45'000;
// The engines' long-poll, short so that the syncs a "nothing changed" check waits for come within seconds.
constexpr int longPollMs = 1'000;

} // namespace

class EngineIntegrationTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_server.isValid(), qPrintable(m_server.problem()));
    }

    void aliceSeesBobGoAwayWithAStatus()
    {
        auto [alice, bob] = aliceAndBobInADirectChat();
        QVERIFY(alice);
        aliceSeesBobGoOnlineThenAwayWithAStatus(*alice, *bob);
    }

    void aliceSeesBobsNewDisplayNameAndAvatar()
    {
        auto [alice, bob] = aliceAndBobInADirectChat();
        QVERIFY(alice);
        const QString bobId = bob->userId();
        QVERIFY(bob->setDisplayName(u"Bob <b>Builder</b>"_s));
        QTRY_COMPARE_WITH_TIMEOUT(contactOf(*alice, bobId).displayName, u"Bob <b>Builder</b>"_s, serverTimeoutMs);

        const QString avatar = bob->uploadPng(solidPng(QSize(8, 8), Qt::darkCyan));
        QVERIFY(avatar.startsWith("mxc://"_L1));
        QVERIFY(bob->setAvatarUrl(avatar));
        QTRY_COMPARE_WITH_TIMEOUT(contactOf(*alice, bobId).avatarUrl, avatar, serverTimeoutMs);
    }

    void carolAppearsWhenSheJoinsAndDisappearsWhenSheLeaves()
    {
        auto [alice, bob] = aliceAndBobInADirectChat();
        QVERIFY(alice);
        TestUser carol(m_server.baseUrl(), m_server.registerUser(u"carol"_s));
        TestUser aliceHttp(m_server.baseUrl(), alice->session());
        ::carolAppearsWhenSheJoinsAndDisappearsWhenSheLeaves(*alice, aliceHttp, *bob, carol);
    }

    void hiddenBobLooksOfflineButStillSeesAlice()
    {
        auto [alice, bobHttp] = aliceAndBobInADirectChat();
        QVERIFY(alice);
        auto bob = startEngine(bobHttp->session(), longPollMs);
        QTRY_VERIFY_WITH_TIMEOUT(bob->contacts()->rowOf(alice->userId()) >= 0, serverTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(contactOf(*alice, bob->userId()).state.presence, Presence::Online, serverTimeoutMs);

        QSignalSpy bobPublished(bob->availability(), &AvailabilityController::published);
        bob->availability()->choose(Presence::Hidden);
        QCOMPARE(bob->availability()->syncSetPresence(), u"offline"_s);
        QVERIFY(bob->syncLoop()->isRunning());
        QTRY_COMPARE_WITH_TIMEOUT(contactOf(*alice, bob->userId()).state.presence, Presence::Offline,
                                  rateLimitedTimeoutMs);
        QCOMPARE(bobPublished.count(), 1);
        QCOMPARE(bobPublished.at(0).at(0).toString(), u"offline"_s);

        alice->availability()->chooseWithStatus(Presence::Unavailable, u"In a meeting"_s);
        QTRY_COMPARE_WITH_TIMEOUT(contactOf(*bob, alice->userId()).state.presence, Presence::Unavailable,
                                  rateLimitedTimeoutMs);
        QCOMPARE(contactOf(*bob, alice->userId()).state.statusMessage, u"In a meeting"_s);
        // Bob's loop keeps syncing (set_presence=offline): the server has answered his syncs for longer than
        // rc_presence's window, and none brought him back online for Alice.
        QVERIFY(waitForAnsweredSyncs(bob->syncLoop(), u"offline"_s, 2, rcPresenceWindowMs));
        QCOMPARE(contactOf(*alice, bob->userId()).state.presence, Presence::Offline);
    }

    void freeForChatIsRefusedAndFallsBackToOnline()
    {
        auto [alice, bob] = aliceAndBobInADirectChat();
        QVERIFY(alice);
        QSignalSpy fallback(alice->availability(), &AvailabilityController::fallbackUsed);
        QSignalSpy published(alice->availability(), &AvailabilityController::published);
        alice->availability()->choose(Presence::FreeForChat);
        // Stock rc_presence: the refused update counts, so "online" after it waits out the window again.
        QTRY_COMPARE_WITH_TIMEOUT(fallback.count(), 1, serverTimeoutMs);
        QCOMPARE(fallback.at(0).at(0).value<Presence>(), Presence::FreeForChat);
        QCOMPARE(fallback.at(0).at(1).value<Presence>(), Presence::Online);
        QVERIFY(!fallback.at(0).at(2).toString().isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(!published.isEmpty() && published.last().at(0).toString() == "online"_L1,
                                 rateLimitedTimeoutMs);
        QCOMPARE(alice->availability()->chosen(), Presence::FreeForChat);
        QCOMPARE(alice->availability()->advertised(), Presence::Online);

        const TestUser::Reply seenByBob = bob->request(
            "GET", u"/_matrix/client/v3/presence/%1/status"_s.arg(encodedSegment(alice->userId())));
        QCOMPARE(seenByBob.body.value("presence"_L1).toString(), u"online"_s);
    }

    // On the friendly server: stock Synapse has no busy (MSC3026); tst_stock_presence_integration covers that.
    void busyReachesOthersWhereTheServerAnnouncesIt()
    {
        auto [alice, bob] = aliceAndBobInADirectChat();
        QVERIFY(alice);
        QTRY_VERIFY_WITH_TIMEOUT(alice->availability()->busySupported(), serverTimeoutMs);
        alice->availability()->choose(Presence::Busy);
        auto bobEngine = startEngine(bob->session(), longPollMs);
        QTRY_COMPARE_WITH_TIMEOUT(contactOf(*bobEngine, alice->userId()).state.presence, Presence::Busy, serverTimeoutMs);
        // Alice's own syncs say "online"; Synapse keeps a chosen busy.
        QVERIFY(waitForAnsweredSyncs(alice->syncLoop(), u"online"_s, 2));
        QCOMPARE(contactOf(*bobEngine, alice->userId()).state.presence, Presence::Busy);
    }

    void offlineStopsTheLoopAndKeepsTheRoster()
    {
        auto [alice, bob] = aliceAndBobInADirectChat();
        QVERIFY(alice);
        QTRY_COMPARE_WITH_TIMEOUT(alice->syncLoop()->state(), SyncLoop::State::Live, serverTimeoutMs);
        alice->availability()->choose(Presence::Offline);
        QCOMPARE(alice->syncLoop()->state(), SyncLoop::State::Stopped);
        QVERIFY(alice->contacts()->rowOf(bob->userId()) >= 0);
        QTRY_COMPARE_WITH_TIMEOUT(presenceAsBobSees(*bob, alice->userId()), u"offline"_s, rateLimitedTimeoutMs);
        alice->availability()->choose(Presence::Online);
        QTRY_COMPARE_WITH_TIMEOUT(alice->syncLoop()->state(), SyncLoop::State::Live, serverTimeoutMs);
    }

    void autoAwayReachesBobAndActivityBringsAliceBack()
    {
        auto [alice, bob] = aliceAndBobInADirectChat();
        QVERIFY(alice);
        auto *idle = new FakeIdleSource;
        ActivityMonitor monitor({idle});
        monitor.setAwayAfterMs(2000);  // short, so the monitor's next poll is soon
        monitor.setIdlePollMs(1000);
        connect(&monitor, &ActivityMonitor::idleChanged, alice->availability(), &AvailabilityController::setIdle);
        monitor.start();
        QTRY_COMPARE_WITH_TIMEOUT(presenceAsBobSees(*bob, alice->userId()), u"online"_s, serverTimeoutMs);

        idle->setIdleMs(2500);  // longer than the threshold without input: seen at the next poll
        QTRY_COMPARE_WITH_TIMEOUT(presenceAsBobSees(*bob, alice->userId()), u"unavailable"_s, rateLimitedTimeoutMs);
        QCOMPARE(alice->availability()->chosen(), Presence::Online);
        // Alice keeps syncing, and the syncs must not undo it: the server has answered them (set_presence
        // unavailable) for longer than rc_presence's window, so one of them was applied.
        QCOMPARE(alice->syncLoop()->state(), SyncLoop::State::Live);
        QVERIFY(waitForAnsweredSyncs(alice->syncLoop(), u"unavailable"_s, 2, rcPresenceWindowMs));
        QCOMPARE(presenceAsBobSees(*bob, alice->userId()), u"unavailable"_s);

        idle->setIdleMs(0);
        QTRY_COMPARE_WITH_TIMEOUT(presenceAsBobSees(*bob, alice->userId()), u"online"_s, rateLimitedTimeoutMs);
    }

    void anotherDeviceOnlineWhileAliceChoseAwayIsShown()
    {
        auto [alice, bob] = aliceAndBobInADirectChat();
        QVERIFY(alice);
        alice->availability()->choose(Presence::Unavailable);
        QTRY_COMPARE_WITH_TIMEOUT(alice->availability()->reportedByServer(), std::optional(Presence::Unavailable),
                                  rateLimitedTimeoutMs);
        QVERIFY(!alice->availability()->anotherDeviceDiffers());

        TestUser alicesPhone(m_server.baseUrl(), m_server.loginAgain(alice->userId()));
        QVERIFY(alicesPhone.setPresence(u"online"_s));  // rc_presence counts the user's devices together
        // The server combines the devices: the most available wins, and this device is told so.
        QTRY_COMPARE_WITH_TIMEOUT(alice->availability()->reportedByServer(), std::optional(Presence::Online),
                                  serverTimeoutMs);
        QVERIFY(alice->availability()->anotherDeviceDiffers());
        QCOMPARE(alice->availability()->chosen(), Presence::Unavailable);
        QCOMPARE(presenceAsBobSees(*bob, alice->userId()), u"online"_s);
    }

private:
    static QString presenceAsBobSees(TestUser &bob, const QString &userId)
    {
        return bob.request("GET", u"/_matrix/client/v3/presence/%1/status"_s.arg(encodedSegment(userId)))
            .body.value("presence"_L1).toString();
    }

    // Alice (engine) and Bob (plain HTTP) in a direct chat, Bob already on Alice's roster.
    std::pair<std::unique_ptr<Account>, std::unique_ptr<TestUser>> aliceAndBobInADirectChat()
    {
        const LoginSession aliceSession = m_server.registerUser(u"alice"_s);
        auto bob = std::make_unique<TestUser>(m_server.baseUrl(), m_server.registerUser(u"bob"_s));
        if (aliceSession.userId.isEmpty() || bob->userId().isEmpty())
            return {};
        TestUser aliceHttp(m_server.baseUrl(), aliceSession);
        const QString roomId = bob->createRoom({aliceSession.userId}, true);
        if (roomId.isEmpty() || !aliceHttp.join(roomId) || !bob->addDirectChat(aliceSession.userId, roomId)
            || !aliceHttp.addDirectChat(bob->userId(), roomId))
            return {};
        auto alice = startEngine(aliceSession, longPollMs);
        if (!QTest::qWaitFor([&] { return alice->contacts()->rowOf(bob->userId()) >= 0; }, serverTimeoutMs))
            return {};
        return {std::move(alice), std::move(bob)};
    }

    TestHomeserver m_server;
};

QTEST_GUILESS_MAIN(EngineIntegrationTest)
#include "tst_engine_integration.moc"
