#include "matrix/SyncFilter.h"

#include <QJsonArray>

using namespace Qt::Literals::StringLiterals;

namespace {

QJsonObject roomPart(RoomTraffic rooms)
{
    const QJsonArray memberEvents{u"m.room.member"_s};
    const QJsonArray nothing;
    const bool latestChange = rooms == RoomTraffic::SizesAndLatestChange;
    return QJsonObject{
        {"state"_L1, QJsonObject{{"types"_L1, latestChange ? QJsonArray{u"m.room.create"_s} : memberEvents},
                                 {"lazy_load_members"_L1, true}}},
        {"timeline"_L1, QJsonObject{{"types"_L1, memberEvents}, {"limit"_L1, latestChange ? 1 : 50},
                                    {"lazy_load_members"_L1, true}}},
        {"ephemeral"_L1, QJsonObject{{"types"_L1, nothing}}},
        {"account_data"_L1, QJsonObject{{"types"_L1, nothing}}},
    };
}

} // namespace

QJsonObject presenceClientFilter(const QStringList &presenceSenders, RoomTraffic rooms)
{
    QJsonObject filter{
        {"presence"_L1, QJsonObject{{"types"_L1, QJsonArray{u"m.presence"_s}},
                                    {"senders"_L1, QJsonArray::fromStringList(presenceSenders)}}},
        {"account_data"_L1, QJsonObject{{"types"_L1, QJsonArray{u"m.direct"_s, u"im.presently.roster"_s}}}},
        {"room"_L1, roomPart(rooms)},
    };
    if (rooms == RoomTraffic::SizesAndLatestChange) {
        // Synapse trims room events only (not presence or account data): what SyncParser reads of a member event.
        filter.insert("event_fields"_L1, QJsonArray{u"type"_s, u"state_key"_s, u"content.membership"_s,
                                                     u"content.displayname"_s, u"content.avatar_url"_s});
    }
    return filter;
}

QStringList presenceSendersFor(const QString &ownUserId, const QStringList &contactIds)
{
    QStringList senders = contactIds;
    if (!ownUserId.isEmpty())
        senders.append(ownUserId);
    senders.sort();
    senders.removeDuplicates();
    return senders;
}
