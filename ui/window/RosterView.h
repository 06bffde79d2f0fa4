#pragma once

#include <QListView>
#include <QTimer>

class QMenu;

// The roster list. It owns no contact data: rows come from the model, painting from ContactDelegate.
// "active N min ago" ages while the list is on screen: once a minute the visible rows are repainted, and
// the timer stops while the view is hidden, so an idle app is not woken for it.
class RosterView : public QListView {
    Q_OBJECT
public:
    static constexpr int refreshIntervalMs = 60'000;

    explicit RosterView(QWidget *parent = nullptr);

    // matrix.to link for a user ID, for sharing outside Matrix clients.
    static QString matrixToLink(const QString &userId);
    // Whether "active N min ago" is being kept fresh (only while the list is on screen).
    bool isAgeing() const { return m_ageTimer.isActive(); }
    // The row's context menu: copy user ID, copy matrix.to link, notify me when online.
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

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;

private:
    QTimer m_ageTimer;
};
