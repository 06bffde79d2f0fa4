#include "session/SignIn.h"

#include "session/SsoCallbackListener.h"

#include <QDesktopServices>
#include <QHostAddress>
#include <QLoggingCategory>

using namespace Qt::Literals::StringLiterals;

Q_LOGGING_CATEGORY(lcSignIn, "presently.signin", QtInfoMsg)

namespace {

bool isLoopback(const QString &host)
{
    if (host.compare("localhost"_L1, Qt::CaseInsensitive) == 0)
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

} // namespace

SignIn::SignIn(QObject *parent)
    : QObject(parent)
    , m_api(new HomeserverApi(this))
    , m_listener(new SsoCallbackListener(this))
{
    connect(m_listener, &SsoCallbackListener::timedOut, this, [this] {
        fail(tr("The browser did not come back in time. Sign in again, and finish in the browser that opens."));
    });
    connect(m_listener, &SsoCallbackListener::tokenReceived, this, [this](const QString &loginToken) {
        Q_EMIT progress(tr("Signing in…"));
        m_call = m_api->loginWithToken({loginToken, tr("Presently"), m_deviceId}, this,
                                       [this](Result<LoginSession> login) {
            // Not "wrong password": the token the browser brought was used already or expired.
            if (!login && login.error().errcode == "M_FORBIDDEN"_L1)
                return fail(tr("%1 refused the sign-in the browser brought back (%2). Sign in again.")
                                .arg(m_server, login.error().message));
            finish(login);
        });
    });
}

QUrl SignIn::serverUrlFromInput(const QString &input, QString *error)
{
    const QString trimmed = input.trimmed();
    if (trimmed.isEmpty()) {
        *error = tr("Enter your homeserver, for example matrix.org.");
        return {};
    }
    const QUrl url = QUrl::fromUserInput(trimmed.contains(u"://"_s) ? trimmed : u"https://"_s + trimmed);
    if (!url.isValid() || url.host().isEmpty() || (url.scheme() != "https"_L1 && url.scheme() != "http"_L1)) {
        *error = tr("“%1” is not a server name or an http(s) address.").arg(trimmed);
        return {};
    }
    if (url.scheme() == "http"_L1 && !isLoopback(url.host())) {
        *error = tr("Plain http is only allowed for a server on this computer. Use https://%1.").arg(url.authority());
        return {};
    }
    return url;
}

QString SignIn::explain(const MatrixError &error, const QString &server)
{
    switch (error.kind) {
    case MatrixError::Kind::Tls:
        return tr("The connection to %1 is not secure: %2").arg(server, error.message);
    case MatrixError::Kind::Timeout:
        return tr("%1 did not answer in time.").arg(server);
    case MatrixError::Kind::Network:
        return tr("Can't reach %1: %2").arg(server, error.message);
    case MatrixError::Kind::Protocol:
        return tr("%1 does not look like a Matrix server (%2).").arg(server, error.message);
    case MatrixError::Kind::Input:
        return error.message;
    case MatrixError::Kind::Aborted:
    case MatrixError::Kind::SessionEnded:
        return tr("Cancelled.");
    case MatrixError::Kind::Http:
        break;
    }
    if (error.isRateLimited()) {
        const qint64 seconds = (error.retryAfterMs.value_or(0) + 999) / 1000;
        return seconds > 0 ? tr("Too many attempts. Try again in %n s.", nullptr, static_cast<int>(seconds))
                           : tr("Too many attempts. Try again in a moment.");
    }
    if (error.errcode == "M_FORBIDDEN"_L1)
        return tr("Wrong user name or password.");
    if (error.errcode == "M_USER_DEACTIVATED"_L1)
        return tr("This account has been deactivated.");
    if (error.httpStatus == 404)
        return tr("%1 does not look like a Matrix server (it has no client API).").arg(server);
    return tr("%1 refused the sign-in: %2").arg(server, error.describe());
}

void SignIn::start(const QString &server, const QString &user, const QString &password, const QString &deviceId)
{
    cancel();
    m_deviceId = deviceId;
    m_user = user.trimmed();
    m_password = password;
    if (m_user.isEmpty() || m_password.isEmpty()) {
        m_server = server.trimmed();
        m_running = true;
        return fail(tr("Enter your user name and password."));
    }
    resolve(server, [this] { loginWithPassword(); });
}

void SignIn::fetchFlows(const QString &server)
{
    cancel();
    resolve(server, [this] {
        readFlows([this](const LoginFlows &flows) {
            m_running = false;
            Q_EMIT flowsFetched(flows);
        });
    });
}

void SignIn::startSso(const QString &server, const QString &idpId, const QString &deviceId)
{
    cancel();
    m_deviceId = deviceId;
    resolve(server, [this, idpId] {
        // The flows again: the server may have changed its mind since the dialog asked.
        readFlows([this, idpId](const LoginFlows &flows) {
            if (!flows.supportsSso())
                return fail(tr("%1 does not offer single sign-on.").arg(m_server));
            openBrowser(idpId);
        });
    });
}

void SignIn::cancel()
{
    m_running = false;  // first: the aborted request's handler then reports nothing
    m_call.abort();
    m_listener->stop();
}

void SignIn::resolve(const QString &server, std::function<void()> next)
{
    m_server = server.trimmed();
    m_running = true;
    m_afterVersions = std::move(next);
    QString error;
    const QUrl url = serverUrlFromInput(m_server, &error);
    if (!url.isValid())
        return fail(error);

    if (m_server.contains(u"://"_s)) {
        checkVersions(url);  // an explicit address is used as it is
        return;
    }
    Q_EMIT progress(tr("Looking up %1…").arg(m_server));
    m_call = m_api->discover(m_server, this, [this](Result<QUrl> discovered) {
        if (!discovered)
            return fail(explain(discovered.error(), m_server));
        QString problem;
        const QUrl checked = serverUrlFromInput(discovered.value().toString(), &problem);
        if (!checked.isValid())
            return fail(problem);
        checkVersions(discovered.value());
    });
}

void SignIn::checkVersions(const QUrl &homeserver)
{
    m_api->setHomeserver(homeserver);
    Q_EMIT progress(tr("Checking %1…").arg(homeserver.host()));
    m_call = m_api->versions(this, [this](Result<ServerVersions> versions) {
        if (!versions)
            return fail(explain(versions.error(), m_server));
        m_versions = versions.value();
        m_afterVersions();
    });
}

void SignIn::readFlows(std::function<void(const LoginFlows &)> next)
{
    m_call = m_api->loginFlows(this, [this, next = std::move(next)](Result<LoginFlows> flows) {
        // Cancelled (another sign-in started, which aborts this call as it begins): asking on would start a
        // request that outlives the cancel and fails the new sign-in with this one's answer.
        if (!flows && flows.error().isWithdrawn())
            return;
        if (!flows)
            return probeOAuthOnly(flows.error());
        if (!flows.value().password && !flows.value().supportsSso())
            return probeOAuthOnly(MatrixError::protocol(u"no password or single sign-on flow"_s));
        next(flows.value());
    });
}

void SignIn::probeOAuthOnly(const MatrixError &error)
{
    qCInfo(lcSignIn).noquote() << "no sign-in Presently supports at" << m_server << ":" << error.describe()
                               << "- asking for auth_metadata";
    m_call = m_api->authMetadataIssuer(this, [this, error](Result<QUrl> issuer) {
        if (!issuer && error.kind != MatrixError::Kind::Protocol)
            return fail(explain(error, m_server));
        // None of the ways the server offers is one Presently has: nothing to show but the reason.
        Q_EMIT flowsFetched(LoginFlows{});
        if (issuer)
            return fail(tr("This server signs in only through its own account page (OAuth 2.0), which Presently "
                           "does not support yet."));
        fail(tr("%1 offers no way of signing in that Presently supports (a password or single sign-on).")
                 .arg(m_server));
    });
}

void SignIn::openBrowser(const QString &idpId)
{
    if (!m_listener->listen(m_ssoTimeoutMs))
        return fail(tr("Presently could not listen on this computer for the browser's answer."));
    if (!QDesktopServices::openUrl(m_api->ssoRedirectUrl(idpId, m_listener->redirectUrl()))) {
        m_listener->stop();
        return fail(tr("Presently could not open a web browser for signing in."));
    }
    Q_EMIT progress(tr("Finish signing in in your browser…"));
    Q_EMIT waitingForBrowser();
}

void SignIn::loginWithPassword()
{
    Q_EMIT progress(tr("Signing in…"));
    m_call = m_api->loginWithPassword({m_user, m_password, tr("Presently"), m_deviceId}, this,
                                      [this](Result<LoginSession> login) {
        m_password.clear();
        // No password login at all: perhaps a server that signs in only through OAuth 2.0.
        if (!login && login.error().errcode == "M_UNRECOGNIZED"_L1)
            return probeOAuthOnly(login.error());
        finish(login);
    });
}

void SignIn::finish(const Result<LoginSession> &login)
{
    if (!login)
        return fail(explain(login.error(), m_server));
    m_running = false;
    LoginSession session = login.value();
    // The server may name another base URL; it gets the same rules as one typed in (no plain http
    // elsewhere than this computer), or the one that was used stays.
    QString problem;
    if (!serverUrlFromInput(session.homeserver.toString(), &problem).isValid()) {
        qCWarning(lcSignIn).noquote() << "ignoring the homeserver the login advertised:" << problem;
        session.homeserver = m_api->homeserver();
    }
    Q_EMIT succeeded(session);
}

void SignIn::fail(const QString &message)
{
    if (!m_running)
        return;  // cancelled: whoever cancelled knows
    m_running = false;
    m_password.clear();
    Q_EMIT failed(message);
}
