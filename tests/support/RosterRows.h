#pragma once

#include <QModelIndex>
#include <QStringList>

class QAbstractItemModel;

// Reading the roster as the window shows it, through RosterFilterModel over RosterGroupModel: group rows with
// people under them (or, for a flat source, the people themselves).

// The people's user IDs top to bottom, group after group (a person in two groups twice).
QStringList shownUserIds(const QAbstractItemModel &model);
// The `n`th person's row, counted as shownUserIds does; invalid past the end.
QModelIndex shownContactAt(const QAbstractItemModel &model, int n);
// The first row of that person; invalid when not shown.
QModelIndex shownContact(const QAbstractItemModel &model, const QString &userId);
// "Name online/total: @a:x, @b:x" per group row, top to bottom.
QStringList shownGroups(const QAbstractItemModel &model);
