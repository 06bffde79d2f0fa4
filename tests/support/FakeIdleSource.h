#pragma once

#include "presence/IdleSource.h"

#include <optional>

// An idle time the test sets; std::nullopt makes the source "not available here".
class FakeIdleSource : public IdleSource {
    Q_OBJECT
public:
    explicit FakeIdleSource(QString name = QStringLiteral("fake"), QObject *parent = nullptr)
        : IdleSource(parent)
        , m_name(std::move(name))
    {
    }

    QString name() const override { return m_name; }
    void setIdleMs(std::optional<qint64> idleMs) { m_idleMs = idleMs; }
    int queries() const { return m_queries; }

    void query() override
    {
        ++m_queries;
        if (m_idleMs)
            Q_EMIT idleTime(*m_idleMs);
        else
            Q_EMIT unavailable();
    }

private:
    QString m_name;
    std::optional<qint64> m_idleMs = 0;
    int m_queries = 0;
};
