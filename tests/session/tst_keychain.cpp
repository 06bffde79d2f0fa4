// The session store with a real keychain (GNOME Keyring on a private D-Bus session, run by with-keyring.sh),
// against the real Synapse fixture: the token goes to the keychain and nowhere else, the next start reads
// it back, and signing out deletes it.
#include "session/Account.h"
#include "window/MainWindow.h"
#include "app/PresentlyApp.h"
#include "session/SessionStore.h"
#include "dialogs/SignInDialog.h"
#include "TestHomeserver.h"
#include "WidgetTestSupport.h"

#include <QFile>
#include <QMessageBox>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <qt6keychain/keychain.h>

using namespace Qt::Literals::StringLiterals;

namespace {
constexpr int serverTimeoutMs = 30000;

LoginSession loadedSession()
{
    SessionStore store;
    QSignalSpy loaded(&store, &SessionStore::loaded);
    store.load();
    if (loaded.isEmpty() && !loaded.wait(10000))
        return {};
    return loaded.at(0).at(0).value<LoginSession>();
}

// Asks the keychain itself for the stored token: NoError while it is there, EntryNotFound once it is gone.
QKeychain::Error tokenInKeychain(const QString &userId)
{
    QKeychain::ReadPasswordJob read(u"Presently"_s);
    read.setAutoDelete(false);
    read.setKey(u"access-token:"_s + userId);
    QSignalSpy finished(&read, &QKeychain::Job::finished);
    read.start();
    return finished.wait(5000) ? read.error() : QKeychain::OtherError;
}
} // namespace

class KeychainTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(qEnvironmentVariableIsSet("PRESENTLY_KEYRING_SESSION"), "run me through tests/session/with-keyring.sh");
        WidgetTest::useHome(m_home);
        QVERIFY2(m_server.isValid(), qPrintable(m_server.problem()));
        m_alice = m_server.registerUser(u"alice"_s, m_password);
        QVERIFY(!m_alice.userId.isEmpty());
    }

    void theTokenGoesToTheKeychainAndNowhereElse()
    {
        PresentlyApp app;
        app.startWithPassword(m_server.baseUrl().toString(), m_alice.userId, m_password);
        QTRY_VERIFY_WITH_TIMEOUT(app.window()->isVisible(), serverTimeoutMs);
        const LoginSession session = app.account()->session();
        QTRY_COMPARE_WITH_TIMEOUT(loadedSession().accessToken, session.accessToken, serverTimeoutMs);
        QCOMPARE(tokenInKeychain(m_alice.userId), QKeychain::NoError);
        QVERIFY(!WidgetTest::visibleTopLevel<QMessageBox>());  // nothing to tell: the keychain took it
        QVERIFY(!QFile::exists(SessionStore::tokenFilePath()));
        QFile settings(QSettings().fileName());
        QVERIFY(settings.open(QIODevice::ReadOnly));
        QVERIFY(!settings.readAll().contains(session.accessToken.toUtf8()));
        m_device = session.deviceId;
    }

    void theNextStartReadsItBack()
    {
        PresentlyApp app;
        app.start();
        QTRY_VERIFY_WITH_TIMEOUT(app.window()->isVisible(), serverTimeoutMs);
        QVERIFY(!WidgetTest::visibleTopLevel<SignInDialog>());
        QCOMPARE(app.account()->session().deviceId, m_device);

        // Signing out takes it out of the keychain too.
        QAction *signOut = WidgetTest::menuAction(app.window(), u"Sign &out"_s);
        QVERIFY(signOut);
        signOut->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(WidgetTest::visibleTopLevel<SignInDialog>() != nullptr, serverTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(tokenInKeychain(m_alice.userId), QKeychain::EntryNotFound, serverTimeoutMs);
        QCOMPARE(loadedSession().userId, QString());
    }

private:
    QTemporaryDir m_home;
    TestHomeserver m_server;
    QString m_password = u"alice's password"_s;
    LoginSession m_alice;
    QString m_device;
};

QTEST_MAIN(KeychainTest)
#include "tst_keychain.moc"
