#include "roster/InvitationList.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcInvitations, "presently.invitations", QtInfoMsg)

InvitationList::InvitationList(QObject *parent)
    : QAbstractListModel(parent)
{
}

int InvitationList::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_invitations.size());
}

QVariant InvitationList::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Invitation &invitation = m_invitations.at(index.row());
    switch (role) {
    case Qt::DisplayRole: return invitation.shownName();
    case RoomIdRole: return invitation.roomId;
    case InviterIdRole: return invitation.inviterId;
    case InviterNameRole: return invitation.inviterName;
    case AvatarUrlRole: return invitation.inviterAvatarUrl;
    default: return {};
    }
}

QHash<int, QByteArray> InvitationList::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(RoomIdRole, "roomId");
    names.insert(InviterIdRole, "inviterId");
    names.insert(InviterNameRole, "inviterName");
    names.insert(AvatarUrlRole, "avatarUrl");
    return names;
}

int InvitationList::rowOfRoom(const QString &roomId) const
{
    for (int row = 0; row < m_invitations.size(); ++row) {
        if (m_invitations.at(row).roomId == roomId)
            return row;
    }
    return -1;
}

std::optional<Invitation> InvitationList::fromRoom(const RoomInvite &room, const QString &ownUserId)
{
    const auto mine = std::find_if(room.members.cbegin(), room.members.cend(), [&](const InviteMember &member) {
        return member.member.userId == ownUserId && member.member.membership == Membership::Invite;
    });
    if (mine == room.members.cend() || !mine->isDirect || mine->sender.isEmpty() || mine->sender == ownUserId)
        return std::nullopt;
    Invitation invitation{room.roomId, mine->sender, {}, {}};
    for (const InviteMember &member : room.members) {
        if (member.member.userId == mine->sender) {
            invitation.inviterName = member.member.displayName;
            invitation.inviterAvatarUrl = member.member.avatarUrl;
        }
    }
    return invitation;
}

void InvitationList::applyBatch(const SyncBatch &batch)
{
    QStringList answered = batch.leftRoomIds;
    for (const RoomUpdate &room : batch.joinedRooms)
        answered.append(room.roomId);
    for (const QString &roomId : std::as_const(answered))
        forget(roomId);
    for (const RoomInvite &room : batch.invitedRooms) {
        const std::optional<Invitation> invitation = fromRoom(room, m_ownUserId);
        if (!invitation) {
            qCDebug(lcInvitations).noquote() << "invitation to" << room.roomId << "is no presence invitation";
            continue;
        }
        const int row = rowOfRoom(room.roomId);
        if (row >= 0) {
            if (m_invitations.at(row) == *invitation)
                continue;
            m_invitations[row] = *invitation;
            Q_EMIT dataChanged(index(row), index(row), {Qt::DisplayRole, InviterIdRole, InviterNameRole, AvatarUrlRole});
            continue;
        }
        const int end = static_cast<int>(m_invitations.size());
        beginInsertRows({}, end, end);
        m_invitations.append(*invitation);
        endInsertRows();
        qCInfo(lcInvitations).noquote() << "invitation from" << invitation->inviterId << "to" << invitation->roomId;
        if (m_firstBatchSeen)
            Q_EMIT invitationArrived(*invitation);
    }
    m_firstBatchSeen = true;
}

void InvitationList::forget(const QString &roomId)
{
    const int row = rowOfRoom(roomId);
    if (row < 0)
        return;
    beginRemoveRows({}, row, row);
    m_invitations.removeAt(row);
    endRemoveRows();
}

void InvitationList::clear()
{
    m_firstBatchSeen = false;
    if (m_invitations.isEmpty())
        return;
    beginResetModel();
    m_invitations.clear();
    endResetModel();
}
