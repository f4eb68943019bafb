#include "widgets/rd_chart.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QEvent>
#include <QGridLayout>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QScatterSeries>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace lmc {

QColor seriesColor(int index) {
    static const QColor colors[] = {QColor(0x00, 0x72, 0xb2), QColor(0xe6, 0x9f, 0x00), QColor(0x00, 0x9e, 0x73),
                                    QColor(0xcc, 0x79, 0xa7), QColor(0xd5, 0x5e, 0x00), QColor(0x56, 0xb4, 0xe9),
                                    QColor(0x8c, 0x8c, 0x00), QColor(0x44, 0x44, 0x44)};
    const int n = int(sizeof(colors) / sizeof(colors[0]));
    return colors[((index % n) + n) % n];
}

QColor codecColor(const QString& key) {
    struct Known {
        const char* id;
        QColor color;
    };
    static const Known known[] = {
        {"jxl", QColor(0x00, 0x72, 0xb2)},  {"avif", QColor(0xe6, 0x9f, 0x00)}, {"exr", QColor(0x00, 0x9e, 0x73)},
        {"j2k", QColor(0xcc, 0x79, 0xa7)},  {"jpeg", QColor(0xd5, 0x5e, 0x00)}, {"bc6h", QColor(0x56, 0xb4, 0xe9)},
        {"astc", QColor(0x8c, 0x8c, 0x00)}, {"ae", QColor(0x7b, 0x3f, 0x9e)},   {"vae", QColor(0x33, 0x33, 0x33)},
        {"gan", QColor(0xa5, 0x1c, 0x30)},
    };
    for (const Known& k : known)
        if (key == QLatin1String(k.id)) return k.color;
    return {};
}

namespace {

double metricOf(const RdPoint& p, int metric) {
    return metric == 0 ? p.mPsnr : metric == 1 ? p.ssim : p.pu21Psnr;
}

bool isDecibels(int metric) {
    return metric != 1;
}

QChart* makeChart() {
    auto* chart = new QChart;
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->legend()->setAlignment(Qt::AlignRight);
    chart->setBackgroundRoundness(0);
    return chart;
}

}  // namespace

RdChartView::RdChartView(QWidget* parent) : RdChartView(Options(), parent) {}

RdChartView::RdChartView(const Options& options, QWidget* parent) : QWidget(parent), options_(options) {
    auto* grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setSpacing(2);
    for (int i = 0; i < 4; ++i) {
        charts_[i] = makeChart();
        views_[i] = new QChartView(charts_[i], this);
        views_[i]->setRenderHint(QPainter::Antialiasing);
        views_[i]->setMinimumSize(200, 160);
        views_[i]->hide();  // shown below when the options lay it out
    }
    for (int m = 0; m < kMetrics; ++m) {
        QChart* chart = charts_[chartIndex(m)];
        if (options_.logRateAxis) {
            auto* axis = new QLogValueAxis;
            axis->setBase(2.0);
            axis->setLabelFormat(QStringLiteral("%g"));
            axis->setMinorTickCount(-1);
            xAxis_[m] = axis;
        } else {
            auto* axis = new QValueAxis;
            axis->setLabelFormat(QStringLiteral("%.1f"));
            xAxis_[m] = axis;
        }
        yAxis_[m] = new QValueAxis;
        yAxis_[m]->setLabelFormat(isDecibels(m) ? QStringLiteral("%.0f") : QStringLiteral("%.3f"));
        chart->addAxis(xAxis_[m], Qt::AlignBottom);
        chart->addAxis(yAxis_[m], Qt::AlignLeft);
    }
    bars_ = new QBarSeries;
    encodeSet_ = new QBarSet(QString());
    decodeSet_ = new QBarSet(QString());
    encodeSet_->setColor(QColor(0x00, 0x72, 0xb2));
    decodeSet_->setColor(QColor(0xe6, 0x9f, 0x00));
    bars_->append(encodeSet_);
    bars_->append(decodeSet_);
    charts_[2]->addSeries(bars_);
    barCategories_ = new QBarCategoryAxis;
    barValues_ = new QValueAxis;
    barValues_->setLabelFormat(QStringLiteral("%.0f"));
    charts_[2]->addAxis(barCategories_, Qt::AlignBottom);
    charts_[2]->addAxis(barValues_, Qt::AlignLeft);
    bars_->attachAxis(barCategories_);
    bars_->attachAxis(barValues_);
    int column = 0;
    for (Metric metric : options_.shown) {
        QChartView* view = views_[chartIndex(int(metric))];
        if (grid->indexOf(view) >= 0) continue;  // listed twice
        grid->addWidget(view, 0, column++);
        view->show();
    }
    if (options_.showTimes) {
        grid->addWidget(views_[2], 1, 0, 1, std::max(1, column));
        views_[2]->show();
        grid->setRowStretch(0, 3);
        grid->setRowStretch(1, 2);
    }
    retranslate();
    updateAxes();
}

RdChartView::~RdChartView() = default;

int RdChartView::chartIndex(int metric) {
    static const int index[kMetrics] = {0, 1, 3};
    return index[metric];
}

QChart* RdChartView::chart(int index) const {
    return index >= 0 && index < 4 ? charts_[index] : nullptr;
}

QChart* RdChartView::metricChart(Metric metric) const {
    return charts_[chartIndex(int(metric))];
}

void RdChartView::setCodec(const QString& key, const QString& name) {
    auto it = entries_.find(key);
    if (it == entries_.end()) {
        Entry e;
        e.color = codecColor(key);
        if (!e.color.isValid()) e.color = seriesColor(colorsUsed_++);
        it = entries_.emplace(key, std::move(e)).first;
        order_ << key;
        Entry& entry = it->second;
        for (int m = 0; m < kMetrics; ++m) {
            QChart* chart = charts_[chartIndex(m)];
            entry.line[m] = new QLineSeries;
            entry.line[m]->setPen(QPen(entry.color, 2.0));
            entry.points[m] = new QScatterSeries;
            entry.points[m]->setMarkerSize(7.0);
            entry.points[m]->setColor(entry.color);
            entry.points[m]->setBorderColor(entry.color);
            entry.marker[m] = new QScatterSeries;
            entry.marker[m]->setMarkerShape(QScatterSeries::MarkerShapeRectangle);
            entry.marker[m]->setMarkerSize(13.0);
            entry.marker[m]->setColor(Qt::white);
            entry.marker[m]->setBorderColor(entry.color);
            entry.marker[m]->setPen(QPen(entry.color, 3.0));
            for (QXYSeries* s : {static_cast<QXYSeries*>(entry.line[m]), static_cast<QXYSeries*>(entry.points[m]),
                                 static_cast<QXYSeries*>(entry.marker[m])}) {
                chart->addSeries(s);
                s->attachAxis(xAxis_[m]);
                s->attachAxis(yAxis_[m]);
            }
            // One legend entry per codec: the line's.
            for (QLegendMarker* lm : chart->legend()->markers(entry.points[m])) lm->setVisible(false);
            for (QLegendMarker* lm : chart->legend()->markers(entry.marker[m])) lm->setVisible(false);
        }
    }
    it->second.name = name;
    for (int m = 0; m < kMetrics; ++m) it->second.line[m]->setName(name);
    rebuildBars();
}

void RdChartView::removeCodec(const QString& key) {
    auto it = entries_.find(key);
    if (it == entries_.end()) return;
    for (int m = 0; m < kMetrics; ++m)
        for (QAbstractSeries* s :
             {static_cast<QAbstractSeries*>(it->second.line[m]), static_cast<QAbstractSeries*>(it->second.points[m]),
              static_cast<QAbstractSeries*>(it->second.marker[m])}) {
            charts_[chartIndex(m)]->removeSeries(s);
            delete s;
        }
    entries_.erase(it);
    order_.removeAll(key);
    updateAxes();
    rebuildBars();
}

QStringList RdChartView::codecs() const {
    return order_;
}

void RdChartView::setCurve(const QString& key, std::vector<RdPoint> points) {
    auto it = entries_.find(key);
    if (it == entries_.end()) return;
    std::sort(points.begin(), points.end(),
              [](const RdPoint& a, const RdPoint& b) { return a.bitsPerTexel < b.bitsPerTexel; });
    it->second.curve = std::move(points);
    updateSeries(it->second);
    updateAxes();
}

void RdChartView::setCurrent(const QString& key, const std::optional<RdPoint>& point) {
    auto it = entries_.find(key);
    if (it == entries_.end()) return;
    it->second.current = point;
    updateSeries(it->second);
    updateAxes();
}

void RdChartView::setTimes(const QString& key, std::optional<double> encodeMs, std::optional<double> decodeMs) {
    auto it = entries_.find(key);
    if (it == entries_.end()) return;
    it->second.encodeMs = encodeMs;
    it->second.decodeMs = decodeMs;
    rebuildBars();
}

void RdChartView::clearData() {
    for (auto& [key, e] : entries_) {
        e.curve.clear();
        e.current.reset();
        e.encodeMs.reset();
        e.decodeMs.reset();
        updateSeries(e);
    }
    updateAxes();
    rebuildBars();
}

void RdChartView::updateSeries(Entry& e) {
    // A log axis cannot place bpp <= 0; such points are left out like NaN ones.
    const double minRate = options_.logRateAxis ? std::numeric_limits<double>::min() : -HUGE_VAL;
    auto plottable = [&](const RdPoint& p, int m) {
        return std::isfinite(metricOf(p, m)) && std::isfinite(p.bitsPerTexel) && p.bitsPerTexel >= minRate;
    };
    for (int m = 0; m < kMetrics; ++m) {
        QList<QPointF> pts;
        for (const RdPoint& p : e.curve)
            if (plottable(p, m)) pts.append(QPointF(p.bitsPerTexel, metricOf(p, m)));
        e.line[m]->replace(pts);
        e.points[m]->replace(pts);
        QList<QPointF> marker;
        if (e.current && plottable(*e.current, m))
            marker.append(QPointF(e.current->bitsPerTexel, metricOf(*e.current, m)));
        e.marker[m]->replace(marker);
    }
}

void RdChartView::updateAxes() {
    for (int m = 0; m < kMetrics; ++m) {
        double minX = HUGE_VAL, maxX = 0, minY = HUGE_VAL, maxY = -HUGE_VAL;
        for (const auto& [key, e] : entries_) {
            auto consider = [&](const RdPoint& p) {
                const double v = metricOf(p, m);
                if (!std::isfinite(v) || !std::isfinite(p.bitsPerTexel)) return;
                if (options_.logRateAxis && !(p.bitsPerTexel > 0)) return;
                minX = std::min(minX, p.bitsPerTexel);
                maxX = std::max(maxX, p.bitsPerTexel);
                minY = std::min(minY, v);
                maxY = std::max(maxY, v);
            };
            for (const RdPoint& p : e.curve) consider(p);
            if (e.current) consider(*e.current);
        }
        if (auto* log = qobject_cast<QLogValueAxis*>(xAxis_[m])) {
            // Ticks sit on powers of two (0.125, 0.25, ... 8 bpp). The range reaches 10% past the nearest power of
            // two outside the data, so 8.001 bpp (8 bpp plus a header) does not open an empty octave up to 16.
            if (maxX > 0)
                log->setRange(std::exp2(std::floor(std::log2(minX * 1.1))) / 1.1,
                              std::exp2(std::ceil(std::log2(maxX / 1.1))) * 1.1);
            else
                log->setRange(0.125, 8.0);
        } else if (auto* linear = qobject_cast<QValueAxis*>(xAxis_[m])) {
            linear->setRange(0.0, maxX > 0 ? std::ceil(maxX * 1.08 + 0.01) : 8.0);
            linear->applyNiceNumbers();
        }
        if (!std::isfinite(minY)) {
            minY = isDecibels(m) ? 20.0 : 0.8;
            maxY = isDecibels(m) ? 60.0 : 1.0;
        }
        if (isDecibels(m)) {
            // A round dB step giving at most 8 intervals, and a range on that step around the data (1 dB margin).
            const double lo = minY - 1.0, hi = maxY + 1.0;
            double step = 1.0;
            for (double s : {1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0}) {
                step = s;
                if ((hi - lo) / s <= 8.0) break;
            }
            yAxis_[m]->setRange(std::floor(lo / step) * step, std::ceil(hi / step) * step);
            yAxis_[m]->setTickType(QValueAxis::TicksDynamic);
            yAxis_[m]->setTickAnchor(0.0);
            yAxis_[m]->setTickInterval(step);
        } else {
            const double pad = std::max(0.002, (maxY - minY) * 0.08);
            yAxis_[m]->setRange(std::max(0.0, minY - pad), std::min(1.0, maxY + pad));
        }
    }
}

void RdChartView::rebuildBars() {
    QStringList names;
    QList<qreal> enc, dec;
    double maxMs = 0;
    for (const QString& key : order_) {
        const Entry& e = entries_.at(key);
        names << e.name;
        enc << (e.encodeMs ? *e.encodeMs : 0.0);
        dec << (e.decodeMs ? *e.decodeMs : 0.0);
        maxMs = std::max({maxMs, enc.back(), dec.back()});
    }
    encodeSet_->remove(0, encodeSet_->count());
    decodeSet_->remove(0, decodeSet_->count());
    encodeSet_->append(enc);
    decodeSet_->append(dec);
    barCategories_->clear();
    barCategories_->append(names);
    barValues_->setRange(0.0, maxMs > 0 ? maxMs * 1.1 : 100.0);
    barValues_->applyNiceNumbers();
}

std::vector<QPointF> RdChartView::curvePoints(const QString& key, Metric metric) const {
    auto it = entries_.find(key);
    if (it == entries_.end()) return {};
    const QList<QPointF> pts = it->second.line[int(metric)]->points();
    return std::vector<QPointF>(pts.begin(), pts.end());
}

std::optional<QPointF> RdChartView::markerPoint(const QString& key, Metric metric) const {
    auto it = entries_.find(key);
    if (it == entries_.end()) return std::nullopt;
    const QList<QPointF> pts = it->second.marker[int(metric)]->points();
    if (pts.isEmpty()) return std::nullopt;
    return pts.front();
}

std::optional<double> RdChartView::timeBar(const QString& key, bool decode) const {
    const int index = int(order_.indexOf(key));
    QBarSet* set = decode ? decodeSet_ : encodeSet_;
    if (index < 0 || index >= set->count()) return std::nullopt;
    return set->at(index);
}

void RdChartView::retranslate() {
    charts_[0]->setTitle(tr("mPSNR vs bitrate"));
    charts_[1]->setTitle(tr("PU21-SSIM vs bitrate"));
    charts_[2]->setTitle(tr("Encode and decode time"));
    charts_[3]->setTitle(tr("PU21-PSNR vs bitrate"));
    for (int m = 0; m < kMetrics; ++m)
        xAxis_[m]->setTitleText(options_.logRateAxis ? tr("Bits per texel (log scale)") : tr("Bits per texel"));
    yAxis_[0]->setTitleText(tr("mPSNR (dB)"));
    yAxis_[1]->setTitleText(tr("PU21-SSIM"));
    yAxis_[2]->setTitleText(tr("PU21-PSNR (dB)"));
    barValues_->setTitleText(tr("Milliseconds"));
    encodeSet_->setLabel(tr("Encode"));
    decodeSet_->setLabel(tr("Decode"));
}

void RdChartView::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) retranslate();
    QWidget::changeEvent(event);
}

}  // namespace lmc
