#pragma once

#include <QDBusConnection>
#include <QDBusUnixFileDescriptor>
#include <QObject>
#include <QTimer>

// Tells when the machine is about to sleep and when it woke up, and when it is about to shut down, from
// systemd-logind's PrepareForSleep and PrepareForShutdown signals on the system bus. It holds a logind "delay"
// inhibitor for both while awake, so that when either comes there is a moment to tell the server "offline"
// while the network is still up: the owner calls releaseSleepDelay() once that is done (or exits), and the
// lock is released after maxSleepDelayMs in any case (logind itself waits at most InhibitDelayMaxSec, 5 s).
class SleepMonitor : public QObject {
    Q_OBJECT
public:
    static constexpr int maxSleepDelayMs = 3000;

    explicit SleepMonitor(const QDBusConnection &bus, QObject *parent = nullptr);

    // Whether the PrepareForSleep signal could be subscribed to (there is a bus).
    bool isWatching() const { return m_watching; }
    bool holdsSleepDelay() const { return m_delayLock.isValid(); }

public Q_SLOTS:
    void releaseSleepDelay();

Q_SIGNALS:
    void sleepingChanged(bool sleeping);
    // The machine is shutting down or rebooting: there is no waking up from this one.
    void shuttingDown();

private Q_SLOTS:
    // A string-based slot: QDBusConnection::connect needs one.
    void onPrepareForSleep(bool sleeping);
    void onPrepareForShutdown(bool starting);

private:
    void takeSleepDelay();

    QDBusConnection m_bus;
    QDBusUnixFileDescriptor m_delayLock;
    QTimer m_releaseTimer;
    bool m_watching = false;
};
