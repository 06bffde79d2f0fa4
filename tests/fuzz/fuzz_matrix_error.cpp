// An HTTP error answer on arbitrary bytes: the input is the Retry-After header's text, a newline, then the
// body. Whatever the server sends, the wait asked for stays within MatrixError::maxRetryAfterMs, and the error
// can be described and classified.
#include "matrix/MatrixError.h"

#include <cstdint>
#include <cstdio>

namespace {

// A spread of the statuses the client tells apart: 4xx, 401/403 (tokens), 429 (rate limit), 5xx.
constexpr int statuses[] = {400, 401, 403, 404, 429, 500, 502, 503};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input(data, static_cast<qsizetype>(size));
    const qsizetype newline = input.indexOf('\n');
    const QByteArrayView header = newline < 0 ? QByteArrayView() : input.first(newline);
    const QByteArray body = (newline < 0 ? input : input.sliced(newline + 1)).toByteArray();
    const int status = statuses[size % std::size(statuses)];

    const MatrixError error = MatrixError::fromHttpBody(status, body, header);
    if (error.kind != MatrixError::Kind::Http || error.httpStatus != status) {
        std::fprintf(stderr, "not an HTTP error with status %d\n", status);
        __builtin_trap();
    }
    if (error.retryAfterMs && (*error.retryAfterMs < 0 || *error.retryAfterMs > MatrixError::maxRetryAfterMs)) {
        std::fprintf(stderr, "retry after %lld ms\n", static_cast<long long>(*error.retryAfterMs));
        __builtin_trap();
    }
    if (error.describe().isEmpty())
        __builtin_trap();
    (void)error.isTransient();
    (void)error.endsSession();
    return 0;
}
