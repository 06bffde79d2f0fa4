#pragma once

#include <QStyledItemDelegate>

class AvatarCache;

// Paints one roster row from the model's roles: round avatar (initials when there is none) with a
// presence badge, display name, status message and "active 4 min ago"; or a group's header (RosterGroupModel):
// an arrow saying whether it is open, its name and "online/total". Every string is drawn with
// QPainter::drawText, which never interprets markup: network text always shows as the characters it is.
class ContactDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    static constexpr int rowHeight = 52;
    static constexpr int avatarSize = 36;
    static constexpr int groupRowHeight = 28;

    explicit ContactDelegate(AvatarCache *avatars, QObject *parent = nullptr);

    // The whole roster is shown dimmed while you are offline: last known states, not live ones.
    void setDimmed(bool dimmed) { m_dimmed = dimmed; }

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    bool helpEvent(QHelpEvent *event, QAbstractItemView *view, const QStyleOptionViewItem &option,
                   const QModelIndex &index) override;

    // Initials and background for a person without an avatar; shared with the header.
    static QString initials(const QString &name);
    static QColor initialsColour(const QString &userId);
    // The text with every kind of line break made a space, for drawing in one line.
    static QString singleLine(QString text);
    static void paintAvatar(QPainter &painter, const QRect &bounds, const QPixmap &avatar, const QString &name,
                            const QString &userId);
    static QString tooltip(const QModelIndex &index, qint64 nowMs);
    // A group header's "online/total".
    static QString groupCounts(const QModelIndex &group);

private:
    void paintGroup(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const;

    AvatarCache *m_avatars;
    bool m_dimmed = false;
};
