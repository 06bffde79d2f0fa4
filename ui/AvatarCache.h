#pragma once

#include <QCache>
#include <QObject>
#include <QPixmap>
#include <QSet>

class HomeserverApi;

// Avatars for mxc:// URIs: fetched as server-side thumbnails (authenticated media, with the account's
// token), decoded under an allocation limit to at most thumbnailPixels a side, cropped to the centre square,
// scaled for the screen's device pixel ratio and kept in a bounded memory cache. Disk caching is the network layer's
// (QNetworkDiskCache under the XDG cache dir, set up by the application).
class AvatarCache : public QObject {
    Q_OBJECT
public:
    // Thumbnails are requested at this size (device pixels) and scaled down locally.
    static constexpr int thumbnailPixels = 96;
    // Refuse to decode images whose header claims more than this many pixels per side.
    static constexpr int maxDecodedSide = 2048;

    AvatarCache(HomeserverApi *api, QObject *parent = nullptr);

    // The avatar at `logicalSize` for `devicePixelRatio`, or a null pixmap while it is being fetched (then
    // avatarReady() follows) or when there is none.
    QPixmap avatar(const QString &mxcUri, int logicalSize, qreal devicePixelRatio);

    // Decodes untrusted image bytes with an allocation limit; a null image for anything hostile or broken.
    static QImage decode(const QByteArray &bytes);

Q_SIGNALS:
    void avatarReady(const QString &mxcUri);

private:
    void fetch(const QString &mxcUri);

    HomeserverApi *m_api;
    // Both bounded (cost: bytes); an evicted avatar is fetched again, from the disk cache when it has it.
    QCache<QString, QImage> m_images{32 * 1024 * 1024};
    QCache<QString, QPixmap> m_scaled{16 * 1024 * 1024};
    QSet<QString> m_pending;
    QSet<QString> m_failed;  // not asked again this session
};
