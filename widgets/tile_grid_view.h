// TileGridView: several images of the same scene (the original and each codec's reconstruction, or their error
// maps) side by side in a grid of equal tiles, at ONE shared zoom and pan: a texel sits at the same place inside
// every tile, so artifacts line up when the eye jumps between tiles.
//
// Tiles are addressed by a string key (e.g. "original", a codec id) and listed in display order with setTiles().
// A tile shows an 8-bit QImage as is, or HDR float RGB tone-mapped here with the view's ToneMapOptions (exposure,
// curve, false colour; a new setting re-maps every float tile). Magnification is nearest-neighbour; at a zoom of
// kPixelGridZoom or more thin lines separate the texels, and the optional block grid is drawn from 2x: each tile's
// own block size (setTileBlockSize: the caller knows its codec's, e.g. ASTC 6x6, JPEG 16x16; an empty size for
// none), else the view's blockSize (4 by default). Each tile carries a caption (title and a detail line, e.g. codec,
// bpp, mPSNR), a busy state (spinner) with an optional progress bar, and an optional message (e.g. an error).
//
// Geometry: the grid picks the column count that shows the images largest. A map so long and thin that fitting it
// whole would leave it under kMinFitSide pixels across (a 128 x 6144 atlas) is fitted across its short side
// instead, from its start, and panned along its length; the column count is then the one that shows the most of
// it. Captions sit in a strip above each tile's image area (tileRect), never over the image. Inside tile i, texel
// (u, v) is at
// tileRect(i).topLeft() + offset + zoom * (u, v), with zoom and offset shared by every tile (imageToWidget,
// widgetToImage, tileAt expose this for tests and for callers that overlay things).
// Mouse: wheel zooms about the cursor, left/middle drag pans, Shift+drag selects a texel rectangle (shown in every
// tile; selectionChanged), double-click fits. Keys: 0 fit, 1 texels 1:1, +/- zoom, B block grid, G pixel grid,
// Esc clears the selection. Hover reports the texel (texelHovered) and outlines it in every tile at high zoom.
//
// Float tiles are tone-mapped lazily (at their next paint or displayedImage()), so a hidden view costs nothing.
//
// Threading: GUI thread only. Errors: none; tiles without an image show their message or a dash.
#pragma once

#include <QImage>
#include <QPointF>
#include <QRect>
#include <QString>
#include <QStringList>
#include <QTimer>
#include <QWidget>

#include <vector>

#include "widgets/tone_map.h"

namespace lmc {

class TileGridView : public QWidget {
    Q_OBJECT
public:
    static constexpr double kMinZoom = 1.0 / 64.0;
    static constexpr double kMaxZoom = 256.0;
    static constexpr double kPixelGridZoom = 8.0;
    static constexpr int kMinFitSide = 96;  // pixels: below this a fitted long map is fitted across instead

    explicit TileGridView(QWidget* parent = nullptr);

    // Tiles in display order; tiles whose key stays keep their contents, new keys start empty.
    void setTiles(const QStringList& keys);
    QStringList tiles() const;
    int tileCount() const { return int(tiles_.size()); }
    int indexOf(const QString& key) const;

    void setTileImage(const QString& key, const QImage& image);
    void setTileFloatImage(const QString& key, const FloatRgbImage& image);
    void clearTileImage(const QString& key);
    bool hasImage(const QString& key) const;
    QImage displayedImage(const QString& key) const;
    void setTileCaption(const QString& key, const QString& title, const QString& detail = QString());
    QString tileTitle(const QString& key) const;
    QString tileDetail(const QString& key) const;
    // Busy with a progress in [0, 1], or -1 for an indeterminate spinner only.
    void setTileBusy(const QString& key, bool busy, double progress = -1.0);
    bool isTileBusy(const QString& key) const;
    double tileProgress(const QString& key) const;
    void setTileMessage(const QString& key, const QString& message);
    QString tileMessage(const QString& key) const;
    void setPlaceholderText(const QString& text);

    void setToneMapOptions(const ToneMapOptions& options);
    const ToneMapOptions& toneMapOptions() const { return toneOptions_; }
    double lastToneMapMs() const { return lastToneMapMs_; }

    void setShowBlockGrid(bool show);
    bool showBlockGrid() const { return showBlockGrid_; }
    void setBlockSize(int texels);
    int blockSize() const { return blockSize_; }
    // A tile's own block grid (width x height texels); an empty size: no block grid on that tile.
    void setTileBlockSize(const QString& key, const QSize& texels);
    // The block grid a tile draws: its own, else blockSize() square; empty when none.
    QSize tileBlockSize(const QString& key) const;
    void setShowPixelGrid(bool show);
    bool showPixelGrid() const { return showPixelGrid_; }

    // Selection in texels (empty when none).
    QRect selection() const { return selection_; }
    void setSelection(const QRect& texels);

    // Largest image size among the tiles; the shared geometry is defined on it.
    QSize imageSize() const;
    int columns() const { return columns_; }
    // The image area of tile `index` (the caption strip, when any tile has a caption, is above it).
    QRect tileRect(int index) const;
    QRect captionRect(int index) const;
    int captionStripHeight() const { return captionStrip_; }
    // True when the fit shows the map across its short side (a long thin map), not whole.
    bool isFitAcross() const { return fitAcross_; }
    double zoom() const { return zoom_; }
    QPointF offset() const { return offset_; }
    bool isFitMode() const { return fitMode_; }
    QPointF imageToWidget(int tileIndex, const QPointF& texel) const;
    // Texel coordinates (continuous) of a widget position inside the tile that contains it; tile -1 when none.
    QPointF widgetToImage(const QPointF& widgetPos, int* tileIndex = nullptr) const;
    int tileAt(const QPointF& widgetPos) const;
    // Integer texel under a widget position, (-1, -1) outside every image.
    QPoint texelAt(const QPointF& widgetPos) const;
    QPoint hoveredTexel() const { return hovered_; }

    QSize sizeHint() const override { return {800, 600}; }
    QSize minimumSizeHint() const override { return {160, 120}; }

public slots:
    void fitToWindow();
    void zoomToActualSize();
    void zoomIn();
    void zoomOut();
    // Zoom to `zoom` keeping the texel under `anchor` (widget coordinates, inside any tile) in place.
    void setZoom(double zoom, const QPointF& anchor);
    void panBy(const QPointF& delta);
    // Shows `texel` at the centre of every tile (keeping the zoom).
    void centreOn(const QPointF& texel);

signals:
    void zoomChanged(double zoom);
    void viewChanged();                      // zoom or pan
    void texelHovered(const QPoint& texel);  // (-1, -1) when the cursor leaves the images
    void selectionChanged(const QRect& texels);
    void tileClicked(const QString& key);
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
    struct Tile {
        QString key;
        QImage display;
        FloatRgbImage hdr;
        QString title, detail, message;
        bool busy = false;
        double progress = -1.0;
        mutable QImage minified;
        mutable qint64 minifiedKey = 0;
        // Float tiles are tone-mapped when first painted or asked for, so hidden views cost nothing per result.
        mutable bool stale = false;
        bool ownBlockSize = false;
        QSize blockSize;
    };
    void ensureDisplay(const Tile& tile) const;
    enum class Drag { None, Pan, Select };

    Tile* find(const QString& key);
    const Tile* find(const QString& key) const;
    void relayout();
    void updateCaptionStrip();
    void applyFit();
    void clampOffset();
    void zoomBy(double factor, const QPointF& anchor);
    void updateSpinner();
    void imageSizeMayHaveChanged(const QSize& before);
    void paintTile(QPainter& painter, const Tile& tile, const QRect& cell);
    void paintGrid(QPainter& painter, const QRect& cell, const QRectF& visibleTexels, const QSize& block);
    void paintCaption(QPainter& painter, const Tile& tile, const QRect& cell);
    void setHovered(const QPoint& texel);

    std::vector<Tile> tiles_;
    QString placeholder_;
    ToneMapOptions toneOptions_;
    mutable double lastToneMapMs_ = 0.0;
    bool showBlockGrid_ = false;
    bool showPixelGrid_ = true;
    int blockSize_ = 4;
    int columns_ = 1;
    int captionStrip_ = 0;
    bool fitAcross_ = false;
    int rows_ = 1;
    QSize cellSize_;
    double zoom_ = 1.0;
    QPointF offset_;  // of texel (0, 0) from each tile's top-left corner
    bool fitMode_ = true;
    Drag drag_ = Drag::None;
    QPointF dragStart_;
    QPointF offsetAtDragStart_;
    QPoint selectStart_{-1, -1};
    QRect selection_;
    QPoint hovered_{-1, -1};
    QTimer spinnerTimer_;
    int spinnerAngle_ = 0;
};

}  // namespace lmc
