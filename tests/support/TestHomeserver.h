#pragma once

#include <QColor>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QSize>
#include <QString>
#include <QUrl>

#include "matrix/MatrixTypes.h"

class SyncLoop;

// Synapse's default rc_presence (the `synapse_stock` fixture): one presence update per user per 10 s. Within it a
// PUT /presence is answered 429, and a /sync's set_presence is ignored (the two are counted apart).
constexpr int rcPresenceWindowMs = 10'000;

// How TestHomeserver::loginAgain() logs in.
struct TestLogin {
    QString password = QStringLiteral("correct horse");
    QString deviceId;          // continue this device instead of making a new one
    bool refreshable = false;  // ask for a refresh token: the access token then expires (the harness sets
                               // refreshable_access_token_lifetime) into Synapse's own soft logout

    static TestLogin withPassword(const QString &password) { TestLogin login; login.password = password; return login; }
    static TestLogin asDevice(const QString &deviceId) { TestLogin login; login.deviceId = deviceId; return login; }
    static TestLogin expiring() { TestLogin login; login.refreshable = true; return login; }
};

// Access to the real Synapse started by a CTest fixture (`synapse_stock` or another, tests/homeserver/homeserver.py).
// Its state file is named by the PRESENTLY_TEST_HOMESERVER environment variable; the `synapse_federation`
// fixture's second server (B) by PRESENTLY_TEST_HOMESERVER_B.
class TestHomeserver {
public:
    // Reads the state file that `stateFileVariable` names; isValid() is false when the variable or file is missing.
    explicit TestHomeserver(const char *stateFileVariable = "PRESENTLY_TEST_HOMESERVER");
    bool isValid() const { return m_baseUrl.isValid() && !m_sharedSecret.isEmpty(); }
    QString problem() const { return m_problem; }
    // The state file's folder: where the server lives (homeserver.py's --dir).
    QString directory() const { return m_directory; }
    QUrl baseUrl() const { return m_baseUrl; }
    QString serverName() const { return m_serverName; }

    // Registers a new user with a name unique to this run (prefix + random suffix) through the shared-secret
    // admin API and returns its session. Empty userId on failure (the reason is logged).
    // An administrator (for the admin API) when `admin`.
    LoginSession registerUser(const QString &localpartPrefix, const QString &password = QStringLiteral("correct horse"),
                              bool admin = false);

    // Logs the user in again: a second device of the same account, or `login.deviceId`. Empty userId on failure.
    LoginSession loginAgain(const QString &userId, const TestLogin &login = {});

private:
    LoginSession sessionFrom(const QJsonObject &registeredOrLoggedIn) const;

    QString m_directory;
    QUrl m_baseUrl;
    QString m_serverName;
    QString m_sharedSecret;
    QString m_problem;
};

// A second or third user acting on the server through plain HTTP, independent of the engine under test.
class TestUser {
public:
    struct Reply {
        int status = 0;
        QJsonObject body;
        bool ok() const { return status >= 200 && status < 300; }
    };

    TestUser(const QUrl &baseUrl, const LoginSession &session);
    const LoginSession &session() const { return m_session; }
    QString userId() const { return m_session.userId; }

    // `encodedPath` may end in a query (`?since=…`).
    Reply request(const QByteArray &verb, const QString &encodedPath, const QJsonObject &body = {},
                  const QByteArray &rawBody = {}, const QByteArray &contentType = "application/json");

    // Creates a room inviting `invitees` and returns its ID (empty on failure). `direct` sets is_direct.
    QString createRoom(const QStringList &invitees, bool direct = false, const QString &name = {});
    bool join(const QString &roomId);
    // Creates a direct chat with `other` and joins it as `other` (on other.homeserver, which may be another server
    // than this user's): each becomes the other's contact.
    bool startDirectChatWith(const LoginSession &other);
    bool leave(const QString &roomId);
    // A 429 (stock rc_presence) is waited out for as long as the server asks, then the update is sent again.
    bool setPresence(const QString &presence, const QString &statusMessage = {});
    // `userId`'s presence as the server tells this user: {"presence", "status_msg", ...}.
    QJsonObject presenceOf(const QString &userId);
    bool setDisplayName(const QString &displayName);
    bool setAvatarUrl(const QString &mxcUri);
    QString uploadPng(const QByteArray &png);
    // `userId`'s membership in `roomId` as this user may see it (as of their leaving, once they left); "" when unknown.
    QString membershipOf(const QString &roomId, const QString &userId);
    // This user's account data of `type` ({} when never set).
    QJsonObject accountData(const QString &type);
    // Marks `roomId` as a direct chat with `userId` in this user's m.direct account data.
    bool addDirectChat(const QString &userId, const QString &roomId);

private:
    QUrl m_baseUrl;
    LoginSession m_session;
    QNetworkAccessManager m_network;
    QJsonObject m_direct;
};

// For a test that runs an Account: its settings and stored session go where the app's would (under the
// organisation's name), in this test's own XDG home (tests/CMakeLists.txt gives each test one).
void nameTheTestApplication();

// A real PNG of one colour (Synapse makes thumbnails of real images only), for uploads.
QByteArray solidPng(QSize size, const QColor &colour);

// Percent-encodes one path segment (a user or room ID).
QString encodedSegment(const QString &segment);

// Waits until the server has answered `count` of `loop`'s /sync requests sent with set_presence=`setPresence`,
// counting only answers that arrive from `countFromMs` after this call on. What a peer sees afterwards is what
// the server made of them: the check for "nothing changed" after a change, instead of a fixed sleep.
// Count 2: the long-poll in flight at the call may have gone out before the change, the next one did not.
// countFromMs = rcPresenceWindowMs on stock Synapse, which applies a sync's set_presence at most once a window:
// the second answer counted is then to a sync sent after a whole window, so one of the syncs sent since the call
// had its set_presence applied. False if that did not happen within `timeoutMs`.
bool waitForAnsweredSyncs(SyncLoop *loop, const QString &setPresence, int count, int countFromMs = 0,
                          int timeoutMs = 45'000);
