#include "session/SsoCallbackRequest.h"

#include <QUrlQuery>

using namespace Qt::Literals::StringLiterals;

namespace {

// The time taken does not depend on where a wrong state first differs.
bool sameSecret(QByteArrayView a, QByteArrayView b)
{
    if (a.size() != b.size())
        return false;
    unsigned char difference = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        difference |= static_cast<unsigned char>(a[i] ^ b[i]);
    return difference == 0;
}

SsoCallbackRequest refused(const QString &reason)
{
    return {SsoCallbackRequest::Verdict::Refused, {}, reason};
}

} // namespace

SsoCallbackRequest SsoCallbackRequest::read(QByteArrayView received, QByteArrayView path, QByteArrayView state)
{
    const qsizetype lineEnd = received.indexOf('\n');
    if ((lineEnd < 0 && received.size() > maxRequestLineBytes) || lineEnd > maxRequestLineBytes)
        return {Verdict::TooLarge, {}, u"request line too long"_s};
    qsizetype headEnd = received.indexOf("\r\n\r\n");
    if (headEnd < 0)
        headEnd = received.indexOf("\n\n");
    if (headEnd < 0)
        return received.size() > maxHeadBytes ? SsoCallbackRequest{Verdict::TooLarge, {}, u"request head too large"_s}
                                              : SsoCallbackRequest{};

    QByteArrayView line = received.first(lineEnd);
    if (line.endsWith('\r'))
        line.chop(1);
    const QList<QByteArray> parts = line.toByteArray().split(' ');
    if (parts.size() != 3 || !parts[2].startsWith("HTTP/1."))
        return refused(u"not an HTTP/1 request line"_s);
    if (parts[0] != "GET")
        return refused(u"method is not GET"_s);
    const QByteArray &target = parts[1];
    const qsizetype queryStart = target.indexOf('?');
    if (queryStart < 0 || QByteArrayView(target).first(queryStart) != path)
        return refused(u"not the callback path"_s);

    const QUrlQuery query(QString::fromLatin1(target.mid(queryStart + 1)));
    const QByteArray givenState = query.queryItemValue(u"state"_s, QUrl::FullyDecoded).toLatin1();
    if (state.isEmpty() || !sameSecret(givenState, state))
        return refused(givenState.isEmpty() ? u"no state"_s : u"wrong state"_s);
    const QString token = query.queryItemValue(u"loginToken"_s, QUrl::FullyDecoded);
    if (token.isEmpty())
        return refused(u"no loginToken"_s);
    return {Verdict::Accepted, token, {}};
}
