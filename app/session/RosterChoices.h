#pragma once

#include "matrix/HomeserverApi.h"
#include "session/AccountDataEditor.h"

#include <QObject>

class HiddenContacts;

// The user's choices about their roster, kept in the account data event im.presently.roster (RosterAccountData)
// so that they outlive the process and hold on every device: today the hidden contacts. Read once per connection
// (load()); each change is a read-modify-write that keeps the event's other keys (the later groups and nicknames).
// The sync filter does not carry the event, so another device's change shows at the next connection.
class RosterChoices : public QObject {
    Q_OBJECT
public:
    RosterChoices(HomeserverApi *api, AccountDataEditor *accountData, HiddenContacts *hidden, QObject *parent = nullptr);

    void setOwnUserId(const QString &userId) { m_ownUserId = userId; }
    // Reads the event from the server (a connection began).
    void load();
    void cancel() { m_loadCall.abort(); }

public Q_SLOTS:
    void setHidden(const QString &userId, bool hidden);

Q_SIGNALS:
    void loaded();
    // The server has the change.
    void saved();
    void failed(const QString &message);

private:
    HomeserverApi *m_api;
    AccountDataEditor *m_accountData;
    HiddenContacts *m_hidden;
    QString m_ownUserId;
    ApiCall m_loadCall;
};
