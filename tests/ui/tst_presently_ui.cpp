// Presently as a person uses it, against the real Synapse fixture: sign in through the dialog, watch the
// roster, set presence from the selector and the tray menu, edit the profile. Screenshots of what was
// shown go to <build dir>/screenshots/ (PRESENTLY_SCREENSHOT_DIR) to be looked at.
// On the friendly server, not stock: the roster's people only PUT their presence (they do not sync), which
// stock's sync_online_timeout turns offline 30 s later, in the middle of the screenshots; Alice changes her
// presence a dozen times in a row (stock rc_presence: one update per 10 s); and the tray shows busy (MSC3026).
#include "session/Account.h"
#include "window/ConnectionBanner.h"
#include "window/ContactDelegate.h"
#include "window/HeaderWidget.h"
#include "window/MainWindow.h"
#include "availability/PresenceActions.h"
#include "availability/PresenceSelector.h"
#include "app/PresentlyApp.h"
#include "dialogs/ProfileDialog.h"
#include "roster/RosterFilterModel.h"
#include "RosterRows.h"
#include "window/RosterView.h"
#include "window/RosterWidget.h"
#include "dialogs/SignInDialog.h"
#include "availability/StatusMessageEdit.h"
#include "TestHomeserver.h"
#include "app/TrayIcon.h"
#include "WidgetTestSupport.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QBuffer>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPainter>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QStyleFactory>
#include <QTemporaryDir>
#include <QCheckBox>
#include <QTest>
#include <QTimeZone>
#include <QToolButton>

using namespace Qt::Literals::StringLiterals;

namespace {

constexpr int serverTimeoutMs = 30'000;
const QString hostileName = u"<img src=x><b>Bob</b>"_s;

QPalette darkPalette()
{
    QPalette palette;
    palette.setColor(QPalette::Window, QColor(0x2b, 0x2d, 0x31));
    palette.setColor(QPalette::WindowText, QColor(0xe8, 0xe8, 0xe8));
    palette.setColor(QPalette::Base, QColor(0x1f, 0x20, 0x23));
    palette.setColor(QPalette::AlternateBase, QColor(0x3a, 0x3d, 0x42));
    palette.setColor(QPalette::Text, QColor(0xe8, 0xe8, 0xe8));
    palette.setColor(QPalette::Button, QColor(0x36, 0x38, 0x3d));
    palette.setColor(QPalette::ButtonText, QColor(0xe8, 0xe8, 0xe8));
    palette.setColor(QPalette::Highlight, QColor(0x3d, 0x6f, 0xb6));
    palette.setColor(QPalette::HighlightedText, Qt::white);
    palette.setColor(QPalette::PlaceholderText, QColor(0x9a, 0x9e, 0xa6));
    return palette;
}

QString writePng(const QTemporaryDir &dir, const QString &name, QSize size)
{
    QImage image(size, QImage::Format_RGB32);
    QPainter painter(&image);
    painter.fillRect(image.rect(), QColor(0x3d, 0x6f, 0xb6));
    painter.setBrush(QColor(0xf4, 0xc4, 0x30));
    painter.drawEllipse(image.rect().adjusted(size.width() / 4, size.height() / 4, -size.width() / 4, -size.height() / 4));
    painter.end();
    const QString path = dir.filePath(name);
    image.save(path);
    return path;
}

} // namespace

class PresentlyUiTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        // The 1x and 2x runs go in parallel; each starts signed out in a home of its own.
        WidgetTest::useHome(m_home);
        QApplication::setStyle(QStyleFactory::create(u"Fusion"_s));
        QVERIFY2(m_server.isValid(), qPrintable(m_server.problem()));

        m_alicePassword = u"alice password"_s;
        m_alice = m_server.registerUser(u"alice"_s, m_alicePassword);
        QVERIFY(!m_alice.userId.isEmpty());
        TestUser alice(m_server.baseUrl(), m_alice);
        QVERIFY(alice.setDisplayName(u"Alice Liddell"_s));
        m_bob = std::make_unique<TestUser>(m_server.baseUrl(), m_server.registerUser(u"bob"_s));
        QVERIFY(m_bob->setDisplayName(hostileName));
        QVERIFY(m_bob->setPresence(u"online"_s, u"Shipping the release 🚀"_s));

        // A few more people, so the roster looks like one.
        const QList<std::tuple<QString, QString, QString, QString>> people{
            {u"carol"_s, u"Carol Danvers"_s, u"unavailable"_s, u"At lunch"_s},
            {u"dave"_s, u"Dave Grohl"_s, u"offline"_s, {}},
            {u"erin"_s, u"Erin Ström"_s, u"online"_s, {}},
            {u"frank"_s, u"Frank"_s, u"unavailable"_s, u"Out until Monday"_s},
        };
        QStringList invitees{m_bob->userId()};
        for (const auto &[localpart, name, presence, status] : people) {
            TestUser user(m_server.baseUrl(), m_server.registerUser(localpart));
            QVERIFY(user.setDisplayName(name));
            QVERIFY(user.setPresence(presence, status));
            invitees << user.userId();
            m_others.push_back(std::make_unique<TestUser>(m_server.baseUrl(), user.session()));
        }
        const QString team = alice.createRoom(invitees, false, u"Team"_s);
        QVERIFY(!team.isEmpty());
        QVERIFY(m_bob->join(team));
        for (const auto &other : m_others)
            QVERIFY(other->join(team));
        const QString direct = m_bob->createRoom({m_alice.userId}, true);
        QVERIFY(alice.join(direct));
        const QString avatar = m_others.front()->uploadPng([] {
            QImage image(96, 96, QImage::Format_RGB32);
            image.fill(QColor(0xc0, 0x39, 0x2b));
            QByteArray png;
            QBuffer buffer(&png);
            buffer.open(QIODevice::WriteOnly);
            image.save(&buffer, "PNG");
            return png;
        }());
        QVERIFY(m_others.front()->setAvatarUrl(avatar));
    }

    void signInThroughTheDialog()
    {
        m_app = std::make_unique<PresentlyApp>();
        m_app->start();
        SignInDialog *dialog = nullptr;
        QTRY_VERIFY((dialog = WidgetTest::visibleTopLevel<SignInDialog>()) != nullptr);
        QTest::keyClicks(dialog->serverField(), m_server.baseUrl().toString());
        QTest::keyClicks(dialog->userField(), m_alice.userId);
        QTest::keyClicks(dialog->passwordField(), u"wrong"_s);
        QTest::keyClick(dialog->passwordField(), Qt::Key_Return);
        QTRY_VERIFY_WITH_TIMEOUT(dialog->messageLabel()->text().contains(u"Wrong user name or password"_s), serverTimeoutMs);
        WidgetTest::saveScreenshot(dialog, u"sign-in-error"_s);

        dialog->passwordField()->clear();
        QTest::keyClicks(dialog->passwordField(), m_alicePassword);
        QTest::keyClick(dialog->passwordField(), Qt::Key_Return);
        MainWindow *window = m_app->window();
        QTRY_VERIFY_WITH_TIMEOUT(window->isVisible(), serverTimeoutMs);
        new QAbstractItemModelTester(window->roster()->filterModel(), QAbstractItemModelTester::FailureReportingMode::QtTest,
                                     window);
        QTRY_COMPARE_WITH_TIMEOUT(window->roster()->filterModel()->contactCount(), 5, serverTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(window->header()->nameLabel()->text(), u"Alice Liddell"_s, serverTimeoutMs);
    }

    void theRosterShowsNetworkTextAsPlainText()
    {
        RosterView *view = m_app->window()->roster()->view();
        const QModelIndex bob = rowOf(m_bob->userId());
        QVERIFY(bob.isValid());
        QCOMPARE(bob.data(Qt::DisplayRole).toString(), hostileName);
        // The tooltip is the one place that takes markup: there the name must arrive escaped.
        const QString tooltip = ContactDelegate::tooltip(bob, 0);
        QVERIFY(tooltip.contains(u"&lt;img src=x&gt;&lt;b&gt;Bob&lt;/b&gt;"_s));
        QVERIFY(!tooltip.contains(hostileName));
        QVERIFY(view->isVisible());
        // "active N min ago" ticks once a minute, and only while someone can see it.
        QVERIFY(view->isAgeing());
        QCOMPARE(RosterView::refreshIntervalMs, 60000);
        m_app->window()->hide();
        QVERIFY(!view->isAgeing());
        m_app->window()->show();
        QVERIFY(view->isAgeing());
        QTRY_VERIFY_WITH_TIMEOUT(!m_app->window()->banner()->isVisible(), serverTimeoutMs);
        QTest::qWait(500);  // let avatars arrive
        WidgetTest::saveScreenshot(m_app->window(), u"roster-light"_s);
    }

    void bobsPresenceChangeRepaintsHisRow()
    {
        RosterView *view = m_app->window()->roster()->view();
        QSignalSpy repainted(view->model(), &QAbstractItemModel::dataChanged);
        QVERIFY(m_bob->setPresence(u"unavailable"_s, u"In a meeting"_s));
        QTRY_COMPARE_WITH_TIMEOUT(rowOf(m_bob->userId()).data(ContactListModel::PresenceRole).value<Presence>(),
                                  Presence::Unavailable, serverTimeoutMs);
        QCOMPARE(rowOf(m_bob->userId()).data(ContactListModel::StatusMessageRole).toString(), u"In a meeting"_s);
        // Bob's own row, with the roles that changed, is what the view was told to repaint.
        const int bobsRow = rowOf(m_bob->userId()).row();
        const bool bobsRowRepainted = std::any_of(repainted.cbegin(), repainted.cend(), [bobsRow](const QList<QVariant> &signal) {
            return signal.at(0).toModelIndex().row() <= bobsRow && bobsRow <= signal.at(1).toModelIndex().row()
                   && signal.at(2).value<QList<int>>().contains(ContactListModel::PresenceRole);
        });
        QVERIFY(bobsRowRepainted);
        // The row's rectangle is where the view will repaint: it must be on screen.
        QVERIFY(view->visualRect(rowOf(m_bob->userId())).intersects(view->viewport()->rect()));
    }

    void searchAndHideOfflineFilterTheList()
    {
        RosterWidget *roster = m_app->window()->roster();
        QTest::keyClicks(roster->searchField(), u"carol"_s);
        QCOMPARE(roster->filterModel()->contactCount(), 1);
        QVERIFY(!roster->placeholder()->isVisible());
        QTest::keyClicks(roster->searchField(), u"ine <b>"_s);
        QCOMPARE(roster->filterModel()->contactCount(), 0);
        QVERIFY(roster->placeholder()->isVisible());
        QCOMPARE(roster->placeholder()->text(), u"Nobody matches “caroline <b>”."_s);
        WidgetTest::saveScreenshot(m_app->window(), u"no-match"_s);
        roster->searchField()->clear();
        QVERIFY(!roster->placeholder()->isVisible());
        QCOMPARE(roster->filterModel()->contactCount(), 5);
        roster->hideOfflineButton()->click();
        QCOMPARE(roster->filterModel()->contactCount(), 4);  // Dave is offline
        roster->hideOfflineButton()->click();

        // The filter's state is the proxy's: set there, the field, the button and the explanation show it.
        roster->filterModel()->setFilterText(u"nobody"_s);
        QCOMPARE(roster->searchField()->text(), u"nobody"_s);
        QCOMPARE(roster->placeholder()->text(), u"Nobody matches “nobody”."_s);
        roster->filterModel()->setFilterText({});
        QVERIFY(roster->searchField()->text().isEmpty());
        roster->filterModel()->setHideOffline(true);
        QVERIFY(roster->hideOfflineButton()->isChecked());
        QCOMPARE(roster->filterModel()->contactCount(), 4);
        roster->filterModel()->setHideOffline(false);
        QVERIFY(!roster->hideOfflineButton()->isChecked());
    }

    void aWatchedContactComingOnlineIsAnnounced()
    {
        RosterView *view = m_app->window()->roster()->view();
        QMenu menu;
        view->fillContextMenu(&menu, rowOf(m_bob->userId()));
        QAction *notify = nullptr;
        for (QAction *action : menu.actions())
            if (action->text() == RosterView::tr("Notify me when online"))
                notify = action;
        QVERIFY(notify && notify->isCheckable() && !notify->isChecked());
        notify->trigger();
        QVERIFY(rowOf(m_bob->userId()).data(ContactListModel::WatchedRole).toBool());

        QSignalSpy announced(m_app->account()->onlineNotifier(), &OnlineNotifier::contactCameOnline);
        QVERIFY(m_bob->setPresence(u"online"_s, u"Back"_s));  // he was away (the test before)
        QTRY_COMPARE_WITH_TIMEOUT(announced.count(), 1, serverTimeoutMs);
        QCOMPARE(announced.at(0).at(1).toString(), hostileName);
        QCOMPARE(announced.at(0).at(2).toString(), u"Back"_s);
        WidgetTest::saveScreenshot(m_app->window(), u"roster-watched"_s);
    }

    void theSelectorSendsTheChosenState()
    {
        PresenceSelector *selector = m_app->window()->header()->selector();
        QMenu *menu = selector->button()->menu();
        QAction *away = nullptr;
        for (QAction *action : menu->actions())
            if (action->text() == presenceLabel(Presence::Unavailable))
                away = action;
        QVERIFY(away);
        away->trigger();
        QCOMPARE(selector->button()->text(), presenceLabel(Presence::Unavailable));
        QTRY_COMPARE_WITH_TIMEOUT(presenceOnServer(m_alice.userId), u"unavailable"_s, serverTimeoutMs);

        QTest::keyClicks(selector->statusEdit(), u"Reviewing <b>PRs</b>"_s);
        QTest::keyClick(selector->statusEdit(), Qt::Key_Return);
        QTRY_COMPARE_WITH_TIMEOUT(statusOnServer(m_alice.userId), u"Reviewing <b>PRs</b>"_s, serverTimeoutMs);
        QVERIFY(selector->statusEdit()->recentStatuses().contains(u"Reviewing <b>PRs</b>"_s));

        // Free for chat: Synapse refuses it, the selector says what others see.
        m_app->window()->header()->selector()->button()->menu()->actions().at(1)->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(selector->note()->isVisible() && selector->note()->text().contains(u"online"_s), serverTimeoutMs);
        WidgetTest::saveScreenshot(m_app->window(), u"selector-free-for-chat"_s);
    }

    void theTrayMenuChangesPresence()
    {
        // The offscreen platform has no tray; the icon and its menu work the same without one.
        PresenceActions actions(m_app->account()->availability());
        TrayIcon tray(m_app->account(), &actions);
        actions.action(Presence::Busy)->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(presenceOnServer(m_alice.userId), u"org.matrix.msc3026.busy"_s, serverTimeoutMs);
        QVERIFY(tray.tooltipText().contains(presenceLabel(Presence::Busy)));
        QVERIFY(tray.tooltipText().contains(u"&lt;b&gt;PRs&lt;/b&gt;"_s));  // the status, escaped
        QVERIFY(actions.action(Presence::Busy)->isChecked());
        tray.menu()->popup(QPoint(0, 0));
        QTRY_VERIFY(tray.menu()->isVisible());
        WidgetTest::saveScreenshot(tray.menu(), u"tray-menu"_s);
        tray.menu()->hide();
        actions.action(Presence::Online)->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(presenceOnServer(m_alice.userId), u"online"_s, serverTimeoutMs);
    }

    void yourOwnStateExplainsItself()
    {
        AvailabilityController *availability = m_app->account()->availability();
        PresenceSelector *selector = m_app->window()->header()->selector();
        // Idle while online: away for others, and the selector says why.
        availability->setIdle(true);
        QTRY_COMPARE_WITH_TIMEOUT(presenceOnServer(m_alice.userId), u"unavailable"_s, serverTimeoutMs);
        QCOMPARE(selector->button()->text(), presenceLabel(Presence::Online));
        QVERIFY2(selector->note()->isVisible() && selector->note()->text().contains(u"Away automatically"_s),
                 qPrintable(selector->note()->text()));
        WidgetTest::saveScreenshot(m_app->window(), u"auto-away"_s);
        availability->setIdle(false);
        QTRY_COMPARE_WITH_TIMEOUT(presenceOnServer(m_alice.userId), u"online"_s, serverTimeoutMs);

        // Away here while Alice's phone is online: the server shows her online, and the selector says so.
        availability->choose(Presence::Unavailable);
        TestUser phone(m_server.baseUrl(), m_server.loginAgain(m_alice.userId, TestLogin::withPassword(m_alicePassword)));
        QVERIFY(phone.setPresence(u"online"_s));
        QTRY_VERIFY_WITH_TIMEOUT(selector->note()->text().contains(u"Another of your devices shows you as online"_s),
                                 serverTimeoutMs);
        PresenceActions actions(availability);
        QVERIFY(TrayIcon(m_app->account(), &actions).tooltipText().contains(u"Another of your devices"_s));
        WidgetTest::saveScreenshot(m_app->window(), u"another-device"_s);
        QVERIFY(phone.setPresence(u"offline"_s));
        QTRY_VERIFY_WITH_TIMEOUT(!selector->note()->text().contains(u"Another of your devices"_s), serverTimeoutMs);
        availability->choose(Presence::Online);
    }

    void theProfileDialogChangesNameAndAvatar()
    {
        QTemporaryDir files;
        ProfileDialog dialog(m_app->account(), m_app->window());
        dialog.show();
        QVERIFY(!dialog.loadImage(writePng(files, u"huge.png"_s, QSize(9000, 10))));
        QVERIFY(dialog.messageLabel()->text().contains(u"too large"_s));
        QVERIFY(dialog.loadImage(writePng(files, u"me.png"_s, QSize(900, 600))));
        dialog.nameField()->clear();
        QTest::keyClicks(dialog.nameField(), u"Alice in Wonderland"_s);
        WidgetTest::saveScreenshot(&dialog, u"profile-dialog"_s);
        const QString before = m_app->account()->ownProfile().avatarUrl;
        dialog.accept();
        QTRY_VERIFY_WITH_TIMEOUT(!dialog.isVisible(), serverTimeoutMs);
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QCOMPARE(m_app->window()->header()->nameLabel()->text(), u"Alice in Wonderland"_s);
        QVERIFY(m_app->account()->ownProfile().avatarUrl != before);
        const TestUser::Reply profile = m_bob->request("GET", u"/_matrix/client/v3/profile/%1"_s.arg(encodedSegment(m_alice.userId)));
        QCOMPARE(profile.body.value("displayname"_L1).toString(), u"Alice in Wonderland"_s);
        QCOMPARE(profile.body.value("avatar_url"_L1).toString(), m_app->account()->ownProfile().avatarUrl);

        // And away again: the avatar goes, the initials come back.
        ProfileDialog again(m_app->account(), m_app->window());
        again.show();
        QVERIFY(again.removeAvatarButton()->isEnabled());
        again.removeAvatarButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(m_app->account()->ownProfile().avatarUrl.isEmpty(), serverTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(!again.removeAvatarButton()->isEnabled(), serverTimeoutMs);
        const TestUser::Reply removed = m_bob->request("GET", u"/_matrix/client/v3/profile/%1"_s.arg(encodedSegment(m_alice.userId)));
        QVERIFY(removed.body.value("avatar_url"_L1).toString().isEmpty());
        again.reject();
    }

    void theProfileDialogSharesYourTimeZoneOnlyWhenAsked()
    {
        const QString path = u"/_matrix/client/v3/profile/%1/m.tz"_s.arg(encodedSegment(m_alice.userId));
        ProfileDialog dialog(m_app->account(), m_app->window());
        dialog.show();
        QCheckBox *share = dialog.shareTimeZoneBox();
        QTRY_VERIFY_WITH_TIMEOUT(share->isEnabled(), serverTimeoutMs);  // the server lists extended profiles
        QVERIFY(!share->isChecked());  // off until asked
        QCOMPARE(m_bob->request("GET", path).status, 404);
        share->click();
        WidgetTest::saveScreenshot(&dialog, u"profile-dialog-local-time"_s);
        dialog.accept();
        QTRY_VERIFY_WITH_TIMEOUT(!dialog.isVisible(), serverTimeoutMs);
        const QString here = QString::fromLatin1(QTimeZone::systemTimeZoneId());
        QCOMPARE(m_bob->request("GET", path).body.value("m.tz"_L1).toString(), here);

        ProfileDialog again(m_app->account(), m_app->window());
        QVERIFY(again.shareTimeZoneBox()->isChecked());
        QVERIFY(again.shareTimeZoneBox()->text().contains(here));
        again.shareTimeZoneBox()->click();
        again.accept();
        QTRY_COMPARE_WITH_TIMEOUT(m_app->account()->timeZones()->sharedZone(), QString(), serverTimeoutMs);
        QCOMPARE(m_bob->request("GET", path).status, 404);
    }

    void darkPaletteScreenshot()
    {
        const QPalette light = QApplication::palette();
        QApplication::setPalette(darkPalette());
        QTest::qWait(300);
        WidgetTest::saveScreenshot(m_app->window(), u"roster-dark"_s);
        QApplication::setPalette(light);
    }

    void cleanupTestCase()
    {
        m_app.reset();
    }

private:
    QModelIndex rowOf(const QString &userId) const
    {
        return shownContact(*m_app->window()->roster()->filterModel(), userId);
    }

    QString presenceOnServer(const QString &userId) const { return WidgetTest::presenceOnServer(*m_bob, userId); }
    QString statusOnServer(const QString &userId) const { return WidgetTest::statusOnServer(*m_bob, userId); }

    QTemporaryDir m_home;
    TestHomeserver m_server;
    LoginSession m_alice;
    QString m_alicePassword;
    std::unique_ptr<TestUser> m_bob;
    std::vector<std::unique_ptr<TestUser>> m_others;
    std::unique_ptr<PresentlyApp> m_app;
};

QTEST_MAIN(PresentlyUiTest)
#include "tst_presently_ui.moc"
