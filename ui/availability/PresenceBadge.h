#pragma once

#include "presence/Presence.h"

#include <QColor>
#include <QIcon>

class QPainter;
class QRectF;

// How a presence state looks: a colour and, so that it reads without colour too, a shape.
//   Online        filled green disc
//   Free for chat filled green disc with a white plus
//   Away          amber crescent
//   Busy          red disc with a white bar ("do not disturb")
//   Appear offline grey ring with a slash
//   Offline       grey ring
//   Unknown       grey dashed ring
namespace PresenceBadge {

QColor colour(Presence presence);
// Paints the badge into `bounds` (a square), with a ring in `background` to lift it off an avatar.
void paint(QPainter &painter, const QRectF &bounds, Presence presence, const QColor &background);
// The badge alone, for menus, the selector and the tray.
QIcon icon(Presence presence);

} // namespace PresenceBadge
