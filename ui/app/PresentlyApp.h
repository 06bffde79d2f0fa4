#pragma once

#include "session/Account.h"

#include <QObject>
#include <QElapsedTimer>
#include <QPointer>
#include <QTimer>

class ActivityMonitor;
class SleepMonitor;
class AvatarCache;
class ControlServer;
class MainWindow;
class PresenceActions;
class SignInDialog;
class TrayIcon;

// The application's flow over the account's lifecycle (session/Account.h): asks for a session when there is
// none, shows the window and the tray while signed in, asks again after an expired session, and quits
// (publishing offline first, with a bounded wait). The account owns every transition; this only shows them.
class PresentlyApp : public QObject {
    Q_OBJECT
public:
    // How long quitting waits for the server to take "offline".
    static constexpr int quitTimeoutMs = 3000;
    // ... plus, when the server's rate limit holds "offline" back, that wait, up to this much in all: leaving at
    // once would leave you online for others until the server's own timeout (30 s on stock Synapse).
    static constexpr int maxQuitRateLimitWaitMs = 20'000;
    // QSettings key: rooms with at most this many joined members make their members contacts.
    static constexpr QLatin1StringView smallRoomLimitKey{"roster/smallRoomLimit"};
    static int smallRoomLimitSetting();
    // QSettings key: minutes without input before Online becomes Away; 0 turns automatic away off.
    static constexpr QLatin1StringView awayAfterMinutesKey{"presence/awayAfterMinutes"};
    static int awayAfterMinutesSetting();

    explicit PresentlyApp(QObject *parent = nullptr);
    ~PresentlyApp() override;

    // Restores the stored session, or asks for one.
    void start();
    // Signs in directly (the demo); falls back to the dialog, prefilled, if that fails.
    void startWithPassword(const QString &server, const QString &user, const QString &password);

    Account *account() const { return m_account; }
    MainWindow *window() const { return m_window; }
    TrayIcon *tray() const { return m_tray; }
    // Answers `presently --get/--presence/--watch/...`; main() makes it listen (tests listen privately).
    ControlServer *controlServer() const { return m_control; }
    // Quitting is over: offline was published, or the wait for it ended.
    bool isFinished() const { return m_finished; }

public Q_SLOTS:
    // Publishes offline (waiting at most quitTimeoutMs, plus a rate limit's wait), then emits finished().
    void quit();

Q_SIGNALS:
    // Nothing is left to do: the user quit, or closed the sign-in dialog with no window open.
    void finished();

private:
    // An integer setting, or `defaultValue` (with a log line) when it is not a whole number >= `minimum`.
    static int intSetting(QLatin1StringView key, int defaultValue, int minimum);
    void askForSession(const QString &server = {}, const QString &user = {}, const QString &reason = {},
                       const QString &deviceId = {});
    void onAccountStateChanged(Account::State state);
    void askToSignInAgain();
    void explainKeychainFailure();
    void toggleWindow();
    void showWindow();
    void bringToFront();
    void focusStatusEditor();
    void finish();
    void waitForOffline(int rateLimitWaitMs);
    void watchTheMachine();
    void notifyWhenContactsComeOnline();

    Account *m_account;
    AvatarCache *m_avatars;
    PresenceActions *m_presenceActions;
    MainWindow *m_window;
    ControlServer *m_control;
    TrayIcon *m_tray = nullptr;
    ActivityMonitor *m_activity = nullptr;
    SleepMonitor *m_sleep = nullptr;
    QPointer<SignInDialog> m_signIn;
    QTimer m_quitDeadline;
    QElapsedTimer m_quittingFor;
    bool m_quitting = false;
    bool m_finished = false;
};
