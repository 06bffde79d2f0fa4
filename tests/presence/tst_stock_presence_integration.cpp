// Presence on the Synapse users run: the `synapse_stock` fixture, Synapse's own defaults for all a client can
// observe (no MSC3026 busy, default presence timers and rc_presence). Alice runs the engine; Bob watches through
// plain HTTP.
#include "session/Account.h"
#include "TestHomeserver.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::Literals::StringLiterals;

namespace {
constexpr int serverTimeoutMs = 30'000;
// The engine's long-poll, short so that several syncs (each carrying set_presence) pass within seconds.
constexpr int longPollMs = 1'000;
} // namespace

class StockPresenceIntegrationTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_server.isValid(), qPrintable(m_server.problem()));
        nameTheTestApplication();
    }

    void busyWithoutMsc3026IsAwayForOthersAcrossSyncs()
    {
        const LoginSession alice = m_server.registerUser(u"alice"_s);
        TestUser bob(m_server.baseUrl(), m_server.registerUser(u"bob"_s));
        QVERIFY(bob.startDirectChatWith(alice));
        Account account;
        new QAbstractItemModelTester(account.contacts(), QAbstractItemModelTester::FailureReportingMode::QtTest, &account);
        account.syncLoop()->setServerTimeoutMs(longPollMs);
        account.signIn(alice);
        QTRY_COMPARE_WITH_TIMEOUT(account.state(), Account::State::Live, serverTimeoutMs);
        QVERIFY(!account.availability()->busySupported());

        QSignalSpy fallback(account.availability(), &AvailabilityController::fallbackUsed);
        account.availability()->choose(Presence::Busy);
        QCOMPARE(fallback.count(), 1);  // the selector tells the user that others see Away
        QCOMPARE(fallback.at(0).at(1).value<Presence>(), Presence::Unavailable);
        QTRY_COMPARE_WITH_TIMEOUT(bob.presenceOf(alice.userId).value("presence"_L1).toString(), u"unavailable"_s,
                                  serverTimeoutMs);

        // The server has answered alice's syncs, each with set_presence, for longer than rc_presence's window
        // (within it a sync's presence is dropped, after it the sync's state is applied): none of them undid it.
        QVERIFY(waitForAnsweredSyncs(account.syncLoop(), u"unavailable"_s, 2, rcPresenceWindowMs));
        QCOMPARE(account.syncLoop()->state(), SyncLoop::State::Live);
        QCOMPARE(bob.presenceOf(alice.userId).value("presence"_L1).toString(), u"unavailable"_s);
        QCOMPARE(account.availability()->chosen(), Presence::Busy);
        QCOMPARE(account.availability()->advertised(), Presence::Unavailable);
        QVERIFY(!account.availability()->anotherDeviceDiffers());  // nobody is blamed for what the server lacks
    }

private:
    TestHomeserver m_server;
};

QTEST_GUILESS_MAIN(StockPresenceIntegrationTest)
#include "tst_stock_presence_integration.moc"
