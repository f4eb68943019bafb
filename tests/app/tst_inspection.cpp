// The artists' inspection tools (issue 18): channel views (R, G, B, luminance as grey) and the false-colour legend,
// histograms (binning, the luminance and error histograms the service computes), the signed error map (sign and
// symmetric diverging scale), the split view's A/B flicker (toggle and auto flicker), the split view keeping the
// grid's zoom and centre texel, each codec's block overlay, captions above the images and the layout of very long
// atlases; screenshots of the new views in English and Chinese (LMC_SCREENSHOT_DIR).
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QGroupBox>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <memory>
#include <vector>

#include "app/studio/codec_blocks.h"
#include "app/studio/comparison_service.h"
#include "app/studio/comparison_view.h"
#include "app/studio/display_panel.h"
#include "app/studio/histogram_panel.h"
#include "app/studio/language.h"
#include "app/studio/main_window.h"
#include "app/studio/workspace_model.h"
#include "codec/codec.h"
#include "test_support.h"
#include "widgets/heatmap.h"
#include "widgets/histogram.h"
#include "widgets/split_view.h"
#include "widgets/tile_grid_view.h"
#include "widgets/tone_map.h"

using namespace lmc;
using namespace lmc::studio;

namespace {

// A float image that owns its pixels (interleaved RGB).
FloatRgbImage floatImage(int w, int h, const std::vector<float>& rgb) {
    FloatRgbImage img;
    img.width = w;
    img.height = h;
    img.rowStride = 3 * w;
    auto data = std::make_shared<std::vector<float>>(rgb);
    img.rgb = std::shared_ptr<const float>(data, data->data());
    return img;
}

FloatRgbImage solidFloat(int w, int h, float r, float g, float b) {
    std::vector<float> v;
    for (int i = 0; i < w * h; ++i) v.insert(v.end(), {r, g, b});
    return floatImage(w, h, v);
}

QImage solid(int w, int h, QRgb colour) {
    QImage img(w, h, QImage::Format_RGB32);
    img.fill(colour);
    return img;
}

bool hasCjk(const QString& s) {
    for (QChar c : s)
        if (c.unicode() >= 0x4E00 && c.unicode() <= 0x9FFF) return true;
    return false;
}

}  // namespace

class TestInspection : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void channelViewsShowOneChannel();
    void splitAndGridShowTheChannel();
    void falseColourLegendMatchesTheImage();
    void histogramBinsOfAKnownImage();
    void signedErrorScaleAndColours();
    void flickerTogglesFullFrame();
    void autoFlickerToggles();
    void blockSizesFromCodecParams();
    void gridDrawsEachTilesBlockGrid();
    void captionsSitAboveTheImage();
    void longAtlasIsNotASliver();
    void windowSplitKeepsZoomAndCentre();
    void windowHistogramsAndSignedHeatmap();
    void screenshotsOfTheNewViews();

private:
    std::unique_ptr<MainWindow> makeWindow(const QString& settingsName);
    bool openAndWait(MainWindow& window, const QString& path);

    QTemporaryDir dir_;
    QString map_;
};

void TestInspection::initTestCase() {
    QVERIFY(dir_.isValid());
    map_ = test::writeLightmap(QDir(dir_.path()), QStringLiteral("map.exr"), 192, 128);
}

void TestInspection::init() {
    QVERIFY(applyLanguage(QStringLiteral("en")));
}

std::unique_ptr<MainWindow> TestInspection::makeWindow(const QString& settingsName) {
    MainWindowOptions options;
    options.settingsFile = QDir(dir_.path()).filePath(settingsName);
    options.errorPresenter = [](QWidget*, const QString& title, const QString& text) {
        qWarning("error dialog: %s: %s", qPrintable(title), qPrintable(text));
    };
    options.autoSweep = false;
    auto window = std::make_unique<MainWindow>(options);
    window->resize(1440, 900);
    // Three codecs are enough here (and quick): a DCT codec and the two GPU block formats.
    for (const auto& s : window->model().codecs())
        window->model().setCodecEnabled(s->id, s->id == "jpeg" || s->id == "bc6h" || s->id == "astc");
    window->show();
    return window;
}

bool TestInspection::openAndWait(MainWindow& window, const QString& path) {
    QSignalSpy loaded(&window, &MainWindow::imageLoaded);
    window.openFile(path);
    if (!test::waitForCount(loaded, 1, 120000)) return false;
    // Every enabled codec's result, measured.
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < 120000) {
        bool done = true;
        for (const auto& s : window.model().codecs())
            if (s->enabled && (!s->result || !s->result->hasMetrics || s->busy)) done = false;
        if (done) return true;
        QTest::qWait(20);
    }
    return false;
}

void TestInspection::channelViewsShowOneChannel() {
    // Texels: pure red, pure green, pure blue, white (linear 1.0: sRGB 255).
    const FloatRgbImage img = floatImage(4, 1, {1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 1});
    ToneMapOptions o;
    const auto grey = [](int v) { return qRgb(v, v, v); };
    o.channel = ToneChannel::Red;
    QImage r = toneMap(img, o);
    QCOMPARE(r.pixel(0, 0), grey(255));  // the R view of a pure-red texel is white
    QCOMPARE(r.pixel(1, 0), grey(0));
    QCOMPARE(r.pixel(2, 0), grey(0));
    QCOMPARE(r.pixel(3, 0), grey(255));
    o.channel = ToneChannel::Green;
    QImage g = toneMap(img, o);
    QCOMPARE(g.pixel(0, 0), grey(0));
    QCOMPARE(g.pixel(1, 0), grey(255));
    o.channel = ToneChannel::Blue;
    QImage b = toneMap(img, o);
    QCOMPARE(b.pixel(1, 0), grey(0));
    QCOMPARE(b.pixel(2, 0), grey(255));
    o.channel = ToneChannel::Luminance;
    QImage l = toneMap(img, o);
    // Rec. 709 weights through the same sRGB curve.
    QCOMPARE(l.pixel(0, 0), grey(toneMapValue(0.2126f, 0.0)));
    QCOMPARE(l.pixel(1, 0), grey(toneMapValue(0.7152f, 0.0)));
    QCOMPARE(l.pixel(2, 0), grey(toneMapValue(0.0722f, 0.0)));
    QCOMPARE(l.pixel(3, 0), grey(255));
    // The exposure applies to a channel view too: one stop down halves the linear value.
    o.channel = ToneChannel::Red;
    o.exposureEv = -1.0;
    QCOMPARE(toneMap(img, o).pixel(0, 0), grey(toneMapValue(0.5f, 0.0)));
    // Colour stays the default.
    QCOMPARE(toneMap(img, ToneMapOptions{}).pixel(0, 0), qRgb(255, 0, 0));
}

void TestInspection::splitAndGridShowTheChannel() {
    SplitView split;
    split.resize(200, 100);
    split.setFloatImage(SplitView::Side::A, solidFloat(4, 2, 1, 0, 0));
    split.setFloatImage(SplitView::Side::B, solidFloat(4, 2, 1, 0, 0));
    split.show();
    QVERIFY(QTest::qWaitForWindowExposed(&split));
    const QPoint probe = split.imageToWidget(QPointF(0.5, 0.5)).toPoint();
    QCOMPARE(QColor(split.grab().toImage().pixel(probe)).rgb(), qRgb(255, 0, 0));
    split.setChannel(ToneChannel::Green);
    QCOMPARE(QColor(split.grab().toImage().pixel(probe)).rgb(), qRgb(0, 0, 0));
    split.setChannel(ToneChannel::Red);
    QCOMPARE(QColor(split.grab().toImage().pixel(probe)).rgb(), qRgb(255, 255, 255));

    TileGridView grid;
    grid.resize(300, 150);
    grid.setTiles({"a"});
    grid.setTileFloatImage("a", solidFloat(4, 2, 0, 0, 1));
    ToneMapOptions o;
    o.channel = ToneChannel::Blue;
    grid.setToneMapOptions(o);
    QCOMPARE(grid.displayedImage("a").pixel(1, 1), qRgb(255, 255, 255));
    o.channel = ToneChannel::Red;
    grid.setToneMapOptions(o);
    QCOMPARE(grid.displayedImage("a").pixel(1, 1), qRgb(0, 0, 0));
}

void TestInspection::falseColourLegendMatchesTheImage() {
    for (double ev : {0.0, -3.0, 2.5}) {
        const HeatmapScale scale = falseColourScale(ev);
        QVERIFY(scale.logarithmic);
        QCOMPARE(scale.colorMap, ColorMap::Turbo);
        // Middle grey at the exposure sits in the middle of the bar, the ends are ±6 stops.
        QVERIFY(std::abs(scale.positionOf(0.18 * std::exp2(-ev)) - 0.5) < 1e-9);
        QVERIFY(std::abs(scale.minValue - 0.18 * std::exp2(-ev - kFalseColourStops)) < 1e-12);
        // The legend puts a luminance where the image's false colour takes its colour from, so the colours agree
        // up to the rounding of the 256-entry table (one entry apart at most).
        const auto& table = colorMapTable(ColorMap::Turbo);
        for (double stops : {-5.5, -2.0, 0.0, 1.3, 4.0, 5.9}) {
            const double lum = 0.18 * std::exp2(stops - ev);
            QVERIFY(std::abs(scale.positionOf(lum) - (stops + kFalseColourStops) / (2 * kFalseColourStops)) < 1e-9);
            const int index = int(std::lround(scale.positionOf(lum) * 255.0));
            const QRgb image = falseColourValue(lum, ev);
            bool near = false;
            for (int d : {-1, 0, 1}) near |= table[std::size_t(std::clamp(index + d, 0, 255))] == image;
            QVERIFY2(near, qPrintable(QString::number(stops)));
        }
    }
}

void TestInspection::histogramBinsOfAKnownImage() {
    const float nan = std::nanf("");
    const std::vector<float> values = {0.5f, 1.5f, 1.5f, 2.5f, nan, -1.0f, 10.0f, 3.0f};
    HeatmapScale linear;
    linear.minValue = 0.0;
    linear.maxValue = 3.0;
    Histogram h = computeHistogram(values.data(), values.size(), linear, 3);
    QCOMPARE(h.counts, (std::vector<std::uint64_t>{1, 2, 2}));  // 3.0 is the top edge: the last bin
    QCOMPARE(h.below, std::uint64_t(1));
    QCOMPARE(h.above, std::uint64_t(1));
    QCOMPARE(h.total(), std::uint64_t(7));  // NaN is not counted
    QCOMPARE(h.binLow(1), 1.0);
    QCOMPARE(h.binHigh(1), 2.0);

    HeatmapScale log;
    log.minValue = 1.0;
    log.maxValue = 1000.0;
    log.logarithmic = true;
    const std::vector<float> decades = {2.0f, 20.0f, 200.0f, 300.0f, 0.5f, 0.0f, -3.0f};
    Histogram hl = computeHistogram(decades.data(), decades.size(), log, 3);
    QCOMPARE(hl.counts, (std::vector<std::uint64_t>{1, 1, 2}));
    QCOMPARE(hl.below, std::uint64_t(3));  // below 1, zero and negative
    QCOMPARE(hl.above, std::uint64_t(0));
    QVERIFY(std::abs(hl.binHigh(0) - 10.0) < 1e-9);

    // Luminance of a tiny image, with a mask that leaves one texel out.
    const FloatRgbImage img = floatImage(3, 1, {1, 0, 0, 0, 1, 0, 2, 2, 2});
    const std::uint8_t mask[3] = {1, 1, 0};
    const std::vector<float> lum = luminanceValues(img.rgb.get(), 3, 1, 9, mask);
    QCOMPARE(lum.size(), std::size_t(3));
    QVERIFY(std::abs(lum[0] - 0.2126f) < 1e-6f);
    QVERIFY(std::abs(lum[1] - 0.7152f) < 1e-6f);
    QVERIFY(std::isnan(lum[2]));

    HistogramView view;
    view.resize(300, 140);
    view.setHistogram(h);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    // The value axis is the scale's: 1.5 is half way.
    const QRect plot = view.plotRect();
    QVERIFY(std::abs(view.xForValue(1.5) - (plot.left() + plot.width() / 2.0)) < 1.0);
    // The tallest bars (bins 1 and 2) reach higher than bin 0's.
    const QImage shot = view.grab().toImage();
    const int x0 = plot.left() + plot.width() / 6, x1 = plot.left() + plot.width() / 2;
    auto barTop = [&](int x) {
        for (int y = plot.top(); y <= plot.bottom(); ++y)
            if (QColor(shot.pixel(x, y)) != QColor(0x1c, 0x1d, 0x20)) return y;
        return plot.bottom() + 1;
    };
    QVERIFY(barTop(x1) < barTop(x0));
    QVERIFY(barTop(x0) <= plot.bottom());
}

void TestInspection::signedErrorScaleAndColours() {
    std::vector<float> v = {-0.4f, -0.1f, 0.0f, 0.2f, 0.8f, std::nanf("")};
    for (int i = 0; i < 200; ++i) v.push_back(0.3f * std::sin(float(i)));
    const HeatmapScale s = signedHeatmapScale(v.data(), v.size());
    QCOMPARE(s.colorMap, ColorMap::Diverging);
    QVERIFY(!s.logarithmic);
    QCOMPARE(s.minValue, -s.maxValue);
    QVERIFY(s.maxValue >= 0.29 && s.maxValue <= 0.8);  // the 99.5th percentile of |value|
    // Zero is the neutral middle, under is blue, over is red.
    QCOMPARE(s.positionOf(0.0), 0.5);
    const QRgb zero = s.colorOf(0.0), under = s.colorOf(-0.3), over = s.colorOf(0.3);
    QVERIFY(std::abs(qRed(zero) - qBlue(zero)) < 8);
    QVERIFY(qBlue(under) > qRed(under) + 60);
    QVERIFY(qRed(over) > qBlue(over) + 60);
    // The legend's ticks carry signed values.
    const std::vector<double> ticks = heatmapTicks(s);
    QVERIFY(std::any_of(ticks.begin(), ticks.end(), [](double t) { return t < 0; }));
    QVERIFY(std::any_of(ticks.begin(), ticks.end(), [](double t) { return t > 0; }));
    QVERIFY(formatHeatmapValue(-0.25).startsWith(QLatin1Char('-')));
}

void TestInspection::flickerTogglesFullFrame() {
    SplitView view;
    view.resize(240, 120);
    view.setImage(SplitView::Side::A, solid(24, 12, qRgb(200, 30, 30)));
    view.setImage(SplitView::Side::B, solid(24, 12, qRgb(30, 30, 200)));
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    const QPoint left(view.width() / 4, view.height() / 2), right(3 * view.width() / 4, view.height() / 2);
    QImage shot = view.grab().toImage();
    QCOMPARE(QColor(shot.pixel(left)).rgb(), qRgb(200, 30, 30));  // split: A left, B right
    QCOMPARE(QColor(shot.pixel(right)).rgb(), qRgb(30, 30, 200));

    QSignalSpy changed(&view, &SplitView::flickerChanged);
    view.setFlickerMode(true);
    QVERIFY(view.isFlickerMode());
    QCOMPARE(changed.count(), 1);
    shot = view.grab().toImage();
    QCOMPARE(QColor(shot.pixel(left)).rgb(), qRgb(200, 30, 30));  // A over the whole frame
    QCOMPARE(QColor(shot.pixel(right)).rgb(), qRgb(200, 30, 30));
    QCOMPARE(view.sideAt(right), SplitView::Side::A);
    // Space toggles to B, full frame; F toggles back.
    QTest::keyClick(&view, Qt::Key_Space);
    QCOMPARE(view.flickerSide(), SplitView::Side::B);
    QCOMPARE(changed.count(), 2);
    shot = view.grab().toImage();
    QCOMPARE(QColor(shot.pixel(left)).rgb(), qRgb(30, 30, 200));
    QCOMPARE(QColor(shot.pixel(right)).rgb(), qRgb(30, 30, 200));
    QTest::keyClick(&view, Qt::Key_F);
    QCOMPARE(view.flickerSide(), SplitView::Side::A);
    QVERIFY(!view.isFlipped());  // in flicker mode the keys toggle, they do not flip the split
    // Leaving flicker mode brings the divider back.
    view.setFlickerMode(false);
    shot = view.grab().toImage();
    QCOMPARE(QColor(shot.pixel(right)).rgb(), qRgb(30, 30, 200));
}

void TestInspection::autoFlickerToggles() {
    SplitView view;
    view.resize(120, 60);
    view.setImage(SplitView::Side::A, solid(12, 6, qRgb(255, 0, 0)));
    view.setImage(SplitView::Side::B, solid(12, 6, qRgb(0, 0, 255)));
    view.show();
    QSignalSpy changed(&view, &SplitView::flickerChanged);
    view.setAutoFlicker(true);
    QVERIFY(view.isFlickerMode());
    QVERIFY(view.isAutoFlicker());
    // About 2 Hz: 4 toggles take ~1 s (generous bound for a loaded machine).
    QVERIFY(test::waitForCount(changed, 1 + 4, 5000));
    QCOMPARE(SplitView::kAutoFlickerMs, 250);
    // Switching flicker mode off stops the timer.
    view.setFlickerMode(false);
    QVERIFY(!view.isAutoFlicker());
    const int count = changed.count();
    QTest::qWait(600);
    QCOMPARE(changed.count(), count);
}

void TestInspection::blockSizesFromCodecParams() {
    const CodecRegistry& reg = CodecRegistry::builtin();
    const auto sizeFor = [&](const char* id, std::vector<std::string> assignments) {
        const Codec* codec = reg.find(id);
        if (!codec) return QSize(-1, -1);
        auto params = parseParamAssignments(codec->schema(), assignments);
        if (!params) return QSize(-2, -2);
        ParamSet all = ParamSet::defaults(codec->schema());
        for (const auto& [k, v] : params->values()) all.set(k, v);
        return codecBlockSize(*codec, all);
    };
    QCOMPARE(sizeFor("astc", {}), QSize(6, 6));  // the default footprint
    QCOMPARE(sizeFor("astc", {"block=12x12"}), QSize(12, 12));
    QCOMPARE(sizeFor("astc", {"block=10x5"}), QSize(10, 5));
    QCOMPARE(sizeFor("bc6h", {}), QSize(4, 4));
    QCOMPARE(sizeFor("bc6h", {"resolution=half"}), QSize(8, 8));
    QCOMPARE(sizeFor("bc6h", {"resolution=quarter"}), QSize(16, 16));
    QCOMPARE(sizeFor("jpeg", {"chroma=420"}), QSize(16, 16));
    QCOMPARE(sizeFor("jpeg", {"chroma=444"}), QSize(8, 8));
    QCOMPARE(sizeFor("exr", {"compression=dwab"}), QSize(8, 8));
    QVERIFY(sizeFor("exr", {"compression=piz"}).isEmpty());
    QVERIFY(sizeFor("jxl", {}).isEmpty());
    QVERIFY(sizeFor("vae", {}).isEmpty());
}

void TestInspection::gridDrawsEachTilesBlockGrid() {
    TileGridView view;
    view.resize(600, 300);
    view.setTiles({"six", "none"});
    view.setTileImage("six", solid(24, 24, qRgb(120, 120, 120)));
    view.setTileImage("none", solid(24, 24, qRgb(120, 120, 120)));
    view.setTileBlockSize("six", QSize(6, 6));
    view.setTileBlockSize("none", QSize());
    QCOMPARE(view.tileBlockSize("six"), QSize(6, 6));
    QVERIFY(view.tileBlockSize("none").isEmpty());
    view.setShowPixelGrid(false);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setZoom(4.0, QPointF(view.tileRect(0).center()));
    const QImage plain = view.grab().toImage();
    view.setShowBlockGrid(true);
    const QImage lined = view.grab().toImage();
    const auto changedNear = [&](int tile, double texelX) {
        const QPointF p = view.imageToWidget(tile, QPointF(texelX, 12.5));
        bool any = false;
        for (int dx : {-1, 0}) {
            const QPoint q = p.toPoint() + QPoint(dx, 0);
            if (view.tileRect(tile).contains(q)) any |= lined.pixel(q) != plain.pixel(q);
        }
        return any;
    };
    QVERIFY(changedNear(0, 6.0));  // a line at every 6th texel ...
    QVERIFY(changedNear(0, 12.0));
    QVERIFY(!changedNear(0, 4.0));  // ... and not at 4 (the view's default)
    QVERIFY(!changedNear(1, 6.0));  // the tile without blocks has none
    QVERIFY(!changedNear(1, 4.0));
}

void TestInspection::captionsSitAboveTheImage() {
    TileGridView view;
    view.resize(600, 300);
    view.setTiles({"a", "b"});
    view.setTileImage("a", solid(60, 30, qRgb(250, 250, 250)));
    view.setTileImage("b", solid(60, 30, qRgb(250, 250, 250)));
    QCOMPARE(view.captionStripHeight(), 0);  // no caption: the image gets the whole cell
    view.setTileCaption("a", QStringLiteral("Original"), QStringLiteral("60 × 30 texels"));
    QVERIFY(view.captionStripHeight() > 0);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    const QImage shot = view.grab().toImage();
    for (int i = 0; i < 2; ++i) {
        QVERIFY(!view.captionRect(i).intersects(view.tileRect(i)));
        QCOMPARE(view.captionRect(i).bottom() + 1, view.tileRect(i).top());
        // The image's top-left texel shows its own colour at its corner, not a caption.
        const QPointF corner = view.imageToWidget(i, QPointF(0.25, 0.25));
        QCOMPARE(QColor(shot.pixel(corner.toPoint())).rgb(), qRgb(250, 250, 250));
    }
    // The caption is drawn (white text on a dark box) inside the strip.
    bool drawn = false;
    const QRect strip = view.captionRect(0);
    for (int y = strip.top(); y <= strip.bottom() && !drawn; ++y)
        for (int x = strip.left(); x < strip.left() + 80; ++x)
            if (qRed(shot.pixel(x, y)) > 200) drawn = true;
    QVERIFY(drawn);
}

void TestInspection::longAtlasIsNotASliver() {
    for (const QSize size : {QSize(128, 6144), QSize(6144, 128)}) {
        TileGridView view;
        view.resize(1000, 700);
        view.setTiles({"original", "a", "b", "c", "d", "e"});
        for (const QString& k : view.tiles()) view.setTileImage(k, solid(size.width(), size.height(), 0xff808080));
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QVERIFY(view.isFitMode());
        QVERIFY(view.isFitAcross());
        // The short side fills at least kMinFitSide pixels (fitted whole it would be about 14).
        const double across = view.zoom() * std::min(size.width(), size.height());
        QVERIFY2(across >= TileGridView::kMinFitSide, qPrintable(QString::number(across)));
        // Tiles are wider (tall map) or taller (wide map) than that, and the map starts at the tile's start.
        const QRect tile = view.tileRect(0);
        QVERIFY((size.height() > size.width() ? tile.width() : tile.height()) >= TileGridView::kMinFitSide);
        const QPointF origin = view.imageToWidget(0, QPointF(0, 0));
        if (size.height() > size.width())
            QCOMPARE(origin.y(), double(tile.top()));
        else
            QCOMPARE(origin.x(), double(tile.left()));
        // A tall map keeps all six tiles in one row of columns (the most of its length on screen).
        if (size.height() > size.width()) QCOMPARE(view.columns(), 6);
        if (size.width() > size.height()) QCOMPARE(view.columns(), 1);
    }
    // An ordinary map is still fitted whole.
    TileGridView view;
    view.resize(1000, 700);
    view.setTiles({"a", "b"});
    view.setTileImage("a", solid(512, 256, 0xff808080));
    view.setTileImage("b", solid(512, 256, 0xff808080));
    QVERIFY(!view.isFitAcross());
}

void TestInspection::windowSplitKeepsZoomAndCentre() {
    auto w = makeWindow(QStringLiteral("split.ini"));
    QVERIFY(openAndWait(*w, map_));
    TileGridView* grid = w->gridView();
    SplitView* split = w->splitView();
    // Grid in fit mode: the split view fits too.
    w->setViewMode(MainWindow::ViewMode::Split);
    QVERIFY(split->isFitMode());
    w->setViewMode(MainWindow::ViewMode::Grid);
    QVERIFY(grid->isFitMode());
    // Zoomed in on a texel in the grid: the split view opens at the same zoom with that texel at its centre.
    grid->setZoom(6.0, QPointF(grid->tileRect(0).center()));
    grid->centreOn(QPointF(40.5, 30.5));
    const QPointF gridCentre = grid->widgetToImage(QRectF(grid->tileRect(0)).center());
    QVERIFY(std::abs(gridCentre.x() - 40.5) < 0.01 && std::abs(gridCentre.y() - 30.5) < 0.01);
    w->setViewMode(MainWindow::ViewMode::Split);
    QCOMPARE(split->zoom(), 6.0);
    QVERIFY(!split->isFitMode());
    QVERIFY2(std::abs(split->centreTexel().x() - 40.5) < 0.2 && std::abs(split->centreTexel().y() - 30.5) < 0.2,
             qPrintable(QStringLiteral("%1,%2").arg(split->centreTexel().x()).arg(split->centreTexel().y())));
    // Panned and zoomed in the split view: back in the grid (and in the heatmap) the same place.
    split->showTexelAt(10.0, QPointF(100.0, 70.0));
    w->setViewMode(MainWindow::ViewMode::Grid);
    QCOMPARE(grid->zoom(), 10.0);
    QPointF c = grid->widgetToImage(QRectF(grid->tileRect(0)).center());
    QVERIFY2(std::abs(c.x() - 100.0) < 0.2 && std::abs(c.y() - 70.0) < 0.2,
             qPrintable(QStringLiteral("%1,%2").arg(c.x()).arg(c.y())));
    w->setViewMode(MainWindow::ViewMode::Heatmap);
    TileGridView* heat = w->views()->heatmapView();
    QCOMPARE(heat->zoom(), 10.0);
    c = heat->widgetToImage(QRectF(heat->tileRect(0)).center());
    QVERIFY(std::abs(c.x() - 100.0) < 0.2 && std::abs(c.y() - 70.0) < 0.2);

    // The codecs' block grids come from their parameters (ASTC 6x6 by default, BC6H 4x4, JPEG-HDR 4:2:0 16x16).
    QCOMPARE(grid->tileBlockSize(QStringLiteral("astc")), QSize(6, 6));
    QCOMPARE(grid->tileBlockSize(QStringLiteral("bc6h")), QSize(4, 4));
    QCOMPARE(grid->tileBlockSize(QStringLiteral("jpeg")), QSize(16, 16));
    QVERIFY(grid->tileBlockSize(QStringLiteral("original")).isEmpty());

    // The channel choice reaches the split view; false colour shows its legend under grid and split only.
    w->setViewMode(MainWindow::ViewMode::Split);
    w->displayPanel()->channelCombo()->setCurrentIndex(
        w->displayPanel()->channelCombo()->findData(int(ToneChannel::Red)));
    QCOMPARE(split->toneMapOptions().channel, ToneChannel::Red);
    QVERIFY(!w->views()->falseColourLegend()->isVisible());
    w->displayPanel()->falseColourCheck()->setChecked(true);
    QVERIFY(w->views()->falseColourLegend()->isVisible());
    QCOMPARE(w->views()->falseColourLegend()->scale(), falseColourScale(w->displayPanel()->exposureSpin()->value()));
    w->setViewMode(MainWindow::ViewMode::Heatmap);
    QVERIFY(!w->views()->falseColourLegend()->isVisible());
    // Flicker from the mode bar.
    w->setViewMode(MainWindow::ViewMode::Split);
    w->views()->flickerCheck()->setChecked(true);
    QVERIFY(split->isFlickerMode());
    w->views()->autoFlickerCheck()->setChecked(true);
    QVERIFY(split->isAutoFlicker());
    w->setViewMode(MainWindow::ViewMode::Grid);  // leaving the split view stops the auto flicker
    QVERIFY(!split->isAutoFlicker());
}

void TestInspection::windowHistogramsAndSignedHeatmap() {
    auto w = makeWindow(QStringLiteral("hist.ini"));
    QSignalSpy lum(&w->comparison(), &ComparisonService::luminanceHistogramReady);
    QSignalSpy err(&w->comparison(), &ComparisonService::errorHistogramReady);
    QVERIFY(openAndWait(*w, map_));
    QVERIFY(test::waitForCount(lum, 1, 30000));
    QVERIFY(test::waitForCount(err, 1, 30000));
    // The luminance histogram counts the visible texels of the map (every one has a finite luminance).
    const Histogram l = lum.last().at(0).value<Histogram>();
    const ShownMask mask = w->model().shownMask();
    std::uint64_t visible = 0;
    if (mask)
        for (std::uint8_t m : *mask) visible += m != 0;
    else
        visible = 192 * 128;
    QCOMPARE(l.total(), visible);
    QVERIFY(l.scale.logarithmic);
    QCOMPARE(int(l.counts.size()), ComparisonService::kHistogramBins);
    QVERIFY(!w->histogramPanel()->luminanceView()->histogram().isEmpty());
    // The error histogram is the selected codec's.
    QCOMPARE(err.last().at(0).toString(), QString::fromStdString(w->currentCodecId()));

    // Signed error: the kind's histogram is symmetric about 0, and so is the heatmap's scale.
    err.clear();
    QSignalSpy maps(&w->comparison(), &ComparisonService::heatmapsUpdated);
    w->setViewMode(MainWindow::ViewMode::Heatmap);
    w->comparison().setKind(ErrorMapKind::SignedLogRatio);
    QVERIFY(test::waitForCount(err, 1, 30000));
    const Histogram e = err.last().at(2).value<Histogram>();
    QCOMPARE(err.last().at(1).value<ErrorMapKind>(), ErrorMapKind::SignedLogRatio);
    QCOMPARE(e.scale.minValue, -e.scale.maxValue);
    QVERIFY(e.total() > 0);
    QVERIFY(test::waitForCount(maps, 1, 30000));
    const HeatmapScale s = w->views()->heatmapLegend()->scale();
    QCOMPARE(s.colorMap, ColorMap::Diverging);
    QCOMPARE(s.minValue, -s.maxValue);
    // A codec whose reconstruction is darker at a texel shows a negative value there, brighter a positive one.
    const CompressionResultPtr r = w->lastResult();
    const auto source = w->currentImage();
    int checked = 0;
    for (int y = 2; y < 128 && checked < 20; y += 7)
        for (int x = 2; x < 192 && checked < 20; x += 5) {
            const TexelReport rep = w->comparison().inspect(QPoint(x, y));
            for (const auto& row : rep.rows) {
                if (row.codecId != r->codecId || !std::isfinite(row.error) || std::abs(row.error) < 0.05) continue;
                const double a = source->texel(x, y)[0] + source->texel(x, y)[1] + source->texel(x, y)[2];
                const double b = double(row.rgb[0]) + row.rgb[1] + row.rgb[2];
                if (std::abs(a - b) < 0.1 * a) continue;  // small differences: the per-channel mean may differ
                QCOMPARE(row.error > 0, b > a);
                ++checked;
            }
        }
    QVERIFY(checked > 0);
    // Unchecking the panel stops the histograms.
    w->histogramPanel()->group()->setChecked(false);
    QVERIFY(!w->comparison().histogramsActive());
}

void TestInspection::screenshotsOfTheNewViews() {
    const QString shotDir = test::screenshotDir();
    for (const QString& lang : {QStringLiteral("en"), QStringLiteral("zh_CN")}) {
        QVERIFY(applyLanguage(lang));
        auto w = makeWindow(QStringLiteral("shots_%1.ini").arg(lang));
        QVERIFY(openAndWait(*w, map_));
        QTest::qWait(100);
        // Split view, flicker off, false colour with its legend.
        w->setViewMode(MainWindow::ViewMode::Split);
        w->displayPanel()->falseColourCheck()->setChecked(true);
        QTest::qWait(50);
        QString path = QDir(shotDir).filePath(QStringLiteral("inspect_falsecolour_%1.png").arg(lang));
        QVERIFY(w->grab().toImage().save(path));
        qInfo("screenshot: %s", qPrintable(path));
        // Signed error heatmap with its legend and the histograms.
        w->displayPanel()->falseColourCheck()->setChecked(false);
        QSignalSpy maps(&w->comparison(), &ComparisonService::heatmapsUpdated);
        w->setViewMode(MainWindow::ViewMode::Heatmap);
        w->comparison().setKind(ErrorMapKind::SignedLogRatio);
        QVERIFY(test::waitForCount(maps, 1, 30000));
        QTest::qWait(300);  // the histograms' jobs
        path = QDir(shotDir).filePath(QStringLiteral("inspect_signed_%1.png").arg(lang));
        QVERIFY(w->grab().toImage().save(path));
        qInfo("screenshot: %s", qPrintable(path));
        // Grid zoomed in with the codec block grids, luminance channel.
        w->setViewMode(MainWindow::ViewMode::Grid);
        w->displayPanel()->channelCombo()->setCurrentIndex(
            w->displayPanel()->channelCombo()->findData(int(ToneChannel::Luminance)));
        auto* blocks = w->views()->findChild<QCheckBox*>(QStringLiteral("blockGridCheck"));
        QVERIFY(blocks);
        blocks->setChecked(true);
        QVERIFY(w->gridView()->showBlockGrid());
        w->gridView()->setZoom(6.0, QPointF(w->gridView()->tileRect(0).center()));
        w->gridView()->centreOn(QPointF(48, 40));
        QTest::qWait(50);
        path = QDir(shotDir).filePath(QStringLiteral("inspect_blocks_%1.png").arg(lang));
        QVERIFY(w->grab().toImage().save(path));
        qInfo("screenshot: %s", qPrintable(path));
        // Split view in flicker mode.
        w->setViewMode(MainWindow::ViewMode::Split);
        w->views()->flickerCheck()->setChecked(true);
        QTest::qWait(50);
        path = QDir(shotDir).filePath(QStringLiteral("inspect_flicker_%1.png").arg(lang));
        QVERIFY(w->grab().toImage().save(path));
        qInfo("screenshot: %s", qPrintable(path));

        // The new texts are translated.
        const QStringList texts = {w->views()->flickerCheck()->text(),
                                   w->views()->autoFlickerCheck()->text(),
                                   w->histogramPanel()->group()->title(),
                                   w->histogramPanel()->luminanceView()->title(),
                                   w->displayPanel()->channelCombo()->itemText(4),
                                   w->views()->heatmapLegend()->title()};
        for (const QString& t : texts) {
            QVERIFY(!t.isEmpty());
            if (lang == QLatin1String("zh_CN")) QVERIFY2(hasCjk(t), qPrintable(t));
        }
    }
}

QTEST_MAIN(TestInspection)
#include "tst_inspection.moc"
