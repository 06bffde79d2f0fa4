#include "control/ControlServer.h"

#include "session/Account.h"
#include "control/WatchFeed.h"

#include <QDir>
#include <QFileInfo>
#include <QLocalServer>
#include <QLocalSocket>
#include <QLoggingCategory>

#include <unistd.h>

using namespace Qt::Literals::StringLiterals;

Q_LOGGING_CATEGORY(lcControl, "presently.control", QtInfoMsg)

namespace {
// How long a running instance may take to accept a connection before the socket counts as stale.
constexpr int probeTimeoutMs = 1000;

bool instanceAnswersAt(const QString &path)
{
    QLocalSocket probe;
    probe.connectToServer(path);
    return probe.waitForConnected(probeTimeoutMs);
}

// One line of JSON: an answer or an event.
template <typename Json>
void send(QLocalSocket *connection, const Json &json)
{
    connection->write(ControlProtocol::line(json));
}
} // namespace

ControlServer::ControlServer(Account *account, QObject *parent)
    : QObject(parent)
    , m_account(account)
    , m_server(new QLocalServer(this))
{
    m_server->setSocketOptions(QLocalServer::UserAccessOption);
    connect(m_server, &QLocalServer::newConnection, this, &ControlServer::accept);
}

ControlServer::~ControlServer()
{
    // Connections end (and their handlers run) while the members those handlers use still exist; closing
    // also removes the socket file, so a clean quit leaves nothing stale behind.
    delete m_server;
}

bool ControlServer::listen(const QString &path)
{
    if (!usePrivateDirectory(QFileInfo(path).absolutePath()))
        return false;
    if (instanceAnswersAt(path)) {
        m_problem = tr("Another Presently is running (it answers at %1).").arg(path);
        return false;
    }
    QLocalServer::removeServer(path);
    if (!m_server->listen(path)) {
        m_problem = tr("Cannot listen at %1: %2").arg(path, m_server->errorString());
        return false;
    }
    qCInfo(lcControl).noquote() << "listening at" << path;
    return true;
}

bool ControlServer::usePrivateDirectory(const QString &directory)
{
    constexpr QFile::Permissions ownerOnly = QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner;
    if (!QFileInfo::exists(directory) && !QDir().mkdir(directory, ownerOnly)) {
        m_problem = tr("Cannot create %1.").arg(directory);
        return false;
    }
    // In a shared temporary directory someone else could have made it first, to listen in our place.
    if (QFileInfo(directory).ownerId() != ::getuid()) {
        m_problem = tr("%1 belongs to another user.").arg(directory);
        return false;
    }
    if (!QFile::setPermissions(directory, ownerOnly)) {
        m_problem = tr("Cannot make %1 private.").arg(directory);
        return false;
    }
    return true;
}

void ControlServer::accept()
{
    while (QLocalSocket *connection = m_server->nextPendingConnection()) {
        connect(connection, &QLocalSocket::readyRead, this, [this, connection] { readRequests(connection); });
        connect(connection, &QLocalSocket::disconnected, this, [this, connection] { forget(connection); });
    }
}

void ControlServer::readRequests(QLocalSocket *connection)
{
    // A line longer than any request is refused, whether it came whole in one read or is still coming.
    const auto refuseTooLong = [this, connection] {
        send(connection, ControlProtocol::errorJson(tr("The request is too long.")));
        connection->disconnectFromServer();
    };
    while (connection->canReadLine()) {
        const QByteArray line = connection->readLine();
        if (line.size() > maxRequestBytes)
            return refuseTooLong();
        answer(connection, ControlProtocol::parseRequest(line));
    }
    if (connection->bytesAvailable() > maxRequestBytes)
        refuseTooLong();
}

void ControlServer::answer(QLocalSocket *connection, const ControlProtocol::ParsedRequest &parsed)
{
    using ControlProtocol::Command;
    if (!parsed.request) {
        send(connection, ControlProtocol::errorJson(parsed.error));
        return;
    }
    switch (parsed.request->command) {
    case Command::Set: return set(connection, *parsed.request);
    case Command::Get:
        send(connection, ControlProtocol::ownStateJson(*m_account));
        return;
    case Command::Roster:
        send(connection, ControlProtocol::rosterJson(*m_account->contacts(), *m_account->incomingInvitations(), m_account->groups()));
        return;
    case Command::Invite: return invite(connection, parsed.request->userId);
    case Command::Watch: return watch(connection);
    case Command::Show:
        Q_EMIT showRequested();
        send(connection, ControlProtocol::okJson());
        return;
    }
}

void ControlServer::set(QLocalSocket *connection, const ControlProtocol::Request &request)
{
    if (!m_account->isSignedIn()) {
        send(connection, ControlProtocol::errorJson(tr("Not signed in.")));
        return;
    }
    // Taken like a choice in the window: the controller publishes it (and retries) on its own.
    AvailabilityController *availability = m_account->availability();
    availability->chooseWithStatus(request.presence.value_or(availability->chosen()),
                                   request.statusMessage.value_or(availability->statusMessage()));
    send(connection, ControlProtocol::okJson());
}

void ControlServer::invite(QLocalSocket *connection, const QString &userId)
{
    if (!m_account->isSignedIn()) {
        send(connection, ControlProtocol::errorJson(tr("Not signed in.")));
        return;
    }
    // Answered when the server has the invitation or refused it; gone with the connection.
    auto *waiting = new QObject(connection);
    ContactInvitations *invitations = m_account->invitations();
    connect(invitations, &ContactInvitations::invited, waiting, [this, connection, waiting, userId](const QString &invited) {
        if (invited != userId)
            return;
        send(connection, ControlProtocol::okJson());
        disconnect(m_account->invitations(), nullptr, waiting, nullptr);
        waiting->deleteLater();
    });
    connect(invitations, &ContactInvitations::failed, waiting, [this, connection, waiting](const QString &message) {
        send(connection, ControlProtocol::errorJson(message));
        disconnect(m_account->invitations(), nullptr, waiting, nullptr);
        waiting->deleteLater();
    });
    invitations->invite(userId);
}

void ControlServer::watch(QLocalSocket *connection)
{
    if (!m_feed) {
        m_feed = new WatchFeed(m_account, this);
        connect(m_feed, &WatchFeed::event, this, &ControlServer::broadcast);
    }
    if (!m_watchers.contains(connection))
        m_watchers.append(connection);
    send(connection, m_feed->selfEvent());
}

void ControlServer::broadcast(const QJsonObject &event)
{
    const QByteArray line = ControlProtocol::line(event);
    // A copy: dropping a watcher below changes m_watchers.
    const QList<QLocalSocket *> watchers = m_watchers;
    for (QLocalSocket *watcher : watchers) {
        watcher->write(line);
        if (watcher->bytesToWrite() > maxUnreadEventBytes) {
            qCWarning(lcControl) << "dropping a watcher that does not read its events";
            watcher->abort();
        }
    }
}

void ControlServer::forget(QLocalSocket *connection)
{
    m_watchers.removeOne(connection);
    // Later, not now: this can run inside the feed's own signal (a watcher dropped while it broadcasts).
    if (m_watchers.isEmpty() && m_feed) {
        m_feed->deleteLater();
        m_feed = nullptr;
    }
    connection->deleteLater();
}
