#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <optional>
#include <utility>
#include <variant>

class QNetworkReply;

// Set on a QNetworkReply that the client aborted on purpose, to tell that apart from a transfer timeout.
inline constexpr char cancelledProperty[] = "presently.cancelled";

// Why a request to the homeserver failed, in terms a sync loop and a UI can act on.
struct MatrixError {
    enum class Kind : quint8 {
        Network,   // connection refused, reset, DNS, dropped mid-body
        Timeout,   // the request's own transfer timeout fired, or the body came too slowly
        Tls,       // certificate or handshake failure; never ignored
        Http,      // the server answered with a 4xx/5xx status (errcode/message filled when it sent a Matrix error)
        Protocol,  // the answer is not what the endpoint returns: not HTTP, not JSON, the wrong shape, too large
        Aborted,   // the client cancelled the request
        Input,     // the request was refused before sending (for example a URI that is not mxc://)
        SessionEnded,  // not sent: the access token was revoked (the session ended) and none replaced it yet
    };

    Kind kind = Kind::Network;
    int httpStatus = 0;
    QString errcode;   // M_FORBIDDEN, M_LIMIT_EXCEEDED, ...
    QString message;   // the server's `error` text or a description of the network failure
    // A server asking for a longer wait than this is taken to ask for this: the user can always retry by hand.
    static constexpr qint64 maxRetryAfterMs = 15 * 60 * 1000;

    std::optional<qint64> retryAfterMs;  // from Retry-After (seconds) or retry_after_ms, for 429; at most maxRetryAfterMs
    bool softLogout = false;             // M_UNKNOWN_TOKEN with soft_logout: true

    bool isUnknownToken() const { return errcode == QLatin1String("M_UNKNOWN_TOKEN"); }
    // The access token is no good any more, and retrying cannot change that: an unknown or missing token, a
    // deactivated or locked account. (A locked account comes with soft_logout: it may come back.)
    bool endsSession() const;
    bool isRateLimited() const { return httpStatus == 429 || errcode == QLatin1String("M_LIMIT_EXCEEDED"); }
    // Worth trying again later without user action: network trouble, timeouts, 5xx and 429.
    bool isTransient() const;
    // One line for logs and status text; never contains request headers, so never a token.
    QString describe() const;

    static MatrixError fromReply(QNetworkReply *reply, const QByteArray &body);
    // The request failed below HTTP (no answer, or the connection failed after the headers): kind from Qt's error.
    static MatrixError transportFailure(QNetworkReply *reply);
    // An HTTP error answer from what the server sent: the status, the body (a Matrix error object, or anything
    // else a proxy puts there) and the Retry-After header's text (empty when absent). Pure, for the fuzz target.
    static MatrixError fromHttpBody(int httpStatus, const QByteArray &body, QByteArrayView retryAfterHeader);
    static MatrixError protocol(const QString &what);
    static MatrixError timeout(const QString &what);
    static MatrixError input(const QString &what);
    static MatrixError sessionEnded();
    // The request did not fail on its own account: the client cancelled it or the session ended first. Not a
    // reason to think less of the resource it asked for.
    bool isWithdrawn() const { return kind == Kind::Aborted || kind == Kind::SessionEnded; }
};

// The outcome of one typed request: the value, or why there is none.
template <typename T>
class Result {
public:
    Result(T value) : m_state(std::move(value)) {}  // NOLINT(google-explicit-constructor): reads like a return value
    Result(MatrixError error) : m_state(std::move(error)) {}  // NOLINT(google-explicit-constructor)

    bool ok() const { return std::holds_alternative<T>(m_state); }
    explicit operator bool() const { return ok(); }
    const T &value() const { return std::get<T>(m_state); }
    T &value() { return std::get<T>(m_state); }
    const MatrixError &error() const { return std::get<MatrixError>(m_state); }

private:
    std::variant<T, MatrixError> m_state;
};

// The value of a request whose success carries nothing (logout, PUT presence, ...).
struct Done {};
