// The sign-in dialog's single sign-on against the `synapse_sso` fixture (the stock Synapse with two real OpenID
// Connect providers; the test plays the browser, TestBrowser). Screenshots: the dialog with two provider buttons
// and the password form, waiting for the browser.
#include "app/PresentlyApp.h"
#include "dialogs/SignInDialog.h"
#include "matrix/SyncLoop.h"
#include "session/Account.h"
#include "window/MainWindow.h"
#include "TestBrowser.h"
#include "TestHomeserver.h"
#include "WidgetTestSupport.h"

#include <QLabel>
#include <QLineEdit>
#include <QJsonObject>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

using namespace Qt::Literals::StringLiterals;

namespace {

constexpr int waitMs = 30'000;

QPushButton *cancelButton(SignInDialog &dialog)
{
    for (QPushButton *button : dialog.findChildren<QPushButton *>())
        if (button->text() == QObject::tr("Cancel") || button->text() == u"&Cancel"_s)
            return button;
    return nullptr;
}

// Shows the dialog for `server` and waits until it offers `buttons` single sign-on buttons.
bool showFor(SignInDialog &dialog, const QUrl &server, int buttons)
{
    dialog.setServer(server.toString());
    dialog.show();
    return QTest::qWaitFor([&] { return dialog.ssoButtons().size() == buttons; }, waitMs);
}

// Clicks provider button `index`; the URL the dialog opened in the "browser", invalid if none.
QUrl clickProvider(SignInDialog &dialog, int index, OpenedUrls &browserWindow)
{
    QTest::mouseClick(dialog.ssoButtons().at(index), Qt::LeftButton);
    return browserWindow.waitForNext();
}

// Clicks provider button `index` and signs in at the provider as `login`: true once the browser has reached the
// dialog's listener.
bool signInThroughProvider(SignInDialog &dialog, int index, OpenedUrls &browserWindow, const QString &login)
{
    const QUrl opened = clickProvider(dialog, index, browserWindow);
    return opened.isValid() && TestBrowser().signIn(opened, login).status == 200;
}

// A dialog for `server` whose provider `index` was clicked: waiting for the browser, which got `opened`.
struct WaitingDialog {
    OpenedUrls browserWindow;
    SignInDialog dialog;
    QUrl opened;

    bool start(const QUrl &server, int index)
    {
        if (!showFor(dialog, server, 2))
            return false;
        opened = clickProvider(dialog, index, browserWindow);
        return opened.isValid();
    }
};

} // namespace

class SsoUiTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_server.isValid(), qPrintable(m_server.problem()));
        WidgetTest::useHome(m_home);
    }

    // The application from its first start: the sign-in dialog, the browser, then the account live and the window.
    void theAppSignsInThroughSsoAndComesUp()
    {
        OpenedUrls browserWindow;
        PresentlyApp app;
        app.start();
        SignInDialog *dialog = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((dialog = WidgetTest::visibleTopLevel<SignInDialog>()) != nullptr, waitMs);
        QVERIFY(showFor(*dialog, m_server.baseUrl(), 2));
        QVERIFY(signInThroughProvider(*dialog, 0, browserWindow, u"alice"_s));
        QTRY_VERIFY_WITH_TIMEOUT(app.window()->isVisible(), waitMs);
        QTRY_COMPARE_WITH_TIMEOUT(app.account()->state(), Account::State::Live, waitMs);
        QVERIFY(app.account()->session().userId.startsWith(u"@alice"_s));
        QVERIFY(!WidgetTest::visibleTopLevel<SignInDialog>());
    }

    // Closing the dialog (Escape, the window's close button) while the browser is out stops listening too.
    void closingTheDialogWhileWaitingStopsListening()
    {
        WaitingDialog waiting;
        QVERIFY(waiting.start(m_server.baseUrl(), 0));
        QTest::keyClick(&waiting.dialog, Qt::Key_Escape);
        QVERIFY(!waiting.dialog.isVisible());
        QCOMPARE(waiting.dialog.result(), int(QDialog::Rejected));
        QVERIFY(TestBrowser().signIn(waiting.opened, u"alice"_s).status != 200);
        QVERIFY(waiting.dialog.session().accessToken.isEmpty());
    }

    // A soft logout (the account locked by an administrator, then unlocked) of an account that signs in through
    // the browser: the application asks again, offering the providers, and continues the same device. Dave is
    // this test's own: no other test locks him.
    void aSoftLogoutOfAnSsoAccountSignsInAgainThroughTheBrowser()
    {
        TestUser admin(m_server.baseUrl(), m_server.registerUser(u"admin"_s, u"correct horse"_s, true));
        OpenedUrls browserWindow;
        PresentlyApp app;
        // The lock is seen when the long-poll in flight returns: a short one, not the 30 s default.
        app.account()->syncLoop()->setServerTimeoutMs(2'000);
        app.start();
        SignInDialog *dialog = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((dialog = WidgetTest::visibleTopLevel<SignInDialog>()) != nullptr, waitMs);
        QVERIFY(showFor(*dialog, m_server.baseUrl(), 2));
        QVERIFY(signInThroughProvider(*dialog, 0, browserWindow, u"dave"_s));
        QTRY_COMPARE_WITH_TIMEOUT(app.account()->state(), Account::State::Live, waitMs);
        const LoginSession before = app.account()->session();

        const QString user = u"/_synapse/admin/v2/users/%1"_s.arg(encodedSegment(before.userId));
        QVERIFY(admin.request("PUT", user, QJsonObject{{u"locked"_s, true}}).ok());
        QTRY_COMPARE_WITH_TIMEOUT(app.account()->state(), Account::State::SessionExpired, waitMs);
        QVERIFY(admin.request("PUT", user, QJsonObject{{u"locked"_s, false}}).ok());

        QTRY_VERIFY_WITH_TIMEOUT((dialog = WidgetTest::visibleTopLevel<SignInDialog>()) != nullptr, waitMs);
        QTRY_COMPARE_WITH_TIMEOUT(dialog->ssoButtons().size(), 2, waitMs);
        QVERIFY(dialog->messageLabel()->text().contains(u"Sign in again"_s));
        WidgetTest::saveScreenshot(dialog, u"sign-in-sso-session-expired"_s);
        QVERIFY(signInThroughProvider(*dialog, 0, browserWindow, u"dave"_s));
        QTRY_COMPARE_WITH_TIMEOUT(app.account()->state(), Account::State::Live, waitMs);
        QCOMPARE(app.account()->session().userId, before.userId);
        QCOMPARE(app.account()->session().deviceId, before.deviceId);
        QVERIFY(app.account()->session().accessToken != before.accessToken);
    }

    void theDialogOffersEachProviderAndThePasswordAndSignsInThroughOne()
    {
        OpenedUrls browserWindow;
        SignInDialog dialog;
        QVERIFY(showFor(dialog, m_server.baseUrl(), 2));
        QCOMPARE(dialog.ssoButtons().at(0)->text(), u"Sign in with Provider One"_s);
        // A name from the network is text: no markup, and its '&' is no mnemonic.
        QCOMPARE(dialog.ssoButtons().at(1)->text(), u"Sign in with Provider <Two> && Co"_s);
        QVERIFY(dialog.passwordField()->isVisible());
        QVERIFY(dialog.userField()->isVisible());
        WidgetTest::saveScreenshot(&dialog, u"sign-in-sso"_s);

        const QUrl opened = clickProvider(dialog, 1, browserWindow);
        QVERIFY(opened.isValid());
        QCOMPARE(opened.path(), u"/_matrix/client/v3/login/sso/redirect/oidc-two"_s);
        QCOMPARE(dialog.messageLabel()->text(), u"Finish signing in in your browser…"_s);
        QVERIFY(!dialog.ssoButtons().at(0)->isEnabled());
        WidgetTest::saveScreenshot(&dialog, u"sign-in-waiting-for-browser"_s);

        TestBrowser browser;
        QCOMPARE(browser.signIn(opened, u"alice"_s).status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(dialog.result(), int(QDialog::Accepted), waitMs);
        QVERIFY2(dialog.session().userId.startsWith(u"@alice"_s), qPrintable(dialog.session().userId));
        QVERIFY(!dialog.session().accessToken.isEmpty());
    }

    // Cancel while the browser is out stops waiting and leaves the dialog there, usable, saying what happened.
    void cancelWhileWaitingKeepsTheDialogUsable()
    {
        WaitingDialog waiting;
        QVERIFY(waiting.start(m_server.baseUrl(), 0));
        SignInDialog &dialog = waiting.dialog;
        QPushButton *cancel = cancelButton(dialog);
        QVERIFY(cancel);
        QTest::mouseClick(cancel, Qt::LeftButton);
        QVERIFY(dialog.isVisible());
        QVERIFY(dialog.messageLabel()->text().contains(u"cancelled"_s));
        QVERIFY(dialog.ssoButtons().at(0)->isEnabled());
        // The browser coming back late finds nobody listening.
        QVERIFY(TestBrowser().signIn(waiting.opened, u"alice"_s).status != 200);
        QVERIFY(dialog.isVisible());

        // And the dialog works again.
        QVERIFY(signInThroughProvider(dialog, 0, waiting.browserWindow, u"alice"_s));
        QTRY_COMPARE_WITH_TIMEOUT(dialog.result(), int(QDialog::Accepted), waitMs);
    }

    // A soft logout on an account that signs in through the browser: the dialog offers the providers and the
    // new login continues the same device.
    void reauthenticationThroughSsoContinuesTheDevice()
    {
        OpenedUrls browserWindow;
        SignInDialog first;
        QVERIFY(showFor(first, m_server.baseUrl(), 2));
        QVERIFY(signInThroughProvider(first, 0, browserWindow, u"bob"_s));
        QTRY_COMPARE_WITH_TIMEOUT(first.result(), int(QDialog::Accepted), waitMs);
        const LoginSession before = first.session();

        SignInDialog dialog;
        dialog.setUser(before.userId);
        dialog.setReauthentication(u"Your session expired. Sign in again."_s, before.deviceId);
        QVERIFY(showFor(dialog, m_server.baseUrl(), 2));
        QCOMPARE(dialog.messageLabel()->text(), u"Your session expired. Sign in again."_s);
        QVERIFY(signInThroughProvider(dialog, 0, browserWindow, u"bob"_s));
        QTRY_COMPARE_WITH_TIMEOUT(dialog.result(), int(QDialog::Accepted), waitMs);
        QCOMPARE(dialog.session().userId, before.userId);
        QCOMPARE(dialog.session().deviceId, before.deviceId);
    }

private:
    QTemporaryDir m_home;
    TestHomeserver m_server;
};

QTEST_MAIN(SsoUiTest)
#include "tst_sso_ui.moc"
