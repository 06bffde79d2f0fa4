#pragma once

#include <QObject>

class QSocketNotifier;

// Turns SIGTERM, SIGINT and SIGHUP (kill, Ctrl+C, a closed terminal; systemd and the session's end send
// SIGTERM) into a Qt signal, so that they can take the same path as Quit instead of ending the process
// before the server is told. The handler only writes the signal's number to a socket pair (all it may safely
// do); the event loop reads it. Only the first one is caught: the handler puts the default action back, so a
// second one ends the process at once, should the polite quit hang.
//
// One instance at a time: a process has one handler per signal.
class TerminationSignals : public QObject {
    Q_OBJECT
public:
    explicit TerminationSignals(QObject *parent = nullptr);
    // Puts the default actions back.
    ~TerminationSignals() override;

    // Whether the handlers are in place (a socket pair could be made).
    bool isWatching() const { return m_notifier != nullptr; }

Q_SIGNALS:
    void terminationRequested(int signalNumber);

private:
    void onReadable();

    int m_sockets[2] = {-1, -1};  // [0] read by the event loop, [1] written by the handler
    QSocketNotifier *m_notifier = nullptr;
};
