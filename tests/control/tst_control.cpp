// Scripting, as a script meets it: the real `presently` binary controls an instance signed in to the real
// Synapse fixture — sets your presence and status (bob sees them on the server), prints your state and the
// roster as JSON (with bob's latest change), streams changes with --watch, shows the running window on a
// second start, and says clearly, with its exit code, when the options are wrong or nothing runs.
#include "session/Account.h"
#include "control/ControlServer.h"
#include "window/MainWindow.h"
#include "app/PresentlyApp.h"
#include "TestHomeserver.h"
#include "WidgetTestSupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace {
constexpr int serverTimeoutMs = 30000;
constexpr int processTimeoutMs = 30000;

struct Finished {
    int exitCode = -1;  // -1: it did not finish in time
    QByteArray out;
    QByteArray err;
};

// Starts `presently` as a script would, talking to the instance whose socket is under `runtimeDir`.
void startPresently(QProcess &process, const QStringList &arguments, const QString &runtimeDir)
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
    environment.insert(u"XDG_RUNTIME_DIR"_s, runtimeDir);
    process.setProcessEnvironment(environment);
    process.start(QStringLiteral(PRESENTLY_BINARY), arguments);
}

// Runs `presently` to the end. The event loop keeps running meanwhile: the instance it talks to is this test.
Finished runPresently(const QStringList &arguments, const QString &runtimeDir)
{
    QProcess process;
    QSignalSpy finished(&process, &QProcess::finished);
    startPresently(process, arguments, runtimeDir);
    if (!finished.wait(processTimeoutMs)) {
        process.kill();
        process.waitForFinished();
        return {};
    }
    return {process.exitCode(), process.readAllStandardOutput(), process.readAllStandardError()};
}

// The --watch lines read so far, and whether one of them is what a test waits for.
class WatchOutput {
public:
    explicit WatchOutput(QProcess &process) : m_process(process) {}
    bool saw(const QJsonObject &fields) { return count(fields) > 0; }
    // How many lines read so far have these fields.
    qsizetype count(const QJsonObject &fields)
    {
        while (m_process.canReadLine())
            m_events.append(QJsonDocument::fromJson(m_process.readLine()).object());
        return std::ranges::count_if(m_events, [&fields](const QJsonObject &event) {
            return std::ranges::all_of(fields.keys(), [&](const QString &key) { return event.value(key) == fields.value(key); });
        });
    }

private:
    QProcess &m_process;
    QList<QJsonObject> m_events;
};
} // namespace

class ControlTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        WidgetTest::useHome(m_home);
        // The control socket lives here, private to this run.
        QVERIFY(m_runtime.isValid());
        qputenv("XDG_RUNTIME_DIR", QFile::encodeName(m_runtime.path()));
        QVERIFY2(m_server.isValid(), qPrintable(m_server.problem()));
        m_alice = m_server.registerUser(u"alice"_s, m_password);
        m_bob = std::make_unique<TestUser>(m_server.baseUrl(), m_server.registerUser(u"bob"_s));
        QVERIFY(m_bob->startDirectChatWith(m_alice));
        // A second shared room: a new name then reaches alice as two member events, often in two syncs.
        const QString team = m_bob->createRoom({m_alice.userId}, false, u"Team"_s);
        QVERIFY(!team.isEmpty());
        QVERIFY(TestUser(m_server.baseUrl(), m_alice).join(team));
        QVERIFY(m_bob->setPresence(u"online"_s, u"Around"_s));

        m_app = std::make_unique<PresentlyApp>();
        QVERIFY2(m_app->controlServer()->listen(), qPrintable(m_app->controlServer()->problem()));
        m_app->startWithPassword(m_server.baseUrl().toString(), m_alice.userId, m_password);
        QTRY_VERIFY_WITH_TIMEOUT(m_app->window()->isVisible(), serverTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(m_app->account()->contacts()->rowCount(), 1, serverTimeoutMs);
    }

    void theHelpListsTheScriptingOptions()
    {
        const Finished help = run({u"--help"_s});
        QCOMPARE(help.exitCode, 0);
        for (const char *option : {"--presence <state>", "--status <text>", "--get", "--roster", "--json", "--watch", "--invite <user>"})
            QVERIFY2(help.out.contains(option), option);
    }

    void presenceAndStatusReachTheServer()
    {
        const Finished set = run({u"--presence"_s, u"away"_s, u"--status"_s, u"At lunch"_s});
        QCOMPARE(set.exitCode, 0);
        QVERIFY(set.out.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(WidgetTest::presenceOnServer(*m_bob, m_alice.userId), u"unavailable"_s, serverTimeoutMs);
        QCOMPARE(WidgetTest::statusOnServer(*m_bob, m_alice.userId), u"At lunch"_s);
    }

    void getPrintsYourStateAsJson()
    {
        const Finished get = run({u"--get"_s});
        QCOMPARE(get.exitCode, 0);
        const QJsonObject state = QJsonDocument::fromJson(get.out).object();
        QCOMPARE(state.value("user_id"_L1), QJsonValue(m_alice.userId));
        QCOMPARE(state.value("presence"_L1), QJsonValue(u"unavailable"_s));
        QCOMPARE(state.value("advertised"_L1), QJsonValue(u"unavailable"_s));
        QCOMPARE(state.value("status_msg"_L1), QJsonValue(u"At lunch"_s));
        QCOMPARE(state.value("connection"_L1), QJsonValue(u"live"_s));
        QVERIFY(state.value("display_name"_L1).isString());
    }

    void theRosterReportsBobsChange()
    {
        QVERIFY(m_bob->setPresence(u"online"_s, u"Reading the manual"_s));
        QTRY_COMPARE_WITH_TIMEOUT(bobInRoster().value("status_msg"_L1), QJsonValue(u"Reading the manual"_s), serverTimeoutMs);
        const QJsonObject bob = bobInRoster();
        QStringList keys = bob.keys();
        keys.sort();
        QCOMPARE(keys, (QStringList{u"currently_active"_s, u"display_name"_s, u"groups"_s, u"invitation"_s,
                                    u"last_active_ts"_s, u"nickname"_s, u"presence"_s, u"status_msg"_s, u"user_id"_s}));
        QCOMPARE(bob.value("presence"_L1), QJsonValue(u"online"_s));
        QVERIFY(bob.value("currently_active"_L1).isBool());
        QVERIFY(bob.value("last_active_ts"_L1).isDouble() || bob.value("last_active_ts"_L1).isNull());

        const Finished table = run({u"--roster"_s});
        QCOMPARE(table.exitCode, 0);
        QVERIFY(table.out.startsWith("PRESENCE"));
        QVERIFY(table.out.contains(m_bob->userId().toUtf8()));
        QVERIFY(table.out.contains("Reading the manual"));
    }

    void watchPrintsEachChange()
    {
        QProcess watch;
        startPresently(watch, {u"--watch"_s}, m_runtime.path());
        WatchOutput output(watch);
        QTRY_VERIFY_WITH_TIMEOUT(output.saw({{u"event"_s, u"self"_s}, {u"user_id"_s, m_alice.userId}}), processTimeoutMs);

        QVERIFY(m_bob->setPresence(u"unavailable"_s, u"Back at three"_s));
        QTRY_VERIFY_WITH_TIMEOUT(output.saw({{u"event"_s, u"contact"_s}, {u"user_id"_s, m_bob->userId()},
                                             {u"presence"_s, u"unavailable"_s}, {u"status_msg"_s, u"Back at three"_s}}),
                                 serverTimeoutMs);
        QCOMPARE(run({u"--status"_s, u"Watching"_s}).exitCode, 0);
        QTRY_VERIFY(output.saw({{u"event"_s, u"self"_s}, {u"status_msg"_s, u"Watching"_s}}));

        // A new name is one line, however many ways the server tells it; bob's next status change, streamed
        // after it, marks where any second line would have come.
        QVERIFY(m_bob->setDisplayName(u"Bob Renamed"_s));
        const QJsonObject renamed{{u"event"_s, u"contact"_s}, {u"user_id"_s, m_bob->userId()},
                                  {u"display_name"_s, u"Bob Renamed"_s}, {u"status_msg"_s, u"Back at three"_s}};
        QTRY_VERIFY_WITH_TIMEOUT(output.saw(renamed), serverTimeoutMs);
        QVERIFY(m_bob->setPresence(u"unavailable"_s, u"Renamed"_s));
        QTRY_VERIFY_WITH_TIMEOUT(output.saw({{u"user_id"_s, m_bob->userId()}, {u"status_msg"_s, u"Renamed"_s}}),
                                 serverTimeoutMs);
        QCOMPARE(output.count(renamed), 1);

        watch.kill();
        watch.waitForFinished();
    }

    void aSecondStartShowsTheRunningWindow()
    {
        m_app->window()->hide();
        const Finished second = run({});
        QCOMPARE(second.exitCode, 0);
        QTRY_VERIFY(m_app->window()->isVisible());
    }

    void anUnknownPresenceIsAUsageError()
    {
        const Finished sideways = run({u"--presence"_s, u"sideways"_s});
        QCOMPARE(sideways.exitCode, 2);
        QVERIFY2(sideways.err.contains("away") && sideways.err.contains("appear_offline"), sideways.err.constData());
        QCOMPARE(m_app->account()->availability()->chosen(), Presence::Unavailable);
    }

    // --invite asks Carol to share presence; --roster --json shows her as "sent" and Dave's invitation to Alice as
    // "received", first, with its room.
    void inviteAndTheRosterShowInvitationsBothWays()
    {
        TestUser carol(m_server.baseUrl(), m_server.registerUser(u"carol"_s));
        TestUser dave(m_server.baseUrl(), m_server.registerUser(u"dave"_s));
        const QString fromDave = dave.createRoom({m_alice.userId}, true);
        QTRY_COMPARE_WITH_TIMEOUT(m_app->account()->incomingInvitations()->rowCount(), 1, serverTimeoutMs);

        const Finished invite = run({u"--invite"_s, carol.userId()});
        QCOMPARE(invite.exitCode, 0);
        QTRY_VERIFY_WITH_TIMEOUT(m_app->account()->contacts()->rowOf(carol.userId()) >= 0, serverTimeoutMs);
        const QJsonArray roster = QJsonDocument::fromJson(run({u"--roster"_s, u"--json"_s}).out).array();
        const QJsonObject first = roster.first().toObject();
        QCOMPARE(first.value("user_id"_L1), QJsonValue(dave.userId()));
        QCOMPARE(first.value("invitation"_L1), QJsonValue(u"received"_s));
        QCOMPARE(first.value("room_id"_L1), QJsonValue(fromDave));
        const auto carolEntry = std::ranges::find_if(roster, [&](const QJsonValue &entry) {
            return entry.toObject().value("user_id"_L1) == carol.userId();
        });
        QVERIFY(carolEntry != roster.end());
        QCOMPARE((*carolEntry).toObject().value("invitation"_L1), QJsonValue(u"sent"_s));

        const Finished notAnId = run({u"--invite"_s, u"carol"_s});
        QCOMPARE(notAnId.exitCode, 2);
        QVERIFY2(notAnId.err.contains("Matrix ID"), notAnId.err.constData());
        // Inviting a contact again is refused by the instance, with its reason.
        const Finished again = run({u"--invite"_s, carol.userId()});
        QVERIFY(again.exitCode != 0);
        QVERIFY2(again.err.contains("already"), again.err.constData());
    }

    void withoutAnInstanceItSaysSo()
    {
        QTemporaryDir elsewhere;
        const Finished get = runPresently({u"--get"_s}, elsewhere.path());
        QCOMPARE(get.exitCode, 3);
        QVERIFY(get.out.isEmpty());
        const QString expected = u"Presently is not running (no instance at %1/presently/control.sock)."_s.arg(elsewhere.path());
        QVERIFY2(QString::fromUtf8(get.err).contains(expected), get.err.constData());
    }

    void aWatchEndsWhenPresentlyQuits()
    {
        QProcess watch;
        QSignalSpy watchFinished(&watch, &QProcess::finished);
        startPresently(watch, {u"--watch"_s}, m_runtime.path());
        WatchOutput output(watch);
        QTRY_VERIFY_WITH_TIMEOUT(output.saw({{u"event"_s, u"self"_s}}), processTimeoutMs);

        QSignalSpy appFinished(m_app.get(), &PresentlyApp::finished);
        m_app->quit();
        QVERIFY(appFinished.wait(PresentlyApp::quitTimeoutMs + 1000));
        m_app.reset();
        QVERIFY(watchFinished.wait(processTimeoutMs));
        QCOMPARE(watch.exitCode(), 3);
        QVERIFY(watch.readAllStandardError().contains("Presently quit."));
        QCOMPARE(run({u"--get"_s}).exitCode, 3);
    }

private:
    Finished run(const QStringList &arguments) const { return runPresently(arguments, m_runtime.path()); }

    QJsonObject bobInRoster() const
    {
        const QJsonArray roster = QJsonDocument::fromJson(run({u"--roster"_s, u"--json"_s}).out).array();
        for (const QJsonValue &contact : roster)
            if (contact.toObject().value("user_id"_L1) == m_bob->userId())
                return contact.toObject();
        return {};
    }

    QTemporaryDir m_home;
    QTemporaryDir m_runtime;
    TestHomeserver m_server;
    QString m_password = u"alice's password"_s;
    LoginSession m_alice;
    std::unique_ptr<TestUser> m_bob;
    std::unique_ptr<PresentlyApp> m_app;
};

QTEST_MAIN(ControlTest)
#include "tst_control.moc"
