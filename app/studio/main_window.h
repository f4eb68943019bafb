// MainWindow: the lmstudio comparison workspace. The open lightmap and every enabled codec's reconstruction side by
// side (grid), any two of them with a divider (split), their error maps with a legend (heatmap), and rate-distortion
// curves with time bars (charts); a codec panel with every registered codec (switchable, controls generated from
// its schema, the rate parameter as a prominent slider), display controls (exposure, tone curve, false colour), a
// pixel inspector, region metrics and a sortable, copyable metrics table.
//
// Flow: openFile() reads the EXR on a worker thread (readExr + metrics normalisation + suggested exposure); on
// success the image replaces the current one and every enabled codec's job starts; on failure the error is reported
// (through the injectable ErrorPresenter: a message box by default, a recorder in tests) and the current image
// stays. Each codec has its own CompressionRunner (debounced, cancelling, stale results dropped), so moving one
// codec's slider re-encodes only that codec while its tile shows a busy spinner and progress. When a codec's live
// result is measured, a background RD sweep of it starts (SweepRunner: lower priority, waits while live jobs run,
// cancellable, progress in the codec panel); its points grow the charts and the live result is the marker. Error
// maps are computed (and colourised) on worker threads only while the heatmap view is shown. Region metrics follow
// a Shift+drag selection in the grid or heatmap view.
//
// The "selected" codec (codecCombo(), or a click on its tile) is the one the split view shows as B by default,
// whose editor paramEditor() returns and whose numbers metricsPanel() shows; reconstructionShown/resultShown/
// latencyMeasured report the selected codec only, codecResultShown every codec.
//
// Persistence (QSettings): language, recent files, last directory, window geometry and splitter state, the last
// parameters of each codec and whether it is enabled, the selected codec, the view mode. Options::settingsFile
// selects an INI file instead of the user's settings (tests); Options::persistState = false leaves stored settings
// untouched on close (screenshot runs).
//
// Threading: GUI thread only; workers are owned and joined here. Errors: every slot catches exceptions and reports
// them through the presenter; library errors are shown as translated text (error_text.h) plus the detail.
#pragma once

#include <QFutureWatcher>
#include <QMainWindow>
#include <QPointer>
#include <QSettings>
#include <QThreadPool>
#include <QTimer>

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <vector>

#include "app/studio/compression_runner.h"
#include "app/studio/sweep_runner.h"
#include "codec/exr_io.h"
#include "widgets/heatmap.h"
#include "widgets/tone_map.h"

class QActionGroup;
class QButtonGroup;
class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QGroupBox;
class QLabel;
class QMenu;
class QProgressBar;
class QPushButton;
class QSlider;
class QSplitter;
class QStackedWidget;
class QTableWidget;
class QToolBar;
class QToolButton;
class QVBoxLayout;

namespace lmc {
class HeatmapLegend;
class MetricsPanel;
class MetricsTable;
class RdChartView;
class SplitView;
class TileGridView;
}  // namespace lmc

namespace lmc::studio {

class ParamEditor;

struct MainWindowOptions {
    using ErrorPresenter = std::function<void(QWidget* parent, const QString& title, const QString& text)>;
    QString settingsFile;  // empty: the user's QSettings
    bool persistState = true;
    ErrorPresenter errorPresenter;            // empty: a warning message box
    const CodecRegistry* registry = nullptr;  // null: CodecRegistry::builtin()
    QString defaultCodec = QStringLiteral("jpeg");
    bool autoSweep = true;  // start RD sweeps on their own once live results are measured
};

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    using ErrorPresenter = MainWindowOptions::ErrorPresenter;
    using Options = MainWindowOptions;
    enum class ViewMode { Grid = 0, Split = 1, Heatmap = 2, Charts = 3 };

    explicit MainWindow(const Options& options = {}, QWidget* parent = nullptr);
    ~MainWindow() override;

    // Starts loading `path`; imageLoaded or loadFailed follows.
    void openFile(const QString& path);
    void setErrorPresenter(ErrorPresenter presenter) { presenter_ = std::move(presenter); }

    QString currentFile() const { return currentFile_; }
    std::shared_ptr<const Image> currentImage() const { return source_; }
    std::string currentCodecId() const { return codecId_; }
    // The selected codec's newest result on screen (with metrics once measured).
    CompressionResultPtr lastResult() const { return result(codecId_); }
    CompressionResultPtr result(const std::string& codecId) const;
    bool isLoading() const { return loadWatcher_ != nullptr; }

    SplitView* splitView() const { return view_; }
    TileGridView* gridView() const { return grid_; }
    TileGridView* heatmapView() const { return heatGrid_; }
    HeatmapLegend* heatmapLegend() const { return legend_; }
    RdChartView* chartView() const { return charts_; }
    MetricsTable* metricsTable() const { return table_; }
    MetricsPanel* metricsPanel() const { return metrics_; }
    ParamEditor* paramEditor() const { return paramEditor(codecId_); }
    ParamEditor* paramEditor(const std::string& codecId) const;
    CompressionRunner* runner() const { return runner(codecId_); }
    CompressionRunner* runner(const std::string& codecId) const;
    SweepRunner* sweepRunner() const { return sweeps_; }
    QComboBox* codecCombo() const { return codecCombo_; }
    QDoubleSpinBox* exposureSpin() const { return exposureSpin_; }
    QComboBox* toneCurveCombo() const { return toneCurveCombo_; }
    QCheckBox* falseColourCheck() const { return falseColourCheck_; }
    QComboBox* deviceCombo() const { return deviceCombo_; }
    QLabel* deviceStatusLabel() const { return deviceStatus_; }
    QStringList recentFiles() const;

    ViewMode viewMode() const { return mode_; }
    void setViewMode(ViewMode mode);
    void setCodecEnabled(const std::string& codecId, bool enabled);
    bool isCodecEnabled(const std::string& codecId) const;
    std::vector<std::string> enabledCodecs() const;
    void selectCodec(const std::string& id);

    // Split view sources: "original" or a codec id.
    void setSplitSources(const QString& a, const QString& b);
    QString splitSource(bool sideB) const;

    // The texels every metric, error map and region figure counts (persisted); re-measures every codec.
    void setMaskMode(MaskMode mode);
    MaskMode maskMode() const { return maskMode_; }
    QComboBox* maskCombo() const { return maskCombo_; }

    void setHeatmapKind(ErrorMapKind kind);
    ErrorMapKind heatmapKind() const { return heatKind_; }
    void setHeatmapLogarithmic(bool logarithmic);
    void setHeatmapScaleLocked(bool locked);
    bool isHeatmapScaleLocked() const { return heatLocked_; }
    // The scale a codec's heatmap is shown with (locked or its own); sanitized default when none yet.
    HeatmapScale heatmapScale(const std::string& codecId) const;
    bool heatmapsPending() const;

    const std::vector<SweepPoint>& sweepPoints(const std::string& codecId) const;
    void startSweep(const std::string& codecId);
    void cancelSweeps();

    // The inspector's text for a texel (as hovering it shows), and the region metrics of a texel rectangle.
    void inspectTexel(const QPoint& texel);
    QString inspectorText() const;
    void selectRegion(const QRect& texels);
    QTableWidget* regionTable() const { return regionTable_; }

    void setDevice(const QString& device);
    QString device() const { return device_; }

    // Language chosen in the menu or on the command line; saved when `persist`.
    void setLanguage(const QString& code, bool persist);

signals:
    void imageLoaded(const QString& path);
    void loadFailed(const QString& path, const QString& message);
    void errorReported(const QString& title, const QString& text);
    // The selected codec's reconstruction of `generation` is on screen.
    void reconstructionShown(quint64 generation);
    // Its metrics are in the panel too: the result is complete on screen.
    void resultShown(quint64 generation);
    // Time from the selected codec's parameter change to the first paint that showed its reconstruction.
    void latencyMeasured(double milliseconds);
    // Any codec: its reconstruction / its metrics are on screen.
    void codecResultShown(const QString& codecId, quint64 generation);
    void codecMetricsShown(const QString& codecId, quint64 generation);
    // A codec's live job failed (also reported through errorReported).
    void codecFailed(const QString& codecId, const QString& text);
    // Time from a codec's parameter change to the first paint that showed it (every codec).
    void codecLatencyMeasured(const QString& codecId, double milliseconds);
    void heatmapsUpdated();
    void sweepPointAdded(const QString& codecId, int points);
    void sweepFinished(const QString& codecId);
    void regionMetricsShown(const QRect& texels);

protected:
    void closeEvent(QCloseEvent* event) override;
    void changeEvent(QEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    struct LoadOutcome;
    struct CodecSlot;
    struct HeatResult;

    void buildUi();
    QWidget* buildCodecPanel();
    QWidget* buildCentre();
    QWidget* buildRightPanel();
    void buildMenus();
    void retranslateUi();
    void restoreSettings();
    void saveSettings();
    void createSlots();
    CodecSlot* slotFor(const std::string& id);
    const CodecSlot* slotFor(const std::string& id) const;
    void requestCompression(CodecSlot& slot, bool immediately);
    void requestAll();
    void onLoadFinished();
    void onReconstruction(CodecSlot& slot, const CompressionResultPtr& result);
    void onMetrics(CodecSlot& slot, const CompressionResultPtr& result);
    void onJobFailed(CodecSlot& slot, const Error& error);
    void onTexelHovered(const QPoint& texel);
    void onViewPainted();
    void onSweepPoint(const QString& codecId, quint64 sweepId, const SweepPoint& point);
    void maybeStartSweep(CodecSlot& slot);
    std::string sweepSignature(const CodecSlot& slot) const;
    void updateSweepUi(CodecSlot& slot);
    void updateTiles();
    void updateTile(CodecSlot& slot);
    void updateTableRow(CodecSlot& slot);
    void updateChart(CodecSlot& slot);
    void updateSplit();
    void updateSplitCombos();
    void updateHeatmaps();
    void requestHeatmap(CodecSlot& slot);
    void recolourHeatmaps();
    void updateLegend();
    void updateRegionMetrics();
    void updateDisplayOptions();
    void updateShownMask();
    void reportError(const QString& title, const QString& text);
    void addRecentFile(const QString& path);
    void rebuildRecentMenu();
    void updateTitle();
    void updateImageInfo();
    void updateSideLabels();
    void updateMetricsPanel();
    void setExposure(double ev);
    QString codecName(const std::string& id) const;
    QString sourceName(const QString& key) const;
    std::shared_ptr<const Image> imageFor(const QString& key) const;
    FloatRgbImage floatFor(const std::shared_ptr<const Image>& image) const;
    // Runs `body`, turning any exception into a reported error: no exception may escape a Qt slot.
    void guarded(const char* what, const std::function<void()>& body);

    Options options_;
    const CodecRegistry& registry_;
    std::unique_ptr<QSettings> settings_;
    ErrorPresenter presenter_;

    std::vector<std::unique_ptr<CodecSlot>> slots_;
    SweepRunner* sweeps_ = nullptr;

    // Views.
    QStackedWidget* stack_ = nullptr;
    TileGridView* grid_ = nullptr;
    SplitView* view_ = nullptr;
    TileGridView* heatGrid_ = nullptr;
    HeatmapLegend* legend_ = nullptr;
    RdChartView* charts_ = nullptr;
    MetricsTable* table_ = nullptr;
    MetricsPanel* metrics_ = nullptr;
    QSplitter* splitter_ = nullptr;
    QSplitter* centreSplitter_ = nullptr;

    // Mode bar.
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
    QLabel* heatKindLabel_ = nullptr;
    QComboBox* heatKindCombo_ = nullptr;
    QCheckBox* heatLogCheck_ = nullptr;
    QCheckBox* heatLockCheck_ = nullptr;
    QPushButton* sweepAllButton_ = nullptr;
    QPushButton* cancelSweepsButton_ = nullptr;
    QLabel* chartsHint_ = nullptr;

    // Codec panel.
    QGroupBox* codecGroup_ = nullptr;
    QLabel* codecLabel_ = nullptr;
    QComboBox* codecCombo_ = nullptr;
    QLabel* deviceLabel_ = nullptr;
    QComboBox* deviceCombo_ = nullptr;
    QVBoxLayout* cardsLayout_ = nullptr;

    // Right panel.
    QGroupBox* viewGroup_ = nullptr;
    QLabel* exposureLabel_ = nullptr;
    QDoubleSpinBox* exposureSpin_ = nullptr;
    QSlider* exposureSlider_ = nullptr;
    QToolButton* autoExposureButton_ = nullptr;
    QLabel* toneCurveLabel_ = nullptr;
    QComboBox* toneCurveCombo_ = nullptr;
    QCheckBox* falseColourCheck_ = nullptr;
    QGroupBox* metricsGroup_ = nullptr;
    QLabel* maskLabel_ = nullptr;
    QComboBox* maskCombo_ = nullptr;
    QGroupBox* inspectorGroup_ = nullptr;
    QLabel* inspector_ = nullptr;
    QGroupBox* regionGroup_ = nullptr;
    QLabel* regionLabel_ = nullptr;
    QTableWidget* regionTable_ = nullptr;
    QGroupBox* imageGroup_ = nullptr;
    QLabel* imageInfo_ = nullptr;
    QLabel* latencyLabel_ = nullptr;
    QLabel* deviceStatus_ = nullptr;

    QMenu* fileMenu_ = nullptr;
    QMenu* recentMenu_ = nullptr;
    QMenu* viewMenu_ = nullptr;
    QMenu* languageMenu_ = nullptr;
    QMenu* helpMenu_ = nullptr;
    QAction* openAction_ = nullptr;
    QAction* openSampleAction_ = nullptr;
    QAction* clearRecentAction_ = nullptr;
    QAction* quitAction_ = nullptr;
    QAction* fitAction_ = nullptr;
    QAction* actualSizeAction_ = nullptr;
    QAction* zoomInAction_ = nullptr;
    QAction* zoomOutAction_ = nullptr;
    QAction* flipAction_ = nullptr;
    QAction* autoExposureAction_ = nullptr;
    QAction* dimUncoveredAction_ = nullptr;
    QAction* modeActions_[4] = {nullptr, nullptr, nullptr, nullptr};
    QAction* aboutAction_ = nullptr;
    QActionGroup* languageGroup_ = nullptr;
    QActionGroup* modeActionGroup_ = nullptr;
    QToolBar* toolBar_ = nullptr;

    QFutureWatcher<std::shared_ptr<LoadOutcome>>* loadWatcher_ = nullptr;
    QString loadingPath_;
    QString currentFile_;
    std::shared_ptr<const Image> source_;
    std::shared_ptr<const ExrInfo> sourceInfo_;
    std::shared_ptr<const MetricsNormalization> normalization_;
    ImageStats sourceStats_;
    double suggestedExposure_ = 0.0;
    std::string codecId_;
    ViewMode mode_ = ViewMode::Grid;
    QString splitA_ = QStringLiteral("original");
    QString splitB_;  // empty: follows the selected codec
    ErrorMapKind heatKind_ = ErrorMapKind::Relative;
    MaskMode maskMode_ = MaskMode::Visible;
    // The texels maskMode_ selects in source_ (null: all of them), for dimming the rest in every view.
    std::shared_ptr<const std::vector<std::uint8_t>> shownMask_;
    bool heatLog_ = true;
    bool heatLocked_ = true;
    quint64 heatToken_ = 0;
    QPoint hovered_{-1, -1};
    QRect region_;
    std::atomic<quint64> regionToken_{0};  // read by region jobs to stop early
    QTimer* regionTimer_ = nullptr;
    QString device_;
    QString language_;
    // What the split view shows, so unchanged sides are not tone-mapped again.
    const Image* splitShown_[2] = {nullptr, nullptr};
    // Error maps, colourising and region metrics run here; joined in the destructor before anything they touch.
    QThreadPool workPool_;
};

}  // namespace lmc::studio
