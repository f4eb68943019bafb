// PresetActions: the File menu's "Save Preset…", "Load Preset…" and "Export…" for lmstudio, plus the parts of
// persistence the window itself does not do (window state of toolbars/docks, pruning vanished recent files with a
// message). It talks to the window only through StudioHooks, so the window's layout can change freely.
//
// Save Preset asks for a target name ("PC high", "mobile"), optionally a quality target (mPSNR / PU21-PSNR /
// log-PSNR at least, or bits per texel at most: a solving preset, codec/rate_solve.h) and a file; the preset holds
// the current codec, its parameters and GPU format (a chain) and, when the shown result has metrics for exactly that
// setting and chain, a metrics snapshot. Load Preset validates the file against the registry (app/preset/preset.h) and
// hands codec and parameters to StudioHooks::applyPreset (and its GPU format, none when it has none, to
// applyGpuFormat); errors are shown as translated text plus the English detail, warnings in a note. After a fixed-knob
// preset is applied, the first measured result of exactly its setting is compared with the preset's snapshot in the
// status bar ("on this map: 38.2 dB mPSNR at 0.41 bpp; saved on atrium.exr: 45.1 dB at 0.52 bpp"; presetCompared). A
// solving preset is applied as saved, then its target is solved for the open map on the workspace's JobScheduler
// (StudioHooks::scheduler; Normal priority) and the setting found is applied the same way (presetSolved; a target the
// map cannot reach applies the best effort and says so). Loading another preset cancels a running solve; an answer for
// a map that is no longer open is dropped. Export asks for a folder, then as a Normal job of the same scheduler encodes
// the open lightmap with the current setting (so the compressed file holds exactly the bytes that are measured),
// decodes and measures it, and writes the files through Exporter (never overwriting the source; existing files only
// after the user agreed). A progress dialog can cancel it.
//
// Threading: GUI thread; the export and solve jobs run on the scheduler (each in its own group) and report back
// queued; the destructor cancels and waits for them. Errors: reported through StudioHooks::reportError (a
// message box when empty) and the finished signals; nothing throws out of a slot.
#pragma once

#include <QImage>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "app/preset/preset.h"
#include "app/studio/compression_runner.h"
#include "app/studio/job_scheduler.h"
#include "app/studio/studio_settings.h"
#include "codec/rate_solve.h"

class QAction;
class QMainWindow;
class QMenu;
class QProgressDialog;
class QTimer;
class QWidget;

namespace lmc::studio {

struct StudioHooks {
    std::function<QString()> currentFile;  // absolute path of the open lightmap, empty if none
    std::function<std::shared_ptr<const Image>()> currentImage;
    std::function<std::string()> currentCodec;            // codec id the preset/export uses
    std::function<ParamSet()> currentParams;              // its parameters
    std::function<CompressionResultPtr()> currentResult;  // the shown result (metrics snapshot), may be null
    // Selects the codec and sets its parameters in the window; false when it cannot (the message is reported).
    std::function<bool(const std::string& codecId, const ParamSet& params)> applyPreset;
    // optional: the current codec's GPU format (parseGpuFormat text, empty: none), saved with a preset, and setting a
    // codec's GPU format when a preset is loaded (a preset without one sets none)
    std::function<std::string()> currentGpuFormat;
    std::function<bool(const std::string& codecId, const std::string& gpuFormat)> applyGpuFormat;
    std::function<QImage()> heatmapImage;  // optional: the error heatmap as shown
    std::function<QImage()> chartImage;    // optional: the RD chart as shown
    std::function<MaskMode()> maskMode;    // optional: the texels the window's metrics count (default visible)
    // optional: a codec's newest result (default: currentResult when it is the current codec's)
    std::function<CompressionResultPtr(const std::string& codecId)> resultFor;
    // optional: where solving presets and exports run (default: a scheduler of the actions' own)
    std::function<std::shared_ptr<JobScheduler>()> scheduler;
    std::function<void(QWidget* parent, const QString& title, const QString& text)> reportError;  // optional
};

struct ExportOutcome {
    bool ok = false;
    bool cancelled = false;
    QStringList files;  // written
    Error error;        // when !ok
    QString errorText;  // when !ok: translated summary + the English detail
};

class PresetActions : public QObject {
    Q_OBJECT
public:
    // `settingsFile`: the INI file the window uses (empty: the user's settings). `persistState` false: window
    // state is restored but never saved (screenshot runs, tests).
    PresetActions(QMainWindow* window, StudioHooks hooks, const QString& settingsFile = {}, bool persistState = true,
                  const CodecRegistry& registry = CodecRegistry::builtin());
    ~PresetActions() override;

    QAction* savePresetAction() const { return savePreset_; }
    QAction* loadPresetAction() const { return loadPreset_; }
    QAction* exportAction() const { return export_; }
    StudioSettings& settings() { return settings_; }

    // Inserts the three actions and a separator into `menu` before `before` (null: at the end).
    void addToMenu(QMenu* menu, QAction* before = nullptr);

    // Dialog-free entry points (the actions call them after their dialogs; tests call them directly).
    Status savePresetTo(const QString& path, const QString& target,
                        const std::optional<SolveTarget>& solve = std::nullopt);
    // Loads, validates and applies; warnings are returned through `warnings` when given.
    Status loadPresetFrom(const QString& path, QStringList* warnings = nullptr);
    // Starts an export into `folder`; exportFinished follows. False (and nothing started) when there is no image
    // or an export is already running.
    bool exportTo(const QString& folder, bool overwrite);
    bool isExporting() const { return exportCancel_ != nullptr; }
    void cancelExport();
    bool isSolving() const { return solveCancel_ != nullptr; }
    // The window calls this when a codec's measured result is shown: completes a pending preset comparison.
    void noteMetricsShown(const std::string& codecId);
    // "mPSNR ≥ 45 dB", "≤ 1.5 bpp": a target as the UI names it (translated).
    static QString targetText(const SolveTarget& target);

signals:
    void presetSaved(const QString& path);
    void presetLoaded(const QString& path, const QStringList& warnings);
    void exportFinished(const lmc::studio::ExportOutcome& outcome);
    // A fixed preset's setting measured on the open map, beside its snapshot (the status bar text).
    void presetCompared(const QString& text);
    // A solving preset's target solved on the open map and its setting applied; `reached` false: the best effort.
    void presetSolved(bool reached, const QString& text);
    void presetSolveFailed(const QString& text);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void retranslate();
    void saveWithDialog();
    void loadWithDialog();
    void exportWithDialog();
    void onExportDone(ExportOutcome outcome);
    // The workspace's scheduler (StudioHooks::scheduler) or one of the actions' own, made on first use.
    JobScheduler& scheduler();
    void report(const QString& title, const QString& text);
    void pruneRecentFiles();
    void showComparison(const CompressionResult& result);
    void startSolve(const preset::Preset& preset);
    void cancelSolve();
    void onSolved(quint64 generation, const std::shared_ptr<Result<SolveResult>>& result);
    void status(const QString& text, int ms);

    struct PendingComparison {
        std::string codecId;
        ParamSet params;
        std::optional<preset::MetricsSnapshot> snapshot;
    };
    struct SolveJob {
        std::string codecId;
        SolveTarget target;
        std::shared_ptr<const Image> image;
        QString file;
    };

    QMainWindow* window_;
    StudioHooks hooks_;
    StudioSettings settings_;
    bool persistState_;
    const CodecRegistry& registry_;
    QAction* savePreset_ = nullptr;
    QAction* loadPreset_ = nullptr;
    QAction* export_ = nullptr;
    QAction* separator_ = nullptr;
    QString lastTarget_;
    std::shared_ptr<CancelToken> exportCancel_;  // set while an export runs
    QPointer<QProgressDialog> progress_;
    std::optional<PendingComparison> pendingComparison_;
    std::shared_ptr<JobScheduler> scheduler_;  // see scheduler()
    std::shared_ptr<JobScheduler::Group> solveGroup_, exportGroup_;
    std::shared_ptr<CancelToken> solveCancel_;
    std::optional<SolveJob> solveJob_;
    quint64 solveGeneration_ = 0;
    QTimer* solveTimer_ = nullptr;
};

// Creates the actions for `window`, adds them to `fileMenu` before `before` and returns them (owned by window).
PresetActions* installPresetActions(QMainWindow* window, QMenu* fileMenu, QAction* before, StudioHooks hooks,
                                    const QString& settingsFile = {}, bool persistState = true);

class MainWindow;
// The hooks over lmstudio's MainWindow (main_window_presets.cpp): the selected codec and its editor's values, the
// shown result, its heatmap tile and the RD chart; applying a preset enables and selects the codec and sets its
// parameters as if the user had moved the controls. reportError is left empty (the window sets its own).
StudioHooks mainWindowHooks(MainWindow* window);

}  // namespace lmc::studio

Q_DECLARE_METATYPE(lmc::studio::ExportOutcome)
