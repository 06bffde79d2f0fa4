#include "availability/StatusMessageEdit.h"

#include "presence/AvailabilityController.h"

#include <QCompleter>
#include <QSettings>
#include <QStringListModel>

using namespace Qt::Literals::StringLiterals;

namespace {
const QString recentKey = u"status/recent"_s;
}

StatusMessageEdit::StatusMessageEdit(AvailabilityController *availability, QWidget *parent)
    : QLineEdit(parent)
    , m_availability(availability)
    , m_recent(new QStringListModel(QSettings().value(recentKey).toStringList(), this))
{
    setPlaceholderText(tr("Set a status message"));
    setAccessibleName(tr("Status message"));
    setClearButtonEnabled(true);
    setMaxLength(256);
    auto *completer = new QCompleter(m_recent, this);
    completer->setCompletionMode(QCompleter::UnfilteredPopupCompletion);
    completer->setCaseSensitivity(Qt::CaseInsensitive);
    setCompleter(completer);
    setText(m_availability->statusMessage());

    connect(this, &QLineEdit::returnPressed, this, &StatusMessageEdit::commit);
    connect(m_availability, &AvailabilityController::statusMessageChanged, this, [this](const QString &status) {
        if (!hasFocus())
            setText(status);
    });
}

QStringList StatusMessageEdit::recentStatuses() const
{
    return m_recent->stringList();
}

void StatusMessageEdit::commit()
{
    const QString status = text().trimmed();
    m_availability->setStatusMessage(status);
    if (!status.isEmpty())
        remember(status);
    clearFocus();
}

void StatusMessageEdit::remember(const QString &status)
{
    QStringList recent = m_recent->stringList();
    recent.removeAll(status);
    recent.prepend(status);
    while (recent.size() > recentCount)
        recent.removeLast();
    m_recent->setStringList(recent);
    QSettings().setValue(recentKey, recent);
}
