#pragma once

#include "matrix/HomeserverApi.h"
#include "matrix/RetryPolicy.h"
#include "presence/Presence.h"

#include <QObject>
#include <QTimer>

// The one owner of the user's availability: what the user chose (online, free for chat, away, busy, appear
// offline, offline) and what the machine observes (idle, suspended). From the two it derives the effective
// state, and from that both the PUT /presence calls and the set_presence of every /sync, so the two never
// disagree (design.md: Synapse never idles a client that syncs with `online`, and treats `offline` as "do not
// touch my presence").
//
//   effective      PUT presence                          /sync set_presence   sync loop
//   Online         online                                online               running
//   FreeForChat    free_for_chat, or online if refused   online               running
//   Unavailable    unavailable                           unavailable          running
//   Busy           org.matrix.msc3026.busy where          online where         running
//                  announced, else unavailable            announced (Synapse
//                                                         keeps busy), else
//                                                         unavailable
//   Hidden         offline                               offline              running ("appear offline")
//   Offline        offline                               -                    stopped
//
// The effective state is the choice, except: suspended (the machine goes to sleep) is Offline, and idle turns
// Online or Free for chat into Unavailable ("auto-away") until activity returns. A manual Away, Busy, Appear
// offline or Offline is never changed by what the machine observes.
class AvailabilityController : public QObject {
    Q_OBJECT
public:
    AvailabilityController(HomeserverApi *api, QObject *parent = nullptr);

    // A new user starts with nothing known about what the server holds.
    void setUserId(const QString &userId);
    // Forgets everything that was the signed-in user's: the choice and status message (back to Online and
    // none), what the server holds and supports, a PUT on its way. What the machine observes stays.
    void reset();
    void setServerVersions(const ServerVersions &versions);
    bool busySupported() const { return m_busySupported; }

    Presence chosen() const { return m_chosen; }
    // Whether the signed-in user has a choice on this device (made here now, or remembered from the last run).
    // Without one, connecting adopts the server's state of them.
    bool hasChoice() const { return m_hasChoice; }
    QString statusMessage() const { return m_statusMessage; }
    // The chosen state as the machine's activity changes it (see the table above).
    Presence effective() const;
    bool isAutoAway() const { return effective() != m_chosen && !m_suspended; }
    bool isSuspended() const { return m_suspended; }
    // What other users are shown: the effective state, or the fallback the server forced (FreeForChat -> Online).
    Presence advertised() const;
    QString syncSetPresence() const;
    bool wantsSync() const { return effective() != Presence::Offline; }
    bool isPublishing() const { return m_call.isRunning(); }
    // While the server's rate limit holds the next update back: how long until it is sent; otherwise 0.
    int publishPostponedForMs() const { return m_rateLimitTimer.isActive() ? m_rateLimitTimer.remainingTime() : 0; }

    // Your presence as the server last reported it in /sync. The server combines all your devices, so this
    // differs from advertised() when another device is, say, online while you chose away here.
    std::optional<Presence> reportedByServer() const { return m_reportedByServer; }
    // The server's combined state is not what this device publishes, and no PUT is on its way to change that.
    bool anotherDeviceDiffers() const;
    // The server accepted a PUT of a non-offline state yet reads you back as offline: presence is off there.
    bool isPresenceUnavailable() const { return m_presenceUnavailable; }

public Q_SLOTS:
    // Chooses a state and publishes it with the current status message.
    void choose(Presence presence);
    void setStatusMessage(const QString &statusMessage);
    // Chooses a state and status message at once, with a single PUT.
    void chooseWithStatus(Presence presence, const QString &statusMessage);
    // On connecting, before anything else is published: publishes the choice, first adopting what the server
    // holds of you (`held`, when it could be read). A status message the server holds is kept (another client
    // may have set it); without a choice here, the server's away or busy is adopted (and online otherwise:
    // signing in is coming online). A server that knows nothing of you (offline, no status) changes nothing.
    void publishOnConnect(const std::optional<PresenceContent> &held);
    // What the machine observes. Going from idle back to active is a proactive change and is published at once.
    void setIdle(bool idle);
    void setSuspended(bool suspended);
    void setReportedByServer(Presence presence);

Q_SIGNALS:
    // Anything a view of your state shows may have changed. Emitted at most once per operation above and once per
    // answer from the server (a PUT, the read-back after it), after the signals below that it causes.
    void changed();
    void chosenChanged(Presence chosen);
    void effectiveChanged(Presence effective);
    void busySupportedChanged(bool supported);
    void statusMessageChanged(const QString &statusMessage);
    void syncPresenceChanged(const QString &setPresence);
    void wantsSyncChanged(bool wantsSync);
    // The server refused the chosen state and others see `advertised` instead (the selector says so).
    void fallbackUsed(Presence chosen, Presence advertised, const QString &reason);
    // The server holds what we chose (or its fallback); `wirePresence` is what was sent.
    void published(const QString &wirePresence);
    void publishFailed(const MatrixError &error);
    // The server's rate limit holds the next update back for waitMs (stock Synapse: one PUT per 10 s per user):
    // whatever is chosen by then is published then.
    void publishPostponed(int waitMs);
    void reportedByServerChanged(Presence reported);
    void presenceUnavailableChanged(bool unavailable);

private:
    // Opened by every operation and every answer: the signals it causes that views show mark a change, and the
    // outermost scope to close emits changed() once for all of them.
    class ChangeScope;

    struct Derived {
        Presence effective;
        QString syncSetPresence;
        bool wantsSync;
        bool operator==(const Derived &) const = default;
    };
    Derived derived() const { return {effective(), syncSetPresence(), wantsSync()}; }
    // Signals what changed between `before` and now, and publishes when `publishNow` or the effective state moved.
    void afterChange(const Derived &before, bool publishNow);
    void observe(bool &observation, bool value, const char *description);
    void publish();
    // After a PUT: what does the server hold for us now? Another device may keep us more available, and
    // Synapse without presence answers "offline" for everyone, including us.
    void checkWhatTheServerHolds();
    void setPresenceUnavailable(bool unavailable);
    void markChanged();

    HomeserverApi *m_api;
    QString m_userId;
    Presence m_chosen = Presence::Online;
    QString m_statusMessage;
    bool m_idle = false;
    bool m_suspended = false;
    bool m_hasChoice = false;
    bool m_busySupported = false;
    bool m_freeForChatRefused = false;
    bool m_republish = false;  // the choice changed while a PUT was in flight
    std::optional<Presence> m_reportedByServer;
    bool m_presenceUnavailable = false;
    ApiCall m_call;
    ApiCall m_check;
    RetryTracker m_rateLimits;  // the one resource "presence": PUTs answered 429 in a row
    QTimer m_rateLimitTimer;    // publishes the latest choice once the wait is over
    int m_openChangeScopes = 0;
    bool m_changed = false;  // within the open scopes
};
