#include "window/InvitationBanner.h"

#include "roster/InvitationList.h"
#include "session/ContactInvitations.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

InvitationBanner::InvitationBanner(InvitationList *invitations, ContactInvitations *commands, QWidget *parent)
    : QFrame(parent)
    , m_invitations(invitations)
    , m_commands(commands)
    , m_rows(new QVBoxLayout(this))
{
    setObjectName(QStringLiteral("invitationBanner"));
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    setBackgroundRole(QPalette::AlternateBase);
    m_rows->setContentsMargins(8, 6, 8, 6);
    connect(invitations, &QAbstractItemModel::rowsInserted, this, &InvitationBanner::rebuild);
    connect(invitations, &QAbstractItemModel::rowsRemoved, this, &InvitationBanner::rebuild);
    connect(invitations, &QAbstractItemModel::modelReset, this, &InvitationBanner::rebuild);
    connect(invitations, &QAbstractItemModel::dataChanged, this, &InvitationBanner::rebuild);
    rebuild();
}

void InvitationBanner::rebuild()
{
    while (QLayoutItem *item = m_rows->takeAt(0)) {
        if (QWidget *row = item->widget())
            row->deleteLater();
        delete item;
    }
    for (int i = 0; i < m_invitations->rowCount(); ++i) {
        const Invitation &invitation = m_invitations->at(i);
        auto *row = new QWidget(this);
        auto *layout = new QVBoxLayout(row);
        layout->setContentsMargins(0, 0, 0, 0);
        // Network text: plain, as typed.
        auto *text = new QLabel(tr("%1 wants to share presence with you").arg(invitation.shownName()), row);
        text->setTextFormat(Qt::PlainText);
        text->setWordWrap(true);
        text->setToolTip(invitation.inviterId);
        layout->addWidget(text);
        auto *buttons = new QHBoxLayout;
        buttons->addStretch(1);
        const QString roomId = invitation.roomId;
        const auto button = [&](const QString &label, auto command) {
            auto *b = new QPushButton(label, row);
            b->setObjectName(label);
            connect(b, &QPushButton::clicked, m_commands, [this, roomId, command] { (m_commands->*command)(roomId); });
            buttons->addWidget(b);
        };
        button(tr("Accept"), &ContactInvitations::accept);
        button(tr("Decline"), &ContactInvitations::decline);
        button(tr("Ignore"), &ContactInvitations::ignore);
        layout->addLayout(buttons);
        m_rows->addWidget(row);
    }
    setVisible(m_invitations->rowCount() > 0);
}
