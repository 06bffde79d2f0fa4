#pragma once

#include <QHash>
#include <QJsonObject>
#include <QObject>

class Account;

// What `presently --watch` streams: an event each time something a script can see changes — a contact's
// JSON form (ControlProtocol::contactJson), a contact leaving the roster, or your own state. The model's
// signals are narrowed to real changes by comparing with what was said last, so an avatar-only change or
// a whole-roster dataChanged after a large sync batch yields only the rows whose JSON form differs.
// Exists only while someone watches: building JSON per update has a cost nobody should pay otherwise.
class WatchFeed : public QObject {
    Q_OBJECT
public:
    explicit WatchFeed(Account *account, QObject *parent = nullptr);

    // {"event":"self", ...} for your state now: the first line a watcher gets, so a status bar has
    // something to show before anything changes.
    QJsonObject selfEvent() const;

Q_SIGNALS:
    void event(const QJsonObject &event);

private:
    void onRowsChanged(int first, int last);
    void onRowsAboutToBeRemoved(int first, int last);
    void onOwnStateMaybeChanged();

    Account *m_account;
    QJsonObject m_ownState;
    QHash<QString, QJsonObject> m_contacts;  // user ID -> the JSON form last said
};
