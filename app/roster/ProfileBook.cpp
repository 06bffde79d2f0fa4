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
    // Asked for every row written; most people share one room, or go by one name in all of them.
    if (person == m_people.cend() || std::all_of(person->rooms.cbegin(), person->rooms.cend(), [&](const InRoom &inRoom) {
            return inRoom.profile.displayName == person->shown.displayName;
        }))
        return {};
    QStringList names;
    for (const InRoom &inRoom : person->rooms) {
        const QString &name = inRoom.profile.displayName;
        if (!name.isEmpty() && name != person->shown.displayName && !names.contains(name))
            names.append(name);
    }
    names.sort(Qt::CaseInsensitive);
    return names;
}

bool ProfileBook::setRoomProfile(const QString &userId, const QString &roomId, const Profile &profile)
{
    Person &person = m_people[userId];
    if (InRoom *inRoom = findRoom(person, roomId)) {
        if (inRoom->profile == profile)
            return false;
        // Changed in a room: a per-room nickname, or a global change reaching its rooms one by one.
        inRoom->profile = profile;
        doubt(userId, person);
        resolve(person);
        return true;  // the room's name is among otherNames() even while shown() holds
    }
    person.rooms.append({roomId, profile});
    // A first value from a room says nothing about the global profile, unless the rooms now disagree and it is
    // unknown: then only the server can say which of their names is the person's own.
    if (!person.global && !agreedByRooms(person))
        doubt(userId, person);
    resolve(person);
    return true;
}

bool ProfileBook::setRoomProfileIfUnknown(const QString &userId, const QString &roomId, const Profile &profile)
{
    const auto person = m_people.find(userId);
    if (person != m_people.end() && findRoom(*person, roomId))
        return false;
    return setRoomProfile(userId, roomId, profile);
}

bool ProfileBook::removeRoom(const QString &userId, const QString &roomId)
{
    const auto person = m_people.find(userId);
    if (person == m_people.end()
        || !person->rooms.removeIf([&roomId](const InRoom &inRoom) { return inRoom.roomId == roomId; }))
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
    const bool changedSince = person->changedSinceAsked;
    person->asked = person->changedSinceAsked = false;
    // Rooms that changed after the question went out and now all hold the answer confirm it (a global change's
    // burst): anything else may have happened after the server answered.
    if (changedSince && agreedByRooms(*person) != profile) {
        m_questions.append(userId);  // still in doubt: ask again
        return false;
    }
    return settle(userId, *person, profile);
}

bool ProfileBook::setGlobalFromPresence(const QString &userId, const Profile &profile)
{
    const auto person = m_people.find(userId);
    if (person == m_people.end())
        return false;
    return settle(userId, *person, profile);
}

bool ProfileBook::globalUnavailable(const QString &userId)
{
    const auto person = m_people.find(userId);
    if (person == m_people.end())
        return false;
    person->asked = person->changedSinceAsked = false;
    return settle(userId, *person, std::nullopt);
}

bool ProfileBook::settle(const QString &userId, Person &person, const std::optional<Profile> &global)
{
    person.global = global;
    person.inDoubt = false;
    m_questions.removeAll(userId);  // not asked yet, and now needless
    return resolve(person);
}

QStringList ProfileBook::takeQuestions()
{
    QStringList asked;
    for (const QString &userId : std::as_const(m_questions)) {
        const auto person = m_people.find(userId);
        if (person == m_people.end() || !person->inDoubt || person->asked)
            continue;  // forgotten since (left every shared room), settled, or already out
        person->asked = true;
        asked.append(userId);
    }
    m_questions.clear();
    return asked;
}

void ProfileBook::clear()
{
    m_people.clear();
    m_questions.clear();
}

std::optional<PersonProfiles> ProfileBook::record(const QString &userId) const
{
    const auto person = m_people.constFind(userId);
    if (person == m_people.cend())
        return std::nullopt;
    PersonProfiles record;
    record.rooms.reserve(person->rooms.size());
    for (const InRoom &inRoom : person->rooms)
        record.rooms.append({inRoom.roomId, inRoom.profile});
    record.global = person->global;
    record.shown = person->shown;
    record.inDoubt = person->inDoubt;
    return record;
}

void ProfileBook::restore(const QString &userId, const PersonProfiles &record)
{
    Person person;
    for (const PersonProfiles::InRoom &inRoom : record.rooms)
        person.rooms.append({inRoom.roomId, inRoom.profile});
    person.global = record.global;
    person.shown = record.shown;
    person.shownSince = m_batch;  // decided before anything the next batch brings
    if (record.inDoubt)
        doubt(userId, person);  // the question may never have been answered: asked again
    m_people.insert(userId, std::move(person));
}

void ProfileBook::doubt(const QString &userId, Person &person)
{
    // One question answers a whole burst, but only if it went out after the burst's last change: a change while
    // one is out (for this doubt or an earlier one) is judged when its answer comes.
    person.changedSinceAsked = person.asked;
    if (person.inDoubt)
        return;
    person.inDoubt = true;
    if (!person.asked)
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
    if (person.shownSince == 0)
        person.shownSince = m_batch;  // first shown in this batch: until it ends, the person is new
    return true;
}

ProfileBook::InRoom *ProfileBook::findRoom(Person &person, const QString &roomId)
{
    const auto inRoom = std::find_if(person.rooms.begin(), person.rooms.end(),
                                     [&roomId](const InRoom &candidate) { return candidate.roomId == roomId; });
    return inRoom == person.rooms.end() ? nullptr : &*inRoom;
}

std::optional<Profile> ProfileBook::agreedByRooms(const Person &person)
{
    if (person.rooms.isEmpty())
        return std::nullopt;
    const Profile &first = person.rooms.constFirst().profile;
    const bool agree = std::all_of(person.rooms.cbegin(), person.rooms.cend(),
                                   [&first](const InRoom &inRoom) { return inRoom.profile == first; });
    return agree ? std::optional(first) : std::nullopt;
}

Profile ProfileBook::mostCommonInRooms(const Person &person)
{
    // Rooms arrive in no particular order: walk them by room ID so the pick is the same each run.
    QList<InRoom> byRoomId = person.rooms;
    std::sort(byRoomId.begin(), byRoomId.end(),
              [](const InRoom &left, const InRoom &right) { return left.roomId < right.roomId; });
    Profile best;
    qsizetype bestCount = 0;
    for (const InRoom &candidate : std::as_const(byRoomId)) {
        const auto count = std::count_if(byRoomId.cbegin(), byRoomId.cend(), [&candidate](const InRoom &inRoom) {
            return inRoom.profile == candidate.profile;
        });
        if (count > bestCount) {
            best = candidate.profile;
            bestCount = count;
        }
    }
    return best;
}
