// Restarting on the Synapse users run (the `synapse_stock` fixture: default presence timers and rc_presence, one
// presence update per 10 s): what you chose and your status survive quitting and starting again, a status set by
// another client of yours is kept, and a peer polling your presence across the restart never sees a state you did
// not choose. Each "run" is an Account signed in, then restored from the stored session, as a new process would.
#include "session/Account.h"
#include "TestHomeserver.h"

#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

using namespace Qt::Literals::StringLiterals;

namespace {
constexpr int serverTimeoutMs = 30'000;
// Waits include rc_presence's 10 s between two presence updates of one user.
constexpr int rateLimitedTimeoutMs = 45'000;

// Asks the server for `userId`'s presence as `observer` every 100 ms and keeps every answer.
class PresencePoller {
public:
    PresencePoller(TestUser &observer, const QString &userId)
    {
        QObject::connect(&m_timer, &QTimer::timeout, [this, &observer, userId] {
            m_seen.append(observer.presenceOf(userId).value("presence"_L1).toString());
        });
        m_timer.start(100);
    }
    QStringList seen() const { return m_seen; }

private:
    QTimer m_timer;
    QStringList m_seen;
};

// Whether `published` (a spy on AvailabilityController::published) sees `wire` go out.
bool waitForPublished(const QSignalSpy &published, const QString &wire)
{
    return QTest::qWaitFor([&] {
        for (const QList<QVariant> &arguments : std::as_const(published))
            if (arguments.at(0).toString() == wire)
                return true;
        return false;
    }, rateLimitedTimeoutMs);
}
} // namespace

class RestartIntegrationTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_server.isValid(), qPrintable(m_server.problem()));
        nameTheTestApplication();
    }

    void appearOfflineSurvivesARestartWithoutOneOnlinePoll()
    {
        const LoginSession alice = m_server.registerUser(u"alice"_s);
        TestUser bob(m_server.baseUrl(), m_server.registerUser(u"bob"_s));
        QVERIFY(bob.startDirectChatWith(alice));

        std::unique_ptr<Account> first = signedInHavingChosen(alice, Presence::Hidden, u"Heads down"_s);
        QVERIFY(first);
        QTRY_COMPARE_WITH_TIMEOUT(bob.presenceOf(alice.userId).value("presence"_L1).toString(), u"offline"_s,
                                  serverTimeoutMs);

        PresencePoller poller(bob, alice.userId);
        first->availability()->setSuspended(true);  // quitting, as PresentlyApp does
        first.reset();

        Account second;
        QSignalSpy published(second.availability(), &AvailabilityController::published);
        second.restore();
        QTRY_COMPARE_WITH_TIMEOUT(second.state(), Account::State::Live, serverTimeoutMs);
        QCOMPARE(second.availability()->chosen(), Presence::Hidden);
        QCOMPARE(second.availability()->statusMessage(), u"Heads down"_s);
        QVERIFY(waitForPublished(published, u"offline"_s));
        QSignalSpy applied(second.roster(), &Roster::batchApplied);
        QTRY_VERIFY_WITH_TIMEOUT(applied.count() >= 1 && poller.seen().size() >= 20, serverTimeoutMs);
        QVERIFY2(!poller.seen().contains(u"online"_s), qPrintable(poller.seen().join(u' ')));
        QCOMPARE(bob.presenceOf(alice.userId).value("status_msg"_L1).toString(), u"Heads down"_s);
    }

    void awayAndAStatusSetByAnotherClientSurviveARestart()
    {
        const LoginSession alice = m_server.registerUser(u"alice"_s);
        TestUser bob(m_server.baseUrl(), m_server.registerUser(u"bob"_s));
        QVERIFY(bob.startDirectChatWith(alice));

        std::unique_ptr<Account> first = signedInHavingChosen(alice, Presence::Unavailable, u"Lunch"_s);
        QVERIFY(first);
        first.reset();

        // Meanwhile alice's phone says something else (its update may have to wait out rc_presence).
        TestUser phone(m_server.baseUrl(), m_server.loginAgain(alice.userId));
        QVERIFY(phone.setPresence(u"unavailable"_s, u"On the train"_s));

        Account second;
        QSignalSpy published(second.availability(), &AvailabilityController::published);
        second.restore();
        QTRY_COMPARE_WITH_TIMEOUT(second.state(), Account::State::Live, serverTimeoutMs);
        QVERIFY(waitForPublished(published, u"unavailable"_s));
        QCOMPARE(second.availability()->chosen(), Presence::Unavailable);
        QCOMPARE(second.availability()->statusMessage(), u"On the train"_s);
        QCOMPARE(bob.presenceOf(alice.userId).value("status_msg"_L1).toString(), u"On the train"_s);
        QCOMPARE(bob.presenceOf(alice.userId).value("presence"_L1).toString(), u"unavailable"_s);
    }

private:
    // The first run: signed in, live, and `presence` with `statusMessage` chosen and taken by the server. Null
    // when any of it did not happen in time.
    static std::unique_ptr<Account> signedInHavingChosen(const LoginSession &session, Presence presence,
                                                         const QString &statusMessage)
    {
        auto account = std::make_unique<Account>();
        QSignalSpy published(account->availability(), &AvailabilityController::published);
        account->signIn(session);
        if (!QTest::qWaitFor([&] { return account->state() == Account::State::Live; }, serverTimeoutMs))
            return nullptr;
        account->availability()->chooseWithStatus(presence, statusMessage);
        if (!waitForPublished(published, presenceToWire(account->availability()->advertised())))
            return nullptr;
        return account;
    }

    TestHomeserver m_server;
};

QTEST_GUILESS_MAIN(RestartIntegrationTest)
#include "tst_restart_integration.moc"
