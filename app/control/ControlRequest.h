#pragma once

#include "presence/Presence.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

// The requests of the control protocol (ControlProtocol.h) and how a line becomes one. Apart from the answers
// because it depends on nothing but the presence vocabulary: the socket's bytes reach parseRequest() first,
// and the fuzz target (tests/fuzz/) builds it without the layers the answers read.
namespace ControlProtocol {

enum class Command : quint8 {
    Set,     // choose a presence and/or status message
    Get,     // your own state
    Roster,  // every contact
    Watch,   // keep the connection and stream one event per change
    Show,    // bring the window to the front (a second `presently` start)
    Invite,  // ask someone to share presence: a direct chat inviting them
};

struct Request {
    Command command = Command::Get;
    std::optional<Presence> presence;      // Set: the state to choose; unchanged when absent
    std::optional<QString> statusMessage;  // Set: the status message; unchanged when absent
    QString userId;                        // Invite: whom, a Matrix ID (@name:server)

    bool operator==(const Request &) const = default;
};

// A request line as read: the request, or why it is none (answered as errorJson(error)).
struct ParsedRequest {
    std::optional<Request> request;
    QString error;
};

QByteArray requestLine(const Request &request);
// Never trusts the line: anything but a well-formed request yields an error to answer with.
ParsedRequest parseRequest(QByteArrayView line);

// Compact JSON and a newline: one line of the conversation.
QByteArray line(const QJsonObject &object);
QByteArray line(const QJsonArray &array);

// Whether `text` has the form of a Matrix user ID (@localpart:server, no spaces): what Invite takes.
bool isUserId(QStringView text);

// Scripts name states with presenceName() (presence/Presence.h). What --presence and `set` accept: those names
// but unknown, and the selector's words "away" (unavailable) and "appear_offline" (hidden).
std::optional<Presence> choosablePresence(QStringView name);
QStringList choosablePresenceNames();

} // namespace ControlProtocol
