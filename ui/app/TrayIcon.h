#pragma once

#include <QSystemTrayIcon>
#include <QTimer>

class Account;
class PresenceActions;
class QAction;
class QMenu;

// Your presence in the system tray: the icon is your badge, the tooltip says your state, status and how
// many contacts are online and how many invitations wait, and the menu sets presence, opens the status editor, shows the window or quits.
class TrayIcon : public QSystemTrayIcon {
    Q_OBJECT
public:
    TrayIcon(Account *account, PresenceActions *actions, QObject *parent = nullptr);

    QMenu *menu() const { return m_menu; }
    QString tooltipText() const;
    // The menu entry that says how many invitations wait (hidden when none).
    QAction *invitationsAction() const { return m_invitationsAction; }

Q_SIGNALS:
    void toggleWindowRequested();
    void setStatusRequested();
    void quitRequested();
    void showInvitationsRequested();

private:
    void update();
    static QString invitationsText(int waiting);

    Account *m_account;
    QTimer m_updateSoon;
    QMenu *m_menu;
    QAction *m_invitationsAction = nullptr;
};
