#include "AvatarCache.h"

#include "HomeserverApi.h"

#include <QBuffer>
#include <QImageReader>
#include <QLoggingCategory>

using namespace Qt::Literals::StringLiterals;

Q_LOGGING_CATEGORY(lcAvatar, "presently.avatar", QtInfoMsg)

AvatarCache::AvatarCache(HomeserverApi *api, QObject *parent)
    : QObject(parent)
    , m_api(api)
{
}

QPixmap AvatarCache::avatar(const QString &mxcUri, int logicalSize, qreal devicePixelRatio)
{
    if (mxcUri.isEmpty() || m_failed.contains(mxcUri))
        return {};
    const QImage *image = m_images.object(mxcUri);
    if (!image) {
        fetch(mxcUri);
        return {};
    }
    const int pixels = qRound(logicalSize * devicePixelRatio);
    const QString key = u"%1@%2"_s.arg(mxcUri).arg(pixels);
    if (const QPixmap *cached = m_scaled.object(key))
        return *cached;
    // The centre square, whatever the picture's shape: a 2048×1 image must not become a huge strip.
    const int side = qMin(image->width(), image->height());
    const QImage square = image->copy((image->width() - side) / 2, (image->height() - side) / 2, side, side);
    auto *scaled = new QPixmap(QPixmap::fromImage(square.scaled(pixels, pixels, Qt::IgnoreAspectRatio, Qt::SmoothTransformation)));
    scaled->setDevicePixelRatio(devicePixelRatio);
    const QPixmap result = *scaled;
    m_scaled.insert(key, scaled, static_cast<qsizetype>(pixels) * pixels * 4);
    return result;
}

QImage AvatarCache::decode(const QByteArray &bytes)
{
    QBuffer buffer;
    buffer.setData(bytes);
    buffer.open(QIODevice::ReadOnly);
    QImageReader reader(&buffer);
    reader.setAllocationLimit(64);  // MB; Qt refuses larger decodes outright
    const QSize declared = reader.size();
    if (!declared.isValid() || declared.width() > maxDecodedSide || declared.height() > maxDecodedSide)
        return {};
    // Decoded to fit the thumbnail box, so no shape of image costs more than thumbnailPixels² pixels.
    if (declared.width() > thumbnailPixels || declared.height() > thumbnailPixels)
        reader.setScaledSize(declared.scaled(thumbnailPixels, thumbnailPixels, Qt::KeepAspectRatio).expandedTo(QSize(1, 1)));
    return reader.read();
}

void AvatarCache::fetch(const QString &mxcUri)
{
    if (m_pending.contains(mxcUri))
        return;
    m_pending.insert(mxcUri);
    m_api->thumbnail(mxcUri, QSize(thumbnailPixels, thumbnailPixels), ThumbnailMethod::Crop, this,
                     [this, mxcUri](Result<QByteArray> result) {
        m_pending.remove(mxcUri);
        if (!result) {
            qCInfo(lcAvatar).noquote() << "no avatar for" << mxcUri << "-" << result.error().describe();
            if (!result.error().isTransient())
                m_failed.insert(mxcUri);
            return;
        }
        const QImage image = decode(result.value());
        if (image.isNull()) {
            qCWarning(lcAvatar).noquote() << "avatar" << mxcUri << "is not a usable image";
            m_failed.insert(mxcUri);
            return;
        }
        if (!m_images.insert(mxcUri, new QImage(image), image.sizeInBytes())) {
            m_failed.insert(mxcUri);  // too big to keep: asking again would only loop
            return;
        }
        Q_EMIT avatarReady(mxcUri);
    });
}
