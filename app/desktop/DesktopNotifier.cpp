#include "desktop/DesktopNotifier.h"

#include <QDBusMessage>
#include <QDBusPendingCallWatcher>
#include <QLoggingCategory>
#include <QVariantMap>

using namespace Qt::Literals::StringLiterals;

Q_LOGGING_CATEGORY(lcNotify, "presently.notify", QtInfoMsg)

namespace {
constexpr int notifyTimeoutMs = 2000;
}
namespace {
const QString service = u"org.freedesktop.Notifications"_s;
const QString path = u"/org/freedesktop/Notifications"_s;
}

DesktopNotifier::DesktopNotifier(const QDBusConnection &bus, QObject *parent)
    : QObject(parent)
    , m_bus(bus)
{
    askCapabilities();
}

void DesktopNotifier::askCapabilities()
{
    if (!m_bus.isConnected())
        return;
    const QDBusMessage call = QDBusMessage::createMethodCall(service, path, service, u"GetCapabilities"_s);
    auto *watcher = new QDBusPendingCallWatcher(m_bus.asyncCall(call, notifyTimeoutMs), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this, [this, watcher] {
        watcher->deleteLater();
        if (!watcher->isError())
            m_bodyIsMarkup = watcher->reply().arguments().value(0).toStringList().contains(u"body-markup"_s);
        m_capabilitiesKnown = true;
        const auto waiting = std::exchange(m_waiting, {});
        for (const auto &[summary, body] : waiting)
            send(summary, body);
    });
}

void DesktopNotifier::notify(const QString &summary, const QString &body)
{
    if (!m_bus.isConnected()) {
        Q_EMIT failed(summary, body);
        return;
    }
    if (!m_capabilitiesKnown) {
        m_waiting.append({summary, body});
        return;
    }
    send(summary, body);
}

void DesktopNotifier::send(const QString &summary, const QString &body)
{
    QDBusMessage call = QDBusMessage::createMethodCall(service, path, service, u"Notify"_s);
    const QVariantMap hints{{u"desktop-entry"_s, u"io.github.presently.Presently"_s}};
    call << u"Presently"_s << 0u << u"io.github.presently.Presently"_s << summary
         << (m_bodyIsMarkup ? body.toHtmlEscaped() : body)
         << QStringList() << hints << -1;
    auto *watcher = new QDBusPendingCallWatcher(m_bus.asyncCall(call, notifyTimeoutMs), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this, [this, watcher, summary, body] {
        watcher->deleteLater();
        if (watcher->isError()) {
            qCInfo(lcNotify).noquote() << "no notification service:" << watcher->error().message();
            Q_EMIT failed(summary, body);
        }
    });
}
