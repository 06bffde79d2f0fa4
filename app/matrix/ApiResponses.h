#pragma once

#include "matrix/MatrixError.h"
#include "matrix/MatrixTypes.h"
#include "matrix/SyncBatch.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QUrl>

// The answers of the client-server API's endpoints, read from the body as it came off the network
// (HomeserverApi sends the requests and hands the bodies here). Pure: no Qt event loop, no network, so
// tests/fuzz/ runs every one of them on arbitrary bytes. A body that is not what the endpoint returns yields a
// Kind::Protocol error.

// An answer whose content does not matter (logout, PUT presence, ...): any JSON object.
Result<Done> parseAcknowledgement(const QByteArray &body);
// .well-known/matrix/client: m.homeserver.base_url, an http(s) URL without a trailing slash.
Result<QUrl> parseWellKnown(const QByteArray &body);
// /versions: a list of versions is what makes it a Matrix server.
Result<ServerVersions> parseVersions(const QByteArray &body);
// A login: user_id and access_token are required; a well_known base_url in it replaces `homeserver`.
Result<LoginSession> parseLogin(const QByteArray &body, const QUrl &homeserver);
// GET /login: the flows Presently knows; unknown flows are ignored, an identity provider without an id or a name
// is skipped. Only a body without a `flows` list is refused.
Result<LoginFlows> parseLoginFlows(const QByteArray &body);
// GET /auth_metadata (the OAuth 2.0 API, spec v1.15): the issuer, an http(s) URL.
Result<QUrl> parseAuthMetadataIssuer(const QByteArray &body);
// An uploaded filter's filter_id.
Result<QString> parseFilterId(const QByteArray &body);
// GET /presence/{userId}/status.
Result<PresenceContent> parsePresenceStatus(const QByteArray &body);
// GET /profile/{userId}: every field optional.
Result<Profile> parseProfile(const QByteArray &body);
// GET /profile/{userId}/m.tz: the IANA name of a time zone this computer knows, or empty when the field is absent.
// Anything else (not a string, an unknown or malformed name) is a protocol error: no time is better than a wrong one.
Result<QString> parseTimeZoneField(const QByteArray &body);
// GET /capabilities: the m.profile_fields capability; absent means a server without extended profiles.
Result<ProfileFieldCapability> parseProfileFieldCapability(const QByteArray &body);
// /rooms/{roomId}/joined_members: one joined member change per user.
Result<QList<MemberChange>> parseJoinedMembers(const QByteArray &body);
// POST /createRoom and POST /join: the room_id.
Result<QString> parseRoomId(const QByteArray &body);
// POST /user_directory/search: results without a user_id are skipped, other fields are optional.
Result<DirectorySearch> parseDirectorySearch(const QByteArray &body);
// GET /user/{userId}/account_data/{type}: the content, any JSON object (its readers check its fields).
Result<QJsonObject> parseAccountData(const QByteArray &body);
// A media upload's content_uri, which must be an mxc:// URI.
Result<QString> parseContentUri(const QByteArray &body);
