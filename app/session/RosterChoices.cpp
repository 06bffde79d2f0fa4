#include "session/RosterChoices.h"

#include "roster/HiddenContacts.h"
#include "roster/RosterAccountData.h"

#include <QLoggingCategory>

using namespace Qt::Literals::StringLiterals;

Q_LOGGING_CATEGORY(lcRosterChoices, "presently.rosterchoices", QtInfoMsg)

RosterChoices::RosterChoices(HomeserverApi *api, AccountDataEditor *accountData, HiddenContacts *hidden, QObject *parent)
    : QObject(parent)
    , m_api(api)
    , m_accountData(accountData)
    , m_hidden(hidden)
{
}

void RosterChoices::load()
{
    m_loadCall.abort();
    m_loadCall = m_api->accountData(m_ownUserId, RosterAccountData::eventType, this, [this](Result<QJsonObject> content) {
        if (content) {
            m_hidden->setHidden(RosterAccountData::read(content.value()).hidden);
        } else if (content.error().errcode == "M_NOT_FOUND"_L1) {
            m_hidden->setHidden({});  // never set: nobody hidden
        } else {
            // Kept as they were: a failed read is no reason to show hidden people again.
            qCWarning(lcRosterChoices).noquote() << "could not read" << RosterAccountData::eventType << ":"
                                                 << content.error().describe();
            return;
        }
        Q_EMIT loaded();
    });
}

void RosterChoices::setHidden(const QString &userId, bool hidden)
{
    // Shown at once; the server's copy follows, and a failed save reads it back.
    QStringList shown = m_hidden->userIds();
    if (hidden)
        shown.append(userId);
    else
        shown.removeAll(userId);
    m_hidden->setHidden(shown);
    m_accountData->modify(RosterAccountData::eventType, [userId, hidden](QJsonObject content) {
        QStringList userIds = RosterAccountData::read(content).hidden;
        if (hidden)
            userIds.append(userId);
        else
            userIds.removeAll(userId);
        return RosterAccountData::withHidden(std::move(content), userIds);
    }, [this, userId](const std::optional<MatrixError> &error) {
        if (!error)
            return Q_EMIT saved();
        Q_EMIT failed(tr("Could not save your change to %1: %2").arg(userId, error->describe()));
        load();
    });
}
