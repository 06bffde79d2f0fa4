#pragma once

#include <QFrame>

class ContactInvitations;
class InvitationList;
class QVBoxLayout;

// The invitations waiting for your answer, at the top of the roster: "Bob wants to share presence with you" with
// Accept, Decline and Ignore. One row per InvitationList row, rebuilt from the model when it changes (the
// widget keeps no state of its own); hidden while nobody is waiting.
class InvitationBanner : public QFrame {
    Q_OBJECT
public:
    InvitationBanner(InvitationList *invitations, ContactInvitations *commands, QWidget *parent = nullptr);

private:
    void rebuild();

    InvitationList *m_invitations;
    ContactInvitations *m_commands;
    QVBoxLayout *m_rows;
};
