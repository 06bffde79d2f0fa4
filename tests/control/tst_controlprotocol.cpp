// The control protocol's pure parts, exactly as scripts see them: the JSON keys and values, presence names,
// request lines (well-formed and hostile), the socket path, the command-line options and the roster table.
// The instance's end of the socket is tests/control/tst_controlserver.cpp; the binary against a signed-in
// instance is tests/control/tst_control.cpp.
#include "session/Account.h"
#include "control/ControlClient.h"
#include "control/ControlCommandLine.h"
#include "control/ControlProtocol.h"
#include "roster/Nicknames.h"
#include "roster/RosterFilterModel.h"
#include "roster/RosterGroupModel.h"
#include "RosterRows.h"

#include <QAbstractItemModelTester>
#include <QCommandLineParser>
#include <QDir>
#include <QJsonDocument>
#include <QTest>

#include <unistd.h>

using namespace Qt::Literals::StringLiterals;
using ControlProtocol::Command;
using ControlProtocol::Request;

namespace {
QJsonObject parsedLine(const QByteArray &line)
{
    return QJsonDocument::fromJson(line).object();
}

Contact bob()
{
    Contact contact;
    contact.userId = u"@bob:example.org"_s;
    contact.displayName = u"Bob"_s;
    contact.avatarUrl = u"mxc://example.org/avatar"_s;
    contact.state.presence = Presence::Busy;
    contact.state.rawPresence = u"org.matrix.msc3026.busy"_s;
    contact.state.statusMessage = u"In a meeting"_s;
    contact.state.lastActiveAtMs = 1'700'000'000'000;
    contact.state.currentlyActive = true;
    return contact;
}

// The JSON form of a contact as the roster holds it.
QJsonObject jsonOf(const Contact &contact)
{
    ContactListModel model;
    model.appendContacts({contact});
    return ControlProtocol::contactJson(model, 0);
}

Contact person(const QString &userId, const QString &displayName, Presence presence)
{
    Contact contact;
    contact.userId = userId;
    contact.displayName = displayName;
    contact.state.presence = presence;
    return contact;
}

// The user IDs of a roster table, top to bottom.
QStringList userIdsIn(const QString &table)
{
    QStringList lines = table.split(u'\n');
    const qsizetype userColumn = lines.takeFirst().indexOf(u"USER"_s);
    QStringList userIds;
    for (const QString &line : std::as_const(lines))
        userIds << line.mid(userColumn).section(u' ', 0, 0);
    return userIds;
}

ControlCommandLine::Parsed parseOptions(const QStringList &options)
{
    const ControlCommandLine commandLine;
    QCommandLineParser parser;
    commandLine.addOptionsTo(parser);
    if (!parser.parse(QStringList{u"presently"_s} + options))
        qFatal("options did not parse: %s", qPrintable(parser.errorText()));
    return commandLine.parse(parser);
}
} // namespace

Q_DECLARE_METATYPE(std::optional<Presence>)
Q_DECLARE_METATYPE(ControlProtocol::Request)

class ControlProtocolTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // --roster --json: the invitations waiting for your answer come first, with the room; a contact you invited
    // who has not answered says "sent".
    void theRosterListsInvitationsBothWays()
    {
        Contact invited = person(u"@carol:example.org"_s, u"Carol"_s, Presence::Offline);
        invited.invited = true;
        ContactListModel contacts;
        contacts.appendContacts({invited});
        InvitationList invitations;
        invitations.setOwnUserId(u"@alice:example.org"_s);
        SyncBatch batch;
        InviteMember bobJoined{{u"@bob:example.org"_s, Membership::Join, u"Bob"_s, {}}, u"@bob:example.org"_s, false};
        InviteMember aliceInvited{{u"@alice:example.org"_s, Membership::Invite, {}, {}}, u"@bob:example.org"_s, true};
        batch.invitedRooms.append(RoomInvite{u"!dm:example.org"_s, {bobJoined, aliceInvited}});
        invitations.applyBatch(batch);

        const QJsonArray roster = ControlProtocol::rosterJson(contacts, invitations);
        QCOMPARE(roster.size(), 2);
        const QJsonObject received = roster.at(0).toObject();
        QCOMPARE(received.value("user_id"_L1), QJsonValue(u"@bob:example.org"_s));
        QCOMPARE(received.value("display_name"_L1), QJsonValue(u"Bob"_s));
        QCOMPARE(received.value("invitation"_L1), QJsonValue(u"received"_s));
        QCOMPARE(received.value("room_id"_L1), QJsonValue(u"!dm:example.org"_s));
        QCOMPARE(roster.at(1).toObject().value("invitation"_L1), QJsonValue(u"sent"_s));
        const QString table = ControlClient::rosterTable(roster, 0);
        QVERIFY2(table.contains(u"Invites you"_s) && table.contains(u"Invited"_s), qPrintable(table));
    }

    void aContactHasExactlyTheKeysScriptsUse()
    {
        const QJsonObject json = jsonOf(bob());
        QStringList keys = json.keys();
        keys.sort();
        QCOMPARE(keys, (QStringList{u"currently_active"_s, u"display_name"_s, u"groups"_s, u"invitation"_s,
                                    u"last_active_ts"_s, u"nickname"_s, u"presence"_s, u"status_msg"_s, u"user_id"_s}));
        QCOMPARE(json.value("invitation"_L1), QJsonValue(u"none"_s));
        QCOMPARE(json.value("user_id"_L1), QJsonValue(u"@bob:example.org"_s));
        QCOMPARE(json.value("display_name"_L1), QJsonValue(u"Bob"_s));
        QCOMPARE(json.value("presence"_L1), QJsonValue(u"busy"_s));
        QCOMPARE(json.value("status_msg"_L1), QJsonValue(u"In a meeting"_s));
        QCOMPARE(json.value("last_active_ts"_L1).toInteger(), qint64{1'700'000'000'000});
        QCOMPARE(json.value("currently_active"_L1), QJsonValue(true));
    }

    // Your nickname for a person is said beside their own name, which display_name keeps.
    void aNicknameIsSaidBesideTheRealName()
    {
        QVERIFY(jsonOf(bob()).value("nickname"_L1).isNull());
        ContactListModel model;
        Nicknames nicknames;
        model.setNicknames(&nicknames);
        model.appendContacts({bob()});
        nicknames.setAll({{u"@bob:example.org"_s, u"Bobby"_s}});
        const QJsonObject json = ControlProtocol::contactJson(model, 0);
        QCOMPARE(json.value("nickname"_L1), QJsonValue(u"Bobby"_s));
        QCOMPARE(json.value("display_name"_L1), QJsonValue(u"Bob"_s));
    }

    // A contact's groups by id and name, in the groups' order; none: the default group.
    void aContactSaysItsGroups()
    {
        ContactListModel model;
        model.appendContacts({bob()});
        RosterGroupModel groups(&model);
        QCOMPARE(ControlProtocol::contactJson(model, 0, &groups).value("groups"_L1), QJsonValue(QJsonArray()));
        groups.setGroups({{u"w"_s, u"Work"_s, 0.25}, {u"f"_s, u"Family"_s, 0.5}},
                         {{u"@bob:example.org"_s, {u"f"_s, u"w"_s}}});
        const QJsonArray expected{QJsonObject{{u"id"_s, u"w"_s}, {u"name"_s, u"Work"_s}},
                                  QJsonObject{{u"id"_s, u"f"_s}, {u"name"_s, u"Family"_s}}};
        QCOMPARE(ControlProtocol::contactJson(model, 0, &groups).value("groups"_L1), QJsonValue(expected));
    }

    void anUnknownLastActiveIsNull()
    {
        Contact contact = bob();
        contact.state.lastActiveAtMs = 0;
        contact.displayName.clear();
        contact.state.statusMessage.clear();
        const QJsonObject json = jsonOf(contact);
        QVERIFY(json.value("last_active_ts"_L1).isNull());
        QCOMPARE(json.value("display_name"_L1), QJsonValue(u""_s));
        QCOMPARE(json.value("status_msg"_L1), QJsonValue(u""_s));
    }

    void withoutPresenceOnTheServerAContactSaysUnknownLikeTheWindow()
    {
        ContactListModel model;
        model.appendContacts({bob()});
        model.setPresenceAvailable(false);
        QCOMPARE(model.index(0).data(ContactListModel::PresenceRole).value<Presence>(), Presence::Unknown);
        QCOMPARE(ControlProtocol::contactJson(model, 0).value("presence"_L1), QJsonValue(u"unknown"_s));
        QCOMPARE(ControlProtocol::rosterJson(model, InvitationList()).first().toObject().value("presence"_L1), QJsonValue(u"unknown"_s));
        model.setPresenceAvailable(true);
        QCOMPARE(ControlProtocol::contactJson(model, 0).value("presence"_L1), QJsonValue(u"busy"_s));
    }

    void everyConnectionStateHasAWord_data()
    {
        QTest::addColumn<Account::State>("state");
        QTest::addColumn<QString>("word");
        using State = Account::State;
        QTest::newRow("signed out") << State::SignedOut << u"signed_out"_s;
        QTest::newRow("restoring") << State::Restoring << u"connecting"_s;
        QTest::newRow("keychain unavailable") << State::KeychainUnavailable << u"signed_out"_s;
        QTest::newRow("connecting") << State::Connecting << u"connecting"_s;
        QTest::newRow("live") << State::Live << u"live"_s;
        QTest::newRow("reconnecting") << State::Reconnecting << u"retrying"_s;
        QTest::newRow("offline") << State::Offline << u"offline"_s;
        QTest::newRow("session expired") << State::SessionExpired << u"expired"_s;
        QTest::newRow("session revoked") << State::SessionRevoked << u"expired"_s;
        QTest::newRow("signing out") << State::SigningOut << u"signed_out"_s;
    }

    void everyConnectionStateHasAWord()
    {
        QFETCH(Account::State, state);
        QFETCH(QString, word);
        QCOMPARE(QString(ControlProtocol::connectionName(state)), word);
    }

    void presenceNames_data()
    {
        QTest::addColumn<Presence>("presence");
        QTest::addColumn<QString>("name");
        QTest::newRow("online") << Presence::Online << u"online"_s;
        QTest::newRow("free for chat") << Presence::FreeForChat << u"free_for_chat"_s;
        QTest::newRow("away") << Presence::Unavailable << u"unavailable"_s;
        QTest::newRow("busy, without the MSC3026 prefix") << Presence::Busy << u"busy"_s;
        QTest::newRow("appear offline") << Presence::Hidden << u"hidden"_s;
        QTest::newRow("offline") << Presence::Offline << u"offline"_s;
        QTest::newRow("unknown") << Presence::Unknown << u"unknown"_s;
    }

    void presenceNames()
    {
        QFETCH(Presence, presence);
        QFETCH(QString, name);
        QCOMPARE(presenceName(presence), name);
        const std::optional<Presence> back = ControlProtocol::choosablePresence(name);
        QCOMPARE(back, presence == Presence::Unknown ? std::nullopt : std::optional(presence));
    }

    void choosableNames_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<std::optional<Presence>>("presence");
        QTest::newRow("away is unavailable") << u"away"_s << std::optional(Presence::Unavailable);
        QTest::newRow("appear_offline is hidden") << u"appear_offline"_s << std::optional(Presence::Hidden);
        QTest::newRow("a wire name") << u"org.matrix.msc3026.busy"_s << std::optional<Presence>();
        QTest::newRow("another case") << u"Away"_s << std::optional<Presence>();
        QTest::newRow("nonsense") << u"sideways"_s << std::optional<Presence>();
        QTest::newRow("empty") << QString() << std::optional<Presence>();
    }

    void choosableNames()
    {
        QFETCH(QString, name);
        QFETCH(std::optional<Presence>, presence);
        QCOMPARE(ControlProtocol::choosablePresence(name), presence);
    }

    void theUsageListsEveryChoosableName()
    {
        QCOMPARE(ControlProtocol::choosablePresenceNames(),
                 (QStringList{u"online"_s, u"free_for_chat"_s, u"away"_s, u"unavailable"_s, u"busy"_s, u"hidden"_s,
                              u"appear_offline"_s, u"offline"_s}));
    }

    void requestsSurviveTheLine_data()
    {
        QTest::addColumn<Request>("request");
        QTest::newRow("get") << Request{Command::Get, {}, {}, {}};
        QTest::newRow("roster") << Request{Command::Roster, {}, {}, {}};
        QTest::newRow("watch") << Request{Command::Watch, {}, {}, {}};
        QTest::newRow("show") << Request{Command::Show, {}, {}, {}};
        QTest::newRow("invite") << Request{Command::Invite, {}, {}, u"@bob:example.org"_s};
        QTest::newRow("set presence") << Request{Command::Set, Presence::Hidden, {}, {}};
        QTest::newRow("set status") << Request{Command::Set, {}, u"At lunch\n🥪 \"quoted\""_s, {}};
        QTest::newRow("clear status") << Request{Command::Set, {}, QString(), {}};
        QTest::newRow("set both") << Request{Command::Set, Presence::Busy, u"Busy"_s, {}};
    }

    void requestsSurviveTheLine()
    {
        QFETCH(Request, request);
        const QByteArray line = ControlProtocol::requestLine(request);
        QVERIFY(line.endsWith('\n'));
        QCOMPARE(line.count('\n'), 1);
        const ControlProtocol::ParsedRequest parsed = ControlProtocol::parseRequest(line);
        QVERIFY2(parsed.request, qPrintable(parsed.error));
        QCOMPARE(*parsed.request, request);
    }

    void theWireFormIsDocumented()
    {
        QCOMPARE(parsedLine(ControlProtocol::requestLine(Request{Command::Set, Presence::Unavailable, u"At lunch"_s, {}})),
                 (QJsonObject{{u"command"_s, u"set"_s}, {u"presence"_s, u"unavailable"_s}, {u"status_msg"_s, u"At lunch"_s}}));
        const ControlProtocol::ParsedRequest away =
            ControlProtocol::parseRequest(R"({"command":"set","presence":"away"})");
        QVERIFY(away.request);
        QCOMPARE(away.request->presence, std::optional(Presence::Unavailable));
    }

    void malformedRequestsAreRefusedWithAReason_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("blank") << QByteArray("\n");
        QTest::newRow("not JSON") << QByteArray("get\n");
        QTest::newRow("truncated") << QByteArray(R"({"command":"get")");
        QTest::newRow("an array") << QByteArray(R"(["get"])");
        QTest::newRow("a string") << QByteArray(R"("get")");
        QTest::newRow("no command") << QByteArray("{}");
        QTest::newRow("unknown command") << QByteArray(R"({"command":"fly"})");
        QTest::newRow("invite without a user") << QByteArray(R"({"command":"invite"})");
        QTest::newRow("invite of no Matrix ID") << QByteArray(R"({"command":"invite","user_id":"bob"})");
        QTest::newRow("invite of a number") << QByteArray(R"({"command":"invite","user_id":7})");
        QTest::newRow("command not a string") << QByteArray(R"({"command":1})");
        QTest::newRow("set without anything") << QByteArray(R"({"command":"set"})");
        QTest::newRow("set an unknown presence") << QByteArray(R"({"command":"set","presence":"sideways"})");
        QTest::newRow("set presence unknown") << QByteArray(R"({"command":"set","presence":"unknown"})");
        QTest::newRow("set presence not a string") << QByteArray(R"({"command":"set","presence":3})");
        QTest::newRow("set presence null") << QByteArray(R"({"command":"set","presence":null})");
        QTest::newRow("set status not a string") << QByteArray(R"({"command":"set","status_msg":false})");
        QTest::newRow("invalid UTF-8") << QByteArray("{\"command\":\"get\xff\xfe\"}");
        QTest::newRow("NUL bytes") << QByteArray("{\"command\"\0:\"get\"}", 18);
        QTest::newRow("deeply nested") << QByteArray(10000, '[') + QByteArray(10000, ']');
        QTest::newRow("two objects") << QByteArray(R"({"command":"get"}{"command":"get"})");
    }

    void malformedRequestsAreRefusedWithAReason()
    {
        QFETCH(QByteArray, line);
        const ControlProtocol::ParsedRequest parsed = ControlProtocol::parseRequest(line);
        QVERIFY(!parsed.request);
        QVERIFY(!parsed.error.isEmpty());
    }

    void ownStateSaysWhatYouChoseAndWhatOthersSee()
    {
        Account account;
        account.signIn(LoginSession{QUrl(u"http://127.0.0.1:9"_s), u"@me:example.org"_s, u"D"_s, u"t"_s});
        account.availability()->chooseWithStatus(Presence::Hidden, u"Heads down"_s);
        QCOMPARE(ControlProtocol::ownStateJson(account),
                 (QJsonObject{{u"user_id"_s, u"@me:example.org"_s}, {u"display_name"_s, u""_s},
                              {u"presence"_s, u"hidden"_s}, {u"status_msg"_s, u"Heads down"_s},
                              {u"advertised"_s, u"offline"_s}, {u"connection"_s, u"connecting"_s}}));
    }

    void watchEventsAndAnswersAreOneLine()
    {
        QCOMPARE(parsedLine(ControlProtocol::line(ControlProtocol::event("removed"_L1, {{u"user_id"_s, u"@b:x"_s}}))),
                 (QJsonObject{{u"event"_s, u"removed"_s}, {u"user_id"_s, u"@b:x"_s}}));
        const QByteArray error = ControlProtocol::line(ControlProtocol::errorJson(u"two\nlines"_s));
        QCOMPARE(error.count('\n'), 1);
        QCOMPARE(parsedLine(error).value("error"_L1), QJsonValue(u"two\nlines"_s));
    }

    void theSocketIsPerUser()
    {
        const QByteArray saved = qgetenv("XDG_RUNTIME_DIR");
        qputenv("XDG_RUNTIME_DIR", "/run/user/4242");
        QCOMPARE(ControlProtocol::socketPath(), u"/run/user/4242/presently/control.sock"_s);
        qunsetenv("XDG_RUNTIME_DIR");
        QCOMPARE(ControlProtocol::socketPath(), u"%1/presently-%2/control.sock"_s.arg(QDir::tempPath()).arg(::getuid()));
        qputenv("XDG_RUNTIME_DIR", saved);
    }

    void optionsMakeOneRequest()
    {
        const ControlCommandLine::Parsed set = parseOptions({u"--presence"_s, u"away"_s, u"--status"_s, u"At lunch"_s});
        QCOMPARE(set.request, std::optional(Request{Command::Set, Presence::Unavailable, u"At lunch"_s, {}}));
        const ControlCommandLine::Parsed clear = parseOptions({u"--status"_s, u""_s});
        QCOMPARE(clear.request, std::optional(Request{Command::Set, {}, QString(), {}}));
        QCOMPARE(parseOptions({u"--get"_s}).request, std::optional(Request{Command::Get, {}, {}, {}}));
        QCOMPARE(parseOptions({u"--watch"_s}).request, std::optional(Request{Command::Watch, {}, {}, {}}));
        QCOMPARE(parseOptions({u"--invite"_s, u"@bob:example.org"_s}).request,
                 std::optional(Request{Command::Invite, {}, {}, u"@bob:example.org"_s}));
        QVERIFY(!parseOptions({u"--invite"_s, u"bob"_s}).request);
        const ControlCommandLine::Parsed table = parseOptions({u"--roster"_s});
        QCOMPARE(table.request, std::optional(Request{Command::Roster, {}, {}, {}}));
        QVERIFY(table.asTable);
        QVERIFY(!parseOptions({u"--roster"_s, u"--json"_s}).asTable);
    }

    void usageErrorsSayWhatIsWrong_data()
    {
        QTest::addColumn<QStringList>("options");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("unknown presence") << QStringList{u"--presence"_s, u"sideways"_s} << u"appear_offline"_s;
        QTest::newRow("two requests") << QStringList{u"--get"_s, u"--roster"_s} << u"one of"_s;
        QTest::newRow("set and watch") << QStringList{u"--status"_s, u"x"_s, u"--watch"_s} << u"one of"_s;
        QTest::newRow("json alone") << QStringList{u"--json"_s} << u"--roster"_s;
        QTest::newRow("json with get") << QStringList{u"--get"_s, u"--json"_s} << u"--roster"_s;
    }

    void usageErrorsSayWhatIsWrong()
    {
        QFETCH(QStringList, options);
        QFETCH(QString, mentions);
        const ControlCommandLine::Parsed parsed = parseOptions(options);
        QVERIFY(!parsed.request);
        QVERIFY2(parsed.usageError.contains(mentions), qPrintable(parsed.usageError));
    }

    void theRosterTableIsForPeople()
    {
        Contact away = bob();
        away.userId = u"@al:example.org"_s;
        away.displayName = u"Al\x1b]0;pwned\x07"_s;  // a terminal escape sequence in a display name
        away.state.presence = Presence::Unavailable;
        away.state.currentlyActive = false;
        away.state.lastActiveAtMs = 1'000'000 - 5 * 60'000;
        away.state.statusMessage.clear();
        Contact online = bob();
        online.state.presence = Presence::Online;
        online.state.statusMessage = u"<b>Around</b>"_s;
        ContactListModel model;
        model.appendContacts({away, online});
        const QString table = ControlClient::rosterTable(ControlProtocol::rosterJson(model, InvitationList()), 1'000'000);

        const QStringList lines = table.split(u'\n');
        QCOMPARE(lines.size(), 3);
        QVERIFY(lines.at(0).startsWith(u"PRESENCE"_s));
        QVERIFY2(lines.at(1).startsWith(u"Online"_s), qPrintable(table));  // the most reachable first
        QVERIFY(lines.at(1).contains(u"@bob:example.org"_s));
        QVERIFY(lines.at(1).endsWith(u"<b>Around</b>"_s));
        QVERIFY(lines.at(2).startsWith(u"Away"_s));
        QVERIFY(lines.at(2).endsWith(u"active 5 min ago"_s));  // no padding for the empty status
        QVERIFY(!table.contains(QChar(0x1b)));
        QVERIFY(!table.contains(QChar(0x07)));
        QVERIFY(table.contains(u"Al\uFFFD]0;pwned\uFFFD"_s));
        // Columns line up: the user ID starts at the same place on every row.
        QCOMPARE(lines.at(1).indexOf(u"@bob"_s), lines.at(0).indexOf(u"USER"_s));
        QCOMPARE(lines.at(2).indexOf(u"@al"_s), lines.at(0).indexOf(u"USER"_s));
    }

    void aLastActiveTimeBeyondAnyClockReadsAsUnknown()
    {
        // Found by tests/fuzz/fuzz_control_answer: casting 1e300 to qint64 was undefined behaviour. On x86-64 the old
        // cast happened to give a value that also reads as unknown, so only that target's UBSan catches a relapse.
        const QJsonArray roster{QJsonObject{{u"user_id"_s, u"@far:x"_s}, {u"presence"_s, u"offline"_s},
                                            {u"last_active_ts"_s, 1e300}, {u"currently_active"_s, false}}};
        const QStringList lines = ControlClient::rosterTable(roster, 1'000'000).split(u'\n');
        QCOMPARE(lines.size(), 2);
        QVERIFY2(lines.at(1).endsWith(u"@far:x"_s), qPrintable(lines.at(1)));  // no last-active column text
    }

    void anAnswerPrintsWhatItsCommandShows()
    {
        using ControlProtocol::Command;
        const ControlClient::Output error =
            ControlClient::answerOutput(Command::Set, "{\"error\":\"no\\u001b[2J\"}", false, 0);
        QCOMPARE(error.exitCode, ControlClient::InstanceError);
        QVERIFY(error.standardOutput.isEmpty());
        QCOMPARE(error.standardError, QByteArray("Presently: no\xEF\xBF\xBD[2J\n"));
        const ControlClient::Output set = ControlClient::answerOutput(Command::Set, "{\"ok\":true}", false, 0);
        QCOMPARE(set.exitCode, ControlClient::Success);
        QVERIFY(set.standardOutput.isEmpty() && set.standardError.isEmpty());
        const ControlClient::Output get =
            ControlClient::answerOutput(Command::Get, "{\"presence\":\"online\"}", false, 0);
        QCOMPARE(get.standardOutput, QByteArray("{\n    \"presence\": \"online\"\n}\n"));
    }

    void theRosterTableListsPeopleInTheWindowsOrder()
    {
        const QList<Contact> contacts{
            person(u"@zoe:x"_s, u"zoe"_s, Presence::Unavailable),
            person(u"@bob10:x"_s, u"Bob 10"_s, Presence::Online),
            person(u"@unknown:x"_s, u"Aaron"_s, Presence::Unknown),
            person(u"@bob2:x"_s, u"bob 2"_s, Presence::FreeForChat),
            person(u"@sam2:x"_s, u"Sam"_s, Presence::Offline),
            person(u"@busy:x"_s, u"Bea"_s, Presence::Busy),
            person(u"@sam1:x"_s, u"Sam"_s, Presence::Offline),
            person(u"@carl:x"_s, {}, Presence::Online),  // no display name: the user ID is the name
            person(u"@amy:x"_s, u"Amy"_s, Presence::Unavailable),
        };
        ContactListModel model;
        QAbstractItemModelTester modelTester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.appendContacts(contacts);
        RosterGroupModel tree(&model);  // the window's chain, with no groups: everyone in the default group
        RosterFilterModel window;
        QAbstractItemModelTester tester(&window, QAbstractItemModelTester::FailureReportingMode::QtTest);
        window.setSourceModel(&tree);
        const QStringList windowOrder = shownUserIds(window);

        const QStringList tableOrder = userIdsIn(ControlClient::rosterTable(ControlProtocol::rosterJson(model, InvitationList()), 1'000'000));

        // By presence rank, then by name whatever its case, then equal names by user ID.
        const QStringList expected{u"@bob2:x"_s, u"@carl:x"_s, u"@bob10:x"_s, u"@busy:x"_s, u"@amy:x"_s,
                                   u"@zoe:x"_s, u"@sam1:x"_s, u"@sam2:x"_s, u"@unknown:x"_s};
        QCOMPARE(windowOrder, expected);
        QCOMPARE(tableOrder, windowOrder);
    }
};

QTEST_GUILESS_MAIN(ControlProtocolTest)
#include "tst_controlprotocol.moc"
