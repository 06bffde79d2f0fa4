// The availability state machine with what the machine observes: idle -> away -> back, manual states never
// changed, sleep -> offline -> back; and the ActivityMonitor that turns idle times into idle/active, with
// injected idle sources. PUTs go to a FakeHomeserver so every request can be counted; the same flow against
// Synapse is in tests/session/tst_engine_integration.cpp.
#include "presence/ActivityMonitor.h"
#include "presence/AvailabilityController.h"
#include "desktop/DesktopIdleSources.h"
#include "FakeHomeserver.h"
#include "FakeIdleSource.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QKeyEvent>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::Literals::StringLiterals;

namespace {
const QString presencePath = u"/_matrix/client/v3/presence/"_s;
constexpr qint64 awayAfterMs = 5 * 60 * 1000;

QStringList putPresences(const FakeHomeserver &server)
{
    QStringList presences;
    for (const auto &request : server.requestsTo(presencePath, "PUT"))
        presences << QJsonDocument::fromJson(request.body).object().value("presence"_L1).toString();
    return presences;
}
} // namespace

class AutoAwayTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        m_server = std::make_unique<FakeHomeserver>();
        m_server->setFallback(presencePath, FakeHomeserver::Response::json(200, "{}"));
        m_api = m_server->apiFor(u"t"_s);
        m_availability = std::make_unique<AvailabilityController>(m_api.get());
        m_availability->setUserId(u"@me:x"_s);
        m_idle = new FakeIdleSource;
        m_monitor = std::make_unique<ActivityMonitor>(QList<IdleSource *>{m_idle});
        m_monitor->setAwayAfterMs(awayAfterMs);
        m_monitor->setIdlePollMs(1000);
        connect(m_monitor.get(), &ActivityMonitor::idleChanged, m_availability.get(), &AvailabilityController::setIdle);
    }

    void cleanup()
    {
        m_monitor.reset();
        m_availability.reset();
        m_api.reset();
        m_server.reset();
    }

    void idleMakesOnlineAwayAndActivityBringsItBack()
    {
        choose(Presence::Online);
        QSignalSpy syncPresence(m_availability.get(), &AvailabilityController::syncPresenceChanged);
        m_idle->setIdleMs(awayAfterMs + 1);
        m_monitor->start();
        QVERIFY(m_monitor->isIdle());
        QCOMPARE(m_availability->effective(), Presence::Unavailable);
        QVERIFY(m_availability->isAutoAway());
        QCOMPARE(m_availability->chosen(), Presence::Online);  // the choice is kept
        QCOMPARE(m_availability->syncSetPresence(), u"unavailable"_s);  // or every sync would undo it
        QCOMPARE(syncPresence.count(), 1);
        QTRY_COMPARE(putPresences(*m_server), (QStringList{u"online"_s, u"unavailable"_s}));

        m_idle->setIdleMs(200);  // the user touched the mouse; noticed on the next idle-time poll
        QTRY_VERIFY_WITH_TIMEOUT(!m_monitor->isIdle(), 3000);
        QCOMPARE(m_availability->effective(), Presence::Online);
        QVERIFY(!m_availability->isAutoAway());
        QCOMPARE(m_availability->syncSetPresence(), u"online"_s);
        QTRY_COMPARE(putPresences(*m_server), (QStringList{u"online"_s, u"unavailable"_s, u"online"_s}));
    }

    void freeForChatGoesAwayAndComesBackAsFreeForChat()
    {
        choose(Presence::FreeForChat);
        m_availability->setIdle(true);
        QCOMPARE(m_availability->effective(), Presence::Unavailable);
        m_availability->setIdle(false);
        QCOMPARE(m_availability->effective(), Presence::FreeForChat);
        QTRY_COMPARE(putPresences(*m_server), (QStringList{u"free_for_chat"_s, u"unavailable"_s, u"free_for_chat"_s}));
    }

    void manualStatesAreNeverChangedByIdleness_data()
    {
        QTest::addColumn<Presence>("choice");
        QTest::newRow("away") << Presence::Unavailable;
        QTest::newRow("busy") << Presence::Busy;
        QTest::newRow("appear offline") << Presence::Hidden;
        QTest::newRow("offline") << Presence::Offline;
    }

    void manualStatesAreNeverChangedByIdleness()
    {
        QFETCH(Presence, choice);
        choose(choice);
        const QString syncPresence = m_availability->syncSetPresence();
        const int puts = m_server->requestsTo(presencePath, "PUT").size();
        QSignalSpy effective(m_availability.get(), &AvailabilityController::effectiveChanged);
        m_availability->setIdle(true);
        m_availability->setIdle(false);
        QTest::qWait(200);
        QCOMPARE(effective.count(), 0);
        QCOMPARE(m_availability->effective(), choice);
        QVERIFY(!m_availability->isAutoAway());
        QCOMPARE(m_availability->syncSetPresence(), syncPresence);
        QCOMPARE(m_server->requestsTo(presencePath, "PUT").size(), puts);
    }

    void aChoiceWhileIdleIsTakenAndStillIdle()
    {
        choose(Presence::Online);
        m_availability->setIdle(true);
        choose(Presence::Busy);  // a manual choice while idle stands as chosen
        QCOMPARE(m_availability->effective(), Presence::Busy);
        choose(Presence::Online);  // back to Online while still idle: away until activity
        QCOMPARE(m_availability->effective(), Presence::Unavailable);
    }

    void sleepSetsOfflineAndWakingRestoresTheChoice()
    {
        choose(Presence::Unavailable);
        QSignalSpy wantsSync(m_availability.get(), &AvailabilityController::wantsSyncChanged);
        m_availability->setSuspended(true);
        QCOMPARE(m_availability->effective(), Presence::Offline);
        QVERIFY(!m_availability->wantsSync());
        QCOMPARE(wantsSync.count(), 1);
        QTRY_COMPARE(putPresences(*m_server).last(), u"offline"_s);
        m_availability->setSuspended(false);
        QCOMPARE(m_availability->effective(), Presence::Unavailable);
        QVERIFY(m_availability->wantsSync());
        QTRY_COMPARE(putPresences(*m_server), (QStringList{u"unavailable"_s, u"offline"_s, u"unavailable"_s}));
    }

    void quittingIsOfflineWhateverTheMachineSays()
    {
        choose(Presence::Online);
        m_availability->setIdle(true);
        choose(Presence::Offline);  // what PresentlyApp::quit does
        QCOMPARE(m_availability->effective(), Presence::Offline);
        QVERIFY(!m_availability->wantsSync());
        m_availability->setIdle(false);
        QCOMPARE(m_availability->effective(), Presence::Offline);
        QTRY_COMPARE(putPresences(*m_server).last(), u"offline"_s);
    }

    void theMonitorAsksTheFirstSourceThatAnswers()
    {
        auto *screenSaver = new FakeIdleSource(u"screen saver"_s);
        auto *mutter = new FakeIdleSource(u"mutter"_s);
        auto *x11 = new FakeIdleSource(u"x11"_s);
        screenSaver->setIdleMs(std::nullopt);
        mutter->setIdleMs(std::nullopt);
        x11->setIdleMs(awayAfterMs);
        ActivityMonitor monitor({screenSaver, mutter, x11});
        monitor.setAwayAfterMs(awayAfterMs);
        monitor.setIdlePollMs(1000);
        QSignalSpy idle(&monitor, &ActivityMonitor::idleChanged);
        monitor.start();
        QCOMPARE(idle.count(), 1);
        QCOMPARE(monitor.sourceName(), u"x11"_s);
        QTRY_VERIFY_WITH_TIMEOUT(x11->queries() >= 2, 3000);
        QCOMPARE(screenSaver->queries(), 1);  // a source that could not answer is not asked again
        QCOMPARE(mutter->queries(), 1);
    }

    void theMonitorPollsSparselyWhileActive()
    {
        m_idle->setIdleMs(awayAfterMs - 1500);
        m_monitor->start();
        QCOMPARE(m_idle->queries(), 1);
        QTest::qWait(800);
        QCOMPARE(m_idle->queries(), 1);  // the next poll is when the threshold could first be crossed
        m_idle->setIdleMs(awayAfterMs);
        QTRY_VERIFY_WITH_TIMEOUT(m_monitor->isIdle(), 3000);
        QCOMPARE(m_idle->queries(), 2);

        m_idle->setIdleMs(0);
        m_monitor->setAwayAfterMs(0);  // automatic away turned off: active, and no more polling
        QVERIFY(!m_monitor->isIdle());
        const int queries = m_idle->queries();
        QTest::qWait(1500);
        QCOMPARE(m_idle->queries(), queries);
    }

    void inputToTheAppResetsItsIdleTime()
    {
        qint64 now = 1000;
        QObject watched;
        AppInputIdleSource source(&watched, [&now] { return now; });
        QSignalSpy answers(&source, &IdleSource::idleTime);
        now += 90000;
        source.query();
        QCOMPARE(answers.takeFirst().at(0).toLongLong(), 90000);
        QKeyEvent press(QEvent::KeyPress, Qt::Key_A, Qt::NoModifier);
        QCoreApplication::sendEvent(&watched, &press);
        now += 40;
        source.query();
        QCOMPARE(answers.takeFirst().at(0).toLongLong(), 40);
        QEvent paint(QEvent::UpdateRequest);  // not input
        QCoreApplication::sendEvent(&watched, &paint);
        now += 10;
        source.query();
        QCOMPARE(answers.takeFirst().at(0).toLongLong(), 50);
    }

private:
    void choose(Presence presence)
    {
        QSignalSpy published(m_availability.get(), &AvailabilityController::published);
        m_availability->choose(presence);
        QVERIFY(published.wait(5000));
    }

    std::unique_ptr<FakeHomeserver> m_server;
    std::unique_ptr<HomeserverApi> m_api;
    std::unique_ptr<AvailabilityController> m_availability;
    FakeIdleSource *m_idle = nullptr;  // owned by m_monitor
    std::unique_ptr<ActivityMonitor> m_monitor;
};

QTEST_GUILESS_MAIN(AutoAwayTest)
#include "tst_autoaway.moc"
