#pragma once

#include "matrix/MatrixTypes.h"

#include <QAbstractListModel>

// The people found for the add-contact dialog's search, in the server's order (session/ContactDirectory fills it).
// Each answer replaces the list.
class DirectoryResults : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role { UserIdRole = Qt::UserRole + 1, DisplayNameRole, AvatarUrlRole };
    Q_ENUM(Role)

    explicit DirectoryResults(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    QList<DirectoryUser> results() const { return m_results; }
    void setResults(const QList<DirectoryUser> &results);

private:
    QList<DirectoryUser> m_results;
};
