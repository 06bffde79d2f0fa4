// "online now" / "active N min ago": from an absolute time, never negative under clock skew.
#include "roster/LastActive.h"

#include <QTest>

using namespace Qt::Literals::StringLiterals;

class LastActiveTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void describesTheAge_data()
    {
        QTest::addColumn<bool>("currentlyActive");
        QTest::addColumn<qint64>("agoMs");
        QTest::addColumn<QString>("expected");
        constexpr qint64 minute = 60 * 1000;
        QTest::newRow("currently active, whatever the age") << true << 3 * 60 * minute << u"online now"_s;
        QTest::newRow("a moment ago") << false << qint64(59 * 1000) << u"active just now"_s;
        QTest::newRow("a clock ahead of ours") << false << -5 * minute << u"active just now"_s;
        QTest::newRow("one minute") << false << minute << u"active 1 min ago"_s;
        QTest::newRow("59 minutes") << false << 59 * minute + 59 * 1000 << u"active 59 min ago"_s;
        QTest::newRow("an hour") << false << 60 * minute << u"active 1 h ago"_s;
        QTest::newRow("23 hours") << false << 24 * 60 * minute - 1 << u"active 23 h ago"_s;
        QTest::newRow("three days") << false << 3 * 24 * 60 * minute << u"active 3 d ago"_s;
    }

    void describesTheAge()
    {
        QFETCH(bool, currentlyActive);
        QFETCH(qint64, agoMs);
        QFETCH(QString, expected);
        const qint64 now = 1'800'000'000'000;
        QCOMPARE(describeLastActive(currentlyActive, now - agoMs, now), expected);
    }

    void anUnknownTimeSaysNothing()
    {
        QCOMPARE(describeLastActive(false, 0, 1'800'000'000'000), QString());
    }
};

QTEST_GUILESS_MAIN(LastActiveTest)
#include "tst_lastactive.moc"
