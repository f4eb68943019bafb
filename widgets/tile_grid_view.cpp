#include "widgets/tile_grid_view.h"

#include <QElapsedTimer>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

#include "widgets/zoom_controls.h"

namespace lmc {
namespace {

constexpr int kGap = 4;  // pixels between tiles
constexpr int kSpinnerSize = 14;
constexpr int kKeepVisible = 48;  // pixels of the image that panning always leaves on screen
const QColor kBackground(0x26, 0x27, 0x2b);
const QColor kTileBackground(0x1c, 0x1d, 0x20);

}  // namespace

TileGridView::TileGridView(QWidget* parent) : QWidget(parent) {
    setMouseTracking(true);
    setFocusPolicy(Qt::StrongFocus);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    spinnerTimer_.setInterval(60);
    connect(&spinnerTimer_, &QTimer::timeout, this, [this] {
        spinnerAngle_ = (spinnerAngle_ + 30) % 360;
        update();
    });
}

// ---- tiles --------------------------------------------------------------------------------------------------

TileGridView::Tile* TileGridView::find(const QString& key) {
    for (auto& t : tiles_)
        if (t.key == key) return &t;
    return nullptr;
}

const TileGridView::Tile* TileGridView::find(const QString& key) const {
    for (const auto& t : tiles_)
        if (t.key == key) return &t;
    return nullptr;
}

void TileGridView::setTiles(const QStringList& keys) {
    const QSize before = imageSize();
    std::vector<Tile> next;
    next.reserve(std::size_t(keys.size()));
    for (const QString& key : keys) {
        if (Tile* old = find(key))
            next.push_back(std::move(*old));
        else {
            Tile t;
            t.key = key;
            next.push_back(std::move(t));
        }
    }
    tiles_ = std::move(next);
    updateSpinner();
    captionStrip_ = -1;  // recomputed (and laid out) below
    updateCaptionStrip();
    relayout();
    imageSizeMayHaveChanged(before);
    if (fitMode_) applyFit();
    update();
}

QStringList TileGridView::tiles() const {
    QStringList keys;
    for (const auto& t : tiles_) keys << t.key;
    return keys;
}

int TileGridView::indexOf(const QString& key) const {
    for (int i = 0; i < int(tiles_.size()); ++i)
        if (tiles_[std::size_t(i)].key == key) return i;
    return -1;
}

void TileGridView::imageSizeMayHaveChanged(const QSize& before) {
    if (imageSize() != before) {
        fitMode_ = true;
        selection_ = QRect();
    }
}

void TileGridView::setTileImage(const QString& key, const QImage& image) {
    Tile* t = find(key);
    if (!t) return;
    const QSize before = imageSize();
    t->hdr = {};
    t->stale = false;
    t->display = image.format() == QImage::Format_RGB32 || image.format() == QImage::Format_ARGB32_Premultiplied
                     ? image
                     : image.convertToFormat(QImage::Format_RGB32);
    imageSizeMayHaveChanged(before);
    if (fitMode_) applyFit();
    update();
}

void TileGridView::setTileFloatImage(const QString& key, const FloatRgbImage& image) {
    Tile* t = find(key);
    if (!t) return;
    const QSize before = imageSize();
    t->hdr = image;
    t->display = QImage();
    t->stale = !image.isNull();
    imageSizeMayHaveChanged(before);
    if (fitMode_) applyFit();
    update();
}

void TileGridView::ensureDisplay(const Tile& tile) const {
    if (!tile.stale) return;
    QElapsedTimer timer;
    timer.start();
    const_cast<Tile&>(tile).display = toneMap(tile.hdr, toneOptions_);
    tile.stale = false;
    lastToneMapMs_ = double(timer.nsecsElapsed()) / 1e6;
}

void TileGridView::clearTileImage(const QString& key) {
    if (Tile* t = find(key)) {
        t->stale = false;
        t->hdr = {};
        t->display = {};
        t->minified = {};
        update();
    }
}

bool TileGridView::hasImage(const QString& key) const {
    const Tile* t = find(key);
    return t && (!t->display.isNull() || t->stale);
}

QImage TileGridView::displayedImage(const QString& key) const {
    const Tile* t = find(key);
    if (!t) return {};
    ensureDisplay(*t);
    return t->display;
}

void TileGridView::setTileCaption(const QString& key, const QString& title, const QString& detail) {
    if (Tile* t = find(key)) {
        t->title = title;
        t->detail = detail;
        updateCaptionStrip();
        update();
    }
}

QString TileGridView::tileTitle(const QString& key) const {
    const Tile* t = find(key);
    return t ? t->title : QString();
}

QString TileGridView::tileDetail(const QString& key) const {
    const Tile* t = find(key);
    return t ? t->detail : QString();
}

void TileGridView::setTileBusy(const QString& key, bool busy, double progress) {
    if (Tile* t = find(key)) {
        t->busy = busy;
        t->progress = busy ? progress : -1.0;
        updateSpinner();
        updateCaptionStrip();
        update();
    }
}

bool TileGridView::isTileBusy(const QString& key) const {
    const Tile* t = find(key);
    return t && t->busy;
}

double TileGridView::tileProgress(const QString& key) const {
    const Tile* t = find(key);
    return t ? t->progress : -1.0;
}

void TileGridView::setTileMessage(const QString& key, const QString& message) {
    if (Tile* t = find(key)) {
        t->message = message;
        update();
    }
}

QString TileGridView::tileMessage(const QString& key) const {
    const Tile* t = find(key);
    return t ? t->message : QString();
}

void TileGridView::setPlaceholderText(const QString& text) {
    placeholder_ = text;
    update();
}

void TileGridView::updateSpinner() {
    const bool any = std::any_of(tiles_.begin(), tiles_.end(), [](const Tile& t) { return t.busy; });
    if (any && !spinnerTimer_.isActive()) spinnerTimer_.start();
    if (!any) spinnerTimer_.stop();
}

void TileGridView::setToneMapOptions(const ToneMapOptions& options) {
    if (options == toneOptions_) return;
    toneOptions_ = options;
    for (auto& t : tiles_)
        if (!t.hdr.isNull()) t.stale = true;
    update();
}

void TileGridView::setShowBlockGrid(bool show) {
    showBlockGrid_ = show;
    update();
}

void TileGridView::setBlockSize(int texels) {
    blockSize_ = std::max(1, texels);
    update();
}

void TileGridView::setTileBlockSize(const QString& key, const QSize& texels) {
    if (Tile* t = find(key)) {
        t->ownBlockSize = true;
        t->blockSize = texels;
        update();
    }
}

QSize TileGridView::tileBlockSize(const QString& key) const {
    const Tile* t = find(key);
    if (t && t->ownBlockSize) return t->blockSize.isEmpty() ? QSize() : t->blockSize;
    return {blockSize_, blockSize_};
}

void TileGridView::setShowPixelGrid(bool show) {
    showPixelGrid_ = show;
    update();
}

void TileGridView::setSelection(const QRect& texels) {
    QRect r = texels.normalized();
    if (!imageSize().isEmpty()) r = r.intersected(QRect(QPoint(0, 0), imageSize()));
    if (r == selection_) return;
    selection_ = r;
    update();
    emit selectionChanged(selection_);
}

// ---- geometry -----------------------------------------------------------------------------------------------

QSize TileGridView::imageSize() const {
    QSize size;
    for (const auto& t : tiles_) {
        if (t.stale)
            size = size.expandedTo(QSize(t.hdr.width, t.hdr.height));
        else if (!t.display.isNull())
            size = size.expandedTo(t.display.size());
    }
    return size;
}

void TileGridView::relayout() {
    const int n = std::max(1, int(tiles_.size()));
    const QSize img = imageSize().isEmpty() ? QSize(4, 3) : imageSize();
    const auto cellOf = [&](int cols) {
        const int rows = (n + cols - 1) / cols;
        return QSizeF(double(width() - (cols - 1) * kGap) / cols,
                      double(height() - (rows - 1) * kGap) / rows - captionStrip_);
    };
    double best = -1.0;
    int bestCols = 1;
    for (int cols = 1; cols <= n; ++cols) {
        const QSizeF cell = cellOf(cols);
        const double scale = std::min(cell.width() / img.width(), cell.height() / img.height());
        if (scale > best + 1e-9) {
            best = scale;
            bestCols = cols;
        }
    }
    // A long thin map fitted whole would be a sliver: fit it across instead, with the layout that shows the most
    // of its length while its short side gets at least kMinFitSide pixels (or as many as any layout gives).
    const bool tall = img.height() >= img.width();
    const int shortSide = tall ? img.width() : img.height(), longSide = tall ? img.height() : img.width();
    fitAcross_ = !imageSize().isEmpty() && best * shortSide < kMinFitSide;
    if (fitAcross_) {
        double bestShown = -1.0, widest = -1.0;
        int widestCols = 1;
        bestCols = 0;
        for (int cols = 1; cols <= n; ++cols) {
            const QSizeF cell = cellOf(cols);
            const double across = tall ? cell.width() : cell.height(), along = tall ? cell.height() : cell.width();
            if (across > widest) {
                widest = across;
                widestCols = cols;
            }
            if (across < kMinFitSide || along <= 0) continue;
            const double scale = across / shortSide;
            const double shown = std::min(double(longSide), along / scale);  // texels of the length on screen
            if (shown > bestShown + 1e-9) {
                bestShown = shown;
                bestCols = cols;
            }
        }
        if (bestCols == 0) bestCols = widestCols;
    }
    columns_ = bestCols;
    rows_ = (n + columns_ - 1) / columns_;
    cellSize_ = QSize(std::max(1, (width() - (columns_ - 1) * kGap) / columns_),
                      std::max(1, (height() - (rows_ - 1) * kGap) / rows_ - captionStrip_));
}

void TileGridView::updateCaptionStrip() {
    const bool any = std::any_of(tiles_.begin(), tiles_.end(),
                                 [](const Tile& t) { return !t.title.isEmpty() || !t.detail.isEmpty() || t.busy; });
    const QFontMetrics fm(font());
    const int strip = any ? 2 * fm.height() + 2 + 10 + 6 + 6 : 0;  // two lines, box padding, progress bar, gaps
    if (strip == captionStrip_) return;
    captionStrip_ = strip;
    relayout();
    if (fitMode_)
        applyFit();
    else
        clampOffset();
}

QRect TileGridView::tileRect(int index) const {
    if (index < 0 || index >= int(tiles_.size())) return {};
    const int c = index % columns_, r = index / columns_;
    return QRect(c * (cellSize_.width() + kGap), r * (cellSize_.height() + captionStrip_ + kGap) + captionStrip_,
                 cellSize_.width(), cellSize_.height());
}

QRect TileGridView::captionRect(int index) const {
    const QRect image = tileRect(index);
    if (image.isNull()) return {};
    return QRect(image.left(), image.top() - captionStrip_, image.width(), captionStrip_);
}

QPointF TileGridView::imageToWidget(int tileIndex, const QPointF& texel) const {
    return QPointF(tileRect(tileIndex).topLeft()) + offset_ + texel * zoom_;
}

int TileGridView::tileAt(const QPointF& widgetPos) const {
    for (int i = 0; i < int(tiles_.size()); ++i)
        if (QRectF(tileRect(i)).contains(widgetPos)) return i;
    return -1;
}

QPointF TileGridView::widgetToImage(const QPointF& widgetPos, int* tileIndex) const {
    const int i = tileAt(widgetPos);
    if (tileIndex) *tileIndex = i;
    const QPointF origin = i >= 0 ? QPointF(tileRect(i).topLeft()) : QPointF();
    return (widgetPos - origin - offset_) / zoom_;
}

QPoint TileGridView::texelAt(const QPointF& widgetPos) const {
    int tile = -1;
    const QPointF t = widgetToImage(widgetPos, &tile);
    const QSize size = imageSize();
    if (tile < 0 || size.isEmpty()) return {-1, -1};
    const int x = int(std::floor(t.x())), y = int(std::floor(t.y()));
    if (x < 0 || y < 0 || x >= size.width() || y >= size.height()) return {-1, -1};
    return {x, y};
}

void TileGridView::applyFit() {
    relayout();
    const QSize size = imageSize();
    if (size.isEmpty()) {
        zoom_ = 1.0;
        offset_ = QPointF();
        return;
    }
    const double z = std::min(double(cellSize_.width()) / size.width(), double(cellSize_.height()) / size.height());
    if (fitAcross_) {
        // Across the short side, from the start of the long one.
        const bool tall = size.height() >= size.width();
        zoom_ = std::clamp(tall ? double(cellSize_.width()) / size.width() : double(cellSize_.height()) / size.height(),
                           kMinZoom, kMaxZoom);
        offset_ = tall ? QPointF((cellSize_.width() - size.width() * zoom_) / 2.0, 0.0)
                       : QPointF(0.0, (cellSize_.height() - size.height() * zoom_) / 2.0);
    } else {
        zoom_ = std::clamp(z, kMinZoom, kMaxZoom);
        offset_ = QPointF((cellSize_.width() - size.width() * zoom_) / 2.0,
                          (cellSize_.height() - size.height() * zoom_) / 2.0);
    }
    fitMode_ = true;
    emit zoomChanged(zoom_);
    emit viewChanged();
}

void TileGridView::clampOffset() {
    const QSize size = imageSize();
    if (size.isEmpty()) return;
    const double w = size.width() * zoom_, h = size.height() * zoom_;
    const double keep = std::min<double>(kKeepVisible, std::min(w, h));
    offset_.setX(std::clamp(offset_.x(), keep - w, cellSize_.width() - keep));
    offset_.setY(std::clamp(offset_.y(), keep - h, cellSize_.height() - keep));
}

void TileGridView::fitToWindow() {
    applyFit();
    update();
}

void TileGridView::zoomToActualSize() {
    const QRect cell = tileRect(0);
    setZoom(1.0, QPointF(cell.center()));
}

void TileGridView::zoomIn() {
    zoomBy(1.25, QPointF(tileRect(0).center()));
}

void TileGridView::zoomOut() {
    zoomBy(1.0 / 1.25, QPointF(tileRect(0).center()));
}

void TileGridView::zoomBy(double factor, const QPointF& anchor) {
    setZoom(zoom_ * factor, anchor);
}

void TileGridView::setZoom(double zoom, const QPointF& anchor) {
    zoom = std::clamp(zoom, kMinZoom, kMaxZoom);
    if (imageSize().isEmpty()) return;
    int tile = tileAt(anchor);
    if (tile < 0) tile = 0;
    const QPointF inCell = anchor - QPointF(tileRect(tile).topLeft());
    const QPointF texel = (inCell - offset_) / zoom_;
    zoom_ = zoom;
    offset_ = inCell - texel * zoom_;
    fitMode_ = false;
    clampOffset();
    update();
    emit zoomChanged(zoom_);
    emit viewChanged();
}

void TileGridView::panBy(const QPointF& delta) {
    offset_ += delta;
    fitMode_ = false;
    clampOffset();
    update();
    emit viewChanged();
}

void TileGridView::centreOn(const QPointF& texel) {
    offset_ = QPointF(cellSize_.width() / 2.0, cellSize_.height() / 2.0) - texel * zoom_;
    fitMode_ = false;
    clampOffset();
    update();
    emit viewChanged();
}

// ---- painting -----------------------------------------------------------------------------------------------

void TileGridView::paintTile(QPainter& painter, const Tile& tile, const QRect& cell) {
    painter.save();
    if (captionStrip_ > 0) {
        // The caption strip above the image (painted outside the image's clip).
        paintCaption(painter, tile, QRect(cell.left(), cell.top() - captionStrip_, cell.width(), captionStrip_));
    }
    painter.setClipRect(cell);
    painter.fillRect(cell, kTileBackground);
    ensureDisplay(tile);
    const QPointF origin = QPointF(cell.topLeft()) + offset_;
    if (!tile.display.isNull()) {
        if (zoom_ < 1.0) {
            const QSize scaled(std::max(1, int(std::lround(tile.display.width() * zoom_))),
                               std::max(1, int(std::lround(tile.display.height() * zoom_))));
            if (tile.minifiedKey != tile.display.cacheKey() || tile.minified.size() != scaled) {
                tile.minified = tile.display.scaled(scaled, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
                tile.minifiedKey = tile.display.cacheKey();
            }
            painter.drawImage(QPointF(std::round(origin.x()), std::round(origin.y())), tile.minified);
        } else {
            const QRectF imageRect(QPointF(0, 0), QSizeF(tile.display.size()));
            const QPointF tl = (QPointF(cell.topLeft()) - origin) / zoom_;
            const QPointF br = (QPointF(cell.right() + 1, cell.bottom() + 1) - origin) / zoom_;
            QRectF source(QPointF(std::floor(tl.x()), std::floor(tl.y())),
                          QPointF(std::ceil(br.x()), std::ceil(br.y())));
            source = source.intersected(imageRect);
            if (!source.isEmpty()) {
                const QRectF target(origin + source.topLeft() * zoom_, source.size() * zoom_);
                painter.setRenderHint(QPainter::SmoothPixmapTransform, false);
                painter.drawImage(target, tile.display, source);
                paintGrid(painter, cell, source, tile.ownBlockSize ? tile.blockSize : QSize(blockSize_, blockSize_));
            }
        }
        // Hovered texel and the selection, in every tile at the same place.
        painter.setRenderHint(QPainter::Antialiasing, false);
        if (hovered_.x() >= 0 && zoom_ >= 4.0) {
            painter.setPen(QPen(QColor(255, 255, 255, 220), 1.0));
            painter.setBrush(Qt::NoBrush);
            painter.drawRect(QRectF(origin + QPointF(hovered_) * zoom_, QSizeF(zoom_, zoom_)).adjusted(0, 0, -1, -1));
        }
        if (!selection_.isEmpty()) {
            const QRectF r(origin + QPointF(selection_.topLeft()) * zoom_, QSizeF(selection_.size()) * zoom_);
            painter.setBrush(Qt::NoBrush);
            painter.setPen(QPen(QColor(0, 0, 0, 200), 3.0));
            painter.drawRect(r);
            painter.setPen(QPen(QColor(0xff, 0xd5, 0x4f), 1.0, Qt::DashLine));
            painter.drawRect(r);
        }
    } else {
        painter.setPen(QColor(170, 170, 170));
        const QString text = tile.message.isEmpty() ? (tile.busy ? QString() : QStringLiteral("–")) : tile.message;
        painter.drawText(cell.adjusted(16, 40, -16, -16), Qt::AlignCenter | Qt::TextWordWrap, text);
    }
    if (!tile.display.isNull() && !tile.message.isEmpty()) {
        // An error over an older picture: a band at the bottom.
        const QFontMetrics fm(painter.font());
        const QRect band(cell.left(), cell.bottom() - 2 * fm.height() - 8, cell.width(), 2 * fm.height() + 8);
        painter.fillRect(band, QColor(120, 20, 20, 200));
        painter.setPen(Qt::white);
        painter.drawText(band.adjusted(8, 4, -8, -4), Qt::AlignCenter | Qt::TextWordWrap, tile.message);
    }
    painter.restore();
}

void TileGridView::paintGrid(QPainter& painter, const QRect& cell, const QRectF& visible, const QSize& block) {
    const QPointF origin = QPointF(cell.topLeft()) + offset_;
    const int x0 = int(visible.left()), x1 = int(visible.right()), y0 = int(visible.top()), y1 = int(visible.bottom());
    const double top = origin.y() + y0 * zoom_, bottom = origin.y() + y1 * zoom_;
    const double left = origin.x() + x0 * zoom_, right = origin.x() + x1 * zoom_;
    painter.setRenderHint(QPainter::Antialiasing, false);
    if (showPixelGrid_ && zoom_ >= kPixelGridZoom) {
        painter.setPen(QPen(QColor(0, 0, 0, 90), 1.0));
        for (int x = x0; x <= x1; ++x)
            painter.drawLine(QPointF(origin.x() + x * zoom_, top), QPointF(origin.x() + x * zoom_, bottom));
        for (int y = y0; y <= y1; ++y)
            painter.drawLine(QPointF(left, origin.y() + y * zoom_), QPointF(right, origin.y() + y * zoom_));
    }
    if (showBlockGrid_ && zoom_ >= 2.0 && !block.isEmpty()) {
        const int bw = block.width(), bh = block.height();
        painter.setPen(QPen(QColor(0x4f, 0xc3, 0xf7, 170), 1.0));
        for (int x = (x0 + bw - 1) / bw * bw; x <= x1; x += bw)
            painter.drawLine(QPointF(origin.x() + x * zoom_, top), QPointF(origin.x() + x * zoom_, bottom));
        for (int y = (y0 + bh - 1) / bh * bh; y <= y1; y += bh)
            painter.drawLine(QPointF(left, origin.y() + y * zoom_), QPointF(right, origin.y() + y * zoom_));
    }
}

void TileGridView::paintCaption(QPainter& painter, const Tile& tile, const QRect& cell) {
    if (tile.title.isEmpty() && tile.detail.isEmpty() && !tile.busy) return;
    QFont bold = painter.font();
    bold.setBold(true);
    const QFontMetrics fmBold(bold), fm(painter.font());
    const int maxText = std::max(20, cell.width() - 16 - (tile.busy ? kSpinnerSize + 8 : 0));
    const QString title = fmBold.elidedText(tile.title, Qt::ElideRight, maxText);
    const QString detail = fm.elidedText(tile.detail, Qt::ElideRight, maxText);
    const int textW = std::max(fmBold.horizontalAdvance(title), detail.isEmpty() ? 0 : fm.horizontalAdvance(detail));
    const int spinner = tile.busy ? kSpinnerSize + (textW > 0 ? 8 : 0) : 0;
    const int lines = detail.isEmpty() ? 1 : 2;
    const int boxH = std::max(lines * fm.height() + (lines - 1) * 2, kSpinnerSize) + 10;
    const bool progress = tile.busy && tile.progress >= 0.0;
    const QRect box(cell.left(), cell.top() + 3, textW + spinner + 16, boxH + (progress ? 6 : 0));
    painter.setRenderHint(QPainter::Antialiasing, true);
    painter.setPen(Qt::NoPen);
    painter.setBrush(QColor(0, 0, 0, 175));
    painter.drawRoundedRect(box, 5, 5);
    painter.setPen(Qt::white);
    painter.setFont(bold);
    painter.drawText(QRect(box.left() + 8, box.top() + 5, textW, fm.height()), Qt::AlignVCenter | Qt::AlignLeft, title);
    QFont normal = bold;
    normal.setBold(false);
    painter.setFont(normal);
    if (!detail.isEmpty()) {
        painter.setPen(QColor(225, 225, 225));
        painter.drawText(QRect(box.left() + 8, box.top() + 7 + fm.height(), textW, fm.height()),
                         Qt::AlignVCenter | Qt::AlignLeft, detail);
    }
    if (tile.busy) {
        const QRectF arc(box.left() + 8 + textW + (textW > 0 ? 8 : 0) + 1, box.top() + 5 + 1, kSpinnerSize - 2,
                         kSpinnerSize - 2);
        painter.setPen(QPen(QColor(255, 255, 255, 60), 2.0));
        painter.setBrush(Qt::NoBrush);
        painter.drawEllipse(arc);
        painter.setPen(QPen(QColor(0x4f, 0xc3, 0xf7), 2.0, Qt::SolidLine, Qt::RoundCap));
        painter.drawArc(arc, -spinnerAngle_ * 16, 100 * 16);
    }
    if (progress) {
        const QRect track(box.left() + 8, box.bottom() - 6, box.width() - 16, 3);
        painter.setPen(Qt::NoPen);
        painter.setBrush(QColor(255, 255, 255, 60));
        painter.drawRect(track);
        painter.setBrush(QColor(0x4f, 0xc3, 0xf7));
        painter.drawRect(QRect(track.topLeft(), QSize(int(track.width() * std::clamp(tile.progress, 0.0, 1.0)), 3)));
    }
}

void TileGridView::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.fillRect(rect(), kBackground);
    if (tiles_.empty() || imageSize().isEmpty()) {
        // Captions and busy states still show while the first images are on their way.
        if (!tiles_.empty())
            for (int i = 0; i < int(tiles_.size()); ++i) paintTile(painter, tiles_[std::size_t(i)], tileRect(i));
        if (!placeholder_.isEmpty() &&
            std::none_of(tiles_.begin(), tiles_.end(), [](const Tile& t) { return t.busy; })) {
            painter.setPen(QColor(200, 200, 200));
            painter.drawText(rect().adjusted(20, 20, -20, -20), Qt::AlignCenter | Qt::TextWordWrap, placeholder_);
        }
        emit painted();
        return;
    }
    for (int i = 0; i < int(tiles_.size()); ++i) paintTile(painter, tiles_[std::size_t(i)], tileRect(i));

    const QString zoomText = QStringLiteral("%1%").arg(zoom_ * 100.0, 0, 'f', zoom_ < 0.1 ? 1 : 0);
    const QFontMetrics fm(painter.font());
    const QRect zbox(width() - fm.horizontalAdvance(zoomText) - 20, height() - fm.height() - 14,
                     fm.horizontalAdvance(zoomText) + 12, fm.height() + 6);
    painter.setRenderHint(QPainter::Antialiasing, true);
    painter.setPen(Qt::NoPen);
    painter.setBrush(QColor(0, 0, 0, 150));
    painter.drawRoundedRect(zbox, 4, 4);
    painter.setPen(QColor(230, 230, 230));
    painter.drawText(zbox, Qt::AlignCenter, zoomText);
    emit painted();
}

// ---- interaction --------------------------------------------------------------------------------------------

void TileGridView::resizeEvent(QResizeEvent*) {
    relayout();
    if (fitMode_)
        applyFit();
    else
        clampOffset();
}

void TileGridView::mousePressEvent(QMouseEvent* event) {
    const QPointF pos = event->position();
    if (event->button() == Qt::LeftButton && (event->modifiers() & Qt::ShiftModifier)) {
        const QPoint texel = texelAt(pos);
        if (texel.x() >= 0) {
            drag_ = Drag::Select;
            selectStart_ = texel;
            setSelection(QRect(texel, QSize(1, 1)));
        }
    } else if (event->button() == Qt::LeftButton || event->button() == Qt::MiddleButton) {
        drag_ = Drag::Pan;
        dragStart_ = pos;
        offsetAtDragStart_ = offset_;
        setCursor(Qt::ClosedHandCursor);
        const int tile = tileAt(pos);
        if (tile >= 0) emit tileClicked(tiles_[std::size_t(tile)].key);
    }
    event->accept();
}

void TileGridView::mouseMoveEvent(QMouseEvent* event) {
    const QPointF pos = event->position();
    if (drag_ == Drag::Pan) {
        offset_ = offsetAtDragStart_;
        panBy(pos - dragStart_);
    } else if (drag_ == Drag::Select) {
        const QSize size = imageSize();
        int tile = -1;
        QPointF t = widgetToImage(pos, &tile);
        const QPoint clamped(std::clamp(int(std::floor(t.x())), 0, size.width() - 1),
                             std::clamp(int(std::floor(t.y())), 0, size.height() - 1));
        setSelection(QRect(selectStart_, clamped).normalized());
    }
    setHovered(texelAt(pos));
}

void TileGridView::mouseReleaseEvent(QMouseEvent*) {
    drag_ = Drag::None;
    setCursor(Qt::ArrowCursor);
}

void TileGridView::mouseDoubleClickEvent(QMouseEvent*) {
    fitToWindow();
}

void TileGridView::wheelEvent(QWheelEvent* event) {
    if (const double factor = wheelZoomFactor(event); factor != 1.0) zoomBy(factor, event->position());
    event->accept();
}

void TileGridView::keyPressEvent(QKeyEvent* event) {
    if (applyZoomKey(*this, event->key())) {
        event->accept();
        return;
    }
    switch (event->key()) {
        case Qt::Key_B:
            setShowBlockGrid(!showBlockGrid_);
            break;
        case Qt::Key_G:
            setShowPixelGrid(!showPixelGrid_);
            break;
        case Qt::Key_Escape:
            setSelection(QRect());
            break;
        default:
            QWidget::keyPressEvent(event);
            return;
    }
    event->accept();
}

void TileGridView::leaveEvent(QEvent*) {
    setHovered(QPoint(-1, -1));
}

void TileGridView::setHovered(const QPoint& texel) {
    if (texel == hovered_) return;
    hovered_ = texel;
    if (zoom_ >= 4.0) update();
    emit texelHovered(texel);
}

}  // namespace lmc
