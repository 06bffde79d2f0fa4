#pragma once

#include "presence/Presence.h"

#include <QHash>
#include <QObject>

class AvailabilityController;
class QAction;
class QActionGroup;
class QMenu;

// One checkable action per state the user can choose, kept in step with the AvailabilityController.
// The header's selector and the tray menu show the same actions, so they can never disagree.
class PresenceActions : public QObject {
    Q_OBJECT
public:
    explicit PresenceActions(AvailabilityController *availability, QObject *parent = nullptr);

    // Online, Free for chat, Away, Busy (only where the server announces it), Appear offline, Offline.
    static QList<Presence> choosable();
    QAction *action(Presence presence) const { return m_actions.value(presence); }
    void addTo(QMenu *menu) const;

private:
    void sync();

    AvailabilityController *m_availability;
    QActionGroup *m_group;
    QHash<Presence, QAction *> m_actions;
};
