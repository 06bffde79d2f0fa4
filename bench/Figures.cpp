#include "Figures.h"

#include <cstdio>

namespace Figures {

void print(const char *name, double value, const char *format)
{
    std::printf("%s: ", name);
    std::printf(format, value);
    std::printf("\n");
    std::fflush(stdout);
}

void print(const char *name, const char *text)
{
    std::printf("%s: %s\n", name, text);
    std::fflush(stdout);
}

} // namespace Figures
