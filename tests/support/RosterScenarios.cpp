#include "RosterScenarios.h"

#include "session/Account.h"
#include "EngineUnderTest.h"
#include "TestHomeserver.h"

#include <QDateTime>
#include <QTest>

using namespace Qt::Literals::StringLiterals;

namespace {

constexpr int serverTimeoutMs = 30'000;

int countRows(const Account &account, const QString &userId)
{
    int rows = 0;
    for (int row = 0; row < account.contacts()->rowCount(); ++row)
        rows += account.contacts()->contactAt(row).userId == userId ? 1 : 0;
    return rows;
}

} // namespace

void aliceSeesBobGoOnlineThenAwayWithAStatus(const Account &alice, TestUser &bob)
{
    const QString bobId = bob.userId();
    QVERIFY(bob.setPresence(u"online"_s));
    QTRY_COMPARE_WITH_TIMEOUT(contactOf(alice, bobId).state.presence, Presence::Online, serverTimeoutMs);

    const qint64 before = QDateTime::currentMSecsSinceEpoch();
    QVERIFY(bob.setPresence(u"unavailable"_s, u"At lunch 🍜"_s));  // waits out rc_presence after "online"
    QTRY_COMPARE_WITH_TIMEOUT(contactOf(alice, bobId).state.presence, Presence::Unavailable, serverTimeoutMs);
    const Contact seen = contactOf(alice, bobId);
    QCOMPARE(seen.state.statusMessage, u"At lunch 🍜"_s);
    QCOMPARE(seen.state.currentlyActive, false);
    // Last active was when Bob went online a moment ago: an absolute time, not in the future.
    QVERIFY2(seen.state.lastActiveAtMs > before - 60'000 && seen.state.lastActiveAtMs <= QDateTime::currentMSecsSinceEpoch(),
             qPrintable(QString::number(seen.state.lastActiveAtMs - before)));
}

void carolAppearsWhenSheJoinsAndDisappearsWhenSheLeaves(const Account &alice, TestUser &aliceHttp, TestUser &bob,
                                                        TestUser &carol)
{
    QVERIFY(!carol.userId().isEmpty());
    const QString team = aliceHttp.createRoom({carol.userId(), bob.userId()}, false, u"Team"_s);
    QVERIFY(!team.isEmpty());
    QVERIFY(bob.join(team));
    // Invited counts as sharing the room (the person is about to be there), joined certainly does.
    QTRY_VERIFY_WITH_TIMEOUT(alice.contacts()->rowOf(carol.userId()) >= 0, serverTimeoutMs);
    QVERIFY(carol.join(team));
    QVERIFY(carol.setDisplayName(u"Carol"_s));
    QTRY_COMPARE_WITH_TIMEOUT(contactOf(alice, carol.userId()).displayName, u"Carol"_s, serverTimeoutMs);
    // Bob shares two rooms with Alice and is listed once.
    QCOMPARE(countRows(alice, bob.userId()), 1);

    QVERIFY(carol.leave(team));
    QTRY_COMPARE_WITH_TIMEOUT(alice.contacts()->rowOf(carol.userId()), -1, serverTimeoutMs);
    QVERIFY(alice.contacts()->rowOf(bob.userId()) >= 0);
}
