#include "MainWindow.h"

#include "Account.h"
#include "ConnectionBanner.h"
#include "HeaderWidget.h"
#include "RosterView.h"
#include "RosterWidget.h"

#include <QCloseEvent>
#include <QMenuBar>
#include <QVBoxLayout>

MainWindow::MainWindow(Account *account, AvatarCache *avatars, PresenceActions *actions, QWidget *parent)
    : QMainWindow(parent)
    , m_account(account)
    , m_header(new HeaderWidget(account, avatars, actions, this))
    , m_banner(new ConnectionBanner(account->syncLoop(), this))
    , m_roster(new RosterWidget(account->contacts(), avatars, this))
{
    setWindowTitle(tr("Presently"));
    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(6, 0, 6, 6);
    layout->setSpacing(6);
    layout->addWidget(m_header);
    layout->addWidget(m_banner);
    layout->addWidget(m_roster, 1);
    setCentralWidget(central);
    resize(380, 640);

    QMenu *menu = menuBar()->addMenu(tr("&Presently"));
    menu->addAction(tr("Edit &profile…"), this, &MainWindow::editProfileRequested);
    menu->addSeparator();
    menu->addAction(tr("Sign &out"), this, &MainWindow::signOutRequested);
    menu->addAction(QIcon::fromTheme(QStringLiteral("application-exit")), tr("&Quit"), QKeySequence::Quit, this,
                    &MainWindow::quitRequested);

    connect(m_header, &HeaderWidget::editProfileRequested, this, &MainWindow::editProfileRequested);
    connect(m_banner, &ConnectionBanner::signInRequested, this, &MainWindow::signInRequested);
    // The first applied batch ends "loading"; going offline dims the roster to its last known states.
    connect(account->roster(), &Roster::batchApplied, this, [this] { m_roster->setLoading(false); });
    connect(m_roster->view(), &RosterView::notifyWhenOnlineToggled, account->watchList(), &WatchList::setWatched);
    connect(account->syncLoop(), &SyncLoop::stateChanged, this, [this](SyncLoop::State state) {
        m_roster->setDimmed(state == SyncLoop::State::Stopped || state == SyncLoop::State::SessionExpired);
    });
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
