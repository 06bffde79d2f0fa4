#include "session/MemberFetcher.h"

#include "roster/Roster.h"

#include <QLoggingCategory>
#include <QTimer>

Q_LOGGING_CATEGORY(lcMembers, "presently.members", QtInfoMsg)

namespace {
constexpr int retryMs = 5'000;
}

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
    m_queued.clear();
    m_running = 0;
}

void MemberFetcher::enqueue(const QString &roomId)
{
    if (m_queued.contains(roomId))
        return;
    m_queued.insert(roomId);
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
            m_queued.remove(roomId);
            if (result) {
                m_roster->applyJoinedMembers(roomId, result.value());
            } else if (result.error().isTransient()) {
                const int waitMs = static_cast<int>(result.error().retryAfterMs.value_or(retryMs));
                qCInfo(lcMembers).noquote() << "member list of" << roomId << "failed, retrying:" << result.error().describe();
                QTimer::singleShot(waitMs, this, [this, roomId, generation] {
                    if (generation == m_generation)
                        enqueue(roomId);
                });
            } else {
                qCWarning(lcMembers).noquote() << "member list of" << roomId << "unavailable:" << result.error().describe();
            }
            fetchNext();
        });
    }
}
