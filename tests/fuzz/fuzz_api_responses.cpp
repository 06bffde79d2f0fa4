// Every reader of an API answer (matrix/ApiResponses.h) on the same arbitrary bytes. Each gives a value or a
// protocol error that says what was wrong, and a value keeps the promises its callers rely on: an mxc:// upload
// URI, an http(s) homeserver URL, a login with a user and a token, identity providers with an id and a name.
#include "matrix/ApiResponses.h"
#include "roster/RosterAccountData.h"

#include <QTimeZone>

#include <algorithm>

#include <cstdint>
#include <cstdio>

namespace {

void check(bool condition, const char *what)
{
    if (condition)
        return;
    std::fprintf(stderr, "%s\n", what);
    __builtin_trap();
}

template <typename T>
bool isValueOrProtocolError(const Result<T> &result)
{
    return result.ok()
        || (result.error().kind == MatrixError::Kind::Protocol && !result.error().message.isEmpty());
}

bool isHttpUrl(const QUrl &url)
{
    return url.isValid() && (url.scheme() == u"https" || url.scheme() == u"http");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray body(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));

    check(isValueOrProtocolError(parseAcknowledgement(body)), "acknowledgement");

    const Result<QUrl> wellKnown = parseWellKnown(body);
    check(isValueOrProtocolError(wellKnown), "well-known");
    check(!wellKnown || isHttpUrl(wellKnown.value()), "well-known base_url is not http(s)");

    const Result<ServerVersions> versions = parseVersions(body);
    check(isValueOrProtocolError(versions), "versions");
    if (versions) {
        (void)versions.value().supportsAuthenticatedMedia();
        (void)versions.value().supportsBusyPresence();
    }

    const Result<LoginSession> login = parseLogin(body, QUrl(QStringLiteral("https://matrix.example.org")));
    check(isValueOrProtocolError(login), "login");
    check(!login || (!login.value().userId.isEmpty() && !login.value().accessToken.isEmpty()),
          "a login without a user or a token");
    check(!login || isHttpUrl(login.value().homeserver), "login homeserver is not http(s)");

    const Result<LoginFlows> flows = parseLoginFlows(body);
    check(isValueOrProtocolError(flows), "login flows");
    if (flows) {
        for (const IdentityProvider &provider : flows.value().identityProviders) {
            check(!provider.id.isEmpty() && !provider.name.isEmpty(), "an identity provider without an id or a name");
            check(provider.icon.isEmpty() || MxcUri::parse(provider.icon).has_value(), "an icon that is not mxc://");
        }
    }

    const Result<QUrl> issuer = parseAuthMetadataIssuer(body);
    check(isValueOrProtocolError(issuer), "auth_metadata");
    check(!issuer || isHttpUrl(issuer.value()), "auth_metadata issuer is not http(s)");

    const Result<QString> filterId = parseFilterId(body);
    check(isValueOrProtocolError(filterId), "filter");
    check(!filterId || !filterId.value().isEmpty(), "an empty filter_id");

    check(isValueOrProtocolError(parsePresenceStatus(body)), "presence");
    check(isValueOrProtocolError(parseProfile(body)), "profile");
    check(isValueOrProtocolError(parseJoinedMembers(body)), "joined_members");
    check(isValueOrProtocolError(parseInvitedMembers(body)), "invited members");

    const Result<QString> timeZone = parseTimeZoneField(body);
    check(isValueOrProtocolError(timeZone), "m.tz");
    check(!timeZone || timeZone.value().isEmpty() || QTimeZone(timeZone.value().toLatin1()).isValid(),
          "an m.tz that is not a time zone");
    const Result<ProfileFieldCapability> profileFields = parseProfileFieldCapability(body);
    check(isValueOrProtocolError(profileFields), "capabilities");
    check(!profileFields || profileFields.value().enabled || !profileFields.value().canSet(QStringLiteral("m.tz")),
          "a field may be set where extended profiles are off");

    const Result<QString> contentUri = parseContentUri(body);
    check(isValueOrProtocolError(contentUri), "content_uri");
    check(!contentUri || MxcUri::parse(contentUri.value()).has_value(), "content_uri is not mxc://");

    const Result<QString> roomId = parseRoomId(body);
    check(isValueOrProtocolError(roomId), "room_id");
    check(!roomId || roomId.value().startsWith(u'!'), "a room_id that is not one");
    const Result<DirectorySearch> directory = parseDirectorySearch(body);
    check(isValueOrProtocolError(directory), "user_directory");
    if (directory) {
        for (const DirectoryUser &user : directory.value().results)
            check(user.userId.startsWith(u'@'), "a directory result without a user ID");
    }
    const Result<QJsonObject> accountData = parseAccountData(body);
    check(isValueOrProtocolError(accountData), "account_data");
    if (accountData) {
        const RosterAccountData roster = RosterAccountData::read(accountData.value());
        for (const QString &userId : roster.hidden)
            check(userId.startsWith(u'@'), "a hidden entry that is not a user ID");
        for (const RosterAccountData::Group &group : roster.groups)
            check(!group.id.isEmpty() && !group.name.isEmpty() && !group.name.contains(u'\n'), "a group without a name");
        for (auto it = roster.membership.cbegin(); it != roster.membership.cend(); ++it)
            check(!it.value().isEmpty() && std::ranges::all_of(it.value(), [&roster](const QString &id) {
                return std::ranges::any_of(roster.groups, [&id](const RosterAccountData::Group &g) { return g.id == id; });
            }), "a membership in a group that does not exist");
        for (const QString &nickname : roster.nicknames)
            check(!nickname.isEmpty() && !nickname.contains(u'\n'), "an empty or multi-line nickname");
    }
    return 0;
}
