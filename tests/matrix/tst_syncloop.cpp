// SyncLoop's retry, rate-limit, session and cancellation behaviour: faults a real Synapse cannot be made to
// produce on demand, so a scripted FakeHomeserver answers here. The happy path runs against Synapse in
// tests/matrix/tst_api_integration.cpp and tests/session/tst_engine_integration.cpp.
#include "FakeHomeserver.h"
#include "matrix/SyncLoop.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::Literals::StringLiterals;

namespace {
const QString syncPath = u"/_matrix/client/v3/sync"_s;
const QString filterPath = u"/_matrix/client/v3/user/"_s;

QByteArray syncBody(const QByteArray &nextBatch)
{
    return R"({"next_batch":")" + nextBatch + R"(","presence":{"events":[{"type":"m.presence","sender":"@bob:x","content":{"presence":"online"}}]}})";
}
} // namespace

class SyncLoopTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        m_server = std::make_unique<FakeHomeserver>();
        QVERIFY(m_server->isListening());
        m_api = m_server->apiFor(u"secret-token-123"_s);
        m_loop = std::make_unique<SyncLoop>(m_api.get());
        m_loop->setUserId(u"@me:x"_s);
        m_loop->setRetryPolicy({.transient = {40, 400}, .refused = {40, 400}});
        m_loop->setServerTimeoutMs(5000);
        m_server->enqueue(filterPath, FakeHomeserver::Response::json(200, R"({"filter_id":"f1"})"));
    }

    void cleanup()
    {
        m_loop.reset();
        m_api.reset();
        m_server.reset();
    }

    void initialSyncThenLongPollOnlyAfterTheBatchIsApplied()
    {
        m_server->enqueue(syncPath, FakeHomeserver::Response::json(200, syncBody("s1")));
        m_server->setFallback(syncPath, FakeHomeserver::Response::hang());
        QSignalSpy ready(m_loop.get(), &SyncLoop::batchReady);
        m_loop->setPresenceParameter(u"unavailable"_s);
        m_loop->start();
        QVERIFY(ready.wait(5000));
        QCOMPARE(m_loop->state(), SyncLoop::State::Live);
        const SyncBatch batch = ready.at(0).at(0).value<SyncBatch>();
        QCOMPARE(batch.nextBatch, u"s1"_s);
        QVERIFY(batch.receivedAtMs > 0);

        const auto first = m_server->requestsTo(syncPath);
        QCOMPARE(first.size(), 1);
        QCOMPARE(first.at(0).query.queryItemValue(u"filter"_s), u"f1"_s);
        QCOMPARE(first.at(0).query.queryItemValue(u"timeout"_s), u"0"_s);  // initial sync: answer at once
        QVERIFY(!first.at(0).query.hasQueryItem(u"since"_s));
        QCOMPARE(first.at(0).query.queryItemValue(u"set_presence"_s), u"unavailable"_s);
        QCOMPARE(first.at(0).headers.value("authorization"), "Bearer secret-token-123");

        // Not applied yet: the loop must not move on.
        QTest::qWait(200);
        QCOMPARE(m_server->requestsTo(syncPath).size(), 1);
        QCOMPARE(m_loop->since(), QString());

        m_loop->batchApplied(u"s1"_s);
        QCOMPARE(m_loop->since(), u"s1"_s);
        QTRY_COMPARE(m_server->requestsTo(syncPath).size(), 2);
        const auto second = m_server->requestsTo(syncPath).at(1);
        QCOMPARE(second.query.queryItemValue(u"since"_s), u"s1"_s);
        QCOMPARE(second.query.queryItemValue(u"timeout"_s), u"5000"_s);
        QCOMPARE(m_server->requestsTo(filterPath).size(), 1);  // the filter is uploaded once
    }

    void eachAnswerNamesTheSetPresenceItsRequestWentOutWith()
    {
        m_server->enqueue(syncPath, FakeHomeserver::Response::json(200, syncBody("s1")));
        m_server->enqueue(syncPath, FakeHomeserver::Response::json(502, "<html>Bad gateway</html>"));
        m_server->enqueue(syncPath, FakeHomeserver::Response::json(200, syncBody("s2")));
        m_server->setFallback(syncPath, FakeHomeserver::Response::hang());
        QSignalSpy answered(m_loop.get(), &SyncLoop::answered);
        QSignalSpy ready(m_loop.get(), &SyncLoop::batchReady);
        m_loop->setPresenceParameter(u"online"_s);
        m_loop->start();
        QVERIFY(ready.wait(5000));
        QCOMPARE(answered.count(), 1);
        QCOMPARE(answered.at(0).at(0).toString(), u"online"_s);

        // The next request goes out with the new value; the failed one is no answer.
        m_loop->setPresenceParameter(u"unavailable"_s);
        m_loop->batchApplied(u"s1"_s);
        QVERIFY(ready.wait(5000));
        QCOMPARE(m_server->requestsTo(syncPath).size(), 3);
        QCOMPARE(answered.count(), 2);
        QCOMPARE(answered.at(1).at(0).toString(), u"unavailable"_s);

        // A value set while a request is out belongs to the next one, not to that request's answer.
        FakeHomeserver::Response slow = FakeHomeserver::Response::json(200, syncBody("s3"));
        slow.delayMs = 300;
        m_server->enqueue(syncPath, slow);
        m_loop->batchApplied(u"s2"_s);
        QTRY_COMPARE(m_server->requestsTo(syncPath).size(), 4);
        m_loop->setPresenceParameter(u"offline"_s);
        QVERIFY(ready.wait(5000));
        QCOMPARE(answered.count(), 3);
        QCOMPARE(answered.at(2).at(0).toString(), u"unavailable"_s);
    }

    void everyKindOfFaultIsRetried_data()
    {
        QTest::addColumn<FakeHomeserver::Response>("fault");
        QTest::addColumn<MatrixError::Kind>("kind");
        QTest::newRow("502 from a proxy") << FakeHomeserver::Response::json(502, "<html>Bad gateway</html>") << MatrixError::Kind::Http;
        QTest::newRow("garbage bytes") << FakeHomeserver::Response::garbage() << MatrixError::Kind::Network;
        QTest::newRow("dropped connection") << FakeHomeserver::Response::dropConnection() << MatrixError::Kind::Network;
        // Qt 6.4 reports a body cut short by a clean close as finished; HomeserverApi holds it to its Content-Length.
        QTest::newRow("dropped mid-body") << FakeHomeserver::Response::dropMidBody() << MatrixError::Kind::Network;
        QTest::newRow("reset mid-body") << FakeHomeserver::Response::resetMidBody(R"({"next_batch":"s1")") << MatrixError::Kind::Network;
        QTest::newRow("200 that is not JSON") << FakeHomeserver::Response::json(200, "{this is not json") << MatrixError::Kind::Protocol;
    }

    void everyKindOfFaultIsRetried()
    {
        QFETCH(FakeHomeserver::Response, fault);
        QFETCH(MatrixError::Kind, kind);
        // A fallback rather than a queue: Qt quietly resends a GET whose connection died, so the number of
        // requests one fault takes is Qt's business; the loop must see one failure and schedule one retry.
        m_server->setFallback(syncPath, fault);
        QSignalSpy retries(m_loop.get(), &SyncLoop::retryScheduled);
        QSignalSpy ready(m_loop.get(), &SyncLoop::batchReady);
        m_loop->start();
        QVERIFY(retries.wait(5000));
        QCOMPARE(retries.at(0).at(1).value<MatrixError>().kind, kind);
        QCOMPARE(m_loop->state(), SyncLoop::State::Retrying);
        const int delay = retries.at(0).at(0).toInt();
        QVERIFY2(delay >= 20 && delay <= 40, qPrintable(u"first retry after %1 ms"_s.arg(delay)));

        m_server->setFallback(syncPath, FakeHomeserver::Response::json(200, syncBody("s1")));
        QVERIFY(ready.wait(5000));
        QCOMPARE(m_loop->state(), SyncLoop::State::Live);
    }

    void consecutiveFailuresBackOffExponentially()
    {
        for (int i = 0; i < 4; ++i)
            m_server->enqueue(syncPath, FakeHomeserver::Response::json(503, R"({"errcode":"M_UNKNOWN","error":"overloaded"})"));
        m_server->enqueue(syncPath, FakeHomeserver::Response::json(200, syncBody("s1")));
        QSignalSpy retries(m_loop.get(), &SyncLoop::retryScheduled);
        QSignalSpy ready(m_loop.get(), &SyncLoop::batchReady);
        m_loop->start();
        QVERIFY(ready.wait(10000));
        QCOMPARE(retries.count(), 4);
        // Equal jitter: attempt n waits between half and all of 40 ms * 2^n.
        for (int attempt = 0; attempt < 4; ++attempt) {
            const int delay = retries.at(attempt).at(0).toInt();
            const int full = 40 << attempt;
            QVERIFY2(delay >= full / 2 && delay <= full, qPrintable(u"attempt %1 waited %2 ms"_s.arg(attempt).arg(delay)));
            QCOMPARE(retries.at(attempt).at(1).value<MatrixError>().httpStatus, 503);
        }
        const auto requests = m_server->requestsTo(syncPath);
        QCOMPARE(requests.size(), 5);
        QVERIFY(requests.at(4).receivedAtMs - requests.at(0).receivedAtMs >= (20 + 40 + 80 + 160));
    }

    void rateLimitWaitsAsLongAsTheServerSays_data()
    {
        QTest::addColumn<FakeHomeserver::Response>("limited");
        QTest::addColumn<int>("expectedMs");
        auto header = FakeHomeserver::Response::json(429, R"({"errcode":"M_LIMIT_EXCEEDED","error":"Too many requests"})");
        header.headers.append(std::pair<QByteArray, QByteArray>("Retry-After", "1"));
        QTest::newRow("Retry-After header") << header << 1000;
        QTest::newRow("retry_after_ms") << FakeHomeserver::Response::json(429,
            R"({"errcode":"M_LIMIT_EXCEEDED","error":"Too many requests","retry_after_ms":700})") << 700;
    }

    void rateLimitWaitsAsLongAsTheServerSays()
    {
        QFETCH(FakeHomeserver::Response, limited);
        QFETCH(int, expectedMs);
        m_server->enqueue(syncPath, limited);
        m_server->enqueue(syncPath, FakeHomeserver::Response::json(200, syncBody("s1")));
        QSignalSpy retries(m_loop.get(), &SyncLoop::retryScheduled);
        QSignalSpy ready(m_loop.get(), &SyncLoop::batchReady);
        m_loop->start();
        QVERIFY(ready.wait(10000));
        QCOMPARE(retries.count(), 1);
        QCOMPARE(retries.at(0).at(0).toInt(), expectedMs);
        const auto requests = m_server->requestsTo(syncPath);
        QCOMPARE(requests.size(), 2);
        QVERIFY(requests.at(1).receivedAtMs - requests.at(0).receivedAtMs >= expectedMs - 50);
    }

    void unknownTokenStopsTheLoopAndSaysIfSoft_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<bool>("soft");
        QTest::newRow("hard") << QByteArray(R"({"errcode":"M_UNKNOWN_TOKEN","error":"Invalid access token"})") << false;
        QTest::newRow("soft") << QByteArray(R"({"errcode":"M_UNKNOWN_TOKEN","error":"expired","soft_logout":true})") << true;
    }

    void unknownTokenStopsTheLoopAndSaysIfSoft()
    {
        QFETCH(QByteArray, body);
        QFETCH(bool, soft);
        m_server->setFallback(syncPath, FakeHomeserver::Response::json(401, body));
        QSignalSpy expired(m_loop.get(), &SyncLoop::sessionExpired);
        m_loop->start();
        QVERIFY(expired.wait(5000));
        QCOMPARE(expired.at(0).at(0).toBool(), soft);
        QCOMPARE(m_loop->state(), SyncLoop::State::SessionExpired);
        QVERIFY(!m_loop->isRunning());
        QTest::qWait(300);
        QCOMPARE(m_server->requestsTo(syncPath).size(), 1);  // no retries with a dead token
    }

    void stopAbortsTheRequestInFlightAtOnce()
    {
        m_server->setFallback(syncPath, FakeHomeserver::Response::hang());
        m_loop->start();
        QTRY_COMPARE(m_server->requestsTo(syncPath).size(), 1);
        QTRY_VERIFY(m_server->openConnections() > 0);
        QSignalSpy state(m_loop.get(), &SyncLoop::stateChanged);
        m_loop->stop();
        QCOMPARE(m_loop->state(), SyncLoop::State::Stopped);
        QTRY_COMPARE(m_server->openConnections(), 0);
        QTest::qWait(200);
        QCOMPARE(m_server->requestsTo(syncPath).size(), 1);
        QCOMPARE(state.count(), 1);  // Stopped, and no Retrying from the aborted request
    }

    void aBatchNeverAppliedDoesNotHoldUpTheNextRun()
    {
        // Signing out clears the roster with a batch half applied; signing in again must sync again.
        m_server->setFallback(syncPath, FakeHomeserver::Response::json(200, syncBody("s1")));
        QSignalSpy ready(m_loop.get(), &SyncLoop::batchReady);
        m_loop->start();
        QVERIFY(ready.wait(5000));
        m_loop->stop();  // the batch is never applied
        m_loop->start();
        QVERIFY(ready.wait(5000));
        QCOMPARE(m_server->requestsTo(syncPath).size(), 2);
    }

    void retryNowSkipsTheWait()
    {
        RetryPolicy slow;
        slow.transient = {60000, 60000};
        slow.outageSteps = {};  // no short waits at the start of the outage either
        m_loop->setRetryPolicy(slow);
        m_server->enqueue(syncPath, FakeHomeserver::Response::json(503, "{}"));
        m_server->enqueue(syncPath, FakeHomeserver::Response::json(200, syncBody("s1")));
        QSignalSpy retries(m_loop.get(), &SyncLoop::retryScheduled);
        QSignalSpy ready(m_loop.get(), &SyncLoop::batchReady);
        m_loop->start();
        QVERIFY(retries.wait(5000));
        QCOMPARE(m_loop->state(), SyncLoop::State::Retrying);
        QVERIFY(m_loop->retryRemainingMs() > 20000);
        m_loop->retryNow();
        QVERIFY(ready.wait(5000));
    }

    void aRejectedFilterIsUploadedAgain()
    {
        m_server->enqueue(syncPath, FakeHomeserver::Response::json(400, R"({"errcode":"M_INVALID_PARAM","error":"Invalid filter ID"})"));
        m_server->enqueue(filterPath, FakeHomeserver::Response::json(200, R"({"filter_id":"f2"})"));
        m_server->enqueue(syncPath, FakeHomeserver::Response::json(200, syncBody("s1")));
        QSignalSpy ready(m_loop.get(), &SyncLoop::batchReady);
        m_loop->start();
        QVERIFY(ready.wait(5000));
        QCOMPARE(m_server->requestsTo(filterPath).size(), 2);
        QCOMPARE(m_server->requestsTo(syncPath).at(1).query.queryItemValue(u"filter"_s), u"f2"_s);
    }

    // The filter follows the contact set: a new set is uploaded beside the long-poll, which is then sent again with
    // the same `since` under the new filter; the same set uploads nothing; a failed upload keeps the old filter
    // and is tried again after its RetryPolicy wait.
    void aChangedContactSetUploadsANewFilterAndResendsTheLongPoll()
    {
        m_server->enqueue(syncPath, FakeHomeserver::Response::json(200, syncBody("s1")));
        m_server->setFallback(syncPath, FakeHomeserver::Response::hang());
        QSignalSpy ready(m_loop.get(), &SyncLoop::batchReady);
        m_loop->start();
        QVERIFY(ready.wait(5000));
        QCOMPARE(presenceSenders(0), QStringList{u"@me:x"_s});  // no contacts yet: only you
        m_loop->batchApplied(u"s1"_s);
        QTRY_COMPARE(m_server->requestsTo(syncPath).size(), 2);

        m_server->enqueue(filterPath, FakeHomeserver::Response::json(200, "{\"filter_id\":\"f2\"}"));
        m_loop->setContacts({u"@bob:x"_s});
        QTRY_COMPARE(m_server->requestsTo(syncPath).size(), 3);
        QCOMPARE(presenceSenders(1), (QStringList{u"@bob:x"_s, u"@me:x"_s}));
        const auto resent = m_server->requestsTo(syncPath).at(2);
        QCOMPARE(resent.query.queryItemValue(u"filter"_s), u"f2"_s);
        QCOMPARE(resent.query.queryItemValue(u"since"_s), u"s1"_s);
        QCOMPARE(m_loop->filterId(), u"f2"_s);

        m_loop->setContacts({u"@bob:x"_s});
        QCOMPARE(m_server->requestsTo(filterPath).size(), 2);  // the same set: nothing to upload

        m_server->enqueue(filterPath, FakeHomeserver::Response::json(503, "{\"errcode\":\"M_UNKNOWN\"}"));
        m_server->enqueue(filterPath, FakeHomeserver::Response::json(200, "{\"filter_id\":\"f3\"}"));
        m_loop->setContacts({u"@carol:x"_s, u"@bob:x"_s});
        QTRY_COMPARE(m_server->requestsTo(filterPath).size(), 3);
        QCOMPARE(m_loop->filterId(), u"f2"_s);  // the failure keeps the filter in use
        QTRY_COMPARE(m_server->requestsTo(syncPath).size(), 4);
        QCOMPARE(m_server->requestsTo(filterPath).size(), 4);
        QCOMPARE(presenceSenders(3), (QStringList{u"@bob:x"_s, u"@carol:x"_s, u"@me:x"_s}));
        QCOMPARE(m_server->requestsTo(syncPath).at(3).query.queryItemValue(u"filter"_s), u"f3"_s);
    }

private:
    // The presence senders of the n-th uploaded filter.
    QStringList presenceSenders(qsizetype upload) const
    {
        const QJsonObject filter = QJsonDocument::fromJson(m_server->requestsTo(filterPath).at(upload).body).object();
        QStringList senders;
        for (const QJsonValue &sender : filter.value("presence"_L1).toObject().value("senders"_L1).toArray())
            senders << sender.toString();
        return senders;
    }

    std::unique_ptr<FakeHomeserver> m_server;
    std::unique_ptr<HomeserverApi> m_api;
    std::unique_ptr<SyncLoop> m_loop;
};

QTEST_GUILESS_MAIN(SyncLoopTest)
#include "tst_syncloop.moc"
