#include "widgets/heatmap.h"

#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>

#include <algorithm>
#include <cmath>
#include <limits>

namespace lmc {
namespace {

constexpr double kTinyTop = 1e-12;

}  // namespace

HeatmapScale HeatmapScale::sanitized() const {
    HeatmapScale s = *this;
    if (!std::isfinite(s.maxValue) || s.maxValue <= 0.0)
        s.maxValue = std::isfinite(s.maxValue) && s.maxValue < 0 ? 0.0 : 1.0;
    if (!std::isfinite(s.minValue)) s.minValue = 0.0;
    if (s.logarithmic) {
        if (s.maxValue <= 0.0) s.maxValue = 1.0;
        if (!(s.minValue > 0.0) || s.minValue >= s.maxValue) s.minValue = s.maxValue / 1000.0;
    } else if (!(s.maxValue > s.minValue)) {
        s.maxValue = s.minValue + std::max(std::abs(s.minValue) * 1e-6, kTinyTop);
    }
    return s;
}

double HeatmapScale::positionOf(double value) const {
    if (std::isnan(value)) return std::numeric_limits<double>::quiet_NaN();
    double t;
    if (logarithmic) {
        if (!(value > 0.0)) return 0.0;
        t = (std::log10(value) - std::log10(minValue)) / (std::log10(maxValue) - std::log10(minValue));
    } else {
        t = (value - minValue) / (maxValue - minValue);
    }
    if (std::isnan(t)) return 0.0;
    return std::clamp(t, 0.0, 1.0);
}

double HeatmapScale::valueAt(double position) const {
    const double t = std::isnan(position) ? 0.0 : std::clamp(position, 0.0, 1.0);
    if (logarithmic) return std::pow(10.0, std::log10(minValue) + t * (std::log10(maxValue) - std::log10(minValue)));
    return minValue + t * (maxValue - minValue);
}

QRgb HeatmapScale::colorOf(double value) const {
    const double t = positionOf(value);
    if (std::isnan(t)) return kNoDataColor;
    return colorMapTable(colorMap)[std::size_t(std::lround(t * 255.0))];
}

double finiteQuantile(const float* values, std::size_t count, double p, std::size_t maxSamples) {
    if (values == nullptr || count == 0) return std::numeric_limits<double>::quiet_NaN();
    const std::size_t step = std::max<std::size_t>(1, count / std::max<std::size_t>(1, maxSamples));
    std::vector<float> samples;
    samples.reserve(count / step + 1);
    for (std::size_t i = 0; i < count; i += step)
        if (std::isfinite(values[i])) samples.push_back(values[i]);
    if (samples.empty()) return std::numeric_limits<double>::quiet_NaN();
    const std::size_t k =
        std::min(samples.size() - 1, std::size_t(std::clamp(p, 0.0, 1.0) * double(samples.size() - 1)));
    std::nth_element(samples.begin(), samples.begin() + std::ptrdiff_t(k), samples.end());
    return samples[k];
}

HeatmapScale autoHeatmapScale(const float* values, std::size_t count, bool logarithmic, ColorMap map) {
    HeatmapScale s;
    s.colorMap = map;
    s.logarithmic = logarithmic;
    double top = finiteQuantile(values, count, 0.995);
    if (!(top > kTinyTop)) top = kTinyTop;
    s.maxValue = top;
    if (logarithmic) {
        // The 1st percentile of the positive values; zeros (exact texels) would pin the bottom at -inf.
        std::vector<float> positive;
        const std::size_t step = std::max<std::size_t>(1, count / 262144);
        for (std::size_t i = 0; i < count; i += step)
            if (values[i] > 0.0f && std::isfinite(values[i])) positive.push_back(values[i]);
        double bottom = positive.empty() ? top / 1000.0 : finiteQuantile(positive.data(), positive.size(), 0.01);
        bottom = std::max(bottom, top / 1e4);
        if (!(bottom < top)) bottom = top / 10.0;
        s.minValue = bottom;
    } else {
        s.minValue = 0.0;
    }
    return s.sanitized();
}

HeatmapScale signedHeatmapScale(const float* values, std::size_t count) {
    std::vector<float> magnitude;
    const std::size_t step = std::max<std::size_t>(1, count / 262144);
    magnitude.reserve(count / step + 1);
    for (std::size_t i = 0; i < count; i += step)
        if (std::isfinite(values[i])) magnitude.push_back(std::fabs(values[i]));
    double top = magnitude.empty() ? kTinyTop : finiteQuantile(magnitude.data(), magnitude.size(), 0.995);
    if (!(top > kTinyTop)) top = kTinyTop;
    HeatmapScale s;
    s.minValue = -top;
    s.maxValue = top;
    s.logarithmic = false;
    s.colorMap = ColorMap::Diverging;
    return s.sanitized();
}

HeatmapScale falseColourScale(double exposureEv) {
    HeatmapScale scale;
    scale.minValue = falseColourMinLuminance(exposureEv);
    scale.maxValue = falseColourMaxLuminance(exposureEv);
    scale.logarithmic = true;
    scale.colorMap = ColorMap::Turbo;
    return scale.sanitized();
}

QImage colorizeHeatmap(const float* values, int width, int height, const HeatmapScale& input) {
    if (values == nullptr || width <= 0 || height <= 0) return {};
    QImage out(width, height, QImage::Format_RGB32);
    if (out.isNull()) return {};
    const HeatmapScale scale = input.sanitized();
    const auto& lut = colorMapTable(scale.colorMap);
    const double lo = scale.logarithmic ? std::log10(scale.minValue) : scale.minValue;
    const double hi = scale.logarithmic ? std::log10(scale.maxValue) : scale.maxValue;
    const double k = 255.0 / (hi - lo);
    for (int y = 0; y < height; ++y) {
        const float* src = values + std::ptrdiff_t(y) * width;
        auto* dst = reinterpret_cast<QRgb*>(out.scanLine(y));
        for (int x = 0; x < width; ++x) {
            const float v = src[x];
            if (std::isnan(v)) {
                dst[x] = kNoDataColor;
                continue;
            }
            double t;
            if (scale.logarithmic)
                t = v > 0.0f ? (std::log10(double(v)) - lo) * k : 0.0;
            else
                t = (double(v) - lo) * k;
            t = t > 0.0 ? (t < 255.0 ? t : 255.0) : 0.0;
            dst[x] = lut[std::size_t(t + 0.5)];
        }
    }
    return out;
}

std::vector<double> heatmapTicks(const HeatmapScale& input, int maxTicks) {
    const HeatmapScale s = input.sanitized();
    std::vector<double> ticks;
    maxTicks = std::max(2, maxTicks);
    const double eps = 1e-9;
    if (s.logarithmic) {
        const int d0 = int(std::ceil(std::log10(s.minValue) - eps)), d1 = int(std::floor(std::log10(s.maxValue) + eps));
        const int decades = d1 - d0 + 1;
        // Few decades: add 2x and 5x within them; many: every n-th decade.
        if (decades <= 2) {
            for (int d = d0 - 1; d <= d1; ++d)
                for (double m : {1.0, 2.0, 5.0}) {
                    const double v = m * std::pow(10.0, d);
                    if (v >= s.minValue * (1 - eps) && v <= s.maxValue * (1 + eps)) ticks.push_back(v);
                }
        } else {
            const int every = std::max(1, (decades + maxTicks - 1) / maxTicks);
            for (int d = d0; d <= d1; d += every) ticks.push_back(std::pow(10.0, d));
        }
        return ticks;
    }
    const double range = s.maxValue - s.minValue;
    const double raw = range / double(maxTicks - 1);
    const double mag = std::pow(10.0, std::floor(std::log10(raw)));
    double step = mag;
    for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
        if (m * mag >= raw * (1 - eps)) {
            step = m * mag;
            break;
        }
    const double first = std::ceil(s.minValue / step - eps) * step;
    for (double v = first; v <= s.maxValue + step * eps; v += step) ticks.push_back(std::abs(v) < step * eps ? 0.0 : v);
    return ticks;
}

QString formatHeatmapValue(double value) {
    if (value == 0.0) return QStringLiteral("0");
    const double a = std::abs(value);
    if (a >= 1e4 || a < 1e-3) return QString::number(value, 'e', 1);
    return QString::number(value, 'g', 3);
}

// ---- legend -------------------------------------------------------------------------------------------------

namespace {
constexpr int kSideMargin = 14;
constexpr int kBarHeight = 14;
}  // namespace

HeatmapLegend::HeatmapLegend(QWidget* parent) : QWidget(parent) {
    setMouseTracking(true);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void HeatmapLegend::setScale(const HeatmapScale& scale) {
    scale_ = scale.sanitized();
    update();
}

void HeatmapLegend::setTitle(const QString& title) {
    title_ = title;
    update();
}

void HeatmapLegend::setUnit(const QString& unit) {
    unit_ = unit;
    update();
}

QRect HeatmapLegend::barRect() const {
    const int top = fontMetrics().height() + 6;
    return QRect(kSideMargin, top, std::max(10, width() - 2 * kSideMargin), kBarHeight);
}

double HeatmapLegend::xForValue(double value) const {
    const QRect bar = barRect();
    const double t = scale_.positionOf(value);
    return bar.left() + (std::isnan(t) ? 0.0 : t) * bar.width();
}

double HeatmapLegend::valueAtX(double x) const {
    const QRect bar = barRect();
    return scale_.valueAt((x - bar.left()) / std::max(1, bar.width()));
}

std::vector<double> HeatmapLegend::ticks() const {
    const int maxTicks = std::clamp(barRect().width() / 70, 2, 9);
    return heatmapTicks(scale_, maxTicks);
}

QSize HeatmapLegend::sizeHint() const {
    return {360, 2 * fontMetrics().height() + kBarHeight + 16};
}

QSize HeatmapLegend::minimumSizeHint() const {
    return {160, sizeHint().height()};
}

void HeatmapLegend::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.fillRect(rect(), palette().window());
    const QRect bar = barRect();
    const QFontMetrics fm = fontMetrics();
    // Title and unit on the first line.
    QFont bold = font();
    bold.setBold(true);
    p.setFont(bold);
    p.setPen(palette().windowText().color());
    const QString head = unit_.isEmpty() ? title_ : QStringLiteral("%1  (%2)").arg(title_, unit_);
    p.drawText(QRect(kSideMargin, 2, width() - 2 * kSideMargin, fm.height()), Qt::AlignLeft | Qt::AlignVCenter,
               fm.elidedText(head, Qt::ElideRight, width() - 2 * kSideMargin));
    p.setFont(font());
    // Colour bar, one column per pixel.
    for (int x = 0; x < bar.width(); ++x) {
        const double t = (x + 0.5) / bar.width();
        p.setPen(QColor::fromRgb(colorMapColor(scale_.colorMap, t)));
        p.drawLine(bar.left() + x, bar.top(), bar.left() + x, bar.bottom());
    }
    p.setPen(palette().mid().color());
    p.setBrush(Qt::NoBrush);
    p.drawRect(bar.adjusted(0, 0, -1, -1));
    // Ticks and labels; labels that would overlap the previous one are skipped.
    p.setPen(palette().windowText().color());
    int lastRight = std::numeric_limits<int>::min();
    const auto tickValues = ticks();
    for (double v : tickValues) {
        const int x = int(std::lround(xForValue(v)));
        p.drawLine(x, bar.bottom() + 1, x, bar.bottom() + 4);
        const QString text = formatHeatmapValue(v);
        const int w = fm.horizontalAdvance(text);
        const int left = std::clamp(x - w / 2, 0, width() - w);
        if (left <= lastRight + 6) continue;
        p.drawText(QRect(left, bar.bottom() + 5, w, fm.height()), Qt::AlignCenter, text);
        lastRight = left + w;
    }
}

void HeatmapLegend::mouseMoveEvent(QMouseEvent* event) {
    const QRect bar = barRect().adjusted(0, -4, 0, 4);
    if (bar.contains(event->position().toPoint())) {
        const double v = valueAtX(event->position().x());
        QToolTip::showText(
            event->globalPosition().toPoint(),
            unit_.isEmpty() ? formatHeatmapValue(v) : QStringLiteral("%1 %2").arg(formatHeatmapValue(v), unit_), this);
    }
}

}  // namespace lmc
