#pragma once

#include "session/SignIn.h"

#include <QDialog>

class QDialogButtonBox;
class QLabel;
class QLineEdit;
class SignIn;

// Homeserver, user and password; the work is SignIn's. Errors show in the dialog as plain sentences.
class SignInDialog : public QDialog {
    Q_OBJECT
public:
    explicit SignInDialog(QWidget *parent = nullptr);

    void setServer(const QString &server);
    void setUser(const QString &user);
    // For an expired session: the server and user are known, only the password is asked for.
    // `deviceId` continues the device after a soft logout; empty signs in as a new one.
    void setReauthentication(const QString &reason, const QString &deviceId = {});

    LoginSession session() const { return m_session; }

    QLineEdit *serverField() const { return m_server; }
    QLineEdit *userField() const { return m_user; }
    QLineEdit *passwordField() const { return m_password; }
    QLabel *messageLabel() const { return m_message; }

public Q_SLOTS:
    void accept() override;

private:
    void setBusy(bool busy);

    SignIn *m_signIn;
    QLineEdit *m_server;
    QLineEdit *m_user;
    QLineEdit *m_password;
    QString m_deviceId;
    QLabel *m_message;
    QDialogButtonBox *m_buttons;
    LoginSession m_session;
};
