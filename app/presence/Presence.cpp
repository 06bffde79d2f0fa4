#include "presence/Presence.h"

#include <QCoreApplication>

#include <array>

using namespace Qt::Literals::StringLiterals;

namespace {

struct Vocabulary {
    Presence presence;
    QLatin1StringView name;  // presenceName()
    QLatin1StringView wire;  // presenceToWire(); empty where there is none
    Reach reach;
    int rank;
};

// One row per state, in enum order: every mapping below reads this table.
constexpr std::array vocabulary{
    Vocabulary{Presence::Online, "online"_L1, "online"_L1, Reach::Reachable, 1},
    Vocabulary{Presence::FreeForChat, "free_for_chat"_L1, "free_for_chat"_L1, Reach::Reachable, 0},
    Vocabulary{Presence::Unavailable, "unavailable"_L1, "unavailable"_L1, Reach::Occupied, 3},
    Vocabulary{Presence::Busy, "busy"_L1, "org.matrix.msc3026.busy"_L1, Reach::Occupied, 2},
    Vocabulary{Presence::Hidden, "hidden"_L1, "offline"_L1, Reach::Gone, 4},
    Vocabulary{Presence::Offline, "offline"_L1, "offline"_L1, Reach::Gone, 5},
    Vocabulary{Presence::Unknown, "unknown"_L1, {}, Reach::Unknown, 6},
};

constexpr bool inEnumOrder()
{
    for (std::size_t index = 0; index < vocabulary.size(); ++index)
        if (static_cast<std::size_t>(vocabulary[index].presence) != index)
            return false;
    return true;
}
static_assert(inEnumOrder(), "the vocabulary table is indexed by Presence");

const Vocabulary &entry(Presence presence)
{
    const auto index = static_cast<std::size_t>(presence);
    return index < vocabulary.size() ? vocabulary[index] : vocabulary.back();
}

} // namespace

QString presenceToWire(Presence presence)
{
    return entry(presence).wire;
}

Presence presenceFromWire(QStringView wire)
{
    // Hidden shares "offline" with Offline: on the wire they are the same thing.
    for (const Vocabulary &row : vocabulary)
        if (row.presence != Presence::Hidden && !row.wire.isEmpty() && row.wire == wire)
            return row.presence;
    // Received, the names of the seed and of MSC3026 without its prefix mean what they say.
    if (wire == u"busy")
        return Presence::Busy;
    if (wire == u"hidden")
        return Presence::Hidden;
    return Presence::Unknown;
}

QString presenceName(Presence presence)
{
    return entry(presence).name;
}

std::optional<Presence> presenceFromName(QStringView name)
{
    for (const Vocabulary &row : vocabulary)
        if (row.name == name)
            return row.presence;
    return std::nullopt;
}

Reach reachOf(Presence presence)
{
    return entry(presence).reach;
}

int presenceRank(Presence presence)
{
    return entry(presence).rank;
}

QString presenceLabel(Presence presence)
{
    switch (presence) {
    case Presence::Online: return QCoreApplication::translate("Presence", "Online");
    case Presence::FreeForChat: return QCoreApplication::translate("Presence", "Free for chat");
    case Presence::Unavailable: return QCoreApplication::translate("Presence", "Away");
    case Presence::Busy: return QCoreApplication::translate("Presence", "Busy");
    case Presence::Hidden: return QCoreApplication::translate("Presence", "Appear offline");
    case Presence::Offline: return QCoreApplication::translate("Presence", "Offline");
    case Presence::Unknown: return QCoreApplication::translate("Presence", "Presence unknown");
    }
    return {};
}
