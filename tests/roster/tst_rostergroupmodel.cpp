// RosterGroupModel: the roster as groups of contacts (a person in several groups has a row in each; people in
// none are in the default group, last), under QAbstractItemModelTester, with counts on the group rows and a
// contact's changes passed on to each of their rows for the same roles.
#include "roster/ContactListModel.h"
#include "roster/RosterGroupModel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
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

// "Group: member, member" per group row, top to bottom.
QStringList tree(const QAbstractItemModel &model)
{
    QStringList lines;
    for (int g = 0; g < model.rowCount(); ++g) {
        const QModelIndex group = model.index(g, 0);
        QStringList members;
        for (int m = 0; m < model.rowCount(group); ++m)
            members << model.index(m, 0, group).data(ContactListModel::UserIdRole).toString();
        lines << group.data().toString() + u": "_s + members.join(u", "_s);
    }
    return lines;
}

const QList<RosterAccountData::Group> workAndFamily{{u"w"_s, u"Work"_s, 0.25}, {u"f"_s, u"Family"_s, 0.5}};
} // namespace

class RosterGroupModelTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
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
        QCOMPARE(tree(*m_groups), QStringList{u"Contacts: @a:x, @b:x, @c:x"_s});
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
        QCOMPARE(tree(*m_groups), (QStringList{u"Work: @a:x"_s, u"Family: @a:x, @b:x"_s, u"Contacts: @c:x"_s}));
        QCOMPARE(m_groups->index(1, 0).data(RosterGroupModel::OnlineCountRole).toInt(), 1);
        QCOMPARE(m_groups->index(1, 0).data(RosterGroupModel::TotalCountRole).toInt(), 2);
        const QModelIndex aInFamily = m_groups->index(0, 0, m_groups->index(1, 0));
        QCOMPARE(aInFamily.data(RosterGroupModel::GroupIdRole).toString(), u"f"_s);
        QVERIFY(!aInFamily.data(RosterGroupModel::IsGroupRole).toBool());
        QCOMPARE(aInFamily.parent(), m_groups->index(1, 0));

        // Contacts come and go: the tree follows.
        m_contacts->appendContacts({person(u"@d:x"_s, Presence::Online)});
        m_contacts->removeContact(u"@a:x"_s);
        QCOMPARE(tree(*m_groups), (QStringList{u"Work: "_s, u"Family: @b:x"_s, u"Contacts: @c:x, @d:x"_s}));
        m_contacts->clear();
        QCOMPARE(tree(*m_groups), (QStringList{u"Work: "_s, u"Family: "_s, u"Contacts: "_s}));
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

private:
    std::unique_ptr<ContactListModel> m_contacts;
    std::unique_ptr<RosterGroupModel> m_groups;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

QTEST_GUILESS_MAIN(RosterGroupModelTest)
#include "tst_rostergroupmodel.moc"
