#include "roster/TimeZoneBook.h"

TimeZoneBook::TimeZoneBook(QObject *parent)
    : QObject(parent)
{
}

void TimeZoneBook::setZone(const QString &userId, const QString &zoneName)
{
    if (zoneName == zoneOf(userId))
        return;
    if (zoneName.isEmpty())
        m_zones.remove(userId);
    else
        m_zones.insert(userId, zoneName);
    Q_EMIT zoneChanged(userId);
}

void TimeZoneBook::clear()
{
    const QStringList people = m_zones.keys();
    m_zones.clear();
    for (const QString &userId : people)
        Q_EMIT zoneChanged(userId);
}
