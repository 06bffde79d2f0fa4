#pragma once

#include "matrix/HomeserverApi.h"

#include <QObject>

#include <functional>

class SsoCallbackListener;

// Signing in, from what a person types: a server name (resolved through .well-known/matrix/client) or a URL,
// checked with /versions to be a Matrix server, then how the server lets clients sign in (GET /login), then a
// password login or a single sign-on. Failures come back as sentences a person can act on. Plain http is accepted
// only for this computer (loopback); TLS errors are never ignored.
//
// Single sign-on as native apps do it: the system browser opens the server's /login/sso/redirect with a
// redirectUrl on a one-shot listener on 127.0.0.1 (SsoCallbackListener); the loginToken it brings back is
// exchanged with m.login.token.
class SignIn : public QObject {
    Q_OBJECT
public:
    // How long the browser may take by default: a person may have to type a password and approve.
    static constexpr int defaultSsoTimeoutMs = 5 * 60 * 1000;

    explicit SignIn(QObject *parent = nullptr);

    // The homeserver base URL a server field's text stands for before discovery, or an error text.
    static QUrl serverUrlFromInput(const QString &input, QString *error);
    // A person-facing sentence for a failed step.
    static QString explain(const MatrixError &error, const QString &server);

    void setSsoTimeout(int ms) { m_ssoTimeoutMs = ms; }

public Q_SLOTS:
    // With `deviceId`, signs in again as that device (after a soft logout) rather than as a new one.
    void start(const QString &server, const QString &user, const QString &password, const QString &deviceId = {});
    // Finds out how `server` lets clients sign in: flowsFetched, or failed. A server that offers none of the ways
    // Presently has (one that signs in only through OAuth 2.0, say) gives empty flows, then failed with the reason.
    void fetchFlows(const QString &server);
    // Single sign-on through identity provider `idpId` (empty: the server's own choice of provider).
    void startSso(const QString &server, const QString &idpId, const QString &deviceId = {});
    // Stops whatever runs, the browser's listener included.
    void cancel();

Q_SIGNALS:
    void progress(const QString &step);
    void flowsFetched(const LoginFlows &flows);
    // The browser was asked to open the server's sign-in page; the person finishes there.
    void waitingForBrowser();
    void succeeded(const LoginSession &session);
    void failed(const QString &message);

private:
    // Discovery and /versions for `server`, then `next` with the API pointed at the homeserver.
    void resolve(const QString &server, std::function<void()> next);
    void checkVersions(const QUrl &homeserver);
    void readFlows(std::function<void(const LoginFlows &)> next);
    // GET /login failed with `error`: a server that answers auth_metadata signs in only through OAuth 2.0.
    void probeOAuthOnly(const MatrixError &error);
    void openBrowser(const QString &idpId);
    void loginWithPassword();
    void finish(const Result<LoginSession> &login);
    void fail(const QString &message);

    HomeserverApi *m_api;
    SsoCallbackListener *m_listener;
    ApiCall m_call;
    QString m_server;
    QString m_user;
    QString m_password;
    QString m_deviceId;
    ServerVersions m_versions;
    std::function<void()> m_afterVersions;
    int m_ssoTimeoutMs = defaultSsoTimeoutMs;
    bool m_running = false;
};
