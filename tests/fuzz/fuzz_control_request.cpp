// The control socket's request parser on arbitrary bytes, cut into lines as ControlServer::readRequests() cuts
// what a client sends (each line with its newline; an unfinished last line waits for more and is not parsed).
// Every line gives a request or an error to answer with, and a request survives being written and read again.
#include "control/ControlRequest.h"

#include <QByteArray>

#include <cstdint>
#include <cstdio>

namespace {

void check(bool condition, const char *what, QByteArrayView line)
{
    if (condition)
        return;
    std::fprintf(stderr, "%s: %.*s\n", what, static_cast<int>(line.size()), line.data());
    __builtin_trap();
}

void parseOneLine(QByteArrayView line)
{
    const ControlProtocol::ParsedRequest parsed = ControlProtocol::parseRequest(line);
    check(parsed.request.has_value() == parsed.error.isEmpty(), "a request and an error, or neither", line);
    if (!parsed.request)
        return;
    check(parsed.request->command != ControlProtocol::Command::Invite || ControlProtocol::isUserId(parsed.request->userId),
          "an invite whose user_id is no Matrix ID", line);
    const QByteArray written = ControlProtocol::requestLine(*parsed.request);
    const ControlProtocol::ParsedRequest reread = ControlProtocol::parseRequest(written);
    check(reread.request == parsed.request, "the request written again reads otherwise", line);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    QByteArrayView rest(data, static_cast<qsizetype>(size));
    // No cap at ControlServer::maxRequestBytes: the server refuses a longer line before parsing it, but the parser
    // must be safe whatever the length.
    for (qsizetype end = rest.indexOf('\n'); end >= 0; end = rest.indexOf('\n')) {
        parseOneLine(rest.first(end + 1));
        rest = rest.sliced(end + 1);
    }
    return 0;
}
