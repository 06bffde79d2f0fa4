#include "availability/PresenceActions.h"

#include "presence/AvailabilityController.h"
#include "availability/PresenceBadge.h"

#include <QAction>
#include <QActionGroup>
#include <QMenu>

PresenceActions::PresenceActions(AvailabilityController *availability, QObject *parent)
    : QObject(parent)
    , m_availability(availability)
    , m_group(new QActionGroup(this))
{
    m_group->setExclusive(true);
    for (const Presence presence : choosable()) {
        QAction *action = m_group->addAction(PresenceBadge::icon(presence), presenceLabel(presence));
        action->setCheckable(true);
        action->setData(QVariant::fromValue(presence));
        connect(action, &QAction::triggered, m_availability, [this, presence] { m_availability->choose(presence); });
        m_actions.insert(presence, action);
    }
    m_actions.value(Presence::Hidden)->setToolTip(tr("Others see you offline; you keep seeing them"));
    connect(m_availability, &AvailabilityController::chosenChanged, this, &PresenceActions::sync);
    connect(m_availability, &AvailabilityController::busySupportedChanged, this, &PresenceActions::sync);
    sync();
}

QList<Presence> PresenceActions::choosable()
{
    return {Presence::Online, Presence::FreeForChat, Presence::Unavailable, Presence::Busy, Presence::Hidden,
            Presence::Offline};
}

void PresenceActions::addTo(QMenu *menu) const
{
    for (const Presence presence : choosable())
        menu->addAction(m_actions.value(presence));
}

void PresenceActions::sync()
{
    m_actions.value(Presence::Busy)->setVisible(m_availability->busySupported()
                                                || m_availability->chosen() == Presence::Busy);
    if (QAction *chosen = m_actions.value(m_availability->chosen()))
        chosen->setChecked(true);
}
