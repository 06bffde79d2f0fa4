// The tray indicator on a real X display with a real system tray (run by with-tray.sh: Xvfb + trayer), against
// the real Synapse fixture: the icon is there, clicking it shows and hides the window, closing the window
// keeps Presently in the tray, and the tray's Quit says "offline" before Presently finishes.
#include "session/Account.h"
#include "window/MainWindow.h"
#include "app/PresentlyApp.h"
#include "TestHomeserver.h"
#include "app/TrayIcon.h"
#include "WidgetTestSupport.h"

#include <QMenu>
#include <QScreen>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::Literals::StringLiterals;

namespace {
constexpr int serverTimeoutMs = 30000;
// Presently's long-poll, short so that the syncs the tests wait for come within seconds.
constexpr int longPollMs = 1000;

// Qt draws an XEmbed tray icon with a widget of its own; clicking it is what a person's click does.
QWidget *trayIconWidget()
{
    for (QWidget *widget : QApplication::allWidgets())
        if (qstrcmp(widget->metaObject()->className(), "QSystemTrayIconSys") == 0 && widget->isVisible())
            return widget;
    return nullptr;
}
} // namespace

class TrayTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(QGuiApplication::platformName() == "xcb"_L1, "run me through tests/ui/with-tray.sh");
        WidgetTest::useHome(m_home);
        QVERIFY2(m_server.isValid(), qPrintable(m_server.problem()));
        m_alice = m_server.registerUser(u"alice"_s, m_password);
        m_bob = std::make_unique<TestUser>(m_server.baseUrl(), m_server.registerUser(u"bob"_s));
        QVERIFY(m_bob->startDirectChatWith(m_alice));
        QVERIFY(m_bob->setPresence(u"online"_s));
        // trayer claims the tray selection a moment after it starts.
        QTRY_VERIFY_WITH_TIMEOUT(QSystemTrayIcon::isSystemTrayAvailable(), 10000);
    }

    void theIconShowsYourPresenceInTheTray()
    {
        m_app = std::make_unique<PresentlyApp>();
        m_app->account()->syncLoop()->setServerTimeoutMs(longPollMs);
        m_app->startWithPassword(m_server.baseUrl().toString(), m_alice.userId, m_password);
        QTRY_VERIFY_WITH_TIMEOUT(m_app->window()->isVisible(), serverTimeoutMs);
        TrayIcon *tray = m_app->tray();
        QVERIFY(tray);
        QVERIFY(tray->isVisible());
        QTRY_VERIFY_WITH_TIMEOUT(trayIconWidget() != nullptr, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(tray->toolTip().contains(u"Contacts online: 1"_s), serverTimeoutMs);
        // Someone taken off the roster is not counted, and counts again once shown.
        m_app->account()->hiddenContacts()->setHidden({m_bob->userId()});
        QTRY_VERIFY(tray->toolTip().contains(u"Contacts online: 0"_s));
        m_app->account()->hiddenContacts()->setHidden({});
        QTRY_VERIFY(tray->toolTip().contains(u"Contacts online: 1"_s));

        QTest::qWait(500);  // let trayer place and paint the icon
        const QRect icon = tray->geometry();
        QVERIFY2(icon.isValid() && !icon.isEmpty(), "the tray gave the icon no place");
        QScreen *screen = QGuiApplication::primaryScreen();
        const QRect strip = QRect(screen->geometry().right() - 320, 0, 320, 48);
        const QString path = WidgetTest::screenshotPath(u"tray-x11"_s);
        QVERIFY(screen->grabWindow(0, strip.x(), strip.y(), strip.width(), strip.height()).save(path));
    }

    void clickingTheIconShowsAndHidesTheWindow()
    {
        MainWindow *window = m_app->window();
        window->activateWindow();
        QTRY_VERIFY(window->isActiveWindow());
        QWidget *icon = trayIconWidget();
        QVERIFY(icon);
        QTest::mouseClick(icon, Qt::LeftButton);
        QTRY_VERIFY(!window->isVisible());
        QTest::mouseClick(icon, Qt::LeftButton);
        QTRY_VERIFY(window->isVisible());
    }

    void closingTheWindowKeepsPresentlyInTheTray()
    {
        QSignalSpy finished(m_app.get(), &PresentlyApp::finished);
        m_app->window()->close();
        QTRY_VERIFY(!m_app->window()->isVisible());
        // Presently goes on: the server has answered its next syncs, still saying online.
        QVERIFY(waitForAnsweredSyncs(m_app->account()->syncLoop(), u"online"_s, 2));
        QCOMPARE(finished.count(), 0);
        QVERIFY(m_app->tray()->isVisible());
        QCOMPARE(WidgetTest::presenceOnServer(*m_bob, m_alice.userId), u"online"_s);
    }

    void quitFromTheTraySaysOfflineFirst()
    {
        QAction *quit = nullptr;
        for (QAction *action : m_app->tray()->menu()->actions())
            if (action->text() == TrayIcon::tr("Quit"))
                quit = action;
        QVERIFY(quit);
        QSignalSpy finished(m_app.get(), &PresentlyApp::finished);
        quit->trigger();
        // Signing in published "online" moments ago: quitting waits out the rest of stock rc_presence's window.
        QVERIFY(finished.wait(rcPresenceWindowMs + PresentlyApp::quitTimeoutMs + 1000));
        QVERIFY(!m_app->tray()->isVisible());
        QCOMPARE(WidgetTest::presenceOnServer(*m_bob, m_alice.userId), u"offline"_s);
    }

    void cleanupTestCase()
    {
        m_app.reset();
    }

private:
    QTemporaryDir m_home;
    TestHomeserver m_server;
    QString m_password = u"alice's password"_s;
    LoginSession m_alice;
    std::unique_ptr<TestUser> m_bob;
    std::unique_ptr<PresentlyApp> m_app;
};

QTEST_MAIN(TrayTest)
#include "tst_tray.moc"
