#pragma once

#include "matrix/HomeserverApi.h"
#include "session/FetchQueue.h"
#include "session/RetryingRead.h"

#include <QObject>

class ContactListModel;
class TimeZoneBook;

// The m.tz profile field (spec v1.16, extended profiles), both ways. Each contact's time zone is read once when
// they come onto the roster, and again when their profile changes (a new name or avatar: the field itself travels
// in no event), into a TimeZoneBook. Yours is published only when you choose to share it. Nothing is asked of a
// server whose capabilities do not list extended profile fields.
class TimeZoneProfiles : public QObject {
    Q_OBJECT
public:
    // A first sync brings every contact at once: their zones are read a couple at a time, behind the roster.
    static constexpr int maxRunning = 2;
    // A dataChanged over more rows than this is a bulk update of a large batch (ContactListModel), not a profile
    // change of a few people: those rows keep the zone read when they arrived.
    static constexpr int maxRowsRefreshed = 4;

    TimeZoneProfiles(HomeserverApi *api, ContactListModel *contacts, TimeZoneBook *book, QObject *parent = nullptr);

    // Connected as `ownUserId`: asks the server's capabilities, then your published zone and every contact's.
    void start(const QString &ownUserId);
    // The connection is gone: drops what is asked or queued, keeps what is known.
    void stop();
    // Another user (or none): forgets everything.
    void clear();

    // Whether the server has extended profiles, and whether it lets you set m.tz.
    bool isSupported() const { return m_capability.enabled; }
    bool canShare() const;
    // The zone you publish, as the server holds it; empty when you publish none.
    QString sharedZone() const { return m_sharedZone; }

public Q_SLOTS:
    // Publishes this computer's time zone, or removes the one published.
    void setSharing(bool share);

Q_SIGNALS:
    void supportChanged();
    void sharedZoneChanged(const QString &zoneName);
    void sharingFailed(const MatrixError &error);

private:
    void onCapability(const ProfileFieldCapability &capability);
    void readOwnZone();
    void fetch(const QString &userId);
    void addRows(int first, int last);

    HomeserverApi *m_api;
    ContactListModel *m_contacts;
    TimeZoneBook *m_book;
    FetchQueue m_users;
    QString m_ownUserId;
    ProfileFieldCapability m_capability;
    QString m_sharedZone;
    bool m_running = false;
    ApiCall m_capabilityCall;
    ApiCall m_ownCall;
    RetryingRead m_ownZoneRead{[this] { readOwnZone(); }, this};
};
