// Roster and its models, driven with SyncBatch values as the parser produces them.
#include "roster/ContactListModel.h"
#include "roster/Roster.h"
#include "roster/Nicknames.h"
#include "roster/RosterFilterModel.h"
#include "roster/RosterGroupModel.h"
#include "RosterRows.h"
#include "SyncBatchBuilders.h"

#include <QAbstractItemModelTester>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStringListModel>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace SyncBatchBuilders;

namespace {

const QString me = u"@me:example.org"_s;

QStringList userIds(const QAbstractItemModel &model)
{
    QStringList ids;
    for (int row = 0; row < model.rowCount(); ++row)
        ids << model.index(row, 0).data(ContactListModel::UserIdRole).toString();
    return ids;
}

// `update` with the summary's invited count and heroes.
RoomUpdate summarised(RoomUpdate update, std::optional<int> invited, std::optional<QStringList> heroes)
{
    update.invitedMemberCount = invited;
    update.heroes = std::move(heroes);
    return update;
}

} // namespace

Q_DECLARE_METATYPE(RoomUpdate)

class RosterTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        m_model = std::make_unique<ContactListModel>();
        m_modelTester = std::make_unique<QAbstractItemModelTester>(m_model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        // The window's chain: the contacts as a tree of groups (here only the default group), sorted and filtered.
        m_groups = std::make_unique<RosterGroupModel>(m_model.get());
        m_proxy = std::make_unique<RosterFilterModel>();
        m_proxy->setSourceModel(m_groups.get());
        m_proxyTester = std::make_unique<QAbstractItemModelTester>(m_proxy.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        m_roster = std::make_unique<Roster>(m_model.get());
        m_roster->setOwnUserId(me);
    }

    void cleanup()
    {
        m_roster.reset();
        m_proxyTester.reset();
        m_proxy.reset();
        m_groups.reset();
        m_modelTester.reset();
        m_model.reset();
    }

    void smallRoomMembersAreContactsOnceEach()
    {
        QSignalSpy membersNeeded(m_roster.get(), &Roster::membersNeeded);
        m_roster->applyBatch(batch(u"s1"_s, {
            room(u"!a:x"_s, 3, {member(me), member(u"@bob:x"_s, Membership::Join, u"Bob"_s), member(u"@carol:x"_s)}),
            room(u"!b:x"_s, 2, {member(me), member(u"@bob:x"_s, Membership::Join, u"Bob"_s)}),
        }));
        QCOMPARE(m_model->rowCount(), 2);
        QVERIFY(m_model->rowOf(u"@bob:x"_s) >= 0);
        QVERIFY(m_model->rowOf(u"@carol:x"_s) >= 0);
        QCOMPARE(m_model->rowOf(me), -1);  // your own row is the header's, not the roster's
        // The sync carried every joined member of !a: its list is complete, there is nothing to fetch.
        QCOMPARE(membersNeeded.count(), 0);
    }

    void largeRoomMembersAreNotContactsButDirectChatsAre()
    {
        SyncBatch first = batch(u"s1"_s, {
            room(u"!big:x"_s, 500, {member(me), member(u"@stranger:x"_s), member(u"@dm:x"_s)}),
            room(u"!dm:x"_s, 900, {member(me), member(u"@dm:x"_s)}),  // absurd size, but m.direct says direct
        });
        first.directChats = QHash<QString, QStringList>{{u"@dm:x"_s, {u"!dm:x"_s}}};
        QSignalSpy membersNeeded(m_roster.get(), &Roster::membersNeeded);
        m_roster->applyBatch(first);
        QCOMPARE(userIds(*m_model), QStringList{u"@dm:x"_s});
        // The direct room's list is incomplete (2 of 900 known): its members are fetched; the big room's are not.
        QCOMPARE(membersNeeded.count(), 1);
        QCOMPARE(membersNeeded.at(0).at(0).toString(), u"!dm:x"_s);
    }

    // Your invitation to a direct chat: the invitee is listed once, as invited, by the name their invite carries;
    // once they join the same row becomes a full contact. A member list keeps them invited: the summary counts them,
    // so MemberFetcher's list names them as invited beside the joined members.
    void anInviteeIsListedOnceAsInvitedUntilTheyJoin()
    {
        SyncBatch first = batch(u"s1"_s, {room(u"!dm:x"_s, 1, {member(me), member(u"@bob:x"_s, Membership::Invite, u"Bob"_s)})});
        first.joinedRooms[0].invitedMemberCount = 1;
        first.directChats = QHash<QString, QStringList>{{u"@bob:x"_s, {u"!dm:x"_s}}};
        m_roster->applyBatch(first);
        QTRY_COMPARE(m_model->rowCount(), 1);
        QVERIFY(m_model->contactAt(0).invited);
        QCOMPARE(m_model->contactAt(0).displayName, u"Bob"_s);
        QCOMPARE(m_roster->directRoomsWith(u"@bob:x"_s), QStringList{u"!dm:x"_s});
        QVERIFY(m_roster->hasInvitees(u"!dm:x"_s));
        m_roster->applyJoinedMembers(u"!dm:x"_s, {member(me), member(u"@bob:x"_s, Membership::Invite, u"Bob"_s)});
        QTRY_VERIFY(!m_roster->isApplying());
        QCOMPARE(m_model->rowCount(), 1);
        QVERIFY(m_model->contactAt(0).invited);

        QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
        m_roster->applyBatch(batch(u"s2"_s, {room(u"!dm:x"_s, 2, {member(u"@bob:x"_s, Membership::Join, u"Bob"_s)})}));
        QTRY_VERIFY(!m_model->contactAt(0).invited);
        QCOMPARE(m_model->rowCount(), 1);
        QVERIFY(std::any_of(changed.cbegin(), changed.cend(), [](const QList<QVariant> &arguments) {
            return arguments.at(2).value<QList<int>>().contains(ContactListModel::InvitedRole);
        }));
    }

    void limitSettingDecidesWhichRoomsCount()
    {
        m_roster->applyBatch(batch(u"s1"_s, {room(u"!r:x"_s, 3, {member(me), member(u"@a:x"_s), member(u"@b:x"_s)})}));
        QCOMPARE(m_model->rowCount(), 2);
        m_roster->setSmallRoomLimit(2);
        QTRY_COMPARE(m_model->rowCount(), 0);
        m_roster->setSmallRoomLimit(3);
        QTRY_COMPARE(m_model->rowCount(), 2);
    }

    void leavingTheLastSharedRoomLeavesTheRoster()
    {
        m_roster->applyBatch(batch(u"s1"_s, {
            room(u"!a:x"_s, 2, {member(me), member(u"@bob:x"_s)}),
            room(u"!b:x"_s, 2, {member(me), member(u"@bob:x"_s)}),
        }));
        QCOMPARE(m_model->rowCount(), 1);
        m_roster->applyBatch(batch(u"s2"_s, {room(u"!a:x"_s, 1, {member(u"@bob:x"_s, Membership::Leave)})}));
        QCOMPARE(m_model->rowCount(), 1);  // still shares !b
        m_roster->applyBatch(batch(u"s3"_s, {room(u"!b:x"_s, 1, {member(u"@bob:x"_s, Membership::Ban)})}));
        QCOMPARE(m_model->rowCount(), 0);
    }

    void leftRoomsDropTheirMembers()
    {
        m_roster->applyBatch(batch(u"s1"_s, {room(u"!a:x"_s, 2, {member(me), member(u"@bob:x"_s)})}));
        SyncBatch left = batch(u"s2"_s);
        left.leftRoomIds = {u"!a:x"_s};
        m_roster->applyBatch(left);
        QCOMPARE(m_model->rowCount(), 0);
    }

    // The sync filter lists contacts only; presence of anyone else (a filter not yet updated) is not kept, and a
    // person who becomes a contact is asked for once.
    void strangersPresenceIsNotKeptAndNewContactsAskForTheirs()
    {
        QSignalSpy presenceNeeded(m_roster.get(), &Roster::presenceNeeded);
        m_roster->applyBatch(batch(u"s1"_s, {}, {presence(u"@carol:x"_s, Presence::Unavailable, u"brb"_s, 60'000)}));
        QCOMPARE(m_model->rowCount(), 0);
        m_roster->applyBatch(batch(u"s2"_s, {room(u"!a:x"_s, 2, {member(me), member(u"@carol:x"_s)})}));
        const int row = m_model->rowOf(u"@carol:x"_s);
        QVERIFY(row >= 0);
        QCOMPARE(m_model->contactAt(row).state.statusMessage, QString());
        QCOMPARE(presenceNeeded.count(), 1);
        QCOMPARE(presenceNeeded.at(0).at(0).toString(), u"@carol:x"_s);

        m_roster->applyFetchedPresence(u"@carol:x"_s, {u"offline"_s, u"gone fishing"_s, 60'000, false}, 1'700'000'000'000);
        const Contact &carol = m_model->contactAt(m_model->rowOf(u"@carol:x"_s));
        QCOMPARE(carol.state.presence, Presence::Offline);
        QCOMPARE(carol.state.statusMessage, u"gone fishing"_s);
        QCOMPARE(carol.state.lastActiveAtMs, 1'700'000'000'000 - 60'000);
    }

    void aFetchedAnswerNeverOverwritesPresenceFromTheSync()
    {
        QSignalSpy presenceNeeded(m_roster.get(), &Roster::presenceNeeded);
        m_roster->applyBatch(batch(u"s1"_s, {room(u"!a:x"_s, 2, {member(me), member(u"@bob:x"_s)})}));
        QCOMPARE(presenceNeeded.count(), 1);
        // Bob changed after the request went out: the sync brought it before the (older) answer.
        m_roster->applyBatch(batch(u"s2"_s, {}, {presence(u"@bob:x"_s, Presence::Online, u"back"_s)}));
        m_roster->applyFetchedPresence(u"@bob:x"_s, {u"unavailable"_s, u"lunch"_s, 1'000, false}, 1'700'000'000'000);
        const Contact &bob = m_model->contactAt(m_model->rowOf(u"@bob:x"_s));
        QCOMPARE(bob.state.presence, Presence::Online);
        QCOMPARE(bob.state.statusMessage, u"back"_s);
        // An answer about someone who is no contact (left meanwhile) is dropped.
        m_roster->applyFetchedPresence(u"@stranger:x"_s, {u"online"_s, {}, {}, true}, 1'700'000'000'000);
        QCOMPARE(m_model->rowCount(), 1);
    }

    void theContactSetIsReportedOncePerBatchThatChangesIt()
    {
        QSignalSpy contactsChanged(m_roster.get(), &Roster::contactsChanged);
        QSignalSpy presenceNeeded(m_roster.get(), &Roster::presenceNeeded);
        m_roster->applyBatch(batch(u"s1"_s, {room(u"!a:x"_s, 3, {member(me), member(u"@bob:x"_s), member(u"@carol:x"_s)})}));
        QCOMPARE(contactsChanged.count(), 1);
        QStringList contacts = contactsChanged.at(0).at(0).toStringList();
        contacts.sort();
        QCOMPARE(contacts, (QStringList{u"@bob:x"_s, u"@carol:x"_s}));

        m_roster->applyBatch(batch(u"s2"_s, {}, {presence(u"@bob:x"_s, Presence::Online)}));
        QCOMPARE(contactsChanged.count(), 1);  // presence alone changes no contact

        m_roster->applyBatch(batch(u"s3"_s, {room(u"!a:x"_s, 2, {member(u"@bob:x"_s, Membership::Leave)})}));
        QCOMPARE(contactsChanged.count(), 2);
        QCOMPARE(contactsChanged.at(1).at(0).toStringList(), QStringList{u"@carol:x"_s});

        // Bob's presence went with him: back as a contact, he is asked for again instead of showing a stale state.
        presenceNeeded.clear();
        m_roster->applyBatch(batch(u"s4"_s, {room(u"!a:x"_s, 3, {member(u"@bob:x"_s)})}));
        QCOMPARE(contactsChanged.count(), 3);
        QCOMPARE(presenceNeeded.count(), 1);
        QCOMPARE(presenceNeeded.at(0).at(0).toString(), u"@bob:x"_s);
    }

    void presenceUpdatesSignalExactlyTheChangedRoles()
    {
        // Ten contacts, so that one changed row stays below the share that switches to a whole-range signal.
        QList<MemberChange> members{member(me), member(u"@bob:x"_s)};
        for (int i = 0; i < 9; ++i)
            members << member(u"@other%1:x"_s.arg(i));
        m_roster->applyBatch(batch(u"s1"_s, {room(u"!a:x"_s, 11, members)}, {presence(u"@bob:x"_s, Presence::Online, {}, 0, true)}));
        QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
        SyncBatch statusOnly = batch(u"s2"_s, {}, {presence(u"@bob:x"_s, Presence::Online, u"Coding"_s, 0, true)});
        m_roster->applyBatch(statusOnly);
        QCOMPARE(changed.count(), 1);
        const QModelIndex bob = m_model->index(m_model->rowOf(u"@bob:x"_s));
        QCOMPARE(changed.at(0).at(0).toModelIndex(), bob);
        QCOMPARE(changed.at(0).at(1).toModelIndex(), bob);
        QCOMPARE(changed.at(0).at(2).value<QList<int>>(), (QList<int>{ContactListModel::StatusMessageRole}));

        changed.clear();
        m_roster->applyBatch(batch(u"s3"_s, {}, {presence(u"@bob:x"_s, Presence::Unavailable, u"Coding"_s, 5'000, false)}));
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.at(0).at(2).value<QList<int>>(),
                 (QList<int>{ContactListModel::PresenceRole, ContactListModel::RawPresenceRole,
                             ContactListModel::LastActiveAtRole, ContactListModel::CurrentlyActiveRole,
                             ContactListModel::OrderRole}));

        changed.clear();
        m_roster->applyBatch(batch(u"s4"_s, {}, {presence(u"@bob:x"_s, Presence::Unavailable, u"Coding"_s, 5'000, false)}));
        QCOMPARE(changed.count(), 0);  // nothing new: no signal
    }

    void largeBatchesUseOneRangeSignal()
    {
        QList<MemberChange> members{member(me)};
        QList<PresenceEvent> online;
        for (int i = 0; i < 20; ++i) {
            members << member(u"@u%1:x"_s.arg(i));
            online << presence(u"@u%1:x"_s.arg(i), Presence::Online);
        }
        m_roster->applyBatch(batch(u"s1"_s, {room(u"!a:x"_s, 21, members)}));
        QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
        m_roster->applyBatch(batch(u"s2"_s, {}, online));  // 20 of 20 rows: above the 15% share
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.at(0).at(0).toModelIndex().row(), 0);
        QCOMPARE(changed.at(0).at(1).toModelIndex().row(), 19);

        changed.clear();
        m_roster->applyBatch(batch(u"s3"_s, {}, {presence(u"@u3:x"_s, Presence::Unavailable)}));  // 1 of 20: per row
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.at(0).at(0).toModelIndex().row(), m_model->rowOf(u"@u3:x"_s));
    }

    void profileChangesArriveAsJoinEventsOrInPresence()
    {
        QSignalSpy profileNeeded(m_roster.get(), &Roster::profileNeeded);
        m_roster->applyBatch(batch(u"s1"_s, {room(u"!a:x"_s, 2, {member(me), member(u"@bob:x"_s, Membership::Join, u"Bob"_s)})}));
        const int row = m_model->rowOf(u"@bob:x"_s);
        QCOMPARE(m_model->contactAt(row).displayName, u"Bob"_s);
        QCOMPARE(profileNeeded.count(), 0);  // one room, one name: nothing in doubt

        // A changed member event may be a per-room nickname: the row waits for the global profile.
        m_roster->applyBatch(batch(u"s2"_s, {room(u"!a:x"_s, std::nullopt,
            {member(u"@bob:x"_s, Membership::Join, u"Robert"_s, u"mxc://x/avatar1"_s)})}));
        QCOMPARE(profileNeeded.count(), 1);
        QCOMPARE(profileNeeded.at(0).at(0).toString(), u"@bob:x"_s);
        QCOMPARE(m_model->contactAt(row).displayName, u"Bob"_s);
        QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
        m_roster->applyGlobalProfile(u"@bob:x"_s, {u"Robert"_s, u"mxc://x/avatar1"_s});
        QCOMPARE(changed.count(), 1);
        QCOMPARE(m_model->contactAt(row).displayName, u"Robert"_s);
        QCOMPARE(m_model->contactAt(row).avatarUrl, u"mxc://x/avatar1"_s);

        PresenceEvent withProfile = presence(u"@bob:x"_s, Presence::Online);
        withProfile.displayName = u"Bobby"_s;  // as older servers sent it; avatar_url absent: unchanged
        m_roster->applyBatch(batch(u"s3"_s, {}, {withProfile}));
        QCOMPARE(m_model->contactAt(row).displayName, u"Bobby"_s);
        QCOMPARE(m_model->contactAt(row).avatarUrl, u"mxc://x/avatar1"_s);
        QCOMPARE(m_model->index(row).data(Qt::DisplayRole).toString(), u"Bobby"_s);
    }

    // The sync filter brings one member event per room and batch: a batch with more comes back `limited`, and the
    // names it skipped come with the member list asked for then. The list replaces what the room held, except a
    // name that a later batch brought while the list was on its way.
    void aMemberListAfterALimitedTimelineBringsTheNamesItSkipped()
    {
        const QString room = u"!team:x"_s;
        const QString bob = u"@bob:x"_s;
        const QString carol = u"@carol:x"_s;
        m_roster->applyBatch(batch(u"s1"_s, {SyncBatchBuilders::room(room, 3, {member(me), member(bob, Membership::Join, u"Bob"_s),
                                                                              member(carol, Membership::Join, u"Carol"_s)})}));
        QSignalSpy membersNeeded(m_roster.get(), &Roster::membersNeeded);
        QSignalSpy profileNeeded(m_roster.get(), &Roster::profileNeeded);
        // Bob became Robert, then Carol Caroline: only her event is in the batch.
        m_roster->applyBatch(batch(u"s2"_s, {SyncBatchBuilders::room(room, 3, {member(carol, Membership::Join, u"Caroline"_s)}, true)}));
        QCOMPARE(membersNeeded.count(), 1);
        // Carol again, while the list is on its way.
        m_roster->applyBatch(batch(u"s3"_s, {SyncBatchBuilders::room(room, std::nullopt, {member(carol, Membership::Join, u"Carrie"_s)})}));
        m_roster->applyJoinedMembers(room, {member(me), member(bob, Membership::Join, u"Robert"_s),
                                            member(carol, Membership::Join, u"Caroline"_s)});
        QVERIFY2(profileNeeded.contains(QVariantList{bob}), "Bob's new name in the room puts his profile in doubt");
        m_roster->applyGlobalProfile(bob, {u"Robert"_s, {}});
        m_roster->applyGlobalProfile(carol, {u"Carrie"_s, {}});
        QCOMPARE(m_model->contactAt(m_model->rowOf(bob)).displayName, u"Robert"_s);
        QCOMPARE(m_model->contactAt(m_model->rowOf(bob)).otherNames, QStringList{});
        QCOMPARE(m_model->contactAt(m_model->rowOf(carol)).displayName, u"Carrie"_s);
        QCOMPARE(m_model->contactAt(m_model->rowOf(carol)).otherNames, QStringList{});  // the list did not bring back "Caroline"
    }

    void aNameSetInOneRoomDoesNotRenameThePerson()
    {
        QSignalSpy profileNeeded(m_roster.get(), &Roster::profileNeeded);
        const QString bob = u"@bob:x"_s;
        m_roster->applyBatch(batch(u"s1"_s, {room(u"!a:x"_s, 2, {member(me), member(bob, Membership::Join, u"Bob"_s)}),
                                             room(u"!b:x"_s, 2, {member(me), member(bob, Membership::Join, u"Bob"_s)})}));
        QCOMPARE(profileNeeded.count(), 0);

        // Bob takes a nickname in one room only.
        m_roster->applyBatch(batch(u"s2"_s, {room(u"!b:x"_s, std::nullopt, {member(bob, Membership::Join, u"Captain"_s)})}));
        QCOMPARE(profileNeeded.count(), 1);
        const int row = m_model->rowOf(bob);
        QCOMPARE(m_model->contactAt(row).displayName, u"Bob"_s);
        // He changes it again while the question is out: that answer may predate the change, so it is asked again.
        m_roster->applyBatch(batch(u"s2b"_s, {room(u"!b:x"_s, std::nullopt, {member(bob, Membership::Join, u"Cap"_s)})}));
        QCOMPARE(profileNeeded.count(), 1);
        m_roster->applyGlobalProfile(bob, {u"Bob"_s, {}});
        QCOMPARE(profileNeeded.count(), 2);
        m_roster->applyGlobalProfile(bob, {u"Bob"_s, {}});
        QCOMPARE(profileNeeded.count(), 2);
        QCOMPARE(m_model->contactAt(row).displayName, u"Bob"_s);
        QCOMPARE(m_model->index(row).data(ContactListModel::OtherNamesRole).toStringList(), QStringList{u"Cap"_s});

        // A global change reaches both rooms, in two syncs: one question for the burst (its answer, which every
        // room then holds, settles it), and the name follows the answer.
        m_roster->applyBatch(batch(u"s3"_s, {room(u"!a:x"_s, std::nullopt, {member(bob, Membership::Join, u"Robert"_s)})}));
        m_roster->applyBatch(batch(u"s4"_s, {room(u"!b:x"_s, std::nullopt, {member(bob, Membership::Join, u"Robert"_s)})}));
        QCOMPARE(profileNeeded.count(), 3);
        QCOMPARE(m_model->contactAt(row).displayName, u"Bob"_s);
        m_roster->applyGlobalProfile(bob, {u"Robert"_s, {}});
        QCOMPARE(profileNeeded.count(), 3);
        QCOMPARE(m_model->contactAt(row).displayName, u"Robert"_s);
        QVERIFY(m_model->contactAt(row).otherNames.isEmpty());

        // The server will not say: what the rooms agree on stands.
        m_roster->applyBatch(batch(u"s5"_s, {room(u"!a:x"_s, std::nullopt, {member(bob, Membership::Join, u"Rob"_s)}),
                                             room(u"!b:x"_s, std::nullopt, {member(bob, Membership::Join, u"Rob"_s)})}));
        QCOMPARE(profileNeeded.count(), 4);
        m_roster->globalProfileUnavailable(bob);
        QCOMPARE(m_model->contactAt(row).displayName, u"Rob"_s);
    }

    void anAnswerAskedForBeforeTheLatestChangeIsNotTakenForIt()
    {
        const QString bob = u"@bob:x"_s;
        QSignalSpy profileNeeded(m_roster.get(), &Roster::profileNeeded);
        m_roster->applyBatch(batch(u"s1"_s, {room(u"!a:x"_s, 2, {member(me), member(bob, Membership::Join, u"Bob"_s)}),
                                             room(u"!b:x"_s, 2, {member(me), member(bob, Membership::Join, u"Bob"_s)})}));
        m_roster->applyBatch(batch(u"s2"_s, {room(u"!b:x"_s, std::nullopt, {member(bob, Membership::Join, u"Cap"_s)})}));
        QCOMPARE(profileNeeded.count(), 1);  // out
        // An older server's presence event settles it meanwhile; then Bob changes the other room too.
        PresenceEvent withProfile = presence(bob, Presence::Online);
        withProfile.displayName = u"Bob"_s;
        m_roster->applyBatch(batch(u"s3"_s, {}, {withProfile}));
        m_roster->applyBatch(batch(u"s4"_s, {room(u"!a:x"_s, std::nullopt, {member(bob, Membership::Join, u"Skip"_s)})}));
        QCOMPARE(profileNeeded.count(), 1);  // one question at a time: the one out is judged when it comes
        m_roster->applyGlobalProfile(bob, {u"Bob"_s, {}});  // the answer to the first question: older than "Skip"
        QCOMPARE(profileNeeded.count(), 2);
        m_roster->applyGlobalProfile(bob, {u"Skipper"_s, {}});
        QCOMPARE(m_model->contactAt(m_model->rowOf(bob)).displayName, u"Skipper"_s);
    }

    void roomsThatDisagreeGiveTheSameNameWhateverTheirOrder()
    {
        // First sight of Carol: two rooms call her "Carol", one "Caz". Until the server answers, the name most rooms
        // give stands, whichever order the rooms arrive in.
        const QString carol = u"@carol:x"_s;
        QList<RoomUpdate> rooms{room(u"!c:x"_s, 2, {member(me), member(carol, Membership::Join, u"Caz"_s)}),
                                room(u"!a:x"_s, 2, {member(me), member(carol, Membership::Join, u"Carol"_s)}),
                                room(u"!b:x"_s, 2, {member(me), member(carol, Membership::Join, u"Carol"_s)})};
        for (int rotation = 0; rotation < rooms.size(); ++rotation) {
            cleanup();
            init();
            QSignalSpy profileNeeded(m_roster.get(), &Roster::profileNeeded);
            m_roster->applyBatch(batch(u"s1"_s, rooms));
            QCOMPARE(m_model->contactAt(m_model->rowOf(carol)).displayName, u"Carol"_s);
            QCOMPARE(profileNeeded.count(), 1);
            m_roster->applyGlobalProfile(carol, {u"Caz"_s, {}});  // the server's word outranks the majority
            QCOMPARE(m_model->contactAt(m_model->rowOf(carol)).displayName, u"Caz"_s);
            QCOMPARE(m_model->contactAt(m_model->rowOf(carol)).otherNames, QStringList{u"Carol"_s});
            rooms.append(rooms.takeFirst());
        }
    }

    void onlyTheRoomsThatCountNameSomeone()
    {
        const QString bob = u"@bob:x"_s;
        QSignalSpy membersNeeded(m_roster.get(), &Roster::membersNeeded);
        QSignalSpy profileNeeded(m_roster.get(), &Roster::profileNeeded);
        m_roster->applyBatch(batch(u"s1"_s, {room(u"!big:x"_s, 60, {member(me), member(bob, Membership::Join, u"Big Bob"_s)}),
                                             room(u"!dm:x"_s, 2, {member(me), member(bob, Membership::Join, u"Bob"_s)})}));
        const int row = m_model->rowOf(bob);
        QCOMPARE(m_model->contactAt(row).displayName, u"Bob"_s);
        QVERIFY(m_model->contactAt(row).otherNames.isEmpty());  // a large room's name for him is not asked about
        QCOMPARE(profileNeeded.count(), 0);

        // The large room comes to count: its names were not kept, so its member list is fetched for them.
        membersNeeded.clear();
        m_roster->setSmallRoomLimit(100);
        QTRY_VERIFY(!m_roster->isApplying());
        QCOMPARE(membersNeeded.count(), 1);
        QCOMPARE(membersNeeded.at(0).at(0).toString(), u"!big:x"_s);
        QList<MemberChange> bigRoom{member(me), member(bob, Membership::Join, u"Big Bob"_s)};
        for (int other = 0; bigRoom.size() < 60; ++other)
            bigRoom.append(member(u"@other%1:x"_s.arg(other)));
        m_roster->applyJoinedMembers(u"!big:x"_s, bigRoom);
        QCOMPARE(m_model->contactAt(row).otherNames, QStringList{u"Big Bob"_s});
        QCOMPARE(profileNeeded.count(), 1);  // two rooms, two names: the server decides

        // And stops counting: its name for him goes with it.
        m_roster->setSmallRoomLimit(50);
        QTRY_VERIFY(!m_roster->isApplying());
        QVERIFY(m_model->contactAt(row).otherNames.isEmpty());
    }

    void memberListsNeverAnsweredAreAskedForAgain()
    {
        QSignalSpy membersNeeded(m_roster.get(), &Roster::membersNeeded);
        m_roster->applyBatch(batch(u"s1"_s, {room(u"!a:x"_s, 4, {member(me), member(u"@a:x"_s)}, true),
                                             room(u"!b:x"_s, 3, {member(me), member(u"@b:x"_s)}, true)}));
        QCOMPARE(membersNeeded.count(), 2);
        m_roster->applyJoinedMembers(u"!b:x"_s, {member(me), member(u"@b:x"_s), member(u"@c:x"_s)});
        // The connection that asked is gone (a session resumed): only the list that never came is asked again.
        membersNeeded.clear();
        m_roster->requestUnansweredMembers();
        QCOMPARE(membersNeeded.count(), 1);
        QCOMPARE(membersNeeded.at(0).at(0).toString(), u"!a:x"_s);
        m_roster->requestUnansweredMembers();  // still unanswered: asked again, once per call
        QCOMPARE(membersNeeded.count(), 2);
    }

    void limitedTimelineRefetchesMembers()
    {
        QSignalSpy membersNeeded(m_roster.get(), &Roster::membersNeeded);
        m_roster->applyBatch(batch(u"s1"_s, {room(u"!a:x"_s, 4, {member(me), member(u"@a:x"_s)}, true)}));
        QCOMPARE(membersNeeded.count(), 1);
        QCOMPARE(m_model->rowCount(), 1);
        m_roster->applyJoinedMembers(u"!a:x"_s, {member(me), member(u"@a:x"_s), member(u"@b:x"_s, Membership::Join, u"Bee"_s),
                                                 member(u"@c:x"_s)});
        QCOMPARE(m_model->rowCount(), 3);
        QCOMPARE(m_model->contactAt(m_model->rowOf(u"@b:x"_s)).displayName, u"Bee"_s);
        // The fetched list is complete: looking at the room again (under a new limit) fetches nothing.
        m_roster->setSmallRoomLimit(10);
        QCOMPARE(membersNeeded.count(), 1);
        QTRY_VERIFY(!m_roster->isApplying());

        // Someone left while we were not looking: a limited timeline, then the list without them.
        m_roster->applyBatch(batch(u"s2"_s, {room(u"!a:x"_s, 3, {}, true)}));
        QCOMPARE(membersNeeded.count(), 2);
        m_roster->applyJoinedMembers(u"!a:x"_s, {member(me), member(u"@a:x"_s), member(u"@b:x"_s)});
        QCOMPARE(m_model->rowCount(), 2);
        QCOMPARE(m_model->rowOf(u"@c:x"_s), -1);
    }

    void aDirectChatWhoseSummaryNamesEveryoneNeedsNoMemberList()
    {
        QSignalSpy membersNeeded(m_roster.get(), &Roster::membersNeeded);
        // A first sync under the filter's timeline of 1: limited, the summary's heroes with their member events.
        m_roster->applyBatch(batch(u"s1"_s, {summarised(room(u"!dm:x"_s, 2, {member(u"@bob:x"_s, Membership::Join, u"Bob"_s)}, true),
                                                        0, QStringList{u"@bob:x"_s})}));
        QTRY_VERIFY(!m_roster->isApplying());
        QCOMPARE(membersNeeded.count(), 0);
        QCOMPARE(userIds(*m_model), QStringList{u"@bob:x"_s});
        QCOMPARE(m_model->contactAt(0).displayName, u"Bob"_s);

        // Carol joined and left while we were not looking, Dave joined: the summary names Bob and Dave.
        m_roster->applyBatch(batch(u"s2"_s, {summarised(room(u"!dm:x"_s, 3, {member(u"@carol:x"_s, Membership::Leave),
                                                                              member(u"@dave:x"_s, Membership::Join, u"Dave"_s),
                                                                              member(u"@bob:x"_s, Membership::Join, u"Bob"_s)}, true),
                                                        0, QStringList{u"@bob:x"_s, u"@dave:x"_s})}));
        QTRY_VERIFY(!m_roster->isApplying());
        QCOMPARE(membersNeeded.count(), 0);
        QCOMPARE(m_model->rowCount(), 2);
        QVERIFY(m_model->rowOf(u"@dave:x"_s) >= 0);
    }

    void aSummaryThatDoesNotNameEveryoneStillFetchesTheMembers_data()
    {
        QTest::addColumn<RoomUpdate>("update");
        const MemberChange bob = member(u"@bob:x"_s, Membership::Join, u"Bob"_s);
        QTest::newRow("no heroes (a named room)") << summarised(room(u"!r:x"_s, 2, {bob}, true), 0, std::nullopt);
        QTest::newRow("someone invited") << summarised(room(u"!r:x"_s, 2, {bob}, true), 1, QStringList{u"@bob:x"_s});
        QTest::newRow("no invited count") << summarised(room(u"!r:x"_s, 2, {bob}, true), std::nullopt, QStringList{u"@bob:x"_s});
        QTest::newRow("more joined than heroes") << summarised(room(u"!r:x"_s, 3, {bob}, true), 0, QStringList{u"@bob:x"_s});
        QTest::newRow("a hero without an event") << summarised(room(u"!r:x"_s, 2, {}, true), 0, QStringList{u"@bob:x"_s});
        QTest::newRow("a hero who left") << summarised(room(u"!r:x"_s, 2, {member(u"@bob:x"_s, Membership::Leave)}, true), 0,
                                                       QStringList{u"@bob:x"_s});
        QTest::newRow("a join the heroes miss") << summarised(room(u"!r:x"_s, 2, {bob, member(u"@eve:x"_s)}, true), 0,
                                                              QStringList{u"@bob:x"_s});
        QTest::newRow("you among the heroes") << summarised(room(u"!r:x"_s, 2, {bob, member(me)}, true), 0, QStringList{me, u"@bob:x"_s});
    }

    void aSummaryThatDoesNotNameEveryoneStillFetchesTheMembers()
    {
        QFETCH(RoomUpdate, update);
        QSignalSpy membersNeeded(m_roster.get(), &Roster::membersNeeded);
        m_roster->applyBatch(batch(u"s1"_s, {update}));
        QTRY_VERIFY(!m_roster->isApplying());
        QCOMPARE(membersNeeded.count(), 1);
    }

    void ownPresenceAndProfileAreReportedNotListed()
    {
        QSignalSpy ownPresence(m_roster.get(), &Roster::ownPresenceReceived);
        QSignalSpy ownProfile(m_roster.get(), &Roster::ownProfileReceived);
        m_roster->applyBatch(batch(u"s1"_s, {room(u"!a:x"_s, 1, {member(me, Membership::Join, u"Me"_s)})},
                                   {presence(me, Presence::Unavailable, u"away"_s)}));
        QCOMPARE(ownPresence.count(), 1);
        QCOMPARE(ownPresence.at(0).at(0).value<PresenceState>().presence, Presence::Unavailable);
        QCOMPARE(ownProfile.count(), 1);
        QCOMPARE(ownProfile.at(0).at(0).toString(), u"Me"_s);
        QCOMPARE(m_model->rowCount(), 0);
    }

    void batchesAreAppliedInSlicesAndReportedOnce()
    {
        m_roster->setSliceBudgetMs(0);  // every step over budget: the most slices possible
        QList<RoomUpdate> rooms;
        for (int r = 0; r < 30; ++r)
            rooms << room(u"!r%1:x"_s.arg(r), 3, {member(me), member(u"@a%1:x"_s.arg(r)), member(u"@b%1:x"_s.arg(r))});
        QSignalSpy applied(m_roster.get(), &Roster::batchApplied);
        m_roster->applyBatch(batch(u"s1"_s, rooms));
        QVERIFY(m_roster->isApplying());
        QCOMPARE(applied.count(), 0);
        QVERIFY(applied.wait(5000));
        QCOMPARE(applied.count(), 1);
        QCOMPARE(applied.at(0).at(0).toString(), u"s1"_s);
        QCOMPARE(m_model->rowCount(), 60);
        QVERIFY(!m_roster->isApplying());
    }

    void proxySortsByPresenceThenNameAndFilters()
    {
        m_roster->applyBatch(batch(u"s1"_s, {room(u"!a:x"_s, 5, {member(me), member(u"@zed:x"_s, Membership::Join, u"Zed"_s),
            member(u"@amy:x"_s, Membership::Join, u"amy"_s), member(u"@bo:x"_s, Membership::Join, u"Bo"_s),
            member(u"@off:x"_s, Membership::Join, u"Aaron"_s)})},
            {presence(u"@zed:x"_s, Presence::Online), presence(u"@amy:x"_s, Presence::Unavailable),
             presence(u"@bo:x"_s, Presence::Unavailable), presence(u"@off:x"_s, Presence::Offline)}));
        QCOMPARE(shownUserIds(*m_proxy), (QStringList{u"@zed:x"_s, u"@amy:x"_s, u"@bo:x"_s, u"@off:x"_s}));

        // Bob... Bo comes online and moves to the top; Zed renamed to "Abe" (his global profile) moves ahead of him.
        m_roster->applyBatch(batch(u"s2"_s, {}, {presence(u"@bo:x"_s, Presence::Online)}));
        QCOMPARE(shownUserIds(*m_proxy), (QStringList{u"@bo:x"_s, u"@zed:x"_s, u"@amy:x"_s, u"@off:x"_s}));
        m_roster->applyBatch(batch(u"s3"_s, {room(u"!a:x"_s, std::nullopt, {member(u"@zed:x"_s, Membership::Join, u"Abe"_s)})}));
        m_roster->applyGlobalProfile(u"@zed:x"_s, {u"Abe"_s, {}});
        QCOMPARE(shownUserIds(*m_proxy), (QStringList{u"@zed:x"_s, u"@bo:x"_s, u"@amy:x"_s, u"@off:x"_s}));

        m_proxy->setHideOffline(true);
        QCOMPARE(shownUserIds(*m_proxy), (QStringList{u"@zed:x"_s, u"@bo:x"_s, u"@amy:x"_s}));
        m_roster->applyBatch(batch(u"s4"_s, {}, {presence(u"@amy:x"_s, Presence::Offline)}));
        QCOMPARE(shownUserIds(*m_proxy), (QStringList{u"@zed:x"_s, u"@bo:x"_s}));

        m_proxy->setFilterText(u"  ZE "_s);  // user ID match, case-insensitive, trimmed
        QCOMPARE(shownUserIds(*m_proxy), QStringList{u"@zed:x"_s});
        m_proxy->setFilterText(u"abe"_s);  // display name match
        QCOMPARE(shownUserIds(*m_proxy), QStringList{u"@zed:x"_s});
        m_proxy->setFilterText({});
        m_proxy->setHideOffline(false);
        QCOMPARE(m_proxy->contactCount(), 4);
    }

    // A nickname is the row's name: it re-sorts the row (one dataChanged naming the roles it changes), and search
    // finds the person by it and by their own name.
    void aNicknameNamesTheRowSortsItAndIsSearched()
    {
        Nicknames nicknames;
        m_model->setNicknames(&nicknames);
        m_roster->applyBatch(batch(u"s1"_s, {room(u"!a:x"_s, 3, {member(me), member(u"@amy:x"_s, Membership::Join, u"Amy"_s),
            member(u"@bo:x"_s, Membership::Join, u"Barbara"_s)})}));
        QCOMPARE(shownUserIds(*m_proxy), (QStringList{u"@amy:x"_s, u"@bo:x"_s}));

        QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
        nicknames.setAll({{u"@bo:x"_s, u"Al"_s}});
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.at(0).at(0).toModelIndex().row(), m_model->rowOf(u"@bo:x"_s));
        QCOMPARE(changed.at(0).at(2).value<QList<int>>(),
                 (QList<int>{ContactListModel::NicknameRole, Qt::DisplayRole, ContactListModel::OrderRole}));
        QCOMPARE(shownUserIds(*m_proxy), (QStringList{u"@bo:x"_s, u"@amy:x"_s}));
        const QModelIndex bo = shownContactAt(*m_proxy, 0);
        QCOMPARE(bo.data(Qt::DisplayRole).toString(), u"Al"_s);
        QCOMPARE(bo.data(ContactListModel::DisplayNameRole).toString(), u"Barbara"_s);
        QCOMPARE(bo.data(ContactListModel::NicknameRole).toString(), u"Al"_s);

        m_proxy->setFilterText(u"al"_s);
        QCOMPARE(shownUserIds(*m_proxy), QStringList{u"@bo:x"_s});
        m_proxy->setFilterText(u"barb"_s);
        QCOMPARE(shownUserIds(*m_proxy), QStringList{u"@bo:x"_s});
        m_proxy->setFilterText({});

        changed.clear();
        nicknames.setAll({{u"@bo:x"_s, u"Al"_s}});  // the same: nothing to say
        QCOMPARE(changed.size(), 0);
        nicknames.setAll({});
        QCOMPARE(changed.size(), 1);
        QCOMPARE(shownUserIds(*m_proxy), (QStringList{u"@amy:x"_s, u"@bo:x"_s}));
        QCOMPARE(shownContactAt(*m_proxy, 1).data(Qt::DisplayRole).toString(), u"Barbara"_s);
    }

    void theFilterStateIsPropertiesWithNotifications()
    {
        m_roster->applyBatch(batch(u"s1"_s,
            {room(u"!a:x"_s, 3, {member(me), member(u"@amy:x"_s, Membership::Join, u"Amy"_s), member(u"@off:x"_s)})},
            {presence(u"@amy:x"_s, Presence::Online), presence(u"@off:x"_s, Presence::Offline)}));
        QSignalSpy textChanged(m_proxy.get(), &RosterFilterModel::filterTextChanged);
        QSignalSpy hideChanged(m_proxy.get(), &RosterFilterModel::hideOfflineChanged);
        int rowsWhenNotified = -1;
        connect(m_proxy.get(), &RosterFilterModel::filterTextChanged, this,
                [&] { rowsWhenNotified = m_proxy->contactCount(); });

        QVERIFY(m_proxy->setProperty("filterText", u" amy "_s));
        QCOMPARE(m_proxy->filterText(), u"amy"_s);
        QCOMPARE(m_proxy->property("filterText").toString(), u"amy"_s);
        QCOMPARE(textChanged.count(), 1);
        QCOMPARE(textChanged.at(0).at(0).toString(), u"amy"_s);
        QCOMPARE(rowsWhenNotified, 1);  // notified once the rows are filtered anew
        m_proxy->setFilterText(u"amy  "_s);  // the same once trimmed: nothing changed
        QCOMPARE(textChanged.count(), 1);
        m_proxy->setFilterText({});
        QCOMPARE(textChanged.count(), 2);
        QCOMPARE(rowsWhenNotified, 2);

        QVERIFY(!m_proxy->hideOffline());
        QVERIFY(m_proxy->setProperty("hideOffline", true));
        QVERIFY(m_proxy->hideOffline());
        QVERIFY(m_proxy->property("hideOffline").toBool());
        QCOMPARE(hideChanged.count(), 1);
        QCOMPARE(hideChanged.at(0).at(0).toBool(), true);
        QCOMPARE(shownUserIds(*m_proxy), QStringList{u"@amy:x"_s});
        m_proxy->setHideOffline(true);
        QCOMPARE(hideChanged.count(), 1);
        m_proxy->setHideOffline(false);
        QCOMPARE(hideChanged.count(), 2);
        QCOMPARE(hideChanged.at(1).at(0).toBool(), false);
    }

    void withoutALiveConnectionNobodyIsActiveRightNow()
    {
        m_roster->applyBatch(batch(u"s1"_s, {room(u"!a:x"_s, 2, {member(me), member(u"@a:x"_s)})},
                                   {presence(u"@a:x"_s, Presence::Online, {}, 0, true)}));
        const QModelIndex row = m_model->index(m_model->rowOf(u"@a:x"_s));
        QVERIFY(row.data(ContactListModel::CurrentlyActiveRole).toBool());
        QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
        m_model->setCurrent(false);
        QVERIFY(!row.data(ContactListModel::CurrentlyActiveRole).toBool());
        QCOMPARE(row.data(ContactListModel::PresenceRole).value<Presence>(), Presence::Online);  // the last known
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.at(0).at(2).value<QList<int>>(), QList<int>{ContactListModel::CurrentlyActiveRole});
        m_model->setCurrent(true);
        QVERIFY(row.data(ContactListModel::CurrentlyActiveRole).toBool());
    }

    void theProxyTakesOnlyContacts()
    {
        RosterFilterModel proxy;
        QStringListModel other(QStringList{u"b"_s, u"a"_s});
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"source must be a RosterGroupModel;"_s));
        proxy.setSourceModel(&other);
        QCOMPARE(proxy.sourceModel(), nullptr);
        QCOMPARE(proxy.rowCount(), 0);
    }

    void unknownPresenceIsShownAsUnknownAndSortsLast()
    {
        PresenceEvent odd = presence(u"@odd:x"_s, Presence::Unknown);
        odd.content.presence = u"dnd"_s;
        m_roster->applyBatch(batch(u"s1"_s, {room(u"!a:x"_s, 3, {member(me), member(u"@odd:x"_s), member(u"@off:x"_s)})},
                                   {odd, presence(u"@off:x"_s, Presence::Offline)}));
        QCOMPARE(shownUserIds(*m_proxy), (QStringList{u"@off:x"_s, u"@odd:x"_s}));
        const QModelIndex oddIndex = m_model->index(m_model->rowOf(u"@odd:x"_s));
        QCOMPARE(oddIndex.data(ContactListModel::PresenceRole).value<Presence>(), Presence::Unknown);
        QCOMPARE(oddIndex.data(ContactListModel::RawPresenceRole).toString(), u"dnd"_s);
    }

private:
    std::unique_ptr<ContactListModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_modelTester;
    std::unique_ptr<RosterGroupModel> m_groups;
    std::unique_ptr<RosterFilterModel> m_proxy;
    std::unique_ptr<QAbstractItemModelTester> m_proxyTester;
    std::unique_ptr<Roster> m_roster;
};

QTEST_GUILESS_MAIN(RosterTest)
#include "tst_roster.moc"
