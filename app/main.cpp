// Presently: a Matrix presence roster. See README.md.
#include "PresentlyApp.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFile>
#include <QIcon>

using namespace Qt::Literals::StringLiterals;

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(u"presently"_s);
    QApplication::setApplicationDisplayName(u"Presently"_s);
    QApplication::setOrganizationName(u"presently"_s);
    QApplication::setApplicationVersion(QStringLiteral(PRESENTLY_VERSION));
    QApplication::setDesktopFileName(u"io.github.presently.Presently"_s);
    QApplication::setWindowIcon(QIcon::fromTheme(u"io.github.presently.Presently"_s, QIcon(u":/icons/io.github.presently.Presently.svg"_s)));
    QApplication::setQuitOnLastWindowClosed(false);  // the tray keeps running; PresentlyApp decides

    QCommandLineParser parser;
    parser.setApplicationDescription(u"A Matrix presence roster: who is around, and whether you are."_s);
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption homeserver(u"homeserver"_s, u"Sign in to this homeserver (name or URL)."_s, u"server"_s);
    const QCommandLineOption user(u"user"_s, u"Sign in as this user."_s, u"user"_s);
    const QCommandLineOption passwordFile(u"password-file"_s,
        u"Read the password from this file (kept out of the process list); with --homeserver and --user."_s, u"file"_s);
    parser.addOptions({homeserver, user, passwordFile});
    parser.process(app);

    PresentlyApp presently;
    QObject::connect(&presently, &PresentlyApp::finished, &app, &QCoreApplication::quit, Qt::QueuedConnection);
    if (parser.isSet(homeserver) && parser.isSet(user) && parser.isSet(passwordFile)) {
        QFile file(parser.value(passwordFile));
        if (!file.open(QIODevice::ReadOnly)) {
            qCritical("cannot read the password file: %s", qPrintable(file.errorString()));
            return 2;
        }
        presently.startWithPassword(parser.value(homeserver), parser.value(user), QString::fromUtf8(file.readAll()).trimmed());
    } else {
        presently.start();
    }
    return QApplication::exec();
}
