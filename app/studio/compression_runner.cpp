#include "app/studio/compression_runner.h"

#include "codec/evaluate.h"
#include "codec/learned/learned_codec.h"

#include <QMetaObject>

#include <atomic>
#include <exception>

namespace lmc::studio {
namespace {

// The stored stream's facts of an evaluation; the picture is the decoded map until takeChain puts a chain's end there.
void takeStream(CompressionResult& r, const Evaluation& e) {
    r.encodeMs = e.encodeMs;
    r.decodeMs = e.decodeMs;
    r.timesShared = JobScheduler::currentJobOverlapped();
    r.bytes = e.bytes.size();
    r.bitsPerTexel = e.bitsPerTexel;
    r.reconstruction = e.reconstruction;
}

// The chain's facts; a transcoding chain's end (the GPU texture) becomes the picture.
void takeChain(CompressionResult& r, const Evaluation& e, bool transcodes) {
    if (!e.chain) return;
    r.gpuFormat = e.chain->format;
    r.vramBitsPerTexel = e.chain->vramBitsPerTexel;
    if (!transcodes) return;
    r.reconstruction = e.chain->reconstruction;
    r.transcodeMs = e.chain->transcodeMs;
    r.loadMs = e.chain->loadMs;
}

// A chain's quality is its end's: the GPU texture against the source.
void takeMetrics(CompressionResult& r, const Evaluation& e, bool transcodes) {
    const bool chained = transcodes && e.chain;
    const std::optional<QualityMetrics>& metrics = chained ? e.chain->metrics : e.metrics;
    r.metricsMs = e.metricsMs;
    r.hasMetrics = metrics.has_value();
    if (metrics) r.metrics = *metrics;
    r.metricsError = chained ? e.chain->error : e.metricsError;
}

}  // namespace

CompressionRunner::CompressionRunner(const CodecRegistry& registry, QObject* parent,
                                     std::shared_ptr<JobScheduler> scheduler)
    : QObject(parent),
      registry_(registry),
      scheduler_(scheduler ? std::move(scheduler) : std::make_shared<JobScheduler>()),
      group_(scheduler_->makeGroup()) {
    qRegisterMetaType<CompressionResultPtr>();
    qRegisterMetaType<Error>();
    debounce_.setSingleShot(true);
    connect(&debounce_, &QTimer::timeout, this, &CompressionRunner::submitPending);
    clock_.start();
}

CompressionRunner::~CompressionRunner() {
    debounce_.stop();
    if (currentToken_) currentToken_->cancel();
    // Jobs post queued calls to `this`; once they are all done, ~QObject discards any that are still queued.
    scheduler_->cancelGroup(group_);
}

void CompressionRunner::setSource(std::shared_ptr<const Image> image,
                                  std::shared_ptr<const MetricsNormalization> normalization) {
    cancel();
    source_ = std::move(image);
    normalization_ = std::move(normalization);
    cache_ = std::make_shared<CodecCache>();
}

void CompressionRunner::request(const std::string& codecId, const ParamSet& params) {
    pendingCodec_ = codecId;
    pendingParams_ = params;
    const qint64 now = clock();
    lastRequestNs_ = now;
    if (firstPendingNs_ < 0) firstPendingNs_ = now;
    // Trailing debounce, but never later than maxWait after the first unsubmitted change.
    const qint64 waitedMs = (now - firstPendingNs_) / 1000000;
    debounce_.start(int(std::max<qint64>(0, std::min<qint64>(debounceMs_, maxWaitMs_ - waitedMs))));
    setBusy(true);
}

void CompressionRunner::submitPending() {
    firstPendingNs_ = -1;
    start(pendingCodec_, pendingParams_, lastRequestNs_);
}

quint64 CompressionRunner::requestNow(const std::string& codecId, const ParamSet& params) {
    debounce_.stop();
    firstPendingNs_ = -1;
    lastRequestNs_ = clock();
    return start(codecId, params, lastRequestNs_);
}

void CompressionRunner::cancel() {
    debounce_.stop();
    firstPendingNs_ = -1;
    if (currentToken_) currentToken_->cancel();
    currentToken_.reset();
    ++generation_;  // whatever is still running is stale from now on
    setBusy(false);
}

quint64 CompressionRunner::start(const std::string& codecId, const ParamSet& params, qint64 requestedAtNs) {
    if (currentToken_) currentToken_->cancel();
    currentToken_.reset();
    const quint64 generation = ++generation_;
    const Codec* codec = registry_.find(codecId);
    if (!source_ || !codec) {
        setBusy(false);
        if (source_ && !codec)
            emit jobFailed(generation, makeError(ErrorCode::InvalidArgument, "unknown codec '" + codecId + "'"));
        return 0;
    }
    auto token = std::make_shared<CancelToken>();
    currentToken_ = token;
    setBusy(true);
    emit jobStarted(generation);

    auto image = source_;
    auto normalization = normalization_;
    auto cache = cache_;
    auto hook = beforeDeliver_;
    const std::string device = device_;
    const int threads = codecThreads_;
    const MaskMode mask = mask_;
    const std::shared_ptr<const GpuFormat> gpu = gpuFormat_;
    // The job only touches `this` through queued invokeMethod calls; ~CompressionRunner waits for the pool first.
    const Priority priority = codec->traits(params).heavy ? Priority::Normal : Priority::Interactive;
    auto job = [this, codec, image, normalization, cache, params, token, generation, requestedAtNs, hook, device,
                threads, mask, gpu] {
        try {
            CodecContext context;
            context.cancel = token.get();
            learned::setDevice(context, device);
            context.threads = threads;
            context.cache = cache.get();
            // Progress (evaluate(): encoder on 0-0.8, decoder on 0.8-1) is posted at most every 2%, never from a
            // cancelled job.
            auto lastSent = std::make_shared<std::atomic<int>>(-1);
            context.progress = [this, generation, token, lastSent](double overall) {
                if (token->isCancelled()) return;
                const int step = int(overall * 50.0);
                int previous = lastSent->load();
                if (step <= previous || !lastSent->compare_exchange_strong(previous, step)) return;
                QMetaObject::invokeMethod(
                    this,
                    [this, generation, overall] {
                        if (generation == generation_) emit progress(generation, overall);
                    },
                    Qt::QueuedConnection);
            };
            auto result = std::make_shared<CompressionResult>();
            result->generation = generation;
            result->codecId = codec->id();
            result->codecName = codec->name();
            result->params = params;
            result->requestedAtNs = requestedAtNs;
            result->mask = mask;
            result->vramBitsPerTexel = codec->traits(params).gpuBitsPerTexel;
            // A GPU block codec is its own chain: nothing to transcode, its picture is what the GPU samples.
            const bool transcodes = gpu && gpu->codec && result->vramBitsPerTexel <= 0;

            EvaluateOptions options;
            options.metrics.normalization = normalization.get();
            options.metrics.mask = mask;
            options.gpuFormat = gpu.get();
            // The picture goes to the screen before the metrics are measured (a chain's once it is transcoded).
            options.decoded = [&](const Evaluation& e) {
                takeStream(*result, e);
                if (transcodes) return;
                if (hook) hook(generation);
                CompressionResultPtr shown = result;
                QMetaObject::invokeMethod(
                    this, [this, shown] { deliverReconstruction(shown); }, Qt::QueuedConnection);
            };
            // Interim results: the stream so far, decoded and measured, shown while the encode goes on.
            options.interim = [&](const Evaluation& e) {
                if (token->isCancelled()) return;
                auto shown = std::make_shared<CompressionResult>(*result);
                shown->interim = true;
                takeStream(*shown, e);
                takeChain(*shown, e, transcodes);
                takeMetrics(*shown, e, transcodes);
                if (!shown->reconstruction || !shown->hasMetrics) return;
                CompressionResultPtr done = shown;
                QMetaObject::invokeMethod(
                    this, [this, done] { deliverInterim(done); }, Qt::QueuedConnection);
            };
            Result<Evaluation> e = evaluate(*codec, image->view(), params, context, options);
            std::optional<Error> failed;
            if (!e || e->decodeError)
                failed = e ? *e->decodeError : e.error();
            else if (transcodes && e->chain && e->chain->error)
                failed = e->chain->error;
            else if (transcodes && (!e->chain || !e->chain->reconstruction))
                failed = e->metricsError.value_or(makeError(ErrorCode::Internal, "the chain was not transcoded"));
            if (failed) {
                // A cancelled job's result is stale by definition: nothing to show.
                const Error error = *failed;
                if (error.code != ErrorCode::Cancelled)
                    QMetaObject::invokeMethod(
                        this, [this, generation, error] { deliverFailure(generation, error); }, Qt::QueuedConnection);
            } else {
                takeChain(*result, *e, transcodes);
                if (transcodes) {
                    result->timesShared = JobScheduler::currentJobOverlapped();
                    if (hook) hook(generation);
                    CompressionResultPtr shown = result;
                    QMetaObject::invokeMethod(
                        this, [this, shown] { deliverReconstruction(shown); }, Qt::QueuedConnection);
                }
                auto measured = std::make_shared<CompressionResult>(*result);
                takeMetrics(*measured, *e, transcodes);
                CompressionResultPtr done = measured;
                QMetaObject::invokeMethod(
                    this, [this, done] { deliverMetrics(done); }, Qt::QueuedConnection);
            }
        } catch (const std::exception& e) {
            Error error = makeError(ErrorCode::Internal, std::string("compression job failed: ") + e.what());
            QMetaObject::invokeMethod(
                this, [this, generation, error] { deliverFailure(generation, error); }, Qt::QueuedConnection);
        } catch (...) {
            Error error = makeError(ErrorCode::Internal, "compression job failed with an unknown exception");
            QMetaObject::invokeMethod(
                this, [this, generation, error] { deliverFailure(generation, error); }, Qt::QueuedConnection);
        }
        QMetaObject::invokeMethod(
            this, [this, generation] { jobFinished(generation); }, Qt::QueuedConnection);
    };
    scheduler_->dropQueued(group_);  // a superseded request that has not started never will
    scheduler_->submit(group_, priority, token, std::move(job));
    return generation;
}

bool CompressionRunner::remeasure(const CompressionResultPtr& result) {
    if (!result || !result->reconstruction || !source_ || result->generation != generation_ || busy_) return false;
    const quint64 measureId = ++measureId_;
    setBusy(true);
    auto image = source_;
    auto normalization = normalization_;
    const MaskMode mask = mask_;
    scheduler_->submit(group_, Priority::Interactive, nullptr, [this, result, image, normalization, mask, measureId] {
        auto measured = std::make_shared<CompressionResult>(*result);
        measured->mask = mask;
        measured->hasMetrics = false;
        measured->metricsError.reset();
        try {
            QElapsedTimer timer;
            timer.start();
            MetricsOptions options;
            options.normalization = normalization.get();
            options.mask = mask;
            Result<QualityMetrics> metrics = computeMetrics(image->view(), result->reconstruction->view(), options);
            measured->metricsMs = double(timer.nsecsElapsed()) / 1e6;
            if (metrics) {
                measured->metrics = *metrics;
                measured->hasMetrics = true;
            } else {
                measured->metricsError = metrics.error();
            }
        } catch (const std::exception& e) {
            measured->metricsError = makeError(ErrorCode::Internal, std::string("measuring failed: ") + e.what());
        } catch (...) {
            measured->metricsError = makeError(ErrorCode::Internal, "measuring failed with an unknown exception");
        }
        CompressionResultPtr done = measured;
        QMetaObject::invokeMethod(
            this, [this, measureId, done] { deliverRemeasure(measureId, done); }, Qt::QueuedConnection);
    });
    return true;
}

bool CompressionRunner::retime(const CompressionResultPtr& result, int attempts) {
    if (!result || !source_ || result->generation != generation_ || attempts <= 0) return false;
    const Codec* codec = registry_.find(result->codecId);
    if (!codec) return false;
    const quint64 generation = result->generation;
    auto token = std::make_shared<CancelToken>();  // preemption by any other job
    scheduler_->submit(group_, Priority::Background, token,
                       [this, codec, image = source_, params = result->params, device = device_,
                        threads = codecThreads_, generation, token, attempts, result] {
                           CodecContext context;
                           context.cancel = token.get();
                           learned::setDevice(context, device);
                           context.threads = threads;
                           EvaluateOptions options;
                           options.measure = false;
                           Result<Evaluation> e = makeError(ErrorCode::Internal, "not timed");
                           try {
                               e = evaluate(*codec, image->view(), params, context, options);
                           } catch (...) {
                               return;  // the live result keeps its shared-CPU times
                           }
                           const bool alone = !JobScheduler::currentJobOverlapped();
                           const bool ok = e && !e->decodeError;
                           // Preemption (another job arrived) is not a failed attempt; overlap and errors are.
                           const bool preempted = !e && e.error().code == ErrorCode::Cancelled;
                           const double encodeMs = ok ? e->encodeMs : 0, decodeMs = ok ? e->decodeMs : 0;
                           QMetaObject::invokeMethod(
                               this,
                               [this, generation, alone, ok, preempted, encodeMs, decodeMs, attempts, result] {
                                   if (generation != generation_) return;
                                   if (ok && alone)
                                       emit timesMeasured(generation, encodeMs, decodeMs);
                                   else
                                       retime(result, preempted ? attempts : attempts - 1);
                               },
                               Qt::QueuedConnection);
                       });
    return true;
}

void CompressionRunner::deliverRemeasure(quint64 measureId, const CompressionResultPtr& result) {
    if (measureId != measureId_ || result->generation != generation_) {
        ++dropped_;
        emit resultDropped(result->generation);
        return;
    }
    if (!debounce_.isActive()) setBusy(false);
    emit metricsReady(result);
}

void CompressionRunner::setBusy(bool busy) {
    if (busy == busy_) return;
    busy_ = busy;
    emit busyChanged(busy);
}

bool CompressionRunner::isCurrent(const CompressionResultPtr& result) {
    if (result->generation == generation_) return true;
    ++dropped_;
    emit resultDropped(result->generation);
    return false;
}

void CompressionRunner::deliverReconstruction(const CompressionResultPtr& result) {
    if (!isCurrent(result)) return;
    emit reconstructionReady(result);
}

void CompressionRunner::deliverMetrics(const CompressionResultPtr& result) {
    if (!isCurrent(result)) return;
    // The newest job's last delivery: not busy any more, unless a newer request is already waiting.
    if (!debounce_.isActive()) setBusy(false);
    emit metricsReady(result);
}

void CompressionRunner::deliverInterim(const CompressionResultPtr& result) {
    if (!isCurrent(result)) return;
    // The job goes on: busy stays as it is.
    emit reconstructionReady(result);
    emit metricsReady(result);
}

void CompressionRunner::deliverFailure(quint64 generation, const Error& error) {
    if (generation != generation_ || error.code == ErrorCode::Cancelled) return;
    emit jobFailed(generation, error);
}

void CompressionRunner::jobFinished(quint64 generation) {
    if (generation == generation_ && !debounce_.isActive()) setBusy(false);
}

}  // namespace lmc::studio
