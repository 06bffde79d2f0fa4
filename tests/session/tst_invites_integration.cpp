// Presence invitations both ways (issue 12 part 1), against stock Synapse: a contact is added by creating a direct
// chat that invites them and recording it in m.direct; the invited person answers by joining (accept), leaving
// (decline) or ignoring the inviter; an invitation can be withdrawn; hidden contacts live in account data and
// outlast a restart. One person runs the engine, the other acts through plain HTTP.
#include "roster/RosterAccountData.h"
#include "session/Account.h"
#include "EngineUnderTest.h"
#include "TestHomeserver.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::Literals::StringLiterals;

namespace {

constexpr int serverTimeoutMs = 30'000;
constexpr int longPollMs = 5'000;

QStringList directRoomsOf(TestUser &user, const QString &otherUserId)
{
    QStringList rooms;
    for (const QJsonValue &roomId : user.accountData(u"m.direct"_s).value(otherUserId).toArray())
        rooms << roomId.toString();
    return rooms;
}

// The room a person was invited to by `inviterId`, as their own sync shows it.
QString invitedRoomFrom(TestUser &invitee, const QString &inviterId)
{
    const QJsonObject invites = invitee.request("GET", u"/_matrix/client/v3/sync?timeout=0"_s).body
                                    .value("rooms"_L1).toObject().value("invite"_L1).toObject();
    for (auto it = invites.begin(); it != invites.end(); ++it) {
        for (const QJsonValue &event : it.value().toObject().value("invite_state"_L1).toObject().value("events"_L1).toArray()) {
            const QJsonObject member = event.toObject();
            if (member.value("type"_L1) == "m.room.member"_L1 && member.value("state_key"_L1) == invitee.userId()
                && member.value("sender"_L1) == inviterId)
                return it.key();
        }
    }
    return {};
}

bool invitedRow(const Account &account, const QString &userId)
{
    const int row = account.contacts()->rowOf(userId);
    return row >= 0 && account.contacts()->contactAt(row).invited;
}

int rowsFor(const Account &account, const QString &userId)
{
    const QStringList userIds = account.contacts()->userIds();
    return static_cast<int>(userIds.count(userId));
}

} // namespace

class InvitesIntegrationTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_server.isValid(), qPrintable(m_server.problem()));
    }

    // Stock Synapse's directory (search_all_users off) finds Bob only once he shares a room with Alice or sits in a
    // public room; his full Matrix ID, typed in, is found either way (GET /profile).
    void theDirectoryFindsPublicPeopleAndATypedIdAlways()
    {
        const LoginSession aliceSession = m_server.registerUser(u"alice"_s);
        TestUser bob(m_server.baseUrl(), m_server.registerUser(u"bob"_s));
        QVERIFY(bob.setDisplayName(u"Bob Directory"_s));
        auto alice = startEngine(aliceSession, longPollMs);
        QSignalSpy searched(alice->directory(), &ContactDirectory::searched);

        const QString localpart = bob.userId().mid(1).section(u':', 0, 0);
        alice->directory()->search(localpart);
        QVERIFY(searched.wait(serverTimeoutMs));
        QCOMPARE(alice->directoryResults()->rowCount(), 0);

        alice->directory()->search(bob.userId());
        QVERIFY(searched.wait(serverTimeoutMs));
        QCOMPARE(alice->directoryResults()->rowCount(), 1);
        QCOMPARE(alice->directoryResults()->results().at(0).userId, bob.userId());
        QCOMPARE(alice->directoryResults()->results().at(0).displayName, u"Bob Directory"_s);

        // In a public room, the directory has him (Synapse indexes in the background: asked until it does).
        QVERIFY(!bob.request("POST", u"/_matrix/client/v3/createRoom"_s, QJsonObject{{"preset"_L1, u"public_chat"_s}})
                     .body.value("room_id"_L1).toString().isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(([&] {
            alice->directory()->search(localpart);
            return searched.wait(serverTimeoutMs) && alice->directoryResults()->rowCount() == 1
                && alice->directoryResults()->results().at(0).userId == bob.userId();
        }()), serverTimeoutMs);

        alice->directory()->search(u"@nobody-here:%1"_s.arg(m_server.serverName()));
        QVERIFY(searched.wait(serverTimeoutMs));
        QCOMPARE(alice->directoryResults()->rowCount(), 0);
    }

    // Alice invites Bob: he shows once, as invited, and m.direct records the chat beside what was there. Bob
    // accepts: the row becomes a contact in full and each sees the other's presence.
    void aliceInvitesBobWhoAcceptsAndBothSeePresence()
    {
        const LoginSession aliceSession = m_server.registerUser(u"alice"_s);
        TestUser aliceHttp(m_server.baseUrl(), aliceSession);
        TestUser bob(m_server.baseUrl(), m_server.registerUser(u"bob"_s));
        // Another client's entry in m.direct, which Alice's change must keep.
        QVERIFY(aliceHttp.addDirectChat(u"@carol:elsewhere.example"_s, u"!kept:elsewhere.example"_s));

        auto alice = startEngine(aliceSession, longPollMs);
        QTRY_COMPARE_WITH_TIMEOUT(alice->state(), Account::State::Live, serverTimeoutMs);
        QSignalSpy invited(alice->invitations(), &ContactInvitations::invited);
        QSignalSpy failed(alice->invitations(), &ContactInvitations::failed);
        alice->invitations()->invite(bob.userId());
        QVERIFY2(invited.wait(serverTimeoutMs), qPrintable(failed.isEmpty() ? QString() : failed.at(0).at(0).toString()));
        const QString roomId = invited.at(0).at(1).toString();

        QCOMPARE(directRoomsOf(aliceHttp, bob.userId()), QStringList{roomId});
        QCOMPARE(directRoomsOf(aliceHttp, u"@carol:elsewhere.example"_s), QStringList{u"!kept:elsewhere.example"_s});
        QTRY_VERIFY_WITH_TIMEOUT(invitedRow(*alice, bob.userId()), serverTimeoutMs);
        QCOMPARE(rowsFor(*alice, bob.userId()), 1);
        QCOMPARE(invitedRoomFrom(bob, alice->userId()), roomId);

        QVERIFY(bob.join(roomId));
        QTRY_VERIFY_WITH_TIMEOUT(alice->contacts()->rowOf(bob.userId()) >= 0 && !invitedRow(*alice, bob.userId()),
                                 serverTimeoutMs);
        QCOMPARE(rowsFor(*alice, bob.userId()), 1);
        QVERIFY(bob.setPresence(u"online"_s, u"bob accepted"_s));
        QTRY_COMPARE_WITH_TIMEOUT(contactOf(*alice, bob.userId()).state.statusMessage, u"bob accepted"_s, serverTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(bob.presenceOf(alice->userId()).value("presence"_L1).toString(), u"online"_s,
                                  serverTimeoutMs);
    }

    // Alice takes her invitation back before Bob answers: she leaves, m.direct forgets it, he is off her roster.
    void aliceWithdrawsHerInvitation()
    {
        const LoginSession aliceSession = m_server.registerUser(u"alice"_s);
        TestUser aliceHttp(m_server.baseUrl(), aliceSession);
        TestUser bob(m_server.baseUrl(), m_server.registerUser(u"bob"_s));
        auto alice = startEngine(aliceSession, longPollMs);
        QSignalSpy invited(alice->invitations(), &ContactInvitations::invited);
        alice->invitations()->invite(bob.userId());
        QVERIFY(invited.wait(serverTimeoutMs));
        const QString roomId = invited.at(0).at(1).toString();
        QTRY_VERIFY_WITH_TIMEOUT(invitedRow(*alice, bob.userId()), serverTimeoutMs);

        QSignalSpy finished(alice->invitations(), &ContactInvitations::finished);
        QSignalSpy failed(alice->invitations(), &ContactInvitations::failed);
        alice->invitations()->withdraw(bob.userId());
        QVERIFY2(finished.wait(serverTimeoutMs), qPrintable(failed.isEmpty() ? QString() : failed.at(0).at(0).toString()));
        QCOMPARE(directRoomsOf(aliceHttp, bob.userId()), QStringList());
        QTRY_COMPARE_WITH_TIMEOUT(alice->contacts()->rowOf(bob.userId()), -1, serverTimeoutMs);
        QCOMPARE(aliceHttp.membershipOf(roomId, alice->userId()), u"leave"_s);
        // trusted_private_chat gives the invitee the creator's power level, so Synapse refuses the kick and the
        // invitation itself stays: Bob can still join, but into a room Alice has left. He shares nothing with her.
        bob.join(roomId);
        QVERIFY(waitForAnsweredSyncs(alice->syncLoop(), u"online"_s, 2));
        QCOMPARE(alice->contacts()->rowOf(bob.userId()), -1);
    }

    // Alice invites Bob (his engine this time): the invitation is listed for him, and he accepts it.
    void bobsEngineAcceptsAnInvitation()
    {
        TestUser alice(m_server.baseUrl(), m_server.registerUser(u"alice"_s));
        QVERIFY(alice.setDisplayName(u"Alice Inviter"_s));
        const LoginSession bobSession = m_server.registerUser(u"bob"_s);
        TestUser bobHttp(m_server.baseUrl(), bobSession);
        auto bob = startEngine(bobSession, longPollMs);
        QTRY_COMPARE_WITH_TIMEOUT(bob->state(), Account::State::Live, serverTimeoutMs);
        QSignalSpy arrived(bob->incomingInvitations(), &InvitationList::invitationArrived);

        const QString roomId = alice.createRoom({bob->userId()}, true);
        QVERIFY(arrived.wait(serverTimeoutMs));
        QCOMPARE(bob->incomingInvitations()->rowCount(), 1);
        const Invitation invitation = bob->incomingInvitations()->at(0);
        QCOMPARE(invitation.roomId, roomId);
        QCOMPARE(invitation.inviterId, alice.userId());
        QCOMPARE(invitation.inviterName, u"Alice Inviter"_s);
        // Not a contact until he answers.
        QCOMPARE(bob->contacts()->rowOf(alice.userId()), -1);

        QSignalSpy finished(bob->invitations(), &ContactInvitations::finished);
        bob->invitations()->accept(roomId);
        QVERIFY(finished.wait(serverTimeoutMs));
        QCOMPARE(bob->incomingInvitations()->rowCount(), 0);
        QCOMPARE(alice.membershipOf(roomId, bob->userId()), u"join"_s);
        QCOMPARE(directRoomsOf(bobHttp, alice.userId()), QStringList{roomId});
        QTRY_VERIFY_WITH_TIMEOUT(bob->contacts()->rowOf(alice.userId()) >= 0, serverTimeoutMs);
    }

    void bobsEngineDeclinesAnInvitation()
    {
        TestUser alice(m_server.baseUrl(), m_server.registerUser(u"alice"_s));
        auto bob = startEngine(m_server.registerUser(u"bob"_s), longPollMs);
        QTRY_COMPARE_WITH_TIMEOUT(bob->state(), Account::State::Live, serverTimeoutMs);
        const QString roomId = alice.createRoom({bob->userId()}, true);
        QTRY_COMPARE_WITH_TIMEOUT(bob->incomingInvitations()->rowCount(), 1, serverTimeoutMs);

        QSignalSpy finished(bob->invitations(), &ContactInvitations::finished);
        bob->invitations()->decline(roomId);
        QVERIFY(finished.wait(serverTimeoutMs));
        QCOMPARE(bob->incomingInvitations()->rowCount(), 0);
        QCOMPARE(alice.membershipOf(roomId, bob->userId()), u"leave"_s);
        // A later sync reports the room left; it stays off the list and Alice never becomes a contact.
        QSignalSpy batches(bob->syncLoop(), &SyncLoop::batchReady);
        QVERIFY(batches.wait(serverTimeoutMs));
        QCOMPARE(bob->incomingInvitations()->rowCount(), 0);
        QCOMPARE(bob->contacts()->rowOf(alice.userId()), -1);
    }

    void bobsEngineIgnoresTheInviter()
    {
        TestUser alice(m_server.baseUrl(), m_server.registerUser(u"alice"_s));
        const LoginSession bobSession = m_server.registerUser(u"bob"_s);
        TestUser bobHttp(m_server.baseUrl(), bobSession);
        // Someone Bob ignored before: kept.
        QVERIFY(bobHttp.request("PUT", u"/_matrix/client/v3/user/%1/account_data/m.ignored_user_list"_s.arg(encodedSegment(bobHttp.userId())),
                                QJsonObject{{"ignored_users"_L1, QJsonObject{{u"@pest:elsewhere.example"_s, QJsonObject()}}}}).ok());
        auto bob = startEngine(bobSession, longPollMs);
        QTRY_COMPARE_WITH_TIMEOUT(bob->state(), Account::State::Live, serverTimeoutMs);
        const QString roomId = alice.createRoom({bob->userId()}, true);
        QTRY_COMPARE_WITH_TIMEOUT(bob->incomingInvitations()->rowCount(), 1, serverTimeoutMs);

        QSignalSpy finished(bob->invitations(), &ContactInvitations::finished);
        bob->invitations()->ignore(roomId);
        QVERIFY(finished.wait(serverTimeoutMs));
        const QJsonObject ignored = bobHttp.accountData(u"m.ignored_user_list"_s).value("ignored_users"_L1).toObject();
        QVERIFY(ignored.contains(alice.userId()));
        QVERIFY(ignored.contains(u"@pest:elsewhere.example"_s));
        QCOMPARE(alice.membershipOf(roomId, bob->userId()), u"leave"_s);
        QCOMPARE(bob->incomingInvitations()->rowCount(), 0);
    }

    // A room invitation that is not a direct chat is no presence invitation.
    void aGroupRoomInvitationIsNotListed()
    {
        TestUser alice(m_server.baseUrl(), m_server.registerUser(u"alice"_s));
        auto bob = startEngine(m_server.registerUser(u"bob"_s), longPollMs);
        QTRY_COMPARE_WITH_TIMEOUT(bob->state(), Account::State::Live, serverTimeoutMs);
        QVERIFY(!alice.createRoom({bob->userId()}, false, u"a group"_s).isEmpty());
        const QString direct = alice.createRoom({bob->userId()}, true);
        QTRY_COMPARE_WITH_TIMEOUT(bob->incomingInvitations()->rowCount(), 1, serverTimeoutMs);
        QCOMPARE(bob->incomingInvitations()->at(0).roomId, direct);
    }

    // Alice hides Bob; a new engine on her account (a restart) still hides him, and the event's other keys stay.
    void hiddenContactsStayHiddenAfterARestart()
    {
        const LoginSession aliceSession = m_server.registerUser(u"alice"_s);
        TestUser aliceHttp(m_server.baseUrl(), aliceSession);
        TestUser bob(m_server.baseUrl(), m_server.registerUser(u"bob"_s));
        QVERIFY(aliceHttp.startDirectChatWith(bob.session()));
        const QString type = RosterAccountData::eventType;
        const QJsonObject groups{{u"Work"_s, QJsonArray{bob.userId()}}};
        QVERIFY(aliceHttp.request("PUT", u"/_matrix/client/v3/user/%1/account_data/%2"_s.arg(encodedSegment(aliceHttp.userId()), type),
                                  QJsonObject{{"groups"_L1, groups}}).ok());
        {
            auto alice = startEngine(aliceSession, longPollMs);
            QTRY_VERIFY_WITH_TIMEOUT(alice->contacts()->rowOf(bob.userId()) >= 0, serverTimeoutMs);
            QSignalSpy saved(alice->rosterChoices(), &RosterChoices::saved);
            alice->rosterChoices()->setHidden(bob.userId(), true);
            QVERIFY(alice->hiddenContacts()->isHidden(bob.userId()));
            QVERIFY(saved.wait(serverTimeoutMs));
        }
        const QJsonObject stored = aliceHttp.accountData(type);
        QCOMPARE(stored.value("hidden"_L1).toArray(), QJsonArray{bob.userId()});
        QCOMPARE(stored.value("groups"_L1).toObject(), groups);

        auto restarted = startEngine(m_server.loginAgain(aliceSession.userId), longPollMs);
        QSignalSpy loaded(restarted->rosterChoices(), &RosterChoices::loaded);
        QTRY_VERIFY_WITH_TIMEOUT(restarted->hiddenContacts()->isHidden(bob.userId()), serverTimeoutMs);
        // Shown again from the menu: saved, and the groups still there.
        QSignalSpy saved(restarted->rosterChoices(), &RosterChoices::saved);
        restarted->rosterChoices()->setHidden(bob.userId(), false);
        QVERIFY(saved.wait(serverTimeoutMs));
        QCOMPARE(aliceHttp.accountData(type).value("hidden"_L1).toArray(), QJsonArray());
        QCOMPARE(aliceHttp.accountData(type).value("groups"_L1).toObject(), groups);
    }

    // Two devices of Alice: what one hides, the other hides within a sync (the filter carries the event), and back;
    // a nickname given on one names the row on the other, and a group made there holds the same people.
    void aChangeOnOneDeviceShowsOnTheOtherWithinASync()
    {
        const LoginSession aliceSession = m_server.registerUser(u"alice"_s);
        TestUser aliceHttp(m_server.baseUrl(), aliceSession);
        TestUser bob(m_server.baseUrl(), m_server.registerUser(u"bob"_s));
        QVERIFY(aliceHttp.startDirectChatWith(bob.session()));
        auto laptop = startEngine(aliceSession, longPollMs);
        auto phone = startEngine(m_server.loginAgain(aliceSession.userId), longPollMs);
        for (Account *device : {laptop.get(), phone.get()}) {
            QTRY_COMPARE_WITH_TIMEOUT(device->state(), Account::State::Live, serverTimeoutMs);
            QTRY_VERIFY_WITH_TIMEOUT(device->contacts()->rowOf(bob.userId()) >= 0, serverTimeoutMs);
        }
        const auto changeOnAndWaitOn = [&](Account *writer, Account *reader, bool hidden) {
            QSignalSpy synced(reader->rosterChoices(), &RosterChoices::synced);
            writer->rosterChoices()->setHidden(bob.userId(), hidden);
            while (reader->hiddenContacts()->isHidden(bob.userId()) != hidden) {
                if (!synced.wait(serverTimeoutMs))
                    return false;
            }
            return true;
        };
        QVERIFY(changeOnAndWaitOn(laptop.get(), phone.get(), true));
        QVERIFY(changeOnAndWaitOn(phone.get(), laptop.get(), false));
        QVERIFY(!phone->hiddenContacts()->isHidden(bob.userId()));

        QSignalSpy named(phone->nicknames(), &Nicknames::nicknameChanged);
        laptop->rosterChoices()->setNickname(bob.userId(), u"Bobby"_s);
        QVERIFY(named.wait(serverTimeoutMs));
        const ContactListModel *rows = phone->contacts();
        QCOMPARE(rows->index(rows->rowOf(bob.userId())).data(Qt::DisplayRole).toString(), u"Bobby"_s);
        QCOMPARE(aliceHttp.accountData(RosterAccountData::eventType).value("nicknames"_L1).toObject(),
                 (QJsonObject{{bob.userId(), u"Bobby"_s}}));

        // The new group resets the phone's tree, Bob joining it is a row inserted (RosterGroupModel): wait for the
        // tree, not for either signal.
        const QString work = laptop->rosterChoices()->addGroup(u"Work"_s);
        laptop->rosterChoices()->setGroupsOf(bob.userId(), {work});
        const RosterGroupModel *groups = phone->groups();
        const auto bobInWork = [groups, &bob] {
            const QModelIndex first = groups->index(0, 0);
            return groups->rowCount() == 2 && first.data().toString() == u"Work"_s && groups->rowCount(first) == 1
                && groups->index(0, 0, first).data(ContactListModel::UserIdRole).toString() == bob.userId();
        };
        QTRY_VERIFY_WITH_TIMEOUT(bobInWork(), serverTimeoutMs);
        QCOMPARE(groups->rowCount(groups->index(1, 0)), 0);  // the default group, now empty

        // Renamed on the phone, the laptop shows the new name; removed on the laptop, Bob is back in the phone's
        // default group.
        phone->rosterChoices()->renameGroup(work, u"  Office "_s);
        const RosterGroupModel *laptopGroups = laptop->groups();
        QTRY_COMPARE_WITH_TIMEOUT(laptopGroups->index(0, 0).data().toString(), u"Office"_s, serverTimeoutMs);
        QCOMPARE(laptopGroups->rowCount(laptopGroups->index(0, 0)), 1);
        laptop->rosterChoices()->removeGroup(work);
        QTRY_COMPARE_WITH_TIMEOUT(groups->rowCount(), 1, serverTimeoutMs);
        QCOMPARE(groups->index(0, 0, groups->index(0, 0)).data(ContactListModel::UserIdRole).toString(), bob.userId());
        QVERIFY(!aliceHttp.accountData(RosterAccountData::eventType).value("membership"_L1).toObject().contains(bob.userId()));
    }

private:
    TestHomeserver m_server;
};

QTEST_GUILESS_MAIN(InvitesIntegrationTest)
#include "tst_invites_integration.moc"
