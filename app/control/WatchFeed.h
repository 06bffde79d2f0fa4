#pragma once

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QSet>
#include <QTimer>

class Account;

// What `presently --watch` streams: an event each time something a person could see changes — a contact's
// JSON form (ControlProtocol::contactJson), a contact leaving the roster, or your own state.
//
// The model signals far more than that: an avatar-only change, a whole-roster dataChanged after a large
// sync batch, a name arriving twice (member event, then profile), and a last-active time that moves by a few
// milliseconds each time Synapse re-sends last_active_ago against a new "now". So rows the model names (and
// signals of your own state) are only noted; once per event-loop turn each noted row is compared with what
// was said last as a person sees it (last_active_ts only to the minute, and not at all while currently
// active), and a line goes out only when it differs — contacts in the order first noted, then your own state.
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
    void note(int first, int last);
    void flush();

    Account *m_account;
    QJsonObject m_ownState;
    QHash<QString, QJsonObject> m_contacts;  // user ID -> the JSON form last said
    // Rows named since the last flush, by user ID, in the order first named.
    QList<QString> m_noted;
    QSet<QString> m_notedSet;
    bool m_ownStateNoted = false;  // something ownStateJson() reads may have changed since the last flush
    QTimer m_flush;  // zero-interval, single-shot: the end of this event-loop turn
};
