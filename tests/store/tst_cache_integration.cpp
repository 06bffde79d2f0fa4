// The roster cache against stock Synapse: a second start paints the roster from the cache before any answer and
// resumes with an incremental sync that brings what changed while away; the process killed with SIGKILL at random
// moments, again and again, leaves a database that opens whole and a roster that resumes with nothing lost; a
// position the server refuses falls back to a full sync; signing out deletes the cache.
#include "session/Account.h"
#include "EngineUnderTest.h"
#include "TestHomeserver.h"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QLoggingCategory>
#include <QProcess>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTest>
#include <QTimer>
#include <QUrlQuery>

#include <csignal>

using namespace Qt::Literals::StringLiterals;

namespace {
constexpr int serverTimeoutMs = 30'000;
constexpr int longPollMs = 1'000;

// Every /sync request the account's network sends (its `since`), and filter uploads, in the order answered.
struct SyncRequests {
    struct Seen {
        QString since;
    };
    QList<Seen> seen;
    QStringList order;  // "filter" and "sync", as answered
    explicit SyncRequests(Account &account)
    {
        QObject::connect(account.api()->networkAccessManager(), &QNetworkAccessManager::finished, [this](QNetworkReply *reply) {
            const QUrl url = reply->url();
            if (url.path().endsWith("/filter"_L1))
                order.append(u"filter"_s);
            if (url.path().endsWith("/sync"_L1) && reply->error() == QNetworkReply::NoError) {
                order.append(u"sync"_s);
                seen.append({QUrlQuery(url).queryItemValue(u"since"_s)});
            }
        });
    }
};

// The sizes of the /sync answers' bodies, as the API's debug log line gives them ("GET <path> 200 <ms> ms <n> bytes"):
// Qt hands the body to the API, not to anyone watching the network.
QList<qint64> syncBodyBytes;
QtMessageHandler previousHandler = nullptr;
void recordSyncBodies(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    static const QRegularExpression line(u"^GET /_matrix/client/v3/sync 200 \\d+ ms (\\d+) bytes$"_s);
    if (const QRegularExpressionMatch match = line.match(message); match.hasMatch()) {
        syncBodyBytes.append(match.captured(1).toLongLong());
        return;
    }
    previousHandler(type, context, message);
}

// Alice's engine, live with her one contact on the roster and in the cache; nullptr if that did not happen in time.
std::unique_ptr<Account> liveWithOneContact(const LoginSession &alice)
{
    std::unique_ptr<Account> account = startEngine(alice, longPollMs);
    if (!QTest::qWaitFor([&] { return account->contacts()->rowCount() == 1; }, serverTimeoutMs))
        return nullptr;
    account->cache()->flush();
    return account;
}

// What a database file says when opened on its own: PRAGMA integrity_check's answer and the stored `since`.
std::pair<QString, QString> inspect(const QString &path)
{
    std::pair<QString, QString> found;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"inspect"_s);
        db.setDatabaseName(path);
        if (db.open()) {
            QSqlQuery query(db);
            if (query.exec(u"PRAGMA integrity_check"_s) && query.next())
                found.first = query.value(0).toString();
            if (query.exec(u"SELECT value FROM meta WHERE key = 'since'"_s) && query.next())
                found.second = query.value(0).toString();
        }
    }
    QSqlDatabase::removeDatabase(u"inspect"_s);
    return found;
}

bool execOn(const QString &path, const QString &statement)
{
    bool ok = false;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"edit"_s);
        db.setDatabaseName(path);
        ok = db.open() && QSqlQuery(db).exec(statement);
    }
    QSqlDatabase::removeDatabase(u"edit"_s);
    return ok;
}

// Rows painted when the account entered Connecting, and whether any of them claimed to be active right now.
struct FirstPaint {
    int rows = -1;
    bool anyCurrentlyActive = false;
    bool current = true;
    explicit FirstPaint(Account &account)
    {
        QObject::connect(&account, &Account::stateChanged, [this, &account](Account::State state) {
            if (state != Account::State::Connecting || rows >= 0)
                return;
            ContactListModel *model = account.contacts();
            rows = model->rowCount();
            current = model->isCurrent();
            for (int row = 0; row < rows; ++row)
                anyCurrentlyActive |= model->data(model->index(row), ContactListModel::CurrentlyActiveRole).toBool();
        });
    }
};
} // namespace

class CacheIntegrationTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_server.isValid(), qPrintable(m_server.problem()));
        nameTheTestApplication();
    }

    void aSecondStartPaintsTheCacheThenResumesIncrementally()
    {
        const LoginSession alice = m_server.registerUser(u"alice"_s);
        TestUser bob(m_server.baseUrl(), m_server.registerUser(u"bob"_s));
        TestUser carol(m_server.baseUrl(), m_server.registerUser(u"carol"_s));
        TestUser dave(m_server.baseUrl(), m_server.registerUser(u"dave"_s));
        QVERIFY(bob.startDirectChatWith(alice));
        const QString room = carol.createRoom({alice.userId});
        QVERIFY(!room.isEmpty());
        QVERIFY(TestUser(m_server.baseUrl(), alice).join(room));
        QVERIFY(bob.setPresence(u"online"_s, u"Here"_s));

        {
            std::unique_ptr<Account> first = startEngine(alice, longPollMs);
            QStringList filterSenders;
            connect(first->syncLoop(), &SyncLoop::filterInUse, this,
                    [&](const QString &, const QStringList &senders) { filterSenders = senders; });
            QTRY_COMPARE_WITH_TIMEOUT(contactOf(*first, bob.userId()).state.statusMessage, u"Here"_s, serverTimeoutMs);
            QTRY_VERIFY_WITH_TIMEOUT(first->contacts()->rowOf(carol.userId()) >= 0, serverTimeoutMs);
            // The filter listing Bob and Carol is in use (and so cached): the next start needs no upload.
            QTRY_COMPARE_WITH_TIMEOUT(filterSenders.size(), 3, serverTimeoutMs);
            first->availability()->setSuspended(true);  // quitting, as PresentlyApp does
            first->cache()->flush();
        }

        // While Alice is away: Bob goes away with a status, Carol renames, Dave joins the room.
        QVERIFY(carol.setDisplayName(u"Carol Two"_s));
        QVERIFY(carol.request("POST", u"/_matrix/client/v3/rooms/%1/invite"_s.arg(encodedSegment(room)),
                              QJsonObject{{"user_id"_L1, dave.userId()}}).ok());
        QVERIFY(dave.join(room));
        QVERIFY(bob.setPresence(u"unavailable"_s, u"Lunch"_s));

        Account second;
        new QAbstractItemModelTester(second.contacts(), QAbstractItemModelTester::FailureReportingMode::QtTest, &second);
        second.syncLoop()->setServerTimeoutMs(longPollMs);
        SyncRequests requests(second);
        FirstPaint painted(second);
        QLoggingCategory::setFilterRules(u"presently.api.debug=true"_s);
        previousHandler = qInstallMessageHandler(recordSyncBodies);
        const auto restoreLogging = qScopeGuard([] {
            qInstallMessageHandler(previousHandler);
            QLoggingCategory::setFilterRules(QString());
        });
        second.restore();
        QTRY_VERIFY_WITH_TIMEOUT(painted.rows >= 0, serverTimeoutMs);
        // Before any answer: the roster from the cache, the last known states, nobody "active now".
        QCOMPARE(painted.rows, 2);
        QVERIFY(!painted.current);
        QVERIFY(!painted.anyCurrentlyActive);
        QVERIFY(requests.seen.isEmpty());
        QCOMPARE(contactOf(second, bob.userId()).state.statusMessage, u"Here"_s);
        QVERIFY(second.lastCurrentAtMs() > 0);  // what the banner says the states are as of

        QTRY_COMPARE_WITH_TIMEOUT(contactOf(second, bob.userId()).state.statusMessage, u"Lunch"_s, serverTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(contactOf(second, carol.userId()).displayName, u"Carol Two"_s, serverTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(second.contacts()->rowOf(dave.userId()) >= 0, serverTimeoutMs);
        QVERIFY(second.contacts()->isCurrent());
        QVERIFY(!requests.seen.isEmpty());
        QVERIFY2(!requests.seen.first().since.isEmpty(), "the first sync after a restart is incremental");
        QCOMPARE(requests.order.first(), u"sync"_s);  // the cached filter, not a new upload
        QVERIFY(!syncBodyBytes.isEmpty());
        qInfo("warm start: the first incremental /sync answered with %lld bytes (body)", syncBodyBytes.first());
    }

    void killedAtRandomMomentsItResumesWithNothingLost()
    {
        const LoginSession alice = m_server.registerUser(u"alice"_s);
        QList<std::shared_ptr<TestUser>> peers;
        for (const QString &name : {u"bob"_s, u"carol"_s, u"dave"_s}) {
            peers.append(std::make_shared<TestUser>(m_server.baseUrl(), m_server.registerUser(name)));
            QVERIFY(peers.last()->startDirectChatWith(alice));
        }
        {
            std::unique_ptr<Account> first = startEngine(alice, longPollMs);
            QTRY_COMPARE_WITH_TIMEOUT(first->contacts()->rowCount(), 3, serverTimeoutMs);
            first->availability()->setSuspended(true);
            first->cache()->flush();
        }
        const QString path = RosterCache::fileFor(alice.userId);

        // The peers change their status (at most one presence update per 10 s each: stock rc_presence) or else
        // their name (stock profile rate limit 0.2/s), one peer every 1.4 s, all through the rounds.
        QTimer changes;
        int change = 0;
        QHash<int, qint64> lastPresencePut;
        QElapsedTimer clock;
        clock.start();
        QObject::connect(&changes, &QTimer::timeout, [&] {
            const int peer = change % peers.size();
            ++change;
            if (clock.elapsed() - lastPresencePut.value(peer, -20'000) > 10'500) {
                lastPresencePut[peer] = clock.elapsed();
                peers[peer]->request("PUT", u"/_matrix/client/v3/presence/%1/status"_s.arg(encodedSegment(peers[peer]->userId())),
                                     QJsonObject{{"presence"_L1, change % 2 ? u"online"_s : u"unavailable"_s},
                                                 {"status_msg"_L1, u"change %1"_s.arg(change)}});
            } else {
                peers[peer]->setDisplayName(u"Peer %1 (%2)"_s.arg(peer).arg(change));
            }
        });
        changes.start(1'400);

        constexpr int rounds = 8;
        for (int round = 0; round < rounds; ++round) {
            QProcess child;
            child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
            child.start(QStringLiteral(CACHE_CHILD_BINARY), {QCoreApplication::organizationName(), QCoreApplication::applicationName()});
            QVERIFY(child.waitForStarted());
            QVERIFY(child.waitForReadyRead(serverTimeoutMs));  // at once, so that a kill can come before the first answer
            const QByteArray firstLine = child.readLine().trimmed();
            QCOMPARE(firstLine, QByteArray("painted 3"));  // the roster, from the cache, before any answer
            // Killed at a random moment: every other round within 150 ms of painting (before or during the first
            // sync and its write), the others later (a later batch, or idle in a long-poll).
            const int delayMs = round % 2 ? QRandomGenerator::global()->bounded(0, 150) : QRandomGenerator::global()->bounded(150, 2'000);
            if (delayMs > 0)
                QTest::qWait(delayMs);
            ::kill(static_cast<pid_t>(child.processId()), SIGKILL);
            QVERIFY(child.waitForFinished());
            const auto [integrity, since] = inspect(path);
            QCOMPARE(integrity, u"ok"_s);
            QVERIFY(!since.isEmpty());
            qInfo("round %d: killed after %s", round + 1, child.readAll().contains("live") ? "the first batch" : "painting");
        }
        changes.stop();

        // One more start, left to run: what it ends up showing is what the server says.
        Account last;
        new QAbstractItemModelTester(last.contacts(), QAbstractItemModelTester::FailureReportingMode::QtTest, &last);
        last.syncLoop()->setServerTimeoutMs(longPollMs);
        FirstPaint painted(last);
        last.restore();
        QTRY_VERIFY_WITH_TIMEOUT(painted.rows >= 0, serverTimeoutMs);
        QCOMPARE(painted.rows, 3);
        QTRY_COMPARE_WITH_TIMEOUT(last.state(), Account::State::Live, serverTimeoutMs);
        for (const std::shared_ptr<TestUser> &peer : std::as_const(peers)) {
            QTRY_COMPARE_WITH_TIMEOUT(contactOf(last, peer->userId()).state.statusMessage,
                                      peer->presenceOf(peer->userId()).value("status_msg"_L1).toString(), serverTimeoutMs);
            const QJsonObject profile = peer->request("GET", u"/_matrix/client/v3/profile/%1"_s.arg(encodedSegment(peer->userId()))).body;
            QTRY_COMPARE_WITH_TIMEOUT(contactOf(last, peer->userId()).displayName, profile.value("displayname"_L1).toString(),
                                      serverTimeoutMs);
        }
    }

    void aPositionTheServerRefusesFallsBackToAFullSync()
    {
        const LoginSession alice = m_server.registerUser(u"alice"_s);
        TestUser bob(m_server.baseUrl(), m_server.registerUser(u"bob"_s));
        QVERIFY(bob.startDirectChatWith(alice));
        QVERIFY(liveWithOneContact(alice));  // and quit
        // A position no server gave, and a filter ID it never numbered.
        const QString path = RosterCache::fileFor(alice.userId);
        QVERIFY(execOn(path, u"UPDATE meta SET value = 'not-a-token' WHERE key = 'since'"_s));
        QVERIFY(execOn(path, u"UPDATE meta SET value = '987654' WHERE key = 'filter_id'"_s));
        QVERIFY(bob.setDisplayName(u"Bob Again"_s));

        Account second;
        new QAbstractItemModelTester(second.contacts(), QAbstractItemModelTester::FailureReportingMode::QtTest, &second);
        second.syncLoop()->setServerTimeoutMs(longPollMs);
        SyncRequests requests(second);
        second.restore();
        QTRY_COMPARE_WITH_TIMEOUT(second.state(), Account::State::Live, serverTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(contactOf(second, bob.userId()).displayName, u"Bob Again"_s, serverTimeoutMs);
        QVERIFY(std::any_of(requests.seen.cbegin(), requests.seen.cend(), [](const SyncRequests::Seen &seen) { return seen.since.isEmpty(); }));
        second.cache()->flush();
        QVERIFY(inspect(path).second != u"not-a-token"_s);
    }

    void signingOutRemovesTheCache()
    {
        const LoginSession alice = m_server.registerUser(u"alice"_s);
        TestUser bob(m_server.baseUrl(), m_server.registerUser(u"bob"_s));
        QVERIFY(bob.startDirectChatWith(alice));
        const std::unique_ptr<Account> account = liveWithOneContact(alice);
        QVERIFY(account);
        const QString path = RosterCache::fileFor(alice.userId);
        QVERIFY(QFile::exists(path));
        account->signOut();
        QTRY_COMPARE_WITH_TIMEOUT(account->state(), Account::State::SignedOut, serverTimeoutMs);
        QVERIFY(!QFile::exists(path));
        QVERIFY(!QFile::exists(path + u"-wal"_s));
    }

private:
    TestHomeserver m_server;
};

QTEST_MAIN(CacheIntegrationTest)
#include "tst_cache_integration.moc"
