#include "TestBrowser.h"

#include <QDesktopServices>
#include <QNetworkCookie>
#include <QNetworkCookieJar>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::Literals::StringLiterals;

namespace {

// Synapse sets its OIDC session cookies `Secure` on plain http; QNetworkCookieJar sends those only over https,
// browsers also over http to loopback (docs/research/issue-10.md, A4).
class LoopbackCookieJar : public QNetworkCookieJar {
public:
    using QNetworkCookieJar::QNetworkCookieJar;

    QList<QNetworkCookie> cookiesForUrl(const QUrl &url) const override
    {
        QList<QNetworkCookie> cookies;
        const QDateTime now = QDateTime::currentDateTimeUtc();
        for (const QNetworkCookie &cookie : allCookies()) {
            const bool domain = cookie.domain().isEmpty() || cookie.domain() == url.host()
                || cookie.domain() == u'.' + url.host();
            const bool path = url.path().startsWith(cookie.path().isEmpty() ? u"/"_s : cookie.path());
            if (domain && path && (cookie.isSessionCookie() || cookie.expirationDate() > now))
                cookies.append(cookie);
        }
        return cookies;
    }
};

} // namespace

OpenedUrls::OpenedUrls()
{
    QDesktopServices::setUrlHandler(u"http"_s, this, "openUrl");
    QDesktopServices::setUrlHandler(u"https"_s, this, "openUrl");
}

OpenedUrls::~OpenedUrls()
{
    QDesktopServices::unsetUrlHandler(u"http"_s);
    QDesktopServices::unsetUrlHandler(u"https"_s);
}

QUrl OpenedUrls::waitForNext(int timeoutMs)
{
    const qsizetype before = m_urls.size();
    if (!QTest::qWaitFor([&] { return m_urls.size() > before; }, timeoutMs))
        return {};
    return m_urls.at(before);
}

TestBrowser::TestBrowser()
{
    m_network.setCookieJar(new LoopbackCookieJar(&m_network));
    m_network.setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
}

TestBrowser::Page TestBrowser::send(const QUrl &url, const QByteArray &form)
{
    QNetworkRequest request(url);
    request.setTransferTimeout(30'000);
    QNetworkReply *reply = nullptr;
    if (form.isNull()) {
        reply = m_network.get(request);
    } else {
        request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/x-www-form-urlencoded"_s);
        reply = m_network.post(request, form);
    }
    QSignalSpy finished(reply, &QNetworkReply::finished);
    if (!reply->isFinished())
        finished.wait(30'000);
    Page page{reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), url, reply->readAll()};
    const QByteArray location = reply->rawHeader("Location");
    if (page.status >= 300 && page.status < 400 && !location.isEmpty())
        page.url = url.resolved(QUrl::fromEncoded(location));  // where it leads; follow() goes there
    reply->deleteLater();
    static const QRegularExpression title(u"<title>([^<]*)</title>"_s);
    const QRegularExpressionMatch match = title.match(QString::fromUtf8(page.body));
    if (match.hasMatch())
        m_titles.append(match.captured(1).trimmed());
    return page;
}

TestBrowser::Page TestBrowser::follow(Page page)
{
    for (int hops = 0; page.status >= 300 && page.status < 400 && hops < 20; ++hops)
        page = send(page.url, {});  // after a POST, 302 and 303 mean GET
    return page;
}

TestBrowser::Page TestBrowser::get(const QUrl &url)
{
    return follow(send(url, {}));
}

QUrl TestBrowser::formAction(const Page &page)
{
    static const QRegularExpression action(u"<form[^>]*action=\"([^\"]+)\""_s);
    const QRegularExpressionMatch match = action.match(QString::fromUtf8(page.body));
    return match.hasMatch() ? page.url.resolved(QUrl(match.captured(1))) : QUrl();
}

TestBrowser::Page TestBrowser::signIn(const QUrl &start, const QString &login)
{
    Page page = get(start);
    const QUrl loginForm = formAction(page);
    if (!page.body.contains("value=\"login\"") || !loginForm.isValid())
        return page;
    page = follow(send(loginForm, "prompt=login&login=" + QUrl::toPercentEncoding(login) + "&password=anything"));
    // A fresh session at the provider asks for consent once.
    if (page.body.contains("value=\"consent\"")) {
        const QUrl consentForm = formAction(page);
        if (!consentForm.isValid())
            return page;
        page = follow(send(consentForm, "prompt=consent"));
    }
    // Synapse's confirmation page: "Continue to your account" with a link back to the client.
    static const QRegularExpression continueLink(u"<a href=\"([^\"]+)\"[^>]*class=\"primary-button\""_s);
    const QRegularExpressionMatch link = continueLink.match(QString::fromUtf8(page.body));
    if (!link.hasMatch())
        return page;
    QString href = link.captured(1);
    href.replace(u"&amp;"_s, u"&"_s);
    return send(QUrl::fromEncoded(href.toUtf8()), {});  // the client's listener: no redirect to follow
}

TestBrowser::Page TestBrowser::abortSignIn(const QUrl &start)
{
    const Page page = get(start);
    const QUrl loginForm = formAction(page);
    if (!loginForm.isValid())
        return page;
    // oidc-provider's development pages offer "[ Cancel ]" as <interaction>/abort.
    return get(QUrl(loginForm.toString() + u"/abort"_s));
}
