#include "window/MainWindow.h"

#include "dialogs/AddContactDialog.h"
#include "roster/RosterAccountData.h"
#include "roster/RosterFilterModel.h"
#include "session/Account.h"
#include "window/ConnectionBanner.h"
#include "window/HeaderWidget.h"
#include "window/InvitationBanner.h"
#include "window/RosterView.h"
#include "window/RosterWidget.h"

#include <QCloseEvent>
#include <QInputDialog>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QVBoxLayout>

MainWindow::MainWindow(Account *account, AvatarCache *avatars, PresenceActions *actions, QWidget *parent)
    : QMainWindow(parent)
    , m_account(account)
    , m_header(new HeaderWidget(account, avatars, actions, this))
    , m_banner(new ConnectionBanner(account, this))
    , m_roster(new RosterWidget(account->groups(), avatars, this))
    , m_invitationBanner(new InvitationBanner(account->incomingInvitations(), account->invitations(), this))
{
    setWindowTitle(tr("Presently"));
    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(6, 0, 6, 6);
    layout->setSpacing(6);
    layout->addWidget(m_header);
    layout->addWidget(m_banner);
    layout->addWidget(m_invitationBanner);
    layout->addWidget(m_roster, 1);
    setCentralWidget(central);
    resize(380, 640);

    QMenu *menu = menuBar()->addMenu(tr("&Presently"));
    menu->addAction(tr("Edit &profile…"), this, &MainWindow::editProfileRequested);
    menu->addAction(QIcon::fromTheme(QStringLiteral("contact-new")), tr("&Add contact…"), QKeySequence::New, this,
                    &MainWindow::showAddContactDialog);
    m_hiddenMenu = menu->addMenu(tr("&Hidden contacts"));
    connect(m_hiddenMenu, &QMenu::aboutToShow, this, [this] {
        m_hiddenMenu->clear();
        const QStringList hidden = m_account->hiddenContacts()->userIds();
        if (hidden.isEmpty())
            m_hiddenMenu->addAction(tr("Nobody is hidden"))->setEnabled(false);
        for (const QString &userId : hidden) {
            m_hiddenMenu->addAction(tr("Show %1 again").arg(userId), m_account->rosterChoices(),
                                    [this, userId] { m_account->rosterChoices()->setHidden(userId, false); });
        }
    });
    menu->addSeparator();
    menu->addAction(tr("Sign &out"), this, &MainWindow::signOutRequested);
    menu->addAction(QIcon::fromTheme(QStringLiteral("application-exit")), tr("&Quit"), QKeySequence::Quit, this,
                    &MainWindow::quitRequested);

    connect(m_header, &HeaderWidget::editProfileRequested, this, &MainWindow::editProfileRequested);
    connect(m_banner, &ConnectionBanner::signInRequested, this, &MainWindow::signInRequested);
    // The first applied batch ends "loading"; going offline dims the roster to its last known states.
    connect(account, &Account::rosterCurrent, this, [this] { m_roster->setLoading(false); });
    connect(m_roster->view(), &RosterView::notifyWhenOnlineToggled, account->watchList(), &WatchList::setWatched);
    connect(m_roster->view(), &RosterView::withdrawInvitationRequested, account->invitations(),
            &ContactInvitations::withdraw);
    connect(m_roster->view(), &RosterView::hideRequested, account->rosterChoices(),
            [this](const QString &userId) { m_account->rosterChoices()->setHidden(userId, true); });
    connect(m_roster->view(), &RosterView::leaveRequested, this, &MainWindow::confirmLeaving);
    connect(m_roster->view(), &RosterView::nicknameRequested, this, &MainWindow::askForNickname);
    connect(m_roster->view(), &RosterView::newGroupRequested, this, &MainWindow::askForNewGroup);
    connect(m_roster->view(), &RosterView::renameGroupRequested, this, &MainWindow::askForGroupName);
    connect(m_roster->view(), &RosterView::removeGroupRequested, this, &MainWindow::confirmRemovingGroup);
    // What went wrong with an invitation, a hidden contact or a nickname, said where it was asked for.
    const auto tell = [this](const QString &message) {
        auto *box = new QMessageBox(QMessageBox::Warning, tr("Presently"), message, QMessageBox::Ok, this);
        box->setTextFormat(Qt::PlainText);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
    };
    connect(account->rosterChoices(), &RosterChoices::failed, this, tell);
    connect(account->invitations(), &ContactInvitations::failed, this, [this, tell](const QString &message) {
        if (!findChild<AddContactDialog *>())  // the dialog says it itself
            tell(message);
    });
    connect(account, &Account::stateChanged, this, [this](Account::State state) {
        // Loading until the first batch, unless there is a roster to show meanwhile (a session resumed).
        if (state == Account::State::Connecting && m_account->contacts()->rowCount() == 0)
            m_roster->setLoading(true);
        m_roster->setDimmed(state == Account::State::Offline || state == Account::State::SessionExpired
                            || state == Account::State::SessionRevoked);
    });
}

void MainWindow::showAddContactDialog()
{
    auto *dialog = new AddContactDialog(m_account->directory(), m_account->directoryResults(), m_account->invitations(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

void MainWindow::askForNickname(const QString &userId, const QString &nickname, const QString &realName)
{
    auto *dialog = new QInputDialog(this);
    dialog->setObjectName(QStringLiteral("askForNickname"));
    // The names go in the title, which is plain text; the label would take a name that looks like markup as markup.
    dialog->setWindowTitle(tr("Nickname for %1 (%2)").arg(realName, userId));
    dialog->setLabelText(tr("Your name for them, on all your devices. Leave it empty to show their own name."));
    dialog->setTextValue(nickname);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QInputDialog::textValueSelected, m_account->rosterChoices(),
            [this, userId](const QString &text) { m_account->rosterChoices()->setNickname(userId, text); });
    dialog->open();
}

void MainWindow::askForAGroupName(const QString &title, const QString &name, std::function<void(const QString &)> named)
{
    auto *dialog = new QInputDialog(this);
    dialog->setObjectName(QStringLiteral("askForGroupName"));
    dialog->setWindowTitle(title);  // plain text: the label would take a name that looks like markup as markup
    dialog->setLabelText(tr("Group name, on all your devices:"));
    dialog->setTextValue(name);
    if (auto *field = dialog->findChild<QLineEdit *>())
        field->setMaxLength(static_cast<int>(RosterAccountData::maxNameLength));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QInputDialog::textValueSelected, this, [named = std::move(named)](const QString &text) {
        if (!text.trimmed().isEmpty())
            named(text.trimmed());
    });
    dialog->open();
}

void MainWindow::askForNewGroup(const QString &userId, const QString &fromGroupId, Qt::DropAction action)
{
    askForAGroupName(tr("New group"), {}, [this, userId, fromGroupId, action](const QString &name) {
        const QString groupId = m_account->rosterChoices()->addGroup(name);
        if (!userId.isEmpty())
            m_account->groups()->place(userId, fromGroupId, groupId, action);
    });
}

void MainWindow::askForGroupName(const QString &groupId, const QString &name)
{
    askForAGroupName(tr("Rename group %1").arg(name), name,
                     [this, groupId](const QString &newName) { m_account->rosterChoices()->renameGroup(groupId, newName); });
}

void MainWindow::confirm(const QString &objectName, const QString &title, const QString &text, const QString &doIt,
                         std::function<void()> done)
{
    auto *box = new QMessageBox(QMessageBox::Question, title, text, QMessageBox::Cancel, this);
    box->setObjectName(objectName);
    box->setTextFormat(Qt::PlainText);  // the text names people and groups as they are called
    QPushButton *button = box->addButton(doIt, QMessageBox::DestructiveRole);
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(button, &QPushButton::clicked, this, std::move(done));
    box->open();
}

void MainWindow::confirmRemovingGroup(const QString &groupId, const QString &name, int members)
{
    const auto remove = [this, groupId] { m_account->rosterChoices()->removeGroup(groupId); };
    if (members == 0)
        return remove();
    confirm(QStringLiteral("confirmRemovingGroup"), tr("Remove the group?"),
            tr("Remove the group “%1”? The people in it stay on your roster, in their other groups or under Contacts.")
                .arg(name),
            tr("Remove group"), remove);
}

void MainWindow::confirmLeaving(const QString &userId, const QString &name)
{
    confirm(QStringLiteral("confirmLeaving"), tr("Leave the direct chat?"),
            tr("Leave your direct chat with %1? You stop sharing presence with them unless you share another room, "
               "and they would have to invite you again.").arg(name),
            tr("Leave"), [this, userId] { m_account->invitations()->leaveDirectChats(userId); });
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_hidesToTray) {
        hide();
        event->ignore();
        return;
    }
    event->ignore();
    Q_EMIT quitRequested();
}
