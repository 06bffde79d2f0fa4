#pragma once

#include "matrix/HomeserverApi.h"
#include "session/AccountDataEditor.h"

#include <QObject>

class InvitationList;
class Roster;

// Presence invitations, both ways, as Matrix has them (docs/design-notes.md): to add a contact is to create a
// direct chat inviting them and record it in m.direct; their answer is to join or leave it. Every change of
// m.direct and m.ignored_user_list goes through AccountDataEditor (read-modify-write, other entries kept).
// The roster follows from the sync: the invited person shows as invited (Contact::invited) until they join.
class ContactInvitations : public QObject {
    Q_OBJECT
public:
    static constexpr QLatin1StringView directType{"m.direct"};
    static constexpr QLatin1StringView ignoredUsersType{"m.ignored_user_list"};

    ContactInvitations(HomeserverApi *api, AccountDataEditor *accountData, Roster *roster, InvitationList *incoming,
                       QObject *parent = nullptr);

    void setOwnUserId(const QString &userId) { m_ownUserId = userId; }

    // m.direct content with `roomId` added under `userId` / every one of `roomIds` removed (users left without a
    // room go). Everything else as it was.
    static QJsonObject withDirectRoom(QJsonObject direct, const QString &userId, const QString &roomId);
    static QJsonObject withoutDirectRooms(QJsonObject direct, const QStringList &roomIds);
    // m.ignored_user_list content with `userId` added to ignored_users.
    static QJsonObject withIgnoredUser(QJsonObject ignored, const QString &userId);

public Q_SLOTS:
    // Outgoing: invite `userId` (a full Matrix ID) to a new direct chat.
    void invite(const QString &userId);
    // Takes your invitation back: takes them out of m.direct, removes them from your direct chats with them (kick)
    // and leaves those chats.
    void withdraw(const QString &userId);
    // Takes a contact out of m.direct and leaves your direct chats with them; they stay in the room, alone.
    void leaveDirectChats(const QString &userId);
    // Incoming, by the invitation's room: join and record in m.direct / leave / ignore the inviter and leave.
    void accept(const QString &roomId);
    void decline(const QString &roomId);
    void ignore(const QString &roomId);

Q_SIGNALS:
    // The server has the direct chat and m.direct names it.
    void invited(const QString &userId, const QString &roomId);
    // A command is done on the server (what the sync later shows follows from it).
    void finished(const QString &userIdOrRoomId);
    // A sentence for the person who asked.
    void failed(const QString &message);

private:
    void leaveDirectChatsWith(const QString &userId, bool kickFirst);
    // Leaves `roomIds`, after removing `userId` from each when `kickFirst`.
    void leaveRooms(const QString &userId, const QStringList &roomIds, bool kickFirst);
    void leaveAndForget(const QString &roomId);
    void fail(const QString &what, const MatrixError &error);

    HomeserverApi *m_api;
    AccountDataEditor *m_accountData;
    Roster *m_roster;
    InvitationList *m_incoming;
    QString m_ownUserId;
};
