// RdChartView: rate-distortion curves (mPSNR vs bits per texel and PU21-SSIM vs bits per texel) of several codecs,
// each codec's current setting as a marker on its curve, and encode/decode time bars (Qt Charts).
//
// Codecs are addressed by key (a codec id) and shown under a display name in a fixed colour (seriesColor by order
// of addition). setCurve() replaces a codec's swept points (sorted by bpp here); setCurrent() moves its marker;
// setTimes() sets its bars. Axes follow the data (bpp from 0, PSNR padded to whole dB, SSIM up to 1). Values the
// caller marks as not available (NaN) are left out. Axis titles and the legend retranslate on LanguageChange.
//
// Threading: GUI thread only. Errors: none; a codec without points simply has an empty curve.
#pragma once

#include <QColor>
#include <QPointF>
#include <QString>
#include <QWidget>

#include <map>
#include <optional>
#include <vector>

QT_BEGIN_NAMESPACE
class QBarCategoryAxis;
class QBarSeries;
class QBarSet;
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
};

// Distinct, colour-blind-friendly series colours (Okabe-Ito order), cycling.
QColor seriesColor(int index);

class RdChartView : public QWidget {
    Q_OBJECT
public:
    enum class Metric { MPsnr, Ssim };

    explicit RdChartView(QWidget* parent = nullptr);
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
    QChart* chart(int index) const;  // 0: mPSNR, 1: SSIM, 2: times

protected:
    void changeEvent(QEvent* event) override;

private:
    struct Entry {
        QString name;
        QColor color;
        std::vector<RdPoint> curve;
        std::optional<RdPoint> current;
        std::optional<double> encodeMs, decodeMs;
        QLineSeries* line[2] = {nullptr, nullptr};
        QScatterSeries* points[2] = {nullptr, nullptr};
        QScatterSeries* marker[2] = {nullptr, nullptr};
    };
    void retranslate();
    void updateSeries(Entry& entry);
    void updateAxes();
    void rebuildBars();

    std::map<QString, Entry> entries_;
    QStringList order_;
    int colorsUsed_ = 0;
    QChartView* views_[3] = {nullptr, nullptr, nullptr};
    QChart* charts_[3] = {nullptr, nullptr, nullptr};
    QValueAxis* xAxis_[2] = {nullptr, nullptr};
    QValueAxis* yAxis_[2] = {nullptr, nullptr};
    QBarSeries* bars_ = nullptr;
    QBarSet* encodeSet_ = nullptr;
    QBarSet* decodeSet_ = nullptr;
    QBarCategoryAxis* barCategories_ = nullptr;
    QValueAxis* barValues_ = nullptr;
};

}  // namespace lmc
