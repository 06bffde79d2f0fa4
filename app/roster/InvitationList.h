#pragma once

#include "matrix/SyncBatch.h"

#include <QAbstractListModel>
#include <QList>

// A person asking to share presence with you: their invitation to a direct chat.
struct Invitation {
    QString roomId;
    QString inviterId;
    QString inviterName;       // display name from the inviter's member event in invite_state; may be empty
    QString inviterAvatarUrl;  // mxc:// URI or empty

    QString shownName() const { return inviterName.isEmpty() ? inviterId : inviterName; }
    bool operator==(const Invitation &) const = default;
};

// The invitations waiting for an answer, oldest first: rooms.invite entries whose invite event for you says
// is_direct and comes from someone else. Invitations to other rooms are not presence invitations and are left
// out. A room leaves the list when a sync reports it joined or left (accepted, declined, withdrawn), or at once
// when answered here (forget()).
class InvitationList : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role {
        RoomIdRole = Qt::UserRole + 1,
        InviterIdRole,
        InviterNameRole,  // possibly empty (Qt::DisplayRole falls back to the user ID)
        AvatarUrlRole,
    };
    Q_ENUM(Role)

    explicit InvitationList(QObject *parent = nullptr);

    void setOwnUserId(const QString &userId) { m_ownUserId = userId; }

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    const Invitation &at(int row) const { return m_invitations.at(row); }
    int rowOfRoom(const QString &roomId) const;
    QList<Invitation> invitations() const { return m_invitations; }

    // What one batch's rooms.invite says, as an Invitation, or nullopt when it is no presence invitation for
    // `ownUserId` (not direct, no invite event for you, from yourself).
    static std::optional<Invitation> fromRoom(const RoomInvite &room, const QString &ownUserId);

public Q_SLOTS:
    void applyBatch(const SyncBatch &batch);
    // Answered here: gone from the list before the sync says so.
    void forget(const QString &roomId);
    void clear();

Q_SIGNALS:
    // An invitation that came while Presently was running (not those the first batch after a start lists).
    void invitationArrived(const Invitation &invitation);

private:
    QList<Invitation> m_invitations;
    QString m_ownUserId;
    bool m_firstBatchSeen = false;
};
