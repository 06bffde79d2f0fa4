#pragma once

#include "matrix/HomeserverApi.h"
#include "matrix/SyncLoop.h"
#include "presence/AvailabilityController.h"
#include "roster/CollapsedGroups.h"
#include "roster/ContactListModel.h"
#include "roster/DirectoryResults.h"
#include "roster/HiddenContacts.h"
#include "roster/Nicknames.h"
#include "roster/RosterGroupModel.h"
#include "roster/InvitationList.h"
#include "roster/OnlineNotifier.h"
#include "roster/Roster.h"
#include "roster/TimeZoneBook.h"
#include "roster/WatchList.h"
#include "session/AccountDataEditor.h"
#include "session/ContactDirectory.h"
#include "session/ContactInvitations.h"
#include "session/MemberFetcher.h"
#include "session/RosterChoices.h"
#include "session/PresenceFetcher.h"
#include "session/ProfileFetcher.h"
#include "session/RetryingRead.h"
#include "session/TimeZoneProfiles.h"
#include "session/SessionStore.h"
#include "session/ThumbnailFetcher.h"
#include "store/RosterCache.h"

#include <QObject>
#include <QTimer>

class QAbstractNetworkCache;

// One Matrix account and its lifecycle: the only object that creates, connects, pauses and resets the per-user
// state (API token, sync position and filter, roster, your chosen availability, server facts, media failures).
// The UI reads its state and models and calls its commands; it never reaches into the parts.
//
//   SignedOut ──restore()──> Restoring ──a stored session──> Connecting ──first batch──> Live
//       ^                       │   └──keychain fails──> KeychainUnavailable ──restore()──> Restoring
//       └────nothing stored─────┘
//   SignedOut or an ended session ──signIn(session)──> Connecting
//   Connecting, Live ──a request fails──> Reconnecting ──a batch──> Live
//   Connecting, Live, Reconnecting ──you choose Offline──> Offline ──you choose another state──> Connecting
//   any signed-in state ──401 with soft_logout, or a locked account──> SessionExpired
//   any signed-in state ──401, deactivated account, missing token──> SessionRevoked
//   any state ──signOut()──> SigningOut ──token revoked (or not answered)──> SignedOut
//
// SessionExpired keeps the device, the sync position and the roster: signIn() with a login as the same device
// continues the stream. Every applied batch goes to the account's RosterCache with its position; a start (restore()
// or a sign-in) paints the roster from the cache at once, as the last known states (the model is not current until
// the first batch), and resumes the stream from the cached position and filter. SessionRevoked keeps the roster on screen, dimmed, until someone signs in again (the
// roster starts over then).
class Account : public QObject {
    Q_OBJECT
    Q_PROPERTY(State state READ state NOTIFY stateChanged)
public:
    enum class State : quint8 {
        SignedOut,            // nobody is signed in
        Restoring,            // reading the stored session (the keychain may take its time or ask to be unlocked)
        KeychainUnavailable,  // a session is stored, but the keychain did not give its token: restore() again
        Connecting,           // signed in, no batch applied yet since connecting or since the last failure
        Live,                 // the last sync succeeded
        Reconnecting,         // the last request failed; retrying after retryRemainingMs()
        Offline,              // signed in, not syncing: you chose Offline
        SessionExpired,       // soft logout: sign in again as the same device to continue
        SessionRevoked,       // the server ended the session (or the account): a new sign-in is needed
        SigningOut,           // revoking the token
    };
    Q_ENUM(State)

    explicit Account(QObject *parent = nullptr);

    State state() const { return m_state; }
    // Signed in, whether or not the connection works right now (Connecting to Offline above).
    bool isSignedIn() const;
    // Why the session ended or the last request failed, in a sentence for a person; empty when nothing is wrong.
    QString problem() const { return m_problem; }
    // When the roster last was the server's current word (the last batch applied while live), in wall-clock ms
    // since the epoch; 0 before the first.
    qint64 lastCurrentAtMs() const { return m_lastCurrentAtMs; }
    // While Reconnecting: how long until the next attempt.
    qint64 retryRemainingMs() const { return m_syncLoop->retryRemainingMs(); }

    QString userId() const { return m_session.userId; }
    QString homeserver() const { return m_session.homeserver.toString(); }
    QString deviceId() const { return m_session.deviceId; }
    // Your own display name and avatar as the server holds them.
    Profile ownProfile() const { return m_ownProfile; }

    ContactListModel *contacts() const { return m_contacts; }
    AvailabilityController *availability() const { return m_availability; }
    WatchList *watchList() const { return m_watchList; }
    OnlineNotifier *onlineNotifier() const { return m_onlineNotifier; }
    ThumbnailFetcher *thumbnails() const { return m_thumbnails; }
    // Contacts' time zones, and yours if you share it (the profile dialog's checkbox).
    TimeZoneProfiles *timeZones() const { return m_timeZones; }
    // Presence invitations: those waiting for your answer, and the commands to send, withdraw and answer them.
    InvitationList *incomingInvitations() const { return m_incomingInvitations; }
    ContactInvitations *invitations() const { return m_invitations; }
    // Finding people to add, and what was found.
    ContactDirectory *directory() const { return m_directory; }
    DirectoryResults *directoryResults() const { return m_directoryResults; }
    // Contacts you hid, kept in account data (RosterChoices saves changes).
    HiddenContacts *hiddenContacts() const { return m_hiddenContacts; }
    // Your own names for contacts, kept in account data beside the hidden ones.
    const Nicknames *nicknames() const { return m_nicknames; }
    // The contacts by the groups kept in account data (RosterChoices changes them).
    RosterGroupModel *groups() const { return m_groups; }
    RosterChoices *rosterChoices() const { return m_rosterChoices; }

    // Where thumbnails are cached on disk (the network layer's cache; the app sets one under the XDG cache dir).
    void setMediaCache(QAbstractNetworkCache *cache);
    // Rooms with at most this many joined members make their members contacts.
    void setSmallRoomLimit(int limit) { m_roster->setSmallRoomLimit(limit); }

    // The parts, for the engine's tests and benchmark; the UI uses the commands above and below.
    LoginSession session() const { return m_session; }
    HomeserverApi *api() const { return m_api; }
    SyncLoop *syncLoop() const { return m_syncLoop; }
    Roster *roster() const { return m_roster; }
    RosterCache *cache() const { return m_cache; }

public Q_SLOTS:
    // Continues the stored session, or goes to SignedOut when there is none.
    void restore();
    // Starts a session from a fresh login (SignIn): stored, then connected. A login as another user first
    // forgets everything of the previous one; a login after SessionExpired as the same device resumes.
    void signIn(const LoginSession &session);
    // Revokes the token on the server, forgets the stored session and every per-user state, then SignedOut.
    void signOut();
    // While Reconnecting: try now instead of waiting (also when the network comes back, or the machine wakes).
    void retryNow();

    // Profile commands. The new value shows once the server has it (ownProfileChanged), not before.
    void setOwnDisplayName(const QString &displayName);
    // Uploads an encoded image and makes it your avatar; avatarUploadProgress reports the upload.
    void setOwnAvatar(const QByteArray &imageData, const QString &contentType);
    void removeOwnAvatar();

Q_SIGNALS:
    void stateChanged(Account::State state);
    // The roster has applied the first batch since connecting: it shows the server's state now.
    void rosterCurrent();
    // Entered Reconnecting; the next attempt comes after delayMs.
    void retryScheduled(int delayMs);
    void ownProfileChanged(const Profile &profile);
    // A sentence for the person who asked for the change.
    void profileUpdateFailed(const QString &message);
    void avatarUploadProgress(qint64 sent, qint64 total);
    // The keychain refused the token and it went to a private file (SessionStore::tokenFilePath()).
    void tokenStoredInFile();

private:
    void setState(State state);
    void begin(const LoginSession &session);
    void connectToServer();
    void publishAndSync();
    void disconnectFromServer();
    // Forgets everything that belongs to the signed-in user, in one place (switching users, signing out).
    void resetUserState();
    // Forgets the stream: roster, sync position (a hard logout starts over; the filter stays the user's).
    void resetStream();
    // Opens the user's cache and, when it holds this device's sync position, restores the roster and the stream
    // from it.
    void resumeFromCache(const QString &userId, const QString &deviceId);
    void onSyncStateChanged(SyncLoop::State state);
    void onSessionEnded(bool softLogout);
    void onWantsSyncChanged(bool wantsSync);
    void refreshOwnProfile();
    // Starts TimeZoneProfiles once per connection, when the roster is complete: the first batch applied and the
    // member lists, presence and profiles it asked for fetched.
    void startTimeZonesWhenRosterComplete();
    void startTimeZones();
    void setOwnProfile(const Profile &profile);
    void afterProfileUpdate(const Result<Done> &result);

    State m_state = State::SignedOut;
    QString m_problem;
    LoginSession m_session;
    Profile m_ownProfile;
    HomeserverApi *m_api;
    SessionStore *m_store;
    ContactListModel *m_contacts;
    Roster *m_roster;
    SyncLoop *m_syncLoop;
    AvailabilityController *m_availability;
    WatchList *m_watchList;
    OnlineNotifier *m_onlineNotifier;
    MemberFetcher *m_members;
    ProfileFetcher *m_profiles;
    PresenceFetcher *m_contactPresence;
    TimeZoneBook *m_timeZoneBook;
    TimeZoneProfiles *m_timeZones;
    ThumbnailFetcher *m_thumbnails;
    RosterCache *m_cache;
    AccountDataEditor *m_accountData;
    InvitationList *m_incomingInvitations;
    ContactInvitations *m_invitations;
    DirectoryResults *m_directoryResults;
    ContactDirectory *m_directory;
    HiddenContacts *m_hiddenContacts;
    Nicknames *m_nicknames;
    CollapsedGroups *m_collapsedGroups;
    RosterGroupModel *m_groups;
    RosterChoices *m_rosterChoices;

    quint64 m_connection = 0;  // counts connections, so answers to an earlier one are dropped
    bool m_rosterCurrent = false;
    bool m_timeZonesStarted = false;  // this connection's
    qint64 m_lastCurrentAtMs = 0;
    ApiCall m_versionsCall;
    ApiCall m_ownPresenceCall;
    ApiCall m_logoutCall;
    QTimer m_ownProfileRefresh;
    RetryingRead m_ownProfileRead{[this] { refreshOwnProfile(); }, this};
};
