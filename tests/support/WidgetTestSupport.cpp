#include "WidgetTestSupport.h"

#include "session/SessionStore.h"
#include "TestHomeserver.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonObject>
#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::Literals::StringLiterals;

namespace WidgetTest {

void useHome(const QTemporaryDir &home)
{
    QVERIFY(home.isValid());
    for (const char *variable : {"XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"})
        qputenv(variable, QFile::encodeName(home.filePath(QString::fromLatin1(variable))));
    QVERIFY(QSettings().fileName().startsWith(home.path()));
    QVERIFY(SessionStore::tokenFilePath().startsWith(home.path()));
}

QString screenshotPath(const QString &name)
{
    const QString dir = qEnvironmentVariable("PRESENTLY_SCREENSHOT_DIR", QDir::currentPath() + u"/screenshots"_s);
    QDir().mkpath(dir);
    return u"%1/%2@%3x.png"_s.arg(dir, name, qEnvironmentVariable("QT_SCALE_FACTOR", u"1"_s));
}

void saveScreenshot(QWidget *widget, const QString &name)
{
    // What a person would see: layouts settled after the last change (they are redone from posted events).
    QCoreApplication::sendPostedEvents();
    QCoreApplication::processEvents();
    const QString path = screenshotPath(name);
    QVERIFY2(widget->grab().save(path), qPrintable(path));
}

QString presenceOnServer(TestUser &observer, const QString &userId)
{
    return observer.presenceOf(userId).value("presence"_L1).toString();
}

QString statusOnServer(TestUser &observer, const QString &userId)
{
    return observer.presenceOf(userId).value("status_msg"_L1).toString();
}

QAction *menuAction(QMainWindow *window, const QString &text)
{
    for (QAction *menu : window->menuBar()->actions())
        for (QAction *action : menu->menu()->actions())
            if (action->text() == text)
                return action;
    return nullptr;
}

} // namespace WidgetTest
