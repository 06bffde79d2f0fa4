// MxcUri::parse() on arbitrary bytes read as UTF-8. A URI it accepts is exactly what toString() writes back,
// and that parses to the same parts: nothing else (a trailing newline, a path, a query) can slip through to a
// media request.
#include "matrix/MatrixTypes.h"

#include <cstdint>
#include <cstdio>

using namespace Qt::Literals::StringLiterals;

namespace {

void checkRoundTrip(const QString &uri)
{
    const std::optional<MxcUri> parsed = MxcUri::parse(uri);
    if (!parsed)
        return;
    const QString written = parsed->toString();
    const std::optional<MxcUri> reparsed = MxcUri::parse(written);
    if (written != uri || !reparsed || reparsed->serverName != parsed->serverName
        || reparsed->mediaId != parsed->mediaId) {
        std::fprintf(stderr, "accepted %s, written back as %s\n", qPrintable(uri), qPrintable(written));
        __builtin_trap();
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString input = QString::fromUtf8(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    checkRoundTrip(input);
    // The matching happens in PCRE2, which libFuzzer does not see, so coverage cannot lead mutations to the
    // scheme: the input after it gets the server name and media ID grammar tried directly.
    checkRoundTrip(u"mxc://"_s + input);
    return 0;
}
