// Signing in, from what a person types to a sentence they can act on, for every way it fails that a real
// Synapse cannot be made to produce on demand (a closed port, a web server that is not Matrix, a broken TLS
// handshake, a rate limit). The wrong password and the happy path run against Synapse in the UI tests.
#include "FakeHomeserver.h"
#include "session/SignIn.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

using namespace Qt::Literals::StringLiterals;

namespace {
const QString versionsPath = u"/_matrix/client/versions"_s;
const QString loginPath = u"/_matrix/client/v3/login"_s;
} // namespace

class SignInTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void inputIsCheckedBeforeAnyRequest_data()
    {
        QTest::addColumn<QString>("server");
        QTest::addColumn<QString>("user");
        QTest::addColumn<QString>("expected");
        QTest::newRow("no server") << u"  "_s << u"@a:x"_s << u"Enter your homeserver"_s;
        QTest::newRow("plain http elsewhere") << u"http://matrix.example.org"_s << u"@a:x"_s
                                             << u"Plain http is only allowed for a server on this computer"_s;
        QTest::newRow("not http") << u"ftp://example.org"_s << u"@a:x"_s << u"is not a server name or an http(s) address"_s;
        QTest::newRow("no user") << u"http://127.0.0.1:1"_s << QString() << u"Enter your user name and password"_s;
    }

    void inputIsCheckedBeforeAnyRequest()
    {
        QFETCH(QString, server);
        QFETCH(QString, user);
        QFETCH(QString, expected);
        QCOMPARE(failureFor(server, user), expected);
    }

    void aClosedPortCannotBeReached()
    {
        QTcpServer reserved;  // a port that was free a moment ago and is closed now
        QVERIFY(reserved.listen(QHostAddress::LocalHost));
        const quint16 port = reserved.serverPort();
        reserved.close();
        QCOMPARE(failureFor(u"http://127.0.0.1:%1"_s.arg(port)), u"Can't reach"_s);
    }

    void aWebServerThatIsNotMatrixIsSaidToBeSo_data()
    {
        QTest::addColumn<FakeHomeserver::Response>("versions");
        QTest::newRow("404") << FakeHomeserver::Response::json(404, "<html>Not found</html>");
        QTest::newRow("HTML page") << FakeHomeserver::Response::json(200, "<html><body>Welcome to nginx!</body></html>");
        QTest::newRow("JSON without versions") << FakeHomeserver::Response::json(200, R"({"status":"ok"})");
    }

    void aWebServerThatIsNotMatrixIsSaidToBeSo()
    {
        QFETCH(FakeHomeserver::Response, versions);
        FakeHomeserver server;
        server.enqueue(versionsPath, versions);
        QCOMPARE(failureFor(server.baseUrl().toString()), u"does not look like a Matrix server"_s);
    }

    void aBrokenTlsHandshakeIsAnErrorNeverIgnored()
    {
        // The other end answers the TLS hello with bytes that are not TLS: the handshake fails, and the
        // failure is reported, not worked around.
        QTcpServer notTls;
        QVERIFY(notTls.listen(QHostAddress::LocalHost));
        connect(&notTls, &QTcpServer::newConnection, &notTls, [&notTls] {
            QTcpSocket *socket = notTls.nextPendingConnection();
            socket->write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}");
            socket->disconnectFromHost();
        });
        QCOMPARE(failureFor(u"https://127.0.0.1:%1"_s.arg(notTls.serverPort())), u"is not secure"_s);
    }

    void aRateLimitSaysHowLongToWait()
    {
        FakeHomeserver server;
        server.enqueue(versionsPath, FakeHomeserver::Response::json(200, R"({"versions":["v1.11"]})"));
        server.enqueue(loginPath, FakeHomeserver::Response::json(429,
            R"({"errcode":"M_LIMIT_EXCEEDED","error":"Too many requests","retry_after_ms":4200})"));
        QCOMPARE(failureFor(server.baseUrl().toString()), u"Too many attempts. Try again in 5 s."_s);
    }

    void aDeactivatedAccountIsNamed()
    {
        FakeHomeserver server;
        server.enqueue(versionsPath, FakeHomeserver::Response::json(200, R"({"versions":["v1.11"]})"));
        server.enqueue(loginPath, FakeHomeserver::Response::json(403,
            R"({"errcode":"M_USER_DEACTIVATED","error":"This account has been deactivated"})"));
        QCOMPARE(failureFor(server.baseUrl().toString()), u"This account has been deactivated."_s);
    }

    void aLoginAdvertisingPlainHttpElsewhereIsNotFollowed()
    {
        FakeHomeserver server;
        server.enqueue(versionsPath, FakeHomeserver::Response::json(200, R"({"versions":["v1.11"]})"));
        server.enqueue(loginPath, FakeHomeserver::Response::json(200, "{\"user_id\":\"@alice:x\",\"access_token\":\"t\","
            "\"device_id\":\"D\",\"well_known\":{\"m.homeserver\":{\"base_url\":\"http://matrix.example.org\"}}}"));
        SignIn signIn;
        QSignalSpy succeeded(&signIn, &SignIn::succeeded);
        signIn.start(server.baseUrl().toString(), u"@alice:x"_s, u"password"_s);
        QVERIFY(succeeded.wait(10000));
        QCOMPARE(succeeded.at(0).at(0).value<LoginSession>().homeserver, server.baseUrl());
    }

    // A person who signs in with a password while the dialog is still reading the server's ways of signing in:
    // the read is cancelled, and nothing of it (no auth_metadata probe, no failure) touches the sign-in.
    void aPasswordSignInStartedWhileTheFlowsAreReadIsNotFailedByTheCancelledRead()
    {
        FakeHomeserver server;
        server.setFallback(versionsPath, FakeHomeserver::Response::json(200, R"({"versions":["v1.11"]})"));
        server.enqueue(loginPath, FakeHomeserver::Response::hang());  // GET /login: the flows, never answered
        server.enqueue(loginPath, FakeHomeserver::Response::json(200,
            "{\"user_id\":\"@alice:x\",\"access_token\":\"t\",\"device_id\":\"D\"}"));
        SignIn signIn;
        QSignalSpy failed(&signIn, &SignIn::failed);
        QSignalSpy succeeded(&signIn, &SignIn::succeeded);
        signIn.fetchFlows(server.baseUrl().toString());
        QTRY_VERIFY(!server.requestsTo(loginPath, "GET").isEmpty());
        signIn.start(server.baseUrl().toString(), u"@alice:x"_s, u"password"_s);
        QVERIFY(succeeded.wait(10000));
        QVERIFY(failed.isEmpty());
        QCOMPARE(server.requestsTo(loginPath, "POST").size(), 1);
        QCOMPARE(server.requestsTo(loginPath, "POST").first().body.contains("\"password\":\"password\""), true);
        QVERIFY(server.requestsTo(u"/_matrix/client/v1/auth_metadata"_s).isEmpty());
    }

private:
    // Signs in and returns the part of the failure sentence that `expected`-style checks look for: the whole
    // message when it is short, else the first matching known phrase.
    static QString failureFor(const QString &server, const QString &user = u"@alice:example.org"_s)
    {
        SignIn signIn;
        QSignalSpy failed(&signIn, &SignIn::failed);
        QSignalSpy succeeded(&signIn, &SignIn::succeeded);
        signIn.start(server, user, u"password"_s);
        if (failed.isEmpty() && !failed.wait(20000))
            return u"<no answer>"_s;
        if (!succeeded.isEmpty())
            return u"<succeeded>"_s;
        const QString message = failed.at(0).at(0).toString();
        for (const QString &phrase : knownPhrases())
            if (message.contains(phrase))
                return phrase;
        return message;
    }

    static QStringList knownPhrases()
    {
        return {u"Enter your homeserver"_s, u"Plain http is only allowed for a server on this computer"_s,
                u"is not a server name or an http(s) address"_s, u"Enter your user name and password"_s,
                u"Can't reach"_s, u"does not look like a Matrix server"_s, u"is not secure"_s};
    }
};

QTEST_GUILESS_MAIN(SignInTest)
#include "tst_signin.moc"
