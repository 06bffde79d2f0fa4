#include "session/ThumbnailFetcher.h"

#include "matrix/Backoff.h"
#include "matrix/MonotonicClock.h"

#include <QLoggingCategory>
#include <QRandomGenerator>

Q_LOGGING_CATEGORY(lcAvatar, "presently.avatar", QtInfoMsg)

namespace {
constexpr Backoff thumbnailBackoff{5'000, 10 * 60'000};
}

ThumbnailFetcher::ThumbnailFetcher(HomeserverApi *api, QObject *parent)
    : QObject(parent)
    , m_api(api)
{
}

void ThumbnailFetcher::fetch(const QString &mxcUri)
{
    if (mxcUri.isEmpty() || m_pending.contains(mxcUri) || m_failedForGood.contains(mxcUri))
        return;
    const auto retryAfter = m_retryAfterMs.constFind(mxcUri);
    if (retryAfter != m_retryAfterMs.cend() && monotonicClock()() < *retryAfter)
        return;
    m_pending.insert(mxcUri);
    m_api->thumbnail(mxcUri, QSize(thumbnailPixels, thumbnailPixels), ThumbnailMethod::Crop, this,
                     [this, mxcUri, generation = m_generation](Result<QByteArray> result) {
        if (generation != m_generation)
            return;
        m_pending.remove(mxcUri);
        if (result) {
            m_retryAfterMs.remove(mxcUri);
            m_transientFailures.remove(mxcUri);
            Q_EMIT fetched(mxcUri, result.value());
            return;
        }
        qCInfo(lcAvatar).noquote() << "no avatar for" << mxcUri << "-" << result.error().describe();
        if (!result.error().isTransient()) {
            m_failedForGood.insert(mxcUri);
            return;
        }
        int &failures = m_transientFailures[mxcUri];
        const int waitMs = thumbnailBackoff.delayMs(failures++, QRandomGenerator::global()->generateDouble());
        m_retryAfterMs.insert(mxcUri, monotonicClock()() + qMax<qint64>(waitMs, result.error().retryAfterMs.value_or(0)));
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
    m_retryAfterMs.clear();
    m_transientFailures.clear();
}
