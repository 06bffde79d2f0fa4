#pragma once

#include "matrix/HomeserverApi.h"
#include "matrix/RetryPolicy.h"
#include "matrix/SyncBatch.h"
#include "matrix/SyncFilter.h"

#include <QFutureWatcher>
#include <QObject>
#include <QTimer>

// The /sync long-poll. One request at a time: the next starts only after the consumer reports the previous
// batch applied (batchApplied), so `since` never runs ahead of what the roster holds. Bodies are parsed on a
// worker thread. A failed request is tried again after the RetryPolicy's wait (429: as long as the server
// asks); an unknown token stops the loop and reports whether it was a soft logout.
class SyncLoop : public QObject {
    Q_OBJECT
public:
    enum class State : quint8 {
        Stopped,         // not running (never started, stopped, or the user went offline)
        Connecting,      // running, no batch received yet since start or since the last failure
        Live,            // the last request succeeded
        Retrying,        // waiting for the next attempt (retryScheduled() says how long)
        SessionExpired,  // the server no longer accepts the access token; needs a new login
    };
    Q_ENUM(State)

    static constexpr int defaultServerTimeoutMs = 30'000;

    SyncLoop(HomeserverApi *api, QObject *parent = nullptr);
    ~SyncLoop() override;

    void setUserId(const QString &userId) { m_userId = userId; }
    // The stream position to continue from; empty (as after signing in) means an initial sync.
    void setSince(const QString &since) { m_since = since; }
    QString since() const { return m_since; }
    // The uploaded filter belongs to one user: forget it (and the contacts it listed) when another signs in.
    void forgetFilter();
    QString filterId() const { return m_filterId; }
    // A filter uploaded by an earlier run (the cache kept it): used instead of uploading one, for as long as the
    // server knows it (a 4xx on /sync uploads a new one).
    void resumeFilter(const QString &filterId, const QStringList &senders);
    void setServerTimeoutMs(int ms) { m_serverTimeoutMs = ms; }
    void setRetryPolicy(const RetryPolicy &policy) { m_retries.setPolicy(policy); }
    // Which room events the filter lets through; takes effect with the next filter uploaded (set it before start()).
    // The app keeps the default; presently-roster-traffic compares it with the filter before it.
    void setRoomTraffic(RoomTraffic rooms) { m_roomTraffic = rooms; }

    State state() const { return m_state; }
    bool isRunning() const { return m_state != State::Stopped && m_state != State::SessionExpired; }
    // While Retrying: how long until the next attempt.
    qint64 retryRemainingMs() const;
    // Why the last request failed (what ended the session, in SessionExpired).
    MatrixError lastError() const { return m_lastError; }

public Q_SLOTS:
    void start();
    // Aborts the request in flight at once and drops any batch still being parsed.
    void stop();
    // While Retrying: try now instead of waiting.
    void retryNow();
    // The value for the next request's set_presence (online | unavailable | offline).
    void setPresenceParameter(const QString &setPresence) { m_setPresence = setPresence; }
    // The consumer has applied the batch whose next_batch this is; the loop moves on.
    void batchApplied(const QString &nextBatch);
    // The people whose presence the filter lets through (besides you). A set the uploaded filter does not list
    // yet is uploaded as a new filter, used from then on; identical sets upload nothing.
    void setContacts(const QStringList &contactIds);

Q_SIGNALS:
    void stateChanged(SyncLoop::State state);
    // Entered Retrying; the next attempt comes after delayMs.
    void retryScheduled(int delayMs, const MatrixError &cause);
    // A parsed batch. The loop waits until batchApplied() is called with its nextBatch.
    void batchReady(const SyncBatch &batch);
    // The server no longer accepts the session (lastError() says why); soft: the same device may sign in again.
    void sessionExpired(bool softLogout);
    // The server answered a /sync request (successfully) that was sent with set_presence=`setPresence`, the value
    // setPresenceParameter() held when it went out, which may be older than the current one. From then on the
    // server has seen that value: what a peer sees afterwards is what the server made of it (Synapse applies a
    // sync's set_presence at most once per rc_presence window and ignores "offline" from /sync).
    void answered(const QString &setPresence);
    // A filter was uploaded and is used from now on: `senders` are the presence senders it lists.
    void filterInUse(const QString &filterId, const QStringList &senders);
    // The server refused `since` itself (a 4xx again with a filter just uploaded): the loop starts over with an
    // initial sync, and whatever was built on the old position should be dropped.
    void positionRefused();

private:
    void uploadFilter();
    void updateFilter();
    void useFilter(const QString &filterId, const QStringList &senders);
    void poll();
    void onBody(const QByteArray &body, qint64 receivedAtMs);
    void onParsed();
    void fail(const MatrixError &error);
    void setState(State state);

    HomeserverApi *m_api;
    QString m_userId;
    QString m_since;
    QString m_filterId;
    QStringList m_filterSenders;  // the presence senders m_filterId lists
    QStringList m_contacts;
    RoomTraffic m_roomTraffic = RoomTraffic::SizesAndLatestChange;
    ApiCall m_filterUpdate;       // a filter for a changed contact set, uploaded beside the long-poll
    QTimer m_filterRetryTimer;
    quint64 m_poll = 0;           // counts polls, so the answer to one abandoned for a newer filter is told apart
    QString m_setPresence;
    int m_serverTimeoutMs = defaultServerTimeoutMs;

    State m_state = State::Stopped;
    ApiCall m_call;
    QFutureWatcher<SyncParseResult> m_parse;
    qint64 m_parseReceivedAtMs = 0;
    bool m_awaitingApply = false;
    bool m_sinceInDoubt = false;  // a 4xx on /sync dropped the filter: another one says the `since` is refused
    quint64 m_run = 0;       // counts start()s, so results of an earlier run are told apart
    quint64 m_parseRun = 0;  // the run whose body is being parsed
    RetryTracker m_retries;
    MatrixError m_lastError;
    QTimer m_retryTimer;
};
