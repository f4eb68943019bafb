// CompressionRunner: encodes, decodes and measures the open lightmap off the GUI thread, keeping only the newest
// request's results (the job-tracker pattern of Qt's Mandelbrot example and KDAB's Hotspot).
//
// Every request gets a generation number. request() debounces (a trailing timer, restarted by each change, plus a
// maximum wait so a long slider drag still refreshes); requestNow() starts at once. Starting a job bumps the
// generation and cancels the previous job's CancelToken, so a codec that polls it stops early; anything an older
// job still delivers is dropped on arrival (its generation no longer matches). A job delivers in two steps:
// reconstructionReady (encode + decode done: the image can be shown) and then metricsReady (quality metrics,
// ~0.1 s for 1024^2), so the picture follows the slider without waiting for SSIM. remeasure() measures the newest
// result's stored reconstruction again (after the mask mode changed: the stream does not depend on it) without
// encoding: its metricsReady carries the same generation, and a newer job or cancel() drops it.
//
// Threading: the public API and all signals live on the GUI thread (the runner's thread). Jobs run on the
// workspace's JobScheduler (job_scheduler.h: Interactive for block codecs, Normal for codecs that run neural
// networks, so the fast codecs paint first; a superseded job still queued is dropped) and post results back with
// queued calls. A slider move re-runs only what the parameter changes: the jobs share a
// CodecCache made for each source. The source image is shared immutable data (shared_ptr<const Image>), so a
// job keeps it alive even if another file is opened meanwhile. The destructor cancels and waits for running jobs.
// Chains: with a GPU format (setGpuFormat) a job transcodes the reconstruction at load time (evaluate.h); its result
// is then the chain's end: `reconstruction` and `metrics` are the GPU texture's, bytes and bitrate the stored
// stream's, and it is delivered once transcoded (reconstructionReady right before metricsReady).
// Interim results: a codec that keeps improving its stream for minutes (per-map optimisation, CodecContext::interim)
// has each interim stream decoded and measured as it comes (evaluate.h); the runner delivers it as a result with
// `interim` set (reconstructionReady, then metricsReady, same generation) while the job goes on, so a first picture
// shows within seconds and better ones replace it. The job stays busy until its final result.
// Errors: codec/metric failures arrive as jobFailed (Cancelled is never reported); exceptions never leave a job.
#pragma once

#include <QElapsedTimer>
#include <QMetaType>
#include <QObject>
#include <QTimer>

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "app/studio/job_scheduler.h"
#include "codec/codec.h"
#include "codec/evaluate.h"
#include "codec/metrics.h"

namespace lmc::studio {

struct CompressionResult {
    quint64 generation = 0;
    std::string codecId;
    std::string codecName;
    ParamSet params;
    std::size_t bytes = 0;
    double bitsPerTexel = 0;
    std::shared_ptr<const Image> reconstruction;
    double encodeMs = 0;
    double decodeMs = 0;
    // The times above are wall-clock times of a job that shared the CPU with other jobs (other codecs, sweeps):
    // they include waiting for cores. retime() measures them again alone.
    bool timesShared = false;
    // Filled for metricsReady only.
    bool hasMetrics = false;
    QualityMetrics metrics;
    MaskMode mask = MaskMode::Visible;  // the texels `metrics` counted
    double metricsMs = 0;
    std::optional<Error> metricsError;
    // When the request that produced this job was made (CompressionRunner::clock() nanoseconds).
    qint64 requestedAtNs = 0;
    // The GPU side: the chain's GpuFormat::name ("native" for a GPU block codec given one; empty without a chain),
    // the bits per texel in GPU memory (0: a storage codec without a chain) and, for a transcoding chain, the
    // transcode time and the load time (decodeMs + transcodeMs; negative: not measured).
    std::string gpuFormat;
    double vramBitsPerTexel = 0;
    double transcodeMs = 0;
    double loadMs = -1;
    // An interim result of a job still encoding (see above); its encodeMs is the time the encode had run.
    bool interim = false;
};
using CompressionResultPtr = std::shared_ptr<const CompressionResult>;

class CompressionRunner : public QObject {
    Q_OBJECT
public:
    // Jobs run on `scheduler` (the workspace's, shared by its runners; null: a scheduler of its own).
    explicit CompressionRunner(const CodecRegistry& registry = CodecRegistry::builtin(), QObject* parent = nullptr,
                               std::shared_ptr<JobScheduler> scheduler = nullptr);
    ~CompressionRunner() override;

    // The image every following job compresses, and its metrics normalisation (computed once per image; null to
    // let computeMetrics derive it per job). Cancels outstanding work; does not start a job.
    void setSource(std::shared_ptr<const Image> image, std::shared_ptr<const MetricsNormalization> normalization);
    std::shared_ptr<const Image> source() const { return source_; }

    // Device learned codecs run on (learned::setDevice); empty = the fastest available. Applies to new jobs.
    void setDevice(const std::string& device) { device_ = device; }
    const std::string& device() const { return device_; }
    // The GPU format new jobs transcode their reconstruction to (null: none, the decoded map is the end point).
    void setGpuFormat(std::shared_ptr<const GpuFormat> format) { gpuFormat_ = std::move(format); }
    const std::shared_ptr<const GpuFormat>& gpuFormat() const { return gpuFormat_; }
    // Worker threads each job's codec may use (CodecContext::threads); 0 = all.
    void setCodecThreads(int threads) { codecThreads_ = threads; }
    // The texels new jobs' metrics count (MetricsOptions::mask).
    void setMaskMode(MaskMode mode) { mask_ = mode; }
    MaskMode maskMode() const { return mask_; }

    void setDebounceMs(int ms) { debounceMs_ = ms; }
    int debounceMs() const { return debounceMs_; }
    void setMaxWaitMs(int ms) { maxWaitMs_ = ms; }

    // Debounced request; the last one within the debounce window wins.
    void request(const std::string& codecId, const ParamSet& params);
    // Starts a job immediately (dropping any debounced request). Returns its generation, 0 if nothing started.
    quint64 requestNow(const std::string& codecId, const ParamSet& params);
    // Measures `result` (the newest generation's, with its reconstruction) again over the current mask mode on a
    // worker; metricsReady follows with the same generation. False (nothing started) when `result` is not the
    // newest, a job is running or pending, or there is no source.
    bool remeasure(const CompressionResultPtr& result);
    // Times the newest result's setting again (encode + decode from scratch, no shared cache, no metrics) as a
    // Background job, which starts only when the workspace is otherwise idle; a run that another job overlapped
    // is repeated (at most `attempts` times). timesMeasured follows for that generation; false when `result` is not
    // the newest or there is no source.
    bool retime(const CompressionResultPtr& result, int attempts = 3);
    // Cancels the running job and any pending request; their results will be dropped.
    void cancel();

    quint64 generation() const { return generation_; }
    // True while a request is pending or the newest job has not finished.
    bool isBusy() const { return busy_; }
    int droppedResults() const { return dropped_; }
    // Monotonic clock shared with CompressionResult::requestedAtNs.
    qint64 clock() const { return clock_.nsecsElapsed(); }

    // Test seam: called on the worker thread after a job has decoded, just before it posts reconstructionReady.
    // Lets a test hold an old job back until a newer one has been delivered, to exercise the stale-result check.
    void setBeforeDeliverHook(std::function<void(quint64 generation)> hook) { beforeDeliver_ = std::move(hook); }

signals:
    void jobStarted(quint64 generation);
    void reconstructionReady(const lmc::studio::CompressionResultPtr& result);
    void metricsReady(const lmc::studio::CompressionResultPtr& result);
    void jobFailed(quint64 generation, const lmc::Error& error);
    // Encoder/decoder progress of the newest job in [0, 1] (throttled to steps of 2%; encode 0-0.8, decode 0.8-1).
    void progress(quint64 generation, double fraction);
    // A result of an older generation arrived and was discarded.
    void resultDropped(quint64 generation);
    void busyChanged(bool busy);
    // retime(): the setting of `generation` encoded and decoded with no other job running.
    void timesMeasured(quint64 generation, double encodeMs, double decodeMs);

private:
    void submitPending();
    quint64 start(const std::string& codecId, const ParamSet& params, qint64 requestedAtNs);
    void setBusy(bool busy);
    // Called (queued) from jobs.
    // Whether `result` is the newest generation's; an older one is counted and signalled as dropped.
    bool isCurrent(const CompressionResultPtr& result);
    void deliverReconstruction(const CompressionResultPtr& result);
    void deliverMetrics(const CompressionResultPtr& result);
    void deliverInterim(const CompressionResultPtr& result);
    void deliverFailure(quint64 generation, const Error& error);
    void deliverRemeasure(quint64 measureId, const CompressionResultPtr& result);
    void jobFinished(quint64 generation);

    const CodecRegistry& registry_;
    std::shared_ptr<JobScheduler> scheduler_;
    std::shared_ptr<JobScheduler::Group> group_;
    QTimer debounce_;
    QElapsedTimer clock_;
    int debounceMs_ = 40;
    int maxWaitMs_ = 150;
    qint64 firstPendingNs_ = -1;  // when the oldest not-yet-submitted change happened
    qint64 lastRequestNs_ = 0;
    std::string pendingCodec_;
    ParamSet pendingParams_;
    std::shared_ptr<const Image> source_;
    std::shared_ptr<const MetricsNormalization> normalization_;
    // Work the codecs keep between this source's jobs (codec_cache.h; one per source, shared by the jobs in flight).
    std::shared_ptr<CodecCache> cache_;
    std::shared_ptr<CancelToken> currentToken_;
    quint64 generation_ = 0;
    quint64 measureId_ = 0;  // newest remeasure(); an older one still running is dropped on arrival
    bool busy_ = false;
    int dropped_ = 0;
    std::function<void(quint64)> beforeDeliver_;
    std::string device_;
    std::shared_ptr<const GpuFormat> gpuFormat_;
    int codecThreads_ = 0;
    MaskMode mask_ = MaskMode::Visible;
};

}  // namespace lmc::studio

Q_DECLARE_METATYPE(lmc::studio::CompressionResultPtr)
Q_DECLARE_METATYPE(lmc::Error)
