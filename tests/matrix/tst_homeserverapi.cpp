// HomeserverApi's error handling for faults a real server cannot be made to produce: timeouts, oversized
// bodies, garbage; plus what must hold whatever the server does (tokens never logged, only mxc:// fetched).
// Every endpoint's happy path runs against Synapse in tests/matrix/tst_api_integration.cpp.
#include "FakeHomeserver.h"
#include "matrix/HomeserverApi.h"

#include <QLoggingCategory>
#include <QMutex>
#include <QSignalSpy>
#include <QTest>
#include <QUrlQuery>

using namespace Qt::Literals::StringLiterals;

namespace {

const QString token = u"syt_c2VjcmV0_TOKENVALUE_0001"_s;
// Requests below are to your presence (PUT, and GET: an ordinary authenticated request with a JSON answer).
const QString me = u"@me:x"_s;
const QString presencePath = u"/_matrix/client/v3/presence/"_s;

QStringList g_logLines;
QMutex g_logMutex;

void captureLog(QtMsgType, const QMessageLogContext &, const QString &message)
{
    QMutexLocker lock(&g_logMutex);
    g_logLines << message;
}

template <typename T, typename Call>
std::optional<Result<T>> await(Call &&call, int timeoutMs = 10'000)
{
    std::optional<Result<T>> result;
    QObject context;
    call(&context, [&result](Result<T> r) { result = std::move(r); });
    if (!QTest::qWaitFor([&] { return result.has_value(); }, timeoutMs))
        qWarning("no answer within %d ms", timeoutMs);
    return result;
}

} // namespace

class HomeserverApiTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        m_server = std::make_unique<FakeHomeserver>();
        m_api = m_server->apiFor(token);
    }

    void cleanup()
    {
        m_api.reset();
        m_server.reset();
    }

    // The browser's start of a single sign-on: the redirect URL travels whole, its own query included (the server
    // gives that back with the loginToken added); the provider's ID is one path segment.
    void theSsoRedirectUrlCarriesTheListenerWhole()
    {
        HomeserverApi api;
        api.setHomeserver(QUrl(u"https://matrix.example.org/base/"_s));
        const QUrl listener(u"http://127.0.0.1:4711/sso-callback?state=0123abcd"_s);
        const QUrl url = api.ssoRedirectUrl(u"oidc/one two"_s, listener);
        QCOMPARE(url.toString(QUrl::FullyEncoded),
                 u"https://matrix.example.org/base/_matrix/client/v3/login/sso/redirect/oidc%2Fone%20two"
                 "?redirectUrl=http%3A%2F%2F127.0.0.1%3A4711%2Fsso-callback%3Fstate%3D0123abcd"_s);
        QCOMPARE(QUrlQuery(url).queryItemValue(u"redirectUrl"_s, QUrl::FullyDecoded), listener.toString());
        QCOMPARE(api.ssoRedirectUrl({}, listener).path(), u"/base/_matrix/client/v3/login/sso/redirect"_s);
    }

    void aRequestThatNeverAnswersTimesOut()
    {
        m_server->setFallback(presencePath, FakeHomeserver::Response::hang());
        m_api->setRequestTimeout(300);
        const auto result = await<PresenceContent>([&](QObject *c, auto h) { m_api->getPresence(me, c, h); });
        QVERIFY(result.has_value());
        QVERIFY(!result->ok());
        QCOMPARE(result->error().kind, MatrixError::Kind::Timeout);
        QVERIFY(result->error().isTransient());
    }

    void anAbortedRequestSaysSo()
    {
        m_server->setFallback(presencePath, FakeHomeserver::Response::hang());
        std::optional<Result<PresenceContent>> result;
        QObject context;
        ApiCall call = m_api->getPresence(me, &context, [&](Result<PresenceContent> r) { result = std::move(r); });
        QTRY_COMPARE(m_server->requests().size(), 1);
        QVERIFY(call.isRunning());
        call.abort();
        QTRY_VERIFY(result.has_value());
        QCOMPARE(result->error().kind, MatrixError::Kind::Aborted);
        QVERIFY(!result->error().isTransient());
    }

    void noHandlerRunsOnceTheContextIsGone()
    {
        m_server->setFallback(presencePath,
                              FakeHomeserver::Response::json(200, R"({"presence":"online"})"));
        bool called = false;
        {
            QObject context;
            m_api->getPresence(me, &context, [&](Result<PresenceContent>) { called = true; });
        }
        QTest::qWait(300);
        QVERIFY(!called);
    }

    void matrixErrorsAreTyped()
    {
        auto limited = FakeHomeserver::Response::json(429, R"({"errcode":"M_LIMIT_EXCEEDED","error":"Slow down","retry_after_ms":2500})");
        limited.headers.append(std::pair<QByteArray, QByteArray>("Retry-After", "7"));
        m_server->enqueue(presencePath, limited);
        const auto result = await<Done>([&](QObject *c, auto h) { m_api->setPresence(me, u"online"_s, {}, c, h); });
        QVERIFY(result.has_value() && !result->ok());
        const MatrixError &error = result->error();
        QCOMPARE(error.kind, MatrixError::Kind::Http);
        QCOMPARE(error.httpStatus, 429);
        QCOMPARE(error.errcode, u"M_LIMIT_EXCEEDED"_s);
        QCOMPARE(error.message, u"Slow down"_s);
        QCOMPARE(error.retryAfterMs, std::optional<qint64>(7000));  // the header wins over the body
        QVERIFY(error.isRateLimited());
        QVERIFY(error.isTransient());

        m_server->enqueue(presencePath, FakeHomeserver::Response::json(500, "<html>oops</html>"));
        const auto serverError = await<Done>([&](QObject *c, auto h) { m_api->setPresence(me, u"online"_s, {}, c, h); });
        QCOMPARE(serverError->error().httpStatus, 500);
        QVERIFY(serverError->error().errcode.isEmpty());
        QVERIFY(serverError->error().isTransient());
    }

    void absurdWaitsAreBounded_data()
    {
        QTest::addColumn<FakeHomeserver::Response>("limited");
        auto header = FakeHomeserver::Response::json(429, R"({"errcode":"M_LIMIT_EXCEEDED"})");
        header.headers.append(std::pair<QByteArray, QByteArray>("Retry-After", "99999999999999999"));
        QTest::newRow("header") << header;
        QTest::newRow("body") << FakeHomeserver::Response::json(429, R"({"errcode":"M_LIMIT_EXCEEDED","retry_after_ms":1e300})");
    }

    void absurdWaitsAreBounded()
    {
        QFETCH(FakeHomeserver::Response, limited);
        m_server->enqueue(presencePath, limited);
        const auto result = await<Done>([&](QObject *c, auto h) { m_api->setPresence(me, u"online"_s, {}, c, h); });
        QCOMPARE(result->error().retryAfterMs, std::optional<qint64>(MatrixError::maxRetryAfterMs));
    }

    void theTokenNeverFollowsARedirectElsewhere()
    {
        FakeHomeserver elsewhere;  // another port is another origin
        auto redirect = FakeHomeserver::Response::json(302, "{}");
        redirect.headers.append(std::pair<QByteArray, QByteArray>(
            "Location", elsewhere.baseUrl().toString().toUtf8() + "/_matrix/client/v3/presence/%40me%3Ax/status"));
        m_server->enqueue(presencePath, redirect);
        elsewhere.setFallback(u"/"_s, FakeHomeserver::Response::json(200, R"({"presence":"online"})"));
        const auto result = await<PresenceContent>([&](QObject *c, auto h) { m_api->getPresence(me, c, h); });
        QVERIFY(result.has_value() && !result->ok());
        QTest::qWait(100);
        for (const auto &request : elsewhere.requests())
            QVERIFY2(!request.headers.contains("authorization"), "the token went to another origin");
    }

    void aBodyThatIsNotJsonIsAProtocolError()
    {
        m_server->setFallback(presencePath, FakeHomeserver::Response::json(200, "\x01\x02garbage"));
        const auto result = await<PresenceContent>([&](QObject *c, auto h) { m_api->getPresence(me, c, h); });
        QCOMPARE(result->error().kind, MatrixError::Kind::Protocol);
    }

    void theTokenNeverAppearsInTheLog()
    {
        QLoggingCategory::setFilterRules(u"presently.*=true"_s);
        g_logLines.clear();
        const QtMessageHandler previous = qInstallMessageHandler(captureLog);
        m_server->enqueue(presencePath, FakeHomeserver::Response::json(200, R"({"presence":"online"})"));
        m_server->enqueue(presencePath,
                          FakeHomeserver::Response::json(401, R"({"errcode":"M_UNKNOWN_TOKEN","error":"Unknown token"})"));
        m_server->enqueue(presencePath, FakeHomeserver::Response::dropConnection());
        for (int i = 0; i < 3; ++i)
            await<PresenceContent>([&](QObject *c, auto h) { m_api->getPresence(me, c, h); });
        qInstallMessageHandler(previous);
        QLoggingCategory::setFilterRules({});

        QVERIFY2(g_logLines.size() >= 3, "the requests were logged at all");
        for (const QString &line : std::as_const(g_logLines)) {
            QVERIFY2(!line.contains(token), qPrintable(line));
            QVERIFY2(!line.contains(u"TOKENVALUE"_s), qPrintable(line));
        }
        // ...while the server did receive it.
        QCOMPARE(m_server->requests().at(0).headers.value("authorization"), "Bearer " + token.toUtf8());
    }

    void thumbnailsFetchOnlyMxcUris_data()
    {
        QTest::addColumn<QString>("uri");
        QTest::newRow("https") << u"https://evil.example/a.png"_s;
        QTest::newRow("file") << u"file:///etc/passwd"_s;
        QTest::newRow("path traversal") << u"mxc://example.org/../../admin"_s;
        QTest::newRow("query") << u"mxc://example.org/abc?x=1"_s;
        QTest::newRow("no id") << u"mxc://example.org/"_s;
        QTest::newRow("empty") << QString();
    }

    void thumbnailsFetchOnlyMxcUris()
    {
        QFETCH(QString, uri);
        const auto result = await<QByteArray>([&](QObject *c, auto h) {
            m_api->thumbnail(uri, QSize(32, 32), ThumbnailMethod::Scale, c, h); });
        QVERIFY(result.has_value());
        QCOMPARE(result->error().kind, MatrixError::Kind::Input);
        QCOMPARE(m_server->requests().size(), 0);
    }

    void oldServersGetTheUnauthenticatedMediaPath()
    {
        m_server->setFallback(u"/_matrix/media/v3/thumbnail/"_s, FakeHomeserver::Response::json(200, "PNGDATA"));
        m_api->setServerVersions(ServerVersions{{u"r0.6.1"_s, u"v1.1"_s, u"v1.10"_s}, {}});
        const auto result = await<QByteArray>([&](QObject *c, auto h) {
            m_api->thumbnail(u"mxc://example.org/abcDEF_12-3"_s, QSize(48, 48), ThumbnailMethod::Crop, c, h); });
        QVERIFY(result->ok());
        const auto request = m_server->requests().at(0);
        QCOMPARE(request.path, u"/_matrix/media/v3/thumbnail/example.org/abcDEF_12-3"_s);
        QCOMPARE(request.query.queryItemValue(u"method"_s), u"crop"_s);
        QVERIFY(!request.headers.contains("authorization"));  // never hand the token to the legacy path
    }

    void anOversizedThumbnailIsCutOff()
    {
        m_server->setFallback(u"/_matrix/client/v1/media/thumbnail/"_s,
                              FakeHomeserver::Response::json(200, QByteArray(12 * 1024 * 1024, 'x')));
        const auto result = await<QByteArray>([&](QObject *c, auto h) {
            m_api->thumbnail(u"mxc://example.org/big"_s, QSize(32, 32), ThumbnailMethod::Scale, c, h); });
        QVERIFY(result.has_value());
        QCOMPARE(result->error().kind, MatrixError::Kind::Protocol);
        QVERIFY(result->error().message.contains(u"larger"_s));
    }

    void anOversizedAnswerToAnOrdinaryRequestIsCutOff()
    {
        // A presence that never ends: cut off at the limit, not read into memory to the end.
        m_server->setFallback(presencePath,
                              FakeHomeserver::Response::json(200, "{\"presence\":\"" + QByteArray(HomeserverApi::maxJsonBytes + 1024, 'a') + "\"}"));
        const auto result = await<PresenceContent>([&](QObject *c, auto h) { m_api->getPresence(me, c, h); });
        QVERIFY(result.has_value() && !result->ok());
        QCOMPARE(result->error().kind, MatrixError::Kind::Protocol);
        QVERIFY(result->error().message.contains(u"larger"_s));
    }

    void aBodyAnnouncedTooLargeIsRefusedAtItsHeaders()
    {
        // A gigabyte announced, a megabyte sent, then silence: only the headers can tell it is too large (waiting
        // for the rest would end as too slow, after the pace window).
        m_server->setFallback(presencePath, FakeHomeserver::Response::oversized(qint64(1) << 30, 1 << 20));
        const auto result = await<PresenceContent>([&](QObject *c, auto h) { m_api->getPresence(me, c, h); });
        QVERIFY(result.has_value() && !result->ok());
        QCOMPARE(result->error().kind, MatrixError::Kind::Protocol);
        QVERIFY2(result->error().message.contains(u"larger"_s), qPrintable(result->error().message));
    }

    void aBodyWithoutALengthIsCutOffWhenItPassesTheLimit()
    {
        m_server->setFallback(presencePath, FakeHomeserver::Response::unannounced(qint64(1) << 30));
        const auto result = await<PresenceContent>([&](QObject *c, auto h) { m_api->getPresence(me, c, h); });
        QVERIFY(result.has_value() && !result->ok());
        QCOMPARE(result->error().kind, MatrixError::Kind::Protocol);
        QVERIFY2(result->error().message.contains(u"larger"_s), qPrintable(result->error().message));
    }

    void aBodyCutShortIsAConnectionFailureEvenWhenWhatArrivedParses()
    {
        FakeHomeserver::Response cutShort = FakeHomeserver::Response::dropMidBody();
        cutShort.body = R"({"presence":"online"})";
        m_server->setFallback(presencePath, cutShort);
        const auto result = await<PresenceContent>([&](QObject *c, auto h) { m_api->getPresence(me, c, h); });
        QVERIFY(result.has_value() && !result->ok());
        QCOMPARE(result->error().kind, MatrixError::Kind::Network);
        QVERIFY(result->error().isTransient());
    }

    void mxcUrisAreParsedStrictly()
    {
        const auto ok = MxcUri::parse(u"mxc://matrix.org:8448/AbC_-9"_s);
        QVERIFY(ok);
        QCOMPARE(ok->serverName, u"matrix.org:8448"_s);
        QCOMPARE(ok->mediaId, u"AbC_-9"_s);
        QCOMPARE(ok->toString(), u"mxc://matrix.org:8448/AbC_-9"_s);
        QVERIFY(MxcUri::parse(u"mxc://[::1]:8008/x"_s));
        QVERIFY(!MxcUri::parse(u"mxc://a b/x"_s));
        QVERIFY(!MxcUri::parse(u"MXC://a/x"_s));
        // Found by fuzzing: `$` matched before a final newline.
        QVERIFY(!MxcUri::parse(u"mxc://a/x\n"_s));
    }

    void versionsCompareNumerically()
    {
        const ServerVersions versions{{u"v1.9"_s, u"v1.11"_s}, {{u"org.matrix.msc3026.busy_presence"_s, true}}};
        QVERIFY(versions.supportsAtLeast(1, 11));
        QVERIFY(!versions.supportsAtLeast(1, 12));
        QVERIFY(versions.supportsBusyPresence());
        const ServerVersions withBusyDisabled{{u"v1.10"_s}, {{u"org.matrix.msc3026.busy_presence"_s, false}}};
        QVERIFY(!withBusyDisabled.supportsBusyPresence());
    }

private:
    std::unique_ptr<FakeHomeserver> m_server;
    std::unique_ptr<HomeserverApi> m_api;
};

QTEST_GUILESS_MAIN(HomeserverApiTest)
#include "tst_homeserverapi.moc"
