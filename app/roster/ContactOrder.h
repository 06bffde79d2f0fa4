#pragma once

#include "presence/Presence.h"

#include <QCollator>
#include <QString>

// The one order of people on the roster, shared by the window's list (RosterFilterModel) and the command
// line's table (`presently --roster`): the most reachable first, then by name as the user's locale sorts it
// (case-insensitive, "Bob 2" before "Bob 10"), then by user ID, so that equal names keep a stable place.
class ContactOrder {
public:
    // What the order looks at for one person: their presence as shown, the name as shown (the display name,
    // or the user ID when there is none) and the user ID.
    struct Key {
        Presence presence;
        QString name;
        QString userId;
    };

    ContactOrder();

    // Whether `left` comes before `right`: a strict weak order, usable with std::sort.
    bool operator()(const Key &left, const Key &right) const;

private:
    QCollator m_collator;
};
