// The single sign-on listener's request reader (session/SsoCallbackRequest.h) on arbitrary bytes, as a local
// process or a web page could send them to the loopback port. Whatever arrives, the verdict keeps its promises:
// only a complete request with the listener's exact state and a token is accepted; more than the limits is
// dropped, never read further; a refusal says why.
#include "session/SsoCallbackRequest.h"

#include <cstdint>
#include <cstdio>

namespace {

constexpr QByteArrayView state = "0123456789abcdef0123456789abcdef";

void check(bool condition, const char *what)
{
    if (condition)
        return;
    std::fprintf(stderr, "%s\n", what);
    __builtin_trap();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView received(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    const SsoCallbackRequest request = SsoCallbackRequest::read(received, "/sso-callback", state);
    switch (request.verdict) {
    case SsoCallbackRequest::Verdict::Accepted:
        check(!request.loginToken.isEmpty(), "accepted without a token");
        check(received.startsWith("GET /sso-callback?"), "accepted another request");
        // The state decides: the same bytes are refused by a listener with another state.
        check(SsoCallbackRequest::read(received, "/sso-callback", "fedcba9876543210fedcba9876543210").verdict
                  != SsoCallbackRequest::Verdict::Accepted,
              "accepted whatever the state");
        break;
    case SsoCallbackRequest::Verdict::Refused:
    case SsoCallbackRequest::Verdict::TooLarge:
        check(!request.reason.isEmpty() && request.loginToken.isEmpty(), "a refusal without a reason, or with a token");
        break;
    case SsoCallbackRequest::Verdict::Incomplete:
        check(size <= SsoCallbackRequest::maxHeadBytes, "kept reading past the head limit");
        break;
    }
    return 0;
}
