// A server that delegates sign-in to an OAuth 2.0 server (the `synapse_oauth_only` fixture: Synapse with
// matrix_authentication_service, the metadata from tests/homeserver/oauth_server.py): no /login at all. Presently
// does not speak that API yet and says so, in the dialog and when a password is tried anyway.
#include "dialogs/SignInDialog.h"
#include "session/SignIn.h"
#include "TestHomeserver.h"
#include "WidgetTestSupport.h"

#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::Literals::StringLiterals;

namespace {

const QString oauthOnly = u"This server signs in only through its own account page (OAuth 2.0), which Presently does "
                          "not support yet."_s;

} // namespace

class OAuthOnlyUiTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_server.isValid(), qPrintable(m_server.problem()));
    }

    void theDialogSaysTheServerIsNotSupported()
    {
        SignInDialog dialog;
        dialog.setServer(m_server.baseUrl().toString());
        dialog.show();
        QTRY_COMPARE_WITH_TIMEOUT(dialog.messageLabel()->text(), oauthOnly, 30'000);
        QCOMPARE(dialog.messageLabel()->textFormat(), Qt::PlainText);
        QVERIFY(dialog.ssoButtons().isEmpty());
        QVERIFY(!dialog.passwordField()->isVisible());
        WidgetTest::saveScreenshot(&dialog, u"sign-in-oauth-only"_s);
    }

    // A password tried anyway (the command line's sign-in has no dialog to read the flows first).
    void aPasswordSignInIsToldTheSame()
    {
        SignIn signIn;
        QSignalSpy failed(&signIn, &SignIn::failed);
        signIn.start(m_server.baseUrl().toString(), u"alice"_s, u"secret"_s);
        QVERIFY(failed.wait(30'000));
        QCOMPARE(failed.first().first().toString(), oauthOnly);
    }

private:
    TestHomeserver m_server;
};

QTEST_MAIN(OAuthOnlyUiTest)
#include "tst_oauth_only_ui.moc"
