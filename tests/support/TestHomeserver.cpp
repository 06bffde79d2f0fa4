#include "TestHomeserver.h"

#include "matrix/SyncLoop.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMessageAuthenticationCode>
#include <QNetworkReply>
#include <QRandomGenerator>
#include <QTest>
#include <QTimer>

using namespace Qt::Literals::StringLiterals;

namespace {

constexpr int requestTimeoutMs = 30'000;

TestUser::Reply send(QNetworkAccessManager &network, const QByteArray &verb, const QUrl &url, const QByteArray &token,
                     const QByteArray &body, const QByteArray &contentType)
{
    QNetworkRequest request(url);
    request.setTransferTimeout(requestTimeoutMs);
    if (!token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + token);
    if (!body.isEmpty() || verb != "GET")
        request.setHeader(QNetworkRequest::ContentTypeHeader, contentType);
    QNetworkReply *reply = network.sendCustomRequest(request, verb, body);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    TestUser::Reply result;
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    result.body = QJsonDocument::fromJson(reply->readAll()).object();
    if (!result.ok())
        qWarning().noquote() << verb << url.path() << "->" << result.status << QJsonDocument(result.body).toJson(QJsonDocument::Compact);
    reply->deleteLater();
    return result;
}

} // namespace

void nameTheTestApplication()
{
    QCoreApplication::setOrganizationName(u"presently-tests"_s);
}

QByteArray solidPng(QSize size, const QColor &colour)
{
    QImage image(size, QImage::Format_RGB32);
    image.fill(colour);
    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return png;
}

QString encodedSegment(const QString &segment)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(segment));
}

bool waitForAnsweredSyncs(SyncLoop *loop, const QString &setPresence, int count, int countFromMs, int timeoutMs)
{
    QElapsedTimer sinceCall;
    sinceCall.start();
    int answers = 0;
    const QMetaObject::Connection counting = QObject::connect(loop, &SyncLoop::answered, [&](const QString &sent) {
        if (sent == setPresence && sinceCall.elapsed() >= countFromMs)
            ++answers;
    });
    const bool answered = QTest::qWaitFor([&] { return answers >= count; }, timeoutMs);
    QObject::disconnect(counting);
    return answered;
}

TestHomeserver::TestHomeserver(const char *stateFileVariable)
{
    const QString statePath = qEnvironmentVariable(stateFileVariable);
    if (statePath.isEmpty()) {
        m_problem = u"%1 is not set (run through ctest, which starts Synapse)"_s.arg(QLatin1StringView(stateFileVariable));
        return;
    }
    m_directory = QFileInfo(statePath).absolutePath();
    QFile file(statePath);
    if (!file.open(QIODevice::ReadOnly)) {
        m_problem = u"cannot read %1"_s.arg(statePath);
        return;
    }
    const QJsonObject state = QJsonDocument::fromJson(file.readAll()).object();
    m_baseUrl = QUrl(state.value("base_url"_L1).toString());
    m_serverName = state.value("server_name"_L1).toString();
    m_sharedSecret = state.value("registration_shared_secret"_L1).toString();
    if (!isValid())
        m_problem = u"%1 has no base_url or registration_shared_secret"_s.arg(statePath);
}

LoginSession TestHomeserver::registerUser(const QString &localpartPrefix, const QString &password, bool admin)
{
    QNetworkAccessManager network;
    const QString localpart = u"%1_%2"_s.arg(localpartPrefix).arg(QRandomGenerator::global()->generate() % 1'000'000'000u);
    QUrl url = m_baseUrl;
    url.setPath(u"/_synapse/admin/v1/register"_s);
    const TestUser::Reply nonceReply = send(network, "GET", url, {}, {}, "application/json");
    const QString nonce = nonceReply.body.value("nonce"_L1).toString();
    if (nonce.isEmpty())
        return {};
    // HMAC-SHA1 over nonce, user, password and admin flag, NUL separated (Synapse's shared-secret registration).
    const QByteArray message = nonce.toUtf8() + '\0' + localpart.toUtf8() + '\0' + password.toUtf8() + '\0' + (admin ? "admin" : "notadmin");
    const QByteArray mac = QMessageAuthenticationCode::hash(message, m_sharedSecret.toUtf8(), QCryptographicHash::Sha1).toHex();
    const QJsonObject body{{"nonce"_L1, nonce}, {"username"_L1, localpart}, {"password"_L1, password},
                           {"admin"_L1, admin}, {"mac"_L1, QString::fromLatin1(mac)}};
    const TestUser::Reply registered = send(network, "POST", url, {}, QJsonDocument(body).toJson(), "application/json");
    return registered.ok() ? sessionFrom(registered.body) : LoginSession{};
}

LoginSession TestHomeserver::sessionFrom(const QJsonObject &registeredOrLoggedIn) const
{
    LoginSession session;
    session.homeserver = m_baseUrl;
    session.userId = registeredOrLoggedIn.value("user_id"_L1).toString();
    session.deviceId = registeredOrLoggedIn.value("device_id"_L1).toString();
    session.accessToken = registeredOrLoggedIn.value("access_token"_L1).toString();
    return session;
}

TestUser::TestUser(const QUrl &baseUrl, const LoginSession &session)
    : m_baseUrl(baseUrl)
    , m_session(session)
{
}

TestUser::Reply TestUser::request(const QByteArray &verb, const QString &encodedPath, const QJsonObject &body,
                                  const QByteArray &rawBody, const QByteArray &contentType)
{
    QUrl url = m_baseUrl;
    const qsizetype query = encodedPath.indexOf(u'?');
    url.setPath(encodedPath.left(query), QUrl::TolerantMode);
    if (query >= 0)
        url.setQuery(encodedPath.mid(query + 1), QUrl::TolerantMode);
    const QByteArray payload = !rawBody.isEmpty() ? rawBody
                             : (verb == "GET" ? QByteArray() : QJsonDocument(body).toJson(QJsonDocument::Compact));
    return send(m_network, verb, url, m_session.accessToken.toUtf8(), payload, contentType);
}

QString TestUser::createRoom(const QStringList &invitees, bool direct, const QString &name)
{
    QJsonObject body{{"preset"_L1, direct ? u"trusted_private_chat"_s : u"private_chat"_s},
                     {"invite"_L1, QJsonArray::fromStringList(invitees)},
                     {"is_direct"_L1, direct}};
    if (!name.isEmpty())
        body.insert("name"_L1, name);
    return request("POST", u"/_matrix/client/v3/createRoom"_s, body).body.value("room_id"_L1).toString();
}

bool TestUser::join(const QString &roomId)
{
    return request("POST", u"/_matrix/client/v3/rooms/%1/join"_s.arg(encodedSegment(roomId)), QJsonObject{}).ok();
}

LoginSession TestHomeserver::loginAgain(const QString &userId, const TestLogin &login)
{
    TestUser anonymous(m_baseUrl, {});
    QJsonObject body{{"type"_L1, u"m.login.password"_s},
                     {"identifier"_L1, QJsonObject{{"type"_L1, u"m.id.user"_s}, {"user"_L1, userId}}},
                     {"password"_L1, login.password}};
    if (!login.deviceId.isEmpty())
        body.insert("device_id"_L1, login.deviceId);
    if (login.refreshable)
        body.insert("refresh_token"_L1, true);
    const TestUser::Reply reply = anonymous.request("POST", u"/_matrix/client/v3/login"_s, body);
    return reply.ok() ? sessionFrom(reply.body) : LoginSession{};
}

bool TestUser::startDirectChatWith(const LoginSession &other)
{
    const QString roomId = createRoom({other.userId}, true);
    return !roomId.isEmpty() && TestUser(other.homeserver, other).join(roomId);
}

QJsonObject TestUser::presenceOf(const QString &userId)
{
    return request("GET", u"/_matrix/client/v3/presence/%1/status"_s.arg(encodedSegment(userId))).body;
}

bool TestUser::leave(const QString &roomId)
{
    return request("POST", u"/_matrix/client/v3/rooms/%1/leave"_s.arg(encodedSegment(roomId)), QJsonObject{}).ok();
}

bool TestUser::setPresence(const QString &presence, const QString &statusMessage)
{
    QJsonObject body{{"presence"_L1, presence}};
    if (!statusMessage.isEmpty())
        body.insert("status_msg"_L1, statusMessage);
    const QString path = u"/_matrix/client/v3/presence/%1/status"_s.arg(encodedSegment(userId()));
    Reply reply = request("PUT", path, body);
    // Another update of this user's (another device, the engine under test) may have used up the window: the
    // server says how long is left. More than a couple of refusals in a row means something else is wrong.
    for (int attempt = 0; reply.status == 429 && attempt < 3; ++attempt) {
        QTest::qWait(reply.body.value("retry_after_ms"_L1).toInt() + 100);
        reply = request("PUT", path, body);
    }
    return reply.ok();
}

bool TestUser::setDisplayName(const QString &displayName)
{
    return request("PUT", u"/_matrix/client/v3/profile/%1/displayname"_s.arg(encodedSegment(userId())),
                   QJsonObject{{"displayname"_L1, displayName}}).ok();
}

bool TestUser::setAvatarUrl(const QString &mxcUri)
{
    return request("PUT", u"/_matrix/client/v3/profile/%1/avatar_url"_s.arg(encodedSegment(userId())),
                   QJsonObject{{"avatar_url"_L1, mxcUri}}).ok();
}

QString TestUser::uploadPng(const QByteArray &png)
{
    return request("POST", u"/_matrix/media/v3/upload"_s, {}, png, "image/png").body.value("content_uri"_L1).toString();
}

QString TestUser::membershipOf(const QString &roomId, const QString &userId)
{
    return request("GET", u"/_matrix/client/v3/rooms/%1/state/m.room.member/%2"_s.arg(encodedSegment(roomId), encodedSegment(userId)))
        .body.value("membership"_L1).toString();
}

QJsonObject TestUser::accountData(const QString &type)
{
    return request("GET", u"/_matrix/client/v3/user/%1/account_data/%2"_s.arg(encodedSegment(userId()), type)).body;
}

bool TestUser::addDirectChat(const QString &otherUserId, const QString &roomId)
{
    QJsonArray rooms = m_direct.value(otherUserId).toArray();
    rooms.append(roomId);
    m_direct.insert(otherUserId, rooms);
    return request("PUT", u"/_matrix/client/v3/user/%1/account_data/m.direct"_s.arg(encodedSegment(userId())), m_direct).ok();
}
