// presently-federation-latency: how long a contact's presence change takes to reach the roster from another
// server, beside the same from the user's own server. Prints `name: value` lines (docs/benchmarks.md, "Presence
// across servers"):
//   changes_each            presence changes measured for each of the two contacts
//   federated_median_ms     bob on server B: from his PUT /presence returning to Alice's roster row showing it
//   federated_max_ms
//   same_server_median_ms   the same for a bob on Alice's own server A
//   same_server_max_ms
// Run it through scripts/federation-latency.sh, which starts two federating stock Synapses (homeserver.py
// --federation-port) and names their state files in PRESENTLY_TEST_HOMESERVER (A) and PRESENTLY_TEST_HOMESERVER_B.
// Alice runs the engine (an Account, its default 30 s long-poll) on A. The two bobs take turns, so that the
// machine's noise hits both figures alike; each PUTs once per stock rc_presence window (one update per user per
// 10 s), alternating online and unavailable with a new status message each time. The roster is observed through
// the contact model's dataChanged, as the views see it. A program that measures, not a test: it prints figures and
// exits 0 once the changes ran (1 when a change never reached the roster).
#include "session/Account.h"
#include "EngineUnderTest.h"
#include "Figures.h"
#include "TestHomeserver.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTest>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <optional>
#include <vector>

using namespace Qt::Literals::StringLiterals;

namespace {

constexpr int changesEach = 20;
constexpr int setupTimeoutMs = 60'000;
constexpr int changeTimeoutMs = 60'000;
// A little more than stock rc_presence's window between one user's PUTs, so that none is refused with 429.
constexpr int paceMs = rcPresenceWindowMs + 500;

// One contact whose presence changes are timed: a user acting through plain HTTP on its own server.
struct TimedContact {
    TestUser user;
    std::vector<double> latenciesMs;
    QElapsedTimer sinceLastPut;
};

// Has `contact` PUT `presence` with `statusMessage` and returns the milliseconds from the PUT's answer to Alice's
// roster row showing both (negative when the roster had it before the answer was read: A wakes Alice's long-poll
// while answering), or nothing when it did not show within changeTimeoutMs.
std::optional<double> timeOneChange(const Account &alice, TimedContact &contact, Presence presence, const QString &statusMessage)
{
    const QString userId = contact.user.userId();
    const auto showsIt = [&] {
        const Contact row = contactOf(alice, userId);
        return row.state.presence == presence && row.state.statusMessage == statusMessage;
    };
    QElapsedTimer clock;
    qint64 shownAtNs = -1;
    QEventLoop waiting;
    const QMetaObject::Connection watching = QObject::connect(alice.contacts(), &QAbstractItemModel::dataChanged, [&] {
        if (shownAtNs < 0 && showsIt()) {
            shownAtNs = clock.nsecsElapsed();
            waiting.quit();
        }
    });
    clock.start();
    contact.sinceLastPut.start();
    if (!contact.user.setPresence(presenceToWire(presence), statusMessage))
        std::fprintf(stderr, "%s: PUT /presence failed\n", qPrintable(userId));
    const qint64 answeredAtNs = clock.nsecsElapsed();
    if (shownAtNs < 0) {
        QTimer::singleShot(changeTimeoutMs, &waiting, &QEventLoop::quit);
        waiting.exec();
    }
    QObject::disconnect(watching);
    if (shownAtNs < 0)
        return std::nullopt;
    return (shownAtNs - answeredAtNs) / 1e6;
}

void printFigures(const char *median, const char *max, std::vector<double> latenciesMs)
{
    std::sort(latenciesMs.begin(), latenciesMs.end());
    const size_t n = latenciesMs.size();
    Figures::print(median, n % 2 ? latenciesMs[n / 2] : (latenciesMs[n / 2 - 1] + latenciesMs[n / 2]) / 2, "%.1f");
    Figures::print(max, latenciesMs.back(), "%.1f");
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setOrganizationName(u"presently-federation-latency"_s);
    TestHomeserver serverA;
    TestHomeserver serverB("PRESENTLY_TEST_HOMESERVER_B");
    if (!serverA.isValid() || !serverB.isValid()) {
        std::fprintf(stderr, "%s%s\nRun scripts/federation-latency.sh.\n", qPrintable(serverA.problem()),
                     qPrintable(serverB.problem()));
        return 1;
    }

    const LoginSession aliceSession = serverA.registerUser(u"alice"_s);
    TimedContact federated{TestUser(serverB.baseUrl(), serverB.registerUser(u"bob_on_b"_s)), {}, {}};
    TimedContact sameServer{TestUser(serverA.baseUrl(), serverA.registerUser(u"bob_on_a"_s)), {}, {}};
    if (!federated.user.startDirectChatWith(aliceSession) || !sameServer.user.startDirectChatWith(aliceSession)) {
        std::fprintf(stderr, "could not set up the direct chats\n");
        return 1;
    }
    Account alice;
    alice.signIn(aliceSession);
    const bool bothOnRoster = QTest::qWaitFor([&] {
        return alice.contacts()->rowOf(federated.user.userId()) >= 0 && alice.contacts()->rowOf(sameServer.user.userId()) >= 0;
    }, setupTimeoutMs);
    if (!bothOnRoster) {
        std::fprintf(stderr, "the bobs did not reach Alice's roster\n");
        return 1;
    }

    for (int change = 0; change < changesEach; ++change) {
        const Presence presence = change % 2 ? Presence::Online : Presence::Unavailable;
        const QString statusMessage = u"change %1"_s.arg(change + 1);
        for (TimedContact *contact : {&federated, &sameServer}) {
            // Pacing, not waiting for an event: stock rc_presence would refuse an earlier PUT of this user's.
            if (contact->sinceLastPut.isValid())
                QTest::qWait(std::max<qint64>(0, paceMs - contact->sinceLastPut.elapsed()));
            const std::optional<double> latencyMs = timeOneChange(alice, *contact, presence, statusMessage);
            if (!latencyMs) {
                std::fprintf(stderr, "%s's change %d did not reach the roster within %d s\n",
                             qPrintable(contact->user.userId()), change + 1, changeTimeoutMs / 1000);
                return 1;
            }
            contact->latenciesMs.push_back(*latencyMs);
        }
        std::printf("change %d: federated %.1f ms, same server %.1f ms\n", change + 1, federated.latenciesMs.back(),
                    sameServer.latenciesMs.back());
        std::fflush(stdout);
    }

    Figures::print("changes_each", changesEach, "%.0f");
    printFigures("federated_median_ms", "federated_max_ms", federated.latenciesMs);
    printFigures("same_server_median_ms", "same_server_max_ms", sameServer.latenciesMs);
    return 0;
}
