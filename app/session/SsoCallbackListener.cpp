#include "session/SsoCallbackListener.h"

#include "session/SsoCallbackRequest.h"

#include <QHostAddress>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QTcpServer>
#include <QTcpSocket>

using namespace Qt::Literals::StringLiterals;

Q_LOGGING_CATEGORY(lcSsoListener, "presently.sso", QtInfoMsg)

namespace {

constexpr QByteArrayView callbackPath = "/sso-callback";
constexpr char bufferProperty[] = "presently.received";

// 128 random bits, hex: safe in a URL as it is.
QByteArray newState()
{
    quint32 words[4];
    QRandomGenerator::system()->fillRange(words);
    return QByteArray(reinterpret_cast<const char *>(words), sizeof words).toHex();
}

} // namespace

SsoCallbackListener::SsoCallbackListener(QObject *parent)
    : QObject(parent)
    , m_server(new QTcpServer(this))
{
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, [this] {
        stop();
        Q_EMIT timedOut();
    });
    connect(m_server, &QTcpServer::newConnection, this, &SsoCallbackListener::accept);
}

SsoCallbackListener::~SsoCallbackListener() = default;

bool SsoCallbackListener::listen(int timeoutMs)
{
    stop();
    m_state = newState();
    if (!m_server->listen(QHostAddress::LocalHost, 0)) {
        qCWarning(lcSsoListener).noquote() << "cannot listen on 127.0.0.1:" << m_server->errorString();
        return false;
    }
    m_deadline.start(timeoutMs);
    return true;
}

void SsoCallbackListener::stop()
{
    m_deadline.stop();
    m_server->close();
    // Connections still reading belong to this listener; a finished one closes itself after its answer.
    for (QTcpSocket *socket : findChildren<QTcpSocket *>()) {
        if (!socket->property(bufferProperty).isNull())
            socket->abort();
    }
}

bool SsoCallbackListener::isListening() const
{
    return m_server->isListening();
}

QUrl SsoCallbackListener::redirectUrl() const
{
    return QUrl(u"http://127.0.0.1:%1%2?state=%3"_s.arg(m_server->serverPort())
                    .arg(QLatin1StringView(callbackPath), QString::fromLatin1(m_state)));
}

void SsoCallbackListener::accept()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        socket->setParent(this);
        socket->setProperty(bufferProperty, QByteArray());
        auto *slowClient = new QTimer(socket);
        slowClient->setSingleShot(true);
        connect(slowClient, &QTimer::timeout, socket, [socket] {
            qCInfo(lcSsoListener) << "dropping a connection that did not send its request in time";
            socket->abort();
        });
        slowClient->start(m_clientTimeoutMs);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { read(socket); });
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        connect(socket, &QTcpSocket::errorOccurred, socket, &QObject::deleteLater);
    }
}

void SsoCallbackListener::read(QTcpSocket *socket)
{
    const QByteArray received = socket->property(bufferProperty).toByteArray() + socket->readAll();
    socket->setProperty(bufferProperty, received);
    const SsoCallbackRequest request = SsoCallbackRequest::read(received, callbackPath, m_state);
    switch (request.verdict) {
    case SsoCallbackRequest::Verdict::Incomplete:
        return;
    case SsoCallbackRequest::Verdict::TooLarge:
        qCInfo(lcSsoListener).noquote() << "dropping a connection:" << request.reason;
        socket->abort();
        return;
    case SsoCallbackRequest::Verdict::Refused:
        qCInfo(lcSsoListener).noquote() << "refusing a request to the sign-in listener:" << request.reason;
        answer(socket, "400 Bad Request", tr("Not signed in"),
               tr("This address does not belong to a sign-in that Presently started. Nothing was signed in."));
        return;
    case SsoCallbackRequest::Verdict::Accepted:
        answer(socket, "200 OK", tr("Signed in to Presently"),
               tr("Signed in to Presently — you can close this tab."));
        stop();
        Q_EMIT tokenReceived(request.loginToken);
        return;
    }
}

void SsoCallbackListener::answer(QTcpSocket *socket, QByteArrayView status, const QString &title, const QString &text)
{
    socket->setProperty(bufferProperty, QVariant());  // answered: stop() leaves it to finish writing
    disconnect(socket, &QTcpSocket::readyRead, this, nullptr);
    const QByteArray page = u"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>%1</title></head>"
                            "<body><p>%2</p></body></html>\n"_s.arg(title.toHtmlEscaped(), text.toHtmlEscaped())
                                .toUtf8();
    socket->write("HTTP/1.1 " + status.toByteArray() + "\r\nContent-Type: text/html; charset=utf-8\r\n"
                  "Content-Length: " + QByteArray::number(page.size()) + "\r\nCache-Control: no-store\r\n"
                  "Connection: close\r\n\r\n" + page);
    socket->disconnectFromHost();
}
