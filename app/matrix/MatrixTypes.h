#pragma once

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <optional>

// Values exchanged with the homeserver's client-server API, other than the sync body (see SyncBatch.h).

// What /versions says the server speaks.
struct ServerVersions {
    QStringList versions;                  // "v1.11", "r0.6.1", ...
    QHash<QString, bool> unstableFeatures;

    bool supportsAtLeast(int major, int minor) const;
    bool hasUnstableFeature(const QString &name) const { return unstableFeatures.value(name, false); }
    // Authenticated media (/_matrix/client/v1/media) arrived in spec v1.11.
    bool supportsAuthenticatedMedia() const { return supportsAtLeast(1, 11); }
    // MSC3026: the server accepts `org.matrix.msc3026.busy`.
    bool supportsBusyPresence() const { return hasUnstableFeature(QStringLiteral("org.matrix.msc3026.busy_presence")); }
};

struct LoginSession {
    QUrl homeserver;
    QString userId;
    QString deviceId;
    QString accessToken;
};

// A password login. With deviceId it continues that device (after a soft logout: the server keeps its keys
// and history) instead of creating a new one.
struct PasswordLogin {
    QString user;
    QString password;
    QString deviceDisplayName;
    QString deviceId;
};

// A login with the single-use token a single sign-on gave the browser (m.login.token). deviceId as for
// PasswordLogin.
struct TokenLogin {
    QString token;
    QString deviceDisplayName;
    QString deviceId;
};

// One identity provider of a server's single sign-on, as GET /login lists it. Text from the network: shown as
// plain text only.
struct IdentityProvider {
    QString id;     // for /login/sso/redirect/{id}
    QString name;
    QString icon;   // an mxc:// URI, or empty
    QString brand;  // e.g. "github", or empty
};

// The ways a server lets a client sign in (GET /login), of those Presently knows.
struct LoginFlows {
    bool password = false;
    bool sso = false;    // m.login.sso, with or without listed providers (without: the server's own picker)
    bool token = false;  // m.login.token, how a single sign-on's token is exchanged
    QList<IdentityProvider> identityProviders;

    bool supportsSso() const { return sso && token; }
};

struct SyncRequest {
    QString filterId;
    QString since;          // empty for the initial sync
    int timeoutMs = 30000;  // how long the server may hold the long-poll
    QString setPresence;    // online | unavailable | offline; empty leaves the server's default (online)
};

// The content of an m.presence event as it travels, in /sync and as the answer to GET /presence/{userId}/status:
// strings as the server sent them. presence/ maps them to Presently's vocabulary (PresenceState).
struct PresenceContent {
    QString presence;                       // the wire value: online, unavailable, offline, or anything else
    QString statusMessage;                  // empty when there is none
    std::optional<qint64> lastActiveAgoMs;  // relative to when the server generated it, not absolute
    bool currentlyActive = false;
};

struct Profile {
    QString displayName;
    QString avatarUrl;

    bool operator==(const Profile &) const = default;
};

// Extended profile fields (spec v1.16): what GET /capabilities says under m.profile_fields. A server that does not
// list the capability has no extended profiles: nothing beyond the display name and avatar is read or written.
struct ProfileFieldCapability {
    bool enabled = false;
    QStringList allowed;     // when present, only these fields may be set
    QStringList disallowed;  // these fields may not be set

    bool canSet(const QString &field) const;
};

// The profile field that holds a person's time zone, an IANA name such as "Europe/Berlin" (spec v1.16).
inline constexpr QLatin1StringView timeZoneProfileField{"m.tz"};

// A content URI. Only these are ever fetched, so an event can never make the client request an arbitrary URL.
struct MxcUri {
    QString serverName;
    QString mediaId;

    // Strict: `mxc://<server name>/<media id>` with the spec's grammar for both parts; nullopt otherwise.
    static std::optional<MxcUri> parse(QStringView uri);
    QString toString() const;
};

enum class ThumbnailMethod : quint8 { Scale, Crop };

// One person the user directory (POST /user_directory/search) or a profile lookup found. Network text: plain only.
struct DirectoryUser {
    QString userId;
    QString displayName;  // empty when they have none
    QString avatarUrl;    // mxc:// URI or empty

    bool operator==(const DirectoryUser &) const = default;
};

// An answer of the user directory: the people found, and whether the server stopped at the limit.
struct DirectorySearch {
    QList<DirectoryUser> results;
    bool limited = false;
};

