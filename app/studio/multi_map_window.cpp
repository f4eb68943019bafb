#include "app/studio/multi_map_window.h"

#include <QComboBox>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSaveFile>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>

#include <cmath>
#include <map>

#include "app/studio/charts_panel.h"
#include "app/studio/error_text.h"
#include "app/studio/rd_summary.h"
#include "widgets/rd_chart.h"

namespace lmc::studio {
namespace {

constexpr preset::EvalMetric kMetrics[] = {preset::EvalMetric::MPsnr, preset::EvalMetric::LogPsnr,
                                           preset::EvalMetric::Pu21Psnr};

// A curve as the BD comparison reads it (compareBd takes its Pareto front).
std::vector<RdSample> toSamples(const std::vector<preset::RdSample>& samples) {
    std::vector<RdSample> curve;
    for (const auto& s : samples) curve.push_back({s.bpp, s.value});
    return curve;
}

}  // namespace

MultiMapWindow::MultiMapWindow(const CodecRegistry& registry, std::shared_ptr<JobScheduler> scheduler, QWidget* parent)
    : QWidget(parent, Qt::Window), registry_(registry) {
    evaluation_ = new MultiMapEvaluation(registry, std::move(scheduler), this);
    mapList_ = new QListWidget(this);
    mapList_->setSelectionMode(QAbstractItemView::ExtendedSelection);
    codecList_ = new QListWidget(this);
    addFiles_ = new QPushButton(this);
    addFolder_ = new QPushButton(this);
    clear_ = new QPushButton(this);
    run_ = new QPushButton(this);
    cancel_ = new QPushButton(this);
    cancel_->setEnabled(false);
    export_ = new QPushButton(this);
    export_->setEnabled(false);
    points_ = new QSpinBox(this);
    points_->setRange(2, 12);
    points_->setValue(6);
    pointsLabel_ = new QLabel(this);
    progress_ = new QProgressBar(this);
    problems_ = new QLabel(this);
    problems_->setWordWrap(true);
    problems_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    mapsLabel_ = new QLabel(this);
    codecsLabel_ = new QLabel(this);
    mapViewLabel_ = new QLabel(this);
    metricLabel_ = new QLabel(this);
    referenceLabel_ = new QLabel(this);
    mapView_ = new QComboBox(this);
    metric_ = new QComboBox(this);
    for (int i = 0; i < 3; ++i) metric_->addItem(QString());
    reference_ = new QComboBox(this);
    RdChartView::Options chartOptions;
    chartOptions.shown = {RdChartView::Metric::MPsnr, RdChartView::Metric::Pu21Psnr};
    chartOptions.showTimes = false;
    chartOptions.logRateAxis = true;
    chart_ = new RdChartView(chartOptions, this);
    bdTable_ = new QTableWidget(this);
    bdTable_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    bdNote_ = new QLabel(this);
    bdNote_->setWordWrap(true);
    refresh_ = new QTimer(this);
    refresh_->setSingleShot(true);
    refresh_->setInterval(250);  // rows arrive point by point; redraw a few times a second at most

    auto* left = new QWidget(this);
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(mapsLabel_);
    leftLayout->addWidget(mapList_, 2);
    auto* mapButtons = new QHBoxLayout;
    mapButtons->addWidget(addFiles_);
    mapButtons->addWidget(addFolder_);
    mapButtons->addWidget(clear_);
    leftLayout->addLayout(mapButtons);
    leftLayout->addWidget(codecsLabel_);
    leftLayout->addWidget(codecList_, 1);
    auto* runRow = new QHBoxLayout;
    runRow->addWidget(pointsLabel_);
    runRow->addWidget(points_);
    runRow->addStretch(1);
    runRow->addWidget(run_);
    runRow->addWidget(cancel_);
    leftLayout->addLayout(runRow);
    leftLayout->addWidget(progress_);
    leftLayout->addWidget(problems_);

    auto* right = new QWidget(this);
    auto* rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    auto* controls = new QHBoxLayout;
    controls->addWidget(mapViewLabel_);
    controls->addWidget(mapView_, 1);
    controls->addWidget(metricLabel_);
    controls->addWidget(metric_);
    controls->addWidget(referenceLabel_);
    controls->addWidget(reference_);
    controls->addWidget(export_);
    rightLayout->addLayout(controls);
    auto* results = new QSplitter(Qt::Vertical, right);
    results->addWidget(chart_);
    auto* bdBox = new QWidget(results);
    auto* bdLayout = new QVBoxLayout(bdBox);
    bdLayout->setContentsMargins(0, 0, 0, 0);
    bdLayout->addWidget(bdTable_);
    bdLayout->addWidget(bdNote_);
    results->addWidget(bdBox);
    results->setStretchFactor(0, 3);
    results->setStretchFactor(1, 2);
    rightLayout->addWidget(results, 1);

    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(left);
    splitter->addWidget(right);
    splitter->setStretchFactor(1, 3);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(splitter);
    resize(1280, 800);

    connect(addFiles_, &QPushButton::clicked, this, [this] {
        addMaps(QFileDialog::getOpenFileNames(this, tr("Add Lightmaps"), QString(), tr("OpenEXR files (*.exr)")));
    });
    connect(addFolder_, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Add a Folder of Lightmaps"));
        if (!dir.isEmpty()) addMaps({dir});
    });
    connect(clear_, &QPushButton::clicked, mapList_, &QListWidget::clear);
    connect(run_, &QPushButton::clicked, this, [this] { run(); });
    connect(cancel_, &QPushButton::clicked, evaluation_, &MultiMapEvaluation::cancel);
    connect(export_, &QPushButton::clicked, this, &MultiMapWindow::exportCsv);
    connect(evaluation_, &MultiMapEvaluation::progressChanged, this, [this](int done, int total) {
        progress_->setRange(0, std::max(1, total));
        progress_->setValue(done);
    });
    connect(evaluation_, &MultiMapEvaluation::rowsAdded, refresh_, qOverload<>(&QTimer::start));
    connect(refresh_, &QTimer::timeout, this, &MultiMapWindow::refreshResults);
    connect(evaluation_, &MultiMapEvaluation::mapFailed, this,
            [this](const QString& map, const QString& codecId, const Error& error) {
                problemLines_ << (codecId.isEmpty()
                                      ? tr("%1: %2").arg(map, errorText(error))
                                      : tr("%1, %2: %3").arg(map, codecName(codecId.toStdString()), errorText(error)));
                problems_->setText(problemLines_.join(QLatin1Char('\n')));
            });
    connect(evaluation_, &MultiMapEvaluation::finished, this, [this](bool cancelled) {
        run_->setEnabled(true);
        cancel_->setEnabled(false);
        export_->setEnabled(!evaluation_->rows().empty());
        progress_->setFormat(cancelled ? tr("Cancelled at %p%") : tr("Done"));
        refresh_->stop();
        refreshResults();
    });
    for (QComboBox* combo : {mapView_, metric_, reference_})
        connect(combo, qOverload<int>(&QComboBox::currentIndexChanged), this, [this] {
            refresh_->stop();
            refreshResults();
        });
    retranslate();
}

QString MultiMapWindow::codecName(const std::string& id) const {
    for (const Setup& s : codecs_)
        if (s.id == id) return s.name;
    return QString::fromStdString(id);
}

void MultiMapWindow::setCodecs(const std::vector<Setup>& codecs) {
    std::map<std::string, bool> ticks;
    for (int i = 0; i < codecList_->count(); ++i)
        ticks[codecList_->item(i)->data(Qt::UserRole).toString().toStdString()] =
            codecList_->item(i)->checkState() == Qt::Checked;
    codecs_ = codecs;
    codecList_->clear();
    const QString shownReference = reference_->currentData().toString();
    reference_->blockSignals(true);
    reference_->clear();
    for (const Setup& s : codecs_) {
        auto* item = new QListWidgetItem(s.name, codecList_);
        item->setData(Qt::UserRole, QString::fromStdString(s.id));
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        const auto tick = ticks.find(s.id);
        item->setCheckState((tick != ticks.end() ? tick->second : s.checked) ? Qt::Checked : Qt::Unchecked);
        reference_->addItem(s.name, QString::fromStdString(s.id));
    }
    const int keep = reference_->findData(shownReference.isEmpty() ? QStringLiteral("avif") : shownReference);
    reference_->setCurrentIndex(keep >= 0 ? keep : 0);
    reference_->blockSignals(false);
}

void MultiMapWindow::addMaps(const QStringList& paths) {
    QStringList current = mapPaths();
    for (const QString& map : MultiMapEvaluation::collectMaps(paths))
        if (!current.contains(map)) {
            current << map;
            auto* item = new QListWidgetItem(QFileInfo(map).fileName(), mapList_);
            item->setData(Qt::UserRole, map);
            item->setToolTip(QDir::toNativeSeparators(map));
        }
}

QStringList MultiMapWindow::mapPaths() const {
    QStringList paths;
    for (int i = 0; i < mapList_->count(); ++i) paths << mapList_->item(i)->data(Qt::UserRole).toString();
    return paths;
}

bool MultiMapWindow::run() {
    std::vector<MultiMapEvaluation::CodecSetup> codecs;
    for (int i = 0; i < codecList_->count(); ++i)
        if (codecList_->item(i)->checkState() == Qt::Checked)
            codecs.push_back({codecs_[std::size_t(i)].id, codecs_[std::size_t(i)].params});
    problemLines_.clear();
    problems_->clear();
    if (!evaluation_->start(mapPaths(), codecs, mask_, points_->value())) {
        problems_->setText(tr("Add at least one map and tick at least one codec."));
        return false;
    }
    run_->setEnabled(false);
    cancel_->setEnabled(true);
    export_->setEnabled(false);
    progress_->setFormat(tr("%v of %m points"));
    refreshResults();
    return true;
}

void MultiMapWindow::refreshResults() {
    const preset::EvalSet set(evaluation_->rows());
    // The map selector: the mean first, then the maps that have results, keeping the user's choice.
    const QString shown = mapView_->currentData().toString();
    mapView_->blockSignals(true);
    mapView_->clear();
    mapView_->addItem(tr("Mean over all maps"), QString());
    for (const std::string& file : set.files())
        mapView_->addItem(QString::fromStdString(file), QString::fromStdString(file));
    const int keep = mapView_->findData(shown);
    mapView_->setCurrentIndex(keep >= 0 ? keep : 0);
    mapView_->blockSignals(false);
    refreshChart(set);
    refreshBdTable(set);
}

void MultiMapWindow::refreshChart(const preset::EvalSet& set) {
    chart_->clearData();
    for (const QString& key : chart_->codecs()) chart_->removeCodec(key);
    const std::string file = mapView_->currentData().toString().toStdString();
    const std::vector<std::string> files = file.empty() ? set.commonFiles(set.codecs()) : std::vector{file};
    for (const std::string& codec : set.codecs()) {
        // Per setting: bpp and each metric, averaged over `files` (one map: its own values).
        std::map<std::string, RdPoint> points;
        std::vector<std::string> order;
        auto take = [&](preset::EvalMetric metric, double RdPoint::*field) {
            const auto mean = set.meanCurve(codec, files, metric);
            for (const auto& p : mean.points) {
                if (!points.count(p.params)) order.push_back(p.params);
                RdPoint& point = points[p.params];
                point.bitsPerTexel = p.bpp;
                point.*field = p.value;
            }
        };
        take(preset::EvalMetric::MPsnr, &RdPoint::mPsnr);
        take(preset::EvalMetric::Pu21Psnr, &RdPoint::pu21Psnr);
        take(preset::EvalMetric::Ssim, &RdPoint::ssim);
        std::vector<RdPoint> curve;
        for (const std::string& params : order) curve.push_back(points[params]);
        const QString key = QString::fromStdString(codec);
        chart_->setCodec(key, codecName(codec));
        chart_->setCurve(key, curve);
    }
}

void MultiMapWindow::refreshBdTable(const preset::EvalSet& set) {
    const preset::EvalMetric metric = kMetrics[std::max(0, metric_->currentIndex())];
    const std::string reference = reference_->currentData().toString().toStdString();
    std::vector<std::string> files = set.files();
    std::vector<std::string> tests;
    for (const std::string& codec : set.codecs())
        if (codec != reference) tests.push_back(codec);
    bdTable_->clear();
    bdTable_->setRowCount(int(tests.size()));
    bdTable_->setColumnCount(int(files.size()) + 1);
    QStringList columns;
    columns << tr("Mean curve");
    for (const std::string& f : files) columns << QString::fromStdString(f);
    bdTable_->setHorizontalHeaderLabels(columns);
    for (int c = 1; c < bdTable_->columnCount(); ++c) bdTable_->horizontalHeaderItem(c)->setToolTip(columns[c]);
    QStringList rows;
    for (const std::string& t : tests) rows << codecName(t);
    bdTable_->setVerticalHeaderLabels(rows);
    const bool haveReference = set.hasCodec(reference);
    for (std::size_t r = 0; r < tests.size(); ++r) {
        for (std::size_t c = 0; c <= files.size(); ++c) {
            std::vector<RdSample> anchor, test;
            if (c == 0) {
                const auto common = set.commonFiles({reference, tests[r]});
                anchor = toSamples(set.meanCurve(reference, common, metric).points);
                test = toSamples(set.meanCurve(tests[r], common, metric).points);
            } else {
                anchor = toSamples(set.curve(reference, files[c - 1], metric));
                test = toSamples(set.curve(tests[r], files[c - 1], metric));
            }
            auto* item = new QTableWidgetItem;
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            // As the Charts view: no number from curves that share too little (rd_summary.h), the reason instead.
            const BdComparison bd = compareBd(anchor, test);
            if (haveReference && bd.rateStatus == BdStatus::Ok) {
                item->setText(tr("%1 %").arg(QLocale().toString(bd.bdRatePercent, 'f', 1)));
                item->setData(Qt::UserRole, bd.bdRatePercent);
                // Fewer bits than the reference for the same quality reads as better: green; more: red.
                item->setForeground(bd.bdRatePercent < 0 ? QColor(0, 130, 60) : QColor(190, 40, 40));
            } else {
                item->setText(tr("n/a"));
                item->setToolTip(haveReference ? ChartsPanel::bdReason(bd, true)
                                               : tr("The reference codec was not run on these maps."));
            }
            bdTable_->setItem(int(r), int(c), item);
        }
    }
    bdTable_->resizeColumnsToContents();
    for (int c = 0; c < bdTable_->columnCount(); ++c)  // long map names: the tooltip has the whole name
        bdTable_->setColumnWidth(c, std::min(bdTable_->columnWidth(c), 180));
    bdNote_->setText(tr("BD-rate of each codec against %1 in %2 (Pareto fronts, PCHIP): the bits it needs for the "
                        "same quality, negative = fewer. Mean curve: settings averaged over the maps both codecs have.")
                         .arg(reference_->currentText(), metric_->currentText()));
}

void MultiMapWindow::exportCsv() {
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Export Evaluation CSV"), QString(), tr("CSV files (*.csv)"));
    if (path.isEmpty()) return;
    QSaveFile file(path);
    const std::string text = evaluation_->csv();
    if (!file.open(QIODevice::WriteOnly) || file.write(text.data(), qint64(text.size())) != qint64(text.size()) ||
        !file.commit())
        QMessageBox::warning(this, tr("Export failed"),
                             tr("Could not write %1: %2").arg(QDir::toNativeSeparators(path), file.errorString()));
}

void MultiMapWindow::retranslate() {
    setWindowTitle(tr("Evaluate Several Maps"));
    mapsLabel_->setText(tr("Maps"));
    codecsLabel_->setText(tr("Codecs (current settings, production effort)"));
    addFiles_->setText(tr("Add Files…"));
    addFolder_->setText(tr("Add Folder…"));
    clear_->setText(tr("Clear"));
    run_->setText(tr("Run"));
    cancel_->setText(tr("Cancel"));
    export_->setText(tr("Export CSV…"));
    pointsLabel_->setText(tr("Points per codec"));
    mapViewLabel_->setText(tr("Curves of"));
    metricLabel_->setText(tr("BD metric"));
    referenceLabel_->setText(tr("Reference"));
    const QString metricNames[3] = {tr("mPSNR"), tr("log-PSNR"), tr("PU21-PSNR")};
    for (int i = 0; i < 3; ++i) metric_->setItemText(i, metricNames[i]);
    if (mapView_->count() > 0) mapView_->setItemText(0, tr("Mean over all maps"));
    refreshBdTable(preset::EvalSet(evaluation_->rows()));
}

void MultiMapWindow::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) retranslate();
    QWidget::changeEvent(event);
}

}  // namespace lmc::studio
