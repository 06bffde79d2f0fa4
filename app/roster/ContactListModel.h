#pragma once

#include "presence/PresenceState.h"
#include "roster/ContactOrder.h"

#include <QAbstractListModel>
#include <QHash>
#include <QList>

class Nicknames;
class TimeZoneBook;
class WatchList;

// One person on the roster, as shown in a row.
struct Contact {
    QString userId;
    QString displayName;    // the global profile name when known; empty when the user has none
    QString avatarUrl;      // mxc:// URI or empty
    QStringList otherNames; // names the person has in shared rooms besides displayName (per-room nicknames)
    PresenceState state;    // offline with nothing known until the server says otherwise
    bool invited = false;   // only invited so far: in direct chats with you but joined to none (a pending invitation)

    // The name a person is shown by: their display name, or their user ID when they have none.
    QString shownName() const { return displayName.isEmpty() ? userId : displayName; }

    bool operator==(const Contact &) const = default;
};

// The contacts on the roster, one row each, in arrival order; sorting and filtering belong to
// RosterFilterModel. Only Roster changes it. Every change is signalled with the narrowest signal: rows
// inserted in ranges, rows removed one by one, and dataChanged for exactly the roles that changed.
class ContactListModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role {
        UserIdRole = Qt::UserRole + 1,
        DisplayNameRole,     // the profile name, possibly empty (Qt::DisplayRole: the nickname, this, or the user ID)
        AvatarUrlRole,
        PresenceRole,        // Presence
        RawPresenceRole,
        StatusMessageRole,
        LastActiveAtRole,    // qint64 ms since epoch, 0 when unknown
        CurrentlyActiveRole,
        // Named in dataChanged whenever presence or name changes, i.e. whenever the row's position or
        // visibility in RosterFilterModel may change; the proxy sorts and filters on it and so skips
        // re-sorting for changes that cannot move a row (status message, avatar, last active).
        OrderRole,
        WatchedRole,         // bool: "notify me when online" is on for this contact (WatchList)
        OtherNamesRole,      // QStringList: per-room names that differ from the display name
        TimeZoneRole,        // QString: the IANA time zone the person publishes (TimeZoneBook), empty when none
        InvitedRole,         // bool: Contact::invited, your presence invitation waits for their answer
        NicknameRole,        // QString: your own name for the person (Nicknames), empty when none
    };
    Q_ENUM(Role)

    // Whether a row's dataChanged is sent at once or left to one notifyAllRowsChanged() for a large batch.
    enum class Notify : quint8 { Now, Deferred };

    explicit ContactListModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    // Where WatchedRole comes from; changes to it are signalled as dataChanged for WatchedRole.
    void setWatchList(const WatchList *watchList);
    // Where TimeZoneRole comes from; changes to it are signalled as dataChanged for TimeZoneRole.
    void setTimeZoneBook(const TimeZoneBook *timeZones);
    // Where NicknameRole comes from; a change is signalled for NicknameRole, Qt::DisplayRole and OrderRole (the
    // row is shown, and sorted, by the nickname).
    void setNicknames(const Nicknames *nicknames);

    // Whether the server shares presence at all. When it does not (presence turned off, so it says "offline"
    // for everyone), every row's presence reads Unknown instead of a wall of offline.
    void setPresenceAvailable(bool available);
    bool isPresenceAvailable() const { return m_presenceAvailable; }

    // Whether the rows are the server's current word (a live connection) or the last known states. While they
    // are not, nobody reads as active right now (CurrentlyActiveRole is false): nothing vouches for it.
    void setCurrent(bool current);
    bool isCurrent() const { return m_current; }

    int rowOf(const QString &userId) const { return m_rowByUserId.value(userId, -1); }
    QStringList userIds() const { return m_rowByUserId.keys(); }
    const Contact &contactAt(int row) const { return m_contacts.at(row); }
    // The presence a row shows (PresenceRole): Unknown for everyone when the server shares none.
    Presence shownPresence(const Contact &contact) const
    {
        return m_presenceAvailable ? contact.state.presence : Presence::Unknown;
    }
    // What ContactOrder reads of a row, as the row shows it.
    ContactOrder::Key orderKeyAt(int row) const;

    void appendContacts(const QList<Contact> &contacts);
    void removeContact(const QString &userId);
    // Replaces the row's contact; returns the roles that changed (and, with Notify::Now, signals them).
    QList<int> updateContact(int row, const Contact &contact, Notify notify = Notify::Now);
    // One dataChanged over every row, for a batch that touched a large share of them (design.md budgets).
    void notifyAllRowsChanged(const QList<int> &roles);
    void clear();

    static QList<int> changedRoles(const Contact &before, const Contact &after);

private:
    // A side source (watch list, time zones, nicknames) changed one person's value: their row, if they have one,
    // says so.
    void signalRoles(const QString &userId, const QList<int> &roles);
    // The name the row shows: the nickname, else Contact::shownName().
    QString rowName(const Contact &contact) const;

    QList<Contact> m_contacts;
    bool m_presenceAvailable = true;
    bool m_current = true;
    const WatchList *m_watchList = nullptr;
    const TimeZoneBook *m_timeZones = nullptr;
    const Nicknames *m_nicknames = nullptr;
    QHash<QString, int> m_rowByUserId;
};
