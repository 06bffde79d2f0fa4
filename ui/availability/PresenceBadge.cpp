#include "availability/PresenceBadge.h"

#include <QPainter>
#include <QPainterPath>
#include <QPixmap>

namespace PresenceBadge {

QColor colour(Presence presence)
{
    switch (presence) {
    case Presence::Online:
    case Presence::FreeForChat: return QColor(0x2e, 0xa0, 0x43);
    case Presence::Unavailable: return QColor(0xe0, 0x9b, 0x12);
    case Presence::Busy: return QColor(0xd0, 0x3b, 0x3b);
    case Presence::Hidden:
    case Presence::Offline:
    case Presence::Unknown: return QColor(0x8a, 0x8f, 0x98);
    }
    return Qt::gray;
}

void paint(QPainter &painter, const QRectF &bounds, Presence presence, const QColor &background)
{
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing);
    const qreal size = bounds.width();
    const QColor fill = colour(presence);

    // A ring of the background colour separates the badge from whatever is under it.
    if (background.isValid()) {
        painter.setPen(Qt::NoPen);
        painter.setBrush(background);
        painter.drawEllipse(bounds);
    }
    const QRectF inner = bounds.adjusted(size * 0.14, size * 0.14, -size * 0.14, -size * 0.14);
    const qreal stroke = qMax<qreal>(1.0, size * 0.14);
    const QColor mark = Qt::white;

    switch (presence) {
    case Presence::Online:
        painter.setPen(Qt::NoPen);
        painter.setBrush(fill);
        painter.drawEllipse(inner);
        break;
    case Presence::FreeForChat: {
        painter.setPen(Qt::NoPen);
        painter.setBrush(fill);
        painter.drawEllipse(inner);
        painter.setPen(QPen(mark, stroke, Qt::SolidLine, Qt::RoundCap));
        const QPointF c = inner.center();
        const qreal arm = inner.width() * 0.26;
        painter.drawLine(QPointF(c.x() - arm, c.y()), QPointF(c.x() + arm, c.y()));
        painter.drawLine(QPointF(c.x(), c.y() - arm), QPointF(c.x(), c.y() + arm));
        break;
    }
    case Presence::Unavailable: {
        QPainterPath disc;
        disc.addEllipse(inner);
        QPainterPath bite;
        const qreal r = inner.width() * 0.62;
        bite.addEllipse(QRectF(inner.right() - r * 1.05, inner.top() - r * 0.25, r, r));
        painter.setPen(Qt::NoPen);
        painter.setBrush(fill);
        painter.drawPath(disc.subtracted(bite));
        break;
    }
    case Presence::Busy: {
        painter.setPen(Qt::NoPen);
        painter.setBrush(fill);
        painter.drawEllipse(inner);
        painter.setPen(QPen(mark, stroke, Qt::SolidLine, Qt::RoundCap));
        const QPointF c = inner.center();
        const qreal arm = inner.width() * 0.26;
        painter.drawLine(QPointF(c.x() - arm, c.y()), QPointF(c.x() + arm, c.y()));
        break;
    }
    case Presence::Hidden:
    case Presence::Offline:
    case Presence::Unknown: {
        const QRectF ring = inner.adjusted(stroke / 2, stroke / 2, -stroke / 2, -stroke / 2);
        QPen pen(fill, stroke);
        if (presence == Presence::Unknown)
            pen.setDashPattern({1.2, 1.2});
        painter.setPen(pen);
        painter.setBrush(background.isValid() ? background : Qt::transparent);
        painter.drawEllipse(ring);
        if (presence == Presence::Hidden)
            painter.drawLine(ring.bottomLeft() + QPointF(ring.width() * 0.15, -ring.height() * 0.15),
                             ring.topRight() + QPointF(-ring.width() * 0.15, ring.height() * 0.15));
        break;
    }
    }
    painter.restore();
}

QIcon icon(Presence presence)
{
    QIcon result;
    for (const int size : {16, 22, 24, 32, 48, 64}) {
        QPixmap pixmap(size, size);
        pixmap.fill(Qt::transparent);
        QPainter painter(&pixmap);
        paint(painter, QRectF(0, 0, size, size), presence, QColor());
        painter.end();
        result.addPixmap(pixmap);
    }
    return result;
}

} // namespace PresenceBadge
