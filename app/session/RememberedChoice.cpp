#include "session/RememberedChoice.h"

#include <QSettings>

using namespace Qt::Literals::StringLiterals;

namespace {
const QString userKey = u"presence/userId"_s;
const QString presenceKey = u"presence/chosen"_s;
const QString statusKey = u"presence/statusMessage"_s;
} // namespace

std::optional<RememberedChoice> RememberedChoice::load(const QString &userId)
{
    const QSettings settings;
    if (userId.isEmpty() || settings.value(userKey).toString() != userId)
        return std::nullopt;
    const std::optional<Presence> presence = presenceFromName(settings.value(presenceKey).toString());
    if (!presence || *presence == Presence::Unknown)
        return std::nullopt;
    return RememberedChoice{*presence, settings.value(statusKey).toString()};
}

void RememberedChoice::save(const QString &userId, const RememberedChoice &choice)
{
    QSettings settings;
    settings.setValue(userKey, userId);
    settings.setValue(presenceKey, presenceName(choice.presence));
    settings.setValue(statusKey, choice.statusMessage);
}

void RememberedChoice::forget()
{
    QSettings settings;
    for (const QString &key : {userKey, presenceKey, statusKey})
        settings.remove(key);
}
