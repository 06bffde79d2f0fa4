// The account lifecycle against the stock Synapse (what users run): switching users in one process,
// Synapse's own soft logout (an expired refreshable token), a session the server ended, a locked and a
// deactivated account. Other users act through plain HTTP (TestUser).
#include "session/Account.h"
#include "EngineUnderTest.h"
#include "TestHomeserver.h"

#include <QJsonArray>
#include <QSettings>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::Literals::StringLiterals;

namespace {

constexpr int serverTimeoutMs = 30'000;
// The engine's long-poll, short so that a token the server stopped accepting is noticed at the next poll
// instead of after Synapse's 30 s; it changes when the client asks, not what the server does.
constexpr int longPollMs = 2'000;

} // namespace

class LifecycleIntegrationTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_server.isValid(), qPrintable(m_server.problem()));
        nameTheTestApplication();
    }

    void anotherUserInTheSameProcessGetsNothingOfThePrevious()
    {
        const LoginSession alice = m_server.registerUser(u"alice"_s);
        const LoginSession dana = m_server.registerUser(u"dana"_s);
        TestUser bob(m_server.baseUrl(), m_server.registerUser(u"bob"_s));
        QVERIFY(!alice.userId.isEmpty() && !dana.userId.isEmpty() && !bob.userId().isEmpty());
        TestUser danaHttp(m_server.baseUrl(), dana);
        const QString room = bob.createRoom({dana.userId}, true);
        QVERIFY(danaHttp.join(room) && bob.addDirectChat(dana.userId, room) && danaHttp.addDirectChat(bob.userId(), room));
        // Dana's own first filter (another client of hers made it) leaves presence out. Synapse numbers filters
        // per user from 0, so alice's filter has the same ID: reusing it for dana would hide all presence.
        const TestUser::Reply filter = danaHttp.request(
            "POST", u"/_matrix/client/v3/user/%1/filter"_s.arg(encodedSegment(dana.userId)),
            QJsonObject{{u"presence"_s, QJsonObject{{u"not_types"_s, QJsonArray{u"*"_s}}}}});
        QCOMPARE(filter.body.value("filter_id"_L1).toString(), u"0"_s);

        auto account = startEngine(alice, longPollMs);
        QTRY_COMPARE_WITH_TIMEOUT(account->state(), Account::State::Live, serverTimeoutMs);
        QSignalSpy published(account->availability(), &AvailabilityController::published);
        account->availability()->chooseWithStatus(Presence::Unavailable, u"alice's secret plans"_s);
        QVERIFY(published.wait(serverTimeoutMs));  // after signing in's "online", once rc_presence allows
        account->signOut();
        QTRY_COMPARE_WITH_TIMEOUT(account->state(), Account::State::SignedOut, serverTimeoutMs);

        account->signIn(dana);
        QTRY_COMPARE_WITH_TIMEOUT(account->state(), Account::State::Live, serverTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(account->contacts()->rowOf(bob.userId()) >= 0, serverTimeoutMs);
        QVERIFY(bob.setPresence(u"online"_s, u"Hello Dana"_s));
        QTRY_COMPARE_WITH_TIMEOUT(contactStatus(*account, bob.userId()), u"Hello Dana"_s, serverTimeoutMs);
        // Nothing of alice's reached dana's account.
        QCOMPARE(bob.presenceOf(dana.userId).value("presence"_L1).toString(), u"online"_s);
        QCOMPARE(bob.presenceOf(dana.userId).value("status_msg"_L1).toString(), QString());
        QCOMPARE(account->availability()->statusMessage(), QString());
    }

    void anExpiredRefreshableTokenIsASoftLogoutThatResumes()
    {
        const LoginSession registered = m_server.registerUser(u"alice"_s);
        TestUser bob(m_server.baseUrl(), m_server.registerUser(u"bob"_s));
        TestUser carol(m_server.baseUrl(), m_server.registerUser(u"carol"_s));
        TestUser aliceHttp(m_server.baseUrl(), registered);
        QVERIFY(aliceHttp.join(bob.createRoom({registered.userId})));
        const QString smallRoom = carol.createRoom({registered.userId});
        QVERIFY(aliceHttp.join(smallRoom));

        // A device whose access token Synapse lets expire (refreshable_access_token_lifetime in the harness).
        const LoginSession expiring = m_server.loginAgain(registered.userId, TestLogin::expiring());
        QVERIFY(!expiring.accessToken.isEmpty());
        auto account = startEngine(expiring, longPollMs);
        QTRY_VERIFY_WITH_TIMEOUT(account->contacts()->rowOf(carol.userId()) >= 0
                                 && account->contacts()->rowOf(bob.userId()) >= 0, serverTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(account->state(), Account::State::SessionExpired, serverTimeoutMs);
        QVERIFY2(account->problem().contains(u"M_UNKNOWN_TOKEN"_s), qPrintable(account->problem()));
        const QString since = account->syncLoop()->since();
        QVERIFY(!since.isEmpty());

        // Meanwhile carol leaves: signing in again must not leave her on the roster.
        QVERIFY(carol.leave(smallRoom));
        QSignalSpy removed(account->contacts(), &QAbstractItemModel::rowsRemoved);
        QSignalSpy reset(account->contacts(), &QAbstractItemModel::modelReset);
        const LoginSession again = m_server.loginAgain(registered.userId, TestLogin::asDevice(expiring.deviceId));
        QCOMPARE(again.deviceId, expiring.deviceId);
        account->signIn(again);
        QCOMPARE(account->syncLoop()->since(), since);  // continues the stream: an incremental sync
        QTRY_COMPARE_WITH_TIMEOUT(account->state(), Account::State::Live, serverTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(account->contacts()->rowOf(carol.userId()), -1, serverTimeoutMs);
        QCOMPARE(reset.count(), 0);    // the roster was kept, not rebuilt
        QCOMPARE(removed.count(), 1);  // only carol left it
        QVERIFY(account->contacts()->rowOf(bob.userId()) >= 0);
        QCOMPARE(account->deviceId(), expiring.deviceId);
    }

    void aSessionTheServerEndedStopsEveryRequestWithTheDeadToken()
    {
        const LoginSession alice = m_server.registerUser(u"alice"_s);
        TestUser bob(m_server.baseUrl(), m_server.registerUser(u"bob"_s));
        QVERIFY(bob.startDirectChatWith(alice));
        auto account = startEngine(alice, longPollMs);
        QTRY_COMPARE_WITH_TIMEOUT(account->state(), Account::State::Live, serverTimeoutMs);

        QVERIFY(TestUser(m_server.baseUrl(), alice).request("POST", u"/_matrix/client/v3/logout"_s, QJsonObject{}).ok());
        QTRY_COMPARE_WITH_TIMEOUT(account->state(), Account::State::SessionRevoked, serverTimeoutMs);
        QVERIFY(!QSettings().contains(u"session/userId"_s));  // nothing stored to restore a dead session from

        // A choice made now is not sent with the dead token: it fails at once, before any request.
        QSignalSpy failed(account->availability(), &AvailabilityController::publishFailed);
        account->availability()->choose(Presence::Busy);
        QVERIFY(failed.wait(2000));
        QCOMPARE(failed.at(0).at(0).value<MatrixError>().kind, MatrixError::Kind::SessionEnded);
        QVERIFY(!account->syncLoop()->isRunning());
    }

    void aLockedAccountEndsTheSessionWithoutRetrying()
    {
        TestUser admin(m_server.baseUrl(), m_server.registerUser(u"admin"_s, u"correct horse"_s, true));
        const LoginSession alice = m_server.registerUser(u"alice"_s);
        auto account = startEngine(alice, longPollMs);
        QTRY_COMPARE_WITH_TIMEOUT(account->state(), Account::State::Live, serverTimeoutMs);

        QVERIFY(admin.request("PUT", u"/_synapse/admin/v2/users/%1"_s.arg(encodedSegment(alice.userId)),
                              QJsonObject{{u"locked"_s, true}}).ok());
        QTRY_COMPARE_WITH_TIMEOUT(account->state(), Account::State::SessionExpired, serverTimeoutMs);
        QVERIFY2(account->problem().contains(u"M_USER_LOCKED"_s), qPrintable(account->problem()));
        QVERIFY(!account->syncLoop()->isRunning());
        QCOMPARE(account->syncLoop()->retryRemainingMs(), 0);  // nothing scheduled: no filter uploaded again
    }

    void aDeactivatedAccountIsSignedOut()
    {
        TestUser admin(m_server.baseUrl(), m_server.registerUser(u"admin"_s, u"correct horse"_s, true));
        const LoginSession alice = m_server.registerUser(u"alice"_s);
        auto account = startEngine(alice, longPollMs);
        QTRY_COMPARE_WITH_TIMEOUT(account->state(), Account::State::Live, serverTimeoutMs);

        QVERIFY(admin.request("POST", u"/_synapse/admin/v1/deactivate/%1"_s.arg(encodedSegment(alice.userId)),
                              QJsonObject{}).ok());
        QTRY_COMPARE_WITH_TIMEOUT(account->state(), Account::State::SessionRevoked, serverTimeoutMs);
        QVERIFY(!account->syncLoop()->isRunning());
        QCOMPARE(account->syncLoop()->retryRemainingMs(), 0);
    }

private:
    static QString contactStatus(const Account &account, const QString &userId)
    {
        const int row = account.contacts()->rowOf(userId);
        return row >= 0 ? account.contacts()->contactAt(row).state.statusMessage : QString();
    }

    TestHomeserver m_server;
};

QTEST_GUILESS_MAIN(LifecycleIntegrationTest)
#include "tst_lifecycle_integration.moc"
