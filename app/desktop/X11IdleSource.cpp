#include "desktop/X11IdleSource.h"

#include <QGuiApplication>

#include <X11/extensions/scrnsaver.h>

void X11IdleSource::query()
{
    const auto *x11 = qGuiApp ? qGuiApp->nativeInterface<QNativeInterface::QX11Application>() : nullptr;
    Display *display = x11 ? x11->display() : nullptr;
    int eventBase = 0;
    int errorBase = 0;
    if (!display || !XScreenSaverQueryExtension(display, &eventBase, &errorBase)) {
        Q_EMIT unavailable();
        return;
    }
    XScreenSaverInfo *info = XScreenSaverAllocInfo();
    const bool ok = info && XScreenSaverQueryInfo(display, DefaultRootWindow(display), info);
    const qint64 idleMs = ok ? static_cast<qint64>(info->idle) : 0;
    XFree(info);
    if (ok)
        Q_EMIT idleTime(idleMs);
    else
        Q_EMIT unavailable();
}
