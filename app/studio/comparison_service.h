// ComparisonService: what lmstudio compares beyond each codec's own metrics, computed off the WorkspaceModel's
// state: per-codec error maps (computeErrorMap of the shown reconstruction against the source, of the chosen
// ErrorMapKind over the model's mask mode) colourised through a linear or logarithmic scale, either each codec's
// own or one locked across codecs; region metrics of a texel rectangle for every codec (computeRegionMetrics); and
// the per-texel values the pixel inspector shows, through errorAt() (the error maps' own per-texel code); and the
// histograms of the histogram panel: the source's luminance over the counted texels (log bins) and one codec's
// error of the current kind (the heatmap's range: log bins for absolute and relative errors, symmetric for signed).
//
// Error maps are only computed while heatmaps are active (the heatmap view is shown): on activation, for every new
// reconstruction and after a kind or mask change. Each request and each colourising carries a token; a result
// whose token is no longer the newest is dropped. Region metrics follow the region, the model's metrics and the
// mask mode (throttled by 150 ms). Histograms are computed only while active (the panel is open), again for a new
// image, mask, kind, histogram codec or result of that codec; stale ones are dropped by token too.
//
// Threading: GUI thread; maps, colourising and region metrics run as Interactive jobs (histograms as Normal ones, after
// the codecs' first pictures) of the model's JobScheduler
// (job_scheduler.h) and post back queued; the destructor invalidates the tokens and waits for its own jobs.
// Texel values are computed on the calling thread (one texel per codec). Errors: a failed map arrives as
// heatmapFailed, a failed region measurement as a row with an error; exceptions never leave a job.
#pragma once

#include <QImage>
#include <QObject>
#include <QPoint>
#include <QRect>
#include <QTimer>

#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/studio/compression_runner.h"  // lmc::Error as a metatype
#include "app/studio/job_scheduler.h"
#include "codec/metrics.h"
#include "widgets/heatmap.h"
#include "widgets/histogram.h"

namespace lmc::studio {

class WorkspaceModel;

struct RegionRow {
    std::string codecId;
    std::optional<QualityMetrics> metrics;
    std::optional<Error> error;
};

// One texel as the inspector shows it: the original and each enabled codec's reconstruction with its error
// (NaN where the texel is not counted or there is no value).
struct TexelReport {
    bool valid = false;  // false: outside the image, or no image
    QPoint texel;
    bool covered = true;
    float original[3] = {0, 0, 0};
    struct Row {
        std::string codecId;
        float rgb[3] = {0, 0, 0};
        double error = 0;
    };
    std::vector<Row> rows;
};

class ComparisonService : public QObject {
    Q_OBJECT
public:
    explicit ComparisonService(WorkspaceModel& model, QObject* parent = nullptr);
    ~ComparisonService() override;

    // Maps are computed only while active; activating computes what is missing.
    void setHeatmapsActive(bool active);
    void setKind(ErrorMapKind kind);  // also resets the scale to the kind's default (log for abs/rel)
    ErrorMapKind kind() const { return kind_; }
    void setLogarithmic(bool logarithmic);
    bool isLogarithmic() const { return log_; }
    void setScaleLocked(bool locked);
    bool isScaleLocked() const { return locked_; }
    // The scale a codec's heatmap is shown with (locked or its own); a sanitized default when there is none yet.
    HeatmapScale scale(const std::string& codecId) const;
    // True when the codec's tile shows a map of the current kind and texels.
    bool isHeatmapShown(const std::string& codecId) const;
    bool heatmapsPending() const;

    // Region metrics of `texels` (empty: none); regionMeasured follows.
    void setRegion(const QRect& texels);
    QRect region() const { return region_; }

    TexelReport inspect(const QPoint& texel) const;

    void setHistogramsActive(bool active);
    bool histogramsActive() const { return histActive_; }
    // The codec whose error the error histogram shows.
    void setHistogramCodec(const std::string& codecId);
    static constexpr int kHistogramBins = 64;

signals:
    void heatmapReady(const QString& codecId, const QImage& image);
    void heatmapFailed(const QString& codecId, const lmc::Error& error);
    // Every requested map is on screen.
    void heatmapsUpdated();
    // The shown scales may have changed (legend, tile captions).
    void scalesChanged();
    void regionMeasured(const QRect& texels, const std::vector<lmc::studio::RegionRow>& rows);
    void luminanceHistogramReady(const lmc::Histogram& histogram);
    // The error histogram of `codecId` for `kind` (the kind current when it was asked for).
    void errorHistogramReady(const QString& codecId, lmc::ErrorMapKind kind, const lmc::Histogram& histogram);
    void errorHistogramFailed(const QString& codecId, const lmc::Error& error);
    // A histogram is being computed (the panel greys or says so).
    void histogramsPending();

private:
    struct Heat;
    Heat& heat(const std::string& codecId);
    void requestAll();
    void request(const std::string& codecId);
    void recolour();
    void measureRegion();
    void reset();
    void requestLuminanceHistogram();
    void requestErrorHistogram();

    WorkspaceModel& model_;
    std::map<std::string, Heat> heat_;
    bool active_ = false;
    ErrorMapKind kind_ = ErrorMapKind::Relative;
    bool log_ = true;
    bool locked_ = true;
    quint64 token_ = 0;
    QRect region_;
    std::atomic<quint64> regionToken_{0};  // read by region jobs to stop early
    QTimer regionTimer_;
    bool histActive_ = false;
    std::string histCodec_;
    quint64 lumHistToken_ = 0;
    quint64 errHistToken_ = 0;
    std::shared_ptr<JobScheduler> scheduler_;  // the model's
    std::shared_ptr<JobScheduler::Group> group_;
};

}  // namespace lmc::studio
