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

#include <utility>

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

// The proxy the window puts over the tree, under a tester of its own.
struct WindowChain {
    explicit WindowChain(RosterGroupModel *groups) { proxy.setSourceModel(groups); }
    RosterFilterModel proxy;
    QAbstractItemModelTester tester{&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest};
};

// What a model says about its rows changing, in order: "+Work 1..2" (rows inserted under Work), "-Contacts 0..0"
// (removed), "reset". A view keeps its scroll position, selection and current row through the first two only.
class RowChanges {
public:
    explicit RowChanges(const QAbstractItemModel *model)
    {
        const auto under = [](const QModelIndex &parent) { return parent.data().toString(); };
        QObject::connect(model, &QAbstractItemModel::rowsInserted, &m_context,
                         [this, under](const QModelIndex &parent, int first, int last) {
                             m_changes << u"+%1 %2..%3"_s.arg(under(parent)).arg(first).arg(last);
                         });
        QObject::connect(model, &QAbstractItemModel::rowsAboutToBeRemoved, &m_context,
                         [this, under](const QModelIndex &parent, int first, int last) {
                             m_changes << u"-%1 %2..%3"_s.arg(under(parent)).arg(first).arg(last);
                         });
        QObject::connect(model, &QAbstractItemModel::modelAboutToBeReset, &m_context,
                         [this] { m_changes << u"reset"_s; });
    }
    // What was said since the last call.
    QStringList take() { return std::exchange(m_changes, {}); }

private:
    QObject m_context;
    QStringList m_changes;
};
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
        WindowChain window(m_groups.get());
        RosterFilterModel &proxy = window.proxy;
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
        WindowChain window(m_groups.get());
        RosterFilterModel &proxy = window.proxy;
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
        WindowChain window(m_groups.get());
        RosterFilterModel &proxy = window.proxy;
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
        WindowChain window(m_groups.get());
        RosterFilterModel &proxy = window.proxy;
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
        WindowChain window(m_groups.get());
        RosterFilterModel &proxy = window.proxy;
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

    // A new contact (an invitation accepted, a first sync's next chunk) is inserted into each of their groups, at
    // the end (ContactListModel only appends); the rows already there keep their indexes.
    void aNewContactIsInsertedIntoTheirGroups()
    {
        WindowChain window(m_groups.get());
        RosterFilterModel &proxy = window.proxy;
        const QHash<QString, QStringList> membership{{u"@a:x"_s, {u"w"_s}}, {u"@d:x"_s, {u"w"_s, u"f"_s}}};
        m_groups->setGroups(workAndFamily, membership);
        const QPersistentModelIndex aInWork = m_groups->index(0, 0, m_groups->index(0, 0));
        const QPersistentModelIndex cShown = shownContact(proxy, u"@c:x"_s);
        QSignalSpy counts(m_groups.get(), &QAbstractItemModel::dataChanged);
        RowChanges tree(m_groups.get());
        RowChanges shown(&proxy);

        m_contacts->appendContacts({person(u"@d:x"_s, Presence::Online), person(u"@e:x"_s, Presence::Offline)});
        QCOMPARE(tree.take(), (QStringList{u"+Work 1..1"_s, u"+Family 0..0"_s, u"+Contacts 2..2"_s}));
        QVERIFY(!shown.take().contains(u"reset"_s));
        QCOMPARE(shownGroups(*m_groups), (QStringList{u"Work 2/2: @a:x, @d:x"_s, u"Family 1/1: @d:x"_s,
                                                      u"Contacts 1/3: @b:x, @c:x, @e:x"_s}));
        QCOMPARE(shownGroups(*m_groups), rebuilt(workAndFamily, membership));
        QCOMPARE(counts.size(), 3);  // each group's header, for its counts
        for (const QList<QVariant> &signal : std::as_const(counts)) {
            QVERIFY(signal.at(0).toModelIndex().data(RosterGroupModel::IsGroupRole).toBool());
            QCOMPARE(signal.at(2).value<QList<int>>(),
                     (QList<int>{RosterGroupModel::OnlineCountRole, RosterGroupModel::TotalCountRole}));
        }
        QCOMPARE(aInWork.data(ContactListModel::UserIdRole).toString(), u"@a:x"_s);
        QCOMPARE(cShown.data(ContactListModel::UserIdRole).toString(), u"@c:x"_s);
    }

    // The default group is shown only with someone in it: its first member brings its header into the window, and
    // its last one leaving takes it away, without a reset.
    void theDefaultGroupComesAndGoesWithItsMembers()
    {
        WindowChain window(m_groups.get());
        RosterFilterModel &proxy = window.proxy;
        QHash<QString, QStringList> membership{{u"@a:x"_s, {u"w"_s}}, {u"@b:x"_s, {u"w"_s}}, {u"@c:x"_s, {u"f"_s}}};
        m_groups->setGroups(workAndFamily, membership);
        QCOMPARE(shownGroups(proxy), (QStringList{u"Work 1/2: @a:x, @b:x"_s, u"Family 1/1: @c:x"_s}));
        RowChanges shown(&proxy);

        m_contacts->appendContacts({person(u"@d:x"_s, Presence::Online)});
        QCOMPARE(shownGroups(proxy), (QStringList{u"Work 1/2: @a:x, @b:x"_s, u"Family 1/1: @c:x"_s,
                                                  u"Contacts 1/1: @d:x"_s}));
        QCOMPARE(shown.take(), QStringList{u"+ 2..2"_s});  // the header, with its member under it

        membership.insert(u"@d:x"_s, {u"f"_s});  // into Family, online: before @c:x (busy) there
        m_groups->setGroups(workAndFamily, membership);
        QCOMPARE(shownGroups(proxy), (QStringList{u"Work 1/2: @a:x, @b:x"_s, u"Family 2/2: @d:x, @c:x"_s}));
        QVERIFY(!shown.take().contains(u"reset"_s));
    }

    // Someone leaving (or the whole list cleared at sign-out) takes only their rows; the people after them keep
    // theirs, and their data, as the rows under them are renumbered.
    void aContactLeavingTakesOnlyTheirRows()
    {
        WindowChain window(m_groups.get());
        RosterFilterModel &proxy = window.proxy;
        const QHash<QString, QStringList> membership{{u"@a:x"_s, {u"w"_s, u"f"_s}}, {u"@c:x"_s, {u"f"_s}}};
        m_groups->setGroups(workAndFamily, membership);
        const QPersistentModelIndex cInFamily = m_groups->index(1, 0, m_groups->index(1, 0));
        QCOMPARE(cInFamily.data(ContactListModel::UserIdRole).toString(), u"@c:x"_s);
        RowChanges tree(m_groups.get());
        RowChanges shown(&proxy);

        m_contacts->removeContact(u"@a:x"_s);
        QCOMPARE(tree.take(), (QStringList{u"-Work 0..0"_s, u"-Family 0..0"_s}));
        QVERIFY(!shown.take().contains(u"reset"_s));
        QCOMPARE(shownGroups(*m_groups), rebuilt(workAndFamily, membership));
        QCOMPARE(cInFamily.row(), 0);
        QCOMPARE(cInFamily.data(ContactListModel::UserIdRole).toString(), u"@c:x"_s);
        QCOMPARE(m_groups->contactRow(cInFamily), 1);

        // The renumbered rows are still the right people for what follows.
        Contact c = m_contacts->contactAt(1);
        c.state.presence = Presence::Offline;
        m_contacts->updateContact(1, c);
        QCOMPARE(shownGroups(*m_groups),
                 (QStringList{u"Work 0/0: "_s, u"Family 0/1: @c:x"_s, u"Contacts 0/1: @b:x"_s}));
        m_contacts->appendContacts({person(u"@a:x"_s, Presence::Online)});  // back, now after @c:x
        QCOMPARE(tree.take(), (QStringList{u"+Work 0..0"_s, u"+Family 1..1"_s}));
        QCOMPARE(shownGroups(*m_groups), rebuilt(workAndFamily, membership));

        m_contacts->clear();
        QCOMPARE(tree.take(), (QStringList{u"-Work 0..0"_s, u"-Family 0..1"_s, u"-Contacts 0..0"_s}));
        QVERIFY(!shown.take().contains(u"reset"_s));
        QVERIFY(!cInFamily.isValid());
    }

    // A move or copy (by menu, drag, or the same change synced from another device) takes the person out of the
    // group they left and puts them in the one they joined, at their place there; nobody else's row moves. A
    // rename changes the header only. Only a new, removed or reordered group rebuilds the tree.
    void aMoveChangesOnlyThatPersonsRows()
    {
        WindowChain window(m_groups.get());
        RosterFilterModel &proxy = window.proxy;
        m_groups->setGroups(workAndFamily, {{u"@a:x"_s, {u"w"_s}}, {u"@c:x"_s, {u"f"_s}}});
        const QPersistentModelIndex cInFamily = m_groups->index(0, 0, m_groups->index(1, 0));
        const QPersistentModelIndex cShown = shownContact(proxy, u"@c:x"_s);
        RowChanges tree(m_groups.get());
        RowChanges shown(&proxy);

        QHash<QString, QStringList> membership{{u"@a:x"_s, {u"f"_s}}, {u"@c:x"_s, {u"f"_s}}};
        m_groups->setGroups(workAndFamily, membership);  // @a:x to Family: before @c:x, as in the contact list
        QCOMPARE(tree.take(), (QStringList{u"-Work 0..0"_s, u"+Family 0..0"_s}));
        QVERIFY(!shown.take().contains(u"reset"_s));
        QCOMPARE(shownGroups(*m_groups),
                 (QStringList{u"Work 0/0: "_s, u"Family 2/2: @a:x, @c:x"_s, u"Contacts 0/1: @b:x"_s}));
        QCOMPARE(cInFamily.row(), 1);
        QCOMPARE(cInFamily.data(ContactListModel::UserIdRole).toString(), u"@c:x"_s);
        QCOMPARE(cShown.data(ContactListModel::UserIdRole).toString(), u"@c:x"_s);

        membership = {{u"@a:x"_s, {u"f"_s}}, {u"@b:x"_s, {u"w"_s, u"f"_s}}, {u"@c:x"_s, {u"f"_s}}};
        m_groups->setGroups(workAndFamily, membership);  // @b:x out of the default group into both
        QCOMPARE(tree.take(), (QStringList{u"+Work 0..0"_s, u"+Family 1..1"_s, u"-Contacts 0..0"_s}));
        QCOMPARE(shownGroups(*m_groups), rebuilt(workAndFamily, membership));

        QSignalSpy changed(m_groups.get(), &QAbstractItemModel::dataChanged);
        const QList<RosterAccountData::Group> renamed{{u"w"_s, u"Office"_s, 0.25}, {u"f"_s, u"Family"_s, 0.5}};
        m_groups->setGroups(renamed, membership);
        QCOMPARE(tree.take(), QStringList());
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.at(0).at(0).toModelIndex(), m_groups->index(0, 0));
        QCOMPARE(changed.at(0).at(2).value<QList<int>>(), QList<int>{Qt::DisplayRole});
        QCOMPARE(m_groups->index(0, 0).data().toString(), u"Office"_s);

        m_groups->setGroups(renamed + QList<RosterAccountData::Group>{{u"n"_s, u"New"_s, 0.75}}, membership);
        QCOMPARE(tree.take(), QStringList{u"reset"_s});
        QCOMPARE(m_groups->rowCount(), 4);
    }

    // Hiding someone takes their rows out of each of their groups; showing them again puts them back.
    void hidingSomeoneChangesOnlyTheirRows()
    {
        WindowChain window(m_groups.get());
        RosterFilterModel &proxy = window.proxy;
        HiddenContacts hidden;
        m_groups->setHiddenContacts(&hidden);
        const QHash<QString, QStringList> membership{{u"@b:x"_s, {u"w"_s, u"f"_s}}};
        m_groups->setGroups(workAndFamily, membership);
        const QPersistentModelIndex c = m_groups->index(1, 0, m_groups->index(2, 0));
        QCOMPARE(c.data(ContactListModel::UserIdRole).toString(), u"@c:x"_s);
        RowChanges tree(m_groups.get());
        RowChanges shown(&proxy);

        hidden.setHidden({u"@b:x"_s, u"@a:x"_s});
        QCOMPARE(tree.take(), (QStringList{u"-Work 0..0"_s, u"-Family 0..0"_s, u"-Contacts 0..0"_s}));
        QVERIFY(!shown.take().contains(u"reset"_s));
        QCOMPARE(c.row(), 0);
        QCOMPARE(shownGroups(*m_groups), rebuilt(workAndFamily, membership, &hidden));
        hidden.setHidden({});
        QCOMPARE(tree.take(), (QStringList{u"+Work 0..0"_s, u"+Family 0..0"_s, u"+Contacts 0..0"_s}));
        QCOMPARE(c.data(ContactListModel::UserIdRole).toString(), u"@c:x"_s);
        QCOMPARE(shownGroups(*m_groups), rebuilt(workAndFamily, membership, &hidden));
    }

private:
    // The groups a tree built from scratch shows for the same contacts: what the narrow changes must arrive at.
    QStringList rebuilt(const QList<RosterAccountData::Group> &groups, const QHash<QString, QStringList> &membership,
                        const HiddenContacts *hidden = nullptr) const
    {
        RosterGroupModel fresh(m_contacts.get());
        fresh.setHiddenContacts(hidden);
        fresh.setGroups(groups, membership);
        return shownGroups(fresh);
    }

    std::unique_ptr<ContactListModel> m_contacts;
    std::unique_ptr<RosterGroupModel> m_groups;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

QTEST_GUILESS_MAIN(RosterGroupModelTest)
#include "tst_rostergroupmodel.moc"
