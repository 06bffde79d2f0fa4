#pragma once

#include <QWidget>

class Account;
class AvatarCache;
class PresenceActions;
class PresenceSelector;
class QLabel;
class QToolButton;

// The top of the window: your avatar with your presence badge, display name and user ID, and the
// presence selector. Shows what the server holds (Account::ownProfile), never an unconfirmed edit.
class HeaderWidget : public QWidget {
    Q_OBJECT
public:
    static constexpr int avatarSize = 48;

    HeaderWidget(Account *account, AvatarCache *avatars, PresenceActions *actions, QWidget *parent = nullptr);

    QLabel *nameLabel() const { return m_name; }
    // Your user ID, and "not connected" while the server does not hear from you.
    QLabel *userIdLabel() const { return m_userId; }
    PresenceSelector *selector() const { return m_selector; }

Q_SIGNALS:
    void editProfileRequested();

private:
    void update();

    Account *m_account;
    AvatarCache *m_avatars;
    QToolButton *m_avatar;
    QLabel *m_name;
    QLabel *m_userId;
    PresenceSelector *m_selector;
};
