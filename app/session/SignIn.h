#pragma once

#include "matrix/HomeserverApi.h"

#include <QObject>

// Signing in with a password, from what a person types: a server name (resolved through
// .well-known/matrix/client) or a URL, checked with /versions to be a Matrix server, then the login.
// Failures come back as sentences a person can act on. Plain http is accepted only for this computer
// (loopback); TLS errors are never ignored.
class SignIn : public QObject {
    Q_OBJECT
public:
    explicit SignIn(QObject *parent = nullptr);

    // The homeserver base URL a server field's text stands for before discovery, or an error text.
    static QUrl serverUrlFromInput(const QString &input, QString *error);
    // A person-facing sentence for a failed step.
    static QString explain(const MatrixError &error, const QString &server);

public Q_SLOTS:
    // With `deviceId`, signs in again as that device (after a soft logout) rather than as a new one.
    void start(const QString &server, const QString &user, const QString &password, const QString &deviceId = {});
    void cancel();

Q_SIGNALS:
    void progress(const QString &step);
    void succeeded(const LoginSession &session);
    void failed(const QString &message);

private:
    void fail(const QString &message);
    void checkVersions(const QUrl &homeserver);
    void login();

    HomeserverApi *m_api;
    ApiCall m_call;
    QString m_server;
    QString m_user;
    QString m_password;
    QString m_deviceId;
    ServerVersions m_versions;
    bool m_running = false;
};
