// SweepRunner: background rate-distortion sweeps. For a codec and its current non-rate parameters it encodes,
// decodes and measures (mPSNR, PU21-SSIM) the open lightmap at 6-8 values of the rate parameter, one point at a
// time, and delivers each point as it is done, so RD curves grow while the user keeps working.
//
// Priority: sweeps never compete with interactive work. Points are Background jobs of the workspace's JobScheduler
// (job_scheduler.h): one starts only when no live job runs or waits, and a live request preempts a running point
// (cancelled, then run again), all without polling or OS priorities; points use single-threaded codecs and
// metrics. Sweeps queue in request order; a new request for a codec replaces its queued or running sweep (the running
// point is cancelled through its CancelToken and anything it still delivers is dropped by sweep id).
//
// Chains: a sweep started with a GPU format measures the chain (evaluate.h): each point's bitrate is the stored
// stream's, its quality the GPU texture's against the source.
//
// Threading: API and signals on the GUI thread; point jobs post back with queued calls; the destructor cancels and
// waits. Errors: a failing point ends that codec's sweep with `failed` (Cancelled is silent); exceptions never
// leave a job.
#pragma once

#include <QObject>
#include <QTimer>

#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "app/studio/job_scheduler.h"
#include "codec/codec.h"
#include "codec/evaluate.h"
#include "codec/metrics.h"

namespace lmc::studio {

struct SweepPoint {
    double rateValue = 0;
    ParamSet params;
    std::size_t bytes = 0;
    double bitsPerTexel = 0;
    double mPsnr = 0;
    double ssim = 0;
    double encodeMs = 0;
    double decodeMs = 0;
    // With a GPU format: its name, the GPU memory bits per texel and the load time (decode + transcode; negative:
    // not measured). mPsnr and ssim are then the chain's.
    std::string gpuFormat;
    double vramBitsPerTexel = 0;
    double loadMs = -1;
};

class SweepRunner : public QObject {
    Q_OBJECT
public:
    // Points run on `scheduler` (the workspace's; null: a scheduler of its own).
    explicit SweepRunner(const CodecRegistry& registry = CodecRegistry::builtin(), QObject* parent = nullptr,
                         std::shared_ptr<JobScheduler> scheduler = nullptr);
    ~SweepRunner() override;

    // The rate values a sweep visits: every choice of an enum with at most `maxSteps` choices, else `maxSteps`
    // evenly spaced values (rounded for Int/Enum, both ends included), in increasing bit order.
    static std::vector<double> sweepValues(const ParamSpec& rate, int maxSteps = 8);

    // Cancels everything and uses this image from now on.
    void setSource(std::shared_ptr<const Image> image, std::shared_ptr<const MetricsNormalization> normalization);
    void setDevice(const std::string& device) { device_ = device; }
    // The texels the points' metrics count; applies to sweeps started afterwards.
    void setMaskMode(MaskMode mode) { mask_ = mode; }
    void setMaxSteps(int steps) { maxSteps_ = steps; }

    // Queues (or re-queues) a sweep of `codecId` around `params`, through `gpuFormat` when given; returns its id (0
    // when the codec has no rate parameter or there is no image).
    quint64 start(const std::string& codecId, const ParamSet& params,
                  std::shared_ptr<const GpuFormat> gpuFormat = nullptr);
    void cancel(const std::string& codecId);
    void cancelAll();
    bool isActive(const std::string& codecId) const;
    bool isIdle() const { return !running_ && queue_.empty(); }
    int pointsDone(const std::string& codecId) const;
    int pointsTotal(const std::string& codecId) const;

signals:
    void pointReady(const QString& codecId, quint64 sweepId, const lmc::studio::SweepPoint& point);
    // Points done / total, with the running point's own progress folded in.
    void progressChanged(const QString& codecId, double fraction);
    void finished(const QString& codecId, quint64 sweepId);
    void failed(const QString& codecId, quint64 sweepId, const lmc::Error& error);
    void activeChanged(const QString& codecId, bool active);

private:
    struct Sweep {
        quint64 id = 0;
        std::string codecId;
        ParamSet params;
        std::string rateId;
        std::vector<double> values;
        std::shared_ptr<const GpuFormat> gpuFormat;
        int next = 0;
        // The points' kept work (codec_cache.h): points run one at a time on the sweep's source, so a learned
        // codec analyses the image once per sweep.
        std::shared_ptr<CodecCache> cache = std::make_shared<CodecCache>();
    };
    void schedule();
    void runNext();
    void pointDone(quint64 sweepId, const std::shared_ptr<SweepPoint>& point, const std::optional<Error>& error);
    Sweep* findSweep(const std::string& codecId);

    const CodecRegistry& registry_;
    std::shared_ptr<JobScheduler> scheduler_;
    std::shared_ptr<JobScheduler::Group> group_;
    QTimer next_;  // runNext through the event loop
    std::shared_ptr<const Image> source_;
    std::shared_ptr<const MetricsNormalization> normalization_;
    std::string device_;
    MaskMode mask_ = MaskMode::Visible;
    int maxSteps_ = 8;
    std::deque<Sweep> queue_;  // front() is the one running when running_
    bool running_ = false;
    std::shared_ptr<CancelToken> token_;
    quint64 nextId_ = 0;
};

}  // namespace lmc::studio

Q_DECLARE_METATYPE(lmc::studio::SweepPoint)
