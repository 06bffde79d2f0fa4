// ContactDelegate draws what the network sent in one line per field: no kind of line break in a name or a
// status stacks lines over each other or over the next row; its tooltip shows network text as typed.
#include "media/AvatarCache.h"
#include "window/ContactDelegate.h"
#include "roster/ContactListModel.h"
#include "matrix/HomeserverApi.h"
#include "session/ThumbnailFetcher.h"

#include <QApplication>
#include <QDateTime>
#include <QImage>
#include <QPainter>
#include <QStandardItemModel>
#include <QStyleOptionViewItem>
#include <QTest>

using namespace Qt::Literals::StringLiterals;

class ContactDelegateTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void lineBreaksNeverLeaveTheRow_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("status");
        QTest::newRow("newlines in the name") << u"Bob\nA\nB\nC\nD"_s << QString();
        QTest::newRow("line separators in the name") << u"Bob\u2028A\u2028B\u2029C"_s << QString();
        QTest::newRow("carriage returns in the status") << u"Bob"_s << u"one\r\ntwo\r\nthree\r\nfour"_s;
        QTest::newRow("line separators in the status") << u"Bob"_s << u"one\u2028two\u2028three\u2029four"_s;
    }

    void lineBreaksNeverLeaveTheRow()
    {
        QFETCH(QString, name);
        QFETCH(QString, status);
        // Drawn exactly as the same text with spaces for the breaks: one line each, nothing stacked or spilled.
        const QImage drawn = paintRow(name, status);
        QVERIFY(!drawn.isNull());
        QCOMPARE(drawn, paintRow(ContactDelegate::singleLine(name), ContactDelegate::singleLine(status)));
    }

    void linesAreJoinedWithSpaces()
    {
        QCOMPARE(ContactDelegate::singleLine(u"a\nb\r\nc\u2028d\u2029e"_s), u"a b  c d e"_s);
        QCOMPARE(ContactDelegate::singleLine(u"<b>bold</b>"_s), u"<b>bold</b>"_s);
    }

    void theTooltipNamesPerRoomNamesAsPlainText()
    {
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));  // the list reads "A and B"
        QStandardItemModel model(1, 1);
        const QModelIndex index = model.index(0, 0);
        model.setData(index, u"Bob"_s, Qt::DisplayRole);
        model.setData(index, QStringList{u"<b>Captain</b>"_s, u"Skipper"_s}, ContactListModel::OtherNamesRole);
        const QString tooltip = ContactDelegate::tooltip(index, 0);
        QVERIFY2(tooltip.contains(u"Called &lt;b&gt;Captain&lt;/b&gt; and Skipper in some rooms"_s), qPrintable(tooltip));

        model.setData(index, QStringList(), ContactListModel::OtherNamesRole);
        QVERIFY(!ContactDelegate::tooltip(index, 0).contains(u"in some rooms"_s));
    }

    // A row shown by your nickname for them says their own name in the tooltip, as typed.
    void theTooltipGivesTheRealNameBehindANickname()
    {
        QStandardItemModel model(1, 1);
        const QModelIndex index = model.index(0, 0);
        model.setData(index, u"Bob"_s, Qt::DisplayRole);
        model.setData(index, u"<i>Robert</i>"_s, ContactListModel::DisplayNameRole);
        QVERIFY(!ContactDelegate::tooltip(index, 0).contains(u"Real name"_s));
        model.setData(index, u"Bob"_s, ContactListModel::NicknameRole);
        const QString tooltip = ContactDelegate::tooltip(index, 0);
        QVERIFY2(tooltip.contains(u"Real name: &lt;i&gt;Robert&lt;/i&gt;"_s), qPrintable(tooltip));
    }

    void theTooltipGivesTheirLocalTime()
    {
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedKingdom));  // 24-hour short times
        QStandardItemModel model(1, 1);
        const QModelIndex index = model.index(0, 0);
        model.setData(index, u"Bob"_s, Qt::DisplayRole);
        // 2026-12-03 05:05 UTC is 14:05 in Tokyo (UTC+9, no daylight saving).
        const qint64 nowMs = QDateTime(QDate(2026, 12, 3), QTime(5, 5), Qt::UTC).toMSecsSinceEpoch();
        QVERIFY(!ContactDelegate::tooltip(index, nowMs).contains(u"their time"_s));

        model.setData(index, u"Asia/Tokyo"_s, ContactListModel::TimeZoneRole);
        const QString tooltip = ContactDelegate::tooltip(index, nowMs);
        QVERIFY2(tooltip.contains(u"14:05 their time (Asia/Tokyo)"_s), qPrintable(tooltip));

        // Summer time where they are: 2026-07-01 12:00 UTC is 14:00 in Berlin (UTC+2).
        model.setData(index, u"Europe/Berlin"_s, ContactListModel::TimeZoneRole);
        const qint64 summerMs = QDateTime(QDate(2026, 7, 1), QTime(12, 0), Qt::UTC).toMSecsSinceEpoch();
        QVERIFY(ContactDelegate::tooltip(index, summerMs).contains(u"14:00 their time (Europe/Berlin)"_s));

        // A zone this computer does not know shows no time rather than a wrong one.
        model.setData(index, u"Mars/Olympus_Mons"_s, ContactListModel::TimeZoneRole);
        QVERIFY(!ContactDelegate::tooltip(index, nowMs).contains(u"their time"_s));
    }

private:
    QImage paintRow(const QString &name, const QString &status)
    {
        QStandardItemModel model(1, 1);
        const QModelIndex index = model.index(0, 0);
        model.setData(index, name, Qt::DisplayRole);
        model.setData(index, u"@bob:x"_s, ContactListModel::UserIdRole);
        model.setData(index, QVariant::fromValue(Presence::Online), ContactListModel::PresenceRole);
        model.setData(index, status, ContactListModel::StatusMessageRole);
        HomeserverApi api;
        ThumbnailFetcher thumbnails(&api);
        AvatarCache avatars(&thumbnails);
        ContactDelegate delegate(&avatars);
        QStyleOptionViewItem option;
        option.initFrom(&m_widget);
        option.rect = QRect(QPoint(0, 0), delegate.sizeHint(option, index));
        QImage image(option.rect.size(), QImage::Format_ARGB32);
        image.fill(Qt::transparent);
        QPainter painter(&image);
        delegate.paint(&painter, option, index);
        return image;
    }

    QWidget m_widget;
};

QTEST_MAIN(ContactDelegateTest)
#include "tst_contactdelegate.moc"
