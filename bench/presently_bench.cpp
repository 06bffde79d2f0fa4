// presently-bench: prints the engine's figures as `name: value` lines (design.md, "Budgets").
//   parse_mb_per_s          sync body -> SyncBatch on one core (generated ~36 MB initial sync)
//   peak_rss_mb             the process's peak resident memory after parsing
//   max_gui_block_ms        the longest the event loop was held while the initial sync was applied
//   update_us_per_presence  one incremental presence update, parsed and applied, with the sort proxy attached
//   baseline_rss_mb         resident memory before any sync: Qt and the program
//   steady_rss_mb           resident memory once the initial sync and the incremental ones are applied, their
//                           bodies and batches gone: what the app keeps while it runs on
//   roster_heap_mb          the heap the roster, its model and the proxy hold then (freed when they are destroyed)
//   steady_rss_per_need     steady_rss_mb / (baseline_rss_mb + roster_heap_mb); 1.0 would keep nothing else
// A program that measures, not a test: it prints figures and exits 0.
#include "roster/ContactListModel.h"
#include "roster/Roster.h"
#include "roster/RosterFilterModel.h"
#include "roster/RosterGroupModel.h"
#include "Figures.h"
#include "ProcessMemory.h"
#include "SyncGenerator.h"
#include "matrix/SyncParser.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTimer>

#include <cstdio>
#include <memory>
#include <optional>

namespace {

using Figures::print;

struct ApplyFigures {
    double totalMs = 0;
    double maxBlockMs = 0;
    int contacts = 0;
};

// Applies a batch the way the app does (in slices on the event loop) and measures the longest stretch the
// loop could not run: a 1 ms precise timer records the largest gap between two of its ticks.
ApplyFigures applyOnEventLoop(Roster &roster, const ContactListModel &model, const SyncBatch &batch)
{
    ApplyFigures figures;
    QElapsedTimer sinceTick;
    QTimer heartbeat;
    heartbeat.setTimerType(Qt::PreciseTimer);
    heartbeat.setInterval(1);
    QObject::connect(&heartbeat, &QTimer::timeout, [&] {
        figures.maxBlockMs = std::max(figures.maxBlockMs, sinceTick.nsecsElapsed() / 1e6);
        sinceTick.restart();
    });
    bool applied = false;
    const auto connection = QObject::connect(&roster, &Roster::batchApplied, [&] { applied = true; });

    QElapsedTimer total;
    heartbeat.start();
    sinceTick.start();
    total.start();
    // Started from the event loop, as the sync loop's batchReady signal would.
    QTimer::singleShot(0, &roster, [&] {
        figures.maxBlockMs = std::max(figures.maxBlockMs, sinceTick.nsecsElapsed() / 1e6);
        sinceTick.restart();
        roster.applyBatch(batch);
    });
    while (!applied)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    figures.totalMs = total.nsecsElapsed() / 1e6;
    figures.maxBlockMs = std::max(figures.maxBlockMs, sinceTick.nsecsElapsed() / 1e6);
    heartbeat.stop();
    QObject::disconnect(connection);
    figures.contacts = model.rowCount();
    return figures;
}

// The roster as the app holds it: the model, the tree of groups over it, the sort proxy over that and the Roster
// that fills the model.
struct LiveRoster {
    explicit LiveRoster(const QString &ownUserId)
    {
        proxy.setSourceModel(&groups);
        roster.setOwnUserId(ownUserId);
    }

    ContactListModel model;
    RosterGroupModel groups{&model};
    RosterFilterModel proxy;
    Roster roster{&model};
};

// Generates the initial sync, measures its parsing and returns its batch; the body is dropped once parsed,
// as the sync loop drops it.
std::optional<SyncBatch> parseInitialSync(const SyncShape &shape)
{
    const QByteArray initial = generateInitialSync(shape);
    print("initial_sync_mb", initial.size() / 1e6);
    const ParseFigures parse = measureParse(initial, 5);
    print("parse_mb_per_s", parse.mbPerSecond);
    print("peak_rss_mb", parse.peakRssMb);

    SyncParseResult parsed = parseSync(initial);
    if (!parsed.batch)
        std::fprintf(stderr, "generated sync did not parse: %s\n", qPrintable(parsed.error));
    return std::move(parsed.batch);
}

// A stream of small incremental syncs, each parsed and applied (what the GUI thread and the parser spend per
// update once the roster is live), with the sort proxy attached.
bool applyIncrementalSyncs(Roster &roster, const SyncShape &shape)
{
    constexpr int syncs = 3000;
    constexpr int updatesPerSync = 3;
    QList<QByteArray> bodies;
    bodies.reserve(syncs);
    for (int seq = 0; seq < syncs; ++seq)
        bodies.append(generateIncrementalSync(seq, updatesPerSync, shape));
    qint64 updates = 0;
    QElapsedTimer elapsed;
    elapsed.start();
    for (const QByteArray &body : std::as_const(bodies)) {
        const SyncParseResult incremental = parseSync(body);
        if (!incremental.batch)
            return false;
        updates += incremental.batch->presence.size();
        roster.applyBatch(*incremental.batch);
    }
    const double perUpdateUs = elapsed.nsecsElapsed() / 1e3 / static_cast<double>(updates);
    print("update_us_per_presence", perUpdateUs, "%.2f");
    print("incremental_presence_updates", static_cast<double>(updates), "%.0f");
    return true;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const SyncShape shape;
    const double baselineRssMb = ProcessMemory::statusMb("VmRSS");

    auto live = std::make_unique<LiveRoster>(shape.ownUserId);
    {
        const std::optional<SyncBatch> initial = parseInitialSync(shape);
        if (!initial)
            return 1;
        const ApplyFigures initialApply = applyOnEventLoop(live->roster, live->model, *initial);
        print("contacts", initialApply.contacts, "%.0f");
        print("initial_apply_ms", initialApply.totalMs);
        print("max_gui_block_ms", initialApply.maxBlockMs);
    }  // the batch is dropped once applied
    if (!applyIncrementalSyncs(live->roster, shape))
        return 1;

    // What stays while the app runs on: the roster, and whatever the syncs behind it left allocated. The heap's
    // free pages are handed back first (malloc_trim), so that resident memory counts what is still in use.
    ProcessMemory::returnFreeHeap();
    const double steadyRssMb = ProcessMemory::statusMb("VmRSS");
    const double heapWithRosterMb = ProcessMemory::heapInUseMb();
    live.reset();
    const double rosterHeapMb = heapWithRosterMb - ProcessMemory::heapInUseMb();
    print("baseline_rss_mb", baselineRssMb);
    print("steady_rss_mb", steadyRssMb);
    print("roster_heap_mb", rosterHeapMb);
    print("steady_rss_per_need", steadyRssMb / (baselineRssMb + rosterHeapMb), "%.2f");
    return 0;
}
