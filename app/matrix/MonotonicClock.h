#pragma once

#include <QtGlobal>

#include <functional>

// Milliseconds on a clock that never goes back, for measuring how long ago something happened. Classes take
// one so tests can move time by hand; monotonicClock() is the real one.
using MonotonicClock = std::function<qint64()>;

MonotonicClock monotonicClock();

// `clock` if the caller gave one, else the real clock.
inline MonotonicClock orMonotonicClock(MonotonicClock clock)
{
    return clock ? std::move(clock) : monotonicClock();
}
