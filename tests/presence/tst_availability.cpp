// AvailabilityController: the mapping from the user's choice to PUT presence and /sync set_presence, and
// how it copes with a rate-limited or busy server. Synapse's own answers (free_for_chat refused, busy
// accepted, hidden) are checked in tests/session/tst_engine_integration.cpp.
#include "presence/AvailabilityController.h"
#include "FakeHomeserver.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::Literals::StringLiterals;

namespace {
const QString presencePath = u"/_matrix/client/v3/presence/"_s;

QJsonObject bodyOf(const FakeHomeserver::Request &request)
{
    return QJsonDocument::fromJson(request.body).object();
}
} // namespace

class AvailabilityTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        m_server = std::make_unique<FakeHomeserver>();
        m_api = m_server->apiFor(u"t"_s);
        m_controller = std::make_unique<AvailabilityController>(m_api.get());
        m_controller->setUserId(u"@me:x"_s);
        m_server->setFallback(presencePath, FakeHomeserver::Response::json(200, "{}"));
    }

    void cleanup()
    {
        m_controller.reset();
        m_api.reset();
        m_server.reset();
    }

    void choicesMapToPutAndSync_data()
    {
        QTest::addColumn<Presence>("choice");
        QTest::addColumn<bool>("busySupported");
        QTest::addColumn<QString>("put");
        QTest::addColumn<QString>("sync");
        QTest::addColumn<Presence>("advertised");
        QTest::addColumn<bool>("wantsSync");
        QTest::newRow("online") << Presence::Online << false << u"online"_s << u"online"_s << Presence::Online << true;
        QTest::newRow("free for chat") << Presence::FreeForChat << false << u"free_for_chat"_s << u"online"_s << Presence::FreeForChat << true;
        QTest::newRow("away") << Presence::Unavailable << false << u"unavailable"_s << u"unavailable"_s << Presence::Unavailable << true;
        QTest::newRow("busy, announced") << Presence::Busy << true << u"org.matrix.msc3026.busy"_s << u"online"_s << Presence::Busy << true;
        // Issue 8: synced as online, the next sync made a server without busy show the user online again.
        QTest::newRow("busy, not announced") << Presence::Busy << false << u"unavailable"_s << u"unavailable"_s << Presence::Unavailable << true;
        QTest::newRow("appear offline") << Presence::Hidden << false << u"offline"_s << u"offline"_s << Presence::Offline << true;
        QTest::newRow("offline") << Presence::Offline << false << u"offline"_s << u"offline"_s << Presence::Offline << false;
    }

    void choicesMapToPutAndSync()
    {
        QFETCH(Presence, choice);
        QFETCH(bool, busySupported);
        QFETCH(QString, put);
        QFETCH(QString, sync);
        QFETCH(Presence, advertised);
        QFETCH(bool, wantsSync);
        m_controller->setServerVersions(ServerVersions{{u"v1.11"_s}, {{u"org.matrix.msc3026.busy_presence"_s, busySupported}}});
        QSignalSpy published(m_controller.get(), &AvailabilityController::published);
        m_controller->chooseWithStatus(choice, u"Writing"_s);
        QCOMPARE(m_controller->syncSetPresence(), sync);
        QCOMPARE(m_controller->advertised(), advertised);
        QCOMPARE(m_controller->wantsSync(), wantsSync);
        QVERIFY(published.wait(5000));
        const auto requests = m_server->requestsTo(presencePath, "PUT");
        QCOMPARE(requests.size(), 1);
        QCOMPARE(requests.at(0).method, "PUT");
        QCOMPARE(requests.at(0).path, u"/_matrix/client/v3/presence/%40me%3Ax/status"_s);
        QCOMPARE(bodyOf(requests.at(0)).value("presence"_L1).toString(), put);
        QCOMPARE(bodyOf(requests.at(0)).value("status_msg"_L1).toString(), u"Writing"_s);
    }

    void changesWhileAPutIsInFlightAreCoalesced()
    {
        m_server->enqueue(presencePath, [] { auto r = FakeHomeserver::Response::json(200, "{}"); r.delayMs = 300; return r; }());
        QSignalSpy published(m_controller.get(), &AvailabilityController::published);
        m_controller->choose(Presence::Unavailable);
        m_controller->choose(Presence::Online);
        m_controller->choose(Presence::Hidden);
        m_controller->setStatusMessage(u"gone"_s);
        QTRY_COMPARE_WITH_TIMEOUT(published.count(), 2, 5000);
        QTest::qWait(200);
        const auto requests = m_server->requestsTo(presencePath, "PUT");
        QCOMPARE(requests.size(), 2);  // the first choice, then only the latest one
        QCOMPARE(bodyOf(requests.at(1)).value("presence"_L1).toString(), u"offline"_s);
        QCOMPARE(bodyOf(requests.at(1)).value("status_msg"_L1).toString(), u"gone"_s);
    }

    void aRateLimitedPutIsRetriedWhenTheServerSays()
    {
        m_server->enqueue(presencePath, FakeHomeserver::Response::json(429,
            R"({"errcode":"M_LIMIT_EXCEEDED","error":"Too many requests","retry_after_ms":400})"));
        QSignalSpy published(m_controller.get(), &AvailabilityController::published);
        QSignalSpy failed(m_controller.get(), &AvailabilityController::publishFailed);
        m_controller->choose(Presence::Unavailable);
        QVERIFY(published.wait(5000));
        QCOMPARE(failed.count(), 0);
        const auto requests = m_server->requestsTo(presencePath, "PUT");
        QCOMPARE(requests.size(), 2);
        QVERIFY(requests.at(1).receivedAtMs - requests.at(0).receivedAtMs >= 350);
    }

    void theLatestChoiceIsPublishedOnceTheRateLimitIsOver()
    {
        m_server->enqueue(presencePath, FakeHomeserver::Response::json(429,
            R"({"errcode":"M_LIMIT_EXCEEDED","error":"Too many requests","retry_after_ms":300})"));
        QSignalSpy published(m_controller.get(), &AvailabilityController::published);
        m_controller->choose(Presence::Unavailable);
        QTRY_COMPARE(m_server->requestsTo(presencePath, "PUT").size(), 1);
        // Chosen while the server holds us back: not sent yet, and not lost either.
        m_controller->choose(Presence::Busy);
        m_controller->chooseWithStatus(Presence::Hidden, u"back soon"_s);
        QVERIFY(published.wait(5000));
        QCOMPARE(published.count(), 1);
        QCOMPARE(published.at(0).at(0).toString(), u"offline"_s);
        const auto requests = m_server->requestsTo(presencePath, "PUT");
        QCOMPARE(requests.size(), 2);
        QVERIFY(requests.at(1).receivedAtMs - requests.at(0).receivedAtMs >= 250);
        QCOMPARE(bodyOf(requests.at(1)).value("presence"_L1).toString(), u"offline"_s);
        QCOMPARE(bodyOf(requests.at(1)).value("status_msg"_L1).toString(), u"back soon"_s);
    }

    void aRateLimitWithoutAWaitBacksOff()
    {
        // No Retry-After, no retry_after_ms: the retry policy's first transient wait, not an instant retry.
        m_server->enqueue(presencePath, FakeHomeserver::Response::json(429, R"({"errcode":"M_LIMIT_EXCEEDED","error":"slow down"})"));
        QSignalSpy published(m_controller.get(), &AvailabilityController::published);
        m_controller->choose(Presence::Unavailable);
        QVERIFY(published.wait(5000));
        const auto requests = m_server->requestsTo(presencePath, "PUT");
        QCOMPARE(requests.size(), 2);
        QVERIFY(requests.at(1).receivedAtMs - requests.at(0).receivedAtMs >= RetryPolicy().transient.firstMs / 2 - 50);
    }

    void aRefusedStateFallsBackOnceAndIsRemembered()
    {
        m_server->enqueue(presencePath, FakeHomeserver::Response::json(400, R"({"errcode":"M_UNKNOWN","error":"Invalid presence state"})"));
        QSignalSpy fallback(m_controller.get(), &AvailabilityController::fallbackUsed);
        QSignalSpy published(m_controller.get(), &AvailabilityController::published);
        m_controller->choose(Presence::FreeForChat);
        QVERIFY(published.wait(5000));
        QCOMPARE(published.at(0).at(0).toString(), u"online"_s);
        QCOMPARE(fallback.count(), 1);
        m_controller->choose(Presence::Online);
        m_controller->choose(Presence::FreeForChat);  // known to be refused: online straight away
        QTRY_COMPARE(published.count(), 3);
        QCOMPARE(m_server->requestsTo(presencePath, "PUT").size(), 4);
        QCOMPARE(bodyOf(m_server->requestsTo(presencePath, "PUT").at(3)).value("presence"_L1).toString(), u"online"_s);
    }

    void otherFailuresAreReported()
    {
        m_server->enqueue(presencePath, FakeHomeserver::Response::json(403, R"({"errcode":"M_FORBIDDEN","error":"no"})"));
        QSignalSpy failed(m_controller.get(), &AvailabilityController::publishFailed);
        m_controller->choose(Presence::Unavailable);
        QVERIFY(failed.wait(5000));
        QCOMPARE(failed.at(0).at(0).value<MatrixError>().errcode, u"M_FORBIDDEN"_s);
        QCOMPARE(m_controller->chosen(), Presence::Unavailable);  // the choice stays; the UI shows the failure
    }

    void aServerThatForgetsPresenceIsNoticed()
    {
        // Synapse with presence turned off accepts the PUT and then says "offline" for everyone.
        m_server->setFallback(presencePath, FakeHomeserver::Response::json(200, R"({"presence":"offline"})"));
        QSignalSpy unavailable(m_controller.get(), &AvailabilityController::presenceUnavailableChanged);
        m_controller->choose(Presence::Online);
        QVERIFY(unavailable.wait(5000));
        QVERIFY(m_controller->isPresenceUnavailable());
        QCOMPARE(m_server->requestsTo(presencePath, "GET").size(), 1);

        // The server reporting a real state again (presence turned back on) ends it.
        m_controller->setReportedByServer(Presence::Online);
        QVERIFY(!m_controller->isPresenceUnavailable());
    }

    void everyPutIsReadBackToSeeWhatTheServerHolds()
    {
        m_server->setFallback(presencePath, FakeHomeserver::Response::json(200, R"({"presence":"unavailable"})"));
        QSignalSpy published(m_controller.get(), &AvailabilityController::published);
        m_controller->choose(Presence::Unavailable);
        QVERIFY(published.wait(5000));
        QTRY_COMPARE(m_controller->reportedByServer(), std::optional(Presence::Unavailable));
        QCOMPARE(m_server->requestsTo(presencePath, "GET").size(), 1);
        QVERIFY(!m_controller->isPresenceUnavailable());
        QVERIFY(!m_controller->anotherDeviceDiffers());

        // Appearing offline while the server still holds "away": another device keeps it so.
        m_controller->choose(Presence::Hidden);
        QVERIFY(published.wait(5000));
        QTRY_COMPARE(m_server->requestsTo(presencePath, "GET").size(), 2);
        QTRY_VERIFY(m_controller->anotherDeviceDiffers());
        QVERIFY(!m_controller->isPresenceUnavailable());

        // A sync reporting a state Presently does not know is not a disagreement it can explain.
        m_controller->setReportedByServer(Presence::Unknown);
        QVERIFY(!m_controller->anotherDeviceDiffers());
    }

    void eachChangeIsSignalledOnce()
    {
        m_server->setFallback(presencePath, FakeHomeserver::Response::json(200, R"({"presence":"unavailable"})"));
        QSignalSpy changed(m_controller.get(), &AvailabilityController::changed);
        QSignalSpy published(m_controller.get(), &AvailabilityController::published);
        // The choice, the status and the effective state change.
        m_controller->chooseWithStatus(Presence::Unavailable, u"Lunch"_s);
        QCOMPARE(changed.count(), 1);
        // The PUT's answer is a change of its own (what others see is settled), and so is the read-back after it.
        QVERIFY(published.wait(5000));
        QCOMPARE(changed.count(), 2);
        QTRY_COMPARE(m_controller->reportedByServer(), std::optional(Presence::Unavailable));
        QCOMPARE(changed.count(), 3);

        const auto changesFrom = [&changed](const std::function<void()> &operation) {
            changed.clear();
            operation();
            return changed.count();
        };
        QCOMPARE(changesFrom([this] { m_controller->choose(Presence::Online); }), 1);
        QCOMPARE(changesFrom([this] { m_controller->setIdle(true); }), 1);  // auto-away: the effective state
        QCOMPARE(changesFrom([this] { m_controller->setIdle(true); }), 0);  // nothing new
        QCOMPARE(changesFrom([this] { m_controller->setStatusMessage(u"Back at two"_s); }), 1);
        // The choice, the effective state and the fallback the server forces (it has no busy state).
        QCOMPARE(changesFrom([this] { m_controller->choose(Presence::Busy); }), 1);
        QCOMPARE(changesFrom([this] { m_controller->reset(); }), 1);  // the choice, the status and the server's report
    }

private:
    std::unique_ptr<FakeHomeserver> m_server;
    std::unique_ptr<HomeserverApi> m_api;
    std::unique_ptr<AvailabilityController> m_controller;
};

QTEST_GUILESS_MAIN(AvailabilityTest)
#include "tst_availability.moc"
