#include "matrix/SyncParser.h"

#include <simdjson.h>

#include <algorithm>
#include <cstring>
#include <string_view>
#include <vector>

using namespace Qt::Literals::StringLiterals;
namespace od = simdjson::ondemand;

namespace {

// Structural failures (bad syntax, bad UTF-8, too deep) make the whole body unusable; they travel up as
// this exception-free error. Wrong types inside one event only cost that event.
struct Fatal {
    simdjson::error_code code = simdjson::SUCCESS;
};

QString text(std::string_view utf8)
{
    return QString::fromUtf8(utf8.data(), static_cast<qsizetype>(utf8.size()));
}

// A string or null field: nullopt when the value has another type (the event is then malformed).
std::optional<QString> stringOrNull(od::value value)
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

class Parser {
public:
    SyncBatch batch;
    Fatal fatal;

    bool document(od::document &doc)
    {
        od::object top;
        if (auto error = doc.get_object().get(top))
            return fail(error == simdjson::INCORRECT_TYPE ? simdjson::TAPE_ERROR : error);
        bool haveNextBatch = false;
        for (auto field : top) {
            std::string_view key;
            od::value value;
            if (!unpack(field, key, value))
                return false;
            if (key == "next_batch") {
                std::string_view next;
                if (value.get_string().get(next))
                    return fail(simdjson::INCORRECT_TYPE);
                batch.nextBatch = text(next);
                haveNextBatch = true;
            } else if (key == "presence") {
                if (!eventList(value, [this](od::object event) { return presenceEvent(event); }))
                    return false;
            } else if (key == "account_data") {
                if (!eventList(value, [this](od::object event) { return accountDataEvent(event); }))
                    return false;
            } else if (key == "rooms") {
                if (!rooms(value))
                    return false;
            }
        }
        if (!haveNextBatch)
            return fail(simdjson::NO_SUCH_FIELD);
        return true;
    }

private:
    bool fail(simdjson::error_code code)
    {
        fatal.code = code;
        return false;
    }

    // Reads one object field; only a structural error makes it fail.
    template <typename Field>
    bool unpack(Field &field, std::string_view &key, od::value &value)
    {
        od::field unpacked;
        if (auto error = std::move(field).get(unpacked))
            return fail(error);
        if (auto error = unpacked.unescaped_key().get(key))
            return fail(error);
        value = unpacked.value();
        return true;
    }

    // {"events": [ {...}, ... ]}: calls `onEvent` for every object; anything else in the list is skipped.
    template <typename OnEvent>
    bool eventList(od::value section, OnEvent onEvent)
    {
        od::object object;
        if (section.get_object().get(object)) {
            ++batch.skippedEvents;
            return true;
        }
        for (auto field : object) {
            std::string_view key;
            od::value value;
            if (!unpack(field, key, value))
                return false;
            if (key != "events")
                continue;
            od::array events;
            if (value.get_array().get(events)) {
                ++batch.skippedEvents;
                continue;
            }
            for (auto element : events) {
                od::value eventValue;
                if (auto error = element.get(eventValue))
                    return fail(error);
                od::object event;
                if (eventValue.get_object().get(event)) {
                    ++batch.skippedEvents;
                    continue;
                }
                if (!onEvent(event))
                    return false;
            }
        }
        return true;
    }

    bool presenceEvent(od::object event)
    {
        std::string_view type;
        PresenceEvent update;
        bool malformed = false;
        bool havePresence = false;
        for (auto field : event) {
            std::string_view key;
            od::value value;
            if (!unpack(field, key, value))
                return false;
            if (key == "type") {
                malformed |= value.get_string().get(type) != simdjson::SUCCESS;
            } else if (key == "sender") {
                std::string_view sender;
                malformed |= value.get_string().get(sender) != simdjson::SUCCESS;
                update.userId = text(sender);
            } else if (key == "content") {
                od::object content;
                if (value.get_object().get(content)) {
                    malformed = true;
                    continue;
                }
                if (!presenceContent(content, update, malformed, havePresence))
                    return false;
            }
        }
        if (type != "m.presence")
            return true;  // not ours to read; the filter should not have sent it
        if (malformed || !havePresence || update.userId.isEmpty()) {
            ++batch.skippedEvents;
            return true;
        }
        batch.presence.append(std::move(update));
        return true;
    }

    bool presenceContent(od::object content, PresenceEvent &update, bool &malformed, bool &havePresence)
    {
        for (auto field : content) {
            std::string_view key;
            od::value value;
            if (!unpack(field, key, value))
                return false;
            if (key == "presence") {
                std::string_view presence;
                if (value.get_string().get(presence)) {
                    malformed = true;
                    continue;
                }
                havePresence = true;
                update.content.presence = text(presence);
            } else if (key == "status_msg") {
                const std::optional<QString> status = stringOrNull(value);
                malformed |= !status.has_value();
                update.content.statusMessage = status.value_or(QString());
            } else if (key == "last_active_ago") {
                int64_t ago = 0;
                if (value.get_int64().get(ago)) {
                    malformed = true;
                    continue;
                }
                update.content.lastActiveAgoMs = std::max<int64_t>(0, ago);
            } else if (key == "currently_active") {
                bool active = false;
                malformed |= value.get_bool().get(active) != simdjson::SUCCESS;
                update.content.currentlyActive = active;
            } else if (key == "displayname") {
                update.displayName = stringOrNull(value);
                malformed |= !update.displayName.has_value();
            } else if (key == "avatar_url") {
                update.avatarUrl = stringOrNull(value);
                malformed |= !update.avatarUrl.has_value();
            }
        }
        return true;
    }

    bool accountDataEvent(od::object event)
    {
        std::string_view type;
        bool malformed = false;
        bool haveContent = false;
        QHash<QString, QStringList> direct;
        for (auto field : event) {
            std::string_view key;
            od::value value;
            if (!unpack(field, key, value))
                return false;
            if (key == "type") {
                malformed |= value.get_string().get(type) != simdjson::SUCCESS;
            } else if (key == "content") {
                // Read as m.direct whatever the type says so far; the type may come after the content.
                od::object content;
                if (value.get_object().get(content)) {
                    malformed = true;
                    continue;
                }
                haveContent = true;
                if (!directContent(content, direct, malformed))
                    return false;
            }
        }
        if (type != "m.direct")
            return true;
        if (malformed || !haveContent) {
            ++batch.skippedEvents;
            return true;
        }
        batch.directChats = std::move(direct);
        return true;
    }

    bool directContent(od::object content, QHash<QString, QStringList> &direct, bool &malformed)
    {
        for (auto field : content) {
            std::string_view userId;
            od::value value;
            if (!unpack(field, userId, value))
                return false;
            od::array roomIds;
            if (value.get_array().get(roomIds)) {
                malformed = true;
                continue;
            }
            QStringList &rooms = direct[text(userId)];
            for (auto element : roomIds) {
                od::value roomValue;
                if (auto error = element.get(roomValue))
                    return fail(error);
                std::string_view roomId;
                if (roomValue.get_string().get(roomId)) {
                    malformed = true;
                    continue;
                }
                rooms.append(text(roomId));
            }
        }
        return true;
    }

    bool rooms(od::value value)
    {
        od::object sections;
        if (value.get_object().get(sections)) {
            ++batch.skippedEvents;
            return true;
        }
        for (auto field : sections) {
            std::string_view key;
            od::value section;
            if (!unpack(field, key, section))
                return false;
            const bool joined = key == "join";
            if (!joined && key != "leave")
                continue;
            od::object byRoom;
            if (section.get_object().get(byRoom)) {
                ++batch.skippedEvents;
                continue;
            }
            for (auto roomField : byRoom) {
                std::string_view roomId;
                od::value room;
                if (!unpack(roomField, roomId, room))
                    return false;
                if (!joined) {
                    batch.leftRoomIds.append(text(roomId));
                    continue;
                }
                if (!joinedRoom(roomId, room))
                    return false;
            }
        }
        return true;
    }

    bool joinedRoom(std::string_view roomId, od::value value)
    {
        od::object room;
        if (value.get_object().get(room)) {
            ++batch.skippedEvents;
            return true;
        }
        RoomUpdate update;
        update.roomId = text(roomId);
        // State precedes the timeline in time, whichever comes first in the body.
        QList<MemberChange> timelineMembers;
        for (auto field : room) {
            std::string_view key;
            od::value section;
            if (!unpack(field, key, section))
                return false;
            if (key == "summary") {
                if (!summary(section, update))
                    return false;
            } else if (key == "state") {
                if (!eventList(section, [&](od::object event) { return memberEvent(event, update.memberChanges); }))
                    return false;
            } else if (key == "timeline") {
                if (!timeline(section, update, timelineMembers))
                    return false;
            }
        }
        update.memberChanges.append(std::move(timelineMembers));
        batch.joinedRooms.append(std::move(update));
        return true;
    }

    bool summary(od::value value, RoomUpdate &update)
    {
        od::object object;
        if (value.get_object().get(object))
            return true;  // a summary is a hint; without one the counts stay as they were
        for (auto field : object) {
            std::string_view key;
            od::value count;
            if (!unpack(field, key, count))
                return false;
            int64_t number = 0;
            if (key == "m.joined_member_count" && !count.get_int64().get(number) && number >= 0)
                update.joinedMemberCount = static_cast<int>(std::min<int64_t>(number, INT32_MAX));
            else if (key == "m.invited_member_count" && !count.get_int64().get(number) && number >= 0)
                update.invitedMemberCount = static_cast<int>(std::min<int64_t>(number, INT32_MAX));
        }
        return true;
    }

    bool timeline(od::value value, RoomUpdate &update, QList<MemberChange> &members)
    {
        od::object object;
        if (value.get_object().get(object)) {
            ++batch.skippedEvents;
            return true;
        }
        for (auto field : object) {
            std::string_view key;
            od::value section;
            if (!unpack(field, key, section))
                return false;
            if (key == "limited") {
                bool limited = false;
                if (!section.get_bool().get(limited))
                    update.timelineLimited = limited;
            } else if (key == "events") {
                od::array events;
                if (section.get_array().get(events)) {
                    ++batch.skippedEvents;
                    continue;
                }
                for (auto element : events) {
                    od::value eventValue;
                    if (auto error = element.get(eventValue))
                        return fail(error);
                    od::object event;
                    if (eventValue.get_object().get(event)) {
                        ++batch.skippedEvents;
                        continue;
                    }
                    if (!memberEvent(event, members))
                        return false;
                }
            }
        }
        return true;
    }

    bool memberEvent(od::object event, QList<MemberChange> &members)
    {
        std::string_view type;
        std::string_view stateKey;
        bool haveStateKey = false;
        bool haveMembership = false;
        bool malformed = false;
        MemberChange change;
        for (auto field : event) {
            std::string_view key;
            od::value value;
            if (!unpack(field, key, value))
                return false;
            if (key == "type") {
                malformed |= value.get_string().get(type) != simdjson::SUCCESS;
            } else if (key == "state_key") {
                haveStateKey = value.get_string().get(stateKey) == simdjson::SUCCESS;
                malformed |= !haveStateKey;
            } else if (key == "content") {
                od::object content;
                if (value.get_object().get(content)) {
                    malformed = true;
                    continue;
                }
                for (auto contentField : content) {
                    std::string_view contentKey;
                    od::value contentValue;
                    if (!unpack(contentField, contentKey, contentValue))
                        return false;
                    if (contentKey == "membership") {
                        std::string_view membership;
                        if (contentValue.get_string().get(membership)) {
                            malformed = true;
                            continue;
                        }
                        const std::optional<Membership> parsed = membershipFromWire(membership);
                        malformed |= !parsed.has_value();
                        change.membership = parsed.value_or(Membership::Leave);
                        haveMembership = parsed.has_value();
                    } else if (contentKey == "displayname") {
                        const std::optional<QString> name = stringOrNull(contentValue);
                        malformed |= !name.has_value();
                        change.displayName = name.value_or(QString());
                    } else if (contentKey == "avatar_url") {
                        const std::optional<QString> avatar = stringOrNull(contentValue);
                        malformed |= !avatar.has_value();
                        change.avatarUrl = avatar.value_or(QString());
                    }
                }
            }
        }
        if (type != "m.room.member")
            return true;
        if (malformed || !haveStateKey || stateKey.empty() || !haveMembership) {
            ++batch.skippedEvents;
            return true;
        }
        change.userId = text(stateKey);
        members.append(std::move(change));
        return true;
    }
};

// The parser and the padded copy of the body that one thread reuses from one sync to the next. simdjson reads
// up to SIMDJSON_PADDING bytes past the end of the JSON, which a QByteArray does not promise to have, and the
// parser's own buffers (structural indexes, unescaped strings) are sized to the largest body it has parsed.
// Reusing them spares two allocations per incremental sync. But an initial sync is tens of MB, and buffers
// sized for it would stay as long as the worker thread: they are given back when a much smaller body comes to
// the same thread (not at once after the large body: another large one, a catch-up after a long sleep, would
// then fault in fresh pages for all of them).
class ReusedParser {
public:
    simdjson::simdjson_result<od::document> iterate(QByteArrayView body)
    {
        const size_t length = static_cast<size_t>(body.size());
        if (m_parser.capacity() > std::max(alwaysKeptBytes, oversizeFactor * length)) {
            m_parser = od::parser();
            m_padded = std::vector<char>();  // not `= {}`: assigning an empty list keeps the capacity
        }
        if (m_padded.size() < length + simdjson::SIMDJSON_PADDING)
            m_padded.resize(length + simdjson::SIMDJSON_PADDING);
        std::memcpy(m_padded.data(), body.data(), length);
        return m_parser.iterate(m_padded.data(), length, m_padded.size());
    }

private:
    // Buffers up to this size are kept whatever comes next: every ordinary incremental sync fits.
    static constexpr size_t alwaysKeptBytes = 1024 * 1024;
    // Larger ones are kept for a body that needs at least 1/oversizeFactor of them (another large sync).
    static constexpr size_t oversizeFactor = 4;

    od::parser m_parser;
    std::vector<char> m_padded;
};

QString describe(simdjson::error_code code)
{
    switch (code) {
    case simdjson::NO_SUCH_FIELD: return u"no next_batch"_s;
    case simdjson::TAPE_ERROR: return u"not a JSON object at the top level, or malformed JSON"_s;
    default: return QString::fromUtf8(simdjson::error_message(code));
    }
}

} // namespace

SyncParseResult parseSync(QByteArrayView body)
{
    thread_local ReusedParser parser;
    SyncParseResult result;
    od::document document;
    if (auto error = parser.iterate(body).get(document)) {
        result.error = describe(error);
        return result;
    }
    Parser reader;
    if (!reader.document(document)) {
        result.error = describe(reader.fatal.code);
        return result;
    }
    result.batch = std::move(reader.batch);
    return result;
}
