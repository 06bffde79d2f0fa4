#pragma once

#include "AvailabilityController.h"
#include "ContactListModel.h"
#include "HomeserverApi.h"
#include "OnlineNotifier.h"
#include "Roster.h"
#include "SyncLoop.h"
#include "WatchList.h"

#include <QObject>
#include <QQueue>
#include <QSet>
#include <QTimer>

// One signed-in Matrix account: wires the API, the sync loop, the roster and the availability owner
// together, and fetches member lists for the rooms the roster asks about. The UI talks to this object and
// the models it exposes; it holds no presence state of its own.
class Account : public QObject {
    Q_OBJECT
public:
    // At most this many joined_members requests at once, so a first sync with many small rooms does not
    // flood the server (its rate limiter would answer 429 anyway).
    static constexpr int maxMemberFetches = 4;

    explicit Account(QObject *parent = nullptr);

    HomeserverApi *api() const { return m_api; }
    SyncLoop *syncLoop() const { return m_syncLoop; }
    ContactListModel *contacts() const { return m_contacts; }
    Roster *roster() const { return m_roster; }
    AvailabilityController *availability() const { return m_availability; }
    WatchList *watchList() const { return m_watchList; }
    OnlineNotifier *onlineNotifier() const { return m_onlineNotifier; }

    void setSession(const LoginSession &session);
    LoginSession session() const { return m_session; }
    QString userId() const { return m_session.userId; }
    // Your own display name and avatar as the server holds them.
    Profile ownProfile() const { return m_ownProfile; }

public Q_SLOTS:
    // Asks the server what it supports, publishes the chosen presence and starts syncing (unless Offline).
    void connectToServer();
    void disconnectFromServer();
    // Profile commands. The new value shows once the server has it (ownProfileChanged), not before.
    void setOwnDisplayName(const QString &displayName);
    // Uploads an encoded image and makes it your avatar; `progress` reports the upload.
    void setOwnAvatar(const QByteArray &imageData, const QString &contentType);
    void removeOwnAvatar();

Q_SIGNALS:
    void ownProfileChanged(const Profile &profile);
    void profileUpdateFailed(const MatrixError &error);
    void avatarUploadProgress(qint64 sent, qint64 total);

private:
    void onWantsSyncChanged(bool wantsSync);
    void refreshOwnProfile();
    void setOwnProfile(const Profile &profile);
    void afterProfileUpdate(const Result<Done> &result);
    void queueMemberFetch(const QString &roomId);
    void fetchNextMembers();

    LoginSession m_session;
    Profile m_ownProfile;
    HomeserverApi *m_api;
    ContactListModel *m_contacts;
    Roster *m_roster;
    SyncLoop *m_syncLoop;
    AvailabilityController *m_availability;
    WatchList *m_watchList;
    OnlineNotifier *m_onlineNotifier;

    bool m_connected = false;  // between connectToServer() and disconnectFromServer()
    quint64 m_connection = 0;  // counts disconnections, so answers to an earlier connection are dropped
    ApiCall m_versionsCall;
    QTimer m_ownProfileRefresh;
    QQueue<QString> m_memberFetchQueue;
    QSet<QString> m_memberFetchQueued;
    int m_memberFetchesRunning = 0;
};
