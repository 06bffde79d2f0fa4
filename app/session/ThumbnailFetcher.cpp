#include "session/ThumbnailFetcher.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcAvatar, "presently.avatar", QtInfoMsg)

ThumbnailFetcher::ThumbnailFetcher(HomeserverApi *api, MonotonicClock clock, QObject *parent)
    : QObject(parent)
    , m_api(api)
    , m_transientFailures(RetryPolicy(), std::move(clock))
{
}

void ThumbnailFetcher::fetch(const QString &mxcUri)
{
    if (mxcUri.isEmpty() || m_pending.contains(mxcUri) || m_failedForGood.contains(mxcUri)
        || m_transientFailures.remainingMs(mxcUri) > 0)
        return;
    m_pending.insert(mxcUri);
    m_api->thumbnail(mxcUri, QSize(thumbnailPixels, thumbnailPixels), ThumbnailMethod::Crop, this,
                     [this, mxcUri, generation = m_generation](Result<QByteArray> result) {
        if (generation != m_generation)
            return;
        m_pending.remove(mxcUri);
        if (result) {
            m_transientFailures.succeeded(mxcUri);
            Q_EMIT fetched(mxcUri, result.value());
            return;
        }
        if (result.error().isWithdrawn())
            return;  // asked again when it is next shown
        qCInfo(lcAvatar).noquote() << "no avatar for" << mxcUri << "-" << result.error().describe();
        if (result.error().isTransient())
            m_transientFailures.failed(mxcUri, result.error());
        else
            m_failedForGood.insert(mxcUri);
    });
}

void ThumbnailFetcher::reject(const QString &mxcUri)
{
    m_failedForGood.insert(mxcUri);
}

void ThumbnailFetcher::clear()
{
    ++m_generation;
    m_pending.clear();
    m_failedForGood.clear();
    m_transientFailures.clear();
}
