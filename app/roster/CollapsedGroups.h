#pragma once

#include <QObject>
#include <QSet>

// Which groups of the roster the user folded, per account (user ID) on this device, remembered in QSettings across
// starts. Local on purpose, as in Psi, Pidgin and Gajim: folding a group on the laptop should not fold it on the
// phone, nor cost a write to account data per click. The default group's id is the empty string.
class CollapsedGroups : public QObject {
    Q_OBJECT
public:
    explicit CollapsedGroups(QObject *parent = nullptr);

    // Loads that account's folded groups (an empty ID: none, and nothing is saved).
    void setUserId(const QString &userId);
    bool isCollapsed(const QString &groupId) const { return m_collapsed.contains(groupId); }
    void setCollapsed(const QString &groupId, bool collapsed);

Q_SIGNALS:
    // Any group's state may have changed (one group's, or all of them when another account's were loaded).
    void changed();

private:
    QString m_userId;
    QSet<QString> m_collapsed;
};
