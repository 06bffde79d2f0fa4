#include "control/WatchFeed.h"

#include "session/Account.h"
#include "control/ControlProtocol.h"

#include <utility>

using namespace Qt::Literals::StringLiterals;

namespace {
// How far apart two last-active times must be to count as a change: the window shows them in minutes.
constexpr qint64 lastActiveResolutionMs = 60'000;

// Whether two JSON forms of one contact look the same to a person: equal but for last_active_ts, which does
// not count while the contact is currently active ("online now") and otherwise only when it moved by
// lastActiveResolutionMs or more.
bool sameToAPerson(const QJsonObject &said, const QJsonObject &now)
{
    const auto lastActive = "last_active_ts"_L1;
    QJsonObject saidRest = said;
    QJsonObject nowRest = now;
    saidRest.remove(lastActive);
    nowRest.remove(lastActive);
    if (saidRest != nowRest)
        return false;
    if (now.value("currently_active"_L1).toBool())
        return true;
    const QJsonValue saidAt = said.value(lastActive);
    const QJsonValue nowAt = now.value(lastActive);
    if (saidAt.isNull() || nowAt.isNull())
        return saidAt.isNull() == nowAt.isNull();
    return qAbs(nowAt.toInteger() - saidAt.toInteger()) < lastActiveResolutionMs;
}
} // namespace

WatchFeed::WatchFeed(Account *account, QObject *parent)
    : QObject(parent)
    , m_account(account)
    , m_ownState(ControlProtocol::ownStateJson(*account))
{
    const ContactListModel *contacts = account->contacts();
    for (int row = 0; row < contacts->rowCount(); ++row)
        m_contacts.insert(contacts->contactAt(row).userId, ControlProtocol::contactJson(*contacts, row, m_account->groups()));

    m_flush.setSingleShot(true);
    m_flush.setInterval(0);
    connect(&m_flush, &QTimer::timeout, this, &WatchFeed::flush);
    connect(contacts, &ContactListModel::rowsInserted, this,
            [this](const QModelIndex &, int first, int last) { note(first, last); });
    connect(contacts, &ContactListModel::dataChanged, this,
            [this](const QModelIndex &topLeft, const QModelIndex &bottomRight) {
                note(topLeft.row(), bottomRight.row());
            });
    // Noted while the rows still tell whose they are; the flush finds them gone.
    connect(contacts, &ContactListModel::rowsAboutToBeRemoved, this,
            [this](const QModelIndex &, int first, int last) { note(first, last); });

    // Everything ownStateJson() reads: the choice, the status, what others see (auto-away, a server's
    // fallback), the profile name and the connection.
    const auto noteOwnState = [this] {
        m_ownStateNoted = true;
        m_flush.start();
    };
    connect(account->availability(), &AvailabilityController::changed, this, noteOwnState);
    connect(account, &Account::ownProfileChanged, this, noteOwnState);
    connect(account, &Account::stateChanged, this, noteOwnState);
}

QJsonObject WatchFeed::selfEvent() const
{
    return ControlProtocol::event("self"_L1, m_ownState);
}

void WatchFeed::note(int first, int last)
{
    const ContactListModel *contacts = m_account->contacts();
    for (int row = first; row <= last; ++row) {
        const QString &userId = contacts->contactAt(row).userId;
        if (!m_notedSet.contains(userId)) {
            m_notedSet.insert(userId);
            m_noted.append(userId);
        }
    }
    m_flush.start();
}

void WatchFeed::flush()
{
    const ContactListModel *contacts = m_account->contacts();
    const QList<QString> noted = std::exchange(m_noted, {});
    m_notedSet.clear();
    for (const QString &userId : noted) {
        const int row = contacts->rowOf(userId);
        if (row < 0) {
            // Gone; or added and removed within the turn, which nobody was told of.
            if (m_contacts.remove(userId))
                Q_EMIT event(ControlProtocol::event("removed"_L1, QJsonObject{{u"user_id"_s, userId}}));
            continue;
        }
        const QJsonObject json = ControlProtocol::contactJson(*contacts, row, m_account->groups());
        const auto said = m_contacts.constFind(userId);
        if (said != m_contacts.cend() && sameToAPerson(*said, json))
            continue;
        m_contacts.insert(userId, json);
        Q_EMIT event(ControlProtocol::event("contact"_L1, json));
    }

    if (!std::exchange(m_ownStateNoted, false))
        return;
    const QJsonObject ownState = ControlProtocol::ownStateJson(*m_account);
    if (ownState == m_ownState)
        return;
    m_ownState = ownState;
    Q_EMIT event(selfEvent());
}
