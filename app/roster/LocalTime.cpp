#include "roster/LocalTime.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QLocale>
#include <QTimeZone>

QString describeLocalTime(const QString &zoneName, qint64 nowMs)
{
    if (zoneName.isEmpty())
        return {};
    const QTimeZone zone(zoneName.toLatin1());
    if (!zone.isValid())
        return {};
    const QDateTime theirs = QDateTime::fromMSecsSinceEpoch(nowMs, zone);
    return QCoreApplication::translate("LocalTime", "%1 their time").arg(QLocale().toString(theirs.time(), QLocale::ShortFormat));
}
