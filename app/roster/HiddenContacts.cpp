#include "roster/HiddenContacts.h"

HiddenContacts::HiddenContacts(QObject *parent)
    : QObject(parent)
{
}

QStringList HiddenContacts::userIds() const
{
    QStringList userIds = m_hidden.values();
    userIds.sort();
    return userIds;
}

void HiddenContacts::setHidden(const QStringList &userIds)
{
    QSet<QString> hidden(userIds.cbegin(), userIds.cend());
    if (hidden == m_hidden)
        return;
    m_hidden = std::move(hidden);
    Q_EMIT hiddenChanged();
}
