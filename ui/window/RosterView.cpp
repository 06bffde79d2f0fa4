#include "window/RosterView.h"

#include "roster/ContactListModel.h"

#include <QClipboard>
#include <QContextMenuEvent>
#include <QGuiApplication>
#include <QMenu>
#include <QUrl>

using namespace Qt::Literals::StringLiterals;

RosterView::RosterView(QWidget *parent)
    : QListView(parent)
{
    setUniformItemSizes(true);
    setSelectionMode(QAbstractItemView::SingleSelection);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    setMouseTracking(true);
    setAccessibleName(tr("Contacts"));
    m_ageTimer.setInterval(refreshIntervalMs);
    m_ageTimer.setTimerType(Qt::VeryCoarseTimer);
    connect(&m_ageTimer, &QTimer::timeout, viewport(), qOverload<>(&QWidget::update));
}

QString RosterView::matrixToLink(const QString &userId)
{
    return u"https://matrix.to/#/"_s + QString::fromLatin1(QUrl::toPercentEncoding(userId, "@:"));
}

void RosterView::showEvent(QShowEvent *event)
{
    QListView::showEvent(event);
    m_ageTimer.start();
}

void RosterView::hideEvent(QHideEvent *event)
{
    m_ageTimer.stop();
    QListView::hideEvent(event);
}

void RosterView::fillContextMenu(QMenu *menu, const QModelIndex &index)
{
    const QString userId = index.data(ContactListModel::UserIdRole).toString();
    menu->addAction(QIcon::fromTheme(u"edit-copy"_s), tr("Copy user ID"), this,
                    [userId] { QGuiApplication::clipboard()->setText(userId); });
    menu->addAction(QIcon::fromTheme(u"insert-link"_s), tr("Copy matrix.to link"), this,
                    [userId] { QGuiApplication::clipboard()->setText(matrixToLink(userId)); });
    menu->addSeparator();
    QAction *notify = menu->addAction(tr("Notify me when online"));
    notify->setCheckable(true);
    notify->setChecked(index.data(ContactListModel::WatchedRole).toBool());
    connect(notify, &QAction::toggled, this, [this, userId](bool on) { Q_EMIT notifyWhenOnlineToggled(userId, on); });
    menu->addSeparator();
    if (index.data(ContactListModel::InvitedRole).toBool()) {
        menu->addAction(tr("Withdraw invitation"), this, [this, userId] { Q_EMIT withdrawInvitationRequested(userId); });
        return;
    }
    const QString nickname = index.data(ContactListModel::NicknameRole).toString();
    QString realName = index.data(ContactListModel::DisplayNameRole).toString();
    if (realName.isEmpty())
        realName = userId;
    menu->addAction(tr("Set nickname…"), this,
                    [this, userId, nickname, realName] { Q_EMIT nicknameRequested(userId, nickname, realName); });
    menu->addAction(tr("Hide from roster"), this, [this, userId] { Q_EMIT hideRequested(userId); });
    const QString name = index.data(Qt::DisplayRole).toString();
    menu->addAction(tr("Leave direct chat…"), this, [this, userId, name] { Q_EMIT leaveRequested(userId, name); });
}

void RosterView::contextMenuEvent(QContextMenuEvent *event)
{
    const QModelIndex index = indexAt(event->pos());
    if (!index.isValid())
        return;
    QMenu menu(this);
    fillContextMenu(&menu, index);
    menu.exec(event->globalPos());
}
