#pragma once

#include <QDBusConnection>
#include <QList>
#include <QObject>

#include <utility>

// Desktop notifications through org.freedesktop.Notifications. The summary is plain text by the
// specification; the body is read as markup by servers with the "body-markup" capability, so for them it is
// sent escaped, and as it is to the others. Notifications wait for the capabilities (asked once, at the start).
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
    void askCapabilities();
    void send(const QString &summary, const QString &body);

    QDBusConnection m_bus;
    bool m_capabilitiesKnown = false;
    bool m_bodyIsMarkup = true;  // until told otherwise, the safe guess
    QList<std::pair<QString, QString>> m_waiting;  // summary, body
};
