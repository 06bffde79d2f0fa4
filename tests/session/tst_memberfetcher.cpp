// MemberFetcher against a scripted FakeHomeserver: a member list that fails, transiently or refused, is asked
// again with growing waits until it comes, and a retry still waiting when the connection goes is dropped.
#include "FakeHomeserver.h"
#include "roster/ContactListModel.h"
#include "roster/Roster.h"
#include "session/MemberFetcher.h"
#include "SyncBatchBuilders.h"

#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace SyncBatchBuilders;

namespace {
const QString me = u"@me:x"_s;
const QString roomId = u"!a:x"_s;
const QString membersPath = u"/_matrix/client/v3/rooms/%21a%3Ax/joined_members"_s;
const QByteArray membersBody = R"({"joined":{"@me:x":{},"@bob:x":{"display_name":"Bob"},"@carol:x":{}}})";

// Short waits, so that a test sees several retries in well under a second; refusals wait longer.
constexpr RetryPolicy quickRetries{.transient = {40, 400}, .refused = {100, 1'000}};
} // namespace

class MemberFetcherTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        m_server = std::make_unique<FakeHomeserver>();
        QVERIFY(m_server->isListening());
        m_api = m_server->apiFor(u"t"_s);
        m_contacts = std::make_unique<ContactListModel>();
        m_roster = std::make_unique<Roster>(m_contacts.get());
        m_roster->setOwnUserId(me);
        m_fetcher = std::make_unique<MemberFetcher>(m_api.get(), m_roster.get());
        m_fetcher->setRetryPolicy(quickRetries);
    }

    void cleanup()
    {
        m_fetcher.reset();
        m_roster.reset();
        m_contacts.reset();
        m_api.reset();
        m_server.reset();
    }

    void aFailedMemberListIsRetriedWithGrowingWaits_data()
    {
        QTest::addColumn<FakeHomeserver::Response>("failure");
        QTest::addColumn<int>("firstWaitMs");
        QTest::newRow("500, transient") << FakeHomeserver::Response::json(500, R"({"errcode":"M_UNKNOWN","error":"oops"})")
                                        << quickRetries.transient.firstMs;
        QTest::newRow("403, refused") << FakeHomeserver::Response::json(403, R"({"errcode":"M_FORBIDDEN","error":"not in room"})")
                                      << quickRetries.refused.firstMs;
    }

    void aFailedMemberListIsRetriedWithGrowingWaits()
    {
        QFETCH(FakeHomeserver::Response, failure);
        QFETCH(int, firstWaitMs);
        constexpr int failures = 3;
        for (int i = 0; i < failures; ++i)
            m_server->enqueue(membersPath, failure);
        m_server->enqueue(membersPath, FakeHomeserver::Response::json(200, membersBody));

        // Two of the room's three members seen in the sync: the roster asks for the whole list.
        m_roster->applyBatch(batch(u"s1"_s, {room(roomId, 3, {member(me), member(u"@bob:x"_s)})}));
        // Carol, the member the sync did not show, arrives with the list.
        QTRY_VERIFY_WITH_TIMEOUT(m_contacts->rowOf(u"@carol:x"_s) >= 0, 5000);

        const auto requests = m_server->requestsTo(membersPath);
        QCOMPARE(requests.size(), failures + 1);
        // Equal jitter: the n-th wait is between half and all of firstWaitMs * 2^n, so each is longer than the
        // shortest the one before could have been.
        for (int n = 0; n < failures; ++n) {
            const qint64 waited = requests.at(n + 1).receivedAtMs - requests.at(n).receivedAtMs;
            const int shortest = (firstWaitMs << n) / 2;
            QVERIFY2(waited >= shortest, qPrintable(u"retry %1 came after %2 ms, not %3"_s.arg(n + 1).arg(waited).arg(shortest)));
        }
    }

    void aRetryStillWaitingWhenTheConnectionGoesIsDropped()
    {
        m_fetcher->setRetryPolicy({.transient = {200, 200}});
        m_server->setFallback(membersPath, FakeHomeserver::Response::json(502, "<html>Bad gateway</html>"));
        QSignalSpy answered(m_api->networkAccessManager(), &QNetworkAccessManager::finished);
        m_roster->applyBatch(batch(u"s1"_s, {room(roomId, 3, {member(me), member(u"@bob:x"_s)})}));
        QVERIFY(answered.wait(5000));  // the 502 is in, and a retry waits
        m_fetcher->clear();
        QTest::qWait(400);  // twice the longest wait
        QCOMPARE(m_server->requestsTo(membersPath).size(), 1);
        QCOMPARE(m_contacts->rowOf(u"@carol:x"_s), -1);  // the list never came
    }

private:
    std::unique_ptr<FakeHomeserver> m_server;
    std::unique_ptr<HomeserverApi> m_api;
    std::unique_ptr<ContactListModel> m_contacts;
    std::unique_ptr<Roster> m_roster;
    std::unique_ptr<MemberFetcher> m_fetcher;
};

QTEST_GUILESS_MAIN(MemberFetcherTest)
#include "tst_memberfetcher.moc"
