// The desktop over D-Bus, on a private session bus (run by dbus-run-session): the idle-time services of
// freedesktop and GNOME, logind's sleep signal and delay inhibitor, and desktop notifications. The services are played by objects
// on a second connection to the same bus, so every call crosses the real bus daemon.
#include "desktop/DesktopIdleSources.h"
#include "desktop/DesktopNotifier.h"
#include "desktop/SleepMonitor.h"

#include <QDBusConnection>
#include <QDBusMessage>
#include <QDBusUnixFileDescriptor>
#include <QSignalSpy>
#include <QTest>

#include <sys/socket.h>
#include <unistd.h>

using namespace Qt::Literals::StringLiterals;

// org.freedesktop.login1.Manager, the parts Presently uses. Each inhibitor handed out is one end of a socket
// pair; the other end tells whether the client still holds it.
class FakeLogind : public QObject {
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.freedesktop.login1.Manager")
public:
    ~FakeLogind() override
    {
        for (int fd : m_ourEnds)
            ::close(fd);
    }

    int inhibitCalls() const { return int(m_ourEnds.size()); }
    QString lastRequest() const { return m_lastRequest; }

    // True while the client keeps its end of the latest inhibitor open.
    bool latestInhibitorHeld() const
    {
        char byte;
        const ssize_t n = ::recv(m_ourEnds.last(), &byte, 1, MSG_DONTWAIT | MSG_PEEK);
        return n != 0;  // 0 is end of file: every copy of the client's end is closed
    }

public Q_SLOTS:
    QDBusUnixFileDescriptor Inhibit(const QString &what, const QString &who, const QString &, const QString &mode)
    {
        m_lastRequest = QStringList{what, who, mode}.join(u' ');
        int ends[2];
        if (::socketpair(AF_UNIX, SOCK_STREAM, 0, ends) != 0)
            return {};
        m_ourEnds.append(ends[0]);
        QDBusUnixFileDescriptor theirs(ends[1]);  // dups it
        ::close(ends[1]);
        return theirs;
    }

private:
    QList<int> m_ourEnds;
    QString m_lastRequest;
};

class FakeScreenSaver : public QObject {
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.freedesktop.ScreenSaver")
public Q_SLOTS:
    uint GetSessionIdleTime() { return 4242; }
};

class FakeMutterIdleMonitor : public QObject {
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.gnome.Mutter.IdleMonitor")
public Q_SLOTS:
    qulonglong GetIdletime() { return 77; }
};

class FakeNotifications : public QObject {
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.freedesktop.Notifications")
public:
    QStringList received;  // "app|summary|body" per notification
    QStringList capabilities{u"body"_s, u"body-markup"_s};

public Q_SLOTS:
    QStringList GetCapabilities() { return capabilities; }

    uint Notify(const QString &appName, uint, const QString &, const QString &summary, const QString &body,
                const QStringList &, const QVariantMap &, int)
    {
        received << QStringList{appName, summary, body}.join(u'|');
        return uint(received.size());
    }
};

class DesktopBusTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_client.isConnected(), "no session bus: run me through dbus-run-session");
        QVERIFY(m_services.isConnected());
    }

    void cleanup()
    {
        // Each test serves what it needs; the objects served are gone with the test.
        for (const auto &[service, path] : m_served) {
            m_services.unregisterService(service);
            m_services.unregisterObject(path);
        }
        m_served.clear();
    }

    void idleTimeComesFromTheDesktopServices()
    {
        FakeScreenSaver screenSaver;
        FakeMutterIdleMonitor mutter;
        serve(u"org.freedesktop.ScreenSaver"_s, u"/org/freedesktop/ScreenSaver"_s, &screenSaver);
        serve(u"org.gnome.Mutter.IdleMonitor"_s, u"/org/gnome/Mutter/IdleMonitor/Core"_s, &mutter);

        DBusIdleSource freedesktop(m_client, DBusIdleSource::freedesktopScreenSaver());
        QSignalSpy freedesktopAnswer(&freedesktop, &IdleSource::idleTime);
        freedesktop.query();
        QVERIFY(freedesktopAnswer.wait(3000));
        QCOMPARE(freedesktopAnswer.at(0).at(0).toLongLong(), 4242);

        DBusIdleSource gnome(m_client, DBusIdleSource::mutterIdleMonitor());
        QSignalSpy gnomeAnswer(&gnome, &IdleSource::idleTime);
        gnome.query();
        QVERIFY(gnomeAnswer.wait(3000));
        QCOMPARE(gnomeAnswer.at(0).at(0).toLongLong(), 77);
    }

    void aMissingServiceOrBusIsUnavailable()
    {
        DBusIdleSource missing(m_client, DBusIdleSource::mutterIdleMonitor());
        QSignalSpy unavailable(&missing, &IdleSource::unavailable);
        missing.query();
        QVERIFY(unavailable.wait(3000));

        DBusIdleSource noBus(QDBusConnection(u"never connected"_s), DBusIdleSource::freedesktopScreenSaver());
        QSignalSpy noBusUnavailable(&noBus, &IdleSource::unavailable);
        noBus.query();
        QCOMPARE(noBusUnavailable.count(), 1);
        QVERIFY(!SleepMonitor(QDBusConnection(u"never connected"_s)).isWatching());
    }

    void sleepIsSignalledAndWaitsForOfflineToBeSent()
    {
        FakeLogind logind;
        serve(u"org.freedesktop.login1"_s, u"/org/freedesktop/login1"_s, &logind);
        SleepMonitor monitor(m_client);
        QVERIFY(monitor.isWatching());
        QTRY_VERIFY(monitor.holdsSleepDelay());
        QCOMPARE(logind.inhibitCalls(), 1);
        QCOMPARE(logind.lastRequest(), u"sleep:shutdown Presently delay"_s);
        QVERIFY(logind.latestInhibitorHeld());

        QSignalSpy sleeping(&monitor, &SleepMonitor::sleepingChanged);
        prepareForSleep(true);
        QVERIFY(sleeping.wait(3000));
        QCOMPARE(sleeping.at(0).at(0).toBool(), true);
        QVERIFY(logind.latestInhibitorHeld());  // still held: "offline" has not been sent yet
        monitor.releaseSleepDelay();            // what PresentlyApp does once it has
        QVERIFY(!logind.latestInhibitorHeld());

        prepareForSleep(false);
        QVERIFY(sleeping.wait(3000));
        QCOMPARE(sleeping.at(1).at(0).toBool(), false);
        QTRY_COMPARE(logind.inhibitCalls(), 2);  // a new delay for the next sleep
        QTRY_VERIFY(monitor.holdsSleepDelay());
    }

    void theSleepDelayEndsEvenIfOfflineCannotBeSent()
    {
        FakeLogind logind;
        serve(u"org.freedesktop.login1"_s, u"/org/freedesktop/login1"_s, &logind);
        SleepMonitor monitor(m_client);
        QTRY_VERIFY(monitor.holdsSleepDelay());
        prepareForSleep(true);
        QTRY_VERIFY_WITH_TIMEOUT(!logind.latestInhibitorHeld(), SleepMonitor::maxSleepDelayMs + 1000);
    }

    void shutdownIsSignalledAndWaitsForTheOwner()
    {
        FakeLogind logind;
        serve(u"org.freedesktop.login1"_s, u"/org/freedesktop/login1"_s, &logind);
        SleepMonitor monitor(m_client);
        QTRY_VERIFY(monitor.holdsSleepDelay());

        QSignalSpy shuttingDown(&monitor, &SleepMonitor::shuttingDown);
        prepareFor(u"PrepareForShutdown"_s, true);
        QVERIFY(shuttingDown.wait(3000));
        QVERIFY(logind.latestInhibitorHeld());  // still held: the owner says "offline" first
        QTRY_VERIFY_WITH_TIMEOUT(!logind.latestInhibitorHeld(), SleepMonitor::maxSleepDelayMs + 1000);  // not forever
        QCOMPARE(shuttingDown.count(), 1);
    }

    void notificationsGoToTheDesktopWithTheBodyAsTheServerReadsIt_data()
    {
        QTest::addColumn<QStringList>("capabilities");
        QTest::addColumn<QString>("expectedBody");
        QTest::newRow("markup server: escaped") << QStringList{u"body"_s, u"body-markup"_s} << u"Back &lt;i&gt;now&lt;/i&gt;"_s;
        QTest::newRow("plain server: as it is") << QStringList{u"body"_s} << u"Back <i>now</i>"_s;
    }

    void notificationsGoToTheDesktopWithTheBodyAsTheServerReadsIt()
    {
        QFETCH(QStringList, capabilities);
        QFETCH(QString, expectedBody);
        FakeNotifications notifications;
        notifications.capabilities = capabilities;
        serve(u"org.freedesktop.Notifications"_s, u"/org/freedesktop/Notifications"_s, &notifications);
        DesktopNotifier notifier(m_client);
        QSignalSpy failed(&notifier, &DesktopNotifier::failed);
        notifier.notify(u"<b>Bob</b> is online"_s, u"Back <i>now</i>"_s);
        QTRY_COMPARE(notifications.received.size(), 1);
        // The summary is plain text by the specification, so it goes as it is.
        QCOMPARE(notifications.received.at(0), u"Presently|<b>Bob</b> is online|"_s + expectedBody);
        QTest::qWait(100);
        QCOMPARE(failed.count(), 0);
    }

    void withoutANotificationServiceTheCallerIsTold()
    {
        DesktopNotifier notifier(m_client);
        QSignalSpy failed(&notifier, &DesktopNotifier::failed);
        notifier.notify(u"Bob is online"_s, {});
        QVERIFY(failed.wait(3000));
        QCOMPARE(failed.at(0).at(0).toString(), u"Bob is online"_s);
    }

private:
    void serve(const QString &service, const QString &path, QObject *object)
    {
        QVERIFY(m_services.registerObject(path, object, QDBusConnection::ExportAllSlots));
        QVERIFY(m_services.registerService(service));
        m_served.append({service, path});
    }

    void prepareForSleep(bool sleeping) { prepareFor(u"PrepareForSleep"_s, sleeping); }

    // logind's PrepareForSleep or PrepareForShutdown.
    void prepareFor(const QString &signalName, bool starting)
    {
        QDBusMessage signal = QDBusMessage::createSignal(u"/org/freedesktop/login1"_s, u"org.freedesktop.login1.Manager"_s,
                                                         signalName);
        signal << starting;
        QVERIFY(m_services.send(signal));
    }

    QList<std::pair<QString, QString>> m_served;  // service, object path
    QDBusConnection m_client = QDBusConnection::sessionBus();
    QDBusConnection m_services = QDBusConnection::connectToBus(QDBusConnection::SessionBus, u"fake desktop services"_s);
};

QTEST_GUILESS_MAIN(DesktopBusTest)
#include "tst_desktopbus.moc"
