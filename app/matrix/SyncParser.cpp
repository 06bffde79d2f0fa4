#include "matrix/SyncParser.h"

#include <simdjson.h>

#include <QJsonDocument>

#include <algorithm>
#include <cstring>
#include <string_view>
#include <vector>

using namespace Qt::Literals::StringLiterals;
namespace dom = simdjson::dom;

namespace {

QString text(std::string_view utf8)
{
    return QString::fromUtf8(utf8.data(), static_cast<qsizetype>(utf8.size()));
}

// A string or null field: nullopt when the value has another type (the event is then malformed).
std::optional<QString> stringOrNull(dom::element value)
{
    if (value.is_null())
        return QString();
    std::string_view utf8;
    if (value.get_string().get(utf8))
        return std::nullopt;
    return text(utf8);
}

std::optional<Membership> membershipFromWire(std::string_view wire)
{
    if (wire == "join") return Membership::Join;
    if (wire == "invite") return Membership::Invite;
    if (wire == "leave") return Membership::Leave;
    if (wire == "ban") return Membership::Ban;
    if (wire == "knock") return Membership::Knock;
    return std::nullopt;
}

// Reads a document simdjson has already parsed, and so validated, whole: what remains to go wrong is only the
// shape. A value of the wrong type costs its event (counted in skippedEvents), or, for next_batch, the body.
class Reader {
public:
    SyncBatch batch;

    bool document(dom::element root)
    {
        dom::object top;
        if (root.get_object().get(top))
            return false;
        bool haveNextBatch = false;
        for (const dom::key_value_pair field : top) {
            if (field.key == "next_batch") {
                std::string_view next;
                if (field.value.get_string().get(next))
                    return false;
                batch.nextBatch = text(next);
                haveNextBatch = true;
            } else if (field.key == "presence") {
                eventList(field.value, [this](dom::object event) { presenceEvent(event); });
            } else if (field.key == "account_data") {
                eventList(field.value, [this](dom::object event) { accountDataEvent(event); });
            } else if (field.key == "rooms") {
                rooms(field.value);
            }
        }
        return haveNextBatch;
    }

private:
    // {"events": [ {...}, ... ]}: calls `onEvent` for every object; anything else in the list is skipped.
    template <typename OnEvent>
    void eventList(dom::element section, OnEvent onEvent)
    {
        dom::object object;
        if (section.get_object().get(object)) {
            ++batch.skippedEvents;
            return;
        }
        for (const dom::key_value_pair field : object) {
            if (field.key == "events")
                events(field.value, onEvent);
        }
    }

    template <typename OnEvent>
    void events(dom::element list, OnEvent onEvent)
    {
        dom::array array;
        if (list.get_array().get(array)) {
            ++batch.skippedEvents;
            return;
        }
        for (const dom::element element : array) {
            dom::object event;
            if (element.get_object().get(event))
                ++batch.skippedEvents;
            else
                onEvent(event);
        }
    }

    // The two readers run once per event (tens of thousands in an initial sync), and nearly all their time is in
    // small inline calls: simdjson's element accessors and object iteration, string_view compares, QString
    // destructors. GCC stops inlining anywhere in a file once it has grown the file by its inline-unit-growth
    // limit, and this file reached it once it read invites, heroes and roster account data: those calls were left
    // out of line and parsing took 15% more instructions. Flattening inlines everything they call, whatever else
    // the file holds.
    [[gnu::flatten]] void presenceEvent(dom::object event)
    {
        std::string_view type;
        PresenceEvent update;
        bool malformed = false;
        bool havePresence = false;
        for (const dom::key_value_pair field : event) {
            if (field.key == "type") {
                malformed |= field.value.get_string().get(type) != simdjson::SUCCESS;
            } else if (field.key == "sender") {
                std::string_view sender;
                malformed |= field.value.get_string().get(sender) != simdjson::SUCCESS;
                update.userId = text(sender);
            } else if (field.key == "content") {
                dom::object content;
                if (field.value.get_object().get(content))
                    malformed = true;
                else
                    presenceContent(content, update, malformed, havePresence);
            }
        }
        if (type != "m.presence")
            return;  // not ours to read; the filter should not have sent it
        if (malformed || !havePresence || update.userId.isEmpty()) {
            ++batch.skippedEvents;
            return;
        }
        batch.presence.append(std::move(update));
    }

    static void presenceContent(dom::object content, PresenceEvent &update, bool &malformed, bool &havePresence)
    {
        for (const dom::key_value_pair field : content) {
            if (field.key == "presence") {
                std::string_view presence;
                if (field.value.get_string().get(presence)) {
                    malformed = true;
                    continue;
                }
                havePresence = true;
                update.content.presence = text(presence);
            } else if (field.key == "status_msg") {
                const std::optional<QString> status = stringOrNull(field.value);
                malformed |= !status.has_value();
                update.content.statusMessage = status.value_or(QString());
            } else if (field.key == "last_active_ago") {
                int64_t ago = 0;
                if (field.value.get_int64().get(ago)) {
                    malformed = true;
                    continue;
                }
                update.content.lastActiveAgoMs = std::max<int64_t>(0, ago);
            } else if (field.key == "currently_active") {
                bool active = false;
                malformed |= field.value.get_bool().get(active) != simdjson::SUCCESS;
                update.content.currentlyActive = active;
            } else if (field.key == "displayname") {
                update.displayName = stringOrNull(field.value);
                malformed |= !update.displayName.has_value();
            } else if (field.key == "avatar_url") {
                update.avatarUrl = stringOrNull(field.value);
                malformed |= !update.avatarUrl.has_value();
            }
        }
    }

    void accountDataEvent(dom::object event)
    {
        std::string_view type;
        bool malformed = false;
        std::optional<dom::object> content;
        for (const dom::key_value_pair field : event) {
            if (field.key == "type") {
                malformed |= field.value.get_string().get(type) != simdjson::SUCCESS;
            } else if (field.key == "content") {
                dom::object object;
                if (field.value.get_object().get(object))
                    malformed = true;
                else
                    content = object;
            }
        }
        if (type != "m.direct" && type != "im.presently.roster")
            return;
        if (malformed || !content) {
            ++batch.skippedEvents;
            return;
        }
        if (type == "im.presently.roster") {
            // Kept whole: RosterAccountData reads it, and a write keeps the keys this version does not know.
            batch.rosterAccountData = QJsonDocument::fromJson(QByteArray::fromStdString(simdjson::minify(*content))).object();
            return;
        }
        QHash<QString, QStringList> direct;
        directContent(*content, direct, malformed);
        if (malformed) {
            ++batch.skippedEvents;
            return;
        }
        batch.directChats = std::move(direct);
    }

    static void directContent(dom::object content, QHash<QString, QStringList> &direct, bool &malformed)
    {
        for (const dom::key_value_pair field : content) {
            dom::array roomIds;
            if (field.value.get_array().get(roomIds)) {
                malformed = true;
                continue;
            }
            QStringList &rooms = direct[text(field.key)];
            for (const dom::element element : roomIds) {
                std::string_view roomId;
                if (element.get_string().get(roomId))
                    malformed = true;
                else
                    rooms.append(text(roomId));
            }
        }
    }

    void rooms(dom::element value)
    {
        dom::object sections;
        if (value.get_object().get(sections)) {
            ++batch.skippedEvents;
            return;
        }
        for (const dom::key_value_pair section : sections) {
            const bool joined = section.key == "join";
            const bool invited = section.key == "invite";
            if (!joined && !invited && section.key != "leave")
                continue;
            dom::object byRoom;
            if (section.value.get_object().get(byRoom)) {
                ++batch.skippedEvents;
                continue;
            }
            for (const dom::key_value_pair room : byRoom) {
                if (joined)
                    joinedRoom(room.key, room.value);
                else if (invited)
                    invitedRoom(room.key, room.value);
                else
                    batch.leftRoomIds.append(text(room.key));
            }
        }
    }

    void joinedRoom(std::string_view roomId, dom::element value)
    {
        dom::object room;
        if (value.get_object().get(room)) {
            ++batch.skippedEvents;
            return;
        }
        RoomUpdate update;
        update.roomId = text(roomId);
        // State precedes the timeline in time, whichever comes first in the body.
        QList<MemberChange> timelineMembers;
        for (const dom::key_value_pair section : room) {
            if (section.key == "summary")
                summary(section.value, update);
            else if (section.key == "state")
                eventList(section.value, [&](dom::object event) { memberEvent(event, update.memberChanges); });
            else if (section.key == "timeline")
                timeline(section.value, update, timelineMembers);
        }
        update.memberChanges.append(std::move(timelineMembers));
        batch.joinedRooms.append(std::move(update));
    }

    void invitedRoom(std::string_view roomId, dom::element value)
    {
        dom::object room;
        if (value.get_object().get(room)) {
            ++batch.skippedEvents;
            return;
        }
        RoomInvite invite;
        invite.roomId = text(roomId);
        for (const dom::key_value_pair section : room) {
            if (section.key == "invite_state")
                eventList(section.value, [&](dom::object event) { inviteMemberEvent(event, invite.members); });
        }
        batch.invitedRooms.append(std::move(invite));
    }

    // A stripped m.room.member event: like memberEvent, plus its sender and content.is_direct.
    void inviteMemberEvent(dom::object event, QList<InviteMember> &members)
    {
        QList<MemberChange> one;
        memberEvent(event, one);
        if (one.isEmpty())
            return;
        InviteMember member{std::move(one.front()), {}, false};
        for (const dom::key_value_pair field : event) {
            std::string_view sender;
            dom::object content;
            if (field.key == "sender" && !field.value.get_string().get(sender)) {
                member.sender = text(sender);
            } else if (field.key == "content" && !field.value.get_object().get(content)) {
                bool direct = false;
                for (const dom::key_value_pair contentField : content) {
                    if (contentField.key == "is_direct" && !contentField.value.get_bool().get(direct))
                        member.isDirect = direct;
                }
            }
        }
        members.append(std::move(member));
    }

    static void summary(dom::element value, RoomUpdate &update)
    {
        dom::object object;
        if (value.get_object().get(object))
            return;  // a summary is a hint; without one the counts stay as they were
        for (const dom::key_value_pair field : object) {
            int64_t number = 0;
            if (field.key == "m.joined_member_count" && !field.value.get_int64().get(number) && number >= 0)
                update.joinedMemberCount = static_cast<int>(std::min<int64_t>(number, INT32_MAX));
            else if (field.key == "m.invited_member_count" && !field.value.get_int64().get(number) && number >= 0)
                update.invitedMemberCount = static_cast<int>(std::min<int64_t>(number, INT32_MAX));
            else if (field.key == "m.heroes")
                update.heroes = heroes(field.value);
        }
    }

    // The user IDs of m.heroes; none at all when it is not an array of strings (the roster then fetches members).
    static std::optional<QStringList> heroes(dom::element value)
    {
        dom::array array;
        if (value.get_array().get(array))
            return std::nullopt;
        QStringList userIds;
        for (const dom::element entry : array) {
            std::string_view userId;
            if (entry.get_string().get(userId))
                return std::nullopt;
            userIds.append(QString::fromUtf8(userId.data(), qsizetype(userId.size())));
        }
        return userIds;
    }

    void timeline(dom::element value, RoomUpdate &update, QList<MemberChange> &members)
    {
        dom::object object;
        if (value.get_object().get(object)) {
            ++batch.skippedEvents;
            return;
        }
        for (const dom::key_value_pair field : object) {
            if (field.key == "limited") {
                bool limited = false;
                if (!field.value.get_bool().get(limited))
                    update.timelineLimited = limited;
            } else if (field.key == "events") {
                events(field.value, [&](dom::object event) { memberEvent(event, members); });
            }
        }
    }

    [[gnu::flatten]] void memberEvent(dom::object event, QList<MemberChange> &members)  // flattened: see presenceEvent
    {
        std::string_view type;
        std::string_view stateKey;
        bool haveStateKey = false;
        bool haveMembership = false;
        bool malformed = false;
        MemberChange change;
        for (const dom::key_value_pair field : event) {
            if (field.key == "type") {
                malformed |= field.value.get_string().get(type) != simdjson::SUCCESS;
            } else if (field.key == "state_key") {
                haveStateKey = field.value.get_string().get(stateKey) == simdjson::SUCCESS;
                malformed |= !haveStateKey;
            } else if (field.key == "content") {
                dom::object content;
                if (field.value.get_object().get(content))
                    malformed = true;
                else
                    memberContent(content, change, malformed, haveMembership);
            }
        }
        if (type != "m.room.member")
            return;
        if (malformed || !haveStateKey || stateKey.empty() || !haveMembership) {
            ++batch.skippedEvents;
            return;
        }
        change.userId = text(stateKey);
        members.append(std::move(change));
    }

    static void memberContent(dom::object content, MemberChange &change, bool &malformed, bool &haveMembership)
    {
        for (const dom::key_value_pair field : content) {
            if (field.key == "membership") {
                std::string_view membership;
                if (field.value.get_string().get(membership)) {
                    malformed = true;
                    continue;
                }
                const std::optional<Membership> parsed = membershipFromWire(membership);
                malformed |= !parsed.has_value();
                change.membership = parsed.value_or(Membership::Leave);
                haveMembership = parsed.has_value();
            } else if (field.key == "displayname") {
                const std::optional<QString> name = stringOrNull(field.value);
                malformed |= !name.has_value();
                change.displayName = name.value_or(QString());
            } else if (field.key == "avatar_url") {
                const std::optional<QString> avatar = stringOrNull(field.value);
                malformed |= !avatar.has_value();
                change.avatarUrl = avatar.value_or(QString());
            }
        }
    }
};

// The parser and the padded copy of the body that one thread reuses from one sync to the next. simdjson reads
// up to SIMDJSON_PADDING bytes past the end of the JSON, which a QByteArray does not promise to have, and the
// parser's own buffers (the tape, unescaped strings) are sized to the largest body it has parsed. Reusing them
// spares allocations per incremental sync. But an initial sync is tens of MB, and buffers sized for it would stay
// as long as the worker thread: they are given back when a much smaller body comes to the same thread (not at
// once after the large body: another large one, a catch-up after a long sleep, would then fault in fresh pages
// for all of them).
class ReusedParser {
public:
    // Nesting deeper than this refuses the body. Synapse cannot send it (Python's JSON stops near 1,000 levels);
    // simdjson's own default, 1,024, would leave no margin. The parser walks it without recursion either way.
    static constexpr size_t maxDepth = 4096;

    ReusedParser() { start(); }

    simdjson::simdjson_result<dom::element> parse(QByteArrayView body)
    {
        const size_t length = static_cast<size_t>(body.size());
        if (m_parser.capacity() > std::max(alwaysKeptBytes, oversizeFactor * length)) {
            m_padded = std::vector<char>();  // not `= {}`: assigning an empty list keeps the capacity
            start();
        }
        if (m_padded.size() < length + simdjson::SIMDJSON_PADDING)
            m_padded.resize(length + simdjson::SIMDJSON_PADDING);
        std::memcpy(m_padded.data(), body.data(), length);
        // The padding is read too: left as an earlier, longer body had it, it could decide how this one parses.
        std::memset(m_padded.data() + length, 0, simdjson::SIMDJSON_PADDING);
        return m_parser.parse(reinterpret_cast<const uint8_t *>(m_padded.data()), length, false);
    }

private:
    void start()
    {
        m_parser = dom::parser();
        // The parser keeps this depth as it grows to larger bodies.
        if (m_parser.allocate(simdjson::dom::MINIMAL_DOCUMENT_CAPACITY, maxDepth) != simdjson::SUCCESS)
            return;  // out of memory: the first parse allocates again and reports it
    }

    // Buffers up to this size are kept whatever comes next: every ordinary incremental sync fits.
    static constexpr size_t alwaysKeptBytes = 1024 * 1024;
    // Larger ones are kept for a body that needs at least 1/oversizeFactor of them (another large sync).
    static constexpr size_t oversizeFactor = 4;

    dom::parser m_parser;
    std::vector<char> m_padded;
};

QString describe(simdjson::error_code code)
{
    switch (code) {
    case simdjson::TAPE_ERROR: return u"malformed JSON"_s;
    default: return QString::fromUtf8(simdjson::error_message(code));
    }
}

} // namespace

SyncParseResult parseSync(QByteArrayView body)
{
    // JSON text may start with a UTF-8 byte order mark; simdjson leaves skipping it to the caller.
    if (body.startsWith(QByteArrayView("\xEF\xBB\xBF")))
        body = body.sliced(3);
    thread_local ReusedParser parser;
    SyncParseResult result;
    // simdjson's DOM parser checks the whole body (syntax, literals, numbers, escapes, UTF-8, what follows the
    // document) before anything is read: malformed JSON anywhere, even in parts nobody reads, refuses the body.
    dom::element root;
    if (auto error = parser.parse(body).get(root)) {
        result.error = describe(error);
        return result;
    }
    Reader reader;
    if (!reader.document(root)) {
        result.error = root.is_object() ? u"no next_batch, or it is not a string"_s : u"not a JSON object"_s;
        return result;
    }
    result.batch = std::move(reader.batch);
    return result;
}
