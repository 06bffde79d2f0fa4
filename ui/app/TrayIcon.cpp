#include "app/TrayIcon.h"

#include "session/Account.h"
#include "availability/AvailabilityNote.h"
#include "availability/PresenceActions.h"
#include "availability/PresenceBadge.h"

#include <QMenu>

TrayIcon::TrayIcon(Account *account, PresenceActions *actions, QObject *parent)
    : QSystemTrayIcon(parent)
    , m_account(account)
    , m_menu(new QMenu)
{
    actions->addTo(m_menu);
    m_menu->addSeparator();
    m_menu->addAction(tr("Set status message…"), this, &TrayIcon::setStatusRequested);
    m_menu->addAction(tr("Show/hide window"), this, &TrayIcon::toggleWindowRequested);
    // Only while someone waits for your answer: it opens the window, where the invitations are.
    m_invitationsAction = m_menu->addAction(QString(), this, &TrayIcon::showInvitationsRequested);
    m_menu->addSeparator();
    m_menu->addAction(QIcon::fromTheme(QStringLiteral("application-exit")), tr("Quit"), this, &TrayIcon::quitRequested);
    setContextMenu(m_menu);
    connect(this, &QObject::destroyed, m_menu, &QObject::deleteLater);

    connect(this, &QSystemTrayIcon::activated, this, [this](ActivationReason reason) {
        if (reason == Trigger)
            Q_EMIT toggleWindowRequested();
    });
    m_updateSoon.setSingleShot(true);
    connect(&m_updateSoon, &QTimer::timeout, this, &TrayIcon::update);
    connect(account->availability(), &AvailabilityController::changed, this, &TrayIcon::update);
    ContactListModel *contacts = account->contacts();
    // The online count changes with presence, rows in and rows out; counted once per burst of changes (a
    // batch signals row by row), not once per row.
    const auto countSoon = [this] { m_updateSoon.start(0); };
    connect(contacts, &QAbstractItemModel::dataChanged, this, [countSoon](const QModelIndex &, const QModelIndex &, const QList<int> &roles) {
        if (roles.isEmpty() || roles.contains(ContactListModel::PresenceRole))
            countSoon();
    });
    connect(contacts, &QAbstractItemModel::rowsInserted, this, countSoon);
    connect(contacts, &QAbstractItemModel::rowsRemoved, this, countSoon);
    const InvitationList *invitations = account->incomingInvitations();
    connect(invitations, &QAbstractItemModel::rowsInserted, this, countSoon);
    connect(invitations, &QAbstractItemModel::rowsRemoved, this, countSoon);
    connect(invitations, &QAbstractItemModel::modelReset, this, countSoon);
    connect(account->hiddenContacts(), &HiddenContacts::hiddenChanged, this, countSoon);
    update();
}

QString TrayIcon::tooltipText() const
{
    const AvailabilityController *availability = m_account->availability();
    int online = 0;
    const ContactListModel *contacts = m_account->contacts();
    const HiddenContacts *hidden = m_account->hiddenContacts();
    for (int row = 0; row < contacts->rowCount(); ++row) {
        // People taken off the roster are not counted: the tray tells of the roster the window shows.
        const Contact &contact = contacts->contactAt(row);
        online += isReachable(contact.state.presence) && !hidden->isHidden(contact.userId) ? 1 : 0;
    }
    QStringList lines{tr("Presently — %1").arg(presenceLabel(availability->chosen()))};
    if (!availability->statusMessage().isEmpty())
        lines << availability->statusMessage();
    const QString note = availabilityNote(availability);
    if (!note.isEmpty())
        lines << note.split(u'\n');
    lines << tr("Contacts online: %1").arg(online);
    if (const int waiting = m_account->incomingInvitations()->rowCount(); waiting > 0)
        lines << invitationsText(waiting);
    // Tray hosts render tooltips as markup (QToolTip on X11, a subset of HTML for StatusNotifierItem), so the
    // status message is escaped to show as typed.
    for (QString &line : lines)
        line = line.toHtmlEscaped();
    return lines.join(QStringLiteral("<br>"));
}

QString TrayIcon::invitationsText(int waiting)
{
    // No translations are shipped yet, so the plural is chosen here rather than through %n.
    return waiting == 1 ? tr("1 invitation waiting for your answer")
                        : tr("%1 invitations waiting for your answer").arg(waiting);
}

void TrayIcon::update()
{
    const int waiting = m_account->incomingInvitations()->rowCount();
    m_invitationsAction->setText(invitationsText(waiting));
    m_invitationsAction->setVisible(waiting > 0);
    setIcon(PresenceBadge::icon(ownBadgePresence(m_account->availability())));
    setToolTip(tooltipText());
}
