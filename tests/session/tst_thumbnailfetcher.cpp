// ThumbnailFetcher against a scripted FakeHomeserver, on a clock the test moves by hand: the delegate asks for
// an avatar on every repaint and hover, and a thumbnail that failed must not be fetched again each time.
#include "FakeHomeserver.h"
#include "session/ThumbnailFetcher.h"

#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::Literals::StringLiterals;

namespace {
const QString thumbnailPath = u"/_matrix/client/v1/media/thumbnail/"_s;
const QString avatar = u"mxc://x/avatar"_s;
} // namespace

class ThumbnailFetcherTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        m_server = std::make_unique<FakeHomeserver>();
        QVERIFY(m_server->isListening());
        m_api = m_server->apiFor(u"t"_s);
        m_now = 0;
        m_fetcher = std::make_unique<ThumbnailFetcher>(m_api.get(), [this] { return m_now; });
        m_answered = std::make_unique<QSignalSpy>(m_api->networkAccessManager(), &QNetworkAccessManager::finished);
    }

    void cleanup()
    {
        m_answered.reset();
        m_fetcher.reset();
        m_api.reset();
        m_server.reset();
    }

    void aTransientlyFailedAvatarWaitsOutItsBackoff()
    {
        m_server->setFallback(thumbnailPath, FakeHomeserver::Response::json(503, R"({"errcode":"M_UNKNOWN","error":"busy"})"));
        m_fetcher->fetch(avatar);
        QVERIFY(m_answered->wait(5000));

        // The first wait is between half and all of the policy's first step; the second twice that.
        const int first = RetryPolicy().transient.firstMs;
        repaintUntil(first / 2 - 1);
        QCOMPARE(requestCount(), 1);

        m_now = first;
        m_fetcher->fetch(avatar);
        QVERIFY(m_answered->wait(5000));
        QCOMPARE(requestCount(), 2);

        repaintUntil(m_now + first - 1);
        QCOMPARE(requestCount(), 2);

        m_server->setFallback(thumbnailPath, FakeHomeserver::Response::json(200, "PNG"));
        QSignalSpy fetched(m_fetcher.get(), &ThumbnailFetcher::fetched);
        m_now += 2 * first;
        m_fetcher->fetch(avatar);
        QVERIFY(fetched.wait(5000));
        QCOMPARE(requestCount(), 3);

        // Fetched: its next failure waits only the first step again.
        m_server->setFallback(thumbnailPath, FakeHomeserver::Response::json(502, "<html>Bad gateway</html>"));
        m_fetcher->fetch(avatar);
        QVERIFY(m_answered->wait(5000));
        QCOMPARE(requestCount(), 4);
        m_now += first;
        m_fetcher->fetch(avatar);
        QVERIFY(m_answered->wait(5000));
        QCOMPARE(requestCount(), 5);
    }

    void anAvatarCutOffByAnEndedSessionIsFetchedAgainAfterSignIn()
    {
        // The session ends while the thumbnail is on its way: that says nothing about the avatar.
        m_server->setFallback(thumbnailPath, FakeHomeserver::Response::hang());
        m_fetcher->fetch(avatar);
        QTRY_COMPARE(requestCount(), 1);
        m_api->revokeAccessToken();
        QVERIFY(m_answered->count() == 1 || m_answered->wait(5000));
        m_fetcher->fetch(avatar);  // refused before sending while there is no token: no request, no verdict
        QTest::qWait(100);
        QCOMPARE(requestCount(), 1);

        m_api->setAccessToken(u"t2"_s);  // signed in again as the same device
        m_server->setFallback(thumbnailPath, FakeHomeserver::Response::json(200, "PNG"));
        QSignalSpy fetched(m_fetcher.get(), &ThumbnailFetcher::fetched);
        m_fetcher->fetch(avatar);
        QVERIFY(fetched.wait(5000));
        QCOMPARE(requestCount(), 2);
    }

    void aRefusedAvatarIsNeverFetchedAgain()
    {
        // Media never changes under its URI: what the server refused stays refused for this user.
        m_server->setFallback(thumbnailPath, FakeHomeserver::Response::json(404, R"({"errcode":"M_NOT_FOUND","error":"no"})"));
        m_fetcher->fetch(avatar);
        QVERIFY(m_answered->wait(5000));
        repaintUntil(24 * 60 * 60'000);
        QCOMPARE(requestCount(), 1);

        m_fetcher->clear();  // another user signs in
        m_fetcher->fetch(avatar);
        QVERIFY(m_answered->wait(5000));
        QCOMPARE(requestCount(), 2);
    }

private:
    // Asks for the avatar as painting does, many times, with the clock moving up to `untilMs`; then gives a
    // request that went out wrongly the time to reach the server.
    void repaintUntil(qint64 untilMs)
    {
        const qint64 step = std::max<qint64>(1, (untilMs - m_now) / 20);
        for (; m_now < untilMs; m_now = std::min(m_now + step, untilMs))
            m_fetcher->fetch(avatar);
        m_fetcher->fetch(avatar);
        QTest::qWait(200);
    }

    int requestCount() const { return static_cast<int>(m_server->requestsTo(thumbnailPath).size()); }

    std::unique_ptr<FakeHomeserver> m_server;
    std::unique_ptr<HomeserverApi> m_api;
    qint64 m_now = 0;
    std::unique_ptr<ThumbnailFetcher> m_fetcher;
    std::unique_ptr<QSignalSpy> m_answered;
};

QTEST_GUILESS_MAIN(ThumbnailFetcherTest)
#include "tst_thumbnailfetcher.moc"
