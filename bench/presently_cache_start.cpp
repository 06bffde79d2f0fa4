// presently-cache-start: the time from process start to a roster painted from the cache, at 1,000 contacts.
//
// It builds the cache once (a generated initial sync of 1,000 contacts applied by the Roster, written through the
// RosterCache, with a stored session for an unreachable server), then starts itself `runs` times in each of two
// modes, interleaved:
// - --model: restores the session as the application does (Account::restore) and prints a line when the account
//   enters Connecting, by which time the rows are in the contact model and the sort proxy (the engine's part);
// - --window: starts the application as main() does (a QApplication and PresentlyApp::start, on the offscreen
//   platform) and prints a line once the roster view's viewport has handled its first paint event with the
//   cache's rows in the view (the pixels of the window, drawn into its backing store).
// Each figure is from QProcess::start in the parent to that line: exec, Qt's start, opening and reading the
// database, the model and the sorted proxy, and for the window building and laying out the widgets and painting
// them. Runs in a temporary XDG home of its own.
#include "matrix/SyncParser.h"
#include "roster/RosterFilterModel.h"
#include "session/Account.h"
#include "session/SessionStore.h"
#include "store/RosterCache.h"
#include "Figures.h"
#include "SyncGenerator.h"
#include "app/PresentlyApp.h"
#include "window/MainWindow.h"
#include "window/RosterView.h"
#include "window/RosterWidget.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTextStream>
#include <QTimer>

#include <algorithm>
#include <optional>
#include <utility>

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

// The engine's part: the rows in the contact model and the sort proxy, no widgets.
int fillModel(const QElapsedTimer &sinceMain)
{
    Account account;
    RosterFilterModel sorted;
    sorted.setSourceModel(account.groups());
    QTextStream out(stdout);
    QObject::connect(&account, &Account::stateChanged, [&](Account::State state) {
        if (state != Account::State::Connecting)
            return;
        out << "painted " << sorted.contactCount() << ' ' << sinceMain.nsecsElapsed() / 1e6 << Qt::endl;
        QMetaObject::invokeMethod(qApp, &QCoreApplication::quit, Qt::QueuedConnection);  // may come before exec()
    });
    account.restore();
    return QCoreApplication::exec();
}

// Reports the first paint of the roster view's viewport that draws rows: once the paint event has been handled
// (the zero timer runs when the event loop is back, after QWidget's paint and the backing store's flush).
class FirstRosterPaint : public QObject {
public:
    FirstRosterPaint(QAbstractItemView *view, const RosterFilterModel *roster, const QElapsedTimer &sinceMain)
        : QObject(view), m_roster(roster), m_sinceMain(sinceMain)
    {
        view->viewport()->installEventFilter(this);
    }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Paint && !m_seen && m_roster->contactCount() > 0) {
            m_seen = true;
            const int rows = m_roster->contactCount();
            QTimer::singleShot(0, this, [this, rows] {
                QTextStream(stdout) << "painted " << rows << ' ' << m_sinceMain.nsecsElapsed() / 1e6 << Qt::endl;
                QCoreApplication::quit();
            });
        }
        return QObject::eventFilter(watched, event);
    }

private:
    const RosterFilterModel *m_roster;  // the view's model: people, not group rows, are counted
    const QElapsedTimer &m_sinceMain;
    bool m_seen = false;
};

// The application's window, started as main() starts it (without the control socket, which a second bench
// process would find taken).
int paintWindow(const QElapsedTimer &sinceMain, int &argc, char *argv[])
{
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(u"presently-bench"_s);
    QCoreApplication::setApplicationName(u"presently-cache-start"_s);
    QApplication::setQuitOnLastWindowClosed(false);
    PresentlyApp presently;
    new FirstRosterPaint(presently.window()->roster()->view(), presently.window()->roster()->filterModel(), sinceMain);
    presently.start();
    return QApplication::exec();
}

// Starts this program in `mode` and returns the time to its line, and the child's own time from main(), or
// nothing (after saying why) when it did not print 1,000 rows.
std::optional<std::pair<double, double>> timeChild(const QString &mode)
{
    QProcess child;
    QElapsedTimer clock;
    clock.start();
    child.setProcessChannelMode(QProcess::ForwardedErrorChannel);  // the account's log: read and restore times
    child.start(QCoreApplication::applicationFilePath(), {mode});
    if (!child.waitForReadyRead(30'000)) {
        Figures::print("no line from the child", mode.toUtf8().constData());
        return std::nullopt;
    }
    const double ms = clock.nsecsElapsed() / 1e6;
    const QList<QByteArray> line = child.readLine().trimmed().split(' ');
    child.waitForFinished();
    if (line.size() != 3 || line.at(1) != "1000") {
        Figures::print("unexpected child output", line.join(' ').constData());
        return std::nullopt;
    }
    return std::pair{ms, line.at(2).toDouble()};
}

struct Times {
    QList<double> fromStartMs;
    QList<double> fromMainMs;

    void printAs(const char *what)
    {
        std::sort(fromStartMs.begin(), fromStartMs.end());
        std::sort(fromMainMs.begin(), fromMainMs.end());
        const QByteArray name = QByteArray(what) + ", 1,000 contacts, ";
        Figures::print(("main() to " + name + "median (ms)").constData(), fromMainMs.at(runs / 2));
        Figures::print(("process start to " + name + "median (ms)").constData(), fromStartMs.at(runs / 2));
        Figures::print(("process start to " + name + "max (ms)").constData(), fromStartMs.constLast());
    }
};
} // namespace

int main(int argc, char *argv[])
{
    QElapsedTimer sinceMain;
    sinceMain.start();
    // The window's child needs a QApplication, so it is told apart before any application object exists.
    if (argc == 2 && qstrcmp(argv[1], "--window") == 0)
        return paintWindow(sinceMain, argc, argv);
    QCoreApplication app(argc, argv);
    QCoreApplication::setOrganizationName(u"presently-bench"_s);
    QCoreApplication::setApplicationName(u"presently-cache-start"_s);
    const QStringList arguments = QCoreApplication::arguments();
    if (arguments.contains(u"--model"_s))
        return fillModel(sinceMain);

    QTemporaryDir home;
    qputenv("XDG_DATA_HOME", home.filePath(u"data"_s).toLocal8Bit());
    qputenv("XDG_CONFIG_HOME", home.filePath(u"config"_s).toLocal8Bit());
    qputenv("XDG_CACHE_HOME", home.filePath(u"cache"_s).toLocal8Bit());  // the window's media cache
    qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus");  // the token goes to a file
    qputenv("QT_QPA_PLATFORM", "offscreen");  // the window's children
    if (const int failed = prepare())
        return failed;

    Times model;
    Times window;
    for (int run = 0; run < runs; ++run) {
        for (auto [mode, times] : {std::pair{u"--model"_s, &model}, std::pair{u"--window"_s, &window}}) {
            const auto measured = timeChild(mode);
            if (!measured)
                return 1;
            times->fromStartMs.append(measured->first);
            times->fromMainMs.append(measured->second);
        }
    }
    model.printAs("the rows from the cache in the model and the sort proxy");
    window.printAs("the roster window's first paint with the cache's rows");
    return 0;
}
