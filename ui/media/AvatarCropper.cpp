#include "media/AvatarCropper.h"

#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QWheelEvent>

AvatarCropper::AvatarCropper(QWidget *parent)
    : QWidget(parent)
{
    setMinimumSize(200, 200);
    setCursor(Qt::OpenHandCursor);
    setAccessibleName(tr("Avatar crop area"));
}

void AvatarCropper::setImage(const QImage &image)
{
    m_image = image;
    const int side = qMin(image.width(), image.height());
    m_selection = QRect((image.width() - side) / 2, (image.height() - side) / 2, side, side);
    Q_EMIT selectionChanged(m_selection);
    update();
}

QImage AvatarCropper::croppedImage() const
{
    if (m_image.isNull())
        return {};
    const QImage square = m_image.copy(m_selection);
    if (square.width() <= maxOutputPixels)
        return square;
    return square.scaled(maxOutputPixels, maxOutputPixels, Qt::KeepAspectRatio, Qt::SmoothTransformation);
}

void AvatarCropper::setSelectionSize(int imagePixels)
{
    if (m_image.isNull())
        return;
    const int maxSide = qMin(m_image.width(), m_image.height());
    const int side = qBound(qMin(16, maxSide), imagePixels, maxSide);
    const QPointF centre = QRectF(m_selection).center();
    m_selection.setSize(QSize(side, side));
    moveSelectionTo(centre);
}

QRectF AvatarCropper::imageRect() const
{
    if (m_image.isNull())
        return {};
    const QSizeF fitted = QSizeF(m_image.size()).scaled(QSizeF(size()), Qt::KeepAspectRatio);
    return QRectF(QPointF((width() - fitted.width()) / 2, (height() - fitted.height()) / 2), fitted);
}

qreal AvatarCropper::scale() const
{
    return m_image.isNull() ? 1.0 : imageRect().width() / m_image.width();
}

void AvatarCropper::moveSelectionTo(const QPointF &imageCentre)
{
    QRect moved = m_selection;
    moved.moveCenter(imageCentre.toPoint());
    moved.moveLeft(qBound(0, moved.left(), m_image.width() - moved.width()));
    moved.moveTop(qBound(0, moved.top(), m_image.height() - moved.height()));
    if (moved == m_selection)
        return;
    m_selection = moved;
    Q_EMIT selectionChanged(m_selection);
    update();
}

void AvatarCropper::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.fillRect(rect(), palette().color(QPalette::Dark));
    if (m_image.isNull()) {
        painter.setPen(palette().color(QPalette::BrightText));
        painter.drawText(rect(), Qt::AlignCenter, tr("Choose an image"));
        return;
    }
    painter.setRenderHint(QPainter::SmoothPixmapTransform);
    painter.setRenderHint(QPainter::Antialiasing);
    const QRectF target = imageRect();
    painter.drawImage(target, m_image);
    const qreal s = scale();
    const QRectF selected(target.topLeft() + QPointF(m_selection.topLeft()) * s, QSizeF(m_selection.size()) * s);
    // Shade what is cut away; the round outline shows how the avatar will look in the roster.
    QPainterPath outside;
    outside.addRect(target);
    QPainterPath circle;
    circle.addEllipse(selected);
    painter.fillPath(outside.subtracted(circle), QColor(0, 0, 0, 140));
    painter.setPen(QPen(Qt::white, 1.5, Qt::DashLine));
    painter.setBrush(Qt::NoBrush);
    painter.drawRect(selected);
}

void AvatarCropper::mousePressEvent(QMouseEvent *event)
{
    if (m_image.isNull())
        return;
    const QPointF imagePoint = (event->position() - imageRect().topLeft()) / scale();
    m_dragOffset = imagePoint - QRectF(m_selection).center();
    if (!QRectF(m_selection).contains(imagePoint))
        m_dragOffset = {};  // a click outside moves the selection there
    moveSelectionTo(imagePoint - m_dragOffset);
}

void AvatarCropper::mouseMoveEvent(QMouseEvent *event)
{
    if (m_image.isNull() || !(event->buttons() & Qt::LeftButton))
        return;
    moveSelectionTo((event->position() - imageRect().topLeft()) / scale() - m_dragOffset);
}

void AvatarCropper::wheelEvent(QWheelEvent *event)
{
    const int steps = event->angleDelta().y() / 120;
    setSelectionSize(m_selection.width() - steps * qMax(8, m_selection.width() / 10));
}
