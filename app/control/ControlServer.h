#pragma once

#include "control/ControlProtocol.h"

#include <QList>
#include <QObject>
#include <QPointer>

class Account;
class QLocalServer;
class QLocalSocket;
class WatchFeed;

// The running instance's end of the control socket (ControlProtocol): answers `presently --get`,
// `--roster`, `--presence/--status` and streams `--watch`. Listening is also what makes Presently one
// instance per session: a second start finds this socket answering and asks it to show the window instead.
class ControlServer : public QObject {
    Q_OBJECT
public:
    // The longest request line; a longer one, whole or still coming, is refused and the client cut off.
    static constexpr qint64 maxRequestBytes = 64 * 1024;
    // A watcher that lets this much pile up unread is dropped rather than grow the instance's memory. Room
    // for one large sync's worth of events, which are written in one go before the socket drains.
    static constexpr qint64 maxUnreadEventBytes = 4 * 1024 * 1024;

    explicit ControlServer(Account *account, QObject *parent = nullptr);
    ~ControlServer() override;

    // Listens on `path` in a directory only this user can enter (created with mode 0700), removing the
    // socket a crashed instance left behind. Refuses — false, with problem() — when another instance
    // answers there, or the directory belongs to someone else.
    bool listen(const QString &path = ControlProtocol::socketPath());
    QString problem() const { return m_problem; }

Q_SIGNALS:
    // Someone started `presently` again: bring the window to the front.
    void showRequested();

private:
    bool usePrivateDirectory(const QString &directory);
    void accept();
    void readRequests(QLocalSocket *connection);
    void answer(QLocalSocket *connection, const ControlProtocol::ParsedRequest &parsed);
    void set(QLocalSocket *connection, const ControlProtocol::Request &request);
    void watch(QLocalSocket *connection);
    void invite(QLocalSocket *connection, const QString &userId);
    void broadcast(const QJsonObject &event);
    void forget(QLocalSocket *connection);

    Account *m_account;
    QLocalServer *m_server;
    QPointer<WatchFeed> m_feed;  // only while someone watches
    QList<QLocalSocket *> m_watchers;
    QString m_problem;
};
