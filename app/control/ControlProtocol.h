#pragma once

#include "presence/Presence.h"
#include "session/Account.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

// The language `presently --presence/--status/--get/--roster/--watch` speaks with the running instance over
// its control socket: one JSON object per line each way (a roster answer is one JSON array). Pure — no
// sockets — so every form scripts rely on is checked by a unit test. README.md, "Scripting", documents it.
namespace ControlProtocol {

enum class Command : quint8 {
    Set,     // choose a presence and/or status message
    Get,     // your own state
    Roster,  // every contact
    Watch,   // keep the connection and stream one event per change
    Show,    // bring the window to the front (a second `presently` start)
};

struct Request {
    Command command = Command::Get;
    std::optional<Presence> presence;      // Set: the state to choose; unchanged when absent
    std::optional<QString> statusMessage;  // Set: the status message; unchanged when absent

    bool operator==(const Request &) const = default;
};

// A request line as read: the request, or why it is none (answered as errorJson(error)).
struct ParsedRequest {
    std::optional<Request> request;
    QString error;
};

// Where this user's running instance listens: $XDG_RUNTIME_DIR/presently/control.sock, or
// <temp>/presently-<uid>/control.sock where XDG_RUNTIME_DIR is not set.
QString socketPath();

QByteArray requestLine(const Request &request);
// Never trusts the line: anything but a well-formed request yields an error to answer with.
ParsedRequest parseRequest(QByteArrayView line);

// Compact JSON and a newline: one line of the conversation.
QByteArray line(const QJsonObject &object);
QByteArray line(const QJsonArray &array);

// Scripts name states with presenceName() (presence/Presence.h). What --presence and `set` accept: those names
// but unknown, and the selector's words "away" (unavailable) and "appear_offline" (hidden).
std::optional<Presence> choosablePresence(QStringView name);
QStringList choosablePresenceNames();

// The contact in `row`: user_id, display_name ("" when none), presence, status_msg ("" when none),
// last_active_ts (ms since epoch, null when unknown) and currently_active. The presence is the one the window
// shows (ContactListModel::PresenceRole), so a server without presence reads "unknown" here too.
QJsonObject contactJson(const ContactListModel &contacts, int row);
// Every contact of the roster, in the model's (arrival) order.
QJsonArray rosterJson(const ContactListModel &contacts);

// What the connection is doing, in one word for a status bar: live, connecting, retrying, offline (you chose
// Offline), expired (the server ended the session: sign in again) or signed_out (no session in use: nobody
// signed in, signing out, or the keychain did not give the stored session).
QLatin1StringView connectionName(Account::State state);
// Your own state: user_id, display_name, presence (what you chose), status_msg, advertised (what others
// see, which differs for appear_offline or a state the server does not have) and connection.
QJsonObject ownStateJson(const Account &account);

// A --watch line: `fields` with "event": contact, self or removed.
QJsonObject event(QLatin1StringView kind, QJsonObject fields);
QJsonObject errorJson(const QString &message);
QJsonObject okJson();

} // namespace ControlProtocol
