#include "session/SessionStore.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QSettings>
#include <QStandardPaths>

#include <qt6keychain/keychain.h>

using namespace Qt::Literals::StringLiterals;

Q_LOGGING_CATEGORY(lcSession, "presently.session", QtInfoMsg)

namespace {
const QString keychainService = u"Presently"_s;
const QString homeserverKey = u"session/homeserver"_s;
const QString userIdKey = u"session/userId"_s;
const QString deviceIdKey = u"session/deviceId"_s;
const QString tokenInFileKey = u"session/tokenInFile"_s;

QString keychainKey(const QString &userId)
{
    return u"access-token:"_s + userId;
}
} // namespace

// Keychain jobs have no parent: they delete themselves when they finish (QKeychain's autoDelete). The secret
// service answers asynchronously, and a job deleted with this store before its answer came would be called into
// after its death; its `finished` is connected with this store as the context, so an answer for a store that is
// gone is dropped instead.

SessionStore::SessionStore(QObject *parent)
    : QObject(parent)
{
}

QString SessionStore::tokenFilePath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + u"/access-token"_s;
}

void SessionStore::save(const LoginSession &session)
{
    QSettings settings;
    settings.setValue(homeserverKey, session.homeserver.toString());
    settings.setValue(userIdKey, session.userId);
    settings.setValue(deviceIdKey, session.deviceId);

    auto *job = new QKeychain::WritePasswordJob(keychainService);
    job->setKey(keychainKey(session.userId));
    job->setTextData(session.accessToken);
    const QString token = session.accessToken;
    connect(job, &QKeychain::Job::finished, this, [this, job, token] {
        QSettings after;
        if (job->error() == QKeychain::NoError) {
            after.setValue(tokenInFileKey, false);
            QFile::remove(tokenFilePath());
            Q_EMIT saved();
            return;
        }
        qCWarning(lcSession).noquote() << "no keychain, keeping the token in a private file:" << job->errorString();
        if (writeTokenFile(token)) {
            // Said once, when the token first goes to a file, not at every sign-in.
            const bool alreadyInFile = after.value(tokenInFileKey).toBool();
            after.setValue(tokenInFileKey, true);
            if (!alreadyInFile)
                Q_EMIT tokenStoredInFile(job->errorString());
            Q_EMIT saved();
        }
    });
    job->start();
}

void SessionStore::load()
{
    QSettings settings;
    LoginSession session;
    session.homeserver = QUrl(settings.value(homeserverKey).toString());
    session.userId = settings.value(userIdKey).toString();
    session.deviceId = settings.value(deviceIdKey).toString();
    if (!session.homeserver.isValid() || session.userId.isEmpty()) {
        Q_EMIT loaded({});
        return;
    }
    if (settings.value(tokenInFileKey).toBool()) {
        session.accessToken = readTokenFile();
        Q_EMIT loaded(session.accessToken.isEmpty() ? LoginSession{} : session);
        return;
    }
    auto *job = new QKeychain::ReadPasswordJob(keychainService);
    job->setKey(keychainKey(session.userId));
    connect(job, &QKeychain::Job::finished, this, [this, job, session]() mutable {
        if (job->error() == QKeychain::EntryNotFound) {
            qCWarning(lcSession).noquote() << "the keychain holds no token for" << session.userId;
            Q_EMIT loaded({});
            return;
        }
        if (job->error() != QKeychain::NoError) {
            qCWarning(lcSession).noquote() << "could not read the token from the keychain:" << job->errorString();
            Q_EMIT keychainFailed(job->errorString());
            return;
        }
        session.accessToken = job->textData();
        Q_EMIT loaded(session.accessToken.isEmpty() ? LoginSession{} : session);
    });
    job->start();
}

void SessionStore::clear()
{
    QSettings settings;
    const QString userId = settings.value(userIdKey).toString();
    for (const QString &key : {homeserverKey, userIdKey, deviceIdKey, tokenInFileKey})
        settings.remove(key);
    QFile::remove(tokenFilePath());
    if (userId.isEmpty())
        return;
    auto *job = new QKeychain::DeletePasswordJob(keychainService);
    job->setKey(keychainKey(userId));
    job->start();
}

bool SessionStore::writeTokenFile(const QString &token)
{
    const QString path = tokenFilePath();
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile::remove(path);
    QFile file(path);
    // Created with owner-only permissions, never readable by others even for a moment.
    if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly, QFileDevice::ReadOwner | QFileDevice::WriteOwner)) {
        qCWarning(lcSession).noquote() << "cannot write" << path << ":" << file.errorString();
        return false;
    }
    file.write(token.toUtf8());
    return file.flush();
}

QString SessionStore::readTokenFile() const
{
    QFile file(tokenFilePath());
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(file.readAll()).trimmed();
}
