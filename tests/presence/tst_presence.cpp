// The one presence vocabulary: every state's wire value, script name, reach and rank come from one table, and
// the mappings agree with each other.
#include "matrix/MatrixTypes.h"
#include "presence/Presence.h"
#include "presence/PresenceState.h"

#include <QTest>

using namespace Qt::Literals::StringLiterals;

class PresenceTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void eachStateHasOneWireValueAndOneName_data()
    {
        QTest::addColumn<Presence>("presence");
        QTest::addColumn<QString>("wire");
        QTest::addColumn<QString>("name");
        QTest::addColumn<Reach>("reach");
        QTest::newRow("online") << Presence::Online << u"online"_s << u"online"_s << Reach::Reachable;
        QTest::newRow("free for chat") << Presence::FreeForChat << u"free_for_chat"_s << u"free_for_chat"_s << Reach::Reachable;
        QTest::newRow("away") << Presence::Unavailable << u"unavailable"_s << u"unavailable"_s << Reach::Occupied;
        QTest::newRow("busy") << Presence::Busy << u"org.matrix.msc3026.busy"_s << u"busy"_s << Reach::Occupied;
        // Appear offline is, on the wire, simply offline: nothing else ever reaches a server.
        QTest::newRow("hidden") << Presence::Hidden << u"offline"_s << u"hidden"_s << Reach::Gone;
        QTest::newRow("offline") << Presence::Offline << u"offline"_s << u"offline"_s << Reach::Gone;
        QTest::newRow("unknown") << Presence::Unknown << QString() << u"unknown"_s << Reach::Unknown;
    }

    void eachStateHasOneWireValueAndOneName()
    {
        QFETCH(Presence, presence);
        QFETCH(QString, wire);
        QFETCH(QString, name);
        QFETCH(Reach, reach);
        QCOMPARE(presenceToWire(presence), wire);
        QCOMPARE(presenceName(presence), name);
        QCOMPARE(presenceFromName(name), std::optional(presence));
        QCOMPARE(reachOf(presence), reach);
        QCOMPARE(isReachable(presence), reach == Reach::Reachable);
        // What is published reads back as itself, but for Hidden, which others see as Offline.
        if (presence != Presence::Unknown)
            QCOMPARE(presenceFromWire(wire), presence == Presence::Hidden ? Presence::Offline : presence);
    }

    void receivedNamesOfTheSeedAndMsc3026AreUnderstood()
    {
        QCOMPARE(presenceFromWire(u"busy"), Presence::Busy);
        QCOMPARE(presenceFromWire(u"hidden"), Presence::Hidden);
        QCOMPARE(presenceFromWire(u"dnd"), Presence::Unknown);
        QCOMPARE(presenceFromWire(u""), Presence::Unknown);
        QCOMPARE(presenceFromName(u"away"), std::nullopt);  // the selector's word is the control protocol's alias
    }

    void everyListSortsTheMostReachableFirst()
    {
        const QList<Presence> order{Presence::FreeForChat, Presence::Online, Presence::Busy, Presence::Unavailable,
                                    Presence::Hidden, Presence::Offline, Presence::Unknown};
        for (qsizetype index = 1; index < order.size(); ++index)
            QVERIFY(presenceRank(order.at(index - 1)) < presenceRank(order.at(index)));
    }

    void aStateFromTheWireIsPinnedToTheTimeItArrived()
    {
        PresenceContent content;
        content.presence = u"unavailable"_s;
        content.statusMessage = u"Lunch"_s;
        content.lastActiveAgoMs = 60'000;
        const PresenceState state = PresenceState::fromWire(content, 1'000'000);
        QCOMPARE(state.presence, Presence::Unavailable);
        QCOMPARE(state.rawPresence, u"unavailable"_s);
        QCOMPARE(state.statusMessage, u"Lunch"_s);
        QCOMPARE(state.lastActiveAtMs, 940'000);
        QVERIFY(!state.currentlyActive);
        content.lastActiveAgoMs.reset();
        QCOMPARE(PresenceState::fromWire(content, 1'000'000).lastActiveAtMs, 0);  // unknown, not "now"
    }
};

QTEST_APPLESS_MAIN(PresenceTest)
#include "tst_presence.moc"
