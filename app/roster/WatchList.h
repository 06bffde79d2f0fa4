#pragma once

#include <QObject>
#include <QSet>

// The contacts you asked to be told about when they come online ("notify me when online"), remembered in
// QSettings across starts.
class WatchList : public QObject {
    Q_OBJECT
public:
    explicit WatchList(QObject *parent = nullptr);

    bool isWatched(const QString &userId) const { return m_watched.contains(userId); }

public Q_SLOTS:
    void setWatched(const QString &userId, bool watched);

Q_SIGNALS:
    void watchedChanged(const QString &userId, bool watched);

private:
    QSet<QString> m_watched;
};
