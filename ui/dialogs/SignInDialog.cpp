#include "dialogs/SignInDialog.h"

#include "session/SignIn.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>

SignInDialog::SignInDialog(QWidget *parent)
    : QDialog(parent)
    , m_signIn(new SignIn(this))
    , m_server(new QLineEdit(this))
    , m_user(new QLineEdit(this))
    , m_password(new QLineEdit(this))
    , m_message(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setWindowTitle(tr("Sign in to Matrix"));
    m_server->setPlaceholderText(tr("matrix.org"));
    m_user->setPlaceholderText(tr("@you:matrix.org or you"));
    m_password->setEchoMode(QLineEdit::Password);
    m_message->setTextFormat(Qt::PlainText);
    m_message->setWordWrap(true);
    m_message->hide();
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Sign in"));

    auto *form = new QFormLayout(this);
    form->addRow(tr("&Homeserver"), m_server);
    form->addRow(tr("&User"), m_user);
    form->addRow(tr("&Password"), m_password);
    form->addRow(m_message);
    form->addRow(m_buttons);
    setMinimumWidth(380);

    connect(m_buttons, &QDialogButtonBox::accepted, this, &SignInDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, [this] {
        m_signIn->cancel();
        reject();
    });
    connect(m_signIn, &SignIn::progress, this, [this](const QString &step) {
        m_message->setText(step);
        m_message->show();
    });
    connect(m_signIn, &SignIn::failed, this, [this](const QString &message) {
        setBusy(false);
        m_message->setText(message);
        m_message->show();
        m_password->setFocus();
        m_password->selectAll();
    });
    connect(m_signIn, &SignIn::succeeded, this, [this](const LoginSession &session) {
        m_session = session;
        setBusy(false);
        QDialog::accept();
    });
}

void SignInDialog::setServer(const QString &server)
{
    m_server->setText(server);
}

void SignInDialog::setUser(const QString &user)
{
    m_user->setText(user);
}

void SignInDialog::setReauthentication(const QString &reason, const QString &deviceId)
{
    m_deviceId = deviceId;
    m_server->setReadOnly(true);
    m_user->setReadOnly(true);
    m_message->setText(reason);
    m_message->show();
    m_password->setFocus();
}

void SignInDialog::accept()
{
    setBusy(true);
    m_signIn->start(m_server->text(), m_user->text(), m_password->text(), m_deviceId);
}

void SignInDialog::setBusy(bool busy)
{
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(!busy);
    m_password->setEnabled(!busy);
}
