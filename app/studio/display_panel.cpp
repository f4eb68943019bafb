#include "app/studio/display_panel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSlider>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

#include "app/studio/error_text.h"
#include "app/studio/workspace_model.h"
#include "widgets/metrics_panel.h"

namespace lmc::studio {
namespace {
constexpr double kHalfFloatRgbBits = 48.0;  // what the ratio row compares against
}

QString psnrText(double db) {
    if (!std::isfinite(db)) return QStringLiteral("–");
    if (db >= kPsnrCapDb) return QStringLiteral("∞");
    return QLocale().toString(db, 'f', 2);
}

DisplayPanel::DisplayPanel(WorkspaceModel& model, QWidget* parent) : QWidget(parent), model_(model) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(8);

    viewGroup_ = new QGroupBox(this);
    auto* viewLayout = new QVBoxLayout(viewGroup_);
    exposureLabel_ = new QLabel(viewGroup_);
    exposureSlider_ = new QSlider(Qt::Horizontal, viewGroup_);
    exposureSlider_->setObjectName(QStringLiteral("exposureSlider"));
    exposureSlider_->setRange(-200, 200);
    exposureSlider_->setPageStep(10);
    exposureSpin_ = new QDoubleSpinBox(viewGroup_);
    exposureSpin_->setObjectName(QStringLiteral("exposureSpin"));
    exposureSpin_->setRange(-20.0, 20.0);
    exposureSpin_->setDecimals(1);
    exposureSpin_->setSingleStep(0.1);
    exposureSpin_->setAlignment(Qt::AlignRight);
    exposureLabel_->setBuddy(exposureSpin_);
    autoExposureButton_ = new QToolButton(viewGroup_);
    auto* exposureHeader = new QHBoxLayout;
    exposureHeader->addWidget(exposureLabel_, 1);
    exposureHeader->addWidget(exposureSpin_);
    exposureHeader->addWidget(autoExposureButton_);
    viewLayout->addLayout(exposureHeader);
    viewLayout->addWidget(exposureSlider_);
    toneCurveLabel_ = new QLabel(viewGroup_);
    toneCurveCombo_ = new QComboBox(viewGroup_);
    toneCurveCombo_->setObjectName(QStringLiteral("toneCurveCombo"));
    for (ToneCurve c : {ToneCurve::Srgb, ToneCurve::Aces, ToneCurve::Clamp})
        toneCurveCombo_->addItem(QString(), int(c));
    toneCurveLabel_->setBuddy(toneCurveCombo_);
    auto* curveRow = new QHBoxLayout;
    curveRow->addWidget(toneCurveLabel_);
    curveRow->addWidget(toneCurveCombo_, 1);
    viewLayout->addLayout(curveRow);
    channelLabel_ = new QLabel(viewGroup_);
    channelCombo_ = new QComboBox(viewGroup_);
    channelCombo_->setObjectName(QStringLiteral("channelCombo"));
    for (ToneChannel c :
         {ToneChannel::Rgb, ToneChannel::Red, ToneChannel::Green, ToneChannel::Blue, ToneChannel::Luminance})
        channelCombo_->addItem(QString(), int(c));
    channelLabel_->setBuddy(channelCombo_);
    auto* channelRow = new QHBoxLayout;
    channelRow->addWidget(channelLabel_);
    channelRow->addWidget(channelCombo_, 1);
    viewLayout->addLayout(channelRow);
    connect(channelCombo_, qOverload<int>(&QComboBox::currentIndexChanged), this, &DisplayPanel::displayChanged);
    falseColourCheck_ = new QCheckBox(viewGroup_);
    falseColourCheck_->setObjectName(QStringLiteral("falseColourCheck"));
    viewLayout->addWidget(falseColourCheck_);
    connect(exposureSlider_, &QSlider::valueChanged, this, [this](int v) { setExposure(v / 10.0); });
    connect(exposureSpin_, qOverload<double>(&QDoubleSpinBox::valueChanged), this,
            [this](double v) { setExposure(v); });
    connect(toneCurveCombo_, qOverload<int>(&QComboBox::currentIndexChanged), this, &DisplayPanel::displayChanged);
    connect(falseColourCheck_, &QCheckBox::toggled, this, &DisplayPanel::displayChanged);

    metricsGroup_ = new QGroupBox(this);
    auto* metricsLayout = new QVBoxLayout(metricsGroup_);
    auto* maskRow = new QHBoxLayout;
    maskLabel_ = new QLabel(metricsGroup_);
    maskCombo_ = new QComboBox(metricsGroup_);
    maskCombo_->setObjectName(QStringLiteral("maskCombo"));
    for (int i = 0; i < 3; ++i) maskCombo_->addItem(QString());
    maskLabel_->setBuddy(maskCombo_);
    maskRow->addWidget(maskLabel_);
    maskRow->addWidget(maskCombo_, 1);
    metricsLayout->addLayout(maskRow);
    connect(maskCombo_, qOverload<int>(&QComboBox::activated), this,
            [this](int index) { emit maskModeRequested(MaskMode(std::clamp(index, 0, 2))); });
    metrics_ = new MetricsPanel(metricsGroup_);
    metrics_->setObjectName(QStringLiteral("metricsPanel"));
    metricsLayout->addWidget(metrics_);
    layout->addWidget(viewGroup_);
    layout->addWidget(metricsGroup_);

    // The quality part follows the selected codec.
    auto selected = [this](const QString& id) { return id.toStdString() == selected_; };
    connect(&model_, &WorkspaceModel::maskModeChanged, this, [this](MaskMode mode) {
        QSignalBlocker block(maskCombo_);
        maskCombo_->setCurrentIndex(int(mode));
    });
    connect(&model_, &WorkspaceModel::codecBusyChanged, this, [this, selected](const QString& id) {
        if (const CodecState* s = model_.state(id.toStdString()); s && selected(id)) metrics_->setPending(s->busy);
    });
    connect(&model_, &WorkspaceModel::codecResultChanged, this, [this, selected](const QString& id) {
        if (!selected(id)) return;
        showResult();
        metrics_->setPending(true);
    });
    connect(&model_, &WorkspaceModel::codecMetricsChanged, this, [this, selected](const QString& id) {
        if (!selected(id)) return;
        showResult();
        metrics_->setPending(false);
        const CodecState* s = model_.state(selected_);
        if (s->result && s->result->metricsError) metrics_->setError(errorText(*s->result->metricsError));
    });
    connect(&model_, &WorkspaceModel::codecTimesChanged, this, [this, selected](const QString& id) {
        if (selected(id)) showResult();
    });
    connect(&model_, &WorkspaceModel::codecFailed, this, [this, selected](const QString& id, const Error& error) {
        if (!selected(id)) return;
        metrics_->setPending(false);
        metrics_->setError(tr("Compression failed: %1").arg(errorText(error)));
    });
    connect(&model_, &WorkspaceModel::imageLoaded, this, [this] { metrics_->clear(); });
}

void DisplayPanel::setExposure(double ev) {
    if (!std::isfinite(ev)) return;
    ev = std::clamp(std::round(ev * 10.0) / 10.0, -20.0, 20.0);
    {
        QSignalBlocker b1(exposureSpin_), b2(exposureSlider_);
        exposureSpin_->setValue(ev);
        exposureSlider_->setValue(int(std::lround(ev * 10.0)));
    }
    emit displayChanged();
}

ToneMapOptions DisplayPanel::toneMapOptions(bool dimUncovered) const {
    ToneMapOptions options;
    options.exposureEv = exposureSpin_->value();
    options.dimUncovered = dimUncovered;
    options.curve = ToneCurve(toneCurveCombo_->currentData().toInt());
    options.falseColour = falseColourCheck_->isChecked();
    options.channel = ToneChannel(channelCombo_->currentData().toInt());
    return options;
}

void DisplayPanel::setSelected(const std::string& codecId) {
    selected_ = codecId;
    showResult();
}

void DisplayPanel::showResult() {
    const CodecState* s = model_.state(selected_);
    metricsGroup_->setTitle(s ? tr("Quality: %1").arg(codecDisplayName(model_.registry(), s->id))
                              : tr("Reconstruction quality"));
    if (!s || !s->result) {
        metrics_->clear();
        return;
    }
    const CompressionResult& r = *s->result;
    MetricsValues values = r.hasMetrics ? MetricsValues{} : metrics_->values();
    values.bytes = std::int64_t(r.bytes);
    values.bitsPerTexel = r.bitsPerTexel;
    if (const double gpu = s->codec->traits(r.params).gpuBitsPerTexel; gpu > 0) values.gpuBitsPerTexel = gpu;
    values.referenceBitsPerTexel = kHalfFloatRgbBits;
    values.encodeMs = r.encodeMs;
    values.decodeMs = r.decodeMs;
    values.timesShared = r.timesShared;
    if (r.hasMetrics) {
        values.metricsMs = r.metricsMs;
        values.mPsnr = r.metrics.mPsnr;
        values.logPsnr = r.metrics.logPsnr;
        values.pu21Psnr = r.metrics.pu21Psnr;
        values.ssim = r.metrics.pu21Ssim;
    }
    metrics_->setValues(values);
    metrics_->setError(QString());
}

void DisplayPanel::retranslate() {
    const QString curves[3] = {tr("sRGB"), tr("ACES filmic"), tr("Clamp (linear)")};
    for (int i = 0; i < 3; ++i) toneCurveCombo_->setItemText(i, curves[i]);
    toneCurveCombo_->setToolTip(
        tr("How linear values become display values: sRGB clips at white, ACES rolls "
           "highlights off, clamp shows linear values without a curve"));
    toneCurveLabel_->setText(tr("Tone curve"));
    channelLabel_->setText(tr("C&hannel"));
    const QString channels[5] = {tr("Colour (RGB)"), tr("Red"), tr("Green"), tr("Blue"), tr("Luminance")};
    for (int i = 0; i < 5; ++i) channelCombo_->setItemText(i, channels[i]);
    channelCombo_->setToolTip(
        tr("Show the colour picture, or one channel (or the luminance) as grey through the same exposure and curve"));
    falseColourCheck_->setText(tr("False colour (±6 EV)"));
    falseColourCheck_->setToolTip(tr("Luminance in stops around middle grey: blue dark, green mid, red bright"));
    viewGroup_->setTitle(tr("Display"));
    exposureLabel_->setText(tr("Exposure"));
    exposureSpin_->setSuffix(tr(" EV"));
    exposureSpin_->setToolTip(tr("Display exposure in stops; it changes only the view, not the compression."));
    exposureSlider_->setToolTip(exposureSpin_->toolTip());
    const CodecState* s = model_.state(selected_);
    metricsGroup_->setTitle(s ? tr("Quality: %1").arg(codecDisplayName(model_.registry(), s->id))
                              : tr("Reconstruction quality"));
    maskLabel_->setText(tr("Te&xels"));
    maskCombo_->setItemText(int(MaskMode::Visible), tr("Visible (charts + filter ring)"));
    maskCombo_->setItemText(int(MaskMode::Covered), tr("Covered (charts only)"));
    maskCombo_->setItemText(int(MaskMode::All), tr("All texels"));
    maskCombo_->setToolTip(
        tr("Which texels the metrics, error maps and charts count. Visible: the UV charts and the one-texel ring "
           "around them that bilinear filtering shows in game. Covered: the charts only. All: every texel, gutters "
           "included."));
}

}  // namespace lmc::studio
