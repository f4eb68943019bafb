#include "app/studio/comparison_service.h"

#include <QMetaObject>

#include <algorithm>
#include <cmath>
#include <exception>

#include "app/studio/workspace_model.h"

namespace lmc::studio {
namespace {

bool defaultLogScale(ErrorMapKind kind) {
    return kind == ErrorMapKind::Absolute || kind == ErrorMapKind::Relative;
}

}  // namespace

struct ComparisonService::Heat {
    std::shared_ptr<const ErrorMap> map;
    quint64 generation = 0;  // result generation the map belongs to
    ErrorMapKind kind = ErrorMapKind::Relative;
    MaskMode mask = MaskMode::Visible;
    HeatmapScale linearScale, logScale;
    quint64 mapToken = 0;  // newest requested map
    quint64 colourToken = 0;
    HeatmapScale shownScale;
    bool shown = false;
};

ComparisonService::ComparisonService(WorkspaceModel& model, QObject* parent)
    : QObject(parent), model_(model), scheduler_(model.scheduler()), group_(scheduler_->makeGroup()) {
    regionTimer_.setSingleShot(true);
    regionTimer_.setInterval(150);
    connect(&regionTimer_, &QTimer::timeout, this, [this] { measureRegion(); });
    for (const auto& s : model_.codecs()) heat_[s->id];

    connect(&model_, &WorkspaceModel::imageLoaded, this, [this] {
        reset();
        setRegion(QRect());
        requestLuminanceHistogram();
        requestErrorHistogram();
    });
    connect(&model_, &WorkspaceModel::codecResultChanged, this, [this](const QString& id) {
        if (active_) request(id.toStdString());
        if (id.toStdString() == histCodec_) requestErrorHistogram();
    });
    // The shown mask follows a mask change on a worker; the luminance histogram counts the same texels.
    connect(&model_, &WorkspaceModel::shownMaskChanged, this, [this] { requestLuminanceHistogram(); });
    connect(&model_, &WorkspaceModel::codecMetricsChanged, this, [this] {
        if (!region_.isEmpty()) regionTimer_.start();
    });
    connect(&model_, &WorkspaceModel::codecEnabledChanged, this, [this](const QString& id, bool enabled) {
        if (!enabled) heat(id.toStdString()).map.reset();
        if (active_) requestAll();
        if (!region_.isEmpty()) regionTimer_.start();
    });
    connect(&model_, &WorkspaceModel::maskModeChanged, this, [this] {
        // Every map on screen counted the old texels.
        for (auto& [id, h] : heat_) h.shown = false;
        if (active_) requestAll();
        measureRegion();
        requestErrorHistogram();
    });
}

ComparisonService::~ComparisonService() {
    ++token_;
    ++regionToken_;
    scheduler_->cancelGroup(group_);
}

ComparisonService::Heat& ComparisonService::heat(const std::string& codecId) {
    return heat_[codecId];
}

void ComparisonService::reset() {
    for (auto& [id, h] : heat_) h = Heat{};
}

void ComparisonService::setHeatmapsActive(bool active) {
    active_ = active;
    if (active) requestAll();
}

void ComparisonService::setKind(ErrorMapKind kind) {
    kind_ = kind;
    log_ = defaultLogScale(kind);
    for (auto& [id, h] : heat_) h.shown = false;
    emit scalesChanged();
    if (active_) requestAll();
    requestErrorHistogram();
}

void ComparisonService::setLogarithmic(bool logarithmic) {
    log_ = logarithmic;
    recolour();
}

void ComparisonService::setScaleLocked(bool locked) {
    locked_ = locked;
    recolour();
}

HeatmapScale ComparisonService::scale(const std::string& codecId) const {
    auto own = [this](const Heat& h) { return log_ ? h.logScale : h.linearScale; };
    auto current = [this](const Heat& h) { return h.map && h.kind == kind_ && h.mask == model_.maskMode(); };
    if (locked_) {
        bool any = false;
        HeatmapScale locked;
        for (const auto& s : model_.codecs()) {
            const auto it = heat_.find(s->id);
            if (!s->enabled || it == heat_.end() || !current(it->second)) continue;
            const HeatmapScale sc = own(it->second);
            if (!any) {
                locked = sc;
                any = true;
            } else {
                locked.minValue = std::min(locked.minValue, sc.minValue);
                locked.maxValue = std::max(locked.maxValue, sc.maxValue);
            }
        }
        if (any) return locked.sanitized();
    } else if (const auto it = heat_.find(codecId); it != heat_.end() && current(it->second)) {
        return own(it->second);
    }
    HeatmapScale fallback;
    fallback.logarithmic = log_ && kind_ != ErrorMapKind::SignedLogRatio;
    if (kind_ == ErrorMapKind::SignedLogRatio) {
        fallback.minValue = -1.0;
        fallback.colorMap = ColorMap::Diverging;
    }
    return fallback.sanitized();
}

bool ComparisonService::isHeatmapShown(const std::string& codecId) const {
    const auto it = heat_.find(codecId);
    return it != heat_.end() && it->second.shown;
}

bool ComparisonService::heatmapsPending() const {
    for (const auto& s : model_.codecs()) {
        const auto it = heat_.find(s->id);
        if (s->enabled && s->result && it != heat_.end() && (it->second.mapToken != 0 || it->second.colourToken != 0))
            return true;
    }
    return false;
}

void ComparisonService::requestAll() {
    if (!model_.source()) return;
    for (const auto& s : model_.codecs())
        if (s->enabled) request(s->id);
    recolour();
}

void ComparisonService::request(const std::string& codecId) {
    const CodecState* s = model_.state(codecId);
    auto image = model_.image();
    if (!s || !s->result || !image) return;
    Heat& h = heat(codecId);
    const MaskMode mask = model_.maskMode();
    if (h.map && h.generation == s->result->generation && h.kind == kind_ && h.mask == mask) return;
    const quint64 token = ++token_;
    h.mapToken = token;
    auto reference = image->image;
    auto test = s->result->reconstruction;
    auto normalization = image->normalization;
    const ErrorMapKind kind = kind_;
    const QString key = s->key;
    const quint64 generation = s->result->generation;
    scheduler_->submit(
        group_, Priority::Interactive, nullptr,
        [this, reference, test, normalization, kind, mask, key, token, generation] {
            auto out = std::make_shared<Heat>();
            std::optional<Error> error;
            try {
                MetricsOptions options;
                options.normalization = normalization.get();
                options.threads = 1;
                options.mask = mask;
                Result<ErrorMap> map = computeErrorMap(reference->view(), test->view(), kind, options);
                if (map) {
                    auto shared = std::make_shared<const ErrorMap>(std::move(map).value());
                    if (kind == ErrorMapKind::SignedLogRatio) {
                        // No log scale for signed values: both are the symmetric diverging one.
                        out->linearScale = signedHeatmapScale(shared->values.data(), shared->values.size());
                        out->logScale = out->linearScale;
                    } else {
                        out->linearScale = autoHeatmapScale(shared->values.data(), shared->values.size(), false);
                        out->logScale = autoHeatmapScale(shared->values.data(), shared->values.size(), true);
                    }
                    out->map = std::move(shared);
                } else {
                    error = map.error();
                }
            } catch (const std::exception& e) {
                error = makeError(ErrorCode::Internal, e.what());
            }
            QMetaObject::invokeMethod(
                this,
                [this, key, token, out, error, kind, mask, generation] {
                    Heat& h = heat(key.toStdString());
                    if (h.mapToken != token) return;  // a newer map was asked for
                    h.mapToken = 0;
                    if (error || !out->map) {
                        emit heatmapFailed(key, error.value_or(makeError(ErrorCode::Internal, "no map")));
                        return;
                    }
                    h.map = out->map;
                    h.kind = kind;
                    h.mask = mask;
                    h.generation = generation;
                    h.linearScale = out->linearScale;
                    h.logScale = out->logScale;
                    recolour();
                },
                Qt::QueuedConnection);
        });
}

void ComparisonService::recolour() {
    for (const auto& s : model_.codecs()) {
        Heat& h = heat(s->id);
        if (!s->enabled || !s->result || !h.map || h.kind != kind_ || h.mask != model_.maskMode()) continue;
        const HeatmapScale sc = scale(s->id);
        if (h.shown && h.shownScale == sc && h.colourToken == 0 && h.generation == s->result->generation) continue;
        const quint64 token = ++token_;
        h.colourToken = token;
        auto map = h.map;
        const QString key = s->key;
        scheduler_->submit(group_, Priority::Interactive, nullptr, [this, map, sc, key, token] {
            QImage image = colorizeHeatmap(map->values.data(), map->width, map->height, sc);
            QMetaObject::invokeMethod(
                this,
                [this, key, token, image, sc] {
                    Heat& h = heat(key.toStdString());
                    if (h.colourToken != token) return;
                    h.colourToken = 0;
                    h.shownScale = sc;
                    h.shown = true;
                    emit heatmapReady(key, image);
                    emit scalesChanged();
                    if (!heatmapsPending()) emit heatmapsUpdated();
                },
                Qt::QueuedConnection);
        });
    }
    emit scalesChanged();
}

// ---- region -------------------------------------------------------------------------------------------------

void ComparisonService::setRegion(const QRect& texels) {
    region_ = texels;
    if (region_.isEmpty()) {
        ++regionToken_;
        emit regionMeasured(QRect(), {});
        return;
    }
    regionTimer_.start();
}

void ComparisonService::measureRegion() {
    auto image = model_.image();
    if (region_.isEmpty() || !image) return;
    const QRect r = region_.intersected(QRect(0, 0, image->image->width(), image->image->height()));
    if (r.isEmpty()) return;
    std::vector<std::pair<std::string, std::shared_ptr<const Image>>> jobs;
    for (const auto& s : model_.codecs())
        if (s->enabled && s->result && s->result->reconstruction) jobs.emplace_back(s->id, s->result->reconstruction);
    const quint64 token = ++regionToken_;
    auto reference = image->image;
    auto normalization = image->normalization;
    const MaskMode mask = model_.maskMode();
    scheduler_->submit(group_, Priority::Interactive, nullptr, [this, jobs, reference, normalization, mask, r, token] {
        auto rows = std::make_shared<std::vector<RegionRow>>();
        for (const auto& [id, test] : jobs) {
            if (token != regionToken_) return;  // read racily on purpose: only an early exit
            RegionRow row;
            row.codecId = id;
            try {
                MetricsOptions options;
                options.normalization = normalization.get();
                options.threads = 1;
                options.mask = mask;
                auto m = computeRegionMetrics(reference->view(), test->view(),
                                              MetricsRegion{r.x(), r.y(), r.width(), r.height()}, options);
                if (m)
                    row.metrics = *m;
                else
                    row.error = m.error();
            } catch (const std::exception& e) {
                row.error = makeError(ErrorCode::Internal, e.what());
            }
            rows->push_back(std::move(row));
        }
        QMetaObject::invokeMethod(
            this,
            [this, rows, token, r] {
                if (token == regionToken_) emit regionMeasured(r, *rows);
            },
            Qt::QueuedConnection);
    });
}

// ---- texels -------------------------------------------------------------------------------------------------

TexelReport ComparisonService::inspect(const QPoint& texel) const {
    TexelReport report;
    report.texel = texel;
    auto image = model_.image();
    if (!image || texel.x() < 0 || texel.y() < 0 || texel.x() >= image->image->width() ||
        texel.y() >= image->image->height())
        return report;
    const Image& source = *image->image;
    report.valid = true;
    const float* a = source.texel(texel.x(), texel.y());
    std::copy(a, a + 3, report.original);
    report.covered = !source.hasMask() || source.maskData()[std::size_t(texel.y()) * source.width() + texel.x()] != 0;
    MetricsOptions options;  // the heatmap's definitions, normalisation and texels (computeErrorMap)
    options.normalization = image->normalization.get();
    options.mask = model_.maskMode();
    for (const auto& s : model_.codecs()) {
        if (!s->enabled || !s->result || !s->result->reconstruction) continue;
        const Image& r = *s->result->reconstruction;
        if (texel.x() >= r.width() || texel.y() >= r.height()) continue;
        TexelReport::Row row;
        row.codecId = s->id;
        const float* b = r.texel(texel.x(), texel.y());
        std::copy(b, b + 3, row.rgb);
        const Result<double> error = errorAt(source.view(), r.view(), texel.x(), texel.y(), kind_, options);
        row.error = error ? *error : std::nan("");
        report.rows.push_back(row);
    }
    return report;
}

// ---- histograms ---------------------------------------------------------------------------------------------

void ComparisonService::setHistogramsActive(bool active) {
    if (active == histActive_) return;
    histActive_ = active;
    if (!active) {
        lumHistToken_ = errHistToken_ = 0;
        return;
    }
    requestLuminanceHistogram();
    requestErrorHistogram();
}

void ComparisonService::setHistogramCodec(const std::string& codecId) {
    if (codecId == histCodec_) return;
    histCodec_ = codecId;
    requestErrorHistogram();
}

void ComparisonService::requestLuminanceHistogram() {
    const auto source = model_.source();
    if (!histActive_ || !source) return;
    const ShownMask mask = model_.shownMask();
    const quint64 token = ++token_;
    lumHistToken_ = token;
    emit histogramsPending();
    // Histograms yield to the codecs' first pictures (Normal: after the block codecs' live jobs).
    scheduler_->submit(group_, Priority::Normal, nullptr, [this, source, mask, token] {
        auto out = std::make_shared<Histogram>();
        try {
            const bool sized = mask && mask->size() == std::size_t(source->texelCount());
            const std::vector<float> lum =
                luminanceValues(source->data(), source->width(), source->height(), 3 * std::ptrdiff_t(source->width()),
                                sized ? mask->data() : nullptr);
            // Log bins from the darkest 0.5% of the lit texels (or a millionth of the top) to the brightest.
            std::vector<float> positive;
            const std::size_t step = std::max<std::size_t>(1, lum.size() / 262144);
            for (std::size_t i = 0; i < lum.size(); i += step)
                if (lum[i] > 0.0f && std::isfinite(lum[i])) positive.push_back(lum[i]);
            HeatmapScale scale;
            scale.logarithmic = true;
            scale.colorMap = ColorMap::Viridis;
            if (!positive.empty()) {
                scale.maxValue = finiteQuantile(positive.data(), positive.size(), 1.0);
                scale.minValue =
                    std::max(finiteQuantile(positive.data(), positive.size(), 0.005), scale.maxValue * 1e-6);
                if (!(scale.minValue < scale.maxValue)) scale.minValue = scale.maxValue / 2.0;
            }
            *out = computeHistogram(lum.data(), lum.size(), scale, kHistogramBins);
        } catch (const std::exception&) {
            *out = Histogram{};  // drawn as "no data"; a bad_alloc here is not worth a dialog
        }
        QMetaObject::invokeMethod(
            this,
            [this, token, out] {
                if (token != lumHistToken_) return;
                lumHistToken_ = 0;
                emit luminanceHistogramReady(*out);
            },
            Qt::QueuedConnection);
    });
}

void ComparisonService::requestErrorHistogram() {
    const CodecState* s = model_.state(histCodec_);
    auto image = model_.image();
    if (!histActive_ || !s || !s->enabled || !s->result || !image) return;
    const quint64 token = ++token_;
    errHistToken_ = token;
    emit histogramsPending();
    const ErrorMapKind kind = kind_;
    const MaskMode mask = model_.maskMode();
    // The heatmap's map when it is the same one, else one computed here.
    std::shared_ptr<const ErrorMap> ready;
    if (const auto it = heat_.find(histCodec_); it != heat_.end()) {
        const Heat& h = it->second;
        if (h.map && h.generation == s->result->generation && h.kind == kind && h.mask == mask) ready = h.map;
    }
    auto reference = image->image;
    auto test = s->result->reconstruction;
    auto normalization = image->normalization;
    const QString key = s->key;
    scheduler_->submit(
        group_, Priority::Normal, nullptr, [this, ready, reference, test, normalization, kind, mask, key, token] {
            auto out = std::make_shared<Histogram>();
            std::optional<Error> error;
            try {
                std::shared_ptr<const ErrorMap> map = ready;
                if (!map) {
                    MetricsOptions options;
                    options.normalization = normalization.get();
                    options.threads = 1;
                    options.mask = mask;
                    Result<ErrorMap> computed = computeErrorMap(reference->view(), test->view(), kind, options);
                    if (computed)
                        map = std::make_shared<const ErrorMap>(std::move(computed).value());
                    else
                        error = computed.error();
                }
                if (map) {
                    const float* v = map->values.data();
                    const std::size_t n = map->values.size();
                    const HeatmapScale scale = kind == ErrorMapKind::SignedLogRatio
                                                   ? signedHeatmapScale(v, n)
                                                   : autoHeatmapScale(v, n, defaultLogScale(kind));
                    *out = computeHistogram(v, n, scale, kHistogramBins);
                }
            } catch (const std::exception& e) {
                error = makeError(ErrorCode::Internal, e.what());
            }
            QMetaObject::invokeMethod(
                this,
                [this, token, out, error, key, kind] {
                    if (token != errHistToken_) return;
                    errHistToken_ = 0;
                    if (error)
                        emit errorHistogramFailed(key, *error);
                    else
                        emit errorHistogramReady(key, kind, *out);
                },
                Qt::QueuedConnection);
        });
}

}  // namespace lmc::studio
