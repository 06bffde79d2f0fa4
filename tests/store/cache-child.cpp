// The engine as a process of its own for tst_cache_integration's kill -9 test: restores the stored session (and so
// the roster cache) from the XDG directories it inherits (argv: the test's organisation and application names), and says on stdout what it shows: "painted N" when the
// state becomes Connecting (N rows, from the cache), "live" once a batch has been applied. It runs until killed.
#include "session/Account.h"

#include <QCoreApplication>
#include <QTextStream>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    // The test's names, so that its settings, stored session and cache are found: organisation and application.
    if (argc < 3)
        return 2;
    QCoreApplication::setOrganizationName(QString::fromLocal8Bit(argv[1]));
    QCoreApplication::setApplicationName(QString::fromLocal8Bit(argv[2]));
    QTextStream out(stdout);
    Account account;
    account.syncLoop()->setServerTimeoutMs(1'000);
    QObject::connect(&account, &Account::stateChanged, [&](Account::State state) {
        if (state == Account::State::Connecting)
            out << "painted " << account.contacts()->rowCount() << Qt::endl;
    });
    QObject::connect(&account, &Account::rosterCurrent, [&] { out << "live" << Qt::endl; });
    account.restore();
    return QCoreApplication::exec();
}
