#include "control/WatchFeed.h"

#include "session/Account.h"
#include "control/ControlProtocol.h"

using namespace Qt::Literals::StringLiterals;

WatchFeed::WatchFeed(Account *account, QObject *parent)
    : QObject(parent)
    , m_account(account)
    , m_ownState(ControlProtocol::ownStateJson(*account))
{
    const ContactListModel *contacts = account->contacts();
    for (int row = 0; row < contacts->rowCount(); ++row)
        m_contacts.insert(contacts->contactAt(row).userId, ControlProtocol::contactJson(*contacts, row));
    connect(contacts, &ContactListModel::rowsInserted, this,
            [this](const QModelIndex &, int first, int last) { onRowsChanged(first, last); });
    connect(contacts, &ContactListModel::dataChanged, this,
            [this](const QModelIndex &topLeft, const QModelIndex &bottomRight) {
                onRowsChanged(topLeft.row(), bottomRight.row());
            });
    connect(contacts, &ContactListModel::rowsAboutToBeRemoved, this,
            [this](const QModelIndex &, int first, int last) { onRowsAboutToBeRemoved(first, last); });

    // Everything ownStateJson() reads: the choice, the status, what others see (auto-away, a server's
    // fallback) and the profile name.
    connect(account->availability(), &AvailabilityController::changed, this, &WatchFeed::onOwnStateMaybeChanged);
    connect(account, &Account::ownProfileChanged, this, &WatchFeed::onOwnStateMaybeChanged);
}

QJsonObject WatchFeed::selfEvent() const
{
    return ControlProtocol::event("self"_L1, m_ownState);
}

void WatchFeed::onRowsChanged(int first, int last)
{
    const ContactListModel *contacts = m_account->contacts();
    for (int row = first; row <= last; ++row) {
        const QJsonObject json = ControlProtocol::contactJson(*contacts, row);
        QJsonObject &said = m_contacts[contacts->contactAt(row).userId];
        if (json == said)
            continue;
        said = json;
        Q_EMIT event(ControlProtocol::event("contact"_L1, json));
    }
}

void WatchFeed::onRowsAboutToBeRemoved(int first, int last)
{
    const ContactListModel *contacts = m_account->contacts();
    for (int row = first; row <= last; ++row) {
        const QString userId = contacts->contactAt(row).userId;
        m_contacts.remove(userId);
        Q_EMIT event(ControlProtocol::event("removed"_L1, QJsonObject{{u"user_id"_s, userId}}));
    }
}

void WatchFeed::onOwnStateMaybeChanged()
{
    const QJsonObject ownState = ControlProtocol::ownStateJson(*m_account);
    if (ownState == m_ownState)
        return;
    m_ownState = ownState;
    Q_EMIT event(selfEvent());
}
