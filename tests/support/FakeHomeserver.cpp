#include "FakeHomeserver.h"

#include "matrix/HomeserverApi.h"

#include <QDateTime>
#include <QPointer>
#include <QRandomGenerator>
#include <QSslServer>
#include <QTcpSocket>
#include <QTimer>

#include <sys/socket.h>

using namespace Qt::Literals::StringLiterals;

FakeHomeserver::Response FakeHomeserver::Response::json(int status, const QByteArray &body)
{
    Response response;
    response.status = status;
    response.body = body;
    return response;
}

FakeHomeserver::Response FakeHomeserver::Response::hang()
{
    Response response;
    response.behaviour = Behaviour::Hang;
    return response;
}

FakeHomeserver::Response FakeHomeserver::Response::dropConnection()
{
    Response response;
    response.behaviour = Behaviour::DropConnection;
    return response;
}

FakeHomeserver::Response FakeHomeserver::Response::garbage()
{
    Response response;
    response.behaviour = Behaviour::Garbage;
    return response;
}

FakeHomeserver::Response FakeHomeserver::Response::dropMidBody()
{
    Response response;
    response.behaviour = Behaviour::DropMidBody;
    response.body = R"({"next_batch":"s1","presence":{"events":[)";
    return response;
}

FakeHomeserver::Response FakeHomeserver::Response::resetMidBody(const QByteArray &body)
{
    Response response;
    response.behaviour = Behaviour::ResetMidBody;
    response.body = body;
    return response;
}

FakeHomeserver::Response FakeHomeserver::Response::trickle(const QByteArray &body)
{
    Response response;
    response.behaviour = Behaviour::Trickle;
    response.body = body;
    return response;
}

FakeHomeserver::Response FakeHomeserver::Response::oversized(qint64 announcedBytes, qint64 streamedBytes)
{
    Response response;
    response.behaviour = Behaviour::Stream;
    response.announcedBytes = announcedBytes;
    response.streamedBytes = streamedBytes < 0 ? announcedBytes : streamedBytes;
    return response;
}

FakeHomeserver::Response FakeHomeserver::Response::unannounced(qint64 bytes)
{
    Response response;
    response.behaviour = Behaviour::Stream;
    response.streamedBytes = bytes;
    return response;
}

FakeHomeserver::FakeHomeserver(QObject *parent)
    : QObject(parent)
    , m_server(std::make_unique<QTcpServer>())
{
    connect(m_server.get(), &QTcpServer::newConnection, this, &FakeHomeserver::onNewConnection);
    m_server->listen(QHostAddress::LocalHost, 0);
}

FakeHomeserver::FakeHomeserver(const QSslConfiguration &tls, QObject *parent)
    : QObject(parent)
{
    auto server = std::make_unique<QSslServer>();
    server->setSslConfiguration(tls);
    // A TLS connection is pending only once its handshake is done, which may be after newConnection().
    connect(server.get(), &QTcpServer::pendingConnectionAvailable, this, &FakeHomeserver::onNewConnection);
    m_server = std::move(server);
    m_server->listen(QHostAddress::LocalHost, 0);
}

void FakeHomeserver::setTlsConfiguration(const QSslConfiguration &tls)
{
    auto *server = qobject_cast<QSslServer *>(m_server.get());
    Q_ASSERT(server);
    server->setSslConfiguration(tls);
}

void FakeHomeserver::closeConnections()
{
    const QList<QTcpSocket *> sockets = m_buffers.keys();
    for (QTcpSocket *socket : sockets)
        socket->disconnectFromHost();
}

void FakeHomeserver::scriptSignedInAccount()
{
    setFallback(u"/_matrix/client/versions"_s, Response::json(200, R"({"versions":["v1.11"]})"));
    setFallback(u"/_matrix/client/v3/login"_s, Response::json(200, R"({"user_id":"@me:x","access_token":"t","device_id":"D"})"));
    setFallback(u"/_matrix/client/v3/user/"_s, Response::json(200, R"({"filter_id":"f"})"));
    setFallback(u"/_matrix/client/v3/profile/"_s, Response::json(200, "{}"));
    setFallback(u"/_matrix/client/v3/presence/"_s, Response::json(200, R"({"presence":"online"})"));
}

FakeHomeserver::~FakeHomeserver()
{
    const QList<QTcpSocket *> sockets = m_buffers.keys();
    m_buffers.clear();
    for (QTcpSocket *socket : sockets) {
        socket->disconnect(this);
        socket->abort();
        delete socket;
    }
}

std::unique_ptr<HomeserverApi> FakeHomeserver::apiFor(const QString &accessToken) const
{
    auto api = std::make_unique<HomeserverApi>();
    api->setHomeserver(baseUrl());
    api->setAccessToken(accessToken);
    return api;
}

QUrl FakeHomeserver::baseUrl() const
{
    const bool tls = qobject_cast<QSslServer *>(m_server.get()) != nullptr;
    return QUrl(u"%1://127.0.0.1:%2"_s.arg(tls ? u"https"_s : u"http"_s).arg(m_server->serverPort()));
}

void FakeHomeserver::enqueue(const QString &pathPrefix, const Response &response)
{
    m_queues[pathPrefix].append(response);
}

void FakeHomeserver::setFallback(const QString &pathPrefix, const Response &response)
{
    m_fallbacks.insert(pathPrefix, response);
}

QList<FakeHomeserver::Request> FakeHomeserver::requestsTo(const QString &pathPrefix, const QByteArray &method) const
{
    QList<Request> matching;
    for (const Request &request : m_requests)
        if (request.path.startsWith(pathPrefix) && (method.isEmpty() || request.method == method))
            matching.append(request);
    return matching;
}

void FakeHomeserver::onNewConnection()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        socket->setParent(nullptr);
        m_buffers.insert(socket, {});
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
            if (m_buffers.remove(socket))
                socket->deleteLater();
        });
    }
}

void FakeHomeserver::onReadyRead(QTcpSocket *socket)
{
    QByteArray &buffer = m_buffers[socket];
    buffer += socket->readAll();
    // Several requests may arrive on one keep-alive connection; answer each complete one.
    for (;;) {
        const qsizetype headerEnd = buffer.indexOf("\r\n\r\n");
        if (headerEnd < 0)
            return;
        const QList<QByteArray> lines = buffer.left(headerEnd).split('\n');
        Request request;
        const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
        request.method = requestLine.value(0);
        const QByteArray target = requestLine.value(1);
        const qsizetype queryStart = target.indexOf('?');
        request.path = QString::fromLatin1(queryStart < 0 ? target : target.left(queryStart));
        if (queryStart >= 0)
            request.query = QUrlQuery(QString::fromLatin1(target.mid(queryStart + 1)));
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const qsizetype colon = lines.at(i).indexOf(':');
            if (colon > 0)
                request.headers.insert(lines.at(i).left(colon).trimmed().toLower(), lines.at(i).mid(colon + 1).trimmed());
        }
        const qsizetype bodyLength = request.headers.value("content-length", "0").toLongLong();
        if (buffer.size() < headerEnd + 4 + bodyLength)
            return;  // the body is still on its way
        request.body = buffer.mid(headerEnd + 4, bodyLength);
        buffer.remove(0, headerEnd + 4 + bodyLength);
        request.receivedAtMs = QDateTime::currentMSecsSinceEpoch();
        m_requests.append(request);
        Q_EMIT requestReceived(request);
        answer(socket, request);
        if (!m_buffers.contains(socket))
            return;  // the answer closed the connection
    }
}

FakeHomeserver::Response FakeHomeserver::responseFor(const QString &path)
{
    QString best;
    bool found = false;
    for (auto it = m_queues.cbegin(); it != m_queues.cend(); ++it) {
        if (!it.value().isEmpty() && path.startsWith(it.key()) && (!found || it.key().size() > best.size())) {
            best = it.key();
            found = true;
        }
    }
    if (found)
        return m_queues[best].takeFirst();
    found = false;
    for (auto it = m_fallbacks.cbegin(); it != m_fallbacks.cend(); ++it) {
        if (path.startsWith(it.key()) && (!found || it.key().size() > best.size())) {
            best = it.key();
            found = true;
        }
    }
    if (found)
        return m_fallbacks.value(best);
    return Response::json(404, R"({"errcode":"M_UNRECOGNIZED","error":"Unrecognized request"})");
}

void FakeHomeserver::answer(QTcpSocket *socket, const Request &request)
{
    const Response response = responseFor(request.path);
    if (response.delayMs > 0) {
        QPointer<QTcpSocket> guarded(socket);
        QTimer::singleShot(response.delayMs, this, [this, guarded, response] {
            if (guarded)
                send(guarded, response);
        });
        return;
    }
    send(socket, response);
}

void FakeHomeserver::send(QTcpSocket *socket, const Response &response)
{
    using Behaviour = Response::Behaviour;
    switch (response.behaviour) {
    case Behaviour::Hang:
        return;
    case Behaviour::DropConnection:
        socket->abort();
        return;
    case Behaviour::Garbage: {
        QByteArray noise(512, '\0');
        for (char &byte : noise)
            byte = static_cast<char>(QRandomGenerator::global()->bounded(256));
        socket->write("\x16\x03\x01garbage" + noise);
        socket->flush();
        socket->disconnectFromHost();
        return;
    }
    case Behaviour::DropMidBody:
    case Behaviour::ResetMidBody:
    case Behaviour::Trickle:
    case Behaviour::Stream:
    case Behaviour::Respond:
        break;
    }
    QByteArray head = "HTTP/1.1 " + QByteArray::number(response.status) + " Fake\r\n";
    bool hasContentType = false;
    for (const auto &[name, value] : response.headers) {
        head += name + ": " + value + "\r\n";
        hasContentType = hasContentType || name.compare("content-type", Qt::CaseInsensitive) == 0;
    }
    if (!hasContentType)
        head += "Content-Type: application/json\r\n";
    qint64 announced = response.body.size();
    if (response.behaviour == Behaviour::DropMidBody || response.behaviour == Behaviour::ResetMidBody)
        announced = response.body.size() * 4 + 100;
    else if (response.behaviour == Behaviour::Stream)
        announced = response.announcedBytes;
    if (announced > 0 || response.behaviour != Behaviour::Stream)
        head += "Content-Length: " + QByteArray::number(announced) + "\r\n";
    head += "\r\n";

    switch (response.behaviour) {
    case Behaviour::Trickle:
        socket->write(head);
        return trickle(socket, response.body);
    case Behaviour::Stream:
        socket->write(head);
        return stream(socket, response.streamedBytes);
    case Behaviour::ResetMidBody: {
        socket->write(head + response.body);
        socket->flush();
        // SO_LINGER with a zero timeout: close() sends RST instead of FIN, as a crashing proxy's kernel would.
        const linger resetOnClose{1, 0};
        ::setsockopt(static_cast<int>(socket->socketDescriptor()), SOL_SOCKET, SO_LINGER, &resetOnClose, sizeof resetOnClose);
        socket->abort();
        return;
    }
    default:
        break;
    }
    socket->write(head + response.body);
    socket->flush();
    if (response.behaviour == Behaviour::DropMidBody)
        socket->disconnectFromHost();
}

void FakeHomeserver::trickle(QTcpSocket *socket, const QByteArray &rest)
{
    if (rest.isEmpty() || !m_buffers.contains(socket))
        return;
    socket->write(rest.left(1));
    socket->flush();
    QPointer<QTcpSocket> guarded(socket);
    QTimer::singleShot(1000, this, [this, guarded, rest] {
        if (guarded)
            trickle(guarded, rest.mid(1));
    });
}

void FakeHomeserver::stream(QTcpSocket *socket, qint64 remaining)
{
    // A megabyte at a time, whenever the client has taken the last one, until it hangs up.
    static const QByteArray chunk(1024 * 1024, ' ');
    if (remaining <= 0 || !m_buffers.contains(socket))
        return;
    const QByteArray part = chunk.left(qMin<qint64>(chunk.size(), remaining));
    socket->write(part);
    QPointer<QTcpSocket> guarded(socket);
    auto written = std::make_shared<QMetaObject::Connection>();
    *written = connect(socket, &QTcpSocket::bytesWritten, this, [this, guarded, remaining, part, written] {
        if (!guarded || guarded->bytesToWrite() > 0)
            return;
        disconnect(*written);
        stream(guarded, remaining - part.size());
    });
}
