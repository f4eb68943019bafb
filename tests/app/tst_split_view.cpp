// SplitView: divider position math, dragging, A/B flip (method, signal, keys), nearest-neighbour magnification
// with exact texel colours on screen, zoom about an anchor, and re-tone-mapping of float sides on exposure change.
#include <QSignalSpy>
#include <QTest>

#include <cmath>
#include <vector>

#include "widgets/split_view.h"

using namespace lmc;
using Side = SplitView::Side;

namespace {

QImage solid(int w, int h, QRgb colour) {
    QImage img(w, h, QImage::Format_RGB32);
    img.fill(colour);
    return img;
}

// 2 x 2 texels: red, green / blue, yellow.
QImage quad() {
    QImage img(2, 2, QImage::Format_RGB32);
    img.setPixel(0, 0, qRgb(255, 0, 0));
    img.setPixel(1, 0, qRgb(0, 255, 0));
    img.setPixel(0, 1, qRgb(0, 0, 255));
    img.setPixel(1, 1, qRgb(255, 255, 0));
    return img;
}

}  // namespace

class TestSplitView : public QObject {
    Q_OBJECT
private slots:
    void dividerMath();
    void dividerFollowsWidgetSize();
    void dragMovesDivider();
    void flipSwapsSides();
    void nearestNeighbourTexels();
    void minificationIsSmooth();
    void hoverReportsTexel();
    void zoomKeepsAnchorTexel();
    void zoomKeysAndWheel();
    void exposureRetonemapsFloatSides();
};

void TestSplitView::dividerMath() {
    QCOMPARE(SplitView::fractionForX(300, 600), 0.5);
    QCOMPARE(SplitView::fractionForX(-40, 600), 0.0);
    QCOMPARE(SplitView::fractionForX(900, 600), 1.0);
    QCOMPARE(SplitView::fractionForX(150, 600), 0.25);
    QCOMPARE(SplitView::fractionForX(10, 0), 0.5);  // no width yet: centre
    QCOMPARE(SplitView::xForFraction(0.25, 600), 150);
    QCOMPARE(SplitView::xForFraction(1.7, 600), 600);
    QCOMPARE(SplitView::xForFraction(-1.0, 600), 0);
    QCOMPARE(SplitView::xForFraction(1.0 / 3.0, 100), 33);
}

void TestSplitView::dividerFollowsWidgetSize() {
    SplitView view;
    view.resize(600, 400);
    view.setImage(Side::A, solid(8, 8, qRgb(10, 20, 30)));
    QSignalSpy moved(&view, &SplitView::dividerMoved);
    view.setDividerFraction(0.25);
    QCOMPARE(moved.count(), 1);
    QCOMPARE(moved.takeFirst().at(0).toDouble(), 0.25);
    QCOMPARE(view.dividerX(), 150);
    QVERIFY(view.isNearDivider(QPointF(153, 10)));
    QVERIFY(view.isNearDivider(QPointF(145, 10)));
    QVERIFY(!view.isNearDivider(QPointF(160, 10)));
    QCOMPARE(view.sideAt(QPointF(100, 10)), Side::A);
    QCOMPARE(view.sideAt(QPointF(200, 10)), Side::B);
    view.resize(1000, 400);  // the divider keeps its fraction, not its pixel position
    QCOMPARE(view.dividerX(), 250);
    view.setDividerFraction(std::nan(""));  // ignored
    QCOMPARE(view.dividerFraction(), 0.25);
    view.setDividerFraction(3.0);
    QCOMPARE(view.dividerFraction(), 1.0);
}

void TestSplitView::dragMovesDivider() {
    SplitView view;
    view.resize(600, 400);
    view.setImage(Side::A, solid(8, 8, qRgb(200, 0, 0)));
    view.setImage(Side::B, solid(8, 8, qRgb(0, 0, 200)));
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QCOMPARE(view.dividerX(), 300);
    QTest::mousePress(&view, Qt::LeftButton, Qt::NoModifier, QPoint(302, 200));
    QTest::mouseMove(&view, QPoint(450, 200));
    QTest::mouseRelease(&view, Qt::LeftButton, Qt::NoModifier, QPoint(450, 200));
    QCOMPARE(view.dividerFraction(), 0.75);
    // A press away from the divider pans instead and leaves it alone.
    const double zoomBefore = view.zoom();
    const QPointF texelBefore = view.widgetToImage(QPointF(100, 100));
    QTest::mousePress(&view, Qt::LeftButton, Qt::NoModifier, QPoint(100, 100));
    QTest::mouseMove(&view, QPoint(130, 110));
    QTest::mouseRelease(&view, Qt::LeftButton, Qt::NoModifier, QPoint(130, 110));
    QCOMPARE(view.dividerFraction(), 0.75);
    QCOMPARE(view.zoom(), zoomBefore);
    QCOMPARE(view.widgetToImage(QPointF(130, 110)), texelBefore);
}

void TestSplitView::flipSwapsSides() {
    SplitView view;
    view.resize(400, 300);
    view.setImage(Side::A, solid(4, 4, qRgb(255, 0, 0)));
    view.setImage(Side::B, solid(4, 4, qRgb(0, 0, 255)));
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QSignalSpy flipped(&view, &SplitView::flippedChanged);

    auto colourAt = [&](int x, int y) { return QColor(view.grab().toImage().pixel(x, y)); };
    QCOMPARE(colourAt(100, 250), QColor(255, 0, 0));
    QCOMPARE(colourAt(300, 250), QColor(0, 0, 255));

    view.flip();
    QCOMPARE(flipped.count(), 1);
    QVERIFY(view.isFlipped());
    QCOMPARE(view.leftSide(), Side::B);
    QCOMPARE(view.sideAt(QPointF(100, 10)), Side::B);
    QCOMPARE(view.dividerX(), 200);  // the divider stays where it was
    QCOMPARE(colourAt(100, 250), QColor(0, 0, 255));
    QCOMPARE(colourAt(300, 250), QColor(255, 0, 0));

    QTest::keyClick(&view, Qt::Key_F);
    QVERIFY(!view.isFlipped());
    QTest::keyClick(&view, Qt::Key_Space);
    QVERIFY(view.isFlipped());
    QCOMPARE(flipped.count(), 3);
    view.setFlipped(true);  // no change, no signal
    QCOMPARE(flipped.count(), 3);
}

void TestSplitView::nearestNeighbourTexels() {
    SplitView view;
    view.resize(400, 400);
    view.setImage(Side::A, quad());
    view.setImage(Side::B, solid(2, 2, qRgb(0, 0, 0)));
    view.setDividerFraction(1.0);  // all A
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QVERIFY(view.isFitMode());
    QCOMPARE(view.zoom(), 200.0);  // 2 texels fill 400 pixels
    QCOMPARE(view.texelAt(QPointF(199.5, 250)), QPoint(0, 1));
    QCOMPARE(view.texelAt(QPointF(200.5, 250)), QPoint(1, 1));
    QCOMPARE(view.texelAt(QPointF(-1, 250)), QPoint(-1, -1));

    QImage shot = view.grab().toImage();
    // Every pixel of a texel's 200 x 200 block has exactly the texel's colour, right up to the block edge: no
    // interpolation blends neighbours (rows below the labels, away from the zoom readout).
    for (int x : {2, 100, 198, 199}) QCOMPARE(QColor(shot.pixel(x, 300)), QColor(0, 0, 255));
    for (int x : {200, 201, 300}) QCOMPARE(QColor(shot.pixel(x, 300)), QColor(255, 255, 0));
    QCOMPARE(QColor(shot.pixel(250, 190)), QColor(0, 255, 0));
    QCOMPARE(QColor(shot.pixel(250, 199)), QColor(0, 255, 0));
    QCOMPARE(QColor(shot.pixel(250, 200)), QColor(255, 255, 0));

    view.setDividerFraction(0.5);  // B (black) on the right half now
    shot = view.grab().toImage();
    QCOMPARE(QColor(shot.pixel(100, 300)), QColor(0, 0, 255));
    QCOMPARE(QColor(shot.pixel(300, 300)), QColor(0, 0, 0));
}

void TestSplitView::minificationIsSmooth() {
    // A one-texel black/white checkerboard shown at 1/4 size averages to mid grey instead of aliasing.
    QImage checker(400, 400, QImage::Format_RGB32);
    for (int y = 0; y < 400; ++y)
        for (int x = 0; x < 400; ++x) checker.setPixel(x, y, (x + y) % 2 ? qRgb(255, 255, 255) : qRgb(0, 0, 0));
    SplitView view;
    view.resize(100, 100);
    view.setImage(Side::A, checker);
    view.setDividerFraction(1.0);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QCOMPARE(view.zoom(), 0.25);
    const QImage shot = view.grab().toImage();
    for (QPoint p : {QPoint(30, 50), QPoint(60, 60), QPoint(45, 70)}) {
        const int grey = qGray(shot.pixel(p));
        QVERIFY2(grey > 100 && grey < 156, qPrintable(QString::number(grey)));
    }
}

void TestSplitView::hoverReportsTexel() {
    SplitView view;
    view.resize(400, 200);
    view.setImage(Side::A, solid(4, 2, qRgb(0, 0, 0)));  // zoom 100: texel (i, j) covers [100i, 100i+100)
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QSignalSpy hovered(&view, &SplitView::texelHovered);
    QTest::mouseMove(&view, QPoint(250, 150));
    QCOMPARE(hovered.count(), 1);
    QCOMPARE(hovered.at(0).at(0).toPoint(), QPoint(2, 1));
    QTest::mouseMove(&view, QPoint(260, 160));  // same texel: no new signal
    QCOMPARE(hovered.count(), 1);
    QTest::mouseMove(&view, QPoint(50, 20));
    QCOMPARE(hovered.count(), 2);
    QCOMPARE(hovered.at(1).at(0).toPoint(), QPoint(0, 0));
}

void TestSplitView::zoomKeepsAnchorTexel() {
    SplitView view;
    view.resize(500, 300);
    view.setImage(Side::A, solid(100, 60, qRgb(1, 2, 3)));
    const QPointF anchor(123, 77);
    const QPointF texel = view.widgetToImage(anchor);
    view.setZoom(view.zoom() * 4.0, anchor);
    QVERIFY(!view.isFitMode());
    const QPointF after = view.widgetToImage(anchor);
    QVERIFY(std::abs(after.x() - texel.x()) < 1e-9 && std::abs(after.y() - texel.y()) < 1e-9);
    view.setZoom(1e9, anchor);
    QCOMPARE(view.zoom(), SplitView::kMaxZoom);
    view.fitToWindow();
    QCOMPARE(view.zoom(), 5.0);  // 100 x 60 into 500 x 300
    QCOMPARE(view.imageToWidget(QPointF(0, 0)), QPointF(0, 0));
}

void TestSplitView::zoomKeysAndWheel() {
    // The keys and wheel steps of widgets/zoom_controls.h (shared with the tile grid).
    SplitView view;
    view.resize(500, 300);
    view.setImage(Side::A, solid(100, 60, qRgb(1, 2, 3)));
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QTest::keyClick(&view, Qt::Key_1);
    QCOMPARE(view.zoom(), 1.0);
    QTest::keyClick(&view, Qt::Key_Plus);
    QCOMPARE(view.zoom(), 1.25);
    QTest::keyClick(&view, Qt::Key_Equal);
    QCOMPARE(view.zoom(), 1.25 * 1.25);
    QTest::keyClick(&view, Qt::Key_Minus);
    QCOMPARE(view.zoom(), 1.25);
    QTest::keyClick(&view, Qt::Key_0);
    QCOMPARE(view.zoom(), 5.0);  // fit: 100 x 60 into 500 x 300
    QVERIFY(view.isFitMode());
    // Two wheel notches in about a texel: it stays under the cursor.
    const QPointF cursor(200, 100);
    const QPointF texel = view.widgetToImage(cursor);
    QWheelEvent wheel(cursor, view.mapToGlobal(cursor), QPoint(), QPoint(0, 240), Qt::NoButton, Qt::NoModifier,
                      Qt::NoScrollPhase, false);
    QApplication::sendEvent(&view, &wheel);
    QVERIFY(wheel.isAccepted());
    QCOMPARE(view.zoom(), 5.0 * 1.25 * 1.25);
    const QPointF after = view.widgetToImage(cursor);
    QVERIFY(std::abs(after.x() - texel.x()) < 1e-9 && std::abs(after.y() - texel.y()) < 1e-9);
}

void TestSplitView::exposureRetonemapsFloatSides() {
    SplitView view;
    view.resize(200, 200);
    auto rgb = std::shared_ptr<float>(new float[4 * 4 * 3], std::default_delete<float[]>());
    for (int i = 0; i < 48; ++i) rgb.get()[i] = 0.25f;
    view.setFloatImage(Side::A, FloatRgbImage{4, 4, 12, rgb, nullptr});
    QCOMPARE(view.displayedImage(Side::A).pixel(1, 1), qRgb(137, 137, 137));
    view.setExposure(1.0);
    QCOMPARE(view.displayedImage(Side::A).pixel(1, 1), qRgb(188, 188, 188));
    view.setImage(Side::B, solid(4, 4, qRgb(9, 9, 9)));  // 8-bit sides are not re-mapped
    view.setExposure(-2.0);
    QCOMPARE(view.displayedImage(Side::A).pixel(1, 1),
             qRgb(toneMapValue(0.25f, -2.0), toneMapValue(0.25f, -2.0), toneMapValue(0.25f, -2.0)));
    QCOMPARE(view.displayedImage(Side::B).pixel(1, 1), qRgb(9, 9, 9));
    view.setLabel(Side::B, QStringLiteral("B: test"));
    QCOMPARE(view.label(Side::B), QStringLiteral("B: test"));
    view.setBusy(Side::B, true);
    QVERIFY(view.isBusy(Side::B));
    view.clearSide(Side::A);
    QVERIFY(!view.hasImage(Side::A));
}

QTEST_MAIN(TestSplitView)
#include "tst_split_view.moc"
