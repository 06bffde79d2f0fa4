#include "window/RosterWidget.h"

#include "media/AvatarCache.h"
#include "window/ContactDelegate.h"
#include "roster/ContactListModel.h"
#include "roster/RosterFilterModel.h"
#include "roster/RosterGroupModel.h"
#include "window/RosterView.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QStackedWidget>
#include <QToolButton>
#include <QVBoxLayout>

using namespace Qt::Literals::StringLiterals;

RosterWidget::RosterWidget(RosterGroupModel *groups, AvatarCache *avatars, QWidget *parent)
    : QWidget(parent)
    , m_contacts(groups->contacts())
    , m_filter(new RosterFilterModel(this))
    , m_delegate(new ContactDelegate(avatars, this))
    , m_search(new QLineEdit(this))
    , m_hideOffline(new QToolButton(this))
    , m_view(new RosterView(this))
    , m_placeholder(new QLabel(this))
    , m_stack(new QStackedWidget(this))
{
    m_filter->setSourceModel(groups);
    m_view->setModel(m_filter);
    m_view->setItemDelegate(m_delegate);

    m_search->setPlaceholderText(tr("Search people"));
    m_search->setClearButtonEnabled(true);
    m_search->setAccessibleName(tr("Search people"));
    m_hideOffline->setText(tr("Hide offline"));
    m_hideOffline->setCheckable(true);
    m_hideOffline->setToolTip(tr("Show only people who are online, away or busy"));
    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setWordWrap(true);
    m_placeholder->setTextFormat(Qt::PlainText);
    m_placeholder->setForegroundRole(QPalette::PlaceholderText);

    m_stack->addWidget(m_view);
    m_stack->addWidget(m_placeholder);

    auto *searchRow = new QHBoxLayout;
    searchRow->addWidget(m_search, 1);
    searchRow->addWidget(m_hideOffline);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(searchRow);
    layout->addWidget(m_stack, 1);

    // The filter's state is the proxy's: the field and the button set it and show what it holds.
    connect(m_search, &QLineEdit::textChanged, m_filter, &RosterFilterModel::setFilterText);
    connect(m_hideOffline, &QToolButton::toggled, m_filter, &RosterFilterModel::setHideOffline);
    connect(m_filter, &RosterFilterModel::filterTextChanged, this, &RosterWidget::showFilterText);
    connect(m_filter, &RosterFilterModel::hideOfflineChanged, m_hideOffline, &QToolButton::setChecked);
    // The empty list's explanation names the search, so it follows the text even while nothing matches.
    connect(m_filter, &RosterFilterModel::filterTextChanged, this, &RosterWidget::updatePlaceholder);
    connect(m_filter, &RosterFilterModel::hideOfflineChanged, this, &RosterWidget::updatePlaceholder);
    connect(avatars, &AvatarCache::avatarReady, m_view->viewport(), qOverload<>(&QWidget::update));
    connect(m_filter, &QAbstractItemModel::rowsInserted, this, &RosterWidget::updatePlaceholder);
    connect(m_filter, &QAbstractItemModel::rowsRemoved, this, &RosterWidget::updatePlaceholder);
    connect(m_filter, &QAbstractItemModel::modelReset, this, &RosterWidget::updatePlaceholder);
    updatePlaceholder();
}

void RosterWidget::setLoading(bool loading)
{
    m_loading = loading;
    updatePlaceholder();
}

void RosterWidget::setDimmed(bool dimmed)
{
    m_delegate->setDimmed(dimmed);
    m_view->viewport()->update();
}

void RosterWidget::showFilterText(const QString &filterText)
{
    // The proxy holds the text trimmed: the spaces someone is typing between two words stay in the field.
    if (m_search->text().trimmed() != filterText)
        m_search->setText(filterText);
}

void RosterWidget::updatePlaceholder()
{
    // People, not group headers: groups with nobody shown in them are no roster to look at.
    if (m_filter->contactCount() > 0) {
        m_stack->setCurrentWidget(m_view);
        return;
    }
    if (m_contacts->rowCount() == 0)
        m_placeholder->setText(m_loading ? tr("Loading your contacts…")
                                         : tr("Nobody here yet.\nPeople you share direct chats and small rooms with appear here."));
    else if (!m_filter->filterText().isEmpty())
        m_placeholder->setText(tr("Nobody matches “%1”.").arg(m_filter->filterText()));
    else if (m_filter->hideOffline())
        m_placeholder->setText(tr("Everyone is offline."));
    else  // what else leaves rows out: the user took everyone off the roster
        m_placeholder->setText(tr("Everyone here is hidden.\nPresently → Hidden contacts shows them again."));
    m_stack->setCurrentWidget(m_placeholder);
}
