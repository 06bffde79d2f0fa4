#pragma once

#include <QApplication>
#include <QString>
#include <QWidget>

class QAction;
class QMainWindow;
class QTemporaryDir;
class TestUser;

// What the widget tests share: a private home per run, finding the window a person would look at, and
// saving what was on screen for people to look at.
namespace WidgetTest {

// Points settings, the token file and the media cache into `home`, so a run starts signed out as a new user
// does and parallel runs do not see each other. Call before anything reads QSettings or QStandardPaths.
void useHome(const QTemporaryDir &home);

// Saves the widget as <PRESENTLY_SCREENSHOT_DIR>/<name>@<scale>x.png; the scale is QT_SCALE_FACTOR.
void saveScreenshot(QWidget *widget, const QString &name);
QString screenshotPath(const QString &name);

// The presence (and status message) of `userId` as the server tells `observer`.
QString presenceOnServer(TestUser &observer, const QString &userId);
QString statusOnServer(TestUser &observer, const QString &userId);

// The action called `text` in one of the window's menus, or null.
QAction *menuAction(QMainWindow *window, const QString &text);

template <typename T>
T *visibleTopLevel()
{
    for (QWidget *widget : QApplication::topLevelWidgets())
        if (auto *found = qobject_cast<T *>(widget); found && found->isVisible())
            return found;
    return nullptr;
}

} // namespace WidgetTest
