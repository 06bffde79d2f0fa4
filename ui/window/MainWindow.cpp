#include "window/MainWindow.h"

#include "session/Account.h"
#include "window/ConnectionBanner.h"
#include "window/HeaderWidget.h"
#include "window/RosterView.h"
#include "window/RosterWidget.h"

#include <QCloseEvent>
#include <QMenuBar>
#include <QVBoxLayout>

MainWindow::MainWindow(Account *account, AvatarCache *avatars, PresenceActions *actions, QWidget *parent)
    : QMainWindow(parent)
    , m_account(account)
    , m_header(new HeaderWidget(account, avatars, actions, this))
    , m_banner(new ConnectionBanner(account, this))
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
    connect(account, &Account::rosterCurrent, this, [this] { m_roster->setLoading(false); });
    connect(m_roster->view(), &RosterView::notifyWhenOnlineToggled, account->watchList(), &WatchList::setWatched);
    connect(account, &Account::stateChanged, this, [this](Account::State state) {
        // Loading until the first batch, unless there is a roster to show meanwhile (a session resumed).
        if (state == Account::State::Connecting && m_account->contacts()->rowCount() == 0)
            m_roster->setLoading(true);
        m_roster->setDimmed(state == Account::State::Offline || state == Account::State::SessionExpired
                            || state == Account::State::SessionRevoked);
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
