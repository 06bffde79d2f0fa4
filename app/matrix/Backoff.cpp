#include "matrix/Backoff.h"

#include <algorithm>
#include <cmath>

int Backoff::delayMs(int attempt, double unitRandom) const
{
    const double exponential = initialMs * std::pow(2.0, std::clamp(attempt, 0, 30));
    const double capped = std::min<double>(exponential, maxMs);
    const double jittered = capped / 2 + (capped / 2) * std::clamp(unitRandom, 0.0, 1.0);
    return static_cast<int>(std::lround(jittered));
}
