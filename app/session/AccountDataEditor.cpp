#include "session/AccountDataEditor.h"

#include <QLoggingCategory>

using namespace Qt::Literals::StringLiterals;

Q_LOGGING_CATEGORY(lcAccountData, "presently.accountdata", QtInfoMsg)

AccountDataEditor::AccountDataEditor(HomeserverApi *api, QObject *parent)
    : QObject(parent)
    , m_api(api)
{
}

void AccountDataEditor::modify(const QString &type, Change change, Finished done)
{
    m_edits.push_back({type, std::move(change), std::move(done)});
    if (!m_running)
        next();
}

void AccountDataEditor::cancel()
{
    m_edits.clear();
    m_running = false;
    m_call.abort();
}

void AccountDataEditor::next()
{
    if (m_edits.empty())
        return;
    m_running = true;
    const QString type = m_edits.front().type;
    m_call = m_api->accountData(m_userId, type, this, [this, type](Result<QJsonObject> current) {
        if (!m_running || m_edits.empty())
            return;
        QJsonObject content;
        if (current) {
            content = current.value();
        } else if (current.error().errcode != "M_NOT_FOUND"_L1) {
            // Writing without knowing what is there would drop other clients' entries.
            qCWarning(lcAccountData).noquote() << "could not read" << type << "to change it:" << current.error().describe();
            return finish(current.error());
        }
        const QJsonObject changed = m_edits.front().change(content);
        if (changed == content && current)
            return finish(std::nullopt);
        m_call = m_api->setAccountData(m_userId, type, changed, this, [this, type](Result<Done> written) {
            if (!m_running)
                return;
            if (!written)
                qCWarning(lcAccountData).noquote() << "could not write" << type << ":" << written.error().describe();
            finish(written ? std::nullopt : std::optional<MatrixError>(written.error()));
        });
    });
}

void AccountDataEditor::finish(const std::optional<MatrixError> &error)
{
    Edit edit = std::move(m_edits.front());
    m_edits.pop_front();
    m_running = false;
    if (edit.done)
        edit.done(error);
    if (!m_running)
        next();
}
