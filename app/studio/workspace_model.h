// WorkspaceModel: the state of an lmstudio comparison, with no widgets in it: the open lightmap and its facts
// (LoadedImage: path, EXR info, statistics, metrics normalisation, suggested exposure, the shown mask), the texels
// the metrics count (MaskMode), and one CodecState per registered codec: whether it is switched on, its parameters,
// its CompressionRunner, its newest result, busy/progress, the last error, its RD sweep (points, signature,
// progress) and when the change that is being computed was made (for latency). The SweepRunner is owned here too.
// Views read this state and follow the signals; they change it only through the public functions.
//
// Flow: open() loads as an Interactive job of the scheduler (image_loader.h); on success the image replaces the current
// one, every enabled codec is compressed again (requestAll: the `first` codec first, so its job gets the cores first)
// and imageLoaded follows; on failure loadFailed, and the current image stays. setParams() debounces (the runner's
// request()), so a slider drag re-encodes only that codec, and only its last value. When a codec's result is
// measured and its RD signature (its non-rate parameters, device and mask mode) changed, a background sweep starts
// (Options::autoSweep). setMaskMode() measures the stored reconstructions again over the new texels
// (CompressionRunner::remeasure, on workers; streams do not depend on the mask) and recomputes the shown mask on a
// worker (shownMaskChanged); only codecs without a finished result are encoded again.
//
// Chains: a codec may be followed by a GPU format (setGpuFormat: what a game hands the GPU after loading the stored
// stream); its runner and sweeps then measure the chain (evaluate.h), so its picture, metrics and RD curve are the
// GPU texture's while its bitrate stays the stored stream's.
//
// Settings: restoreSettings / saveSettings read and write each codec's parameters, GPU format and enabled flag through
// StudioSettings (the one owner of the keys). Threading: GUI thread only; jobs run on one JobScheduler shared by the
// runners, each of which waits for its own jobs on destruction. Errors: codec failures arrive as codecFailed (with the
// library's Error), load failures as loadFailed; exceptions never leave a slot (they become unexpectedError).
#pragma once

#include <QObject>
#include <QString>

#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/studio/compression_runner.h"
#include "app/studio/image_loader.h"
#include "app/studio/sweep_runner.h"

namespace lmc::studio {

class StudioSettings;

// A codec's display name, translated (codec names are English in the library).
QString codecDisplayName(const CodecRegistry& registry, const std::string& codecId);
// A GPU format as the user reads it ("BC6H Normal", "ASTC HDR 6×6"; translated), the raw text when it is not one.
QString gpuFormatDisplayName(const CodecRegistry& registry, const std::string& format);
// The GPU formats a codec can be followed by, as parseGpuFormat text: every BC6H quality level, then every ASTC block
// size (none for a codec that is itself a GPU block format: it is its own end point).
std::vector<std::string> gpuFormatChoices(const CodecRegistry& registry, const Codec& codec);
inline const char* const kCodecTextContext = "lmc::studio::CodecText";

struct CodecState {
    const Codec* codec = nullptr;
    std::string id;
    QString key;  // id as a QString: the views' tile/row/series key
    bool enabled = true;
    ParamSet params;
    std::shared_ptr<const GpuFormat> gpuFormat;  // null: the decoded map is the end point
    CompressionRunner* runner = nullptr;         // owned by the model
    // Live result: newest delivered (reconstruction first, then the same with metrics).
    CompressionResultPtr result;
    bool busy = false;
    double progress = -1.0;  // < 0: unknown
    std::optional<Error> error;
    qint64 latencyStartNs = -1;  // the request behind the newest reconstruction, until a view took it
    // The parameters before the model switched the codec to a signed mode for a map with negative values (restored
    // on a map without any, unless the user changed them since).
    std::optional<ParamSet> unsignedParams;
    quint64 retimedGeneration = 0;  // the newest result whose times were sent to be measured alone
    // RD sweep.
    std::vector<SweepPoint> sweep;
    std::string sweepSig;
    quint64 sweepId = 0;
    bool sweepActive = false;
    double sweepProgress = 0.0;
};

// What a fast preview changes in a setting: the codec's encoder effort capped at a level that follows a slider
// (BC6H "normal", ASTC "fastest"); nullopt when the setting is already that fast or the codec has no such level.
// Sweeps, presets and exports always use the setting itself (production effort).
struct PreviewEffort {
    ParamSet params;  // the setting the live view encodes
    ParamSpec param;  // the effort parameter
    int choice = 0;   // the choice used instead
};
std::optional<PreviewEffort> previewEffort(const Codec& codec, const ParamSet& params);

// Codecs that start switched off in a new workspace (their encode takes minutes: per-map optimisation).
bool isOptIn(const std::string& codecId);

class WorkspaceModel : public QObject {
    Q_OBJECT
public:
    struct Options {
        const CodecRegistry* registry = nullptr;  // null: CodecRegistry::builtin()
        bool autoSweep = true;                    // start RD sweeps on their own once live results are measured
    };

    explicit WorkspaceModel(const Options& options, QObject* parent = nullptr);
    ~WorkspaceModel() override;

    const CodecRegistry& registry() const { return registry_; }

    // Starts loading `path` (a load still running is left to finish unobserved); imageLoaded or loadFailed follows.
    // `first`: the codec compressed first once it is loaded.
    void open(const QString& path, const std::string& first = {});
    bool isLoading() const { return loading_; }
    // The open image and its facts (null before the first successful load).
    std::shared_ptr<const LoadedImage> image() const { return image_; }
    std::shared_ptr<const Image> source() const { return image_ ? image_->image : nullptr; }

    void setMaskMode(MaskMode mode);
    MaskMode maskMode() const { return maskMode_; }
    // The texels the mask mode counts in the source (null: all), as the views dim the rest.
    ShownMask shownMask() const { return shownMask_; }

    const std::vector<std::unique_ptr<CodecState>>& codecs() const { return states_; }
    // For the open map with negative values in covered texels (SH-style directional maps): the codecs switched to a
    // mode that keeps them (BC6H UF16 -> SF16) and those that still clamp them to 0. Both empty without negatives.
    struct NegativeValues {
        std::vector<std::string> switched;
        std::vector<std::string> clamping;
    };
    const NegativeValues& negativeValues() const { return negatives_; }
    // Null for an unknown id.
    const CodecState* state(const std::string& codecId) const { return find(codecId); }
    void setCodecEnabled(const std::string& codecId, bool enabled);
    std::vector<std::string> enabledCodecs() const;
    // New parameters for a codec: debounced recompression unless `immediately`.
    void setParams(const std::string& codecId, const ParamSet& params, bool immediately = false);
    // (Re)compresses one codec with its current parameters; nothing without an image or when it is switched off.
    void requestCompression(const std::string& codecId, bool immediately);
    // Makes the parameters of a codec's sweep point (index into state()->sweep; a click on its chart point) its
    // parameters and compresses it again at once; codecParamsChanged tells the panels. False (nothing changes) for an
    // unknown codec or point, or a codec that is switched off.
    bool applySweepPoint(const std::string& codecId, int index);
    // Follows a codec with a GPU format (parseGpuFormat text, "bc6h:normal"; empty: none) and compresses it again at
    // once; its RD curve is measured again through the chain. False (nothing changes) for an unknown codec or a
    // text parseGpuFormat refuses.
    bool setGpuFormat(const std::string& codecId, const std::string& format);
    // The codec's tile and series title: its name, followed by its GPU format when it has one ("AVIF → BC6H Normal").
    QString chainTitle(const std::string& codecId) const;
    void requestAll(const std::string& first);

    // Fast preview (on by default): the live view encodes with previewEffort()'s setting, so a slider stays
    // interactive; CodecState::params keeps the production setting that sweeps, presets and exports use.
    void setFastPreview(bool on);
    bool fastPreview() const { return fastPreview_; }

    void setDevice(const std::string& device);
    const std::string& device() const { return device_; }

    SweepRunner* sweepRunner() const { return sweeps_; }
    // The one queue of the workspace's jobs (runners, sweeps, the comparison service's maps and regions).
    const std::shared_ptr<JobScheduler>& scheduler() const { return scheduler_; }
    void startSweep(const std::string& codecId);
    void cancelSweep(const std::string& codecId);
    void cancelSweeps();
    // Takes the latency start of the codec's newest reconstruction (-1 when none is waiting for a paint).
    qint64 takeLatencyStart(const std::string& codecId);

    void restoreSettings(const StudioSettings& settings);
    void saveSettings(StudioSettings& settings) const;

    // Runs `body`; an exception becomes unexpectedError instead of leaving a Qt slot. `what` is a verb phrase
    // marked with QT_TRANSLATE_NOOP("lmc::studio::WorkspaceModel", ...) ("changing a parameter").
    template <class F>
    void guarded(const char* what, F&& body) {
        try {
            body();
        } catch (const std::exception& e) {
            emit unexpectedError(tr(what), QString::fromUtf8(e.what()));
        } catch (...) {
            emit unexpectedError(tr(what), QString());
        }
    }

signals:
    void loadStarted(const QString& path);
    void imageLoaded(const QString& path);
    void loadFailed(const QString& path, const lmc::Error& error);
    void codecEnabledChanged(const QString& codecId, bool enabled);
    // The model set a codec's parameters itself (a signed mode for negative values, applySweepPoint): editors show
    // state(id)->params.
    void codecParamsChanged(const QString& codecId);
    // state(id)->gpuFormat changed (the result and the RD curve follow).
    void gpuFormatChanged(const QString& codecId);
    // busy/progress changed (a request, a job start, the end of a job).
    void codecBusyChanged(const QString& codecId);
    void codecProgress(const QString& codecId, double fraction);
    // A new reconstruction is in state(id)->result (metrics follow with codecMetricsChanged).
    void codecResultChanged(const QString& codecId);
    void codecMetricsChanged(const QString& codecId);
    // The result's encode/decode times were measured again alone (CompressionResult::timesShared is now false).
    void codecTimesChanged(const QString& codecId);
    void codecFailed(const QString& codecId, const lmc::Error& error);
    void sweepPointAdded(const QString& codecId, int points);
    // sweepActive / sweepProgress / the points were reset.
    void sweepStateChanged(const QString& codecId);
    void sweepFinished(const QString& codecId);
    void sweepFailed(const QString& codecId, const lmc::Error& error);
    void maskModeChanged(lmc::MaskMode mode);
    void fastPreviewChanged(bool on);
    void shownMaskChanged();
    // An exception escaped a handler (a bug or std::bad_alloc): `what` is a translated verb phrase ("loading a
    // file"), `detail` the exception's text (empty when unknown).
    void unexpectedError(const QString& what, const QString& detail);

private:
    CodecState* find(const std::string& codecId) const;
    void connectRunner(CodecState& state);
    void connectSweeps();
    void onLoaded(const std::shared_ptr<const LoadedImage>& loaded, const std::string& first);
    void onMetrics(CodecState& state, const CompressionResultPtr& result);
    void adaptToNegatives(const ImageStats& stats);
    void remeasureAll();
    std::string sweepSignature(const CodecState& state) const;

    const CodecRegistry& registry_;
    Options options_;
    // One queue for every runner's jobs and the sweep points (job_scheduler.h); shared with them, as they may
    // outlive this object's members while QObject deletes its children.
    std::shared_ptr<JobScheduler> scheduler_ = std::make_shared<JobScheduler>();
    std::vector<std::unique_ptr<CodecState>> states_;
    SweepRunner* sweeps_ = nullptr;
    // Loads and shown-mask jobs (Interactive); the newest of each is the one that counts.
    std::shared_ptr<JobScheduler::Group> ioGroup_ = scheduler_->makeGroup();
    quint64 loadId_ = 0;
    quint64 maskId_ = 0;
    bool loading_ = false;
    std::shared_ptr<const LoadedImage> image_;
    MaskMode maskMode_ = MaskMode::Visible;
    ShownMask shownMask_;
    std::string device_;
    NegativeValues negatives_;
    bool fastPreview_ = true;
};

}  // namespace lmc::studio
