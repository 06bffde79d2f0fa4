// Contacts on another server: two stock Synapses that federate (the `synapse_federation` fixture,
// tests/homeserver/SynapseFixture.cmake). Alice runs the engine, signed in on server A; Bob and Carol are on
// server B and act through plain HTTP there. Everything of theirs reaches Alice through A: presence, profiles (in
// member events), B's media (A's authenticated media). Each test function is its own CTest test.
#include "session/Account.h"
#include "EngineUnderTest.h"
#include "RosterScenarios.h"
#include "TestHomeserver.h"

#include <QElapsedTimer>
#include <QImage>
#include <QProcess>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::Literals::StringLiterals;

namespace {

constexpr int serverTimeoutMs = 30'000;
// Waits for a presence change that may have to wait out rc_presence's window once (stock Synapse: one update per
// user per 10 s).
constexpr int rateLimitedTimeoutMs = 45'000;
// Alice's long-poll, short so that the syncs a "nothing changed" check waits for come within seconds.
constexpr int longPollMs = 1'000;
// The outage of the scenario: how long server B stays down.
constexpr int outageMs = 60'000;

// Runs tests/homeserver/homeserver.py with the project's venv (as the fixture does); true when it exits 0.
bool runHomeserverPy(const QStringList &arguments)
{
    QProcess process;
    process.setProcessChannelMode(QProcess::ForwardedChannels);
    process.start(QStringLiteral(PRESENTLY_VENV_PYTHON), QStringList{QStringLiteral(PRESENTLY_HOMESERVER_PY)} + arguments);
    return process.waitForFinished(180'000) && process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0;
}

} // namespace

class FederationIntegrationTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_serverA.isValid(), qPrintable(m_serverA.problem()));
        QVERIFY2(m_serverB.isValid(), qPrintable(m_serverB.problem()));
        QVERIFY(m_serverA.serverName() != m_serverB.serverName());
    }

    void aliceSeesBobsPresenceAndStatusFromAnotherServer()
    {
        auto [alice, bob] = aliceOnAAndBobOnBInADirectChat();
        QVERIFY(alice);
        const QString bobId = bob->userId();
        QVERIFY(bobId.endsWith(u':' + m_serverB.serverName()));  // @bob:127.0.0.1:<B's federation port>

        aliceSeesBobGoOnlineThenAwayWithAStatus(*alice, *bob);
        if (QTest::currentTestFailed())
            return;
        QVERIFY(bob->setPresence(u"offline"_s));
        QTRY_COMPARE_WITH_TIMEOUT(contactOf(*alice, bobId).state.presence, Presence::Offline, serverTimeoutMs);
        QVERIFY(contactOf(*alice, bobId).state.statusMessage.isEmpty());  // a PUT without status_msg clears it
    }

    void aliceSeesBobsNameAndAvatarFromAnotherServer()
    {
        auto [alice, bob] = aliceOnAAndBobOnBInADirectChat();
        QVERIFY(alice);
        const QString bobId = bob->userId();
        // Markup and an entity arrive as the text Bob typed, not interpreted on the way through A.
        const QString hostileName = u"Bob <b>Builder</b> &amp; <img src=x>"_s;
        QVERIFY(bob->setDisplayName(hostileName));
        QTRY_COMPARE_WITH_TIMEOUT(contactOf(*alice, bobId).displayName, hostileName, serverTimeoutMs);

        const QString avatar = bob->uploadPng(solidPng(QSize(64, 64), Qt::darkMagenta));
        const std::optional<MxcUri> uri = MxcUri::parse(avatar);
        QVERIFY2(uri, qPrintable(avatar));
        QCOMPARE(uri->serverName, m_serverB.serverName());  // mxc://127.0.0.1:<port>/…: B's media
        QVERIFY(bob->setAvatarUrl(avatar));
        QTRY_COMPARE_WITH_TIMEOUT(contactOf(*alice, bobId).avatarUrl, avatar, serverTimeoutMs);

        // The app's own fetcher, with Alice's token, asks A, which fetches the media from B over federation.
        QSignalSpy fetched(alice->thumbnails(), &ThumbnailFetcher::fetched);
        alice->thumbnails()->fetch(avatar);
        QTRY_COMPARE_WITH_TIMEOUT(fetched.count(), 1, serverTimeoutMs);
        QCOMPARE(fetched.at(0).at(0).toString(), avatar);
        const QImage thumbnail = QImage::fromData(fetched.at(0).at(1).toByteArray());
        QVERIFY(!thumbnail.isNull());
        // Bob's picture, whatever encoding the thumbnail got.
        const QColor middle = thumbnail.pixelColor(thumbnail.width() / 2, thumbnail.height() / 2);
        const QColor uploaded(Qt::darkMagenta);
        QVERIFY2(qAbs(middle.red() - uploaded.red()) + qAbs(middle.green() - uploaded.green())
                     + qAbs(middle.blue() - uploaded.blue()) <= 12, qPrintable(middle.name()));
        // Through authenticated media only: A serves B's media to Alice's token on the client API, and refuses the
        // same media on the legacy unauthenticated path.
        TestUser aliceHttp(m_serverA.baseUrl(), alice->session());
        const QString media = u"%1/%2"_s.arg(encodedSegment(uri->serverName), uri->mediaId);
        QCOMPARE(aliceHttp.request("GET", u"/_matrix/client/v1/media/download/"_s + media).status, 200);
        QCOMPARE(aliceHttp.request("GET", u"/_matrix/media/v3/download/"_s + media).status, 404);
    }

    void carolFromAnotherServerAppearsWhenSheJoinsAndDisappearsWhenSheLeaves()
    {
        auto [alice, bob] = aliceOnAAndBobOnBInADirectChat();
        QVERIFY(alice);
        TestUser carol(m_serverB.baseUrl(), m_serverB.registerUser(u"carol"_s));
        TestUser aliceHttp(m_serverA.baseUrl(), alice->session());
        ::carolAppearsWhenSheJoinsAndDisappearsWhenSheLeaves(*alice, aliceHttp, *bob, carol);
    }

    void bobSeesAlicesPresenceIncludingAppearOffline()
    {
        auto [alice, bob] = aliceOnAAndBobOnBInADirectChat();
        QVERIFY(alice);
        // Alice's engine syncs online; B learns it from A.
        QTRY_COMPARE_WITH_TIMEOUT(presenceAsSeenBy(*bob, alice->userId()), u"online"_s, serverTimeoutMs);

        alice->availability()->choose(Presence::Hidden);
        QCOMPARE(alice->availability()->syncSetPresence(), u"offline"_s);
        QTRY_COMPARE_WITH_TIMEOUT(presenceAsSeenBy(*bob, alice->userId()), u"offline"_s, rateLimitedTimeoutMs);
        // Alice keeps syncing (set_presence=offline) for longer than rc_presence's window, and none of her syncs
        // brings her back online on B.
        QVERIFY(alice->syncLoop()->isRunning());
        QVERIFY(waitForAnsweredSyncs(alice->syncLoop(), u"offline"_s, 2, rcPresenceWindowMs));
        QCOMPARE(presenceAsSeenBy(*bob, alice->userId()), u"offline"_s);
        QVERIFY(alice->contacts()->rowOf(bob->userId()) >= 0);
    }

    // Runs after the other functions (tests/CMakeLists.txt: DEPENDS), since it stops the server they share.
    void aliceSeesBobsChangesAfterServerBComesBack()
    {
        auto [alice, bob] = aliceOnAAndBobOnBInADirectChat();
        QVERIFY(alice);
        const QString bobId = bob->userId();
        QVERIFY(bob->setPresence(u"online"_s, u"Before the outage"_s));
        QTRY_COMPARE_WITH_TIMEOUT(contactOf(*alice, bobId).state.statusMessage, u"Before the outage"_s, serverTimeoutMs);

        // Alice's sync loop must stay alive throughout: it talks to A, which stays up.
        QList<SyncLoop::State> aliceLoopStates;
        connect(alice->syncLoop(), &SyncLoop::stateChanged, this, [&](SyncLoop::State state) { aliceLoopStates << state; });
        int answeredDuringOutage = 0;
        const QMetaObject::Connection countingAnswers = connect(alice->syncLoop(), &SyncLoop::answered, this,
                                                                [&] { ++answeredDuringOutage; });

        const QStringList serverB{u"--dir"_s, m_serverB.directory()};
        QVERIFY(runHomeserverPy(QStringList{u"stop"_s} + serverB));
        // Whatever fails below, B comes back for the fixture's stop (same directory, same keys and database).
        auto restartB = qScopeGuard([&] { runHomeserverPy(QStringList{u"start"_s} + serverB); });
        QCOMPARE(bob->request("GET", u"/health"_s).status, 0);  // nothing answers on B's port
        // The outage is the scenario: B stays down for a minute of wall-clock time, during which Alice's engine runs
        // on (this wait processes its events). Not a wait for something to happen.
        QTest::qWait(outageMs);
        const Contact duringOutage = contactOf(*alice, bobId);
        // A keeps B's users' last presence while B is unreachable (it times remote users out only after 30 min).
        qInfo().noquote() << "During B's outage Alice's roster shows Bob as" << presenceName(duringOutage.state.presence)
                          << "currently active:" << duringOutage.state.currentlyActive
                          << "status:" << duringOutage.state.statusMessage;
        disconnect(countingAnswers);
        QVERIFY2(aliceLoopStates.isEmpty(), "Alice's sync loop left Live while only B was down");
        QCOMPARE(alice->syncLoop()->state(), SyncLoop::State::Live);
        QVERIFY2(answeredDuringOutage >= outageMs / longPollMs / 2, qPrintable(QString::number(answeredDuringOutage)));

        QVERIFY(runHomeserverPy(QStringList{u"start"_s} + serverB));
        restartB.dismiss();
        QElapsedTimer sinceBack;
        sinceBack.start();
        // Online, with a new status. (An "unavailable" PUT at this point reached Alice as offline with its status
        // message in a trial run: B, back after a minute, timed out Bob, who has no syncing device. That is B's stock
        // presence timers at work, not federation.)
        QVERIFY(bob->setPresence(u"online"_s, u"Back after the outage"_s));
        QTRY_COMPARE_WITH_TIMEOUT(contactOf(*alice, bobId).state.statusMessage, u"Back after the outage"_s, serverTimeoutMs);
        QCOMPARE(contactOf(*alice, bobId).state.presence, Presence::Online);
        qInfo() << "Bob's change reached Alice's roster" << sinceBack.elapsed() << "ms after B answered /health again";
        QVERIFY(aliceLoopStates.isEmpty());
    }

private:
    static QString presenceAsSeenBy(TestUser &observer, const QString &userId)
    {
        return observer.presenceOf(userId).value("presence"_L1).toString();
    }

    // Alice (engine, on A) and Bob (plain HTTP, on B) in a direct chat, Bob already on Alice's roster.
    std::pair<std::unique_ptr<Account>, std::unique_ptr<TestUser>> aliceOnAAndBobOnBInADirectChat()
    {
        const LoginSession aliceSession = m_serverA.registerUser(u"alice"_s);
        auto bob = std::make_unique<TestUser>(m_serverB.baseUrl(), m_serverB.registerUser(u"bob"_s));
        if (aliceSession.userId.isEmpty() || bob->userId().isEmpty() || !bob->startDirectChatWith(aliceSession))
            return {};
        auto alice = startEngine(aliceSession, longPollMs);
        if (!QTest::qWaitFor([&] { return alice->contacts()->rowOf(bob->userId()) >= 0; }, serverTimeoutMs))
            return {};
        return {std::move(alice), std::move(bob)};
    }

    TestHomeserver m_serverA;
    TestHomeserver m_serverB{"PRESENTLY_TEST_HOMESERVER_B"};
};

QTEST_GUILESS_MAIN(FederationIntegrationTest)
#include "tst_federation_integration.moc"
