#pragma once

#include <QMainWindow>

#include <functional>

class Account;
class AvatarCache;
class ConnectionBanner;
class HeaderWidget;
class InvitationBanner;
class QMenu;
class PresenceActions;
class RosterWidget;

// The roster window: header (you), connection banner, the invitations waiting for your answer, and the roster. Closing it hides it to the tray
// when there is one (setHidesToTray) and otherwise asks the application to quit.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    MainWindow(Account *account, AvatarCache *avatars, PresenceActions *actions, QWidget *parent = nullptr);

    HeaderWidget *header() const { return m_header; }
    ConnectionBanner *banner() const { return m_banner; }
    RosterWidget *roster() const { return m_roster; }
    InvitationBanner *invitationBanner() const { return m_invitationBanner; }
    // Lists the hidden contacts (filled as it opens); choosing one shows them again.
    QMenu *hiddenContactsMenu() const { return m_hiddenMenu; }

public Q_SLOTS:
    void showAddContactDialog();
    // Asks first; leaves the direct chats with them when you confirm.
    void confirmLeaving(const QString &userId, const QString &name);
    void setHidesToTray(bool hides) { m_hidesToTray = hides; }
    // Asks for your own name for them (empty: none), saved in account data for every device.
    void askForNickname(const QString &userId, const QString &nickname, const QString &realName);
    // Asks for a new group's name; with a person, puts them in it (moved from `fromGroupId`, or copied).
    void askForNewGroup(const QString &userId, const QString &fromGroupId, Qt::DropAction action);
    void askForGroupName(const QString &groupId, const QString &name);
    // Asks first when people are in it: they stay in their other groups, or are back in the default group.
    void confirmRemovingGroup(const QString &groupId, const QString &name, int members);

Q_SIGNALS:
    void editProfileRequested();
    void signInRequested();
    void signOutRequested();
    void quitRequested();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    // A dialog asking for a group's name (plain text, at most RosterAccountData::maxNameLength); `named` gets it
    // trimmed, and is not called for an empty one.
    void askForAGroupName(const QString &title, const QString &name, std::function<void(const QString &)> named);
    // A question with Cancel (the default) and `doIt`, which calls `done`.
    void confirm(const QString &objectName, const QString &title, const QString &text, const QString &doIt,
                 std::function<void()> done);

    Account *m_account;
    HeaderWidget *m_header;
    ConnectionBanner *m_banner;
    RosterWidget *m_roster;
    InvitationBanner *m_invitationBanner;
    QMenu *m_hiddenMenu = nullptr;
    bool m_hidesToTray = false;
};
