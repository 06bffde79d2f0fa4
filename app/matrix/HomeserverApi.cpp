#include "matrix/HomeserverApi.h"

#include "matrix/ApiResponses.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>
#include <QUrlQuery>

using namespace Qt::Literals::StringLiterals;

Q_LOGGING_CATEGORY(lcApi, "presently.api", QtInfoMsg)

namespace {

// Set on a reply cut off for being larger than its request allows, or for coming slower than the minimum pace.
constexpr char tooLargeProperty[] = "presently.tooLarge";
constexpr char tooSlowProperty[] = "presently.tooSlow";

void cutOff(QNetworkReply *reply, const char *why)
{
    if (!reply->isRunning())
        return;
    reply->setProperty(why, true);
    reply->setProperty(cancelledProperty, true);
    reply->abort();
}

// Qt 6.4 finishes a reply without an error when the server closes the connection before the body it announced
// is complete; what arrived may even parse. (A compressed body's length is not comparable: Qt has inflated it.)
bool cutShort(QNetworkReply *reply, const QByteArray &data)
{
    bool announced = false;
    const qint64 length = reply->header(QNetworkRequest::ContentLengthHeader).toLongLong(&announced);
    return announced && !reply->hasRawHeader("Content-Encoding") && data.size() < length;
}

// Cuts a reply off when, once its headers are in, a pace window passes with less than the minimum of body.
// Owned by the reply.
class PaceGuard : public QObject {
public:
    explicit PaceGuard(QNetworkReply *reply)
        : QObject(reply)
    {
        connect(reply, &QNetworkReply::metaDataChanged, this, [this] {
            if (!m_window.isActive())
                m_window.start(HomeserverApi::paceWindowMs);
        });
        connect(reply, &QNetworkReply::downloadProgress, this, [this](qint64 received, qint64) { m_received = received; });
        connect(&m_window, &QTimer::timeout, this, [this, reply] {
            if (m_received - m_receivedBefore < HomeserverApi::minimumPaceBytes)
                return cutOff(reply, tooSlowProperty);
            m_receivedBefore = m_received;
        });
    }

private:
    QTimer m_window;
    qint64 m_received = 0;
    qint64 m_receivedBefore = 0;
};

QString encoded(const QString &pathSegment)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(pathSegment));
}

// Fails a call before any request is made, from the event loop as every other result arrives.
template <typename T>
ApiCall failLater(QObject *context, HomeserverApi::Handler<T> handler, const MatrixError &error)
{
    QMetaObject::invokeMethod(context, [handler = std::move(handler), error] { handler(error); }, Qt::QueuedConnection);
    return ApiCall();
}

} // namespace

ApiCall::ApiCall(QNetworkReply *reply)
    : m_reply(reply)
{
}

void ApiCall::abort()
{
    if (m_reply && m_reply->isRunning()) {
        m_reply->setProperty(cancelledProperty, true);
        m_reply->abort();
    }
}

void ApiCall::onUploadProgress(QObject *context, std::function<void(qint64, qint64)> progress) const
{
    if (m_reply)
        QObject::connect(m_reply, &QNetworkReply::uploadProgress, context, std::move(progress));
}

bool ApiCall::isRunning() const
{
    return m_reply && m_reply->isRunning();
}

HomeserverApi::HomeserverApi(QObject *parent)
    : QObject(parent)
    , m_network(new QNetworkAccessManager(this))
{
    // Follow redirects that do not downgrade https; requests carrying the token set a stricter policy.
    m_network->setRedirectPolicy(QNetworkRequest::NoLessSafeRedirectPolicy);
}

HomeserverApi::~HomeserverApi() = default;

QUrl HomeserverApi::endpoint(const QString &encodedPath, const QUrlQuery &query) const
{
    QUrl url = m_homeserver;
    QString basePath = url.path(QUrl::FullyEncoded);
    if (basePath.endsWith(u'/'))
        basePath.chop(1);
    // TolerantMode keeps the %XX sequences of already encoded IDs as they are.
    url.setPath(basePath + encodedPath, QUrl::TolerantMode);
    url.setQuery(query);
    return url;
}

QNetworkRequest HomeserverApi::makeRequest(const QUrl &url, Auth auth, int timeoutMs) const
{
    QNetworkRequest request(url);
    request.setTransferTimeout(timeoutMs > 0 ? timeoutMs : m_timeoutMs);
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    request.setHeader(QNetworkRequest::UserAgentHeader, u"Presently/0.1"_s);
    if (auth == Auth::Bearer && !m_accessToken.isEmpty()) {
        request.setRawHeader("Authorization", "Bearer " + m_accessToken.toUtf8());
        // Qt keeps the header on a redirect to another host: a request with the token goes nowhere else.
        request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::SameOriginRedirectPolicy);
    }
    return request;
}

QNetworkReply *HomeserverApi::send(const QByteArray &verb, const QNetworkRequest &request, const QByteArray &body,
                            QObject *context,
                            std::function<void(QNetworkReply *, const QByteArray &, const MatrixError *)> finish,
                            qint64 maxBytes)
{
    QNetworkReply *reply = m_network->sendCustomRequest(request, verb, body);
    if (request.hasRawHeader("Authorization")) {
        m_authorised.removeIf([](const QPointer<QNetworkReply> &running) { return running.isNull(); });
        m_authorised.append(reply);
    }
    // Deleted whatever happens to the context; the handler below runs only while the context lives.
    connect(reply, &QNetworkReply::finished, reply, &QObject::deleteLater);
    connect(context, &QObject::destroyed, reply, [reply, context] {
        // The handler must not run for a context that is being destroyed: abort() finishes synchronously.
        QObject::disconnect(reply, nullptr, context, nullptr);
        reply->setProperty(cancelledProperty, true);
        reply->abort();
    });

    new PaceGuard(reply);
    connect(reply, &QNetworkReply::metaDataChanged, reply, [reply, maxBytes] {
        // Refused before the first byte of a body announced as too large.
        if (reply->header(QNetworkRequest::ContentLengthHeader).toLongLong() > maxBytes)
            cutOff(reply, tooLargeProperty);
    });
    connect(reply, &QNetworkReply::downloadProgress, reply, [reply, maxBytes](qint64 received, qint64) {
        if (received > maxBytes)
            cutOff(reply, tooLargeProperty);
    });

    // Only the path is logged: queries can hold since tokens and bodies passwords; the token is in a header.
    const QString logPath = request.url().path();
    QElapsedTimer elapsed;
    elapsed.start();
    connect(reply, &QNetworkReply::finished, context, [reply, verb, logPath, elapsed, maxBytes, finish = std::move(finish)] {
        // An aborted reply is closed; reading it would only print a warning.
        const QByteArray data = reply->isOpen() ? reply->readAll() : QByteArray();
        // A failure the client cancelled is not news; the body goes along only with an HTTP error answer.
        const auto fail = [&](const MatrixError &error, const QByteArray &answerBody) {
            if (error.kind != MatrixError::Kind::Aborted)
                qCInfo(lcApi).noquote() << verb << logPath << "failed after" << elapsed.elapsed() << "ms:" << error.describe();
            finish(reply, answerBody, &error);
        };
        // A server may send the whole body at once, past the progress check above.
        if (reply->property(tooLargeProperty).toBool() || data.size() > maxBytes)
            return fail(MatrixError::protocol(u"the answer is larger than %1 MiB"_s.arg(maxBytes / (1024 * 1024))), {});
        if (reply->property(tooSlowProperty).toBool())
            return fail(MatrixError::timeout(u"the server sent its answer too slowly"_s), {});
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (status > 0 && status < 400 && (reply->error() != QNetworkReply::NoError || cutShort(reply, data))) {
            // The headers said yes, then the connection failed: what arrived is a part, never the answer.
            MatrixError error = MatrixError::transportFailure(reply);
            if (reply->error() == QNetworkReply::NoError)
                error.message = u"the connection closed before the whole answer arrived"_s;
            return fail(error, {});
        }
        if (status == 0 || status >= 400)
            return fail(MatrixError::fromReply(reply, data), data);
        qCDebug(lcApi).noquote() << verb << logPath << status << elapsed.elapsed() << "ms" << data.size() << "bytes";
        finish(reply, data, nullptr);
    });
    return reply;
}

void HomeserverApi::revokeAccessToken()
{
    m_accessToken.clear();
    m_tokenRevoked = true;
    const QList<QPointer<QNetworkReply>> running = std::exchange(m_authorised, {});
    for (const QPointer<QNetworkReply> &reply : running) {
        if (reply && reply->isRunning()) {
            reply->setProperty(cancelledProperty, true);
            reply->abort();
        }
    }
}

std::optional<MatrixError> HomeserverApi::missingToken(Auth auth) const
{
    if (auth == Auth::Bearer && m_tokenRevoked)
        return MatrixError::sessionEnded();
    return std::nullopt;
}

ApiCall HomeserverApi::getBytes(const QNetworkRequest &request, Auth auth, QObject *context, Handler<QByteArray> handler,
                                qint64 maxBytes)
{
    if (const std::optional<MatrixError> error = missingToken(auth))
        return failLater(context, std::move(handler), *error);
    return ApiCall(send("GET", request, {}, context,
                [handler = std::move(handler)](QNetworkReply *, const QByteArray &body, const MatrixError *error) {
                    if (error)
                        return handler(*error);
                    handler(body);
                },
                maxBytes));
}

template <typename T>
ApiCall HomeserverApi::sendJson(const QByteArray &verb, const QUrl &url, Auth auth, const QJsonObject *body,
                                QObject *context, Handler<T> handler,
                                std::function<Result<T>(const QByteArray &)> parse, int timeoutMs)
{
    if (const std::optional<MatrixError> error = missingToken(auth))
        return failLater(context, std::move(handler), *error);
    QNetworkRequest request = makeRequest(url, auth, timeoutMs);
    QByteArray payload;
    if (body) {
        payload = QJsonDocument(*body).toJson(QJsonDocument::Compact);
        request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
    }
    return ApiCall(send(verb, request, payload, context,
                [handler = std::move(handler), parse = std::move(parse)](QNetworkReply *, const QByteArray &data,
                                                                         const MatrixError *error) {
                    if (error)
                        return handler(*error);
                    handler(parse(data));
                }));
}

ApiCall HomeserverApi::discover(const QString &serverNameOrUrl, QObject *context, Handler<QUrl> handler)
{
    QUrl server = QUrl::fromUserInput(serverNameOrUrl.contains(u"://"_s) ? serverNameOrUrl : u"https://"_s + serverNameOrUrl);
    server.setPath({});
    server.setQuery(QString());
    if (!server.isValid() || server.host().isEmpty())
        return failLater(context, std::move(handler), MatrixError::input(u"“%1” is not a server name"_s.arg(serverNameOrUrl)));

    QUrl wellKnown = server;
    wellKnown.setPath(u"/.well-known/matrix/client"_s);
    const QNetworkRequest request = makeRequest(wellKnown, Auth::None, 0);
    return ApiCall(send("GET", request, {}, context,
                [server, handler = std::move(handler)](QNetworkReply *, const QByteArray &data, const MatrixError *error) {
                    // No well-known file: the spec's fallback is the server name itself.
                    if (error && error->kind == MatrixError::Kind::Http && error->httpStatus == 404)
                        return handler(server);
                    if (error)
                        return handler(*error);
                    handler(parseWellKnown(data));
                }));
}

ApiCall HomeserverApi::versions(QObject *context, Handler<ServerVersions> handler)
{
    return sendJson<ServerVersions>("GET", endpoint(u"/_matrix/client/versions"_s, {}), Auth::None, nullptr, context,
                                    std::move(handler), parseVersions);
}

ApiCall HomeserverApi::loginFlows(QObject *context, Handler<LoginFlows> handler)
{
    return sendJson<LoginFlows>("GET", endpoint(u"/_matrix/client/v3/login"_s, {}), Auth::None, nullptr, context,
                                std::move(handler), parseLoginFlows);
}

ApiCall HomeserverApi::authMetadataIssuer(QObject *context, Handler<QUrl> handler)
{
    return sendJson<QUrl>("GET", endpoint(u"/_matrix/client/v1/auth_metadata"_s, {}), Auth::None, nullptr, context,
                          std::move(handler), parseAuthMetadataIssuer);
}

ApiCall HomeserverApi::loginWithPassword(const PasswordLogin &login, QObject *context, Handler<LoginSession> handler)
{
    return this->login({{"type"_L1, u"m.login.password"_s},
                        {"identifier"_L1, QJsonObject{{"type"_L1, u"m.id.user"_s}, {"user"_L1, login.user}}},
                        {"password"_L1, login.password}},
                       login.deviceDisplayName, login.deviceId, context, std::move(handler));
}

ApiCall HomeserverApi::loginWithToken(const TokenLogin &login, QObject *context, Handler<LoginSession> handler)
{
    return this->login({{"type"_L1, u"m.login.token"_s}, {"token"_L1, login.token}}, login.deviceDisplayName,
                       login.deviceId, context, std::move(handler));
}

ApiCall HomeserverApi::login(QJsonObject body, const QString &deviceDisplayName, const QString &deviceId,
                             QObject *context, Handler<LoginSession> handler)
{
    body.insert("initial_device_display_name"_L1, deviceDisplayName);
    if (!deviceId.isEmpty())
        body.insert("device_id"_L1, deviceId);
    const QUrl homeserver = m_homeserver;
    return sendJson<LoginSession>("POST", endpoint(u"/_matrix/client/v3/login"_s, {}), Auth::None, &body, context,
                                  std::move(handler),
                                  [homeserver](const QByteArray &answer) { return parseLogin(answer, homeserver); });
}

QUrl HomeserverApi::ssoRedirectUrl(const QString &idpId, const QUrl &redirectUrl) const
{
    const QString path = idpId.isEmpty() ? u"/_matrix/client/v3/login/sso/redirect"_s
                                         : u"/_matrix/client/v3/login/sso/redirect/%1"_s.arg(encoded(idpId));
    QUrl url = endpoint(path, {});
    // Encoded whole, its own query included: the server gives that query back with the loginToken added.
    url.setQuery(u"redirectUrl="_s + encoded(redirectUrl.toString(QUrl::FullyEncoded)), QUrl::StrictMode);
    return url;
}

ApiCall HomeserverApi::logout(QObject *context, Handler<Done> handler)
{
    const QJsonObject empty;
    return sendJson<Done>("POST", endpoint(u"/_matrix/client/v3/logout"_s, {}), Auth::Bearer, &empty, context,
                          std::move(handler), parseAcknowledgement);
}

ApiCall HomeserverApi::uploadFilter(const QString &userId, const QJsonObject &filter, QObject *context,
                                    Handler<QString> handler)
{
    const QUrl url = endpoint(u"/_matrix/client/v3/user/%1/filter"_s.arg(encoded(userId)), {});
    return sendJson<QString>("POST", url, Auth::Bearer, &filter, context, std::move(handler), parseFilterId);
}

ApiCall HomeserverApi::sync(const SyncRequest &syncRequest, QObject *context, Handler<QByteArray> handler)
{
    QUrlQuery query;
    if (!syncRequest.filterId.isEmpty())
        query.addQueryItem(u"filter"_s, syncRequest.filterId);
    if (!syncRequest.since.isEmpty())
        query.addQueryItem(u"since"_s, syncRequest.since);
    query.addQueryItem(u"timeout"_s, QString::number(syncRequest.timeoutMs));
    if (!syncRequest.setPresence.isEmpty())
        query.addQueryItem(u"set_presence"_s, syncRequest.setPresence);
    const QNetworkRequest request = makeRequest(endpoint(u"/_matrix/client/v3/sync"_s, query), Auth::Bearer,
                                                syncRequest.timeoutMs + syncTimeoutMarginMs);
    return getBytes(request, Auth::Bearer, context, std::move(handler), maxSyncBytes);
}

ApiCall HomeserverApi::getPresence(const QString &userId, QObject *context, Handler<PresenceContent> handler)
{
    const QUrl url = endpoint(u"/_matrix/client/v3/presence/%1/status"_s.arg(encoded(userId)), {});
    return sendJson<PresenceContent>("GET", url, Auth::Bearer, nullptr, context, std::move(handler),
                                     parsePresenceStatus);
}

ApiCall HomeserverApi::setPresence(const QString &userId, const QString &wirePresence, const QString &statusMessage,
                                   QObject *context, Handler<Done> handler)
{
    // A PUT without status_msg clears the status on Synapse, so the current one is always sent along.
    QJsonObject body{{"presence"_L1, wirePresence}};
    if (!statusMessage.isEmpty())
        body.insert("status_msg"_L1, statusMessage);
    const QUrl url = endpoint(u"/_matrix/client/v3/presence/%1/status"_s.arg(encoded(userId)), {});
    return sendJson<Done>("PUT", url, Auth::Bearer, &body, context, std::move(handler),
                          parseAcknowledgement);
}

ApiCall HomeserverApi::getProfile(const QString &userId, QObject *context, Handler<Profile> handler)
{
    const QUrl url = endpoint(u"/_matrix/client/v3/profile/%1"_s.arg(encoded(userId)), {});
    return sendJson<Profile>("GET", url, Auth::Bearer, nullptr, context, std::move(handler), parseProfile);
}

ApiCall HomeserverApi::setDisplayName(const QString &userId, const QString &displayName, QObject *context,
                                      Handler<Done> handler)
{
    const QJsonObject body{{"displayname"_L1, displayName}};
    const QUrl url = endpoint(u"/_matrix/client/v3/profile/%1/displayname"_s.arg(encoded(userId)), {});
    return sendJson<Done>("PUT", url, Auth::Bearer, &body, context, std::move(handler),
                          parseAcknowledgement);
}

ApiCall HomeserverApi::setAvatarUrl(const QString &userId, const QString &avatarUrl, QObject *context,
                                    Handler<Done> handler)
{
    if (!avatarUrl.isEmpty() && !MxcUri::parse(avatarUrl))
        return failLater(context, std::move(handler), MatrixError::input(u"an avatar must be an mxc:// URI"_s));
    const QJsonObject body{{"avatar_url"_L1, avatarUrl}};
    const QUrl url = endpoint(u"/_matrix/client/v3/profile/%1/avatar_url"_s.arg(encoded(userId)), {});
    return sendJson<Done>("PUT", url, Auth::Bearer, &body, context, std::move(handler),
                          parseAcknowledgement);
}

ApiCall HomeserverApi::profileFieldCapability(QObject *context, Handler<ProfileFieldCapability> handler)
{
    return sendJson<ProfileFieldCapability>("GET", endpoint(u"/_matrix/client/v3/capabilities"_s, {}), Auth::Bearer,
                                            nullptr, context, std::move(handler), parseProfileFieldCapability);
}

ApiCall HomeserverApi::getTimeZone(const QString &userId, QObject *context, Handler<QString> handler)
{
    const QUrl url = endpoint(u"/_matrix/client/v3/profile/%1/%2"_s.arg(encoded(userId), timeZoneProfileField), {});
    return sendJson<QString>("GET", url, Auth::Bearer, nullptr, context, std::move(handler), parseTimeZoneField);
}

ApiCall HomeserverApi::setTimeZone(const QString &userId, const QString &zoneName, QObject *context,
                                   Handler<Done> handler)
{
    const QUrl url = endpoint(u"/_matrix/client/v3/profile/%1/%2"_s.arg(encoded(userId), timeZoneProfileField), {});
    if (zoneName.isEmpty())
        return sendJson<Done>("DELETE", url, Auth::Bearer, nullptr, context, std::move(handler), parseAcknowledgement);
    const QJsonObject body{{timeZoneProfileField, zoneName}};
    return sendJson<Done>("PUT", url, Auth::Bearer, &body, context, std::move(handler), parseAcknowledgement);
}

ApiCall HomeserverApi::joinedMembers(const QString &roomId, QObject *context, Handler<QList<MemberChange>> handler)
{
    const QUrl url = endpoint(u"/_matrix/client/v3/rooms/%1/joined_members"_s.arg(encoded(roomId)), {});
    return sendJson<QList<MemberChange>>("GET", url, Auth::Bearer, nullptr, context, std::move(handler),
                                         parseJoinedMembers);
}

ApiCall HomeserverApi::createDirectChat(const QString &userId, QObject *context, Handler<QString> handler)
{
    const QJsonObject body{{"preset"_L1, u"trusted_private_chat"_s},
                           {"is_direct"_L1, true},
                           {"invite"_L1, QJsonArray{userId}}};
    const QUrl url = endpoint(u"/_matrix/client/v3/createRoom"_s, {});
    return sendJson<QString>("POST", url, Auth::Bearer, &body, context, std::move(handler), parseRoomId);
}

ApiCall HomeserverApi::joinRoom(const QString &roomId, QObject *context, Handler<Done> handler)
{
    const QJsonObject body;
    const QUrl url = endpoint(u"/_matrix/client/v3/rooms/%1/join"_s.arg(encoded(roomId)), {});
    return sendJson<Done>("POST", url, Auth::Bearer, &body, context, std::move(handler), parseAcknowledgement);
}

ApiCall HomeserverApi::leaveRoom(const QString &roomId, QObject *context, Handler<Done> handler)
{
    const QJsonObject body;
    const QUrl url = endpoint(u"/_matrix/client/v3/rooms/%1/leave"_s.arg(encoded(roomId)), {});
    return sendJson<Done>("POST", url, Auth::Bearer, &body, context, std::move(handler), parseAcknowledgement);
}

ApiCall HomeserverApi::kick(const QString &roomId, const QString &userId, QObject *context, Handler<Done> handler)
{
    const QJsonObject body{{"user_id"_L1, userId}};
    const QUrl url = endpoint(u"/_matrix/client/v3/rooms/%1/kick"_s.arg(encoded(roomId)), {});
    return sendJson<Done>("POST", url, Auth::Bearer, &body, context, std::move(handler), parseAcknowledgement);
}

ApiCall HomeserverApi::searchUserDirectory(const QString &term, int limit, QObject *context,
                                           Handler<DirectorySearch> handler)
{
    const QJsonObject body{{"search_term"_L1, term}, {"limit"_L1, limit}};
    const QUrl url = endpoint(u"/_matrix/client/v3/user_directory/search"_s, {});
    return sendJson<DirectorySearch>("POST", url, Auth::Bearer, &body, context, std::move(handler),
                                     parseDirectorySearch);
}

ApiCall HomeserverApi::accountData(const QString &userId, const QString &type, QObject *context,
                                   Handler<QJsonObject> handler)
{
    const QUrl url = endpoint(u"/_matrix/client/v3/user/%1/account_data/%2"_s.arg(encoded(userId), encoded(type)), {});
    return sendJson<QJsonObject>("GET", url, Auth::Bearer, nullptr, context, std::move(handler), parseAccountData);
}

ApiCall HomeserverApi::setAccountData(const QString &userId, const QString &type, const QJsonObject &content,
                                      QObject *context, Handler<Done> handler)
{
    const QUrl url = endpoint(u"/_matrix/client/v3/user/%1/account_data/%2"_s.arg(encoded(userId), encoded(type)), {});
    return sendJson<Done>("PUT", url, Auth::Bearer, &content, context, std::move(handler), parseAcknowledgement);
}

ApiCall HomeserverApi::uploadMedia(const QByteArray &data, const QString &contentType, const QString &fileName,
                                   QObject *context, Handler<QString> handler)
{
    QUrlQuery query;
    if (!fileName.isEmpty())
        query.addQueryItem(u"filename"_s, fileName);
    if (const std::optional<MatrixError> error = missingToken(Auth::Bearer))
        return failLater(context, std::move(handler), *error);
    QNetworkRequest request = makeRequest(endpoint(u"/_matrix/media/v3/upload"_s, query), Auth::Bearer, 0);
    request.setHeader(QNetworkRequest::ContentTypeHeader, contentType);
    return ApiCall(send("POST", request, data, context,
                [handler = std::move(handler)](QNetworkReply *, const QByteArray &body, const MatrixError *error) {
                    if (error)
                        return handler(*error);
                    handler(parseContentUri(body));
                }));
}

ApiCall HomeserverApi::thumbnail(const QString &mxcUri, QSize size, ThumbnailMethod method, QObject *context,
                                 Handler<QByteArray> handler)
{
    const std::optional<MxcUri> uri = MxcUri::parse(mxcUri);
    if (!uri)
        return failLater(context, std::move(handler), MatrixError::input(u"not an mxc:// URI"_s));

    QUrlQuery query;
    query.addQueryItem(u"width"_s, QString::number(size.width()));
    query.addQueryItem(u"height"_s, QString::number(size.height()));
    query.addQueryItem(u"method"_s, method == ThumbnailMethod::Crop ? u"crop"_s : u"scale"_s);
    // Authenticated media is the default since v1.11; the unauthenticated path only for older servers.
    const bool authenticated = !m_versionsKnown || m_versions.supportsAuthenticatedMedia();
    const QString path = (authenticated ? u"/_matrix/client/v1/media/thumbnail/%1/%2"_s
                                        : u"/_matrix/media/v3/thumbnail/%1/%2"_s)
                             .arg(encoded(uri->serverName), encoded(uri->mediaId));
    QNetworkRequest request = makeRequest(endpoint(path, query), authenticated ? Auth::Bearer : Auth::None, 0);
    // Media never changes under its URI: a disk cache on the network manager may answer without asking.
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::PreferCache);
    return getBytes(request, authenticated ? Auth::Bearer : Auth::None, context, std::move(handler), maxThumbnailBytes);
}
