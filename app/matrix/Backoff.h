#pragma once

// How long to wait before the n-th consecutive retry: exponential from `initialMs`, capped at `maxMs`, with
// "equal jitter" (a random part of up to half the delay) so that many clients that lost the same server do
// not come back in step.
struct Backoff {
    int initialMs = 1'000;
    int maxMs = 60'000;

    // attempt: 0 for the first retry. unitRandom: uniform in [0, 1).
    int delayMs(int attempt, double unitRandom) const;
};
