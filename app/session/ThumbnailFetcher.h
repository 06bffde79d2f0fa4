#pragma once

#include "matrix/HomeserverApi.h"

#include <QHash>
#include <QObject>
#include <QSet>

// Fetches avatar thumbnails (mxc:// URIs only) with the account's token, once per URI at a time, and remembers
// what failed: a URI the server refused for good, or whose bytes are no usable image, is not asked again for
// this user; one that failed transiently is asked again only after a backoff, not on every repaint or hover.
class ThumbnailFetcher : public QObject {
    Q_OBJECT
public:
    // Thumbnails are requested at this size (device pixels); the UI scales them down.
    static constexpr int thumbnailPixels = 96;

    ThumbnailFetcher(HomeserverApi *api, QObject *parent = nullptr);

    // Starts fetching unless it is already on its way, failed for good, or waiting out a transient failure.
    void fetch(const QString &mxcUri);
    // The bytes of `mxcUri` are not a usable image: never fetched again for this user.
    void reject(const QString &mxcUri);
    // Forgets every failure (another user signs in; their server may answer differently).
    void clear();

Q_SIGNALS:
    void fetched(const QString &mxcUri, const QByteArray &bytes);

private:
    HomeserverApi *m_api;
    QSet<QString> m_pending;
    QSet<QString> m_failedForGood;
    QHash<QString, qint64> m_retryAfterMs;  // transient failures: not before this monotonic time
    QHash<QString, int> m_transientFailures;
    quint64 m_generation = 0;
};
