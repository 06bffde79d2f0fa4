#include "session/ContactDirectory.h"

#include "roster/DirectoryResults.h"

ContactDirectory::ContactDirectory(HomeserverApi *api, DirectoryResults *results, QObject *parent)
    : QObject(parent)
    , m_api(api)
    , m_results(results)
{
}

void ContactDirectory::search(const QString &typed)
{
    m_searchCall.abort();
    m_profileCall.abort();
    m_term = typed.trimmed();
    m_found.clear();
    m_typedId.reset();
    m_waiting = 0;
    if (m_term.isEmpty()) {
        m_results->setResults({});
        return;
    }
    const QString term = m_term;
    ++m_waiting;
    m_searchCall = m_api->searchUserDirectory(term, resultLimit, this, [this, term](Result<DirectorySearch> answer) {
        if (term != m_term)
            return;
        if (answer)
            m_found = answer.value().results;
        else if (answer.error().kind != MatrixError::Kind::Aborted)
            Q_EMIT failed(tr("The server's user directory did not answer: %1").arg(answer.error().describe()));
        publish();
    });
    if (term.startsWith(u'@') && term.indexOf(u':') > 1) {
        ++m_waiting;
        m_profileCall = m_api->getProfile(term, this, [this, term](Result<Profile> profile) {
            if (term != m_term)
                return;
            if (profile)
                m_typedId = DirectoryUser{term, profile.value().displayName, profile.value().avatarUrl};
            publish();
        });
    }
}

void ContactDirectory::publish()
{
    if (--m_waiting > 0)
        return;
    QList<DirectoryUser> results = m_found;
    if (m_typedId) {
        results.removeIf([this](const DirectoryUser &user) { return user.userId == m_typedId->userId; });
        results.prepend(*m_typedId);
    }
    m_results->setResults(results);
    Q_EMIT searched(m_term);
}
