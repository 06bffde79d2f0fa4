#include "matrix/MonotonicClock.h"

#include <QElapsedTimer>

MonotonicClock monotonicClock()
{
    QElapsedTimer started;
    started.start();
    return [started] { return started.elapsed(); };
}
