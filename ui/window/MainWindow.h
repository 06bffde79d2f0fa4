#pragma once

#include <QMainWindow>

class Account;
class AvatarCache;
class ConnectionBanner;
class HeaderWidget;
class PresenceActions;
class RosterWidget;

// The roster window: header (you), connection banner, and the roster. Closing it hides it to the tray
// when there is one (setHidesToTray) and otherwise asks the application to quit.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    MainWindow(Account *account, AvatarCache *avatars, PresenceActions *actions, QWidget *parent = nullptr);

    HeaderWidget *header() const { return m_header; }
    ConnectionBanner *banner() const { return m_banner; }
    RosterWidget *roster() const { return m_roster; }
    void setHidesToTray(bool hides) { m_hidesToTray = hides; }

Q_SIGNALS:
    void editProfileRequested();
    void signInRequested();
    void signOutRequested();
    void quitRequested();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    Account *m_account;
    HeaderWidget *m_header;
    ConnectionBanner *m_banner;
    RosterWidget *m_roster;
    bool m_hidesToTray = false;
};
