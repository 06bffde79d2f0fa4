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
    , m_rooms(maxRunning, [this](const QString &roomId) { fetch(roomId); })
{
    connect(roster, &Roster::membersNeeded, this, [this](const QString &roomId) { m_rooms.add(roomId); });
}

void MemberFetcher::clear()
{
    m_rooms.clear();
    m_retries.clear();
}

void MemberFetcher::fetch(const QString &roomId)
{
    m_api->joinedMembers(roomId, this, [this, roomId, generation = m_rooms.generation()](Result<QList<MemberChange>> result) {
        if (generation != m_rooms.generation())
            return;  // asked for before a sign-out or a reconnection
        if (!result && !result.error().isWithdrawn()) {
            m_rooms.finished(roomId, FetchQueue::Outcome::WillRetry);
            return retryLater(roomId, result.error());
        }
        m_rooms.finished(roomId, FetchQueue::Outcome::Done);  // before the roster, which may ask for it again
        if (result) {
            m_retries.succeeded(roomId);
            m_roster->applyJoinedMembers(roomId, result.value());
        }
    });
}

void MemberFetcher::retryLater(const QString &roomId, const MatrixError &error)
{
    const int waitMs = m_retries.failed(roomId, error);
    qCInfo(lcMembers).noquote() << "member list of" << roomId << "failed:" << error.describe()
                                << u"- retrying in %1 ms"_s.arg(waitMs);
    // Stays wanted while it waits, so the room is not fetched twice if the roster asks again meanwhile.
    QTimer::singleShot(waitMs, this, [this, roomId, generation = m_rooms.generation()] {
        if (generation != m_rooms.generation())
            return;  // cleared while waiting
        m_rooms.retry(roomId);
    });
}
