// Presence invitations in the window, against stock Synapse: an incoming invitation at the top of the roster
// (accepted, declined, ignored from its buttons), the add-contact dialog with directory results, a pending
// ("invited") contact, hiding a contact and leaving a direct chat after the confirmation. Screenshots go to
// <build dir>/screenshots/ (PRESENTLY_SCREENSHOT_DIR) to be looked at.
#include "session/Account.h"
#include "app/PresentlyApp.h"
#include "app/TrayIcon.h"
#include "availability/PresenceActions.h"
#include "dialogs/AddContactDialog.h"
#include "roster/RosterAccountData.h"
#include "roster/RosterFilterModel.h"
#include "roster/RosterGroupModel.h"
#include "RosterRows.h"
#include "window/ContactDelegate.h"
#include "window/RosterView.h"
#include "window/InvitationBanner.h"
#include "window/MainWindow.h"
#include "window/RosterWidget.h"
#include "TestHomeserver.h"
#include "WidgetTestSupport.h"

#include <QAbstractItemModelTester>
#include <QDateTime>
#include <QInputDialog>
#include <QJsonObject>
#include <QSignalSpy>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMenu>
#include <QMessageBox>
#include <QMimeData>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::Literals::StringLiterals;

namespace {

constexpr int serverTimeoutMs = 30'000;

QPushButton *bannerButton(MainWindow *window, int row, const QString &label)
{
    const QList<QPushButton *> buttons = window->invitationBanner()->findChildren<QPushButton *>(label);
    return row < buttons.size() ? buttons.at(row) : nullptr;
}

} // namespace

class InvitesUiTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        WidgetTest::useHome(m_home);
        QVERIFY2(m_server.isValid(), qPrintable(m_server.problem()));
    }

    void init()
    {
        m_alice = m_server.registerUser(u"alice"_s, m_password);
        m_app = std::make_unique<PresentlyApp>();
        m_app->startWithPassword(m_server.baseUrl().toString(), m_alice.userId, m_password);
        QTRY_VERIFY_WITH_TIMEOUT(m_app->window() && m_app->window()->isVisible(), serverTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(m_app->account()->state(), Account::State::Live, serverTimeoutMs);
        new QAbstractItemModelTester(m_app->account()->incomingInvitations(),
                                     QAbstractItemModelTester::FailureReportingMode::QtTest, m_app.get());
    }

    void cleanup() { m_app.reset(); }

    // Bob's invitation shows on top of the roster; Accept joins and Bob becomes a contact.
    void anIncomingInvitationIsAcceptedFromTheRoster()
    {
        TestUser bob(m_server.baseUrl(), m_server.registerUser(u"bob"_s));
        QVERIFY(bob.setDisplayName(u"Bob Builder"_s));
        TestUser carol(m_server.baseUrl(), m_server.registerUser(u"carol"_s));
        QVERIFY(carol.setDisplayName(u"Carol"_s));
        QVERIFY(carol.startDirectChatWith(m_alice));  // someone on the roster already, below the invitation
        const QString roomId = bob.createRoom({m_alice.userId}, true);
        MainWindow *window = m_app->window();
        QTRY_VERIFY_WITH_TIMEOUT(window->invitationBanner()->isVisible(), serverTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(window->roster()->filterModel()->contactCount(), 1, serverTimeoutMs);
        const QList<QLabel *> labels = window->invitationBanner()->findChildren<QLabel *>();
        QVERIFY(std::any_of(labels.cbegin(), labels.cend(), [](QLabel *label) {
            return label->text() == u"Bob Builder wants to share presence with you"_s;
        }));
        QTest::qWait(200);  // the avatars and the layout settle
        WidgetTest::saveScreenshot(window, u"invitation-incoming"_s);
        // The tray says that someone waits (its tooltip and a menu entry that opens the window).
        PresenceActions actions(m_app->account()->availability());
        TrayIcon tray(m_app->account(), &actions);
        QVERIFY2(tray.tooltipText().contains(u"1 invitation waiting for your answer"_s), qPrintable(tray.tooltipText()));
        QVERIFY(tray.invitationsAction()->isVisible());
        QCOMPARE(tray.invitationsAction()->text(), u"1 invitation waiting for your answer"_s);

        bannerButton(window, 0, u"Accept"_s)->click();
        QTRY_VERIFY_WITH_TIMEOUT(!window->invitationBanner()->isVisible(), serverTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(bob.membershipOf(roomId, m_alice.userId), u"join"_s, serverTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(m_app->account()->contacts()->rowOf(bob.userId()) >= 0, serverTimeoutMs);
        QTRY_VERIFY(!tray.invitationsAction()->isVisible());
    }

    void incomingInvitationsAreDeclinedAndIgnoredFromTheRoster()
    {
        TestUser dave(m_server.baseUrl(), m_server.registerUser(u"dave"_s));
        TestUser eve(m_server.baseUrl(), m_server.registerUser(u"eve"_s));
        const QString fromDave = dave.createRoom({m_alice.userId}, true);
        QTRY_COMPARE_WITH_TIMEOUT(m_app->account()->incomingInvitations()->rowCount(), 1, serverTimeoutMs);
        const QString fromEve = eve.createRoom({m_alice.userId}, true);
        QTRY_COMPARE_WITH_TIMEOUT(m_app->account()->incomingInvitations()->rowCount(), 2, serverTimeoutMs);
        MainWindow *window = m_app->window();
        QTRY_VERIFY(bannerButton(window, 1, u"Ignore"_s));

        bannerButton(window, 0, u"Decline"_s)->click();  // Dave's, the older
        QTRY_COMPARE_WITH_TIMEOUT(dave.membershipOf(fromDave, m_alice.userId), u"leave"_s, serverTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(m_app->account()->incomingInvitations()->rowCount(), 1, serverTimeoutMs);
        QTRY_VERIFY(bannerButton(window, 0, u"Ignore"_s));
        bannerButton(window, 0, u"Ignore"_s)->click();
        QTRY_COMPARE_WITH_TIMEOUT(eve.membershipOf(fromEve, m_alice.userId), u"leave"_s, serverTimeoutMs);
        TestUser aliceHttp(m_server.baseUrl(), m_alice);
        const QJsonObject ignored = aliceHttp.accountData(u"m.ignored_user_list"_s);
        QVERIFY(ignored.value("ignored_users"_L1).toObject().contains(eve.userId()));
        QVERIFY(!ignored.value("ignored_users"_L1).toObject().contains(dave.userId()));
        QTRY_VERIFY(!window->invitationBanner()->isVisible());
    }

    // Add a contact from the directory: Frank sits in a public room, so stock Synapse's directory finds him.
    void aContactIsAddedFromTheDirectoryAndShowsInvited()
    {
        TestUser frank(m_server.baseUrl(), m_server.registerUser(u"frank"_s));
        QVERIFY(frank.setDisplayName(u"Frank Directory"_s));
        QVERIFY(!frank.request("POST", u"/_matrix/client/v3/createRoom"_s, QJsonObject{{"preset"_L1, u"public_chat"_s}})
                     .body.value("room_id"_L1).toString().isEmpty());
        MainWindow *window = m_app->window();
        QAction *add = WidgetTest::menuAction(window, u"&Add contact…"_s);
        QVERIFY(add);
        add->trigger();
        AddContactDialog *dialog = nullptr;
        QTRY_VERIFY((dialog = WidgetTest::visibleTopLevel<AddContactDialog>()));
        const QString localpart = frank.userId().mid(1).section(u':', 0, 0);
        // The directory indexes in the background: typed again until it has him.
        QTRY_VERIFY_WITH_TIMEOUT(([&] {
            dialog->searchField()->clear();
            QTest::keyClicks(dialog->searchField(), localpart);
            QTest::qWait(AddContactDialog::searchDelayMs + 500);
            return dialog->resultsView()->model()->rowCount() == 1;
        }()), serverTimeoutMs);
        QCOMPARE(dialog->chosenUserId(), frank.userId());
        QVERIFY(dialog->inviteButton()->isEnabled());
        WidgetTest::saveScreenshot(dialog, u"add-contact"_s);

        dialog->inviteButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(!WidgetTest::visibleTopLevel<AddContactDialog>(), serverTimeoutMs);
        const ContactListModel *contacts = m_app->account()->contacts();
        QTRY_VERIFY_WITH_TIMEOUT(contacts->rowOf(frank.userId()) >= 0
                                     && contacts->contactAt(contacts->rowOf(frank.userId())).invited, serverTimeoutMs);
        QTest::qWait(200);
        WidgetTest::saveScreenshot(window, u"contact-invited"_s);
    }

    // Hide a contact and show them again from the menu; leave a direct chat only after saying yes.
    void aContactIsHiddenShownAgainAndLeftAfterAConfirmation()
    {
        TestUser grace(m_server.baseUrl(), m_server.registerUser(u"grace"_s));
        TestUser aliceHttp(m_server.baseUrl(), m_alice);
        const QString roomId = grace.createRoom({m_alice.userId}, true);
        QVERIFY(aliceHttp.join(roomId));
        QVERIFY(aliceHttp.addDirectChat(grace.userId(), roomId));
        const RosterFilterModel *shown = m_app->window()->roster()->filterModel();
        QTRY_COMPARE_WITH_TIMEOUT(shown->contactCount(), 1, serverTimeoutMs);

        m_app->account()->rosterChoices()->setHidden(grace.userId(), true);
        QCOMPARE(shown->contactCount(), 0);
        // Not "everyone is offline": the roster says why it is empty and how to undo it.
        const QLabel *placeholder = m_app->window()->roster()->placeholder();
        QTRY_VERIFY(placeholder->isVisible());
        QVERIFY2(placeholder->text().contains(u"hidden"_s), qPrintable(placeholder->text()));
        WidgetTest::saveScreenshot(m_app->window(), u"contact-hidden"_s);
        QMenu *hiddenMenu = m_app->window()->hiddenContactsMenu();
        Q_EMIT hiddenMenu->aboutToShow();
        QCOMPARE(hiddenMenu->actions().size(), 1);
        QCOMPARE(hiddenMenu->actions().at(0)->text(), u"Show %1 again"_s.arg(grace.userId()));
        hiddenMenu->actions().at(0)->trigger();
        QCOMPARE(shown->contactCount(), 1);

        m_app->window()->confirmLeaving(grace.userId(), u"Grace"_s);
        QMessageBox *box = nullptr;
        QTRY_VERIFY((box = m_app->window()->findChild<QMessageBox *>(u"confirmLeaving"_s)));
        WidgetTest::saveScreenshot(box, u"leave-direct-chat"_s);
        const QList<QAbstractButton *> buttons = box->buttons();
        const auto leave = std::find_if(buttons.cbegin(), buttons.cend(),
                                        [](QAbstractButton *button) { return button->text() == u"Leave"_s; });
        QVERIFY(leave != buttons.cend());
        (*leave)->click();
        QTRY_COMPARE_WITH_TIMEOUT(shown->contactCount(), 0, serverTimeoutMs);
        QVERIFY(m_app->account()->contacts()->rowOf(grace.userId()) < 0);
        QCOMPARE(grace.membershipOf(roomId, m_alice.userId), u"leave"_s);
    }

    // A nickname from the row's menu: the row shows it at once, the tooltip keeps the real name, search finds both,
    // and the server has it (for every device).
    void aNicknameIsSetFromTheMenuAndShownOnTheRow()
    {
        TestUser grace(m_server.baseUrl(), m_server.registerUser(u"grace"_s));
        QVERIFY(grace.setDisplayName(u"Grace Hopper"_s));
        TestUser aliceHttp(m_server.baseUrl(), m_alice);
        const QString roomId = grace.createRoom({m_alice.userId}, true);
        QVERIFY(aliceHttp.join(roomId));
        QVERIFY(aliceHttp.addDirectChat(grace.userId(), roomId));
        RosterFilterModel *shown = m_app->window()->roster()->filterModel();
        QTRY_COMPARE_WITH_TIMEOUT(shown->contactCount(), 1, serverTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(shownContactAt(*shown, 0).data(Qt::DisplayRole).toString(), u"Grace Hopper"_s, serverTimeoutMs);

        QMenu menu;
        m_app->window()->roster()->view()->fillContextMenu(&menu, shownContactAt(*shown, 0));
        const QList<QAction *> actions = menu.actions();
        const auto setNickname = std::find_if(actions.cbegin(), actions.cend(),
                                              [](QAction *action) { return action->text() == u"Set nickname…"_s; });
        QVERIFY(setNickname != actions.cend());
        (*setNickname)->trigger();
        QInputDialog *dialog = nullptr;
        QTRY_VERIFY((dialog = m_app->window()->findChild<QInputDialog *>(u"askForNickname"_s)));
        QVERIFY2(dialog->windowTitle().contains(u"Grace Hopper"_s), qPrintable(dialog->windowTitle()));
        dialog->setTextValue(u"Amazing Grace"_s);
        WidgetTest::saveScreenshot(dialog, u"nickname-dialog"_s);
        QSignalSpy saved(m_app->account()->rosterChoices(), &RosterChoices::saved);
        dialog->done(QDialog::Accepted);
        QCOMPARE(shownContactAt(*shown, 0).data(Qt::DisplayRole).toString(), u"Amazing Grace"_s);
        const QString tooltip = ContactDelegate::tooltip(shownContactAt(*shown, 0), QDateTime::currentMSecsSinceEpoch());
        QVERIFY2(tooltip.contains(u"Real name: Grace Hopper"_s), qPrintable(tooltip));
        QVERIFY(saved.wait(serverTimeoutMs));
        QCOMPARE(aliceHttp.accountData(RosterAccountData::eventType).value("nicknames"_L1).toObject()
                     .value(grace.userId()).toString(), u"Amazing Grace"_s);

        shown->setFilterText(u"hopper"_s);
        QCOMPARE(shown->contactCount(), 1);
        shown->setFilterText(u"amazing"_s);
        QCOMPARE(shown->contactCount(), 1);
        shown->setFilterText({});
        QTest::qWait(200);
        WidgetTest::saveScreenshot(m_app->window(), u"contact-nickname"_s);
        // The tooltip as it shows over the row.
        QLabel tip;
        tip.setWindowFlag(Qt::ToolTip);
        tip.setText(tooltip);
        tip.adjustSize();
        WidgetTest::saveScreenshot(&tip, u"contact-nickname-tooltip"_s);
    }

    // Groups in the window: without groups a plain list; a group made from a person's menu with them moved into it,
    // another by copying, one dragged into with Ctrl held (a copy), a header clicked folds its group (remembered in
    // QSettings for this account), renamed and removed from the header's menu; every change is in the account data.
    void groupsAreMadeFilledFoldedAndRemovedFromTheWindow()
    {
        TestUser aliceHttp(m_server.baseUrl(), m_alice);
        QStringList userIds;
        const QList<std::pair<QString, QString>> people{{u"ada"_s, u"Ada Lovelace"_s}, {u"alan"_s, u"Alan Turing"_s},
                                                         {u"edsger"_s, u"Edsger Dijkstra"_s}, {u"barbara"_s, u"Barbara Liskov"_s}};
        std::vector<std::unique_ptr<TestUser>> peers;
        for (const auto &[name, displayName] : people) {
            peers.push_back(std::make_unique<TestUser>(m_server.baseUrl(), m_server.registerUser(name)));
            QVERIFY(peers.back()->setDisplayName(displayName));
            QVERIFY(peers.back()->startDirectChatWith(m_alice));
            userIds << peers.back()->userId();
        }
        QVERIFY(peers.at(0)->setPresence(u"online"_s, u"Writing notes"_s));
        QVERIFY(peers.at(2)->setPresence(u"unavailable"_s));
        MainWindow *window = m_app->window();
        RosterView *view = window->roster()->view();
        RosterFilterModel *shown = window->roster()->filterModel();
        QTRY_COMPARE_WITH_TIMEOUT(shown->contactCount(), 4, serverTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(shownContact(*shown, userIds.at(0)).data(ContactListModel::PresenceRole).value<Presence>(),
                                  Presence::Online, serverTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(shownContact(*shown, userIds.at(2)).data(ContactListModel::PresenceRole).value<Presence>(),
                                  Presence::Unavailable, serverTimeoutMs);
        // No groups of one's own: a plain list, the default group is the root (no lone "Contacts" header).
        QVERIFY(!shown->hasGroups());
        QCOMPARE(view->rootIndex(), shown->index(0, 0));
        QVERIFY(view->visualRect(shownContactAt(*shown, 0)).top() <= 1);

        const auto menuOf = [view](QMenu *menu, const QModelIndex &index, const QString &text) -> QAction * {
            menu->clear();
            view->fillContextMenu(menu, index);
            for (QAction *action : menu->actions()) {
                if (action->text() == text)
                    return action;
            }
            return nullptr;
        };
        const auto actionIn = [](QAction *submenu, const QString &text) -> QAction * {
            for (QAction *action : submenu ? submenu->menu()->actions() : QList<QAction *>()) {
                if (action->text() == text)
                    return action;
            }
            return nullptr;
        };
        const auto nameTheGroup = [window](const QString &name) {
            QInputDialog *dialog = nullptr;
            // The one open now: an answered one is only deleted later.
            const auto open = [&] {
                for (QInputDialog *candidate : window->findChildren<QInputDialog *>(u"askForGroupName"_s)) {
                    if (candidate->isVisible())
                        dialog = candidate;
                }
                return dialog != nullptr;
            };
            if (!QTest::qWaitFor(open))
                return false;
            dialog->setTextValue(name);
            dialog->done(QDialog::Accepted);
            return true;
        };
        const auto groupRow = [shown](const QString &name) {
            for (int row = 0; row < shown->rowCount(); ++row) {
                if (shown->index(row, 0).data().toString() == name)
                    return shown->index(row, 0);
            }
            return QModelIndex();
        };
        QSignalSpy saved(m_app->account()->rosterChoices(), &RosterChoices::saved);

        // Ada: Move to group ▸ New group… "Work"; Alan moved there too; Edsger to a new "Family", then copied to Work.
        QMenu menu;
        QAction *newWork = actionIn(menuOf(&menu, shownContact(*shown, userIds.at(0)), u"Move to group"_s), u"New group…"_s);
        QVERIFY(newWork);
        QVERIFY(!menuOf(&menu, shownContact(*shown, userIds.at(0)), u"Copy to group"_s));  // nothing to copy from
        newWork->trigger();
        QVERIFY(nameTheGroup(u"  Work "_s));
        QVERIFY(shown->hasGroups());
        QCOMPARE(view->rootIndex(), QModelIndex());
        QAction *moveToWork = actionIn(menuOf(&menu, shownContact(*shown, userIds.at(1)), u"Move to group"_s), u"Work"_s);
        QVERIFY(moveToWork);
        moveToWork->trigger();
        actionIn(menuOf(&menu, shownContact(*shown, userIds.at(2)), u"Move to group"_s), u"New group…"_s)->trigger();
        QVERIFY(nameTheGroup(u"Family"_s));
        // From here on the groups stay as they are: people moving between them leave the current row where it is.
        view->setCurrentIndex(shownContact(*shown, userIds.at(3)));
        QAction *copyToWork = actionIn(menuOf(&menu, shownContact(*shown, userIds.at(2)), u"Copy to group"_s), u"Work"_s);
        QVERIFY(copyToWork);
        copyToWork->trigger();
        // Ada dragged from Work onto Family's header with Ctrl held: a copy. The events are the ones a drag sends the
        // view (enter, move, drop), the action the one the platform makes of Ctrl.
        std::unique_ptr<QMimeData> dragged(shown->mimeData({shownContact(*shown, userIds.at(0))}));
        const QPoint onFamily = view->visualRect(groupRow(u"Family"_s)).center();
        QDragEnterEvent enter(onFamily, Qt::MoveAction | Qt::CopyAction, dragged.get(), Qt::LeftButton, Qt::ControlModifier);
        enter.setDropAction(Qt::CopyAction);
        QApplication::sendEvent(view->viewport(), &enter);
        QVERIFY(enter.isAccepted());
        QDragMoveEvent move(onFamily, Qt::MoveAction | Qt::CopyAction, dragged.get(), Qt::LeftButton, Qt::ControlModifier);
        move.setDropAction(Qt::CopyAction);
        QApplication::sendEvent(view->viewport(), &move);
        QVERIFY(move.isAccepted());
        QDropEvent drop(onFamily, Qt::MoveAction | Qt::CopyAction, dragged.get(), Qt::LeftButton, Qt::ControlModifier);
        drop.setDropAction(Qt::CopyAction);
        drop.ignore();  // as a drop arrives: the view accepts it once the model took it
        QApplication::sendEvent(view->viewport(), &drop);
        QVERIFY(drop.isAccepted());
        const auto members = [&userIds](std::initializer_list<int> people) {
            QStringList ids;
            for (const int person : people)
                ids << userIds.at(person);
            return ids.join(u", "_s);
        };
        // By name; in each group by presence (Ada online, Edsger away, the others offline).
        QCOMPARE(shownGroups(*shown), (QStringList{u"Family 2/2: "_s + members({0, 2}), u"Work 2/3: "_s + members({0, 2, 1}),
                                                   u"Contacts 0/1: "_s + members({3})}));
        QCOMPARE(view->currentIndex().data(ContactListModel::UserIdRole).toString(), userIds.at(3));
        view->selectionModel()->clear();  // the screenshots (README's too) show no row picked
        m_app->account()->rosterChoices()->setNickname(userIds.at(1), u"The Enigma"_s);
        QTest::qWait(200);
        WidgetTest::saveScreenshot(window, u"roster-groups-open"_s);

        // A click on Family's header folds it, here and in this account's settings; the arrow keys open it again.
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->visualRect(groupRow(u"Family"_s)).center());
        QVERIFY(!view->isExpanded(groupRow(u"Family"_s)));
        QVERIFY(groupRow(u"Family"_s).data(RosterGroupModel::CollapsedRole).toBool());
        QVERIFY(view->isExpanded(groupRow(u"Work"_s)));
        QTest::qWait(200);
        WidgetTest::saveScreenshot(window, u"roster-groups-collapsed"_s);
        // Searching opens every group; the fold comes back after.
        window->roster()->searchField()->setText(u"Dijkstra"_s);
        QVERIFY(view->isExpanded(groupRow(u"Family"_s)));
        window->roster()->searchField()->clear();
        QVERIFY(!view->isExpanded(groupRow(u"Family"_s)));
        view->setFocus();
        view->setCurrentIndex(groupRow(u"Family"_s));
        QTest::keyClick(view, Qt::Key_Right);
        QVERIFY(view->isExpanded(groupRow(u"Family"_s)));
        QTest::keyClick(view, Qt::Key_Return);
        QVERIFY(!view->isExpanded(groupRow(u"Family"_s)));

        // Renamed, then removed (after the question): its people are back in the default group or their other one.
        QAction *rename = menuOf(&menu, groupRow(u"Work"_s), u"Rename group…"_s);
        QVERIFY(rename);
        rename->trigger();
        QVERIFY(nameTheGroup(u"Office"_s));
        QVERIFY(groupRow(u"Office"_s).isValid());
        QVERIFY(actionIn(menuOf(&menu, shownContact(*shown, userIds.at(1)), u"Move to group"_s), u"Family"_s)->isEnabled());
        QAction *removeFromOffice = menuOf(&menu, shownContact(*shown, userIds.at(1)), u"Remove from Office"_s);
        QVERIFY(removeFromOffice);
        menuOf(&menu, groupRow(u"Office"_s), u"Remove group"_s)->trigger();
        QMessageBox *box = nullptr;
        QTRY_VERIFY((box = window->findChild<QMessageBox *>(u"confirmRemovingGroup"_s)));
        QVERIFY2(box->text().contains(u"Office"_s), qPrintable(box->text()));
        box->button(QMessageBox::Cancel)->click();
        QTRY_VERIFY(!window->findChild<QMessageBox *>(u"confirmRemovingGroup"_s));  // deleted on close
        QVERIFY(groupRow(u"Office"_s).isValid());
        menuOf(&menu, groupRow(u"Office"_s), u"Remove group"_s)->trigger();
        QTRY_VERIFY((box = window->findChild<QMessageBox *>(u"confirmRemovingGroup"_s)));
        const QList<QAbstractButton *> buttons = box->buttons();
        const auto remove = std::find_if(buttons.cbegin(), buttons.cend(),
                                         [](QAbstractButton *button) { return button->text() == u"Remove group"_s; });
        QVERIFY(remove != buttons.cend());
        (*remove)->click();
        QVERIFY(!groupRow(u"Office"_s).isValid());
        QCOMPARE(shownGroups(*shown), (QStringList{u"Family 2/2: "_s + members({0, 2}), u"Contacts 0/2: "_s + members({3, 1})}));  // "Barbara…" before "The Enigma"
        QTRY_VERIFY_WITH_TIMEOUT(
            !aliceHttp.accountData(RosterAccountData::eventType).value("groups"_L1).toObject().contains(u"Office"_s)
                && aliceHttp.accountData(RosterAccountData::eventType).value("groups"_L1).toObject().size() == 1,
            serverTimeoutMs);
        const QJsonObject membership = aliceHttp.accountData(RosterAccountData::eventType).value("membership"_L1).toObject();
        QCOMPARE(membership.size(), 2);  // Ada and Edsger, in Family
        QVERIFY(membership.contains(userIds.at(0)) && membership.contains(userIds.at(2)));

        // The fold is this account's, on this device: a later start of the window shows Family folded.
        m_app.reset();
        m_app = std::make_unique<PresentlyApp>();
        m_app->start();
        QTRY_VERIFY_WITH_TIMEOUT(m_app->window() && m_app->window()->isVisible(), serverTimeoutMs);
        RosterFilterModel *again = m_app->window()->roster()->filterModel();
        QTRY_VERIFY_WITH_TIMEOUT(again->hasGroups() && again->contactCount() == 4, serverTimeoutMs);
        QVERIFY(!m_app->window()->roster()->view()->isExpanded(again->index(0, 0)));
        QCOMPARE(again->index(0, 0).data().toString(), u"Family"_s);
    }

private:
    QTemporaryDir m_home;
    TestHomeserver m_server;
    QString m_password = u"alice's password"_s;
    LoginSession m_alice;
    std::unique_ptr<PresentlyApp> m_app;
};

QTEST_MAIN(InvitesUiTest)
#include "tst_invites_ui.moc"
