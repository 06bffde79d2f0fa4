// presently-cache-start: the time from process start to a roster painted from the cache, at 1,000 contacts.
//
// It builds the cache once (a generated initial sync of 1,000 contacts applied by the Roster, written through the
// RosterCache, with a stored session for an unreachable server), then starts itself `runs` times: each child
// restores the session as the application does (Account::restore) and prints a line when the account enters
// Connecting, by which time the rows are in the contact model and the sort proxy. The figure is from QProcess::start
// in the parent to that line: exec, Qt's start, opening and reading the database, the model and the sorted proxy;
// not the pixels of a window (the engine has no widgets). Runs in a temporary XDG home of its own.
#include "matrix/SyncParser.h"
#include "roster/RosterFilterModel.h"
#include "session/Account.h"
#include "session/SessionStore.h"
#include "store/RosterCache.h"
#include "Figures.h"
#include "SyncGenerator.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTextStream>
#include <QTimer>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace {
constexpr int runs = 7;

SyncShape thousandContacts()
{
    SyncShape shape;
    shape.directRooms = 200;
    shape.smallRooms = 100;
    shape.smallRoomMembers = 27;
    shape.friends = 800;
    shape.largeRooms = 5;
    shape.largeRoomMembers = 200;
    shape.strangers = 1000;
    shape.presenceEvents = 1000;
    return shape;
}

// The longest the event loop went without running a zero timer while `roster` applied `batch` with the cache
// connected: how long the GUI thread was blocked at most, building the changes and queueing them included.
double longestBlockMs(Roster &roster, const SyncBatch &batch)
{
    QElapsedTimer sinceTick;
    qint64 longestNs = 0;
    QTimer probe;
    QObject::connect(&probe, &QTimer::timeout, [&] {
        longestNs = std::max(longestNs, sinceTick.nsecsElapsed());
        sinceTick.restart();
    });
    probe.start(0);
    sinceTick.start();
    roster.applyBatch(batch);
    QEventLoop loop;
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (!roster.isApplying())
            loop.quit();
    });
    poll.start(1);
    loop.exec();
    longestNs = std::max(longestNs, sinceTick.nsecsElapsed());
    return longestNs / 1e6;
}

void waitFor(const std::function<bool()> &done)
{
    QEventLoop loop;
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (done())
            loop.quit();
    });
    poll.start(5);
    loop.exec();
}

int prepare()
{
    const SyncShape shape = thousandContacts();
    const SyncParseResult parsed = parseSync(generateInitialSync(shape));
    if (!parsed.batch)
        return 1;
    const QString deviceId = u"BENCH"_s;
    RosterCache cache;
    cache.open(shape.ownUserId, deviceId);
    ContactListModel model;
    Roster roster(&model);
    roster.setOwnUserId(shape.ownUserId);
    QObject::connect(&roster, &Roster::changed, &cache, &RosterCache::write);
    Figures::print("GUI thread blocked at most, the 1,000-contact initial batch applied and queued for the cache (ms)",
                   longestBlockMs(roster, *parsed.batch));
    const SyncParseResult incremental = parseSync(generateIncrementalSync(1, 100, shape));
    if (!incremental.batch)
        return 1;
    Figures::print("GUI thread blocked at most, 100 presence changes applied and queued for the cache (ms)",
                   longestBlockMs(roster, *incremental.batch));
    cache.flush();
    Figures::print("contacts in the cache", model.rowCount(), "%.0f");
    const QString file = RosterCache::fileFor(shape.ownUserId);
    Figures::print("cache size with its WAL (KiB)", (QFile(file).size() + QFile(file + u"-wal"_s).size()) / 1024.0);

    SessionStore store;
    bool saved = false;
    QObject::connect(&store, &SessionStore::saved, [&] { saved = true; });
    LoginSession session;
    session.homeserver = QUrl(u"http://127.0.0.1:9"_s);  // nothing answers: the start paints from the cache alone
    session.userId = shape.ownUserId;
    session.deviceId = deviceId;
    session.accessToken = u"bench-token"_s;
    store.save(session);
    waitFor([&] { return saved; });
    return 0;
}

int paint(const QElapsedTimer &sinceMain)
{
    Account account;
    RosterFilterModel sorted;
    sorted.setSourceModel(account.contacts());
    QTextStream out(stdout);
    QObject::connect(&account, &Account::stateChanged, [&](Account::State state) {
        if (state != Account::State::Connecting)
            return;
        out << "painted " << sorted.rowCount() << ' ' << sinceMain.nsecsElapsed() / 1e6 << Qt::endl;
        QMetaObject::invokeMethod(qApp, &QCoreApplication::quit, Qt::QueuedConnection);  // may come before exec()
    });
    account.restore();
    return QCoreApplication::exec();
}
} // namespace

int main(int argc, char *argv[])
{
    QElapsedTimer sinceMain;
    sinceMain.start();
    QCoreApplication app(argc, argv);
    QCoreApplication::setOrganizationName(u"presently-bench"_s);
    QCoreApplication::setApplicationName(u"presently-cache-start"_s);
    const QStringList arguments = QCoreApplication::arguments();
    if (arguments.contains(u"--paint"_s))
        return paint(sinceMain);

    QTemporaryDir home;
    qputenv("XDG_DATA_HOME", home.filePath(u"data"_s).toLocal8Bit());
    qputenv("XDG_CONFIG_HOME", home.filePath(u"config"_s).toLocal8Bit());
    qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus");  // the token goes to a file
    if (const int failed = prepare())
        return failed;

    QList<double> timesMs;
    QList<double> inProcessMs;
    for (int run = 0; run < runs; ++run) {
        QProcess child;
        QElapsedTimer clock;
        clock.start();
        child.setProcessChannelMode(QProcess::ForwardedErrorChannel);  // the account's log: read and restore times
        child.start(QCoreApplication::applicationFilePath(), {u"--paint"_s});
        if (!child.waitForReadyRead(30'000))
            return 1;
        const double ms = clock.nsecsElapsed() / 1e6;
        const QList<QByteArray> line = child.readLine().trimmed().split(' ');
        child.waitForFinished();
        if (line.size() != 3 || line.at(1) != "1000") {
            Figures::print("unexpected child output", line.join(' ').constData());
            return 1;
        }
        timesMs.append(ms);
        inProcessMs.append(line.at(2).toDouble());
    }
    std::sort(timesMs.begin(), timesMs.end());
    std::sort(inProcessMs.begin(), inProcessMs.end());
    Figures::print("main() to a roster painted from the cache, 1,000 contacts, median (ms)", inProcessMs.at(runs / 2));
    Figures::print("process start to a roster painted from the cache, 1,000 contacts, median (ms)", timesMs.at(runs / 2));
    Figures::print("process start to a roster painted from the cache, 1,000 contacts, max (ms)", timesMs.constLast());
    return 0;
}
