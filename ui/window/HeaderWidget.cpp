#include "window/HeaderWidget.h"

#include "session/Account.h"
#include "media/AvatarCache.h"
#include "window/ContactDelegate.h"
#include "availability/AvailabilityNote.h"
#include "availability/PresenceBadge.h"
#include "availability/PresenceSelector.h"

#include <QGridLayout>
#include <QLabel>
#include <QPainter>
#include <QToolButton>

HeaderWidget::HeaderWidget(Account *account, AvatarCache *avatars, PresenceActions *actions, QWidget *parent)
    : QWidget(parent)
    , m_account(account)
    , m_avatars(avatars)
    , m_avatar(new QToolButton(this))
    , m_name(new QLabel(this))
    , m_userId(new QLabel(this))
    , m_selector(new PresenceSelector(account->availability(), actions, this))
{
    m_avatar->setAutoRaise(true);
    m_avatar->setIconSize(QSize(avatarSize, avatarSize));
    m_avatar->setToolTip(tr("Change your display name and avatar"));
    m_avatar->setAccessibleName(tr("Edit profile"));
    QFont nameFont = m_name->font();
    nameFont.setBold(true);
    nameFont.setPointSizeF(nameFont.pointSizeF() * 1.2);
    m_name->setFont(nameFont);
    m_name->setTextFormat(Qt::PlainText);
    m_userId->setTextFormat(Qt::PlainText);
    m_userId->setForegroundRole(QPalette::PlaceholderText);
    m_userId->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *layout = new QGridLayout(this);
    layout->setContentsMargins(8, 8, 8, 4);
    layout->addWidget(m_avatar, 0, 0, 2, 1, Qt::AlignTop);
    layout->addWidget(m_name, 0, 1);
    layout->addWidget(m_userId, 1, 1);
    layout->addWidget(m_selector, 2, 0, 1, 2);
    layout->setColumnStretch(1, 1);

    connect(m_avatar, &QToolButton::clicked, this, &HeaderWidget::editProfileRequested);
    connect(account, &Account::ownProfileChanged, this, &HeaderWidget::update);
    connect(account, &Account::stateChanged, this, &HeaderWidget::update);
    connect(account->availability(), &AvailabilityController::changed, this, &HeaderWidget::update);
    connect(avatars, &AvatarCache::avatarReady, this, [this](const QString &uri) {
        if (uri == m_account->ownProfile().avatarUrl)
            update();
    });
    update();
}

void HeaderWidget::update()
{
    const Profile profile = m_account->ownProfile();
    const QString name = profile.displayName.isEmpty() ? m_account->userId() : profile.displayName;
    m_name->setText(name);
    // Your badge says what others see only while the server hears from you; otherwise it says you are not
    // connected, whatever you chose.
    const bool connected = m_account->isSignedIn() && m_account->state() != Account::State::Reconnecting;
    m_userId->setText(connected ? m_account->userId() : tr("%1 · not connected").arg(m_account->userId()));

    const qreal dpr = devicePixelRatioF();
    QPixmap icon(QSize(avatarSize, avatarSize) * dpr);
    icon.setDevicePixelRatio(dpr);
    icon.fill(Qt::transparent);
    QPainter painter(&icon);
    const QRect bounds(0, 0, avatarSize, avatarSize);
    ContactDelegate::paintAvatar(painter, bounds, m_avatars->avatar(profile.avatarUrl, avatarSize, dpr), name,
                                 m_account->userId());
    constexpr int badge = 16;
    PresenceBadge::paint(painter, QRectF(avatarSize - badge, avatarSize - badge, badge, badge),
                         connected ? ownBadgePresence(m_account->availability()) : Presence::Unknown,
                         palette().color(QPalette::Window));
    painter.end();
    m_avatar->setIcon(QIcon(icon));
}
