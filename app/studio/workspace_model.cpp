#include "app/studio/workspace_model.h"

#include <QCoreApplication>

#include <algorithm>
#include <exception>

#include "app/studio/param_editor.h"
#include "app/studio/studio_settings.h"

namespace lmc::studio {
namespace {

// The encoder effort levels a fast preview caps, where a codec's production level is too slow to follow a slider:
// BC6H "normal" instead of "high", ASTC "fastest" instead of "medium" (0.25 s and 0.8 s instead of 0.6 s and 2.6 s
// for 1024^2 on two cores; ASTC loses about 1 dB mPSNR at 6x6, BC6H 0.3 dB). Choices are ordered fastest first.
struct PreviewLevel {
    const char* codecId;
    const char* param;
    const char* choice;
};
constexpr PreviewLevel kPreviewLevels[] = {{"bc6h", "quality", "normal"}, {"astc", "preset", "fastest"}};

}  // namespace

std::optional<PreviewEffort> previewEffort(const Codec& codec, const ParamSet& params) {
    const ParamSchema schema = codec.schema();
    for (const PreviewLevel& level : kPreviewLevels) {
        if (codec.id() != level.codecId) continue;
        const ParamSpec* spec = findParam(schema, level.param);
        if (!spec) continue;
        const auto it = std::find(spec->choices.begin(), spec->choices.end(), level.choice);
        if (it == spec->choices.end()) continue;
        const int cap = int(it - spec->choices.begin());
        if (params.getInt(level.param) <= cap) continue;  // already as fast
        PreviewEffort effort;
        effort.params = params;
        effort.params.set(level.param, double(cap));
        effort.param = *spec;
        effort.choice = cap;
        return effort;
    }
    return std::nullopt;
}

bool isOptIn(const std::string& codecId) {
    // The per-map optimised codec trains for minutes per megapixel on every map opened: the user switches it on.
    return codecId == "overfit";
}

QString codecDisplayName(const CodecRegistry& registry, const std::string& codecId) {
    const Codec* codec = registry.find(codecId);
    return codec ? QCoreApplication::translate(kCodecTextContext, codec->name().c_str())
                 : QString::fromStdString(codecId);
}

QString gpuFormatDisplayName(const CodecRegistry& registry, const std::string& format) {
    auto parsed = parseGpuFormat(registry, format);
    if (!parsed) return QString::fromStdString(format);
    const ParamSchema schema = parsed->codec->schema();
    const ParamSpec* spec = findParam(schema, parsed->codec->id() == "bc6h" ? "quality" : "block");
    const QString name = codecDisplayName(registry, parsed->codec->id());
    if (!spec) return name;
    return name + QLatin1Char(' ') + ParamEditor::choiceText(*spec, parsed->params.getInt(spec->id));
}

std::vector<std::string> gpuFormatChoices(const CodecRegistry& registry, const Codec& codec) {
    std::vector<std::string> out;
    if (codec.defaultTraits().gpuBitsPerTexel > 0) return out;
    for (const auto& [id, param] : {std::pair<const char*, const char*>{"bc6h", "quality"}, {"astc", "block"}}) {
        const Codec* gpu = registry.find(id);
        if (!gpu) continue;
        const ParamSchema schema = gpu->schema();
        if (const ParamSpec* spec = findParam(schema, param))
            for (const std::string& choice : spec->choices) out.push_back(std::string(id) + ":" + choice);
    }
    return out;
}

WorkspaceModel::WorkspaceModel(const Options& options, QObject* parent)
    : QObject(parent), registry_(options.registry ? *options.registry : CodecRegistry::builtin()), options_(options) {
    sweeps_ = new SweepRunner(registry_, this, scheduler_);
    for (const Codec* codec : registry_.codecs()) {
        auto state = std::make_unique<CodecState>();
        state->codec = codec;
        state->id = codec->id();
        state->key = QString::fromStdString(codec->id());
        state->params = ParamSet::defaults(codec->schema());
        state->enabled = !isOptIn(state->id);
        state->runner = new CompressionRunner(registry_, this, scheduler_);
        connectRunner(*state);
        states_.push_back(std::move(state));
    }
    connectSweeps();
}

WorkspaceModel::~WorkspaceModel() {
    // Load and mask jobs post back to this object: wait for a running one (readExr cannot be interrupted), drop
    // queued ones. Runners (children) wait for their own jobs when deleted.
    scheduler_->cancelGroup(ioGroup_);
    sweeps_->cancelAll();
}

CodecState* WorkspaceModel::find(const std::string& codecId) const {
    for (const auto& s : states_)
        if (s->id == codecId) return s.get();
    return nullptr;
}

void WorkspaceModel::connectRunner(CodecState& state) {
    CodecState* s = &state;
    connect(s->runner, &CompressionRunner::reconstructionReady, this, [this, s](const CompressionResultPtr& r) {
        guarded(QT_TR_NOOP("showing a reconstruction"), [&] {
            if (!s->enabled) return;
            // The previous metrics stay in the views (greyed) until this result's are measured.
            s->result = r;
            s->error.reset();
            // An interim result shows while its job goes on encoding (busy, progress as they are).
            if (!r->interim) {
                s->busy = false;
                s->progress = -1.0;
                s->latencyStartNs = r->requestedAtNs;
            }
            emit codecResultChanged(s->key);
        });
    });
    connect(s->runner, &CompressionRunner::metricsReady, this, [this, s](const CompressionResultPtr& r) {
        guarded(QT_TR_NOOP("showing the metrics"), [&] { onMetrics(*s, r); });
    });
    connect(s->runner, &CompressionRunner::timesMeasured, this,
            [this, s](quint64 generation, double encodeMs, double decodeMs) {
                if (!s->result || s->result->generation != generation) return;
                auto timed = std::make_shared<CompressionResult>(*s->result);
                timed->encodeMs = encodeMs;
                timed->decodeMs = decodeMs;
                if (timed->loadMs >= 0) timed->loadMs = decodeMs + timed->transcodeMs;
                timed->timesShared = false;
                s->result = timed;
                emit codecTimesChanged(s->key);
            });
    connect(s->runner, &CompressionRunner::jobFailed, this, [this, s](quint64, const Error& e) {
        guarded(QT_TR_NOOP("reporting a codec error"), [&] {
            s->busy = false;
            s->progress = -1.0;
            s->error = e;
            emit codecFailed(s->key, e);
        });
    });
    connect(s->runner, &CompressionRunner::jobStarted, this, [this, s](quint64) {
        s->busy = true;
        s->progress = 0.0;
        emit codecBusyChanged(s->key);
    });
    connect(s->runner, &CompressionRunner::progress, this, [this, s](quint64, double f) {
        s->progress = f;
        emit codecProgress(s->key, f);
    });
    connect(s->runner, &CompressionRunner::busyChanged, this, [this, s](bool busy) {
        if (busy) return;
        s->busy = false;
        s->progress = -1.0;
        emit codecBusyChanged(s->key);
    });
}

void WorkspaceModel::connectSweeps() {
    connect(sweeps_, &SweepRunner::pointReady, this, [this](const QString& id, quint64 sweepId, const SweepPoint& p) {
        guarded(QT_TR_NOOP("adding a sweep point"), [&] {
            CodecState* s = find(id.toStdString());
            if (!s || s->sweepId != sweepId) return;
            s->sweep.push_back(p);
            emit sweepPointAdded(s->key, int(s->sweep.size()));
        });
    });
    connect(sweeps_, &SweepRunner::progressChanged, this, [this](const QString& id, double fraction) {
        if (CodecState* s = find(id.toStdString())) {
            s->sweepProgress = fraction;
            emit sweepStateChanged(s->key);
        }
    });
    connect(sweeps_, &SweepRunner::activeChanged, this, [this](const QString& id, bool active) {
        if (CodecState* s = find(id.toStdString())) {
            s->sweepActive = active;
            emit sweepStateChanged(s->key);
        }
    });
    connect(sweeps_, &SweepRunner::finished, this, [this](const QString& id, quint64) { emit sweepFinished(id); });
    connect(sweeps_, &SweepRunner::failed, this, [this](const QString& id, quint64, const Error& error) {
        if (CodecState* s = find(id.toStdString())) {
            s->sweepSig.clear();  // a later change may try again
            emit sweepFailed(s->key, error);
        }
    });
}

// ---- image --------------------------------------------------------------------------------------------------

void WorkspaceModel::open(const QString& path, const std::string& first) {
    // An older load still running finishes unobserved (readExr cannot be interrupted); its result is dropped by id.
    const quint64 id = ++loadId_;
    loading_ = true;
    emit loadStarted(path);
    const MaskMode mask = maskMode_;
    scheduler_->submit(ioGroup_, Priority::Interactive, nullptr, [this, id, path, mask, first] {
        std::shared_ptr<const LoadedImage> loaded = loadLightmap(path, mask);  // never throws
        QMetaObject::invokeMethod(
            this,
            [this, id, loaded, first] {
                if (id != loadId_) return;
                loading_ = false;
                guarded(QT_TR_NOOP("loading a file"), [&] { onLoaded(loaded, first); });
            },
            Qt::QueuedConnection);
    });
}

void WorkspaceModel::onLoaded(const std::shared_ptr<const LoadedImage>& loaded, const std::string& first) {
    if (loaded->error || !loaded->image) {
        emit loadFailed(loaded->path, loaded->error.value_or(makeError(ErrorCode::Internal, "no image")));
        return;
    }
    image_ = loaded;
    ++maskId_;  // a mask computed for the previous image is stale
    shownMask_ = loaded->shownMask;
    sweeps_->setSource(image_->image, image_->normalization);
    for (auto& s : states_) {
        s->runner->setSource(image_->image, image_->normalization);
        s->runner->setDevice(device_);
        s->result.reset();
        s->error.reset();
        s->busy = false;
        s->progress = -1.0;
        s->sweep.clear();
        s->sweepSig.clear();
        s->sweepActive = false;
        s->latencyStartNs = -1;
    }
    // The mask mode changed while loading: the loader's mask counted the old texels.
    if (loaded->maskMode != maskMode_) shownMask_ = shownMaskFor(*image_->image, maskMode_);
    adaptToNegatives(loaded->stats);
    emit imageLoaded(loaded->path);
    requestAll(first);
}

// A codec that clamps negatives would score a map of signed values (SH-style directional maps) by what it throws
// away, and scores higher with it than the signed mode does: such maps get the codec's signed mode where its schema
// has one (any non-rate Enum choice for which keepsNegatives() holds), and the view says which codecs still clamp.
void WorkspaceModel::adaptToNegatives(const ImageStats& stats) {
    negatives_ = {};
    for (auto& s : states_) {
        if (stats.coveredNegativeCount == 0) {
            if (s->unsignedParams) {
                s->params = *s->unsignedParams;
                s->unsignedParams.reset();
                emit codecParamsChanged(s->key);
            }
            continue;
        }
        if (s->codec->traits(s->params).keepsNegatives) continue;
        std::optional<ParamSet> signedParams;
        for (const ParamSpec& spec : s->codec->schema()) {
            if (spec.type != ParamType::Enum || spec.isRate) continue;
            for (std::size_t i = 0; i < spec.choices.size() && !signedParams; ++i) {
                ParamSet candidate = s->params;
                candidate.set(spec.id, double(i));
                if (s->codec->traits(candidate).keepsNegatives) signedParams = candidate;
            }
            if (signedParams) break;
        }
        if (!signedParams) {
            negatives_.clamping.push_back(s->id);
            continue;
        }
        s->unsignedParams = s->params;
        s->params = *signedParams;
        negatives_.switched.push_back(s->id);
        emit codecParamsChanged(s->key);
    }
}

void WorkspaceModel::setMaskMode(MaskMode mode) {
    const bool changed = mode != maskMode_;
    maskMode_ = mode;
    sweeps_->setMaskMode(mode);
    for (auto& s : states_) s->runner->setMaskMode(mode);
    if (!changed) return;
    emit maskModeChanged(mode);
    if (!image_) return;
    // The dimming follows on a worker; until then the views keep the old mask.
    const quint64 id = ++maskId_;
    scheduler_->submit(ioGroup_, Priority::Interactive, nullptr, [this, id, image = image_->image, mode] {
        ShownMask mask;
        try {
            mask = shownMaskFor(*image, mode);
        } catch (...) {
            return;  // std::bad_alloc: the views keep the old mask
        }
        QMetaObject::invokeMethod(
            this,
            [this, id, mask] {
                if (id != maskId_) return;
                shownMask_ = mask;
                emit shownMaskChanged();
            },
            Qt::QueuedConnection);
    });
    remeasureAll();
}

void WorkspaceModel::remeasureAll() {
    // Every figure counted the old texels, but the streams do not depend on them: measure the stored
    // reconstructions again. Codecs without a finished result (running, failed) are compressed again.
    for (auto& s : states_) {
        if (!s->enabled) continue;
        if (s->result && s->runner->remeasure(s->result)) {
            s->busy = true;
            s->progress = -1.0;
            emit codecBusyChanged(s->key);
        } else {
            requestCompression(s->id, true);
        }
    }
}

// ---- codecs -------------------------------------------------------------------------------------------------

void WorkspaceModel::setCodecEnabled(const std::string& codecId, bool enabled) {
    CodecState* s = find(codecId);
    if (!s || s->enabled == enabled) return;
    s->enabled = enabled;
    if (!enabled) {
        s->runner->cancel();
        sweeps_->cancel(codecId);
        s->busy = false;
        s->result.reset();
        s->error.reset();
        s->sweepSig.clear();
        s->sweep.clear();
    }
    emit codecEnabledChanged(s->key, enabled);
    if (enabled) requestCompression(codecId, true);
}

std::vector<std::string> WorkspaceModel::enabledCodecs() const {
    std::vector<std::string> ids;
    for (const auto& s : states_)
        if (s->enabled) ids.push_back(s->id);
    return ids;
}

void WorkspaceModel::setParams(const std::string& codecId, const ParamSet& params, bool immediately) {
    CodecState* s = find(codecId);
    if (!s) return;
    if (!(params == s->params)) s->unsignedParams.reset();  // the user's choice from now on
    s->params = params;
    requestCompression(codecId, immediately);
}

bool WorkspaceModel::applySweepPoint(const std::string& codecId, int index) {
    CodecState* s = find(codecId);
    if (!s || !s->enabled || index < 0 || std::size_t(index) >= s->sweep.size()) return false;
    s->params = s->sweep[std::size_t(index)].params;
    emit codecParamsChanged(s->key);
    requestCompression(codecId, true);
    return true;
}

bool WorkspaceModel::setGpuFormat(const std::string& codecId, const std::string& format) {
    CodecState* s = find(codecId);
    if (!s) return false;
    std::shared_ptr<const GpuFormat> gpu;
    if (!format.empty()) {
        auto parsed = parseGpuFormat(registry_, format);
        if (!parsed) return false;
        gpu = std::make_shared<const GpuFormat>(std::move(parsed).value());
    }
    if ((gpu ? gpu->name : std::string()) == (s->gpuFormat ? s->gpuFormat->name : std::string())) return true;
    s->gpuFormat = gpu;
    s->runner->setGpuFormat(gpu);
    // The curve measured the other end point: it is measured again once the new result is in (onMetrics).
    sweeps_->cancel(codecId);
    s->sweep.clear();
    s->sweepSig.clear();
    s->sweepActive = false;
    emit gpuFormatChanged(s->key);
    emit sweepStateChanged(s->key);
    requestCompression(codecId, true);
    return true;
}

QString WorkspaceModel::chainTitle(const std::string& codecId) const {
    const CodecState* s = find(codecId);
    const QString name = codecDisplayName(registry_, codecId);
    if (!s || !s->gpuFormat) return name;
    return tr("%1 → %2", "a codec followed by a GPU format")
        .arg(name, gpuFormatDisplayName(registry_, s->gpuFormat->name));
}

void WorkspaceModel::requestCompression(const std::string& codecId, bool immediately) {
    CodecState* s = find(codecId);
    if (!s || !image_ || !s->enabled) return;
    s->busy = true;
    s->progress = -1.0;
    emit codecBusyChanged(s->key);
    ParamSet params = s->params;
    if (fastPreview_)
        if (auto effort = previewEffort(*s->codec, s->params)) params = effort->params;
    if (immediately)
        s->runner->requestNow(s->id, params);
    else
        s->runner->request(s->id, params);
}

void WorkspaceModel::setFastPreview(bool on) {
    if (on == fastPreview_) return;
    fastPreview_ = on;
    for (const auto& s : states_)
        if (previewEffort(*s->codec, s->params)) requestCompression(s->id, true);
    emit fastPreviewChanged(on);
}

void WorkspaceModel::requestAll(const std::string& first) {
    // The scheduler starts the newest request of a priority first: submit in reverse, so `first` (the selected
    // codec) starts first and the others follow in the panel's order.
    for (auto it = states_.rbegin(); it != states_.rend(); ++it)
        if ((*it)->id != first) requestCompression((*it)->id, true);
    if (find(first)) requestCompression(first, true);
}

void WorkspaceModel::onMetrics(CodecState& s, const CompressionResultPtr& result) {
    if (!s.enabled) return;
    s.result = result;
    emit codecMetricsChanged(s.key);
    if (result->interim) return;  // the final result follows: retimes and sweeps wait for it
    // Times taken while other jobs shared the CPU are measured again alone once the workspace is idle (an opt-in
    // codec's minutes-long encode is not repeated for that).
    if (result->timesShared && result->generation != s.retimedGeneration && !isOptIn(s.id) && s.runner->retime(result))
        s.retimedGeneration = result->generation;
    if (options_.autoSweep && s.codec->rateParam() && s.sweepSig != sweepSignature(s)) startSweep(s.id);
}

void WorkspaceModel::setDevice(const std::string& device) {
    device_ = device;
    for (auto& s : states_) s->runner->setDevice(device);
    sweeps_->setDevice(device);
}

qint64 WorkspaceModel::takeLatencyStart(const std::string& codecId) {
    CodecState* s = find(codecId);
    if (!s) return -1;
    const qint64 start = s->latencyStartNs;
    s->latencyStartNs = -1;
    return start;
}

// ---- sweeps -------------------------------------------------------------------------------------------------

std::string WorkspaceModel::sweepSignature(const CodecState& s) const {
    ParamSet p = s.params;
    if (const auto rate = s.codec->rateParam()) p.set(rate->id, rate->defaultValue);
    return formatParamSet(s.codec->schema(), p) + "@" + device_ + "/" + maskModeName(maskMode_) + ">" +
           (s.gpuFormat ? s.gpuFormat->name : std::string());
}

void WorkspaceModel::startSweep(const std::string& codecId) {
    CodecState* s = find(codecId);
    if (!s || !s->enabled || !image_ || !s->codec->rateParam()) return;
    s->sweep.clear();
    s->sweepSig = sweepSignature(*s);
    s->sweepId = sweeps_->start(s->id, s->params, s->gpuFormat);
    s->sweepActive = s->sweepId != 0;
    s->sweepProgress = 0.0;
    emit sweepStateChanged(s->key);
}

void WorkspaceModel::cancelSweep(const std::string& codecId) {
    sweeps_->cancel(codecId);
}

void WorkspaceModel::cancelSweeps() {
    sweeps_->cancelAll();
    for (auto& s : states_) {
        if (s->sweep.size() < SweepRunner::sweepValues(s->codec->rateParam().value_or(ParamSpec{})).size())
            s->sweepSig.clear();  // incomplete: a later change sweeps again
        s->sweepActive = false;
        emit sweepStateChanged(s->key);
    }
}

// ---- settings -----------------------------------------------------------------------------------------------

void WorkspaceModel::restoreSettings(const StudioSettings& settings) {
    // Parameters last used with each codec (unreadable entries fall back to the live defaults), and whether the
    // codec is switched on.
    for (auto& s : states_) {
        const QString text = settings.codecParams(s->key);
        if (!text.isEmpty()) {
            auto parsed = parseParamSet(s->codec->schema(), text.toStdString());
            if (parsed) s->params = *parsed;
        }
        // An unreadable format (edited by hand, or from a newer version) leaves the codec without a chain.
        const QString gpu = settings.codecGpuFormat(s->key);
        if (!setGpuFormat(s->id, gpu.toStdString())) setGpuFormat(s->id, {});
        const bool enabled = settings.codecEnabled(s->key, !isOptIn(s->id));
        if (enabled != s->enabled) setCodecEnabled(s->id, enabled);
    }
}

void WorkspaceModel::saveSettings(StudioSettings& settings) const {
    for (const auto& s : states_) {
        settings.setCodecParams(s->key, QString::fromStdString(formatParamSet(s->codec->schema(), s->params)));
        settings.setCodecEnabled(s->key, s->enabled);
        settings.setCodecGpuFormat(s->key, s->gpuFormat ? QString::fromStdString(s->gpuFormat->name) : QString());
    }
}

}  // namespace lmc::studio
