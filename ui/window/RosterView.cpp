#include "window/RosterView.h"

#include "roster/ContactListModel.h"
#include "roster/RosterFilterModel.h"
#include "roster/RosterGroupModel.h"

#include <QClipboard>
#include <QContextMenuEvent>
#include <QGuiApplication>
#include <QKeyEvent>
#include <QMenu>
#include <QUrl>

using namespace Qt::Literals::StringLiterals;

namespace {
bool isGroup(const QModelIndex &index)
{
    return index.data(RosterGroupModel::IsGroupRole).toBool();
}
} // namespace

RosterView::RosterView(QWidget *parent)
    : QTreeView(parent)
{
    setHeaderHidden(true);
    // The delegate draws a header's arrow; rows are as wide as the view, members not indented under their header.
    setRootIsDecorated(false);
    setIndentation(0);
    // Opening and closing go through the model (keepOpen), never only the view's own state.
    setItemsExpandable(false);
    setExpandsOnDoubleClick(false);
    setAnimated(false);
    // Dragging a person onto a group moves them there; with Ctrl held (the platform's copy modifier) copies.
    // The model makes the drop a request for the account data (RosterGroupModel::dropMimeData).
    setDragDropMode(QAbstractItemView::DragDrop);
    setDefaultDropAction(Qt::MoveAction);
    setDropIndicatorShown(true);
    setSelectionMode(QAbstractItemView::SingleSelection);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    setMouseTracking(true);
    setAccessibleName(tr("Contacts"));
    m_ageTimer.setInterval(refreshIntervalMs);
    m_ageTimer.setTimerType(Qt::VeryCoarseTimer);
    connect(&m_ageTimer, &QTimer::timeout, viewport(), qOverload<>(&QWidget::update));
    connect(this, &QAbstractItemView::clicked, this, [this](const QModelIndex &index) {
        if (isGroup(index))
            toggleGroup(index);
    });
}

void RosterView::setModel(QAbstractItemModel *model)
{
    for (const QMetaObject::Connection &connection : std::as_const(m_modelConnections))
        disconnect(connection);
    m_modelConnections.clear();
    QTreeView::setModel(model);
    if (!model)
        return;
    // Rows a filter brings back, or a reset, come closed: the view is told again what is open.
    m_modelConnections << connect(model, &QAbstractItemModel::rowsInserted, this, [this](const QModelIndex &parent) {
        if (!parent.isValid())
            showGroups();
    });
    m_modelConnections << connect(model, &QAbstractItemModel::rowsRemoved, this, &RosterView::showGroups);
    m_modelConnections << connect(model, &QAbstractItemModel::modelReset, this, &RosterView::showGroups);
    m_modelConnections << connect(model, &QAbstractItemModel::layoutChanged, this, &RosterView::showGroups);
    m_modelConnections << connect(model, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex &topLeft, const QModelIndex &bottomRight, const QList<int> &roles) {
        if (!roles.contains(RosterGroupModel::CollapsedRole))
            return;
        for (int row = topLeft.row(); row <= bottomRight.row(); ++row)
            showGroup(topLeft.siblingAtRow(row));
    });
    if (const auto *filter = qobject_cast<RosterFilterModel *>(model)) {
        m_modelConnections << connect(filter, &RosterFilterModel::filterTextChanged, this, &RosterView::showGroups);
        m_modelConnections << connect(filter, &RosterFilterModel::hideOfflineChanged, this, &RosterView::showGroups);
    }
    showGroups();
}

bool RosterView::isFiltering() const
{
    const auto *filter = qobject_cast<const RosterFilterModel *>(model());
    return filter && filter->isFiltering();
}

void RosterView::showGroups()
{
    const auto *filter = qobject_cast<const RosterFilterModel *>(model());
    if (!filter)
        return;
    const QModelIndex root = filter->hasGroups() ? QModelIndex() : filter->index(0, 0);
    if (root != rootIndex())
        setRootIndex(root);
    for (int row = 0; row < filter->rowCount(); ++row)
        showGroup(filter->index(row, 0));
}

void RosterView::showGroup(const QModelIndex &group)
{
    if (isGroup(group))
        setExpanded(group, isFiltering() || !group.data(RosterGroupModel::CollapsedRole).toBool());
}

void RosterView::toggleGroup(const QModelIndex &group)
{
    keepOpen(group, group.data(RosterGroupModel::CollapsedRole).toBool());
}

void RosterView::keepOpen(const QModelIndex &group, bool open)
{
    if (isFiltering())  // everything is open while a filter is on; folding waits until it is off
        return;
    model()->setData(group, !open, RosterGroupModel::CollapsedRole);
}

void RosterView::keyPressEvent(QKeyEvent *event)
{
    const QModelIndex current = currentIndex();
    if (isGroup(current)) {
        switch (event->key()) {
        case Qt::Key_Left: return keepOpen(current, false);
        case Qt::Key_Right: return keepOpen(current, true);
        case Qt::Key_Return:
        case Qt::Key_Enter:
        case Qt::Key_Space: return toggleGroup(current);
        default: break;
        }
    }
    QTreeView::keyPressEvent(event);
}

QString RosterView::matrixToLink(const QString &userId)
{
    return u"https://matrix.to/#/"_s + QString::fromLatin1(QUrl::toPercentEncoding(userId, "@:"));
}

void RosterView::showEvent(QShowEvent *event)
{
    QTreeView::showEvent(event);
    m_ageTimer.start();
}

void RosterView::hideEvent(QHideEvent *event)
{
    m_ageTimer.stop();
    QTreeView::hideEvent(event);
}

RosterGroupModel *RosterView::groupModel() const
{
    const auto *filter = qobject_cast<const RosterFilterModel *>(model());
    return filter ? filter->groupModel() : nullptr;
}

void RosterView::fillGroupMenu(QMenu *menu, const QModelIndex &group)
{
    const QString groupId = group.data(RosterGroupModel::GroupIdRole).toString();
    const QString name = group.data(Qt::DisplayRole).toString();
    menu->addAction(tr("New group…"), this, [this] { Q_EMIT newGroupRequested({}, {}, Qt::CopyAction); });
    if (groupId.isEmpty())  // the default group is everyone in no group: not renamed, not removed
        return;
    menu->addAction(tr("Rename group…"), this, [this, groupId, name] { Q_EMIT renameGroupRequested(groupId, name); });
    const int members = group.data(RosterGroupModel::TotalCountRole).toInt();
    menu->addAction(tr("Remove group"), this,
                    [this, groupId, name, members] { Q_EMIT removeGroupRequested(groupId, name, members); });
}

void RosterView::fillPlacesMenu(QMenu *menu, const QModelIndex &index)
{
    RosterGroupModel *groups = groupModel();
    if (!groups)
        return;
    const QString userId = index.data(ContactListModel::UserIdRole).toString();
    const QString from = index.data(RosterGroupModel::GroupIdRole).toString();
    QStringList current;
    for (const RosterAccountData::Group &group : groups->groupsOf(userId))
        current << group.id;
    const auto addPlaces = [&](const QString &title, Qt::DropAction action) {
        QMenu *places = menu->addMenu(title);
        for (const RosterAccountData::Group &group : groups->groups()) {
            // The names are the user's own, shown as typed: '&' is no shortcut marker here.
            QAction *place = places->addAction(QString(group.name).replace(u'&', u"&&"_s), groups,
                [groups, userId, from, to = group.id, action] { groups->place(userId, from, to, action); });
            place->setEnabled(!current.contains(group.id));
        }
        if (!groups->groups().isEmpty())
            places->addSeparator();
        places->addAction(tr("New group…"), this,
                          [this, userId, from, action] { Q_EMIT newGroupRequested(userId, from, action); });
    };
    addPlaces(tr("Move to group"), Qt::MoveAction);
    if (from.isEmpty())  // someone in the default group is in no group: to copy them is to move them
        return;
    addPlaces(tr("Copy to group"), Qt::CopyAction);
    const QString fromName = QString(index.parent().data(Qt::DisplayRole).toString()).replace(u'&', u"&&"_s);
    menu->addAction(tr("Remove from %1").arg(fromName), groups,
                    [groups, userId, from] { groups->place(userId, from, {}, Qt::MoveAction); });
}

void RosterView::fillContextMenu(QMenu *menu, const QModelIndex &index)
{
    if (isGroup(index))
        return fillGroupMenu(menu, index);
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
    fillPlacesMenu(menu, index);
    menu->addSeparator();
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
