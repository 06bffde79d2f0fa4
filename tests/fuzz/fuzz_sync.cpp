// parseSync() on arbitrary bytes, twice: the parser and its padded buffer are reused from one body to the next
// (SyncParser.cpp, ReusedParser), so the input is parsed again after a longer body has left other bytes in that
// buffer and other documents in the parser, and both results must be the same.
#include "matrix/SyncParser.h"

#include <QByteArray>
#include <QJsonDocument>
#include <QString>
#include <QStringList>
#include <QTextStream>

#include <cstdint>
#include <cstdio>

using namespace Qt::Literals::StringLiterals;

namespace {

// A body of every shape the parser reads.
const QByteArray validBody = R"({"next_batch":"s9_1",
  "account_data":{"events":[{"type":"m.direct","content":{"@b:x":["!d:x","!e:x"]}},
    {"type":"im.presently.roster","content":{"hidden":["@c:x"],"nicknames":{"@b:x":"Bee"},"other":[1.5,null]}}]},
  "presence":{"events":[{"type":"m.presence","sender":"@b:x","content":{"presence":"online",
    "status_msg":"here","last_active_ago":5,"currently_active":true,"displayname":"B","avatar_url":"mxc://x/b"}}]},
  "rooms":{"join":{"!r:x":{"summary":{"m.joined_member_count":3,"m.invited_member_count":1},
    "state":{"events":[{"type":"m.room.member","state_key":"@c:x","content":{"membership":"join","displayname":"C"}}]},
    "timeline":{"limited":true,"events":[{"type":"m.room.member","state_key":"@d:x","content":{"membership":"leave"}}]}}},
   "leave":{"!l:x":{}},"invite":{"!i:x":{"invite_state":{"events":[
     {"type":"m.room.member","state_key":"@b:x","sender":"@b:x","content":{"membership":"join","displayname":"B"}},
     {"type":"m.room.member","state_key":"@a:x","sender":"@b:x","content":{"membership":"invite","is_direct":true}}]}}}}})";

// What follows the input in the longer body: closers and literal tails that would complete a cut-off input if
// the parser ever read past the end of the body it was given.
constexpr char staleTail[] = "l\"}]}}}}}}}]ue,\"next_batch\":\"stale\"}";

QString quoted(const QString &text)
{
    return u'"' + QString(text).replace(u'\\', u"\\\\"_s).replace(u'"', u"\\\""_s) + u'"';
}

template <typename T>
QString optional(const std::optional<T> &value)
{
    if (!value)
        return u"absent"_s;
    if constexpr (std::is_same_v<T, QString>)
        return quoted(*value);
    else
        return QString::number(*value);
}

// Every field of the result, in a fixed order (m.direct's hash sorted), so that equal results print equal.
QString dump(const SyncParseResult &result)
{
    QString text;
    QTextStream out(&text);
    out << "error " << quoted(result.error) << '\n';
    if (!result.batch)
        return text;
    const SyncBatch &batch = *result.batch;
    out << "next_batch " << quoted(batch.nextBatch) << " skipped " << batch.skippedEvents << " received "
        << batch.receivedAtMs << '\n';
    for (const PresenceEvent &event : batch.presence)
        out << "presence " << quoted(event.userId) << ' ' << quoted(event.content.presence) << ' '
            << quoted(event.content.statusMessage) << ' ' << optional(event.content.lastActiveAgoMs) << ' '
            << event.content.currentlyActive << ' ' << optional(event.displayName) << ' '
            << optional(event.avatarUrl) << '\n';
    if (batch.directChats) {
        QStringList users = batch.directChats->keys();
        users.sort();
        out << "direct " << users.size() << '\n';
        for (const QString &user : users)
            out << "  " << quoted(user) << ' ' << quoted(batch.directChats->value(user).join(u'\n')) << '\n';
    }
    if (batch.rosterAccountData)
        out << "roster " << QJsonDocument(*batch.rosterAccountData).toJson(QJsonDocument::Compact) << '\n';
    for (const RoomUpdate &room : batch.joinedRooms) {
        out << "joined " << quoted(room.roomId) << ' ' << optional(room.joinedMemberCount) << ' '
            << optional(room.invitedMemberCount) << ' ' << room.timelineLimited << '\n';
        for (const MemberChange &change : room.memberChanges)
            out << "  member " << quoted(change.userId) << ' ' << static_cast<int>(change.membership) << ' '
                << quoted(change.displayName) << ' ' << quoted(change.avatarUrl) << '\n';
    }
    for (const QString &roomId : batch.leftRoomIds)
        out << "left " << quoted(roomId) << '\n';
    for (const RoomInvite &room : batch.invitedRooms) {
        out << "invited " << quoted(room.roomId) << '\n';
        for (const InviteMember &member : room.members)
            out << "  member " << quoted(member.member.userId) << ' ' << static_cast<int>(member.member.membership)
                << ' ' << quoted(member.sender) << ' ' << member.isDirect << ' ' << quoted(member.member.displayName)
                << '\n';
    }
    return text;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input(data, static_cast<qsizetype>(size));
    const QString first = dump(parseSync(input));

    // Between the two parses, a longer body: the input again and then a tail that would complete a cut-off
    // input, so that the padded buffer holds exactly those bytes after the input's end. For every eighth input
    // (a cheap, reproducible choice: the full body costs most of an execution) a real sync before it, which
    // leaves a document of every shape in the parser's tape and string buffers.
    if (size % 8 == 0)
        parseSync(validBody);
    parseSync(input.toByteArray() + staleTail);

    const QString again = dump(parseSync(input));
    if (first != again) {
        std::fprintf(stderr, "parseSync gave another result for the same body:\n%s\n---\n%s\n",
                     qPrintable(first), qPrintable(again));
        __builtin_trap();
    }
    return 0;
}
