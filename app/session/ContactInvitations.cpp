#include "session/ContactInvitations.h"

#include "roster/InvitationList.h"
#include "roster/Roster.h"

#include <QJsonArray>
#include <QLoggingCategory>

#include <memory>

using namespace Qt::Literals::StringLiterals;

Q_LOGGING_CATEGORY(lcContactInvitations, "presently.invitations", QtInfoMsg)

namespace {
bool looksLikeUserId(const QString &userId)
{
    return userId.startsWith(u'@') && userId.indexOf(u':') > 1 && !userId.contains(u' ');
}
} // namespace

ContactInvitations::ContactInvitations(HomeserverApi *api, AccountDataEditor *accountData, Roster *roster,
                                       InvitationList *incoming, QObject *parent)
    : QObject(parent)
    , m_api(api)
    , m_accountData(accountData)
    , m_roster(roster)
    , m_incoming(incoming)
{
}

QJsonObject ContactInvitations::withDirectRoom(QJsonObject direct, const QString &userId, const QString &roomId)
{
    QJsonArray rooms = direct.value(userId).toArray();
    if (!rooms.contains(roomId))
        rooms.append(roomId);
    direct.insert(userId, rooms);
    return direct;
}

QJsonObject ContactInvitations::withoutDirectRooms(QJsonObject direct, const QStringList &roomIds)
{
    const QStringList users = direct.keys();
    for (const QString &userId : users) {
        const QJsonValue value = direct.value(userId);
        if (!value.isArray())
            continue;  // not ours to judge
        QJsonArray kept;
        for (const QJsonValue &roomId : value.toArray()) {
            if (!roomIds.contains(roomId.toString()))
                kept.append(roomId);
        }
        if (kept.size() == value.toArray().size())
            continue;
        if (kept.isEmpty())
            direct.remove(userId);
        else
            direct.insert(userId, kept);
    }
    return direct;
}

QJsonObject ContactInvitations::withIgnoredUser(QJsonObject ignored, const QString &userId)
{
    QJsonObject users = ignored.value("ignored_users"_L1).toObject();
    if (!users.contains(userId))
        users.insert(userId, QJsonObject());
    ignored.insert("ignored_users"_L1, users);
    return ignored;
}

void ContactInvitations::invite(const QString &userId)
{
    const QString trimmed = userId.trimmed();
    if (!looksLikeUserId(trimmed) || trimmed == m_ownUserId) {
        Q_EMIT failed(tr("“%1” is not the Matrix ID of another person (it looks like @name:server).").arg(trimmed));
        return;
    }
    if (!m_roster->directRoomsWith(trimmed).isEmpty()) {
        Q_EMIT failed(tr("You already have a direct chat with %1.").arg(trimmed));
        return;
    }
    qCInfo(lcContactInvitations).noquote() << "inviting" << trimmed;
    m_api->createDirectChat(trimmed, this, [this, trimmed](Result<QString> room) {
        if (!room)
            return fail(tr("Could not invite %1").arg(trimmed), room.error());
        const QString roomId = room.value();
        m_accountData->modify(directType, [trimmed, roomId](QJsonObject direct) {
            return withDirectRoom(std::move(direct), trimmed, roomId);
        }, [this, trimmed, roomId](const std::optional<MatrixError> &error) {
            if (error)
                return fail(tr("%1 is invited, but the chat could not be marked as direct").arg(trimmed), *error);
            Q_EMIT invited(trimmed, roomId);
            Q_EMIT finished(trimmed);
        });
    });
}

void ContactInvitations::withdraw(const QString &userId)
{
    leaveDirectChatsWith(userId, true);
}

void ContactInvitations::leaveDirectChats(const QString &userId)
{
    leaveDirectChatsWith(userId, false);
}

void ContactInvitations::leaveDirectChatsWith(const QString &userId, bool kickFirst)
{
    // The rooms are m.direct's as the server holds it (a chat created a moment ago may not have come back by
    // sync yet) and those the roster knows as direct chats with them; m.direct forgets them first, then each is
    // left (after taking the invitation back when withdrawing).
    auto roomIds = std::make_shared<QStringList>(m_roster->directRoomsWith(userId));
    m_accountData->modify(directType, [userId, roomIds](QJsonObject direct) {
        for (const QJsonValue &roomId : direct.value(userId).toArray()) {
            if (roomId.isString() && !roomIds->contains(roomId.toString()))
                roomIds->append(roomId.toString());
        }
        return withoutDirectRooms(std::move(direct), *roomIds);
    }, [this, userId, roomIds, kickFirst](const std::optional<MatrixError> &error) {
        if (error)
            return fail(tr("Could not take %1 out of your direct chats").arg(userId), *error);
        if (roomIds->isEmpty())
            return Q_EMIT failed(tr("You have no direct chat with %1.").arg(userId));
        leaveRooms(userId, *roomIds, kickFirst);
    });
}

void ContactInvitations::leaveRooms(const QString &userId, const QStringList &roomIds, bool kickFirst)
{
    auto remaining = std::make_shared<int>(static_cast<int>(roomIds.size()));
    auto problem = std::make_shared<std::optional<MatrixError>>();
    const auto roomDone = [this, userId, remaining, problem](const std::optional<MatrixError> &roomError) {
        if (roomError && !*problem)
            *problem = roomError;
        if (--*remaining > 0)
            return;
        if (*problem)
            return fail(tr("Could not leave the chat with %1").arg(userId), **problem);
        Q_EMIT finished(userId);
    };
    for (const QString &roomId : roomIds) {
        const auto leave = [this, roomId, roomDone] {
            m_api->leaveRoom(roomId, this, [roomDone](Result<Done> left) {
                roomDone(left ? std::nullopt : std::optional<MatrixError>(left.error()));
            });
        };
        if (!kickFirst) {
            leave();
            continue;
        }
        m_api->kick(roomId, userId, this, [leave, roomDone](Result<Done> kicked) {
            // Kicking someone who already left answers 403; leaving is what matters then.
            if (!kicked && kicked.error().httpStatus != 403)
                return roomDone(kicked.error());
            leave();
        });
    }
}

void ContactInvitations::accept(const QString &roomId)
{
    const int row = m_incoming->rowOfRoom(roomId);
    if (row < 0)
        return;
    const QString inviterId = m_incoming->at(row).inviterId;
    m_api->joinRoom(roomId, this, [this, roomId, inviterId](Result<Done> joined) {
        if (!joined)
            return fail(tr("Could not accept the invitation of %1").arg(inviterId), joined.error());
        m_incoming->forget(roomId);
        m_accountData->modify(directType, [inviterId, roomId](QJsonObject direct) {
            return withDirectRoom(std::move(direct), inviterId, roomId);
        }, [this, roomId, inviterId](const std::optional<MatrixError> &error) {
            if (error)
                return fail(tr("Joined the chat with %1, but it could not be marked as direct").arg(inviterId), *error);
            Q_EMIT finished(roomId);
        });
    });
}

void ContactInvitations::decline(const QString &roomId)
{
    if (m_incoming->rowOfRoom(roomId) >= 0)
        leaveAndForget(roomId);
}

void ContactInvitations::ignore(const QString &roomId)
{
    const int row = m_incoming->rowOfRoom(roomId);
    if (row < 0)
        return;
    const QString inviterId = m_incoming->at(row).inviterId;
    m_accountData->modify(ignoredUsersType, [inviterId](QJsonObject ignored) {
        return withIgnoredUser(std::move(ignored), inviterId);
    }, [this, roomId, inviterId](const std::optional<MatrixError> &error) {
        if (error)
            return fail(tr("Could not ignore %1").arg(inviterId), *error);
        leaveAndForget(roomId);
    });
}

void ContactInvitations::leaveAndForget(const QString &roomId)
{
    m_api->leaveRoom(roomId, this, [this, roomId](Result<Done> left) {
        if (!left)
            return fail(tr("Could not decline the invitation"), left.error());
        m_incoming->forget(roomId);
        Q_EMIT finished(roomId);
    });
}

void ContactInvitations::fail(const QString &what, const MatrixError &error)
{
    qCWarning(lcContactInvitations).noquote() << what << ":" << error.describe();
    Q_EMIT failed(tr("%1: %2").arg(what, error.describe()));
}
