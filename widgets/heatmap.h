// Heatmaps: the value <-> colour mapping of error maps (HeatmapScale, pure and testable), colourising a float map
// into a QImage, robust automatic ranges, and the legend widget that shows the mapping with values and a unit.
//
// HeatmapScale maps a value to a position t in [0, 1] (linearly between minValue and maxValue, or linearly in log10
// when `logarithmic`; values beyond the range clamp to the ends) and t to a colour of a ColorMap. valueAt() is the
// exact inverse of positionOf() inside the range. A log scale needs 0 < minValue < maxValue; values <= 0 sit at
// t = 0. NaN values (uncovered texels) are not data: they show as kNoDataColor.
//
// HeatmapLegend draws the colour bar horizontally with "nice" tick values (1/2/5 x 10^k on linear scales, decades,
// and 2 and 5 within them when few decades show, on log scales), a title and the unit, and marks clamped ends with
// "≥" / "≤". Its tick values and the x position of any value are exposed for tests.
//
// Threading: the free functions are reentrant (colorizeHeatmap may be called on worker threads); HeatmapLegend is
// GUI-thread only. Errors: invalid scales (max <= min, non-finite bounds, log with min <= 0) are repaired by
// sanitized(), never a crash.
#pragma once

#include <QImage>
#include <QString>
#include <QWidget>

#include <cstdint>
#include <vector>

#include "widgets/color_map.h"
#include "widgets/tone_map.h"

namespace lmc {

constexpr QRgb kNoDataColor = 0xff303238;

struct HeatmapScale {
    double minValue = 0.0;
    double maxValue = 1.0;
    bool logarithmic = false;
    ColorMap colorMap = ColorMap::Magma;

    // A usable copy: finite bounds, max > min, and min > 0 on log scales (min = max / 1000 when it was not).
    HeatmapScale sanitized() const;
    // Position in [0, 1] of a value (clamped); NaN for NaN.
    double positionOf(double value) const;
    // The value at a position in [0, 1] (clamped).
    double valueAt(double position) const;
    QRgb colorOf(double value) const;
    bool operator==(const HeatmapScale& o) const {
        return minValue == o.minValue && maxValue == o.maxValue && logarithmic == o.logarithmic &&
               colorMap == o.colorMap;
    }
    bool operator!=(const HeatmapScale& o) const { return !(*this == o); }
};

// The p-th quantile (p in [0, 1]) of the finite values, from a regular subsample of at most `maxSamples`; NaN when
// there is no finite value.
double finiteQuantile(const float* values, std::size_t count, double p, std::size_t maxSamples = 262144);

// A range for one map: [0, q99.5] linear, or [max(q1 of the positive values, top / 1e4), q99.5] on a log scale, so a
// few outliers do not wash the map out. The top is at least a tiny positive number so identical images still give a
// valid scale.
HeatmapScale autoHeatmapScale(const float* values, std::size_t count, bool logarithmic, ColorMap map = ColorMap::Magma);

// A symmetric linear range for signed values, [-m, m] with m the 99.5th percentile of |value|, through the
// diverging colour map, so 0 sits at the neutral middle colour.
HeatmapScale signedHeatmapScale(const float* values, std::size_t count);

// The legend scale of the tone mapper's false colour at an exposure: luminance in the map's units on a log scale
// through Turbo, kFalseColourStops either side of middle grey (toneMap's false colour and this scale agree).
HeatmapScale falseColourScale(double exposureEv);

// One colour per value (row-major, width * height values), Format_RGB32; null image for bad sizes.
QImage colorizeHeatmap(const float* values, int width, int height, const HeatmapScale& scale);

// "Nice" tick values inside [min, max] for a legend about `lengthPx` long.
std::vector<double> heatmapTicks(const HeatmapScale& scale, int maxTicks = 7);
// Short text for a tick value (3 significant digits, scientific beyond 1e±4).
QString formatHeatmapValue(double value);

class HeatmapLegend : public QWidget {
    Q_OBJECT
public:
    explicit HeatmapLegend(QWidget* parent = nullptr);

    void setScale(const HeatmapScale& scale);
    const HeatmapScale& scale() const { return scale_; }
    void setTitle(const QString& title);
    QString title() const { return title_; }
    void setUnit(const QString& unit);
    QString unit() const { return unit_; }

    // Geometry of the bar, for tests and tooltips: the x of a value and the value at an x.
    QRect barRect() const;
    double xForValue(double value) const;
    double valueAtX(double x) const;
    std::vector<double> ticks() const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;

private:
    HeatmapScale scale_;
    QString title_;
    QString unit_;
};

}  // namespace lmc
