#include "matrix/SyncFilter.h"

#include <QJsonArray>

using namespace Qt::Literals::StringLiterals;

QJsonObject presenceClientFilter(const QStringList &presenceSenders, int timelineLimit)
{
    const QJsonArray memberEvents{u"m.room.member"_s};
    const QJsonArray nothing;
    return QJsonObject{
        {"presence"_L1, QJsonObject{{"types"_L1, QJsonArray{u"m.presence"_s}},
                                    {"senders"_L1, QJsonArray::fromStringList(presenceSenders)}}},
        {"account_data"_L1, QJsonObject{{"types"_L1, QJsonArray{u"m.direct"_s}}}},
        {"room"_L1, QJsonObject{
            {"state"_L1, QJsonObject{{"types"_L1, memberEvents}, {"lazy_load_members"_L1, true}}},
            {"timeline"_L1, QJsonObject{{"types"_L1, memberEvents}, {"limit"_L1, timelineLimit},
                                        {"lazy_load_members"_L1, true}}},
            {"ephemeral"_L1, QJsonObject{{"types"_L1, nothing}}},
            {"account_data"_L1, QJsonObject{{"types"_L1, nothing}}},
        }},
    };
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
