#pragma once

#include <QDBusConnection>
#include <QObject>

// Desktop notifications through org.freedesktop.Notifications. The summary is plain text by the
// specification; the body may be read as markup by some servers, so it is sent escaped.
class DesktopNotifier : public QObject {
    Q_OBJECT
public:
    explicit DesktopNotifier(const QDBusConnection &bus, QObject *parent = nullptr);

public Q_SLOTS:
    void notify(const QString &summary, const QString &body);

Q_SIGNALS:
    // No notification service answered: the caller shows the message another way (the tray's balloon).
    void failed(const QString &summary, const QString &body);

private:
    QDBusConnection m_bus;
};
