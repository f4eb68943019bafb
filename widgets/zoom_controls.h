// Keyboard and wheel zoom shared by the zoomable image views (SplitView, TileGridView), so both answer the same
// keys the same way: 0 fits the view, 1 shows texels at 1:1, + / = zoom in, - zooms out; the wheel zooms by 1.25
// per notch. Header-only; no state. Threading: GUI thread, as the views. Errors: none.
#pragma once

#include <QKeyEvent>
#include <QWheelEvent>

#include <cmath>

namespace lmc {

// Runs the zoom action of `key` on `view` (which has fitToWindow, zoomToActualSize, zoomIn, zoomOut); false when
// the key is not a zoom key.
template <typename View>
bool applyZoomKey(View& view, int key) {
    switch (key) {
        case Qt::Key_0:
            view.fitToWindow();
            return true;
        case Qt::Key_1:
            view.zoomToActualSize();
            return true;
        case Qt::Key_Plus:
        case Qt::Key_Equal:
            view.zoomIn();
            return true;
        case Qt::Key_Minus:
            view.zoomOut();
            return true;
        default:
            return false;
    }
}

// The zoom factor of a wheel event: 1.25 per notch, 1 when the wheel did not turn vertically.
inline double wheelZoomFactor(const QWheelEvent* event) {
    return std::pow(1.25, event->angleDelta().y() / 120.0);
}

}  // namespace lmc
