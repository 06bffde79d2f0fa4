// presently-soak: a week of a busy account through the engine, in one process (docs/benchmarks.md, "Soak").
// A SoakWorld emits the /sync bodies; a SoakEngine parses and applies them as the app does, with
// QAbstractItemModelTester on the model and on the sort/filter proxy throughout. Prints `name: value` lines:
//   rss_start_mb, rss_after_warmup_mb, rss_end_mb, peak_rss_mb   resident memory (warm-up: the first tenth)
//   growth_per_100k_changes_mb        slope of a least-squares line through the resident memory sampled every
//                                     hundredth of the run after warm-up, per 100,000 changes
//   growth_after_warmup_mb            that line's rise from warm-up to the end (target: at most 1 MB)
//   heap_*_mb                         the same for the heap in use (mallinfo2), which unlike the resident
//                                     memory falls again when memory is freed
//   changes ... contacts_end          what happened: counts from the world and the engine
//   model_tester_failures             QAbstractItemModelTester failures on the model and the proxy
//   model_matches_generator           whether every row equals what the world says, and no row is missing
// A program that measures; it exits 1 when a tester failed or the model does not match, so that a smoke run
// can be a test.
#include "Figures.h"
#include "ProcessMemory.h"
#include "SoakEngine.h"
#include "SoakWorld.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QSettings>
#include <QTemporaryDir>

#include <cstdio>

using Figures::print;

namespace {

struct SoakOptions {
    qint64 changes = 1000000;
    int people = 2000;
    bool withTesters = true;
    bool breakModel = false;
    bool newcomers = false;
    bool restarts = true;
};

SoakOptions parseOptions(const QCoreApplication &app)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Feeds the engine a week of a busy account and prints memory figures."));
    parser.addHelpOption();
    const QCommandLineOption changes(QStringLiteral("changes"), QStringLiteral("Presence and profile changes (1000000)."),
                                     QStringLiteral("n"), QStringLiteral("1000000"));
    const QCommandLineOption people(QStringLiteral("people"), QStringLiteral("About this many contacts (2000)."),
                                    QStringLiteral("n"), QStringLiteral("2000"));
    const QCommandLineOption withoutTesters(QStringLiteral("without-tester"),
                                            QStringLiteral("No QAbstractItemModelTester: the engine's own time and memory."));
    const QCommandLineOption breakModel(QStringLiteral("break-model"),
                                        QStringLiteral("Half-way, emits one dataChanged with a reversed range, to show the testers catch it."));
    const QCommandLineOption newcomers(QStringLiteral("newcomers"),
                                       QStringLiteral("Strangers who leave the large rooms are replaced by people never seen before."));
    const QCommandLineOption noRestart(QStringLiteral("no-restart"),
                                       QStringLiteral("Every reconnect resumes the stream: the app runs the whole week."));
    parser.addOptions({changes, people, withoutTesters, breakModel, newcomers, noRestart});
    parser.process(app);
    SoakOptions options;
    options.changes = std::max(1LL, parser.value(changes).toLongLong());
    options.people = std::max(10, parser.value(people).toInt());
    options.withTesters = !parser.isSet(withoutTesters);
    options.breakModel = parser.isSet(breakModel);
    options.newcomers = parser.isSet(newcomers);
    options.restarts = !parser.isSet(noRestart);
    return options;
}

// Counts QAbstractItemModelTester's failures (warnings in "qt.modeltest") and shows the first few.
class ModelTesterFailures {
public:
    ModelTesterFailures()
    {
        // The tester's debug output is a line per check: far too much for a million changes.
        QLoggingCategory::setFilterRules(QStringLiteral("qt.modeltest.debug=false"));
        s_previous = qInstallMessageHandler(&ModelTesterFailures::handle);
    }
    ~ModelTesterFailures() { qInstallMessageHandler(s_previous); }

    static qint64 count() { return s_count; }

private:
    static void handle(QtMsgType type, const QMessageLogContext &context, const QString &message)
    {
        if (type == QtWarningMsg && context.category && qstrcmp(context.category, "qt.modeltest") == 0) {
            if (++s_count > 10)
                return;
        }
        s_previous(type, context, message);
    }

    static inline QtMessageHandler s_previous = nullptr;
    static inline qint64 s_count = 0;
};

// Resident memory and heap in use, sampled as the changes go by, and the straight line that fits them.
class MemoryTrack {
public:
    void sample(qint64 changes)
    {
        m_samples.append({static_cast<double>(changes), ProcessMemory::statusMb("VmRSS"), ProcessMemory::heapInUseMb()});
    }
    const auto &first() const { return m_samples.constFirst(); }
    const auto &last() const { return m_samples.constLast(); }
    // Least-squares slopes, MB per 100,000 changes: a fit rather than two end points, so that where a
    // reconnect's burst happens to fall does not decide the figure.
    double rssGrowthPer100k() const { return slope(&Sample::rssMb) * 100000; }
    double heapGrowthPer100k() const { return slope(&Sample::heapMb) * 100000; }
    // The fitted line's rise from the first sample to the last.
    double rssGrowth() const { return slope(&Sample::rssMb) * (last().changes - first().changes); }
    double heapGrowth() const { return slope(&Sample::heapMb) * (last().changes - first().changes); }

    struct Sample {
        double changes;
        double rssMb;
        double heapMb;
    };

private:
    double slope(double Sample::*figure) const
    {
        const double n = static_cast<double>(m_samples.size());
        double sumX = 0, sumY = 0, sumXY = 0, sumXX = 0;
        for (const Sample &sample : m_samples) {
            sumX += sample.changes;
            sumY += sample.*figure;
            sumXY += sample.changes * sample.*figure;
            sumXX += sample.changes * sample.changes;
        }
        const double denominator = n * sumXX - sumX * sumX;
        return denominator == 0 ? 0 : (n * sumXY - sumX * sumY) / denominator;
    }

    QList<Sample> m_samples;
};

// Whether every row holds what the world says (user ID, name, avatar, presence, status, last active, currently
// active) and every expected contact has a row. Differences go to stderr, the first few of them.
bool modelMatchesWorld(const ContactListModel &model, const QHash<QString, Contact> &expected)
{
    int differences = 0;
    const auto report = [&differences](const QString &what) {
        if (++differences <= 5)
            std::fprintf(stderr, "model differs from the world: %s\n", qPrintable(what));
    };
    QSet<QString> listed;
    for (int row = 0; row < model.rowCount(); ++row) {
        const Contact &contact = model.contactAt(row);
        listed.insert(contact.userId);
        const auto want = expected.constFind(contact.userId);
        if (want == expected.cend())
            report(QStringLiteral("%1 is listed, but is no contact").arg(contact.userId));
        else if (!(contact == *want))
            report(QStringLiteral("%1 is \"%2\" %3 %4 \"%5\" %6 %7, should be \"%8\" %9 %10 \"%11\" %12 %13")
                       .arg(contact.userId, contact.displayName, contact.avatarUrl, contact.state.rawPresence,
                            contact.state.statusMessage, QString::number(contact.state.lastActiveAtMs),
                            QString::number(contact.state.currentlyActive), want->displayName, want->avatarUrl)
                       .arg(want->state.rawPresence, want->state.statusMessage, QString::number(want->state.lastActiveAtMs),
                            QString::number(want->state.currentlyActive)));
    }
    for (auto it = expected.cbegin(); it != expected.cend(); ++it) {
        if (!listed.contains(it.key()))
            report(QStringLiteral("%1 is missing").arg(it.key()));
    }
    return differences == 0;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const SoakOptions options = parseOptions(app);
    // The watch list lives in QSettings: the run's own, not the user's.
    const QTemporaryDir settings;
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, settings.path());
    const ModelTesterFailures testerFailures;

    QElapsedTimer elapsed;
    elapsed.start();
    const double rssStartMb = ProcessMemory::statusMb("VmRSS");
    SoakShape shape;
    shape.people = options.people;
    shape.newcomers = options.newcomers;
    SoakWorld world(shape);
    SoakEngine engine(world, options.withTesters);
    engine.startAfresh();
    print("contacts_start", engine.model().rowCount(), "%.0f");

    // Every so often a reconnect, alternating a fresh start (initial sync) and a resumed stream (a catch-up
    // sync after an outage; only these with --no-restart): twenty in a run, about one a third of a day, the last half an interval before the
    // end, so that the final check sees a roster that the incremental syncs have kept, not one just rebuilt.
    const qint64 reconnectEvery = std::max<qint64>(1, options.changes / 20);
    const qint64 warmUp = options.changes / 10;
    const qint64 sampleEvery = std::max<qint64>(1, options.changes / 100);
    constexpr int catchUpSteps = 500;
    QRandomGenerator syncSizes(shape.seed);
    MemoryTrack memory;
    qint64 reconnects = 0;
    qint64 nextReconnect = reconnectEvery / 2;
    qint64 nextSample = warmUp;
    bool broken = false;
    while (world.counts().changes() < options.changes) {
        engine.applyIncremental(1 + static_cast<int>(syncSizes.bounded(16)));
        const qint64 changes = world.counts().changes();
        if (changes >= nextReconnect) {
            nextReconnect += reconnectEvery;
            if (++reconnects % 2 == 1 || !options.restarts)
                engine.resumeAfterOutage(catchUpSteps);
            else
                engine.startAfresh();
            engine.useFilters(static_cast<int>(reconnects));
        }
        if (options.breakModel && !broken && changes >= options.changes / 2 && engine.model().rowCount() >= 2) {
            broken = true;
            // A wrong signal no model may send: rows from 1 down to 0.
            Q_EMIT engine.model().dataChanged(engine.model().index(1), engine.model().index(0), {Qt::DisplayRole});
        }
        if (changes >= nextSample) {
            nextSample += sampleEvery;
            memory.sample(changes);
        }
    }
    engine.clearFilters();
    engine.answerEveryQuestion();
    memory.sample(world.counts().changes());

    const SoakWorld::Counts &counts = world.counts();
    const bool matches = modelMatchesWorld(engine.model(), world.expectedContacts())
                      && engine.proxy().contactCount() == engine.model().rowCount() && engine.parseFailures() == 0;
    print("people", options.people, "%.0f");
    print("model_testers", options.withTesters ? "on" : "off");
    print("rss_start_mb", rssStartMb);
    print("rss_after_warmup_mb", memory.first().rssMb);
    print("rss_end_mb", memory.last().rssMb);
    print("peak_rss_mb", ProcessMemory::statusMb("VmHWM"));
    print("growth_per_100k_changes_mb", memory.rssGrowthPer100k(), "%.3f");
    print("growth_after_warmup_mb", memory.rssGrowth(), "%.2f");
    print("heap_after_warmup_mb", memory.first().heapMb);
    print("heap_end_mb", memory.last().heapMb);
    print("heap_growth_per_100k_changes_mb", memory.heapGrowthPer100k(), "%.3f");
    print("heap_growth_after_warmup_mb", memory.heapGrowth(), "%.2f");
    print("changes", static_cast<double>(counts.changes()), "%.0f");
    print("presence_changes", static_cast<double>(counts.presenceChanges), "%.0f");
    print("profile_changes", static_cast<double>(counts.profileChanges), "%.0f");
    print("syncs", static_cast<double>(engine.syncs()), "%.0f");
    print("reconnects", static_cast<double>(reconnects), "%.0f");
    print("joins", static_cast<double>(counts.joins), "%.0f");
    print("leaves", static_cast<double>(counts.leaves), "%.0f");
    print("room_joins", static_cast<double>(counts.roomJoins), "%.0f");
    print("room_leaves", static_cast<double>(counts.roomLeaves), "%.0f");
    print("newcomers", static_cast<double>(counts.newcomers), "%.0f");
    print("profile_fetches", static_cast<double>(engine.profileFetches()), "%.0f");
    print("member_fetches", static_cast<double>(engine.memberFetches()), "%.0f");
    print("online_notifications", static_cast<double>(engine.onlineNotifications()), "%.0f");
    print("contacts_end", engine.model().rowCount(), "%.0f");
    print("model_tester_failures", static_cast<double>(ModelTesterFailures::count()), "%.0f");
    print("model_matches_generator", matches ? "yes" : "no");
    print("elapsed_s", elapsed.nsecsElapsed() / 1e9);
    return ModelTesterFailures::count() == 0 && matches ? 0 : 1;
}
