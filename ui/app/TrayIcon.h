#pragma once

#include <QSystemTrayIcon>
#include <QTimer>

class Account;
class PresenceActions;
class QAction;
class QMenu;

// Your presence in the system tray: the icon is your badge, the tooltip says your state, status and how
// many contacts are online, and the menu sets presence, opens the status editor, shows the window or quits.
class TrayIcon : public QSystemTrayIcon {
    Q_OBJECT
public:
    TrayIcon(Account *account, PresenceActions *actions, QObject *parent = nullptr);

    QMenu *menu() const { return m_menu; }
    QString tooltipText() const;

Q_SIGNALS:
    void toggleWindowRequested();
    void setStatusRequested();
    void quitRequested();

private:
    void update();

    Account *m_account;
    QTimer m_updateSoon;
    QMenu *m_menu;
};
