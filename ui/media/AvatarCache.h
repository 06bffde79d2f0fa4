#pragma once

#include <QCache>
#include <QObject>
#include <QPixmap>

class ThumbnailFetcher;

// Avatars for mxc:// URIs as pixmaps: the account's ThumbnailFetcher brings the server-side thumbnails (and
// remembers what failed); this decodes them under an allocation limit to at most thumbnailPixels a side, crops
// them to the centre square, scales them for the screen's device pixel ratio and keeps them in a bounded memory
// cache. Disk caching is the network layer's (QNetworkDiskCache under the XDG cache dir, set up by the app).
class AvatarCache : public QObject {
    Q_OBJECT
public:
    // Refuse to decode images whose header claims more than this many pixels per side.
    static constexpr int maxDecodedSide = 2048;

    explicit AvatarCache(ThumbnailFetcher *fetcher, QObject *parent = nullptr);

    // The avatar at `logicalSize` for `devicePixelRatio`, or a null pixmap while it is being fetched (then
    // avatarReady() follows) or when there is none.
    QPixmap avatar(const QString &mxcUri, int logicalSize, qreal devicePixelRatio);

    // Decodes untrusted image bytes with an allocation limit; a null image for anything hostile or broken.
    static QImage decode(const QByteArray &bytes);

Q_SIGNALS:
    void avatarReady(const QString &mxcUri);

private:
    void onFetched(const QString &mxcUri, const QByteArray &bytes);

    ThumbnailFetcher *m_fetcher;
    // Both bounded (cost: bytes); an evicted avatar is fetched again, from the disk cache when it has it.
    QCache<QString, QImage> m_images{32 * 1024 * 1024};
    QCache<QString, QPixmap> m_scaled{16 * 1024 * 1024};
};
