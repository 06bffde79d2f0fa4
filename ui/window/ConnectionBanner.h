#pragma once

#include "session/Account.h"

#include <QFrame>
#include <QTimer>

class QLabel;
class QPushButton;

// A strip above the roster that says what the connection is doing when it is not simply live:
// connecting, reconnecting in N s [Retry now], or session expired [Sign in]. Hidden while live or offline.
// The countdown ticks once a second only while a retry is pending.
class ConnectionBanner : public QFrame {
    Q_OBJECT
public:
    explicit ConnectionBanner(Account *account, QWidget *parent = nullptr);

    QLabel *label() const { return m_label; }
    // "Retry now" while reconnecting, "Sign in…" when the session expired.
    QPushButton *actionButton() const { return m_action; }

Q_SIGNALS:
    void signInRequested();

private:
    void update();
    // "The roster shows the last known states, as of HH:MM", on a line of its own; empty without a roster.
    QString lastKnown() const;

    Account *m_account;
    QLabel *m_label;
    QPushButton *m_action;
    QTimer m_countdown;
};
