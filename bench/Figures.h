#pragma once

// The bench programs' output: one `name: value` line per figure, flushed at once so that a long run shows its
// progress and a run cut short keeps what it printed.
namespace Figures {

void print(const char *name, double value, const char *format = "%.1f");
void print(const char *name, const char *text);

} // namespace Figures
