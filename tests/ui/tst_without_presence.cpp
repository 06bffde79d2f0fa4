// Presently on a server with presence turned off (the `synapse_without_presence` fixture): Synapse accepts
// every PUT and reports everyone offline. Presently must say that presence is unavailable there, and show
// "presence unknown" rather than a wall of offline.
#include "session/Account.h"
#include "roster/ContactListModel.h"
#include "window/HeaderWidget.h"
#include "window/MainWindow.h"
#include "availability/PresenceSelector.h"
#include "app/PresentlyApp.h"
#include "roster/RosterFilterModel.h"
#include "RosterRows.h"
#include "window/RosterWidget.h"
#include "TestHomeserver.h"
#include "WidgetTestSupport.h"

#include <QLabel>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::Literals::StringLiterals;

namespace {
constexpr int serverTimeoutMs = 30000;
}

class WithoutPresenceTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        WidgetTest::useHome(m_home);
        QVERIFY2(m_server.isValid(), qPrintable(m_server.problem()));
    }

    void presenceIsReportedUnknownNotOffline()
    {
        const LoginSession alice = m_server.registerUser(u"alice"_s, m_password);
        TestUser bob(m_server.baseUrl(), m_server.registerUser(u"bob"_s));
        QVERIFY(bob.setDisplayName(u"Bob"_s));
        QVERIFY(bob.startDirectChatWith(alice));
        QVERIFY(bob.setPresence(u"online"_s, u"Here"_s));  // accepted, and forgotten

        PresentlyApp app;
        app.startWithPassword(m_server.baseUrl().toString(), alice.userId, m_password);
        QTRY_VERIFY_WITH_TIMEOUT(app.window()->isVisible(), serverTimeoutMs);
        AvailabilityController *availability = app.account()->availability();
        QTRY_VERIFY_WITH_TIMEOUT(availability->isPresenceUnavailable(), serverTimeoutMs);

        const RosterFilterModel *roster = app.window()->roster()->filterModel();
        QTRY_COMPARE_WITH_TIMEOUT(roster->contactCount(), 1, serverTimeoutMs);
        QCOMPARE(shownContactAt(*roster, 0).data(ContactListModel::PresenceRole).value<Presence>(), Presence::Unknown);
        QLabel *note = app.window()->header()->selector()->note();
        QVERIFY(note->isVisible());
        QVERIFY2(note->text().contains(u"does not share presence"_s), qPrintable(note->text()));
        QCOMPARE(app.account()->contacts()->isPresenceAvailable(), false);
        QTest::qWait(300);
        WidgetTest::saveScreenshot(app.window(), u"presence-unavailable"_s);
    }

private:
    QTemporaryDir m_home;
    TestHomeserver m_server;
    QString m_password = u"alice's password"_s;
};

QTEST_MAIN(WithoutPresenceTest)
#include "tst_without_presence.moc"
