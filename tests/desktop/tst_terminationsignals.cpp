// TerminationSignals: SIGTERM, SIGINT and SIGHUP arrive as a Qt signal through the event loop, once; after the
// first, each of them has its default action back, so a second one ends the process.
#include "desktop/TerminationSignals.h"

#include <QSignalSpy>
#include <QTest>

#include <csignal>

namespace {
bool hasDefaultAction(int signalNumber)
{
    struct sigaction current = {};
    sigaction(signalNumber, nullptr, &current);
    return current.sa_handler == SIG_DFL;
}

bool allHaveDefaultActions()
{
    return hasDefaultAction(SIGTERM) && hasDefaultAction(SIGINT) && hasDefaultAction(SIGHUP);
}
} // namespace

class TerminationSignalsTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        // QtTest's crash handler catches some of them; Presently starts with the default actions, and so does this.
        for (const int signalNumber : {SIGTERM, SIGINT, SIGHUP})
            std::signal(signalNumber, SIG_DFL);
    }

    void aSignalArrivesThroughTheEventLoopOnce_data()
    {
        QTest::addColumn<int>("signalNumber");
        QTest::newRow("SIGTERM") << SIGTERM;
        QTest::newRow("SIGINT") << SIGINT;
        QTest::newRow("SIGHUP") << SIGHUP;
    }

    void aSignalArrivesThroughTheEventLoopOnce()
    {
        QFETCH(int, signalNumber);
        QVERIFY(allHaveDefaultActions());
        {
            TerminationSignals termination;
            QVERIFY(termination.isWatching());
            QVERIFY(!hasDefaultAction(SIGTERM) && !hasDefaultAction(SIGINT) && !hasDefaultAction(SIGHUP));
            QSignalSpy requested(&termination, &TerminationSignals::terminationRequested);

            QCOMPARE(raise(signalNumber), 0);
            QVERIFY(requested.isEmpty());  // the handler only wrote; the event loop tells
            QVERIFY(requested.wait());
            QCOMPARE(requested.count(), 1);
            QCOMPARE(requested.at(0).at(0).toInt(), signalNumber);
            QVERIFY(allHaveDefaultActions());  // a second one, of any of them, is not caught
        }
        QVERIFY(allHaveDefaultActions());
    }

    void withoutASignalTheDefaultsComeBackAtTheEnd()
    {
        {
            TerminationSignals termination;
            QVERIFY(!hasDefaultAction(SIGTERM));
        }
        QVERIFY(allHaveDefaultActions());
    }
};

QTEST_GUILESS_MAIN(TerminationSignalsTest)
#include "tst_terminationsignals.moc"
