// ContactDelegate draws what the network sent in one line per field: no kind of line break in a name or a
// status stacks lines over each other or over the next row; its tooltip shows network text as typed.
#include "media/AvatarCache.h"
#include "window/ContactDelegate.h"
#include "roster/ContactListModel.h"
#include "matrix/HomeserverApi.h"
#include "session/ThumbnailFetcher.h"

#include <QApplication>
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
