#include "roster/RosterAccountData.h"

#include <QJsonArray>
#include <QRandomGenerator>
#include <QSet>

#include <algorithm>
#include <tuple>

using namespace Qt::Literals::StringLiterals;

namespace {
constexpr QLatin1StringView versionKey{"version"};
constexpr QLatin1StringView hiddenKey{"hidden"};
constexpr QLatin1StringView groupsKey{"groups"};
constexpr QLatin1StringView membershipKey{"membership"};
constexpr QLatin1StringView nicknamesKey{"nicknames"};
constexpr QLatin1StringView nameKey{"name"};
constexpr QLatin1StringView orderKey{"order"};

bool isUserId(const QString &userId)
{
    return userId.startsWith(u'@') && userId.contains(u':');
}

QStringList sortedUserIds(QStringList userIds)
{
    userIds.removeIf([](const QString &userId) { return !isUserId(userId); });
    userIds.sort();
    userIds.removeDuplicates();
    return userIds;
}

QStringList strings(const QJsonValue &value)
{
    QStringList result;
    for (const QJsonValue &entry : value.toArray()) {
        if (entry.isString())
            result.append(entry.toString());
    }
    return result;
}

// Plain text on one line: a name from the network never carries line breaks or other control characters.
QString plainName(const QString &name)
{
    QString cleaned = name.left(RosterAccountData::maxNameLength);
    for (QChar &c : cleaned) {
        if (c.category() == QChar::Other_Control)
            c = u' ';
    }
    return cleaned.simplified();
}

QJsonObject withEntry(QJsonObject content, QLatin1StringView key, const QString &entry, const QJsonValue &value)
{
    QJsonObject map = content.value(key).toObject();
    if (value.isUndefined())
        map.remove(entry);
    else
        map.insert(entry, value);
    content.insert(key, map);
    if (!content.contains(versionKey))
        content.insert(versionKey, RosterAccountData::version);
    return content;
}
} // namespace

RosterAccountData RosterAccountData::read(const QJsonObject &content)
{
    RosterAccountData data;
    data.hidden = sortedUserIds(strings(content.value(hiddenKey)));

    const QJsonObject groups = content.value(groupsKey).toObject();
    for (auto it = groups.begin(); it != groups.end(); ++it) {
        const QJsonObject group = it.value().toObject();
        const QString name = plainName(group.value(nameKey).toString());
        if (it.key().isEmpty() || name.isEmpty())
            continue;
        const double order = group.value(orderKey).toDouble(2.0);
        data.groups.append({it.key(), name, order >= 0.0 && order <= 1.0 ? order : 2.0});
    }
    std::ranges::sort(data.groups, [](const Group &a, const Group &b) {
        return std::tie(a.order, a.name, a.id) < std::tie(b.order, b.name, b.id);
    });

    // Only the groups read above: one skipped for a missing name has no members either.
    QSet<QString> groupIds;
    for (const Group &group : std::as_const(data.groups))
        groupIds.insert(group.id);
    const QJsonObject membership = content.value(membershipKey).toObject();
    for (auto it = membership.begin(); it != membership.end(); ++it) {
        QStringList ids = strings(it.value());
        ids.removeIf([&groupIds](const QString &id) { return !groupIds.contains(id); });
        ids.sort();
        ids.removeDuplicates();
        if (isUserId(it.key()) && !ids.isEmpty())
            data.membership.insert(it.key(), ids);
    }

    const QJsonObject nicknames = content.value(nicknamesKey).toObject();
    for (auto it = nicknames.begin(); it != nicknames.end(); ++it) {
        const QString nickname = plainName(it.value().toString());
        if (isUserId(it.key()) && !nickname.isEmpty())
            data.nicknames.insert(it.key(), nickname);
    }
    return data;
}

QJsonObject RosterAccountData::withHidden(QJsonObject content, QStringList hidden)
{
    content.insert(hiddenKey, QJsonArray::fromStringList(sortedUserIds(std::move(hidden))));
    return content;
}

QJsonObject RosterAccountData::withMembership(QJsonObject content, const QString &userId, QStringList groupIds)
{
    groupIds.sort();
    groupIds.removeDuplicates();
    return withEntry(std::move(content), membershipKey, userId,
                     groupIds.isEmpty() ? QJsonValue(QJsonValue::Undefined) : QJsonArray::fromStringList(groupIds));
}

QJsonObject RosterAccountData::withNickname(QJsonObject content, const QString &userId, const QString &nickname)
{
    const QString name = plainName(nickname);
    return withEntry(std::move(content), nicknamesKey, userId, name.isEmpty() ? QJsonValue(QJsonValue::Undefined) : name);
}

QJsonObject RosterAccountData::withGroup(QJsonObject content, const QString &groupId, const QString &name)
{
    QJsonObject group = content.value(groupsKey).toObject().value(groupId).toObject();
    group.insert(nameKey, plainName(name));
    return withEntry(std::move(content), groupsKey, groupId, group);
}

QJsonObject RosterAccountData::withoutGroup(QJsonObject content, const QString &groupId)
{
    content = withEntry(std::move(content), groupsKey, groupId, QJsonValue(QJsonValue::Undefined));
    QJsonObject membership = content.value(membershipKey).toObject();
    for (auto it = membership.begin(); it != membership.end();) {
        QJsonArray ids = it.value().toArray();
        bool changed = false;
        for (qsizetype i = ids.size() - 1; i >= 0; --i) {
            if (ids.at(i) == groupId) {
                ids.removeAt(i);
                changed = true;
            }
        }
        if (!changed)
            ++it;
        else if (ids.isEmpty())
            it = membership.erase(it);
        else
            (it++).value() = ids;
    }
    content.insert(membershipKey, membership);
    return content;
}

QString RosterAccountData::newGroupId(const QJsonObject &content)
{
    const QJsonObject groups = content.value(groupsKey).toObject();
    QString id;
    do {
        id = QString::number(QRandomGenerator::global()->generate64(), 36);
    } while (groups.contains(id));
    return id;
}
