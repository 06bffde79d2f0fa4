#include "availability/PresenceSelector.h"

#include "presence/AvailabilityController.h"
#include "availability/AvailabilityNote.h"
#include "availability/PresenceActions.h"
#include "availability/PresenceBadge.h"
#include "availability/StatusMessageEdit.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QToolButton>
#include <QVBoxLayout>

PresenceSelector::PresenceSelector(AvailabilityController *availability, PresenceActions *actions, QWidget *parent)
    : QWidget(parent)
    , m_availability(availability)
    , m_button(new QToolButton(this))
    , m_status(new StatusMessageEdit(availability, this))
    , m_note(new QLabel(this))
{
    auto *menu = new QMenu(m_button);
    actions->addTo(menu);
    m_button->setMenu(menu);
    m_button->setPopupMode(QToolButton::InstantPopup);
    m_button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_button->setAccessibleName(tr("Your presence"));
    m_note->setTextFormat(Qt::PlainText);
    m_note->setWordWrap(true);
    m_note->setForegroundRole(QPalette::PlaceholderText);

    auto *row = new QHBoxLayout;
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(m_button);
    row->addWidget(m_status, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addLayout(row);
    layout->addWidget(m_note);

    connect(m_availability, &AvailabilityController::changed, this, &PresenceSelector::update);
    connect(m_availability, &AvailabilityController::publishFailed, this, [this](const MatrixError &error) {
        m_note->setText(tr("Could not update your presence: %1").arg(error.describe()));
        m_note->show();
    });
    update();
}

void PresenceSelector::update()
{
    // The button names your choice; its badge and the note say what happens to it (auto-away and the rest).
    m_button->setIcon(PresenceBadge::icon(ownBadgePresence(m_availability)));
    m_button->setText(presenceLabel(m_availability->chosen()));
    const QString note = availabilityNote(m_availability);
    m_note->setText(note);
    m_note->setVisible(!note.isEmpty());
}
