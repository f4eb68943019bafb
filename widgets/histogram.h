// Histograms of per-texel values (a map's luminance, a codec's error): the binning (computeHistogram, pure and
// testable) and HistogramView, which draws the bars over the same value axis a HeatmapLegend uses (linear or log10
// bins, "nice" ticks, each bar in its colour-map colour) with a title, the unit and how many values fell outside.
//
// A histogram's bins split [scale.minValue, scale.maxValue] evenly, linearly or in log10 when the scale is
// logarithmic; values below the range (on a log scale also zero and negative ones) count in `below`, above in
// `above`, NaN (texels not counted) nowhere.
//
// Threading: computeHistogram is reentrant (the app runs it on workers); HistogramView is GUI-thread only.
// Errors: an invalid scale is repaired by HeatmapScale::sanitized(); no values give an empty histogram, drawn as a
// message.
#pragma once

#include <QString>
#include <QWidget>

#include <cstdint>
#include <vector>

#include "widgets/heatmap.h"

namespace lmc {

struct Histogram {
    HeatmapScale scale;  // the bins' range and spacing, and the bars' colours
    std::vector<std::uint64_t> counts;
    std::uint64_t below = 0;
    std::uint64_t above = 0;

    std::uint64_t total() const;
    bool isEmpty() const { return total() == 0; }
    // The value range of bin i.
    double binLow(int i) const;
    double binHigh(int i) const;
};

// `bins` (at least 1) bins over the sanitized scale.
Histogram computeHistogram(const float* values, std::size_t count, const HeatmapScale& scale, int bins = 64);

// Rec. 709 luminance of every texel of interleaved RGB (rowStride floats between rows), NaN where `mask` (width
// bytes per row, optional) is 0.
std::vector<float> luminanceValues(const float* rgb, int width, int height, std::ptrdiff_t rowStride,
                                   const std::uint8_t* mask);

class HistogramView : public QWidget {
    Q_OBJECT
public:
    explicit HistogramView(QWidget* parent = nullptr);

    void setHistogram(const Histogram& histogram);
    const Histogram& histogram() const { return histogram_; }
    void clear();
    void setTitle(const QString& title);
    QString title() const { return title_; }
    void setUnit(const QString& unit);
    // Shown instead of the bars (e.g. "computing…", an error); empty: the bars.
    void setMessage(const QString& message);
    QString message() const { return message_; }

    // Geometry, for tests and tooltips: the plot area and the x of a value in it.
    QRect plotRect() const;
    double xForValue(double value) const;

    QSize sizeHint() const override { return {260, 140}; }
    QSize minimumSizeHint() const override { return {160, 130}; }

protected:
    void paintEvent(QPaintEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;

private:
    Histogram histogram_;
    QString title_;
    QString unit_;
    QString message_;
};

}  // namespace lmc
