#include "media/AvatarCache.h"

#include "session/ThumbnailFetcher.h"

#include <QLoggingCategory>

using namespace Qt::Literals::StringLiterals;

Q_LOGGING_CATEGORY(lcAvatarImage, "presently.avatar", QtInfoMsg)

AvatarCache::AvatarCache(ThumbnailFetcher *fetcher, QObject *parent)
    : QObject(parent)
    , m_fetcher(fetcher)
{
    connect(fetcher, &ThumbnailFetcher::fetched, this, &AvatarCache::onFetched);
}

QPixmap AvatarCache::avatar(const QString &mxcUri, int logicalSize, qreal devicePixelRatio)
{
    const QImage *image = m_images.object(mxcUri);
    if (!image) {
        m_fetcher->fetch(mxcUri);  // unless it failed or is on its way
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

void AvatarCache::onFetched(const QString &mxcUri, const QByteArray &bytes)
{
    const QImage image = decode(bytes);
    if (image.isNull()) {
        qCWarning(lcAvatarImage).noquote() << "avatar" << mxcUri << "is not a usable image";
        m_fetcher->reject(mxcUri);
        return;
    }
    if (!m_images.insert(mxcUri, new QImage(image), image.sizeInBytes())) {
        m_fetcher->reject(mxcUri);  // too big to keep: asking again would only loop
        return;
    }
    Q_EMIT avatarReady(mxcUri);
}
