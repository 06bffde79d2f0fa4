// The session across starts, as a person meets it, against the real Synapse fixture: sign in once and the
// next start is signed in; without a keychain the user is told and the token is private to them; an expired
// session asks for the password again; signing out revokes the token; quitting says "offline" first and
// never waits long for a server that does not answer.
#include "session/Account.h"
#include "window/ConnectionBanner.h"
#include "window/ContactDelegate.h"
#include "window/HeaderWidget.h"
#include "FakeHomeserver.h"
#include "window/MainWindow.h"
#include "app/PresentlyApp.h"
#include "roster/Roster.h"
#include "roster/RosterFilterModel.h"
#include "RosterRows.h"
#include "window/RosterWidget.h"
#include "session/SessionStore.h"
#include "store/RosterCache.h"
#include "dialogs/SignInDialog.h"
#include "TestHomeserver.h"
#include "WidgetTestSupport.h"

#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

using namespace Qt::Literals::StringLiterals;

namespace {
constexpr int serverTimeoutMs = 30000;

QByteArray fileContents(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}
} // namespace

class SessionTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        WidgetTest::useHome(m_home);
        QVERIFY2(m_server.isValid(), qPrintable(m_server.problem()));
        m_alice = m_server.registerUser(u"alice"_s, m_password);
        m_bob = std::make_unique<TestUser>(m_server.baseUrl(), m_server.registerUser(u"bob"_s));
        QVERIFY(m_bob->startDirectChatWith(m_alice));
        // Quitting is checked with an account that has one device: Synapse shows a user online while any of
        // their devices synced recently, and the earlier steps leave alice with several.
        m_dana = m_server.registerUser(u"dana"_s, m_password);
        QVERIFY(m_bob->startDirectChatWith(m_dana));
        QVERIFY(m_bob->setPresence(u"online"_s, u"Around"_s));
    }

    // The cases share one home, and several sign in as @me:x on a fake server of their own: a roster cache one of
    // them left would be resumed by the next (another server's stream). The real server's cases do not need it.
    void init()
    {
        QVERIFY(QDir(RosterCache::directory()).removeRecursively());
    }

    void theSmallRoomLimitIsASetting()
    {
        QSettings settings;
        settings.setValue(PresentlyApp::smallRoomLimitKey, 7);
        QCOMPARE(PresentlyApp().account()->roster()->smallRoomLimit(), 7);
        settings.setValue(PresentlyApp::smallRoomLimitKey, u"lots"_s);
        QCOMPARE(PresentlyApp().account()->roster()->smallRoomLimit(), Roster::defaultSmallRoomLimit);
        settings.remove(PresentlyApp::smallRoomLimitKey);
        QCOMPARE(PresentlyApp().account()->roster()->smallRoomLimit(), Roster::defaultSmallRoomLimit);
    }

    void aSignInWithoutKeychainKeepsTheTokenPrivateAndSaysSo()
    {
        // The test machine has no secret service on D-Bus: the fallback must be private and announced.
        PresentlyApp app;
        app.startWithPassword(m_server.baseUrl().toString(), m_alice.userId, m_password);
        QTRY_VERIFY_WITH_TIMEOUT(app.window()->isVisible(), serverTimeoutMs);
        QMessageBox *notice = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((notice = WidgetTest::visibleTopLevel<QMessageBox>()) != nullptr, serverTimeoutMs);
        QCOMPARE(notice->textFormat(), Qt::PlainText);
        QVERIFY(notice->text().contains(SessionStore::tokenFilePath()));
        WidgetTest::saveScreenshot(notice, u"no-keychain-notice"_s);
        notice->accept();

        const QString token = app.account()->session().accessToken;
        QVERIFY(!token.isEmpty());
        const QFile::Permissions permissions = QFile::permissions(SessionStore::tokenFilePath());
        QVERIFY(permissions.testFlags(QFile::ReadOwner | QFile::WriteOwner));
        QVERIFY(!(permissions & (QFile::ReadGroup | QFile::WriteGroup | QFile::ExeGroup | QFile::ReadOther
                                 | QFile::WriteOther | QFile::ExeOther)));
        QCOMPARE(fileContents(SessionStore::tokenFilePath()), token.toUtf8());
        QSettings settings;
        QVERIFY(!fileContents(settings.fileName()).contains(token.toUtf8()));
        m_device = app.account()->session().deviceId;
        QVERIFY(!m_device.isEmpty());

        // Saving again (the next sign-in) keeps it in the file without telling the user a second time.
        SessionStore again;
        QSignalSpy toldAgain(&again, &SessionStore::tokenStoredInFile);
        QSignalSpy saved(&again, &SessionStore::saved);
        again.save(app.account()->session());
        QVERIFY(saved.wait(5000));
        QCOMPARE(toldAgain.count(), 0);
    }

    void theNextStartIsSignedInWithoutAsking()
    {
        m_app = std::make_unique<PresentlyApp>();
        m_app->start();
        QTRY_VERIFY_WITH_TIMEOUT(m_app->window()->isVisible(), serverTimeoutMs);
        QVERIFY(!WidgetTest::visibleTopLevel<SignInDialog>());
        QCOMPARE(m_app->account()->session().userId, m_alice.userId);
        QCOMPARE(m_app->account()->session().deviceId, m_device);  // the same device, not a new login
        QTRY_COMPARE_WITH_TIMEOUT(m_app->window()->roster()->filterModel()->contactCount(), 1, serverTimeoutMs);
    }

    void anEndedSessionAsksForThePasswordAgain()
    {
        const QString oldToken = m_app->account()->session().accessToken;
        // Another client ends this session (as "sign out everywhere" would); bob's change wakes the long-poll.
        TestUser sameSession(m_server.baseUrl(), m_app->account()->session());
        QVERIFY(sameSession.request("POST", u"/_matrix/client/v3/logout"_s).ok());
        QVERIFY(m_bob->setPresence(u"unavailable"_s, u"Back soon"_s));

        SignInDialog *dialog = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((dialog = WidgetTest::visibleTopLevel<SignInDialog>()) != nullptr, serverTimeoutMs);
        QCOMPARE(dialog->userField()->text(), m_alice.userId);
        QVERIFY(!dialog->messageLabel()->text().isEmpty());
        WidgetTest::saveScreenshot(dialog, u"session-ended"_s);
        QVERIFY(m_app->window()->isVisible());  // the roster stays on screen behind the dialog

        QTest::keyClicks(dialog->passwordField(), m_password);
        QTest::keyClick(dialog->passwordField(), Qt::Key_Return);
        QTRY_VERIFY_WITH_TIMEOUT(!WidgetTest::visibleTopLevel<SignInDialog>(), serverTimeoutMs);
        const QString newToken = m_app->account()->session().accessToken;
        QVERIFY(!newToken.isEmpty() && newToken != oldToken);
        QTRY_COMPARE_WITH_TIMEOUT(fileContents(SessionStore::tokenFilePath()), newToken.toUtf8(), serverTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(m_app->window()->roster()->filterModel()->contactCount(), 1, serverTimeoutMs);
    }

    void signingOutRevokesTheTokenAndForgetsIt()
    {
        const LoginSession session = m_app->account()->session();
        QAction *signOut = WidgetTest::menuAction(m_app->window(), u"Sign &out"_s);
        QVERIFY(signOut);
        signOut->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(WidgetTest::visibleTopLevel<SignInDialog>() != nullptr, serverTimeoutMs);
        QVERIFY(!m_app->window()->isVisible());
        TestUser revoked(m_server.baseUrl(), session);
        QCOMPARE(revoked.request("GET", u"/_matrix/client/v3/account/whoami"_s).status, 401);
        QVERIFY(!QFile::exists(SessionStore::tokenFilePath()));
        QVERIFY(!QSettings().contains(u"session/userId"_s));
        QCOMPARE(m_app->window()->roster()->filterModel()->contactCount(), 0);
    }

    void quittingSaysOfflineFirst()
    {
        SignInDialog *dialog = WidgetTest::visibleTopLevel<SignInDialog>();
        QVERIFY(dialog);
        dialog->serverField()->setText(m_server.baseUrl().toString());
        dialog->userField()->setText(m_dana.userId);
        QTest::keyClicks(dialog->passwordField(), m_password);
        QTest::keyClick(dialog->passwordField(), Qt::Key_Return);
        QTRY_VERIFY_WITH_TIMEOUT(m_app->window()->isVisible(), serverTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(WidgetTest::presenceOnServer(*m_bob, m_dana.userId), u"online"_s, serverTimeoutMs);

        // Signing in published "online" moments ago, the one update stock rc_presence allows per window: quitting
        // waits the rest of it out for "offline".
        QSignalSpy finished(m_app.get(), &PresentlyApp::finished);
        m_app->quit();
        QVERIFY(!m_app->window()->isVisible());
        QVERIFY(finished.wait(rcPresenceWindowMs + PresentlyApp::quitTimeoutMs + 1000));
        QCOMPARE(WidgetTest::presenceOnServer(*m_bob, m_dana.userId), u"offline"_s);
        m_app.reset();
    }

    void aSoftLogoutKeepsTheRosterAndAsksOnlyForThePassword()
    {
        // Synapse's own soft logout: a device whose access token expires (a refreshable token; the harness
        // sets refreshable_access_token_lifetime) gets 401 M_UNKNOWN_TOKEN with soft_logout: true.
        TestLogin refreshable = TestLogin::withPassword(m_password);
        refreshable.refreshable = true;
        const LoginSession expiring = m_server.loginAgain(m_alice.userId, refreshable);
        QVERIFY(!expiring.accessToken.isEmpty());

        PresentlyApp app;
        app.account()->syncLoop()->setServerTimeoutMs(2000);  // notice the expiry at the next short poll
        app.account()->signIn(expiring);
        QTRY_COMPARE_WITH_TIMEOUT(app.window()->roster()->filterModel()->contactCount(), 1, serverTimeoutMs);
        SignInDialog *dialog = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((dialog = WidgetTest::visibleTopLevel<SignInDialog>()) != nullptr, serverTimeoutMs);
        QVERIFY2(dialog->messageLabel()->text().contains(u"expired"_s), qPrintable(dialog->messageLabel()->text()));
        QCOMPARE(dialog->userField()->text(), m_alice.userId);
        QVERIFY(app.window()->isVisible());
        QCOMPARE(app.window()->roster()->filterModel()->contactCount(), 1);  // Bob stays, with his last state
        QVERIFY(QSettings().contains(u"session/userId"_s));  // the session is kept for the device
        QCOMPARE(QSettings().value(u"session/deviceId"_s).toString(), expiring.deviceId);
        const QString since = app.account()->syncLoop()->since();
        QVERIFY(!since.isEmpty());
        WidgetTest::saveScreenshot(dialog, u"session-expired"_s);

        QString sinceAtReconnect;
        connect(app.account(), &Account::stateChanged, &app, [&](Account::State state) {
            if (state == Account::State::Connecting)
                sinceAtReconnect = app.account()->syncLoop()->since();
        });
        QTest::keyClicks(dialog->passwordField(), m_password);
        QTest::keyClick(dialog->passwordField(), Qt::Key_Return);
        QTRY_VERIFY_WITH_TIMEOUT(!WidgetTest::visibleTopLevel<SignInDialog>(), serverTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(app.account()->state(), Account::State::Live, serverTimeoutMs);
        QCOMPARE(app.window()->roster()->filterModel()->contactCount(), 1);
        // The same device signs in again, so the server keeps what it knows about it, and the stream goes on.
        QCOMPARE(app.account()->deviceId(), expiring.deviceId);
        QCOMPARE(sinceAtReconnect, since);
    }

    void whileNotConnectedTheWindowSaysSoAndNobodyIsOnlineNow()
    {
        FakeHomeserver server;
        server.scriptSignedInAccount();
        server.enqueue(u"/_matrix/client/v3/sync"_s, FakeHomeserver::Response::json(200, R"({"next_batch":"s1",
            "rooms":{"join":{"!dm:x":{"summary":{"m.joined_member_count":2},"state":{"events":[
              {"type":"m.room.member","state_key":"@me:x","sender":"@me:x","content":{"membership":"join"}},
              {"type":"m.room.member","state_key":"@bob:x","sender":"@bob:x","content":{"membership":"join","displayname":"Bob"}}]}}}},
            "presence":{"events":[{"type":"m.presence","sender":"@bob:x","content":{"presence":"online","currently_active":true}}]}})"));
        server.setFallback(u"/_matrix/client/v3/sync"_s, FakeHomeserver::Response::json(502, "<html>Bad gateway</html>"));

        PresentlyApp app;
        app.startWithPassword(server.baseUrl().toString(), u"@me:x"_s, u"pw"_s);
        const RosterFilterModel *roster = app.window()->roster()->filterModel();
        QTRY_COMPARE_WITH_TIMEOUT(roster->contactCount(), 1, serverTimeoutMs);
        // Live, Bob is online now; the next sync fails and the window stops vouching for anyone.
        QTRY_COMPARE_WITH_TIMEOUT(app.account()->state(), Account::State::Reconnecting, serverTimeoutMs);
        const QModelIndex bob = shownContactAt(*roster, 0);
        QVERIFY(!bob.data(ContactListModel::CurrentlyActiveRole).toBool());
        QVERIFY(!ContactDelegate::tooltip(bob, QDateTime::currentMSecsSinceEpoch()).contains(u"online now"_s));
        ConnectionBanner *banner = app.window()->banner();
        QTRY_VERIFY_WITH_TIMEOUT(banner->isVisible(), serverTimeoutMs);
        QVERIFY2(banner->label()->text().contains(u"last known states, as of"_s), qPrintable(banner->label()->text()));
        QVERIFY(app.window()->header()->userIdLabel()->text().contains(u"not connected"_s));
        WidgetTest::saveScreenshot(app.window(), u"not-connected"_s);

        // Back: live again, and Bob's "online now" with it.
        server.setFallback(u"/_matrix/client/v3/sync"_s, FakeHomeserver::Response::hang());
        server.enqueue(u"/_matrix/client/v3/sync"_s, FakeHomeserver::Response::json(200, R"({"next_batch":"s2"})"));
        app.account()->retryNow();
        QTRY_COMPARE_WITH_TIMEOUT(app.account()->state(), Account::State::Live, serverTimeoutMs);
        QVERIFY(shownContactAt(*roster, 0).data(ContactListModel::CurrentlyActiveRole).toBool());
        QVERIFY(!app.window()->header()->userIdLabel()->text().contains(u"not connected"_s));
    }

    void theBannerSaysWhenItReconnectsAndRetriesOnRequest()
    {
        FakeHomeserver server;
        server.scriptSignedInAccount();
        server.setFallback(u"/_matrix/client/v3/sync"_s, FakeHomeserver::Response::json(503, "<html>Service Unavailable</html>"));
        PresentlyApp app;
        // Waits of a minute, so that "Retry now" has a wait to cut short (the real first waits are 1-2 s).
        RetryPolicy slow;
        slow.transient = {60'000, 60'000};
        slow.outageSteps = {};
        app.account()->syncLoop()->setRetryPolicy(slow);
        app.startWithPassword(server.baseUrl().toString(), u"@me:x"_s, u"pw"_s);
        QTRY_VERIFY_WITH_TIMEOUT(app.window()->isVisible(), serverTimeoutMs);
        ConnectionBanner *banner = app.window()->banner();
        QTRY_VERIFY_WITH_TIMEOUT(banner->isVisible() && banner->label()->text().contains(u"Reconnecting in"_s), serverTimeoutMs);
        QVERIFY(banner->label()->text().contains(u"503"_s));
        QCOMPARE(banner->actionButton()->text(), ConnectionBanner::tr("Retry now"));
        WidgetTest::saveScreenshot(app.window(), u"banner-reconnecting"_s);

        // The server is back; the person does not wait out a backoff of seconds.
        QTRY_VERIFY_WITH_TIMEOUT(app.account()->syncLoop()->retryRemainingMs() > 2000, serverTimeoutMs);
        server.setFallback(u"/_matrix/client/v3/sync"_s, FakeHomeserver::Response::json(200, R"({"next_batch":"s1"})"));
        const qsizetype before = server.requestsTo(u"/_matrix/client/v3/sync"_s).size();
        QTest::mouseClick(banner->actionButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(server.requestsTo(u"/_matrix/client/v3/sync"_s).size() > before, 1000);
        QTRY_VERIFY_WITH_TIMEOUT(!banner->isVisible(), serverTimeoutMs);
    }

    void quittingDoesNotWaitLongForAServerThatHangs()
    {
        FakeHomeserver server;
        server.scriptSignedInAccount();
        server.setFallback(u"/_matrix/client/v3/sync"_s, FakeHomeserver::Response::hang());

        PresentlyApp app;
        app.startWithPassword(server.baseUrl().toString(), u"@me:x"_s, u"pw"_s);
        QTRY_VERIFY_WITH_TIMEOUT(app.window()->isVisible(), serverTimeoutMs);
        QTRY_VERIFY(!server.requestsTo(u"/_matrix/client/v3/sync"_s).isEmpty());
        server.setFallback(u"/_matrix/client/v3/presence/"_s, FakeHomeserver::Response::hang());

        QSignalSpy finished(&app, &PresentlyApp::finished);
        QElapsedTimer waited;
        waited.start();
        app.quit();
        QVERIFY(finished.wait(PresentlyApp::quitTimeoutMs + 2000));
        // Coarse timers may fire up to 5% early.
        QVERIFY2(waited.elapsed() >= PresentlyApp::quitTimeoutMs * 9 / 10, qPrintable(QString::number(waited.elapsed())));
        const auto puts = server.requestsTo(u"/_matrix/client/v3/presence/"_s);
        QVERIFY(!puts.isEmpty());
        QVERIFY(puts.last().body.contains(R"("presence":"offline")"));
    }

    void aStartPaintsTheLastKnownRosterFromTheCache()
    {
        const QString syncPath = u"/_matrix/client/v3/sync"_s;
        FakeHomeserver server;
        server.scriptSignedInAccount();
        server.enqueue(syncPath, FakeHomeserver::Response::json(200, R"({"next_batch":"s1",
            "rooms":{"join":{"!dm:x":{"summary":{"m.joined_member_count":2},"state":{"events":[
              {"type":"m.room.member","state_key":"@me:x","sender":"@me:x","content":{"membership":"join"}},
              {"type":"m.room.member","state_key":"@bob:x","sender":"@bob:x","content":{"membership":"join","displayname":"Bob"}}]}}}},
            "account_data":{"events":[{"type":"m.direct","content":{"@bob:x":["!dm:x"]}}]},
            "presence":{"events":[{"type":"m.presence","sender":"@bob:x",
              "content":{"presence":"online","currently_active":true,"status_msg":"Around"}}]}})"));
        server.setFallback(syncPath, FakeHomeserver::Response::hang());
        {
            PresentlyApp first;
            first.startWithPassword(server.baseUrl().toString(), u"@me:x"_s, u"pw"_s);
            QTRY_COMPARE_WITH_TIMEOUT(first.window()->roster()->filterModel()->contactCount(), 1, serverTimeoutMs);
            first.account()->cache()->flush();
            QSignalSpy finished(&first, &PresentlyApp::finished);
            first.quit();
            QVERIFY(finished.wait(PresentlyApp::quitTimeoutMs + 2000));
        }

        // The next start: the server answers no sync, so what the window shows is the cache's.
        const qsizetype syncsBefore = server.requestsTo(syncPath).size();
        PresentlyApp second;
        second.start();
        QTRY_VERIFY_WITH_TIMEOUT(second.window()->isVisible(), serverTimeoutMs);
        const RosterFilterModel *roster = second.window()->roster()->filterModel();
        QCOMPARE(roster->contactCount(), 1);
        QCOMPARE(second.account()->state(), Account::State::Connecting);
        const QModelIndex bob = shownContactAt(*roster, 0);
        QCOMPARE(bob.data(Qt::DisplayRole).toString(), u"Bob"_s);
        QCOMPARE(bob.data(ContactListModel::StatusMessageRole).toString(), u"Around"_s);
        // The last known states: nobody is online now on the cache's word.
        QVERIFY(!bob.data(ContactListModel::CurrentlyActiveRole).toBool());
        QVERIFY(!ContactDelegate::tooltip(bob, QDateTime::currentMSecsSinceEpoch()).contains(u"online now"_s));
        ConnectionBanner *banner = second.window()->banner();
        QTRY_VERIFY_WITH_TIMEOUT(banner->isVisible(), serverTimeoutMs);
        QVERIFY2(banner->label()->text().contains(u"Connecting…"_s), qPrintable(banner->label()->text()));
        QVERIFY2(banner->label()->text().contains(u"last known states, as of"_s), qPrintable(banner->label()->text()));
        WidgetTest::saveScreenshot(second.window(), u"start-from-cache"_s);
        QTRY_VERIFY_WITH_TIMEOUT(server.requestsTo(syncPath).size() > syncsBefore, serverTimeoutMs);
        QCOMPARE(server.requestsTo(syncPath).constLast().query.queryItemValue(u"since"_s), u"s1"_s);  // resumed, not a full sync
    }

    void aKeychainThatDoesNotAnswerIsAskedAgainNotForgotten()
    {
        // A session whose token is in the keychain, and the keychain does not give it (this machine has no
        // secret service; a locked one answers the same way): not "no session", which would make a new device
        // at the next sign-in and leave the old token valid.
        QSettings settings;
        settings.setValue(u"session/homeserver"_s, m_server.baseUrl().toString());
        settings.setValue(u"session/userId"_s, m_alice.userId);
        settings.setValue(u"session/deviceId"_s, m_alice.deviceId);
        settings.setValue(u"session/tokenInFile"_s, false);
        settings.sync();

        PresentlyApp app;
        QSignalSpy finished(&app, &PresentlyApp::finished);
        app.start();
        QMessageBox *box = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((box = WidgetTest::visibleTopLevel<QMessageBox>()) != nullptr, serverTimeoutMs);
        QCOMPARE(box->textFormat(), Qt::PlainText);
        QVERIFY(box->text().contains(u"keychain"_s));
        QVERIFY(!WidgetTest::visibleTopLevel<SignInDialog>());
        QCOMPARE(app.account()->state(), Account::State::KeychainUnavailable);
        WidgetTest::saveScreenshot(box, u"keychain-unavailable"_s);

        QTest::mouseClick(box->button(QMessageBox::Retry), Qt::LeftButton);  // asked again, answered the same
        QTRY_VERIFY_WITH_TIMEOUT((box = WidgetTest::visibleTopLevel<QMessageBox>()) != nullptr, serverTimeoutMs);
        QTest::mouseClick(box->button(QMessageBox::Cancel), Qt::LeftButton);
        QVERIFY(finished.count() == 1 || finished.wait(2000));
        QCOMPARE(QSettings().value(u"session/userId"_s).toString(), m_alice.userId);  // kept for the next start
        QSettings().remove(u"session"_s);
    }

private:
    QTemporaryDir m_home;
    TestHomeserver m_server;
    QString m_password = u"alice's password"_s;
    LoginSession m_alice;
    LoginSession m_dana;
    QString m_device;
    std::unique_ptr<TestUser> m_bob;
    std::unique_ptr<PresentlyApp> m_app;
};

QTEST_MAIN(SessionTest)
#include "tst_session.moc"
