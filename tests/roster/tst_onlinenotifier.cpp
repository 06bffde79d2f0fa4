// "Notify me when online": the watch list is remembered, the roster marks watched rows, and OnlineNotifier
// speaks only for a watched contact who goes from offline, away or unknown to online, never for the first
// batch of a connection, and at most once per contact per quiet period (an injected clock).
#include "roster/ContactListModel.h"
#include "roster/OnlineNotifier.h"
#include "roster/Roster.h"
#include "SyncBatchBuilders.h"
#include "roster/WatchList.h"

#include <QAbstractItemModelTester>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace SyncBatchBuilders;

namespace {
const QString me = u"@me:x"_s;
const QString bob = u"@bob:x"_s;
const QString carol = u"@carol:x"_s;
} // namespace

class OnlineNotifierTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
    }

    void init()
    {
        QSettings().clear();
        m_model = std::make_unique<ContactListModel>();
        new QAbstractItemModelTester(m_model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest, m_model.get());
        m_roster = std::make_unique<Roster>(m_model.get());
        m_roster->setOwnUserId(me);
        m_watchList = std::make_unique<WatchList>();
        m_model->setWatchList(m_watchList.get());
        m_notifier = std::make_unique<OnlineNotifier>(m_model.get(), m_roster.get(), m_watchList.get(),
                                                      [this] { return m_nowMs; });
    }

    void cleanup()
    {
        m_notifier.reset();
        m_watchList.reset();
        m_roster.reset();
        m_model.reset();
    }

    void theWatchListIsRememberedAndMarksTheRow()
    {
        apply(batch(u"s1"_s, {room(u"!r:x"_s, 3, {member(me), member(bob, Membership::Join, u"Bob"_s), member(carol)})}));
        QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
        m_watchList->setWatched(bob, true);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.at(0).at(2).value<QList<int>>(), QList<int>{ContactListModel::WatchedRole});
        QVERIFY(m_model->index(m_model->rowOf(bob)).data(ContactListModel::WatchedRole).toBool());
        QVERIFY(!m_model->index(m_model->rowOf(carol)).data(ContactListModel::WatchedRole).toBool());
        QVERIFY(WatchList().isWatched(bob));  // the next start remembers
        m_watchList->setWatched(bob, false);
        QVERIFY(!WatchList().isWatched(bob));
    }

    void aWatchedContactComingOnlineIsAnnouncedOnce()
    {
        m_watchList->setWatched(bob, true);
        QSignalSpy online(m_notifier.get(), &OnlineNotifier::contactCameOnline);
        // The first batch: bob is online already. That is the state of things, not news.
        apply(batch(u"s1"_s, {room(u"!r:x"_s, 3, {member(me), member(bob, Membership::Join, u"Bob"_s), member(carol)})},
                    {presence(bob, Presence::Online), presence(carol, Presence::Offline)}));
        QCOMPARE(online.count(), 0);

        apply(batch(u"s2"_s, {}, {presence(bob, Presence::Unavailable)}));
        apply(batch(u"s3"_s, {}, {presence(bob, Presence::Online, u"Back <b>now</b>"_s)}));
        QCOMPARE(online.count(), 1);
        QCOMPARE(online.at(0).at(0).toString(), bob);
        QCOMPARE(online.at(0).at(1).toString(), u"Bob"_s);
        QCOMPARE(online.at(0).at(2).toString(), u"Back <b>now</b>"_s);

        // Flapping within the quiet period is not announced again; after it, it is.
        apply(batch(u"s4"_s, {}, {presence(bob, Presence::Offline)}));
        m_nowMs += OnlineNotifier::quietPeriodMs - 1;
        apply(batch(u"s5"_s, {}, {presence(bob, Presence::Online)}));
        QCOMPARE(online.count(), 1);
        apply(batch(u"s6"_s, {}, {presence(bob, Presence::Offline)}));
        m_nowMs += 1;
        apply(batch(u"s7"_s, {}, {presence(bob, Presence::FreeForChat)}));
        QCOMPARE(online.count(), 2);

        // Staying online with a new status is not "coming online".
        apply(batch(u"s8"_s, {}, {presence(bob, Presence::FreeForChat, u"Lunch"_s)}));
        QCOMPARE(online.count(), 2);
    }

    void unwatchedContactsAndOtherChangesAreQuiet()
    {
        m_watchList->setWatched(bob, true);
        QSignalSpy online(m_notifier.get(), &OnlineNotifier::contactCameOnline);
        apply(batch(u"s1"_s, {room(u"!r:x"_s, 3, {member(me), member(bob), member(carol)})},
                    {presence(bob, Presence::Offline), presence(carol, Presence::Offline)}));
        apply(batch(u"s2"_s, {}, {presence(carol, Presence::Online), presence(bob, Presence::Busy)}));
        QCOMPARE(online.count(), 0);  // carol is not watched; busy is not "online"
    }

    void watchingSomeoneLaterUsesTheirKnownState()
    {
        QSignalSpy online(m_notifier.get(), &OnlineNotifier::contactCameOnline);
        apply(batch(u"s1"_s, {room(u"!r:x"_s, 2, {member(me), member(bob)})}, {presence(bob, Presence::Offline)}));
        m_watchList->setWatched(bob, true);
        apply(batch(u"s2"_s, {}, {presence(bob, Presence::Online)}));
        QCOMPARE(online.count(), 1);
    }

    void aNewConnectionsFirstBatchIsQuietAgain()
    {
        m_watchList->setWatched(bob, true);
        QSignalSpy online(m_notifier.get(), &OnlineNotifier::contactCameOnline);
        apply(batch(u"s1"_s, {room(u"!r:x"_s, 2, {member(me), member(bob)})}, {presence(bob, Presence::Offline)}));
        m_notifier->reset();  // signed in again: an initial sync follows
        apply(batch(u"s9"_s, {}, {presence(bob, Presence::Online)}));
        QCOMPARE(online.count(), 0);
    }

private:
    void apply(const SyncBatch &syncBatch)
    {
        QSignalSpy applied(m_roster.get(), &Roster::batchApplied);
        m_roster->applyBatch(syncBatch);
        QVERIFY(applied.count() == 1 || applied.wait(5000));
    }

    qint64 m_nowMs = 1000;
    std::unique_ptr<ContactListModel> m_model;
    std::unique_ptr<Roster> m_roster;
    std::unique_ptr<WatchList> m_watchList;
    std::unique_ptr<OnlineNotifier> m_notifier;
};

QTEST_GUILESS_MAIN(OnlineNotifierTest)
#include "tst_onlinenotifier.moc"
