// The single sign-on listener (session/SsoCallbackListener.h) and its request reader (SsoCallbackRequest.h): what
// is accepted, what is refused and answered 400 while the listener keeps waiting, what is dropped for size or
// slowness, and when it stops. Over real loopback sockets; tests/fuzz/fuzz_sso_callback runs the reader on any bytes.
#include "session/SsoCallbackListener.h"
#include "session/SsoCallbackRequest.h"

#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>
#include <QUrlQuery>

using namespace Qt::Literals::StringLiterals;

namespace {

constexpr QByteArrayView state = "0123456789abcdef0123456789abcdef";
constexpr int waitMs = 10'000;

// Sends `request` to the listener and returns all it answered before closing (empty if it dropped the connection).
QByteArray exchange(const SsoCallbackListener &listener, const QByteArray &request)
{
    QTcpSocket socket;
    socket.connectToHost(u"127.0.0.1"_s, static_cast<quint16>(listener.redirectUrl().port()));
    if (!socket.waitForConnected(waitMs))
        return "not connected";
    socket.write(request);
    QByteArray answer;
    QTest::qWaitFor([&] {
        answer += socket.readAll();
        return socket.state() == QAbstractSocket::UnconnectedState;
    }, waitMs);
    return answer + socket.readAll();
}

QByteArray callback(const SsoCallbackListener &listener, const QString &query)
{
    return "GET /sso-callback?" + query.toLatin1() + " HTTP/1.1\r\nHost: 127.0.0.1:"
        + QByteArray::number(listener.redirectUrl().port()) + "\r\nAccept: text/html\r\n\r\n";
}

QString stateOf(const SsoCallbackListener &listener)
{
    return QUrlQuery(listener.redirectUrl()).queryItemValue(u"state"_s);
}

} // namespace

class SsoCallbackTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void theReaderAcceptsOnlyACompleteRequestWithTheState_data()
    {
        QTest::addColumn<QByteArray>("received");
        QTest::addColumn<int>("verdict");
        QTest::addColumn<QString>("token");
        using V = SsoCallbackRequest::Verdict;
        const QByteArray good = "GET /sso-callback?state=0123456789abcdef0123456789abcdef&loginToken=syl_a%2Bb HTTP/1.1\r\n";
        QTest::newRow("accepted") << good + "Host: x\r\n\r\n" << int(V::Accepted) << u"syl_a+b"_s;
        QTest::newRow("bare newlines") << QByteArray(good).replace("\r\n", "\n") + "\n" << int(V::Accepted) << u"syl_a+b"_s;
        QTest::newRow("head not finished") << good + "Host: x\r\n" << int(V::Incomplete) << QString();
        QTest::newRow("line not finished") << good.left(40) << int(V::Incomplete) << QString();
        QTest::newRow("no state") << QByteArray("GET /sso-callback?loginToken=t HTTP/1.1\r\n\r\n") << int(V::Refused)
                                  << QString();
        QTest::newRow("wrong state") << QByteArray(good).replace("0123", "9123") + "\r\n" << int(V::Refused) << QString();
        QTest::newRow("state prefix") << QByteArray("GET /sso-callback?state=0123&loginToken=t HTTP/1.1\r\n\r\n")
                                      << int(V::Refused) << QString();
        QTest::newRow("no token") << QByteArray("GET /sso-callback?state=0123456789abcdef0123456789abcdef HTTP/1.1\r\n\r\n")
                                  << int(V::Refused) << QString();
        QTest::newRow("POST") << QByteArray(good).replace("GET", "POST") + "\r\n" << int(V::Refused) << QString();
        QTest::newRow("other path") << QByteArray(good).replace("/sso-callback", "/favicon.ico") + "\r\n"
                                    << int(V::Refused) << QString();
        QTest::newRow("not HTTP") << QByteArray("hello\r\n\r\n") << int(V::Refused) << QString();
        QTest::newRow("endless line") << QByteArray(SsoCallbackRequest::maxRequestLineBytes + 1, 'a') << int(V::TooLarge)
                                      << QString();
        QTest::newRow("endless head") << good + QByteArray(SsoCallbackRequest::maxHeadBytes, 'h') << int(V::TooLarge)
                                      << QString();
    }

    void theReaderAcceptsOnlyACompleteRequestWithTheState()
    {
        QFETCH(QByteArray, received);
        QFETCH(int, verdict);
        QFETCH(QString, token);
        const SsoCallbackRequest request = SsoCallbackRequest::read(received, "/sso-callback", state);
        QCOMPARE(int(request.verdict), verdict);
        QCOMPARE(request.loginToken, token);
        if (request.verdict == SsoCallbackRequest::Verdict::Refused)
            QVERIFY(!request.reason.contains(u"syl_"_s));
    }

    void aRefusedRequestGets400AndTheRightOneSignsInAndStopsTheListener()
    {
        SsoCallbackListener listener;
        QSignalSpy received(&listener, &SsoCallbackListener::tokenReceived);
        QVERIFY(listener.listen(waitMs * 3));
        QCOMPARE(listener.redirectUrl().host(), u"127.0.0.1"_s);
        QCOMPARE(stateOf(listener).size(), 32);

        QVERIFY(exchange(listener, callback(listener, u"state=nope&loginToken=forged"_s)).startsWith("HTTP/1.1 400"));
        QVERIFY(received.isEmpty());
        QVERIFY(listener.isListening());

        const QByteArray answer = exchange(listener, callback(listener, u"state=%1&loginToken=syl_real"_s.arg(stateOf(listener))));
        QVERIFY2(answer.startsWith("HTTP/1.1 200"), answer.constData());
        QVERIFY(answer.contains("you can close this tab"));
        QCOMPARE(received.size(), 1);
        QCOMPARE(received.first().first().toString(), u"syl_real"_s);
        QVERIFY(!listener.isListening());
    }

    void aNewListenHasANewState()
    {
        SsoCallbackListener listener;
        QVERIFY(listener.listen(waitMs));
        const QString first = stateOf(listener);
        QVERIFY(listener.listen(waitMs));
        QVERIFY(stateOf(listener) != first);
    }

    void tooMuchOrTooSlowIsDropped()
    {
        SsoCallbackListener listener;
        listener.setClientTimeout(300);
        QSignalSpy received(&listener, &SsoCallbackListener::tokenReceived);
        QVERIFY(listener.listen(waitMs * 3));
        QCOMPARE(exchange(listener, "GET /" + QByteArray(SsoCallbackRequest::maxRequestLineBytes + 10, 'a')), QByteArray());
        // A slow client: half a request line, then nothing.
        QCOMPARE(exchange(listener, "GET /sso-callback?state="), QByteArray());
        QVERIFY(listener.isListening());
        QVERIFY(received.isEmpty());
    }

    void nobodyComingBackTimesOut()
    {
        SsoCallbackListener listener;
        QSignalSpy timedOut(&listener, &SsoCallbackListener::timedOut);
        QVERIFY(listener.listen(200));
        QVERIFY(timedOut.wait(waitMs));
        QVERIFY(!listener.isListening());
    }
};

QTEST_GUILESS_MAIN(SsoCallbackTest)
#include "tst_ssocallback.moc"
