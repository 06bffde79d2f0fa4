#pragma once

#include <QImage>
#include <QWidget>

// Shows a picked image with a square selection the person can drag and resize (mouse wheel or the
// setSelectionSize slot); croppedImage() returns the selection scaled to at most maxOutputPixels.
class AvatarCropper : public QWidget {
    Q_OBJECT
public:
    static constexpr int maxOutputPixels = 512;

    explicit AvatarCropper(QWidget *parent = nullptr);

    void setImage(const QImage &image);
    bool hasImage() const { return !m_image.isNull(); }
    // Selection in image pixels.
    QRect selection() const { return m_selection; }
    QImage croppedImage() const;

    QSize sizeHint() const override { return {260, 260}; }

public Q_SLOTS:
    void setSelectionSize(int imagePixels);

Q_SIGNALS:
    void selectionChanged(const QRect &selection);

protected:
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;

private:
    QRectF imageRect() const;  // where the image is drawn, in widget coordinates
    qreal scale() const;
    void moveSelectionTo(const QPointF &imageCentre);

    QImage m_image;
    QRect m_selection;
    QPointF m_dragOffset;
};
