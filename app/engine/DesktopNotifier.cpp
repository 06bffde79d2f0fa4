#include "DesktopNotifier.h"

#include <QDBusMessage>
#include <QDBusPendingCallWatcher>
#include <QLoggingCategory>
#include <QVariantMap>

using namespace Qt::Literals::StringLiterals;

Q_LOGGING_CATEGORY(lcNotify, "presently.notify", QtInfoMsg)

namespace {
constexpr int notifyTimeoutMs = 2000;
}

DesktopNotifier::DesktopNotifier(const QDBusConnection &bus, QObject *parent)
    : QObject(parent)
    , m_bus(bus)
{
}

void DesktopNotifier::notify(const QString &summary, const QString &body)
{
    if (!m_bus.isConnected()) {
        Q_EMIT failed(summary, body);
        return;
    }
    QDBusMessage call = QDBusMessage::createMethodCall(u"org.freedesktop.Notifications"_s, u"/org/freedesktop/Notifications"_s,
                                                       u"org.freedesktop.Notifications"_s, u"Notify"_s);
    const QVariantMap hints{{u"desktop-entry"_s, u"io.github.presently.Presently"_s}};
    call << u"Presently"_s << 0u << u"io.github.presently.Presently"_s << summary << body.toHtmlEscaped()
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
