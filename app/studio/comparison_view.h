// ComparisonView: lmstudio's centre. A mode bar (Grid, Split, Heatmap, Charts, each with its own options: texel and
// codec block grids; the split sources, Flip and the A/B flicker; the error kind, log scale and locked scale; Sweep All
// and Cancel Sweeps) above the view-mode stack: the original and every enabled codec as synchronised tiles (grid), any
// two of them with a divider (split), their error maps with a legend (heatmap), and RD curves with time bars beside a
// target readout and a BD table (charts, ChartsPanel); below, the sortable metrics table with a row per codec. With
// false colour on, a legend under the grid and split views gives the luminance of each colour in the map's units.
// Switching between grid, split and heatmap keeps the zoom and the texel at the centre of the view.
//
// It follows the WorkspaceModel (tiles, captions, busy spinners, rows, chart markers and curves, the dimmed
// texels) and the ComparisonService (heatmap tiles, legend), and changes them only through their functions; the
// selected codec (setSelected) is the split view's B by default and the legend's codec when scales are unlocked.
// Intents that belong to the window are emitted: texelHovered, codecClicked (a tile, or a chart point whose setting
// was applied), painted (for latency), and
// viewModeChanged.
//
// Threading: GUI thread only; tone mapping runs inside the widgets. Errors: a codec's failure is shown on its
// tiles as the model holds it; a failed error map on its heatmap tile.
#pragma once

#include <QRect>
#include <QWidget>

#include <string>

#include "widgets/split_view.h"
#include "widgets/tile_grid_view.h"
#include "widgets/tone_map.h"

class QButtonGroup;
class QCheckBox;
class QComboBox;
class QLabel;
class QPushButton;
class QSplitter;
class QStackedWidget;
class QToolButton;

namespace lmc {
class HeatmapLegend;
class MetricsTable;
class RdChartView;
class Image;
}  // namespace lmc

namespace lmc::studio {

class ChartsPanel;
class ComparisonService;
class WorkspaceModel;

class ComparisonView : public QWidget {
    Q_OBJECT
public:
    enum class ViewMode { Grid = 0, Split = 1, Heatmap = 2, Charts = 3 };

    ComparisonView(WorkspaceModel& model, ComparisonService& comparison, QWidget* parent = nullptr);

    TileGridView* gridView() const { return grid_; }
    SplitView* splitView() const { return view_; }
    TileGridView* heatmapView() const { return heatGrid_; }
    HeatmapLegend* heatmapLegend() const { return legend_; }
    HeatmapLegend* falseColourLegend() const { return lumLegend_; }
    QCheckBox* flickerCheck() const { return flickerCheck_; }
    QCheckBox* autoFlickerCheck() const { return autoFlickerCheck_; }
    RdChartView* chartView() const { return charts_; }
    ChartsPanel* chartsPanel() const { return chartsPanel_; }
    MetricsTable* metricsTable() const { return table_; }
    QSplitter* splitter() const { return splitter_; }

    ViewMode viewMode() const { return mode_; }
    void setViewMode(ViewMode mode);
    void setSelected(const std::string& codecId);
    // Split view sources: "original" or a codec id (an unknown or switched-off codec is ignored).
    void setSplitSources(const QString& a, const QString& b);
    QString splitSource(bool sideB) const { return sideB ? splitB_ : splitA_; }
    // The texel rectangle every grid shows as selected and the comparison measures (empty: none).
    void selectRegion(const QRect& texels);
    void setToneMapOptions(const ToneMapOptions& options);
    // Calls `gridSlot` on the shown grid, or `splitSlot` on the split view when it is shown (the View menu).
    template <class G, class S>
    void applyToShownView(G gridSlot, S splitSlot) {
        if (mode_ == ViewMode::Split)
            (view_->*splitSlot)();
        else
            ((mode_ == ViewMode::Heatmap ? heatGrid_ : grid_)->*gridSlot)();
    }
    void retranslate();

signals:
    void viewModeChanged(lmc::studio::ComparisonView::ViewMode mode);
    void texelHovered(const QPoint& texel);
    void codecClicked(const std::string& codecId);
    void painted();

private:
    QWidget* buildModeBar();
    void connectModel();
    void onImageLoaded();
    void showImages();
    void updateTiles();
    void updateTile(const std::string& codecId);
    void updateTableRow(const std::string& codecId);
    void updateSplit();
    void updateSplitCombos();
    void updateSideLabels();
    void updateLegend();
    void syncHeatControls();
    void updateFalseColourLegend();
    struct ViewPlace {
        bool valid = false;
        bool fit = true;
        double zoom = 1.0;
        QPointF centre;
    };
    ViewPlace placeOf(ViewMode mode) const;
    void applyPlace(ViewMode mode, const ViewPlace& place);
    FloatRgbImage floatFor(const std::shared_ptr<const Image>& image) const;
    std::shared_ptr<const Image> imageFor(const QString& key) const;

    WorkspaceModel& model_;
    ComparisonService& comparison_;
    std::string selected_;
    ViewMode mode_ = ViewMode::Grid;
    QString splitA_;
    QString splitB_;  // empty: none
    // What the split view shows, so unchanged sides are not tone-mapped again.
    const Image* splitShown_[2] = {nullptr, nullptr};

    QStackedWidget* stack_ = nullptr;
    TileGridView* grid_ = nullptr;
    SplitView* view_ = nullptr;
    TileGridView* heatGrid_ = nullptr;
    HeatmapLegend* legend_ = nullptr;
    HeatmapLegend* lumLegend_ = nullptr;
    ToneMapOptions toneOptions_;
    ChartsPanel* chartsPanel_ = nullptr;
    RdChartView* charts_ = nullptr;  // chartsPanel_'s
    MetricsTable* table_ = nullptr;
    QSplitter* splitter_ = nullptr;

    QButtonGroup* modeGroup_ = nullptr;
    QToolButton* modeButtons_[4] = {nullptr, nullptr, nullptr, nullptr};
    QStackedWidget* modeOptions_ = nullptr;
    QCheckBox* blockGridCheck_ = nullptr;
    QCheckBox* pixelGridCheck_ = nullptr;
    QLabel* gridHint_ = nullptr;
    QLabel* splitALabel_ = nullptr;
    QLabel* splitBLabel_ = nullptr;
    QComboBox* splitACombo_ = nullptr;
    QComboBox* splitBCombo_ = nullptr;
    QPushButton* flipButton_ = nullptr;
    QCheckBox* flickerCheck_ = nullptr;
    QCheckBox* autoFlickerCheck_ = nullptr;
    QLabel* heatKindLabel_ = nullptr;
    QComboBox* heatKindCombo_ = nullptr;
    QCheckBox* heatLogCheck_ = nullptr;
    QCheckBox* heatLockCheck_ = nullptr;
    QPushButton* sweepAllButton_ = nullptr;
    QPushButton* cancelSweepsButton_ = nullptr;
    QLabel* chartsHint_ = nullptr;
};

}  // namespace lmc::studio
