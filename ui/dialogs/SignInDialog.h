#pragma once

#include "session/SignIn.h"

#include <QDialog>

class QDialogButtonBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPushButton;
class QVBoxLayout;
class SignIn;

// Homeserver, then what that server offers: a button per single sign-on identity provider, and user and password
// where the server accepts passwords; the work is SignIn's. Errors show in the dialog as plain sentences. While
// the browser is out for a single sign-on, Cancel stops waiting and leaves the dialog usable.
class SignInDialog : public QDialog {
    Q_OBJECT
public:
    explicit SignInDialog(QWidget *parent = nullptr);

    void setServer(const QString &server);
    void setUser(const QString &user);
    // For an expired session: the server and user are known, only the password (or the single sign-on) is asked
    // for. `deviceId` continues the device after a soft logout; empty signs in as a new one.
    void setReauthentication(const QString &reason, const QString &deviceId = {});

    LoginSession session() const { return m_session; }
    // The engine behind the dialog, for tests that shorten the browser's time.
    SignIn *signIn() const { return m_signIn; }

    QLineEdit *serverField() const { return m_server; }
    QLineEdit *userField() const { return m_user; }
    QLineEdit *passwordField() const { return m_password; }
    QLabel *messageLabel() const { return m_message; }
    // One per identity provider the server listed, in its order (a single one where it lists none).
    QList<QPushButton *> ssoButtons() const { return m_ssoButtons; }

public Q_SLOTS:
    void accept() override;
    void reject() override;

private:
    void fetchFlows();
    void showFlows(const LoginFlows &flows);
    void startSso(const QString &idpId);
    void showMessage(const QString &text);
    void fitContents();
    void setBusy(bool busy);

    SignIn *m_signIn;
    QLineEdit *m_server;
    QLineEdit *m_user;
    QLineEdit *m_password;
    QWidget *m_ssoBox;
    QVBoxLayout *m_ssoLayout;
    QList<QPushButton *> m_ssoButtons;
    QString m_deviceId;
    QString m_flowsServer;  // the server text the shown flows belong to
    QLabel *m_message;
    QDialogButtonBox *m_buttons;
    QFormLayout *m_form;
    LoginSession m_session;
    bool m_busy = false;  // a sign-in runs
    bool m_waitingForBrowser = false;
};
