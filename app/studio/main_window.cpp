#include "app/studio/main_window.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QButtonGroup>
#include <QCheckBox>
#include <QCloseEvent>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QDragEnterEvent>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSlider>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QStyle>
#include <QTableWidget>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <climits>
#include <cmath>
#include <exception>
#include <optional>

#include "app/studio/command_line.h"
#include "app/studio/error_text.h"
#include "app/studio/language.h"
#include "app/studio/param_editor.h"
#include "app/studio/preset_actions.h"
#include "codec/image.h"
#include "codec/learned/torch_backend.h"
#include "widgets/heatmap.h"
#include "widgets/metrics_panel.h"
#include "widgets/metrics_table.h"
#include "widgets/rd_chart.h"
#include "widgets/split_view.h"
#include "widgets/tile_grid_view.h"
#include "widgets/tone_map.h"

namespace lmc::studio {
namespace {

constexpr int kMaxRecentFiles = 10;
constexpr double kHalfFloatRgbBits = 48.0;  // what the ratio row compares against
const char* const kCodecContext = "lmc::studio::CodecText";
const QString kOriginalKey = QStringLiteral("original");

FloatRgbImage wrap(const std::shared_ptr<const Image>& image) {
    FloatRgbImage out;
    if (!image || image->empty()) return out;
    out.width = image->width();
    out.height = image->height();
    out.rowStride = 3 * std::ptrdiff_t(image->width());
    out.rgb = std::shared_ptr<const float>(image, image->data());  // aliases: keeps the Image alive
    if (image->hasMask()) out.mask = std::shared_ptr<const std::uint8_t>(image, image->maskData());
    return out;
}

QString formatRgb(const float* p) {
    return QStringLiteral("%1, %2, %3")
        .arg(QString::number(p[0], 'g', 4), QString::number(p[1], 'g', 4), QString::number(p[2], 'g', 4));
}

std::string toLocalPath(const QString& path) {
    return QFile::encodeName(path).toStdString();
}

// Settings the live view starts with where a codec's own default is too slow to follow a slider (the user can still
// choose any level): BC6H "normal" instead of "high", ASTC "fastest" instead of "medium" (0.25 s and 0.8 s instead
// of 0.6 s and 2.6 s for 1024^2 on two cores; ASTC loses 1 dB mPSNR at 6x6, BC6H 0.3 dB).
ParamSet liveDefaults(const Codec& codec) {
    const ParamSchema schema = codec.schema();
    ParamSet params = ParamSet::defaults(schema);
    auto prefer = [&](const char* codecId, const char* param, const char* choice) {
        if (codec.id() != codecId) return;
        const ParamSpec* spec = findParam(schema, param);
        if (!spec) return;
        for (std::size_t i = 0; i < spec->choices.size(); ++i)
            if (spec->choices[i] == choice) params.set(param, double(i));
    };
    prefer("bc6h", "quality", "normal");
    prefer("astc", "preset", "fastest");
    return params;
}

bool defaultLogScale(ErrorMapKind kind) {
    return kind == ErrorMapKind::Absolute || kind == ErrorMapKind::Relative;
}

QString psnrText(double db) {
    if (!std::isfinite(db)) return QStringLiteral("–");
    if (db >= kPsnrCapDb) return QStringLiteral("∞");
    return QLocale().toString(db, 'f', 2);
}

}  // namespace

struct MainWindow::LoadOutcome {
    QString path;
    std::optional<Error> error;
    std::shared_ptr<const Image> image;
    std::shared_ptr<const ExrInfo> info;
    std::shared_ptr<const MetricsNormalization> normalization;
    ImageStats stats;
    double exposure = 0.0;
};

struct MainWindow::HeatResult {
    std::shared_ptr<const ErrorMap> map;
    HeatmapScale linearScale;
    HeatmapScale logScale;
    std::optional<Error> error;
};

struct MainWindow::CodecSlot {
    const Codec* codec = nullptr;
    std::string id;
    QString key;
    bool enabled = true;
    ParamSet params;
    CompressionRunner* runner = nullptr;
    // Codec panel card.
    QGroupBox* card = nullptr;
    QLabel* description = nullptr;
    ParamEditor* editor = nullptr;
    QLabel* status = nullptr;
    QProgressBar* sweepBar = nullptr;
    QToolButton* sweepButton = nullptr;
    // Live result.
    CompressionResultPtr result;  // newest on screen (with metrics once measured)
    bool busy = false;
    double progress = -1.0;
    QString error;
    qint64 latencyStartNs = -1;
    // RD sweep.
    std::vector<SweepPoint> sweep;
    std::string sweepSig;
    quint64 sweepId = 0;
    bool sweepActive = false;
    double sweepProgress = 0.0;
    // Heatmap.
    std::shared_ptr<const ErrorMap> errorMap;
    quint64 errorMapGeneration = 0;  // result generation the map belongs to
    ErrorMapKind errorMapKind = ErrorMapKind::Relative;
    MaskMode errorMapMask = MaskMode::Visible;
    HeatmapScale linearScale, logScale;
    quint64 heatToken = 0;  // newest requested map
    quint64 colourToken = 0;
    HeatmapScale shownScale;
    bool heatShown = false;
};

MainWindow::MainWindow(const Options& options, QWidget* parent)
    : QMainWindow(parent),
      options_(options),
      registry_(options.registry ? *options.registry : CodecRegistry::builtin()),
      presenter_(options.errorPresenter) {
    settings_ = options_.settingsFile.isEmpty()
                    ? std::make_unique<QSettings>()
                    : std::make_unique<QSettings>(options_.settingsFile, QSettings::IniFormat);
    workPool_.setMaxThreadCount(2);
    sweeps_ = new SweepRunner(registry_, this);
    sweeps_->setInteractiveBusy([this] {
        for (const auto& slot : slots_)
            if (slot->enabled && slot->runner->isBusy()) return true;
        return false;
    });
    regionTimer_ = new QTimer(this);
    regionTimer_->setSingleShot(true);
    regionTimer_->setInterval(150);
    connect(regionTimer_, &QTimer::timeout, this,
            [this] { guarded(QT_TR_NOOP("measuring the region"), [&] { updateRegionMetrics(); }); });
    setAcceptDrops(true);
    createSlots();
    buildUi();
    buildMenus();
    restoreSettings();
    retranslateUi();
    // File > Save Preset / Load Preset / Export, toolbar and dock layout (app/studio/preset_actions.h).
    StudioHooks presetHooks = mainWindowHooks(this);
    presetHooks.reportError = [this](QWidget*, const QString& title, const QString& text) { reportError(title, text); };
    installPresetActions(this, fileMenu_, quitAction_, presetHooks, options_.settingsFile, options_.persistState);

    connect(sweeps_, &SweepRunner::pointReady, this, [this](const QString& id, quint64 sweepId, const SweepPoint& p) {
        guarded(QT_TR_NOOP("adding a sweep point"), [&] { onSweepPoint(id, sweepId, p); });
    });
    connect(sweeps_, &SweepRunner::progressChanged, this, [this](const QString& id, double fraction) {
        if (CodecSlot* slot = slotFor(id.toStdString())) {
            slot->sweepProgress = fraction;
            updateSweepUi(*slot);
        }
    });
    connect(sweeps_, &SweepRunner::activeChanged, this, [this](const QString& id, bool active) {
        if (CodecSlot* slot = slotFor(id.toStdString())) {
            slot->sweepActive = active;
            updateSweepUi(*slot);
        }
    });
    connect(sweeps_, &SweepRunner::finished, this, [this](const QString& id, quint64) { emit sweepFinished(id); });
    connect(sweeps_, &SweepRunner::failed, this, [this](const QString& id, quint64, const Error& error) {
        if (CodecSlot* slot = slotFor(id.toStdString())) {
            slot->sweepSig.clear();  // a later change may try again
            statusBar()->showMessage(tr("RD sweep of %1 failed: %2").arg(codecName(slot->id), errorSummary(error.code)),
                                     8000);
        }
    });
}

MainWindow::~MainWindow() {
    // Jobs hold their own references to the images; runners (children) join their pools when deleted.
    if (loadWatcher_) loadWatcher_->disconnect(this);
    sweeps_->cancelAll();
    ++heatToken_;
    ++regionToken_;
    workPool_.waitForDone();
}

MainWindow::CodecSlot* MainWindow::slotFor(const std::string& id) {
    for (auto& s : slots_)
        if (s->id == id) return s.get();
    return nullptr;
}

const MainWindow::CodecSlot* MainWindow::slotFor(const std::string& id) const {
    for (const auto& s : slots_)
        if (s->id == id) return s.get();
    return nullptr;
}

CompressionResultPtr MainWindow::result(const std::string& codecId) const {
    const CodecSlot* slot = slotFor(codecId);
    return slot ? slot->result : nullptr;
}

ParamEditor* MainWindow::paramEditor(const std::string& codecId) const {
    const CodecSlot* slot = slotFor(codecId);
    return slot ? slot->editor : nullptr;
}

CompressionRunner* MainWindow::runner(const std::string& codecId) const {
    const CodecSlot* slot = slotFor(codecId);
    return slot ? slot->runner : nullptr;
}

QString MainWindow::codecName(const std::string& id) const {
    const Codec* codec = registry_.find(id);
    return codec ? QCoreApplication::translate(kCodecContext, codec->name().c_str()) : QString::fromStdString(id);
}

QString MainWindow::sourceName(const QString& key) const {
    return key == kOriginalKey ? tr("Original") : codecName(key.toStdString());
}

std::shared_ptr<const Image> MainWindow::imageFor(const QString& key) const {
    if (key == kOriginalKey) return source_;
    const CodecSlot* slot = slotFor(key.toStdString());
    return slot && slot->enabled && slot->result ? slot->result->reconstruction : nullptr;
}

FloatRgbImage MainWindow::floatFor(const std::shared_ptr<const Image>& image) const {
    FloatRgbImage shown = wrap(image);
    // Dim the same texels everywhere, those the metrics leave out: reconstructions have no mask of their own
    // (codecs fill gutters).
    if (source_ && shownMask_ && !shown.isNull() && source_->width() == shown.width &&
        source_->height() == shown.height)
        shown.mask = std::shared_ptr<const std::uint8_t>(shownMask_, shownMask_->data());
    return shown;
}

// ---- construction -------------------------------------------------------------------------------------------

void MainWindow::createSlots() {
    for (const Codec* codec : registry_.codecs()) {
        auto slot = std::make_unique<CodecSlot>();
        slot->codec = codec;
        slot->id = codec->id();
        slot->key = QString::fromStdString(codec->id());
        slot->params = liveDefaults(*codec);
        slot->runner = new CompressionRunner(registry_, this);
        CodecSlot* s = slot.get();
        connect(s->runner, &CompressionRunner::reconstructionReady, this, [this, s](const CompressionResultPtr& r) {
            guarded(QT_TR_NOOP("showing a reconstruction"), [&] { onReconstruction(*s, r); });
        });
        connect(s->runner, &CompressionRunner::metricsReady, this, [this, s](const CompressionResultPtr& r) {
            guarded(QT_TR_NOOP("showing the metrics"), [&] { onMetrics(*s, r); });
        });
        connect(s->runner, &CompressionRunner::jobFailed, this, [this, s](quint64, const Error& e) {
            guarded(QT_TR_NOOP("reporting a codec error"), [&] { onJobFailed(*s, e); });
        });
        connect(s->runner, &CompressionRunner::jobStarted, this, [this, s](quint64) {
            s->busy = true;
            s->progress = 0.0;
            updateTile(*s);
        });
        connect(s->runner, &CompressionRunner::progress, this, [this, s](quint64, double f) {
            s->progress = f;
            grid_->setTileBusy(s->key, true, f);
            if (heatGrid_->indexOf(s->key) >= 0) heatGrid_->setTileBusy(s->key, true, f);
        });
        connect(s->runner, &CompressionRunner::busyChanged, this, [this, s](bool busy) {
            if (busy) return;
            s->busy = false;
            s->progress = -1.0;
            updateTile(*s);
            if (table_) table_->metricsModel()->setPending(s->key, false);
            if (s->id == codecId_) {
                view_->setBusy(splitA_ == s->key ? SplitView::Side::A : SplitView::Side::B, false);
                metrics_->setPending(false);
            }
        });
        slots_.push_back(std::move(slot));
    }
}

void MainWindow::buildUi() {
    QWidget* left = buildCodecPanel();
    QWidget* centre = buildCentre();
    QWidget* right = buildRightPanel();

    splitter_ = new QSplitter(Qt::Horizontal, this);
    splitter_->setObjectName(QStringLiteral("mainSplitter"));
    splitter_->addWidget(left);
    splitter_->addWidget(centre);
    splitter_->addWidget(right);
    splitter_->setStretchFactor(0, 0);
    splitter_->setStretchFactor(1, 1);
    splitter_->setStretchFactor(2, 0);
    splitter_->setCollapsible(1, false);
    splitter_->setSizes({330, 800, 300});
    setCentralWidget(splitter_);

    latencyLabel_ = new QLabel(this);
    latencyLabel_->setObjectName(QStringLiteral("latencyLabel"));
    deviceStatus_ = new QLabel(this);
    deviceStatus_->setObjectName(QStringLiteral("deviceStatus"));
    statusBar()->addPermanentWidget(latencyLabel_);
    statusBar()->addPermanentWidget(deviceStatus_);
    resize(1440, 900);
}

QWidget* MainWindow::buildCodecPanel() {
    auto* panel = new QWidget;
    panel->setObjectName(QStringLiteral("codecPanel"));
    auto* layout = new QVBoxLayout(panel);
    layout->setContentsMargins(8, 8, 4, 8);
    layout->setSpacing(8);

    codecGroup_ = new QGroupBox(panel);
    auto* top = new QVBoxLayout(codecGroup_);
    codecLabel_ = new QLabel(codecGroup_);
    codecCombo_ = new QComboBox(codecGroup_);
    codecCombo_->setObjectName(QStringLiteral("codecCombo"));
    codecLabel_->setBuddy(codecCombo_);
    for (const auto& slot : slots_) codecCombo_->addItem(codecName(slot->id), slot->key);
    auto* row = new QHBoxLayout;
    row->addWidget(codecLabel_);
    row->addWidget(codecCombo_, 1);
    top->addLayout(row);
    connect(codecCombo_, qOverload<int>(&QComboBox::currentIndexChanged), this, [this](int index) {
        guarded(QT_TR_NOOP("changing the codec"),
                [&] { selectCodec(codecCombo_->itemData(index).toString().toStdString()); });
    });

    // Device for learned codecs: a chooser only when there is a choice; the status bar always says which runs.
    deviceLabel_ = new QLabel(codecGroup_);
    deviceCombo_ = new QComboBox(codecGroup_);
    deviceCombo_->setObjectName(QStringLiteral("deviceCombo"));
    deviceLabel_->setBuddy(deviceCombo_);
    const auto devices = learned::availableTorchDevices();
    for (const auto& d : devices) deviceCombo_->addItem(QString::fromStdString(d.label), QString::fromStdString(d.id));
    auto* deviceRow = new QHBoxLayout;
    deviceRow->addWidget(deviceLabel_);
    deviceRow->addWidget(deviceCombo_, 1);
    top->addLayout(deviceRow);
    const bool choice = devices.size() > 1;
    deviceLabel_->setVisible(choice);
    deviceCombo_->setVisible(choice);
    device_ = QString::fromStdString(devices.size() > 1 ? devices[1].id : devices.front().id);
    deviceCombo_->setCurrentIndex(deviceCombo_->findData(device_));
    connect(deviceCombo_, qOverload<int>(&QComboBox::currentIndexChanged), this,
            [this](int index) { setDevice(deviceCombo_->itemData(index).toString()); });
    layout->addWidget(codecGroup_);

    // One card per codec.
    auto* cards = new QWidget;
    cardsLayout_ = new QVBoxLayout(cards);
    cardsLayout_->setContentsMargins(0, 0, 0, 0);
    cardsLayout_->setSpacing(8);
    for (auto& owned : slots_) {
        CodecSlot* s = owned.get();
        s->card = new QGroupBox(cards);
        s->card->setObjectName(QStringLiteral("card_%1").arg(s->key));
        s->card->setCheckable(true);
        s->card->setChecked(true);
        auto* cl = new QVBoxLayout(s->card);
        cl->setSpacing(6);
        s->description = new QLabel(s->card);
        s->description->setWordWrap(true);
        QFont small = s->description->font();
        small.setPointSizeF(small.pointSizeF() * 0.9);
        s->description->setFont(small);
        s->description->setStyleSheet(QStringLiteral("color: palette(dark);"));
        s->editor = new ParamEditor(s->card);
        s->editor->setObjectName(QStringLiteral("paramEditor_%1").arg(s->key));
        s->editor->setSchema(s->codec->schema(), s->params);
        s->status = new QLabel(s->card);
        s->status->setObjectName(QStringLiteral("status_%1").arg(s->key));
        s->status->setWordWrap(true);
        auto* sweepRow = new QHBoxLayout;
        s->sweepBar = new QProgressBar(s->card);
        s->sweepBar->setRange(0, 1000);
        s->sweepBar->setTextVisible(true);
        s->sweepBar->setMaximumHeight(s->sweepBar->fontMetrics().height() + 6);
        s->sweepButton = new QToolButton(s->card);
        s->sweepButton->setObjectName(QStringLiteral("sweepButton_%1").arg(s->key));
        sweepRow->addWidget(s->sweepBar, 1);
        sweepRow->addWidget(s->sweepButton);
        cl->addWidget(s->description);
        cl->addWidget(s->editor);
        cl->addWidget(s->status);
        cl->addLayout(sweepRow);
        cardsLayout_->addWidget(s->card);
        s->sweepBar->setVisible(s->codec->rateParam().has_value());
        s->sweepButton->setVisible(s->codec->rateParam().has_value());
        connect(s->card, &QGroupBox::toggled, this,
                [this, s](bool on) { guarded(QT_TR_NOOP("switching a codec"), [&] { setCodecEnabled(s->id, on); }); });
        connect(s->editor, &ParamEditor::valuesChanged, this, [this, s] {
            guarded(QT_TR_NOOP("changing a parameter"), [&] {
                s->params = s->editor->values();
                requestCompression(*s, false);
            });
        });
        connect(s->sweepButton, &QToolButton::clicked, this, [this, s] {
            guarded(QT_TR_NOOP("starting a sweep"), [&] {
                if (s->sweepActive)
                    sweeps_->cancel(s->id);
                else
                    startSweep(s->id);
            });
        });
    }
    cardsLayout_->addStretch(1);
    auto* scroll = new QScrollArea;
    scroll->setWidget(cards);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    layout->addWidget(scroll, 1);
    panel->setMinimumWidth(210);
    return panel;
}

QWidget* MainWindow::buildCentre() {
    auto* centre = new QWidget;
    auto* layout = new QVBoxLayout(centre);
    layout->setContentsMargins(0, 4, 0, 0);
    layout->setSpacing(4);

    // Mode bar: four mode buttons, then the options of the current mode.
    auto* bar = new QHBoxLayout;
    bar->setContentsMargins(4, 0, 4, 0);
    modeGroup_ = new QButtonGroup(this);
    modeGroup_->setExclusive(true);
    for (int i = 0; i < 4; ++i) {
        modeButtons_[i] = new QToolButton(centre);
        modeButtons_[i]->setCheckable(true);
        modeButtons_[i]->setToolButtonStyle(Qt::ToolButtonTextOnly);
        modeButtons_[i]->setObjectName(QStringLiteral("modeButton%1").arg(i));
        modeGroup_->addButton(modeButtons_[i], i);
        bar->addWidget(modeButtons_[i]);
    }
    modeButtons_[0]->setChecked(true);
    connect(modeGroup_, &QButtonGroup::idClicked, this, [this](int id) { setViewMode(ViewMode(id)); });
    bar->addSpacing(12);

    modeOptions_ = new QStackedWidget(centre);
    // Grid options.
    auto* gridOptions = new QWidget;
    auto* gl = new QHBoxLayout(gridOptions);
    gl->setContentsMargins(0, 0, 0, 0);
    pixelGridCheck_ = new QCheckBox(gridOptions);
    pixelGridCheck_->setChecked(true);
    blockGridCheck_ = new QCheckBox(gridOptions);
    gridHint_ = new QLabel(gridOptions);
    gridHint_->setStyleSheet(QStringLiteral("color: palette(dark);"));
    gridHint_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    gl->addWidget(pixelGridCheck_);
    gl->addWidget(blockGridCheck_);
    gl->addWidget(gridHint_, 1);
    // Split options.
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
    sl->addStretch(1);
    // Heatmap options.
    auto* heatOptions = new QWidget;
    auto* hl = new QHBoxLayout(heatOptions);
    hl->setContentsMargins(0, 0, 0, 0);
    heatKindLabel_ = new QLabel(heatOptions);
    heatKindCombo_ = new QComboBox(heatOptions);
    heatKindCombo_->setObjectName(QStringLiteral("heatKindCombo"));
    heatKindLabel_->setBuddy(heatKindCombo_);
    for (int i = 0; i < 4; ++i) heatKindCombo_->addItem(QString(), i);
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
    // Chart options.
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
    layout->addLayout(bar);

    // The views.
    stack_ = new QStackedWidget(centre);
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
    charts_ = new RdChartView;
    charts_->setObjectName(QStringLiteral("chartView"));
    stack_->addWidget(grid_);
    stack_->addWidget(view_);
    stack_->addWidget(heatPage);
    stack_->addWidget(charts_);

    table_ = new MetricsTable;
    table_->setObjectName(QStringLiteral("metricsTable"));
    centreSplitter_ = new QSplitter(Qt::Vertical, centre);
    centreSplitter_->setObjectName(QStringLiteral("centreSplitter"));
    centreSplitter_->addWidget(stack_);
    centreSplitter_->addWidget(table_);
    centreSplitter_->setStretchFactor(0, 1);
    centreSplitter_->setStretchFactor(1, 0);
    centreSplitter_->setCollapsible(0, false);
    centreSplitter_->setSizes({640, 150});
    layout->addWidget(centreSplitter_, 1);

    for (TileGridView* v : {grid_, heatGrid_}) {
        connect(v, &TileGridView::texelHovered, this, &MainWindow::onTexelHovered);
        connect(v, &TileGridView::painted, this, &MainWindow::onViewPainted);
        connect(v, &TileGridView::selectionChanged, this, [this](const QRect& r) { selectRegion(r); });
        // A click on a codec's tile selects that codec (the split view's B, the panel, exports).
        connect(v, &TileGridView::tileClicked, this, [this](const QString& key) {
            if (key == kOriginalKey) return;
            guarded(QT_TR_NOOP("switching a codec"), [&] { selectCodec(key.toStdString()); });
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
    connect(view_, &SplitView::texelHovered, this, &MainWindow::onTexelHovered);
    connect(view_, &SplitView::painted, this, &MainWindow::onViewPainted);
    connect(pixelGridCheck_, &QCheckBox::toggled, this, [this](bool on) {
        grid_->setShowPixelGrid(on);
        heatGrid_->setShowPixelGrid(on);
    });
    connect(blockGridCheck_, &QCheckBox::toggled, this, [this](bool on) {
        grid_->setShowBlockGrid(on);
        heatGrid_->setShowBlockGrid(on);
    });
    connect(splitACombo_, qOverload<int>(&QComboBox::activated), this,
            [this](int i) { setSplitSources(splitACombo_->itemData(i).toString(), splitB_); });
    connect(splitBCombo_, qOverload<int>(&QComboBox::activated), this,
            [this](int i) { setSplitSources(splitA_, splitBCombo_->itemData(i).toString()); });
    connect(flipButton_, &QPushButton::clicked, view_, &SplitView::flip);
    connect(heatKindCombo_, qOverload<int>(&QComboBox::activated), this,
            [this](int i) { setHeatmapKind(ErrorMapKind(heatKindCombo_->itemData(i).toInt())); });
    connect(heatLogCheck_, &QCheckBox::toggled, this, [this](bool on) { setHeatmapLogarithmic(on); });
    connect(heatLockCheck_, &QCheckBox::toggled, this, [this](bool on) { setHeatmapScaleLocked(on); });
    connect(sweepAllButton_, &QPushButton::clicked, this, [this] {
        guarded(QT_TR_NOOP("starting a sweep"), [&] {
            for (const auto& s : slots_)
                if (s->enabled) startSweep(s->id);
        });
    });
    connect(cancelSweepsButton_, &QPushButton::clicked, this, &MainWindow::cancelSweeps);
    heatLockCheck_->setChecked(heatLocked_);
    heatLogCheck_->setChecked(heatLog_);
    heatKindCombo_->setCurrentIndex(heatKindCombo_->findData(int(heatKind_)));
    return centre;
}

QWidget* MainWindow::buildRightPanel() {
    auto* panel = new QWidget;
    panel->setObjectName(QStringLiteral("sidePanel"));
    auto* panelLayout = new QVBoxLayout(panel);
    panelLayout->setContentsMargins(4, 8, 8, 8);
    panelLayout->setSpacing(8);

    viewGroup_ = new QGroupBox(panel);
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
    falseColourCheck_ = new QCheckBox(viewGroup_);
    falseColourCheck_->setObjectName(QStringLiteral("falseColourCheck"));
    viewLayout->addWidget(falseColourCheck_);
    connect(exposureSlider_, &QSlider::valueChanged, this, [this](int v) { setExposure(v / 10.0); });
    connect(exposureSpin_, qOverload<double>(&QDoubleSpinBox::valueChanged), this,
            [this](double v) { setExposure(v); });
    connect(toneCurveCombo_, qOverload<int>(&QComboBox::currentIndexChanged), this, [this] { updateDisplayOptions(); });
    connect(falseColourCheck_, &QCheckBox::toggled, this, [this] { updateDisplayOptions(); });

    metricsGroup_ = new QGroupBox(panel);
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
    connect(maskCombo_, qOverload<int>(&QComboBox::activated), this, [this](int index) {
        guarded(QT_TR_NOOP("changing the measured texels"), [&] { setMaskMode(MaskMode(std::clamp(index, 0, 2))); });
    });
    metrics_ = new MetricsPanel(metricsGroup_);
    metrics_->setObjectName(QStringLiteral("metricsPanel"));
    metricsLayout->addWidget(metrics_);

    inspectorGroup_ = new QGroupBox(panel);
    auto* inspectorLayout = new QVBoxLayout(inspectorGroup_);
    inspector_ = new QLabel(inspectorGroup_);
    inspector_->setObjectName(QStringLiteral("inspector"));
    inspector_->setTextFormat(Qt::RichText);
    inspector_->setWordWrap(true);
    inspector_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    inspector_->setMinimumHeight(inspector_->fontMetrics().height() * 4);
    inspector_->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    inspectorLayout->addWidget(inspector_);

    regionGroup_ = new QGroupBox(panel);
    auto* regionLayout = new QVBoxLayout(regionGroup_);
    regionLabel_ = new QLabel(regionGroup_);
    regionLabel_->setObjectName(QStringLiteral("regionLabel"));
    regionLabel_->setWordWrap(true);
    regionTable_ = new QTableWidget(0, 4, regionGroup_);
    regionTable_->setObjectName(QStringLiteral("regionTable"));
    regionTable_->verticalHeader()->hide();
    regionTable_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    regionTable_->horizontalHeader()->setStretchLastSection(true);
    regionTable_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    regionTable_->verticalHeader()->setDefaultSectionSize(regionTable_->fontMetrics().height() + 4);
    regionTable_->setMaximumHeight(regionTable_->fontMetrics().height() * 8);
    regionTable_->hide();
    regionLayout->addWidget(regionLabel_);
    regionLayout->addWidget(regionTable_);

    imageGroup_ = new QGroupBox(panel);
    auto* imageLayout = new QVBoxLayout(imageGroup_);
    imageInfo_ = new QLabel(imageGroup_);
    imageInfo_->setObjectName(QStringLiteral("imageInfo"));
    imageInfo_->setWordWrap(true);
    imageInfo_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    imageLayout->addWidget(imageInfo_);

    panelLayout->addWidget(viewGroup_);
    panelLayout->addWidget(metricsGroup_);
    panelLayout->addWidget(inspectorGroup_);
    panelLayout->addWidget(regionGroup_);
    panelLayout->addWidget(imageGroup_);
    panelLayout->addStretch(1);

    auto* scroll = new QScrollArea;
    scroll->setWidget(panel);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll->setMinimumWidth(210);
    return scroll;
}

void MainWindow::buildMenus() {
    openAction_ = new QAction(this);
    openAction_->setShortcut(QKeySequence::Open);
    connect(openAction_, &QAction::triggered, this, [this] {
        guarded(QT_TR_NOOP("choosing a file"), [&] {
            const QString dir = settings_->value(QStringLiteral("lastDirectory"), QDir::homePath()).toString();
            const QString path = QFileDialog::getOpenFileName(this, tr("Open lightmap"), dir,
                                                              tr("OpenEXR images (*.exr);;All files (*)"));
            if (!path.isEmpty()) openFile(path);
        });
    });
    openSampleAction_ = new QAction(this);
    connect(openSampleAction_, &QAction::triggered, this, [this] {
        const QString sample = findSampleLightmap();
        if (sample.isEmpty())
            reportError(tr("Sample not found"), tr("The bundled sample lightmap is not installed."));
        else
            openFile(sample);
    });
    clearRecentAction_ = new QAction(this);
    connect(clearRecentAction_, &QAction::triggered, this, [this] {
        settings_->setValue(QStringLiteral("recentFiles"), QStringList());
        rebuildRecentMenu();
    });
    quitAction_ = new QAction(this);
    quitAction_->setShortcut(QKeySequence::Quit);
    connect(quitAction_, &QAction::triggered, this, &QWidget::close);

    // View actions act on whichever image view is shown.
    auto onViews = [this](auto gridSlot, auto splitSlot) {
        return [this, gridSlot, splitSlot] {
            if (stack_->currentWidget() == view_)
                (view_->*splitSlot)();
            else if (mode_ == ViewMode::Heatmap)
                (heatGrid_->*gridSlot)();
            else
                (grid_->*gridSlot)();
        };
    };
    fitAction_ = new QAction(this);
    fitAction_->setShortcut(Qt::Key_0);
    connect(fitAction_, &QAction::triggered, this, onViews(&TileGridView::fitToWindow, &SplitView::fitToWindow));
    actualSizeAction_ = new QAction(this);
    actualSizeAction_->setShortcut(Qt::Key_1);
    connect(actualSizeAction_, &QAction::triggered, this,
            onViews(&TileGridView::zoomToActualSize, &SplitView::zoomToActualSize));
    zoomInAction_ = new QAction(this);
    zoomInAction_->setShortcut(QKeySequence::ZoomIn);
    connect(zoomInAction_, &QAction::triggered, this, onViews(&TileGridView::zoomIn, &SplitView::zoomIn));
    zoomOutAction_ = new QAction(this);
    zoomOutAction_->setShortcut(QKeySequence::ZoomOut);
    connect(zoomOutAction_, &QAction::triggered, this, onViews(&TileGridView::zoomOut, &SplitView::zoomOut));
    flipAction_ = new QAction(this);
    flipAction_->setCheckable(true);
    flipAction_->setShortcut(Qt::Key_F);
    connect(flipAction_, &QAction::toggled, view_, &SplitView::setFlipped);
    connect(view_, &SplitView::flippedChanged, flipAction_, &QAction::setChecked);
    dimUncoveredAction_ = new QAction(this);
    dimUncoveredAction_->setCheckable(true);
    dimUncoveredAction_->setChecked(settings_->value(QStringLiteral("view/dimUncovered"), true).toBool());
    connect(dimUncoveredAction_, &QAction::toggled, this, [this](bool on) {
        updateDisplayOptions();
        if (options_.persistState) settings_->setValue(QStringLiteral("view/dimUncovered"), on);
    });
    autoExposureAction_ = new QAction(this);
    autoExposureAction_->setShortcut(Qt::Key_E);
    connect(autoExposureAction_, &QAction::triggered, this, [this] { setExposure(suggestedExposure_); });
    autoExposureButton_->setDefaultAction(autoExposureAction_);
    modeActionGroup_ = new QActionGroup(this);
    for (int i = 0; i < 4; ++i) {
        modeActions_[i] = new QAction(this);
        modeActions_[i]->setCheckable(true);
        modeActions_[i]->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + i)));
        modeActionGroup_->addAction(modeActions_[i]);
        connect(modeActions_[i], &QAction::triggered, this, [this, i] { setViewMode(ViewMode(i)); });
    }
    modeActions_[0]->setChecked(true);
    // Shortcuts live on the window so they work whichever control has focus.
    for (QAction* a : {fitAction_, actualSizeAction_, flipAction_, autoExposureAction_})
        a->setShortcutContext(Qt::WindowShortcut);
    updateDisplayOptions();

    aboutAction_ = new QAction(this);
    connect(aboutAction_, &QAction::triggered, this, [this] {
        QMessageBox box(QMessageBox::Information, tr("About Lightmap Codec Studio"),
                        tr("<b>Lightmap Codec Studio</b><p>Compresses baked HDR lightmaps with traditional and "
                           "learned codecs and compares the results side by side.</p>"),
                        QMessageBox::NoButton, this);
        box.addButton(tr("Close"), QMessageBox::AcceptRole);
        box.exec();
    });

    fileMenu_ = menuBar()->addMenu(QString());
    fileMenu_->addAction(openAction_);
    recentMenu_ = fileMenu_->addMenu(QString());
    fileMenu_->addAction(openSampleAction_);
    fileMenu_->addSeparator();
    fileMenu_->addAction(quitAction_);

    viewMenu_ = menuBar()->addMenu(QString());
    for (QAction* a : modeActions_) viewMenu_->addAction(a);
    viewMenu_->addSeparator();
    viewMenu_->addAction(fitAction_);
    viewMenu_->addAction(actualSizeAction_);
    viewMenu_->addAction(zoomInAction_);
    viewMenu_->addAction(zoomOutAction_);
    viewMenu_->addSeparator();
    viewMenu_->addAction(flipAction_);
    viewMenu_->addAction(autoExposureAction_);
    viewMenu_->addAction(dimUncoveredAction_);

    languageMenu_ = menuBar()->addMenu(QString());
    languageGroup_ = new QActionGroup(this);
    languageGroup_->setExclusive(true);
    for (const QString& code : availableLanguages()) {
        QAction* a = languageMenu_->addAction(languageDisplayName(code));
        a->setCheckable(true);
        a->setData(code);
        languageGroup_->addAction(a);
    }
    connect(languageGroup_, &QActionGroup::triggered, this, [this](QAction* a) {
        guarded(QT_TR_NOOP("changing the language"), [&] { setLanguage(a->data().toString(), true); });
    });

    helpMenu_ = menuBar()->addMenu(QString());
    helpMenu_->addAction(aboutAction_);

    toolBar_ = addToolBar(QString());
    toolBar_->setObjectName(QStringLiteral("mainToolBar"));
    toolBar_->setMovable(false);
    toolBar_->setToolButtonStyle(Qt::ToolButtonTextOnly);
    toolBar_->addAction(openAction_);
    toolBar_->addSeparator();
    toolBar_->addAction(fitAction_);
    toolBar_->addAction(actualSizeAction_);
    toolBar_->addAction(flipAction_);
}

void MainWindow::retranslateUi() {
    fileMenu_->setTitle(tr("&File"));
    recentMenu_->setTitle(tr("Open &Recent"));
    viewMenu_->setTitle(tr("&View"));
    languageMenu_->setTitle(tr("&Language"));
    helpMenu_->setTitle(tr("&Help"));
    toolBar_->setWindowTitle(tr("Toolbar"));
    openAction_->setText(tr("&Open…"));
    openAction_->setToolTip(tr("Open an OpenEXR lightmap (Ctrl+O); you can also drop a file on the window"));
    openSampleAction_->setText(tr("Open &Sample"));
    clearRecentAction_->setText(tr("&Clear List"));
    quitAction_->setText(tr("&Quit"));
    fitAction_->setText(tr("&Fit to Window"));
    fitAction_->setToolTip(tr("Fit the image to the view (0 or double-click)"));
    actualSizeAction_->setText(tr("&Actual Size"));
    actualSizeAction_->setToolTip(tr("One texel per screen pixel (1)"));
    zoomInAction_->setText(tr("Zoom &In"));
    zoomOutAction_->setText(tr("Zoom &Out"));
    flipAction_->setText(tr("Fl&ip A/B"));
    flipAction_->setToolTip(tr("Swap which image is left of the divider (F or Space)"));
    autoExposureAction_->setText(tr("&Auto Exposure"));
    autoExposureAction_->setIconText(tr("Auto"));
    autoExposureAction_->setToolTip(tr("Expose so the average lit texel shows as middle grey (E)"));
    dimUncoveredAction_->setText(tr("&Dim Uncounted Texels"));
    dimUncoveredAction_->setToolTip(
        tr("Darken the texels the metrics do not count (gutters beyond the filter ring; see Texels)"));
    aboutAction_->setText(tr("&About"));
    const QString modeNames[4] = {tr("Grid"), tr("Split"), tr("Heatmap"), tr("Charts")};
    const QString modeTips[4] = {
        tr("The original and every enabled codec side by side, zoom and pan synchronised (Ctrl+1)"),
        tr("Two images with a draggable divider (Ctrl+2)"), tr("Per-codec error maps with a colour legend (Ctrl+3)"),
        tr("Rate-distortion curves and encode/decode times (Ctrl+4)")};
    for (int i = 0; i < 4; ++i) {
        modeButtons_[i]->setText(modeNames[i]);
        modeButtons_[i]->setToolTip(modeTips[i]);
        modeActions_[i]->setText(modeNames[i]);
    }

    codecGroup_->setTitle(tr("Codecs"));
    codecLabel_->setText(tr("Selected"));
    codecCombo_->setToolTip(tr("The codec the split view, the quality panel and exports refer to"));
    deviceLabel_->setText(tr("Device"));
    deviceCombo_->setToolTip(tr("Where learned codecs run"));
    for (auto& s : slots_) {
        s->card->setTitle(codecName(s->id));
        s->card->setToolTip(tr("Switch %1 on or off").arg(codecName(s->id)));
        s->description->setText(QCoreApplication::translate(kCodecContext, s->codec->description().c_str()));
        updateSweepUi(*s);
        updateTile(*s);
    }
    for (int i = 0; i < codecCombo_->count(); ++i)
        codecCombo_->setItemText(i, codecName(codecCombo_->itemData(i).toString().toStdString()));

    pixelGridCheck_->setText(tr("Texel grid"));
    pixelGridCheck_->setToolTip(tr("Lines between texels from 800% zoom (G)"));
    blockGridCheck_->setText(tr("4×4 blocks"));
    blockGridCheck_->setToolTip(tr("Lines between 4×4 blocks, as BC6H and ASTC 4×4 encode them (B)"));
    gridHint_->setText(tr("Wheel: zoom · drag: pan · Shift+drag: region"));
    splitALabel_->setText(tr("A"));
    splitBLabel_->setText(tr("B"));
    flipButton_->setText(tr("Flip"));
    flipButton_->setToolTip(flipAction_->toolTip());
    heatKindLabel_->setText(tr("Error"));
    const QString kinds[4] = {tr("Absolute"), tr("Relative"), tr("Log ratio"), tr("PU21 perceptual")};
    for (int i = 0; i < 4; ++i) heatKindCombo_->setItemText(i, kinds[i]);
    heatKindCombo_->setToolTip(
        tr("Absolute: |a − b|; relative: |a − b| / a; log ratio: stops between a and b; "
           "PU21: perceptual difference of luminance"));
    heatLogCheck_->setText(tr("Log scale"));
    heatLockCheck_->setText(tr("Lock scale across codecs"));
    heatLockCheck_->setToolTip(tr("One colour scale for every codec, so equal colours mean equal errors"));
    sweepAllButton_->setText(tr("Sweep All"));
    sweepAllButton_->setToolTip(tr("Measure every enabled codec over its rate range in the background"));
    cancelSweepsButton_->setText(tr("Cancel Sweeps"));
    chartsHint_->setText(tr("Squares: current settings"));
    const QString curves[3] = {tr("sRGB"), tr("ACES filmic"), tr("Clamp (linear)")};
    for (int i = 0; i < 3; ++i) toneCurveCombo_->setItemText(i, curves[i]);
    toneCurveCombo_->setToolTip(
        tr("How linear values become display values: sRGB clips at white, ACES rolls "
           "highlights off, clamp shows linear values without a curve"));
    toneCurveLabel_->setText(tr("Tone curve"));
    falseColourCheck_->setText(tr("False colour (±6 EV)"));
    falseColourCheck_->setToolTip(tr("Luminance in stops around middle grey: blue dark, green mid, red bright"));

    viewGroup_->setTitle(tr("Display"));
    exposureLabel_->setText(tr("Exposure"));
    exposureSpin_->setSuffix(tr(" EV"));
    exposureSpin_->setToolTip(tr("Display exposure in stops; it changes only the view, not the compression."));
    exposureSlider_->setToolTip(exposureSpin_->toolTip());
    metricsGroup_->setTitle(tr("Reconstruction quality"));
    maskLabel_->setText(tr("Te&xels"));
    maskCombo_->setItemText(int(MaskMode::Visible), tr("Visible (charts + filter ring)"));
    maskCombo_->setItemText(int(MaskMode::Covered), tr("Covered (charts only)"));
    maskCombo_->setItemText(int(MaskMode::All), tr("All texels"));
    maskCombo_->setToolTip(
        tr("Which texels the metrics, error maps and charts count. Visible: the UV charts and the one-texel ring "
           "around them that bilinear filtering shows in game. Covered: the charts only. All: every texel, gutters "
           "included."));
    inspectorGroup_->setTitle(tr("Pixel inspector"));
    regionGroup_->setTitle(tr("Region"));
    regionTable_->setHorizontalHeaderLabels({tr("Codec"), tr("mPSNR"), tr("PU21-SSIM"), tr("Max error")});
    imageGroup_->setTitle(tr("Image"));
    const QString placeholder = tr("Open a lightmap with File ▸ Open…, or drop an .exr file here.");
    view_->setPlaceholderText(placeholder);
    grid_->setPlaceholderText(placeholder);
    heatGrid_->setPlaceholderText(placeholder);
    for (QAction* a : languageGroup_->actions()) a->setChecked(a->data().toString() == language_);
    // Device names are ours to translate (the codec library's labels are English); learned-codec inference runs
    // on our CPU kernels with the worker's thread count, so no torch thread count is shown.
    for (int i = 0; i < deviceCombo_->count(); ++i) {
        const QString id = deviceCombo_->itemData(i).toString();
        deviceCombo_->setItemText(
            i, id == QLatin1String("cpu") ? tr("CPU") : tr("CUDA GPU %1").arg(id.section(QLatin1Char(':'), 1)));
        if (id == device_) deviceStatus_->setText(tr("Learned codecs: %1").arg(deviceCombo_->itemText(i)));
    }
    deviceStatus_->setToolTip(tr("Device that runs the learned codecs"));

    rebuildRecentMenu();
    updateTitle();
    updateImageInfo();
    updateSplitCombos();
    updateSideLabels();
    updateLegend();
    inspectTexel(hovered_);
    if (!region_.isEmpty())
        regionTimer_->start();
    else
        regionLabel_->setText(tr("Shift+drag in the grid or heatmap to measure a region."));
    if (!lastResult()) latencyLabel_->clear();
}

void MainWindow::restoreSettings() {
    const QByteArray geometry = settings_->value(QStringLiteral("window/geometry")).toByteArray();
    if (!geometry.isEmpty()) restoreGeometry(geometry);
    const QByteArray split = settings_->value(QStringLiteral("window/splitter")).toByteArray();
    if (!split.isEmpty()) splitter_->restoreState(split);
    const QByteArray centreSplit = settings_->value(QStringLiteral("window/centreSplitter")).toByteArray();
    if (!centreSplit.isEmpty()) centreSplitter_->restoreState(centreSplit);

    // Parameters last used with each codec (unreadable entries fall back to the live defaults), and whether the
    // codec is switched on.
    for (auto& s : slots_) {
        const QString key = QStringLiteral("codecs/%1/params").arg(s->key);
        const QString text = settings_->value(key).toString();
        if (!text.isEmpty()) {
            auto parsed = parseParamSet(s->codec->schema(), text.toStdString());
            if (parsed) s->params = *parsed;
        }
        s->editor->setValues(s->params);
        s->params = s->editor->values();
        s->enabled = settings_->value(QStringLiteral("codecs/%1/enabled").arg(s->key), true).toBool();
        QSignalBlocker block(s->card);
        s->card->setChecked(s->enabled);
    }
    std::string codec = settings_->value(QStringLiteral("codec"), options_.defaultCodec).toString().toStdString();
    if (!registry_.find(codec)) codec = options_.defaultCodec.toStdString();
    if (!registry_.find(codec) && !slots_.empty()) codec = slots_.front()->id;
    selectCodec(codec);
    const int mode = settings_->value(QStringLiteral("view/mode"), 0).toInt();
    setViewMode(ViewMode(std::clamp(mode, 0, 3)));
    MaskMode mask = MaskMode::Visible;
    parseMaskMode(settings_->value(QStringLiteral("metrics/mask"), QStringLiteral("visible")).toString().toStdString(),
                  mask);
    setMaskMode(mask);
    updateTiles();
    language_ = currentLanguage();
}

void MainWindow::saveSettings() {
    if (!options_.persistState) return;
    settings_->setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings_->setValue(QStringLiteral("window/splitter"), splitter_->saveState());
    settings_->setValue(QStringLiteral("window/centreSplitter"), centreSplitter_->saveState());
    settings_->setValue(QStringLiteral("codec"), QString::fromStdString(codecId_));
    settings_->setValue(QStringLiteral("view/mode"), int(mode_));
    for (const auto& s : slots_) {
        settings_->setValue(QStringLiteral("codecs/%1/params").arg(s->key),
                            QString::fromStdString(formatParamSet(s->codec->schema(), s->params)));
        settings_->setValue(QStringLiteral("codecs/%1/enabled").arg(s->key), s->enabled);
    }
    settings_->sync();
}

void MainWindow::setLanguage(const QString& code, bool persist) {
    const QString normalized = normalizeLanguage(code);
    if (normalized.isEmpty()) return;
    if (!applyLanguage(normalized)) {
        reportError(tr("Language"), tr("The translation for %1 could not be loaded.").arg(normalized));
        return;
    }
    language_ = normalized;
    if (persist) settings_->setValue(QStringLiteral("language"), normalized);
    // applyLanguage sends LanguageChange to every widget; the window retranslates itself from changeEvent.
    for (QAction* a : languageGroup_->actions()) a->setChecked(a->data().toString() == language_);
}

void MainWindow::setDevice(const QString& device) {
    device_ = device;
    for (auto& s : slots_) s->runner->setDevice(device.toStdString());
    sweeps_->setDevice(device.toStdString());
    const int index = deviceCombo_->findData(device);
    if (index >= 0 && deviceCombo_->currentIndex() != index) {
        QSignalBlocker block(deviceCombo_);
        deviceCombo_->setCurrentIndex(index);
    }
    if (index >= 0) deviceStatus_->setText(tr("Learned codecs: %1").arg(deviceCombo_->itemText(index)));
}

// ---- modes --------------------------------------------------------------------------------------------------

void MainWindow::setViewMode(ViewMode mode) {
    const int i = int(mode);
    // Keep the place: the split view and the heatmap take the grid's zoom when entered (both texel-aligned).
    mode_ = mode;
    stack_->setCurrentIndex(i);
    modeOptions_->setCurrentIndex(i);
    if (!modeButtons_[i]->isChecked()) modeButtons_[i]->setChecked(true);
    if (modeActions_[i] && !modeActions_[i]->isChecked()) modeActions_[i]->setChecked(true);
    if (mode == ViewMode::Heatmap) updateHeatmaps();
    if (mode == ViewMode::Split) updateSplit();
}

// ---- codecs and parameters ----------------------------------------------------------------------------------

void MainWindow::selectCodec(const std::string& id) {
    CodecSlot* slot = slotFor(id);
    if (!slot) return;
    codecId_ = id;
    const int index = codecCombo_->findData(slot->key);
    if (codecCombo_->currentIndex() != index) {
        QSignalBlocker block(codecCombo_);
        codecCombo_->setCurrentIndex(index);
    }
    if (!slot->enabled) setCodecEnabled(id, true);
    splitB_ = slot->key;
    if (splitA_ == splitB_) splitA_ = kOriginalKey;
    for (auto& s : slots_) {
        QFont f = s->card->font();
        f.setBold(s.get() == slot);
        s->card->setFont(f);
        // The card's children keep the normal weight.
        for (QWidget* child : s->card->findChildren<QWidget*>(QString(), Qt::FindDirectChildrenOnly)) {
            QFont cf = child->font();
            cf.setBold(false);
            child->setFont(cf);
        }
    }
    updateSplitCombos();
    updateSplit();
    updateMetricsPanel();
    updateLegend();
    if (source_ && slot->enabled && !slot->result && !slot->runner->isBusy()) requestCompression(*slot, true);
}

void MainWindow::setCodecEnabled(const std::string& codecId, bool enabled) {
    CodecSlot* slot = slotFor(codecId);
    if (!slot) return;
    if (slot->card->isChecked() != enabled) {
        QSignalBlocker block(slot->card);
        slot->card->setChecked(enabled);
    }
    if (slot->enabled == enabled) return;
    slot->enabled = enabled;
    if (!enabled) {
        slot->runner->cancel();
        sweeps_->cancel(codecId);
        slot->busy = false;
        slot->result.reset();
        slot->errorMap.reset();
        slot->sweepSig.clear();
        slot->sweep.clear();
        table_->metricsModel()->removeRow(slot->key);
        charts_->removeCodec(slot->key);
        if (splitA_ == slot->key) splitA_ = kOriginalKey;
        if (splitB_ == slot->key) {
            splitB_.clear();
            for (const auto& s : slots_)
                if (s->enabled) {
                    splitB_ = s->key;
                    break;
                }
        }
    }
    updateTiles();
    updateSplitCombos();
    updateSplit();
    if (enabled) requestCompression(*slot, true);
    if (mode_ == ViewMode::Heatmap) updateHeatmaps();
    if (!region_.isEmpty()) regionTimer_->start();
}

bool MainWindow::isCodecEnabled(const std::string& codecId) const {
    const CodecSlot* slot = slotFor(codecId);
    return slot && slot->enabled;
}

std::vector<std::string> MainWindow::enabledCodecs() const {
    std::vector<std::string> ids;
    for (const auto& s : slots_)
        if (s->enabled) ids.push_back(s->id);
    return ids;
}

void MainWindow::requestCompression(CodecSlot& slot, bool immediately) {
    if (!source_ || !slot.enabled) return;
    slot.busy = true;
    slot.progress = -1.0;
    updateTile(slot);
    table_->metricsModel()->setPending(slot.key, true);
    if (slot.id == codecId_) metrics_->setPending(true);
    if (immediately)
        slot.runner->requestNow(slot.id, slot.params);
    else
        slot.runner->request(slot.id, slot.params);
}

void MainWindow::requestAll() {
    // The selected codec first: its job starts first and gets the cores first.
    if (CodecSlot* selected = slotFor(codecId_)) requestCompression(*selected, true);
    for (auto& s : slots_)
        if (s->id != codecId_) requestCompression(*s, true);
}

// ---- results ------------------------------------------------------------------------------------------------

void MainWindow::onReconstruction(CodecSlot& slot, const CompressionResultPtr& result) {
    if (!slot.enabled) return;
    // Keep the previous metrics visible (greyed) until this result's are measured.
    slot.result = result;
    slot.error.clear();
    slot.busy = false;
    slot.progress = -1.0;
    grid_->setTileFloatImage(slot.key, floatFor(result->reconstruction));
    updateTile(slot);
    updateSplit();
    updateTableRow(slot);
    table_->metricsModel()->setPending(slot.key, true);
    if (slot.id == codecId_) {
        updateMetricsPanel();
        metrics_->setPending(true);
    }
    if (mode_ == ViewMode::Heatmap) requestHeatmap(slot);
    slot.latencyStartNs = result->requestedAtNs;
    if (slot.id == codecId_) emit reconstructionShown(result->generation);
    emit codecResultShown(slot.key, result->generation);
}

void MainWindow::onMetrics(CodecSlot& slot, const CompressionResultPtr& result) {
    if (!slot.enabled) return;
    slot.result = result;
    updateTile(slot);
    updateTableRow(slot);
    table_->metricsModel()->setPending(slot.key, false);
    updateChart(slot);
    if (slot.id == codecId_) {
        updateMetricsPanel();
        metrics_->setPending(false);
        if (result->metricsError) metrics_->setError(errorText(*result->metricsError));
    }
    if (hovered_.x() >= 0) inspectTexel(hovered_);
    if (!region_.isEmpty()) regionTimer_->start();
    maybeStartSweep(slot);
    if (slot.id == codecId_) emit resultShown(result->generation);
    emit codecMetricsShown(slot.key, result->generation);
}

void MainWindow::onJobFailed(CodecSlot& slot, const Error& error) {
    slot.busy = false;
    slot.progress = -1.0;
    const QString text = errorText(error);
    slot.error = tr("Compression failed: %1").arg(errorSummary(error.code));
    updateTile(slot);
    table_->metricsModel()->setPending(slot.key, false);
    if (slot.id == codecId_) {
        metrics_->setPending(false);
        metrics_->setError(tr("Compression failed: %1").arg(text));
    }
    statusBar()->showMessage(tr("%1: compression failed: %2").arg(codecName(slot.id), errorSummary(error.code)), 8000);
    emit codecFailed(slot.key, text);
    emit errorReported(tr("Compression failed"), text);
}

void MainWindow::onViewPainted() {
    for (auto& s : slots_) {
        if (s->latencyStartNs < 0) continue;
        const double ms = double(s->runner->clock() - s->latencyStartNs) / 1e6;
        s->latencyStartNs = -1;
        emit codecLatencyMeasured(s->key, ms);
        if (s->id == codecId_) {
            latencyLabel_->setText(
                tr("%1 updated %2 ms after the change").arg(codecName(s->id), QLocale().toString(ms, 'f', 0)));
            emit latencyMeasured(ms);
        }
    }
}

void MainWindow::updateTiles() {
    QStringList keys{kOriginalKey};
    for (const auto& s : slots_)
        if (s->enabled) keys << s->key;
    grid_->setTiles(keys);
    heatGrid_->setTiles(keys);
    grid_->setTileCaption(kOriginalKey, tr("Original"),
                          source_ ? tr("%1 × %2 texels").arg(source_->width()).arg(source_->height()) : QString());
    heatGrid_->setTileCaption(kOriginalKey, tr("Original"), tr("for reference"));
    for (auto& s : slots_)
        if (s->enabled) updateTile(*s);
}

void MainWindow::updateTile(CodecSlot& s) {
    if (!grid_ || !s.enabled) return;
    const QLocale locale;
    QString detail;
    if (s.result) {
        detail = tr("%1 bpp").arg(locale.toString(s.result->bitsPerTexel, 'f', 2));
        if (s.result->hasMetrics) detail += tr(" · mPSNR %1 dB").arg(psnrText(s.result->metrics.mPsnr));
    }
    const QString title = codecName(s.id);
    grid_->setTileCaption(s.key, title, detail);
    grid_->setTileBusy(s.key, s.busy, s.progress);
    grid_->setTileMessage(s.key,
                          s.error.isEmpty() ? (s.result || s.busy ? QString() : tr("Waiting for an image")) : s.error);
    if (heatGrid_->indexOf(s.key) >= 0) {
        QString heatDetail = detail;
        if (s.heatShown) {
            const HeatmapScale scale = heatmapScale(s.id);
            heatDetail =
                tr("scale %1 … %2").arg(formatHeatmapValue(scale.minValue), formatHeatmapValue(scale.maxValue));
        }
        heatGrid_->setTileCaption(s.key, title, heatDetail);
        heatGrid_->setTileBusy(s.key, s.busy, s.progress);
        heatGrid_->setTileMessage(s.key, s.error);
    }
    if (s.card) {
        QString status;
        if (!s.error.isEmpty())
            status = s.error;
        else if (s.result && s.result->hasMetrics)
            status = tr("%1 bytes · %2 bpp · mPSNR %3 dB")
                         .arg(locale.toString(qint64(s.result->bytes)), locale.toString(s.result->bitsPerTexel, 'f', 2),
                              psnrText(s.result->metrics.mPsnr));
        else if (s.busy)
            status = tr("Encoding…");
        s.status->setText(status);
        s.status->setStyleSheet(s.error.isEmpty() ? QString() : QStringLiteral("color: #c62828;"));
    }
    if (view_) {
        if (splitA_ == s.key) view_->setBusy(SplitView::Side::A, s.busy);
        if (splitB_ == s.key) view_->setBusy(SplitView::Side::B, s.busy);
    }
}

void MainWindow::updateTableRow(CodecSlot& s) {
    if (!s.result) return;
    MetricsTableRow row;
    row.key = s.key;
    row.codec = codecName(s.id);
    row.settings = QString::fromStdString(formatParamSet(s.codec->schema(), s.result->params));
    row.bytes = std::int64_t(s.result->bytes);
    row.bitsPerTexel = s.result->bitsPerTexel;
    row.encodeMs = s.result->encodeMs;
    row.decodeMs = s.result->decodeMs;
    if (s.result->hasMetrics) {
        row.mPsnr = s.result->metrics.mPsnr;
        row.logPsnr = s.result->metrics.logPsnr;
        row.pu21Psnr = s.result->metrics.pu21Psnr;
        row.ssim = s.result->metrics.pu21Ssim;
        row.maxError = s.result->metrics.maxAbsError;
    } else {
        // Keep the older metrics while the new ones are measured (shown greyed).
        const int i = table_->metricsModel()->rowOf(s.key);
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

void MainWindow::updateChart(CodecSlot& s) {
    charts_->setCodec(s.key, codecName(s.id));
    if (!s.result || !s.result->hasMetrics) return;
    const auto finite = [](double v) { return v >= kPsnrCapDb ? std::nan("") : v; };
    charts_->setCurrent(s.key,
                        RdPoint{s.result->bitsPerTexel, finite(s.result->metrics.mPsnr), s.result->metrics.pu21Ssim});
    charts_->setTimes(s.key, s.result->encodeMs, s.result->decodeMs);
}

void MainWindow::updateMetricsPanel() {
    const CodecSlot* s = slotFor(codecId_);
    metricsGroup_->setTitle(s ? tr("Quality: %1").arg(codecName(s->id)) : tr("Reconstruction quality"));
    if (!s || !s->result) {
        metrics_->clear();
        return;
    }
    MetricsValues values = s->result->hasMetrics ? MetricsValues{} : metrics_->values();
    values.bytes = std::int64_t(s->result->bytes);
    values.bitsPerTexel = s->result->bitsPerTexel;
    if (const double gpu = s->codec->gpuBitsPerTexel(s->result->params); gpu > 0) values.gpuBitsPerTexel = gpu;
    values.referenceBitsPerTexel = kHalfFloatRgbBits;
    values.encodeMs = s->result->encodeMs;
    values.decodeMs = s->result->decodeMs;
    if (s->result->hasMetrics) {
        values.metricsMs = s->result->metricsMs;
        values.mPsnr = s->result->metrics.mPsnr;
        values.logPsnr = s->result->metrics.logPsnr;
        values.pu21Psnr = s->result->metrics.pu21Psnr;
        values.ssim = s->result->metrics.pu21Ssim;
    }
    metrics_->setValues(values);
    metrics_->setError(QString());
}

// ---- split view ---------------------------------------------------------------------------------------------

void MainWindow::setSplitSources(const QString& a, const QString& b) {
    auto valid = [this](const QString& key) {
        if (key == kOriginalKey) return true;
        const CodecSlot* s = slotFor(key.toStdString());
        return s && s->enabled;
    };
    if (valid(a)) splitA_ = a;
    if (valid(b)) splitB_ = b;
    updateSplitCombos();
    updateSplit();
}

QString MainWindow::splitSource(bool sideB) const {
    return sideB ? splitB_ : splitA_;
}

void MainWindow::updateSplitCombos() {
    if (!splitACombo_) return;
    for (QComboBox* combo : {splitACombo_, splitBCombo_}) {
        QSignalBlocker block(combo);
        combo->clear();
        combo->addItem(tr("Original"), kOriginalKey);
        for (const auto& s : slots_)
            if (s->enabled) combo->addItem(codecName(s->id), s->key);
    }
    splitACombo_->setCurrentIndex(std::max(0, splitACombo_->findData(splitA_)));
    splitBCombo_->setCurrentIndex(std::max(0, splitBCombo_->findData(splitB_)));
}

void MainWindow::updateSplit() {
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
        const CodecSlot* s = slotFor(keys[i].toStdString());
        view_->setBusy(side, s && s->busy);
    }
    updateSideLabels();
}

void MainWindow::updateSideLabels() {
    const QString keys[2] = {splitA_, splitB_};
    for (int i = 0; i < 2; ++i) {
        const auto side = i == 0 ? SplitView::Side::A : SplitView::Side::B;
        const QString& key = keys[i];
        QString text;
        if (key == kOriginalKey) {
            text = i == 0 ? tr("A: Original") : tr("B: Original");
        } else if (const CodecSlot* s = slotFor(key.toStdString())) {
            if (s->result)
                text = (i == 0 ? tr("A: %1, %2 bpp") : tr("B: %1, %2 bpp"))
                           .arg(codecName(s->id), QLocale().toString(s->result->bitsPerTexel, 'f', 2));
            else
                text = (i == 0 ? tr("A: %1") : tr("B: %1")).arg(codecName(s->id));
        }
        view_->setLabel(side, text);
    }
}

// ---- sweeps -------------------------------------------------------------------------------------------------

std::string MainWindow::sweepSignature(const CodecSlot& slot) const {
    ParamSet p = slot.params;
    if (const auto rate = slot.codec->rateParam()) p.set(rate->id, rate->defaultValue);
    return formatParamSet(slot.codec->schema(), p) + "@" + device_.toStdString() + "/" + maskModeName(maskMode_);
}

void MainWindow::maybeStartSweep(CodecSlot& slot) {
    if (!options_.autoSweep || !slot.codec->rateParam()) return;
    if (slot.sweepSig == sweepSignature(slot)) return;
    startSweep(slot.id);
}

void MainWindow::startSweep(const std::string& codecId) {
    CodecSlot* slot = slotFor(codecId);
    if (!slot || !slot->enabled || !source_ || !slot->codec->rateParam()) return;
    slot->sweep.clear();
    slot->sweepSig = sweepSignature(*slot);
    charts_->setCodec(slot->key, codecName(slot->id));
    charts_->setCurve(slot->key, {});
    slot->sweepId = sweeps_->start(slot->id, slot->params);
    slot->sweepActive = slot->sweepId != 0;
    slot->sweepProgress = 0.0;
    updateSweepUi(*slot);
}

void MainWindow::cancelSweeps() {
    sweeps_->cancelAll();
    for (auto& s : slots_) {
        if (s->sweep.size() < SweepRunner::sweepValues(s->codec->rateParam().value_or(ParamSpec{})).size())
            s->sweepSig.clear();  // incomplete: a later change sweeps again
        s->sweepActive = false;
        updateSweepUi(*s);
    }
}

void MainWindow::onSweepPoint(const QString& codecId, quint64 sweepId, const SweepPoint& point) {
    CodecSlot* slot = slotFor(codecId.toStdString());
    if (!slot || slot->sweepId != sweepId) return;
    slot->sweep.push_back(point);
    std::vector<RdPoint> curve;
    for (const SweepPoint& p : slot->sweep)
        curve.push_back(RdPoint{p.bitsPerTexel, p.mPsnr >= kPsnrCapDb ? std::nan("") : p.mPsnr, p.ssim});
    charts_->setCurve(slot->key, curve);
    emit sweepPointAdded(slot->key, int(slot->sweep.size()));
}

const std::vector<SweepPoint>& MainWindow::sweepPoints(const std::string& codecId) const {
    static const std::vector<SweepPoint> none;
    const CodecSlot* slot = slotFor(codecId);
    return slot ? slot->sweep : none;
}

void MainWindow::updateSweepUi(CodecSlot& s) {
    if (!s.sweepBar) return;
    const auto rate = s.codec->rateParam();
    const int total = rate ? int(SweepRunner::sweepValues(*rate).size()) : 0;
    s.sweepBar->setValue(int(std::lround((s.sweepActive ? s.sweepProgress : (s.sweep.empty() ? 0.0 : 1.0)) * 1000)));
    if (s.sweepActive)
        s.sweepBar->setFormat(tr("RD sweep %1/%2").arg(s.sweep.size()).arg(total));
    else if (!s.sweep.empty())
        s.sweepBar->setFormat(tr("RD curve: %1 points").arg(s.sweep.size()));
    else
        s.sweepBar->setFormat(tr("No RD curve yet"));
    s.sweepButton->setText(s.sweepActive ? tr("Cancel") : tr("Sweep"));
    s.sweepButton->setToolTip(s.sweepActive ? tr("Stop this codec's RD sweep")
                                            : tr("Measure this codec over its rate range in the background"));
}

// ---- heatmaps -----------------------------------------------------------------------------------------------

void MainWindow::setMaskMode(MaskMode mode) {
    {
        QSignalBlocker block(maskCombo_);
        maskCombo_->setCurrentIndex(int(mode));
    }
    if (options_.persistState) settings_->setValue(QStringLiteral("metrics/mask"), QString(maskModeName(mode)));
    const bool changed = mode != maskMode_;
    maskMode_ = mode;
    sweeps_->setMaskMode(mode);
    for (auto& s : slots_) s->runner->setMaskMode(mode);
    if (!changed) return;
    updateShownMask();
    if (!source_) return;
    // Every figure on screen counted the old texels: measure again (the codecs' streams do not depend on it).
    splitShown_[0] = splitShown_[1] = nullptr;
    grid_->setTileFloatImage(kOriginalKey, floatFor(source_));
    heatGrid_->setTileFloatImage(kOriginalKey, floatFor(source_));
    for (auto& s : slots_) s->heatShown = false;
    updateSplit();
    requestAll();
    updateRegionMetrics();
    if (hovered_.x() >= 0) inspectTexel(hovered_);
}

void MainWindow::updateShownMask() {
    shownMask_.reset();
    if (!source_ || !source_->hasMask() || maskMode_ == MaskMode::All) return;
    std::vector<std::uint8_t> mask;
    if (maskMode_ == MaskMode::Visible)
        mask = visibleMask(source_->view());
    else
        mask.assign(source_->maskData(), source_->maskData() + source_->texelCount());
    shownMask_ = std::make_shared<const std::vector<std::uint8_t>>(std::move(mask));
}

void MainWindow::setHeatmapKind(ErrorMapKind kind) {
    heatKind_ = kind;
    {
        QSignalBlocker block(heatKindCombo_);
        heatKindCombo_->setCurrentIndex(heatKindCombo_->findData(int(kind)));
    }
    heatLog_ = defaultLogScale(kind);
    {
        QSignalBlocker block(heatLogCheck_);
        heatLogCheck_->setChecked(heatLog_);
    }
    for (auto& s : slots_) s->heatShown = false;
    updateLegend();
    if (mode_ == ViewMode::Heatmap) updateHeatmaps();
    if (hovered_.x() >= 0) inspectTexel(hovered_);
}

void MainWindow::setHeatmapLogarithmic(bool logarithmic) {
    heatLog_ = logarithmic;
    if (heatLogCheck_->isChecked() != logarithmic) {
        QSignalBlocker block(heatLogCheck_);
        heatLogCheck_->setChecked(logarithmic);
    }
    recolourHeatmaps();
}

void MainWindow::setHeatmapScaleLocked(bool locked) {
    heatLocked_ = locked;
    if (heatLockCheck_->isChecked() != locked) {
        QSignalBlocker block(heatLockCheck_);
        heatLockCheck_->setChecked(locked);
    }
    recolourHeatmaps();
}

HeatmapScale MainWindow::heatmapScale(const std::string& codecId) const {
    auto own = [this](const CodecSlot& s) { return heatLog_ ? s.logScale : s.linearScale; };
    if (heatLocked_) {
        bool any = false;
        HeatmapScale locked;
        for (const auto& s : slots_) {
            if (!s->enabled || !s->errorMap || s->errorMapKind != heatKind_ || s->errorMapMask != maskMode_) continue;
            const HeatmapScale sc = own(*s);
            if (!any) {
                locked = sc;
                any = true;
            } else {
                locked.minValue = std::min(locked.minValue, sc.minValue);
                locked.maxValue = std::max(locked.maxValue, sc.maxValue);
            }
        }
        if (any) return locked.sanitized();
    } else if (const CodecSlot* s = slotFor(codecId);
               s && s->errorMap && s->errorMapKind == heatKind_ && s->errorMapMask == maskMode_) {
        return own(*s);
    }
    HeatmapScale fallback;
    fallback.logarithmic = heatLog_;
    return fallback.sanitized();
}

bool MainWindow::heatmapsPending() const {
    for (const auto& s : slots_)
        if (s->enabled && s->result && (s->heatToken != 0 || s->colourToken != 0)) return true;
    return false;
}

void MainWindow::updateHeatmaps() {
    if (!source_) return;
    heatGrid_->setTileFloatImage(kOriginalKey, floatFor(source_));
    for (auto& s : slots_)
        if (s->enabled) requestHeatmap(*s);
    recolourHeatmaps();
}

void MainWindow::requestHeatmap(CodecSlot& slot) {
    if (!slot.result || !source_) return;
    if (slot.errorMap && slot.errorMapGeneration == slot.result->generation && slot.errorMapKind == heatKind_ &&
        slot.errorMapMask == maskMode_)
        return;
    const quint64 token = ++heatToken_;
    slot.heatToken = token;
    auto reference = source_;
    auto test = slot.result->reconstruction;
    auto normalization = normalization_;
    const ErrorMapKind kind = heatKind_;
    const MaskMode mask = maskMode_;
    const std::string id = slot.id;
    const quint64 generation = slot.result->generation;
    workPool_.start([this, reference, test, normalization, kind, mask, id, token, generation] {
        auto out = std::make_shared<HeatResult>();
        try {
            MetricsOptions options;
            options.normalization = normalization.get();
            options.threads = 1;
            options.mask = mask;
            Result<ErrorMap> map = computeErrorMap(reference->view(), test->view(), kind, options);
            if (map) {
                auto shared = std::make_shared<const ErrorMap>(std::move(map).value());
                out->linearScale = autoHeatmapScale(shared->values.data(), shared->values.size(), false);
                out->logScale = autoHeatmapScale(shared->values.data(), shared->values.size(), true);
                out->map = std::move(shared);
            } else {
                out->error = map.error();
            }
        } catch (const std::exception& e) {
            out->error = makeError(ErrorCode::Internal, e.what());
        }
        QMetaObject::invokeMethod(
            this,
            [this, id, token, out, kind, mask, generation] {
                CodecSlot* s = slotFor(id);
                if (!s || s->heatToken != token) return;  // a newer map was asked for
                s->heatToken = 0;
                if (out->error || !out->map) {
                    heatGrid_->setTileMessage(s->key,
                                              errorText(out->error.value_or(makeError(ErrorCode::Internal, "no map"))));
                    return;
                }
                s->errorMap = out->map;
                s->errorMapKind = kind;
                s->errorMapMask = mask;
                s->errorMapGeneration = generation;
                s->linearScale = out->linearScale;
                s->logScale = out->logScale;
                recolourHeatmaps();
            },
            Qt::QueuedConnection);
    });
}

void MainWindow::recolourHeatmaps() {
    for (auto& s : slots_) {
        if (!s->enabled || !s->errorMap || s->errorMapKind != heatKind_ || s->errorMapMask != maskMode_) continue;
        const HeatmapScale scale = heatmapScale(s->id);
        if (s->heatShown && s->shownScale == scale && s->colourToken == 0 &&
            s->errorMapGeneration == s->result->generation && heatGrid_->hasImage(s->key))
            continue;
        const quint64 token = ++heatToken_;
        s->colourToken = token;
        auto map = s->errorMap;
        const std::string id = s->id;
        workPool_.start([this, map, scale, id, token] {
            QImage image = colorizeHeatmap(map->values.data(), map->width, map->height, scale);
            QMetaObject::invokeMethod(
                this,
                [this, id, token, image, scale] {
                    CodecSlot* s = slotFor(id);
                    if (!s || s->colourToken != token) return;
                    s->colourToken = 0;
                    s->shownScale = scale;
                    s->heatShown = true;
                    heatGrid_->setTileImage(s->key, image);
                    updateTile(*s);
                    updateLegend();
                    if (!heatmapsPending()) emit heatmapsUpdated();
                },
                Qt::QueuedConnection);
        });
    }
    updateLegend();
}

void MainWindow::updateLegend() {
    if (!legend_) return;
    const QString kinds[4] = {tr("Absolute error"), tr("Relative error"), tr("Log ratio"), tr("PU21 difference")};
    const QString units[4] = {tr("linear image units"), tr("fraction of the original value"),
                              tr("stops, 1 = a factor of 2"), tr("PU21 units ≈ 8-bit code values")};
    const int k = std::clamp(int(heatKind_), 0, 3);
    const HeatmapScale scale = heatmapScale(codecId_);
    legend_->setScale(scale);
    legend_->setTitle(heatLocked_ ? tr("%1, all codecs").arg(kinds[k])
                                  : tr("%1, %2").arg(kinds[k], codecName(codecId_)));
    legend_->setUnit(units[k]);
}

// ---- inspector and region -----------------------------------------------------------------------------------

void MainWindow::onTexelHovered(const QPoint& texel) {
    hovered_ = texel;
    inspectTexel(texel);
}

QString MainWindow::inspectorText() const {
    return inspector_->text();
}

void MainWindow::inspectTexel(const QPoint& texel) {
    if (!inspector_) return;
    if (texel.x() < 0 || !source_ || texel.x() >= source_->width() || texel.y() >= source_->height()) {
        inspector_->setText(tr("Hover over an image to inspect a texel."));
        return;
    }
    const QString kinds[4] = {tr("abs"), tr("rel"), tr("stops"), tr("PU21")};
    const int k = std::clamp(int(heatKind_), 0, 3);
    MetricsOptions options;  // the heatmap's definitions, normalisation and texels (computeErrorMap)
    options.normalization = normalization_.get();
    options.mask = maskMode_;
    const float* a = source_->texel(texel.x(), texel.y());
    QString html = QStringLiteral("<b>%1</b>").arg(tr("Texel %1, %2").arg(texel.x()).arg(texel.y()));
    if (source_->hasMask() && source_->maskData()[std::size_t(texel.y()) * source_->width() + texel.x()] == 0)
        html += QStringLiteral(" <i>%1</i>").arg(tr("(not covered)"));
    html += QStringLiteral(
                "<table cellspacing='0' cellpadding='1'><tr><th align='left'></th><th align='left'>RGB</th>"
                "<th align='right'>%1</th></tr>")
                .arg(tr("Error (%1)").arg(kinds[k]));
    html += QStringLiteral("<tr><td>%1&nbsp;</td><td>%2</td><td></td></tr>").arg(tr("Original"), formatRgb(a));
    for (const auto& s : slots_) {
        if (!s->enabled || !s->result || !s->result->reconstruction) continue;
        const Image& r = *s->result->reconstruction;
        if (texel.x() >= r.width() || texel.y() >= r.height()) continue;
        const float* b = r.texel(texel.x(), texel.y());
        const Result<double> error = errorAt(source_->view(), r.view(), texel.x(), texel.y(), heatKind_, options);
        const QString errorText =
            error && std::isfinite(*error) ? QString::number(*error, 'g', 3) : QStringLiteral("–");
        html += QStringLiteral("<tr><td>%1&nbsp;</td><td>%2</td><td align='right'>&nbsp;%3</td></tr>")
                    .arg(codecName(s->id).toHtmlEscaped(), formatRgb(b), errorText);
    }
    html += QStringLiteral("</table>");
    inspector_->setText(html);
}

void MainWindow::selectRegion(const QRect& texels) {
    region_ = texels;
    for (TileGridView* v : {grid_, heatGrid_})
        if (v->selection() != texels) {
            QSignalBlocker block(v);
            v->setSelection(texels);
        }
    if (region_.isEmpty()) {
        ++regionToken_;
        regionTable_->hide();
        regionLabel_->setText(tr("Shift+drag in the grid or heatmap to measure a region."));
        return;
    }
    regionTimer_->start();
}

void MainWindow::updateRegionMetrics() {
    if (region_.isEmpty() || !source_) return;
    const QRect r = region_.intersected(QRect(0, 0, source_->width(), source_->height()));
    if (r.isEmpty()) return;
    regionLabel_->setText(tr("%1 × %2 texels at %3, %4").arg(r.width()).arg(r.height()).arg(r.x()).arg(r.y()));
    struct Row {
        std::string id;
        std::optional<QualityMetrics> metrics;
        std::optional<Error> error;
    };
    std::vector<std::pair<std::string, std::shared_ptr<const Image>>> jobs;
    for (const auto& s : slots_)
        if (s->enabled && s->result && s->result->reconstruction) jobs.emplace_back(s->id, s->result->reconstruction);
    const quint64 token = ++regionToken_;
    auto reference = source_;
    auto normalization = normalization_;
    const MaskMode mask = maskMode_;
    workPool_.start([this, jobs, reference, normalization, mask, r, token] {
        auto rows = std::make_shared<std::vector<Row>>();
        for (const auto& [id, image] : jobs) {
            if (token != regionToken_) return;  // read racily on purpose: only an early exit
            Row row;
            row.id = id;
            MetricsOptions options;
            options.normalization = normalization.get();
            options.threads = 1;
            options.mask = mask;
            auto m = computeRegionMetrics(reference->view(), image->view(),
                                          MetricsRegion{r.x(), r.y(), r.width(), r.height()}, options);
            if (m)
                row.metrics = *m;
            else
                row.error = m.error();
            rows->push_back(std::move(row));
        }
        QMetaObject::invokeMethod(
            this,
            [this, rows, token, r] {
                if (token != regionToken_) return;
                regionTable_->setRowCount(int(rows->size()));
                const QLocale locale;
                for (int i = 0; i < int(rows->size()); ++i) {
                    const Row& row = (*rows)[std::size_t(i)];
                    auto set = [&](int c, const QString& text) {
                        auto* item = new QTableWidgetItem(text);
                        item->setTextAlignment((c == 0 ? Qt::AlignLeft : Qt::AlignRight) | Qt::AlignVCenter);
                        regionTable_->setItem(i, c, item);
                    };
                    set(0, codecName(row.id));
                    if (row.metrics) {
                        set(1, psnrText(row.metrics->mPsnr));
                        set(2, locale.toString(row.metrics->pu21Ssim, 'f', 4));
                        set(3, locale.toString(row.metrics->maxAbsError, 'g', 4));
                    } else {
                        set(1, row.error ? errorSummary(row.error->code) : QString());
                        set(2, QString());
                        set(3, QString());
                    }
                }
                regionTable_->setVisible(!rows->empty());
                emit regionMetricsShown(r);
            },
            Qt::QueuedConnection);
    });
}

// ---- display ------------------------------------------------------------------------------------------------

void MainWindow::updateDisplayOptions() {
    if (!toneCurveCombo_ || !dimUncoveredAction_) return;
    ToneMapOptions options;
    options.exposureEv = exposureSpin_->value();
    options.dimUncovered = dimUncoveredAction_->isChecked();
    options.curve = ToneCurve(toneCurveCombo_->currentData().toInt());
    options.falseColour = falseColourCheck_->isChecked();
    grid_->setToneMapOptions(options);
    heatGrid_->setToneMapOptions(options);
    view_->setExposure(options.exposureEv);
    view_->setDimUncovered(options.dimUncovered);
    view_->setToneCurve(options.curve, options.falseColour);
}

void MainWindow::setExposure(double ev) {
    if (!std::isfinite(ev)) return;
    ev = std::clamp(std::round(ev * 10.0) / 10.0, -20.0, 20.0);
    {
        QSignalBlocker b1(exposureSpin_), b2(exposureSlider_);
        exposureSpin_->setValue(ev);
        exposureSlider_->setValue(int(std::lround(ev * 10.0)));
    }
    updateDisplayOptions();
}

// ---- loading ------------------------------------------------------------------------------------------------

void MainWindow::openFile(const QString& path) {
    guarded(QT_TR_NOOP("opening a file"), [&] {
        if (loadWatcher_) {
            // readExr cannot be interrupted; let the older load finish unobserved.
            loadWatcher_->disconnect(this);
            connect(loadWatcher_, &QFutureWatcherBase::finished, loadWatcher_, &QObject::deleteLater);
        }
        loadingPath_ = path;
        statusBar()->showMessage(tr("Loading %1…").arg(QFileInfo(path).fileName()));
        loadWatcher_ = new QFutureWatcher<std::shared_ptr<LoadOutcome>>(this);
        connect(loadWatcher_, &QFutureWatcherBase::finished, this, &MainWindow::onLoadFinished);
        loadWatcher_->setFuture(QtConcurrent::run([path]() -> std::shared_ptr<LoadOutcome> {
            auto out = std::make_shared<LoadOutcome>();
            out->path = path;
            try {
                auto loaded = readExr(toLocalPath(path));
                if (!loaded) {
                    out->error = loaded.error();
                    return out;
                }
                auto image = std::make_shared<const Image>(std::move(loaded->image));
                out->info = std::make_shared<const ExrInfo>(loaded->info);
                out->stats = computeStats(image->view());
                auto normalization = computeNormalization(image->view());
                if (normalization) out->normalization = std::make_shared<const MetricsNormalization>(*normalization);
                const double ev = suggestExposure(wrap(image));
                out->exposure = std::isfinite(ev) ? std::round(ev * 10.0) / 10.0 : 0.0;
                out->image = std::move(image);
            } catch (const std::exception& e) {
                out->error = makeError(ErrorCode::Internal, e.what());
            } catch (...) {
                out->error = makeError(ErrorCode::Internal, "unknown exception while loading");
            }
            return out;
        }));
    });
}

void MainWindow::onLoadFinished() {
    auto* watcher = loadWatcher_;
    loadWatcher_ = nullptr;
    if (!watcher) return;
    watcher->deleteLater();
    guarded(QT_TR_NOOP("loading a file"), [&] {
        std::shared_ptr<LoadOutcome> outcome = watcher->result();
        statusBar()->clearMessage();
        const QString name = QFileInfo(outcome->path).fileName();
        if (outcome->error || !outcome->image) {
            const Error error = outcome->error ? *outcome->error : makeError(ErrorCode::Internal, "no image");
            const QString text = tr("Could not open %1.").arg(name) + QStringLiteral("\n\n") + errorText(error);
            if (!QFileInfo::exists(outcome->path)) {
                QStringList recent = recentFiles();
                recent.removeAll(QFileInfo(outcome->path).absoluteFilePath());
                settings_->setValue(QStringLiteral("recentFiles"), recent);
                rebuildRecentMenu();
            }
            reportError(tr("Cannot open lightmap"), text);
            emit loadFailed(outcome->path, text);
            return;
        }
        source_ = outcome->image;
        sourceInfo_ = outcome->info;
        normalization_ = outcome->normalization;
        updateShownMask();
        currentFile_ = QFileInfo(outcome->path).absoluteFilePath();
        suggestedExposure_ = outcome->exposure;
        sourceStats_ = outcome->stats;
        sweeps_->setSource(source_, normalization_);
        charts_->clearData();
        ++regionToken_;
        region_ = QRect();
        for (auto& s : slots_) {
            s->runner->setSource(source_, outcome->normalization);
            s->runner->setDevice(device_.toStdString());
            s->result.reset();
            s->error.clear();
            s->errorMap.reset();
            s->heatShown = false;
            s->heatToken = s->colourToken = 0;
            s->sweep.clear();
            s->sweepSig.clear();
            s->sweepActive = false;
            s->latencyStartNs = -1;
            grid_->clearTileImage(s->key);
            heatGrid_->clearTileImage(s->key);
            updateSweepUi(*s);
        }
        table_->metricsModel()->clearRows();
        view_->clearSide(SplitView::Side::B);
        splitShown_[0] = splitShown_[1] = nullptr;
        setExposure(suggestedExposure_);
        updateTiles();
        grid_->setTileFloatImage(kOriginalKey, floatFor(source_));
        heatGrid_->setTileFloatImage(kOriginalKey, floatFor(source_));
        grid_->fitToWindow();
        heatGrid_->fitToWindow();
        updateSplit();
        view_->fitToWindow();
        metrics_->clear();
        selectRegion(QRect());
        addRecentFile(currentFile_);
        settings_->setValue(QStringLiteral("lastDirectory"), QFileInfo(currentFile_).absolutePath());
        updateTitle();
        updateImageInfo();
        requestAll();
        emit imageLoaded(outcome->path);
    });
}

// ---- small pieces -------------------------------------------------------------------------------------------

void MainWindow::updateTitle() {
    if (currentFile_.isEmpty())
        setWindowTitle(tr("Lightmap Codec Studio"));
    else
        setWindowTitle(tr("%1 — Lightmap Codec Studio").arg(QFileInfo(currentFile_).fileName()));
}

void MainWindow::updateImageInfo() {
    if (!source_ || !sourceInfo_) {
        imageInfo_->setText(tr("No image"));
        return;
    }
    const QLocale locale;
    const ExrInfo& info = *sourceInfo_;
    QStringList lines;
    lines << imageInfo_->fontMetrics().elidedText(QFileInfo(currentFile_).fileName(), Qt::ElideMiddle, 260);
    imageInfo_->setToolTip(QDir::toNativeSeparators(currentFile_));
    QStringList channels;
    for (const auto& ch : info.channels) channels << QString::fromStdString(ch);
    lines << tr("%1 × %2 texels, %3 %4, %5")
                 .arg(source_->width())
                 .arg(source_->height())
                 .arg(QString::fromStdString(info.pixelType))
                 .arg(channels.join(QLatin1Char(',')))
                 .arg(QString::fromStdString(info.compression));
    lines << tr("Range %1 … %2")
                 .arg(QString::number(sourceStats_.minValue, 'g', 4), QString::number(sourceStats_.maxValue, 'g', 4));
    if (source_->hasMask())
        lines << tr("Covered texels: %1%").arg(locale.toString(sourceStats_.coveredFraction * 100.0, 'f', 1));
    const qlonglong nonFinite = sourceStats_.nonFiniteCount;
    if (nonFinite > 0) lines << tr("%n non-finite value(s)", "", int(std::min<qlonglong>(nonFinite, INT_MAX)));
    imageInfo_->setText(lines.join(QLatin1Char('\n')));
}

QStringList MainWindow::recentFiles() const {
    return settings_->value(QStringLiteral("recentFiles")).toStringList();
}

void MainWindow::addRecentFile(const QString& path) {
    QStringList recent = recentFiles();
    recent.removeAll(path);
    recent.prepend(path);
    while (recent.size() > kMaxRecentFiles) recent.removeLast();
    settings_->setValue(QStringLiteral("recentFiles"), recent);
    rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu() {
    recentMenu_->clear();
    const QStringList recent = recentFiles();
    int n = 0;
    for (const QString& path : recent) {
        if (!QFileInfo::exists(path)) continue;
        ++n;
        QAction* a = recentMenu_->addAction(
            QStringLiteral("&%1  %2").arg(n).arg(QFileInfo(path).fileName().replace(QLatin1Char('&'), "&&")));
        a->setToolTip(path);
        a->setStatusTip(path);
        connect(a, &QAction::triggered, this, [this, path] { openFile(path); });
    }
    if (n == 0) {
        QAction* none = recentMenu_->addAction(tr("No recent files"));
        none->setEnabled(false);
    }
    recentMenu_->addSeparator();
    recentMenu_->addAction(clearRecentAction_);
    clearRecentAction_->setEnabled(n > 0);
}

void MainWindow::reportError(const QString& title, const QString& text) {
    emit errorReported(title, text);
    if (presenter_) {
        presenter_(this, title, text);
        return;
    }
    QMessageBox box(QMessageBox::Warning, title, text, QMessageBox::NoButton, this);
    box.addButton(tr("OK"), QMessageBox::AcceptRole);
    box.exec();
}

void MainWindow::guarded(const char* what, const std::function<void()>& body) {
    try {
        body();
    } catch (const std::exception& e) {
        reportError(tr("Unexpected error"),
                    tr("An error occurred while %1: %2").arg(tr(what), QString::fromUtf8(e.what())));
    } catch (...) {
        reportError(tr("Unexpected error"), tr("An unknown error occurred while %1.").arg(tr(what)));
    }
}

// ---- events -------------------------------------------------------------------------------------------------

void MainWindow::closeEvent(QCloseEvent* event) {
    saveSettings();
    for (auto& s : slots_) s->runner->cancel();
    sweeps_->cancelAll();
    QMainWindow::closeEvent(event);
}

void MainWindow::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange && fileMenu_) retranslateUi();
    QMainWindow::changeEvent(event);
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    const QMimeData* mime = event->mimeData();
    if (mime->hasUrls())
        for (const QUrl& url : mime->urls())
            if (url.isLocalFile()) {
                event->acceptProposedAction();
                return;
            }
}

void MainWindow::dropEvent(QDropEvent* event) {
    for (const QUrl& url : event->mimeData()->urls())
        if (url.isLocalFile()) {
            event->acceptProposedAction();
            openFile(url.toLocalFile());
            return;
        }
}

}  // namespace lmc::studio
