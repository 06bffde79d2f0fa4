// AvatarCache::decode() in a file of its own: it reads image bytes from the network, and the fuzz target
// (tests/fuzz/fuzz_avatar_decode) builds it without the rest of the cache, its signals and the thumbnail fetcher.
#include "media/AvatarCache.h"

#include "session/ThumbnailFetcher.h"

#include <QBuffer>
#include <QImageReader>

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
    // Decoded to fit the thumbnail box, so no shape of image costs more than ThumbnailFetcher::thumbnailPixels² pixels.
    if (declared.width() > ThumbnailFetcher::thumbnailPixels || declared.height() > ThumbnailFetcher::thumbnailPixels)
        reader.setScaledSize(declared.scaled(ThumbnailFetcher::thumbnailPixels, ThumbnailFetcher::thumbnailPixels, Qt::KeepAspectRatio).expandedTo(QSize(1, 1)));
    return reader.read();
}
