#include "desktop/DesktopIdleSources.h"

#include <QDBusMessage>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QEvent>

using namespace Qt::Literals::StringLiterals;

namespace {
// A desktop service that takes longer than this is treated as absent for this poll.
constexpr int dbusTimeoutMs = 1000;
}

DBusIdleSource::Endpoint DBusIdleSource::freedesktopScreenSaver()
{
    return {u"org.freedesktop.ScreenSaver"_s, u"/org/freedesktop/ScreenSaver"_s, u"org.freedesktop.ScreenSaver"_s,
            u"GetSessionIdleTime"_s};
}

DBusIdleSource::Endpoint DBusIdleSource::mutterIdleMonitor()
{
    return {u"org.gnome.Mutter.IdleMonitor"_s, u"/org/gnome/Mutter/IdleMonitor/Core"_s,
            u"org.gnome.Mutter.IdleMonitor"_s, u"GetIdletime"_s};
}

DBusIdleSource::DBusIdleSource(const QDBusConnection &bus, const Endpoint &endpoint, QObject *parent)
    : IdleSource(parent)
    , m_bus(bus)
    , m_endpoint(endpoint)
{
}

void DBusIdleSource::query()
{
    if (!m_bus.isConnected()) {
        Q_EMIT unavailable();
        return;
    }
    const QDBusMessage call = QDBusMessage::createMethodCall(m_endpoint.service, m_endpoint.path,
                                                             m_endpoint.interface, m_endpoint.method);
    auto *watcher = new QDBusPendingCallWatcher(m_bus.asyncCall(call, dbusTimeoutMs), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this, [this, watcher] {
        watcher->deleteLater();
        const QDBusMessage reply = watcher->reply();
        const QVariant value = reply.arguments().value(0);
        // GetSessionIdleTime answers uint32, GetIdletime uint64; anything else means "not this service".
        bool ok = false;
        const qulonglong idleMs = value.toULongLong(&ok);
        if (reply.type() != QDBusMessage::ReplyMessage || !ok)
            Q_EMIT unavailable();
        else
            Q_EMIT idleTime(static_cast<qint64>(idleMs));
    });
}

AppInputIdleSource::AppInputIdleSource(QObject *watched, MonotonicClock clock, QObject *parent)
    : IdleSource(parent)
    , m_clock(orMonotonicClock(std::move(clock)))
    , m_lastInputMs(m_clock())
{
    watched->installEventFilter(this);
}

void AppInputIdleSource::query()
{
    Q_EMIT idleTime(qMax<qint64>(0, m_clock() - m_lastInputMs));
}

bool AppInputIdleSource::eventFilter(QObject *watched, QEvent *event)
{
    switch (event->type()) {
    case QEvent::KeyPress:
    case QEvent::MouseButtonPress:
    case QEvent::MouseMove:
    case QEvent::Wheel:
    case QEvent::TouchBegin:
        m_lastInputMs = m_clock();
        break;
    default:
        break;
    }
    return IdleSource::eventFilter(watched, event);
}
