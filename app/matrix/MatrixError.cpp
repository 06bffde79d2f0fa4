#include "matrix/MatrixError.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkReply>

using namespace Qt::Literals::StringLiterals;

namespace {

MatrixError::Kind kindOf(QNetworkReply::NetworkError code)
{
    switch (code) {
    case QNetworkReply::OperationCanceledError: return MatrixError::Kind::Aborted;
    case QNetworkReply::TimeoutError: return MatrixError::Kind::Timeout;
    case QNetworkReply::SslHandshakeFailedError: return MatrixError::Kind::Tls;
    // An answer Qt's HTTP reader could not make sense of: the server (or something in between) sent nonsense.
    case QNetworkReply::ProtocolFailure: return MatrixError::Kind::Protocol;
    default: return MatrixError::Kind::Network;
    }
}

std::optional<qint64> retryAfterHeaderMs(QByteArrayView header)
{
    bool ok = false;
    const qint64 seconds = header.trimmed().toLongLong(&ok);
    if (ok && seconds >= 0)
        return qMin(seconds, MatrixError::maxRetryAfterMs / 1000) * 1000;  // clamped before it can overflow
    return std::nullopt;
}

} // namespace

bool MatrixError::endsSession() const
{
    return isUnknownToken() || errcode == "M_MISSING_TOKEN"_L1 || errcode == "M_USER_DEACTIVATED"_L1
        || errcode == "M_USER_LOCKED"_L1;
}

bool MatrixError::isTransient() const
{
    switch (kind) {
    case Kind::Network:
    case Kind::Timeout:
    case Kind::Protocol:  // a proxy's error page or a body that is not what was asked for: the next try usually works
        return true;
    case Kind::Http:
        return httpStatus >= 500 || isRateLimited();
    case Kind::Tls:
    case Kind::Aborted:
    case Kind::Input:
    case Kind::SessionEnded:
        return false;
    }
    return false;
}

QString MatrixError::describe() const
{
    switch (kind) {
    case Kind::Network: return u"network error: %1"_s.arg(message);
    case Kind::Timeout: return u"timed out: %1"_s.arg(message);
    case Kind::Tls: return u"TLS error: %1"_s.arg(message);
    case Kind::Protocol: return u"unexpected response: %1"_s.arg(message);
    case Kind::Aborted: return u"cancelled"_s;
    case Kind::Input: return u"invalid request: %1"_s.arg(message);
    case Kind::SessionEnded: return u"not signed in"_s;
    case Kind::Http: break;
    }
    QString text = u"HTTP %1"_s.arg(httpStatus);
    if (!errcode.isEmpty())
        text += u" "_s + errcode;
    if (!message.isEmpty())
        text += u": "_s + message;
    if (retryAfterMs)
        text += u" (retry after %1 ms)"_s.arg(*retryAfterMs);
    return text;
}

MatrixError MatrixError::fromReply(QNetworkReply *reply, const QByteArray &body)
{
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status == 0)
        return transportFailure(reply);
    MatrixError answer = fromHttpBody(status, body, reply->rawHeader("Retry-After"));
    if (answer.message.isEmpty())
        answer.message = reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString();
    return answer;
}

MatrixError MatrixError::fromHttpBody(int httpStatus, const QByteArray &body, QByteArrayView retryAfterHeader)
{
    MatrixError error;
    error.kind = Kind::Http;
    error.httpStatus = httpStatus;
    const QJsonObject object = QJsonDocument::fromJson(body).object();
    error.errcode = object.value("errcode"_L1).toString();
    error.message = object.value("error"_L1).toString();
    error.softLogout = object.value("soft_logout"_L1).toBool(false);
    // The header is the standard since Matrix 1.10; retry_after_ms is what older servers send.
    error.retryAfterMs = retryAfterHeaderMs(retryAfterHeader);
    if (!error.retryAfterMs && object.value("retry_after_ms"_L1).isDouble())
        error.retryAfterMs = static_cast<qint64>(
            qBound(0.0, object.value("retry_after_ms"_L1).toDouble(), double(maxRetryAfterMs)));
    return error;
}

MatrixError MatrixError::transportFailure(QNetworkReply *reply)
{
    MatrixError error;
    error.kind = kindOf(reply->error());
    // Qt reports a transfer timeout as a cancel; only ApiCall::abort() marks a cancel the client asked for.
    if (error.kind == Kind::Aborted && !reply->property(cancelledProperty).toBool())
        error.kind = Kind::Timeout;
    error.message = reply->errorString();
    return error;
}

MatrixError MatrixError::protocol(const QString &what)
{
    MatrixError error;
    error.kind = Kind::Protocol;
    error.message = what;
    return error;
}

MatrixError MatrixError::timeout(const QString &what)
{
    MatrixError error;
    error.kind = Kind::Timeout;
    error.message = what;
    return error;
}

MatrixError MatrixError::sessionEnded()
{
    MatrixError error;
    error.kind = Kind::SessionEnded;
    return error;
}

MatrixError MatrixError::input(const QString &what)
{
    MatrixError error;
    error.kind = Kind::Input;
    error.message = what;
    return error;
}
