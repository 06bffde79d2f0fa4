#include "roster/RosterAccountData.h"

#include <QJsonArray>

using namespace Qt::Literals::StringLiterals;

namespace {
constexpr QLatin1StringView hiddenKey{"hidden"};

QStringList sortedUserIds(QStringList userIds)
{
    userIds.removeIf([](const QString &userId) { return !userId.startsWith(u'@') || !userId.contains(u':'); });
    userIds.sort();
    userIds.removeDuplicates();
    return userIds;
}
} // namespace

RosterAccountData RosterAccountData::read(const QJsonObject &content)
{
    QStringList hidden;
    for (const QJsonValue &entry : content.value(hiddenKey).toArray()) {
        if (entry.isString())
            hidden.append(entry.toString());
    }
    return {sortedUserIds(std::move(hidden))};
}

QJsonObject RosterAccountData::withHidden(QJsonObject content, QStringList hidden)
{
    content.insert(hiddenKey, QJsonArray::fromStringList(sortedUserIds(std::move(hidden))));
    return content;
}
