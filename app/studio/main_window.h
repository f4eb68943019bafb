// MainWindow: the lmstudio window. The open lightmap (A) and its reconstruction by the chosen codec (B) in a
// SplitView, the codec's parameters generated from its schema, an exposure control, and the metrics.
//
// Flow: openFile() reads the EXR on a worker thread (readExr + metrics normalisation + suggested exposure); on
// success the image replaces the current one and a compression job starts; on failure the error is reported
// (through the injectable ErrorPresenter: a message box by default, a recorder in tests) and the current image
// stays. Parameter edits go to a CompressionRunner (debounced, cancelling, stale results dropped), so the window
// never waits for a codec.
//
// Persistence (QSettings): language, recent files, last directory, window geometry and splitter state, the last
// parameters of each codec, the chosen codec. Options::settingsFile selects an INI file instead of the user's
// settings (tests); Options::persistState = false leaves stored settings untouched on close (screenshot runs).
//
// Threading: GUI thread only; workers are owned and joined here. Errors: every slot catches exceptions and reports
// them through the presenter; library errors are shown as translated text (error_text.h) plus the detail.
#pragma once

#include <QFutureWatcher>
#include <QMainWindow>
#include <QPointer>
#include <QSettings>

#include <functional>
#include <map>
#include <memory>

#include "app/studio/compression_runner.h"
#include "codec/exr_io.h"

class QActionGroup;
class QComboBox;
class QDoubleSpinBox;
class QGroupBox;
class QLabel;
class QMenu;
class QSlider;
class QSplitter;
class QToolBar;
class QToolButton;

namespace lmc {
class MetricsPanel;
class SplitView;
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
};

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    using ErrorPresenter = MainWindowOptions::ErrorPresenter;
    using Options = MainWindowOptions;

    explicit MainWindow(const Options& options = {}, QWidget* parent = nullptr);
    ~MainWindow() override;

    // Starts loading `path`; imageLoaded or loadFailed follows.
    void openFile(const QString& path);
    void setErrorPresenter(ErrorPresenter presenter) { presenter_ = std::move(presenter); }

    QString currentFile() const { return currentFile_; }
    std::shared_ptr<const Image> currentImage() const { return source_; }
    std::string currentCodecId() const { return codecId_; }
    CompressionResultPtr lastResult() const { return lastResult_; }
    bool isLoading() const { return loadWatcher_ != nullptr; }

    SplitView* splitView() const { return view_; }
    MetricsPanel* metricsPanel() const { return metrics_; }
    ParamEditor* paramEditor() const { return params_; }
    CompressionRunner* runner() const { return runner_; }
    QComboBox* codecCombo() const { return codecCombo_; }
    QDoubleSpinBox* exposureSpin() const { return exposureSpin_; }
    QStringList recentFiles() const;

    // Language chosen in the menu or on the command line; saved when `persist`.
    void setLanguage(const QString& code, bool persist);

signals:
    void imageLoaded(const QString& path);
    void loadFailed(const QString& path, const QString& message);
    void errorReported(const QString& title, const QString& text);
    // The reconstruction of `generation` is in the split view.
    void reconstructionShown(quint64 generation);
    // Its metrics are in the panel too: the result is complete on screen.
    void resultShown(quint64 generation);
    // Time from the parameter change to the first paint that showed its reconstruction.
    void latencyMeasured(double milliseconds);

protected:
    void closeEvent(QCloseEvent* event) override;
    void changeEvent(QEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    struct LoadOutcome;

    void buildUi();
    void buildMenus();
    void retranslateUi();
    void restoreSettings();
    void saveSettings();
    void populateCodecs();
    void selectCodec(const std::string& id);
    void requestCompression(bool immediately);
    void onLoadFinished();
    void onReconstruction(const CompressionResultPtr& result);
    void onMetrics(const CompressionResultPtr& result);
    void onJobFailed(quint64 generation, const Error& error);
    void onTexelHovered(const QPoint& texel);
    void onViewPainted();
    void reportError(const QString& title, const QString& text);
    void addRecentFile(const QString& path);
    void rebuildRecentMenu();
    void updateTitle();
    void updateImageInfo();
    void updateSideLabels();
    void setExposure(double ev);
    // Runs `body`, turning any exception into a reported error: no exception may escape a Qt slot.
    void guarded(const char* what, const std::function<void()>& body);

    Options options_;
    const CodecRegistry& registry_;
    std::unique_ptr<QSettings> settings_;
    ErrorPresenter presenter_;

    SplitView* view_ = nullptr;
    MetricsPanel* metrics_ = nullptr;
    ParamEditor* params_ = nullptr;
    CompressionRunner* runner_ = nullptr;
    QSplitter* splitter_ = nullptr;
    QComboBox* codecCombo_ = nullptr;
    QDoubleSpinBox* exposureSpin_ = nullptr;
    QSlider* exposureSlider_ = nullptr;
    QToolButton* autoExposureButton_ = nullptr;
    QGroupBox* codecGroup_ = nullptr;
    QGroupBox* viewGroup_ = nullptr;
    QGroupBox* metricsGroup_ = nullptr;
    QGroupBox* imageGroup_ = nullptr;
    QLabel* codecLabel_ = nullptr;
    QLabel* codecDescription_ = nullptr;
    QLabel* exposureLabel_ = nullptr;
    QLabel* imageInfo_ = nullptr;
    QLabel* hoverLabel_ = nullptr;
    QLabel* latencyLabel_ = nullptr;

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
    QAction* aboutAction_ = nullptr;
    QActionGroup* languageGroup_ = nullptr;
    QToolBar* toolBar_ = nullptr;

    QFutureWatcher<std::shared_ptr<LoadOutcome>>* loadWatcher_ = nullptr;
    QString loadingPath_;
    QString currentFile_;
    std::shared_ptr<const Image> source_;
    std::shared_ptr<const ExrInfo> sourceInfo_;
    ImageStats sourceStats_;
    double suggestedExposure_ = 0.0;
    std::string codecId_;
    std::map<std::string, ParamSet> paramsByCodec_;
    CompressionResultPtr lastResult_;
    qint64 latencyStartNs_ = -1;  // set when a reconstruction was handed to the view, cleared at its paint
    QString language_;
};

}  // namespace lmc::studio
