#include "roster/Roster.h"

#include <QLoggingCategory>
#include <QTimer>

using namespace Qt::Literals::StringLiterals;

Q_LOGGING_CATEGORY(lcRoster, "presently.roster", QtInfoMsg)

namespace {
// Rows appended per beginInsertRows: small enough that the sort proxy places them within a slice.
constexpr qsizetype insertChunk = 128;
// How many cheap steps run between two looks at the clock.
constexpr qsizetype stepsPerClockCheck = 64;
} // namespace

// changed()'s content, built from what a job touched. A large batch touches tens of thousands of memberships and
// people, more than one slice can record, so the job's Changes phase records them a step at a time. The Touched set
// is taken whole when it starts: what is touched between its slices (an answer to a request) goes into the next
// changed(), with its newest values.
struct Roster::ChangeRecording {
    // `newRoomMembers`: how many members the new rooms hold.
    ChangeRecording(Touched taken, const QString &nextBatch, const QHash<QString, QStringList> &directChats,
                    qsizetype newRoomMembers)
        : touched(std::move(taken))
        , nextRoom(touched.rooms.cbegin())
        , nextRoomOfMembers(touched.members.begin())
        , nextNewRoom(touched.newRooms.cbegin())
        , nextPerson(touched.people.cbegin())
    {
        changes.nextBatch = nextBatch;
        if (touched.directChats)
            changes.directChats = directChats;
        qsizetype members = newRoomMembers;
        for (const QSet<QString> &userIds : std::as_const(touched.members))
            members += userIds.size();
        changes.members.reserve(members);  // grown step by step, it would be copied whole at some step
        if (nextRoomOfMembers != touched.members.cend())
            nextMember = nextRoomOfMembers->cbegin();
    }

    Touched touched;
    RosterChanges changes;
    QSet<QString>::const_iterator nextRoom;
    QHash<QString, QSet<QString>>::iterator nextRoomOfMembers;  // each room's set is let go once recorded
    QSet<QString>::const_iterator nextMember;  // in *nextRoomOfMembers
    QSet<QString>::const_iterator nextNewRoom;
    std::optional<QHash<QString, Membership>::const_iterator> nextNewMember;  // in the room of *nextNewRoom
    QSet<QString>::const_iterator nextPerson;
};

// One unit of work for the slicer: a sync batch, a room's fetched member list, or a re-evaluation of who
// counts after the small-room limit changed. Phases run in order; `cursor` remembers where a slice stopped.
struct Roster::Job {
    enum class Kind : quint8 { Sync, RoomMembers, Reevaluate };
    enum class Phase : quint8 { Start, Rooms, Presence, Membership, Inserts, Updates, Changes, Done };

    Kind kind = Kind::Sync;
    SyncBatch batch;
    QString roomId;                 // RoomMembers
    QList<MemberChange> members;    // RoomMembers

    Phase phase = Phase::Start;
    qsizetype cursor = 0;
    QStringList candidates;
    QStringList inserts;
    bool removedContacts = false;
    QStringList updates;
    bool bulkUpdate = false;
    std::optional<ChangeRecording> recording;  // from the Changes phase on
};

Roster::Roster(ContactListModel *model, QObject *parent)
    : QObject(parent)
    , m_model(model)
{
}

Roster::~Roster() = default;

void Roster::setSmallRoomLimit(int limit)
{
    if (limit == m_smallRoomLimit)
        return;
    const int previous = m_smallRoomLimit;
    m_smallRoomLimit = limit;
    for (auto it = m_rooms.begin(); it != m_rooms.end(); ++it)
        reevaluateRoom(it.key(), it.value(), roomCountsUnder(it.value(), previous), !it->members.isEmpty());
    Job job;
    job.kind = Job::Kind::Reevaluate;
    m_jobs.push_back(std::move(job));
    scheduleSlice();
}

void Roster::applyBatch(const SyncBatch &batch)
{
    Job job;
    job.kind = Job::Kind::Sync;
    job.batch = batch;
    m_jobs.push_back(std::move(job));
    runSlice();
}

void Roster::applyJoinedMembers(const QString &roomId, const QList<MemberChange> &members)
{
    Job job;
    job.kind = Job::Kind::RoomMembers;
    job.roomId = roomId;
    job.members = members;
    m_jobs.push_back(std::move(job));
    runSlice();
}

void Roster::clear()
{
    m_jobs.clear();
    m_rooms.clear();
    m_roomsByUser.clear();
    m_directRoomIds.clear();
    m_directChats.clear();
    m_presence.clear();
    m_profiles.clear();
    m_membershipCandidates.clear();
    m_changedUsers.clear();
    m_touched = {};
    m_model->clear();
}

void Roster::scheduleSlice()
{
    if (m_sliceScheduled)
        return;
    m_sliceScheduled = true;
    // A zero timer lets the event loop paint and handle input before the next slice.
    QTimer::singleShot(0, this, [this] {
        m_sliceScheduled = false;
        runSlice();
    });
}

void Roster::runSlice()
{
    if (m_inSlice)
        return;  // a signal emitted below led back here; the running slice picks the new job up
    m_inSlice = true;
    QElapsedTimer slice;
    slice.start();
    while (!m_jobs.empty()) {
        if (!advance(m_jobs.front(), slice)) {
            m_inSlice = false;
            scheduleSlice();
            return;
        }
        Job finished = std::move(m_jobs.front());
        m_jobs.pop_front();
        if (!finished.recording->changes.isEmpty())
            Q_EMIT changed(finished.recording->changes);
        // Before batchApplied: the sync loop starts uploading the new filter before it sends the next poll.
        if (!finished.inserts.isEmpty() || finished.removedContacts)
            Q_EMIT contactsChanged(m_model->userIds());
        if (finished.kind == Job::Kind::Sync)
            Q_EMIT batchApplied(finished.batch.nextBatch);
        if (!m_jobs.empty() && overBudget(slice)) {
            m_inSlice = false;
            scheduleSlice();
            return;
        }
    }
    m_inSlice = false;
    emitChangesBetweenBatches();  // what was touched while the last job's changes were recorded
}

bool Roster::advance(Job &job, const QElapsedTimer &slice)
{
    using Phase = Job::Phase;
    switch (job.phase) {
    case Phase::Start:
        m_profiles.startBatch();
        if (job.kind == Job::Kind::Sync) {
            reserveFor(job.batch);
            if (job.batch.directChats)
                applyDirectChats(*job.batch.directChats);
            for (const QString &roomId : std::as_const(job.batch.leftRoomIds))
                forgetRoom(roomId);
        } else if (job.kind == Job::Kind::RoomMembers) {
            replaceRoomMembers(job.roomId, job.members);
        }
        job.phase = Phase::Rooms;
        job.cursor = 0;
        [[fallthrough]];

    case Phase::Rooms:
        while (job.cursor < job.batch.joinedRooms.size()) {
            applyRoom(job.batch.joinedRooms.at(job.cursor++));
            if (overBudget(slice))
                return false;
        }
        job.phase = Phase::Presence;
        job.cursor = 0;
        [[fallthrough]];

    case Phase::Presence:
        while (job.cursor < job.batch.presence.size()) {
            applyPresence(job.batch.presence.at(job.cursor++), job.batch.receivedAtMs);
            if (job.cursor % stepsPerClockCheck == 0 && overBudget(slice))
                return false;
        }
        job.phase = Phase::Membership;
        job.cursor = 0;
        askForDoubtedProfiles();
        job.candidates = m_membershipCandidates.values();
        m_membershipCandidates.clear();
        [[fallthrough]];

    case Phase::Membership:
        while (job.cursor < job.candidates.size()) {
            const QString &userId = job.candidates.at(job.cursor++);
            const bool contact = isContact(userId);
            const bool listed = m_model->rowOf(userId) >= 0;
            if (contact && !listed) {
                job.inserts.append(userId);
            } else if (!contact && listed) {
                m_model->removeContact(userId);
                // Not heard of any more (the filter leaves them out): kept, it would go stale and stop them being
                // asked for when they become a contact again.
                m_presence.remove(userId);
                touchPerson(userId);
                job.removedContacts = true;
            }
            if (job.cursor % stepsPerClockCheck == 0 && overBudget(slice))
                return false;
        }
        job.phase = Phase::Inserts;
        job.cursor = 0;
        [[fallthrough]];

    case Phase::Inserts:
        while (job.cursor < job.inserts.size()) {
            const qsizetype end = qMin(job.cursor + insertChunk, job.inserts.size());
            QList<Contact> contacts;
            contacts.reserve(end - job.cursor);
            for (; job.cursor < end; ++job.cursor) {
                const QString &userId = job.inserts.at(job.cursor);
                contacts.append(contactFor(userId));
                if (!m_presence.contains(userId))
                    Q_EMIT presenceNeeded(userId);
            }
            m_model->appendContacts(contacts);
            if (overBudget(slice))
                return false;
        }
        // Rows appended above already carry the newest state; m_changedUsers holds only rows listed before.
        job.updates = m_changedUsers.values();
        m_changedUsers.clear();
        job.bulkUpdate = job.updates.size() > bulkUpdateShare * m_model->rowCount();
        job.phase = Phase::Updates;
        job.cursor = 0;
        if (overBudget(slice))
            return false;
        [[fallthrough]];

    case Phase::Updates:
        if (job.bulkUpdate) {
            // Many rows: write them all, then one whole-range signal; the proxy re-sorts once.
            QSet<int> roles;
            for (const QString &userId : std::as_const(job.updates)) {
                const int row = m_model->rowOf(userId);
                if (row < 0)
                    continue;
                const QList<int> changed = m_model->updateContact(row, contactFor(userId), ContactListModel::Notify::Deferred);
                roles.unite(QSet<int>(changed.cbegin(), changed.cend()));
            }
            m_model->notifyAllRowsChanged(roles.values());
        } else {
            while (job.cursor < job.updates.size()) {
                const QString &userId = job.updates.at(job.cursor++);
                const int row = m_model->rowOf(userId);
                if (row >= 0)
                    m_model->updateContact(row, contactFor(userId));
                if (job.cursor % 16 == 0 && overBudget(slice))
                    return false;
            }
        }
        job.phase = Phase::Changes;
        job.recording.emplace(std::exchange(m_touched, {}), job.kind == Job::Kind::Sync ? job.batch.nextBatch : QString(),
                              m_directChats, newRoomMembers());
        if (overBudget(slice))
            return false;
        [[fallthrough]];

    case Phase::Changes:
        if (!recordChanges(*job.recording, &slice))
            return false;
        job.phase = Phase::Done;
        [[fallthrough]];

    case Phase::Done:
        return true;
    }
    return true;
}

void Roster::reserveFor(const SyncBatch &batch)
{
    // Growing a hash of tens of thousands of entries rehashes it all at once, long enough to stall a slice;
    // a large batch makes room up front instead.
    qsizetype members = 0;
    for (const RoomUpdate &room : batch.joinedRooms)
        members += room.memberChanges.size();
    if (members + batch.presence.size() < 1024)
        return;
    m_rooms.reserve(m_rooms.size() + batch.joinedRooms.size());
    m_roomsByUser.reserve(m_roomsByUser.size() + members);
    m_membershipCandidates.reserve(m_membershipCandidates.size() + members);
    m_presence.reserve(m_presence.size() + batch.presence.size());
}

void Roster::applyDirectChats(const QHash<QString, QStringList> &directChats)
{
    QSet<QString> directRooms;
    for (const QStringList &roomIds : directChats)
        directRooms.unite(QSet<QString>(roomIds.cbegin(), roomIds.cend()));
    for (auto it = m_rooms.begin(); it != m_rooms.end(); ++it) {
        const bool direct = directRooms.contains(it.key());
        if (direct == it->isDirect)
            continue;
        const bool countedBefore = roomCounts(*it);
        it->isDirect = direct;
        reevaluateRoom(it.key(), *it, countedBefore, !it->members.isEmpty());
    }
    m_directRoomIds = std::move(directRooms);
    m_directChats = directChats;
    m_touched.directChats = true;
}

void Roster::applyRoom(const RoomUpdate &update)
{
    auto it = m_rooms.find(update.roomId);
    if (it == m_rooms.end()) {
        Room room;
        room.isDirect = m_directRoomIds.contains(update.roomId);
        it = m_rooms.insert(update.roomId, room);
        // Unless the batch left it first: its old members' removals are noted one by one.
        if (!m_touched.members.contains(update.roomId))
            m_touched.newRooms.insert(update.roomId);
    }
    Room &room = *it;
    touchRoom(update.roomId);
    const bool countedBefore = roomCounts(room);
    const bool membersKnownBefore = !room.members.isEmpty();
    if (update.joinedMemberCount)
        room.joinedCount = *update.joinedMemberCount;
    if (update.invitedMemberCount)
        room.invitedCount = *update.invitedMemberCount;
    const bool touchesPeople = countedBefore || roomCounts(room);
    for (const MemberChange &change : update.memberChanges) {
        setMembership(update.roomId, room, change, touchesPeople);
        // A join event is how a profile change reaches us (design.md: Synapse does not put it in m.presence); an
        // invite carries the invitee's profile too, the only name a pending invitation has.
        if (change.membership != Membership::Join && change.membership != Membership::Invite)
            continue;
        if (change.userId == m_ownUserId && change.membership == Membership::Invite)
            continue;
        if (change.userId == m_ownUserId) {
            Q_EMIT ownProfileReceived(change.displayName, change.avatarUrl);
        } else if (roomCounts(room)) {
            if (room.fetchRequested)
                room.namedSinceAsked.insert(change.userId);
            if (m_profiles.setRoomProfile(change.userId, update.roomId, {change.displayName, change.avatarUrl}))
                markChanged(change.userId);
        }
    }

    if (update.timelineLimited) {
        if (const std::optional<QSet<QString>> joined = joinedProvenBy(update)) {
            // The batch names everyone (joinedProvenBy): whoever else the room held has gone.
            setMembership(update.roomId, room, MemberChange{m_ownUserId, Membership::Join, {}, {}}, touchesPeople);
            const QList<QString> known = room.members.keys();
            for (const QString &userId : known) {
                if (!joined->contains(userId))
                    setMembership(update.roomId, room, MemberChange{userId, Membership::Leave, {}, {}}, touchesPeople);
            }
            room.membersComplete = true;
        } else {
            // Member events were left out between the last sync and this one: the list may be wrong.
            room.membersComplete = false;
            room.fetchRequested = false;
        }
    } else if (!room.membersComplete && room.joinedCount >= 0 && roomCounts(room)
               && joinedMemberCount(room) >= room.joinedCount) {
        room.membersComplete = true;  // the sync itself carried every joined member
    }
    reevaluateRoom(update.roomId, room, countedBefore, membersKnownBefore);
}

std::optional<QSet<QString>> Roster::joinedProvenBy(const RoomUpdate &update) const
{
    // Synapse's summary of a room without a name lists up to 5 others as heroes, joined before invited, and sends
    // the heroes' member events with it (handlers/sync.py compute_summary). When nobody is invited, the heroes are
    // as many as the other joined members, and the batch brings each one's join (so their names too), the room is
    // you and them. Anything less (a name, invitees, a hero whose event was sent before): fetch the list.
    if (!update.heroes || !update.joinedMemberCount || update.invitedMemberCount != 0)
        return std::nullopt;
    QHash<QString, Membership> latest;  // each person's last member event in the batch
    for (const MemberChange &change : update.memberChanges)
        latest.insert(change.userId, change.membership);
    QSet<QString> joined{m_ownUserId};
    for (const QString &hero : *update.heroes) {
        if (hero == m_ownUserId || latest.value(hero, Membership::Leave) != Membership::Join)
            return std::nullopt;
        joined.insert(hero);
    }
    if (joined.size() != *update.joinedMemberCount || latest.value(m_ownUserId, Membership::Join) != Membership::Join)
        return std::nullopt;
    for (auto it = latest.cbegin(); it != latest.cend(); ++it) {
        if (it.value() != Membership::Leave && it.value() != Membership::Ban && !joined.contains(it.key()))
            return std::nullopt;  // someone joined or invited that the summary does not name
    }
    return joined;
}

void Roster::replaceRoomMembers(const QString &roomId, const QList<MemberChange> &members)
{
    auto it = m_rooms.find(roomId);
    if (it == m_rooms.end())
        return;  // left the room while the list was on its way
    Room &room = *it;
    touchRoom(roomId);
    const bool countedBefore = roomCounts(room);
    // Counted with the list's own size first: whether its names are kept depends on it.
    const auto joins = std::count_if(members.cbegin(), members.cend(),
                                     [](const MemberChange &member) { return member.membership == Membership::Join; });
    room.joinedCount = static_cast<int>(joins);
    const bool touchesPeople = countedBefore || roomCounts(room);
    QSet<QString> listed;  // joined, and invited when the list has them
    for (const MemberChange &member : members) {
        listed.insert(member.userId);
        setMembership(roomId, room, member, touchesPeople);
        if (member.userId == m_ownUserId || !roomCounts(room))
            continue;
        // The list was asked for after the batch that made it needed (a `limited` timeline skips name changes too),
        // so it replaces what the room held; not a name a later batch brought while it was on its way.
        const Profile profile{member.displayName, member.avatarUrl};
        const bool changed = room.namedSinceAsked.contains(member.userId)
                               ? m_profiles.setRoomProfileIfUnknown(member.userId, roomId, profile)
                               : m_profiles.setRoomProfile(member.userId, roomId, profile);
        if (changed)
            markChanged(member.userId);
    }
    const QList<QString> known = room.members.keys();
    for (const QString &userId : known) {
        // Invited people are in the list whenever the room's summary counts any (MemberFetcher asks for them).
        if (!listed.contains(userId))
            setMembership(roomId, room, MemberChange{userId, Membership::Leave, {}, {}}, touchesPeople);
    }
    room.membersComplete = true;
    room.fetchRequested = false;
    room.namedSinceAsked.clear();
    reevaluateRoom(roomId, room, countedBefore, false);
}

void Roster::forgetRoom(const QString &roomId)
{
    const auto it = m_rooms.find(roomId);
    if (it == m_rooms.end())
        return;
    const QList<QString> members = it->members.keys();
    const bool touchesPeople = roomCounts(*it);
    for (const QString &userId : members)
        setMembership(roomId, *it, MemberChange{userId, Membership::Leave, {}, {}}, touchesPeople);
    m_rooms.erase(it);
    touchRoom(roomId);
}

void Roster::setMembership(const QString &roomId, Room &room, const MemberChange &change, bool touchesPeople)
{
    const bool inRoom = change.membership == Membership::Join || change.membership == Membership::Invite;
    const auto member = room.members.find(change.userId);
    if (inRoom ? member != room.members.end() && *member == change.membership : member == room.members.end())
        return;
    touchMembership(roomId, change.userId);
    if (inRoom) {
        room.members.insert(change.userId, change.membership);
        m_roomsByUser[change.userId].insert(roomId);
    } else {
        room.members.erase(member);
        const auto rooms = m_roomsByUser.find(change.userId);
        if (rooms != m_roomsByUser.end()) {
            rooms->remove(roomId);
            if (rooms->isEmpty())
                m_roomsByUser.erase(rooms);
        }
        m_profiles.removeRoom(change.userId, roomId);
    }
    if (!touchesPeople)
        return;
    m_membershipCandidates.insert(change.userId);
    markChanged(change.userId);  // a name, or Contact::invited, may have come or gone with the room
}

void Roster::applyPresence(const PresenceEvent &update, qint64 receivedAtMs)
{
    const PresenceState known = PresenceState::fromWire(update.content, receivedAtMs);
    if (known.presence == Presence::Unknown)
        qCDebug(lcRoster).noquote() << "unrecognised presence" << known.rawPresence << "of" << update.userId;
    if (update.userId != m_ownUserId && !isContact(update.userId)) {
        // Someone the filter in use still listed (the contacts changed since it was uploaded): not kept, so that
        // the presence map holds contacts only.
        qCDebug(lcRoster).noquote() << "presence of" << update.userId << "who is not a contact ignored";
        return;
    }
    PresenceState &slot = m_presence[update.userId];
    if (slot != known) {
        slot = known;
        markChanged(update.userId);
    }
    if (update.userId == m_ownUserId) {
        if (update.displayName || update.avatarUrl)
            Q_EMIT ownProfileReceived(update.displayName.value_or(QString()), update.avatarUrl.value_or(QString()));
        Q_EMIT ownPresenceReceived(known);
    } else if (update.displayName || update.avatarUrl) {
        // Older servers put the global profile in presence; a field left out is unchanged.
        const Profile current = m_profiles.shown(update.userId);
        if (m_profiles.setGlobalFromPresence(update.userId, {update.displayName.value_or(current.displayName),
                                                             update.avatarUrl.value_or(current.avatarUrl)}))
            markChanged(update.userId);
    }
}

void Roster::applyGlobalProfile(const QString &userId, const Profile &profile)
{
    if (m_profiles.setGlobal(userId, profile))
        refreshRow(userId);
    askForDoubtedProfiles();  // the answer may have been too old: asked again
    touchPerson(userId);
    emitChangesBetweenBatches();
}

void Roster::applyFetchedPresence(const QString &userId, const PresenceContent &content, qint64 receivedAtMs)
{
    // A request for someone who became a contact is sent after the batch that made them one; from that batch's
    // position on the sync brings their changes. So presence that came by sync meanwhile is as new as the answer
    // or newer, and only a person still without any is given the answer.
    if (!isContact(userId) || m_presence.contains(userId))
        return;
    m_presence.insert(userId, PresenceState::fromWire(content, receivedAtMs));
    refreshRow(userId);
    touchPerson(userId);
    emitChangesBetweenBatches();
}

void Roster::globalProfileUnavailable(const QString &userId)
{
    if (m_profiles.globalUnavailable(userId))
        refreshRow(userId);
    touchPerson(userId);
    emitChangesBetweenBatches();
}

void Roster::refreshRow(const QString &userId)
{
    // At once, even between two slices of a batch: the row then holds the newest state, which a later Updates
    // phase writes again without a signal.
    const int row = m_model->rowOf(userId);
    if (row >= 0)
        m_model->updateContact(row, contactFor(userId));
}

void Roster::askForDoubtedProfiles()
{
    const QStringList userIds = m_profiles.takeQuestions();
    for (const QString &userId : userIds)
        Q_EMIT profileNeeded(userId);
}

void Roster::markChanged(const QString &userId)
{
    touchPerson(userId);
    // Only listed rows need a dataChanged; a person listed later is inserted with their newest state.
    if (m_model->rowOf(userId) >= 0)
        m_changedUsers.insert(userId);
}

void Roster::reevaluateRoom(const QString &roomId, Room &room, bool countedBefore, bool membersKnownBefore)
{
    const bool countsNow = roomCounts(room);
    touchRoom(roomId);  // its count, kind or completeness may have changed
    if (countsNow != countedBefore) {
        markRoomMembersAsCandidates(room);
        if (!countsNow) {
            forgetRoomProfiles(roomId, room);
        } else if (membersKnownBefore) {
            // Their names were not kept while the room did not count: the member list brings them.
            room.membersComplete = false;
            room.fetchRequested = false;
        }
    }
    if (countsNow)
        requestMembersIfNeeded(roomId, room);
}

void Roster::forgetRoomProfiles(const QString &roomId, const Room &room)
{
    for (auto it = room.members.cbegin(); it != room.members.cend(); ++it) {
        if (m_profiles.removeRoom(it.key(), roomId))
            markChanged(it.key());
    }
}

void Roster::requestUnansweredMembers()
{
    for (auto it = m_rooms.begin(); it != m_rooms.end(); ++it) {
        if (!it->fetchRequested || it->membersComplete)
            continue;
        it->fetchRequested = false;
        if (roomCounts(*it))
            requestMembersIfNeeded(it.key(), *it);
    }
}

void Roster::requestMembersIfNeeded(const QString &roomId, Room &room)
{
    if (room.membersComplete || room.fetchRequested)
        return;
    room.fetchRequested = true;
    Q_EMIT membersNeeded(roomId);
}

void Roster::markRoomMembersAsCandidates(const Room &room)
{
    for (auto it = room.members.cbegin(); it != room.members.cend(); ++it)
        m_membershipCandidates.insert(it.key());
}

bool Roster::roomCountsUnder(const Room &room, int smallRoomLimit)
{
    return room.isDirect || (room.joinedCount >= 0 && room.joinedCount <= smallRoomLimit);
}

int Roster::joinedMemberCount(const Room &room)
{
    return static_cast<int>(std::count(room.members.cbegin(), room.members.cend(), Membership::Join));
}

bool Roster::isContact(const QString &userId) const
{
    if (userId == m_ownUserId)
        return false;
    const auto rooms = m_roomsByUser.constFind(userId);
    if (rooms == m_roomsByUser.cend())
        return false;
    for (const QString &roomId : *rooms) {
        const auto room = m_rooms.constFind(roomId);
        if (room != m_rooms.cend() && roomCounts(*room))
            return true;
    }
    return false;
}

QStringList Roster::directRoomsWith(const QString &userId) const
{
    QStringList roomIds;
    const QSet<QString> rooms = m_roomsByUser.value(userId);  // const: a loop over the returned copy would deep-copy it
    for (const QString &roomId : rooms) {
        const auto room = m_rooms.constFind(roomId);
        if (room != m_rooms.cend() && room->isDirect)
            roomIds.append(roomId);
    }
    roomIds.sort();
    return roomIds;
}

bool Roster::isOnlyInvited(const QString &userId) const
{
    // Joined to any room that counts: a contact in full. Invited to some only: an invitation of yours waits.
    bool invited = false;
    const QSet<QString> rooms = m_roomsByUser.value(userId);  // const, as above: shared, not copied
    for (const QString &roomId : rooms) {
        const auto room = m_rooms.constFind(roomId);
        if (room == m_rooms.cend() || !roomCounts(*room))
            continue;
        if (room->members.value(userId) == Membership::Join)
            return false;
        invited = true;
    }
    return invited;
}

Contact Roster::contactFor(const QString &userId) const
{
    Contact contact;
    contact.userId = userId;
    const Profile profile = m_profiles.shown(userId);
    contact.displayName = profile.displayName;
    contact.avatarUrl = profile.avatarUrl;
    contact.otherNames = m_profiles.otherNames(userId);
    contact.invited = isOnlyInvited(userId);
    const auto presence = m_presence.constFind(userId);
    if (presence != m_presence.cend())
        contact.state = *presence;
    return contact;
}

void Roster::emitChangesBetweenBatches()
{
    // A job being applied sends these with its own changes when it ends.
    if (isApplying() || m_touched.isEmpty())
        return;
    ChangeRecording recording(std::exchange(m_touched, {}), QString(), m_directChats, newRoomMembers());
    recordChanges(recording, nullptr);
    if (!recording.changes.isEmpty())
        Q_EMIT changed(recording.changes);
}

qsizetype Roster::newRoomMembers() const
{
    qsizetype members = 0;
    for (const QString &roomId : std::as_const(m_touched.newRooms))
        if (const auto room = m_rooms.constFind(roomId); room != m_rooms.cend())
            members += room->members.size();
    return members;
}

bool Roster::recordChanges(ChangeRecording &recording, const QElapsedTimer *slice) const
{
    const Touched &touched = recording.touched;
    RosterChanges &changes = recording.changes;
    qsizetype steps = 0;
    const auto timeUp = [&] { return slice && ++steps % stepsPerClockCheck == 0 && overBudget(*slice); };

    while (recording.nextRoom != touched.rooms.cend()) {
        const QString &roomId = *recording.nextRoom++;
        const auto room = m_rooms.constFind(roomId);
        if (room == m_rooms.cend())
            changes.removedRoomIds.append(roomId);
        else
            changes.rooms.append({roomId, room->joinedCount, room->membersComplete});
        if (timeUp())
            return false;
    }
    while (recording.nextRoomOfMembers != recording.touched.members.end()) {
        const QString &roomId = recording.nextRoomOfMembers.key();
        const QSet<QString> &userIds = recording.nextRoomOfMembers.value();
        const auto room = m_rooms.constFind(roomId);  // gone: its memberships went with it
        while (room != m_rooms.cend() && recording.nextMember != userIds.cend()) {
            const QString &userId = *recording.nextMember++;
            const auto member = room->members.constFind(userId);
            if (member == room->members.cend())
                changes.removedMembers.append({roomId, userId, Membership::Leave});
            else
                changes.members.append({roomId, userId, *member});
            if (timeUp())
                return false;
        }
        // Freed while its user IDs are still in the cache: all of them at the end would hold the GUI thread.
        recording.nextRoomOfMembers.value() = {};
        if (++recording.nextRoomOfMembers != recording.touched.members.end())
            recording.nextMember = recording.nextRoomOfMembers->cbegin();
    }
    while (recording.nextNewRoom != touched.newRooms.cend()) {
        const QString &roomId = *recording.nextNewRoom;
        // Between two slices its members stay as they are: only a job changes them, and this one is the job.
        const auto room = m_rooms.constFind(roomId);
        if (room != m_rooms.cend()) {
            auto &member = recording.nextNewMember;
            if (!member)
                member = room->members.cbegin();
            while (*member != room->members.cend()) {
                changes.members.append({roomId, member->key(), member->value()});
                ++*member;
                if (timeUp())
                    return false;
            }
        }
        recording.nextNewMember.reset();
        ++recording.nextNewRoom;
    }
    while (recording.nextPerson != touched.people.cend()) {
        const QString &userId = *recording.nextPerson++;
        const auto presence = m_presence.constFind(userId);
        if (presence == m_presence.cend())
            changes.removedPresence.append(userId);
        else
            changes.presence.insert(userId, *presence);
        if (const std::optional<PersonProfiles> profiles = m_profiles.record(userId))
            changes.profiles.insert(userId, *profiles);
        else
            changes.removedProfiles.append(userId);
        if (timeUp())
            return false;
    }
    return true;
}

RosterChanges Roster::exportState() const
{
    RosterChanges state;
    state.directChats = m_directChats;
    for (auto room = m_rooms.cbegin(); room != m_rooms.cend(); ++room) {
        state.rooms.append({room.key(), room->joinedCount, room->membersComplete});
        for (auto member = room->members.cbegin(); member != room->members.cend(); ++member)
            state.members.append({room.key(), member.key(), member.value()});
    }
    state.presence = m_presence;
    const QStringList people = m_profiles.people();
    for (const QString &userId : people)
        state.profiles.insert(userId, *m_profiles.record(userId));
    return state;
}

void Roster::restore(const RosterChanges &state)
{
    clear();
    m_directChats = state.directChats.value_or(QHash<QString, QStringList>());
    for (const QStringList &roomIds : std::as_const(m_directChats))
        m_directRoomIds.unite(QSet<QString>(roomIds.cbegin(), roomIds.cend()));
    m_rooms.reserve(state.rooms.size());
    for (const RoomRecord &record : state.rooms) {
        Room room;
        room.joinedCount = record.joinedCount;
        room.membersComplete = record.membersComplete;
        room.isDirect = m_directRoomIds.contains(record.roomId);
        m_rooms.insert(record.roomId, room);
    }
    for (const MemberRecord &record : state.members) {
        const auto room = m_rooms.find(record.roomId);
        if (room == m_rooms.end())
            continue;
        room->members.insert(record.userId, record.membership);
        m_roomsByUser[record.userId].insert(record.roomId);
    }
    m_profiles.startBatch();
    for (auto it = state.profiles.cbegin(); it != state.profiles.cend(); ++it)
        m_profiles.restore(it.key(), it.value());

    QList<Contact> contacts;
    for (auto it = m_roomsByUser.cbegin(); it != m_roomsByUser.cend(); ++it) {
        if (!isContact(it.key()))
            continue;
        const auto presence = state.presence.constFind(it.key());
        if (presence != state.presence.cend())
            m_presence.insert(it.key(), *presence);
        contacts.append(contactFor(it.key()));
    }
    if (const auto own = state.presence.constFind(m_ownUserId); own != state.presence.cend())
        m_presence.insert(m_ownUserId, *own);
    for (qsizetype start = 0; start < contacts.size(); start += insertChunk)
        m_model->appendContacts(contacts.mid(start, insertChunk));

    // What the last run asked for and never got.
    for (const Contact &contact : std::as_const(contacts)) {
        if (!m_presence.contains(contact.userId))
            Q_EMIT presenceNeeded(contact.userId);
    }
    for (auto it = m_rooms.begin(); it != m_rooms.end(); ++it) {
        if (roomCounts(*it))
            requestMembersIfNeeded(it.key(), *it);
    }
    askForDoubtedProfiles();
    Q_EMIT contactsChanged(m_model->userIds());
}
