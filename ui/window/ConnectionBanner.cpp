#include "window/ConnectionBanner.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

using namespace Qt::Literals::StringLiterals;

ConnectionBanner::ConnectionBanner(Account *account, QWidget *parent)
    : QFrame(parent)
    , m_account(account)
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
    connect(m_account, &Account::stateChanged, this, &ConnectionBanner::update);
    connect(m_account, &Account::retryScheduled, this, &ConnectionBanner::update);
    connect(m_action, &QPushButton::clicked, this, [this] {
        if (m_account->state() == Account::State::Reconnecting)
            m_account->retryNow();
        else
            Q_EMIT signInRequested();
    });
    update();
}

QString ConnectionBanner::lastKnown() const
{
    const qint64 atMs = m_account->lastCurrentAtMs();
    if (atMs == 0 || m_account->contacts()->rowCount() == 0)
        return {};
    const QString time = QDateTime::fromMSecsSinceEpoch(atMs).time().toString(u"HH:mm"_s);
    return u"\n"_s + tr("The roster shows the last known states, as of %1.").arg(time);
}

void ConnectionBanner::update()
{
    m_countdown.stop();
    m_action->hide();
    switch (m_account->state()) {
    case Account::State::Live:
    case Account::State::Offline:  // the selector says "offline"; nothing is wrong with the connection
    case Account::State::SignedOut:
    case Account::State::SigningOut:
        hide();
        return;
    case Account::State::Restoring:
    case Account::State::KeychainUnavailable:
    case Account::State::Connecting:
        // A roster painted from the cache says how old it is, as after an outage.
        m_label->setText(tr("Connecting…") + lastKnown());
        break;
    case Account::State::Reconnecting: {
        const int seconds = static_cast<int>((m_account->retryRemainingMs() + 999) / 1000);
        m_label->setText(tr("%1 Reconnecting in %n s…", nullptr, seconds)
                             .arg(m_account->problem())
                         + lastKnown());
        m_action->setText(tr("Retry now"));
        m_action->show();
        m_countdown.start();
        break;
    }
    case Account::State::SessionExpired:
    case Account::State::SessionRevoked:
        m_label->setText(tr("%1 Sign in again to keep your roster live.").arg(m_account->problem()) + lastKnown());
        m_action->setText(tr("Sign in…"));
        m_action->show();
        break;
    }
    show();
}
