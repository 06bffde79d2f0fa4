// Presently: a Matrix presence roster. See README.md.
#include "control/ControlClient.h"
#include "control/ControlCommandLine.h"
#include "control/ControlServer.h"
#include "desktop/TerminationSignals.h"
#include "app/PresentlyApp.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QEventLoop>
#include <QFile>
#include <QIcon>

using namespace Qt::Literals::StringLiterals;

namespace {

void describeApplication()
{
    QCoreApplication::setApplicationName(u"presently"_s);
    QCoreApplication::setOrganizationName(u"presently"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(PRESENTLY_VERSION));
}

struct CommandLine {
    QCommandLineParser parser;
    QCommandLineOption homeserver{u"homeserver"_s, u"Sign in to this homeserver (name or URL)."_s, u"server"_s};
    QCommandLineOption user{u"user"_s, u"Sign in as this user."_s, u"user"_s};
    QCommandLineOption passwordFile{u"password-file"_s,
        u"Read the password from this file (kept out of the process list); with --homeserver and --user."_s, u"file"_s};
    ControlCommandLine control;

    CommandLine()
    {
        parser.setApplicationDescription(u"A Matrix presence roster: who is around, and whether you are."_s);
        parser.addHelpOption();
        parser.addVersionOption();
        parser.addOptions({homeserver, user, passwordFile});
        control.addOptionsTo(parser);
    }

    bool signsInDirectly() const
    {
        return parser.isSet(homeserver) && parser.isSet(user) && parser.isSet(passwordFile);
    }
};

} // namespace

int main(int argc, char *argv[])
{
    // --help, --version and the options that only talk to a running instance need no display (a status bar
    // script, a shell over ssh): they run under a QCoreApplication, and the windows get a QApplication only
    // when they are wanted. Qt's own window options (-platform, -qwindowgeometry...) are the QApplication's to
    // take, so unknown options are not an error until then.
    {
        QCoreApplication core(argc, argv);
        describeApplication();
        CommandLine early;
        const bool parsed = early.parser.parse(QCoreApplication::arguments());  // unknown ones may be Qt's
        // Without any display a QApplication could not even start to say an option is wrong: say it here.
        const bool noDisplay = qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY")
                               && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM");
        if ((!parsed && noDisplay) || early.parser.isSet(u"help"_s) || early.parser.isSet(u"version"_s)
            || early.control.isRequested(early.parser)) {
            early.parser.process(core);  // prints help or version and exits, or exits on a bad option
            return early.control.run(early.parser);
        }
        // One instance per session: starting again shows the running one. A direct sign-in (the demo) is an
        // instance of its own, scriptable only when no other one holds the control socket.
        if (!early.signsInDirectly() && ControlClient().showRunningInstance())
            return 0;
    }

    QApplication app(argc, argv);
    describeApplication();
    CommandLine commandLine;
    commandLine.parser.process(app);
    QApplication::setApplicationDisplayName(u"Presently"_s);
    QApplication::setDesktopFileName(u"io.github.presently.Presently"_s);
    QApplication::setWindowIcon(QIcon::fromTheme(u"io.github.presently.Presently"_s, QIcon(u":/icons/io.github.presently.Presently.svg"_s)));
    QApplication::setQuitOnLastWindowClosed(false);  // the tray keeps running; PresentlyApp decides

    PresentlyApp presently;
    if (!presently.controlServer()->listen())
        qWarning("not scriptable: %s", qPrintable(presently.controlServer()->problem()));
    QObject::connect(&presently, &PresentlyApp::finished, &app, &QCoreApplication::quit, Qt::QueuedConnection);
    // kill, Ctrl+C, a closed terminal and the session's end quit as the menu does: others see you offline.
    TerminationSignals termination;
    QObject::connect(&termination, &TerminationSignals::terminationRequested, &presently, &PresentlyApp::quit);
    // Logging out asks for the data to be saved first: there is none to save, nothing to ask, only offline to
    // publish before the session ends. The session manager ends this process (its Die) once every client has
    // answered, and Qt answers when this returns: so it returns once offline is out, or quitting gave up (at
    // most PresentlyApp's quit limits). Qt does not say whether the save is for a logout or a checkpoint
    // (rare: a session saved by hand); Presently quits for both, as it did before.
    QObject::connect(&app, &QGuiApplication::commitDataRequest, &presently, [&presently] {
        QEventLoop untilFinished;
        QObject::connect(&presently, &PresentlyApp::finished, &untilFinished, &QEventLoop::quit);
        presently.quit();
        if (!presently.isFinished())
            untilFinished.exec();
    });
    if (commandLine.signsInDirectly()) {
        QFile file(commandLine.parser.value(commandLine.passwordFile));
        if (!file.open(QIODevice::ReadOnly)) {
            qCritical("cannot read the password file: %s", qPrintable(file.errorString()));
            return 2;
        }
        presently.startWithPassword(commandLine.parser.value(commandLine.homeserver),
                                    commandLine.parser.value(commandLine.user), QString::fromUtf8(file.readAll()).trimmed());
    } else {
        presently.start();
    }
    return QApplication::exec();
}
