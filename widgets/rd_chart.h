// RdChartView: rate-distortion curves (mPSNR, PU21-SSIM and PU21-PSNR vs bits per texel) of several codecs, each
// codec's current setting as a marker on its curve, and encode/decode time bars (Qt Charts).
//
// Codecs are addressed by key (a codec id) and shown under a display name in a fixed colour (codecColor: the
// built-in codecs keep theirs whatever order results arrive in, others take seriesColor by order of addition); the
// legend stands to the right of each chart, so ten full codec names fit. setCurve() replaces a codec's swept points
// (sorted by bpp here); setCurrent() moves its marker; setTimes() sets its bars. Axes follow the data (bpp from 0, PSNR
// padded to whole dB, SSIM up to 1). Values the caller marks as not available (NaN) are left out. Axis titles and the
// legend retranslate on LanguageChange. Options choose which charts are laid out (by default mPSNR and SSIM side by
// side over the time bars, as in the main window; `lmstudio --rd-plot` shows mPSNR and/or PU21-PSNR only) and a log2
// bpp axis (then points at bpp <= 0 are left out). Every metric's series exist whatever is shown, so curvePoints()
// answers for all.
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
class QBarSeries;
class QBarSet;
class QAbstractAxis;
class QChart;
class QChartView;
class QLineSeries;
class QScatterSeries;
class QValueAxis;
QT_END_NAMESPACE

namespace lmc {

struct RdPoint {
    double bitsPerTexel = 0;
    double mPsnr = 0;
    double ssim = 0;
    double pu21Psnr = std::numeric_limits<double>::quiet_NaN();  // NaN: not measured, left out of its chart
};

// Distinct, colour-blind-friendly series colours (Okabe-Ito order), cycling.
QColor seriesColor(int index);
// The colour of a built-in codec id (ten distinct ones: JPEG XL and AVIF in the strongest two, the learned codecs in
// darker tones); an invalid QColor for other keys.
QColor codecColor(const QString& key);

class RdChartView : public QWidget {
    Q_OBJECT
public:
    enum class Metric { MPsnr, Ssim, Pu21Psnr };

    struct Options {
        std::vector<Metric> shown{Metric::MPsnr, Metric::Ssim};  // metric charts, left to right
        bool showTimes = true;                                   // the time bars below them
        bool logRateAxis = false;                                // bpp on a log2 axis
    };

    explicit RdChartView(QWidget* parent = nullptr);
    explicit RdChartView(const Options& options, QWidget* parent = nullptr);
    ~RdChartView() override;

    void setCodec(const QString& key, const QString& name);
    void removeCodec(const QString& key);
    QStringList codecs() const;
    void setCurve(const QString& key, std::vector<RdPoint> points);
    void setCurrent(const QString& key, const std::optional<RdPoint>& point);
    void setTimes(const QString& key, std::optional<double> encodeMs, std::optional<double> decodeMs);
    void clearData();

    // What is plotted (tests): the curve's points and the marker of a codec for a metric, as (bpp, value).
    std::vector<QPointF> curvePoints(const QString& key, Metric metric) const;
    std::optional<QPointF> markerPoint(const QString& key, Metric metric) const;
    std::optional<double> timeBar(const QString& key, bool decode) const;
    QChart* chart(int index) const;  // 0: mPSNR, 1: SSIM, 2: times, 3: PU21-PSNR
    QChart* metricChart(Metric metric) const;
    const Options& options() const { return options_; }

protected:
    void changeEvent(QEvent* event) override;

private:
    static constexpr int kMetrics = 3;  // indices: Metric's values
    struct Entry {
        QString name;
        QColor color;
        std::vector<RdPoint> curve;
        std::optional<RdPoint> current;
        std::optional<double> encodeMs, decodeMs;
        QLineSeries* line[kMetrics] = {};
        QScatterSeries* points[kMetrics] = {};
        QScatterSeries* marker[kMetrics] = {};
    };
    static int chartIndex(int metric);  // metric -> index of chart()
    void retranslate();
    void updateSeries(Entry& entry);
    void updateAxes();
    void rebuildBars();

    std::map<QString, Entry> entries_;
    QStringList order_;
    int colorsUsed_ = 0;
    Options options_;
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
