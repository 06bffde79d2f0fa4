#pragma once

#include "presence/IdleSource.h"

// Idle time from the X server's MIT-SCREEN-SAVER extension (XScreenSaverQueryInfo): every X11 session has it,
// whatever the desktop. Unavailable on Wayland or without the extension.
class X11IdleSource : public IdleSource {
    Q_OBJECT
public:
    using IdleSource::IdleSource;
    QString name() const override { return QStringLiteral("X11 screen saver extension"); }
    void query() override;
};
