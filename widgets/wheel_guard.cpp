#include "widgets/wheel_guard.h"

#include <QAbstractScrollArea>
#include <QAbstractSlider>
#include <QAbstractSpinBox>
#include <QApplication>
#include <QComboBox>
#include <QPointer>
#include <QScrollBar>
#include <QWheelEvent>

namespace lmc {
namespace {

// Scroll bars are sliders too, but the wheel is how they are meant to move (a scroll area hands its turns to them).
bool isValueControl(const QWidget* w) {
    if (qobject_cast<const QScrollBar*>(w)) return false;
    return qobject_cast<const QAbstractSlider*>(w) || qobject_cast<const QComboBox*>(w) ||
           qobject_cast<const QAbstractSpinBox*>(w);
}

// The value control an event target belongs to (a spin box's line edit is its child).
QWidget* valueControl(QObject* watched) {
    for (auto* w = qobject_cast<QWidget*>(watched); w; w = w->parentWidget()) {
        if (isValueControl(w)) return w;
        if (w->isWindow()) break;
    }
    return nullptr;
}

}  // namespace

WheelGuard::WheelGuard(QObject* parent) : QObject(parent) {}

WheelGuard* WheelGuard::installOnApplication() {
    static QPointer<WheelGuard> guard;
    if (!guard && qApp) {
        guard = new WheelGuard(qApp);
        qApp->installEventFilter(guard);
    }
    return guard;
}

bool WheelGuard::eventFilter(QObject* watched, QEvent* event) {
    if (event->type() == QEvent::Polish) {
        // Sliders and spin boxes take wheel focus by default; the wheel must not be a way in.
        if (auto* w = qobject_cast<QWidget*>(watched); w && isValueControl(w) && (w->focusPolicy() & Qt::WheelFocus))
            w->setFocusPolicy(Qt::StrongFocus);
        return false;
    }
    if (event->type() != QEvent::Wheel) return false;
    QWidget* control = valueControl(watched);
    if (!control || control->hasFocus() || (control->focusProxy() && control->focusProxy()->hasFocus())) return false;
    // Hand the turn to the nearest scroll area around the control, so the panel scrolls as the user meant.
    for (QWidget* w = control->parentWidget(); w; w = w->parentWidget()) {
        if (auto* area = qobject_cast<QAbstractScrollArea*>(w)) {
            auto* wheel = static_cast<QWheelEvent*>(event);
            const QPointF global = wheel->globalPosition();
            QWheelEvent forwarded(area->viewport()->mapFromGlobal(global), global, wheel->pixelDelta(),
                                  wheel->angleDelta(), wheel->buttons(), wheel->modifiers(), wheel->phase(),
                                  wheel->inverted(), wheel->source());
            QCoreApplication::sendEvent(area->viewport(), &forwarded);
            break;
        }
        if (w->isWindow()) break;
    }
    return true;
}

}  // namespace lmc
