#include "SoakEngine.h"

#include "SoakWorld.h"
#include "matrix/SyncParser.h"

#include <QCoreApplication>
#include <QTimer>

#include <algorithm>
#include <utility>

using namespace Qt::Literals::StringLiterals;

SoakEngine::SoakEngine(SoakWorld &world, bool withTesters)
    : m_world(world)
    , m_notifier(&m_model, &m_roster, &m_watchList, [&world] { return world.nowMs(); })
{
    // Wired as Account wires them.
    m_model.setWatchList(&m_watchList);
    m_proxy.setSourceModel(&m_groups);
    m_roster.setOwnUserId(world.ownUserId());
    if (withTesters) {
        m_modelTester = std::make_unique<QAbstractItemModelTester>(&m_model, QAbstractItemModelTester::FailureReportingMode::Warning);
        m_proxyTester = std::make_unique<QAbstractItemModelTester>(&m_proxy, QAbstractItemModelTester::FailureReportingMode::Warning);
    }
    QObject::connect(&m_roster, &Roster::profileNeeded, &m_roster, [this](const QString &userId) {
        ++m_profileFetches;
        m_profileAnswers.append({userId, m_world.globalProfile(userId)});
    });
    QObject::connect(&m_roster, &Roster::membersNeeded, &m_roster, [this](const QString &roomId) {
        ++m_memberFetches;
        answerLater([this, roomId] {
            // A room you left meanwhile has no list for you (the server refuses); the roster forgot the room.
            if (const std::optional<QList<MemberChange>> members = m_world.joinedMembers(roomId))
                m_roster.applyJoinedMembers(roomId, *members);
        });
    });
    QObject::connect(&m_notifier, &OnlineNotifier::contactCameOnline, &m_notifier, [this] { ++m_onlineNotifications; });
    watchSomeContacts();
}

SoakEngine::~SoakEngine()
{
    // The testers go first: they check the models' signals up to the end.
    m_proxyTester.reset();
    m_modelTester.reset();
}

void SoakEngine::watchSomeContacts()
{
    // "Notify me when online" for one contact in twenty, so that the notifier has someone to tell about.
    QStringList userIds = m_world.expectedContacts().keys();
    std::sort(userIds.begin(), userIds.end());
    for (qsizetype i = 0; i < userIds.size(); i += 20)
        m_watchList.setWatched(userIds.at(i), true);
}

void SoakEngine::startAfresh()
{
    m_model.setCurrent(false);  // Connecting
    m_roster.clear();
    m_profileAnswers.clear();  // the fetchers forget their questions with the stream
    m_notifier.reset();
    apply(m_world.initialSync());
    m_model.setCurrent(true);   // Live
}

void SoakEngine::resumeAfterOutage(int steps)
{
    m_model.setCurrent(false);  // Reconnecting
    m_world.advanceClock(30 * 60 * 1000);
    apply(m_world.incrementalSync(steps, true));
    m_model.setCurrent(true);
}

void SoakEngine::applyIncremental(int steps)
{
    apply(m_world.incrementalSync(steps));
}

void SoakEngine::useFilters(int round)
{
    m_proxy.setHideOffline(round % 2 == 1);
    m_proxy.setFilterText(round % 3 == 1 ? u"friend1"_s : QString());
}

void SoakEngine::clearFilters()
{
    m_proxy.setHideOffline(false);
    m_proxy.setFilterText({});
}

void SoakEngine::answerEveryQuestion()
{
    // The world stands still now: each answer is what the server says at this moment, and a person put back in
    // doubt is asked again until nobody is.
    while (!m_profileAnswers.isEmpty()) {
        const QList<ProfileAnswer> answers = std::exchange(m_profileAnswers, {});
        for (const ProfileAnswer &answer : answers)
            m_roster.applyGlobalProfile(answer.userId, m_world.globalProfile(answer.userId));
        settle();
    }
}

void SoakEngine::apply(const QByteArray &body)
{
    // Asked before this body and answered after it, with the profile as it was when asked: the rooms may have
    // changed it meanwhile, which the roster must notice rather than take the old answer.
    const QList<ProfileAnswer> crossing = std::exchange(m_profileAnswers, {});
    SyncParseResult parsed = parseSync(body);
    ++m_syncs;
    if (!parsed.batch) {
        ++m_parseFailures;
        qWarning("generated sync did not parse: %s", qPrintable(parsed.error));
        m_profileAnswers.append(crossing);
        return;
    }
    parsed.batch->receivedAtMs = m_world.nowMs();  // as the sync loop stamps it
    m_roster.applyBatch(*parsed.batch);
    settle();
    for (const ProfileAnswer &answer : crossing)
        m_roster.applyGlobalProfile(answer.userId, answer.profile);
}

void SoakEngine::settle()
{
    // The roster's further slices and the world's answers run on later turns of the event loop.
    while (m_roster.isApplying() || m_answersDue > 0)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
}

void SoakEngine::answerLater(const std::function<void()> &answer)
{
    ++m_answersDue;
    QTimer::singleShot(0, &m_roster, [this, answer] {
        --m_answersDue;
        answer();
    });
}
