#include "control/ControlRequest.h"

#include <QJsonDocument>

#include <array>

using namespace Qt::Literals::StringLiterals;

namespace ControlProtocol {

namespace {

// Indexed by Command.
constexpr std::array commandNames{"set"_L1, "get"_L1, "roster"_L1, "watch"_L1, "show"_L1, "invite"_L1};

QLatin1StringView nameOf(Command command)
{
    return commandNames.at(static_cast<std::size_t>(command));
}

std::optional<Command> commandNamed(const QString &name)
{
    for (std::size_t index = 0; index < commandNames.size(); ++index)
        if (commandNames.at(index) == name)
            return static_cast<Command>(index);
    return std::nullopt;
}

ParsedRequest failure(const QString &error)
{
    return ParsedRequest{std::nullopt, error};
}

struct ChoosableName {
    QLatin1StringView name;
    Presence presence;
};

// What --presence accepts, in the order the usage message lists it: presenceName() of every state one can
// choose, and the selector's words for two of them.
constexpr std::array choosableNames{
    ChoosableName{"online"_L1, Presence::Online},
    ChoosableName{"free_for_chat"_L1, Presence::FreeForChat},
    ChoosableName{"away"_L1, Presence::Unavailable},  // the selector's word
    ChoosableName{"unavailable"_L1, Presence::Unavailable},
    ChoosableName{"busy"_L1, Presence::Busy},
    ChoosableName{"hidden"_L1, Presence::Hidden},
    ChoosableName{"appear_offline"_L1, Presence::Hidden},  // the selector's words
    ChoosableName{"offline"_L1, Presence::Offline},
};

} // namespace

QByteArray requestLine(const Request &request)
{
    QJsonObject object{{u"command"_s, nameOf(request.command)}};
    if (request.presence)
        object.insert(u"presence"_s, presenceName(*request.presence));
    if (request.statusMessage)
        object.insert(u"status_msg"_s, *request.statusMessage);
    if (request.command == Command::Invite)
        object.insert(u"user_id"_s, request.userId);
    return line(object);
}

ParsedRequest parseRequest(QByteArrayView line)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(line.toByteArray(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return failure(u"A request is one JSON object on one line."_s);
    const QJsonObject object = document.object();
    const std::optional<Command> command = commandNamed(object.value("command"_L1).toString());
    if (!command)
        return failure(u"Unknown command; the commands are set, get, roster, watch, show and invite."_s);
    Request request{*command, std::nullopt, std::nullopt, {}};
    if (request.command == Command::Invite) {
        const QJsonValue userId = object.value("user_id"_L1);
        if (!userId.isString() || !isUserId(userId.toString()))
            return failure(u"invite needs a user_id such as @bob:example.org."_s);
        request.userId = userId.toString();
        return ParsedRequest{request, {}};
    }
    if (request.command != Command::Set)
        return ParsedRequest{request, {}};

    const QJsonValue presence = object.value("presence"_L1);
    if (!presence.isUndefined()) {
        request.presence = choosablePresence(presence.toString());
        if (!request.presence)
            return failure(u"Unknown presence; use one of %1."_s.arg(choosablePresenceNames().join(u", "_s)));
    }
    const QJsonValue status = object.value("status_msg"_L1);
    if (!status.isUndefined()) {
        if (!status.isString())
            return failure(u"status_msg must be a string."_s);
        request.statusMessage = status.toString();
    }
    if (!request.presence && !request.statusMessage)
        return failure(u"set needs a presence, a status_msg or both."_s);
    return ParsedRequest{request, {}};
}

QByteArray line(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n';
}

QByteArray line(const QJsonArray &array)
{
    return QJsonDocument(array).toJson(QJsonDocument::Compact) + '\n';
}

bool isUserId(QStringView text)
{
    const qsizetype colon = text.indexOf(u':');
    return text.startsWith(u'@') && colon > 1 && colon < text.size() - 1 && !text.contains(u' ')
        && !text.contains(u'\n') && text.size() <= 255;  // the spec's limit for a user ID
}

std::optional<Presence> choosablePresence(QStringView name)
{
    for (const ChoosableName &entry : choosableNames)
        if (entry.name == name)
            return entry.presence;
    return std::nullopt;
}

QStringList choosablePresenceNames()
{
    QStringList names;
    for (const ChoosableName &entry : choosableNames)
        names << entry.name;
    return names;
}

} // namespace ControlProtocol
