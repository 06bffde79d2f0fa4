#pragma once

#include <QByteArray>
#include <QObject>
#include <QTimer>
#include <QUrl>

class QTcpServer;
class QTcpSocket;

// The one-shot loopback end of a single sign-on: listens on 127.0.0.1 and a port the system picks, for one
// browser request carrying the random state it put in redirectUrl() and a loginToken (SsoCallbackRequest). The
// browser gets a small page that says the sign-in is done, and the listener stops. A request without the right
// state gets a 400 page and the listener keeps waiting; one that is too large or too slow is dropped.
// Neither the token nor the callback URL is ever logged.
class SsoCallbackListener : public QObject {
    Q_OBJECT
public:
    // A connection must send its request head within this; a browser sends it at once.
    static constexpr int defaultClientTimeoutMs = 10'000;

    explicit SsoCallbackListener(QObject *parent = nullptr);
    ~SsoCallbackListener() override;

    // Starts listening with a new state; gives up (timedOut) after `timeoutMs`. False if no port could be had.
    bool listen(int timeoutMs);
    void stop();
    void setClientTimeout(int ms) { m_clientTimeoutMs = ms; }
    bool isListening() const;
    // http://127.0.0.1:<port>/sso-callback?state=<state>, for the server's redirectUrl.
    QUrl redirectUrl() const;

Q_SIGNALS:
    void tokenReceived(const QString &loginToken);
    void timedOut();

private:
    void accept();
    void read(QTcpSocket *socket);
    void answer(QTcpSocket *socket, QByteArrayView status, const QString &title, const QString &text);

    QTcpServer *m_server;
    QByteArray m_state;
    QTimer m_deadline;
    int m_clientTimeoutMs = defaultClientTimeoutMs;
};
