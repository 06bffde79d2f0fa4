#pragma once

#include <QDialog>
#include <QTimer>

class ContactDirectory;
class ContactInvitations;
class DirectoryResults;
class QLabel;
class QLineEdit;
class QListView;
class QPushButton;

// Add a contact: type a name to search the server's user directory, or a whole Matrix ID, pick the person, and
// Invite sends them a presence invitation (a direct chat). Stays open with the reason when it fails.
class AddContactDialog : public QDialog {
    Q_OBJECT
public:
    static constexpr int searchDelayMs = 300;

    AddContactDialog(ContactDirectory *directory, DirectoryResults *results, ContactInvitations *invitations,
                     QWidget *parent = nullptr);

    QLineEdit *searchField() const { return m_search; }
    QListView *resultsView() const { return m_results; }
    QPushButton *inviteButton() const { return m_invite; }
    // The person Invite would invite: the selected result, else what was typed when it is a Matrix ID.
    QString chosenUserId() const;

private:
    void updateInviteButton();

    ContactInvitations *m_invitations;
    QLineEdit *m_search;
    QListView *m_results;
    QLabel *m_message;
    QPushButton *m_invite;
    QTimer m_searchSoon;
};
