#pragma once

#include "matrix/HomeserverApi.h"

#include <QJsonObject>
#include <QObject>

#include <deque>
#include <functional>

// Changes the account's own account data by read-modify-write: GET the event's current content, apply a change
// to it, PUT the result. Other clients (and other devices) write the same events (m.direct, m.ignored_user_list),
// so a change starts from what the server holds now rather than from what the last sync said, and keeps every
// entry it does not mean to change. Changes run one at a time, in order, so two of them never race each other.
// A type the account never set (404) starts from an empty object; any other failure to read writes nothing.
class AccountDataEditor : public QObject {
    Q_OBJECT
public:
    using Change = std::function<QJsonObject(QJsonObject)>;
    // Called with nullopt once the server has the new content, or with the error that stopped it.
    using Finished = std::function<void(const std::optional<MatrixError> &)>;

    explicit AccountDataEditor(HomeserverApi *api, QObject *parent = nullptr);

    void setUserId(const QString &userId) { m_userId = userId; }
    void modify(const QString &type, Change change, Finished done);
    // Forgets the queue and drops the running change's answer (the user signed out).
    void cancel();

private:
    struct Edit {
        QString type;
        Change change;
        Finished done;
    };
    void next();
    void finish(const std::optional<MatrixError> &error);

    HomeserverApi *m_api;
    QString m_userId;
    std::deque<Edit> m_edits;
    bool m_running = false;
    ApiCall m_call;
};
