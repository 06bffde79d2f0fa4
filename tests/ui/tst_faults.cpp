// Faults a real homeserver cannot be made to produce, met by the whole app as a person runs it: a /sync answer
// that is cut off, garbage, not JSON, the wrong shape, too large, trickling in, a burst of 5xx, 429 with either
// form of wait, a connection reset mid-body, a certificate that changes. For each: no crash, a banner that says
// what happened, a retry after a bounded wait, nothing of the failed answer applied (the roster and `since` as
// they were), and the stream back to live once the server answers properly again.
#include "app/PresentlyApp.h"
#include "roster/ContactListModel.h"
#include "roster/RosterFilterModel.h"
#include "RosterRows.h"
#include "session/Account.h"
#include "store/RosterCache.h"
#include "window/ConnectionBanner.h"
#include "window/MainWindow.h"
#include "window/RosterWidget.h"
#include "FakeHomeserver.h"
#include "WidgetTestSupport.h"

#include <QDir>
#include <QFile>
#include <QLabel>
#include <QProcess>
#include <QPushButton>
#include <QScopeGuard>
#include <QSslKey>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using Response = FakeHomeserver::Response;

Q_DECLARE_METATYPE(QList<FakeHomeserver::Response>)

namespace {
constexpr int timeoutMs = 30000;
const QString syncPath = u"/_matrix/client/v3/sync"_s;

// The first answer: Bob, in a direct chat, online with a status.
const QByteArray firstSync = R"({"next_batch":"s1",
    "rooms":{"join":{"!dm:x":{"summary":{"m.joined_member_count":2},"state":{"events":[
      {"type":"m.room.member","state_key":"@me:x","sender":"@me:x","content":{"membership":"join"}},
      {"type":"m.room.member","state_key":"@bob:x","sender":"@bob:x","content":{"membership":"join","displayname":"Bob"}}]}}}},
    "presence":{"events":[{"type":"m.presence","sender":"@bob:x","content":{"presence":"online","status_msg":"Around"}}]}})";

// What a failed answer would have changed, had anything of it been applied.
QByteArray bobBecomes(const QByteArray &presence, const QByteArray &status)
{
    return R"({"next_batch":"s-bad","presence":{"events":[{"type":"m.presence","sender":"@bob:x","content":{"presence":")"
         + presence + R"(","status_msg":")" + status + R"("}}]}})";
}

// The answer once the server is well again.
const QByteArray recoverySync = R"({"next_batch":"s2","presence":{"events":[
    {"type":"m.presence","sender":"@bob:x","content":{"presence":"unavailable","status_msg":"Back at 3"}}]}})";

Response withHeader(Response response, const QByteArray &name, const QByteArray &value)
{
    response.headers.append({name, value});
    return response;
}

// What the person saw when the last retry was scheduled, and what the app held then.
struct Snapshot {
    QString banner;
    QString since;
    int rows = 0;
    QString bobName;
    QString bobStatus;
    Presence bobPresence = Presence::Unknown;
    QList<int> retryDelaysMs;
};

struct Identity {
    QSslCertificate certificate;
    QSslKey key;
};

// A self-signed certificate for 127.0.0.1, made by openssl for this run.
Identity makeIdentity(const QTemporaryDir &dir, const QString &name)
{
    const QString key = dir.filePath(name + u".key"_s);
    const QString cert = dir.filePath(name + u".crt"_s);
    QProcess openssl;
    openssl.start(u"openssl"_s, {u"req"_s, u"-x509"_s, u"-newkey"_s, u"ec"_s, u"-pkeyopt"_s, u"ec_paramgen_curve:prime256v1"_s,
                                 u"-nodes"_s, u"-days"_s, u"2"_s, u"-subj"_s, u"/CN=127.0.0.1"_s,
                                 u"-addext"_s, u"subjectAltName=IP:127.0.0.1"_s, u"-keyout"_s, key, u"-out"_s, cert});
    if (!openssl.waitForFinished(30000) || openssl.exitCode() != 0)
        return Identity();
    QFile keyFile(key);
    QFile certFile(cert);
    if (!keyFile.open(QIODevice::ReadOnly) || !certFile.open(QIODevice::ReadOnly))
        return Identity();
    return {QSslCertificate(certFile.readAll()), QSslKey(keyFile.readAll(), QSsl::Ec)};
}

QSslConfiguration serverConfiguration(const Identity &identity)
{
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setLocalCertificate(identity.certificate);
    configuration.setPrivateKey(identity.key);
    configuration.setPeerVerifyMode(QSslSocket::VerifyNone);
    return configuration;
}
} // namespace

class FaultsTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        WidgetTest::useHome(m_home);
    }

    // Each case is a first run after signing in: the roster cache an earlier case left would resume its stream.
    void init()
    {
        QVERIFY(QDir(RosterCache::directory()).removeRecursively());
    }

    void aFaultyAnswerChangesNothingAndIsRetried_data()
    {
        QTest::addColumn<QList<Response>>("faults");
        QTest::addColumn<QString>("bannerSays");
        QTest::addColumn<int>("minRetryMs");  // every retry waits at least this long
        QTest::addColumn<int>("maxRetryMs");  // and at most this long

        // The real retry ladder: the first waits of an outage are 1-2 s (RetryPolicy).
        const QString unreadable = u"answer could not be read"_s;
        QTest::newRow("truncated body") << QList{Response::dropMidBody()} << u"connection to your homeserver failed"_s << 0 << 2000;
        // Qt drops a connection whose answer is not HTTP, and says only that it closed.
        QTest::newRow("garbage") << QList{Response::garbage()} << u"connection to your homeserver failed"_s << 0 << 2000;
        QTest::newRow("not JSON") << QList{Response::json(200, "<html><body>Welcome to the hotel Wi-Fi</body></html>")}
                                  << unreadable << 0 << 2000;
        QTest::newRow("wrong shape") << QList{Response::json(200, R"(["s-bad",{"presence":{}}])"),
                                             Response::json(200, R"({"presence":{"events":[]},"rooms":5})")}
                                     << unreadable << 0 << 2000;
        QTest::newRow("malformed literal")
            << QList{Response::json(200, bobBecomes("offline", "Gone").replace(R"("Gone")", "nul"))} << unreadable << 0 << 2000;
        QTest::newRow("trailing content") << QList{Response::json(200, bobBecomes("offline", "Gone") + "}")} << unreadable << 0 << 2000;
        QTest::newRow("gigantic") << QList{Response::oversized(HomeserverApi::maxSyncBytes + 1)} << u"larger than 512 MiB"_s << 0 << 2000;
        QTest::newRow("one byte a second") << QList{Response::trickle(bobBecomes("offline", "Gone"))} << u"too slowly"_s << 0 << 2000;
        QTest::newRow("500 502 503") << QList{Response::json(500, "Internal Server Error"), Response::json(502, "<html>Bad gateway</html>"),
                                             Response::json(503, R"({"errcode":"M_UNKNOWN","error":"Try later"})")}
                                     << u"having trouble (HTTP 503"_s << 0 << 2000;
        QTest::newRow("429 Retry-After")
            << QList{withHeader(Response::json(429, R"({"errcode":"M_LIMIT_EXCEEDED","error":"Too many requests"})"), "Retry-After", "3")}
            << u"asks Presently to wait"_s << 3000 << 3100;
        QTest::newRow("429 retry_after_ms")
            << QList{Response::json(429, R"({"errcode":"M_LIMIT_EXCEEDED","error":"Too many requests","retry_after_ms":2500})")}
            << u"asks Presently to wait"_s << 2500 << 2600;
        QTest::newRow("reset mid-body") << QList{Response::resetMidBody(bobBecomes("offline", "Gone").left(40))}
                                        << u"connection to your homeserver failed"_s << 0 << 2000;
    }

    void aFaultyAnswerChangesNothingAndIsRetried()
    {
        QFETCH(QList<Response>, faults);
        QFETCH(QString, bannerSays);
        QFETCH(int, minRetryMs);
        QFETCH(int, maxRetryMs);

        FakeHomeserver server;
        server.scriptSignedInAccount();
        server.enqueue(syncPath, Response::json(200, firstSync));
        for (const Response &fault : faults)
            server.enqueue(syncPath, fault);
        // The last fault goes on until the app has met them all: Qt resends a GET whose connection died before an
        // answer, unseen, so a fault may take more than one answer.
        server.setFallback(syncPath, faults.constLast());

        PresentlyApp app;
        int failures = 0;
        connect(app.account(), &Account::retryScheduled, &server, [&] {
            if (++failures < faults.size())
                return;
            server.enqueue(syncPath, Response::json(200, recoverySync));
            server.setFallback(syncPath, Response::hang());
        });
        const Snapshot seen = runUntilRecovered(app, server);
        QCOMPARE(seen.retryDelaysMs.size(), faults.size());
        QVERIFY2(seen.banner.contains(bannerSays), qPrintable(seen.banner));
        QVERIFY2(seen.banner.contains(u"Reconnecting in"_s), qPrintable(seen.banner));
        QVERIFY2(seen.banner.contains(u"last known states"_s), qPrintable(seen.banner));
        expectNothingApplied(seen);
        for (const int delayMs : seen.retryDelaysMs)
            QVERIFY2(delayMs >= minRetryMs && delayMs <= maxRetryMs, qPrintable(QString::number(delayMs)));

        // The server was well again: the retry got the next answer, and the roster is live with it.
        QTRY_COMPARE_WITH_TIMEOUT(app.account()->state(), Account::State::Live, timeoutMs);
        QCOMPARE(bob(app).data(ContactListModel::StatusMessageRole).toString(), u"Back at 3"_s);
        QVERIFY(!app.window()->banner()->isVisible());
        // Every failed answer was asked for again from where the stream stood, never from a failed one's token.
        QTRY_COMPARE_WITH_TIMEOUT(server.requestsTo(syncPath).constLast().query.queryItemValue(u"since"_s), u"s2"_s, timeoutMs);
        const QList<FakeHomeserver::Request> syncs = server.requestsTo(syncPath);
        for (qsizetype i = 1; i + 1 < syncs.size(); ++i)
            QCOMPARE(syncs.at(i).query.queryItemValue(u"since"_s), u"s1"_s);
    }

    void aCertificateThatChangesIsRefusedAndSaidSo()
    {
        QTemporaryDir keys;
        const Identity trusted = makeIdentity(keys, u"trusted"_s);
        const Identity intercepting = makeIdentity(keys, u"intercepting"_s);
        QVERIFY2(!trusted.certificate.isNull() && !intercepting.certificate.isNull(), "openssl could not make a certificate");
        // The homeserver's own certificate is trusted as a CA would make it; the one presented later is not.
        const QSslConfiguration original = QSslConfiguration::defaultConfiguration();
        const auto restore = qScopeGuard([original] { QSslConfiguration::setDefaultConfiguration(original); });
        QSslConfiguration clients = original;
        clients.addCaCertificate(trusted.certificate);
        QSslConfiguration::setDefaultConfiguration(clients);

        FakeHomeserver server(serverConfiguration(trusted));
        server.scriptSignedInAccount();
        server.enqueue(syncPath, Response::json(200, firstSync));
        server.setFallback(syncPath, Response::hang());
        PresentlyApp app;
        app.startWithPassword(server.baseUrl().toString(), u"@me:x"_s, u"pw"_s);
        QTRY_COMPARE_WITH_TIMEOUT(app.account()->syncLoop()->since(), u"s1"_s, timeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(server.requestsTo(syncPath).size(), 2, timeoutMs);

        // Something between Presently and its server now presents another certificate.
        const qsizetype requestsBefore = server.requests().size();
        Snapshot seen;
        QTimer::singleShot(0, &server, [&] {
            server.setTlsConfiguration(serverConfiguration(intercepting));
            server.closeConnections();
        });
        // (A long-poll cut off with the connection may fail first, as any dropped connection does.)
        QVERIFY(waitForRetries(app, seen, u"fault-tls"_s, [&] { return seen.banner.contains(u"certificate is not trusted"_s); }));
        QVERIFY2(seen.banner.contains(u"Reconnecting in"_s), qPrintable(seen.banner));
        expectNothingApplied(seen);
        // A refusal, not a blip: the wait is the long one (1 min, with jitter), not the outage ladder's.
        QVERIFY2(seen.retryDelaysMs.constLast() >= 30'000 && seen.retryDelaysMs.constLast() <= 90'000,
                 qPrintable(QString::number(seen.retryDelaysMs.constLast())));
        QCOMPARE(server.requests().size(), requestsBefore);  // nothing, and so no token, reached the impostor

        // The right certificate is back; "Retry now" does not wait out the minute.
        server.setTlsConfiguration(serverConfiguration(trusted));
        server.enqueue(syncPath, Response::json(200, recoverySync));
        QTest::mouseClick(app.window()->banner()->actionButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(app.account()->syncLoop()->since(), u"s2"_s, timeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(app.account()->state(), Account::State::Live, timeoutMs);
    }

private:
    static QModelIndex bob(PresentlyApp &app)
    {
        return shownContact(*app.window()->roster()->filterModel(), u"@bob:x"_s);
    }

    // Signs in and runs through the faults until the answer after them has been applied; what the window showed
    // at the last retry is in the snapshot.
    static Snapshot runUntilRecovered(PresentlyApp &app, FakeHomeserver &server)
    {
        Snapshot seen;
        app.startWithPassword(server.baseUrl().toString(), u"@me:x"_s, u"pw"_s);
        const QString screenshot = u"fault-%1"_s.arg(QString::fromLatin1(QTest::currentDataTag()).replace(u' ', u'-'));
        waitForRetries(app, seen, screenshot, [&] { return app.account()->syncLoop()->since() == "s2"_L1; });
        return seen;
    }

    // Records what the window shows each time a retry is scheduled (the last time wins), until `done` says so.
    template <typename Done>
    static bool waitForRetries(PresentlyApp &app, Snapshot &seen, const QString &screenshot, Done done)
    {
        // Connected after the banner, so the banner has already taken the news in when this runs.
        const auto connection = connect(app.account(), &Account::retryScheduled, &app, [&app, &seen, screenshot](int delayMs) {
            seen.retryDelaysMs.append(delayMs);
            seen.banner = app.window()->banner()->label()->text();
            seen.since = app.account()->syncLoop()->since();
            seen.rows = app.window()->roster()->filterModel()->contactCount();
            const QModelIndex row = bob(app);
            seen.bobName = row.data(Qt::DisplayRole).toString();
            seen.bobStatus = row.data(ContactListModel::StatusMessageRole).toString();
            seen.bobPresence = row.data(ContactListModel::PresenceRole).value<Presence>();
            WidgetTest::saveScreenshot(app.window(), screenshot);
        });
        const bool finished = QTest::qWaitFor(done, timeoutMs);
        disconnect(connection);
        return finished;
    }

    static void expectNothingApplied(const Snapshot &seen)
    {
        QCOMPARE(seen.since, u"s1"_s);
        QCOMPARE(seen.rows, 1);
        QCOMPARE(seen.bobName, u"Bob"_s);
        QCOMPARE(seen.bobStatus, u"Around"_s);
        QCOMPARE(seen.bobPresence, Presence::Online);
    }

    QTemporaryDir m_home;
};

QTEST_MAIN(FaultsTest)
#include "tst_faults.moc"
