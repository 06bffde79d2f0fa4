#pragma once

#include "control/ControlProtocol.h"

#include <QCommandLineOption>
#include <QCoreApplication>

class QCommandLineParser;

// The options with which `presently` controls the running instance instead of starting one: --presence,
// --status, --get, --roster [--json] and --watch, and the one request they make. Usage errors are found
// here, before anything is sent.
class ControlCommandLine {
    Q_DECLARE_TR_FUNCTIONS(ControlCommandLine)
public:
    struct Parsed {
        std::optional<ControlProtocol::Request> request;  // none: usageError says why
        bool asTable = false;                             // --roster without --json
        QString usageError;
    };

    ControlCommandLine();

    void addOptionsTo(QCommandLineParser &parser) const;
    // Whether any of the options was given: then `presently` talks to the running instance and exits.
    bool isRequested(const QCommandLineParser &parser) const;
    Parsed parse(const QCommandLineParser &parser) const;
    // Parses, sends and prints; the exit code (ControlClient::ExitCode).
    int run(const QCommandLineParser &parser) const;

private:
    QCommandLineOption m_presence;
    QCommandLineOption m_status;
    QCommandLineOption m_get;
    QCommandLineOption m_roster;
    QCommandLineOption m_json;
    QCommandLineOption m_watch;
    QCommandLineOption m_invite;
};
