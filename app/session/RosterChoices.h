#pragma once

#include "matrix/HomeserverApi.h"
#include "matrix/SyncBatch.h"
#include "session/AccountDataEditor.h"

#include <QObject>

class HiddenContacts;
class Nicknames;
class RosterGroupModel;

// The user's choices about their roster, kept in the account data event im.presently.roster (RosterAccountData)
// so that they outlive the process and hold on every device: hidden contacts, nicknames and groups. Read once per connection
// (load()) and then from every sync that carries it (the sync filter names the type), so another device's change
// shows within a sync; each change is a read-modify-write that keeps the event's other keys. While a change of
// this device is being saved, what a sync brings is older than what is shown and is not applied: once the last
// save is done, the content it wrote is, and later syncs bring what other devices write after it.
class RosterChoices : public QObject {
    Q_OBJECT
public:
    RosterChoices(HomeserverApi *api, AccountDataEditor *accountData, HiddenContacts *hidden, Nicknames *nicknames,
                  RosterGroupModel *groups, QObject *parent = nullptr);

    void setOwnUserId(const QString &userId) { m_ownUserId = userId; }
    // Reads the event from the server (a connection began).
    void load();
    // The user signed out (AccountDataEditor dropped the unsaved changes with its queue): nobody hidden, no nicknames.
    void forget();

public Q_SLOTS:
    void setHidden(const QString &userId, bool hidden);
    // An empty nickname removes it.
    void setNickname(const QString &userId, const QString &nickname);
    // The groups the person is in (ids); none puts them in the default group.
    void setGroupsOf(const QString &userId, const QStringList &groupIds);
    // A new group, empty until someone is put in it; returns its id.
    QString addGroup(const QString &name);
    // A group's new name (plain text, trimmed and cut as RosterAccountData does); its members and order stay.
    void renameGroup(const QString &groupId, const QString &name);
    // The group is gone; its members stay in their other groups, or are back in the default group.
    void removeGroup(const QString &groupId);
    // The event's content, when a sync carried it.
    void applyBatch(const SyncBatch &batch);

Q_SIGNALS:
    void loaded();
    // Content from a sync (possibly another device's change) is now shown.
    void synced();
    // The server has the change.
    void saved();
    void failed(const QString &message);

private:
    HomeserverApi *m_api;
    AccountDataEditor *m_accountData;
    HiddenContacts *m_hidden;
    Nicknames *m_nicknames;
    RosterGroupModel *m_groups;
    QJsonObject m_content;     // the latest content read, with this device's changes applied
    QString m_ownUserId;
    void apply(const QJsonObject &content);
    QString groupName(const QString &groupId) const;
    void save(const QString &userId, const AccountDataEditor::Change &change);

    ApiCall m_loadCall;
    int m_saving = 0;          // changes of this device not yet saved
    QJsonObject m_written;     // what the latest of them wrote
};
