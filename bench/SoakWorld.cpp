#include "SoakWorld.h"

#include "roster/Roster.h"

#include <QMap>

using namespace Qt::Literals::StringLiterals;

namespace {

constexpr qint64 hourMs = 3600 * 1000;

QByteArray json(const QString &text)
{
    // The world's own strings need no escaping: names, messages and IDs hold no quote or backslash.
    return '"' + text.toUtf8() + '"';
}

PresenceState randomPresence(QRandomGenerator &random, qint64 nowMs)
{
    static const char *const wire[] = {"online", "unavailable", "offline"};
    static const char *const messages[] = {"In a meeting until %1", "Lunch 🍜 (%1)", "Working on item %1 ✓"};
    PresenceState state;
    state.rawPresence = QString::fromLatin1(wire[random.bounded(3)]);
    state.presence = presenceFromWire(state.rawPresence);
    if (random.bounded(4) != 0)
        state.statusMessage = QString::fromUtf8(messages[random.bounded(3)]).arg(random.bounded(1000));
    state.currentlyActive = state.presence == Presence::Online && random.bounded(2) == 0;
    // Now and then the server does not know when someone was last active.
    if (random.bounded(12) != 0)
        state.lastActiveAtMs = nowMs - random.bounded(static_cast<int>(hourMs));
    return state;
}

} // namespace

// One body being written: what happened to which room is collected while the steps run, and written out at the end
// as Synapse groups it (presence, then rooms by section, each room's member events in order).
class SoakWorld::SyncBody {
public:
    explicit SyncBody(SoakWorld &world) : m_world(world) {}

    // Whether you left or rejoined the room in this body: then nothing else happens to it here.
    bool touched(int room) const { return m_fullRooms.contains(room) || m_leftRooms.contains(room); }

    // The person's presence as it is when the body is served: Synapse sends one event per person, their latest,
    // with last_active_ago counted from then. `withProfile`: as older servers did, with the global profile.
    void addPresence(int person, bool withProfile) { m_presence[person] |= withProfile; }

    void addMemberEvent(int room, const Person &person, bool joined) { appendMember(m_memberEvents[room], person, joined); }
    void addFullRoom(int room) { m_fullRooms.insert(room); }
    void addLeftRoom(int room) { m_leftRooms.insert(room); }

    QByteArray finish(bool limitedTimelines, const QByteArray &directChats)
    {
        QByteArray out = R"({"next_batch":"s)" + QByteArray::number(++m_world.m_syncSerial) + '"';
        if (!directChats.isEmpty())
            out += R"(,"account_data":{"events":[{"type":"m.direct","content":{)" + directChats + "}}]}";
        out += R"(,"presence":{"events":[)";
        for (auto it = m_presence.cbegin(); it != m_presence.cend(); ++it)
            appendPresence(out, m_world.m_people.at(it.key()), it.value());
        out += R"(]},"rooms":{"join":{)";
        bool first = true;
        for (auto it = m_memberEvents.cbegin(); it != m_memberEvents.cend(); ++it) {
            if (!touched(it.key()))
                appendJoinedRoom(out, first, it.key(), limitedTimelines ? it.value() : QByteArray(),
                                 limitedTimelines ? QByteArray() : it.value(), limitedTimelines);
        }
        for (const int room : std::as_const(m_fullRooms)) {
            QByteArray state;
            appendMember(state, m_world.m_you, true);
            for (const int member : std::as_const(m_world.m_rooms.at(room).joined))
                appendMember(state, m_world.m_people.at(member), true);
            appendJoinedRoom(out, first, room, state, {}, false);
        }
        out += R"(},"leave":{)";
        first = true;
        for (const int room : std::as_const(m_leftRooms)) {
            if (!first)
                out += ',';
            first = false;
            out += '"' + m_world.m_rooms.at(room).roomId + R"(":{"timeline":{"events":[]}})";
        }
        out += "}}}";
        return out;
    }

private:
    void appendPresence(QByteArray &out, const Person &person, bool withProfile)
    {
        if (!person.presence)
            return;
        const PresenceState &state = *person.presence;
        if (!out.endsWith('['))
            out += ',';
        out += R"({"type":"m.presence","sender":")" + person.userId + R"(","content":{"presence":)" + json(state.rawPresence)
            + R"(,"currently_active":)" + (state.currentlyActive ? "true" : "false");
        if (state.lastActiveAtMs != 0)
            out += R"(,"last_active_ago":)" + QByteArray::number(m_world.m_nowMs - state.lastActiveAtMs);
        if (!state.statusMessage.isEmpty())
            out += R"(,"status_msg":)" + json(state.statusMessage);
        if (withProfile)
            out += R"(,"displayname":)" + json(person.global.displayName) + R"(,"avatar_url":)" + json(person.global.avatarUrl);
        out += "}}";
    }

    void appendMember(QByteArray &out, const Person &person, bool joined)
    {
        if (!out.isEmpty())
            out += ',';
        out += R"({"type":"m.room.member","state_key":")" + person.userId + R"(","sender":")" + person.userId
            + R"(","content":{"membership":)";
        if (joined)
            out += R"("join","displayname":)" + json(person.global.displayName) + R"(,"avatar_url":)"
                + json(person.global.avatarUrl);
        else
            out += R"("leave")";
        out += R"(},"event_id":"$soak)" + QByteArray::number(++m_world.m_eventSerial, 36) + R"(","origin_server_ts":)"
            + QByteArray::number(m_world.m_nowMs) + R"(,"unsigned":{"age":0}})";
    }

    void appendJoinedRoom(QByteArray &out, bool &first, int room, const QByteArray &stateEvents,
                          const QByteArray &timelineEvents, bool limited)
    {
        if (!first)
            out += ',';
        first = false;
        const Room &joined = m_world.m_rooms.at(room);
        // The summary counts you too; Synapse sends it whenever the membership changed.
        out += '"' + joined.roomId + R"(":{"summary":{"m.joined_member_count":)" + QByteArray::number(joined.joined.size() + 1)
            + R"(},"state":{"events":[)" + stateEvents + R"(]},"timeline":{"events":[)" + timelineEvents
            + R"(],"limited":)" + (limited ? "true" : "false") + "}}";
    }

    SoakWorld &m_world;
    QMap<int, bool> m_presence;  // people whose presence goes out, and whether with their profile
    QMap<int, QByteArray> m_memberEvents;  // by room, in the order they happened
    QSet<int> m_fullRooms;
    QSet<int> m_leftRooms;
};

SoakWorld::SoakWorld(const SoakShape &shape)
    : m_shape(shape)
    , m_random(shape.seed)
    , m_friends(shape.people + shape.people / 10)
{
    m_you.userId = shape.ownUserId.toUtf8();
    m_you.global = {QStringLiteral("Me"), {}};
    addPeople();
    addRooms();
}

void SoakWorld::addPeople()
{
    for (int i = 0; i < m_friends + m_shape.strangers; ++i) {
        m_people.append(Person{});
        becomeSomeone(i, QByteArray::number(i < m_friends ? i : i - m_friends));
    }
}

void SoakWorld::becomeSomeone(int index, const QByteArray &name)
{
    // Some non-ASCII, as real names have.
    static const char *const surnames[] = {"Müller", "Øvergaard", "Nguyễn", "Smith", "Kowalski", "Ōta", "Silva", "Brown"};
    const bool isFriend = index < m_friends;
    const QByteArray kind = isFriend ? "friend" : "stranger";
    Person &person = m_people[index];
    m_personByUserId.remove(QString::fromUtf8(person.userId));
    person.userId = '@' + kind + name + ":soak.example.org";
    person.first.displayName = QStringLiteral("%1 %2 %3")
                                   .arg(isFriend ? u"Friend" : u"Stranger", QString::fromUtf8(name),
                                        QString::fromUtf8(surnames[index % 8]));
    person.first.avatarUrl = QString::fromUtf8("mxc://soak.example.org/" + kind + name);
    person.global = person.first;
    person.profileChanges = 0;
    person.presence.reset();
    if (m_random.bounded(8) != 0)
        person.presence = randomPresence(m_random, m_nowMs);
    m_personByUserId.insert(QString::fromUtf8(person.userId), index);
}

void SoakWorld::addRooms()
{
    const auto addRoom = [this](const QByteArray &roomId, Room::Kind kind) {
        Room room;
        room.roomId = roomId;
        room.kind = kind;
        m_roomById.insert(QString::fromUtf8(roomId), static_cast<int>(m_rooms.size()));
        m_rooms.append(room);
        return static_cast<int>(m_rooms.size()) - 1;
    };
    const auto join = [this](int person, int room) {
        m_people[person].homeRooms.append(room);
        if (m_random.bounded(10) != 0)  // most of the people who belong are in at the start
            m_rooms[room].joined.insert(person);
    };

    const int smallRooms = std::max(1, m_friends / 5);
    QList<int> small;
    for (int r = 0; r < smallRooms; ++r)
        small.append(addRoom("!small" + QByteArray::number(r) + ":soak.example.org", Room::Kind::Small));
    QList<int> large;
    for (int r = 0; r < m_shape.largeRooms; ++r)
        large.append(addRoom("!large" + QByteArray::number(r) + ":soak.example.org", Room::Kind::Large));

    for (int person = 0; person < m_friends; ++person) {
        const bool partner = person % 4 == 0;
        if (partner) {
            const int room = addRoom("!dm" + QByteArray::number(person) + ":soak.example.org", Room::Kind::Direct);
            m_rooms[room].partner = person;
            join(person, room);
        }
        // Partners share a small room less often: the direct chat already makes them contacts.
        const int smallCount = partner ? static_cast<int>(m_random.bounded(2)) : 1 + static_cast<int>(m_random.bounded(3));
        for (int i = 0; i < smallCount; ++i) {
            const int room = small.at(randomIndex(small.size()));
            if (!m_people.at(person).homeRooms.contains(room))
                join(person, room);
        }
        if (!large.isEmpty() && person < m_friends / 20)
            join(person, large.at(person % large.size()));
    }
    for (int person = m_friends; person < m_people.size() && !large.isEmpty(); ++person)
        join(person, large.at(person % large.size()));
}

bool SoakWorld::sharesRoomWithYou(int person) const
{
    const QList<int> &rooms = m_people.at(person).homeRooms;
    return std::any_of(rooms.cbegin(), rooms.cend(), [&](int room) {
        return m_rooms.at(room).youAreIn && m_rooms.at(room).joined.contains(person);
    });
}

QByteArray SoakWorld::initialSync()
{
    SyncBody body(*this);
    QByteArray directChats;
    for (int room = 0; room < m_rooms.size(); ++room) {
        const Room &candidate = m_rooms.at(room);
        if (candidate.kind == Room::Kind::Direct) {
            if (!directChats.isEmpty())
                directChats += ',';
            directChats += '"' + m_people.at(candidate.partner).userId + R"(":[")" + candidate.roomId + R"("])";
        }
        if (candidate.youAreIn)
            body.addFullRoom(room);
    }
    for (int person = 0; person < m_people.size(); ++person) {
        if (sharesRoomWithYou(person))
            body.addPresence(person, false);
    }
    return body.finish(false, directChats);
}

QByteArray SoakWorld::incrementalSync(int steps, bool limitedTimelines)
{
    SyncBody body(*this);
    for (int i = 0; i < steps; ++i)
        step(body);
    return body.finish(limitedTimelines, {});
}

void SoakWorld::step(SyncBody &body)
{
    // A busy account's mix: mostly presence, some renames and new avatars, people coming and going, and now and
    // then you leaving or rejoining a room. Joining and leaving are equally likely, so that the rooms keep their
    // size; a kind of step that finds nothing to do in a few tries (no one left to join) is a presence change.
    m_nowMs += m_random.bounded(1200);
    const int pick = static_cast<int>(m_random.bounded(100));
    const bool join = m_random.bounded(2) == 0;
    for (int attempt = 0; attempt < 64; ++attempt) {
        const bool done = pick < 84   ? changePresence(body)
                        : pick < 94   ? changeProfile(body)
                        : pick < 99   ? moveMember(body, join)
                                      : moveYourself(body, join);
        if (done)
            return;
    }
    while (!changePresence(body)) {
    }
}

bool SoakWorld::changePresence(SyncBody &body)
{
    const int index = randomIndex(m_people.size());
    if (!sharesRoomWithYou(index))
        return false;  // the server tells you only about people you share a room with
    Person &person = m_people[index];
    person.presence = randomPresence(m_random, m_nowMs);
    body.addPresence(index, m_random.bounded(4) == 0);
    ++m_counts.presenceChanges;
    return true;
}

bool SoakWorld::changeProfile(SyncBody &body)
{
    const int index = randomIndex(m_people.size());
    if (!sharesRoomWithYou(index))
        return false;
    Person &person = m_people[index];
    // A new name, a new avatar, or both.
    const QString change = QString::number(++person.profileChanges);
    const int what = static_cast<int>(m_random.bounded(3));
    if (what != 1)
        person.global.displayName = person.first.displayName + u" · "_s + change;
    if (what != 0)
        person.global.avatarUrl = person.first.avatarUrl + u'v' + change;
    // Synapse sends the new profile as a member event into every room the person is in.
    for (const int room : std::as_const(person.homeRooms)) {
        const Room &in = m_rooms.at(room);
        if (in.youAreIn && in.joined.contains(index) && !body.touched(room))
            body.addMemberEvent(room, person, true);
    }
    ++m_counts.profileChanges;
    return true;
}

bool SoakWorld::moveMember(SyncBody &body, bool join)
{
    const int index = randomIndex(m_people.size());
    Person &person = m_people[index];
    if (person.homeRooms.isEmpty())
        return false;
    const int room = person.homeRooms.at(randomIndex(person.homeRooms.size()));
    Room &in = m_rooms[room];
    if (!in.youAreIn || body.touched(room) || in.joined.contains(index) == join)
        return false;
    const bool sharedBefore = sharesRoomWithYou(index);
    if (join) {
        in.joined.insert(index);
        ++m_counts.joins;
    } else {
        in.joined.remove(index);
        ++m_counts.leaves;
    }
    body.addMemberEvent(room, person, join);
    // A stranger who left a public room never comes back; someone new takes their place in the world.
    if (!join && m_shape.newcomers && index >= m_friends) {
        becomeSomeone(index, QByteArray::number(index - m_friends) + '.' + QByteArray::number(++m_counts.newcomers));
        return true;
    }
    // Someone you newly share a room with: Synapse sends their presence along.
    if (join && !sharedBefore)
        body.addPresence(index, false);
    return true;
}

bool SoakWorld::moveYourself(SyncBody &body, bool rejoin)
{
    const int room = randomIndex(m_rooms.size());
    Room &candidate = m_rooms[room];
    if (candidate.kind == Room::Kind::Large || candidate.youAreIn == rejoin || body.touched(room))
        return false;
    candidate.youAreIn = rejoin;
    if (rejoin) {
        body.addFullRoom(room);
        for (const int member : std::as_const(candidate.joined))
            body.addPresence(member, false);
        ++m_counts.roomJoins;
    } else {
        body.addLeftRoom(room);
        ++m_counts.roomLeaves;
    }
    return true;
}

Profile SoakWorld::globalProfile(const QString &userId) const
{
    const auto person = m_personByUserId.constFind(userId);
    return person == m_personByUserId.cend() ? Profile{} : m_people.at(*person).global;
}

std::optional<QList<MemberChange>> SoakWorld::joinedMembers(const QString &roomId) const
{
    const auto room = m_roomById.constFind(roomId);
    if (room == m_roomById.cend() || !m_rooms.at(*room).youAreIn)
        return std::nullopt;
    QList<MemberChange> members{{ownUserId(), Membership::Join, m_you.global.displayName, {}}};
    for (const int member : std::as_const(m_rooms.at(*room).joined)) {
        const Person &person = m_people.at(member);
        members.append({QString::fromUtf8(person.userId), Membership::Join, person.global.displayName, person.global.avatarUrl});
    }
    return members;
}

QHash<QString, Contact> SoakWorld::expectedContacts() const
{
    QHash<QString, Contact> contacts;
    for (const Room &room : m_rooms) {
        // The roster's rule (Roster.h): a direct chat, or a room of at most the small-room limit, you included.
        const bool counts = room.kind == Room::Kind::Direct || room.joined.size() + 1 <= Roster::defaultSmallRoomLimit;
        if (!room.youAreIn || !counts)
            continue;
        for (const int member : room.joined) {
            const Person &person = m_people.at(member);
            Contact contact;
            contact.userId = QString::fromUtf8(person.userId);
            contact.displayName = person.global.displayName;
            contact.avatarUrl = person.global.avatarUrl;
            contact.state = person.presence.value_or(PresenceState{});
            contacts.insert(contact.userId, contact);
        }
    }
    return contacts;
}
