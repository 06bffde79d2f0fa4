// RetryPolicy: how long a failed resource waits, by how often in a row it failed and why; and RetryTracker,
// which counts the failures of each resource on a clock the test moves by hand.
#include "matrix/RetryPolicy.h"

#include <QTest>

using namespace Qt::Literals::StringLiterals;

namespace {
MatrixError http(int status, std::optional<qint64> retryAfterMs = std::nullopt)
{
    MatrixError error;
    error.kind = MatrixError::Kind::Http;
    error.httpStatus = status;
    error.retryAfterMs = retryAfterMs;
    return error;
}

MatrixError ofKind(MatrixError::Kind kind)
{
    MatrixError error;
    error.kind = kind;
    return error;
}

constexpr double lowest = 0.0;
constexpr double highest = 0.999999;
} // namespace

class RetryPolicyTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void backoffIsCapped()
    {
        const RetryPolicy::Backoff backoff{1000, 60000};
        QCOMPARE(backoff.delayMs(1, 0.0), 500);
        QCOMPARE(backoff.delayMs(1, 0.999999), 1000);
        QCOMPARE(backoff.delayMs(4, 0.5), 6000);
        QCOMPARE(backoff.delayMs(11, 0.0), 30000);
        QCOMPARE(backoff.delayMs(1001, 0.999999), 60000);
    }

    void transientFailuresComeBackWithinSeconds_data()
    {
        QTest::addColumn<MatrixError>("error");
        QTest::newRow("network") << ofKind(MatrixError::Kind::Network);
        QTest::newRow("timeout") << ofKind(MatrixError::Kind::Timeout);
        QTest::newRow("garbage") << ofKind(MatrixError::Kind::Protocol);
        QTest::newRow("502") << http(502);
        QTest::newRow("429 without a wait") << http(429);
    }

    void transientFailuresComeBackWithinSeconds()
    {
        QFETCH(MatrixError, error);
        const RetryPolicy policy;
        // In the first 30 s of trouble: 1 s, then every 2 s at most.
        QCOMPARE(policy.delayMs(1, 0, error, lowest), 500);
        QCOMPARE(policy.delayMs(1, 0, error, highest), 1'000);
        QCOMPARE(policy.delayMs(2, 1'000, error, highest), 2'000);
        QCOMPARE(policy.delayMs(3, 3'000, error, highest), 2'000);
        QCOMPARE(policy.delayMs(15, 29'999, error, lowest), 1'000);
        QCOMPARE(policy.delayMs(15, 29'999, error, highest), 2'000);
        // Up to 2 minutes: every 5 s at most.
        QCOMPARE(policy.delayMs(16, 30'000, error, highest), 5'000);
        QCOMPARE(policy.delayMs(30, 2 * 60'000 - 1, error, highest), 5'000);
        // A longer outage backs off towards a minute.
        const qint64 longOutage = 2 * 60'000;
        QCOMPARE(policy.delayMs(6, longOutage, error, lowest), 16'000);
        QCOMPARE(policy.delayMs(7, longOutage, error, highest), 60'000);
        QCOMPARE(policy.delayMs(100, longOutage, error, highest), 60'000);
    }

    void refusalsAreAskedAgainOnlyAfterMinutes_data()
    {
        QTest::addColumn<MatrixError>("error");
        QTest::newRow("403") << http(403);
        QTest::newRow("404") << http(404);
        QTest::newRow("TLS") << ofKind(MatrixError::Kind::Tls);
        QTest::newRow("input") << ofKind(MatrixError::Kind::Input);
    }

    void refusalsAreAskedAgainOnlyAfterMinutes()
    {
        QFETCH(MatrixError, error);
        const RetryPolicy policy;
        QCOMPARE(policy.delayMs(1, 0, error, lowest), 30'000);
        QCOMPARE(policy.delayMs(1, 0, error, highest), 60'000);
        QCOMPARE(policy.delayMs(2, 0, error, highest), 120'000);
        QCOMPARE(policy.delayMs(100, 0, error, highest), 15 * 60'000);
        QCOMPARE(policy.delayMs(100, 0, error, highest), MatrixError::maxRetryAfterMs);
    }

    void aRateLimitWaitsExactlyAsLongAsTheServerSays()
    {
        const RetryPolicy policy;
        for (const int failures : {1, 5, 50}) {
            QCOMPARE(policy.delayMs(failures, 0, http(429, 700), lowest), 700);
            QCOMPARE(policy.delayMs(failures, 0, http(429, 700), highest), 700);
        }
        QCOMPARE(policy.delayMs(1, 0, http(429, MatrixError::maxRetryAfterMs), lowest), MatrixError::maxRetryAfterMs);
    }

    void eachResourceBacksOffOnItsOwn()
    {
        qint64 now = 1'000'000;
        RetryTracker tracker({.transient = {100, 1'000}, .refused = {10'000, 100'000}}, [&now] { return now; });
        QCOMPARE(tracker.remainingMs(u"!a:x"_s), 0);

        const int first = tracker.failed(u"!a:x"_s, http(503));
        QVERIFY2(first >= 50 && first <= 100, qPrintable(QString::number(first)));
        QCOMPARE(tracker.remainingMs(u"!a:x"_s), first);
        QCOMPARE(tracker.remainingMs(u"!b:x"_s), 0);  // another room is not held back by this one

        now += first;
        QCOMPARE(tracker.remainingMs(u"!a:x"_s), 0);
        const int second = tracker.failed(u"!a:x"_s, http(503));
        QVERIFY2(second >= 100 && second <= 200, qPrintable(QString::number(second)));
        const int third = tracker.failed(u"!a:x"_s, http(503));
        QVERIFY2(third >= 200 && third <= 400, qPrintable(QString::number(third)));
        now += 1;
        QCOMPARE(tracker.remainingMs(u"!a:x"_s), third - 1);

        const int refused = tracker.failed(u"!b:x"_s, http(403));
        QVERIFY2(refused >= 5'000 && refused <= 10'000, qPrintable(QString::number(refused)));
        QCOMPARE(tracker.failed(u"!c:x"_s, http(429, 700)), 700);
    }

    void aSuccessStartsTheBackoffAfresh()
    {
        qint64 now = 0;
        RetryTracker tracker({.transient = {100, 1'000}}, [&now] { return now; });
        for (int i = 0; i < 5; ++i)
            tracker.failed(u"sync"_s, ofKind(MatrixError::Kind::Network));
        QVERIFY(tracker.remainingMs(u"sync"_s) >= 500);  // at the cap of 1 s by now
        tracker.succeeded(u"sync"_s);
        QCOMPARE(tracker.remainingMs(u"sync"_s), 0);
        const int afresh = tracker.failed(u"sync"_s, ofKind(MatrixError::Kind::Network));
        QVERIFY2(afresh >= 50 && afresh <= 100, qPrintable(QString::number(afresh)));
    }

    void clearForgetsEveryResource()
    {
        qint64 now = 0;
        RetryTracker tracker({.transient = {100, 1'000}}, [&now] { return now; });
        tracker.failed(u"mxc://x/a"_s, http(502));
        tracker.failed(u"mxc://x/b"_s, http(502));
        tracker.clear();
        QCOMPARE(tracker.remainingMs(u"mxc://x/a"_s), 0);
        QCOMPARE(tracker.remainingMs(u"mxc://x/b"_s), 0);
        const int afresh = tracker.failed(u"mxc://x/a"_s, http(502));
        QVERIFY2(afresh >= 50 && afresh <= 100, qPrintable(QString::number(afresh)));
    }
};

QTEST_GUILESS_MAIN(RetryPolicyTest)
#include "tst_retrypolicy.moc"
