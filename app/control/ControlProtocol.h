#pragma once

#include "control/ControlRequest.h"
#include "session/Account.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QString>

// The language `presently --presence/--status/--get/--roster/--watch` speaks with the running instance over
// its control socket: one JSON object per line each way (a roster answer is one JSON array). Pure — no
// sockets — so every form scripts rely on is checked by a unit test. README.md, "Scripting", documents it.
namespace ControlProtocol {

// Where this user's running instance listens: $XDG_RUNTIME_DIR/presently/control.sock, or
// <temp>/presently-<uid>/control.sock where XDG_RUNTIME_DIR is not set.
QString socketPath();

// The contact in `row`: user_id, display_name ("" when none), presence, status_msg ("" when none),
// last_active_ts (ms since epoch, null when unknown), currently_active and invitation ("sent" while your presence
// invitation waits for their answer, else "none"). The presence is the one the window shows
// (ContactListModel::PresenceRole), so a server without presence reads "unknown" here too. nickname (null when
// none) and groups ([{"id", "name"}] from `groups`, [] for the default group or without `groups`).
QJsonObject contactJson(const ContactListModel &contacts, int row, const RosterGroupModel *groups = nullptr);
// An invitation waiting for your answer, shaped as a contact (presence "unknown") with invitation "received" and
// the invitation's room_id.
QJsonObject invitationJson(const Invitation &invitation);
// The invitations waiting for your answer (first, as the window shows them on top), then every contact of the
// roster in the model's (arrival) order.
QJsonArray rosterJson(const ContactListModel &contacts, const InvitationList &invitations,
                      const RosterGroupModel *groups = nullptr);

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
