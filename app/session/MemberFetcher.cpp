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
    , m_rooms(maxRunning, this, [this](const QString &roomId) { fetch(roomId); }, [this] { Q_EMIT drained(); })
{
    connect(roster, &Roster::membersNeeded, this, [this](const QString &roomId) { m_rooms.add(roomId); });
}

void MemberFetcher::clear()
{
    m_rooms.clear();
}

void MemberFetcher::fetch(const QString &roomId)
{
    m_api->joinedMembers(roomId, this, [this, roomId, generation = m_rooms.generation()](Result<QList<MemberChange>> result) {
        if (generation != m_rooms.generation())
            return;  // asked for before a sign-out or a reconnection
        if (result && m_roster->hasInvitees(roomId))
            return fetchInvitees(roomId, result.value());
        finish(roomId, result);
    });
}

// joined_members names no invited people; a room whose summary counts some has them asked for too, so that a
// room the roster learnt of from one member event (the sync filter's timeline limit) lists them.
void MemberFetcher::fetchInvitees(const QString &roomId, const QList<MemberChange> &joined)
{
    m_api->invitedMembers(roomId, this, [this, roomId, joined, generation = m_rooms.generation()](Result<QList<MemberChange>> result) {
        if (generation != m_rooms.generation())
            return;
        if (result)
            result = joined + result.value();
        finish(roomId, result);
    });
}

void MemberFetcher::finish(const QString &roomId, const Result<QList<MemberChange>> &result)
{
    if (result) {
        m_rooms.succeeded(roomId);  // before the roster, which may ask for it again
        m_roster->applyJoinedMembers(roomId, result.value());
    } else if (result.error().isWithdrawn()) {
        m_rooms.done(roomId);
    } else {
        // Even when refused: the roster asks only once per room, and a room can become readable again
        // (rejoined, a server or proxy fixed).
        const int waitMs = m_rooms.retryLater(roomId, result.error());
        qCInfo(lcMembers).noquote() << "member list of" << roomId << "failed:" << result.error().describe()
                                    << u"- retrying in %1 ms"_s.arg(waitMs);
    }
}
