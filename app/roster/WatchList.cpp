#include "roster/WatchList.h"

#include <QSettings>

using namespace Qt::Literals::StringLiterals;

namespace {
const QString watchedKey = u"notify/whenOnline"_s;
}

WatchList::WatchList(QObject *parent)
    : QObject(parent)
{
    const QStringList stored = QSettings().value(watchedKey).toStringList();
    m_watched = QSet<QString>(stored.cbegin(), stored.cend());
}

void WatchList::setWatched(const QString &userId, bool watched)
{
    if (userId.isEmpty() || watched == isWatched(userId))
        return;
    if (watched)
        m_watched.insert(userId);
    else
        m_watched.remove(userId);
    QStringList stored(m_watched.cbegin(), m_watched.cend());
    stored.sort();
    QSettings().setValue(watchedKey, stored);
    Q_EMIT watchedChanged(userId, watched);
}
