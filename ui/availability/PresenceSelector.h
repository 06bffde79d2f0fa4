#pragma once

#include "presence/Presence.h"

#include <QWidget>

class AvailabilityController;
class PresenceActions;
class QLabel;
class QToolButton;
class StatusMessageEdit;

// Your presence: a button with the chosen state's badge and name that opens the state menu, the status
// message editor, and a note when others see something else than you chose (availabilityNote()).
class PresenceSelector : public QWidget {
    Q_OBJECT
public:
    PresenceSelector(AvailabilityController *availability, PresenceActions *actions, QWidget *parent = nullptr);

    QToolButton *button() const { return m_button; }
    StatusMessageEdit *statusEdit() const { return m_status; }
    QLabel *note() const { return m_note; }

private:
    void update();

    AvailabilityController *m_availability;
    QToolButton *m_button;
    StatusMessageEdit *m_status;
    QLabel *m_note;
};
