// The comparison workspace's widgets on their own: the tile grid keeps every tile at one zoom and pan (and shows
// exact texels), the heatmap scale's value <-> colour mapping and the legend built on it, the tone curves and
// false colour, the metrics table's numeric sort and TSV copy, and the RD chart (codec styles whatever order codecs
// arrive in, the log bpp axis and its linear toggle, SSIM in dB, full legend names, tooltips, clicks, target line).
#include <QApplication>
#include <QChart>
#include <QChartView>
#include <QClipboard>
#include <QGraphicsTextItem>
#include <QLegend>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QMouseEvent>
#include <QScatterSeries>
#include <QSignalSpy>
#include <QTest>
#include <QValueAxis>

#include <cmath>
#include <limits>

#include "widgets/color_map.h"
#include "widgets/heatmap.h"
#include "widgets/metrics_panel.h"
#include "widgets/metrics_table.h"
#include "widgets/rd_chart.h"
#include "widgets/tile_grid_view.h"
#include "widgets/tone_map.h"

using namespace lmc;

namespace {

// w x h texels, each a distinct colour derived from (x, y) and a per-image tint.
QImage pattern(int w, int h, int tint) {
    QImage img(w, h, QImage::Format_RGB32);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) img.setPixel(x, y, qRgb((x * 5) % 256, (y * 7) % 256, tint));
    return img;
}

}  // namespace

class TestWorkspaceWidgets : public QObject {
    Q_OBJECT
private slots:
    void gridLaysOutTiles();
    void gridSharesZoomAndPan();
    void gridShowsExactTexels();
    void gridSelectionAndHover();
    void heatmapScaleLinear();
    void heatmapScaleLogarithmic();
    void heatmapColoursAndNoData();
    void heatmapTicksAndLegend();
    void autoScaleIgnoresOutliers();
    void toneCurvesAndFalseColour();
    void metricsTableSortsNumerically();
    void metricsTableCopiesTsv();
    void rdChartCurvesAndMarkers();
    void rdChartColoursFollowTheCodec();
    void rdChartLogAxisAndSsimDecibels();
    void rdChartLegendKeepsFullNames();
    void rdChartTooltipAndClick();
    void rdChartTargetLine();
    void metricsPanelShowsGpuMemory();
};

void TestWorkspaceWidgets::gridLaysOutTiles() {
    TileGridView view;
    view.resize(900, 400);
    view.setTiles({"original", "a", "b"});
    for (const QString& k : view.tiles()) view.setTileImage(k, pattern(64, 48, 10));
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QCOMPARE(view.tileCount(), 3);
    QCOMPARE(view.columns(), 3);  // a wide window: one row
    // Tiles do not overlap and stay inside the widget.
    for (int i = 0; i < 3; ++i) {
        QVERIFY(view.rect().contains(view.tileRect(i)));
        for (int j = i + 1; j < 3; ++j) QVERIFY(!view.tileRect(i).intersects(view.tileRect(j)));
    }
    view.resize(400, 900);
    QTest::qWait(10);
    QCOMPARE(view.columns(), 1);  // tall: one column
    // Keys that stay keep their images; new ones start empty.
    view.setTiles({"b", "c"});
    QVERIFY(view.hasImage("b"));
    QVERIFY(!view.hasImage("c"));
    QCOMPARE(view.indexOf("c"), 1);
}

void TestWorkspaceWidgets::gridSharesZoomAndPan() {
    TileGridView view;
    view.resize(960, 420);
    view.setTiles({"original", "a", "b"});
    int tint = 0;
    for (const QString& k : view.tiles()) view.setTileImage(k, pattern(64, 48, tint += 60));
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QVERIFY(view.isFitMode());
    QSignalSpy zoomed(&view, &TileGridView::zoomChanged);

    // Zoom about a point inside the third tile: the texel under it stays, and every tile moves the same way.
    const QPointF anchor = QPointF(view.tileRect(2).topLeft()) + QPointF(100, 90);
    int tile = -1;
    const QPointF texelBefore = view.widgetToImage(anchor, &tile);
    QCOMPARE(tile, 2);
    view.setZoom(8.0, anchor);
    QCOMPARE(view.zoom(), 8.0);
    QVERIFY(!view.isFitMode());
    QVERIFY(zoomed.count() >= 1);
    const QPointF texelAfter = view.widgetToImage(anchor);
    QVERIFY(std::abs(texelAfter.x() - texelBefore.x()) < 1e-9 && std::abs(texelAfter.y() - texelBefore.y()) < 1e-9);
    const QPointF probe(10.5, 7.5);
    const QPointF inTile0 = view.imageToWidget(0, probe) - QPointF(view.tileRect(0).topLeft());
    for (int i = 1; i < 3; ++i) QCOMPARE(view.imageToWidget(i, probe) - QPointF(view.tileRect(i).topLeft()), inTile0);

    // Panning in one tile pans all: the same texel sits under the same in-tile offset everywhere.
    view.panBy(QPointF(-37, 21));
    const QPointF moved = view.imageToWidget(0, probe) - QPointF(view.tileRect(0).topLeft());
    QCOMPARE(moved, inTile0 + QPointF(-37, 21));
    for (int i = 1; i < 3; ++i) QCOMPARE(view.imageToWidget(i, probe) - QPointF(view.tileRect(i).topLeft()), moved);
    // Dragging with the mouse pans too.
    const QPoint start = view.tileRect(1).center();
    QTest::mousePress(&view, Qt::LeftButton, Qt::NoModifier, start);
    QTest::mouseMove(&view, start + QPoint(15, -9));
    QTest::mouseRelease(&view, Qt::LeftButton, Qt::NoModifier, start + QPoint(15, -9));
    QCOMPARE(view.imageToWidget(2, probe) - QPointF(view.tileRect(2).topLeft()), moved + QPointF(15, -9));
    // Double-click fits again.
    QTest::mouseDClick(&view, Qt::LeftButton, Qt::NoModifier, start);
    QVERIFY(view.isFitMode());
}

void TestWorkspaceWidgets::gridShowsExactTexels() {
    TileGridView view;
    view.resize(800, 300);
    view.setTiles({"a", "b"});
    const QImage a = pattern(32, 16, 40), b = pattern(32, 16, 200);
    view.setTileImage("a", a);
    view.setTileImage("b", b);
    view.setShowPixelGrid(false);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setZoom(9.0, QPointF(view.tileRect(0).center()));
    const QImage shot = view.grab().toImage();
    // The centre of texel (x, y) in each tile has exactly that texel's colour (nearest-neighbour magnification).
    for (QPoint t : {QPoint(3, 4), QPoint(10, 8), QPoint(15, 12)}) {
        for (int i = 0; i < 2; ++i) {
            const QPointF c = view.imageToWidget(i, QPointF(t) + QPointF(0.5, 0.5));
            if (!view.tileRect(i).adjusted(0, 60, 0, 0).contains(c.toPoint())) continue;  // under the caption
            const QRgb expected = (i == 0 ? a : b).pixel(t);
            QCOMPARE(QColor(shot.pixel(c.toPoint())).rgb(), QColor(expected).rgb());
        }
    }
    // From 8x the texel grid darkens texel borders (and not the centres).
    view.setShowPixelGrid(true);
    const QImage withGrid = view.grab().toImage();
    const QPointF edge = view.imageToWidget(0, QPointF(10, 8.5));
    const QPointF centre = view.imageToWidget(0, QPointF(10.5, 8.5));
    bool darkened = false;  // the line lands on one of the two pixel columns around the boundary
    for (int dx : {-1, 0})
        darkened |= withGrid.pixel(edge.toPoint() + QPoint(dx, 0)) != shot.pixel(edge.toPoint() + QPoint(dx, 0));
    QVERIFY(darkened);
    QCOMPARE(withGrid.pixel(centre.toPoint()), shot.pixel(centre.toPoint()));
}

void TestWorkspaceWidgets::gridSelectionAndHover() {
    TileGridView view;
    view.resize(600, 300);
    view.setTiles({"a", "b"});
    view.setTileImage("a", pattern(40, 20, 0));
    view.setTileImage("b", pattern(40, 20, 90));
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setZoom(6.0, QPointF(view.tileRect(1).topLeft()) + QPointF(5, 5));
    QSignalSpy hovered(&view, &TileGridView::texelHovered);
    QSignalSpy selected(&view, &TileGridView::selectionChanged);
    const QPoint p0 = view.imageToWidget(1, QPointF(2.5, 3.5)).toPoint();
    const QPoint p1 = view.imageToWidget(1, QPointF(9.5, 7.5)).toPoint();
    QMouseEvent move(QEvent::MouseMove, QPointF(p0), view.mapToGlobal(QPointF(p0)), Qt::NoButton, Qt::NoButton,
                     Qt::NoModifier);
    QCoreApplication::sendEvent(&view, &move);
    QVERIFY(!hovered.isEmpty());
    QCOMPARE(hovered.last().at(0).toPoint(), QPoint(2, 3));
    QTest::mousePress(&view, Qt::LeftButton, Qt::ShiftModifier, p0);
    QTest::mouseMove(&view, p1);
    QTest::mouseRelease(&view, Qt::LeftButton, Qt::ShiftModifier, p1);
    QVERIFY(!selected.isEmpty());
    QCOMPARE(view.selection(), QRect(QPoint(2, 3), QPoint(9, 7)));
    QCOMPARE(selected.last().at(0).toRect(), QRect(QPoint(2, 3), QPoint(9, 7)));
    QTest::keyClick(&view, Qt::Key_Escape);
    QVERIFY(view.selection().isEmpty());
}

void TestWorkspaceWidgets::heatmapScaleLinear() {
    HeatmapScale s{0.0, 2.0, false, ColorMap::Magma};
    QCOMPARE(s.positionOf(1.0), 0.5);
    QCOMPARE(s.positionOf(0.5), 0.25);
    QCOMPARE(s.positionOf(-1.0), 0.0);  // clamped
    QCOMPARE(s.positionOf(5.0), 1.0);
    QVERIFY(std::isnan(s.positionOf(std::numeric_limits<double>::quiet_NaN())));
    QCOMPARE(s.valueAt(0.25), 0.5);
    QCOMPARE(s.valueAt(2.0), 2.0);  // clamped
    for (double v : {0.0, 0.3, 1.7, 2.0}) QVERIFY(std::abs(s.valueAt(s.positionOf(v)) - v) < 1e-12);
    // An offset range.
    HeatmapScale t{10.0, 30.0, false, ColorMap::Viridis};
    QCOMPARE(t.positionOf(25.0), 0.75);
    // Broken ranges are repaired, never divided by zero.
    HeatmapScale bad{1.0, 1.0, false, ColorMap::Magma};
    QVERIFY(bad.sanitized().maxValue > bad.sanitized().minValue);
}

void TestWorkspaceWidgets::heatmapScaleLogarithmic() {
    HeatmapScale s{0.01, 10.0, true, ColorMap::Magma};
    QVERIFY(std::abs(s.positionOf(0.1) - 1.0 / 3.0) < 1e-12);
    QVERIFY(std::abs(s.positionOf(1.0) - 2.0 / 3.0) < 1e-12);
    QCOMPARE(s.positionOf(0.0), 0.0);  // zero error sits at the bottom
    QCOMPARE(s.positionOf(-3.0), 0.0);
    QCOMPARE(s.positionOf(100.0), 1.0);
    QVERIFY(std::abs(s.valueAt(2.0 / 3.0) - 1.0) < 1e-12);
    QVERIFY(std::abs(s.valueAt(0.5) - std::sqrt(0.1)) < 1e-12);  // geometric midpoint
    // A log scale with a non-positive minimum gets max / 1000.
    HeatmapScale fix{0.0, 5.0, true, ColorMap::Magma};
    QCOMPARE(fix.sanitized().minValue, 0.005);
}

void TestWorkspaceWidgets::heatmapColoursAndNoData() {
    // Colour map ends as published: magma starts near black and ends near light yellow; turbo starts dark blue.
    const auto m0 = colorMapRgb(ColorMap::Magma, 0.0), m1 = colorMapRgb(ColorMap::Magma, 1.0);
    QVERIFY(m0[0] < 0.02 && m0[1] < 0.02 && m0[2] < 0.03);
    QVERIFY(m1[0] > 0.97 && m1[1] > 0.97 && m1[2] > 0.7 && m1[2] < 0.8);
    const auto v0 = colorMapRgb(ColorMap::Viridis, 0.0);
    QVERIFY(std::abs(v0[0] - 0.267) < 0.02 && std::abs(v0[2] - 0.329) < 0.02);
    HeatmapScale s{0.0, 4.0, false, ColorMap::Magma};
    QCOMPARE(s.colorOf(0.0), colorMapColor(ColorMap::Magma, 0.0));
    QCOMPARE(s.colorOf(4.0), colorMapColor(ColorMap::Magma, 1.0));
    QCOMPARE(s.colorOf(9.0), colorMapColor(ColorMap::Magma, 1.0));
    QCOMPARE(s.colorOf(std::numeric_limits<double>::quiet_NaN()), kNoDataColor);
    // The image uses the same mapping, texel by texel.
    const float nan = std::numeric_limits<float>::quiet_NaN();
    const float values[6] = {0.0f, 1.0f, 2.0f, 3.0f, 4.0f, nan};
    const QImage img = colorizeHeatmap(values, 3, 2, s);
    QCOMPARE(img.size(), QSize(3, 2));
    for (int i = 0; i < 6; ++i) QCOMPARE(img.pixel(i % 3, i / 3), s.colorOf(values[i]));
    QVERIFY(colorizeHeatmap(nullptr, 3, 2, s).isNull());
}

void TestWorkspaceWidgets::heatmapTicksAndLegend() {
    const auto linear = heatmapTicks(HeatmapScale{0.0, 0.12, false, ColorMap::Magma}, 7);
    QVERIFY(linear.size() >= 4 && linear.size() <= 7);
    QCOMPARE(linear.front(), 0.0);
    for (std::size_t i = 1; i < linear.size(); ++i) {
        const double step = linear[i] - linear[i - 1];
        QVERIFY(std::abs(step - (linear[1] - linear[0])) < 1e-12);  // evenly spaced "nice" steps
    }
    QVERIFY(std::abs(linear[1] - 0.02) < 1e-12);
    const auto decades = heatmapTicks(HeatmapScale{0.001, 10.0, true, ColorMap::Magma}, 7);
    QCOMPARE(decades.size(), std::size_t(5));
    QVERIFY(std::abs(decades.front() - 0.001) < 1e-15 && std::abs(decades.back() - 10.0) < 1e-12);
    const auto fewDecades = heatmapTicks(HeatmapScale{0.3, 4.0, true, ColorMap::Magma}, 7);
    QCOMPARE(fewDecades, (std::vector<double>{0.5, 1.0, 2.0}));
    QCOMPARE(formatHeatmapValue(0.02), QStringLiteral("0.02"));
    QCOMPARE(formatHeatmapValue(2e-5), QStringLiteral("2.0e-05"));

    HeatmapLegend legend;
    legend.resize(420, legend.sizeHint().height());
    legend.setScale(HeatmapScale{0.01, 10.0, true, ColorMap::Magma});
    legend.setTitle(QStringLiteral("Relative error"));
    legend.setUnit(QStringLiteral("fraction"));
    legend.show();
    QVERIFY(QTest::qWaitForWindowExposed(&legend));
    const QRect bar = legend.barRect();
    QCOMPARE(legend.xForValue(0.01), double(bar.left()));
    QCOMPARE(legend.xForValue(10.0), double(bar.left() + bar.width()));
    QVERIFY(std::abs(legend.xForValue(0.1) - (bar.left() + bar.width() / 3.0)) < 1e-9);
    QVERIFY(std::abs(legend.valueAtX(legend.xForValue(0.5)) - 0.5) < 1e-9);
    // The colour painted at a value's x is that value's colour.
    const QImage shot = legend.grab().toImage();
    for (double v : {0.02, 0.3, 4.0}) {
        const QPoint at(int(std::lround(legend.xForValue(v))), bar.center().y());
        const QColor painted(shot.pixel(at));
        const QColor expected(legend.scale().colorOf(legend.valueAtX(at.x() + 0.5)));
        QVERIFY2(std::abs(painted.red() - expected.red()) <= 3 && std::abs(painted.green() - expected.green()) <= 3 &&
                     std::abs(painted.blue() - expected.blue()) <= 3,
                 qPrintable(QStringLiteral("%1 vs %2").arg(painted.name(), expected.name())));
    }
    QVERIFY(!legend.ticks().empty());
}

void TestWorkspaceWidgets::autoScaleIgnoresOutliers() {
    std::vector<float> values(10000);
    for (std::size_t i = 0; i < values.size(); ++i) values[i] = float(i % 100) / 100.0f;  // 0 .. 0.99
    values[17] = 1e6f;                                                                    // one broken texel
    values[18] = std::numeric_limits<float>::quiet_NaN();
    const HeatmapScale lin = autoHeatmapScale(values.data(), values.size(), false);
    QCOMPARE(lin.minValue, 0.0);
    QVERIFY(lin.maxValue > 0.95 && lin.maxValue < 1.0);
    const HeatmapScale log = autoHeatmapScale(values.data(), values.size(), true);
    QVERIFY(log.logarithmic && log.minValue > 0.0 && log.minValue <= 0.02 && log.maxValue > 0.95);
    // All zero (identical images): still a valid scale.
    std::vector<float> zeros(100, 0.0f);
    const HeatmapScale z = autoHeatmapScale(zeros.data(), zeros.size(), true);
    QVERIFY(z.maxValue > z.minValue && z.minValue > 0.0);
}

void TestWorkspaceWidgets::toneCurvesAndFalseColour() {
    // Clamp: linear straight to 8 bits; sRGB: the existing curve; ACES: highlights roll off below white.
    QCOMPARE(int(toneMapValue(0.5f, 0.0, ToneCurve::Clamp)), 128);
    QCOMPARE(int(toneMapValue(0.5f, 0.0, ToneCurve::Srgb)), int(toneMapValue(0.5f, 0.0)));
    QCOMPARE(int(toneMapValue(4.0f, 0.0, ToneCurve::Srgb)), 255);
    const int aces4 = toneMapValue(4.0f, 0.0, ToneCurve::Aces), aces1 = toneMapValue(1.0f, 0.0, ToneCurve::Aces);
    QVERIFY(aces4 < 255 && aces4 > aces1);  // not clipped, still increasing
    QCOMPARE(aces1, int(std::lround(toneCurveExact(1.0, ToneCurve::Aces) * 255.0)));
    QCOMPARE(int(toneMapValue(std::numeric_limits<float>::quiet_NaN(), 0.0, ToneCurve::Aces)), 0);
    // Every table entry agrees with the exact curve within one code value.
    for (double v = 1e-3; v < 100.0; v *= 1.07)
        for (ToneCurve c : {ToneCurve::Clamp, ToneCurve::Aces})
            QVERIFY(std::abs(toneMapValue(float(v), 0.0, c) - toneCurveExact(v, c) * 255.0) <= 1.0);
    // Whole images use the chosen curve.
    const float rgb[6] = {0.5f, 0.5f, 0.5f, 4.0f, 4.0f, 4.0f};
    ToneMapOptions options;
    options.curve = ToneCurve::Aces;
    const QImage img = toneMap(rgb, 2, 1, 6, options);
    QCOMPARE(qRed(img.pixel(1, 0)), aces4);
    // False colour: middle grey is the middle of the map, +6 EV its top, black for zero.
    options.curve = ToneCurve::Srgb;
    options.falseColour = true;
    const float grey[9] = {0.18f, 0.18f, 0.18f, 0.18f * 64, 0.18f * 64, 0.18f * 64, 0.0f, 0.0f, 0.0f};
    const QImage fc = toneMap(grey, 3, 1, 9, options);
    QCOMPARE(fc.pixel(0, 0) | 0xff000000u, colorMapTable(ColorMap::Turbo)[128] | 0xff000000u);
    QCOMPARE(fc.pixel(1, 0) | 0xff000000u, colorMapTable(ColorMap::Turbo)[255] | 0xff000000u);
    QCOMPARE(fc.pixel(2, 0) | 0xff000000u, 0xff000000u);
    QCOMPARE(falseColourValue(0.18, 0.0), colorMapTable(ColorMap::Turbo)[128]);
    QCOMPARE(falseColourValue(0.09, 1.0), colorMapTable(ColorMap::Turbo)[128]);  // exposure shifts it
}

void TestWorkspaceWidgets::metricsTableSortsNumerically() {
    MetricsTable table;
    auto* model = table.metricsModel();
    MetricsTableRow a{"a", "Alpha", "q=1", 900, 9.0, 40.0, 50, 35, 0.99, 0.1, 120, 10};
    MetricsTableRow b{"b", "Beta", "q=2", 100000, 10.5, 31.0, 45, 30, 0.95, 0.3, 8, 2};
    MetricsTableRow c{"c",          "Gamma",      "q=3",        50,           0.5,  std::nullopt,
                      std::nullopt, std::nullopt, std::nullopt, std::nullopt, 1500, 400};
    model->setRow(a);
    model->setRow(b);
    model->setRow(c);
    QCOMPARE(model->rowCount(), 3);
    QCOMPARE(table.keysInViewOrder(), (QStringList{"a", "b", "c"}));
    // Bytes sort as numbers (not text: "100000" < "50" < "900" as strings).
    table.sortByColumn(MetricsTableModel::Bytes, Qt::AscendingOrder);
    QCOMPARE(table.keysInViewOrder(), (QStringList{"c", "a", "b"}));
    table.sortByColumn(MetricsTableModel::Bitrate, Qt::DescendingOrder);
    QCOMPARE(table.keysInViewOrder(), (QStringList{"b", "a", "c"}));
    // A missing value sorts after every number ascending.
    table.sortByColumn(MetricsTableModel::MPsnr, Qt::AscendingOrder);
    QCOMPARE(table.keysInViewOrder(), (QStringList{"b", "a", "c"}));
    table.sortByColumn(MetricsTableModel::EncodeMs, Qt::AscendingOrder);
    QCOMPARE(table.keysInViewOrder(), (QStringList{"b", "a", "c"}));
    table.sortByColumn(MetricsTableModel::Codec, Qt::DescendingOrder);
    QCOMPARE(table.keysInViewOrder(), (QStringList{"c", "b", "a"}));
    // Updating a row re-sorts it.
    b.encodeMs = 5000;
    model->setRow(b);
    table.sortByColumn(MetricsTableModel::EncodeMs, Qt::AscendingOrder);
    QCOMPARE(table.keysInViewOrder(), (QStringList{"a", "c", "b"}));
    // Display text is rounded and localised; a missing value is a dash.
    const QModelIndex mpsnr = model->index(model->rowOf("a"), MetricsTableModel::MPsnr);
    QCOMPARE(model->data(mpsnr).toString(), QLocale().toString(40.0, 'f', 2));
    QCOMPARE(model->data(model->index(model->rowOf("c"), MetricsTableModel::Ssim)).toString(), QStringLiteral("–"));
    model->removeRow("c");
    QCOMPARE(model->rowCount(), 2);
}

void TestWorkspaceWidgets::metricsTableCopiesTsv() {
    MetricsTable table;
    table.resize(900, 200);
    table.show();
    QVERIFY(QTest::qWaitForWindowExposed(&table));
    table.metricsModel()->setRow({"j", "JPEG-HDR", "quality=75;chroma=420", 115971, 0.884841, 34.392, 41.9956, 30.9467,
                                  0.89, 1445.57, 102.0, 72.81});
    table.metricsModel()->setRow(
        {"b", "BC6H", "quality=normal", 1048724, 8.00113, 47.5762, 57.54, 45.595, 0.99729, 478.0, 234.28, 20.9});
    table.sortByColumn(MetricsTableModel::Bitrate, Qt::DescendingOrder);
    const QString tsv = table.toTsv();
    const QStringList lines = tsv.trimmed().split(QLatin1Char('\n'));
    QCOMPARE(lines.size(), 3);
    QCOMPARE(lines[0].split(QLatin1Char('\t')).size(), int(MetricsTableModel::ColumnCount));
    QVERIFY(lines[0].startsWith(QStringLiteral("Codec\tSettings\tBytes\tbpp")));
    const QStringList first = lines[1].split(QLatin1Char('\t'));  // BC6H first: descending bitrate
    QCOMPARE(first[0], QStringLiteral("BC6H"));
    QCOMPARE(first[2], QStringLiteral("1048724"));  // unrounded, no thousands separator
    QCOMPARE(first[3], QStringLiteral("8.00113"));
    QCOMPARE(first[4], QStringLiteral("47.5762"));
    QCOMPARE(lines[2].split(QLatin1Char('\t'))[1], QStringLiteral("quality=75;chroma=420"));
    // Only the selected rows when there is a selection; Ctrl+C puts the same text on the clipboard.
    table.selectRow(1);
    const QStringList selected = table.toTsv().trimmed().split(QLatin1Char('\n'));
    QCOMPARE(selected.size(), 2);
    QVERIFY(selected[1].startsWith(QStringLiteral("JPEG-HDR\t")));
    table.setFocus();
    QTest::keyClick(&table, Qt::Key_C, Qt::ControlModifier);
    QCOMPARE(QApplication::clipboard()->text(), table.toTsv());
}

void TestWorkspaceWidgets::rdChartCurvesAndMarkers() {
    RdChartView chart;
    chart.resize(800, 600);
    chart.setCodec("jpeg", "JPEG-HDR");
    chart.setCodec("astc", "ASTC HDR");
    chart.setCurve("jpeg", {{2.0, 40.0, 0.95}, {0.5, 30.0, 0.9}, {1.0, 35.0, 0.93}});
    const auto pts = chart.curvePoints("jpeg", RdChartView::Metric::MPsnr);
    QCOMPARE(pts.size(), std::size_t(3));
    QCOMPARE(pts[0], QPointF(0.5, 30.0));  // sorted by bitrate
    QCOMPARE(pts[2], QPointF(2.0, 40.0));
    QCOMPARE(chart.curvePoints("jpeg", RdChartView::Metric::Ssim)[1], QPointF(1.0, ssimDecibels(0.93)));
    QVERIFY(!chart.markerPoint("jpeg", RdChartView::Metric::MPsnr));
    chart.setCurrent("jpeg", RdPoint{1.2, 36.0, 0.94});
    QCOMPARE(*chart.markerPoint("jpeg", RdChartView::Metric::MPsnr), QPointF(1.2, 36.0));
    chart.setCurrent("jpeg", RdPoint{0.7, 32.0, 0.91});  // moves with the slider
    QCOMPARE(*chart.markerPoint("jpeg", RdChartView::Metric::Ssim), QPointF(0.7, ssimDecibels(0.91)));
    chart.setTimes("astc", 1300.0, 35.0);
    QCOMPARE(*chart.timeBar("astc", false), 1300.0);
    QCOMPARE(*chart.timeBar("astc", true), 35.0);
    QCOMPARE(*chart.timeBar("jpeg", false), 0.0);
    chart.removeCodec("astc");
    QCOMPARE(chart.codecs(), QStringList{"jpeg"});
    QVERIFY(!chart.timeBar("astc", false));
}

void TestWorkspaceWidgets::rdChartColoursFollowTheCodec() {
    // Eleven built-in codecs: distinct colours and distinct (colour, shape) pairs; a codec keeps its style whatever
    // order codecs are added in, and its points are drawn with it.
    const QStringList ids = {"jxl", "avif", "exr", "j2k", "jpeg", "bc6h", "astc", "ae", "vae", "gan", "overfit"};
    QSet<QRgb> colours;
    QSet<QPair<QRgb, int>> pairs;
    for (const QString& id : ids) {
        QVERIFY2(codecStyle(id).color.isValid(), qPrintable(id));
        colours.insert(codecStyle(id).color.rgb());
        pairs.insert({codecStyle(id).color.rgb(), int(codecStyle(id).shape)});
    }
    QCOMPARE(colours.size(), ids.size());
    QCOMPARE(pairs.size(), ids.size());
    QVERIFY(!codecColor(QStringLiteral("nosuch")).isValid());
    auto pointsOf = [](RdChartView& chart, const QString& name) -> QScatterSeries* {
        for (QAbstractSeries* s : chart.metricChart(RdChartView::Metric::MPsnr)->series())
            if (auto* sc = qobject_cast<QScatterSeries*>(s); sc && sc->name() == name) return sc;
        return nullptr;
    };
    RdChartView a, b;
    for (const QString& id : ids) a.setCodec(id, id.toUpper());
    b.setCodec("custom", "Custom");
    for (auto it = ids.rbegin(); it != ids.rend(); ++it) b.setCodec(*it, it->toUpper());
    b.setCodec("other", "Other");
    for (const QString& id : ids) {
        QCOMPARE(a.style(id).color, codecStyle(id).color);
        QCOMPARE(b.style(id).color, codecStyle(id).color);
        QCOMPARE(int(b.style(id).shape), int(codecStyle(id).shape));
        QScatterSeries* points = pointsOf(b, id.toUpper());
        QVERIFY(points);
        QCOMPARE(points->color(), codecStyle(id).color);
    }
    // The legend and the time bars list built-in codecs in one fixed order, then the others as added.
    QCOMPARE(a.codecs(), ids);
    QCOMPARE(b.codecs(), ids + QStringList({"custom", "other"}));
    QCOMPARE(b.legendItems().front().first, QString("JXL"));
    QCOMPARE(int(pointsOf(b, "AVIF")->markerShape()), int(QScatterSeries::MarkerShapeRotatedRectangle));
    QCOMPARE(int(pointsOf(b, "JXL")->markerShape()), int(QScatterSeries::MarkerShapeCircle));
    // Codecs that are not built in take styles by order of addition, distinct from each other.
    QVERIFY(b.style("custom").color.isValid());
    QVERIFY(b.style("custom").color != b.style("other").color || b.style("custom").shape != b.style("other").shape);
    // "ID-NAME" is a variant of codec ID (lmc report's SERIES=CSV): ID's colour and shape, dashed, hollow points;
    // a prefix that is not a codec is just another key.
    const SeriesStyle variant = codecStyle("vae-networks");
    QCOMPARE(variant.color, codecStyle("vae").color);
    QCOMPARE(int(variant.shape), int(codecStyle("vae").shape));
    QVERIFY(variant.variant && !codecStyle("vae").variant);
    QVERIFY(!codecStyle("nosuch-networks").color.isValid());
    QVERIFY(!codecStyle("-vae").color.isValid());
    QVERIFY(!codecStyle("vae-").color.isValid());
    QCOMPARE(codecStyle("avif-speed-2").color, codecStyle("avif").color);
    b.setCodec("vae-networks", "VAE networks");
    QScatterSeries* hollow = pointsOf(b, "VAE networks");
    QVERIFY(hollow);
    QCOMPARE(hollow->color(), QColor(Qt::white));
    QCOMPARE(hollow->pen().color(), codecStyle("vae").color);
    QLineSeries* dashed = nullptr;
    for (QAbstractSeries* s : b.metricChart(RdChartView::Metric::MPsnr)->series())
        if (auto* line = qobject_cast<QLineSeries*>(s); line && !qobject_cast<QScatterSeries*>(s) &&
                                                         line->pen().style() == Qt::DashLine)
            dashed = line;
    QVERIFY(dashed);
    QCOMPARE(dashed->pen().color(), codecStyle("vae").color);
}

void TestWorkspaceWidgets::rdChartLogAxisAndSsimDecibels() {
    RdChartView chart;
    chart.resize(1000, 600);
    QVERIFY(chart.logRateAxis());  // the default
    auto rateAxis = [&](RdChartView::Metric m) {
        const auto axes = chart.metricChart(m)->axes(Qt::Horizontal);
        return axes.isEmpty() ? nullptr : axes.front();
    };
    QVERIFY(qobject_cast<QLogValueAxis*>(rateAxis(RdChartView::Metric::MPsnr)));
    chart.setCodec("jpeg", "JPEG-HDR");
    chart.setCurve("jpeg", {{0.05, 25.0, 0.9}, {0.5, 32.0, 0.99}, {4.0, 45.0, 0.999}, {16.0, 55.0, 1.0}});
    auto* log = qobject_cast<QLogValueAxis*>(rateAxis(RdChartView::Metric::MPsnr));
    QCOMPARE(log->base(), 2.0);
    // 0.05..16 bpp: the axis opens at the power of two below the data (1/32) and closes just past 16.
    QVERIFY(log->min() <= 0.05 && log->min() > 0.025);
    QVERIFY(log->max() >= 16.0 && log->max() < 20.0);
    // SSIM in dB: -10 log10(1 - SSIM); SSIM = 1 (infinite dB) is left out.
    const auto ssim = chart.curvePoints("jpeg", RdChartView::Metric::Ssim);
    QCOMPARE(ssim.size(), std::size_t(3));
    QVERIFY(std::abs(ssim[0].y() - 10.0) < 1e-9);
    QVERIFY(std::abs(ssim[1].y() - 20.0) < 1e-9);
    QVERIFY(std::abs(ssim[2].y() - 30.0) < 1e-9);
    QVERIFY(std::abs(ssimDecibels(0.999) - 30.0) < 1e-9);
    QVERIFY(std::isnan(ssimDecibels(1.0)));
    QVERIFY(std::isnan(ssimDecibels(std::nan(""))));
    auto* ssimAxis =
        qobject_cast<QValueAxis*>(chart.metricChart(RdChartView::Metric::Ssim)->axes(Qt::Vertical).front());
    QVERIFY(ssimAxis->min() <= 10.0 && ssimAxis->max() >= 30.0 && ssimAxis->max() <= 40.0);
    QVERIFY(ssimAxis->titleText().contains("dB"));
    // Linear on request: a QValueAxis from 0, and the points stay.
    chart.setLogRateAxis(false);
    QVERIFY(!chart.logRateAxis());
    auto* linear = qobject_cast<QValueAxis*>(rateAxis(RdChartView::Metric::MPsnr));
    QVERIFY(linear);
    QCOMPARE(linear->min(), 0.0);
    QVERIFY(linear->max() >= 16.0);
    QCOMPARE(chart.curvePoints("jpeg", RdChartView::Metric::MPsnr).size(), std::size_t(4));
    for (QAbstractSeries* s : chart.metricChart(RdChartView::Metric::MPsnr)->series())
        QVERIFY(s->attachedAxes().contains(linear));
    chart.setLogRateAxis(true);
    QVERIFY(qobject_cast<QLogValueAxis*>(rateAxis(RdChartView::Metric::Ssim)));
}

void TestWorkspaceWidgets::rdChartLegendKeepsFullNames() {
    // Long (translated) names in a chart of the app's size: every legend label is drawn in full.
    RdChartView chart;
    chart.resize(1100, 650);
    const QStringList names = {"Learned VAE (hyperprior)", "Overfitted neural (per map)", "Learned autoencoder",
                               "OpenEXR DWAB", "JPEG 2000"};
    const QStringList ids = {"vae", "overfit", "ae", "exr", "j2k"};
    for (int i = 0; i < ids.size(); ++i) chart.setCodec(ids[i], names[i]);
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    QTest::qWait(50);
    // One shared legend: the charts' own legends are hidden, and every name is laid out whole inside it.
    for (RdChartView::Metric m : {RdChartView::Metric::MPsnr, RdChartView::Metric::Ssim})
        QVERIFY(!chart.metricChart(m)->legend()->isVisible());
    const QFontMetrics fm(chart.legendWidget()->font());
    const auto items = chart.legendItems();
    QCOMPARE(int(items.size()), names.size());
    for (const auto& [name, r] : items) {
        QVERIFY2(names.contains(name), qPrintable(name));
        QVERIFY(r.width() >= fm.horizontalAdvance(name));
        QVERIFY2(chart.legendWidget()->rect().contains(r), qPrintable(name));
    }
    // A narrow chart wraps the legend onto more lines instead of eliding.
    chart.resize(420, 650);
    QTest::qWait(50);
    for (const auto& [name, r] : chart.legendItems())
        QVERIFY2(chart.legendWidget()->rect().contains(r), qPrintable(name));
}

void TestWorkspaceWidgets::rdChartTooltipAndClick() {
    RdChartView chart;
    chart.resize(1000, 600);
    chart.setCodec("avif", "AVIF");
    // Given out of bpp order: indices refer to this vector.
    std::vector<RdPoint> pts{{2.0, 44.0, 0.995, NAN, "quality 80"},
                             {0.25, 30.0, 0.95, NAN, "quality 20"},
                             {0.8, 38.0, 0.98, NAN, "quality 50"}};
    chart.setCurve("avif", pts);
    const QString tip = chart.pointToolTip("avif", RdChartView::Metric::MPsnr, 2);
    QVERIFY(tip.contains("AVIF"));
    QVERIFY(tip.contains("quality 50"));
    QVERIFY(tip.contains(QLocale().toString(0.8, 'f', 3)));
    QVERIFY(tip.contains(QLocale().toString(38.0, 'f', 2)));
    QVERIFY(chart.pointToolTip("avif", RdChartView::Metric::Ssim, 0)
                .contains(QLocale().toString(ssimDecibels(0.995), 'f', 2)));
    QVERIFY(chart.pointToolTip("avif", RdChartView::Metric::MPsnr, 7).isEmpty());
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    QTest::qWait(50);
    QSignalSpy clicked(&chart, &RdChartView::pointClicked);
    for (int index : {2, 1}) {
        const auto pos = chart.pointPosition("avif", RdChartView::Metric::MPsnr, index);
        QVERIFY(pos);
        QChartView* view = chart.metricView(RdChartView::Metric::MPsnr);
        QVERIFY(view->viewport()->rect().contains(*pos));
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, *pos);
        QTRY_VERIFY(!clicked.isEmpty());
        QCOMPARE(clicked.last().at(0).toString(), QString("avif"));
        QCOMPARE(clicked.last().at(1).toInt(), index);
        clicked.clear();
    }
}

void TestWorkspaceWidgets::rdChartTargetLine() {
    RdChartView chart;
    chart.setCodec("jxl", "JPEG XL");
    chart.setCurve("jxl", {{0.5, 30.0, 0.95}, {2.0, 40.0, 0.99}});
    QVERIFY(chart.targetLine(RdChartView::Metric::MPsnr).empty());
    chart.setTarget({RdChartView::Target::Kind::Rate, RdChartView::Metric::MPsnr, 1.0});
    for (RdChartView::Metric m : {RdChartView::Metric::MPsnr, RdChartView::Metric::Ssim}) {
        const auto line = chart.targetLine(m);
        QCOMPARE(line.size(), std::size_t(2));
        QCOMPARE(line[0].x(), 1.0);
        QCOMPARE(line[1].x(), 1.0);
        QVERIFY(line[0].y() < line[1].y());
    }
    // A quality target is a horizontal line on its own metric's chart only; the axis reaches it.
    chart.setTarget({RdChartView::Target::Kind::Quality, RdChartView::Metric::Ssim, 25.0});
    QVERIFY(chart.targetLine(RdChartView::Metric::MPsnr).empty());
    const auto line = chart.targetLine(RdChartView::Metric::Ssim);
    QCOMPARE(line.size(), std::size_t(2));
    QCOMPARE(line[0].y(), 25.0);
    QCOMPARE(line[1].y(), 25.0);
    QVERIFY(line[0].x() < 0.5 && line[1].x() > 2.0);
    auto* axis = qobject_cast<QValueAxis*>(chart.metricChart(RdChartView::Metric::Ssim)->axes(Qt::Vertical).front());
    QVERIFY(axis->max() >= 25.0);
    chart.setTarget({});
    QVERIFY(chart.targetLine(RdChartView::Metric::Ssim).empty());
}

void TestWorkspaceWidgets::metricsPanelShowsGpuMemory() {
    MetricsPanel panel;
    MetricsValues v;
    v.bytes = 490000;
    v.bitsPerTexel = 3.74;
    panel.setValues(v);
    QVERIFY(!panel.valueText(MetricsPanel::Bitrate).contains(QStringLiteral("GPU")));
    v.gpuBitsPerTexel = 8.0;  // BC6H in a zstd package: 3.74 bpp on disk, 8 in GPU memory
    panel.setValues(v);
    const QString text = panel.valueText(MetricsPanel::Bitrate);
    QVERIFY2(text.contains(QLocale().toString(3.74, 'f', 3)) && text.contains(QLocale().toString(8.0, 'f', 2)) &&
                 text.contains(QStringLiteral("GPU")),
             qPrintable(text));
}

QTEST_MAIN(TestWorkspaceWidgets)
#include "tst_workspace_widgets.moc"
