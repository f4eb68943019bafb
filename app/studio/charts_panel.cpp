#include "app/studio/charts_panel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QShowEvent>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

#include "app/studio/param_editor.h"
#include "app/studio/workspace_model.h"
#include "codec/bd_rate.h"
#include "codec/metrics.h"

namespace lmc::studio {

namespace {

QTableWidget* makeTable(QWidget* parent, int columns) {
    auto* table = new QTableWidget(0, columns, parent);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionMode(QAbstractItemView::NoSelection);
    table->setFocusPolicy(Qt::NoFocus);
    table->verticalHeader()->hide();
    table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table->horizontalHeader()->setStretchLastSection(true);
    table->setWordWrap(false);
    return table;
}

QTableWidgetItem* cell(const QString& text, const QString& tip = QString(), bool number = false) {
    auto* item = new QTableWidgetItem(text);
    if (!tip.isEmpty()) item->setToolTip(tip);
    if (number) item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

QString fixed(double v, int decimals) {
    return QLocale().toString(v, 'f', decimals);
}

// Codecs whose rate the model sweeps, in the panel's order.
bool sweepable(const CodecState& s) {
    return s.enabled && s.codec->rateParam().has_value();
}

}  // namespace

ChartsPanel::ChartsPanel(WorkspaceModel& model, QWidget* parent) : QWidget(parent), model_(model) {
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(6);
    chart_ = new RdChartView(this);
    chart_->setShownMetrics({metric_});  // one large chart; the metric choice switches it
    chart_->setObjectName(QStringLiteral("chartView"));
    layout->addWidget(chart_, 1);

    auto* side = new QWidget(this);
    side->setObjectName(QStringLiteral("chartsSide"));
    side->setMinimumWidth(400);
    side->setMaximumWidth(440);
    side->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Preferred);
    auto* sl = new QVBoxLayout(side);
    sl->setContentsMargins(4, 4, 4, 4);
    logAxisCheck_ = new QCheckBox(side);
    logAxisCheck_->setObjectName(QStringLiteral("logAxisCheck"));
    logAxisCheck_->setChecked(chart_->logRateAxis());
    sl->addWidget(logAxisCheck_);
    auto* form = new QGridLayout;
    metricLabel_ = new QLabel(side);
    metricCombo_ = new QComboBox(side);
    metricCombo_->setObjectName(QStringLiteral("readoutMetricCombo"));
    metricCombo_->addItem(QString(), int(RdChartView::Metric::MPsnr));
    metricCombo_->addItem(QString(), int(RdChartView::Metric::Ssim));
    metricLabel_->setBuddy(metricCombo_);
    targetLabel_ = new QLabel(side);
    targetKindCombo_ = new QComboBox(side);
    targetKindCombo_->setObjectName(QStringLiteral("targetKindCombo"));
    for (auto kind :
         {RdChartView::Target::Kind::None, RdChartView::Target::Kind::Rate, RdChartView::Target::Kind::Quality})
        targetKindCombo_->addItem(QString(), int(kind));
    targetKindCombo_->setCurrentIndex(targetKindCombo_->findData(int(targetKind_)));
    targetLabel_->setBuddy(targetKindCombo_);
    targetSpin_ = new QDoubleSpinBox(side);
    targetSpin_->setObjectName(QStringLiteral("targetSpin"));
    targetSpin_->setKeyboardTracking(false);
    referenceLabel_ = new QLabel(side);
    referenceCombo_ = new QComboBox(side);
    referenceCombo_->setObjectName(QStringLiteral("referenceCombo"));
    referenceLabel_->setBuddy(referenceCombo_);
    form->addWidget(metricLabel_, 0, 0);
    form->addWidget(metricCombo_, 0, 1, 1, 2);
    form->addWidget(targetLabel_, 1, 0);
    form->addWidget(targetKindCombo_, 1, 1);
    form->addWidget(targetSpin_, 1, 2);
    form->setColumnStretch(1, 1);
    sl->addLayout(form);
    targetCaption_ = new QLabel(side);
    targetCaption_->setWordWrap(true);
    sl->addWidget(targetCaption_);
    targetTable_ = makeTable(side, 3);
    targetTable_->setObjectName(QStringLiteral("targetTable"));
    sl->addWidget(targetTable_, 1);
    auto* refRow = new QHBoxLayout;
    refRow->addWidget(referenceLabel_);
    refRow->addWidget(referenceCombo_, 1);
    sl->addLayout(refRow);
    bdCaption_ = new QLabel(side);
    bdCaption_->setWordWrap(true);
    sl->addWidget(bdCaption_);
    bdTable_ = makeTable(side, 4);
    bdTable_->setObjectName(QStringLiteral("bdTable"));
    sl->addWidget(bdTable_, 1);
    layout->addWidget(side);

    connect(logAxisCheck_, &QCheckBox::toggled, this, [this](bool on) { setLogRateAxis(on); });
    connect(metricCombo_, qOverload<int>(&QComboBox::activated), this,
            [this](int i) { setReadoutMetric(RdChartView::Metric(metricCombo_->itemData(i).toInt())); });
    connect(targetKindCombo_, qOverload<int>(&QComboBox::activated), this, [this](int i) {
        const auto kind = RdChartView::Target::Kind(targetKindCombo_->itemData(i).toInt());
        setTarget(kind, kind == RdChartView::Target::Kind::Quality ? targetQuality_ : targetRate_);
    });
    connect(targetSpin_, qOverload<double>(&QDoubleSpinBox::valueChanged), this,
            [this](double v) { setTarget(targetKind_, v); });
    connect(referenceCombo_, qOverload<int>(&QComboBox::activated), this,
            [this](int i) { setReference(referenceCombo_->itemData(i).toString().toStdString()); });
    connect(chart_, &RdChartView::pointClicked, this, [this](const QString& key, int index) {
        model_.guarded(QT_TRANSLATE_NOOP("lmc::studio::WorkspaceModel", "applying a chart point"), [&] {
            if (model_.applySweepPoint(key.toStdString(), index)) emit pointApplied(key.toStdString());
        });
    });
    connectModel();
    chart_->setTarget({targetKind_, metric_, targetRate_});
    updateTargetSpin();
    retranslate();
}

void ChartsPanel::connectModel() {
    connect(&model_, &WorkspaceModel::imageLoaded, this, [this] {
        chart_->clearData();
        refresh();
    });
    for (auto signal : {&WorkspaceModel::codecMetricsChanged, &WorkspaceModel::codecTimesChanged})
        connect(&model_, signal, this, [this](const QString& key) { updateCurrent(key.toStdString()); });
    connect(&model_, &WorkspaceModel::codecEnabledChanged, this, [this](const QString& key, bool enabled) {
        if (!enabled) chart_->removeCodec(key);
        refresh();
    });
    connect(&model_, &WorkspaceModel::sweepStateChanged, this, [this](const QString& key) {
        // A sweep (re)started: its curve starts empty. Progress ticks leave the chart alone.
        const CodecState* s = model_.state(key.toStdString());
        if (!s->enabled || !s->sweep.empty() || !s->sweepActive) return;
        if (chart_->codecs().contains(key) && chart_->curvePoints(key, RdChartView::Metric::MPsnr).empty()) return;
        chart_->setCodec(key, model_.chainTitle(s->id));
        chart_->setCurve(key, {});
        refresh();
    });
    // A new end point: the series is renamed and its old curve dropped until the chain's sweep fills it again.
    connect(&model_, &WorkspaceModel::gpuFormatChanged, this, [this](const QString& key) {
        const CodecState* s = model_.state(key.toStdString());
        if (!s || !s->enabled) return;
        updateCurve(s->id);
        updateCurrent(s->id);
        refresh();
    });
    connect(&model_, &WorkspaceModel::sweepPointAdded, this, [this](const QString& key) {
        updateCurve(key.toStdString());
        refresh();
    });
}

void ChartsPanel::updateCurve(const std::string& codecId) {
    const CodecState* s = model_.state(codecId);
    if (!s) return;
    std::vector<RdPoint> curve;
    for (const SweepPoint& p : s->sweep)
        curve.push_back(RdPoint{p.bitsPerTexel, p.mPsnr >= kPsnrCapDb ? std::nan("") : p.mPsnr, p.ssim, std::nan(""),
                                settingLabel(*s, p)});
    chart_->setCodec(s->key, model_.chainTitle(s->id));
    chart_->setCurve(s->key, curve);
}

void ChartsPanel::updateCurrent(const std::string& codecId) {
    const CodecState* s = model_.state(codecId);
    if (!s) return;
    chart_->setCodec(s->key, model_.chainTitle(s->id));
    if (!s->result || !s->result->hasMetrics) return;
    const CompressionResult& r = *s->result;
    const auto finite = [](double v) { return v >= kPsnrCapDb ? std::nan("") : v; };
    chart_->setCurrent(s->key, RdPoint{r.bitsPerTexel, finite(r.metrics.mPsnr), r.metrics.pu21Ssim});
    chart_->setTimes(s->key, r.encodeMs, r.decodeMs);
}

std::vector<RdSample> ChartsPanel::samples(const CodecState& s, RdChartView::Metric metric) {
    std::vector<RdSample> out;
    for (std::size_t i = 0; i < s.sweep.size(); ++i) {
        const SweepPoint& p = s.sweep[i];
        const double q = metric == RdChartView::Metric::Ssim ? ssimDecibels(p.ssim)
                         : p.mPsnr >= kPsnrCapDb             ? std::nan("")
                                                             : p.mPsnr;
        out.push_back(RdSample{p.bitsPerTexel, q, int(i)});
    }
    return out;
}

QString ChartsPanel::settingLabel(const CodecState& s, const SweepPoint& p) {
    const auto rate = s.codec->rateParam();
    if (!rate) return QString::fromStdString(formatParamSet(s.codec->schema(), p.params));
    // Swept float values are evenly spaced (4.32143...): three significant digits name them well enough.
    const QString value = rate->type == ParamType::Enum ? ParamEditor::choiceText(*rate, int(p.rateValue))
                          : rate->type == ParamType::Float
                              ? QLocale().toString(p.rateValue, 'g', 3)
                              : QString::fromStdString(formatParamValue(*rate, p.rateValue));
    return tr("%1 %2").arg(ParamEditor::translatedLabel(*rate), value);
}

void ChartsPanel::setLogRateAxis(bool on) {
    chart_->setLogRateAxis(on);
    if (logAxisCheck_->isChecked() != on) {
        QSignalBlocker block(logAxisCheck_);
        logAxisCheck_->setChecked(on);
    }
}

void ChartsPanel::setReadoutMetric(RdChartView::Metric metric) {
    if (metric != RdChartView::Metric::MPsnr && metric != RdChartView::Metric::Ssim) return;
    metric_ = metric;
    metricCombo_->setCurrentIndex(metricCombo_->findData(int(metric)));
    chart_->setShownMetrics({metric});
    setTarget(targetKind_, targetKind_ == RdChartView::Target::Kind::Quality ? targetQuality_ : targetRate_);
}

void ChartsPanel::setTarget(RdChartView::Target::Kind kind, double value) {
    targetKind_ = kind;
    if (kind == RdChartView::Target::Kind::Rate) targetRate_ = value;
    if (kind == RdChartView::Target::Kind::Quality) targetQuality_ = value;
    {
        QSignalBlocker block(targetKindCombo_);
        targetKindCombo_->setCurrentIndex(targetKindCombo_->findData(int(kind)));
    }
    updateTargetSpin();
    chart_->setTarget({kind, metric_, value});
    refresh();
}

QVariantMap ChartsPanel::saveChoices() const {
    static const char* const kinds[] = {"none", "rate", "quality"};
    return {{QStringLiteral("logAxis"), logAxisCheck_->isChecked()},
            {QStringLiteral("metric"),
             metric_ == RdChartView::Metric::Ssim ? QStringLiteral("ssim") : QStringLiteral("mpsnr")},
            {QStringLiteral("target"), QString::fromLatin1(kinds[int(targetKind_)])},
            {QStringLiteral("rate"), targetRate_},
            {QStringLiteral("quality"), targetQuality_},
            {QStringLiteral("reference"), QString::fromStdString(reference_)}};
}

void ChartsPanel::restoreChoices(const QVariantMap& choices) {
    if (const QVariant v = choices.value(QStringLiteral("logAxis")); v.isValid()) setLogRateAxis(v.toBool());
    const QString metric = choices.value(QStringLiteral("metric")).toString();
    if (metric == QLatin1String("ssim")) setReadoutMetric(RdChartView::Metric::Ssim);
    if (metric == QLatin1String("mpsnr")) setReadoutMetric(RdChartView::Metric::MPsnr);
    bool ok = false;
    if (const double rate = choices.value(QStringLiteral("rate")).toDouble(&ok); ok && rate > 0 && rate <= 64)
        targetRate_ = rate;
    if (const double q = choices.value(QStringLiteral("quality")).toDouble(&ok); ok && q >= 0 && q <= 150)
        targetQuality_ = q;
    const QString target = choices.value(QStringLiteral("target")).toString();
    RdChartView::Target::Kind kind = targetKind_;
    if (target == QLatin1String("none")) kind = RdChartView::Target::Kind::None;
    if (target == QLatin1String("rate")) kind = RdChartView::Target::Kind::Rate;
    if (target == QLatin1String("quality")) kind = RdChartView::Target::Kind::Quality;
    setTarget(kind, kind == RdChartView::Target::Kind::Quality ? targetQuality_ : targetRate_);
    if (const QString ref = choices.value(QStringLiteral("reference")).toString(); !ref.isEmpty())
        setReference(ref.toStdString());
}

void ChartsPanel::setReference(const std::string& codecId) {
    reference_ = codecId;
    refresh();
}

void ChartsPanel::updateTargetSpin() {
    QSignalBlocker block(targetSpin_);
    const bool quality = targetKind_ == RdChartView::Target::Kind::Quality;
    targetSpin_->setEnabled(targetKind_ != RdChartView::Target::Kind::None);
    targetSpin_->setDecimals(quality ? 1 : 2);
    targetSpin_->setRange(quality ? 0.0 : 0.01, quality ? 150.0 : 64.0);
    targetSpin_->setSingleStep(quality ? 0.5 : 0.1);
    targetSpin_->setSuffix(quality ? tr(" dB") : tr(" bpp"));
    targetSpin_->setValue(quality ? targetQuality_ : targetRate_);
}

void ChartsPanel::updateReferenceCombo() {
    QSignalBlocker block(referenceCombo_);
    referenceCombo_->clear();
    for (const auto& s : model_.codecs())
        if (sweepable(*s)) referenceCombo_->addItem(model_.chainTitle(s->id), s->key);
    int index = referenceCombo_->findData(QString::fromStdString(reference_));
    referenceCombo_->setCurrentIndex(std::max(0, index));
}

void ChartsPanel::refresh() {
    // Sweep points arrive while other views are shown: the tables catch up when this one is shown.
    if (!isVisible()) {
        stale_ = true;
        return;
    }
    stale_ = false;
    updateReferenceCombo();
    // The reference shown: the user's pick, else the first sweepable codec (the pick is kept for when it returns).
    const CodecState* ref = model_.state(reference_);
    if (!ref || !sweepable(*ref)) ref = nullptr;
    if (!ref && referenceCombo_->count() > 0) ref = model_.state(referenceCombo_->itemData(0).toString().toStdString());

    targetRows_.clear();
    bdRows_.clear();
    for (const auto& s : model_.codecs()) {
        if (!sweepable(*s)) continue;
        const std::vector<RdSample> curve = samples(*s, metric_);
        if (targetKind_ == RdChartView::Target::Kind::Rate)
            targetRows_.push_back({s->id, readAtRate(curve, targetRate_)});
        else if (targetKind_ == RdChartView::Target::Kind::Quality)
            targetRows_.push_back({s->id, readAtQuality(curve, targetQuality_)});
        if (ref && ref != s.get()) bdRows_.push_back({s->id, compareBd(samples(*ref, metric_), curve)});
    }
    // Best first: the most quality at a bitrate, the fewest bits for a quality; readings without a number last. A
    // bound counts as its number: a curve ending below the bitrate target reached at least its last quality, one
    // starting above the quality target needs at most its first bitrate.
    const bool rate = targetKind_ == RdChartView::Target::Kind::Rate;
    auto ranked = [rate](const TargetReading& r) {
        return r.status == ReadoutStatus::Ok ||
               r.status == (rate ? ReadoutStatus::AboveRange : ReadoutStatus::BelowRange);
    };
    std::stable_sort(targetRows_.begin(), targetRows_.end(), [rate, ranked](const TargetRow& a, const TargetRow& b) {
        const bool okA = ranked(a.reading), okB = ranked(b.reading);
        if (okA != okB) return okA;
        if (!okA) return false;
        return rate ? a.reading.quality > b.reading.quality : a.reading.bpp < b.reading.bpp;
    });
    // Fewest bits first; codecs without a BD-rate last.
    std::stable_sort(bdRows_.begin(), bdRows_.end(), [](const BdRow& a, const BdRow& b) {
        const bool okA = a.bd.rateStatus == BdStatus::Ok, okB = b.bd.rateStatus == BdStatus::Ok;
        if (okA != okB) return okA;
        return okA && a.bd.bdRatePercent < b.bd.bdRatePercent;
    });
    fillTargetTable();
    fillBdTable();
}

QString ChartsPanel::metricName() const {
    return metric_ == RdChartView::Metric::Ssim ? tr("PU21-SSIM") : tr("mPSNR");
}

void ChartsPanel::fillTargetTable() {
    const bool rate = targetKind_ == RdChartView::Target::Kind::Rate;
    targetTable_->setVisible(targetKind_ != RdChartView::Target::Kind::None);
    if (targetKind_ == RdChartView::Target::Kind::None) {
        targetCaption_->setText(tr("Pick a target bitrate or quality to read every codec at it."));
        targetTable_->setRowCount(0);
        return;
    }
    targetCaption_->setText(rate ? tr("At %1 bpp: %2 on each codec's curve and its best setting within that "
                                      "budget, best first.")
                                       .arg(fixed(targetRate_, 2), metricName())
                                 : tr("At %1 dB %2: the bitrate each codec needs and its cheapest setting that "
                                      "reaches it, fewest bits first.")
                                       .arg(fixed(targetQuality_, 1), metricName()));
    targetTable_->setHorizontalHeaderLabels(
        {tr("Codec"), rate ? tr("%1 (dB)").arg(metricName()) : tr("bpp"), tr("Setting")});
    targetTable_->setRowCount(int(targetRows_.size()));
    for (int r = 0; r < int(targetRows_.size()); ++r) {
        const TargetRow& row = targetRows_[std::size_t(r)];
        const CodecState* s = model_.state(row.codecId);
        const TargetReading& t = row.reading;
        QString value, why;
        switch (t.status) {
            case ReadoutStatus::Ok:
                value = rate ? fixed(t.quality, 2) : fixed(t.bpp, 3);
                break;
            case ReadoutStatus::NoCurve:
                value = tr("n/a");
                why = tr("No swept points yet: run its sweep.");
                break;
            case ReadoutStatus::BelowRange:
                value = rate ? tr("n/a") : tr("< %1").arg(fixed(t.bpp, 3));
                why = rate ? tr("Its lowest setting needs more than %1 bpp.").arg(fixed(targetRate_, 2))
                           : tr("Its lowest setting already exceeds the target; the curve does not go lower.");
                break;
            case ReadoutStatus::AboveRange:
                value = rate ? tr("≥ %1").arg(fixed(t.quality, 2)) : tr("n/a");
                why = rate ? tr("Its highest setting uses fewer bits; the curve ends before the target.")
                           : tr("No swept setting reaches %1 dB.").arg(fixed(targetQuality_, 1));
                break;
        }
        QString setting, settingTip = why;
        if (t.index >= 0 && s && std::size_t(t.index) < s->sweep.size()) {
            setting = settingLabel(*s, s->sweep[std::size_t(t.index)]);
            settingTip = tr("%1: %2 bpp, %3 dB").arg(setting, fixed(t.settingBpp, 3), fixed(t.settingQuality, 2));
        }
        targetTable_->setItem(r, 0, cell(model_.chainTitle(row.codecId)));
        targetTable_->setItem(r, 1, cell(value, why, true));
        targetTable_->setItem(r, 2, cell(setting.isEmpty() ? QStringLiteral("—") : setting, settingTip));
    }
}

QString ChartsPanel::bdReason(const BdComparison& c, bool rateSide) {
    switch (rateSide ? c.rateStatus : c.qualityStatus) {
        case BdStatus::Ok:
            return {};
        case BdStatus::TooFewPoints:
            return tr("Needs at least two swept points on both curves.");
        case BdStatus::NoOverlap:
            return rateSide ? tr("The curves share no quality range.") : tr("The curves share no bitrate range.");
        case BdStatus::OverlapTooSmall:
            return rateSide ? tr("The curves share only %1–%2 dB; BD-rate needs at least %3 dB in common.")
                                  .arg(fixed(c.qualityLo, 2), fixed(c.qualityHi, 2), fixed(kMinBdQualityOverlapDb, 1))
                            : tr("The curves share only %1–%2 bpp; BD-PSNR needs a 10% wider bitrate range.")
                                  .arg(fixed(c.bppLo, 3), fixed(c.bppHi, 3));
        case BdStatus::Failed:
            return tr("The curves cannot be compared (a quality that does not rise with the bitrate).");
    }
    return {};
}

void ChartsPanel::fillBdTable() {
    const CodecState* ref = model_.state(referenceCombo_->currentData().toString().toStdString());
    const QString refName = ref ? model_.chainTitle(ref->id) : QString();
    bdCaption_->setText(ref ? tr("Against %1 on %2: BD-rate is the bitrate change at equal quality (negative saves "
                                 "bits), BD-PSNR the quality change at equal bitrate, over the range both curves "
                                 "cover.")
                                  .arg(refName, metricName())
                            : tr("No codec has a rate to sweep."));
    bdTable_->setHorizontalHeaderLabels({tr("Codec"), tr("BD-rate"),
                                         metric_ == RdChartView::Metric::Ssim ? tr("BD-SSIM (dB)") : tr("BD-PSNR"),
                                         tr("Overlap")});
    bdTable_->setRowCount(int(bdRows_.size()));
    for (int r = 0; r < int(bdRows_.size()); ++r) {
        const BdComparison& c = bdRows_[std::size_t(r)].bd;
        const QString rateWhy = bdReason(c, true), qualityWhy = bdReason(c, false);
        const QString rateText =
            c.rateStatus == BdStatus::Ok ? tr("%1%").arg(QLocale().toString(c.bdRatePercent, 'f', 1)) : tr("n/a");
        const QString qualityText =
            c.qualityStatus == BdStatus::Ok ? tr("%1 dB").arg(QLocale().toString(c.bdQualityDb, 'f', 2)) : tr("n/a");
        // The column shows the quality range BD-rate used; the tooltip both ranges.
        const bool qualityShared = c.rateStatus != BdStatus::TooFewPoints && c.qualityHi > c.qualityLo;
        const bool rateShared = c.qualityStatus != BdStatus::TooFewPoints && c.bppHi > c.bppLo;
        const QString qualityRange =
            qualityShared ? tr("%1–%2 dB").arg(fixed(c.qualityLo, 1), fixed(c.qualityHi, 1)) : QString();
        const QString rateRange = rateShared ? tr("%1–%2 bpp").arg(fixed(c.bppLo, 2), fixed(c.bppHi, 2)) : QString();
        const QString overlapTip =
            tr("BD-rate is averaged over the shared quality range (%1), BD-PSNR over the shared bitrate range (%2).")
                .arg(qualityShared ? qualityRange : tr("none"), rateShared ? rateRange : tr("none"));
        bdTable_->setItem(r, 0, cell(model_.chainTitle(bdRows_[std::size_t(r)].codecId)));
        bdTable_->setItem(r, 1, cell(rateText, rateWhy.isEmpty() ? overlapTip : rateWhy, true));
        bdTable_->setItem(r, 2, cell(qualityText, qualityWhy.isEmpty() ? overlapTip : qualityWhy, true));
        bdTable_->setItem(r, 3, cell(qualityShared ? qualityRange : QStringLiteral("—"), overlapTip));
    }
}

void ChartsPanel::retranslate() {
    logAxisCheck_->setText(tr("Log bitrate axis"));
    logAxisCheck_->setToolTip(tr("Bits per texel on a log scale, so the low rates that matter are not squeezed"));
    metricLabel_->setText(tr("Metric"));
    metricCombo_->setItemText(0, tr("mPSNR"));
    metricCombo_->setItemText(1, tr("PU21-SSIM (dB)"));
    metricCombo_->setToolTip(tr("The metric the target readout and the BD table use"));
    targetLabel_->setText(tr("Target"));
    targetKindCombo_->setItemText(0, tr("None"));
    targetKindCombo_->setItemText(1, tr("Bitrate"));
    targetKindCombo_->setItemText(2, tr("Quality"));
    targetKindCombo_->setToolTip(tr("Draw a line at a bitrate or a quality and read every codec at it"));
    referenceLabel_->setText(tr("BD against"));
    referenceCombo_->setToolTip(tr("The reference codec of the Bjøntegaard table"));
    updateTargetSpin();
    // Legend names and tooltips' settings follow the language.
    for (const QString& key : chart_->codecs()) {
        const CodecState* s = model_.state(key.toStdString());
        if (!s) continue;
        chart_->setCodec(key, model_.chainTitle(s->id));
        if (!s->sweep.empty()) updateCurve(s->id);
    }
    refresh();
}

void ChartsPanel::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    if (stale_) refresh();
}

void ChartsPanel::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) retranslate();
    QWidget::changeEvent(event);
}

}  // namespace lmc::studio
