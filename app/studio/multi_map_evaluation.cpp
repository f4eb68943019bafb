#include "app/studio/multi_map_evaluation.h"

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>

#include "app/preset/metrics_csv.h"
#include "app/studio/image_loader.h"
#include "app/studio/sweep_runner.h"
#include "codec/evaluate.h"

namespace lmc::studio {

// One map of a run: read by whichever of its jobs starts first, released when the last one is done.
struct MultiMapEvaluation::Run {
    struct Map {
        QString path;
        std::once_flag loadOnce;
        std::shared_ptr<const LoadedImage> loaded;
        std::atomic<int> jobsLeft{0};
        std::atomic<bool> failureReported{false};
    };
    std::vector<std::unique_ptr<Map>> maps;
};

MultiMapEvaluation::MultiMapEvaluation(const CodecRegistry& registry, std::shared_ptr<JobScheduler> scheduler,
                                       QObject* parent)
    : QObject(parent),
      registry_(registry),
      scheduler_(scheduler ? std::move(scheduler) : std::make_shared<JobScheduler>()),
      group_(scheduler_->makeGroup()) {}

MultiMapEvaluation::~MultiMapEvaluation() {
    if (token_) token_->cancel();
    scheduler_->cancelGroup(group_);
}

QStringList MultiMapEvaluation::collectMaps(const QStringList& paths) {
    QStringList maps;
    for (const QString& path : paths) {
        const QFileInfo info(path);
        if (info.isDir()) {
            QDirIterator it(path, QDir::Files | QDir::Readable, QDirIterator::Subdirectories);
            while (it.hasNext()) {
                const QString file = it.next();
                if (file.endsWith(QStringLiteral(".exr"), Qt::CaseInsensitive)) maps << QDir::cleanPath(file);
            }
        } else if (info.exists()) {
            maps << QDir::cleanPath(info.absoluteFilePath());
        }
    }
    maps.sort();
    maps.removeDuplicates();
    return maps;
}

bool MultiMapEvaluation::start(const QStringList& maps, const std::vector<CodecSetup>& codecs, MaskMode mask,
                               int pointsPerCodec) {
    cancel();
    running_ = false;
    rows_.clear();
    csvLines_.clear();
    maps_ = maps;
    done_ = total_ = 0;
    const quint64 runId = ++runId_;
    auto token = std::make_shared<CancelToken>();
    token_ = token;

    struct Plan {
        const Codec* codec;
        std::vector<ParamSet> settings;
    };
    std::vector<Plan> plans;
    for (const CodecSetup& setup : codecs) {
        const Codec* codec = registry_.find(setup.id);
        if (!codec) continue;
        Plan plan{codec, {}};
        if (const auto rate = codec->rateParam()) {
            for (double v : SweepRunner::sweepValues(*rate, pointsPerCodec)) {
                ParamSet p = setup.params;
                p.set(rate->id, v);
                plan.settings.push_back(p);
            }
        } else {
            plan.settings.push_back(setup.params);
        }
        plans.push_back(std::move(plan));
    }
    if (maps.isEmpty() || plans.empty()) {
        emit progressChanged(0, 0);
        return false;
    }

    auto run = std::make_shared<Run>();
    for (const QString& path : maps) {
        auto map = std::make_unique<Run::Map>();
        map->path = path;
        map->jobsLeft = int(plans.size());
        run->maps.push_back(std::move(map));
        for (const Plan& plan : plans) total_ += int(plan.settings.size());
    }
    running_ = true;
    emit progressChanged(0, total_);

    // Maps in order, each map's codecs in order: the scheduler starts the newest job of a priority first, so submit
    // in reverse.
    for (auto m = run->maps.rbegin(); m != run->maps.rend(); ++m) {
        Run::Map* map = m->get();
        for (auto p = plans.rbegin(); p != plans.rend(); ++p) {
            const Codec* codec = p->codec;
            std::vector<ParamSet> settings = p->settings;
            scheduler_->submit(group_, Priority::Normal, token, [this, run, map, codec, settings, token, runId, mask] {
                const QString mapName = QFileInfo(map->path).fileName();
                const QString codecId = QString::fromStdString(codec->id());
                const int points = int(settings.size());
                auto release = [&] {
                    if (--map->jobsLeft == 0) map->loaded.reset();
                };
                try {
                    std::call_once(map->loadOnce, [&] {
                        if (!token->isCancelled()) map->loaded = loadLightmap(map->path, mask);
                    });
                    const auto loaded = map->loaded;
                    if (token->isCancelled() || !loaded) {
                        release();
                        QMetaObject::invokeMethod(
                            this, [this, runId, points] { deliver(runId, {}, {}, points); }, Qt::QueuedConnection);
                        return;
                    }
                    if (loaded->error || !loaded->image) {
                        // Reported once (no codec to blame); the map's other jobs only count their points.
                        const Error error = loaded->error.value_or(makeError(ErrorCode::Internal, "no image"));
                        release();
                        if (!map->failureReported.exchange(true))
                            QMetaObject::invokeMethod(
                                this,
                                [this, runId, mapName, error, points] {
                                    fail(runId, mapName, QString(), error, points);
                                },
                                Qt::QueuedConnection);
                        else
                            QMetaObject::invokeMethod(
                                this, [this, runId, points] { deliver(runId, {}, {}, points); }, Qt::QueuedConnection);
                        return;
                    }
                    const Image& image = *loaded->image;
                    int left = points;
                    for (const ParamSet& params : settings) {
                        if (token->isCancelled()) break;
                        CodecContext context;
                        context.cancel = token.get();
                        context.threads = 1;
                        EvaluateOptions options;
                        options.metrics.normalization = loaded->normalization.get();
                        options.metrics.mask = mask;
                        options.metrics.threads = 1;
                        Result<Evaluation> e = evaluate(*codec, image.view(), params, context, options);
                        if (!e || e->decodeError || !e->metrics) {
                            const Error error =
                                !e ? e.error()
                                   : (e->decodeError
                                          ? *e->decodeError
                                          : e->metricsError.value_or(makeError(ErrorCode::Internal, "not measured")));
                            if (error.code == ErrorCode::Cancelled) break;
                            QMetaObject::invokeMethod(
                                this,
                                [this, runId, mapName, codecId, error, left] {
                                    fail(runId, mapName, codecId, error, left);
                                },
                                Qt::QueuedConnection);
                            left = 0;
                            break;
                        }
                        preset::EvalRow row;
                        row.file = mapName.toStdString();
                        row.codec = codec->id();
                        row.params = formatParamSet(codec->schema(), params);
                        row.bpp = e->bitsPerTexel;
                        row.mPsnr = e->metrics->mPsnr;
                        row.logPsnr = e->metrics->logPsnr;
                        row.pu21Psnr = e->metrics->pu21Psnr;
                        row.ssim = e->metrics->pu21Ssim;
                        row.mask = maskModeName(mask);
                        const std::string line =
                            preset::metricsCsvRow(preset::measuredRow(row.file, *codec, params, *e, image.view(),
                                                                      loaded->stats.coveredFraction, mask),
                                                  false);
                        --left;
                        QMetaObject::invokeMethod(
                            this, [this, runId, row, line] { deliver(runId, {row}, {line}, 1); }, Qt::QueuedConnection);
                    }
                    release();
                    if (left > 0)  // cancelled: the points that will not come still end the count
                        QMetaObject::invokeMethod(
                            this, [this, runId, left] { deliver(runId, {}, {}, left); }, Qt::QueuedConnection);
                } catch (const std::exception& ex) {
                    release();
                    const Error error = makeError(ErrorCode::Internal, std::string("evaluation failed: ") + ex.what());
                    QMetaObject::invokeMethod(
                        this,
                        [this, runId, mapName, codecId, error, points] {
                            fail(runId, mapName, codecId, error, points);
                        },
                        Qt::QueuedConnection);
                }
            });
        }
    }
    return true;
}

void MultiMapEvaluation::cancel() {
    if (token_) token_->cancel();
    scheduler_->dropQueued(group_);
    if (!running_) return;
    running_ = false;
    ++runId_;  // whatever the running points still deliver is dropped
    emit finished(true);
}

void MultiMapEvaluation::deliver(quint64 runId, std::vector<preset::EvalRow> rows, std::vector<std::string> lines,
                                 int points) {
    if (runId != runId_ || !running_) return;
    for (auto& r : rows) rows_.push_back(std::move(r));
    for (auto& l : lines) csvLines_.push_back(std::move(l));
    done_ += points;
    if (!rows.empty() || !lines.empty() || points > 0) emit rowsAdded();
    emit progressChanged(done_, total_);
    checkDone();
}

void MultiMapEvaluation::fail(quint64 runId, const QString& map, const QString& codecId, const Error& error,
                              int points) {
    if (runId != runId_ || !running_) return;
    done_ += points;
    emit mapFailed(map, codecId, error);
    emit progressChanged(done_, total_);
    checkDone();
}

void MultiMapEvaluation::checkDone() {
    if (running_ && done_ >= total_) {
        running_ = false;
        emit finished(false);
    }
}

void MultiMapEvaluation::setRows(std::vector<preset::EvalRow> rows) {
    cancel();
    ++runId_;
    rows_ = std::move(rows);
    csvLines_.clear();
    maps_.clear();
    for (const preset::EvalRow& r : rows_)
        if (!maps_.contains(QString::fromStdString(r.file))) maps_ << QString::fromStdString(r.file);
    done_ = total_ = int(rows_.size());
    emit rowsAdded();
    emit finished(false);
}

std::string MultiMapEvaluation::csv() const {
    std::string text = preset::metricsCsvHeader(false);
    for (const std::string& line : csvLines_) text += line;
    return text;
}

}  // namespace lmc::studio
