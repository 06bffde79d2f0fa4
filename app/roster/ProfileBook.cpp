#include "roster/ProfileBook.h"

#include <algorithm>

Profile ProfileBook::shown(const QString &userId) const
{
    const auto person = m_people.constFind(userId);
    return person == m_people.cend() ? Profile{} : person->shown;
}

QStringList ProfileBook::otherNames(const QString &userId) const
{
    const auto person = m_people.constFind(userId);
    if (person == m_people.cend())
        return {};
    QStringList names;
    for (const Profile &inRoom : person->rooms) {
        if (!inRoom.displayName.isEmpty() && inRoom.displayName != person->shown.displayName
            && !names.contains(inRoom.displayName))
            names.append(inRoom.displayName);
    }
    names.sort(Qt::CaseInsensitive);
    return names;
}

bool ProfileBook::setRoomProfile(const QString &userId, const QString &roomId, const Profile &profile)
{
    Person &person = m_people[userId];
    const auto inRoom = person.rooms.find(roomId);
    if (inRoom != person.rooms.end()) {
        if (*inRoom == profile)
            return false;
        // Changed in a room: a per-room nickname, or a global change reaching its rooms one by one.
        *inRoom = profile;
        doubt(userId, person);
        resolve(person);
        return true;  // the room's name is among otherNames() even while shown() holds
    }
    person.rooms.insert(roomId, profile);
    // A first value from a room says nothing about the global profile, unless the rooms now disagree and it is
    // unknown: then only the server can say which of their names is the person's own.
    if (!person.global && !agreedByRooms(person))
        doubt(userId, person);
    resolve(person);
    return true;
}

bool ProfileBook::setRoomProfileIfUnknown(const QString &userId, const QString &roomId, const Profile &profile)
{
    const auto person = m_people.constFind(userId);
    if (person != m_people.cend() && person->rooms.contains(roomId))
        return false;
    return setRoomProfile(userId, roomId, profile);
}

bool ProfileBook::removeRoom(const QString &userId, const QString &roomId)
{
    const auto person = m_people.find(userId);
    if (person == m_people.end() || !person->rooms.remove(roomId))
        return false;
    if (person->rooms.isEmpty()) {
        m_people.erase(person);  // shares no room any more: not on the roster, nothing to keep
        return true;
    }
    resolve(*person);
    return true;
}

bool ProfileBook::setGlobal(const QString &userId, const Profile &profile)
{
    const auto person = m_people.find(userId);
    if (person == m_people.end())
        return false;  // left every shared room while the answer was on its way
    // Rooms that changed after the question went out and now all hold the answer confirm it (a global change's
    // burst): anything else may have happened after the server answered.
    if (person->changedSinceAsked && agreedByRooms(*person) != profile) {
        person->asked = person->changedSinceAsked = false;
        m_questions.append(userId);  // still in doubt: ask again
        return false;
    }
    person->global = profile;
    person->inDoubt = person->asked = person->changedSinceAsked = false;
    return resolve(*person);
}

bool ProfileBook::globalUnavailable(const QString &userId)
{
    const auto person = m_people.find(userId);
    if (person == m_people.end())
        return false;
    person->global.reset();
    person->inDoubt = person->asked = person->changedSinceAsked = false;
    return resolve(*person);
}

void ProfileBook::clear()
{
    m_people.clear();
    m_questions.clear();
}

void ProfileBook::doubt(const QString &userId, Person &person)
{
    if (person.inDoubt) {
        // One question answers a whole burst, but only if it went out after the burst's last change.
        person.changedSinceAsked = person.asked;
        return;
    }
    person.inDoubt = true;
    m_questions.append(userId);
}

bool ProfileBook::resolve(Person &person)
{
    const bool settled = person.shownSince != 0 && person.shownSince < m_batch;
    std::optional<Profile> next;
    if (person.global && !person.inDoubt)
        next = person.global;
    else if (person.inDoubt && settled)
        return false;  // keep what is shown until the server says
    else if (const std::optional<Profile> agreed = agreedByRooms(person))
        next = agreed;
    else if (settled)
        return false;  // rooms disagree and the server would not say: keep the name the person had
    else if (!person.rooms.isEmpty())
        next = mostCommonInRooms(person);
    else
        next = person.global;
    if (!next || (person.shownSince != 0 && *next == person.shown))
        return false;
    person.shown = *next;
    person.shownSince = m_batch;
    return true;
}

std::optional<Profile> ProfileBook::agreedByRooms(const Person &person)
{
    if (person.rooms.isEmpty())
        return std::nullopt;
    const Profile &first = *person.rooms.cbegin();
    const bool agree = std::all_of(person.rooms.cbegin(), person.rooms.cend(),
                                   [&first](const Profile &inRoom) { return inRoom == first; });
    return agree ? std::optional(first) : std::nullopt;
}

Profile ProfileBook::mostCommonInRooms(const Person &person)
{
    // Rooms come out of the hash in no particular order: walk them by room ID so the pick is the same each run.
    QStringList roomIds = person.rooms.keys();
    roomIds.sort();
    Profile best;
    qsizetype bestCount = 0;
    for (const QString &roomId : std::as_const(roomIds)) {
        const Profile &candidate = person.rooms.value(roomId);
        const auto count = std::count(person.rooms.cbegin(), person.rooms.cend(), candidate);
        if (count > bestCount) {
            best = candidate;
            bestCount = count;
        }
    }
    return best;
}
