#pragma once

#include "control/ControlProtocol.h"

#include <QCoreApplication>
#include <QLocalSocket>

// The command-line end of the control socket: sends one request to the running instance and prints its
// answer for a script (JSON on stdout) or a person (the roster table), problems on stderr. Blocking, with
// no event loop: it runs before and instead of the window.
class ControlClient {
    Q_DECLARE_TR_FUNCTIONS(ControlClient)
public:
    // The exit codes of `presently` with a control option (README.md, "Scripting").
    enum ExitCode : int {
        Success = 0,
        InstanceError = 1,  // the instance answered with an error, or not at all
        UsageError = 2,     // the options make no request (ControlCommandLine)
        NotRunning = 3,     // no instance listens (or, for --watch, it went away)
    };
    // How long the instance may take to answer.
    static constexpr int replyTimeoutMs = 10'000;

    explicit ControlClient(const QString &socketPath = ControlProtocol::socketPath());

    // What `presently` prints for the instance's answer and exits with.
    struct Output {
        QByteArray standardOutput;
        QByteArray standardError;
        ExitCode exitCode = Success;
    };

    // Sends `request` and prints the answer; --watch prints events until the instance goes away.
    // `asTable`: print a roster as a table for people rather than JSON.
    int run(const ControlProtocol::Request &request, bool asTable = false);
    // The second start of `presently`: asks a running instance to show its window. False when none runs.
    bool showRunningInstance();

    // The roster for people: presence, name, user ID, last active and status, in the window's order
    // (ContactOrder: the most reachable first).
    // Text from the network is printed as plain characters; control characters (a terminal's escape
    // sequences) are replaced.
    static QString rosterTable(const QJsonArray &roster, qint64 nowMs);
    // The answer line to `command`, for people and scripts: an error on stderr (InstanceError), for --get and
    // --roster the answer on stdout (with `asTable`, the roster as rosterTable()). Pure, so that the fuzz target
    // (tests/fuzz/fuzz_control_answer) reads any line the socket could bring.
    static Output answerOutput(ControlProtocol::Command command, const QByteArray &answer, bool asTable, qint64 nowMs);

private:
    // False when no instance listens.
    bool sendToInstance(const ControlProtocol::Request &request);
    // The next line the instance writes; nullopt when it goes away or the wait runs out.
    std::optional<QByteArray> readLine(int timeoutMs);
    int streamEvents();

    QString m_socketPath;
    QLocalSocket m_socket;
};
