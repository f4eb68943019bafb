// MainWindow: the lmstudio comparison workspace's frame. It owns the pieces and wires them: the WorkspaceModel (the
// open lightmap, every codec's parameters, runner, result and sweep), the ComparisonService (error maps, region
// metrics, texel values), and the views: the CodecPanel on the left, the ComparisonView in the centre (mode bar,
// grid / split / heatmap / charts, metrics table), the DisplayPanel, HistogramPanel and InspectorPanel on the right.
// The window itself keeps the layout, menus, toolbar, status bar, the selected codec, settings, recent files, error
// reporting and the signals tests and the screenshot mode follow.
//
// The "selected" codec (the codec combo, or a click on its tile) is the one the split view shows as B by default,
// whose editor paramEditor() returns and whose numbers the quality panel shows; reconstructionShown / resultShown
// / latencyMeasured report the selected codec only, codecResultShown / codecMetricsShown every codec. They are
// emitted after every view has shown the result.
//
// Persistence (through StudioSettings, the one owner of the keys): language, recent files, last directory, window
// geometry and splitter states, each codec's last parameters and whether it is enabled (via the model), the
// selected codec, the view mode, the Texels choice, dimming. Options::settingsFile selects an INI file instead of
// the user's settings (tests); Options::persistState = false leaves stored settings untouched on close.
//
// Threading: GUI thread only; workers belong to the model's runners and the comparison service. Errors: every slot
// catches exceptions and reports them through the presenter (a message box by default, a recorder in tests);
// library errors are shown as translated text (error_text.h) plus the detail.
#pragma once

#include <QMainWindow>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "app/studio/comparison_view.h"
#include "app/studio/compression_runner.h"
#include "app/studio/studio_settings.h"

class QAction;
class QActionGroup;
class QLabel;
class QMenu;
class QSplitter;
class QToolBar;

namespace lmc::studio {

class CodecPanel;
class ComparisonService;
class DisplayPanel;
class HistogramPanel;
class InspectorPanel;
class MultiMapWindow;
class ParamEditor;
class WorkspaceModel;

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
    using ViewMode = ComparisonView::ViewMode;

    explicit MainWindow(const Options& options = {}, QWidget* parent = nullptr);
    ~MainWindow() override;

    // Starts loading `path`; imageLoaded or loadFailed follows.
    void openFile(const QString& path);

    WorkspaceModel& model() const { return *model_; }
    ComparisonService& comparison() const { return *comparison_; }
    ComparisonView* views() const { return views_; }
    CodecPanel* codecPanel() const { return codecPanel_; }
    DisplayPanel* displayPanel() const { return displayPanel_; }
    InspectorPanel* inspectorPanel() const { return inspectorPanel_; }
    HistogramPanel* histogramPanel() const { return histogramPanel_; }

    // Forwards for the window's users (tests, presets, the screenshot mode).
    QString currentFile() const;
    std::shared_ptr<const Image> currentImage() const;
    std::string currentCodecId() const { return codecId_; }
    // The selected codec's newest result on screen (with metrics once measured), or any codec's.
    CompressionResultPtr lastResult() const { return result(codecId_); }
    CompressionResultPtr result(const std::string& codecId) const;
    // A codec's parameter editor; the selected codec's when `codecId` is empty.
    ParamEditor* paramEditor(const std::string& codecId = {}) const;
    TileGridView* gridView() const { return views_->gridView(); }
    SplitView* splitView() const { return views_->splitView(); }
    QStringList recentFiles() const { return settings_.recentFiles(); }

    void setViewMode(ViewMode mode);
    void selectCodec(const std::string& id);
    void setCodecEnabled(const std::string& codecId, bool enabled);
    std::vector<std::string> enabledCodecs() const;
    // The texels every metric, error map and region figure counts (persisted); re-measures every codec.
    void setMaskMode(MaskMode mode);
    void setDevice(const QString& device);
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

protected:
    void closeEvent(QCloseEvent* event) override;
    void changeEvent(QEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void buildMenus();
    void connectPieces();
    void retranslateUi();
    void restoreSettings();
    void saveSettings();
    void onViewPainted();
    void rebuildRecentMenu();
    void updateTitle();
    void reportError(const QString& title, const QString& text);
    // Runs `body`, turning any exception into a reported error: no exception may escape a Qt slot.
    void guarded(const char* what, const std::function<void()>& body);

    Options options_;
    StudioSettings settings_;
    ErrorPresenter presenter_;
    WorkspaceModel* model_ = nullptr;
    ComparisonService* comparison_ = nullptr;

    CodecPanel* codecPanel_ = nullptr;
    ComparisonView* views_ = nullptr;
    DisplayPanel* displayPanel_ = nullptr;
    InspectorPanel* inspectorPanel_ = nullptr;
    HistogramPanel* histogramPanel_ = nullptr;
    QSplitter* splitter_ = nullptr;
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
    QAction* fastPreviewAction_ = nullptr;
    QAction* multiMapAction_ = nullptr;
    MultiMapWindow* multiMap_ = nullptr;  // created on first use
    QAction* modeActions_[4] = {nullptr, nullptr, nullptr, nullptr};
    QAction* aboutAction_ = nullptr;
    QActionGroup* languageGroup_ = nullptr;
    QActionGroup* modeActionGroup_ = nullptr;
    QToolBar* toolBar_ = nullptr;

    std::string codecId_;
    QString device_;
    QString language_;
};

}  // namespace lmc::studio
