#pragma once

#include "matrix/HomeserverApi.h"

#include <QObject>

class DirectoryResults;

// Finds people to add (the add-contact dialog): POST /user_directory/search into DirectoryResults. Stock Synapse
// searches only people who share a room with you or sit in a public room (user_directory.search_all_users is off),
// so a full Matrix ID typed in is also looked up with GET /profile/{userId} and, when the server knows the
// person, put first. An answer to an older search than the last one is dropped.
class ContactDirectory : public QObject {
    Q_OBJECT
public:
    static constexpr int resultLimit = 20;

    ContactDirectory(HomeserverApi *api, DirectoryResults *results, QObject *parent = nullptr);

public Q_SLOTS:
    void search(const QString &term);

Q_SIGNALS:
    // Both answers of the last search are in the results.
    void searched(const QString &term);
    void failed(const QString &message);

private:
    void publish();

    HomeserverApi *m_api;
    DirectoryResults *m_results;
    QString m_term;
    QList<DirectoryUser> m_found;
    std::optional<DirectoryUser> m_typedId;
    int m_waiting = 0;
    ApiCall m_searchCall;
    ApiCall m_profileCall;
};
