// RosterGroupModel: the roster as groups of contacts (a person in several groups has a row in each; people in
// none are in the default group, last), under QAbstractItemModelTester, with counts on the group rows and a
// contact's changes passed on to each of their rows for the same roles.
#include "roster/CollapsedGroups.h"
#include "roster/ContactListModel.h"
#include "roster/HiddenContacts.h"
#include "roster/RosterFilterModel.h"
#include "roster/RosterGroupModel.h"
#include "RosterRows.h"

#include <QAbstractItemModelTester>
#include <QMimeData>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

using namespace Qt::Literals::StringLiterals;

namespace {
Contact person(const QString &userId, Presence presence)
{
    Contact contact;
    contact.userId = userId;
    contact.state.presence = presence;
    return contact;
}

const QList<RosterAccountData::Group> workAndFamily{{u"w"_s, u"Work"_s, 0.25}, {u"f"_s, u"Family"_s, 0.5}};
} // namespace

class RosterGroupModelTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
    }

    void init()
    {
        m_contacts = std::make_unique<ContactListModel>();
        m_groups = std::make_unique<RosterGroupModel>(m_contacts.get());
        m_tester = std::make_unique<QAbstractItemModelTester>(m_groups.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        m_contacts->appendContacts({person(u"@a:x"_s, Presence::Online), person(u"@b:x"_s, Presence::Offline),
                                    person(u"@c:x"_s, Presence::Busy)});
    }

    void cleanup()
    {
        m_tester.reset();
        m_groups.reset();
        m_contacts.reset();
    }

    void withoutGroupsEveryoneIsInTheDefaultGroup()
    {
        QCOMPARE(shownGroups(*m_groups), QStringList{u"Contacts 2/3: @a:x, @b:x, @c:x"_s});
        const QModelIndex contacts = m_groups->index(0, 0);
        QVERIFY(contacts.data(RosterGroupModel::IsGroupRole).toBool());
        QCOMPARE(contacts.data(RosterGroupModel::GroupIdRole).toString(), QString());
        QCOMPARE(contacts.data(RosterGroupModel::OnlineCountRole).toInt(), 2);  // busy counts, offline does not
        QCOMPARE(contacts.data(RosterGroupModel::TotalCountRole).toInt(), 3);
    }

    void aPersonMayBeInSeveralGroups()
    {
        m_groups->setGroups(workAndFamily, {{u"@a:x"_s, {u"w"_s, u"f"_s}}, {u"@b:x"_s, {u"f"_s, u"gone"_s}},
                                            {u"@c:x"_s, {u"gone"_s}}});
        QCOMPARE(shownGroups(*m_groups), (QStringList{u"Work 1/1: @a:x"_s, u"Family 1/2: @a:x, @b:x"_s, u"Contacts 1/1: @c:x"_s}));
        QCOMPARE(m_groups->index(1, 0).data(RosterGroupModel::OnlineCountRole).toInt(), 1);
        QCOMPARE(m_groups->index(1, 0).data(RosterGroupModel::TotalCountRole).toInt(), 2);
        const QModelIndex aInFamily = m_groups->index(0, 0, m_groups->index(1, 0));
        QCOMPARE(aInFamily.data(RosterGroupModel::GroupIdRole).toString(), u"f"_s);
        QVERIFY(!aInFamily.data(RosterGroupModel::IsGroupRole).toBool());
        QCOMPARE(aInFamily.parent(), m_groups->index(1, 0));

        // Contacts come and go: the tree follows.
        m_contacts->appendContacts({person(u"@d:x"_s, Presence::Online)});
        m_contacts->removeContact(u"@a:x"_s);
        QCOMPARE(shownGroups(*m_groups), (QStringList{u"Work 0/0: "_s, u"Family 0/1: @b:x"_s, u"Contacts 2/2: @c:x, @d:x"_s}));
        m_contacts->clear();
        QCOMPARE(shownGroups(*m_groups), (QStringList{u"Work 0/0: "_s, u"Family 0/0: "_s, u"Contacts 0/0: "_s}));
    }

    // A presence change reaches each of the person's rows with its roles, and the counts of their groups.
    void aChangeReachesEveryRowOfThePerson()
    {
        m_groups->setGroups(workAndFamily, {{u"@b:x"_s, {u"w"_s, u"f"_s}}});
        QSignalSpy changed(m_groups.get(), &QAbstractItemModel::dataChanged);
        Contact b = m_contacts->contactAt(1);
        b.state.presence = Presence::Online;
        const QList<int> roles = m_contacts->updateContact(1, b);
        QVERIFY(roles.contains(ContactListModel::PresenceRole));
        QCOMPARE(changed.size(), 4);  // two member rows, two group rows
        for (const QList<QVariant> &signal : std::as_const(changed)) {
            const QModelIndex index = signal.at(0).toModelIndex();
            if (index.data(RosterGroupModel::IsGroupRole).toBool())
                QCOMPARE(signal.at(2).value<QList<int>>(), QList<int>{RosterGroupModel::OnlineCountRole});
            else
                QCOMPARE(signal.at(2).value<QList<int>>(), roles);
        }
        QCOMPARE(m_groups->index(0, 0).data(RosterGroupModel::OnlineCountRole).toInt(), 1);

        changed.clear();
        b.state.statusMessage = u"lunch"_s;  // no presence change: the counts stay, nothing said about groups
        m_contacts->updateContact(1, b);
        QCOMPARE(changed.size(), 2);
    }

    // The window's chain: RosterFilterModel over the tree keeps the groups in their order (the default group last) and
    // sorts the people by presence inside each; the counts are the group's, whatever the filter shows.
    void theProxySortsPeopleWithinTheirGroups()
    {
        RosterFilterModel proxy;
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.setSourceModel(m_groups.get());
        QVERIFY(!proxy.hasGroups());
        m_contacts->appendContacts({person(u"@d:x"_s, Presence::Online)});
        m_groups->setGroups(workAndFamily, {{u"@a:x"_s, {u"w"_s, u"f"_s}}, {u"@b:x"_s, {u"f"_s}}, {u"@d:x"_s, {u"w"_s}}});
        QVERIFY(proxy.hasGroups());
        QCOMPARE(shownGroups(proxy), (QStringList{u"Work 2/2: @a:x, @d:x"_s, u"Family 1/2: @a:x, @b:x"_s,
                                                  u"Contacts 1/1: @c:x"_s}));
        QCOMPARE(proxy.contactCount(), 5);

        Contact a = m_contacts->contactAt(0);
        a.state.presence = Presence::Unavailable;  // away: after the people online, in each of her groups
        m_contacts->updateContact(0, a);
        Contact b = m_contacts->contactAt(1);
        b.state.presence = Presence::Online;
        m_contacts->updateContact(1, b);
        QCOMPARE(shownGroups(proxy), (QStringList{u"Work 2/2: @d:x, @a:x"_s, u"Family 2/2: @b:x, @a:x"_s,
                                                  u"Contacts 1/1: @c:x"_s}));

        // Groups reordered (as RosterAccountData::read sorts them) and a new one: the view follows the tree.
        m_groups->setGroups({{u"n"_s, u"New"_s, 0.1}, {u"f"_s, u"Family"_s, 0.5}, {u"w"_s, u"Work"_s, 0.75}},
                            {{u"@a:x"_s, {u"w"_s}}});
        QCOMPARE(shownGroups(proxy), (QStringList{u"New 0/0: "_s, u"Family 0/0: "_s, u"Work 1/1: @a:x"_s,
                                                  u"Contacts 3/3: @b:x, @d:x, @c:x"_s}));
    }

    // Without a filter every named group shows, empty ones too (somewhere to put people); with one, only the groups
    // with someone shown. The default group shows only with someone in it.
    void aFilterShowsOnlyTheGroupsWithSomeoneShown()
    {
        RosterFilterModel proxy;
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.setSourceModel(m_groups.get());
        const QList<RosterAccountData::Group> groups{{u"w"_s, u"Work"_s, 0.25}, {u"f"_s, u"Family"_s, 0.5},
                                                     {u"e"_s, u"Empty"_s, 0.75}};
        m_groups->setGroups(groups, {{u"@a:x"_s, {u"w"_s}}, {u"@b:x"_s, {u"f"_s}}, {u"@c:x"_s, {u"w"_s}}});
        QCOMPARE(shownGroups(proxy), (QStringList{u"Work 2/2: @a:x, @c:x"_s, u"Family 0/1: @b:x"_s, u"Empty 0/0: "_s}));

        proxy.setHideOffline(true);
        QVERIFY(proxy.isFiltering());
        QCOMPARE(shownGroups(proxy), QStringList{u"Work 2/2: @a:x, @c:x"_s});
        Contact b = m_contacts->contactAt(1);
        b.state.presence = Presence::Online;  // comes online: Family shows again
        m_contacts->updateContact(1, b);
        QCOMPARE(shownGroups(proxy), (QStringList{u"Work 2/2: @a:x, @c:x"_s, u"Family 1/1: @b:x"_s}));
        proxy.setHideOffline(false);

        proxy.setFilterText(u"c:"_s);
        QCOMPARE(shownGroups(proxy), QStringList{u"Work 2/2: @c:x"_s});
        QCOMPARE(proxy.contactCount(), 1);
        proxy.setFilterText(u"nobody"_s);
        QCOMPARE(proxy.rowCount(), 0);
        proxy.setFilterText({});
        QCOMPARE(proxy.rowCount(), 3);
    }

    // Hidden people are no row and no count; with everyone hidden the named groups still show, and nobody is shown.
    void hiddenPeopleAreLeftOutOfTheGroupsAndTheirCounts()
    {
        RosterFilterModel proxy;
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.setSourceModel(m_groups.get());
        HiddenContacts hidden;
        m_groups->setHiddenContacts(&hidden);
        m_groups->setGroups(workAndFamily, {{u"@a:x"_s, {u"w"_s, u"f"_s}}, {u"@b:x"_s, {u"f"_s}}});
        hidden.setHidden({u"@a:x"_s});
        QCOMPARE(shownGroups(proxy), (QStringList{u"Work 0/0: "_s, u"Family 0/1: @b:x"_s, u"Contacts 1/1: @c:x"_s}));
        hidden.setHidden({u"@a:x"_s, u"@b:x"_s, u"@c:x"_s});
        QCOMPARE(shownGroups(proxy), (QStringList{u"Work 0/0: "_s, u"Family 0/0: "_s}));
        QCOMPARE(proxy.contactCount(), 0);
        hidden.setHidden({});
        QCOMPARE(proxy.contactCount(), 4);
    }

    // Folding is the model's (CollapsedRole, set through the proxy as a view does), kept per account in QSettings.
    void aFoldedGroupIsRememberedPerAccount()
    {
        RosterFilterModel proxy;
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.setSourceModel(m_groups.get());
        m_groups->setGroups(workAndFamily, {});
        auto collapsed = std::make_unique<CollapsedGroups>();
        collapsed->setUserId(u"@me:x"_s);
        m_groups->setCollapsedGroups(collapsed.get());
        const QModelIndex family = proxy.index(1, 0);
        QVERIFY(!family.data(RosterGroupModel::CollapsedRole).toBool());
        QSignalSpy changed(&proxy, &QAbstractItemModel::dataChanged);
        QVERIFY(proxy.setData(family, true, RosterGroupModel::CollapsedRole));
        QVERIFY(family.data(RosterGroupModel::CollapsedRole).toBool());
        QVERIFY(!changed.isEmpty());
        QVERIFY(changed.constLast().at(2).value<QList<int>>().contains(RosterGroupModel::CollapsedRole));
        QVERIFY(proxy.setData(proxy.index(2, 0), true, RosterGroupModel::CollapsedRole));  // the default group too
        QVERIFY(!proxy.setData(proxy.index(0, 0, proxy.index(2, 0)), true, RosterGroupModel::CollapsedRole));  // a person

        // Another start of the same account finds them folded; another account has its own.
        m_groups->setCollapsedGroups(nullptr);
        collapsed = std::make_unique<CollapsedGroups>();
        collapsed->setUserId(u"@me:x"_s);
        QVERIFY(collapsed->isCollapsed(u"f"_s));
        QVERIFY(collapsed->isCollapsed(QString()));
        QVERIFY(!collapsed->isCollapsed(u"w"_s));
        collapsed->setUserId(u"@other:x"_s);
        QVERIFY(!collapsed->isCollapsed(u"f"_s));
    }

    // Drag and drop through the proxy, as a view does it: a drop asks for the person's new groups (move: instead
    // of the group dragged from; copy: as well) and changes no row itself.
    void aDropAsksForThePersonsNewGroups()
    {
        RosterFilterModel proxy;
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.setSourceModel(m_groups.get());
        m_groups->setGroups(workAndFamily, {{u"@a:x"_s, {u"w"_s}}});
        QSignalSpy requested(m_groups.get(), &RosterGroupModel::groupsRequested);
        const QModelIndex work = proxy.index(0, 0);
        const QModelIndex family = proxy.index(1, 0);
        const QModelIndex contacts = proxy.index(2, 0);
        const QModelIndex aInWork = proxy.index(0, 0, work);
        QVERIFY(proxy.flags(aInWork) & Qt::ItemIsDragEnabled);
        QVERIFY(!(proxy.flags(work) & Qt::ItemIsDragEnabled));
        QCOMPARE(proxy.supportedDropActions(), Qt::MoveAction | Qt::CopyAction);
        std::unique_ptr<QMimeData> a(proxy.mimeData({aInWork}));
        QVERIFY(a && a->hasFormat(RosterGroupModel::membersMimeType));

        // Onto Family's header (on an item: row and column -1, as a view says it): moved.
        QVERIFY(proxy.canDropMimeData(a.get(), Qt::MoveAction, -1, -1, family));
        QVERIFY(proxy.dropMimeData(a.get(), Qt::MoveAction, -1, -1, family));
        QCOMPARE(requested.size(), 1);
        QCOMPARE(requested.at(0), (QList<QVariant>{u"@a:x"_s, QStringList{u"f"_s}}));
        QCOMPARE(shownUserIds(proxy).count(u"@a:x"_s), 1);  // no row moved before the account data says so

        // Onto someone in the default group with Ctrl (copy): nothing to copy into; a move there leaves Work.
        const QModelIndex b = proxy.index(0, 0, contacts);
        QVERIFY(!proxy.canDropMimeData(a.get(), Qt::CopyAction, -1, -1, b));
        QVERIFY(proxy.dropMimeData(a.get(), Qt::MoveAction, -1, -1, b));
        QCOMPARE(requested.at(1), (QList<QVariant>{u"@a:x"_s, QStringList{}}));

        // Between Family's people, copied: Work and Family. Back onto Work itself: nothing to ask.
        QVERIFY(proxy.dropMimeData(a.get(), Qt::CopyAction, 0, 0, family));
        QCOMPARE(requested.at(2), (QList<QVariant>{u"@a:x"_s, (QStringList{u"w"_s, u"f"_s})}));
        QVERIFY(proxy.dropMimeData(a.get(), Qt::MoveAction, -1, -1, work));
        QCOMPARE(requested.size(), 3);

        // What is not ours, or not a list of people, is refused or skipped.
        QMimeData text;
        text.setText(u"@a:x"_s);
        QVERIFY(!proxy.canDropMimeData(&text, Qt::MoveAction, -1, -1, family));
        QMimeData garbage;
        garbage.setData(RosterGroupModel::membersMimeType, "{not json");
        QVERIFY(proxy.dropMimeData(&garbage, Qt::MoveAction, -1, -1, family));
        QCOMPARE(requested.size(), 3);
        QVERIFY(!proxy.removeRows(0, 1, work));  // a view's follow-up to a move: the rows are the account data's
    }

private:
    std::unique_ptr<ContactListModel> m_contacts;
    std::unique_ptr<RosterGroupModel> m_groups;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

QTEST_GUILESS_MAIN(RosterGroupModelTest)
#include "tst_rostergroupmodel.moc"
