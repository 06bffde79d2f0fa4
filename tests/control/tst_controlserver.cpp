// The running instance's end of the control socket, over a real local socket with an account that talks to no
// server: a private socket directory, one instance per socket, a stale socket replaced, hostile and oversized
// lines answered without harm, `set` and `show`, and what --watch streams (only what a person could see change,
// once per event-loop turn, including the connection).
#include "session/Account.h"
#include "control/ControlServer.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocalSocket>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>

using namespace Qt::Literals::StringLiterals;

namespace {
constexpr int answerTimeoutMs = 5000;

// A client speaking the protocol by hand, so it can also speak it badly.
class Peer {
public:
    explicit Peer(const QString &path)
    {
        m_socket.connectToServer(path);
        m_socket.waitForConnected(answerTimeoutMs);
    }
    QLocalSocket &socket() { return m_socket; }
    void send(const QByteArray &bytes)
    {
        m_socket.write(bytes);
        m_socket.flush();
    }
    // The next line the server writes, as JSON; empty when none comes in time. The event loop runs
    // meanwhile: the server lives in this thread.
    QJsonObject next() { return nextDocument().object(); }
    QJsonDocument nextDocument()
    {
        const QDeadlineTimer deadline(answerTimeoutMs);
        while (!m_socket.canReadLine() && !deadline.hasExpired())
            QTest::qWait(5);
        return m_socket.canReadLine() ? QJsonDocument::fromJson(m_socket.readLine()) : QJsonDocument();
    }

private:
    QLocalSocket m_socket;
};

Contact contact(const QString &userId, Presence presence = Presence::Online, const QString &status = {})
{
    Contact made;
    made.userId = userId;
    made.state.presence = presence;
    made.state.rawPresence = presenceToWire(presence);
    made.state.statusMessage = status;
    return made;
}

// Whether a watcher gets no further line once the server has had a few turns to say one.
bool saysNothingMore(Peer &watcher)
{
    QTest::qWait(50);
    return !watcher.socket().canReadLine();
}

// What a crashed instance leaves behind: a socket file nobody listens on.
bool makeStaleSocket(const QString &path)
{
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    const QByteArray encoded = QFile::encodeName(path);
    std::memcpy(address.sun_path, encoded.constData(), static_cast<std::size_t>(encoded.size()));
    const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    const bool bound = ::bind(fd, reinterpret_cast<const sockaddr *>(&address), sizeof(address)) == 0;
    ::close(fd);
    return bound;
}
} // namespace

class ControlServerTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        m_path = m_dir->filePath(u"presently/control.sock"_s);
        QSettings().clear();  // each test a new user of this machine: no choice remembered from the one before
        m_account = std::make_unique<Account>();
        // Nothing listens on port 9: choices are taken and their PUTs fail quietly in the background.
        m_account->signIn(LoginSession{QUrl(u"http://127.0.0.1:9"_s), u"@me:example.org"_s, u"D"_s, u"t"_s});
        // Its first sync fails; it stays retrying from then on, so no connection change interrupts a test.
        QTRY_COMPARE(m_account->state(), Account::State::Reconnecting);
        m_server = std::make_unique<ControlServer>(m_account.get());
        QVERIFY2(m_server->listen(m_path), qPrintable(m_server->problem()));
    }

    void cleanup()
    {
        m_server.reset();
        m_account.reset();
        m_dir.reset();
    }

    void itListensWhereOnlyThisUserCanEnter()
    {
        const QString directory = QFileInfo(m_path).absolutePath();
        QCOMPARE(QFileInfo(directory).permissions() & ~QFile::Permissions(QFile::ReadUser | QFile::WriteUser | QFile::ExeUser),
                 QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        QVERIFY(QFileInfo(m_path).exists());

        // A directory someone opened up is closed again.
        m_server.reset();
        QVERIFY(QFile::setPermissions(directory, QFile::Permissions(0x7777)));
        ControlServer again(m_account.get());
        QVERIFY2(again.listen(m_path), qPrintable(again.problem()));
        QVERIFY(!(QFileInfo(directory).permissions() & (QFile::ReadGroup | QFile::ExeOther | QFile::WriteOther)));
    }

    void aSecondInstanceIsRefusedAndAQuitOneLeavesNothing()
    {
        ControlServer second(m_account.get());
        QVERIFY(!second.listen(m_path));
        QVERIFY(second.problem().contains(m_path));
        QCOMPARE(Peer(m_path).socket().state(), QLocalSocket::ConnectedState);  // the first still answers

        m_server.reset();
        QVERIFY(!QFileInfo::exists(m_path));
        QVERIFY2(second.listen(m_path), qPrintable(second.problem()));
    }

    void aStaleSocketIsReplaced()
    {
        m_server.reset();
        QVERIFY(makeStaleSocket(m_path));
        QVERIFY(QFileInfo::exists(m_path));
        QCOMPARE(Peer(m_path).socket().state(), QLocalSocket::UnconnectedState);

        ControlServer next(m_account.get());
        QVERIFY2(next.listen(m_path), qPrintable(next.problem()));
        Peer peer(m_path);
        peer.send(R"({"command":"get"})" "\n");
        QCOMPARE(peer.next().value("user_id"_L1), QJsonValue(u"@me:example.org"_s));
    }

    void hostileLinesAreAnsweredAndTheServerCarriesOn()
    {
        Peer peer(m_path);
        // In one write, as a careless script might send them.
        peer.send("not json\n"
                  "\xff\xfe\x00\x01\n"
                  "[\"get\"]\n"
                  "{\"command\":\"fly\"}\n"
                  "{\"command\":\"set\",\"presence\":\"sideways\"}\n"
                  "{\"command\":\"set\",\"status_msg\":[1]}\n"
                  "\n"_ba);
        for (int answer = 0; answer < 7; ++answer) {
            const QJsonObject reply = peer.next();
            QVERIFY2(reply.value("error"_L1).isString(), qPrintable(QString::number(answer)));
        }
        QCOMPARE(m_account->availability()->chosen(), Presence::Online);  // nothing was taken
        peer.send(R"({"command":"get"})" "\n");
        QCOMPARE(peer.next().value("user_id"_L1), QJsonValue(u"@me:example.org"_s));
    }

    void anOverlongRequestIsCutOff_data()
    {
        QTest::addColumn<QByteArray>("request");
        QTest::newRow("still coming") << QByteArray(ControlServer::maxRequestBytes + 1024, 'x');
        // A valid request padded out: the length alone refuses it, however it arrives.
        QTest::newRow("whole line") << QByteArray("{\"command\":\"get\",\"padding\":\"" + QByteArray(ControlServer::maxRequestBytes, 'x') + "\"}\n");
    }

    void anOverlongRequestIsCutOff()
    {
        QFETCH(QByteArray, request);
        Peer peer(m_path);
        peer.send(request);
        QVERIFY(peer.next().value("error"_L1).isString());
        QTRY_COMPARE(peer.socket().state(), QLocalSocket::UnconnectedState);

        Peer next(m_path);
        next.send(R"({"command":"get"})" "\n");
        QCOMPARE(next.next().value("user_id"_L1), QJsonValue(u"@me:example.org"_s));
    }

    void setIsTakenLikeAChoiceInTheWindow()
    {
        Peer peer(m_path);
        peer.send(R"({"command":"set","presence":"away","status_msg":"At lunch"})" "\n");
        QCOMPARE(peer.next(), (QJsonObject{{u"ok"_s, true}}));
        QCOMPARE(m_account->availability()->chosen(), Presence::Unavailable);
        QCOMPARE(m_account->availability()->statusMessage(), u"At lunch"_s);

        peer.send(R"({"command":"set","status_msg":""})" "\n");
        QCOMPARE(peer.next(), (QJsonObject{{u"ok"_s, true}}));
        QCOMPARE(m_account->availability()->chosen(), Presence::Unavailable);  // kept
        QCOMPARE(m_account->availability()->statusMessage(), QString());
    }

    void setWithoutASessionIsRefused()
    {
        m_account->signOut();
        Peer peer(m_path);
        peer.send(R"({"command":"set","presence":"busy"})" "\n");
        QVERIFY(peer.next().value("error"_L1).toString().contains(u"signed in"_s));
        QCOMPARE(m_account->availability()->chosen(), Presence::Online);
    }

    void showAsksForTheWindow()
    {
        QSignalSpy shown(m_server.get(), &ControlServer::showRequested);
        Peer peer(m_path);
        peer.send(R"({"command":"show"})" "\n");
        QCOMPARE(peer.next(), (QJsonObject{{u"ok"_s, true}}));
        QCOMPARE(shown.size(), 1);
    }

    void watchStreamsOnlyWhatChanged()
    {
        ContactListModel *contacts = m_account->contacts();
        contacts->appendContacts({contact(u"@al:x"_s), contact(u"@bob:x"_s)});
        Peer watcher(m_path);
        watcher.send(R"({"command":"watch"})" "\n");
        const QJsonObject first = watcher.next();
        QCOMPARE(first.value("event"_L1), QJsonValue(u"self"_s));
        QCOMPARE(first.value("presence"_L1), QJsonValue(u"online"_s));

        // An avatar is nothing a script sees: the next line is the status change after it.
        Contact bob = contacts->contactAt(1);
        bob.avatarUrl = u"mxc://x/new"_s;
        contacts->updateContact(1, bob);
        bob.state.statusMessage = u"Reading"_s;
        contacts->updateContact(1, bob);
        QJsonObject line = watcher.next();
        QCOMPARE(line.value("event"_L1), QJsonValue(u"contact"_s));
        QCOMPARE(line.value("user_id"_L1), QJsonValue(u"@bob:x"_s));
        QCOMPARE(line.value("status_msg"_L1), QJsonValue(u"Reading"_s));

        // A large batch signals every row; only the one whose JSON changed is streamed.
        Contact al = contacts->contactAt(0);
        al.avatarUrl = u"mxc://x/al"_s;
        bob.state.presence = Presence::Unavailable;
        QList<int> roles = contacts->updateContact(0, al, ContactListModel::Notify::Deferred);
        roles += contacts->updateContact(1, bob, ContactListModel::Notify::Deferred);
        contacts->notifyAllRowsChanged(roles);
        contacts->appendContacts({contact(u"@cy:x"_s, Presence::Busy, u"New here"_s)});
        contacts->removeContact(u"@al:x"_s);
        m_account->availability()->chooseWithStatus(Presence::Busy, u"Deep work"_s);

        // All in one turn: contacts in the order first named (al by the batch), then your own state.
        QCOMPARE(watcher.next(), (QJsonObject{{u"event"_s, u"removed"_s}, {u"user_id"_s, u"@al:x"_s}}));
        line = watcher.next();
        QCOMPARE(line.value("user_id"_L1), QJsonValue(u"@bob:x"_s));
        QCOMPARE(line.value("presence"_L1), QJsonValue(u"unavailable"_s));
        line = watcher.next();
        QCOMPARE(line.value("event"_L1), QJsonValue(u"contact"_s));
        QCOMPARE(line.value("user_id"_L1), QJsonValue(u"@cy:x"_s));
        QCOMPARE(line.value("status_msg"_L1), QJsonValue(u"New here"_s));
        QCOMPARE(watcher.next(), (QJsonObject{{u"event"_s, u"self"_s}, {u"user_id"_s, u"@me:example.org"_s},
                                             {u"display_name"_s, u""_s}, {u"presence"_s, u"busy"_s},
                                             {u"status_msg"_s, u"Deep work"_s}, {u"advertised"_s, u"unavailable"_s},
                                             {u"connection"_s, u"retrying"_s}}));
        QVERIFY(saysNothingMore(watcher));
    }

    void watchIsQuietAboutWhatNobodySees()
    {
        constexpr qint64 lastActive = 1'700'000'000'000;
        ContactListModel *contacts = m_account->contacts();
        Contact bob = contact(u"@bob:x"_s, Presence::Unavailable);
        bob.state.lastActiveAtMs = lastActive;
        contacts->appendContacts({bob});
        Peer watcher(m_path);
        watcher.send(R"({"command":"watch"})" "\n");
        QCOMPARE(watcher.next().value("event"_L1), QJsonValue(u"self"_s));

        // Synapse re-sending last_active_ago against a new "now": the same minute to a person.
        bob.state.lastActiveAtMs = lastActive + 7;
        contacts->updateContact(0, bob);
        QVERIFY(saysNothingMore(watcher));

        // A name arriving twice in one turn (member event, then profile) is one line, with the newest name.
        bob.displayName = u"B"_s;
        contacts->updateContact(0, bob);
        bob.displayName = u"Bob"_s;
        contacts->updateContact(0, bob);
        QJsonObject line = watcher.next();
        QCOMPARE(line.value("display_name"_L1), QJsonValue(u"Bob"_s));
        QCOMPARE(line.value("last_active_ts"_L1).toInteger(), lastActive + 7);
        QVERIFY(saysNothingMore(watcher));

        // Active again minutes later is a change; while currently active ("online now") the time is not.
        bob.state.lastActiveAtMs = lastActive + 3 * 60'000;
        contacts->updateContact(0, bob);
        QCOMPARE(watcher.next().value("last_active_ts"_L1).toInteger(), lastActive + 3 * 60'000);
        bob.state.currentlyActive = true;
        contacts->updateContact(0, bob);
        QCOMPARE(watcher.next().value("currently_active"_L1), QJsonValue(true));
        bob.state.lastActiveAtMs = lastActive + 10 * 60'000;
        contacts->updateContact(0, bob);
        QVERIFY(saysNothingMore(watcher));

        // Added and removed within one turn: nobody was told of it, so nothing is said.
        contacts->appendContacts({contact(u"@brief:x"_s)});
        contacts->removeContact(u"@brief:x"_s);
        QVERIFY(saysNothingMore(watcher));
    }

    void getAndWatchSayWhatTheConnectionDoes()
    {
        Peer peer(m_path);
        peer.send(R"({"command":"get"})" "\n");
        QCOMPARE(peer.next().value("connection"_L1), QJsonValue(u"retrying"_s));
        Peer watcher(m_path);
        watcher.send(R"({"command":"watch"})" "\n");
        QCOMPARE(watcher.next().value("connection"_L1), QJsonValue(u"retrying"_s));

        // Choosing Offline changes the choice and the connection in one turn: one line says both.
        m_account->availability()->choose(Presence::Offline);
        QCOMPARE(m_account->state(), Account::State::Offline);
        const QJsonObject line = watcher.next();
        QCOMPARE(line.value("event"_L1), QJsonValue(u"self"_s));
        QCOMPARE(line.value("presence"_L1), QJsonValue(u"offline"_s));
        QCOMPARE(line.value("connection"_L1), QJsonValue(u"offline"_s));
        QVERIFY(saysNothingMore(watcher));
    }

    void withoutPresenceOnTheServerRosterAndWatchSayUnknown()
    {
        ContactListModel *contacts = m_account->contacts();
        contacts->appendContacts({contact(u"@al:x"_s, Presence::Offline), contact(u"@bob:x"_s, Presence::Online)});
        Peer watcher(m_path);
        watcher.send(R"({"command":"watch"})" "\n");
        QCOMPARE(watcher.next().value("event"_L1), QJsonValue(u"self"_s));

        contacts->setPresenceAvailable(false);
        for (const QString &userId : {u"@al:x"_s, u"@bob:x"_s}) {
            const QJsonObject line = watcher.next();
            QCOMPARE(line.value("user_id"_L1), QJsonValue(userId));
            QCOMPARE(line.value("presence"_L1), QJsonValue(u"unknown"_s));
        }
        Peer peer(m_path);
        peer.send(R"({"command":"roster"})" "\n");
        const QJsonArray roster = peer.nextDocument().array();
        QCOMPARE(roster.size(), 2);
        for (const QJsonValue &row : roster)
            QCOMPARE(row.toObject().value("presence"_L1), QJsonValue(u"unknown"_s));
    }

    void aWatcherThatDoesNotReadIsDropped()
    {
        Peer stuck(m_path);
        stuck.socket().setReadBufferSize(1);  // takes next to nothing off the socket
        stuck.send(R"({"command":"watch"})" "\n");
        QTRY_VERIFY(stuck.socket().bytesAvailable() > 0);  // watching
        Peer reader(m_path);
        reader.send(R"({"command":"watch"})" "\n");
        QCOMPARE(reader.next().value("event"_L1), QJsonValue(u"self"_s));
        int received = 0;
        const auto receive = [&reader, &received] {
            while (reader.socket().canReadLine() && !reader.socket().readLine().isEmpty())
                ++received;
            return received;
        };

        // Batches as a sync brings them, each read by the reader before the next: the stuck watcher falls ever
        // further behind until the server lets it go; the reader keeps up and stays.
        const QString padding(200, u'p');
        int contactCount = 0;
        while (contactCount * padding.size() < ControlServer::maxUnreadEventBytes * 2) {
            QList<Contact> batch;
            for (int index = 0; index < 1000; ++index)
                batch.append(contact(u"@%1%2:x"_s.arg(padding).arg(contactCount++)));
            m_account->contacts()->appendContacts(batch);
            QTRY_COMPARE(receive(), contactCount);
        }
        QCOMPARE(reader.socket().state(), QLocalSocket::ConnectedState);
        // Reading at last, the stuck one finds the server hung up on it: it cannot have had every event.
        stuck.socket().setReadBufferSize(0);
        QTRY_COMPARE(stuck.socket().state(), QLocalSocket::UnconnectedState);
        QCOMPARE_LT(stuck.socket().readAll().count('\n'), contactCount + 1);
    }

    void theOnlyWatcherDroppedInTheMiddleOfABatchIsSafe()
    {
        // Dropping the last watcher ends the feed while the feed is still emitting that batch.
        Peer stuck(m_path);
        stuck.socket().setReadBufferSize(1);
        stuck.send(R"({"command":"watch"})" "\n");
        QTRY_VERIFY(stuck.socket().bytesAvailable() > 0);
        const QString padding(200, u'p');
        QList<Contact> batch;
        for (int index = 0; index * padding.size() < ControlServer::maxUnreadEventBytes * 2; ++index)
            batch.append(contact(u"@%1%2:x"_s.arg(padding).arg(index)));
        m_account->contacts()->appendContacts(batch);
        stuck.socket().setReadBufferSize(0);
        QTRY_COMPARE(stuck.socket().state(), QLocalSocket::UnconnectedState);

        // The instance still answers, and a new watcher gets a fresh feed.
        Peer next(m_path);
        next.send(R"({"command":"watch"})" "\n");
        QCOMPARE(next.next().value("event"_L1), QJsonValue(u"self"_s));
        m_account->contacts()->appendContacts({contact(u"@late:x"_s)});
        QCOMPARE(next.next().value("user_id"_L1), QJsonValue(u"@late:x"_s));
    }

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;
    std::unique_ptr<Account> m_account;
    std::unique_ptr<ControlServer> m_server;
};

QTEST_GUILESS_MAIN(ControlServerTest)
#include "tst_controlserver.moc"
