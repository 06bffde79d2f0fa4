#pragma once

#include "roster/ContactListModel.h"
#include "roster/OnlineNotifier.h"
#include "roster/Roster.h"
#include "roster/RosterFilterModel.h"
#include "roster/RosterGroupModel.h"
#include "roster/WatchList.h"

#include <QAbstractItemModelTester>
#include <QByteArray>

#include <functional>
#include <memory>

class SoakWorld;

// The engine as the app runs it in process, fed by a SoakWorld instead of a server: /sync bodies are parsed
// (parseSync), stamped with their arrival and applied by the Roster on the event loop in its slices, into the
// ContactListModel with the sort/filter proxy, the WatchList and the OnlineNotifier attached as Account wires
// them. The roster's questions are answered by the world as the fetchers' replies would be: a room's member
// list on a later turn of the event loop, a person's global profile only after the next sync body (with the
// profile as it was when asked), so that answers cross the changes that follow them. With testers,
// QAbstractItemModelTester watches the model and the proxy, reporting failures as warnings in "qt.modeltest".
class SoakEngine {
public:
    SoakEngine(SoakWorld &world, bool withTesters);
    ~SoakEngine();

    // A new session's start, as Account does it for a fresh sync stream (resetStream, then connectToServer): the
    // roster emptied and refilled from an initial sync.
    void startAfresh();
    // A connection lost and found again with the `since` kept: the rows are the last known state until the
    // catch-up sync (an outage's worth, timelines limited) is applied.
    void resumeAfterOutage(int steps);
    // The next incremental sync of `steps` things happening.
    void applyIncremental(int steps);
    // What a person does with the roster now and then: hiding offline people, searching.
    void useFilters(int round);
    void clearFilters();
    // Before the roster is compared with the world: the profile questions still out are answered.
    void answerEveryQuestion();

    const ContactListModel &model() const { return m_model; }
    ContactListModel &model() { return m_model; }
    const RosterFilterModel &proxy() const { return m_proxy; }

    qint64 syncs() const { return m_syncs; }
    qint64 parseFailures() const { return m_parseFailures; }
    qint64 profileFetches() const { return m_profileFetches; }
    qint64 memberFetches() const { return m_memberFetches; }
    qint64 onlineNotifications() const { return m_onlineNotifications; }

private:
    struct ProfileAnswer {
        QString userId;
        Profile profile;
    };

    void apply(const QByteArray &body);
    void settle();
    void answerLater(const std::function<void()> &answer);
    void watchSomeContacts();

    SoakWorld &m_world;
    ContactListModel m_model;
    RosterGroupModel m_groups{&m_model};
    RosterFilterModel m_proxy;
    Roster m_roster{&m_model};
    WatchList m_watchList;
    OnlineNotifier m_notifier;
    std::unique_ptr<QAbstractItemModelTester> m_modelTester;
    std::unique_ptr<QAbstractItemModelTester> m_proxyTester;

    QList<ProfileAnswer> m_profileAnswers;  // asked for since the last body, answered after the next one
    int m_answersDue = 0;
    qint64 m_syncs = 0;
    qint64 m_parseFailures = 0;
    qint64 m_profileFetches = 0;
    qint64 m_memberFetches = 0;
    qint64 m_onlineNotifications = 0;
};
