#pragma once

#include <QJsonObject>
#include <QStringList>

// The account data event `im.presently.roster`: the user's own choices about their roster, shared by every device
// of the account. Its content is an object whose keys each hold one kind of choice; today `hidden` (user IDs left
// off the roster), and the later groups and nicknames work adds `groups` and `nicknames` beside it. Writers change
// only their own key and keep every other one as it came (docs/design-notes.md). Pure: fuzzed with the API answers.
struct RosterAccountData {
    static constexpr QLatin1StringView eventType{"im.presently.roster"};

    QStringList hidden;  // user IDs, sorted, without duplicates; entries that are not user IDs are dropped

    static RosterAccountData read(const QJsonObject &content);
    // `content` with `hidden` replaced and everything else kept.
    static QJsonObject withHidden(QJsonObject content, QStringList hidden);
};
