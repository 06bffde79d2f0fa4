#include "control/ControlCommandLine.h"

#include "control/ControlClient.h"

#include <QCommandLineParser>

#include <algorithm>
#include <cstdio>

using namespace Qt::Literals::StringLiterals;

namespace {
ControlCommandLine::Parsed usageError(const QString &message)
{
    return {std::nullopt, false, message};
}
} // namespace

ControlCommandLine::ControlCommandLine()
    : m_presence(u"presence"_s,
                 tr("Set your presence in the running Presently: %1.")
                     .arg(ControlProtocol::choosablePresenceNames().join(u", "_s)),
                 u"state"_s)
    , m_status(u"status"_s, tr("Set your status message in the running Presently (\"\" clears it)."), u"text"_s)
    , m_get(u"get"_s, tr("Print your presence and status as JSON."))
    , m_roster(u"roster"_s, tr("Print every contact's presence and status as a table (JSON with --json)."))
    , m_json(u"json"_s, tr("With --roster: print a JSON array."))
    , m_watch(u"watch"_s, tr("Print one JSON line per change (yours or a contact's) until Presently quits."))
    , m_invite(u"invite"_s, tr("Ask someone to share presence with you (a direct chat inviting them)."), u"user"_s)
{
}

void ControlCommandLine::addOptionsTo(QCommandLineParser &parser) const
{
    parser.addOptions({m_presence, m_status, m_get, m_roster, m_json, m_watch, m_invite});
}

bool ControlCommandLine::isRequested(const QCommandLineParser &parser) const
{
    return std::ranges::any_of(std::initializer_list<const QCommandLineOption *>{&m_presence, &m_status, &m_get,
                                                                                 &m_roster, &m_json, &m_watch, &m_invite},
                               [&parser](const QCommandLineOption *option) { return parser.isSet(*option); });
}

ControlCommandLine::Parsed ControlCommandLine::parse(const QCommandLineParser &parser) const
{
    using ControlProtocol::Command;
    if (parser.isSet(m_json) && !parser.isSet(m_roster))
        return usageError(tr("--json goes with --roster."));
    const bool set = parser.isSet(m_presence) || parser.isSet(m_status);
    if (set + parser.isSet(m_get) + parser.isSet(m_roster) + parser.isSet(m_watch) + parser.isSet(m_invite) != 1)
        return usageError(tr("Use one of --presence/--status, --get, --roster, --watch or --invite."));

    ControlProtocol::Request request;
    if (parser.isSet(m_invite)) {
        request.command = Command::Invite;
        request.userId = parser.value(m_invite).trimmed();
        if (!ControlProtocol::isUserId(request.userId))
            return usageError(tr("--invite takes a Matrix ID such as @bob:example.org, not \"%1\".").arg(request.userId));
    } else if (set) {
        request.command = Command::Set;
        if (parser.isSet(m_presence)) {
            request.presence = ControlProtocol::choosablePresence(parser.value(m_presence));
            if (!request.presence)
                return usageError(tr("Unknown presence \"%1\"; use one of: %2.")
                                      .arg(parser.value(m_presence), ControlProtocol::choosablePresenceNames().join(u", "_s)));
        }
        if (parser.isSet(m_status))
            request.statusMessage = parser.value(m_status);
    } else {
        request.command = parser.isSet(m_get) ? Command::Get : parser.isSet(m_roster) ? Command::Roster : Command::Watch;
    }
    return {request, request.command == Command::Roster && !parser.isSet(m_json), {}};
}

int ControlCommandLine::run(const QCommandLineParser &parser) const
{
    const Parsed parsed = parse(parser);
    if (!parsed.request) {
        std::fputs(qPrintable(parsed.usageError + u'\n'), stderr);
        return ControlClient::UsageError;
    }
    return ControlClient().run(*parsed.request, parsed.asTable);
}
