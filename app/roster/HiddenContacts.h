#pragma once

#include <QObject>
#include <QSet>
#include <QStringList>

// The people the user took off the roster without leaving a room with them (RosterAccountData's `hidden`, kept in
// account data by session/RosterChoices). RosterGroupModel leaves them out; the "Hidden contacts" menu lists them.
class HiddenContacts : public QObject {
    Q_OBJECT
public:
    explicit HiddenContacts(QObject *parent = nullptr);

    bool isHidden(const QString &userId) const { return m_hidden.contains(userId); }
    // Sorted.
    QStringList userIds() const;

public Q_SLOTS:
    void setHidden(const QStringList &userIds);

Q_SIGNALS:
    void hiddenChanged();

private:
    QSet<QString> m_hidden;
};
