// Per-room names on the Synapse users run (the `synapse_stock` fixture). A name or avatar Bob sets in one room
// (a per-room nickname: his m.room.member event there) must not rename him on Alice's roster; it shows in the
// tooltip's "called … in some rooms". A change of his global profile, which Synapse writes into every shared
// room, renames him. Alice runs the engine; Bob acts through plain HTTP.
// Time zones (the m.tz extended profile field, which stock Synapse keeps): Bob's shows on Alice's roster and follows
// his profile changes; Alice's own is published only when she chooses to share it. Stock rc_profile refusing her
// own reads at start delays her name and zone, never loses them.
#include "session/Account.h"
#include "TestHomeserver.h"

#include <QAbstractItemModelTester>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTest>
#include <QTimer>
#include <QTimeZone>

using namespace Qt::Literals::StringLiterals;

namespace {
constexpr int serverTimeoutMs = 30'000;

// Every name Bob's row has shown, in order, as the model announced it.
class ShownNames {
public:
    ShownNames(ContactListModel *model, const QString &userId)
        : m_model(model)
        , m_userId(userId)
    {
        QObject::connect(model, &QAbstractItemModel::dataChanged, model, [this] { record(); });
        QObject::connect(model, &QAbstractItemModel::rowsInserted, model, [this] { record(); });
        record();
    }
    QStringList names() const { return m_names; }
    QStringList avatars() const { return m_avatars; }

private:
    void record()
    {
        const int row = m_model->rowOf(m_userId);
        if (row < 0)
            return;
        const Contact &contact = m_model->contactAt(row);
        if (m_names.isEmpty() || m_names.last() != contact.displayName)
            m_names.append(contact.displayName);
        if (m_avatars.isEmpty() || m_avatars.last() != contact.avatarUrl)
            m_avatars.append(contact.avatarUrl);
    }

    ContactListModel *m_model;
    QString m_userId;
    QStringList m_names;
    QStringList m_avatars;
};

// Bob's name and avatar in one room only: his own m.room.member state event there.
bool setNameInRoom(TestUser &user, const QString &roomId, const QString &displayName, const QString &avatarUrl)
{
    const QString path = u"/_matrix/client/v3/rooms/%1/state/m.room.member/%2"_s.arg(encodedSegment(roomId),
                                                                                     encodedSegment(user.userId()));
    return user.request("PUT", path, {{u"membership"_s, u"join"_s}, {u"displayname"_s, displayName},
                                      {u"avatar_url"_s, avatarUrl}}).ok();
}

// A profile field as another user reads it: its value, or "absent" when the server answers 404 M_NOT_FOUND.
QString profileField(TestUser &reader, const QString &userId, const QString &field)
{
    const TestUser::Reply reply = reader.request(
        "GET", u"/_matrix/client/v3/profile/%1/%2"_s.arg(encodedSegment(userId), field));
    if (reply.status == 404 && reply.body.value(u"errcode"_s).toString() == "M_NOT_FOUND"_L1)
        return u"absent"_s;
    return reply.ok() ? reply.body.value(field).toString() : u"HTTP %1"_s.arg(reply.status);
}

bool setTimeZone(TestUser &user, const QString &zone)
{
    const QString path = u"/_matrix/client/v3/profile/%1/m.tz"_s.arg(encodedSegment(user.userId()));
    return zone.isEmpty() ? user.request("DELETE", path).ok() : user.request("PUT", path, {{u"m.tz"_s, zone}}).ok();
}

QString zoneShownFor(const Account &account, const QString &userId)
{
    const int row = account.contacts()->rowOf(userId);
    return row < 0 ? u"no row"_s : account.contacts()->index(row).data(ContactListModel::TimeZoneRole).toString();
}

// Keeps a user's profile lookups spent on stock Synapse (rc_profile: a burst of 500 per user, then one a second):
// spends the burst, then asks again every 50 ms until stopped, so that the user's other lookups meanwhile are
// answered 429 (all but the rare one that lands on a token first).
class ProfileLookupSpender {
public:
    explicit ProfileLookupSpender(const QUrl &baseUrl, const LoginSession &user)
        : m_request(baseUrl.resolved(QUrl(u"/_matrix/client/v3/profile/%1"_s.arg(encodedSegment(user.userId)))))
    {
        m_request.setRawHeader("Authorization", "Bearer " + user.accessToken.toUtf8());
        m_timer.setInterval(50);
        QObject::connect(&m_timer, &QTimer::timeout, &m_timer, [this] { ask(); });
    }

    // Spends the burst (until the server first answers 429), then keeps it spent. False if it never answered 429.
    bool start()
    {
        for (int asked = 0; asked < 1'000; ++asked) {
            std::unique_ptr<QNetworkReply> reply(m_network.get(m_request));
            if (!QTest::qWaitFor([&] { return reply->isFinished(); }, serverTimeoutMs))
                return false;
            if (reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 429) {
                m_timer.start();
                return true;
            }
        }
        return false;
    }
    void stop() { m_timer.stop(); }

private:
    void ask()
    {
        QNetworkReply *reply = m_network.get(m_request);
        QObject::connect(reply, &QNetworkReply::finished, reply, &QObject::deleteLater);
    }

    QNetworkAccessManager m_network;
    QNetworkRequest m_request;
    QTimer m_timer;
};

// The 429 answers the engine received, per path.
class RateLimitedPaths {
public:
    explicit RateLimitedPaths(QNetworkAccessManager *network)
    {
        QObject::connect(network, &QNetworkAccessManager::finished, network, [this](QNetworkReply *reply) {
            if (reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 429)
                ++m_counts[reply->url().path(QUrl::FullyEncoded)];
        });
    }
    int count(const QString &encodedPath) const { return m_counts.value(encodedPath); }

private:
    QHash<QString, int> m_counts;
};

const Contact *contactOf(const Account &account, const QString &userId)
{
    const int row = account.contacts()->rowOf(userId);
    return row < 0 ? nullptr : &account.contacts()->contactAt(row);
}
} // namespace

class ProfilesIntegrationTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_server.isValid(), qPrintable(m_server.problem()));
        nameTheTestApplication();
    }

    void aNameSetInOneRoomDoesNotRenameBobButAGlobalChangeDoes()
    {
        Scene scene = bobInRoomsWithAlice({u"Team"_s}, {});
        QVERIFY(scene.bob);
        std::unique_ptr<Account> account = aliceSeeingBob(scene);
        QVERIFY(account);
        QTRY_COMPARE_WITH_TIMEOUT(contactOf(*account, scene.bob->userId())->displayName, u"Bob"_s, serverTimeoutMs);
        ShownNames shown(account->contacts(), scene.bob->userId());

        const QString captainAvatar = u"mxc://%1/captainhat"_s.arg(m_server.serverName());
        QVERIFY(setNameInRoom(*scene.bob, scene.rooms.first(), u"Captain"_s, captainAvatar));
        QTRY_COMPARE_WITH_TIMEOUT(contactOf(*account, scene.bob->userId())->otherNames, QStringList{u"Captain"_s},
                                  serverTimeoutMs);

        // Bob renames himself: Synapse writes the new name into both rooms (undoing the nickname); the roster follows.
        QVERIFY(scene.bob->setDisplayName(u"Robert"_s));
        QTRY_COMPARE_WITH_TIMEOUT(contactOf(*account, scene.bob->userId())->displayName, u"Robert"_s, serverTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(contactOf(*account, scene.bob->userId())->otherNames.isEmpty(), serverTimeoutMs);
        QCOMPARE(shown.names(), (QStringList{u"Bob"_s, u"Robert"_s}));
        QVERIFY2(!shown.avatars().contains(captainAvatar), qPrintable(shown.avatars().join(u", "_s)));
    }

    void roomsThatDisagreeAtTheFirstSyncShowTheGlobalName()
    {
        // Two rooms call him "Captain", one (the direct chat) by his own name: the majority is not the truth.
        Scene scene = bobInRoomsWithAlice({u"Deck"_s, u"Bridge"_s}, u"Captain"_s);
        QVERIFY(scene.bob);
        std::unique_ptr<Account> account = aliceSeeingBob(scene);
        QVERIFY(account);
        QTRY_COMPARE_WITH_TIMEOUT(contactOf(*account, scene.bob->userId())->displayName, u"Bob"_s, serverTimeoutMs);
        QCOMPARE(contactOf(*account, scene.bob->userId())->otherNames, QStringList{u"Captain"_s});
    }

    void aliceSeesBobsTimeZoneAndItFollowsHisProfile()
    {
        Scene scene = bobInRoomsWithAlice({}, {});
        QVERIFY(scene.bob);
        QVERIFY(setTimeZone(*scene.bob, u"Asia/Tokyo"_s));
        std::unique_ptr<Account> account = aliceSeeingBob(scene);
        QVERIFY(account);
        const QString bobId = scene.bob->userId();
        QTRY_COMPARE_WITH_TIMEOUT(zoneShownFor(*account, bobId), u"Asia/Tokyo"_s, serverTimeoutMs);
        QVERIFY(account->timeZones()->isSupported());

        // The field travels in no event: a move shows once his profile changes (he renames himself on arrival).
        QVERIFY(setTimeZone(*scene.bob, u"America/New_York"_s));
        QVERIFY(scene.bob->setDisplayName(u"Bob in New York"_s));
        QTRY_COMPARE_WITH_TIMEOUT(zoneShownFor(*account, bobId), u"America/New_York"_s, serverTimeoutMs);

        // A value that is no time zone shows no time, and removing the field removes it.
        QVERIFY(scene.bob->request("PUT", u"/_matrix/client/v3/profile/%1/m.tz"_s.arg(encodedSegment(bobId)),
                                   {{u"m.tz"_s, u"<b>Atlantis</b>"_s}}).ok());
        QVERIFY(scene.bob->setDisplayName(u"Bob at sea"_s));
        QTRY_COMPARE_WITH_TIMEOUT(zoneShownFor(*account, bobId), QString(), serverTimeoutMs);
        QVERIFY(setTimeZone(*scene.bob, u"Europe/Lisbon"_s));
        QVERIFY(scene.bob->setDisplayName(u"Bob"_s));
        QTRY_COMPARE_WITH_TIMEOUT(zoneShownFor(*account, bobId), u"Europe/Lisbon"_s, serverTimeoutMs);
        QVERIFY(setTimeZone(*scene.bob, {}));
        QVERIFY(scene.bob->setDisplayName(u"Bob at home"_s));
        QTRY_COMPARE_WITH_TIMEOUT(zoneShownFor(*account, bobId), QString(), serverTimeoutMs);
    }

    void aliceSharesHerTimeZoneOnlyWhenSheChooses()
    {
        Scene scene = bobInRoomsWithAlice({}, {});
        QVERIFY(scene.bob);
        std::unique_ptr<Account> account = aliceSeeingBob(scene);
        QVERIFY(account);
        TimeZoneProfiles *timeZones = account->timeZones();
        QTRY_VERIFY_WITH_TIMEOUT(timeZones->canShare(), serverTimeoutMs);
        // Off by default: nothing published by signing in.
        QCOMPARE(timeZones->sharedZone(), QString());
        QCOMPARE(profileField(*scene.bob, scene.alice.userId, u"m.tz"_s), u"absent"_s);

        const QString here = QString::fromLatin1(QTimeZone::systemTimeZoneId());
        timeZones->setSharing(true);
        QTRY_COMPARE_WITH_TIMEOUT(timeZones->sharedZone(), here, serverTimeoutMs);
        QCOMPARE(profileField(*scene.bob, scene.alice.userId, u"m.tz"_s), here);

        timeZones->setSharing(false);
        QTRY_COMPARE_WITH_TIMEOUT(timeZones->sharedZone(), QString(), serverTimeoutMs);
        QCOMPARE(profileField(*scene.bob, scene.alice.userId, u"m.tz"_s), u"absent"_s);
    }

    void yourOwnNameAndZoneShowAfterTheServerAskedToWait()
    {
        // A start soon after another with a few hundred contacts finds stock rc_profile spent: the reads of your
        // own name and published zone are answered 429 and must be asked again, or the window shows no name and
        // says you share no time zone for the whole connection.
        Scene scene = bobInRoomsWithAlice({}, {});
        QVERIFY(scene.bob);
        TestUser alice(m_server.baseUrl(), scene.alice);
        QVERIFY(alice.setDisplayName(u"Alice Liddell"_s));
        QVERIFY(setTimeZone(alice, u"Europe/Paris"_s));
        ProfileLookupSpender spender(m_server.baseUrl(), scene.alice);
        QVERIFY(spender.start());

        Account account;
        RateLimitedPaths refused(account.api()->networkAccessManager());
        const QString ownProfilePath = u"/_matrix/client/v3/profile/%1"_s.arg(encodedSegment(scene.alice.userId));
        const QString ownZonePath = ownProfilePath + u"/m.tz"_s;
        account.signIn(scene.alice);
        // Until the first reads have been refused: the one when connecting and the one a member event of hers in
        // the first sync asks for (or a name already shown), and the zone's once the roster is complete.
        QVERIFY(QTest::qWaitFor([&] {
            const bool profileRefused = refused.count(ownProfilePath) >= 2 || !account.ownProfile().displayName.isEmpty();
            const bool zoneRefused = refused.count(ownZonePath) >= 1 || !account.timeZones()->sharedZone().isEmpty();
            return profileRefused && zoneRefused;
        }, serverTimeoutMs));
        spender.stop();
        QVERIFY2(refused.count(ownProfilePath) + refused.count(ownZonePath) >= 1, "no read of Alice's was refused");
        QTRY_COMPARE_WITH_TIMEOUT(account.ownProfile().displayName, u"Alice Liddell"_s, serverTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(account.timeZones()->sharedZone(), u"Europe/Paris"_s, serverTimeoutMs);
    }

private:
    // Alice, and Bob (globally "Bob") sharing a direct chat with her and the rooms named `roomNames`, where he
    // goes by `nickname` unless it is empty. `bob` is null when the server refused any of it.
    struct Scene {
        LoginSession alice;
        std::unique_ptr<TestUser> bob;
        QStringList rooms;
    };

    Scene bobInRoomsWithAlice(const QStringList &roomNames, const QString &nickname)
    {
        Scene scene;
        scene.alice = m_server.registerUser(u"alice"_s);
        auto bob = std::make_unique<TestUser>(m_server.baseUrl(), m_server.registerUser(u"bob"_s));
        TestUser alice(m_server.baseUrl(), scene.alice);
        if (!bob->setDisplayName(u"Bob"_s) || !bob->startDirectChatWith(scene.alice))
            return scene;
        for (const QString &name : roomNames) {
            const QString roomId = bob->createRoom({scene.alice.userId}, false, name);
            if (roomId.isEmpty() || !alice.join(roomId)
                || (!nickname.isEmpty() && !setNameInRoom(*bob, roomId, nickname, {})))
                return scene;
            scene.rooms.append(roomId);
        }
        scene.bob = std::move(bob);
        return scene;
    }

    // Alice's engine, signed in, once Bob is on her roster; null if he never appears.
    std::unique_ptr<Account> aliceSeeingBob(const Scene &scene)
    {
        auto account = std::make_unique<Account>();
        new QAbstractItemModelTester(account->contacts(), QAbstractItemModelTester::FailureReportingMode::QtTest,
                                     account.get());
        account->signIn(scene.alice);
        if (!QTest::qWaitFor([&] { return contactOf(*account, scene.bob->userId()) != nullptr; }, serverTimeoutMs))
            return nullptr;
        return account;
    }

    TestHomeserver m_server;
};

QTEST_GUILESS_MAIN(ProfilesIntegrationTest)
#include "tst_profiles_integration.moc"
