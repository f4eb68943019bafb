#include "widgets/rd_chart.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QCursor>
#include <QEvent>
#include <QFontMetricsF>
#include <QGridLayout>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLocale>
#include <QLogValueAxis>
#include <QPainter>
#include <QScatterSeries>
#include <QToolTip>
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

SeriesStyle seriesStyle(int index) {
    static const MarkerShape shapes[] = {MarkerShape::Circle, MarkerShape::Diamond, MarkerShape::Triangle,
                                         MarkerShape::Square, MarkerShape::Star,    MarkerShape::Pentagon};
    const int i = std::max(0, index);
    // 8 colours and 6 shapes: the pair repeats only after their least common multiple (24).
    return SeriesStyle{seriesColor(i), shapes[i % 6]};
}

SeriesStyle codecStyle(const QString& key) {
    struct Known {
        const char* id;
        QColor color;
        MarkerShape shape;
    };
    // Okabe-Ito hues for the hand-designed codecs, darker tones for the learned ones. Six shapes for eleven codecs:
    // two codecs share a shape only where their colours stay far apart for a colour-blind reader (blue and crimson,
    // orange and dark grey, bluish green and purple, pink and olive, sky blue and wine); close hues never share one.
    static const Known known[] = {
        {"jxl", QColor(0x00, 0x72, 0xb2), MarkerShape::Circle},
        {"avif", QColor(0xe6, 0x9f, 0x00), MarkerShape::Diamond},
        {"exr", QColor(0x00, 0x9e, 0x73), MarkerShape::Triangle},
        {"j2k", QColor(0xcc, 0x79, 0xa7), MarkerShape::Pentagon},
        {"jpeg", QColor(0xd5, 0x5e, 0x00), MarkerShape::Star},
        {"bc6h", QColor(0x56, 0xb4, 0xe9), MarkerShape::Square},
        {"astc", QColor(0x8c, 0x8c, 0x00), MarkerShape::Pentagon},
        {"ae", QColor(0x7b, 0x3f, 0x9e), MarkerShape::Triangle},
        {"vae", QColor(0x33, 0x33, 0x33), MarkerShape::Diamond},
        {"gan", QColor(0xa5, 0x1c, 0x30), MarkerShape::Circle},
        {"overfit", QColor(0x88, 0x22, 0x55), MarkerShape::Square},
    };
    for (const Known& k : known)
        if (key == QLatin1String(k.id)) return SeriesStyle{k.color, k.shape};
    QString id;
    if (splitVariantKey(key, &id, nullptr)) {
        SeriesStyle base = codecStyle(id);
        if (base.color.isValid()) {
            base.variant = true;
            return base;
        }
    }
    return {};
}

QColor codecColor(const QString& key) {
    return codecStyle(key).color;
}

bool splitVariantKey(const QString& key, QString* id, QString* name) {
    const qsizetype dash = key.indexOf(QLatin1Char('-'));
    if (dash <= 0 || dash + 1 >= key.size()) return false;
    if (id) *id = key.left(dash);
    if (name) *name = key.mid(dash + 1);
    return true;
}

namespace {
// Built-in codecs are listed (legend, time bars) in one fixed order whatever order results arrive in; others follow
// in order of addition.
int codecRank(const QString& key) {
    static const char* const order[] = {"jxl",  "avif", "exr", "j2k", "jpeg",   "bc6h",
                                        "astc", "ae",   "vae", "gan", "overfit"};
    for (int i = 0; i < int(sizeof(order) / sizeof(order[0])); ++i)
        if (key == QLatin1String(order[i])) return i;
    return 1000;
}
}  // namespace

double ssimDecibels(double ssim) {
    if (!std::isfinite(ssim) || ssim >= 1.0) return std::numeric_limits<double>::quiet_NaN();
    return -10.0 * std::log10(1.0 - ssim);
}

namespace {

double metricOf(const RdPoint& p, int metric) {
    return metric == 0 ? p.mPsnr : metric == 1 ? ssimDecibels(p.ssim) : p.pu21Psnr;
}

QScatterSeries::MarkerShape qtShape(MarkerShape shape) {
    switch (shape) {
        case MarkerShape::Circle:
            return QScatterSeries::MarkerShapeCircle;
        case MarkerShape::Square:
            return QScatterSeries::MarkerShapeRectangle;
        case MarkerShape::Diamond:
            return QScatterSeries::MarkerShapeRotatedRectangle;
        case MarkerShape::Triangle:
            return QScatterSeries::MarkerShapeTriangle;
        case MarkerShape::Star:
            return QScatterSeries::MarkerShapeStar;
        case MarkerShape::Pentagon:
            return QScatterSeries::MarkerShapePentagon;
    }
    return QScatterSeries::MarkerShapeCircle;
}

// Shapes with less ink than a circle are drawn larger, so every codec's points look equally heavy.
double markerSize(MarkerShape shape) {
    return shape == MarkerShape::Star || shape == MarkerShape::Triangle ? 11.0 : 9.0;
}

QChart* makeChart() {
    auto* chart = new QChart;
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->legend()->hide();  // the view's own legend (RdLegend) serves every chart
    chart->setBackgroundRoundness(0);
    return chart;
}

}  // namespace

// One legend for every chart: each codec's marker and full name, flowing left to right and wrapping, so no name is
// ever elided and the plots keep their width (a legend per chart took half of each in a narrow window).
class RdLegend : public QWidget {
public:
    explicit RdLegend(QWidget* parent) : QWidget(parent) {
        QSizePolicy policy(QSizePolicy::Preferred, QSizePolicy::Preferred);
        policy.setHeightForWidth(true);
        setSizePolicy(policy);
    }
    void setItems(std::vector<std::pair<QString, SeriesStyle>> items) {
        items_ = std::move(items);
        updateGeometry();
        update();
    }
    std::vector<QRect> layoutItems(int width) const {
        const QFontMetrics fm(font());
        const int h = fm.height() + 6, gap = 18, marker = fm.height();
        std::vector<QRect> rects;
        int x = 4, y = 2;
        for (const auto& [name, style] : items_) {
            const int w = marker + 6 + fm.horizontalAdvance(name);
            if (x > 4 && x + w > width - 4) {
                x = 4;
                y += h;
            }
            rects.emplace_back(x, y, w, h);
            x += w + gap;
        }
        return rects;
    }
    const std::vector<std::pair<QString, SeriesStyle>>& items() const { return items_; }
    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override {
        const auto rects = layoutItems(width);
        return rects.empty() ? 0 : rects.back().bottom() + 3;
    }
    QSize sizeHint() const override { return {400, heightForWidth(400)}; }
    QSize minimumSizeHint() const override { return {100, heightForWidth(std::max(100, width()))}; }

protected:
    void paintEvent(QPaintEvent*) override {
        QPainter p(this);
        p.setRenderHint(QPainter::Antialiasing);
        const auto rects = layoutItems(width());
        const QFontMetrics fm(font());
        for (std::size_t i = 0; i < items_.size(); ++i) {
            const QRect& r = rects[i];
            const SeriesStyle& style = items_[i].second;
            const double m = fm.height() * 0.8;
            const QPointF c(r.left() + fm.height() / 2.0, r.center().y() + 0.5);
            p.setPen(style.variant ? QPen(style.color, 1.5) : QPen(style.color.darker(130), 1.0));
            p.setBrush(style.variant ? QColor(Qt::white) : style.color);
            drawMarker(p, style.shape, c, m);
            p.setPen(palette().color(QPalette::WindowText));
            p.drawText(QRect(r.left() + fm.height() + 6, r.top(), r.width(), r.height()), Qt::AlignVCenter,
                       items_[i].first);
        }
    }

private:
    static void drawMarker(QPainter& p, MarkerShape shape, QPointF c, double size) {
        const double h = size / 2.0;
        QPolygonF poly;
        auto regular = [&](int corners, double radius, double start, bool star) {
            for (int k = 0; k < corners * (star ? 2 : 1); ++k) {
                const double a = start + k * M_PI / (star ? corners : corners / 2.0);
                const double rr = star && (k % 2) ? radius * 0.45 : radius;
                poly << QPointF(c.x() + rr * std::cos(a), c.y() + rr * std::sin(a));
            }
        };
        switch (shape) {
            case MarkerShape::Circle:
                p.drawEllipse(c, h, h);
                return;
            case MarkerShape::Square:
                p.drawRect(QRectF(c.x() - h * 0.9, c.y() - h * 0.9, h * 1.8, h * 1.8));
                return;
            case MarkerShape::Diamond:
                regular(4, h * 1.15, -M_PI / 2, false);
                break;
            case MarkerShape::Triangle:
                regular(3, h * 1.15, -M_PI / 2, false);
                break;
            case MarkerShape::Star:
                regular(5, h * 1.25, -M_PI / 2, true);
                break;
            case MarkerShape::Pentagon:
                regular(5, h * 1.1, -M_PI / 2, false);
                break;
        }
        p.drawPolygon(poly);
    }

    std::vector<std::pair<QString, SeriesStyle>> items_;
};

RdChartView::RdChartView(QWidget* parent) : RdChartView(Options(), parent) {}

RdChartView::RdChartView(const Options& options, QWidget* parent) : QWidget(parent), options_(options) {
    auto* grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setSpacing(2);
    grid->setVerticalSpacing(0);
    for (int i = 0; i < 4; ++i) {
        charts_[i] = makeChart();
        views_[i] = new QChartView(charts_[i], this);
        views_[i]->setRenderHint(QPainter::Antialiasing);
        views_[i]->setMinimumSize(160, 140);
        views_[i]->hide();  // shown below when the options lay it out
    }
    for (int m = 0; m < kMetrics; ++m) {
        QChart* chart = charts_[chartIndex(m)];
        makeRateAxis(m);
        yAxis_[m] = new QValueAxis;
        yAxis_[m]->setLabelFormat(QStringLiteral("%.0f"));
        chart->addAxis(yAxis_[m], Qt::AlignLeft);
        targetSeries_[m] = new QLineSeries;
        QPen pen(QColor(0x60, 0x60, 0x60), 1.5, Qt::DashLine);
        targetSeries_[m]->setPen(pen);
        chart->addSeries(targetSeries_[m]);
        targetSeries_[m]->attachAxis(xAxis_[m]);
        targetSeries_[m]->attachAxis(yAxis_[m]);
        for (QLegendMarker* lm : chart->legend()->markers(targetSeries_[m])) lm->setVisible(false);
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
    connect(bars_, &QBarSeries::hovered, this, [this](bool state, int index, QBarSet*) {
        if (!state || index < 0 || index >= order_.size()) {
            QToolTip::hideText();
            return;
        }
        const QString key = order_[index];
        const auto encode = timeBar(key, false), decode = timeBar(key, true);
        const QLocale locale;
        auto ms = [&](const std::optional<double>& v) { return v ? locale.toString(*v, 'f', 1) : QStringLiteral("–"); };
        QToolTip::showText(QCursor::pos(),
                           tr("%1\nencode %2 ms · decode %3 ms").arg(entries_.at(key).name, ms(encode), ms(decode)),
                           views_[2]);
    });
    legend_ = new RdLegend(this);
    legend_->setObjectName(QStringLiteral("rdLegend"));
    grid_ = grid;
    layoutCharts();
    retranslate();
    updateAxes();
}

RdChartView::~RdChartView() = default;

void RdChartView::setShownMetrics(const std::vector<Metric>& shown) {
    options_.shown = shown;
    layoutCharts();
}

void RdChartView::layoutCharts() {
    for (QChartView* view : views_) {
        grid_->removeWidget(view);
        view->hide();
    }
    grid_->removeWidget(legend_);
    for (int r = 0; r < 3; ++r) grid_->setRowStretch(r, 0);
    int column = 0;
    for (Metric metric : options_.shown) {
        QChartView* view = views_[chartIndex(int(metric))];
        if (grid_->indexOf(view) >= 0) continue;  // listed twice
        grid_->addWidget(view, 0, column++);
        view->show();
    }
    grid_->addWidget(legend_, 1, 0, 1, std::max(1, column));
    grid_->setRowStretch(0, 3);
    if (options_.showTimes) {
        grid_->addWidget(views_[2], 2, 0, 1, std::max(1, column));
        views_[2]->show();
        grid_->setRowStretch(2, 2);
    }
}

std::vector<std::pair<QString, QRect>> RdChartView::legendItems() const {
    std::vector<std::pair<QString, QRect>> out;
    const auto rects = legend_->layoutItems(legend_->width());
    for (std::size_t i = 0; i < rects.size(); ++i) out.emplace_back(legend_->items()[i].first, rects[i]);
    return out;
}

QWidget* RdChartView::legendWidget() const {
    return legend_;
}

void RdChartView::makeRateAxis(int m) {
    QChart* chart = charts_[chartIndex(m)];
    if (options_.logRateAxis) {
        auto* axis = new QLogValueAxis;
        axis->setBase(2.0);
        axis->setLabelFormat(QStringLiteral("%.3g"));  // 0.0625 0.125 0.25 0.5 1 2 4 8 16; 0.0156 for 1/64
        axis->setMinorTickCount(-1);
        xAxis_[m] = axis;
    } else {
        auto* axis = new QValueAxis;
        axis->setLabelFormat(QStringLiteral("%.1f"));
        xAxis_[m] = axis;
    }
    chart->addAxis(xAxis_[m], Qt::AlignBottom);
}

void RdChartView::setLogRateAxis(bool on) {
    if (options_.logRateAxis == on) return;
    options_.logRateAxis = on;
    for (int m = 0; m < kMetrics; ++m) {
        QChart* chart = charts_[chartIndex(m)];
        QAbstractAxis* old = xAxis_[m];
        chart->removeAxis(old);  // detaches it from every series
        delete old;
        makeRateAxis(m);
        for (QAbstractSeries* s : chart->series()) s->attachAxis(xAxis_[m]);
    }
    for (auto& [key, e] : entries_) updateSeries(e);
    retranslate();
    updateAxes();
}

void RdChartView::setTarget(const Target& target) {
    target_ = target;
    updateAxes();
}

SeriesStyle RdChartView::style(const QString& key) const {
    auto it = entries_.find(key);
    return it == entries_.end() ? SeriesStyle{} : it->second.style;
}

QChartView* RdChartView::metricView(Metric metric) const {
    return views_[chartIndex(int(metric))];
}

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
        e.style = codecStyle(key);
        if (!e.style.color.isValid()) e.style = seriesStyle(colorsUsed_++);
        it = entries_.emplace(key, std::move(e)).first;
        int at = int(order_.size());
        while (at > 0 && codecRank(order_[at - 1]) > codecRank(key)) --at;
        order_.insert(at, key);
        Entry& entry = it->second;
        const QColor color = entry.style.color;
        for (int m = 0; m < kMetrics; ++m) {
            QChart* chart = charts_[chartIndex(m)];
            entry.line[m] = new QLineSeries;
            entry.line[m]->setPen(QPen(color, 2.0, entry.style.variant ? Qt::DashLine : Qt::SolidLine));
            entry.points[m] = new QScatterSeries;
            entry.points[m]->setMarkerShape(qtShape(entry.style.shape));
            entry.points[m]->setMarkerSize(markerSize(entry.style.shape));
            if (entry.style.variant) {
                entry.points[m]->setColor(Qt::white);
                entry.points[m]->setPen(QPen(color, 2.0));
            } else {
                entry.points[m]->setColor(color);
                entry.points[m]->setBorderColor(color.darker(130));
            }
            entry.marker[m] = new QScatterSeries;
            entry.marker[m]->setMarkerShape(QScatterSeries::MarkerShapeRectangle);
            entry.marker[m]->setMarkerSize(15.0);
            entry.marker[m]->setColor(Qt::transparent);
            entry.marker[m]->setBorderColor(color);
            entry.marker[m]->setPen(QPen(color, 2.5));
            for (QXYSeries* s : {static_cast<QXYSeries*>(entry.line[m]), static_cast<QXYSeries*>(entry.points[m]),
                                 static_cast<QXYSeries*>(entry.marker[m])}) {
                chart->addSeries(s);
                s->attachAxis(xAxis_[m]);
                s->attachAxis(yAxis_[m]);
                connectPointSignals(key, m, s);
            }
            // One legend entry per codec: the points', which shows the codec's colour and shape.
            for (QLegendMarker* lm : chart->legend()->markers(entry.line[m])) lm->setVisible(false);
            for (QLegendMarker* lm : chart->legend()->markers(entry.marker[m])) lm->setVisible(false);
        }
    }
    // Called for every result and sweep point: relabel only when the name changed (bars and legend relayout).
    if (it->second.name == name && !it->second.name.isNull()) return;
    it->second.name = name;
    for (int m = 0; m < kMetrics; ++m) it->second.points[m]->setName(name);
    rebuildBars();
    updateLegend();
}

void RdChartView::connectPointSignals(const QString& key, int m, QXYSeries* series) {
    connect(series, &QXYSeries::clicked, this, [this, key, m](const QPointF& value) {
        auto it = entries_.find(key);
        if (it == entries_.end()) return;
        const int i = nearestPoint(it->second, m, value);
        if (i >= 0) emit pointClicked(key, it->second.source[std::size_t(i)]);
    });
    connect(series, &QXYSeries::hovered, this, [this, key, m](const QPointF& value, bool state) {
        auto it = entries_.find(key);
        if (!state || it == entries_.end()) {
            QToolTip::hideText();
            return;
        }
        const int i = nearestPoint(it->second, m, value);
        if (i < 0) return;
        const QString text = pointToolTip(key, Metric(m), it->second.source[std::size_t(i)]);
        QChartView* view = views_[chartIndex(m)];
        const QPointF scene = charts_[chartIndex(m)]->mapToPosition(value, it->second.points[m]);
        const QPoint local = view->mapFromScene(charts_[chartIndex(m)]->mapToScene(scene));
        QToolTip::showText(view->viewport()->mapToGlobal(local), text, view);
    });
}

int RdChartView::nearestPoint(const Entry& e, int m, const QPointF& value) const {
    // Compare in screen pixels: bpp may be on a log axis and the two axes have unrelated units.
    QChart* chart = charts_[chartIndex(m)];
    const QPointF at = chart->mapToPosition(value, e.points[m]);
    int best = -1;
    double bestDistance = HUGE_VAL;
    for (int i : e.plotted[m]) {
        const RdPoint& p = e.curve[std::size_t(i)];
        const QPointF pos = chart->mapToPosition(QPointF(p.bitsPerTexel, metricOf(p, m)), e.points[m]);
        const double d = std::hypot(pos.x() - at.x(), pos.y() - at.y());
        if (d < bestDistance) {
            bestDistance = d;
            best = i;
        }
    }
    // A click on the line between two points picks neither when both are far from it.
    return bestDistance <= 12.0 ? best : -1;
}

QString RdChartView::pointToolTip(const QString& key, Metric metric, int index) const {
    auto it = entries_.find(key);
    if (it == entries_.end()) return {};
    const Entry& e = it->second;
    const auto pos = std::find(e.source.begin(), e.source.end(), index);
    if (pos == e.source.end()) return {};
    const RdPoint& p = e.curve[std::size_t(pos - e.source.begin())];
    const QLocale locale;
    QString value;
    switch (metric) {
        case Metric::MPsnr:
            value = tr("mPSNR %1 dB").arg(locale.toString(p.mPsnr, 'f', 2));
            break;
        case Metric::Ssim:
            value = tr("PU21-SSIM %1 (%2 dB)")
                        .arg(locale.toString(p.ssim, 'f', 4), locale.toString(ssimDecibels(p.ssim), 'f', 2));
            break;
        case Metric::Pu21Psnr:
            value = tr("PU21-PSNR %1 dB").arg(locale.toString(p.pu21Psnr, 'f', 2));
            break;
    }
    QStringList lines{QStringLiteral("<b>%1</b>").arg(e.name.toHtmlEscaped())};
    if (!p.label.isEmpty()) lines << p.label.toHtmlEscaped();
    lines << tr("%1 bpp").arg(locale.toString(p.bitsPerTexel, 'f', 3)) << value
          << QStringLiteral("<i>%1</i>").arg(tr("Click to apply this setting"));
    return lines.join(QStringLiteral("<br>"));
}

std::optional<QPoint> RdChartView::pointPosition(const QString& key, Metric metric, int index) const {
    auto it = entries_.find(key);
    if (it == entries_.end()) return std::nullopt;
    const Entry& e = it->second;
    const int m = int(metric);
    const auto pos = std::find(e.source.begin(), e.source.end(), index);
    if (pos == e.source.end()) return std::nullopt;
    const int i = int(pos - e.source.begin());
    if (std::find(e.plotted[m].begin(), e.plotted[m].end(), i) == e.plotted[m].end()) return std::nullopt;
    const RdPoint& p = e.curve[std::size_t(i)];
    QChart* chart = charts_[chartIndex(m)];
    const QPointF item = chart->mapToPosition(QPointF(p.bitsPerTexel, metricOf(p, m)), e.points[m]);
    return views_[chartIndex(m)]->mapFromScene(chart->mapToScene(item));
}

std::vector<QPointF> RdChartView::targetLine(Metric metric) const {
    const QList<QPointF> pts = targetSeries_[int(metric)]->points();
    return std::vector<QPointF>(pts.begin(), pts.end());
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
    updateLegend();
    updateAxes();
    rebuildBars();
}

QStringList RdChartView::codecs() const {
    return order_;
}

void RdChartView::setCurve(const QString& key, std::vector<RdPoint> points) {
    auto it = entries_.find(key);
    if (it == entries_.end()) return;
    std::vector<int> order(points.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = int(i);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
        return points[std::size_t(a)].bitsPerTexel < points[std::size_t(b)].bitsPerTexel;
    });
    Entry& e = it->second;
    e.curve.clear();
    for (int i : order) e.curve.push_back(std::move(points[std::size_t(i)]));
    e.source = std::move(order);
    updateSeries(e);
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
        e.source.clear();
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
        e.plotted[m].clear();
        for (std::size_t i = 0; i < e.curve.size(); ++i)
            if (plottable(e.curve[i], m)) {
                pts.append(QPointF(e.curve[i].bitsPerTexel, metricOf(e.curve[i], m)));
                e.plotted[m].push_back(int(i));
            }
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
        // The target line stays on the chart even where no curve reaches it.
        const bool rateTarget = target_.kind == Target::Kind::Rate && std::isfinite(target_.value) &&
                                (target_.value > 0 || !options_.logRateAxis);
        const bool qualityTarget =
            target_.kind == Target::Kind::Quality && int(target_.metric) == m && std::isfinite(target_.value);
        if (rateTarget && maxX > 0) {
            minX = std::min(minX, target_.value);
            maxX = std::max(maxX, target_.value);
        }
        if (qualityTarget && std::isfinite(minY)) {
            minY = std::min(minY, target_.value);
            maxY = std::max(maxY, target_.value);
        }
        double xLo = 0, xHi = 0;
        if (auto* log = qobject_cast<QLogValueAxis*>(xAxis_[m])) {
            // Ticks sit on powers of two (0.125, 0.25, ... 8 bpp). The range reaches 10% past the nearest power of
            // two outside the data, so 8.001 bpp (8 bpp plus a header) does not open an empty octave up to 16.
            if (maxX > 0) {
                xLo = std::exp2(std::floor(std::log2(minX * 1.1))) / 1.1;
                xHi = std::exp2(std::ceil(std::log2(maxX / 1.1))) * 1.1;
            } else {
                xLo = 0.125;
                xHi = 8.0;
            }
            // Past 9 octaves (e.g. 0.03..32 bpp) every other power of two is labelled, so labels never crowd.
            const double base = std::log2(xHi / xLo) > 9.5 ? 4.0 : 2.0;
            if (log->base() != base) log->setBase(base);
            if (log->min() != xLo || log->max() != xHi) log->setRange(xLo, xHi);
        } else if (auto* linear = qobject_cast<QValueAxis*>(xAxis_[m])) {
            linear->setRange(0.0, maxX > 0 ? std::ceil(maxX * 1.08 + 0.01) : 8.0);
            linear->applyNiceNumbers();
            xLo = linear->min();
            xHi = linear->max();
        }
        if (!std::isfinite(minY)) {
            minY = m == int(Metric::Ssim) ? 5.0 : 20.0;
            maxY = m == int(Metric::Ssim) ? 30.0 : 60.0;
        }
        // A round dB step giving at most 8 intervals, and a range on that step around the data (1 dB margin).
        const double lo = minY - 1.0, hi = maxY + 1.0;
        double step = 1.0;
        for (double s : {1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0}) {
            step = s;
            if ((hi - lo) / s <= 8.0) break;
        }
        const double yLo = std::floor(lo / step) * step, yHi = std::ceil(hi / step) * step;
        yAxis_[m]->setRange(yLo, yHi);
        yAxis_[m]->setTickType(QValueAxis::TicksDynamic);
        yAxis_[m]->setTickAnchor(0.0);
        yAxis_[m]->setTickInterval(step);

        QList<QPointF> line;
        if (rateTarget)
            line = {QPointF(target_.value, yLo), QPointF(target_.value, yHi)};
        else if (qualityTarget)
            line = {QPointF(xLo, target_.value), QPointF(xHi, target_.value)};
        if (targetSeries_[m]->points() != line) targetSeries_[m]->replace(line);
    }
}

void RdChartView::rebuildBars() {
    QStringList names;
    QList<qreal> enc, dec;
    double maxMs = 0;
    // Under the bars the codec's key (its short, stable id: "JXL", "VAE"); ten full names would elide to "Lea…".
    // The full name is in the bars' tooltip and the legend.
    for (const QString& key : order_) {
        const Entry& e = entries_.at(key);
        names << key.toUpper();
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
    yAxis_[1]->setTitleText(tr("PU21-SSIM (dB, −10·log₁₀(1 − SSIM))"));
    yAxis_[2]->setTitleText(tr("PU21-PSNR (dB)"));
    barValues_->setTitleText(tr("Milliseconds"));
    encodeSet_->setLabel(tr("Encode"));
    decodeSet_->setLabel(tr("Decode"));
}

void RdChartView::updateLegend() {
    std::vector<std::pair<QString, SeriesStyle>> items;
    for (const QString& key : order_) items.emplace_back(entries_.at(key).name, entries_.at(key).style);
    legend_->setItems(std::move(items));
}

void RdChartView::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) retranslate();
    QWidget::changeEvent(event);
}

}  // namespace lmc
