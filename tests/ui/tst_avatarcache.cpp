// AvatarCache against the real Synapse fixture: thumbnails of mxc:// URIs only, fetched once, scaled for the
// screen's device pixel ratio; and the decoder's refusal of images that are hostile or broken.
#include "media/AvatarCache.h"
#include "FakeHomeserver.h"
#include "matrix/HomeserverApi.h"
#include "session/ThumbnailFetcher.h"
#include "TestHomeserver.h"

#include <QBuffer>
#include <QImage>
#include <QPainter>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::Literals::StringLiterals;

namespace {
QByteArray encoded(const QImage &image, const char *format = "PNG")
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, format);
    return bytes;
}

QImage picture(QSize size)
{
    QImage image(size, QImage::Format_RGB32);
    image.fill(QColor(0x3d, 0x6f, 0xb6));
    QPainter(&image).fillRect(QRect(QPoint(0, 0), size / 2), Qt::yellow);
    return image;
}
} // namespace

class AvatarCacheTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void thumbnailsAreFetchedOnceAndScaledForTheScreen()
    {
        TestHomeserver server;
        QVERIFY2(server.isValid(), qPrintable(server.problem()));
        const LoginSession session = server.registerUser(u"pictured"_s);
        TestUser user(server.baseUrl(), session);
        const QString mxc = user.uploadPng(encoded(picture(QSize(300, 200))));
        QVERIFY(mxc.startsWith("mxc://"_L1));

        HomeserverApi api;
        api.setHomeserver(server.baseUrl());
        api.setAccessToken(session.accessToken);
        ThumbnailFetcher fetcher(&api);
        AvatarCache cache(&fetcher);
        QSignalSpy ready(&cache, &AvatarCache::avatarReady);
        QVERIFY(cache.avatar(mxc, 32, 2.0).isNull());  // on its way
        QVERIFY(ready.wait(10000));
        QCOMPARE(ready.at(0).at(0).toString(), mxc);

        const QPixmap hiDpi = cache.avatar(mxc, 32, 2.0);
        QCOMPARE(hiDpi.size(), QSize(64, 64));
        QCOMPARE(hiDpi.devicePixelRatio(), 2.0);
        QCOMPARE(hiDpi.deviceIndependentSize(), QSizeF(32, 32));
        const QPixmap normal = cache.avatar(mxc, 40, 1.0);
        QCOMPARE(normal.size(), QSize(40, 40));
        QTest::qWait(200);
        QCOMPARE(ready.count(), 1);  // answered from memory, not fetched again
    }

    void onlyMxcUrisAreEverFetched()
    {
        FakeHomeserver server;
        HomeserverApi api;
        api.setHomeserver(server.baseUrl());
        ThumbnailFetcher fetcher(&api);
        AvatarCache cache(&fetcher);
        for (const QString &uri : {u"https://evil.example/tracker.png"_s, u"file:///etc/passwd"_s,
                                   u"mxc://no-media-id"_s, u"mxc://../../etc"_s})
            QVERIFY(cache.avatar(uri, 32, 1.0).isNull());
        QTest::qWait(300);
        QVERIFY(server.requests().isEmpty());
        QVERIFY(cache.avatar(u"https://evil.example/tracker.png"_s, 32, 1.0).isNull());  // and never retried
        QVERIFY(server.requests().isEmpty());
    }

    void aServerThatSendsGarbageGetsNoSecondChance()
    {
        FakeHomeserver server;
        server.setFallback(u"/_matrix/client/v1/media/thumbnail/"_s,
                           FakeHomeserver::Response::json(200, "this is not an image"));
        HomeserverApi api;
        api.setHomeserver(server.baseUrl());
        ThumbnailFetcher fetcher(&api);
        AvatarCache cache(&fetcher);
        QVERIFY(cache.avatar(u"mxc://example.org/abc"_s, 32, 1.0).isNull());
        QTRY_COMPARE(server.requests().size(), 1);
        QTest::qWait(200);
        QVERIFY(cache.avatar(u"mxc://example.org/abc"_s, 32, 1.0).isNull());
        QTest::qWait(200);
        QCOMPARE(server.requests().size(), 1);
    }

    void hostileOrBrokenImagesAreRefused_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<bool>("usable");
        const QByteArray png = encoded(picture(QSize(500, 500)));
        QTest::newRow("a large photo, decoded small") << png << true;
        QTest::newRow("a JPEG") << encoded(picture(QSize(120, 80)), "JPG") << true;
        QTest::newRow("a 2048×1 strip, decoded small") << encoded(picture(QSize(2048, 1))) << true;
        // A header that promises more pixels than an avatar needs: refused before any decoding.
        QTest::newRow("too wide") << encoded(QImage(3000, 4, QImage::Format_Mono)) << false;
        QTest::newRow("too tall") << encoded(QImage(4, 3000, QImage::Format_Mono)) << false;
        QTest::newRow("truncated") << png.left(png.size() / 3) << false;
        QTest::newRow("not an image") << QByteArray("<html>502 Bad Gateway</html>") << false;
        QTest::newRow("empty") << QByteArray() << false;
    }

    void hostileOrBrokenImagesAreRefused()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(bool, usable);
        const QImage image = AvatarCache::decode(bytes);
        QCOMPARE(!image.isNull(), usable);
        if (usable)
            QVERIFY(image.width() <= ThumbnailFetcher::thumbnailPixels && image.height() <= ThumbnailFetcher::thumbnailPixels);
    }
};

QTEST_MAIN(AvatarCacheTest)
#include "tst_avatarcache.moc"
