#include "app/studio/sweep_runner.h"

#include <QMetaObject>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <optional>

#include "app/studio/compression_runner.h"
#include "codec/evaluate.h"
#include "codec/learned/learned_codec.h"

namespace lmc::studio {

SweepRunner::SweepRunner(const CodecRegistry& registry, QObject* parent, std::shared_ptr<JobScheduler> scheduler)
    : QObject(parent),
      registry_(registry),
      scheduler_(scheduler ? std::move(scheduler) : std::make_shared<JobScheduler>()),
      group_(scheduler_->makeGroup()) {
    qRegisterMetaType<SweepPoint>();
    qRegisterMetaType<Error>();
    next_.setSingleShot(true);
    next_.setInterval(0);
    connect(&next_, &QTimer::timeout, this, &SweepRunner::runNext);
}

SweepRunner::~SweepRunner() {
    next_.stop();
    if (token_) token_->cancel();
    scheduler_->cancelGroup(group_);
}

std::vector<double> SweepRunner::sweepValues(const ParamSpec& rate, int maxSteps) {
    std::vector<double> values;
    maxSteps = std::max(2, maxSteps);
    if (rate.type == ParamType::Enum) {
        const int n = int(rate.choices.size());
        if (n <= maxSteps) {
            for (int i = 0; i < n; ++i) values.push_back(i);
        } else {
            for (int i = 0; i < maxSteps; ++i) values.push_back(std::round(double(i) * (n - 1) / (maxSteps - 1)));
        }
    } else {
        const double lo = rate.minValue, hi = rate.maxValue;
        for (int i = 0; i < maxSteps; ++i) {
            double v = lo + (hi - lo) * double(i) / (maxSteps - 1);
            if (rate.type != ParamType::Float) v = std::round(v);
            values.push_back(v);
        }
    }
    values.erase(std::unique(values.begin(), values.end()), values.end());
    if (!rate.higherIsMoreBits) std::reverse(values.begin(), values.end());
    return values;
}

void SweepRunner::setSource(std::shared_ptr<const Image> image,
                            std::shared_ptr<const MetricsNormalization> normalization) {
    cancelAll();
    source_ = std::move(image);
    normalization_ = std::move(normalization);
}

SweepRunner::Sweep* SweepRunner::findSweep(const std::string& codecId) {
    for (auto& s : queue_)
        if (s.codecId == codecId) return &s;
    return nullptr;
}

quint64 SweepRunner::start(const std::string& codecId, const ParamSet& params,
                           std::shared_ptr<const GpuFormat> gpuFormat) {
    const Codec* codec = registry_.find(codecId);
    if (!codec || !source_) return 0;
    const auto rate = codec->rateParam();
    if (!rate) return 0;
    cancel(codecId);
    Sweep sweep;
    sweep.id = ++nextId_;
    sweep.codecId = codecId;
    sweep.params = params;
    sweep.gpuFormat = std::move(gpuFormat);
    sweep.rateId = rate->id;
    sweep.values = sweepValues(*rate, maxSteps_);
    queue_.push_back(std::move(sweep));
    emit activeChanged(QString::fromStdString(codecId), true);
    emit progressChanged(QString::fromStdString(codecId), 0.0);
    schedule();
    return nextId_;
}

void SweepRunner::cancel(const std::string& codecId) {
    for (auto it = queue_.begin(); it != queue_.end(); ++it) {
        if (it->codecId != codecId) continue;
        if (running_ && it == queue_.begin()) {
            if (token_) token_->cancel();
            scheduler_->dropQueued(group_);  // a point that has not started never will
            running_ = false;                // a started one's delivery is dropped by id
        }
        queue_.erase(it);
        emit activeChanged(QString::fromStdString(codecId), false);
        schedule();
        return;
    }
}

void SweepRunner::cancelAll() {
    if (token_) token_->cancel();
    running_ = false;
    next_.stop();
    scheduler_->dropQueued(group_);
    std::deque<Sweep> old;
    old.swap(queue_);
    for (const auto& s : old) emit activeChanged(QString::fromStdString(s.codecId), false);
}

bool SweepRunner::isActive(const std::string& codecId) const {
    return std::any_of(queue_.begin(), queue_.end(), [&](const Sweep& s) { return s.codecId == codecId; });
}

int SweepRunner::pointsDone(const std::string& codecId) const {
    for (const auto& s : queue_)
        if (s.codecId == codecId) return s.next;
    return 0;
}

int SweepRunner::pointsTotal(const std::string& codecId) const {
    for (const auto& s : queue_)
        if (s.codecId == codecId) return int(s.values.size());
    return 0;
}

void SweepRunner::schedule() {
    if (running_ || queue_.empty() || next_.isActive()) return;
    // Through the event loop: callers may be in the middle of updating their state.
    next_.start();
}

void SweepRunner::runNext() {
    if (running_ || queue_.empty() || !source_) return;
    Sweep& sweep = queue_.front();
    const Codec* codec = registry_.find(sweep.codecId);
    if (!codec || sweep.next >= int(sweep.values.size())) {
        const QString id = QString::fromStdString(sweep.codecId);
        const quint64 sweepId = sweep.id;
        queue_.pop_front();
        emit activeChanged(id, false);
        emit finished(id, sweepId);
        schedule();
        return;
    }
    running_ = true;
    auto token = std::make_shared<CancelToken>();
    token_ = token;
    ParamSet params = sweep.params;
    const double value = sweep.values[std::size_t(sweep.next)];
    params.set(sweep.rateId, value);
    const quint64 sweepId = sweep.id;
    const int index = sweep.next, total = int(sweep.values.size());
    const QString codecKey = QString::fromStdString(sweep.codecId);
    auto image = source_;
    auto normalization = normalization_;
    const std::string device = device_;
    const MaskMode mask = mask_;
    auto cache = sweep.cache;
    auto gpu = sweep.gpuFormat;
    scheduler_->submit(
        group_, Priority::Background, token,
        [this, codec, params, value, token, sweepId, index, total, codecKey, image, normalization, device, mask, cache,
         gpu] {
            auto point = std::make_shared<SweepPoint>();
            std::optional<Error> error;
            try {
                CodecContext context;
                context.cancel = token.get();
                context.threads = 1;
                learned::setDevice(context, device);
                context.cache = cache.get();
                auto lastSent = std::make_shared<std::atomic<int>>(-1);
                context.progress = [this, token, lastSent, sweepId, index, total, codecKey](double f) {
                    const int step = int(f * 20.0);
                    int previous = lastSent->load();
                    if (token->isCancelled() || step <= previous || !lastSent->compare_exchange_strong(previous, step))
                        return;
                    const double overall = (index + 0.8 * f) / total;
                    QMetaObject::invokeMethod(
                        this,
                        [this, sweepId, codecKey, overall] {
                            if (running_ && !queue_.empty() && queue_.front().id == sweepId)
                                emit progressChanged(codecKey, overall);
                        },
                        Qt::QueuedConnection);
                };
                point->rateValue = value;
                point->params = params;
                EvaluateOptions options;
                options.metrics.threads = 1;
                options.metrics.metrics = kMetricMPsnr | kMetricPu21Ssim;
                options.metrics.normalization = normalization.get();
                options.metrics.mask = mask;
                options.gpuFormat = gpu.get();
                point->vramBitsPerTexel = codec->traits(params).gpuBitsPerTexel;
                Result<Evaluation> e = evaluate(*codec, image->view(), params, context, options);
                if (e) {
                    point->bytes = e->bytes.size();
                    point->bitsPerTexel = e->bitsPerTexel;
                    point->encodeMs = e->encodeMs;
                    point->decodeMs = e->decodeMs;
                }
                error = firstFailure(e);
                if (!error && e->chain && e->chain->error) error = e->chain->error;
                if (!error) {
                    // A chain's point is its end's quality.
                    const QualityMetrics& m = e->chain && e->chain->metrics ? *e->chain->metrics : *e->metrics;
                    point->mPsnr = m.mPsnr;
                    point->ssim = m.pu21Ssim;
                    if (e->chain) {
                        point->gpuFormat = e->chain->format;
                        point->vramBitsPerTexel = e->chain->vramBitsPerTexel;
                        point->loadMs = e->chain->loadMs;
                    }
                }
            } catch (const std::exception& e) {
                error = makeError(ErrorCode::Internal, std::string("sweep point failed: ") + e.what());
            } catch (...) {
                error = makeError(ErrorCode::Internal, "sweep point failed with an unknown exception");
            }
            QMetaObject::invokeMethod(
                this, [this, sweepId, point, error] { pointDone(sweepId, point, error); }, Qt::QueuedConnection);
        });
}

void SweepRunner::pointDone(quint64 sweepId, const std::shared_ptr<SweepPoint>& point,
                            const std::optional<Error>& error) {
    if (queue_.empty() || queue_.front().id != sweepId || !running_) {
        // A cancelled sweep's last point; the thread is free again.
        if (!running_) schedule();
        return;
    }
    running_ = false;
    Sweep& sweep = queue_.front();
    const QString id = QString::fromStdString(sweep.codecId);
    if (error && error->code == ErrorCode::Cancelled) {
        // Still the running sweep, so nobody here cancelled it: the scheduler preempted the point for live work.
        // It runs again once the live jobs are done.
        schedule();
        return;
    }
    if (error) {
        queue_.pop_front();
        emit activeChanged(id, false);
        if (error->code != ErrorCode::Cancelled) emit failed(id, sweepId, *error);
        schedule();
        return;
    }
    ++sweep.next;
    const double fraction = double(sweep.next) / double(sweep.values.size());
    emit pointReady(id, sweepId, *point);
    emit progressChanged(id, fraction);
    schedule();
}

}  // namespace lmc::studio
