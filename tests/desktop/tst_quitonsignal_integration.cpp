// A signal ends Presently the way Quit does: the real `presently` binary, signed in to the stock Synapse (its
// default sync_online_timeout of 30 s would keep a silently ended client online for that long), gets SIGTERM,
// SIGINT or SIGHUP, or its X session ends (the session manager's SaveYourself for a shutdown); it exits cleanly,
// and within PresentlyApp::quitTimeoutMs its contact sees it offline. Runs on Xvfb (ui/with-tray.sh), as a
// desktop session has an X display.
#include "TestHomeserver.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTemporaryFile>
#include <QTest>

#include <csignal>

using namespace Qt::Literals::StringLiterals;

namespace {
constexpr int serverTimeoutMs = 30'000;
// PresentlyApp::quitTimeoutMs: what quitting may take at most, and so how soon others must see you offline.
constexpr int quitTimeoutMs = 3'000;
const QString password = u"correct horse"_s;

QString presenceOf(TestUser &observer, const QString &userId)
{
    return observer.presenceOf(userId).value("presence"_L1).toString();
}
} // namespace

class QuitOnSignalIntegrationTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_server.isValid(), qPrintable(m_server.problem()));
        QVERIFY(m_runtime.isValid());
        QVERIFY(m_passwordFile.open());
        m_passwordFile.write(password.toUtf8());
        m_passwordFile.close();
    }

    void othersSeeYouOfflineSoonAfterASignal_data()
    {
        QTest::addColumn<int>("signalNumber");
        QTest::newRow("SIGTERM") << SIGTERM;
        QTest::newRow("SIGINT") << SIGINT;
        QTest::newRow("SIGHUP") << SIGHUP;
    }

    void othersSeeYouOfflineSoonAfterASignal()
    {
        QFETCH(int, signalNumber);
        QProcess presently;
        QSignalSpy finished(&presently, &QProcess::finished);
        const auto [alice, bob] = startAliceWatchedByBob(presently);
        if (QTest::currentTestFailed())
            return;
        // Signing in published "online", the one update rc_presence allows per window: an "offline" within
        // it would be refused (429) and wait, whatever the client does. The signal comes once that is over.
        QTest::qWait(rcPresenceWindowMs);

        QElapsedTimer sinceSignal;
        sinceSignal.start();
        QCOMPARE(::kill(pid_t(presently.processId()), signalNumber), 0);
        QTRY_COMPARE_WITH_TIMEOUT(presenceOf(*bob, alice.userId), u"offline"_s, serverTimeoutMs);
        const qint64 seenOfflineMs = sinceSignal.elapsed();
        qInfo("%s: bob saw alice offline %.2f s after the signal", strsignal(signalNumber), seenOfflineMs / 1000.0);
        QVERIFY2(seenOfflineMs <= quitTimeoutMs, qPrintable(u"%1 ms"_s.arg(seenOfflineMs)));

        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, quitTimeoutMs);  // offline was its last word
        QCOMPARE(presently.exitStatus(), QProcess::NormalExit);
        QCOMPARE(presently.exitCode(), 0);
    }

    void aSignalRightAfterAChangeWaitsOutTheRateLimit()
    {
        QProcess presently;
        QSignalSpy finished(&presently, &QProcess::finished);
        const auto [alice, bob] = startAliceWatchedByBob(presently);
        if (QTest::currentTestFailed())
            return;
        QTest::qWait(rcPresenceWindowMs);  // so that the change below is allowed, and uses up the window

        QProcess command;
        command.setProcessEnvironment(presently.processEnvironment());
        command.start(QStringLiteral(PRESENTLY_BINARY), {u"--presence"_s, u"away"_s});
        QVERIFY(command.waitForFinished(serverTimeoutMs));
        QCOMPARE(command.exitCode(), 0);
        QTRY_COMPARE_WITH_TIMEOUT(presenceOf(*bob, alice.userId), u"unavailable"_s, serverTimeoutMs);

        // "offline" now meets the server's 429: quitting waits it out rather than leave Alice away for the 30 s of
        // Synapse's sync timeout.
        QElapsedTimer sinceSignal;
        sinceSignal.start();
        QCOMPARE(::kill(pid_t(presently.processId()), SIGTERM), 0);
        QTRY_COMPARE_WITH_TIMEOUT(presenceOf(*bob, alice.userId), u"offline"_s, serverTimeoutMs);
        const qint64 seenOfflineMs = sinceSignal.elapsed();
        qInfo("bob saw alice offline %.2f s after the signal", seenOfflineMs / 1000.0);
        QVERIFY2(seenOfflineMs <= rcPresenceWindowMs + quitTimeoutMs, qPrintable(u"%1 ms"_s.arg(seenOfflineMs)));
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, quitTimeoutMs);
        QCOMPARE(presently.exitStatus(), QProcess::NormalExit);
        QCOMPARE(presently.exitCode(), 0);
    }

    void theDesktopSessionEndingSetsYouOffline()
    {
        // An X session manager of the test's own; Presently (on Xvfb, the xcb platform) registers with it.
        QProcess sessionManager;
        sessionManager.start(QStringLiteral(SESSION_MANAGER_BINARY), {});
        QVERIFY(sessionManager.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(sessionManager.canReadLine(), serverTimeoutMs);
        const QString announced = QString::fromUtf8(sessionManager.readLine()).trimmed();
        QVERIFY2(announced.startsWith("SESSION_MANAGER="_L1), qPrintable(announced));

        QProcess presently;
        QSignalSpy finished(&presently, &QProcess::finished);
        const auto [alice, bob] = startAliceWatchedByBob(presently, announced.section(u'=', 1));
        if (QTest::currentTestFailed())
            return;
        QVERIFY(waitForLine(sessionManager, "registered"));
        QTest::qWait(rcPresenceWindowMs);  // as above: signing in used up the rate limit's window

        // The session ends: SaveYourself with shutdown, which Qt hands over as commitDataRequest.
        QElapsedTimer sinceShutdown;
        sinceShutdown.start();
        sessionManager.write("shutdown\n");
        QTRY_COMPARE_WITH_TIMEOUT(presenceOf(*bob, alice.userId), u"offline"_s, serverTimeoutMs);
        const qint64 seenOfflineMs = sinceShutdown.elapsed();
        qInfo("bob saw alice offline %.2f s after the session manager's shutdown", seenOfflineMs / 1000.0);
        QVERIFY2(seenOfflineMs <= quitTimeoutMs, qPrintable(u"%1 ms"_s.arg(seenOfflineMs)));
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, quitTimeoutMs);
        QCOMPARE(presently.exitStatus(), QProcess::NormalExit);
        QCOMPARE(presently.exitCode(), 0);
        sessionManager.closeWriteChannel();
        QVERIFY(sessionManager.waitForFinished(serverTimeoutMs));
    }

private:
    // Whether `process` prints the line `expected` (other lines are skipped).
    static bool waitForLine(QProcess &process, const QByteArray &expected)
    {
        return QTest::qWaitFor([&] {
            while (process.canReadLine()) {
                if (process.readLine().trimmed() == expected)
                    return true;
            }
            return false;
        }, serverTimeoutMs);
    }

    // Registers Alice and Bob in a direct chat and starts the `presently` binary signed in as Alice (its control
    // socket private to this test, a member of the X session `sessionManager` names if any), once Bob sees her
    // online.
    std::pair<LoginSession, std::unique_ptr<TestUser>> startAliceWatchedByBob(QProcess &presently,
                                                                             const QString &sessionManager = {})
    {
        const LoginSession alice = m_server.registerUser(u"alice"_s, password);
        auto bob = std::make_unique<TestUser>(m_server.baseUrl(), m_server.registerUser(u"bob"_s));
        if (!bob->startDirectChatWith(alice))
            QTest::qFail("no direct chat", __FILE__, __LINE__);
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(u"XDG_RUNTIME_DIR"_s, m_runtime.path());
        if (sessionManager.isEmpty())
            environment.remove(u"SESSION_MANAGER"_s);
        else
            environment.insert(u"SESSION_MANAGER"_s, sessionManager);
        presently.setProcessEnvironment(environment);
        presently.setProcessChannelMode(QProcess::ForwardedChannels);  // its log, in this test's output
        presently.start(QStringLiteral(PRESENTLY_BINARY), {u"--homeserver"_s, m_server.baseUrl().toString(), u"--user"_s,
                                                           alice.userId, u"--password-file"_s, m_passwordFile.fileName()});
        if (!presently.waitForStarted()
            || !QTest::qWaitFor([&] { return presenceOf(*bob, alice.userId) == "online"_L1; }, serverTimeoutMs))
            QTest::qFail("presently never came online", __FILE__, __LINE__);
        return {alice, std::move(bob)};
    }

    TestHomeserver m_server;
    QTemporaryDir m_runtime;
    QTemporaryFile m_passwordFile;
};

QTEST_GUILESS_MAIN(QuitOnSignalIntegrationTest)
#include "tst_quitonsignal_integration.moc"
