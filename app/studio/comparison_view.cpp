#include "app/studio/comparison_view.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

#include "app/studio/charts_panel.h"
#include "app/studio/codec_blocks.h"
#include "app/studio/comparison_service.h"
#include "app/studio/display_panel.h"
#include "app/studio/error_text.h"
#include "app/studio/param_editor.h"
#include "app/studio/workspace_model.h"
#include "widgets/heatmap.h"
#include "widgets/metrics_table.h"
#include "widgets/rd_chart.h"

namespace lmc::studio {
namespace {
const QString kOriginalKey = QStringLiteral("original");
}

ComparisonView::ComparisonView(WorkspaceModel& model, ComparisonService& comparison, QWidget* parent)
    : QWidget(parent), model_(model), comparison_(comparison), splitA_(kOriginalKey) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 4, 0, 0);
    layout->setSpacing(4);
    layout->addWidget(buildModeBar());

    stack_ = new QStackedWidget(this);
    grid_ = new TileGridView;
    grid_->setObjectName(QStringLiteral("gridView"));
    view_ = new SplitView;
    view_->setObjectName(QStringLiteral("splitView"));
    auto* heatPage = new QWidget;
    auto* hp = new QVBoxLayout(heatPage);
    hp->setContentsMargins(0, 0, 0, 0);
    hp->setSpacing(0);
    heatGrid_ = new TileGridView(heatPage);
    heatGrid_->setObjectName(QStringLiteral("heatmapView"));
    legend_ = new HeatmapLegend(heatPage);
    legend_->setObjectName(QStringLiteral("heatmapLegend"));
    hp->addWidget(heatGrid_, 1);
    hp->addWidget(legend_);
    chartsPanel_ = new ChartsPanel(model_);
    chartsPanel_->setObjectName(QStringLiteral("chartsPanel"));
    charts_ = chartsPanel_->chartView();
    // A chart point's setting was applied: select that codec as a tile click does.
    connect(chartsPanel_, &ChartsPanel::pointApplied, this, &ComparisonView::codecClicked);
    stack_->addWidget(grid_);
    stack_->addWidget(view_);
    stack_->addWidget(heatPage);
    stack_->addWidget(chartsPanel_);
    auto* viewsPage = new QWidget;
    auto* vp = new QVBoxLayout(viewsPage);
    vp->setContentsMargins(0, 0, 0, 0);
    vp->setSpacing(0);
    vp->addWidget(stack_, 1);
    lumLegend_ = new HeatmapLegend(viewsPage);
    lumLegend_->setObjectName(QStringLiteral("falseColourLegend"));
    lumLegend_->setVisible(false);
    vp->addWidget(lumLegend_);

    table_ = new MetricsTable;
    table_->setObjectName(QStringLiteral("metricsTable"));
    splitter_ = new QSplitter(Qt::Vertical, this);
    splitter_->setObjectName(QStringLiteral("centreSplitter"));
    splitter_->addWidget(viewsPage);
    splitter_->addWidget(table_);
    splitter_->setStretchFactor(0, 1);
    splitter_->setStretchFactor(1, 0);
    splitter_->setCollapsible(0, false);
    splitter_->setSizes({640, 150});
    layout->addWidget(splitter_, 1);

    for (TileGridView* v : {grid_, heatGrid_}) {
        connect(v, &TileGridView::texelHovered, this, &ComparisonView::texelHovered);
        connect(v, &TileGridView::painted, this, &ComparisonView::painted);
        connect(v, &TileGridView::selectionChanged, this, [this](const QRect& r) { selectRegion(r); });
        // A click on a codec's tile selects that codec (the split view's B, the panel, exports).
        connect(v, &TileGridView::tileClicked, this, [this](const QString& key) {
            if (key != kOriginalKey) emit codecClicked(key.toStdString());
        });
    }
    // The heatmap grid follows the image grid's zoom and pan (and back), so switching modes keeps the place.
    connect(grid_, &TileGridView::viewChanged, this, [this] {
        if (stack_->currentWidget() != grid_) return;
        if (grid_->isFitMode())
            heatGrid_->fitToWindow();
        else {
            heatGrid_->setZoom(grid_->zoom(), QPointF(heatGrid_->tileRect(0).topLeft()));
            heatGrid_->panBy(grid_->offset() - heatGrid_->offset());
        }
    });
    connect(view_, &SplitView::texelHovered, this, &ComparisonView::texelHovered);
    connect(view_, &SplitView::painted, this, &ComparisonView::painted);
    connect(pixelGridCheck_, &QCheckBox::toggled, this, [this](bool on) {
        grid_->setShowPixelGrid(on);
        heatGrid_->setShowPixelGrid(on);
    });
    connect(blockGridCheck_, &QCheckBox::toggled, this, [this](bool on) {
        grid_->setShowBlockGrid(on);
        heatGrid_->setShowBlockGrid(on);
    });
    connect(flipButton_, &QPushButton::clicked, view_, &SplitView::flip);
    connect(flickerCheck_, &QCheckBox::toggled, this, [this](bool on) {
        view_->setFlickerMode(on);
        if (!on) autoFlickerCheck_->setChecked(false);
        view_->setFocus();
    });
    connect(autoFlickerCheck_, &QCheckBox::toggled, this, [this](bool on) {
        if (on) flickerCheck_->setChecked(true);
        view_->setAutoFlicker(on);
    });
    connect(view_, &SplitView::flickerChanged, this, [this](bool on) {
        QSignalBlocker block(flickerCheck_);
        flickerCheck_->setChecked(on);
    });
    connectModel();
    syncHeatControls();
    updateTiles();
}

QWidget* ComparisonView::buildModeBar() {
    // Four mode buttons, then the options of the current mode.
    auto* barWidget = new QWidget(this);
    auto* bar = new QHBoxLayout(barWidget);
    bar->setContentsMargins(4, 0, 4, 0);
    modeGroup_ = new QButtonGroup(this);
    modeGroup_->setExclusive(true);
    for (int i = 0; i < 4; ++i) {
        modeButtons_[i] = new QToolButton(barWidget);
        modeButtons_[i]->setCheckable(true);
        modeButtons_[i]->setToolButtonStyle(Qt::ToolButtonTextOnly);
        modeButtons_[i]->setObjectName(QStringLiteral("modeButton%1").arg(i));
        modeGroup_->addButton(modeButtons_[i], i);
        bar->addWidget(modeButtons_[i]);
    }
    modeButtons_[0]->setChecked(true);
    connect(modeGroup_, &QButtonGroup::idClicked, this, [this](int id) { setViewMode(ViewMode(id)); });
    bar->addSpacing(12);

    modeOptions_ = new QStackedWidget(barWidget);
    auto* gridOptions = new QWidget;
    auto* gl = new QHBoxLayout(gridOptions);
    gl->setContentsMargins(0, 0, 0, 0);
    pixelGridCheck_ = new QCheckBox(gridOptions);
    pixelGridCheck_->setChecked(true);
    blockGridCheck_ = new QCheckBox(gridOptions);
    blockGridCheck_->setObjectName(QStringLiteral("blockGridCheck"));
    gridHint_ = new QLabel(gridOptions);
    gridHint_->setStyleSheet(QStringLiteral("color: palette(dark);"));
    gridHint_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    gl->addWidget(pixelGridCheck_);
    gl->addWidget(blockGridCheck_);
    gl->addWidget(gridHint_, 1);
    auto* splitOptions = new QWidget;
    auto* sl = new QHBoxLayout(splitOptions);
    sl->setContentsMargins(0, 0, 0, 0);
    splitALabel_ = new QLabel(splitOptions);
    splitACombo_ = new QComboBox(splitOptions);
    splitACombo_->setObjectName(QStringLiteral("splitACombo"));
    splitBLabel_ = new QLabel(splitOptions);
    splitBCombo_ = new QComboBox(splitOptions);
    splitBCombo_->setObjectName(QStringLiteral("splitBCombo"));
    splitALabel_->setBuddy(splitACombo_);
    splitBLabel_->setBuddy(splitBCombo_);
    flipButton_ = new QPushButton(splitOptions);
    sl->addWidget(splitALabel_);
    sl->addWidget(splitACombo_);
    sl->addSpacing(8);
    sl->addWidget(splitBLabel_);
    sl->addWidget(splitBCombo_);
    sl->addSpacing(8);
    sl->addWidget(flipButton_);
    flickerCheck_ = new QCheckBox(splitOptions);
    flickerCheck_->setObjectName(QStringLiteral("flickerCheck"));
    autoFlickerCheck_ = new QCheckBox(splitOptions);
    autoFlickerCheck_->setObjectName(QStringLiteral("autoFlickerCheck"));
    sl->addSpacing(8);
    sl->addWidget(flickerCheck_);
    sl->addWidget(autoFlickerCheck_);
    sl->addStretch(1);
    auto* heatOptions = new QWidget;
    auto* hl = new QHBoxLayout(heatOptions);
    hl->setContentsMargins(0, 0, 0, 0);
    heatKindLabel_ = new QLabel(heatOptions);
    heatKindCombo_ = new QComboBox(heatOptions);
    heatKindCombo_->setObjectName(QStringLiteral("heatKindCombo"));
    heatKindLabel_->setBuddy(heatKindCombo_);
    for (ErrorMapKind k : {ErrorMapKind::Absolute, ErrorMapKind::Relative, ErrorMapKind::LogRatio,
                           ErrorMapKind::SignedLogRatio, ErrorMapKind::Pu21})
        heatKindCombo_->addItem(QString(), int(k));
    heatLogCheck_ = new QCheckBox(heatOptions);
    heatLogCheck_->setObjectName(QStringLiteral("heatLogCheck"));
    heatLockCheck_ = new QCheckBox(heatOptions);
    heatLockCheck_->setObjectName(QStringLiteral("heatLockCheck"));
    hl->addWidget(heatKindLabel_);
    hl->addWidget(heatKindCombo_);
    hl->addSpacing(8);
    hl->addWidget(heatLogCheck_);
    hl->addWidget(heatLockCheck_);
    hl->addStretch(1);
    auto* chartOptions = new QWidget;
    auto* cl = new QHBoxLayout(chartOptions);
    cl->setContentsMargins(0, 0, 0, 0);
    sweepAllButton_ = new QPushButton(chartOptions);
    sweepAllButton_->setObjectName(QStringLiteral("sweepAllButton"));
    cancelSweepsButton_ = new QPushButton(chartOptions);
    cancelSweepsButton_->setObjectName(QStringLiteral("cancelSweepsButton"));
    chartsHint_ = new QLabel(chartOptions);
    chartsHint_->setStyleSheet(QStringLiteral("color: palette(dark);"));
    chartsHint_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    cl->addWidget(sweepAllButton_);
    cl->addWidget(cancelSweepsButton_);
    cl->addWidget(chartsHint_, 1);
    modeOptions_->addWidget(gridOptions);
    modeOptions_->addWidget(splitOptions);
    modeOptions_->addWidget(heatOptions);
    modeOptions_->addWidget(chartOptions);
    // The options may be clipped in a narrow window rather than forcing the window wider.
    modeOptions_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    bar->addWidget(modeOptions_, 1);

    connect(splitACombo_, qOverload<int>(&QComboBox::activated), this,
            [this](int i) { setSplitSources(splitACombo_->itemData(i).toString(), splitB_); });
    connect(splitBCombo_, qOverload<int>(&QComboBox::activated), this,
            [this](int i) { setSplitSources(splitA_, splitBCombo_->itemData(i).toString()); });
    connect(heatKindCombo_, qOverload<int>(&QComboBox::activated), this,
            [this](int i) { comparison_.setKind(ErrorMapKind(heatKindCombo_->itemData(i).toInt())); });
    connect(heatLogCheck_, &QCheckBox::toggled, this, [this](bool on) { comparison_.setLogarithmic(on); });
    connect(heatLockCheck_, &QCheckBox::toggled, this, [this](bool on) { comparison_.setScaleLocked(on); });
    connect(sweepAllButton_, &QPushButton::clicked, this, [this] {
        model_.guarded(QT_TRANSLATE_NOOP("lmc::studio::WorkspaceModel", "starting a sweep"), [&] {
            for (const auto& id : model_.enabledCodecs()) model_.startSweep(id);
        });
    });
    connect(cancelSweepsButton_, &QPushButton::clicked, this, [this] { model_.cancelSweeps(); });
    return barWidget;
}

void ComparisonView::connectModel() {
    connect(&model_, &WorkspaceModel::imageLoaded, this, [this] { onImageLoaded(); });
    connect(&model_, &WorkspaceModel::codecBusyChanged, this, [this](const QString& id) {
        const CodecState* s = model_.state(id.toStdString());
        updateTile(s->id);
        table_->metricsModel()->setPending(s->key, s->busy);
    });
    connect(&model_, &WorkspaceModel::codecProgress, this, [this](const QString& key, double f) {
        grid_->setTileBusy(key, true, f);
        if (heatGrid_->indexOf(key) >= 0) heatGrid_->setTileBusy(key, true, f);
    });
    connect(&model_, &WorkspaceModel::codecResultChanged, this, [this](const QString& key) {
        const CodecState* s = model_.state(key.toStdString());
        grid_->setTileFloatImage(key, floatFor(s->result->reconstruction));
        updateTile(s->id);
        updateSplit();
        updateTableRow(s->id);
        table_->metricsModel()->setPending(key, true);
    });
    connect(&model_, &WorkspaceModel::codecMetricsChanged, this, [this](const QString& key) {
        updateTile(key.toStdString());
        updateTableRow(key.toStdString());
        // An interim result's row stays greyed: its numbers are the stream so far.
        const CodecState* s = model_.state(key.toStdString());
        table_->metricsModel()->setPending(key, s && s->result && s->result->interim);
    });
    connect(&model_, &WorkspaceModel::codecTimesChanged, this,
            [this](const QString& key) { updateTableRow(key.toStdString()); });
    connect(&model_, &WorkspaceModel::codecFailed, this, [this](const QString& key) {
        updateTile(key.toStdString());
        table_->metricsModel()->setPending(key, false);
    });
    connect(&model_, &WorkspaceModel::codecEnabledChanged, this, [this](const QString& key, bool enabled) {
        if (!enabled) {
            table_->metricsModel()->removeRow(key);
            if (splitA_ == key) splitA_ = kOriginalKey;
            if (splitB_ == key) {
                splitB_.clear();
                const auto enabledIds = model_.enabledCodecs();
                if (!enabledIds.empty()) splitB_ = QString::fromStdString(enabledIds.front());
            }
        }
        updateTiles();
        updateSplitCombos();
        updateSplit();
    });
    connect(&model_, &WorkspaceModel::shownMaskChanged, this, [this] { showImages(); });
    connect(&model_, &WorkspaceModel::gpuFormatChanged, this, [this](const QString& key) {
        updateTile(key.toStdString());
        updateSideLabels();
    });

    connect(&comparison_, &ComparisonService::heatmapReady, this, [this](const QString& key, const QImage& image) {
        heatGrid_->setTileImage(key, image);
        updateTile(key.toStdString());
    });
    connect(&comparison_, &ComparisonService::heatmapFailed, this,
            [this](const QString& key, const Error& error) { heatGrid_->setTileMessage(key, errorText(error)); });
    connect(&comparison_, &ComparisonService::scalesChanged, this, [this] {
        syncHeatControls();
        updateLegend();
    });
}

void ComparisonView::onImageLoaded() {
    for (const auto& s : model_.codecs()) {
        grid_->clearTileImage(s->key);
        heatGrid_->clearTileImage(s->key);
    }
    table_->metricsModel()->clearRows();
    view_->clearSide(SplitView::Side::B);
    splitShown_[0] = splitShown_[1] = nullptr;
    updateTiles();
    const auto source = model_.source();
    grid_->setTileFloatImage(kOriginalKey, floatFor(source));
    heatGrid_->setTileFloatImage(kOriginalKey, floatFor(source));
    grid_->fitToWindow();
    heatGrid_->fitToWindow();
    updateSplit();
    view_->fitToWindow();
    selectRegion(QRect());
}

void ComparisonView::showImages() {
    // The dimmed texels changed: every image on screen is tone-mapped again with the new mask.
    const auto source = model_.source();
    if (!source) return;
    splitShown_[0] = splitShown_[1] = nullptr;
    grid_->setTileFloatImage(kOriginalKey, floatFor(source));
    heatGrid_->setTileFloatImage(kOriginalKey, floatFor(source));
    for (const auto& s : model_.codecs())
        if (s->enabled && s->result) grid_->setTileFloatImage(s->key, floatFor(s->result->reconstruction));
    updateSplit();
}

FloatRgbImage ComparisonView::floatFor(const std::shared_ptr<const Image>& image) const {
    FloatRgbImage shown = floatView(image);
    // Dim the same texels everywhere, those the metrics leave out: reconstructions have no mask of their own
    // (codecs fill gutters).
    const auto source = model_.source();
    const ShownMask mask = model_.shownMask();
    if (source && mask && !shown.isNull() && source->width() == shown.width && source->height() == shown.height)
        shown.mask = std::shared_ptr<const std::uint8_t>(mask, mask->data());
    return shown;
}

std::shared_ptr<const Image> ComparisonView::imageFor(const QString& key) const {
    if (key == kOriginalKey) return model_.source();
    const CodecState* s = model_.state(key.toStdString());
    return s && s->enabled && s->result ? s->result->reconstruction : nullptr;
}

// ---- modes --------------------------------------------------------------------------------------------------

ComparisonView::ViewPlace ComparisonView::placeOf(ViewMode mode) const {
    ViewPlace place;
    if (mode == ViewMode::Split) {
        if (view_->imageSize().isEmpty()) return place;
        place = {true, view_->isFitMode(), view_->zoom(), view_->centreTexel()};
    } else if (mode == ViewMode::Grid || mode == ViewMode::Heatmap) {
        const TileGridView* g = mode == ViewMode::Grid ? grid_ : heatGrid_;
        if (g->imageSize().isEmpty() || g->tileCount() == 0) return place;
        const QRectF cell(g->tileRect(0));
        place = {true, g->isFitMode(), g->zoom(), g->widgetToImage(cell.center())};
    }
    return place;
}

void ComparisonView::applyPlace(ViewMode mode, const ViewPlace& place) {
    if (!place.valid) return;
    if (mode == ViewMode::Split) {
        if (place.fit)
            view_->fitToWindow();
        else
            view_->showTexelAt(place.zoom, place.centre);
    } else if (mode == ViewMode::Grid || mode == ViewMode::Heatmap) {
        TileGridView* g = mode == ViewMode::Grid ? grid_ : heatGrid_;
        if (g->tileCount() == 0) return;
        if (place.fit) {
            g->fitToWindow();
        } else {
            g->setZoom(place.zoom, QRectF(g->tileRect(0)).center());
            g->centreOn(place.centre);
        }
    }
}

void ComparisonView::setViewMode(ViewMode mode) {
    const int i = int(mode);
    // The new view opens at the zoom and centre texel the old one showed (charts have no place to keep).
    const ViewPlace place = placeOf(mode_);
    mode_ = mode;
    stack_->setCurrentIndex(i);
    modeOptions_->setCurrentIndex(i);
    if (!modeButtons_[i]->isChecked()) modeButtons_[i]->setChecked(true);
    // Error maps are computed only while they are shown; tone mapping two split images per result likewise.
    comparison_.setHeatmapsActive(mode == ViewMode::Heatmap);
    if (mode == ViewMode::Split) updateSplit();
    if (mode != ViewMode::Split) view_->setAutoFlicker(false);
    applyPlace(mode, place);
    updateFalseColourLegend();
    emit viewModeChanged(mode);
}

void ComparisonView::updateFalseColourLegend() {
    const bool show = toneOptions_.falseColour && (mode_ == ViewMode::Grid || mode_ == ViewMode::Split);
    lumLegend_->setVisible(show);
    if (!show) return;
    lumLegend_->setScale(falseColourScale(toneOptions_.exposureEv));
    lumLegend_->setTitle(tr("False colour: luminance"));
    lumLegend_->setUnit(tr("linear image units (Rec. 709 luminance)"));
}

void ComparisonView::setSelected(const std::string& codecId) {
    selected_ = codecId;
    const CodecState* s = model_.state(codecId);
    if (!s) return;
    splitB_ = s->key;
    if (splitA_ == splitB_) splitA_ = kOriginalKey;
    updateSplitCombos();
    updateSplit();
    updateLegend();
}

void ComparisonView::selectRegion(const QRect& texels) {
    for (TileGridView* v : {grid_, heatGrid_})
        if (v->selection() != texels) {
            QSignalBlocker block(v);
            v->setSelection(texels);
        }
    comparison_.setRegion(texels);
}

void ComparisonView::setToneMapOptions(const ToneMapOptions& options) {
    grid_->setToneMapOptions(options);
    heatGrid_->setToneMapOptions(options);
    view_->setExposure(options.exposureEv);
    view_->setDimUncovered(options.dimUncovered);
    view_->setToneCurve(options.curve, options.falseColour);
    view_->setChannel(options.channel);
    toneOptions_ = options;
    updateFalseColourLegend();
}

// ---- tiles, rows, charts ------------------------------------------------------------------------------------

void ComparisonView::updateTiles() {
    QStringList keys{kOriginalKey};
    for (const auto& s : model_.codecs())
        if (s->enabled) keys << s->key;
    grid_->setTiles(keys);
    heatGrid_->setTiles(keys);
    const auto source = model_.source();
    grid_->setTileCaption(kOriginalKey, tr("Original"),
                          source ? tr("%1 × %2 texels").arg(source->width()).arg(source->height()) : QString());
    heatGrid_->setTileCaption(kOriginalKey, tr("Original"), tr("for reference"));
    // The original has no codec blocks.
    grid_->setTileBlockSize(kOriginalKey, QSize());
    heatGrid_->setTileBlockSize(kOriginalKey, QSize());
    for (const auto& s : model_.codecs())
        if (s->enabled) updateTile(s->id);
}

void ComparisonView::updateTile(const std::string& codecId) {
    const CodecState* s = model_.state(codecId);
    if (!s || !s->enabled) return;
    const QLocale locale;
    QString detail;
    // A chained codec's tile shows the chain's end and says so.
    QString title = model_.chainTitle(s->id);
    if (s->result) {
        detail = tr("%1 bpp").arg(locale.toString(s->result->bitsPerTexel, 'f', 2));
        if (s->result->hasMetrics) detail += tr(" · mPSNR %1 dB").arg(psnrText(s->result->metrics.mPsnr));
        // A result encoded at a capped effort says so (in the title, which has room): its numbers are not what the
        // chosen setting ships.
        if (const auto effort = previewEffort(*s->codec, s->params); effort && s->result->params == effort->params)
            title = tr("%1 · preview: %2").arg(title, ParamEditor::choiceText(effort->param, effort->choice));
        if (s->result->interim) title = tr("%1 · so far").arg(title);
    }
    const QString error = s->error ? tr("Compression failed: %1").arg(errorSummary(s->error->code)) : QString();
    // The block grid of the parameters the shown reconstruction was made with (else the current ones).
    const QSize block = codecBlockSize(*s->codec, s->result ? s->result->params : s->params);
    grid_->setTileBlockSize(s->key, block);
    heatGrid_->setTileBlockSize(s->key, block);
    grid_->setTileCaption(s->key, title, detail);
    grid_->setTileBusy(s->key, s->busy, s->progress);
    grid_->setTileMessage(s->key,
                          error.isEmpty() ? (s->result || s->busy ? QString() : tr("Waiting for an image")) : error);
    if (heatGrid_->indexOf(s->key) >= 0) {
        QString heatDetail = detail;
        if (comparison_.isHeatmapShown(s->id)) {
            const HeatmapScale scale = comparison_.scale(s->id);
            heatDetail =
                tr("scale %1 … %2").arg(formatHeatmapValue(scale.minValue), formatHeatmapValue(scale.maxValue));
        }
        heatGrid_->setTileCaption(s->key, title, heatDetail);
        heatGrid_->setTileBusy(s->key, s->busy, s->progress);
        heatGrid_->setTileMessage(s->key, error);
    }
    if (splitA_ == s->key) view_->setBusy(SplitView::Side::A, s->busy);
    if (splitB_ == s->key) view_->setBusy(SplitView::Side::B, s->busy);
}

void ComparisonView::updateTableRow(const std::string& codecId) {
    const CodecState* s = model_.state(codecId);
    if (!s || !s->result) return;
    const CompressionResult& r = *s->result;
    MetricsTableRow row;
    row.key = s->key;
    row.codec = model_.chainTitle(s->id);
    if (r.interim) row.codec = tr("%1 · so far").arg(row.codec);
    row.settings = ParamEditor::settingsText(s->codec->schema(), r.params);
    row.bytes = std::int64_t(r.bytes);
    row.bitsPerTexel = r.bitsPerTexel;
    row.encodeMs = r.encodeMs;
    row.decodeMs = r.decodeMs;
    row.timesShared = r.timesShared;
    if (r.vramBitsPerTexel > 0) row.vramBitsPerTexel = r.vramBitsPerTexel;
    if (r.loadMs >= 0) row.loadMs = r.loadMs;
    if (r.hasMetrics) {
        row.mPsnr = r.metrics.mPsnr;
        row.logPsnr = r.metrics.logPsnr;
        row.pu21Psnr = r.metrics.pu21Psnr;
        row.ssim = r.metrics.pu21Ssim;
        row.maxError = r.metrics.maxAbsError;
    } else {
        // Keep the older metrics while the new ones are measured (shown greyed).
        const int i = table_->metricsModel()->rowOf(s->key);
        if (i >= 0) {
            const MetricsTableRow& old = table_->metricsModel()->rows()[std::size_t(i)];
            row.mPsnr = old.mPsnr;
            row.logPsnr = old.logPsnr;
            row.pu21Psnr = old.pu21Psnr;
            row.ssim = old.ssim;
            row.maxError = old.maxError;
        }
        row.pending = true;
    }
    table_->metricsModel()->setRow(row);
}

// ---- split view ---------------------------------------------------------------------------------------------

void ComparisonView::setSplitSources(const QString& a, const QString& b) {
    auto valid = [this](const QString& key) {
        if (key == kOriginalKey) return true;
        const CodecState* s = model_.state(key.toStdString());
        return s && s->enabled;
    };
    if (valid(a)) splitA_ = a;
    if (valid(b)) splitB_ = b;
    updateSplitCombos();
    updateSplit();
}

void ComparisonView::updateSplitCombos() {
    for (QComboBox* combo : {splitACombo_, splitBCombo_}) {
        QSignalBlocker block(combo);
        combo->clear();
        combo->addItem(tr("Original"), kOriginalKey);
        for (const auto& s : model_.codecs())
            if (s->enabled) combo->addItem(codecDisplayName(model_.registry(), s->id), s->key);
    }
    splitACombo_->setCurrentIndex(std::max(0, splitACombo_->findData(splitA_)));
    splitBCombo_->setCurrentIndex(std::max(0, splitBCombo_->findData(splitB_)));
}

void ComparisonView::updateSplit() {
    updateSideLabels();
    // Tone mapping two images per result is only worth it when the split view is shown; setViewMode catches up.
    if (mode_ != ViewMode::Split) return;
    const QString keys[2] = {splitA_, splitB_};
    for (int i = 0; i < 2; ++i) {
        const auto side = i == 0 ? SplitView::Side::A : SplitView::Side::B;
        const auto image = imageFor(keys[i]);
        if (!image) {
            if (splitShown_[i]) view_->clearSide(side);
            splitShown_[i] = nullptr;
        } else if (image.get() != splitShown_[i]) {
            view_->setFloatImage(side, floatFor(image));
            splitShown_[i] = image.get();
        }
        const CodecState* s = model_.state(keys[i].toStdString());
        view_->setBusy(side, s && s->busy);
    }
    updateSideLabels();
}

void ComparisonView::updateSideLabels() {
    const QString keys[2] = {splitA_, splitB_};
    for (int i = 0; i < 2; ++i) {
        const auto side = i == 0 ? SplitView::Side::A : SplitView::Side::B;
        const QString& key = keys[i];
        QString text;
        if (key == kOriginalKey) {
            text = i == 0 ? tr("A: Original") : tr("B: Original");
        } else if (const CodecState* s = model_.state(key.toStdString())) {
            const QString name = model_.chainTitle(s->id);
            if (s->result)
                text = (i == 0 ? tr("A: %1, %2 bpp") : tr("B: %1, %2 bpp"))
                           .arg(name, QLocale().toString(s->result->bitsPerTexel, 'f', 2));
            else
                text = (i == 0 ? tr("A: %1") : tr("B: %1")).arg(name);
        }
        view_->setLabel(side, text);
    }
}

// ---- heatmaps -----------------------------------------------------------------------------------------------

void ComparisonView::syncHeatControls() {
    QSignalBlocker b1(heatKindCombo_), b2(heatLogCheck_), b3(heatLockCheck_);
    heatKindCombo_->setCurrentIndex(heatKindCombo_->findData(int(comparison_.kind())));
    heatLogCheck_->setChecked(comparison_.isLogarithmic());
    // A signed map has one symmetric linear scale.
    heatLogCheck_->setEnabled(comparison_.kind() != ErrorMapKind::SignedLogRatio);
    heatLockCheck_->setChecked(comparison_.isScaleLocked());
}

void ComparisonView::updateLegend() {
    // Indexed by ErrorMapKind.
    const QString kinds[5] = {tr("Absolute error"), tr("Relative error"), tr("Log ratio"), tr("PU21 difference"),
                              tr("Signed error (over/under)")};
    const QString units[5] = {tr("linear image units"), tr("fraction of the original value"),
                              tr("stops, 1 = a factor of 2"), tr("PU21 units ≈ 8-bit code values"),
                              tr("stops: + brighter than the original (red), − darker (blue)")};
    const int k = std::clamp(int(comparison_.kind()), 0, 4);
    legend_->setScale(comparison_.scale(selected_));
    legend_->setTitle(comparison_.isScaleLocked()
                          ? tr("%1, all codecs").arg(kinds[k])
                          : tr("%1, %2").arg(kinds[k], codecDisplayName(model_.registry(), selected_)));
    legend_->setUnit(units[k]);
}

void ComparisonView::retranslate() {
    const QString modeNames[4] = {tr("Grid"), tr("Split"), tr("Heatmap"), tr("Charts")};
    const QString modeTips[4] = {
        tr("The original and every enabled codec side by side, zoom and pan synchronised (Ctrl+1)"),
        tr("Two images with a draggable divider (Ctrl+2)"), tr("Per-codec error maps with a colour legend (Ctrl+3)"),
        tr("Rate-distortion curves and encode/decode times (Ctrl+4)")};
    for (int i = 0; i < 4; ++i) {
        modeButtons_[i]->setText(modeNames[i]);
        modeButtons_[i]->setToolTip(modeTips[i]);
    }
    pixelGridCheck_->setText(tr("Texel grid"));
    pixelGridCheck_->setToolTip(tr("Lines between texels from 800% zoom (G)"));
    blockGridCheck_->setText(tr("Codec blocks"));
    blockGridCheck_->setToolTip(
        tr("Each codec's block grid from 200% zoom (B): BC6H 4×4 (8×8 or 16×16 at half or quarter resolution), "
           "ASTC its block size, JPEG-HDR 8×8 or 16×16 with 4:2:0 chroma, OpenEXR DWAB 8×8"));
    gridHint_->setText(tr("Wheel: zoom · drag: pan · Shift+drag: region"));
    splitALabel_->setText(tr("A"));
    splitBLabel_->setText(tr("B"));
    flipButton_->setText(tr("Flip"));
    flipButton_->setToolTip(tr("Swap which image is left of the divider (F or Space)"));
    flickerCheck_->setText(tr("Flicker A/B"));
    flickerCheck_->setToolTip(
        tr("Show one whole image at a time instead of the divider; F, Space or Flip toggles A and B"));
    autoFlickerCheck_->setText(tr("Auto (2 Hz)"));
    autoFlickerCheck_->setToolTip(
        tr("Switch between A and B by itself every quarter second (two A/B cycles a second)"));
    heatKindLabel_->setText(tr("Error"));
    // Indexed by ErrorMapKind.
    const QString kinds[5] = {tr("Absolute"), tr("Relative"), tr("Log ratio"), tr("PU21 perceptual"),
                              tr("Signed (over/under)")};
    for (int i = 0; i < heatKindCombo_->count(); ++i)
        heatKindCombo_->setItemText(i, kinds[std::clamp(heatKindCombo_->itemData(i).toInt(), 0, 4)]);
    heatKindCombo_->setToolTip(
        tr("Absolute: |a − b|; relative: |a − b| / a; log ratio: stops between a and b; signed: stops from a to "
           "b, red where the codec is brighter, blue where darker; PU21: perceptual difference of luminance"));
    heatLogCheck_->setText(tr("Log scale"));
    heatLockCheck_->setText(tr("Lock scale across codecs"));
    heatLockCheck_->setToolTip(tr("One colour scale for every codec, so equal colours mean equal errors"));
    sweepAllButton_->setText(tr("Sweep All"));
    sweepAllButton_->setToolTip(tr("Measure every enabled codec over its rate range in the background"));
    cancelSweepsButton_->setText(tr("Cancel Sweeps"));
    chartsHint_->setText(tr("Hollow squares: current settings · click a point to apply its setting"));
    const QString placeholder = tr("Open a lightmap with File ▸ Open…, or drop an .exr file here.");
    view_->setPlaceholderText(placeholder);
    grid_->setPlaceholderText(placeholder);
    heatGrid_->setPlaceholderText(placeholder);
    updateTiles();
    updateSplitCombos();
    updateSideLabels();
    updateLegend();
    updateFalseColourLegend();
}

}  // namespace lmc::studio
