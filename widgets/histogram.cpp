#include "widgets/histogram.h"

#include <QLocale>
#include <QMouseEvent>
#include <QPainter>
#include <QStringList>
#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace lmc {
namespace {
constexpr int kSide = 10;
constexpr int kAxisHeight = 16;
}  // namespace

std::uint64_t Histogram::total() const {
    std::uint64_t n = below + above;
    for (std::uint64_t c : counts) n += c;
    return n;
}

double Histogram::binLow(int i) const {
    return counts.empty() ? scale.minValue : scale.valueAt(double(i) / double(counts.size()));
}

double Histogram::binHigh(int i) const {
    return counts.empty() ? scale.maxValue : scale.valueAt(double(i + 1) / double(counts.size()));
}

Histogram computeHistogram(const float* values, std::size_t count, const HeatmapScale& scale, int bins) {
    Histogram h;
    h.scale = scale.sanitized();
    bins = std::max(1, bins);
    h.counts.assign(std::size_t(bins), 0);
    const bool log = h.scale.logarithmic;
    const double lo = log ? std::log10(h.scale.minValue) : h.scale.minValue;
    const double hi = log ? std::log10(h.scale.maxValue) : h.scale.maxValue;
    const double perUnit = double(bins) / (hi - lo);
    for (std::size_t i = 0; i < count; ++i) {
        const double v = values[i];
        if (std::isnan(v)) continue;
        if (log && !(v > 0.0)) {
            ++h.below;
            continue;
        }
        const double x = log ? std::log10(v) : v;
        if (x < lo) {
            ++h.below;
        } else if (x > hi) {
            ++h.above;
        } else {
            const int b = std::min(bins - 1, int((x - lo) * perUnit));
            ++h.counts[std::size_t(b)];
        }
    }
    return h;
}

std::vector<float> luminanceValues(const float* rgb, int width, int height, std::ptrdiff_t rowStride,
                                   const std::uint8_t* mask) {
    std::vector<float> out;
    if (!rgb || width <= 0 || height <= 0) return out;
    out.resize(std::size_t(width) * std::size_t(height));
    for (int y = 0; y < height; ++y) {
        const float* row = rgb + y * rowStride;
        float* dst = out.data() + std::size_t(y) * std::size_t(width);
        const std::uint8_t* m = mask ? mask + std::ptrdiff_t(y) * width : nullptr;
        for (int x = 0; x < width; ++x) {
            const float* p = row + 3 * x;
            dst[x] = m && m[x] == 0 ? std::nanf("") : 0.2126f * p[0] + 0.7152f * p[1] + 0.0722f * p[2];
        }
    }
    return out;
}

// ---- view ---------------------------------------------------------------------------------------------------

HistogramView::HistogramView(QWidget* parent) : QWidget(parent) {
    setMouseTracking(true);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    setMinimumHeight(130);
}

void HistogramView::setHistogram(const Histogram& histogram) {
    histogram_ = histogram;
    message_.clear();
    update();
}

void HistogramView::clear() {
    histogram_ = Histogram{};
    update();
}

void HistogramView::setTitle(const QString& title) {
    title_ = title;
    update();
}

void HistogramView::setUnit(const QString& unit) {
    unit_ = unit;
    update();
}

void HistogramView::setMessage(const QString& message) {
    message_ = message;
    update();
}

QRect HistogramView::plotRect() const {
    const QFontMetrics fm(font());
    const int top = fm.height() + 6;
    return QRect(kSide, top, std::max(1, width() - 2 * kSide),
                 std::max(1, height() - top - kAxisHeight - 2 * fm.height()));
}

double HistogramView::xForValue(double value) const {
    const QRect r = plotRect();
    const double t = histogram_.scale.sanitized().positionOf(value);
    return r.left() + (std::isnan(t) ? 0.0 : t) * r.width();
}

void HistogramView::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.fillRect(rect(), palette().window());
    const QFontMetrics fm(font());
    painter.setPen(palette().color(QPalette::WindowText));
    QFont bold = font();
    bold.setBold(true);
    painter.setFont(bold);
    painter.drawText(QRect(kSide, 2, width() - 2 * kSide, fm.height()), Qt::AlignLeft | Qt::AlignVCenter,
                     QFontMetrics(bold).elidedText(title_, Qt::ElideRight, width() - 2 * kSide));
    painter.setFont(font());
    const QRect plot = plotRect();
    painter.fillRect(plot, QColor(0x1c, 0x1d, 0x20));
    if (!message_.isEmpty() || histogram_.isEmpty()) {
        painter.setPen(QColor(190, 190, 190));
        painter.drawText(plot.adjusted(4, 2, -4, -2), Qt::AlignCenter | Qt::TextWordWrap,
                         message_.isEmpty() ? QStringLiteral("–") : message_);
        return;
    }
    const auto& counts = histogram_.counts;
    const std::uint64_t peak = *std::max_element(counts.begin(), counts.end());
    const int n = int(counts.size());
    const HeatmapScale scale = histogram_.scale.sanitized();
    // Bar heights on a square-root axis: a map's tails (the errors that matter) stay visible next to its bulk.
    const double norm = peak > 0 ? std::sqrt(double(peak)) : 1.0;
    for (int i = 0; i < n; ++i) {
        const double x0 = plot.left() + double(i) / n * plot.width();
        const double x1 = plot.left() + double(i + 1) / n * plot.width();
        const double h = std::sqrt(double(counts[std::size_t(i)])) / norm * (plot.height() - 2);
        if (h <= 0.0) continue;
        const QColor colour = QColor::fromRgb(colorMapColor(scale.colorMap, (i + 0.5) / n));
        painter.fillRect(QRectF(x0, plot.bottom() + 1 - h, std::max(1.0, x1 - x0 - 0.5), h), colour);
    }
    // Axis: the legend's ticks.
    painter.setPen(palette().color(QPalette::WindowText));
    const int axisY = plot.bottom() + 1;
    for (double v : heatmapTicks(scale, std::max(2, plot.width() / 60))) {
        const double x = xForValue(v);
        painter.drawLine(QPointF(x, axisY), QPointF(x, axisY + 3));
        const QString text = formatHeatmapValue(v);
        const int w = fm.horizontalAdvance(text);
        const double left = std::clamp(x - w / 2.0, 0.0, double(width() - w));
        painter.drawText(QPointF(left, axisY + 3 + fm.ascent()), text);
    }
    // The unit, then how much fell outside the axis (a line of its own: the side panel is narrow).
    const std::uint64_t total = histogram_.total();
    auto share = [total](std::uint64_t c) { return QLocale().toString(100.0 * double(c) / double(total), 'f', 1); };
    QStringList outside;
    if (histogram_.below > 0) outside << tr("%1% below").arg(share(histogram_.below));
    if (histogram_.above > 0) outside << tr("%1% above").arg(share(histogram_.above));
    painter.setPen(palette().color(QPalette::PlaceholderText));
    const QString lines[2] = {unit_, outside.join(QStringLiteral(" · "))};
    for (int i = 0; i < 2; ++i)
        painter.drawText(QRect(kSide, axisY + 3 + (i + 1) * fm.height(), width() - 2 * kSide, fm.height()),
                         Qt::AlignLeft | Qt::AlignVCenter,
                         fm.elidedText(lines[i], Qt::ElideRight, width() - 2 * kSide));
}

void HistogramView::mouseMoveEvent(QMouseEvent* event) {
    const QRect plot = plotRect();
    const int n = int(histogram_.counts.size());
    if (n == 0 || !plot.contains(event->position().toPoint())) {
        QToolTip::hideText();
        return;
    }
    const int i = std::clamp(int((event->position().x() - plot.left()) / plot.width() * n), 0, n - 1);
    const std::uint64_t total = std::max<std::uint64_t>(1, histogram_.total());
    QToolTip::showText(event->globalPosition().toPoint(),
                       tr("%1 … %2: %3% of the texels")
                           .arg(formatHeatmapValue(histogram_.binLow(i)), formatHeatmapValue(histogram_.binHigh(i)),
                                QLocale().toString(100.0 * double(histogram_.counts[std::size_t(i)]) / total, 'f', 2)),
                       this);
}

}  // namespace lmc
