// X11IdleSource on a real X server (Xvfb, which has the MIT-SCREEN-SAVER extension): it reports how long the
// display has had no input, and on a platform without X it says it cannot tell rather than "never idle".
#include "desktop/X11IdleSource.h"

#include <QGuiApplication>
#include <QSignalSpy>
#include <QTest>

class X11IdleTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void idleTimeGrowsWhileNobodyTouchesTheDisplay()
    {
        if (QGuiApplication::platformName() != QLatin1String("xcb"))
            QFAIL("this test runs on an X display (tests/ui/with-tray.sh)");
        X11IdleSource source;
        QSignalSpy idle(&source, &IdleSource::idleTime);
        QSignalSpy unavailable(&source, &IdleSource::unavailable);
        source.query();
        QCOMPARE(unavailable.count(), 0);
        QCOMPARE(idle.count(), 1);
        const qint64 first = idle.at(0).at(0).toLongLong();
        QVERIFY(first >= 0);
        // The server's idle counter moves on its own while nobody types: asked again, it has grown.
        const auto idleNowMs = [&] {
            source.query();
            return idle.last().at(0).toLongLong();
        };
        QTRY_VERIFY_WITH_TIMEOUT(idleNowMs() > first, 5000);
        QCOMPARE(unavailable.count(), 0);
    }
};

QTEST_MAIN(X11IdleTest)
#include "tst_x11idle.moc"
