#pragma once

#include <QHash>
#include <QObject>
#include <QString>

// Your own names for people (RosterAccountData's `nicknames`, kept in account data by session/RosterChoices). A
// nickname replaces the person's display name on their row; their real name stays in the tooltip and in search.
class Nicknames : public QObject {
    Q_OBJECT
public:
    explicit Nicknames(QObject *parent = nullptr);

    // Empty when you gave the person none.
    QString nicknameOf(const QString &userId) const { return m_nicknames.value(userId); }

public Q_SLOTS:
    // Replaces them all; signals each person whose nickname changed.
    void setAll(const QHash<QString, QString> &nicknames);

Q_SIGNALS:
    void nicknameChanged(const QString &userId);

private:
    QHash<QString, QString> m_nicknames;
};
