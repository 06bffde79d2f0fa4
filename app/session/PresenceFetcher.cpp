#include "session/PresenceFetcher.h"

#include <QDateTime>
#include <QLoggingCategory>

using namespace Qt::Literals::StringLiterals;

Q_LOGGING_CATEGORY(lcPresenceFetch, "presently.presence.fetch", QtInfoMsg)

PresenceFetcher::PresenceFetcher(HomeserverApi *api, QObject *parent)
    : QObject(parent)
    , m_api(api)
    , m_wanted(maxRunning, this, [this](const QString &userId) { fetch(userId); }, [this] { Q_EMIT drained(); })
{
}

void PresenceFetcher::fetch(const QString &userId)
{
    m_api->getPresence(userId, this, [this, userId, generation = m_wanted.generation()](Result<PresenceContent> answer) {
        if (generation != m_wanted.generation())
            return;  // asked for by a roster since cleared
        if (answer) {
            m_wanted.succeeded(userId);
            Q_EMIT fetched(userId, answer.value(), QDateTime::currentMSecsSinceEpoch());
            return;
        }
        const MatrixError &error = answer.error();
        if (error.isTransient() || error.isWithdrawn()) {
            const int waitMs = m_wanted.retryLater(userId, error);
            qCInfo(lcPresenceFetch).noquote() << "presence of" << userId << "not fetched:" << error.describe()
                                              << u"- retrying in %1 ms"_s.arg(waitMs);
            return;
        }
        // Not visible (no shared room left) or no such user: the sync brings whatever becomes visible later.
        m_wanted.done(userId);
        qCInfo(lcPresenceFetch).noquote() << "presence of" << userId << "refused:" << error.describe();
    });
}
