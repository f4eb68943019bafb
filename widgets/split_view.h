// SplitView: two images of the same scene (A = reference, B = test) shown on either side of a draggable vertical
// divider, at one shared zoom and pan, so a texel of A sits exactly where the same texel of B would.
//
// Each side holds either an 8-bit QImage (shown as is) or HDR float RGB (tone-mapped here at the view's exposure;
// a new exposure re-maps both float sides; texels a float side's coverage mask marks uncovered are dimmed, so
// give both sides the reference's mask to compare like with like). Magnification is nearest-neighbour so individual
// texels stay visible; minification is smooth. Mouse: drag the divider, drag elsewhere (or middle-drag) to pan, wheel
// to zoom about the cursor, double-click to fit. Keys: F or Space flips which image is on the left (the divider stays),
// 0 fits, 1 shows texels 1:1, +/- zoom. Each side carries a label and an optional busy spinner (e.g. "being encoded").
//
// Flicker mode (A/B toggle) shows one whole image at a time instead of the divider, so a change between the two is
// seen as motion rather than searched for across a line: F or Space toggles which one is shown, and auto flicker
// toggles every kAutoFlickerMs (the eye sees differences best at a few hertz).
//
// Geometry: the divider sits at dividerFraction() * width() (clamped to [0, 1]); the image transform maps texel
// (u, v) to widget (offset + zoom * (u, v)). Both are exposed (dividerX, fractionForX, imageToWidget,
// widgetToImage, sideAt) so tests and other workspaces (grids, heatmaps) reuse the same math.
//
// Threading: GUI thread only. Errors: none; null images simply show the placeholder text.
#pragma once

#include <QImage>
#include <QPointF>
#include <QString>
#include <QTimer>
#include <QWidget>

#include "widgets/tone_map.h"

namespace lmc {

class SplitView : public QWidget {
    Q_OBJECT
public:
    enum class Side { A = 0, B = 1 };
    Q_ENUM(Side)

    explicit SplitView(QWidget* parent = nullptr);

    void setImage(Side side, const QImage& image);
    void setFloatImage(Side side, const FloatRgbImage& image);
    void clearSide(Side side);
    bool hasImage(Side side) const { return !sides_[index(side)].display.isNull(); }
    // What is painted for a side (the tone-mapped image for float sides).
    QImage displayedImage(Side side) const { return sides_[index(side)].display; }
    FloatRgbImage floatImage(Side side) const { return sides_[index(side)].hdr; }
    // Size of the larger of the two images; the view's geometry is defined on it.
    QSize imageSize() const;

    void setLabel(Side side, const QString& text);
    QString label(Side side) const { return sides_[index(side)].label; }
    void setBusy(Side side, bool busy);
    bool isBusy(Side side) const { return sides_[index(side)].busy; }
    void setPlaceholderText(const QString& text);

    double exposure() const { return exposureEv_; }
    // Float sides with a coverage mask show uncovered texels dimmed (default on); see ToneMapOptions.
    void setDimUncovered(bool dim);
    bool dimUncovered() const { return dimUncovered_; }
    // Tone curve, false colour and channel for float sides (exposure and dimming are set separately above).
    void setToneCurve(ToneCurve curve, bool falseColour);
    void setChannel(ToneChannel channel);
    ToneMapOptions toneMapOptions() const {
        return ToneMapOptions{exposureEv_, 0, dimUncovered_, curve_, falseColour_, channel_};
    }
    // Milliseconds the last tone mapping took (both float sides), for diagnostics.
    double lastToneMapMs() const { return lastToneMapMs_; }

    // Divider.
    double dividerFraction() const { return dividerFraction_; }
    int dividerX() const;
    static double fractionForX(double x, int widgetWidth);
    static int xForFraction(double fraction, int widgetWidth);
    bool isNearDivider(const QPointF& widgetPos) const;
    // Side whose image is visible at a widget position (left of the divider: A unless flipped).
    Side sideAt(const QPointF& widgetPos) const;
    Side leftSide() const { return flipped_ ? Side::B : Side::A; }
    bool isFlipped() const { return flipped_; }

    // View transform.
    double zoom() const { return zoom_; }
    bool isFitMode() const { return fitMode_; }
    QPointF imageToWidget(const QPointF& texel) const { return offset_ + texel * zoom_; }
    QPointF widgetToImage(const QPointF& widgetPos) const { return (widgetPos - offset_) / zoom_; }
    // Integer texel under a widget position, or (-1, -1) outside the image.
    QPoint texelAt(const QPointF& widgetPos) const;
    static constexpr double kMinZoom = 1.0 / 64.0;
    static constexpr double kMaxZoom = 256.0;
    static constexpr int kAutoFlickerMs = 250;  // two A/B cycles per second
    // The texel (continuous) at the centre of the view; the window keeps it when switching views.
    QPointF centreTexel() const { return widgetToImage(QPointF(width() / 2.0, height() / 2.0)); }

    // Flicker (A/B toggle): the whole view shows flickerSide() only.
    bool isFlickerMode() const { return flicker_; }
    Side flickerSide() const { return flickerSide_; }
    bool isAutoFlicker() const { return flickerTimer_.isActive(); }

    QSize sizeHint() const override { return {800, 600}; }
    QSize minimumSizeHint() const override { return {160, 120}; }

public slots:
    void setExposure(double ev);
    void setDividerFraction(double fraction);
    void setFlipped(bool flipped);
    // Swaps the sides of the divider; in flicker mode toggles the shown image instead.
    void flip() {
        if (flicker_)
            toggleFlickerSide();
        else
            setFlipped(!flipped_);
    }
    void fitToWindow();
    void zoomToActualSize();
    void zoomIn() { zoomBy(1.25, QPointF(width() / 2.0, height() / 2.0)); }
    void zoomOut() { zoomBy(1.0 / 1.25, QPointF(width() / 2.0, height() / 2.0)); }
    // Zoom to `zoom` keeping the texel under `anchor` (widget coordinates) in place.
    void setZoom(double zoom, const QPointF& anchor);
    void panBy(const QPointF& delta);
    // Shows `texel` at the centre of the view at `zoom` (clamped).
    void showTexelAt(double zoom, const QPointF& texel);
    void setFlickerMode(bool on);
    void setFlickerSide(Side side);
    void toggleFlickerSide();
    // Toggles the shown side every kAutoFlickerMs while on (and turns flicker mode on).
    void setAutoFlicker(bool on);

signals:
    void dividerMoved(double fraction);
    void flippedChanged(bool flipped);
    void zoomChanged(double zoom);
    void flickerChanged(bool on, lmc::SplitView::Side shown);
    void texelHovered(const QPoint& texel);  // (-1, -1) when the cursor leaves the image
    // Emitted at the end of every paint; lets callers measure "value changed -> pixels on screen".
    void painted();

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void leaveEvent(QEvent* event) override;

private:
    struct SideState {
        QImage display;     // what is painted
        FloatRgbImage hdr;  // source of `display` when the side is HDR
        QString label;
        bool busy = false;
        // Smoothly minified copy of `display` for zoom < 1, rebuilt when the image or the zoom changes, so paints
        // during divider drags and pans only copy pixels instead of resampling the whole image every time.
        mutable QImage minified;
        mutable qint64 minifiedKey = 0;
    };
    enum class Drag { None, Divider, Pan };

    static int index(Side side) { return side == Side::A ? 0 : 1; }
    void zoomBy(double factor, const QPointF& anchor);
    void applyFit();
    void clampOffset();
    void retoneMap();
    void updateSpinner();
    void paintSide(QPainter& painter, const SideState& side, const QRect& clip);
    void paintLabel(QPainter& painter, const SideState& side, bool leftHalf, int dividerX);

    SideState sides_[2];
    QString placeholder_;
    double exposureEv_ = 0.0;
    bool dimUncovered_ = true;
    ToneCurve curve_ = ToneCurve::Srgb;
    bool falseColour_ = false;
    ToneChannel channel_ = ToneChannel::Rgb;
    bool flicker_ = false;
    Side flickerSide_ = Side::A;
    QTimer flickerTimer_;
    double lastToneMapMs_ = 0.0;
    double dividerFraction_ = 0.5;
    bool flipped_ = false;
    double zoom_ = 1.0;
    QPointF offset_;
    bool fitMode_ = true;
    Drag drag_ = Drag::None;
    QPointF dragStart_;
    QPointF offsetAtDragStart_;
    QPoint lastHovered_{-1, -1};
    QTimer spinnerTimer_;
    int spinnerAngle_ = 0;
};

}  // namespace lmc
