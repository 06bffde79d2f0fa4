#include "roster/Nicknames.h"

#include <QSet>

Nicknames::Nicknames(QObject *parent)
    : QObject(parent)
{
}

void Nicknames::setAll(const QHash<QString, QString> &nicknames)
{
    QSet<QString> changed;
    for (auto it = nicknames.cbegin(); it != nicknames.cend(); ++it) {
        if (m_nicknames.value(it.key()) != it.value())
            changed.insert(it.key());
    }
    for (auto it = m_nicknames.cbegin(); it != m_nicknames.cend(); ++it) {
        if (!nicknames.contains(it.key()))
            changed.insert(it.key());
    }
    m_nicknames = nicknames;
    for (const QString &userId : std::as_const(changed))
        Q_EMIT nicknameChanged(userId);
}
