// The readers of the API's answer bodies (matrix/ApiResponses.h), on the bytes alone: a good body, one that is
// not a JSON object, and fields of the wrong type. Against a real server they run in tst_api_integration;
// tests/fuzz/fuzz_api_responses runs them on arbitrary bytes.
#include "matrix/ApiResponses.h"

#include <QTest>

using namespace Qt::Literals::StringLiterals;

namespace {

template <typename T>
bool isProtocolError(const Result<T> &result)
{
    return !result.ok() && result.error().kind == MatrixError::Kind::Protocol;
}

} // namespace

class ApiResponsesTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void everyJsonReaderRefusesWhatIsNotAnObject_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("array") << QByteArray("[\"versions\"]");
        QTest::newRow("html") << QByteArray("<html>502 Bad Gateway</html>");
        QTest::newRow("cut off") << QByteArray("{\"versions\":[\"v1.11\"]");
        QTest::newRow("empty") << QByteArray();
    }

    void everyJsonReaderRefusesWhatIsNotAnObject()
    {
        QFETCH(QByteArray, body);
        QVERIFY(isProtocolError(parseAcknowledgement(body)));
        QVERIFY(isProtocolError(parseWellKnown(body)));
        QVERIFY(isProtocolError(parseVersions(body)));
        QVERIFY(isProtocolError(parseLogin(body, QUrl(u"https://x"_s))));
        QVERIFY(isProtocolError(parseFilterId(body)));
        QVERIFY(isProtocolError(parsePresenceStatus(body)));
        QVERIFY(isProtocolError(parseProfile(body)));
        QVERIFY(isProtocolError(parseJoinedMembers(body)));
        QVERIFY(isProtocolError(parseInvitedMembers(body)));
        QVERIFY(isProtocolError(parseContentUri(body)));
        QVERIFY(isProtocolError(parseTimeZoneField(body)));
        QVERIFY(isProtocolError(parseProfileFieldCapability(body)));
        QVERIFY(isProtocolError(parseLoginFlows(body)));
        QVERIFY(isProtocolError(parseAuthMetadataIssuer(body)));
    }

    // GET /login as Synapse answers it with two OpenID providers (docs/research/issue-10.md, A3), and as others
    // might: what Presently does not know is ignored, a provider it could not show or use is skipped.
    void loginFlows_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<bool>("password");
        QTest::addColumn<bool>("sso");
        QTest::addColumn<QStringList>("providers");  // id=name=icon
        QTest::newRow("synapse with two providers")
            << QByteArray("{\"flows\":[{\"type\":\"m.login.sso\",\"identity_providers\":["
                          "{\"id\":\"oidc-one\",\"name\":\"Provider One\",\"icon\":\"mxc://localhost/abc\"},"
                          "{\"id\":\"oidc-two\",\"name\":\"Provider Two\",\"brand\":\"github\"}]},"
                          "{\"type\":\"m.login.token\"},{\"type\":\"m.login.password\"},"
                          "{\"type\":\"m.login.application_service\"}]}")
            << true << true << QStringList{u"oidc-one=Provider One=mxc://localhost/abc"_s, u"oidc-two=Provider Two="_s};
        QTest::newRow("password only") << QByteArray("{\"flows\":[{\"type\":\"m.login.password\"}]}")
                                       << true << false << QStringList();
        QTest::newRow("sso without the token flow cannot finish")
            << QByteArray("{\"flows\":[{\"type\":\"m.login.sso\"}]}") << false << false << QStringList();
        QTest::newRow("sso without providers: the server's picker")
            << QByteArray("{\"flows\":[{\"type\":\"m.login.sso\"},{\"type\":\"m.login.token\"}]}")
            << false << true << QStringList();
        QTest::newRow("bad providers are skipped, bad icons dropped")
            << QByteArray("{\"flows\":[7,\"x\",{\"type\":5},{\"type\":\"m.login.token\"},"
                          "{\"type\":\"m.login.sso\",\"identity_providers\":[3,{\"id\":\"a\"},{\"name\":\"B\"},"
                          "{\"id\":7,\"name\":\"C\"},{\"id\":\"d\",\"name\":\"D\",\"icon\":\"https://x/i.png\"}]}]}")
            << false << true << QStringList{u"d=D="_s};
        QTest::newRow("providers not a list") << QByteArray("{\"flows\":[{\"type\":\"m.login.sso\","
                                                            "\"identity_providers\":{}},{\"type\":\"m.login.token\"}]}")
                                              << false << true << QStringList();
        QTest::newRow("no flows known") << QByteArray("{\"flows\":[{\"type\":\"m.login.recaptcha\"}]}")
                                        << false << false << QStringList();
    }

    void loginFlows()
    {
        QFETCH(QByteArray, body);
        QFETCH(bool, password);
        QFETCH(bool, sso);
        QFETCH(QStringList, providers);
        const Result<LoginFlows> flows = parseLoginFlows(body);
        QVERIFY(flows);
        QCOMPARE(flows.value().password, password);
        QCOMPARE(flows.value().supportsSso(), sso);
        QStringList read;
        for (const IdentityProvider &provider : flows.value().identityProviders)
            read.append(provider.id + u'=' + provider.name + u'=' + provider.icon);
        QCOMPARE(read, providers);
    }

    void loginFlowsAndAuthMetadataRefuseWhatTheyCannotUse()
    {
        QVERIFY(isProtocolError(parseLoginFlows("{\"flows\":{}}")));
        QVERIFY(isProtocolError(parseLoginFlows("{\"errcode\":\"M_UNRECOGNIZED\"}")));
        QCOMPARE(parseAuthMetadataIssuer("{\"issuer\":\"https://auth.x/\"}").value(), QUrl(u"https://auth.x/"_s));
        QVERIFY(isProtocolError(parseAuthMetadataIssuer("{\"issuer\":\"javascript:x\"}")));
        QVERIFY(isProtocolError(parseAuthMetadataIssuer("{\"issuer\":5}")));
    }

    void goodBodiesGiveTheirValues()
    {
        const Result<ServerVersions> versions = parseVersions(
            "{\"versions\":[\"r0.6.1\",\"v1.11\"],\"unstable_features\":{\"org.matrix.msc3026.busy_presence\":true}}");
        QVERIFY(versions);
        QVERIFY(versions.value().supportsAuthenticatedMedia());
        QVERIFY(versions.value().supportsBusyPresence());

        const Result<LoginSession> login = parseLogin(
            "{\"user_id\":\"@me:x\",\"access_token\":\"t\",\"device_id\":\"D\","
            "\"well_known\":{\"m.homeserver\":{\"base_url\":\"https://m.x/matrix/\"}}}",
            QUrl(u"https://x"_s));
        QVERIFY(login);
        QCOMPARE(login.value().userId, u"@me:x"_s);
        QCOMPARE(login.value().deviceId, u"D"_s);
        QCOMPARE(login.value().homeserver, QUrl(u"https://m.x/matrix"_s));

        QCOMPARE(parseFilterId("{\"filter_id\":\"4\"}").value(), u"4"_s);
        QCOMPARE(parseWellKnown("{\"m.homeserver\":{\"base_url\":\"https://m.x/matrix/\"}}").value(),
                 QUrl(u"https://m.x/matrix"_s));
        QCOMPARE(parseContentUri("{\"content_uri\":\"mxc://x/abc\"}").value(), u"mxc://x/abc"_s);
        QCOMPARE(parseProfile("{\"displayname\":\"Alice\",\"avatar_url\":\"mxc://x/a\"}").value(),
                 (Profile{u"Alice"_s, u"mxc://x/a"_s}));

        const Result<PresenceContent> presence =
            parsePresenceStatus("{\"presence\":\"unavailable\",\"status_msg\":\"out\",\"last_active_ago\":-4,"
                                "\"currently_active\":true}");
        QVERIFY(presence);
        QCOMPARE(presence.value().presence, u"unavailable"_s);
        QCOMPARE(presence.value().statusMessage, u"out"_s);
        QCOMPARE(presence.value().lastActiveAgoMs, std::optional<qint64>(0));
        QVERIFY(presence.value().currentlyActive);

        const Result<QList<MemberChange>> members =
            parseJoinedMembers("{\"joined\":{\"@a:x\":{\"display_name\":\"A\",\"avatar_url\":\"mxc://x/a\"}}}");
        QVERIFY(members);
        QCOMPARE(members.value().size(), 1);
        QCOMPARE(members.value().first().userId, u"@a:x"_s);
        QCOMPARE(members.value().first().displayName, u"A"_s);
        // /members?membership=invite: invites only; other events and ones without a user are left out.
        const Result<QList<MemberChange>> invited = parseInvitedMembers(
            "{\"chunk\":[{\"type\":\"m.room.member\",\"state_key\":\"@c:x\",\"content\":{\"membership\":\"invite\","
            "\"displayname\":\"C\"}},{\"type\":\"m.room.member\",\"state_key\":\"@d:x\",\"content\":{\"membership\":\"join\"}},"
            "{\"type\":\"m.room.member\",\"content\":{\"membership\":\"invite\"}},5]}");
        QVERIFY(invited);
        QCOMPARE(invited.value().size(), 1);
        QCOMPARE(invited.value().first().userId, u"@c:x"_s);
        QCOMPARE(invited.value().first().membership, Membership::Invite);
        QCOMPARE(invited.value().first().displayName, u"C"_s);
        QVERIFY(isProtocolError(parseInvitedMembers("{\"chunk\":{}}")));
        QVERIFY(parseAcknowledgement("{}"));
    }

    void wrongTypesAreRefusedOrLeftEmpty()
    {
        QVERIFY(isProtocolError(parseVersions("{\"versions\":\"v1.11\"}")));
        QVERIFY(isProtocolError(parseLogin("{\"user_id\":5,\"access_token\":\"t\"}", QUrl(u"https://x"_s))));
        QVERIFY(isProtocolError(parseFilterId("{\"filter_id\":4}")));
        QVERIFY(isProtocolError(parsePresenceStatus("{\"presence\":null}")));
        QVERIFY(isProtocolError(parseJoinedMembers("{\"joined\":[]}")));
        QVERIFY(isProtocolError(parseWellKnown("{\"m.homeserver\":{\"base_url\":\"ftp://m.x\"}}")));
        QVERIFY(isProtocolError(parseContentUri("{\"content_uri\":\"https://x/abc\"}")));
        // Optional fields of the wrong type are left out, not fatal.
        QCOMPARE(parseProfile("{\"displayname\":[\"A\"],\"avatar_url\":7}").value(), Profile());
        const Result<LoginSession> login =
            parseLogin("{\"user_id\":\"@me:x\",\"access_token\":\"t\","
                       "\"well_known\":{\"m.homeserver\":{\"base_url\":\"ftp://m.x\"}}}",
                       QUrl(u"https://x"_s));
        QCOMPARE(login.value().homeserver, QUrl(u"https://x"_s));
        const Result<QList<MemberChange>> members = parseJoinedMembers("{\"joined\":{\"@a:x\":5}}");
        QCOMPARE(members.value().first().displayName, QString());
    }

    void aTimeZoneIsOneThisComputerKnows_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("zone");  // what is shown; "refused" for a protocol error
        QTest::newRow("IANA name") << QByteArray("{\"m.tz\":\"Asia/Tokyo\"}") << u"Asia/Tokyo"_s;
        QTest::newRow("UTC, where the system says so") << QByteArray("{\"m.tz\":\"Etc/UTC\"}") << u"Etc/UTC"_s;
        QTest::newRow("no field") << QByteArray("{}") << QString();
        QTest::newRow("other fields only") << QByteArray("{\"displayname\":\"Bob\"}") << QString();
        QTest::newRow("a number") << QByteArray("{\"m.tz\":9}") << u"refused"_s;
        QTest::newRow("null") << QByteArray("{\"m.tz\":null}") << u"refused"_s;
        QTest::newRow("empty") << QByteArray("{\"m.tz\":\"\"}") << u"refused"_s;
        QTest::newRow("made up") << QByteArray("{\"m.tz\":\"Mars/Olympus_Mons\"}") << u"refused"_s;
        QTest::newRow("markup") << QByteArray("{\"m.tz\":\"<b>Europe/Paris</b>\"}") << u"refused"_s;
        QTest::newRow("not ASCII") << QByteArray("{\"m.tz\":\"Europe/P\u00e4ris\"}") << u"refused"_s;
        QTest::newRow("path") << QByteArray("{\"m.tz\":\"../../etc/passwd\"}") << u"refused"_s;
        QTest::newRow("long") << QByteArray("{\"m.tz\":\"Europe/" + QByteArray(80, 'a') + "\"}") << u"refused"_s;
    }

    void aTimeZoneIsOneThisComputerKnows()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, zone);
        const Result<QString> read = parseTimeZoneField(body);
        if (zone == "refused"_L1)
            QVERIFY(isProtocolError(read));
        else
            QCOMPARE(read.value(), zone);
    }

    void extendedProfilesAreWhatTheCapabilitySays()
    {
        const Result<ProfileFieldCapability> absent = parseProfileFieldCapability("{\"capabilities\":{}}");
        QVERIFY(absent);
        QVERIFY(!absent.value().enabled);
        QVERIFY(!absent.value().canSet(u"m.tz"_s));

        const Result<ProfileFieldCapability> open =
            parseProfileFieldCapability("{\"capabilities\":{\"m.profile_fields\":{\"enabled\":true}}}");
        QVERIFY(open.value().canSet(u"m.tz"_s));

        const Result<ProfileFieldCapability> withoutZones = parseProfileFieldCapability(
            "{\"capabilities\":{\"m.profile_fields\":{\"enabled\":true,\"disallowed\":[\"m.tz\",5]}}}");
        QVERIFY(withoutZones.value().enabled);
        QVERIFY(!withoutZones.value().canSet(u"m.tz"_s));
        QVERIFY(withoutZones.value().canSet(u"displayname"_s));

        const Result<ProfileFieldCapability> namesOnly = parseProfileFieldCapability(
            "{\"capabilities\":{\"m.profile_fields\":{\"enabled\":true,\"allowed\":[\"displayname\"]}}}");
        QVERIFY(!namesOnly.value().canSet(u"m.tz"_s));

        const Result<ProfileFieldCapability> off = parseProfileFieldCapability(
            "{\"capabilities\":{\"m.profile_fields\":{\"enabled\":false}}}");
        QVERIFY(!off.value().canSet(u"m.tz"_s));
        QVERIFY(isProtocolError(parseProfileFieldCapability("{\"capabilities\":[]}")));
    }
};

QTEST_GUILESS_MAIN(ApiResponsesTest)
#include "tst_apiresponses.moc"
