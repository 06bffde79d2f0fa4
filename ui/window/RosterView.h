#pragma once

#include <QTreeView>
#include <QTimer>

class QMenu;
class RosterGroupModel;

// The roster: group headers with the people in each under them. It owns no contact data: rows come from the model,
// painting from ContactDelegate. Whether a group is open is the model's (RosterGroupModel::CollapsedRole): the view
// shows it, and a click on a header, or the arrow keys, change it there; while a filter is on (nothing then writes)
// every group is open, so that a match is never out of sight. With no groups of the user's own, the one default group
// is the root: a plain list, as before groups, with no lone "Contacts" header above everyone.
// "active N min ago" ages while the list is on screen: once a minute the visible rows are repainted, and
// the timer stops while the view is hidden, so an idle app is not woken for it.
class RosterView : public QTreeView {
    Q_OBJECT
public:
    static constexpr int refreshIntervalMs = 60'000;

    explicit RosterView(QWidget *parent = nullptr);

    void setModel(QAbstractItemModel *model) override;

    // matrix.to link for a user ID, for sharing outside Matrix clients.
    static QString matrixToLink(const QString &userId);
    // Whether "active N min ago" is being kept fresh (only while the list is on screen).
    bool isAgeing() const { return m_ageTimer.isActive(); }
    // The row's context menu: for a person copy user ID, copy matrix.to link, notify me when online, their groups,
    // nickname, hide, leave; for a group's header rename and remove.
    void fillContextMenu(QMenu *menu, const QModelIndex &index);

Q_SIGNALS:
    void notifyWhenOnlineToggled(const QString &userId, bool notify);
    // Take back a presence invitation still waiting for their answer.
    void withdrawInvitationRequested(const QString &userId);
    // Off the roster, kept in account data; shown again from the window's "Hidden contacts" menu.
    void hideRequested(const QString &userId);
    // Your own name for them (the window asks for it): `nickname` is the one they have now, `realName` their own.
    void nicknameRequested(const QString &userId, const QString &nickname, const QString &realName);
    // Leave the direct chats with them (the window asks first).
    void leaveRequested(const QString &userId, const QString &name);
    // A new group, named by the user (the window asks); with a person, who goes in it (moved from `fromGroupId`,
    // or copied: `action`).
    void newGroupRequested(const QString &userId, const QString &fromGroupId, Qt::DropAction action);
    // The window asks for the new name.
    void renameGroupRequested(const QString &groupId, const QString &name);
    // The window asks first when people are in it (`members`).
    void removeGroupRequested(const QString &groupId, const QString &name, int members);

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;

private:
    bool isFiltering() const;
    RosterGroupModel *groupModel() const;
    void fillGroupMenu(QMenu *menu, const QModelIndex &group);
    // "Move to group", "Copy to group", "Remove from <group>" for the person in that row.
    void fillPlacesMenu(QMenu *menu, const QModelIndex &index);
    // The groups' open state and the root, as the model says.
    void showGroups();
    void showGroup(const QModelIndex &group);
    void toggleGroup(const QModelIndex &group);
    // An open or close done by the view itself (arrow keys), kept in the model.
    void keepOpen(const QModelIndex &group, bool open);

    QTimer m_ageTimer;
    QList<QMetaObject::Connection> m_modelConnections;
};
