#pragma once

#include "matrix/HomeserverApi.h"
#include "matrix/MonotonicClock.h"
#include "matrix/RetryPolicy.h"

#include <QObject>
#include <QSet>

// Fetches avatar thumbnails (mxc:// URIs only) with the account's token, once per URI at a time, and remembers
// what failed: a URI the server refused for good, or whose bytes are no usable image, is not asked again for
// this user (media never changes under its URI); one that failed transiently is asked again only after its
// RetryPolicy wait, not on every repaint or hover.
class ThumbnailFetcher : public QObject {
    Q_OBJECT
public:
    // Thumbnails are requested at this size (device pixels); the UI scales them down.
    static constexpr int thumbnailPixels = 96;

    explicit ThumbnailFetcher(HomeserverApi *api, MonotonicClock clock = {}, QObject *parent = nullptr);

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
    RetryTracker m_transientFailures;  // per mxc URI
    quint64 m_generation = 0;
};
