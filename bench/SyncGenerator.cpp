#include "SyncGenerator.h"

#include "ProcessMemory.h"
#include "matrix/SyncParser.h"

#include <QElapsedTimer>
#include <QRandomGenerator>

namespace {

// The large rooms' member counts sum to 46,284 with these defaults: 84 rooms of 463 and 16 of 462.
int largeRoomSize(const SyncShape &shape, int room)
{
    return room < shape.largeRooms - 16 ? shape.largeRoomMembers : shape.largeRoomMembers - 1;
}

QByteArray userId(const char *kind, int n)
{
    return "@" + QByteArray(kind) + QByteArray::number(n) + ":example.org";
}

QByteArray displayName(const char *kind, int n)
{
    // Some non-ASCII, as real names have.
    static const char *const surnames[] = {"Müller", "Øvergaard", "Nguyễn", "Smith", "Kowalski", "Ōta", "Silva", "Brown"};
    return QByteArray(kind) + " " + QByteArray::number(n) + " " + surnames[n % 8];
}

// Synapse event IDs: '$' and 43 URL-safe base64 characters.
QByteArray eventId(int serial)
{
    QByteArray id = "$" + QByteArray::number(serial, 36);
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (int i = static_cast<int>(id.size()); i < 44; ++i)
        id += alphabet[(serial * 31 + i * 17) % 64];
    return id;
}

void appendMember(QByteArray &out, const QByteArray &user, const QByteArray &name, int serial)
{
    out += R"({"type":"m.room.member","state_key":")" + user + R"(","sender":")" + user
        + R"(","content":{"membership":"join","displayname":")" + name
        + R"(","avatar_url":"mxc://example.org/)" + QByteArray::number(serial * 7919 % 1000003, 36) + "AvAtAr"
        + R"("},"event_id":")" + eventId(serial) + R"(","origin_server_ts":)" + QByteArray::number(1700000000000LL + serial)
        + R"(,"unsigned":{"age":)" + QByteArray::number(serial % 100000);
    // Like Synapse: an event that replaced earlier state carries it (here: the invite before the join).
    if (serial % 3 != 0)
        out += R"(,"replaces_state":")" + eventId(serial + 1) + R"(","prev_content":{"membership":"invite","displayname":")"
            + name + R"("},"prev_sender":")" + user + '"';
    out += "}}";
}

void appendPresence(QByteArray &out, const QByteArray &user, int serial, const char *state)
{
    out += R"({"type":"m.presence","sender":")" + user + R"(","content":{"presence":")" + state
        + R"(","last_active_ago":)" + QByteArray::number(serial % 3600000) + R"(,"currently_active":)"
        + (serial % 3 == 0 ? "true" : "false");
    if (serial % 4 == 0)
        out += R"(,"status_msg":"Working on item )" + QByteArray::number(serial) + R"( ✓")";
    out += "}}";
}

const char *stateFor(int n)
{
    static const char *const states[] = {"online", "unavailable", "offline", "online", "unavailable"};
    return states[n % 5];
}

void appendRoom(QByteArray &out, bool &firstRoom, const QByteArray &roomId, const QList<std::pair<QByteArray, QByteArray>> &members,
                int &serial)
{
    if (!firstRoom)
        out += ',';
    firstRoom = false;
    out += '"' + roomId + R"(":{"summary":{"m.joined_member_count":)" + QByteArray::number(members.size())
        + R"(,"m.invited_member_count":0},"state":{"events":[)";
    for (qsizetype i = 0; i < members.size(); ++i) {
        if (i > 0)
            out += ',';
        appendMember(out, members.at(i).first, members.at(i).second, serial++);
    }
    out += R"(]},"timeline":{"events":[],"limited":false,"prev_batch":"t1-2-3"},"ephemeral":{"events":[]},)"
           R"("account_data":{"events":[]},"unread_notifications":{"highlight_count":0,"notification_count":0}})";
}

} // namespace

int SyncShape::memberEvents() const
{
    int large = 0;
    for (int room = 0; room < largeRooms; ++room)
        large += largeRoomSize(*this, room);
    return directRooms * 2 + smallRooms * smallRoomMembers + large;
}

QByteArray generateInitialSync(const SyncShape &shape)
{
    QByteArray out;
    out.reserve(40 * 1024 * 1024);
    const QByteArray me = shape.ownUserId.toUtf8();
    int serial = 0;

    out += R"({"next_batch":"s1_initial","account_data":{"events":[{"type":"m.direct","content":{)";
    for (int i = 0; i < shape.directRooms; ++i) {
        if (i > 0)
            out += ',';
        out += '"' + userId("partner", i) + R"(":["!dm)" + QByteArray::number(i) + R"(:example.org"])";
    }
    out += R"(}}]},"presence":{"events":[)";
    for (int i = 0; i < shape.presenceEvents; ++i) {
        if (i > 0)
            out += ',';
        // Contacts first (partners, then friends), then strangers.
        const QByteArray user = i < shape.directRooms ? userId("partner", i)
                              : i < shape.directRooms + shape.friends ? userId("friend", i - shape.directRooms)
                                                                      : userId("stranger", i);
        appendPresence(out, user, i, stateFor(i));
    }
    out += R"(]},"rooms":{"join":{)";
    bool firstRoom = true;
    for (int i = 0; i < shape.directRooms; ++i)
        appendRoom(out, firstRoom, "!dm" + QByteArray::number(i) + ":example.org",
                   {{me, "Me"}, {userId("partner", i), displayName("Partner", i)}}, serial);
    int nextFriend = 0;
    for (int r = 0; r < shape.smallRooms; ++r) {
        QList<std::pair<QByteArray, QByteArray>> members{{me, "Me"}};
        for (int m = 1; m < shape.smallRoomMembers; ++m) {
            const int n = nextFriend++ % shape.friends;
            members.append({userId("friend", n), displayName("Friend", n)});
        }
        appendRoom(out, firstRoom, "!small" + QByteArray::number(r) + ":example.org", members, serial);
    }
    int nextStranger = 0;
    for (int r = 0; r < shape.largeRooms; ++r) {
        QList<std::pair<QByteArray, QByteArray>> members{{me, "Me"}};
        for (int m = 1; m < largeRoomSize(shape, r); ++m) {
            const int n = nextStranger++ % shape.strangers;
            members.append({userId("stranger", n), displayName("Stranger", n)});
        }
        appendRoom(out, firstRoom, "!large" + QByteArray::number(r) + ":example.org", members, serial);
    }
    out += R"(}},"device_one_time_keys_count":{"signed_curve25519":50},"device_lists":{"changed":[],"left":[]}})";
    return out;
}

QByteArray generateIncrementalSync(int seq, int presenceUpdates, const SyncShape &shape)
{
    QByteArray out = R"({"next_batch":"s)" + QByteArray::number(seq + 2) + R"(","presence":{"events":[)";
    QRandomGenerator random(static_cast<quint32>(seq) * 2654435761u + 1);
    for (int i = 0; i < presenceUpdates; ++i) {
        if (i > 0)
            out += ',';
        const int n = static_cast<int>(random.bounded(shape.friends));
        appendPresence(out, userId("friend", n), seq * presenceUpdates + i, stateFor(seq + i + n));
    }
    out += R"(]},"rooms":{"join":{}},"account_data":{"events":[]}})";
    return out;
}

ParseFigures measureParse(const QByteArray &body, int rounds)
{
    ParseFigures figures;
    const SyncParseResult warmUp = parseSync(body);
    if (warmUp.batch) {
        figures.presenceEvents = static_cast<int>(warmUp.batch->presence.size());
        figures.rooms = static_cast<int>(warmUp.batch->joinedRooms.size());
        for (const RoomUpdate &room : warmUp.batch->joinedRooms)
            figures.memberEvents += static_cast<int>(room.memberChanges.size());
    }
    qint64 bestNs = std::numeric_limits<qint64>::max();
    for (int round = 0; round < rounds; ++round) {
        QElapsedTimer timer;
        timer.start();
        const SyncParseResult result = parseSync(body);
        bestNs = std::min(bestNs, timer.nsecsElapsed());
        Q_UNUSED(result);
    }
    figures.mbPerSecond = body.size() / 1e6 / (bestNs / 1e9);
    figures.peakRssMb = ProcessMemory::statusMb("VmHWM");
    return figures;
}
