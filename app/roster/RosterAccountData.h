#pragma once

#include <QHash>
#include <QJsonObject>
#include <QStringList>

// The account data event `im.presently.roster`: the user's own choices about their roster, shared by every device
// of the account. Its content is an object whose keys each hold one kind of choice (docs/design-notes.md):
//   "version": 1,
//   "hidden": ["@spam:x"],                                  user IDs left off the roster
//   "groups": {"<id>": {"name": "Work", "order": 0.25}},    groups by an opaque id, so a rename touches one entry
//   "membership": {"@bob:x": ["<id>", ...]},                 a person's groups; none: the default group
//   "nicknames": {"@bob:x": "Bobby"}                        your own name for a person
// Readers skip what has the wrong type; writers change one entry and keep every other key and entry as it came
// (another device, or a later version, may have written them). Pure: fuzzed with the API answers and sync.
struct RosterAccountData {
    static constexpr QLatin1StringView eventType{"im.presently.roster"};
    static constexpr int version = 1;
    // Longer group names and nicknames are cut: m.tag's limit for a tag name, and more than a roster row shows anyway.
    static constexpr qsizetype maxNameLength = 255;

    struct Group {
        QString id;
        QString name;
        double order = 2.0;  // in [0, 1], ascending; 2 when the group has none (or one outside): after the others
        bool operator==(const Group &) const = default;
    };

    QStringList hidden;                    // user IDs, sorted, without duplicates; entries that are not user IDs are dropped
    QList<Group> groups;                   // by order, then name, then id
    QHash<QString, QStringList> membership;  // user ID -> ids of groups that exist, sorted; people in none are absent
    QHash<QString, QString> nicknames;     // user ID -> non-empty nickname

    static RosterAccountData read(const QJsonObject &content);
    // `content` with `hidden` replaced and everything else kept.
    static QJsonObject withHidden(QJsonObject content, QStringList hidden);
    // `content` with the person's groups replaced (an empty list puts them back in the default group).
    static QJsonObject withMembership(QJsonObject content, const QString &userId, QStringList groupIds);
    // `content` with the person's nickname set, or removed when `nickname` is empty after trimming.
    static QJsonObject withNickname(QJsonObject content, const QString &userId, const QString &nickname);
    // `content` with a group added or renamed (kept: its order and any field this version does not know).
    static QJsonObject withGroup(QJsonObject content, const QString &groupId, const QString &name);
    // `content` without the group, and without its id in anyone's groups (someone in no other group is back in the
    // default group); ids of other groups, known or not, stay.
    static QJsonObject withoutGroup(QJsonObject content, const QString &groupId);
    // A new group id that `content` does not use yet.
    static QString newGroupId(const QJsonObject &content);
};
