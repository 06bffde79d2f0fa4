// AvatarCache::decode() on arbitrary bytes, as an avatar thumbnail comes from the network: whatever size an image
// claims and whatever format it is in, the result is null or fits the thumbnail box, so no picture can cost more
// memory than ThumbnailFetcher::thumbnailPixels² pixels once decoded.
#include "media/AvatarCache.h"
#include "session/ThumbnailFetcher.h"

#include <QImage>

#include <cstdint>
#include <cstdio>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    const QImage image = AvatarCache::decode(bytes);
    if (!image.isNull()
        && (image.width() > ThumbnailFetcher::thumbnailPixels || image.height() > ThumbnailFetcher::thumbnailPixels)) {
        std::fprintf(stderr, "decoded to %dx%d\n", image.width(), image.height());
        __builtin_trap();
    }
    return 0;
}
