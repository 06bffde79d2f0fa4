#include "roster/LastActive.h"

#include <QCoreApplication>

QString describeLastActive(bool currentlyActive, qint64 lastActiveAtMs, qint64 nowMs)
{
    if (currentlyActive)
        return QCoreApplication::translate("LastActive", "online now");
    if (lastActiveAtMs <= 0)
        return {};
    const qint64 minutes = qMax<qint64>(0, nowMs - lastActiveAtMs) / 60'000;
    if (minutes < 1)
        return QCoreApplication::translate("LastActive", "active just now");
    if (minutes < 60)
        return QCoreApplication::translate("LastActive", "active %n min ago", nullptr, static_cast<int>(minutes));
    const qint64 hours = minutes / 60;
    if (hours < 24)
        return QCoreApplication::translate("LastActive", "active %n h ago", nullptr, static_cast<int>(hours));
    return QCoreApplication::translate("LastActive", "active %n d ago", nullptr, static_cast<int>(hours / 24));
}
