#pragma once

#include "matrix/MatrixError.h"
#include "matrix/MatrixTypes.h"
#include "matrix/SyncBatch.h"

#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QSize>
#include <QUrl>

#include <functional>

class QNetworkAccessManager;
class QNetworkReply;
class QNetworkRequest;

// A request in flight. Aborting one runs its handler with MatrixError::Kind::Aborted.
class ApiCall {
public:
    ApiCall() = default;
    explicit ApiCall(QNetworkReply *reply);
    void abort();
    bool isRunning() const;
    // Reports bytes sent so far, for uploads with a progress bar.
    void onUploadProgress(QObject *context, std::function<void(qint64 sent, qint64 total)> progress) const;

private:
    QPointer<QNetworkReply> m_reply;
};

// Typed access to one account's homeserver over the client-server API. One instance per account; it owns
// the account's QNetworkAccessManager. Each call takes a context object: the handler runs on the context's
// thread, and not at all once the context is destroyed.
//
// Access tokens travel only in the Authorization header and are never logged.
class HomeserverApi : public QObject {
    Q_OBJECT
public:
    // The most a response may weigh: an answer to an ordinary request, a sync body (an initial sync of a very
    // large account is tens of MB), a thumbnail.
    static constexpr qint64 maxJsonBytes = 8 * 1024 * 1024;
    static constexpr qint64 maxSyncBytes = 512 * 1024 * 1024;
    static constexpr qint64 maxThumbnailBytes = 8 * 1024 * 1024;

    template <typename T>
    using Handler = std::function<void(Result<T>)>;

    static constexpr int defaultTimeoutMs = 30'000;
    // The long-poll may legitimately stay silent for its whole server timeout; give the server this much more.
    static constexpr int syncTimeoutMarginMs = 15'000;
    // Once the headers are in, every window of this length must bring at least minimumPaceBytes of body, or the
    // request fails as timed out: the transfer timeout restarts with every byte, so a server (or a proxy) that
    // trickles a byte a second would hold a request, and with it the sync stream, for ever.
    static constexpr int paceWindowMs = 10'000;
    static constexpr qint64 minimumPaceBytes = 1024;

    explicit HomeserverApi(QObject *parent = nullptr);
    ~HomeserverApi() override;

    QUrl homeserver() const { return m_homeserver; }
    void setHomeserver(const QUrl &baseUrl) { m_homeserver = baseUrl; }
    void setAccessToken(const QString &token) { m_accessToken = token; m_tokenRevoked = false; }
    // The token is dead (the session ended): every request still carrying it is aborted, and requests that
    // need one fail at once, unsent, until setAccessToken() gives a new one.
    void revokeAccessToken();
    // What /versions said; decides the media path. Until set, the API assumes a current server.
    void setServerVersions(const ServerVersions &versions) { m_versions = versions; m_versionsKnown = true; }
    void forgetServerVersions() { m_versions = {}; m_versionsKnown = false; }
    void setRequestTimeout(int ms) { m_timeoutMs = ms; }

    QNetworkAccessManager *networkAccessManager() const { return m_network; }

    // Client discovery: https://<serverName>/.well-known/matrix/client -> the homeserver base URL.
    // Falls back to https://<serverName> when the server has no well-known file (404), as the spec says.
    ApiCall discover(const QString &serverName, QObject *context, Handler<QUrl> handler);
    ApiCall versions(QObject *context, Handler<ServerVersions> handler);
    // GET /login: how this server lets a client sign in.
    ApiCall loginFlows(QObject *context, Handler<LoginFlows> handler);
    // GET /_matrix/client/v1/auth_metadata: answers (with the issuer) on a server that signs in through the
    // OAuth 2.0 API (spec v1.15).
    ApiCall authMetadataIssuer(QObject *context, Handler<QUrl> handler);
    ApiCall loginWithPassword(const PasswordLogin &login, QObject *context, Handler<LoginSession> handler);
    ApiCall loginWithToken(const TokenLogin &login, QObject *context, Handler<LoginSession> handler);
    // Where a browser starts a single sign-on: /login/sso/redirect[/{idpId}] coming back to `redirectUrl`.
    QUrl ssoRedirectUrl(const QString &idpId, const QUrl &redirectUrl) const;
    ApiCall logout(QObject *context, Handler<Done> handler);

    ApiCall uploadFilter(const QString &userId, const QJsonObject &filter, QObject *context, Handler<QString> handler);
    // The raw body: parsing belongs to the sync loop's worker thread.
    ApiCall sync(const SyncRequest &request, QObject *context, Handler<QByteArray> handler);

    ApiCall getPresence(const QString &userId, QObject *context, Handler<PresenceContent> handler);
    ApiCall setPresence(const QString &userId, const QString &wirePresence, const QString &statusMessage,
                        QObject *context, Handler<Done> handler);

    ApiCall getProfile(const QString &userId, QObject *context, Handler<Profile> handler);
    ApiCall setDisplayName(const QString &userId, const QString &displayName, QObject *context, Handler<Done> handler);
    ApiCall setAvatarUrl(const QString &userId, const QString &avatarUrl, QObject *context, Handler<Done> handler);
    // Extended profiles (spec v1.16): whether the server has them, and the m.tz field. A user without one answers
    // 404 M_NOT_FOUND. setTimeZone() with an empty name removes the field.
    ApiCall profileFieldCapability(QObject *context, Handler<ProfileFieldCapability> handler);
    ApiCall getTimeZone(const QString &userId, QObject *context, Handler<QString> handler);
    ApiCall setTimeZone(const QString &userId, const QString &zoneName, QObject *context, Handler<Done> handler);

    ApiCall joinedMembers(const QString &roomId, QObject *context, Handler<QList<MemberChange>> handler);

    // Presence invitations are direct chats (docs/design-notes.md). createDirectChat: a private room (preset
    // trusted_private_chat) with `userId` invited and is_direct set; the answer is the new room's ID.
    ApiCall createDirectChat(const QString &userId, QObject *context, Handler<QString> handler);
    ApiCall joinRoom(const QString &roomId, QObject *context, Handler<Done> handler);
    ApiCall leaveRoom(const QString &roomId, QObject *context, Handler<Done> handler);
    // Takes back an invitation (or removes a member): POST /rooms/{roomId}/kick.
    ApiCall kick(const QString &roomId, const QString &userId, QObject *context, Handler<Done> handler);
    // POST /user_directory/search. Stock Synapse finds only people who share a room with you or sit in a public
    // room (user_directory.search_all_users is off by default).
    ApiCall searchUserDirectory(const QString &term, int limit, QObject *context, Handler<DirectorySearch> handler);
    // The account's own account data of `type`; a type never set answers 404 M_NOT_FOUND.
    ApiCall accountData(const QString &userId, const QString &type, QObject *context, Handler<QJsonObject> handler);
    ApiCall setAccountData(const QString &userId, const QString &type, const QJsonObject &content, QObject *context,
                           Handler<Done> handler);

    // Returns the new content URI (mxc://...).
    ApiCall uploadMedia(const QByteArray &data, const QString &contentType, const QString &fileName,
                        QObject *context, Handler<QString> handler);
    // Only mxc:// URIs are fetched; anything else fails with Kind::Input before a request is made.
    ApiCall thumbnail(const QString &mxcUri, QSize size, ThumbnailMethod method, QObject *context,
                      Handler<QByteArray> handler);

private:
    enum class Auth : quint8 { None, Bearer };

    QUrl endpoint(const QString &encodedPath, const QUrlQuery &query) const;
    QNetworkRequest makeRequest(const QUrl &url, Auth auth, int timeoutMs) const;
    // Sends and calls `finish` with the body or the error. A body larger than `maxBytes` (announced or as it
    // arrives) is cut off as a protocol error: a server that keeps streaming would otherwise fill memory, the
    // timeout never firing; one that comes slower than the minimum pace is cut off as timed out.
    QNetworkReply *send(const QByteArray &verb, const QNetworkRequest &request, const QByteArray &body, QObject *context,
                        std::function<void(QNetworkReply *, const QByteArray &, const MatrixError *)> finish,
                        qint64 maxBytes = maxJsonBytes);
    // A GET whose body is the result as it came (a sync body for the parser, image bytes).
    ApiCall getBytes(const QNetworkRequest &request, Auth auth, QObject *context, Handler<QByteArray> handler,
                     qint64 maxBytes);
    // An authenticated request after the token was revoked: the error to fail it with, before anything is sent.
    std::optional<MatrixError> missingToken(Auth auth) const;
    // POST /login with `body` plus the device fields; the answer's well_known may move the homeserver.
    ApiCall login(QJsonObject body, const QString &deviceDisplayName, const QString &deviceId, QObject *context,
                  Handler<LoginSession> handler);
    template <typename T>
    ApiCall sendJson(const QByteArray &verb, const QUrl &url, Auth auth, const QJsonObject *body, QObject *context,
                     Handler<T> handler, std::function<Result<T>(const QByteArray &)> parse, int timeoutMs = 0);

    QNetworkAccessManager *m_network;
    QUrl m_homeserver;
    QString m_accessToken;
    QList<QPointer<QNetworkReply>> m_authorised;  // running requests that carry the token
    bool m_tokenRevoked = false;
    ServerVersions m_versions;
    bool m_versionsKnown = false;
    int m_timeoutMs = defaultTimeoutMs;
};
