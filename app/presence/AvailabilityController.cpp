#include "presence/AvailabilityController.h"

#include <QLoggingCategory>

#include <utility>

using namespace Qt::Literals::StringLiterals;

Q_LOGGING_CATEGORY(lcAvailability, "presently.availability", QtInfoMsg)

namespace {
const QString presenceResource = u"presence"_s;
}

class AvailabilityController::ChangeScope {
public:
    explicit ChangeScope(AvailabilityController *controller)
        : m_controller(controller)
    {
        ++m_controller->m_openChangeScopes;
    }
    ~ChangeScope()
    {
        if (--m_controller->m_openChangeScopes == 0 && std::exchange(m_controller->m_changed, false))
            Q_EMIT m_controller->changed();
    }
    Q_DISABLE_COPY_MOVE(ChangeScope)

private:
    AvailabilityController *m_controller;
};

AvailabilityController::AvailabilityController(HomeserverApi *api, QObject *parent)
    : QObject(parent)
    , m_api(api)
{
    m_rateLimitTimer.setSingleShot(true);
    m_rateLimitTimer.setTimerType(Qt::PreciseTimer);  // a coarse timer fires up to 5% early: another 429
    connect(&m_rateLimitTimer, &QTimer::timeout, this, &AvailabilityController::publish);
    // One signal for everything a view of your state reads, so no view has to know the list.
    using A = AvailabilityController;
    connect(this, &A::chosenChanged, this, &A::markChanged);
    connect(this, &A::effectiveChanged, this, &A::markChanged);
    connect(this, &A::reportedByServerChanged, this, &A::markChanged);
    connect(this, &A::statusMessageChanged, this, &A::markChanged);
    connect(this, &A::fallbackUsed, this, &A::markChanged);
    connect(this, &A::published, this, &A::markChanged);  // a PUT answered: what others see may differ now
    connect(this, &A::presenceUnavailableChanged, this, &A::markChanged);
    connect(this, &A::busySupportedChanged, this, &A::markChanged);
}

void AvailabilityController::markChanged()
{
    Q_ASSERT(m_openChangeScopes > 0);  // every way in opens a ChangeScope
    m_changed = true;
}

void AvailabilityController::setUserId(const QString &userId)
{
    if (userId == m_userId)
        return;
    const ChangeScope scope(this);
    m_userId = userId;
    m_reportedByServer.reset();
    m_freeForChatRefused = false;
    setPresenceUnavailable(false);
}

void AvailabilityController::reset()
{
    const ChangeScope scope(this);
    m_call.abort();
    m_check.abort();
    m_rateLimitTimer.stop();
    m_rateLimits.clear();
    m_republish = false;
    const Derived before = derived();
    m_userId.clear();
    m_hasChoice = false;
    m_reportedByServer.reset();
    m_freeForChatRefused = false;
    setPresenceUnavailable(false);
    setServerVersions({});
    if (m_chosen != Presence::Online) {
        m_chosen = Presence::Online;
        Q_EMIT chosenChanged(m_chosen);
    }
    if (!m_statusMessage.isEmpty()) {
        m_statusMessage.clear();
        Q_EMIT statusMessageChanged(m_statusMessage);
    }
    afterChange(before, false);  // signed out: nothing is published
}

void AvailabilityController::setServerVersions(const ServerVersions &versions)
{
    const bool supported = versions.supportsBusyPresence();
    if (supported == m_busySupported)
        return;
    const ChangeScope scope(this);
    m_busySupported = supported;
    Q_EMIT busySupportedChanged(supported);
}

Presence AvailabilityController::effective() const
{
    if (m_suspended)
        return Presence::Offline;
    if (m_idle && (m_chosen == Presence::Online || m_chosen == Presence::FreeForChat))
        return Presence::Unavailable;
    return m_chosen;
}

Presence AvailabilityController::advertised() const
{
    const Presence state = effective();
    switch (state) {
    case Presence::FreeForChat: return m_freeForChatRefused ? Presence::Online : Presence::FreeForChat;
    case Presence::Busy: return m_busySupported ? Presence::Busy : Presence::Unavailable;
    case Presence::Hidden: return Presence::Offline;
    default: return state;
    }
}

QString AvailabilityController::syncSetPresence() const
{
    // What others are to see, as far as /sync can say it. Synapse keeps an explicit busy across syncs that say
    // online; busy on a server without it goes out as unavailable and must be synced so, or the next sync
    // would make it online again.
    switch (advertised()) {
    case Presence::Unavailable: return u"unavailable"_s;
    case Presence::Offline: return u"offline"_s;
    default: return u"online"_s;
    }
}

void AvailabilityController::choose(Presence presence)
{
    chooseWithStatus(presence, m_statusMessage);
}

void AvailabilityController::setStatusMessage(const QString &statusMessage)
{
    chooseWithStatus(m_chosen, statusMessage);
}

void AvailabilityController::chooseWithStatus(Presence presence, const QString &statusMessage)
{
    if (presence == Presence::Unknown)
        return;
    const ChangeScope scope(this);
    const Derived before = derived();
    m_hasChoice = true;
    const bool presenceChanged = presence != m_chosen;
    const bool statusChanged = statusMessage != m_statusMessage;
    m_chosen = presence;
    m_statusMessage = statusMessage;
    if (presenceChanged)
        Q_EMIT chosenChanged(m_chosen);
    if (statusChanged)
        Q_EMIT statusMessageChanged(m_statusMessage);
    if (m_chosen == Presence::Busy && !m_busySupported)
        Q_EMIT fallbackUsed(m_chosen, Presence::Unavailable, tr("This server has no busy state; others see you as away."));
    // A choice is always published, even an unchanged one: it also re-asserts the state after a reconnect.
    afterChange(before, true);
}

void AvailabilityController::publishOnConnect(const std::optional<PresenceContent> &held)
{
    Presence presence = m_chosen;
    QString statusMessage = m_statusMessage;
    const Presence heldPresence = held ? presenceFromWire(held->presence) : Presence::Unknown;
    const bool serverKnowsYou = held && (heldPresence != Presence::Offline || !held->statusMessage.isEmpty());
    if (serverKnowsYou) {
        statusMessage = held->statusMessage;
        if (!m_hasChoice && (heldPresence == Presence::Unavailable || heldPresence == Presence::Busy))
            presence = heldPresence;
    }
    if (serverKnowsYou || m_hasChoice)
        qCInfo(lcAvailability).noquote() << "connecting as" << presenceName(presence)
                                         << (m_hasChoice ? "(chosen here)" : "(as the server holds you)");
    chooseWithStatus(presence, statusMessage);
}

void AvailabilityController::setIdle(bool idle)
{
    observe(m_idle, idle, idle ? "idle" : "active again");
}

void AvailabilityController::setSuspended(bool suspended)
{
    // Sleep or quit: this device goes away for now (the caller logs which).
    observe(m_suspended, suspended, suspended ? "suspended: publishing offline" : "resumed");
}

void AvailabilityController::observe(bool &observation, bool value, const char *description)
{
    if (observation == value)
        return;
    const ChangeScope scope(this);
    const Derived before = derived();
    observation = value;
    qCInfo(lcAvailability) << description;
    afterChange(before, false);
}

void AvailabilityController::setReportedByServer(Presence presence)
{
    const ChangeScope scope(this);
    // Any state but offline coming back means the server does keep presence.
    if (presence != Presence::Offline)
        setPresenceUnavailable(false);
    if (m_reportedByServer == presence)
        return;
    m_reportedByServer = presence;
    qCDebug(lcAvailability).noquote() << "the server holds" << presenceName(presence) << "for us";
    Q_EMIT reportedByServerChanged(presence);
}

bool AvailabilityController::anotherDeviceDiffers() const
{
    // While a PUT or the read-back after it is on its way, the last report may predate it.
    if (!m_reportedByServer || isPublishing() || m_check.isRunning() || m_presenceUnavailable
        || effective() == Presence::Offline)
        return false;
    // A state Presently does not know is not a disagreement it can explain.
    const Presence reported = *m_reportedByServer;
    return reported != Presence::Unknown && reported != advertised();
}

void AvailabilityController::setPresenceUnavailable(bool unavailable)
{
    if (unavailable == m_presenceUnavailable)
        return;
    m_presenceUnavailable = unavailable;
    if (unavailable)
        qCWarning(lcAvailability) << "the server does not keep presence: it reports us offline after we published";
    Q_EMIT presenceUnavailableChanged(unavailable);
}

void AvailabilityController::checkWhatTheServerHolds()
{
    m_check.abort();
    m_check = m_api->getPresence(m_userId, this, [this](Result<PresenceContent> result) {
        const ChangeScope scope(this);
        if (!result || isPublishing())
            return;  // unknown, or a newer PUT is on its way and will be checked in turn
        const Presence held = presenceFromWire(result.value().presence);
        // Offline after a PUT of anything else: the server does not keep presence at all.
        if (held == Presence::Offline && advertised() != Presence::Offline)
            return setPresenceUnavailable(true);
        const bool changed = m_reportedByServer != held;
        setReportedByServer(held);
        if (!changed)  // the same, but now fresh: listeners may show a difference they held back
            Q_EMIT reportedByServerChanged(held);
    });
}

void AvailabilityController::afterChange(const Derived &before, bool publishNow)
{
    const Derived after = derived();
    if (after.effective != before.effective)
        Q_EMIT effectiveChanged(after.effective);
    if (after.syncSetPresence != before.syncSetPresence)
        Q_EMIT syncPresenceChanged(after.syncSetPresence);
    // Emitted before the PUT, so that going offline stops the sync loop first: a /sync still open with
    // set_presence=online would otherwise keep or bring back "online" on the server after it took "offline".
    if (after.wantsSync != before.wantsSync)
        Q_EMIT wantsSyncChanged(after.wantsSync);
    if (publishNow || after.effective != before.effective)
        publish();
}

void AvailabilityController::publish()
{
    if (m_userId.isEmpty())
        return;  // signed out: the choice is published when someone signs in (Account::connectToServer)
    if (m_call.isRunning() || m_rateLimitTimer.isActive()) {
        m_republish = true;  // send the latest choice once the current PUT is answered
        return;
    }
    m_republish = false;
    const QString wire = presenceToWire(advertised());
    m_call = m_api->setPresence(m_userId, wire, m_statusMessage, this, [this, wire](Result<Done> result) {
        const ChangeScope scope(this);
        if (result) {
            m_rateLimits.succeeded(presenceResource);
            qCInfo(lcAvailability).noquote() << "published presence" << wire;
            // What the server now holds for us: all our devices combined, or nothing if presence is off.
            // Asked before telling listeners, so that until it answers nobody takes the old report for news.
            if (!m_republish)
                checkWhatTheServerHolds();
            Q_EMIT published(wire);
        } else if (wire == "free_for_chat"_L1 && result.error().kind == MatrixError::Kind::Http
                   && result.error().httpStatus == 400) {
            // Synapse answers 400 "Invalid presence state": free_for_chat left the spec in 2016.
            qCInfo(lcAvailability) << "server refused free_for_chat; publishing online instead";
            m_freeForChatRefused = true;
            Q_EMIT fallbackUsed(Presence::FreeForChat, Presence::Online,
                                tr("This server has no “free for chat” state; others see you as online."));
            m_republish = true;
        } else if (result.error().isRateLimited()) {
            // Not dropped: whatever is chosen by the time the wait is over is what the timer publishes.
            const int waitMs = m_rateLimits.failed(presenceResource, result.error());
            qCInfo(lcAvailability) << "presence update rate limited; retrying in" << waitMs << "ms";
            m_rateLimitTimer.start(waitMs);
            Q_EMIT publishPostponed(waitMs);
            return;
        } else if (result.error().kind == MatrixError::Kind::Aborted) {
            return;  // withdrawn (signing out, another user): nothing failed that anyone waits for
        } else {
            qCWarning(lcAvailability).noquote() << "could not publish presence:" << result.error().describe();
            Q_EMIT publishFailed(result.error());
        }
        if (m_republish)
            publish();
    });
}
