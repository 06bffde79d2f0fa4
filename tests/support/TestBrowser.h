#pragma once

#include <QList>
#include <QNetworkAccessManager>
#include <QObject>
#include <QStringList>
#include <QUrl>

// Stands in for the desktop's web browser: while it lives, every http(s) URL the app opens through
// QDesktopServices lands in urls() instead.
class OpenedUrls : public QObject {
    Q_OBJECT
public:
    OpenedUrls();
    ~OpenedUrls() override;
    const QList<QUrl> &urls() const { return m_urls; }
    // Waits for the next URL opened from now on; invalid if none came within `timeoutMs`.
    QUrl waitForNext(int timeoutMs = 30'000);

public Q_SLOTS:
    void openUrl(const QUrl &url) { m_urls.append(url); }

private:
    QList<QUrl> m_urls;
};

// Plays a person's web browser through a single sign-on against the real Synapse and OpenID provider of the
// `synapse_sso` fixture (tests/homeserver/oidc/provider.mjs): follows redirects by hand, keeps cookies (Secure
// ones too over http on 127.0.0.1, as browsers do for loopback), fills in the provider's login and consent forms
// and clicks Synapse's "Continue to your account" link.
class TestBrowser {
public:
    struct Page {
        int status = 0;
        QUrl url;
        QByteArray body;
    };

    TestBrowser();

    // A GET, following redirects.
    Page get(const QUrl &url);
    // From the URL Presently opened to the page Presently's listener answers: signs in at the provider as `login`
    // (any password), approves the consent when asked, continues on Synapse's confirmation page. On the way, a
    // page that is not what a sign-in shows ends the walk and is returned.
    Page signIn(const QUrl &start, const QString &login);
    // From the URL Presently opened, the provider's "abort" instead of signing in: Synapse's answer to that.
    Page abortSignIn(const QUrl &start);
    // The <title> of every page shown so far, in order: what a person would have seen.
    const QStringList &titlesSeen() const { return m_titles; }

private:
    Page send(const QUrl &url, const QByteArray &form);
    Page follow(Page page);
    // The action of the provider's interaction form on `page`, resolved; invalid when there is none.
    static QUrl formAction(const Page &page);

    QNetworkAccessManager m_network;
    QStringList m_titles;
};
