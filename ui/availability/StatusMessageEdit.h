#pragma once

#include <QLineEdit>

class AvailabilityController;
class QStringListModel;

// The status message editor: type and press Enter to publish; the last few statuses come back as
// completions. Recent statuses are kept in QSettings.
class StatusMessageEdit : public QLineEdit {
    Q_OBJECT
public:
    static constexpr int recentCount = 5;

    explicit StatusMessageEdit(AvailabilityController *availability, QWidget *parent = nullptr);

    QStringList recentStatuses() const;

private:
    void commit();
    void remember(const QString &status);

    AvailabilityController *m_availability;
    QStringListModel *m_recent;
};
