#pragma once

#include <QHash>
#include <QObject>
#include <QString>

// Contacts' time zones (the m.tz profile field, an IANA name), for "14:05 their time". Only people who publish
// one are in it; the local time itself is worked out when it is shown, so it never goes stale.
class TimeZoneBook : public QObject {
    Q_OBJECT
public:
    explicit TimeZoneBook(QObject *parent = nullptr);

    // Empty when the person publishes none (or it is not known yet).
    QString zoneOf(const QString &userId) const { return m_zones.value(userId); }

public Q_SLOTS:
    // An empty name forgets the person's zone.
    void setZone(const QString &userId, const QString &zoneName);
    void clear();

Q_SIGNALS:
    void zoneChanged(const QString &userId);

private:
    QHash<QString, QString> m_zones;
};
