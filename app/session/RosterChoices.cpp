#include "session/RosterChoices.h"

#include "roster/HiddenContacts.h"
#include "roster/Nicknames.h"
#include "roster/RosterGroupModel.h"
#include "roster/RosterAccountData.h"

#include <QLoggingCategory>

using namespace Qt::Literals::StringLiterals;

Q_LOGGING_CATEGORY(lcRosterChoices, "presently.rosterchoices", QtInfoMsg)

RosterChoices::RosterChoices(HomeserverApi *api, AccountDataEditor *accountData, HiddenContacts *hidden,
                             Nicknames *nicknames, RosterGroupModel *groups, QObject *parent)
    : QObject(parent)
    , m_api(api)
    , m_accountData(accountData)
    , m_hidden(hidden)
    , m_nicknames(nicknames)
    , m_groups(groups)
{
}

void RosterChoices::load()
{
    m_loadCall.abort();
    m_loadCall = m_api->accountData(m_ownUserId, RosterAccountData::eventType, this, [this](Result<QJsonObject> content) {
        if (content) {
            apply(content.value());
        } else if (content.error().errcode == "M_NOT_FOUND"_L1) {
            apply({});  // never set: nobody hidden, no groups, no nicknames
        } else {
            // Kept as they were: a failed read is no reason to show hidden people again.
            qCWarning(lcRosterChoices).noquote() << "could not read" << RosterAccountData::eventType << ":"
                                                 << content.error().describe();
            return;
        }
        Q_EMIT loaded();
    });
}

void RosterChoices::forget()
{
    m_loadCall.abort();
    m_saving = 0;
    apply({});
}

void RosterChoices::applyBatch(const SyncBatch &batch)
{
    if (!batch.rosterAccountData || m_saving > 0)
        return;
    apply(*batch.rosterAccountData);
    Q_EMIT synced();
}

void RosterChoices::apply(const QJsonObject &content)
{
    m_content = content;
    const RosterAccountData data = RosterAccountData::read(content);
    m_hidden->setHidden(data.hidden);
    m_nicknames->setAll(data.nicknames);
    m_groups->setGroups(data.groups, data.membership);
}

void RosterChoices::setHidden(const QString &userId, bool hidden)
{
    save(userId, [userId, hidden](QJsonObject content) {
        QStringList userIds = RosterAccountData::read(content).hidden;
        if (hidden)
            userIds.append(userId);
        else
            userIds.removeAll(userId);
        return RosterAccountData::withHidden(std::move(content), userIds);
    });
}

void RosterChoices::setNickname(const QString &userId, const QString &nickname)
{
    save(userId, [userId, nickname](QJsonObject content) {
        return RosterAccountData::withNickname(std::move(content), userId, nickname);
    });
}

void RosterChoices::setGroupsOf(const QString &userId, const QStringList &groupIds)
{
    save(userId, [userId, groupIds](QJsonObject content) {
        return RosterAccountData::withMembership(std::move(content), userId, groupIds);
    });
}

QString RosterChoices::addGroup(const QString &name)
{
    const QString id = RosterAccountData::newGroupId(m_content);
    save(name, [id, name](QJsonObject content) { return RosterAccountData::withGroup(std::move(content), id, name); });
    return id;
}

void RosterChoices::renameGroup(const QString &groupId, const QString &name)
{
    save(groupName(groupId), [groupId, name](QJsonObject content) {
        return RosterAccountData::withGroup(std::move(content), groupId, name);
    });
}

void RosterChoices::removeGroup(const QString &groupId)
{
    save(groupName(groupId), [groupId](QJsonObject content) {
        return RosterAccountData::withoutGroup(std::move(content), groupId);
    });
}

QString RosterChoices::groupName(const QString &groupId) const
{
    for (const RosterAccountData::Group &group : RosterAccountData::read(m_content).groups) {
        if (group.id == groupId)
            return group.name;
    }
    return groupId;
}

void RosterChoices::save(const QString &userId, const AccountDataEditor::Change &change)
{
    // Shown at once; the server's copy follows (the same change, applied to what the server holds then), and a
    // failed save reads it back.
    apply(change(m_content));
    ++m_saving;
    m_accountData->modify(RosterAccountData::eventType, [this, change](QJsonObject content) {
        m_written = change(std::move(content));
        return m_written;
    }, [this, userId](const std::optional<MatrixError> &error) {
        const bool last = --m_saving == 0;
        if (!error) {
            if (last)
                apply(m_written);
            return Q_EMIT saved();
        }
        Q_EMIT failed(tr("Could not save your change to %1: %2").arg(userId, error->describe()));
        load();
    });
}
