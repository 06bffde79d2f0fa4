#include "matrix/SyncLoop.h"

#include "matrix/SyncParser.h"

#include <QDateTime>
#include <QLoggingCategory>
#include <QtConcurrent/QtConcurrentRun>

using namespace Qt::Literals::StringLiterals;

Q_LOGGING_CATEGORY(lcSync, "presently.sync", QtInfoMsg)

namespace {
// The loop's one resource in its RetryTracker: the stream, whether the filter upload or a /sync failed.
const QString syncResource = u"sync"_s;
// The upload of a filter for a changed contact set: its failures wait on their own, the stream goes on meanwhile.
const QString filterUpdateResource = u"presence filter"_s;
}

SyncLoop::SyncLoop(HomeserverApi *api, QObject *parent)
    : QObject(parent)
    , m_api(api)
{
    m_retryTimer.setSingleShot(true);
    // A 429's wait is the server's: a coarse timer may end it up to 5% early, and the early request is refused again.
    m_retryTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_retryTimer, &QTimer::timeout, this, &SyncLoop::retryNow);
    m_filterRetryTimer.setSingleShot(true);
    connect(&m_filterRetryTimer, &QTimer::timeout, this, &SyncLoop::updateFilter);
    connect(&m_parse, &QFutureWatcher<SyncParseResult>::finished, this, &SyncLoop::onParsed);
}

SyncLoop::~SyncLoop()
{
    stop();
    m_parse.waitForFinished();
}

void SyncLoop::start()
{
    if (isRunning())
        return;
    m_retries.clear();
    // A new run: a batch of the previous one still being parsed or applied is not waited for (the roster may
    // have been cleared meanwhile, or belong to another account now).
    ++m_run;
    m_awaitingApply = false;
    setState(State::Connecting);
    if (m_filterId.isEmpty()) {
        uploadFilter();
    } else {
        poll();
        updateFilter();  // the contacts may have changed while stopped
    }
}

void SyncLoop::stop()
{
    m_retryTimer.stop();
    m_filterRetryTimer.stop();
    // Stopped first: the aborted request finishes synchronously inside abort(), and its handler must see
    // that nobody is waiting for it any more.
    setState(State::Stopped);
    m_call.abort();
    m_filterUpdate.abort();
    // A batch still being parsed is dropped when it arrives (see onParsed); one being applied is the
    // consumer's to finish, and batchApplied() still records its position unless a new run began.
}

qint64 SyncLoop::retryRemainingMs() const
{
    return m_retries.remainingMs(syncResource);
}

void SyncLoop::retryNow()
{
    if (m_state != State::Retrying)
        return;
    m_retryTimer.stop();
    setState(State::Connecting);
    if (m_filterId.isEmpty())
        uploadFilter();
    else
        poll();
}

void SyncLoop::forgetFilter()
{
    m_filterUpdate.abort();
    m_filterRetryTimer.stop();
    m_filterId.clear();
    m_filterSenders.clear();
    m_contacts.clear();
}

void SyncLoop::resumeFilter(const QString &filterId, const QStringList &senders)
{
    m_filterId = filterId;
    m_filterSenders = senders;
}

void SyncLoop::setContacts(const QStringList &contactIds)
{
    m_contacts = contactIds;
    if (isRunning() && !m_filterId.isEmpty())
        updateFilter();
}

void SyncLoop::uploadFilter()
{
    const QStringList senders = presenceSendersFor(m_userId, m_contacts);
    m_call = m_api->uploadFilter(m_userId, presenceClientFilter(senders, m_roomTraffic), this, [this, senders](Result<QString> result) {
        if (!isRunning())
            return;  // stop() cancelled it
        if (!result)
            return fail(result.error());
        useFilter(result.value(), senders);
        poll();
        updateFilter();  // the contacts changed while it was on its way
    });
}

void SyncLoop::updateFilter()
{
    const QStringList senders = presenceSendersFor(m_userId, m_contacts);
    if (!isRunning() || m_filterId.isEmpty() || senders == m_filterSenders || m_filterUpdate.isRunning()
        || m_filterRetryTimer.isActive())
        return;  // nothing to do, or the upload on its way (or waiting) takes the newest set when it ends
    m_filterUpdate = m_api->uploadFilter(m_userId, presenceClientFilter(senders, m_roomTraffic), this, [this, senders](Result<QString> result) {
        if (!isRunning())
            return;  // stop() cancelled it
        if (!result) {
            // The old filter stays in use: the contacts' presence is then what it was, a stale set, not none.
            const int delayMs = m_retries.failed(filterUpdateResource, result.error());
            qCWarning(lcSync).noquote() << "presence filter upload failed:" << result.error().describe()
                                        << u"- retrying in %1 ms"_s.arg(delayMs);
            m_filterRetryTimer.start(delayMs);
            return poll();  // the poll held back for this upload goes out under the old filter
        }
        m_retries.succeeded(filterUpdateResource);
        // A long-poll under the old filter would not bring the new contacts' changes, and its next_batch moves past
        // them for good (an incremental sync reports only presence that changed after `since`). A set changed by a
        // batch is uploaded before the next poll goes out (poll() waits for it); one changed by a member list that
        // arrived during a long-poll abandons that poll, which is sent again with the same `since` under the new
        // filter and so brings whatever the new contacts changed since.
        const bool pollInFlight = m_call.isRunning() && !m_filterId.isEmpty();
        useFilter(result.value(), senders);
        if (pollInFlight) {
            ++m_poll;
            m_call.abort();
        }
        poll();
        updateFilter();  // the contacts changed again while it was on its way
    });
}

void SyncLoop::useFilter(const QString &filterId, const QStringList &senders)
{
    m_filterId = filterId;
    m_filterSenders = senders;
    qCInfo(lcSync) << "uploaded filter" << m_filterId << "listing the presence of" << senders.size() << "people";
    Q_EMIT filterInUse(filterId, senders);
}

void SyncLoop::poll()
{
    if (!isRunning() || m_awaitingApply || m_call.isRunning() || m_parse.isRunning() || m_filterUpdate.isRunning())
        return;  // the filter upload on its way calls poll() when it ends
    SyncRequest request;
    request.filterId = m_filterId;
    request.since = m_since;
    // Until a batch has come in since starting or since the last failure, the request comes back at once instead
    // of long-polling: the initial sync, and whatever happened while the connection was down.
    request.timeoutMs = m_state == State::Live ? m_serverTimeoutMs : 0;
    request.setPresence = m_setPresence;
    m_call = m_api->sync(request, this, [this, setPresence = request.setPresence, run = ++m_poll](Result<QByteArray> result) {
        if (!isRunning() || run != m_poll)
            return;  // stop() cancelled it, or it was abandoned for a newer filter
        if (!result)
            return fail(result.error());
        onBody(result.value(), QDateTime::currentMSecsSinceEpoch());
        Q_EMIT answered(setPresence);
    });
}

void SyncLoop::onBody(const QByteArray &body, qint64 receivedAtMs)
{
    m_parseReceivedAtMs = receivedAtMs;
    m_parseRun = m_run;
    m_parse.setFuture(QtConcurrent::run([body] {
        // parseSync() throws nothing of its own (simdjson without exceptions); this is the second line of defence,
        // for what the containers it fills may throw (out of memory): QtConcurrent would rethrow it on this thread.
        try {
            return parseSync(body);
        } catch (...) {
            SyncParseResult failed;
            failed.error = u"could not parse the sync body"_s;
            return failed;
        }
    }));
}

void SyncLoop::onParsed()
{
    if (!isRunning())
        return;
    if (m_parseRun != m_run)
        return poll();  // parsed for a run that was stopped; this run was waiting for the parser to be free
    SyncParseResult parsed = m_parse.result();
    if (!parsed.batch)
        return fail(MatrixError::protocol(u"sync body could not be parsed: %1"_s.arg(parsed.error)));

    SyncBatch &batch = *parsed.batch;
    batch.receivedAtMs = m_parseReceivedAtMs;
    if (batch.skippedEvents > 0)
        qCWarning(lcSync) << "skipped" << batch.skippedEvents << "malformed events in a sync response";
    m_retries.succeeded(syncResource);
    m_sinceInDoubt = false;
    m_awaitingApply = true;
    setState(State::Live);
    Q_EMIT batchReady(batch);
}

void SyncLoop::batchApplied(const QString &nextBatch)
{
    if (!m_awaitingApply)
        return;
    m_awaitingApply = false;
    if (!nextBatch.isEmpty())
        m_since = nextBatch;
    poll();
}

void SyncLoop::fail(const MatrixError &error)
{
    m_lastError = error;
    if (error.endsSession()) {
        qCWarning(lcSync).noquote() << "the session ended:" << error.describe() << (error.softLogout ? "(soft logout)" : "");
        m_call.abort();
        setState(State::SessionExpired);
        Q_EMIT sessionExpired(error.softLogout);
        return;
    }
    // A 4xx other than 429 on /sync usually means the stored filter is gone (the server lost its database):
    // upload it again on the next attempt. The loop mends that itself, so it waits as for a passing fault; a
    // refused filter upload waits as for any refusal.
    const bool filterLost = !m_filterId.isEmpty() && error.kind == MatrixError::Kind::Http && error.httpStatus >= 400
                         && error.httpStatus < 500 && !error.isRateLimited();
    if (filterLost && m_sinceInDoubt) {
        // Refused again under a filter just uploaded: the position itself is unknown to the server (a garbage or
        // foreign token, say from a cache). Only an initial sync can continue.
        qCWarning(lcSync) << "the server refuses the stream position; starting over with an initial sync";
        m_sinceInDoubt = false;
        m_since.clear();
        Q_EMIT positionRefused();
    } else if (filterLost) {
        m_filterId.clear();
        m_filterSenders.clear();
        m_sinceInDoubt = !m_since.isEmpty();
    }

    const int delayMs = m_retries.failed(syncResource, filterLost ? MatrixError::protocol(error.describe()) : error);
    qCWarning(lcSync).noquote() << "sync failed:" << error.describe() << u"- retrying in %1 ms"_s.arg(delayMs);
    m_retryTimer.start(delayMs);
    setState(State::Retrying);
    Q_EMIT retryScheduled(delayMs, error);
}

void SyncLoop::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}
