// RdChartView: rate-distortion curves (mPSNR, PU21-SSIM and PU21-PSNR vs bits per texel) of several codecs, each
// codec's current setting as a hollow square on its curve, an optional target line, and encode/decode time bars
// (Qt Charts).
//
// Codecs are addressed by key (a codec id) and shown under a display name the caller translates, in a fixed colour
// and marker shape (codecStyle: the built-in codecs keep theirs whatever order results arrive in, others take
// seriesStyle by order of addition), so curves stay apart for colour-blind readers and in greyscale prints. One
// legend below the metric charts serves them all; it wraps instead of eliding, so full names show (also when grabbed
// to a PNG) and the plots keep their width. setCurve() replaces a codec's swept points (sorted by bpp here; each
// point's label, its setting, is the caller's); setCurrent() moves its marker; setTimes() sets its bars. PU21-SSIM is
// plotted in dB, -10 log10(1 - SSIM) (ssimDecibels), which spreads the values bunched below 1. The bpp axis is log2 by
// default (ticks on powers of two, of four past nine octaves; points at bpp <= 0 are then left out) and can be switched
// to linear at run time. Values the caller marks as not available (NaN) are left out.
//
// Interaction: hovering a point shows a tooltip (codec, setting, bpp, metric); clicking a point emits pointClicked
// with the codec key and the point's index in the vector given to setCurve(). The widget computes nothing about
// codecs: the target readout and BD tables are the caller's.
//
// Threading: GUI thread only. Errors: none; a codec without points simply has an empty curve.
#pragma once

#include <QColor>
#include <QPointF>
#include <QString>
#include <QWidget>

#include <limits>
#include <map>
#include <optional>
#include <vector>

QT_BEGIN_NAMESPACE
class QBarCategoryAxis;
class QXYSeries;
class QBarSeries;
class QBarSet;
class QAbstractAxis;
class QChart;
class QChartView;
class QGridLayout;
class QLineSeries;
class QScatterSeries;
class QValueAxis;
QT_END_NAMESPACE

namespace lmc {

class RdLegend;

struct RdPoint {
    double bitsPerTexel = 0;
    double mPsnr = 0;
    double ssim = 0;                                             // plain PU21-SSIM in [0, 1]; plotted in dB
    double pu21Psnr = std::numeric_limits<double>::quiet_NaN();  // NaN: not measured, left out of its chart
    QString label;                                               // the setting, for the tooltip ("quality 50")
};

enum class MarkerShape { Circle, Square, Diamond, Triangle, Star, Pentagon };

struct SeriesStyle {
    QColor color;
    MarkerShape shape = MarkerShape::Circle;
    bool variant = false;  // a variant of a codec: its colour and shape, dashed line, hollow markers
};

// -10 log10(1 - ssim): SSIM on a dB scale; NaN for ssim >= 1 or a non-finite value.
double ssimDecibels(double ssim);

// Distinct, colour-blind-friendly series colours (Okabe-Ito order), cycling.
QColor seriesColor(int index);
// Colour and marker for the index-th codec that is not built in: no (colour, shape) pair repeats for 24 codecs.
SeriesStyle seriesStyle(int index);
// The style of a built-in codec id (eleven distinct colours; codecs sharing a shape have clearly different colours);
// of a key "ID-NAME" (a variant of built-in codec ID, as `lmc report` SERIES=CSV names them: "vae-networks"; ID ends
// at the first '-') ID's style with `variant` set; an invalid colour for other keys.
SeriesStyle codecStyle(const QString& key);
QColor codecColor(const QString& key);  // codecStyle(key).color
// A key "ID-NAME" split at its first '-' (both parts non-empty), the form of a variant of codec ID; false (and the
// outputs untouched) for other keys.
bool splitVariantKey(const QString& key, QString* id, QString* name);

class RdChartView : public QWidget {
    Q_OBJECT
public:
    enum class Metric { MPsnr, Ssim, Pu21Psnr };

    struct Options {
        std::vector<Metric> shown{Metric::MPsnr, Metric::Ssim};  // metric charts, left to right
        bool showTimes = true;                                   // the time bars below them
        bool logRateAxis = true;                                 // bpp on a log2 axis
    };

    // A dashed line the user reads the curves at: a bitrate (vertical, on every metric chart) or a quality of one
    // metric (horizontal, on that metric's chart; for Ssim in dB).
    struct Target {
        enum class Kind { None, Rate, Quality };
        Kind kind = Kind::None;
        Metric metric = Metric::MPsnr;
        double value = 0;
    };

    explicit RdChartView(QWidget* parent = nullptr);
    explicit RdChartView(const Options& options, QWidget* parent = nullptr);
    ~RdChartView() override;

    void setCodec(const QString& key, const QString& name);
    void removeCodec(const QString& key);
    QStringList codecs() const;  // display order: the built-in codecs in a fixed order, then others as added
    void setCurve(const QString& key, std::vector<RdPoint> points);
    void setCurrent(const QString& key, const std::optional<RdPoint>& point);
    void setTimes(const QString& key, std::optional<double> encodeMs, std::optional<double> decodeMs);
    void clearData();
    void setLogRateAxis(bool on);
    bool logRateAxis() const { return options_.logRateAxis; }
    void setTarget(const Target& target);
    const Target& target() const { return target_; }

    SeriesStyle style(const QString& key) const;
    // The tooltip of a codec's point for a metric (index as given to setCurve); empty when there is no such point.
    QString pointToolTip(const QString& key, Metric metric, int index) const;
    // Where a codec's point is drawn in metricView(metric)'s viewport (tests click there); nullopt when not plotted.
    std::optional<QPoint> pointPosition(const QString& key, Metric metric, int index) const;
    QChartView* metricView(Metric metric) const;
    // Which metric charts are laid out, left to right (every metric's series exist whatever is shown).
    void setShownMetrics(const std::vector<Metric>& shown);
    // The shared legend: each codec's name and where it is drawn in legendWidget() (tests: nothing elided).
    std::vector<std::pair<QString, QRect>> legendItems() const;
    QWidget* legendWidget() const;
    // The target line's two ends in a metric's chart (empty when it has none).
    std::vector<QPointF> targetLine(Metric metric) const;

    // What is plotted (tests): the curve's points and the marker of a codec for a metric, as (bpp, value).
    std::vector<QPointF> curvePoints(const QString& key, Metric metric) const;
    std::optional<QPointF> markerPoint(const QString& key, Metric metric) const;
    std::optional<double> timeBar(const QString& key, bool decode) const;
    QChart* chart(int index) const;  // 0: mPSNR, 1: SSIM, 2: times, 3: PU21-PSNR
    QChart* metricChart(Metric metric) const;
    const Options& options() const { return options_; }

signals:
    // A point of a codec's curve was clicked: `index` into the vector given to setCurve().
    void pointClicked(const QString& key, int index);

protected:
    void changeEvent(QEvent* event) override;

private:
    static constexpr int kMetrics = 3;  // indices: Metric's values
    struct Entry {
        QString name;
        SeriesStyle style;
        std::vector<RdPoint> curve;   // sorted by bpp
        std::vector<int> source;      // curve[i] was setCurve's source[i]-th point
        std::vector<int> plotted[3];  // per metric: the curve index of each plotted point
        std::optional<RdPoint> current;
        std::optional<double> encodeMs, decodeMs;
        QLineSeries* line[kMetrics] = {};
        QScatterSeries* points[kMetrics] = {};
        QScatterSeries* marker[kMetrics] = {};
    };
    static int chartIndex(int metric);  // metric -> index of chart()
    void retranslate();
    void makeRateAxis(int metric);
    void connectPointSignals(const QString& key, int metric, QXYSeries* series);
    int nearestPoint(const Entry& entry, int metric, const QPointF& value) const;  // curve index, -1: none
    void updateLegend();
    void layoutCharts();
    void updateSeries(Entry& entry);
    void updateAxes();
    void rebuildBars();

    std::map<QString, Entry> entries_;
    QStringList order_;
    int colorsUsed_ = 0;
    Options options_;
    QGridLayout* grid_ = nullptr;
    RdLegend* legend_ = nullptr;
    Target target_;
    QLineSeries* targetSeries_[kMetrics] = {};
    QChartView* views_[4] = {};
    QChart* charts_[4] = {};               // chart() order
    QAbstractAxis* xAxis_[kMetrics] = {};  // QValueAxis, or QLogValueAxis with options_.logRateAxis
    QValueAxis* yAxis_[kMetrics] = {};
    QBarSeries* bars_ = nullptr;
    QBarSet* encodeSet_ = nullptr;
    QBarSet* decodeSet_ = nullptr;
    QBarCategoryAxis* barCategories_ = nullptr;
    QValueAxis* barValues_ = nullptr;
};

}  // namespace lmc
