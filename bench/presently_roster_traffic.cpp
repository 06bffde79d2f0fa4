// presently-roster-traffic: what the roster costs on the wire on the account of issue 11 (40 direct chats, 30 small
// rooms, 5 rooms of 200 members, presence set for everyone), today's sync filter beside the one before it. Prints
// `name: value` lines (docs/benchmarks.md, "Roster traffic"), for each filter (`new_`: RoomTraffic::
// SizesAndLatestChange, the app's; `old_`: RoomTraffic::MemberTimeline, the filter before issue 11 part 2, which
// already listed only contacts as presence senders):
//   *_cold_kb               response bytes (Content-Length of every answer: filter, syncs, member lists,
//                           presence, profiles) from signing in until the roster is complete: every contact listed
//                           with their presence, nobody else listed
//   *_cold_requests         the requests those answers were to
//   *_cold_ms               the time that took (before them, one line per endpoint: its answers and kB)
//   *_tz_after_kb           TimeZoneProfiles' answers (capabilities, then m.tz lookups, mostly 404s) after the
//   *_tz_after_requests     roster was complete, until a lookup had come for every contact and for you, and how
//   *_tz_after_ms           long after the roster that took; one answered before the roster was complete is in
//                           *_cold_kb instead
//   *_cold_and_tz_kb        *_cold_kb + *_tz_after_kb
//   *_cpu_s, *_peak_rss_mb  the engine's process for that run, time zones included (a child process each: getrusage
//                           of the child)
//   *_warm_kb               the second start, right after the cold one, in the same data directory: response
//   *_warm_requests         bytes from signing in again until the roster painted from the roster cache is current
//   *_warm_ms               (the first batch of the resumed stream applied) and complete; its time zones, asked
//                           again after the roster, are left out as in *_cold_kb
//   *_warm_presence_events  presence events its syncs carried until then: changes since the cold start (the
//                           round's presence is set once, before the cold start, so none are expected)
//   polls_idle_per_min      long-poll returns in a minute of the app's engine (30 s long-poll) with nobody changing
//   polls_busy_per_min      the same in a minute in which every stranger (995 non-contacts in the large rooms)
//                           changes presence once, the PUTs spread evenly over the minute (before each, a line
//                           saying what each return brought)
// Run it through scripts/roster-traffic.sh, which starts a stock Synapse, builds the account (bench/roster_account.py)
// and passes its file. A program that measures, not a test: it exits 0 once every figure was taken.
#include "session/Account.h"
#include "Figures.h"

#include <QChildEvent>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPointer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTemporaryFile>
#include <QTest>
#include <QTimer>
#include <QUrlQuery>

#include <cstdio>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <vector>

extern char **environ;

using namespace Qt::Literals::StringLiterals;

namespace {

constexpr int coldTimeoutMs = 120'000;
// Stock rc_presence takes one PUT per user per 10 s: a presence round starts this long after the previous one ended.
constexpr int presenceWindowMs = 11'000;
// A user who only PUTs their presence goes offline 30 s after (stock sync_online_timeout), which the filter lets
// through for contacts: the idle minute starts after the contacts' last round has timed out (checked every 5 s).
constexpr int contactsTimedOutMs = 45'000;
constexpr int minuteMs = 60'000;
constexpr int putsInFlight = 8;

struct Person {
    QString userId;
    QString accessToken;
};

struct AccountFile {
    QUrl baseUrl;
    LoginSession alice;
    QList<Person> contacts;
    QList<Person> strangers;
};

QList<Person> peopleFrom(const QJsonArray &array)
{
    QList<Person> people;
    for (const QJsonValue &value : array)
        people.append({value["user_id"_L1].toString(), value["access_token"_L1].toString()});
    return people;
}

std::optional<AccountFile> readAccount(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    const QJsonObject root = QJsonDocument::fromJson(file.readAll()).object();
    AccountFile account;
    account.baseUrl = QUrl(root["base_url"_L1].toString());
    const QJsonObject alice = root["alice"_L1].toObject();
    account.alice = {account.baseUrl, alice["user_id"_L1].toString(), alice["device_id"_L1].toString(),
                     alice["access_token"_L1].toString()};
    account.contacts = peopleFrom(root["contacts"_L1].toArray());
    account.strangers = peopleFrom(root["strangers"_L1].toArray());
    if (!account.baseUrl.isValid() || account.contacts.isEmpty())
        return std::nullopt;
    return account;
}

QNetworkRequest requestTo(const QUrl &baseUrl, const QString &path, const QString &accessToken, const QUrlQuery &query = {})
{
    QUrl url = baseUrl;
    url.setPath(path);
    url.setQuery(query);
    QNetworkRequest request(url);
    request.setRawHeader("Authorization", "Bearer " + accessToken.toUtf8());
    request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
    return request;
}

// PUT /presence for `people`, at most putsInFlight at once or one every `spacingMs`; returns how many the server
// refused.
int putPresence(QNetworkAccessManager &network, const QUrl &baseUrl, const QList<Person> &people, const QString &status,
                int spacingMs = 0)
{
    qsizetype next = 0;
    int inFlight = 0;
    int refused = 0;
    int answered = 0;
    const QByteArray body = QJsonDocument(QJsonObject{{"presence"_L1, u"online"_s}, {"status_msg"_L1, status}})
                                .toJson(QJsonDocument::Compact);
    std::function<void()> sendNext = [&] {
        if (next >= people.size())
            return;
        const Person &person = people.at(next++);
        const QString path = u"/_matrix/client/v3/presence/%1/status"_s.arg(person.userId);  // QUrl encodes it
        QNetworkReply *reply = network.put(requestTo(baseUrl, path, person.accessToken), body);
        ++inFlight;
        QObject::connect(reply, &QNetworkReply::finished, reply, [&, reply] {
            refused += reply->error() != QNetworkReply::NoError;
            ++answered;
            --inFlight;
            reply->deleteLater();
            if (spacingMs == 0)
                sendNext();
        });
    };
    QTimer pacer;
    if (spacingMs > 0) {
        QObject::connect(&pacer, &QTimer::timeout, sendNext);
        pacer.start(spacingMs);
    } else {
        for (int i = 0; i < putsInFlight; ++i)
            sendNext();
    }
    if (!QTest::qWaitFor([&] { return answered == people.size(); }, 10 * minuteMs))
        return int(people.size() - answered) + refused;  // the unanswered count as refused
    return refused;
}

bool rosterComplete(const Account &alice, const QList<Person> &contacts)
{
    if (alice.roster()->isApplying() || alice.contacts()->rowCount() != contacts.size())
        return false;
    return std::all_of(contacts.cbegin(), contacts.cend(), [&](const Person &contact) {
        const int row = alice.contacts()->rowOf(contact.userId);
        return row >= 0 && !alice.contacts()->contactAt(row).state.rawPresence.isEmpty();
    });
}

// Counts the body bytes of every answer `network` receives. Synapse sends its JSON chunked, without a
// Content-Length, and the API reads each body before anyone else sees it: so each reply's download progress is
// followed from the event-loop turn after its creation (no data reaches it before that turn).
class BodyBytesCounter : public QObject {
public:
    explicit BodyBytesCounter(QNetworkAccessManager *network)
    {
        network->installEventFilter(this);
        connect(network, &QNetworkAccessManager::finished, this, [this](QNetworkReply *reply) {
            const qint64 bytes = m_received.take(reply);
            ++m_answers;
            m_bytes += bytes;
            Share &share = m_byEndpoint[endpointOf(reply->url())];
            ++share.answers;
            share.bytes += bytes;
        });
    }
    qint64 bytes() const { return m_bytes; }
    int answers() const { return m_answers; }
    // The answers to one endpoint so far (named as in byEndpoint), and their bytes.
    std::pair<int, qint64> of(const QString &endpoint) const
    {
        const Share share = m_byEndpoint.value(endpoint);
        return {share.answers, share.bytes};
    }
    // "GET /sync: 3 answers, 45.1 kB", one entry per endpoint (user and room IDs replaced by {id}).
    QJsonArray byEndpoint() const
    {
        QJsonArray lines;
        for (auto it = m_byEndpoint.cbegin(); it != m_byEndpoint.cend(); ++it)
            lines.append(u"%1: %2 answers, %3 kB"_s.arg(it.key()).arg(it->answers).arg(double(it->bytes) / 1000.0, 0, 'f', 1));
        return lines;
    }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::ChildAdded) {
            QPointer<QObject> child = static_cast<QChildEvent *>(event)->child();
            QMetaObject::invokeMethod(this, [this, child] {
                if (auto *reply = qobject_cast<QNetworkReply *>(child.data())) {
                    connect(reply, &QNetworkReply::downloadProgress, this,
                            [this, reply](qint64 received, qint64) { m_received[reply] = received; });
                }
            }, Qt::QueuedConnection);
        }
        return QObject::eventFilter(watched, event);
    }

private:
    struct Share {
        int answers = 0;
        qint64 bytes = 0;
    };
    static QString endpointOf(const QUrl &url)
    {
        QStringList segments = url.path().split(u'/');
        for (QString &segment : segments) {
            if (segment.startsWith(u'@') || segment.startsWith(u'!'))
                segment = u"{id}"_s;
        }
        return segments.join(u'/');
    }

    QHash<QNetworkReply *, qint64> m_received;
    QMap<QString, Share> m_byEndpoint;
    qint64 m_bytes = 0;
    int m_answers = 0;
};

// TimeZoneProfiles' requests, once the roster is complete: the server's capabilities (whether it has extended
// profiles), then one m.tz lookup for you and one per contact.
const QString timeZoneEndpoint = u"/_matrix/client/v3/profile/{id}/m.tz"_s;
const QString capabilitiesEndpoint = u"/_matrix/client/v3/capabilities"_s;

std::pair<int, qint64> timeZoneShare(const BodyBytesCounter &counter)
{
    const auto [lookups, lookupBytes] = counter.of(timeZoneEndpoint);
    const auto [capabilities, capabilityBytes] = counter.of(capabilitiesEndpoint);
    return {lookups + capabilities, lookupBytes + capabilityBytes};
}

// The child: one start under `rooms`, cold (an empty data directory) or warm (the roster cache of a cold start in
// it); writes {bytes, requests, ms, by_endpoint, presence_events} up to the roster complete (and, when warm, current: rows painted
// from the cache are complete at once), and {tz_bytes, tz_requests, tz_ms} of the time-zone lookups after it, to
// `resultPath`.
int startRun(const AccountFile &account, RoomTraffic rooms, const QString &resultPath)
{
    Account alice;
    alice.syncLoop()->setRoomTraffic(rooms);
    BodyBytesCounter counter(alice.api()->networkAccessManager());
    bool current = false;
    QObject::connect(&alice, &Account::rosterCurrent, &alice, [&current] { current = true; });
    // What the syncs carried of people's presence: on a warm start, the changes since the cold one.
    int presenceEvents = 0;
    QObject::connect(alice.syncLoop(), &SyncLoop::batchReady, &alice,
                     [&presenceEvents](const SyncBatch &batch) { presenceEvents += int(batch.presence.size()); });
    QElapsedTimer clock;
    clock.start();
    alice.signIn(account.alice);
    if (!QTest::qWaitFor([&] { return current && rosterComplete(alice, account.contacts); }, coldTimeoutMs)) {
        std::fprintf(stderr, "the roster was not complete after %d s: %d rows\n", coldTimeoutMs / 1000,
                     alice.contacts()->rowCount());
        return 1;
    }
    const qint64 ms = clock.elapsed();
    const qint64 coldBytes = counter.bytes();
    const int coldAnswers = counter.answers();
    const QJsonArray coldByEndpoint = counter.byEndpoint();
    const int presenceEventsUntilComplete = presenceEvents;
    const auto [tzAnswersInCold, tzBytesInCold] = timeZoneShare(counter);
    if (!QTest::qWaitFor([&] { return counter.of(timeZoneEndpoint).first >= account.contacts.size() + 1; }, coldTimeoutMs)) {
        std::fprintf(stderr, "the time zones were not read after %d s\n", coldTimeoutMs / 1000);
        return 1;
    }
    const qint64 tzMs = clock.elapsed() - ms;
    const auto [tzAnswers, tzBytes] = timeZoneShare(counter);
    QFile result(resultPath);
    if (!result.open(QIODevice::WriteOnly))
        return 1;
    result.write(QJsonDocument(QJsonObject{{"bytes"_L1, coldBytes}, {"requests"_L1, coldAnswers}, {"ms"_L1, ms},
                                           {"by_endpoint"_L1, coldByEndpoint},
                                           {"presence_events"_L1, presenceEventsUntilComplete},
                                           {"tz_bytes"_L1, tzBytes - tzBytesInCold},
                                           {"tz_requests"_L1, tzAnswers - tzAnswersInCold}, {"tz_ms"_L1, tzMs}})
                     .toJson());
    return 0;
}

struct ChildRun {
    QJsonObject result;
    double cpuSeconds = 0;
    double peakRssMb = 0;
};

// Runs this program as a child for one start with `dataHome` as its data directory, for CPU and peak memory of
// that start alone: cold in an empty one, warm in one a cold start wrote its roster cache into.
std::optional<ChildRun> runChild(const QString &accountPath, const char *rooms, const QTemporaryDir &dataHome)
{
    QTemporaryFile resultFile;
    if (!resultFile.open())
        return std::nullopt;
    const QByteArray program = QCoreApplication::applicationFilePath().toLocal8Bit();
    const QByteArray account = accountPath.toLocal8Bit();
    const QByteArray result = resultFile.fileName().toLocal8Bit();
    char *argv[] = {const_cast<char *>(program.constData()), const_cast<char *>("--start"), const_cast<char *>(rooms),
                    const_cast<char *>(account.constData()), const_cast<char *>(result.constData()), nullptr};
    QList<QByteArray> variables{"XDG_DATA_HOME=" + dataHome.path().toLocal8Bit()};
    for (char **variable = environ; *variable != nullptr; ++variable) {
        if (!QByteArray(*variable).startsWith("XDG_DATA_HOME="))
            variables.append(*variable);
    }
    std::vector<char *> environment;
    for (QByteArray &variable : variables)
        environment.push_back(variable.data());
    environment.push_back(nullptr);
    pid_t pid = 0;
    if (posix_spawn(&pid, program.constData(), nullptr, nullptr, argv, environment.data()) != 0)
        return std::nullopt;
    int status = 0;
    rusage usage{};
    if (wait4(pid, &status, 0, &usage) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return std::nullopt;
    ChildRun run;
    run.result = QJsonDocument::fromJson(resultFile.readAll()).object();
    run.cpuSeconds = double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
                   + double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
    run.peakRssMb = double(usage.ru_maxrss) / 1024.0;  // kilobytes on Linux
    return run;
}

// Long-poll returns of the app's engine in a minute, with `strangers` (if any) changing presence spread over it.
int pollsInAMinute(Account &alice, QNetworkAccessManager &network, const AccountFile &account, const QList<Person> &strangers,
                   int *refused)
{
    QSignalSpy polls(alice.syncLoop(), &SyncLoop::batchReady);
    QElapsedTimer minute;
    minute.start();
    if (!strangers.isEmpty())
        *refused = putPresence(network, account.baseUrl, strangers, u"busy elsewhere"_s, minuteMs / int(strangers.size()));
    QTest::qWait(int(std::max<qint64>(0, minuteMs - minute.elapsed())));
    // What woke each return, so that a minute above the baseline says why.
    QStringList causes;
    for (const QList<QVariant> &arguments : std::as_const(polls)) {
        const SyncBatch batch = arguments.at(0).value<SyncBatch>();
        QStringList what;
        for (const PresenceEvent &event : batch.presence)
            what << (event.userId == account.alice.userId ? u"presence of Alice"_s : u"presence of a contact"_s);
        if (!batch.joinedRooms.isEmpty())
            what << u"%1 rooms"_s.arg(batch.joinedRooms.size());
        what.removeDuplicates();
        causes << (what.isEmpty() ? u"timeout"_s : what.join(u" + "_s));
    }
    std::printf("  %s minute: %s\n", strangers.isEmpty() ? "idle" : "busy", qPrintable(causes.join(u", "_s)));
    return int(polls.size());
}

int figures(const QString &accountPath, const AccountFile &account)
{
    QNetworkAccessManager network;
    QList<Person> everyone = account.contacts + account.strangers;
    Figures::print("contacts", double(account.contacts.size()), "%.0f");
    Figures::print("strangers", double(account.strangers.size()), "%.0f");
    QElapsedTimer sinceRound;
    for (const auto &[prefix, rooms] : {std::pair{"old", "old"}, std::pair{"new", "new"}}) {
        if (sinceRound.isValid())
            QTest::qWait(int(std::max<qint64>(0, presenceWindowMs - sinceRound.elapsed())));
        // A status message of this round's own, so that every PUT is a change Synapse notifies and writes to its
        // presence stream at once. Re-PUTting an unchanged presence only moves last_active_ts, which Synapse keeps
        // in memory and writes to the stream in its once-a-minute persist loop, under new stream ids: a warm start
        // whose `since` predates that tick then receives every contact again (about 30 KB, seen in 2 of 5 runs of
        // `new` when its round repeated `old`'s status).
        const int refused = putPresence(network, account.baseUrl, everyone, u"here (%1 round)"_s.arg(QLatin1StringView(prefix)));
        sinceRound.start();
        if (refused > 0)
            std::fprintf(stderr, "%d presence updates refused\n", refused);
        // A data directory for this filter's two starts: empty for the cold one, its roster cache for the warm one.
        QTemporaryDir dataHome;
        const std::optional<ChildRun> run = dataHome.isValid() ? runChild(accountPath, rooms, dataHome) : std::nullopt;
        if (!run) {
            std::fprintf(stderr, "the %s cold run failed\n", prefix);
            return 1;
        }
        for (const QJsonValue &line : run->result["by_endpoint"_L1].toArray())
            std::printf("  %s cold, %s\n", prefix, qPrintable(line.toString()));
        const QByteArray name = prefix;
        Figures::print(name + "_cold_kb", run->result["bytes"_L1].toDouble() / 1000.0);
        Figures::print(name + "_cold_requests", run->result["requests"_L1].toDouble(), "%.0f");
        Figures::print(name + "_cold_ms", run->result["ms"_L1].toDouble(), "%.0f");
        Figures::print(name + "_tz_after_kb", run->result["tz_bytes"_L1].toDouble() / 1000.0);
        Figures::print(name + "_tz_after_requests", run->result["tz_requests"_L1].toDouble(), "%.0f");
        Figures::print(name + "_tz_after_ms", run->result["tz_ms"_L1].toDouble(), "%.0f");
        Figures::print(name + "_cold_and_tz_kb",
                       (run->result["bytes"_L1].toDouble() + run->result["tz_bytes"_L1].toDouble()) / 1000.0);
        Figures::print(name + "_cpu_s", run->cpuSeconds, "%.2f");
        Figures::print(name + "_peak_rss_mb", run->peakRssMb);

        // Right after the cold start, well inside the contacts' 30 s online window (a user who only PUTs is offline
        // 30 s later), and with nothing pending on the server: see the round's PUT above.
        const std::optional<ChildRun> warm = runChild(accountPath, rooms, dataHome);
        if (!warm) {
            std::fprintf(stderr, "the %s warm run failed\n", prefix);
            return 1;
        }
        for (const QJsonValue &line : warm->result["by_endpoint"_L1].toArray())
            std::printf("  %s warm, %s\n", prefix, qPrintable(line.toString()));
        Figures::print(name + "_warm_kb", warm->result["bytes"_L1].toDouble() / 1000.0, "%.2f");
        Figures::print(name + "_warm_requests", warm->result["requests"_L1].toDouble(), "%.0f");
        Figures::print(name + "_warm_ms", warm->result["ms"_L1].toDouble(), "%.0f");
        Figures::print(name + "_warm_presence_events", warm->result["presence_events"_L1].toDouble(), "%.0f");
    }

    Account alice;
    alice.signIn(account.alice);
    if (!QTest::qWaitFor([&] { return rosterComplete(alice, account.contacts); }, coldTimeoutMs))
        return 1;
    QTest::qWait(int(std::max<qint64>(0, contactsTimedOutMs - sinceRound.elapsed())));
    int refused = 0;
    Figures::print("polls_idle_per_min", pollsInAMinute(alice, network, account, {}, &refused), "%.0f");
    Figures::print("polls_busy_per_min", pollsInAMinute(alice, network, account, account.strangers, &refused), "%.0f");
    Figures::print("busy_presence_puts", double(account.strangers.size() - refused), "%.0f");
    return 0;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setOrganizationName(u"presently-roster-traffic"_s);
    const QStringList arguments = app.arguments();
    if (arguments.size() == 5 && arguments.at(1) == "--start"_L1) {
        const std::optional<AccountFile> account = readAccount(arguments.at(3));
        if (!account)
            return 1;
        const RoomTraffic rooms = arguments.at(2) == "old"_L1 ? RoomTraffic::MemberTimeline : RoomTraffic::SizesAndLatestChange;
        return startRun(*account, rooms, arguments.at(4));
    }
    if (arguments.size() != 2) {
        std::fprintf(stderr, "usage: presently-roster-traffic ACCOUNT.json (run scripts/roster-traffic.sh)\n");
        return 2;
    }
    const std::optional<AccountFile> account = readAccount(arguments.at(1));
    if (!account) {
        std::fprintf(stderr, "could not read the account file %s\n", qPrintable(arguments.at(1)));
        return 1;
    }
    return figures(arguments.at(1), *account);
}
