#pragma once

#include "presence/IdleSource.h"
#include "matrix/MonotonicClock.h"

#include <QDBusConnection>

// A desktop service's idle time over D-Bus: a method with no arguments that answers milliseconds.
// The freedesktop screensaver (KDE and others) and GNOME Mutter's IdleMonitor are two of them.
class DBusIdleSource : public IdleSource {
    Q_OBJECT
public:
    struct Endpoint {
        QString service;
        QString path;
        QString interface;
        QString method;
    };
    static Endpoint freedesktopScreenSaver();
    static Endpoint mutterIdleMonitor();

    DBusIdleSource(const QDBusConnection &bus, const Endpoint &endpoint, QObject *parent = nullptr);
    QString name() const override { return m_endpoint.service; }
    void query() override;

private:
    QDBusConnection m_bus;
    Endpoint m_endpoint;
};

// The last resort: input to Presently's own windows. It cannot see the rest of the desktop, so it says "idle"
// while the user works elsewhere; better than never going away.
class AppInputIdleSource : public IdleSource {
    Q_OBJECT
public:
    // Watches `watched` (the application object, to see every window's input).
    explicit AppInputIdleSource(QObject *watched, MonotonicClock clock = {}, QObject *parent = nullptr);
    QString name() const override { return QStringLiteral("input to Presently"); }
    void query() override;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    MonotonicClock m_clock;
    qint64 m_lastInputMs;
};
