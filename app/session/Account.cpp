#include "session/Account.h"

#include "matrix/SyncFilter.h"
#include "session/RememberedChoice.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkInformation>

using namespace Qt::Literals::StringLiterals;

Q_LOGGING_CATEGORY(lcAccount, "presently.account", QtInfoMsg)

namespace {
constexpr int ownProfileRefreshDelayMs = 300;

// Why the server ended the session, for the person; the server's own words follow for whoever debugs it.
QString explainEndedSession(const MatrixError &error)
{
    QString why;
    if (error.errcode == "M_USER_LOCKED"_L1)
        why = Account::tr("Your account is locked by the server's administrators.");
    else if (error.errcode == "M_USER_DEACTIVATED"_L1)
        why = Account::tr("Your account has been deactivated.");
    else if (error.softLogout)
        why = Account::tr("Your session has expired.");
    else
        why = Account::tr("The server ended this session (it was signed out here or on another device).");
    return Account::tr("%1 (%2).").arg(why, error.describe());
}

// Why the sync stream is down, for the banner: what the person can make of it first, the details after.
QString explainConnectionProblem(const MatrixError &error)
{
    QString what;
    switch (error.kind) {
    case MatrixError::Kind::Network:
        what = Account::tr("The connection to your homeserver failed");
        break;
    case MatrixError::Kind::Timeout:
        what = Account::tr("Your homeserver is not answering in time");
        break;
    case MatrixError::Kind::Tls:
        what = Account::tr("Your homeserver's certificate is not trusted, so Presently sends it nothing");
        break;
    case MatrixError::Kind::Protocol:
        what = Account::tr("Your homeserver's answer could not be read, and nothing of it was used");
        break;
    case MatrixError::Kind::Http:
        what = error.isRateLimited() ? Account::tr("Your homeserver asks Presently to wait")
             : error.httpStatus >= 500 ? Account::tr("Your homeserver is having trouble")
                                       : Account::tr("Your homeserver refused the request");
        break;
    case MatrixError::Kind::Aborted:
    case MatrixError::Kind::Input:
    case MatrixError::Kind::SessionEnded:
        what = Account::tr("The connection to your homeserver stopped");
        break;
    }
    return Account::tr("%1 (%2).").arg(what, error.describe());
}

// What tells a cached filter ID apart from the filter this build would upload for the same senders: a hash of the JSON.
QByteArray filterKeyFor(const QStringList &senders)
{
    const QByteArray json = QJsonDocument(presenceClientFilter(senders)).toJson(QJsonDocument::Compact);
    return QCryptographicHash::hash(json, QCryptographicHash::Sha256).toHex();
}

QString explainProfileFailure(const MatrixError &error)
{
    return error.isRateLimited() ? Account::tr("The server asks you to slow down; try again in a moment.")
                                 : Account::tr("The server refused the change: %1").arg(error.describe());
}
} // namespace

Account::Account(QObject *parent)
    : QObject(parent)
    , m_api(new HomeserverApi(this))
    , m_store(new SessionStore(this))
    , m_contacts(new ContactListModel(this))
    , m_roster(new Roster(m_contacts, this))
    , m_syncLoop(new SyncLoop(m_api, this))
    , m_availability(new AvailabilityController(m_api, this))
    , m_watchList(new WatchList(this))
    , m_onlineNotifier(new OnlineNotifier(m_contacts, m_roster, m_watchList, {}, this))
    , m_members(new MemberFetcher(m_api, m_roster, this))
    , m_profiles(new ProfileFetcher(m_api, m_roster, this))
    , m_contactPresence(new PresenceFetcher(m_api, this))
    , m_timeZoneBook(new TimeZoneBook(this))
    , m_timeZones(new TimeZoneProfiles(m_api, m_contacts, m_timeZoneBook, this))
    , m_thumbnails(new ThumbnailFetcher(m_api, {}, this))
    , m_cache(new RosterCache(this))
    , m_accountData(new AccountDataEditor(m_api, this))
    , m_incomingInvitations(new InvitationList(this))
    , m_invitations(new ContactInvitations(m_api, m_accountData, m_roster, m_incomingInvitations, this))
    , m_directoryResults(new DirectoryResults(this))
    , m_directory(new ContactDirectory(m_api, m_directoryResults, this))
    , m_hiddenContacts(new HiddenContacts(this))
    , m_nicknames(new Nicknames(this))
    , m_collapsedGroups(new CollapsedGroups(this))
    , m_groups(new RosterGroupModel(m_contacts, this))
    , m_rosterChoices(new RosterChoices(m_api, m_accountData, m_hiddenContacts, m_nicknames, m_groups, this))
{
    connect(m_syncLoop, &SyncLoop::batchReady, m_incomingInvitations, &InvitationList::applyBatch);
    m_contacts->setWatchList(m_watchList);
    m_contacts->setTimeZoneBook(m_timeZoneBook);
    m_contacts->setNicknames(m_nicknames);
    m_groups->setHiddenContacts(m_hiddenContacts);
    m_groups->setCollapsedGroups(m_collapsedGroups);
    // A person moved or copied to a group (dragged, or from the menu) is in it once the account data says so.
    connect(m_groups, &RosterGroupModel::groupsRequested, m_rosterChoices, &RosterChoices::setGroupsOf);
    connect(m_timeZones, &TimeZoneProfiles::sharingFailed, this,
            [this](const MatrixError &error) { Q_EMIT profileUpdateFailed(explainProfileFailure(error)); });
    connect(m_syncLoop, &SyncLoop::batchReady, m_roster, &Roster::applyBatch);
    connect(m_syncLoop, &SyncLoop::batchReady, m_rosterChoices, &RosterChoices::applyBatch);
    // Each batch with its position, member list and fetched answer: one transaction each, off this thread.
    connect(m_roster, &Roster::changed, m_cache, &RosterCache::write);
    connect(m_syncLoop, &SyncLoop::filterInUse, m_cache, [this](const QString &filterId, const QStringList &senders) {
        m_cache->writeFilter(filterId, senders, filterKeyFor(senders));
    });
    connect(m_syncLoop, &SyncLoop::positionRefused, this, [this] {
        qCWarning(lcAccount) << "the stored sync position was refused: the roster starts over";
        resetStream();
    });
    connect(m_roster, &Roster::batchApplied, m_syncLoop, &SyncLoop::batchApplied);
    connect(m_roster, &Roster::contactsChanged, m_syncLoop, &SyncLoop::setContacts);
    connect(m_roster, &Roster::presenceNeeded, m_contactPresence, &PresenceFetcher::want);
    connect(m_contactPresence, &PresenceFetcher::fetched, m_roster, &Roster::applyFetchedPresence);
    connect(m_roster, &Roster::batchApplied, this, [this] {
        if (!isSignedIn())
            return;
        m_lastCurrentAtMs = QDateTime::currentMSecsSinceEpoch();
        if (m_rosterCurrent)
            return;
        m_rosterCurrent = true;
        Q_EMIT rosterCurrent();
        QMetaObject::invokeMethod(this, &Account::startTimeZonesWhenRosterComplete, Qt::QueuedConnection);
    });
    // Time zones are tooltip extras: their lookups (one per contact) wait until the roster's own requests are
    // done. Queued: a fetcher reports drained before the roster has used the answer, which may ask for more.
    connect(m_members, &MemberFetcher::drained, this, &Account::startTimeZonesWhenRosterComplete, Qt::QueuedConnection);
    connect(m_contactPresence, &PresenceFetcher::drained, this, &Account::startTimeZonesWhenRosterComplete,
            Qt::QueuedConnection);
    connect(m_profiles, &ProfileFetcher::drained, this, &Account::startTimeZonesWhenRosterComplete, Qt::QueuedConnection);
    connect(m_syncLoop, &SyncLoop::stateChanged, this, &Account::onSyncStateChanged);
    connect(m_syncLoop, &SyncLoop::retryScheduled, this, [this](int delayMs, const MatrixError &cause) {
        m_problem = explainConnectionProblem(cause);
        Q_EMIT retryScheduled(delayMs);
    });
    connect(m_syncLoop, &SyncLoop::sessionExpired, this, &Account::onSessionEnded);
    connect(m_availability, &AvailabilityController::syncPresenceChanged, m_syncLoop, &SyncLoop::setPresenceParameter);
    connect(m_availability, &AvailabilityController::wantsSyncChanged, this, &Account::onWantsSyncChanged);
    // The server's view of you (all your devices combined), and whether it keeps presence at all.
    connect(m_roster, &Roster::ownPresenceReceived, m_availability, [this](const PresenceState &known) {
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

    connect(m_store, &SessionStore::loaded, this, [this](const LoginSession &session) {
        if (m_state != State::Restoring)
            return;
        if (session.userId.isEmpty())
            return setState(State::SignedOut);
        begin(session);
    });
    connect(m_store, &SessionStore::keychainFailed, this, [this](const QString &reason) {
        if (m_state != State::Restoring)
            return;
        // Not "no session": signing in again would make a new device and leave the old token valid.
        m_problem = tr("Your keychain did not give Presently its access token (%1). Unlock it and try again.").arg(reason);
        setState(State::KeychainUnavailable);
    });
    connect(m_store, &SessionStore::tokenStoredInFile, this, &Account::tokenStoredInFile);
    // The network is back: try at once rather than wait out the backoff.
    if (QNetworkInformation::loadBackendByFeatures(QNetworkInformation::Feature::Reachability)) {
        connect(QNetworkInformation::instance(), &QNetworkInformation::reachabilityChanged, this,
                [this](QNetworkInformation::Reachability reachability) {
                    if (reachability == QNetworkInformation::Reachability::Online)
                        retryNow();
                });
    }
    // Your choice outlives the process: the next start publishes it, not a default.
    connect(m_availability, &AvailabilityController::changed, this, [this] {
        if (isSignedIn() && m_availability->hasChoice())
            RememberedChoice::save(m_session.userId, {m_availability->chosen(), m_availability->statusMessage()});
    });
}

void Account::setMediaCache(QAbstractNetworkCache *cache)
{
    m_api->networkAccessManager()->setCache(cache);
}

bool Account::isSignedIn() const
{
    switch (m_state) {
    case State::Connecting:
    case State::Live:
    case State::Reconnecting:
    case State::Offline:
        return true;
    default:
        return false;
    }
}

void Account::setState(State state)
{
    if (state == m_state)
        return;
    qCInfo(lcAccount) << "state" << m_state << "->" << state;
    m_state = state;
    // Only a live connection vouches for who is active right now; otherwise the roster is the last known.
    m_contacts->setCurrent(state == State::Live);
    Q_EMIT stateChanged(state);
}

void Account::restore()
{
    if (m_state != State::SignedOut && m_state != State::KeychainUnavailable)
        return;
    m_problem.clear();
    setState(State::Restoring);
    m_store->load();
}

void Account::signIn(const LoginSession &session)
{
    m_store->save(session);
    begin(session);
}

void Account::begin(const LoginSession &session)
{
    qCInfo(lcAccount).noquote() << "signed in as" << session.userId << "on" << session.homeserver.toString();
    disconnectFromServer();
    if (session.userId != m_session.userId) {
        resetUserState();
        // What the user chose here last time, before anything is published (userId is not set yet).
        if (const std::optional<RememberedChoice> remembered = RememberedChoice::load(session.userId))
            m_availability->chooseWithStatus(remembered->presence, remembered->statusMessage);
    } else if (m_state == State::SessionRevoked || session.deviceId != m_session.deviceId)
        resetStream();  // a new device, or a session the server ended: the old sync position means nothing
    m_session = session;
    m_api->setHomeserver(session.homeserver);
    m_api->setAccessToken(session.accessToken);
    m_syncLoop->setUserId(session.userId);
    m_roster->setOwnUserId(session.userId);
    m_availability->setUserId(session.userId);
    m_accountData->setUserId(session.userId);
    m_incomingInvitations->setOwnUserId(session.userId);
    m_invitations->setOwnUserId(session.userId);
    m_rosterChoices->setOwnUserId(session.userId);
    m_collapsedGroups->setUserId(session.userId);
    m_rosterChoices->load();
    m_problem.clear();
    if (!m_cache->isOpen())
        resumeFromCache(session.userId, session.deviceId);
    connectToServer();
}

void Account::resumeFromCache(const QString &userId, const QString &deviceId)
{
    QElapsedTimer reading;
    reading.start();
    const CachedState cached = m_cache->open(userId, deviceId);
    const qint64 readMs = reading.elapsed();
    if (cached.roster.nextBatch.isEmpty()) {
        m_cache->clear();  // no batch was ever written whole: nothing in it is a position to resume from
        return;
    }
    m_roster->restore(cached.roster);  // rows not current until the first batch (setState: only Live is)
    m_syncLoop->setSince(cached.roster.nextBatch);
    m_lastCurrentAtMs = cached.writtenAtMs;
    const bool sameFilter = !cached.filterId.isEmpty() && cached.filterKey == filterKeyFor(cached.filterSenders);
    if (sameFilter)
        m_syncLoop->resumeFilter(cached.filterId, cached.filterSenders);
    qCInfo(lcAccount).nospace() << "painted " << m_contacts->rowCount() << " contacts from the cache (read in " << readMs
                                << " ms, restored in " << reading.elapsed() - readMs << " ms); resuming the stream "
                                << (sameFilter ? "with the cached filter" : "with a new filter");
}

void Account::connectToServer()
{
    // The first batch of a new connection is the state of things, not news: nobody "came online" in it.
    m_onlineNotifier->reset();
    m_rosterCurrent = false;
    m_timeZonesStarted = false;
    setState(State::Connecting);
    m_roster->requestUnansweredMembers();  // a kept roster's lists that the last connection never brought
    m_versionsCall = m_api->versions(this, [this, connection = m_connection](Result<ServerVersions> result) {
        if (connection != m_connection)
            return;  // disconnected (signed out, expired) while asking
        if (result) {
            m_api->setServerVersions(result.value());
            m_availability->setServerVersions(result.value());
        } else {
            // Not fatal: the sync loop reports connectivity; without versions we assume a current server.
            qCWarning(lcAccount).noquote() << "could not read /versions:" << result.error().describe();
        }
        refreshOwnProfile();
        publishAndSync();
    });
}

void Account::publishAndSync()
{
    // What the server holds of you comes first: publishing before it would put a default in place of what
    // you (or another client of yours) chose.
    m_ownPresenceCall = m_api->getPresence(m_session.userId, this, [this, connection = m_connection](Result<PresenceContent> held) {
        if (connection != m_connection)
            return;
        if (!held)
            qCWarning(lcAccount).noquote() << "could not read own presence:" << held.error().describe();
        m_availability->publishOnConnect(held ? std::optional(held.value()) : std::nullopt);
        m_syncLoop->setPresenceParameter(m_availability->syncSetPresence());
        if (m_availability->wantsSync())
            m_syncLoop->start();
        else {
            setState(State::Offline);
            startTimeZones();  // no batch will come: the roster is what the cache holds
        }
    });
}

void Account::startTimeZonesWhenRosterComplete()
{
    if (!isSignedIn() || !m_rosterCurrent || !m_members->isDrained() || !m_contactPresence->isDrained()
        || !m_profiles->isDrained())
        return;
    startTimeZones();
}

void Account::startTimeZones()
{
    if (m_timeZonesStarted)
        return;
    m_timeZonesStarted = true;
    qCInfo(lcAccount) << "the roster is complete: reading time zones";
    m_timeZones->start(m_session.userId);
}

void Account::disconnectFromServer()
{
    ++m_connection;
    m_versionsCall.abort();
    m_ownPresenceCall.abort();
    m_ownProfileRefresh.stop();
    m_ownProfileRead.stop();
    m_timeZones->stop();
    m_syncLoop->stop();
    // Member lists still asked for belong to this connection (maybe to this account): forget them.
    m_members->clear();
}

void Account::resetUserState()
{
    qCInfo(lcAccount) << "forgetting the previous user's state";
    resetStream();
    m_syncLoop->forgetFilter();  // Synapse numbers filters per user: a kept ID would name another user's filter
    m_availability->reset();
    m_api->forgetServerVersions();
    m_thumbnails->clear();
    m_timeZones->clear();
    m_accountData->cancel();
    m_rosterChoices->forget();
    m_directoryResults->setResults({});
    setOwnProfile({});
    m_cache->remove();  // signed out, or another user: nothing of this user stays on disk
    m_session = {};
}

void Account::resetStream()
{
    m_lastCurrentAtMs = 0;
    m_profiles->clear();
    m_contactPresence->clear();
    m_roster->clear();
    m_incomingInvitations->clear();
    m_syncLoop->setContacts({});  // the roster starts empty: the filter lists you until it learns the contacts again
    m_syncLoop->setSince({});
    m_cache->clear();
}

void Account::onSyncStateChanged(SyncLoop::State state)
{
    if (!isSignedIn())
        return;
    switch (state) {
    case SyncLoop::State::Live:
        m_problem.clear();
        setState(State::Live);
        break;
    case SyncLoop::State::Retrying:
        setState(State::Reconnecting);
        break;
    case SyncLoop::State::Connecting:
    case SyncLoop::State::Stopped:
    case SyncLoop::State::SessionExpired:
        break;  // Connecting and Offline are entered by this object; an ended session by onSessionEnded()
    }
}

void Account::onSessionEnded(bool softLogout)
{
    disconnectFromServer();
    // Every request still carrying the dead token stops now: presence PUTs, member lists, thumbnails.
    m_api->revokeAccessToken();
    m_problem = explainEndedSession(m_syncLoop->lastError());
    if (softLogout) {
        setState(State::SessionExpired);
        return;
    }
    // The server ended the session: the stored one is useless. The roster stays on screen, dimmed, until
    // someone signs in again.
    m_store->clear();
    setState(State::SessionRevoked);
}

void Account::onWantsSyncChanged(bool wantsSync)
{
    if (!isSignedIn())
        return;
    if (wantsSync) {
        if (m_state == State::Offline) {
            m_rosterCurrent = false;
            setState(State::Connecting);
            m_syncLoop->start();
        }
        return;
    }
    m_syncLoop->stop();  // the roster stays, with its last known states (design.md: offline)
    setState(State::Offline);
}

void Account::retryNow()
{
    m_syncLoop->retryNow();
}

void Account::signOut()
{
    if (m_state == State::SignedOut || m_state == State::SigningOut)
        return;
    const bool hasToken = isSignedIn() || m_state == State::SessionExpired;
    disconnectFromServer();
    m_availability->reset();  // no PUT of this user's choice may leave from now on
    setState(State::SigningOut);
    const auto finish = [this] {
        m_store->clear();
        RememberedChoice::forget();
        resetUserState();
        m_api->revokeAccessToken();
        setState(State::SignedOut);
    };
    if (!hasToken)
        return finish();
    // Revoke the token on the server, then forget it here whatever the answer.
    m_logoutCall = m_api->logout(this, [finish](Result<Done> result) {
        if (!result)
            qCWarning(lcAccount).noquote() << "sign-out request failed:" << result.error().describe();
        finish();
    });
}

void Account::refreshOwnProfile()
{
    m_api->getProfile(m_session.userId, this, [this, userId = m_session.userId](Result<Profile> result) {
        if (userId != m_session.userId)
            return;  // asked for the previous user
        if (result) {
            m_ownProfileRead.succeeded();
            setOwnProfile(result.value());
            return;
        }
        // Until it is read, your name and avatar show as the server last gave them (or not at all).
        const int waitMs = m_ownProfileRead.failed(result.error());
        qCWarning(lcAccount).noquote() << "could not read own profile:" << result.error().describe()
                                       << (waitMs >= 0 ? u"- asking again in %1 ms"_s.arg(waitMs) : QString());
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
        Q_EMIT profileUpdateFailed(explainProfileFailure(result.error()));
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
            Q_EMIT profileUpdateFailed(explainProfileFailure(uploaded.error()));
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
