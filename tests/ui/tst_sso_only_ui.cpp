// A server where people sign in only through single sign-on (the `synapse_sso_only` fixture: passwords turned off,
// one real OpenID Connect provider): the dialog offers the provider and no password form, and signs in through it.
#include "dialogs/SignInDialog.h"
#include "TestBrowser.h"
#include "TestHomeserver.h"
#include "WidgetTestSupport.h"

#include <QDialogButtonBox>
#include <QLineEdit>
#include <QPushButton>
#include <QTest>

using namespace Qt::Literals::StringLiterals;

class SsoOnlyUiTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_server.isValid(), qPrintable(m_server.problem()));
    }

    void theDialogOffersTheProviderAndNoPasswordForm()
    {
        OpenedUrls browserWindow;
        SignInDialog dialog;
        dialog.setServer(m_server.baseUrl().toString());
        dialog.show();
        QTRY_COMPARE_WITH_TIMEOUT(dialog.ssoButtons().size(), 1, 30'000);
        QVERIFY(!dialog.passwordField()->isVisible());
        QVERIFY(!dialog.userField()->isVisible());
        QVERIFY(!dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->isVisible());
        WidgetTest::saveScreenshot(&dialog, u"sign-in-sso-only"_s);

        dialog.ssoButtons().first()->click();
        QCOMPARE(TestBrowser().signIn(browserWindow.waitForNext(), u"alice"_s).status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(dialog.result(), int(QDialog::Accepted), 30'000);
        QVERIFY(dialog.session().userId.startsWith(u"@alice"_s));
    }

private:
    TestHomeserver m_server;
};

QTEST_MAIN(SsoOnlyUiTest)
#include "tst_sso_only_ui.moc"
