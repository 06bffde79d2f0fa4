#include "RosterRows.h"

#include "roster/ContactListModel.h"
#include "roster/RosterGroupModel.h"

#include <QAbstractItemModel>

using namespace Qt::Literals::StringLiterals;

namespace {
QList<QModelIndex> shownContacts(const QAbstractItemModel &model)
{
    QList<QModelIndex> rows;
    for (int row = 0; row < model.rowCount(); ++row) {
        const QModelIndex index = model.index(row, 0);
        if (!index.data(RosterGroupModel::IsGroupRole).toBool()) {
            rows << index;
            continue;
        }
        for (int member = 0; member < model.rowCount(index); ++member)
            rows << model.index(member, 0, index);
    }
    return rows;
}
} // namespace

QStringList shownUserIds(const QAbstractItemModel &model)
{
    QStringList ids;
    for (const QModelIndex &index : shownContacts(model))
        ids << index.data(ContactListModel::UserIdRole).toString();
    return ids;
}

QModelIndex shownContactAt(const QAbstractItemModel &model, int n)
{
    const QList<QModelIndex> rows = shownContacts(model);
    return n >= 0 && n < rows.size() ? rows.at(n) : QModelIndex();
}

QModelIndex shownContact(const QAbstractItemModel &model, const QString &userId)
{
    for (const QModelIndex &index : shownContacts(model)) {
        if (index.data(ContactListModel::UserIdRole).toString() == userId)
            return index;
    }
    return {};
}

QStringList shownGroups(const QAbstractItemModel &model)
{
    QStringList lines;
    for (int row = 0; row < model.rowCount(); ++row) {
        const QModelIndex group = model.index(row, 0);
        QStringList members;
        for (int member = 0; member < model.rowCount(group); ++member)
            members << model.index(member, 0, group).data(ContactListModel::UserIdRole).toString();
        lines << u"%1 %2/%3: %4"_s.arg(group.data().toString())
                     .arg(group.data(RosterGroupModel::OnlineCountRole).toInt())
                     .arg(group.data(RosterGroupModel::TotalCountRole).toInt())
                     .arg(members.join(u", "_s));
    }
    return lines;
}
