#pragma once

#include <QWidget>

class AvatarCache;
class ContactDelegate;
class ContactListModel;
class RosterGroupModel;
class QLabel;
class QLineEdit;
class QStackedWidget;
class QToolButton;
class RosterFilterModel;
class RosterView;

// Search field, hide-offline toggle and the roster list, with "loading" and "nobody here" states in place
// of an empty list. Sorting and filtering, and the filter's state, are RosterFilterModel's; this widget wires
// input to it and shows what it holds.
class RosterWidget : public QWidget {
    Q_OBJECT
public:
    RosterWidget(RosterGroupModel *groups, AvatarCache *avatars, QWidget *parent = nullptr);

    RosterView *view() const { return m_view; }
    RosterFilterModel *filterModel() const { return m_filter; }
    QLineEdit *searchField() const { return m_search; }
    QToolButton *hideOfflineButton() const { return m_hideOffline; }
    // Shown instead of the list when it is empty, saying why (loading, nobody yet, no match).
    QLabel *placeholder() const { return m_placeholder; }

    // True until the first sync has been applied: an empty list then means "loading", not "nobody".
    void setLoading(bool loading);
    void setDimmed(bool dimmed);

private:
    void showFilterText(const QString &filterText);
    void updatePlaceholder();

    const ContactListModel *m_contacts;
    RosterFilterModel *m_filter;
    ContactDelegate *m_delegate;
    QLineEdit *m_search;
    QToolButton *m_hideOffline;
    RosterView *m_view;
    QLabel *m_placeholder;
    QStackedWidget *m_stack;
    bool m_loading = true;
};
