#include "desktop/SleepMonitor.h"

#include <QDBusMessage>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QLoggingCategory>

using namespace Qt::Literals::StringLiterals;

Q_LOGGING_CATEGORY(lcSleep, "presently.sleep", QtInfoMsg)

namespace {
const QString login1Service = u"org.freedesktop.login1"_s;
const QString login1Path = u"/org/freedesktop/login1"_s;
const QString login1Manager = u"org.freedesktop.login1.Manager"_s;
}

SleepMonitor::SleepMonitor(const QDBusConnection &bus, QObject *parent)
    : QObject(parent)
    , m_bus(bus)
{
    m_releaseTimer.setSingleShot(true);
    connect(&m_releaseTimer, &QTimer::timeout, this, &SleepMonitor::releaseSleepDelay);
    if (!m_bus.isConnected()) {
        qCInfo(lcSleep) << "no system bus: going to sleep will not set you offline";
        return;
    }
    m_watching = m_bus.connect(login1Service, login1Path, login1Manager, u"PrepareForSleep"_s, this,
                               SLOT(onPrepareForSleep(bool)))
                 && m_bus.connect(login1Service, login1Path, login1Manager, u"PrepareForShutdown"_s, this,
                                  SLOT(onPrepareForShutdown(bool)));
    takeSleepDelay();
}

void SleepMonitor::takeSleepDelay()
{
    if (m_delayLock.isValid())
        return;
    QDBusMessage call = QDBusMessage::createMethodCall(login1Service, login1Path, login1Manager, u"Inhibit"_s);
    call << u"sleep:shutdown"_s << u"Presently"_s << tr("Telling your contacts you are offline") << u"delay"_s;
    auto *watcher = new QDBusPendingCallWatcher(m_bus.asyncCall(call), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this, [this, watcher] {
        watcher->deleteLater();
        const QDBusPendingReply<QDBusUnixFileDescriptor> reply = *watcher;
        if (reply.isError()) {
            qCInfo(lcSleep).noquote() << "no sleep delay from logind:" << reply.error().message();
            return;
        }
        m_delayLock = reply.value();
    });
}

void SleepMonitor::releaseSleepDelay()
{
    m_releaseTimer.stop();
    if (!m_delayLock.isValid())
        return;
    // Closing our copy of the file descriptor is what releases the inhibitor.
    m_delayLock = QDBusUnixFileDescriptor();
    qCInfo(lcSleep) << "released the sleep delay";
}

void SleepMonitor::onPrepareForSleep(bool sleeping)
{
    qCInfo(lcSleep) << (sleeping ? "the machine is going to sleep" : "the machine woke up");
    Q_EMIT sleepingChanged(sleeping);
    if (sleeping)
        m_releaseTimer.start(maxSleepDelayMs);
    else
        takeSleepDelay();
}

void SleepMonitor::onPrepareForShutdown(bool starting)
{
    if (!starting)
        return;  // a cancelled shutdown: the owner, told it was coming, has quit by then
    qCInfo(lcSleep) << "the machine is shutting down";
    Q_EMIT shuttingDown();
    m_releaseTimer.start(maxSleepDelayMs);
}
