#include "session/ProfileFetcher.h"

#include "roster/Roster.h"

#include <QLoggingCategory>

using namespace Qt::Literals::StringLiterals;

Q_LOGGING_CATEGORY(lcProfiles, "presently.profiles", QtInfoMsg)

ProfileFetcher::ProfileFetcher(HomeserverApi *api, Roster *roster, QObject *parent)
    : QObject(parent)
    , m_api(api)
    , m_roster(roster)
    , m_users(maxRunning, this, [this](const QString &userId) { fetch(userId); }, [this] { Q_EMIT drained(); })
{
    connect(roster, &Roster::profileNeeded, this, [this](const QString &userId) { m_users.add(userId); });
}

void ProfileFetcher::clear()
{
    m_users.clear();
}

void ProfileFetcher::fetch(const QString &userId)
{
    m_api->getProfile(userId, this, [this, userId, generation = m_users.generation()](Result<Profile> result) {
        if (generation != m_users.generation())
            return;  // asked for by a roster since cleared
        if (result) {
            m_users.succeeded(userId);  // before the roster, which may ask again at once (an answer older than a change)
            m_roster->applyGlobalProfile(userId, result.value());
        } else if (result.error().isTransient() || result.error().isWithdrawn()) {
            // The person stays in doubt, showing what they showed, until the server can say.
            const int waitMs = m_users.retryLater(userId, result.error());
            qCInfo(lcProfiles).noquote() << "global profile of" << userId << "failed:" << result.error().describe()
                                         << u"- retrying in %1 ms"_s.arg(waitMs);
        } else {
            m_users.done(userId);
            qCInfo(lcProfiles).noquote() << "global profile of" << userId << "refused:" << result.error().describe();
            m_roster->globalProfileUnavailable(userId);
        }
    });
}
