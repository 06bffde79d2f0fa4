#include "Account.h"

#include <QLoggingCategory>
#include <QTimer>

using namespace Qt::Literals::StringLiterals;

Q_LOGGING_CATEGORY(lcAccount, "presently.account", QtInfoMsg)

namespace {
constexpr int memberFetchRetryMs = 5'000;
}

Account::Account(QObject *parent)
    : QObject(parent)
    , m_api(new HomeserverApi(this))
    , m_contacts(new ContactListModel(this))
    , m_roster(new Roster(m_contacts, this))
    , m_syncLoop(new SyncLoop(m_api, this))
    , m_availability(new AvailabilityController(m_api, this))
{
    connect(m_syncLoop, &SyncLoop::batchReady, m_roster, &Roster::applyBatch);
    connect(m_roster, &Roster::batchApplied, m_syncLoop, &SyncLoop::batchApplied);
    connect(m_roster, &Roster::membersNeeded, this, &Account::queueMemberFetch);
    connect(m_availability, &AvailabilityController::syncPresenceChanged, m_syncLoop, &SyncLoop::setPresenceParameter);
    connect(m_availability, &AvailabilityController::wantsSyncChanged, this, &Account::onWantsSyncChanged);
}

void Account::setSession(const LoginSession &session)
{
    m_session = session;
    m_api->setHomeserver(session.homeserver);
    m_api->setAccessToken(session.accessToken);
    m_syncLoop->setUserId(session.userId);
    m_roster->setOwnUserId(session.userId);
    m_availability->setUserId(session.userId);
}

void Account::connectToServer()
{
    m_api->versions(this, [this](Result<ServerVersions> result) {
        if (result) {
            m_api->setServerVersions(result.value());
            m_availability->setServerVersions(result.value());
            Q_EMIT serverVersionsChanged(result.value());
        } else {
            // Not fatal: the sync loop reports connectivity; without versions we assume a current server.
            qCWarning(lcAccount).noquote() << "could not read /versions:" << result.error().describe();
        }
        m_syncLoop->setPresenceParameter(m_availability->syncSetPresence());
        m_availability->choose(m_availability->chosen());  // publish the chosen state and status
        if (m_availability->wantsSync())
            m_syncLoop->start();
    });
}

void Account::disconnectFromServer()
{
    m_syncLoop->stop();
}

void Account::onWantsSyncChanged(bool wantsSync)
{
    if (wantsSync)
        m_syncLoop->start();
    else
        m_syncLoop->stop();  // the roster stays, with its last known states (design.md: offline)
}

void Account::queueMemberFetch(const QString &roomId)
{
    if (m_memberFetchQueued.contains(roomId))
        return;
    m_memberFetchQueued.insert(roomId);
    m_memberFetchQueue.enqueue(roomId);
    fetchNextMembers();
}

void Account::fetchNextMembers()
{
    while (m_memberFetchesRunning < maxMemberFetches && !m_memberFetchQueue.isEmpty()) {
        const QString roomId = m_memberFetchQueue.dequeue();
        ++m_memberFetchesRunning;
        m_api->joinedMembers(roomId, this, [this, roomId](Result<QList<MemberChange>> result) {
            --m_memberFetchesRunning;
            m_memberFetchQueued.remove(roomId);
            if (result) {
                m_roster->applyJoinedMembers(roomId, result.value());
            } else if (result.error().isTransient()) {
                const int waitMs = static_cast<int>(result.error().retryAfterMs.value_or(memberFetchRetryMs));
                qCInfo(lcAccount).noquote() << "member list of" << roomId << "failed, retrying:" << result.error().describe();
                QTimer::singleShot(waitMs, this, [this, roomId] { queueMemberFetch(roomId); });
            } else {
                qCWarning(lcAccount).noquote() << "member list of" << roomId << "unavailable:" << result.error().describe();
            }
            fetchNextMembers();
        });
    }
}
