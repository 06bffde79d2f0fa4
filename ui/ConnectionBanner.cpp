#include "ConnectionBanner.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

ConnectionBanner::ConnectionBanner(SyncLoop *syncLoop, QWidget *parent)
    : QFrame(parent)
    , m_syncLoop(syncLoop)
    , m_label(new QLabel(this))
    , m_action(new QPushButton(this))
{
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    setBackgroundRole(QPalette::AlternateBase);
    m_label->setTextFormat(Qt::PlainText);
    m_label->setWordWrap(true);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 4, 8, 4);
    layout->addWidget(m_label, 1);
    layout->addWidget(m_action);

    m_countdown.setInterval(1000);
    connect(&m_countdown, &QTimer::timeout, this, &ConnectionBanner::update);
    connect(m_syncLoop, &SyncLoop::stateChanged, this, &ConnectionBanner::update);
    connect(m_syncLoop, &SyncLoop::retryScheduled, this, [this](int, const MatrixError &cause) {
        m_lastError = cause.describe();
        update();
    });
    connect(m_action, &QPushButton::clicked, this, [this] {
        if (m_syncLoop->state() == SyncLoop::State::SessionExpired)
            Q_EMIT signInRequested();
        else
            m_syncLoop->retryNow();
    });
    update();
}

void ConnectionBanner::update()
{
    const SyncLoop::State state = m_syncLoop->state();
    m_countdown.stop();
    m_action->hide();
    switch (state) {
    case SyncLoop::State::Live:
    case SyncLoop::State::Stopped:  // the selector says "offline"; nothing is wrong with the connection
        hide();
        return;
    case SyncLoop::State::Connecting:
        m_label->setText(tr("Connecting…"));
        break;
    case SyncLoop::State::Retrying: {
        const int seconds = static_cast<int>((m_syncLoop->retryRemainingMs() + 999) / 1000);
        m_label->setText(tr("Can't reach your homeserver (%1). Reconnecting in %n s…", nullptr, seconds).arg(m_lastError));
        m_action->setText(tr("Retry now"));
        m_action->show();
        m_countdown.start();
        break;
    }
    case SyncLoop::State::SessionExpired:
        m_label->setText(tr("Your session has expired. Sign in again to keep your roster live."));
        m_action->setText(tr("Sign in…"));
        m_action->show();
        break;
    }
    show();
}
