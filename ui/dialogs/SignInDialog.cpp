#include "dialogs/SignInDialog.h"

#include "session/SignIn.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStyle>
#include <QVBoxLayout>

using namespace Qt::Literals::StringLiterals;

SignInDialog::SignInDialog(QWidget *parent)
    : QDialog(parent)
    , m_signIn(new SignIn(this))
    , m_server(new QLineEdit(this))
    , m_user(new QLineEdit(this))
    , m_password(new QLineEdit(this))
    , m_ssoBox(new QWidget(this))
    , m_ssoLayout(new QVBoxLayout(m_ssoBox))
    , m_message(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
    , m_form(new QFormLayout(this))
{
    setWindowTitle(tr("Sign in to Matrix"));
    m_server->setPlaceholderText(tr("matrix.org"));
    m_user->setPlaceholderText(tr("@you:matrix.org or you"));
    m_password->setEchoMode(QLineEdit::Password);
    m_message->setTextFormat(Qt::PlainText);
    m_message->setWordWrap(true);
    m_message->hide();
    m_ssoLayout->setContentsMargins(0, 0, 0, 0);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Sign in"));
    auto *supported = new QLabel(tr("Presently signs in with a password or through your browser (single sign-on). "
                                    "Servers that sign in only through OAuth 2.0 are not supported yet."), this);
    supported->setTextFormat(Qt::PlainText);
    supported->setWordWrap(true);
    supported->setForegroundRole(QPalette::PlaceholderText);

    m_form->addRow(tr("&Homeserver"), m_server);
    m_form->addRow(m_ssoBox);
    m_form->addRow(tr("&User"), m_user);
    m_form->addRow(tr("&Password"), m_password);
    m_form->addRow(m_message);
    m_form->addRow(supported);
    m_form->addRow(m_buttons);
    m_form->setRowVisible(m_ssoBox, false);
    setMinimumWidth(380);

    connect(m_server, &QLineEdit::editingFinished, this, &SignInDialog::fetchFlows);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &SignInDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, [this] {
        if (!m_waitingForBrowser)
            return reject();
        // Waiting for the browser: Cancel stops waiting, the dialog stays for another try.
        m_signIn->cancel();
        setBusy(false);
        showMessage(tr("Sign-in cancelled. Presently no longer waits for the browser; you can sign in again."));
    });
    // Only a sign-in's steps: reading the server's flows in the background must not hide a reason shown.
    connect(m_signIn, &SignIn::progress, this, [this](const QString &step) {
        if (m_busy)
            showMessage(step);
    });
    connect(m_signIn, &SignIn::flowsFetched, this, &SignInDialog::showFlows);
    connect(m_signIn, &SignIn::waitingForBrowser, this, [this] { m_waitingForBrowser = true; });
    connect(m_signIn, &SignIn::failed, this, [this](const QString &message) {
        m_flowsServer.clear();  // the same server may be asked again (it may have been down)
        setBusy(false);
        showMessage(message);
        if (m_password->isVisible()) {
            m_password->setFocus();
            m_password->selectAll();
        }
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
    fetchFlows();
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
    showMessage(reason);
    m_password->setFocus();
}

void SignInDialog::accept()
{
    setBusy(true);
    m_signIn->start(m_server->text(), m_user->text(), m_password->text(), m_deviceId);
}

void SignInDialog::reject()
{
    m_signIn->cancel();  // the browser's listener too: nobody is left to wait for it
    QDialog::reject();
}

void SignInDialog::fetchFlows()
{
    const QString server = m_server->text().trimmed();
    // While a sign-in runs, asking would cancel it; the next edit asks.
    if (m_busy || server.isEmpty() || server == m_flowsServer)
        return;
    m_flowsServer = server;
    if (!m_server->isReadOnly())
        m_message->hide();  // what was said about another server
    m_signIn->fetchFlows(server);
}

void SignInDialog::showFlows(const LoginFlows &flows)
{
    qDeleteAll(m_ssoButtons);
    m_ssoButtons.clear();
    if (flows.supportsSso()) {
        QList<IdentityProvider> providers = flows.identityProviders;
        if (providers.isEmpty())
            providers.append({{}, tr("single sign-on"), {}, {}});  // the server's own page picks the provider
        // Icons are mxc:// media, which servers serve only to signed-in users: a generic one for each.
        const QIcon icon = QIcon::fromTheme(u"web-browser"_s, style()->standardIcon(QStyle::SP_DriveNetIcon));
        for (const IdentityProvider &provider : std::as_const(providers)) {
            // Button text is plain, but '&' would make a mnemonic.
            auto *button = new QPushButton(icon, tr("Sign in with %1").arg(QString(provider.name).replace(u'&', u"&&"_s)),
                                           m_ssoBox);
            button->setAutoDefault(false);
            connect(button, &QPushButton::clicked, this, [this, id = provider.id] { startSso(id); });
            m_ssoLayout->addWidget(button);
            m_ssoButtons.append(button);
        }
    }
    m_form->setRowVisible(m_ssoBox, !m_ssoButtons.isEmpty());
    m_form->setRowVisible(m_user, flows.password);
    m_form->setRowVisible(m_password, flows.password);
    m_buttons->button(QDialogButtonBox::Ok)->setVisible(flows.password);
    fitContents();
}

void SignInDialog::startSso(const QString &idpId)
{
    setBusy(true);
    m_signIn->startSso(m_server->text(), idpId, m_deviceId);
}

void SignInDialog::showMessage(const QString &text)
{
    m_message->setText(text);
    m_message->show();
    fitContents();
}

void SignInDialog::fitContents()
{
    // Rows come and go and wrapped text grows: the window's height follows, its width stays.
    m_form->activate();
    resize(width(), qMax(height(), m_form->totalHeightForWidth(width())));
}

void SignInDialog::setBusy(bool busy)
{
    m_busy = busy;
    if (!busy)
        m_waitingForBrowser = false;
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(!busy);
    m_password->setEnabled(!busy);
    for (QPushButton *button : std::as_const(m_ssoButtons))
        button->setEnabled(!busy);
}
