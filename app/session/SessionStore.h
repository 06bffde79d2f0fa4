#pragma once

#include "matrix/MatrixTypes.h"

#include <QObject>

// Remembers the signed-in session across starts. Homeserver, user and device go to QSettings; the access
// token goes to the desktop's secret service through QtKeychain. Where no secret service answers, the
// token is written to a file only the user can read, and tokenStoredInFile() says so (the first time), so the
// user is told.
// The token itself never reaches a log line.
class SessionStore : public QObject {
    Q_OBJECT
public:
    explicit SessionStore(QObject *parent = nullptr);

    // Where the token goes when there is no keychain: <app data dir>/access-token, mode 0600.
    static QString tokenFilePath();

public Q_SLOTS:
    void save(const LoginSession &session);
    // Answers with loaded(): a complete session, or an empty one when nothing is stored; or, when a session is
    // stored but the keychain does not give its token (locked, no answer, refused), with keychainFailed(): that
    // is not "no session", and load() may be asked again.
    void load();
    void clear();

Q_SIGNALS:
    void saved();
    void tokenStoredInFile(const QString &reason);
    void loaded(const LoginSession &session);
    void keychainFailed(const QString &reason);

private:
    bool writeTokenFile(const QString &token);
    QString readTokenFile() const;
};
