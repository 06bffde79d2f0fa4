#include "Presence.h"

#include <QCoreApplication>

using namespace Qt::Literals::StringLiterals;

QString presenceToWire(Presence presence)
{
    switch (presence) {
    case Presence::Online: return u"online"_s;
    case Presence::FreeForChat: return u"free_for_chat"_s;
    case Presence::Unavailable: return u"unavailable"_s;
    case Presence::Busy: return u"org.matrix.msc3026.busy"_s;
    case Presence::Hidden: return u"hidden"_s;
    case Presence::Offline: return u"offline"_s;
    case Presence::Unknown: break;
    }
    return {};
}

Presence presenceFromWire(QStringView wire)
{
    if (wire == u"online") return Presence::Online;
    if (wire == u"unavailable") return Presence::Unavailable;
    if (wire == u"offline") return Presence::Offline;
    if (wire == u"free_for_chat") return Presence::FreeForChat;
    if (wire == u"hidden") return Presence::Hidden;
    if (wire == u"org.matrix.msc3026.busy" || wire == u"busy") return Presence::Busy;
    return Presence::Unknown;
}

int presenceRank(Presence presence)
{
    switch (presence) {
    case Presence::FreeForChat: return 0;
    case Presence::Online: return 1;
    case Presence::Busy: return 2;
    case Presence::Unavailable: return 3;
    case Presence::Hidden: return 4;
    case Presence::Offline: return 5;
    case Presence::Unknown: return 6;
    }
    return 6;
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
