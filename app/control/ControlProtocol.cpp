#include "control/ControlProtocol.h"

#include "roster/RosterGroupModel.h"

#include <QDir>

#include <unistd.h>

using namespace Qt::Literals::StringLiterals;

namespace ControlProtocol {

namespace {
QJsonArray groupsJson(const QList<RosterAccountData::Group> &groups)
{
    QJsonArray json;
    for (const RosterAccountData::Group &group : groups)
        json.append(QJsonObject{{u"id"_s, group.id}, {u"name"_s, group.name}});
    return json;
}
} // namespace

QString socketPath()
{
    const QString runtimeDir = qEnvironmentVariable("XDG_RUNTIME_DIR");
    const QString directory = runtimeDir.isEmpty() ? u"%1/presently-%2"_s.arg(QDir::tempPath()).arg(::getuid())
                                                   : runtimeDir + u"/presently"_s;
    return directory + u"/control.sock"_s;
}

QJsonObject contactJson(const ContactListModel &contacts, int row, const RosterGroupModel *groups)
{
    const Contact &contact = contacts.contactAt(row);
    const QString nickname = contacts.index(row).data(ContactListModel::NicknameRole).toString();
    return QJsonObject{
        {u"user_id"_s, contact.userId},
        {u"display_name"_s, contact.displayName},
        {u"presence"_s, presenceName(contacts.shownPresence(contact))},
        {u"status_msg"_s, contact.state.statusMessage},
        {u"last_active_ts"_s, contact.state.lastActiveAtMs > 0 ? QJsonValue(contact.state.lastActiveAtMs) : QJsonValue()},
        {u"currently_active"_s, contact.state.currentlyActive},
        {u"invitation"_s, contact.invited ? u"sent"_s : u"none"_s},
        {u"nickname"_s, nickname.isEmpty() ? QJsonValue() : QJsonValue(nickname)},
        {u"groups"_s, groups ? groupsJson(groups->groupsOf(contact.userId)) : QJsonArray()},
    };
}

QJsonObject invitationJson(const Invitation &invitation)
{
    return QJsonObject{
        {u"user_id"_s, invitation.inviterId},
        {u"display_name"_s, invitation.inviterName},
        {u"presence"_s, presenceName(Presence::Unknown)},
        {u"status_msg"_s, QString()},
        {u"last_active_ts"_s, QJsonValue()},
        {u"currently_active"_s, false},
        {u"invitation"_s, u"received"_s},
        {u"nickname"_s, QJsonValue()},
        {u"groups"_s, QJsonArray()},
        {u"room_id"_s, invitation.roomId},
    };
}

QJsonArray rosterJson(const ContactListModel &contacts, const InvitationList &invitations, const RosterGroupModel *groups)
{
    QJsonArray roster;
    for (int row = 0; row < invitations.rowCount(); ++row)
        roster.append(invitationJson(invitations.at(row)));
    for (int row = 0; row < contacts.rowCount(); ++row)
        roster.append(contactJson(contacts, row, groups));
    return roster;
}

QLatin1StringView connectionName(Account::State state)
{
    using State = Account::State;
    // No default: a new state must be given a word here (the compiler warns).
    switch (state) {
    case State::Live: return "live"_L1;
    case State::Restoring:
    case State::Connecting: return "connecting"_L1;
    case State::Reconnecting: return "retrying"_L1;
    case State::Offline: return "offline"_L1;
    case State::SessionExpired:
    case State::SessionRevoked: return "expired"_L1;
    case State::SignedOut:
    case State::KeychainUnavailable:
    case State::SigningOut: return "signed_out"_L1;
    }
    Q_UNREACHABLE();
    return {};
}

QJsonObject ownStateJson(const Account &account)
{
    const AvailabilityController *availability = account.availability();
    return QJsonObject{
        {u"user_id"_s, account.userId()},
        {u"display_name"_s, account.ownProfile().displayName},
        {u"presence"_s, presenceName(availability->chosen())},
        {u"status_msg"_s, availability->statusMessage()},
        {u"advertised"_s, presenceName(availability->advertised())},
        {u"connection"_s, connectionName(account.state())},
    };
}

QJsonObject event(QLatin1StringView kind, QJsonObject fields)
{
    fields.insert(u"event"_s, kind);
    return fields;
}

QJsonObject errorJson(const QString &message)
{
    return QJsonObject{{u"error"_s, message}};
}

QJsonObject okJson()
{
    return QJsonObject{{u"ok"_s, true}};
}

} // namespace ControlProtocol
