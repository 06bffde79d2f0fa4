#include "roster/DirectoryResults.h"

DirectoryResults::DirectoryResults(QObject *parent)
    : QAbstractListModel(parent)
{
}

int DirectoryResults::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_results.size());
}

QVariant DirectoryResults::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const DirectoryUser &user = m_results.at(index.row());
    switch (role) {
    // Plain text: a view shows it as it came.
    case Qt::DisplayRole:
        return user.displayName.isEmpty() ? user.userId : tr("%1 (%2)").arg(user.displayName, user.userId);
    case UserIdRole: return user.userId;
    case DisplayNameRole: return user.displayName;
    case AvatarUrlRole: return user.avatarUrl;
    default: return {};
    }
}

QHash<int, QByteArray> DirectoryResults::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(UserIdRole, "userId");
    names.insert(DisplayNameRole, "displayName");
    names.insert(AvatarUrlRole, "avatarUrl");
    return names;
}

void DirectoryResults::setResults(const QList<DirectoryUser> &results)
{
    if (results == m_results)
        return;
    // A new answer is a new list, not an edit of the old one.
    beginResetModel();
    m_results = results;
    endResetModel();
}
