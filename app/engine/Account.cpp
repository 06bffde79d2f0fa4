#include "Account.h"

#include <QLoggingCategory>
#include <QTimer>

using namespace Qt::Literals::StringLiterals;

Q_LOGGING_CATEGORY(lcAccount, "presently.account", QtInfoMsg)

namespace {
constexpr int memberFetchRetryMs = 5'000;
constexpr int ownProfileRefreshDelayMs = 300;
}

Account::Account(QObject *parent)
    : QObject(parent)
    , m_api(new HomeserverApi(this))
    , m_contacts(new ContactListModel(this))
    , m_roster(new Roster(m_contacts, this))
    , m_syncLoop(new SyncLoop(m_api, this))
    , m_availability(new AvailabilityController(m_api, this))
    , m_watchList(new WatchList(this))
    , m_onlineNotifier(new OnlineNotifier(m_contacts, m_roster, m_watchList, {}, this))
{
    m_contacts->setWatchList(m_watchList);
    connect(m_syncLoop, &SyncLoop::batchReady, m_roster, &Roster::applyBatch);
    connect(m_roster, &Roster::batchApplied, m_syncLoop, &SyncLoop::batchApplied);
    connect(m_roster, &Roster::membersNeeded, this, &Account::queueMemberFetch);
    connect(m_availability, &AvailabilityController::syncPresenceChanged, m_syncLoop, &SyncLoop::setPresenceParameter);
    connect(m_availability, &AvailabilityController::wantsSyncChanged, this, &Account::onWantsSyncChanged);
    // The server's view of you (all your devices combined), and whether it keeps presence at all.
    connect(m_roster, &Roster::ownPresenceReceived, m_availability, [this](const Roster::KnownPresence &known) {
        m_availability->setReportedByServer(known.presence);
    });
    connect(m_availability, &AvailabilityController::presenceUnavailableChanged, m_contacts,
            [this](bool unavailable) { m_contacts->setPresenceAvailable(!unavailable); });
    // A member event about you says your profile changed (here or on another device), but rooms can carry
    // stale or per-room values (two profile updates race inside the server): the global profile is asked for,
    // once for a burst of such events.
    m_ownProfileRefresh.setSingleShot(true);
    m_ownProfileRefresh.setInterval(ownProfileRefreshDelayMs);
    connect(&m_ownProfileRefresh, &QTimer::timeout, this, &Account::refreshOwnProfile);
    connect(m_roster, &Roster::ownProfileReceived, &m_ownProfileRefresh, qOverload<>(&QTimer::start));
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
    // The first batch of a new connection is the state of things, not news: nobody "came online" in it.
    m_onlineNotifier->reset();
    m_connected = true;
    m_versionsCall = m_api->versions(this, [this](Result<ServerVersions> result) {
        if (!m_connected)
            return;  // disconnected (signed out) while asking
        if (result) {
            m_api->setServerVersions(result.value());
            m_availability->setServerVersions(result.value());
        } else {
            // Not fatal: the sync loop reports connectivity; without versions we assume a current server.
            qCWarning(lcAccount).noquote() << "could not read /versions:" << result.error().describe();
        }
        refreshOwnProfile();
        m_syncLoop->setPresenceParameter(m_availability->syncSetPresence());
        m_availability->choose(m_availability->chosen());  // publish the chosen state and status
        if (m_availability->wantsSync())
            m_syncLoop->start();
    });
}

void Account::disconnectFromServer()
{
    m_connected = false;
    m_versionsCall.abort();
    m_syncLoop->stop();
    // Member lists still asked for belong to this connection (maybe to this account): forget them.
    ++m_connection;
    m_memberFetchQueue.clear();
    m_memberFetchQueued.clear();
    m_memberFetchesRunning = 0;
}

void Account::onWantsSyncChanged(bool wantsSync)
{
    if (wantsSync && m_connected)
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
        m_api->joinedMembers(roomId, this, [this, roomId, connection = m_connection](Result<QList<MemberChange>> result) {
            if (connection != m_connection)
                return;  // asked for before a sign-out
            --m_memberFetchesRunning;
            m_memberFetchQueued.remove(roomId);
            if (result) {
                m_roster->applyJoinedMembers(roomId, result.value());
            } else if (result.error().isTransient()) {
                const int waitMs = static_cast<int>(result.error().retryAfterMs.value_or(memberFetchRetryMs));
                qCInfo(lcAccount).noquote() << "member list of" << roomId << "failed, retrying:" << result.error().describe();
                QTimer::singleShot(waitMs, this, [this, roomId, connection] {
                    if (connection == m_connection)
                        queueMemberFetch(roomId);
                });
            } else {
                qCWarning(lcAccount).noquote() << "member list of" << roomId << "unavailable:" << result.error().describe();
            }
            fetchNextMembers();
        });
    }
}

void Account::refreshOwnProfile()
{
    m_api->getProfile(m_session.userId, this, [this](Result<Profile> result) {
        if (result)
            setOwnProfile(result.value());
        else
            qCWarning(lcAccount).noquote() << "could not read own profile:" << result.error().describe();
    });
}

void Account::setOwnProfile(const Profile &profile)
{
    if (profile.displayName == m_ownProfile.displayName && profile.avatarUrl == m_ownProfile.avatarUrl)
        return;
    m_ownProfile = profile;
    Q_EMIT ownProfileChanged(profile);
}

void Account::afterProfileUpdate(const Result<Done> &result)
{
    if (!result) {
        qCWarning(lcAccount).noquote() << "profile update failed:" << result.error().describe();
        Q_EMIT profileUpdateFailed(result.error());
        return;
    }
    // The server's echo: rooms carry it as a member event too, but a user in no room would never see one.
    refreshOwnProfile();
}

void Account::setOwnDisplayName(const QString &displayName)
{
    m_api->setDisplayName(m_session.userId, displayName, this, [this](Result<Done> result) { afterProfileUpdate(result); });
}

void Account::setOwnAvatar(const QByteArray &imageData, const QString &contentType)
{
    const ApiCall upload = m_api->uploadMedia(imageData, contentType, u"avatar"_s, this, [this](Result<QString> uploaded) {
        if (!uploaded) {
            qCWarning(lcAccount).noquote() << "avatar upload failed:" << uploaded.error().describe();
            Q_EMIT profileUpdateFailed(uploaded.error());
            return;
        }
        m_api->setAvatarUrl(m_session.userId, uploaded.value(), this, [this](Result<Done> result) { afterProfileUpdate(result); });
    });
    upload.onUploadProgress(this, [this](qint64 sent, qint64 total) { Q_EMIT avatarUploadProgress(sent, total); });
}

void Account::removeOwnAvatar()
{
    m_api->setAvatarUrl(m_session.userId, QString(), this, [this](Result<Done> result) { afterProfileUpdate(result); });
}
