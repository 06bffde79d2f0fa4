#include "session/TimeZoneProfiles.h"

#include "roster/ContactListModel.h"
#include "roster/TimeZoneBook.h"

#include <QLoggingCategory>
#include <QTimeZone>

using namespace Qt::Literals::StringLiterals;

Q_LOGGING_CATEGORY(lcTimeZones, "presently.timezones", QtInfoMsg)

namespace {
// A user without the field answers 404 M_NOT_FOUND: no zone, and nothing went wrong.
bool isAbsentField(const MatrixError &error)
{
    return error.httpStatus == 404 && error.errcode == "M_NOT_FOUND"_L1;
}
} // namespace

TimeZoneProfiles::TimeZoneProfiles(HomeserverApi *api, ContactListModel *contacts, TimeZoneBook *book, QObject *parent)
    : QObject(parent)
    , m_api(api)
    , m_contacts(contacts)
    , m_book(book)
    , m_users(maxRunning, this, [this](const QString &userId) { fetch(userId); })
{
    connect(contacts, &QAbstractItemModel::rowsInserted, this,
            [this](const QModelIndex &, int first, int last) { addRows(first, last); });
    connect(contacts, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex &topLeft, const QModelIndex &bottomRight, const QList<int> &roles) {
                const bool profileChanged = roles.contains(ContactListModel::DisplayNameRole)
                                            || roles.contains(ContactListModel::AvatarUrlRole);
                if (profileChanged && bottomRight.row() - topLeft.row() < maxRowsRefreshed)
                    addRows(topLeft.row(), bottomRight.row());
            });
}

bool TimeZoneProfiles::canShare() const
{
    return m_capability.canSet(timeZoneProfileField);
}

void TimeZoneProfiles::start(const QString &ownUserId)
{
    m_ownUserId = ownUserId;
    m_running = true;
    m_capabilityCall = m_api->profileFieldCapability(this, [this](Result<ProfileFieldCapability> result) {
        if (!result) {
            // Without the answer nothing is asked: showing no time is the cautious reading.
            qCWarning(lcTimeZones).noquote() << "could not read the server's capabilities:" << result.error().describe();
            return;
        }
        onCapability(result.value());
    });
}

void TimeZoneProfiles::onCapability(const ProfileFieldCapability &capability)
{
    const bool changed = capability.enabled != m_capability.enabled || capability.canSet(timeZoneProfileField) != canShare();
    m_capability = capability;
    if (changed)
        Q_EMIT supportChanged();
    if (!capability.enabled) {
        qCInfo(lcTimeZones) << "the server has no extended profiles: no local times";
        return;
    }
    readOwnZone();
    addRows(0, m_contacts->rowCount() - 1);
}

void TimeZoneProfiles::readOwnZone()
{
    m_ownCall = m_api->getTimeZone(m_ownUserId, this, [this](Result<QString> result) {
        if (!result && !isAbsentField(result.error())) {
            // Until it is read, sharing shows as it was: "off" is not known to be true. An answer that is not a
            // time zone is final, as for contacts.
            const MatrixError &error = result.error();
            const int waitMs = error.kind == MatrixError::Kind::Protocol ? -1 : m_ownZoneRead.failed(error);
            qCWarning(lcTimeZones).noquote() << "could not read your published time zone:" << error.describe()
                                             << (waitMs >= 0 ? u"- asking again in %1 ms"_s.arg(waitMs) : QString());
            return;
        }
        m_ownZoneRead.succeeded();
        const QString zone = result ? result.value() : QString();
        if (zone == m_sharedZone)
            return;
        m_sharedZone = zone;
        Q_EMIT sharedZoneChanged(zone);
    });
}

void TimeZoneProfiles::stop()
{
    m_running = false;
    m_capabilityCall.abort();
    m_ownCall.abort();
    m_ownZoneRead.stop();
    m_users.clear();
}

void TimeZoneProfiles::clear()
{
    stop();
    m_ownUserId.clear();
    m_book->clear();
    const bool wasSupported = isSupported() || canShare();
    m_capability = {};
    if (wasSupported)
        Q_EMIT supportChanged();
    if (!m_sharedZone.isEmpty()) {
        m_sharedZone.clear();
        Q_EMIT sharedZoneChanged({});
    }
}

void TimeZoneProfiles::setSharing(bool share)
{
    if (!m_running || !canShare())
        return;
    const QString zone = share ? QString::fromLatin1(QTimeZone::systemTimeZoneId()) : QString();
    m_ownCall = m_api->setTimeZone(m_ownUserId, zone, this, [this](Result<Done> result) {
        if (!result) {
            qCWarning(lcTimeZones).noquote() << "could not change your published time zone:" << result.error().describe();
            Q_EMIT sharingFailed(result.error());
            return;
        }
        readOwnZone();  // what the server holds now is what shows
    });
}

void TimeZoneProfiles::addRows(int first, int last)
{
    if (!m_running || !m_capability.enabled)
        return;
    for (int row = first; row <= last; ++row)
        m_users.add(m_contacts->contactAt(row).userId);
}

void TimeZoneProfiles::fetch(const QString &userId)
{
    m_api->getTimeZone(userId, this, [this, userId, generation = m_users.generation()](Result<QString> result) {
        if (generation != m_users.generation())
            return;  // asked for by a connection since gone
        if (result) {
            m_users.succeeded(userId);
            m_book->setZone(userId, result.value());
        } else if (result.error().isWithdrawn()) {
            m_users.done(userId);  // the session ended under it: what is known stays
        } else if (result.error().isTransient() && result.error().kind != MatrixError::Kind::Protocol) {
            // (An answer that is not a time zone is final: asking again brings the same value. It shows no time
            // until the person's profile changes.)
            const int waitMs = m_users.retryLater(userId, result.error());
            qCInfo(lcTimeZones).noquote() << "time zone of" << userId << "failed:" << result.error().describe()
                                          << u"- retrying in %1 ms"_s.arg(waitMs);
        } else {
            m_users.done(userId);
            if (!isAbsentField(result.error()))
                qCInfo(lcTimeZones).noquote() << "time zone of" << userId << "not shown:" << result.error().describe();
            m_book->setZone(userId, {});
        }
    });
}
