#include "roster/CollapsedGroups.h"

#include <QSettings>
#include <QUrl>

using namespace Qt::Literals::StringLiterals;

namespace {
// QSettings keys treat '/' as a separator: the user ID is percent-encoded. Ids are stored with a prefix so that the
// default group's empty id is not an empty entry (which QSettings' list encoding does not keep apart from none).
QString settingsKey(const QString &userId)
{
    return u"roster/collapsedGroups/"_s + QString::fromLatin1(QUrl::toPercentEncoding(userId));
}
const QString idPrefix = u"g:"_s;
} // namespace

CollapsedGroups::CollapsedGroups(QObject *parent)
    : QObject(parent)
{
}

void CollapsedGroups::setUserId(const QString &userId)
{
    if (userId == m_userId)
        return;
    m_userId = userId;
    m_collapsed.clear();
    if (!userId.isEmpty()) {
        for (const QString &stored : QSettings().value(settingsKey(userId)).toStringList()) {
            if (stored.startsWith(idPrefix))
                m_collapsed.insert(stored.mid(idPrefix.size()));
        }
    }
    Q_EMIT changed();
}

void CollapsedGroups::setCollapsed(const QString &groupId, bool collapsed)
{
    if (collapsed == isCollapsed(groupId))
        return;
    if (collapsed)
        m_collapsed.insert(groupId);
    else
        m_collapsed.remove(groupId);
    if (!m_userId.isEmpty()) {
        QStringList stored;
        for (const QString &id : std::as_const(m_collapsed))
            stored << idPrefix + id;
        stored.sort();
        QSettings().setValue(settingsKey(m_userId), stored);
    }
    Q_EMIT changed();
}
