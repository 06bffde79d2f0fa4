#include "session/MemberFetcher.h"

#include "roster/Roster.h"

#include <QLoggingCategory>
#include <QTimer>

using namespace Qt::Literals::StringLiterals;

Q_LOGGING_CATEGORY(lcMembers, "presently.members", QtInfoMsg)

MemberFetcher::MemberFetcher(HomeserverApi *api, Roster *roster, QObject *parent)
    : QObject(parent)
    , m_api(api)
    , m_roster(roster)
{
    connect(roster, &Roster::membersNeeded, this, &MemberFetcher::enqueue);
}

void MemberFetcher::clear()
{
    ++m_generation;
    m_queue.clear();
    m_wanted.clear();
    m_running = 0;
    m_retries.clear();
}

void MemberFetcher::enqueue(const QString &roomId)
{
    if (m_wanted.contains(roomId))
        return;
    m_wanted.insert(roomId);
    m_queue.enqueue(roomId);
    fetchNext();
}

void MemberFetcher::fetchNext()
{
    while (m_running < maxRunning && !m_queue.isEmpty()) {
        const QString roomId = m_queue.dequeue();
        ++m_running;
        m_api->joinedMembers(roomId, this, [this, roomId, generation = m_generation](Result<QList<MemberChange>> result) {
            if (generation != m_generation)
                return;  // asked for before a sign-out or a reconnection
            --m_running;
            if (result) {
                m_wanted.remove(roomId);
                m_retries.succeeded(roomId);
                m_roster->applyJoinedMembers(roomId, result.value());
            } else if (!result.error().isWithdrawn()) {
                retryLater(roomId, result.error());
            }
            fetchNext();
        });
    }
}

void MemberFetcher::retryLater(const QString &roomId, const MatrixError &error)
{
    const int waitMs = m_retries.failed(roomId, error);
    qCInfo(lcMembers).noquote() << "member list of" << roomId << "failed:" << error.describe()
                                << u"- retrying in %1 ms"_s.arg(waitMs);
    // Stays wanted while it waits, so the room is not fetched twice if the roster asks again meanwhile.
    QTimer::singleShot(waitMs, this, [this, roomId, generation = m_generation] {
        if (generation != m_generation)
            return;  // cleared while waiting
        m_queue.enqueue(roomId);
        fetchNext();
    });
}
