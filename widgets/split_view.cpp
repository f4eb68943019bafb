#include "widgets/split_view.h"

#include <QElapsedTimer>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

#include "widgets/zoom_controls.h"

namespace lmc {
namespace {

constexpr int kDividerGrab = 6;  // pixels either side of the divider that grab it
constexpr int kLabelMargin = 8;
constexpr int kSpinnerSize = 14;
constexpr int kKeepVisible = 48;  // pixels of the image that panning always leaves on screen
const QColor kBackground(0x26, 0x27, 0x2b);

}  // namespace

SplitView::SplitView(QWidget* parent) : QWidget(parent) {
    setMouseTracking(true);
    setFocusPolicy(Qt::StrongFocus);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    spinnerTimer_.setInterval(60);
    connect(&spinnerTimer_, &QTimer::timeout, this, [this] {
        spinnerAngle_ = (spinnerAngle_ + 30) % 360;
        update(QRect(0, 0, width(), kLabelMargin + 2 * kSpinnerSize + 16));  // the label row only
    });
    flickerTimer_.setInterval(kAutoFlickerMs);
    connect(&flickerTimer_, &QTimer::timeout, this, &SplitView::toggleFlickerSide);
}

void SplitView::setFlickerMode(bool on) {
    if (!on) flickerTimer_.stop();
    if (on == flicker_) return;
    flicker_ = on;
    update();
    emit flickerChanged(flicker_, flickerSide_);
}

void SplitView::setFlickerSide(Side side) {
    if (side == flickerSide_) return;
    flickerSide_ = side;
    update();
    emit flickerChanged(flicker_, flickerSide_);
}

void SplitView::toggleFlickerSide() {
    setFlickerSide(flickerSide_ == Side::A ? Side::B : Side::A);
}

void SplitView::setAutoFlicker(bool on) {
    if (on) {
        setFlickerMode(true);
        flickerTimer_.start();
    } else {
        flickerTimer_.stop();
    }
}

void SplitView::setImage(Side side, const QImage& image) {
    const QSize before = imageSize();
    SideState& s = sides_[index(side)];
    s.hdr = {};
    s.display = image.format() == QImage::Format_RGB32 || image.format() == QImage::Format_ARGB32_Premultiplied
                    ? image
                    : image.convertToFormat(QImage::Format_ARGB32_Premultiplied);
    if (imageSize() != before) fitMode_ = true;
    if (fitMode_) applyFit();
    update();
}

void SplitView::setFloatImage(Side side, const FloatRgbImage& image) {
    const QSize before = imageSize();
    SideState& s = sides_[index(side)];
    QElapsedTimer timer;
    timer.start();
    s.hdr = image;
    s.display = toneMap(image, toneMapOptions());
    lastToneMapMs_ = double(timer.nsecsElapsed()) / 1e6;
    if (imageSize() != before) fitMode_ = true;
    if (fitMode_) applyFit();
    update();
}

void SplitView::clearSide(Side side) {
    SideState& s = sides_[index(side)];
    s.hdr = {};
    s.display = {};
    update();
}

QSize SplitView::imageSize() const {
    QSize size;
    for (const auto& s : sides_)
        if (!s.display.isNull()) size = size.expandedTo(s.display.size());
    return size;
}

void SplitView::setLabel(Side side, const QString& text) {
    sides_[index(side)].label = text;
    update();
}

void SplitView::setBusy(Side side, bool busy) {
    sides_[index(side)].busy = busy;
    updateSpinner();
    update();
}

void SplitView::updateSpinner() {
    bool any = sides_[0].busy || sides_[1].busy;
    if (any && !spinnerTimer_.isActive()) spinnerTimer_.start();
    if (!any) spinnerTimer_.stop();
}

void SplitView::setPlaceholderText(const QString& text) {
    placeholder_ = text;
    update();
}

void SplitView::setExposure(double ev) {
    if (!std::isfinite(ev) || ev == exposureEv_) return;
    exposureEv_ = ev;
    retoneMap();
    update();
}

void SplitView::setDimUncovered(bool dim) {
    if (dim == dimUncovered_) return;
    dimUncovered_ = dim;
    retoneMap();
    update();
}

void SplitView::setToneCurve(ToneCurve curve, bool falseColour) {
    if (curve == curve_ && falseColour == falseColour_) return;
    curve_ = curve;
    falseColour_ = falseColour;
    retoneMap();
    update();
}

void SplitView::setChannel(ToneChannel channel) {
    if (channel == channel_) return;
    channel_ = channel;
    retoneMap();
    update();
}

void SplitView::retoneMap() {
    QElapsedTimer timer;
    timer.start();
    for (auto& s : sides_)
        if (!s.hdr.isNull()) s.display = toneMap(s.hdr, toneMapOptions());
    lastToneMapMs_ = double(timer.nsecsElapsed()) / 1e6;
}

// ---- divider ------------------------------------------------------------------------------------------------

double SplitView::fractionForX(double x, int widgetWidth) {
    if (widgetWidth <= 0) return 0.5;
    return std::clamp(x / double(widgetWidth), 0.0, 1.0);
}

int SplitView::xForFraction(double fraction, int widgetWidth) {
    return int(std::lround(std::clamp(fraction, 0.0, 1.0) * std::max(0, widgetWidth)));
}

int SplitView::dividerX() const {
    return xForFraction(dividerFraction_, width());
}

bool SplitView::isNearDivider(const QPointF& widgetPos) const {
    return std::abs(widgetPos.x() - dividerX()) <= kDividerGrab;
}

SplitView::Side SplitView::sideAt(const QPointF& widgetPos) const {
    if (flicker_) return flickerSide_;
    const Side left = leftSide();
    const Side right = left == Side::A ? Side::B : Side::A;
    return widgetPos.x() < dividerX() ? left : right;
}

void SplitView::setDividerFraction(double fraction) {
    if (!std::isfinite(fraction)) return;
    fraction = std::clamp(fraction, 0.0, 1.0);
    if (fraction == dividerFraction_) return;
    dividerFraction_ = fraction;
    update();
    emit dividerMoved(fraction);
}

void SplitView::setFlipped(bool flipped) {
    if (flipped == flipped_) return;
    flipped_ = flipped;
    update();
    emit flippedChanged(flipped);
}

// ---- view transform -----------------------------------------------------------------------------------------

QPoint SplitView::texelAt(const QPointF& widgetPos) const {
    const QSize size = imageSize();
    if (size.isEmpty()) return {-1, -1};
    QPointF p = widgetToImage(widgetPos);
    int x = int(std::floor(p.x())), y = int(std::floor(p.y()));
    if (x < 0 || y < 0 || x >= size.width() || y >= size.height()) return {-1, -1};
    return {x, y};
}

void SplitView::applyFit() {
    const QSize size = imageSize();
    if (size.isEmpty() || width() <= 0 || height() <= 0) return;
    double z = std::min(double(width()) / size.width(), double(height()) / size.height());
    zoom_ = std::clamp(z, kMinZoom, kMaxZoom);
    offset_ = QPointF((width() - size.width() * zoom_) / 2.0, (height() - size.height() * zoom_) / 2.0);
    emit zoomChanged(zoom_);
}

void SplitView::fitToWindow() {
    fitMode_ = true;
    applyFit();
    update();
}

void SplitView::zoomToActualSize() {
    const QSize size = imageSize();
    if (size.isEmpty()) return;
    // Keep the texel at the centre of the view where it is.
    setZoom(1.0, QPointF(width() / 2.0, height() / 2.0));
}

void SplitView::setZoom(double zoom, const QPointF& anchor) {
    if (!std::isfinite(zoom) || imageSize().isEmpty()) return;
    zoom = std::clamp(zoom, kMinZoom, kMaxZoom);
    const QPointF texel = widgetToImage(anchor);
    zoom_ = zoom;
    offset_ = anchor - texel * zoom_;
    fitMode_ = false;
    clampOffset();
    update();
    emit zoomChanged(zoom_);
}

void SplitView::showTexelAt(double zoom, const QPointF& texel) {
    if (!std::isfinite(zoom) || imageSize().isEmpty()) return;
    zoom_ = std::clamp(zoom, kMinZoom, kMaxZoom);
    offset_ = QPointF(width() / 2.0, height() / 2.0) - texel * zoom_;
    fitMode_ = false;
    clampOffset();
    update();
    emit zoomChanged(zoom_);
}

void SplitView::zoomBy(double factor, const QPointF& anchor) {
    setZoom(zoom_ * factor, anchor);
}

void SplitView::panBy(const QPointF& delta) {
    if (imageSize().isEmpty()) return;
    offset_ += delta;
    fitMode_ = false;
    clampOffset();
    update();
}

void SplitView::clampOffset() {
    const QSize size = imageSize();
    if (size.isEmpty()) return;
    const double w = size.width() * zoom_, h = size.height() * zoom_;
    const double keepX = std::min<double>(kKeepVisible, w), keepY = std::min<double>(kKeepVisible, h);
    offset_.setX(std::clamp(offset_.x(), keepX - w, width() - keepX));
    offset_.setY(std::clamp(offset_.y(), keepY - h, height() - keepY));
}

// ---- painting -----------------------------------------------------------------------------------------------

void SplitView::paintSide(QPainter& painter, const SideState& side, const QRect& clip) {
    if (side.display.isNull() || clip.isEmpty()) return;
    painter.save();
    painter.setClipRect(clip);
    if (zoom_ < 1.0) {
        const QSize scaled(std::max(1, int(std::lround(side.display.width() * zoom_))),
                           std::max(1, int(std::lround(side.display.height() * zoom_))));
        if (side.minifiedKey != side.display.cacheKey() || side.minified.size() != scaled) {
            side.minified = side.display.scaled(scaled, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
            side.minifiedKey = side.display.cacheKey();
        }
        painter.drawImage(QPointF(std::round(offset_.x()), std::round(offset_.y())), side.minified);
        painter.restore();
        return;
    }
    const QRectF imageRect(QPointF(0, 0), QSizeF(side.display.size()));
    // Visible part of the image, widened to whole texels so every drawn texel is a full nearest-neighbour block.
    QPointF tl = widgetToImage(clip.topLeft()), br = widgetToImage(QPointF(clip.right() + 1, clip.bottom() + 1));
    QRectF source(QPointF(std::floor(tl.x()), std::floor(tl.y())), QPointF(std::ceil(br.x()), std::ceil(br.y())));
    source = source.intersected(imageRect);
    if (!source.isEmpty()) {
        const QRectF target(imageToWidget(source.topLeft()), source.size() * zoom_);
        painter.setRenderHint(QPainter::SmoothPixmapTransform, false);
        painter.drawImage(target, side.display, source);
    }
    painter.restore();
}

void SplitView::paintLabel(QPainter& painter, const SideState& side, bool leftHalf, int divider) {
    if (side.label.isEmpty() && !side.busy) return;
    painter.save();
    const QRect region = leftHalf ? QRect(0, 0, divider, height()) : QRect(divider, 0, width() - divider, height());
    painter.setClipRect(region);
    QFont font = painter.font();
    font.setBold(true);
    painter.setFont(font);
    const QFontMetrics fm(font);
    const int textWidth = side.label.isEmpty() ? 0 : fm.horizontalAdvance(side.label);
    const int spinner = side.busy ? kSpinnerSize + (textWidth > 0 ? 8 : 0) : 0;
    const int boxW = textWidth + spinner + 16, boxH = std::max(fm.height(), kSpinnerSize) + 10;
    const int x = leftHalf ? kLabelMargin : width() - kLabelMargin - boxW;
    QRect box(x, kLabelMargin, boxW, boxH);
    painter.setRenderHint(QPainter::Antialiasing, true);
    painter.setPen(Qt::NoPen);
    painter.setBrush(QColor(0, 0, 0, 170));
    painter.drawRoundedRect(box, 5, 5);
    painter.setPen(Qt::white);
    painter.drawText(QRect(box.left() + 8, box.top(), textWidth, box.height()), Qt::AlignVCenter | Qt::AlignLeft,
                     side.label);
    if (side.busy) {
        QRectF arc(box.right() - 8 - kSpinnerSize + 1, box.center().y() - kSpinnerSize / 2.0 + 1, kSpinnerSize - 2,
                   kSpinnerSize - 2);
        painter.setPen(QPen(QColor(255, 255, 255, 60), 2.0));
        painter.drawEllipse(arc);
        painter.setPen(QPen(QColor(0x4f, 0xc3, 0xf7), 2.0, Qt::SolidLine, Qt::RoundCap));
        painter.drawArc(arc, -spinnerAngle_ * 16, 100 * 16);
    }
    painter.restore();
}

void SplitView::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.fillRect(rect(), kBackground);

    const int divider = dividerX();
    const SideState& left = sides_[index(leftSide())];
    const SideState& right = sides_[index(leftSide() == Side::A ? Side::B : Side::A)];

    if (imageSize().isEmpty()) {
        painter.setPen(QColor(200, 200, 200));
        painter.drawText(rect().adjusted(20, 20, -20, -20), Qt::AlignCenter | Qt::TextWordWrap, placeholder_);
    } else if (flicker_) {
        paintSide(painter, sides_[index(flickerSide_)], rect());
    } else {
        paintSide(painter, left, QRect(0, 0, divider, height()));
        paintSide(painter, right, QRect(divider, 0, width() - divider, height()));

        // Divider: dark core with a light edge so it shows on black and on white.
        painter.setRenderHint(QPainter::Antialiasing, false);
        painter.fillRect(QRect(divider - 1, 0, 3, height()), QColor(0, 0, 0, 140));
        painter.fillRect(QRect(divider, 0, 1, height()), QColor(255, 255, 255, 220));
        painter.setRenderHint(QPainter::Antialiasing, true);
        const QPointF c(divider, height() / 2.0);
        painter.setPen(QPen(QColor(0, 0, 0, 160), 1.0));
        painter.setBrush(QColor(255, 255, 255, 230));
        painter.drawEllipse(c, 11.0, 11.0);
        painter.setPen(Qt::NoPen);
        painter.setBrush(QColor(40, 40, 40));
        QPainterPath arrows;
        arrows.moveTo(c + QPointF(-2, -5));
        arrows.lineTo(c + QPointF(-7, 0));
        arrows.lineTo(c + QPointF(-2, 5));
        arrows.closeSubpath();
        arrows.moveTo(c + QPointF(2, -5));
        arrows.lineTo(c + QPointF(7, 0));
        arrows.lineTo(c + QPointF(2, 5));
        arrows.closeSubpath();
        painter.drawPath(arrows);
    }
    if (!imageSize().isEmpty()) {
        // Zoom readout, bottom right.
        const QString zoomText = QStringLiteral("%1%").arg(zoom_ * 100.0, 0, 'f', zoom_ < 0.1 ? 1 : 0);
        const QFontMetrics fm(painter.font());
        QRect zbox(width() - fm.horizontalAdvance(zoomText) - 20, height() - fm.height() - 14,
                   fm.horizontalAdvance(zoomText) + 12, fm.height() + 6);
        painter.setPen(Qt::NoPen);
        painter.setBrush(QColor(0, 0, 0, 150));
        painter.drawRoundedRect(zbox, 4, 4);
        painter.setPen(QColor(230, 230, 230));
        painter.drawText(zbox, Qt::AlignCenter, zoomText);
    }
    if (flicker_) {
        paintLabel(painter, sides_[index(flickerSide_)], true, width());
    } else {
        paintLabel(painter, left, true, divider);
        paintLabel(painter, right, false, divider);
    }
    emit painted();
}

// ---- interaction --------------------------------------------------------------------------------------------

void SplitView::resizeEvent(QResizeEvent*) {
    if (fitMode_)
        applyFit();
    else
        clampOffset();
}

void SplitView::mousePressEvent(QMouseEvent* event) {
    const QPointF pos = event->position();
    if (event->button() == Qt::LeftButton && !flicker_ && isNearDivider(pos) && !imageSize().isEmpty()) {
        drag_ = Drag::Divider;
    } else if (event->button() == Qt::LeftButton || event->button() == Qt::MiddleButton) {
        drag_ = Drag::Pan;
        dragStart_ = pos;
        offsetAtDragStart_ = offset_;
        setCursor(Qt::ClosedHandCursor);
    }
    event->accept();
}

void SplitView::mouseMoveEvent(QMouseEvent* event) {
    const QPointF pos = event->position();
    if (drag_ == Drag::Divider) {
        setDividerFraction(fractionForX(pos.x(), width()));
    } else if (drag_ == Drag::Pan) {
        offset_ = offsetAtDragStart_;
        panBy(pos - dragStart_);
    } else {
        setCursor(!flicker_ && isNearDivider(pos) && !imageSize().isEmpty() ? Qt::SplitHCursor : Qt::ArrowCursor);
    }
    const QPoint texel = texelAt(pos);
    if (texel != lastHovered_) {
        lastHovered_ = texel;
        emit texelHovered(texel);
    }
}

void SplitView::mouseReleaseEvent(QMouseEvent* event) {
    drag_ = Drag::None;
    setCursor(isNearDivider(event->position()) ? Qt::SplitHCursor : Qt::ArrowCursor);
}

void SplitView::mouseDoubleClickEvent(QMouseEvent*) {
    fitToWindow();
}

void SplitView::wheelEvent(QWheelEvent* event) {
    if (const double factor = wheelZoomFactor(event); factor != 1.0) zoomBy(factor, event->position());
    event->accept();
}

void SplitView::keyPressEvent(QKeyEvent* event) {
    if (applyZoomKey(*this, event->key())) {
        event->accept();
        return;
    }
    switch (event->key()) {
        case Qt::Key_F:
        case Qt::Key_Space:
            flip();
            break;
        case Qt::Key_Left:
            setDividerFraction(dividerFraction_ - 0.05);
            break;
        case Qt::Key_Right:
            setDividerFraction(dividerFraction_ + 0.05);
            break;
        default:
            QWidget::keyPressEvent(event);
            return;
    }
    event->accept();
}

void SplitView::leaveEvent(QEvent*) {
    if (lastHovered_ != QPoint(-1, -1)) {
        lastHovered_ = QPoint(-1, -1);
        emit texelHovered(lastHovered_);
    }
}

}  // namespace lmc
