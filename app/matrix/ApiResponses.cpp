#include "matrix/ApiResponses.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimeZone>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace {

// Every JSON endpoint answers with an object; anything else (a proxy's error page, a cut-off body) is refused
// before `read` looks at a field.
template <typename T, typename Read>
Result<T> fromObject(const QByteArray &body, Read read)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return MatrixError::protocol(u"response is not a JSON object"_s);
    return read(document.object());
}

std::optional<qint64> optionalMs(const QJsonValue &value)
{
    if (value.isDouble())
        return qMax<qint64>(0, value.toInteger());
    return std::nullopt;
}

bool isHttpUrl(const QUrl &url)
{
    return url.isValid() && (url.scheme() == "https"_L1 || url.scheme() == "http"_L1);
}

} // namespace

Result<Done> parseAcknowledgement(const QByteArray &body)
{
    return fromObject<Done>(body, [](const QJsonObject &) { return Done{}; });
}

Result<QUrl> parseWellKnown(const QByteArray &body)
{
    const QJsonObject object = QJsonDocument::fromJson(body).object();
    const QUrl baseUrl(object.value("m.homeserver"_L1).toObject().value("base_url"_L1).toString());
    if (!isHttpUrl(baseUrl))
        return MatrixError::protocol(u".well-known/matrix/client has no valid m.homeserver.base_url"_s);
    return baseUrl.adjusted(QUrl::StripTrailingSlash);
}

Result<ServerVersions> parseVersions(const QByteArray &body)
{
    return fromObject<ServerVersions>(body, [](const QJsonObject &object) -> Result<ServerVersions> {
        const QJsonValue versionList = object.value("versions"_L1);
        if (!versionList.isArray())
            return MatrixError::protocol(u"not a Matrix server: /versions has no version list"_s);
        ServerVersions result;
        for (const QJsonValue &version : versionList.toArray())
            result.versions.append(version.toString());
        const QJsonObject features = object.value("unstable_features"_L1).toObject();
        for (auto it = features.begin(); it != features.end(); ++it)
            result.unstableFeatures.insert(it.key(), it.value().toBool(false));
        return result;
    });
}

Result<LoginSession> parseLogin(const QByteArray &body, const QUrl &homeserver)
{
    return fromObject<LoginSession>(body, [&homeserver](const QJsonObject &object) -> Result<LoginSession> {
        LoginSession session;
        session.homeserver = homeserver;
        session.userId = object.value("user_id"_L1).toString();
        session.deviceId = object.value("device_id"_L1).toString();
        session.accessToken = object.value("access_token"_L1).toString();
        if (session.userId.isEmpty() || session.accessToken.isEmpty())
            return MatrixError::protocol(u"login response has no user_id or access_token"_s);
        const QUrl advertised(object.value("well_known"_L1).toObject().value("m.homeserver"_L1).toObject()
                                  .value("base_url"_L1).toString());
        if (isHttpUrl(advertised))
            session.homeserver = advertised.adjusted(QUrl::StripTrailingSlash);
        return session;
    });
}

Result<LoginFlows> parseLoginFlows(const QByteArray &body)
{
    return fromObject<LoginFlows>(body, [](const QJsonObject &object) -> Result<LoginFlows> {
        const QJsonValue flowList = object.value("flows"_L1);
        if (!flowList.isArray())
            return MatrixError::protocol(u"login flows response has no flows list"_s);
        LoginFlows flows;
        for (const QJsonValue &flowValue : flowList.toArray()) {
            const QJsonObject flow = flowValue.toObject();
            const QString type = flow.value("type"_L1).toString();
            if (type == "m.login.password"_L1) {
                flows.password = true;
            } else if (type == "m.login.token"_L1) {
                flows.token = true;
            } else if (type == "m.login.sso"_L1) {
                flows.sso = true;
                for (const QJsonValue &providerValue : flow.value("identity_providers"_L1).toArray()) {
                    const QJsonObject provider = providerValue.toObject();
                    IdentityProvider idp{provider.value("id"_L1).toString(), provider.value("name"_L1).toString(),
                                         provider.value("icon"_L1).toString(), provider.value("brand"_L1).toString()};
                    if (idp.id.isEmpty() || idp.name.isEmpty())
                        continue;  // nothing to show or to send the browser to
                    if (!MxcUri::parse(idp.icon))
                        idp.icon.clear();
                    flows.identityProviders.append(idp);
                }
            }
        }
        return flows;
    });
}

Result<QUrl> parseAuthMetadataIssuer(const QByteArray &body)
{
    return fromObject<QUrl>(body, [](const QJsonObject &object) -> Result<QUrl> {
        const QUrl issuer(object.value("issuer"_L1).toString());
        if (!isHttpUrl(issuer))
            return MatrixError::protocol(u"auth_metadata has no valid issuer"_s);
        return issuer;
    });
}

Result<QString> parseFilterId(const QByteArray &body)
{
    return fromObject<QString>(body, [](const QJsonObject &object) -> Result<QString> {
        const QString filterId = object.value("filter_id"_L1).toString();
        if (filterId.isEmpty())
            return MatrixError::protocol(u"filter response has no filter_id"_s);
        return filterId;
    });
}

Result<PresenceContent> parsePresenceStatus(const QByteArray &body)
{
    return fromObject<PresenceContent>(body, [](const QJsonObject &object) -> Result<PresenceContent> {
        const QJsonValue presence = object.value("presence"_L1);
        if (!presence.isString())
            return MatrixError::protocol(u"presence response has no presence"_s);
        PresenceContent status;
        status.presence = presence.toString();
        status.statusMessage = object.value("status_msg"_L1).toString();
        status.lastActiveAgoMs = optionalMs(object.value("last_active_ago"_L1));
        status.currentlyActive = object.value("currently_active"_L1).toBool(false);
        return status;
    });
}

Result<Profile> parseProfile(const QByteArray &body)
{
    return fromObject<Profile>(body, [](const QJsonObject &object) {
        return Profile{object.value("displayname"_L1).toString(), object.value("avatar_url"_L1).toString()};
    });
}

Result<QString> parseTimeZoneField(const QByteArray &body)
{
    return fromObject<QString>(body, [](const QJsonObject &object) -> Result<QString> {
        const QJsonValue value = object.value(timeZoneProfileField);
        if (value.isUndefined())
            return QString();
        // IANA names are short ("America/Argentina/ComodRivadavia" is among the longest): a long value is not one.
        constexpr qsizetype longestName = 64;
        const QString name = value.toString();
        const bool ascii = std::all_of(name.cbegin(), name.cend(), [](QChar c) { return c.unicode() < 0x80; });
        if (!value.isString() || name.isEmpty() || name.size() > longestName || !ascii
            || !QTimeZone(name.toLatin1()).isValid())
            return MatrixError::protocol(u"m.tz is not a time zone this computer knows"_s);
        return name;
    });
}

Result<ProfileFieldCapability> parseProfileFieldCapability(const QByteArray &body)
{
    return fromObject<ProfileFieldCapability>(body, [](const QJsonObject &object) -> Result<ProfileFieldCapability> {
        const QJsonValue capabilities = object.value("capabilities"_L1);
        if (!capabilities.isObject())
            return MatrixError::protocol(u"capabilities response has no capabilities object"_s);
        const QJsonObject fields = capabilities.toObject().value("m.profile_fields"_L1).toObject();
        const auto names = [&fields](QLatin1StringView key) {
            QStringList list;
            for (const QJsonValue &name : fields.value(key).toArray()) {
                if (name.isString())
                    list << name.toString();
            }
            return list;
        };
        return ProfileFieldCapability{fields.value("enabled"_L1).toBool(), names("allowed"_L1), names("disallowed"_L1)};
    });
}

Result<QList<MemberChange>> parseJoinedMembers(const QByteArray &body)
{
    return fromObject<QList<MemberChange>>(body, [](const QJsonObject &object) -> Result<QList<MemberChange>> {
        const QJsonValue joined = object.value("joined"_L1);
        if (!joined.isObject())
            return MatrixError::protocol(u"joined_members response has no joined map"_s);
        const QJsonObject members = joined.toObject();
        QList<MemberChange> result;
        result.reserve(members.size());
        for (auto it = members.begin(); it != members.end(); ++it) {
            const QJsonObject profile = it.value().toObject();
            result.append(MemberChange{it.key(), Membership::Join, profile.value("display_name"_L1).toString(),
                                       profile.value("avatar_url"_L1).toString()});
        }
        return result;
    });
}

Result<QString> parseContentUri(const QByteArray &body)
{
    const QString contentUri = QJsonDocument::fromJson(body).object().value("content_uri"_L1).toString();
    if (!MxcUri::parse(contentUri))
        return MatrixError::protocol(u"upload response has no valid content_uri"_s);
    return contentUri;
}

Result<QString> parseRoomId(const QByteArray &body)
{
    return fromObject<QString>(body, [](const QJsonObject &object) -> Result<QString> {
        const QString roomId = object.value("room_id"_L1).toString();
        if (!roomId.startsWith(u'!'))
            return MatrixError::protocol(u"the answer has no room_id"_s);
        return roomId;
    });
}

Result<DirectorySearch> parseDirectorySearch(const QByteArray &body)
{
    return fromObject<DirectorySearch>(body, [](const QJsonObject &object) -> Result<DirectorySearch> {
        const QJsonValue results = object.value("results"_L1);
        if (!results.isArray())
            return MatrixError::protocol(u"user directory answer has no results list"_s);
        DirectorySearch search;
        search.limited = object.value("limited"_L1).toBool();
        for (const QJsonValue &entry : results.toArray()) {
            const QJsonObject user = entry.toObject();
            const QString userId = user.value("user_id"_L1).toString();
            if (!userId.startsWith(u'@'))
                continue;
            search.results.append({userId, user.value("display_name"_L1).toString(),
                                   user.value("avatar_url"_L1).toString()});
        }
        return search;
    });
}

Result<QJsonObject> parseAccountData(const QByteArray &body)
{
    return fromObject<QJsonObject>(body, [](const QJsonObject &object) { return object; });
}
