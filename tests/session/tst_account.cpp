// The account lifecycle without widgets: every state and transition of session/Account, against a scripted
// FakeHomeserver so that each answer (an expired token, a locked account, a failing sync) comes exactly when the
// test wants it. The same transitions run against a real Synapse in tst_lifecycle_integration.
#include "FakeHomeserver.h"
#include "TestHomeserver.h"
#include "session/Account.h"

#include <QDir>
#include <QSettings>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::Literals::StringLiterals;

namespace {
const QString syncPath = u"/_matrix/client/v3/sync"_s;
const QString filterPath = u"/_matrix/client/v3/user/"_s;  // POST .../filter (a GET here reads account data)
const QString presencePath = u"/_matrix/client/v3/presence/"_s;
const QString logoutPath = u"/_matrix/client/v3/logout"_s;

QByteArray syncBody(const QByteArray &nextBatch)
{
    return R"({"next_batch":")" + nextBatch + R"(","rooms":{"join":{"!dm:x":{"summary":{"m.joined_member_count":2},)"
           R"("state":{"events":[{"type":"m.room.member","state_key":"@bob:x","sender":"@bob:x",)"
           R"("content":{"membership":"join","displayname":"Bob"}}]}}}}})";
}

FakeHomeserver::Response error(int status, const QByteArray &errcode, bool softLogout = false)
{
    return FakeHomeserver::Response::json(status, R"({"errcode":")" + errcode + R"(","error":"no","soft_logout":)"
                                                      + (softLogout ? "true" : "false") + "}");
}

LoginSession sessionOf(const FakeHomeserver &server, const QString &userId, const QString &deviceId,
                       const QString &token)
{
    return LoginSession{server.baseUrl(), userId, deviceId, token};
}

QList<Account::State> statesOf(const QSignalSpy &spy)
{
    QList<Account::State> states;
    for (const QList<QVariant> &arguments : spy)
        states.append(arguments.at(0).value<Account::State>());
    return states;
}
} // namespace

class AccountTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        nameTheTestApplication();
    }

    void init()
    {
        QSettings().clear();
        // Each case is a first start: a roster cache an earlier case left would resume its stream and filter.
        QVERIFY(QDir(RosterCache::directory()).removeRecursively());
        m_server = std::make_unique<FakeHomeserver>();
        QVERIFY(m_server->isListening());
        m_server->setFallback(u"/_matrix/client/versions"_s, FakeHomeserver::Response::json(200, R"({"versions":["v1.11"]})"));
        m_server->setFallback(filterPath, FakeHomeserver::Response::json(200, R"({"filter_id":"0"})"));
        m_server->setFallback(presencePath, FakeHomeserver::Response::json(200, R"({"presence":"online"})"));
        m_server->setFallback(u"/_matrix/client/v3/profile/"_s, FakeHomeserver::Response::json(200, "{}"));
        m_server->setFallback(u"/_matrix/client/v3/rooms/"_s,
                              FakeHomeserver::Response::json(200, R"({"joined":{"@bob:x":{"display_name":"Bob"}}})"));
        m_server->setFallback(logoutPath, FakeHomeserver::Response::json(200, "{}"));
        m_server->setFallback(syncPath, FakeHomeserver::Response::hang());
        m_account = std::make_unique<Account>();
    }

    void cleanup()
    {
        m_account.reset();
        m_server.reset();
    }

    void restoringWithNothingStoredIsSignedOut()
    {
        QSignalSpy states(m_account.get(), &Account::stateChanged);
        m_account->restore();
        QTRY_COMPARE(m_account->state(), Account::State::SignedOut);
        QCOMPARE(statesOf(states), (QList{Account::State::Restoring, Account::State::SignedOut}));
    }

    void aKeychainThatDoesNotAnswerIsNotNoSession()
    {
        // A session whose token is in the keychain, and no keychain to ask (this test's D-Bus address leads
        // nowhere): Presently must neither sign out nor forget the session.
        QSettings settings;
        settings.setValue(u"session/homeserver"_s, m_server->baseUrl().toString());
        settings.setValue(u"session/userId"_s, u"@me:x"_s);
        settings.setValue(u"session/deviceId"_s, u"DEV"_s);
        settings.sync();
        m_account->restore();
        QTRY_COMPARE_WITH_TIMEOUT(m_account->state(), Account::State::KeychainUnavailable, 30'000);
        QVERIFY(!m_account->problem().isEmpty());
        QCOMPARE(QSettings().value(u"session/userId"_s).toString(), u"@me:x"_s);
        QVERIFY(m_server->requests().isEmpty());  // and no new device was made
        m_account->restore();  // "Try again"
        QCOMPARE(m_account->state(), Account::State::Restoring);
        QTRY_COMPARE_WITH_TIMEOUT(m_account->state(), Account::State::KeychainUnavailable, 30'000);
    }

    void signingInConnectsAndGoesLive()
    {
        m_server->enqueue(syncPath, FakeHomeserver::Response::json(200, syncBody("s1")));
        QSignalSpy states(m_account.get(), &Account::stateChanged);
        QSignalSpy current(m_account.get(), &Account::rosterCurrent);
        m_account->signIn(sessionOf(*m_server, u"@me:x"_s, u"DEV"_s, u"token-1"_s));
        QVERIFY(m_account->isSignedIn());
        QVERIFY(current.wait(5000));
        QCOMPARE(m_account->state(), Account::State::Live);
        QCOMPARE(statesOf(states), (QList{Account::State::Connecting, Account::State::Live}));
        QCOMPARE(m_account->contacts()->rowCount(), 1);
        QCOMPARE(m_account->userId(), u"@me:x"_s);
    }

    void aFailedSyncReconnectsAndRetryNowSkipsTheWait()
    {
        m_server->enqueue(syncPath, FakeHomeserver::Response::json(503, R"({"errcode":"M_UNKNOWN","error":"busy"})"));
        m_server->enqueue(syncPath, FakeHomeserver::Response::json(200, syncBody("s1")));
        QSignalSpy retry(m_account.get(), &Account::retryScheduled);
        m_account->signIn(sessionOf(*m_server, u"@me:x"_s, u"DEV"_s, u"token-1"_s));
        QVERIFY(retry.wait(5000));
        QCOMPARE(m_account->state(), Account::State::Reconnecting);
        QVERIFY(m_account->problem().contains(u"503"_s));
        QVERIFY(m_account->retryRemainingMs() > 0);
        m_account->retryNow();
        QTRY_COMPARE(m_account->state(), Account::State::Live);
        QVERIFY(m_account->problem().isEmpty());
    }

    void aSoftLogoutKeepsTheRosterAndPositionAndStopsEveryRequest()
    {
        m_server->enqueue(syncPath, FakeHomeserver::Response::json(200, syncBody("s1")));
        m_server->enqueue(syncPath, error(401, "M_UNKNOWN_TOKEN", true));
        m_account->signIn(sessionOf(*m_server, u"@me:x"_s, u"DEV"_s, u"token-1"_s));
        QTRY_COMPARE(m_account->state(), Account::State::SessionExpired);
        QCOMPARE(m_account->syncLoop()->since(), u"s1"_s);
        QCOMPARE(m_account->contacts()->rowCount(), 1);

        // The dead token goes nowhere: a choice made meanwhile fails before it is sent.
        const qsizetype putsBefore = m_server->requestsTo(presencePath, "PUT").size();
        QSignalSpy failed(m_account->availability(), &AvailabilityController::publishFailed);
        m_account->availability()->choose(Presence::Unavailable);
        QVERIFY(failed.wait(2000));
        QCOMPARE(m_server->requestsTo(presencePath, "PUT").size(), putsBefore);

        // Signing in again as the same device continues where the stream stopped.
        m_server->enqueue(syncPath, FakeHomeserver::Response::json(200, syncBody("s2")));
        m_account->signIn(sessionOf(*m_server, u"@me:x"_s, u"DEV"_s, u"token-2"_s));
        QTRY_COMPARE(m_account->state(), Account::State::Live);
        const FakeHomeserver::Request resumed = m_server->requestsTo(syncPath).at(2);
        QCOMPARE(resumed.query.queryItemValue(u"since"_s), u"s1"_s);
        QCOMPARE(resumed.headers.value("authorization"), QByteArray("Bearer token-2"));
        QCOMPARE(m_account->availability()->chosen(), Presence::Unavailable);  // the choice survived
    }

    void aHardLogoutForgetsTheStoredSessionAndStartsOverAtSignIn()
    {
        m_server->enqueue(syncPath, FakeHomeserver::Response::json(200, syncBody("s1")));
        m_server->enqueue(syncPath, error(401, "M_UNKNOWN_TOKEN"));
        m_account->signIn(sessionOf(*m_server, u"@me:x"_s, u"DEV"_s, u"token-1"_s));
        QTRY_COMPARE(m_account->state(), Account::State::SessionRevoked);
        QTRY_VERIFY(!QSettings().contains(u"session/userId"_s));
        QCOMPARE(m_account->contacts()->rowCount(), 1);  // still on screen, dimmed, until someone signs in

        m_server->enqueue(syncPath, FakeHomeserver::Response::json(200, syncBody("s9")));
        m_account->signIn(sessionOf(*m_server, u"@me:x"_s, u"DEV2"_s, u"token-2"_s));
        QTRY_COMPARE(m_account->state(), Account::State::Live);
        QVERIFY(!m_server->requestsTo(syncPath).at(2).query.hasQueryItem(u"since"_s));
    }

    void errorsThatEndTheAccountStopTheLoop_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("errcode");
        QTest::addColumn<bool>("softLogout");
        QTest::addColumn<Account::State>("expected");
        QTest::newRow("locked") << 401 << QByteArray("M_USER_LOCKED") << true << Account::State::SessionExpired;
        QTest::newRow("deactivated") << 403 << QByteArray("M_USER_DEACTIVATED") << false << Account::State::SessionRevoked;
        QTest::newRow("missing token") << 401 << QByteArray("M_MISSING_TOKEN") << false << Account::State::SessionRevoked;
    }

    void errorsThatEndTheAccountStopTheLoop()
    {
        QFETCH(int, status);
        QFETCH(QByteArray, errcode);
        QFETCH(bool, softLogout);
        QFETCH(Account::State, expected);
        m_server->enqueue(syncPath, error(status, errcode, softLogout));
        m_account->signIn(sessionOf(*m_server, u"@me:x"_s, u"DEV"_s, u"token-1"_s));
        QTRY_COMPARE(m_account->state(), expected);
        QVERIFY(m_account->problem().contains(QString::fromLatin1(errcode)));
        // Not a lost filter to upload again and again: the loop has stopped for good, no retry pending.
        QVERIFY(!m_account->syncLoop()->isRunning());
        QCOMPARE(m_account->syncLoop()->retryRemainingMs(), 0);
        QCOMPARE(m_server->requestsTo(filterPath, "POST").size(), 1);
        QCOMPARE(m_server->requestsTo(syncPath).size(), 1);
    }

    void anotherUserStartsFromNothingOfThePrevious()
    {
        m_server->enqueue(syncPath, FakeHomeserver::Response::json(200, syncBody("alice-1")));
        m_account->signIn(sessionOf(*m_server, u"@alice:x"_s, u"A"_s, u"alice-token"_s));
        QTRY_COMPARE(m_account->state(), Account::State::Live);
        m_account->availability()->chooseWithStatus(Presence::Hidden, u"alice's secret plans"_s);
        // Published, and read back (the last request alice's session makes by itself).
        QTRY_VERIFY(!m_server->requestsTo(presencePath, "GET").isEmpty());

        QSignalSpy states(m_account.get(), &Account::stateChanged);
        m_account->signOut();
        QCOMPARE(m_account->state(), Account::State::SigningOut);
        QTRY_COMPARE(m_account->state(), Account::State::SignedOut);
        QCOMPARE(m_server->requestsTo(logoutPath).at(0).headers.value("authorization"), QByteArray("Bearer alice-token"));
        QCOMPARE(m_account->contacts()->rowCount(), 0);
        QCOMPARE(m_account->availability()->chosen(), Presence::Online);
        QVERIFY(m_account->availability()->statusMessage().isEmpty());
        QVERIFY(!QSettings().contains(u"session/userId"_s));

        const qsizetype requestsBefore = m_server->requests().size();
        m_server->enqueue(syncPath, FakeHomeserver::Response::json(200, syncBody("dana-1")));
        m_account->signIn(sessionOf(*m_server, u"@dana:x"_s, u"D"_s, u"dana-token"_s));
        QTRY_COMPARE(m_account->state(), Account::State::Live);
        const QList<FakeHomeserver::Request> requests = m_server->requests().mid(requestsBefore);
        bool uploadedDanasFilter = false;
        for (const FakeHomeserver::Request &request : requests) {
            if (request.headers.value("authorization") == "Bearer alice-token") {
                // One of alice's own last requests, sent before she signed out and read by the server since.
                QVERIFY2(request.path.contains(u"%40alice%3Ax"_s), qPrintable(request.path));
                continue;
            }
            // Nothing of alice's reaches dana's account: not her token, her filter, her status or her choice.
            if (request.path != u"/_matrix/client/versions"_s)  // the one request without a token
                QVERIFY2(request.headers.value("authorization") == "Bearer dana-token", qPrintable(request.path));
            QVERIFY2(!request.body.contains("alice"), request.body.constData());
            QVERIFY(!request.query.queryItemValue(u"since"_s).startsWith(u"alice"_s));
            if (request.path.startsWith(filterPath))
                uploadedDanasFilter = request.path.contains(u"%40dana%3Ax"_s);
            if (request.path.startsWith(presencePath) && request.method == "PUT")
                QCOMPARE(request.body, QByteArray(R"({"presence":"online"})"));
        }
        QVERIFY(uploadedDanasFilter);
    }

    void choosingOfflineStopsSyncingAndOnlineResumes()
    {
        m_server->enqueue(syncPath, FakeHomeserver::Response::json(200, syncBody("s1")));
        m_account->signIn(sessionOf(*m_server, u"@me:x"_s, u"DEV"_s, u"token-1"_s));
        QTRY_COMPARE(m_account->state(), Account::State::Live);
        // The long-poll has reached the server (it hangs there), so the next answer is for the next request.
        QTRY_COMPARE(m_server->requestsTo(syncPath).size(), 2);
        m_account->availability()->choose(Presence::Offline);
        QCOMPARE(m_account->state(), Account::State::Offline);
        QVERIFY(m_account->isSignedIn());
        QCOMPARE(m_account->syncLoop()->state(), SyncLoop::State::Stopped);
        m_server->enqueue(syncPath, FakeHomeserver::Response::json(200, syncBody("s2")));
        m_account->availability()->choose(Presence::Online);
        QCOMPARE(m_account->state(), Account::State::Connecting);
        QTRY_COMPARE(m_account->state(), Account::State::Live);
    }

private:
    std::unique_ptr<FakeHomeserver> m_server;
    std::unique_ptr<Account> m_account;
};

QTEST_GUILESS_MAIN(AccountTest)
#include "tst_account.moc"
