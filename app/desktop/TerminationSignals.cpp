#include "desktop/TerminationSignals.h"

#include <QLoggingCategory>
#include <QSocketNotifier>

#include <array>
#include <cerrno>
#include <csignal>
#include <sys/socket.h>
#include <unistd.h>

Q_LOGGING_CATEGORY(lcTermination, "presently.termination", QtInfoMsg)

namespace {
constexpr std::array caughtSignals{SIGTERM, SIGINT, SIGHUP};

// Written by the handler, so a plain int: the handler may touch nothing else.
volatile sig_atomic_t writeSocket = -1;

void setAction(void (*handler)(int))
{
    struct sigaction action = {};
    action.sa_handler = handler;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;  // a read() in the middle of Qt's work goes on instead of failing with EINTR
    for (const int signalNumber : caughtSignals)
        sigaction(signalNumber, &action, nullptr);
}

// Async-signal-safe only: sigaction(), write() and errno.
void onSignal(int signalNumber)
{
    const int savedErrno = errno;
    setAction(SIG_DFL);  // the next one is not asked politely
    const unsigned char number = static_cast<unsigned char>(signalNumber);
    [[maybe_unused]] const ssize_t written = write(writeSocket, &number, 1);
    errno = savedErrno;
}
} // namespace

TerminationSignals::TerminationSignals(QObject *parent)
    : QObject(parent)
{
    Q_ASSERT_X(writeSocket == -1, "TerminationSignals", "one instance at a time");
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, m_sockets) != 0) {
        qCWarning(lcTermination) << "no socket pair: SIGTERM, SIGINT and SIGHUP end Presently without telling the server";
        return;
    }
    writeSocket = m_sockets[1];
    m_notifier = new QSocketNotifier(m_sockets[0], QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &TerminationSignals::onReadable);
    setAction(onSignal);
}

TerminationSignals::~TerminationSignals()
{
    if (!isWatching())
        return;
    setAction(SIG_DFL);
    writeSocket = -1;
    close(m_sockets[0]);
    close(m_sockets[1]);
}

void TerminationSignals::onReadable()
{
    unsigned char number = 0;
    while (read(m_sockets[0], &number, 1) == 1) {
        qCInfo(lcTermination).noquote() << "received" << strsignal(number);
        Q_EMIT terminationRequested(number);
    }
}
