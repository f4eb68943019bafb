#include "app/studio/rd_plot.h"

#include <QCoreApplication>
#include <QDir>
#include <QEvent>
#include <QFileInfo>
#include <QImage>
#include <QLabel>
#include <QSaveFile>
#include <QVBoxLayout>

#include <cmath>
#include <cstdio>
#include <map>
#include <vector>

#include "app/preset/eval_csv.h"
#include "app/studio/command_line.h"
#include "codec/codec.h"
#include "widgets/rd_chart.h"

namespace lmc::studio {

namespace {

constexpr const char* kCodecContext = "lmc::studio::CodecText";

RdChartView::Options chartOptions(RdPlotMetric metric) {
    RdChartView::Options o;
    o.shown.clear();
    if (metric != RdPlotMetric::Pu21Psnr) o.shown.push_back(RdChartView::Metric::MPsnr);
    if (metric != RdPlotMetric::MPsnr) o.shown.push_back(RdChartView::Metric::Pu21Psnr);
    o.showTimes = false;
    o.logRateAxis = true;  // bpp spans 0.1..8 between learned codecs and full-rate BC6H
    return o;
}

QString joined(const std::vector<std::string>& items) {
    QStringList out;
    for (const auto& s : items) out << QString::fromStdString(s);
    return out.join(QStringLiteral(", "));
}

// A curve's legend name: a built-in codec's translated name; for a variant "ID-NAME" (SERIES=CSV, as the chart styles
// it) the codec's name with NAME beside it; otherwise the key as given.
QString seriesName(const CodecRegistry& registry, const std::string& id) {
    auto codecName = [&](const std::string& codecId) -> QString {
        const Codec* codec = registry.find(codecId);
        return codec ? QCoreApplication::translate(kCodecContext, codec->name().c_str()) : QString();
    };
    if (const QString name = codecName(id); !name.isEmpty()) return name;
    QString base, variant;
    if (splitVariantKey(QString::fromStdString(id), &base, &variant))
        if (const QString baseName = codecName(base.toStdString()); !baseName.isEmpty())
            return QCoreApplication::translate("lmc::studio::RdPlotWidget", "%1 (%2)", "a codec and its variant")
                .arg(baseName, variant);
    return QString::fromStdString(id);
}

void printLine(FILE* stream, const QString& text) {
    std::fprintf(stream, "%s\n", text.toLocal8Bit().constData());
    std::fflush(stream);
}

}  // namespace

bool parseRdPlotMetric(const QString& text, RdPlotMetric& out) {
    if (text == QLatin1String("mpsnr")) {
        out = RdPlotMetric::MPsnr;
    } else if (text == QLatin1String("pu21psnr")) {
        out = RdPlotMetric::Pu21Psnr;
    } else if (text == QLatin1String("both")) {
        out = RdPlotMetric::Both;
    } else {
        return false;
    }
    return true;
}

RdPlotWidget::RdPlotWidget(RdPlotMetric metric, QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    heading_ = new QLabel(this);
    heading_->setAlignment(Qt::AlignCenter);
    QFont font = heading_->font();
    font.setPointSizeF(font.pointSizeF() * 1.4);
    font.setBold(true);
    heading_->setFont(font);
    chart_ = new RdChartView(chartOptions(metric), this);
    layout->addWidget(heading_);
    layout->addWidget(chart_, 1);
    setAutoFillBackground(true);
    retranslate();
}

void RdPlotWidget::retranslate() {
    heading_->setText(files_ > 0 ? tr("Rate–distortion curves, mean over %1 lightmap(s)").arg(files_)
                                 : tr("Rate–distortion curves"));
}

void RdPlotWidget::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) retranslate();
    QWidget::changeEvent(event);
}

bool RdPlotWidget::loadCsvs(const QStringList& paths, QString* error) {
    auto fail = [&](const QString& text) {
        if (error) *error = text;
        return false;
    };
    std::vector<std::string> files;
    for (const QString& p : paths) files.push_back(p.toStdString());
    auto rows = preset::readEvalCsvs(files);
    if (!rows)
        return fail(tr("Could not read the evaluation CSVs: %1").arg(QString::fromStdString(rows.error().message)));
    if (rows->empty()) return fail(tr("The CSVs hold no measurements."));
    const preset::EvalSet set(std::move(*rows));
    const std::vector<std::string> common = set.commonFiles(set.codecs());
    if (common.empty())
        return fail(tr("No lightmap was measured with every codec (%1); the mean curves would not be comparable.")
                        .arg(joined(set.codecs())));
    notes_.clear();
    const std::size_t allFiles = set.files().size();
    if (common.size() < allFiles)
        notes_ << tr("%1 of %2 lightmaps are left out: not every codec was measured on them.")
                      .arg(allFiles - common.size())
                      .arg(allFiles);

    const CodecRegistry& registry = CodecRegistry::builtin();
    for (const QString& key : chart_->codecs()) chart_->removeCodec(key);
    int plotted = 0;
    for (const std::string& id : set.codecs()) {
        // One RdPoint per setting; each metric's mean fills its own field (NaN where that metric has no mean).
        std::map<std::string, RdPoint> bySetting;
        std::vector<std::string> order;
        const double nan = std::nan("");
        for (auto [metric, field] : {std::pair{preset::EvalMetric::MPsnr, &RdPoint::mPsnr},
                                     std::pair{preset::EvalMetric::Pu21Psnr, &RdPoint::pu21Psnr}}) {
            const preset::MeanCurve curve = set.meanCurve(id, common, metric);
            for (const preset::RdSample& s : curve.points) {
                auto it = bySetting.find(s.params);
                if (it == bySetting.end()) {
                    it = bySetting.emplace(s.params, RdPoint{s.bpp, nan, nan, nan}).first;
                    order.push_back(s.params);
                }
                it->second.*field = s.value;
            }
            const QString name = QString::fromStdString(id);
            const QString metricName = QString::fromLatin1(preset::evalMetricLabel(metric));
            if (!curve.incompleteSettings.empty() && metric == preset::EvalMetric::MPsnr)  // the same for every metric
                notes_ << tr("%1: settings missing on some lightmap are left out: %2")
                              .arg(name, joined(curve.incompleteSettings));
            if (!curve.nonFiniteSettings.empty())
                notes_ << tr("%1, %2: settings with an infinite or missing score are left out: %3")
                              .arg(name, metricName, joined(curve.nonFiniteSettings));
        }
        if (bySetting.empty()) continue;
        std::vector<RdPoint> points;
        for (const std::string& params : order) points.push_back(bySetting.at(params));
        const QString key = QString::fromStdString(id);
        chart_->setCodec(key, seriesName(registry, id));
        chart_->setCurve(key, std::move(points));
        ++plotted;
    }
    if (plotted == 0) return fail(tr("Nothing to plot: no codec setting has a finite score on every lightmap."));
    files_ = int(common.size());
    retranslate();
    return true;
}

bool RdPlotWidget::savePng(const QString& path, const QSize& size, QString* error) {
    resize(size);
    if (!isVisible()) show();
    // Qt Charts lays out and repaints through posted events: let them land before grabbing.
    for (int i = 0; i < 3; ++i) QCoreApplication::processEvents();
    const QImage image = grab().toImage();
    QSaveFile file(path);
    if (image.isNull() || !file.open(QIODevice::WriteOnly) || !image.save(&file, "PNG") || !file.commit()) {
        if (error)
            *error = tr("Could not write %1: %2")
                         .arg(QDir::toNativeSeparators(path),
                              file.errorString().isEmpty() ? tr("rendering failed") : file.errorString());
        return false;
    }
    return true;
}

int runRdPlot(const CommandLine& cl) {
    RdPlotMetric metric = RdPlotMetric::Both;
    parseRdPlotMetric(cl.rdMetric.isEmpty() ? QStringLiteral("both") : cl.rdMetric, metric);
    RdPlotWidget plot(metric);
    QString error;
    if (!plot.loadCsvs(cl.csvFiles, &error)) {
        printLine(stderr, QStringLiteral("lmstudio: %1").arg(error));
        return 1;
    }
    for (const QString& note : plot.notes()) printLine(stderr, QStringLiteral("lmstudio: note: %1").arg(note));
    const QString out = QFileInfo(cl.rdPlotPath).absoluteFilePath();
    const QSize size(1600, 900);
    if (!plot.savePng(out, size, &error)) {
        printLine(stderr, QStringLiteral("lmstudio: %1").arg(error));
        return 1;
    }
    printLine(stdout, QStringLiteral("lmstudio: RD plot of %1 codec(s) over %2 lightmap(s) saved to %3 (%4 x %5)")
                          .arg(plot.chartView()->codecs().size())
                          .arg(plot.fileCount())
                          .arg(out)
                          .arg(size.width())
                          .arg(size.height()));
    return 0;
}

}  // namespace lmc::studio
