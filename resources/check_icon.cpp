// Checks that the embedded application icon loads through QIcon and draws what it should at the sizes a
// desktop uses: the tile, the person and the green presence dot, with transparent corners.
// Usage: check_icon [directory to write the renderings to as PNGs]
#include <QColor>
#include <QDir>
#include <QFile>
#include <QGuiApplication>
#include <QIcon>
#include <QImage>
#include <QPixmap>

#include <cstdio>

using namespace Qt::Literals::StringLiterals;

namespace {

int failures = 0;

void expect(bool ok, int size, const char *what, QColor seen)
{
    if (!ok) {
        std::fprintf(stderr, "FAIL %dpx: %s (pixel is %s, alpha %d)\n", size, what, qPrintable(seen.name()), seen.alpha());
        ++failures;
    }
}

// The pixel of the rendering under the point (x, y) of the icon's 128 x 128 view box.
QColor at(const QImage &image, double x, double y)
{
    const double scale = image.width() / 128.0;
    return image.pixelColor(int(x * scale), int(y * scale));
}

}  // namespace

int main(int argc, char *argv[])
{
    QGuiApplication app(argc, argv);
    const QString path = u":/icons/io.github.presently.Presently.svg"_s;
    if (!QFile::exists(path)) {
        std::fprintf(stderr, "FAIL: %s is not among the embedded resources\n", qPrintable(path));
        return 1;
    }
    const QIcon icon(path);
    if (icon.isNull()) {
        std::fprintf(stderr, "FAIL: QIcon cannot load %s (is the Qt SVG icon engine installed?)\n", qPrintable(path));
        return 1;
    }
    const QString outDir = argc > 1 ? QString::fromLocal8Bit(argv[1]) : QString();
    if (!outDir.isEmpty())
        QDir().mkpath(outDir);

    for (const int size : {16, 22, 24, 32, 48, 64, 128, 256}) {
        const QImage image = icon.pixmap(QSize(size, size), 1.0).toImage().convertToFormat(QImage::Format_ARGB32);
        if (image.size() != QSize(size, size)) {
            std::fprintf(stderr, "FAIL %dpx: rendered at %dx%d\n", size, image.width(), image.height());
            ++failures;
            continue;
        }
        QColor c = at(image, 0, 0);
        expect(c.alpha() == 0, size, "the corner is transparent", c);
        c = at(image, 24, 24);
        expect(c.alpha() == 255 && c.blue() > 150 && c.blue() > c.red() + 60, size, "the tile is blue", c);
        c = at(image, 56, 48);
        expect(c.alpha() == 255 && c.red() > 240 && c.green() > 240 && c.blue() > 240, size, "the head is white", c);
        c = at(image, 40, 100);
        expect(c.alpha() == 255 && c.red() > 240 && c.green() > 240 && c.blue() > 240, size, "the body is white", c);
        c = at(image, 94, 94);
        expect(c.alpha() == 255 && c.green() > 140 && c.green() > c.red() + 60 && c.green() > c.blue() + 60, size,
               "the presence dot is green", c);
        if (!outDir.isEmpty())
            image.save(QDir(outDir).filePath(u"presently-%1.png"_s.arg(size)));
    }
    if (failures) {
        std::fprintf(stderr, "%d check(s) failed\n", failures);
        return 1;
    }
    std::printf("the icon renders at 16-256 px\n");
    return 0;
}
