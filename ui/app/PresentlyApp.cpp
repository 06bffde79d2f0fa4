#include "app/PresentlyApp.h"

#include "session/Account.h"
#include "presence/ActivityMonitor.h"
#include "media/AvatarCache.h"
#include "desktop/DesktopNotifier.h"
#include "control/ControlServer.h"
#include "desktop/DesktopIdleSources.h"
#include "window/HeaderWidget.h"
#include "window/MainWindow.h"
#include "availability/PresenceActions.h"
#include "availability/PresenceSelector.h"
#include "window/RosterWidget.h"
#include "dialogs/ProfileDialog.h"
#include "session/SignIn.h"
#include "dialogs/SignInDialog.h"
#include "desktop/SleepMonitor.h"
#include "availability/StatusMessageEdit.h"
#include "app/TrayIcon.h"
#include "desktop/X11IdleSource.h"

#include <algorithm>

#include <QApplication>
#include <QLoggingCategory>
#include <QMessageBox>
#include <QNetworkAccessManager>
#include <QNetworkDiskCache>
#include <QSettings>
#include <QStandardPaths>
#include <QTimer>

using namespace Qt::Literals::StringLiterals;

Q_LOGGING_CATEGORY(lcApp, "presently.app", QtInfoMsg)

PresentlyApp::PresentlyApp(QObject *parent)
    : QObject(parent)
    , m_account(new Account(this))
    , m_avatars(new AvatarCache(m_account->thumbnails(), this))
    , m_presenceActions(new PresenceActions(m_account->availability(), this))
    , m_window(new MainWindow(m_account, m_avatars, m_presenceActions))
    , m_control(new ControlServer(m_account, this))
{
    auto *diskCache = new QNetworkDiskCache(this);
    diskCache->setCacheDirectory(QStandardPaths::writableLocation(QStandardPaths::CacheLocation) + u"/media"_s);
    diskCache->setMaximumCacheSize(64 * 1024 * 1024);
    m_account->setMediaCache(diskCache);
    m_account->setSmallRoomLimit(smallRoomLimitSetting());
    watchTheMachine();
    notifyWhenContactsComeOnline();

    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        m_tray = new TrayIcon(m_account, m_presenceActions, this);
        connect(m_tray, &TrayIcon::toggleWindowRequested, this, &PresentlyApp::toggleWindow);
        connect(m_tray, &TrayIcon::setStatusRequested, this, &PresentlyApp::focusStatusEditor);
        connect(m_tray, &TrayIcon::quitRequested, this, &PresentlyApp::quit);
        connect(m_tray, &TrayIcon::showInvitationsRequested, this, &PresentlyApp::showWindow);
        m_window->setHidesToTray(true);
    }
    connect(m_window, &MainWindow::quitRequested, this, &PresentlyApp::quit);
    connect(m_window, &MainWindow::signOutRequested, m_account, &Account::signOut);
    connect(m_window, &MainWindow::signInRequested, this, &PresentlyApp::askToSignInAgain);
    connect(m_window, &MainWindow::editProfileRequested, this, [this] {
        auto *dialog = new ProfileDialog(m_account, m_window);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->open();
    });
    connect(m_account, &Account::stateChanged, this, &PresentlyApp::onAccountStateChanged);
    connect(m_control, &ControlServer::showRequested, this, &PresentlyApp::bringToFront);
    // The store logs the keychain's own reason; the user is told what it means for them.
    connect(m_account, &Account::tokenStoredInFile, this, [this] {
        auto *box = new QMessageBox(QMessageBox::Information, tr("No keychain"),
                                    tr("No keychain (secret service) is running, so your access token is kept "
                                       "in %1, readable only by you.").arg(SessionStore::tokenFilePath()),
                                    QMessageBox::Ok, m_window);
        box->setTextFormat(Qt::PlainText);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
    });
}

void PresentlyApp::notifyWhenContactsComeOnline()
{
    auto *notifier = new DesktopNotifier(QDBusConnection::sessionBus(), this);
    connect(m_account->onlineNotifier(), &OnlineNotifier::contactCameOnline, notifier,
            [notifier](const QString &, const QString &name, const QString &status) {
                notifier->notify(tr("%1 is online").arg(name), status);
            });
    // A presence invitation that came while Presently runs; those waiting at the start show in the window.
    connect(m_account->incomingInvitations(), &InvitationList::invitationArrived, notifier,
            [notifier](const Invitation &invitation) {
                notifier->notify(tr("%1 wants to share presence with you").arg(invitation.shownName()),
                                 tr("Answer in Presently's window: accept, decline or ignore."));
            });
    // Without a notification service the tray says it, where there is a tray.
    // Qt's own balloon guesses rich text from the content; escaped text inside <qt> shows as typed.
    connect(notifier, &DesktopNotifier::failed, this, [this](const QString &summary, const QString &body) {
        if (m_tray)
            m_tray->showMessage(u"<qt>"_s + summary.toHtmlEscaped(), u"<qt>"_s + body.toHtmlEscaped(),
                                QSystemTrayIcon::Information);
    });
}

void PresentlyApp::watchTheMachine()
{
    // Idle time from the desktop's own services first, input to Presently's windows last (design.md: the
    // server never idles a client that syncs, so auto-away is the client's job).
    QDBusConnection session = QDBusConnection::sessionBus();
    m_activity = new ActivityMonitor({new DBusIdleSource(session, DBusIdleSource::freedesktopScreenSaver()),
                                      new DBusIdleSource(session, DBusIdleSource::mutterIdleMonitor()),
                                      new X11IdleSource, new AppInputIdleSource(qApp)},
                                     this);
    m_activity->setAwayAfterMs(awayAfterMinutesSetting() * 60 * 1000);
    AvailabilityController *availability = m_account->availability();
    connect(m_activity, &ActivityMonitor::idleChanged, availability, &AvailabilityController::setIdle);
    m_activity->start();

    m_sleep = new SleepMonitor(QDBusConnection::systemBus(), this);
    connect(m_sleep, &SleepMonitor::sleepingChanged, availability, &AvailabilityController::setSuspended);
    // Awake again: whatever failed while asleep is tried at once, not after its backoff.
    connect(m_sleep, &SleepMonitor::sleepingChanged, m_account, [this](bool sleeping) {
        if (!sleeping)
            m_account->retryNow();
    });
    // Quitting publishes offline and exits, which closes the delay lock: the shutdown goes on then.
    connect(m_sleep, &SleepMonitor::shuttingDown, this, &PresentlyApp::quit);
    // The machine may sleep once the server knows we are offline, or could not be told.
    connect(availability, &AvailabilityController::published, m_sleep, [this, availability] {
        if (availability->isSuspended())
            m_sleep->releaseSleepDelay();
    });
    connect(availability, &AvailabilityController::publishFailed, m_sleep, &SleepMonitor::releaseSleepDelay);
}

int PresentlyApp::awayAfterMinutesSetting()
{
    return intSetting(awayAfterMinutesKey, ActivityMonitor::defaultAwayAfterMinutes, 0);
}

int PresentlyApp::smallRoomLimitSetting()
{
    // Rooms with more joined members than this are not where your contacts are (design.md, "Who is on the roster").
    return intSetting(smallRoomLimitKey, Roster::defaultSmallRoomLimit, 2);
}

int PresentlyApp::intSetting(QLatin1StringView key, int defaultValue, int minimum)
{
    const QVariant stored = QSettings().value(key);
    if (!stored.isValid())
        return defaultValue;
    bool ok = false;
    const int value = stored.toInt(&ok);
    if (ok && value >= minimum)
        return value;
    qCWarning(lcApp).noquote() << "ignoring the setting" << key << "=" << stored.toString()
                               << "- it must be a whole number of at least" << minimum;
    return defaultValue;
}

PresentlyApp::~PresentlyApp()
{
    delete m_signIn;  // parentless while the window is hidden
    delete m_window;
}

void PresentlyApp::start()
{
    m_account->restore();
}

void PresentlyApp::startWithPassword(const QString &server, const QString &user, const QString &password)
{
    auto *signIn = new SignIn(this);
    connect(signIn, &SignIn::succeeded, this, [this, signIn](const LoginSession &session) {
        signIn->deleteLater();
        m_account->signIn(session);
    });
    connect(signIn, &SignIn::failed, this, [this, signIn, server, user](const QString &message) {
        signIn->deleteLater();
        askForSession(server, user, message);
    });
    signIn->start(server, user, password);
}

void PresentlyApp::askForSession(const QString &server, const QString &user, const QString &reason,
                                 const QString &deviceId)
{
    if (m_signIn)
        return;
    m_signIn = new SignInDialog(m_window->isVisible() ? m_window : nullptr);
    m_signIn->setAttribute(Qt::WA_DeleteOnClose);
    m_signIn->setServer(server);
    m_signIn->setUser(user);
    if (!reason.isEmpty() && !user.isEmpty() && !server.isEmpty())
        m_signIn->setReauthentication(reason, deviceId);
    connect(m_signIn, &QDialog::accepted, this, [this] { m_account->signIn(m_signIn->session()); });
    connect(m_signIn, &QDialog::rejected, this, [this] {
        if (!m_window->isVisible())
            finish();
    });
    m_signIn->show();
}

void PresentlyApp::onAccountStateChanged(Account::State state)
{
    switch (state) {
    case Account::State::SignedOut:
        m_window->hide();
        askForSession();
        break;
    case Account::State::KeychainUnavailable:
        explainKeychainFailure();
        break;
    case Account::State::Connecting:
        if (m_signIn)
            m_signIn->close();
        m_window->show();
        if (m_tray)
            m_tray->show();
        break;
    case Account::State::SessionExpired:
    case Account::State::SessionRevoked:
        askToSignInAgain();
        break;
    case Account::State::Restoring:
    case Account::State::Live:
    case Account::State::Reconnecting:
    case Account::State::Offline:
    case Account::State::SigningOut:
        break;
    }
}

void PresentlyApp::askToSignInAgain()
{
    // A soft logout keeps the device and the roster; otherwise both start again after sign-in.
    const bool soft = m_account->state() == Account::State::SessionExpired;
    const QString why = m_account->problem();
    askForSession(m_account->homeserver(), m_account->userId(),
                  // Not "your password": the account may sign in through the browser (single sign-on).
                  soft ? tr("%1 Sign in again to continue.").arg(why) : tr("%1 Sign in again.").arg(why),
                  soft ? m_account->deviceId() : QString());
}

void PresentlyApp::explainKeychainFailure()
{
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Keychain locked"), m_account->problem(),
                                QMessageBox::Retry | QMessageBox::Cancel, m_window);
    box->setTextFormat(Qt::PlainText);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this](int button) {
        if (button == QMessageBox::Retry)
            m_account->restore();
        else
            finish();  // the session stays stored for the next start
    });
    box->open();
}

void PresentlyApp::toggleWindow()
{
    if (m_window->isVisible() && m_window->isActiveWindow()) {
        m_window->hide();
        return;
    }
    showWindow();
}

void PresentlyApp::showWindow()
{
    m_window->show();
    m_window->raise();
    m_window->activateWindow();
}

void PresentlyApp::bringToFront()
{
    // While the sign-in dialog asks, it is what there is to see.
    if (!m_signIn)
        return showWindow();
    m_signIn->raise();
    m_signIn->activateWindow();
}

void PresentlyApp::focusStatusEditor()
{
    showWindow();
    m_window->header()->selector()->statusEdit()->setFocus();
    m_window->header()->selector()->statusEdit()->selectAll();
}

void PresentlyApp::quit()
{
    if (m_quitting)
        return;
    m_quitting = true;
    m_quittingFor.start();
    qCInfo(lcApp) << "quitting";
    AvailabilityController *availability = m_account->availability();
    m_window->hide();
    if (m_tray)
        m_tray->hide();
    if (!m_account->isSignedIn() || availability->chosen() == Presence::Offline)
        return finish();
    // Tell the server we are gone, but never hang on a server that does not answer.
    connect(availability, &AvailabilityController::published, this, [this](const QString &wire) {
        if (wire == "offline"_L1)
            finish();
    });
    connect(availability, &AvailabilityController::publishFailed, this, &PresentlyApp::finish);
    connect(availability, &AvailabilityController::publishPostponed, this, &PresentlyApp::waitForOffline);
    m_quitDeadline.setSingleShot(true);
    connect(&m_quitDeadline, &QTimer::timeout, this, &PresentlyApp::finish);
    waitForOffline(availability->publishPostponedForMs());
    // The device goes away, as a machine going to sleep does: others see offline, and the choice stays the
    // user's, remembered for the next start.
    availability->setSuspended(true);
}

void PresentlyApp::waitForOffline(int rateLimitWaitMs)
{
    // The server's wait, then the usual time for an answer; but never past one limit counted from the start of
    // quitting, however often the server answers 429 again: the session's end must not wait on it.
    const qint64 leftMs = quitTimeoutMs + maxQuitRateLimitWaitMs - m_quittingFor.elapsed();
    const qint64 wantedMs = qint64(rateLimitWaitMs) + quitTimeoutMs;
    if (wantedMs > leftMs)
        qCInfo(lcApp) << "the server holds presence back for" << rateLimitWaitMs << "ms; quitting waits" << leftMs << "ms at most";
    m_quitDeadline.start(static_cast<int>(std::clamp<qint64>(wantedMs, 0, leftMs)));
}

void PresentlyApp::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    qCInfo(lcApp) << "finished";
    Q_EMIT finished();
}
