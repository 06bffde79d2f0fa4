#include "session/ProfileFetcher.h"

#include "roster/Roster.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcProfiles, "presently.profiles", QtInfoMsg)

ProfileFetcher::ProfileFetcher(HomeserverApi *api, Roster *roster, QObject *parent)
    : QObject(parent)
    , m_api(api)
    , m_roster(roster)
    , m_users(maxRunning, [this](const QString &userId) { fetch(userId); })
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
        // Done before the roster hears of it: it may ask again at once (an answer older than a change).
        m_users.finished(userId, FetchQueue::Outcome::Done);
        if (result) {
            m_roster->applyGlobalProfile(userId, result.value());
        } else {
            qCInfo(lcProfiles).noquote() << "global profile of" << userId << "unavailable:" << result.error().describe();
            m_roster->globalProfileUnavailable(userId);
        }
    });
}
