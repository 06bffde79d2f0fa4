// HomeserverApi against a real Synapse (the stock one, what users run, except where a function says why not):
// every typed request and its result or error.
#include "matrix/HomeserverApi.h"
#include "presence/Presence.h"
#include "matrix/SyncFilter.h"
#include "matrix/SyncLoop.h"
#include "matrix/SyncParser.h"
#include "TestHomeserver.h"

#include <QBuffer>
#include <QImage>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::Literals::StringLiterals;

namespace {

constexpr int waitMs = 30'000;

// Runs one request to completion and returns its result.
template <typename T, typename Call>
Result<T> await(Call &&call)
{
    std::optional<Result<T>> result;
    QObject context;
    call(&context, [&result](Result<T> r) { result = std::move(r); });
    if (!QTest::qWaitFor([&] { return result.has_value(); }, waitMs))
        return MatrixError::protocol(u"test timed out waiting for the request"_s);
    return *result;
}

} // namespace

class ApiIntegrationTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_server.isValid(), qPrintable(m_server.problem()));
    }

    // On the friendly server: stock Synapse does not announce busy (MSC3026).
    void versionsAnnounceAuthenticatedMediaAndBusy()
    {
        HomeserverApi api;
        api.setHomeserver(m_server.baseUrl());
        const auto versions = await<ServerVersions>([&](QObject *c, auto h) { api.versions(c, h); });
        QVERIFY2(versions.ok(), qPrintable(versions.ok() ? QString() : versions.error().describe()));
        QVERIFY(versions.value().supportsAtLeast(1, 11));
        QVERIFY(versions.value().supportsAuthenticatedMedia());
        QVERIFY(versions.value().supportsBusyPresence());
        QVERIFY(!versions.value().supportsAtLeast(99, 0));
    }

    void passwordLoginWhoamiAndLogout()
    {
        const LoginSession registered = m_server.registerUser(u"dora"_s, u"s3cret pass"_s);
        QVERIFY(!registered.userId.isEmpty());
        HomeserverApi api;
        api.setHomeserver(m_server.baseUrl());

        const auto wrong = await<LoginSession>([&](QObject *c, auto h) {
            api.loginWithPassword({registered.userId, u"nope"_s, u"Presently test"_s, {}}, c, h); });
        QVERIFY(!wrong.ok());
        QCOMPARE(wrong.error().httpStatus, 403);
        QCOMPARE(wrong.error().errcode, u"M_FORBIDDEN"_s);

        const auto login = await<LoginSession>([&](QObject *c, auto h) {
            api.loginWithPassword({registered.userId, u"s3cret pass"_s, u"Presently test"_s, {}}, c, h); });
        QVERIFY2(login.ok(), qPrintable(login.ok() ? QString() : login.error().describe()));
        QCOMPARE(login.value().userId, registered.userId);
        QVERIFY(!login.value().deviceId.isEmpty());
        api.setAccessToken(login.value().accessToken);

        // Whose token it is, asked with plain HTTP: the engine itself has no use for whoami.
        const QString whoami = u"/_matrix/client/v3/account/whoami"_s;
        TestUser device(m_server.baseUrl(), login.value());
        const TestUser::Reply me = device.request("GET", whoami);
        QVERIFY(me.ok());
        QCOMPARE(me.body.value("user_id"_L1).toString(), registered.userId);

        QVERIFY(await<Done>([&](QObject *c, auto h) { api.logout(c, h); }).ok());
        const TestUser::Reply after = device.request("GET", whoami);
        QVERIFY(!after.ok());
        QCOMPARE(after.status, 401);
        QCOMPARE(after.body.value("errcode"_L1).toString(), u"M_UNKNOWN_TOKEN"_s);
        QVERIFY(!after.body.value("soft_logout"_L1).toBool());
        // ...and the API reads the dead token's answer to any request as such.
        const auto refused = await<PresenceContent>([&](QObject *c, auto h) {
            api.getPresence(registered.userId, c, h); });
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().httpStatus, 401);
        QVERIFY(refused.error().isUnknownToken());
        QVERIFY(!refused.error().softLogout);
    }

    void presenceAndProfileRoundTrip()
    {
        HomeserverApi api;
        const LoginSession session = signIn(api, u"erin"_s);
        QVERIFY(!session.userId.isEmpty());

        QVERIFY(await<Done>([&](QObject *c, auto h) { api.setPresence(session.userId, u"unavailable"_s, u"Out"_s, c, h); }).ok());
        const auto presence = await<PresenceContent>([&](QObject *c, auto h) { api.getPresence(session.userId, c, h); });
        QVERIFY(presence.ok());
        QCOMPARE(presenceFromWire(presence.value().presence), Presence::Unavailable);
        QCOMPARE(presence.value().statusMessage, u"Out"_s);

        // Refused by another user: rc_presence (stock: one update per user per 10 s) would answer erin's second
        // update with 429 before looking at it.
        HomeserverApi otherApi;
        const LoginSession other = signIn(otherApi, u"erin_too"_s);
        const auto refused = await<Done>([&](QObject *c, auto h) { otherApi.setPresence(other.userId, u"free_for_chat"_s, {}, c, h); });
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().httpStatus, 400);
        QVERIFY(!refused.error().isTransient());

        QVERIFY(await<Done>([&](QObject *c, auto h) { api.setDisplayName(session.userId, u"Erin ✨"_s, c, h); }).ok());
        const auto profile = await<Profile>([&](QObject *c, auto h) { api.getProfile(session.userId, c, h); });
        QVERIFY(profile.ok());
        QCOMPARE(profile.value().displayName, u"Erin ✨"_s);
    }

    void mediaUploadThumbnailAndAvatar()
    {
        HomeserverApi api;
        const LoginSession session = signIn(api, u"fay"_s);
        QVERIFY(!session.userId.isEmpty());

        QImage image(256, 256, QImage::Format_RGB32);
        image.fill(Qt::red);
        QByteArray png;
        QBuffer buffer(&png);
        buffer.open(QIODevice::WriteOnly);
        image.save(&buffer, "PNG");

        const auto uploaded = await<QString>([&](QObject *c, auto h) { api.uploadMedia(png, u"image/png"_s, u"me.png"_s, c, h); });
        QVERIFY2(uploaded.ok(), qPrintable(uploaded.ok() ? QString() : uploaded.error().describe()));
        QVERIFY(MxcUri::parse(uploaded.value()));
        QVERIFY(await<Done>([&](QObject *c, auto h) { api.setAvatarUrl(session.userId, uploaded.value(), c, h); }).ok());
        QCOMPARE(await<Profile>([&](QObject *c, auto h) { api.getProfile(session.userId, c, h); }).value().avatarUrl, uploaded.value());

        api.setServerVersions(await<ServerVersions>([&](QObject *c, auto h) { api.versions(c, h); }).value());
        const auto thumbnail = await<QByteArray>([&](QObject *c, auto h) {
            api.thumbnail(uploaded.value(), QSize(64, 64), ThumbnailMethod::Crop, c, h); });
        QVERIFY2(thumbnail.ok(), qPrintable(thumbnail.ok() ? QString() : thumbnail.error().describe()));
        const QImage decoded = QImage::fromData(thumbnail.value());
        QVERIFY(!decoded.isNull());
        QVERIFY(decoded.width() <= 256);

        // Without the token the authenticated media endpoint refuses: the client really sends it.
        HomeserverApi anonymous;
        anonymous.setHomeserver(m_server.baseUrl());
        const auto refused = await<QByteArray>([&](QObject *c, auto h) {
            anonymous.thumbnail(uploaded.value(), QSize(64, 64), ThumbnailMethod::Crop, c, h); });
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().httpStatus, 401);

        const auto notMxc = await<QByteArray>([&](QObject *c, auto h) {
            api.thumbnail(u"https://evil.example/x.png"_s, QSize(64, 64), ThumbnailMethod::Crop, c, h); });
        QVERIFY(!notMxc.ok());
        QCOMPARE(notMxc.error().kind, MatrixError::Kind::Input);
    }

    void filterSyncAndJoinedMembers()
    {
        HomeserverApi api;
        const LoginSession session = signIn(api, u"gus"_s);
        QVERIFY(!session.userId.isEmpty());
        TestUser gus(m_server.baseUrl(), session);
        TestUser hal(m_server.baseUrl(), m_server.registerUser(u"hal"_s));
        QVERIFY(hal.setDisplayName(u"Hal"_s));
        const QString roomId = gus.createRoom({hal.userId()});
        QVERIFY(hal.join(roomId));

        const auto filterId = await<QString>([&](QObject *c, auto h) { api.uploadFilter(session.userId, presenceClientFilter({session.userId}), c, h); });
        QVERIFY(filterId.ok());

        SyncRequest request;
        request.filterId = filterId.value();
        request.timeoutMs = 0;
        const auto body = await<QByteArray>([&](QObject *c, auto h) { api.sync(request, c, h); });
        QVERIFY(body.ok());
        const SyncParseResult parsed = parseSync(body.value());
        QVERIFY2(parsed.batch, qPrintable(parsed.error));
        QVERIFY(!parsed.batch->nextBatch.isEmpty());
        const auto room = std::find_if(parsed.batch->joinedRooms.cbegin(), parsed.batch->joinedRooms.cend(),
                                       [&](const RoomUpdate &r) { return r.roomId == roomId; });
        QVERIFY(room != parsed.batch->joinedRooms.cend());
        QCOMPARE(room->joinedMemberCount, std::optional<int>(2));

        const auto members = await<QList<MemberChange>>([&](QObject *c, auto h) { api.joinedMembers(roomId, c, h); });
        QVERIFY(members.ok());
        QCOMPARE(members.value().size(), 2);
        const auto halMember = std::find_if(members.value().cbegin(), members.value().cend(),
                                            [&](const MemberChange &m) { return m.userId == hal.userId(); });
        QVERIFY(halMember != members.value().cend());
        QCOMPARE(halMember->displayName, u"Hal"_s);
    }

    void syncLoopReportsAnExpiredSession()
    {
        HomeserverApi api;
        const LoginSession session = signIn(api, u"ivy"_s);
        QVERIFY(!session.userId.isEmpty());
        SyncLoop loop(&api);
        loop.setUserId(session.userId);
        connect(&loop, &SyncLoop::batchReady, &loop, [&loop](const SyncBatch &batch) { loop.batchApplied(batch.nextBatch); });
        QSignalSpy expired(&loop, &SyncLoop::sessionExpired);
        loop.setServerTimeoutMs(1000);
        loop.start();
        QTRY_COMPARE_WITH_TIMEOUT(loop.state(), SyncLoop::State::Live, waitMs);

        TestUser(m_server.baseUrl(), session).request("POST", u"/_matrix/client/v3/logout"_s, QJsonObject{});
        QTRY_COMPARE_WITH_TIMEOUT(expired.count(), 1, waitMs);
        QCOMPARE(expired.at(0).at(0).toBool(), false);
        QCOMPARE(loop.state(), SyncLoop::State::SessionExpired);
    }

    void discoveryFallsBackToTheServerItself()
    {
        HomeserverApi api;
        const auto discovered = await<QUrl>([&](QObject *c, auto h) { api.discover(m_server.baseUrl().toString(), c, h); });
        QVERIFY2(discovered.ok(), qPrintable(discovered.ok() ? QString() : discovered.error().describe()));
        QCOMPARE(discovered.value().host(), m_server.baseUrl().host());
        QCOMPARE(discovered.value().port(), m_server.baseUrl().port());
    }

private:
    LoginSession signIn(HomeserverApi &api, const QString &name)
    {
        const LoginSession session = m_server.registerUser(name);
        api.setHomeserver(m_server.baseUrl());
        api.setAccessToken(session.accessToken);
        return session;
    }

    TestHomeserver m_server;
};

QTEST_GUILESS_MAIN(ApiIntegrationTest)
#include "tst_api_integration.moc"
