#include "dialogs/AddContactDialog.h"

#include "roster/DirectoryResults.h"
#include "session/ContactDirectory.h"
#include "session/ContactInvitations.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPushButton>
#include <QVBoxLayout>

AddContactDialog::AddContactDialog(ContactDirectory *directory, DirectoryResults *results,
                                   ContactInvitations *invitations, QWidget *parent)
    : QDialog(parent)
    , m_invitations(invitations)
    , m_search(new QLineEdit(this))
    , m_results(new QListView(this))
    , m_message(new QLabel(this))
    , m_invite(new QPushButton(tr("Invite"), this))
{
    setWindowTitle(tr("Add a contact"));
    auto *intro = new QLabel(tr("Search by name, or type a whole Matrix ID such as @bob:example.org. They are "
                                "asked to share presence with you, in a direct chat."), this);
    intro->setWordWrap(true);
    m_search->setPlaceholderText(tr("Name or @user:server"));
    m_search->setClearButtonEnabled(true);
    m_results->setModel(results);
    m_results->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_message->setTextFormat(Qt::PlainText);
    m_message->setWordWrap(true);
    m_message->setForegroundRole(QPalette::PlaceholderText);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    buttons->addButton(m_invite, QDialogButtonBox::AcceptRole);
    m_invite->setDefault(true);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_search);
    layout->addWidget(m_results, 1);
    layout->addWidget(m_message);
    layout->addWidget(buttons);
    resize(380, 360);

    m_searchSoon.setSingleShot(true);
    m_searchSoon.setInterval(searchDelayMs);
    connect(m_search, &QLineEdit::textEdited, &m_searchSoon, qOverload<>(&QTimer::start));
    connect(m_search, &QLineEdit::textChanged, this, &AddContactDialog::updateInviteButton);
    connect(&m_searchSoon, &QTimer::timeout, directory, [this, directory] { directory->search(m_search->text()); });
    connect(directory, &ContactDirectory::searched, this, [this, results](const QString &term) {
        m_message->setText(results->rowCount() == 0 ? tr("Nobody found for “%1”. The server finds people who share a "
                                                         "room with you or sit in a public room; a whole Matrix ID "
                                                         "always works.").arg(term)
                                                    : QString());
        if (results->rowCount() > 0)
            m_results->setCurrentIndex(results->index(0));
    });
    connect(directory, &ContactDirectory::failed, m_message, &QLabel::setText);
    connect(m_results->selectionModel(), &QItemSelectionModel::currentChanged, this, &AddContactDialog::updateInviteButton);
    connect(results, &QAbstractItemModel::modelReset, this, &AddContactDialog::updateInviteButton);
    connect(m_results, &QListView::doubleClicked, m_invite, &QPushButton::click);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_invite, &QPushButton::clicked, this, [this] {
        m_invite->setEnabled(false);
        m_message->setText(tr("Inviting %1…").arg(chosenUserId()));
        m_invitations->invite(chosenUserId());
    });
    connect(invitations, &ContactInvitations::invited, this, &QDialog::accept);
    connect(invitations, &ContactInvitations::failed, this, [this](const QString &message) {
        m_message->setText(message);
        updateInviteButton();
    });
    updateInviteButton();
}

QString AddContactDialog::chosenUserId() const
{
    const QModelIndex current = m_results->currentIndex();
    if (current.isValid())
        return current.data(DirectoryResults::UserIdRole).toString();
    const QString typed = m_search->text().trimmed();
    return typed.startsWith(u'@') && typed.contains(u':') ? typed : QString();
}

void AddContactDialog::updateInviteButton()
{
    m_invite->setEnabled(!chosenUserId().isEmpty());
}
