// WheelGuard: a wheel turn over a slider, combo box or spin box that has no focus leaves its value alone and scrolls
// the panel around it; with focus, the wheel changes the control as before.
#include <QApplication>
#include <QComboBox>
#include <QScrollArea>
#include <QScrollBar>
#include <QSlider>
#include <QSpinBox>
#include <QTest>
#include <QVBoxLayout>
#include <QWheelEvent>

#include "widgets/wheel_guard.h"

using namespace lmc;

namespace {

// One notch down over the centre of `w` (delivered as the window system would: to the widget under the cursor).
void turnWheel(QWidget* w) {
    const QPointF local(w->width() / 2.0, w->height() / 2.0);
    QWheelEvent event(local, w->mapToGlobal(local), QPoint(), QPoint(0, -120), Qt::NoButton, Qt::NoModifier,
                      Qt::NoScrollPhase, false);
    QApplication::sendEvent(w, &event);
}

}  // namespace

class TestWheelGuard : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QVERIFY(WheelGuard::installOnApplication() == WheelGuard::installOnApplication()); }
    void wheelWithoutFocusScrollsThePanel();
    void wheelWithFocusChangesTheControl();
};

void TestWheelGuard::wheelWithoutFocusScrollsThePanel() {
    QScrollArea area;
    auto* panel = new QWidget;
    auto* layout = new QVBoxLayout(panel);
    auto* slider = new QSlider(Qt::Horizontal);
    slider->setRange(0, 100);
    slider->setValue(50);
    auto* combo = new QComboBox;
    combo->addItems({"4x4", "6x6", "8x8", "12x12"});
    combo->setCurrentIndex(2);
    auto* spin = new QSpinBox;
    spin->setRange(0, 100);
    spin->setValue(50);
    auto* other = new QSlider(Qt::Horizontal);  // holds the focus
    layout->addWidget(other);
    layout->addWidget(slider);
    layout->addWidget(combo);
    layout->addWidget(spin);
    for (int i = 0; i < 40; ++i) layout->addWidget(new QSlider(Qt::Horizontal));  // tall enough to scroll
    area.setWidget(panel);
    area.resize(300, 200);
    area.show();
    QVERIFY(QTest::qWaitForWindowExposed(&area));
    QApplication::setActiveWindow(&area);
    other->setFocus();
    QTRY_VERIFY(other->hasFocus());
    QCOMPARE(slider->focusPolicy(), Qt::StrongFocus);  // the wheel is no way to focus a control

    const int scrolled = area.verticalScrollBar()->value();
    turnWheel(slider);
    turnWheel(combo);
    turnWheel(spin->findChild<QWidget*>() ? spin->findChild<QWidget*>() : spin);
    QCOMPARE(slider->value(), 50);
    QCOMPARE(combo->currentIndex(), 2);
    QCOMPARE(spin->value(), 50);
    QVERIFY(other->hasFocus());
    QVERIFY(area.verticalScrollBar()->value() > scrolled);  // the panel scrolled instead
}

void TestWheelGuard::wheelWithFocusChangesTheControl() {
    QWidget window;
    auto* layout = new QVBoxLayout(&window);
    auto* slider = new QSlider(Qt::Horizontal);
    slider->setRange(0, 100);
    slider->setValue(50);
    auto* combo = new QComboBox;
    combo->addItems({"4x4", "6x6", "8x8", "12x12"});
    combo->setCurrentIndex(1);
    layout->addWidget(slider);
    layout->addWidget(combo);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QApplication::setActiveWindow(&window);
    slider->setFocus();
    QTRY_VERIFY(slider->hasFocus());
    turnWheel(slider);
    QVERIFY(slider->value() != 50);
    combo->setFocus();
    QTRY_VERIFY(combo->hasFocus());
    turnWheel(combo);
    QVERIFY(combo->currentIndex() != 1);
}

QTEST_MAIN(TestWheelGuard)
#include "tst_wheel_guard.moc"
