#include "window/ContactDelegate.h"

#include "media/AvatarCache.h"
#include "roster/ContactListModel.h"
#include "roster/LastActive.h"
#include "roster/LocalTime.h"
#include "roster/RosterGroupModel.h"
#include "availability/PresenceBadge.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QDateTime>
#include <QHelpEvent>
#include <QPainter>
#include <QPainterPath>
#include <QLocale>
#include <QToolTip>

using namespace Qt::Literals::StringLiterals;

namespace {
constexpr int margin = 8;
constexpr int badgeSize = 14;
constexpr int gap = 10;
} // namespace

ContactDelegate::ContactDelegate(AvatarCache *avatars, QObject *parent)
    : QStyledItemDelegate(parent)
    , m_avatars(avatars)
{
}

QSize ContactDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    if (index.data(RosterGroupModel::IsGroupRole).toBool())
        return QSize(240, qMax(groupRowHeight, option.fontMetrics.height() + 10));
    const int textHeight = option.fontMetrics.height() * 2 + 6;
    return QSize(240, qMax(rowHeight, textHeight + 2 * 6));
}

QString ContactDelegate::initials(const QString &name)
{
    QString result;
    for (const QString &word : name.split(u' ', Qt::SkipEmptyParts)) {
        const QString trimmed = word.startsWith(u'@') ? word.mid(1) : word;
        if (!trimmed.isEmpty() && trimmed.at(0).isLetterOrNumber())
            result += trimmed.at(0).toUpper();
        if (result.size() == 2)
            break;
    }
    return result.isEmpty() ? u"?"_s : result;
}

QString ContactDelegate::singleLine(QString text)
{
    // Names and statuses come from the network: any line break in them would paint over the next row.
    for (QChar &character : text) {
        if (character == u'\n' || character == u'\r' || character == QChar::LineSeparator
            || character == QChar::ParagraphSeparator)
            character = u' ';
    }
    return text;
}

QColor ContactDelegate::initialsColour(const QString &userId)
{
    // Stable per person, pleasant, with white text readable on all of them.
    return QColor::fromHsl(static_cast<int>(qHash(userId, 0) % 360), 110, 105);
}

void ContactDelegate::paintAvatar(QPainter &painter, const QRect &bounds, const QPixmap &avatar, const QString &name,
                                  const QString &userId)
{
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::SmoothPixmapTransform);
    QPainterPath circle;
    circle.addEllipse(QRectF(bounds));
    if (!avatar.isNull()) {
        painter.setClipPath(circle);
        painter.drawPixmap(bounds, avatar);
    } else {
        painter.setPen(Qt::NoPen);
        painter.setBrush(initialsColour(userId));
        painter.drawPath(circle);
        QFont font = painter.font();
        font.setBold(true);
        font.setPixelSize(qMax(8, bounds.height() * 2 / 5));
        painter.setFont(font);
        painter.setPen(Qt::white);
        painter.drawText(bounds, Qt::AlignCenter, initials(name));
    }
    painter.restore();
}

QString ContactDelegate::groupCounts(const QModelIndex &group)
{
    return u"%1/%2"_s.arg(group.data(RosterGroupModel::OnlineCountRole).toInt())
        .arg(group.data(RosterGroupModel::TotalCountRole).toInt());
}

void ContactDelegate::paintGroup(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    painter->save();
    if (m_dimmed)
        painter->setOpacity(0.55);
    const bool selected = option.state & QStyle::State_Selected;
    // A band in the window's colour sets the header apart from the people under it.
    painter->fillRect(option.rect, option.palette.color(selected ? QPalette::Highlight : QPalette::Window));
    const QPalette::ColorRole textRole = selected ? QPalette::HighlightedText : QPalette::WindowText;

    QStyleOption arrow;
    arrow.rect = QRect(option.rect.left() + margin, option.rect.top() + (option.rect.height() - 12) / 2, 12, 12);
    arrow.palette = option.palette;
    arrow.palette.setColor(QPalette::ButtonText, option.palette.color(textRole));
    arrow.state = QStyle::State_Enabled;
    const bool open = option.state & QStyle::State_Open;
    style->drawPrimitive(open ? QStyle::PE_IndicatorArrowDown : QStyle::PE_IndicatorArrowRight, &arrow, painter, widget);

    QFont nameFont = option.font;
    nameFont.setBold(true);
    const QFontMetrics nameMetrics(nameFont);
    const QString counts = groupCounts(index);
    QColor secondary = option.palette.color(textRole);
    secondary.setAlphaF(0.65);
    const QRect textRect = option.rect.adjusted(margin + 12 + gap / 2, 0, -margin, 0);
    painter->setFont(option.font);
    painter->setPen(secondary);
    painter->drawText(textRect, Qt::AlignRight | Qt::AlignVCenter, counts);
    const int countsWidth = option.fontMetrics.horizontalAdvance(counts) + gap;
    painter->setFont(nameFont);
    painter->setPen(option.palette.color(textRole));
    const QString name = nameMetrics.elidedText(singleLine(index.data(Qt::DisplayRole).toString()), Qt::ElideRight,
                                                textRect.width() - countsWidth);
    painter->drawText(textRect.adjusted(0, 0, -countsWidth, 0), Qt::AlignLeft | Qt::AlignVCenter | Qt::TextSingleLine, name);
    painter->restore();
}

void ContactDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    if (index.data(RosterGroupModel::IsGroupRole).toBool())
        return paintGroup(painter, option, index);
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    opt.text.clear();  // the style paints the selection background only; the text is ours
    opt.icon = QIcon();
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

    const QString userId = index.data(ContactListModel::UserIdRole).toString();
    const QString name = singleLine(index.data(Qt::DisplayRole).toString());
    const Presence presence = index.data(ContactListModel::PresenceRole).value<Presence>();
    const QString status = index.data(ContactListModel::StatusMessageRole).toString();
    const QString lastActive = describeLastActive(index.data(ContactListModel::CurrentlyActiveRole).toBool(),
                                                  index.data(ContactListModel::LastActiveAtRole).toLongLong(),
                                                  QDateTime::currentMSecsSinceEpoch());

    painter->save();
    if (m_dimmed)
        painter->setOpacity(0.55);
    const QRect rect = option.rect;
    const QRect avatarRect(rect.left() + margin, rect.top() + (rect.height() - avatarSize) / 2, avatarSize, avatarSize);
    const qreal dpr = painter->device()->devicePixelRatioF();
    paintAvatar(*painter, avatarRect, m_avatars->avatar(index.data(ContactListModel::AvatarUrlRole).toString(), avatarSize, dpr),
                name, userId);
    const bool selected = option.state & QStyle::State_Selected;
    const QColor base = selected ? option.palette.color(QPalette::Highlight) : option.palette.color(QPalette::Base);
    PresenceBadge::paint(*painter, QRectF(avatarRect.right() - badgeSize + 3, avatarRect.bottom() - badgeSize + 3,
                                          badgeSize, badgeSize), presence, base);

    const QPalette::ColorRole textRole = selected ? QPalette::HighlightedText : QPalette::Text;
    QColor secondary = option.palette.color(textRole);
    secondary.setAlphaF(0.65);
    const QRect textRect = rect.adjusted(avatarRect.right() - rect.left() + gap, 6, -margin, -6);

    QFont nameFont = option.font;
    nameFont.setBold(true);
    QFont smallFont = option.font;
    smallFont.setPointSizeF(option.font.pointSizeF() * 0.9);
    const QFontMetrics nameMetrics(nameFont);
    const QFontMetrics smallMetrics(smallFont);

    const int lineHeight = textRect.height() / 2;
    const QRect firstLine(textRect.left(), textRect.top(), textRect.width(), lineHeight);
    const QRect secondLine(textRect.left(), textRect.top() + lineHeight, textRect.width(), lineHeight);

    painter->setFont(smallFont);
    painter->setPen(secondary);
    const int lastActiveWidth = lastActive.isEmpty() ? 0 : smallMetrics.horizontalAdvance(lastActive) + gap;
    painter->drawText(firstLine, Qt::AlignRight | Qt::AlignVCenter, lastActive);

    // A star after the name: you will be told when this person comes online.
    const QString star = index.data(ContactListModel::WatchedRole).toBool() ? u" ★"_s : QString();
    const int starWidth = star.isEmpty() ? 0 : nameMetrics.horizontalAdvance(star);
    const QString shownName = nameMetrics.elidedText(name, Qt::ElideRight, firstLine.width() - lastActiveWidth - starWidth);
    painter->setFont(nameFont);
    painter->setPen(option.palette.color(textRole));
    painter->drawText(firstLine.adjusted(0, 0, -lastActiveWidth, 0), Qt::AlignLeft | Qt::AlignVCenter | Qt::TextSingleLine,
                      shownName + star);

    // A pending invitation says so instead of a presence nobody can see yet.
    QString second = index.data(ContactListModel::InvitedRole).toBool() ? tr("Invited — waiting for an answer") : status;
    if (second.isEmpty())
        second = presence == Presence::Unknown && !index.data(ContactListModel::RawPresenceRole).toString().isEmpty()
                     ? tr("Unknown state “%1”").arg(index.data(ContactListModel::RawPresenceRole).toString())
                     : presenceLabel(presence);
    second = singleLine(second);
    painter->setFont(smallFont);
    painter->setPen(secondary);
    painter->drawText(secondLine, Qt::AlignLeft | Qt::AlignVCenter | Qt::TextSingleLine,
                      smallMetrics.elidedText(second, Qt::ElideRight, secondLine.width()));
    painter->restore();
}

QString ContactDelegate::tooltip(const QModelIndex &index, qint64 nowMs)
{
    // QToolTip takes rich text, so every network string is escaped: it shows as typed, never as markup.
    const auto escaped = [](const QString &text) { return text.toHtmlEscaped(); };
    const Presence presence = index.data(ContactListModel::PresenceRole).value<Presence>();
    QString html = u"<b>%1</b><br>%2<br>%3"_s.arg(escaped(index.data(Qt::DisplayRole).toString()),
                                                   escaped(index.data(ContactListModel::UserIdRole).toString()),
                                                   escaped(presenceLabel(presence)));
    const QString lastActive = describeLastActive(index.data(ContactListModel::CurrentlyActiveRole).toBool(),
                                                  index.data(ContactListModel::LastActiveAtRole).toLongLong(), nowMs);
    if (!lastActive.isEmpty())
        html += u" · "_s + escaped(lastActive);
    const QString status = index.data(ContactListModel::StatusMessageRole).toString();
    if (!status.isEmpty())
        html += u"<br><i>%1</i>"_s.arg(escaped(status));
    // The bold name is your nickname for them: their own name is said here.
    if (!index.data(ContactListModel::NicknameRole).toString().isEmpty()) {
        const QString realName = index.data(ContactListModel::DisplayNameRole).toString();
        if (!realName.isEmpty())
            html += u"<br>"_s + escaped(tr("Real name: %1").arg(realName));
    }
    const QString zone = index.data(ContactListModel::TimeZoneRole).toString();
    const QString localTime = describeLocalTime(zone, nowMs);
    if (!localTime.isEmpty())
        html += u"<br>%1 (%2)"_s.arg(escaped(localTime), escaped(zone));
    const QStringList otherNames = index.data(ContactListModel::OtherNamesRole).toStringList();
    if (!otherNames.isEmpty())
        html += u"<br>"_s + escaped(tr("Called %1 in some rooms").arg(QLocale().createSeparatedList(otherNames)));
    return html;
}

bool ContactDelegate::helpEvent(QHelpEvent *event, QAbstractItemView *view, const QStyleOptionViewItem &option,
                                const QModelIndex &index)
{
    if (event->type() != QEvent::ToolTip || !index.isValid())
        return QStyledItemDelegate::helpEvent(event, view, option, index);
    if (index.data(RosterGroupModel::IsGroupRole).toBool()) {
        const QString text = tr("%1: %2 of %3 online").arg(index.data(Qt::DisplayRole).toString())
            .arg(index.data(RosterGroupModel::OnlineCountRole).toInt()).arg(index.data(RosterGroupModel::TotalCountRole).toInt());
        QToolTip::showText(event->globalPos(), text.toHtmlEscaped(), view);
        return true;
    }
    QToolTip::showText(event->globalPos(), tooltip(index, QDateTime::currentMSecsSinceEpoch()), view);
    return true;
}
