#include "availability/AvailabilityNote.h"

#include "presence/AvailabilityController.h"

#include <QCoreApplication>
#include <QStringList>

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("AvailabilityNote", text);
}
} // namespace

QString availabilityNote(const AvailabilityController *availability)
{
    if (availability->isPresenceUnavailable())
        return tr("This server does not share presence: nobody's availability can be shown, yours included.");

    const Presence chosen = availability->chosen();
    const Presence effective = availability->effective();
    const Presence advertised = availability->advertised();
    QStringList lines;
    if (availability->isAutoAway())
        lines << tr("Away automatically while you are idle; %1 again when you are back.").arg(presenceLabel(chosen));
    else if (chosen == Presence::FreeForChat && advertised == Presence::Online)
        lines << tr("This server has no “free for chat” state; others see you as online.");
    else if (chosen == Presence::Busy && advertised == Presence::Unavailable)
        lines << tr("This server has no busy state; others see you as away.");
    else if (effective == Presence::Hidden)
        lines << tr("You appear offline to others and still see them.");
    else if (effective == Presence::Offline)
        lines << tr("You are offline. Contacts show their last known state.");

    if (availability->anotherDeviceDiffers())
        lines << tr("Another of your devices shows you as %1 to others.")
                     .arg(presenceLabel(*availability->reportedByServer()).toLower());
    return lines.join(u'\n');
}

Presence ownBadgePresence(const AvailabilityController *availability)
{
    return availability->isAutoAway() ? availability->effective() : availability->chosen();
}
