#pragma once

#include <QHash>
#include <QList>
#include <QObject>
#include <QSslConfiguration>
#include <QTcpServer>
#include <QUrl>
#include <QUrlQuery>

#include <memory>

#include <utility>

class HomeserverApi;
class QTcpSocket;

// A scripted HTTP/1.1 server on 127.0.0.1 for the faults a real homeserver cannot be made to produce on
// demand: a request that is never answered, garbage bytes, a connection dropped mid-response, exact
// sequences of 5xx and 429 answers, a body that trickles in or never ends, a certificate that changes.
// Everything else is tested against a real Synapse.
class FakeHomeserver : public QObject {
    Q_OBJECT
public:
    struct Response {
        enum class Behaviour : quint8 {
            Respond,         // status, headers and body
            Hang,            // read the request, never answer, keep the connection open
            DropConnection,  // close the connection without a word
            Garbage,         // bytes that are not HTTP, then close
            DropMidBody,     // headers promising more body than is sent, then close
            ResetMidBody,    // headers and part of the body, then a TCP reset
            Trickle,         // headers, then the body one byte a second
            Stream,          // headers (announcing `announcedBytes` unless 0), then `streamedBytes` of body, held open
        };

        int status = 200;
        QByteArray body;
        QList<std::pair<QByteArray, QByteArray>> headers;  // extra headers, e.g. Retry-After
        Behaviour behaviour = Behaviour::Respond;
        int delayMs = 0;  // wait this long before answering
        qint64 announcedBytes = 0;  // Stream: the Content-Length sent; none when 0 (the body ends when the server closes)
        qint64 streamedBytes = 0;   // Stream: how much body is sent, a MiB at a time as the client takes it

        static Response json(int status, const QByteArray &body);
        static Response hang();
        static Response dropConnection();
        static Response garbage();
        static Response dropMidBody();
        static Response resetMidBody(const QByteArray &body);
        static Response trickle(const QByteArray &body);
        // A body announced as `announcedBytes`, of which `streamedBytes` (all when -1) come.
        static Response oversized(qint64 announcedBytes, qint64 streamedBytes = -1);
        // `bytes` of body without a Content-Length.
        static Response unannounced(qint64 bytes);
    };

    struct Request {
        QByteArray method;
        QString path;     // as sent, percent-encoded
        QUrlQuery query;
        QHash<QByteArray, QByteArray> headers;  // names in lower case
        QByteArray body;
        qint64 receivedAtMs = 0;
    };

    explicit FakeHomeserver(QObject *parent = nullptr);
    // An https server presenting `tls`'s certificate.
    explicit FakeHomeserver(const QSslConfiguration &tls, QObject *parent = nullptr);
    ~FakeHomeserver() override;

    // For the connections that come after: another certificate, as a proxy that intercepts TLS would present.
    void setTlsConfiguration(const QSslConfiguration &tls);
    // Closes every open connection, so that the next request connects (and shakes hands) anew.
    void closeConnections();
    // The answers of a homeserver that lets @me:x sign in and get going (versions, login, filter, profile,
    // presence); /sync is each test's own.
    void scriptSignedInAccount();

    bool isListening() const { return m_server->isListening(); }
    QUrl baseUrl() const;
    // A client of this server, signed in with `accessToken` (none when empty).
    std::unique_ptr<HomeserverApi> apiFor(const QString &accessToken) const;

    // Answers for requests whose path starts with `pathPrefix`, in order; the longest matching prefix wins.
    void enqueue(const QString &pathPrefix, const Response &response);
    // The answer when a prefix's queue is empty.
    void setFallback(const QString &pathPrefix, const Response &response);

    QList<Request> requests() const { return m_requests; }
    // Requests whose path starts with `pathPrefix`, of any method or only of `method` ("PUT").
    QList<Request> requestsTo(const QString &pathPrefix, const QByteArray &method = {}) const;
    int openConnections() const { return static_cast<int>(m_buffers.size()); }

Q_SIGNALS:
    void requestReceived(const FakeHomeserver::Request &request);

private:
    void onNewConnection();
    void onReadyRead(QTcpSocket *socket);
    void answer(QTcpSocket *socket, const Request &request);
    void send(QTcpSocket *socket, const Response &response);
    void trickle(QTcpSocket *socket, const QByteArray &rest);
    void stream(QTcpSocket *socket, qint64 remaining);
    Response responseFor(const QString &path);

    std::unique_ptr<QTcpServer> m_server;
    QHash<QTcpSocket *, QByteArray> m_buffers;
    QHash<QString, QList<Response>> m_queues;
    QHash<QString, Response> m_fallbacks;
    QList<Request> m_requests;
};

Q_DECLARE_METATYPE(FakeHomeserver::Response)
