#pragma once

#include <QObject>

// Tells how long the user has not touched the machine. Asked with query(); answers with idleTime(), or with
// unavailable() when it cannot tell here (no such D-Bus service, not an X11 session), after which it is not
// asked again. Answers may come at once or later (D-Bus calls are asynchronous).
class IdleSource : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;
    // For the log: which source ended up answering.
    virtual QString name() const = 0;
    virtual void query() = 0;

Q_SIGNALS:
    void idleTime(qint64 idleMs);
    void unavailable();
};
