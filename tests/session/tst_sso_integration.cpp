// Single sign-on end to end against the `synapse_sso` fixture: the stock Synapse with two OpenID Connect providers
// (oidc-provider on 127.0.0.1, tests/homeserver/oidc/provider.mjs). The test plays the person's browser
// (TestBrowser): it takes the URL SignIn opens, signs in at the provider, approves, continues on Synapse's stock
// confirmation page, and so reaches SignIn's loopback listener, as a browser would.
#include "session/SignIn.h"
#include "TestBrowser.h"
#include "TestHomeserver.h"

#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>
#include <QUrlQuery>

using namespace Qt::Literals::StringLiterals;

namespace {

constexpr int waitMs = 30'000;

// The listener's address, from the redirectUrl in the URL SignIn opened.
QUrl redirectUrlOf(const QUrl &opened)
{
    return QUrl(QUrlQuery(opened).queryItemValue(u"redirectUrl"_s, QUrl::FullyDecoded));
}

bool acceptsConnections(const QUrl &listener)
{
    QTcpSocket socket;
    socket.connectToHost(u"127.0.0.1"_s, static_cast<quint16>(listener.port()));
    return socket.waitForConnected(5'000);
}

// One single sign-on as SignIn starts it, up to the URL it opened in the "browser".
struct SsoAttempt {
    OpenedUrls browserWindow;
    SignIn signIn;
    QSignalSpy succeeded{&signIn, &SignIn::succeeded};
    QSignalSpy failed{&signIn, &SignIn::failed};
    QUrl opened;

    bool start(const QUrl &server, const QString &idpId, const QString &deviceId = {})
    {
        signIn.startSso(server.toString(), idpId, deviceId);
        opened = browserWindow.waitForNext();
        return opened.isValid();
    }
    QUrl listener() const { return redirectUrlOf(opened); }
    bool waitForSuccess() { return succeeded.size() == 1 || succeeded.wait(waitMs); }
    LoginSession session() const { return succeeded.first().first().value<LoginSession>(); }
};

} // namespace

class SsoIntegrationTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_server.isValid(), qPrintable(m_server.problem()));
    }

    void signsInThroughProviderOne()
    {
        SsoAttempt sso;
        QVERIFY(sso.start(m_server.baseUrl(), u"oidc-one"_s));
        QCOMPARE(sso.opened.path(), u"/_matrix/client/v3/login/sso/redirect/oidc-one"_s);
        const QUrl listener = sso.listener();
        QCOMPARE(listener.host(), u"127.0.0.1"_s);
        QCOMPARE(QUrlQuery(listener).queryItemValue(u"state"_s).size(), 32);

        TestBrowser browser;
        const TestBrowser::Page last = browser.signIn(sso.opened, u"alice"_s);
        QCOMPARE(last.status, 200);
        QVERIFY2(last.body.contains("Signed in to Presently"), last.body.constData());
        // As a person: the provider's login and consent pages, then Synapse's stock confirmation.
        QVERIFY2(browser.titlesSeen().contains(u"Continue to your account"_s),
                 qPrintable(browser.titlesSeen().join(u" | "_s)));
        QVERIFY(sso.waitForSuccess());
        QVERIFY(sso.failed.isEmpty());

        const LoginSession session = sso.session();
        QVERIFY2(session.userId.startsWith(u"@alice"_s), qPrintable(session.userId));
        TestUser alice(m_server.baseUrl(), session);
        const TestUser::Reply whoami = alice.request("GET", u"/_matrix/client/v3/account/whoami"_s);
        QVERIFY(whoami.ok());
        QCOMPARE(whoami.body.value("user_id"_L1).toString(), session.userId);
        QCOMPARE(whoami.body.value("device_id"_L1).toString(), session.deviceId);
        // The name the provider gave (Synapse's display_name_template).
        const TestUser::Reply profile =
            alice.request("GET", u"/_matrix/client/v3/profile/%1"_s.arg(encodedSegment(session.userId)));
        QCOMPARE(profile.body.value("displayname"_L1).toString(), u"Alice"_s);
        QVERIFY2(!acceptsConnections(listener), "the listener still listens after the sign-in");
    }

    // The same person at two providers is two accounts on the server (each provider's subject maps to its own).
    void twoProvidersSignInAsTwoAccounts()
    {
        SignIn flowsReader;
        QSignalSpy flowsFetched(&flowsReader, &SignIn::flowsFetched);
        flowsReader.fetchFlows(m_server.baseUrl().toString());
        QVERIFY(flowsFetched.wait(waitMs));
        const LoginFlows flows = flowsFetched.first().first().value<LoginFlows>();
        QVERIFY(flows.password);
        QVERIFY(flows.supportsSso());
        QCOMPARE(flows.identityProviders.size(), 2);
        QCOMPARE(flows.identityProviders.at(0).name, u"Provider One"_s);
        QCOMPARE(flows.identityProviders.at(1).id, u"oidc-two"_s);
        QVERIFY(flows.identityProviders.at(1).icon.startsWith(u"mxc://"_s));

        const LoginSession one = signInThrough(u"oidc-one"_s, u"carol"_s);
        const LoginSession two = signInThrough(u"oidc-two"_s, u"carol"_s);
        QVERIFY(!one.userId.isEmpty() && !two.userId.isEmpty());
        QVERIFY2(one.userId != two.userId, qPrintable(one.userId));
        QVERIFY(two.userId.startsWith(u"@carol"_s));
    }

    // The person gives up at the provider: Synapse shows its error page, nothing reaches the listener, which keeps
    // waiting until the person cancels in Presently; then it is closed.
    void aCancelledSignInReachesNothingAndCancelClosesTheListener()
    {
        SsoAttempt sso;
        QVERIFY(sso.start(m_server.baseUrl(), u"oidc-two"_s));
        const QUrl listener = sso.listener();

        TestBrowser browser;
        const TestBrowser::Page page = browser.abortSignIn(sso.opened);
        QCOMPARE(page.status, 400);
        QVERIFY2(page.body.contains("Authentication failed"), page.body.constData());
        QVERIFY(page.url.port() != listener.port());
        QVERIFY(acceptsConnections(listener));
        QVERIFY(sso.succeeded.isEmpty() && sso.failed.isEmpty());

        sso.signIn.cancel();
        QVERIFY(!acceptsConnections(listener));
        QVERIFY(sso.succeeded.isEmpty() && sso.failed.isEmpty());
    }

    void aBrowserThatNeverComesBackTimesOut()
    {
        SsoAttempt sso;
        sso.signIn.setSsoTimeout(1'500);
        QVERIFY(sso.start(m_server.baseUrl(), u"oidc-one"_s));
        QVERIFY(sso.failed.wait(waitMs));
        QVERIFY2(sso.failed.first().first().toString().contains(u"did not come back"_s),
                 qPrintable(sso.failed.first().first().toString()));
        QVERIFY(!acceptsConnections(sso.listener()));
    }

    // Anyone on this computer can reach the listener's port; without the state SignIn put in the redirect URL a
    // request is refused (400) and no token is sent to the server, and the real sign-in still succeeds after.
    void aForgedRedirectWithoutTheStateIsRefusedAndTheRealOneSucceeds()
    {
        SsoAttempt sso;
        QVERIFY(sso.start(m_server.baseUrl(), u"oidc-one"_s));
        const QUrl listener = sso.listener();

        TestBrowser forger;
        for (const QString &query : {u"loginToken=syl_forged"_s, u"state=0123456789abcdef0123456789abcdef&loginToken=syl_forged"_s}) {
            QUrl forged = listener;
            forged.setQuery(query);
            const TestBrowser::Page page = forger.get(forged);
            QCOMPARE(page.status, 400);
        }
        QVERIFY(sso.succeeded.isEmpty() && sso.failed.isEmpty());

        TestBrowser browser;
        const TestBrowser::Page last = browser.signIn(sso.opened, u"alice"_s);
        QCOMPARE(last.status, 200);
        // Had a forged token gone to the server, it would have been refused and the sign-in failed.
        QVERIFY(sso.waitForSuccess());
        QVERIFY(sso.failed.isEmpty());
        QVERIFY(sso.session().userId.startsWith(u"@alice"_s));
    }

    // A token the server does not know (expired, used already) reaching the listener with the right state: the
    // server refuses it, and the person is told to sign in again, not that a password was wrong.
    void aTokenTheServerRefusesIsSaidToBeSo()
    {
        SsoAttempt sso;
        QVERIFY(sso.start(m_server.baseUrl(), u"oidc-one"_s));
        QUrl stale = sso.listener();
        QUrlQuery query(stale);
        query.addQueryItem(u"loginToken"_s, u"syl_expired"_s);
        stale.setQuery(query);
        QCOMPARE(TestBrowser().get(stale).status, 200);
        QVERIFY(sso.failed.wait(waitMs));
        const QString message = sso.failed.first().first().toString();
        QVERIFY2(message.contains(u"refused the sign-in the browser brought back"_s), qPrintable(message));
        QVERIFY(sso.succeeded.isEmpty());
    }

    // After a soft logout the same device signs in again through the browser (device_id on m.login.token).
    void signingInAgainThroughSsoKeepsTheDevice()
    {
        const LoginSession first = signInThrough(u"oidc-one"_s, u"bob"_s);
        QVERIFY(!first.deviceId.isEmpty());
        const LoginSession again = signInThrough(u"oidc-one"_s, u"bob"_s, first.deviceId);
        QCOMPARE(again.userId, first.userId);
        QCOMPARE(again.deviceId, first.deviceId);
        QVERIFY(again.accessToken != first.accessToken);
    }

private:
    LoginSession signInThrough(const QString &idpId, const QString &login, const QString &deviceId = {})
    {
        SsoAttempt sso;
        TestBrowser browser;
        if (!sso.start(m_server.baseUrl(), idpId, deviceId) || browser.signIn(sso.opened, login).status != 200
            || !sso.waitForSuccess())
            return {};
        return sso.session();
    }

    TestHomeserver m_server;
};

QTEST_MAIN(SsoIntegrationTest)
#include "tst_sso_integration.moc"
