#include "app/studio/main_window.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
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
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QScrollArea>
#include <QSlider>
#include <QSplitter>
#include <QStatusBar>
#include <QStyle>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <cmath>
#include <exception>
#include <optional>

#include "app/studio/command_line.h"
#include "app/studio/error_text.h"
#include "app/studio/language.h"
#include "app/studio/param_editor.h"
#include "codec/image.h"
#include "widgets/metrics_panel.h"
#include "widgets/split_view.h"
#include "widgets/tone_map.h"

namespace lmc::studio {
namespace {

constexpr int kMaxRecentFiles = 10;
constexpr double kHalfFloatRgbBits = 48.0;  // what the ratio row compares against
const char* const kCodecContext = "lmc::studio::CodecText";

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
    return QStringLiteral("(%1, %2, %3)")
        .arg(QString::number(p[0], 'g', 4), QString::number(p[1], 'g', 4), QString::number(p[2], 'g', 4));
}

std::string toLocalPath(const QString& path) {
    return QFile::encodeName(path).toStdString();
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

MainWindow::MainWindow(const Options& options, QWidget* parent)
    : QMainWindow(parent),
      options_(options),
      registry_(options.registry ? *options.registry : CodecRegistry::builtin()),
      presenter_(options.errorPresenter) {
    settings_ = options_.settingsFile.isEmpty()
                    ? std::make_unique<QSettings>()
                    : std::make_unique<QSettings>(options_.settingsFile, QSettings::IniFormat);
    runner_ = new CompressionRunner(registry_, this);
    setAcceptDrops(true);
    buildUi();
    buildMenus();
    populateCodecs();
    restoreSettings();
    retranslateUi();

    connect(runner_, &CompressionRunner::reconstructionReady, this, &MainWindow::onReconstruction);
    connect(runner_, &CompressionRunner::metricsReady, this, &MainWindow::onMetrics);
    connect(runner_, &CompressionRunner::jobFailed, this, &MainWindow::onJobFailed);
    connect(runner_, &CompressionRunner::jobStarted, this, [this](quint64) {
        view_->setBusy(SplitView::Side::B, true);
        metrics_->setPending(true);
    });
    connect(runner_, &CompressionRunner::busyChanged, this, [this](bool busy) {
        if (busy) return;
        view_->setBusy(SplitView::Side::B, false);
        metrics_->setPending(false);
    });
}

MainWindow::~MainWindow() {
    // Jobs hold their own references to the images; the runner (a child) joins its pool when deleted.
    if (loadWatcher_) loadWatcher_->disconnect(this);
}

// ---- construction -------------------------------------------------------------------------------------------

void MainWindow::buildUi() {
    view_ = new SplitView(this);
    view_->setObjectName(QStringLiteral("splitView"));
    connect(view_, &SplitView::texelHovered, this, &MainWindow::onTexelHovered);
    connect(view_, &SplitView::painted, this, &MainWindow::onViewPainted);

    auto* panel = new QWidget;
    panel->setObjectName(QStringLiteral("sidePanel"));
    auto* panelLayout = new QVBoxLayout(panel);
    panelLayout->setContentsMargins(8, 8, 8, 8);
    panelLayout->setSpacing(10);

    codecGroup_ = new QGroupBox(panel);
    auto* codecLayout = new QVBoxLayout(codecGroup_);
    codecLabel_ = new QLabel(codecGroup_);
    codecCombo_ = new QComboBox(codecGroup_);
    codecCombo_->setObjectName(QStringLiteral("codecCombo"));
    codecLabel_->setBuddy(codecCombo_);
    codecDescription_ = new QLabel(codecGroup_);
    codecDescription_->setWordWrap(true);
    codecDescription_->setStyleSheet(QStringLiteral("color: palette(dark);"));
    params_ = new ParamEditor(codecGroup_);
    params_->setObjectName(QStringLiteral("paramEditor"));
    auto* codecRow = new QHBoxLayout;
    codecRow->addWidget(codecLabel_);
    codecRow->addWidget(codecCombo_, 1);
    codecLayout->addLayout(codecRow);
    codecLayout->addWidget(codecDescription_);
    codecLayout->addSpacing(4);
    codecLayout->addWidget(params_);
    connect(codecCombo_, qOverload<int>(&QComboBox::currentIndexChanged), this, [this](int index) {
        guarded(QT_TR_NOOP("changing the codec"),
                [&] { selectCodec(codecCombo_->itemData(index).toString().toStdString()); });
    });
    connect(params_, &ParamEditor::valuesChanged, this, [this] {
        guarded(QT_TR_NOOP("changing a parameter"), [&] {
            paramsByCodec_[codecId_] = params_->values();
            requestCompression(false);
        });
    });

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
    connect(exposureSlider_, &QSlider::valueChanged, this, [this](int v) { setExposure(v / 10.0); });
    connect(exposureSpin_, qOverload<double>(&QDoubleSpinBox::valueChanged), this,
            [this](double v) { setExposure(v); });

    metricsGroup_ = new QGroupBox(panel);
    auto* metricsLayout = new QVBoxLayout(metricsGroup_);
    metrics_ = new MetricsPanel(metricsGroup_);
    metrics_->setObjectName(QStringLiteral("metricsPanel"));
    metricsLayout->addWidget(metrics_);

    imageGroup_ = new QGroupBox(panel);
    auto* imageLayout = new QVBoxLayout(imageGroup_);
    imageInfo_ = new QLabel(imageGroup_);
    imageInfo_->setObjectName(QStringLiteral("imageInfo"));
    imageInfo_->setWordWrap(true);
    imageInfo_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    imageLayout->addWidget(imageInfo_);

    panelLayout->addWidget(codecGroup_);
    panelLayout->addWidget(viewGroup_);
    panelLayout->addWidget(metricsGroup_);
    panelLayout->addWidget(imageGroup_);
    panelLayout->addStretch(1);

    auto* scroll = new QScrollArea;
    scroll->setWidget(panel);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll->setMinimumWidth(300);

    splitter_ = new QSplitter(Qt::Horizontal, this);
    splitter_->addWidget(view_);
    splitter_->addWidget(scroll);
    splitter_->setStretchFactor(0, 1);
    splitter_->setStretchFactor(1, 0);
    splitter_->setCollapsible(0, false);
    splitter_->setSizes({1000, 340});
    setCentralWidget(splitter_);

    hoverLabel_ = new QLabel(this);
    latencyLabel_ = new QLabel(this);
    statusBar()->addWidget(hoverLabel_, 1);
    statusBar()->addPermanentWidget(latencyLabel_);
    resize(1440, 900);
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

    fitAction_ = new QAction(this);
    fitAction_->setShortcut(Qt::Key_0);
    connect(fitAction_, &QAction::triggered, view_, &SplitView::fitToWindow);
    actualSizeAction_ = new QAction(this);
    actualSizeAction_->setShortcut(Qt::Key_1);
    connect(actualSizeAction_, &QAction::triggered, view_, &SplitView::zoomToActualSize);
    zoomInAction_ = new QAction(this);
    zoomInAction_->setShortcut(QKeySequence::ZoomIn);
    connect(zoomInAction_, &QAction::triggered, view_, &SplitView::zoomIn);
    zoomOutAction_ = new QAction(this);
    zoomOutAction_->setShortcut(QKeySequence::ZoomOut);
    connect(zoomOutAction_, &QAction::triggered, view_, &SplitView::zoomOut);
    flipAction_ = new QAction(this);
    flipAction_->setCheckable(true);
    flipAction_->setShortcut(Qt::Key_F);
    connect(flipAction_, &QAction::toggled, view_, &SplitView::setFlipped);
    connect(view_, &SplitView::flippedChanged, flipAction_, &QAction::setChecked);
    dimUncoveredAction_ = new QAction(this);
    dimUncoveredAction_->setCheckable(true);
    dimUncoveredAction_->setChecked(settings_->value(QStringLiteral("view/dimUncovered"), true).toBool());
    view_->setDimUncovered(dimUncoveredAction_->isChecked());
    connect(dimUncoveredAction_, &QAction::toggled, this, [this](bool on) {
        view_->setDimUncovered(on);
        if (options_.persistState) settings_->setValue(QStringLiteral("view/dimUncovered"), on);
    });
    autoExposureAction_ = new QAction(this);
    autoExposureAction_->setShortcut(Qt::Key_E);
    connect(autoExposureAction_, &QAction::triggered, this, [this] { setExposure(suggestedExposure_); });
    autoExposureButton_->setDefaultAction(autoExposureAction_);
    // Shortcuts live on the window so they work whichever control has focus; the view handles them itself when
    // focused (keyPressEvent), so these must not clash: give the view's keys priority by window-level context.
    for (QAction* a : {fitAction_, actualSizeAction_, flipAction_, autoExposureAction_})
        a->setShortcutContext(Qt::WindowShortcut);

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

void MainWindow::populateCodecs() {
    QSignalBlocker block(codecCombo_);
    codecCombo_->clear();
    for (const Codec* codec : registry_.codecs())
        codecCombo_->addItem(QCoreApplication::translate(kCodecContext, codec->name().c_str()),
                             QString::fromStdString(codec->id()));
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
    dimUncoveredAction_->setText(tr("&Dim Uncovered Texels"));
    dimUncoveredAction_->setToolTip(tr("Darken gutter texels outside the UV charts; the metrics ignore them"));
    aboutAction_->setText(tr("&About"));

    codecGroup_->setTitle(tr("Compression"));
    codecLabel_->setText(tr("Codec"));
    viewGroup_->setTitle(tr("Display"));
    exposureLabel_->setText(tr("Exposure"));
    exposureSpin_->setSuffix(tr(" EV"));
    exposureSpin_->setToolTip(tr("Display exposure in stops; it changes only the view, not the compression."));
    exposureSlider_->setToolTip(exposureSpin_->toolTip());
    metricsGroup_->setTitle(tr("Reconstruction quality"));
    imageGroup_->setTitle(tr("Image"));
    view_->setPlaceholderText(tr("Open a lightmap with File ▸ Open…, or drop an .exr file here."));

    for (int i = 0; i < codecCombo_->count(); ++i)
        if (const Codec* codec = registry_.find(codecCombo_->itemData(i).toString().toStdString()))
            codecCombo_->setItemText(i, QCoreApplication::translate(kCodecContext, codec->name().c_str()));
    if (const Codec* codec = registry_.find(codecId_))
        codecDescription_->setText(QCoreApplication::translate(kCodecContext, codec->description().c_str()));
    for (QAction* a : languageGroup_->actions()) a->setChecked(a->data().toString() == language_);

    rebuildRecentMenu();
    updateTitle();
    updateImageInfo();
    updateSideLabels();
    if (!lastResult_) latencyLabel_->clear();
}

void MainWindow::restoreSettings() {
    const QByteArray geometry = settings_->value(QStringLiteral("window/geometry")).toByteArray();
    if (!geometry.isEmpty()) restoreGeometry(geometry);
    const QByteArray split = settings_->value(QStringLiteral("window/splitter")).toByteArray();
    if (!split.isEmpty()) splitter_->restoreState(split);

    // Parameters last used with each codec; unreadable entries fall back to the defaults.
    for (const Codec* codec : registry_.codecs()) {
        const QString key = QStringLiteral("codecs/%1/params").arg(QString::fromStdString(codec->id()));
        const QString text = settings_->value(key).toString();
        if (text.isEmpty()) continue;
        auto parsed = parseParamSet(codec->schema(), text.toStdString());
        if (parsed) paramsByCodec_[codec->id()] = *parsed;
    }
    std::string codec = settings_->value(QStringLiteral("codec"), options_.defaultCodec).toString().toStdString();
    if (!registry_.find(codec)) codec = options_.defaultCodec.toStdString();
    if (!registry_.find(codec) && !registry_.codecs().empty()) codec = registry_.codecs().front()->id();
    const int index = codecCombo_->findData(QString::fromStdString(codec));
    {
        QSignalBlocker block(codecCombo_);
        codecCombo_->setCurrentIndex(index);
    }
    selectCodec(codec);

    language_ = currentLanguage();
}

void MainWindow::saveSettings() {
    if (!options_.persistState) return;
    settings_->setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings_->setValue(QStringLiteral("window/splitter"), splitter_->saveState());
    settings_->setValue(QStringLiteral("codec"), QString::fromStdString(codecId_));
    for (const auto& [id, params] : paramsByCodec_)
        if (const Codec* codec = registry_.find(id))
            settings_->setValue(QStringLiteral("codecs/%1/params").arg(QString::fromStdString(id)),
                                QString::fromStdString(formatParamSet(codec->schema(), params)));
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

// ---- codec and parameters -----------------------------------------------------------------------------------

void MainWindow::selectCodec(const std::string& id) {
    const Codec* codec = registry_.find(id);
    if (!codec) return;
    if (!codecId_.empty() && codecId_ != id) paramsByCodec_[codecId_] = params_->values();
    codecId_ = id;
    auto it = paramsByCodec_.find(id);
    params_->setSchema(codec->schema(), it != paramsByCodec_.end() ? it->second : ParamSet::defaults(codec->schema()));
    paramsByCodec_[id] = params_->values();
    codecDescription_->setText(QCoreApplication::translate(kCodecContext, codec->description().c_str()));
    lastResult_.reset();
    metrics_->clear();
    updateSideLabels();
    requestCompression(true);
}

void MainWindow::requestCompression(bool immediately) {
    if (!source_ || codecId_.empty()) return;
    view_->setBusy(SplitView::Side::B, true);
    metrics_->setPending(true);
    if (immediately)
        runner_->requestNow(codecId_, params_->values());
    else
        runner_->request(codecId_, params_->values());
}

void MainWindow::onReconstruction(const CompressionResultPtr& result) {
    guarded(QT_TR_NOOP("showing a reconstruction"), [&] {
        lastResult_ = result;
        FloatRgbImage shown = wrap(result->reconstruction);
        // Dim the same texels on both sides: the reconstruction has no mask of its own (codecs fill gutters).
        if (source_ && source_->hasMask() && source_->width() == shown.width && source_->height() == shown.height)
            shown.mask = std::shared_ptr<const std::uint8_t>(source_, source_->maskData());
        view_->setFloatImage(SplitView::Side::B, shown);
        view_->setBusy(SplitView::Side::B, false);
        MetricsValues values = metrics_->values();
        values.bytes = std::int64_t(result->bytes);
        values.bitsPerTexel = result->bitsPerTexel;
        values.referenceBitsPerTexel = kHalfFloatRgbBits;
        values.encodeMs = result->encodeMs;
        values.decodeMs = result->decodeMs;
        metrics_->setValues(values);
        metrics_->setPending(true);
        metrics_->setError(QString());
        updateSideLabels();
        latencyStartNs_ = result->requestedAtNs;
        emit reconstructionShown(result->generation);
    });
}

void MainWindow::onMetrics(const CompressionResultPtr& result) {
    guarded(QT_TR_NOOP("showing the metrics"), [&] {
        lastResult_ = result;
        MetricsValues values;
        values.bytes = std::int64_t(result->bytes);
        values.bitsPerTexel = result->bitsPerTexel;
        values.referenceBitsPerTexel = kHalfFloatRgbBits;
        values.encodeMs = result->encodeMs;
        values.decodeMs = result->decodeMs;
        values.metricsMs = result->metricsMs;
        if (result->hasMetrics) {
            values.mPsnr = result->metrics.mPsnr;
            values.logPsnr = result->metrics.logPsnr;
            values.pu21Psnr = result->metrics.pu21Psnr;
            values.ssim = result->metrics.pu21Ssim;
        }
        metrics_->setValues(values);
        metrics_->setPending(false);
        if (result->metricsError) metrics_->setError(errorText(*result->metricsError));
        emit resultShown(result->generation);
    });
}

void MainWindow::onJobFailed(quint64, const Error& error) {
    guarded(QT_TR_NOOP("reporting a codec error"), [&] {
        view_->setBusy(SplitView::Side::B, false);
        metrics_->setPending(false);
        const QString text = errorText(error);
        metrics_->setError(tr("Compression failed: %1").arg(text));
        statusBar()->showMessage(tr("Compression failed: %1").arg(errorSummary(error.code)), 8000);
        emit errorReported(tr("Compression failed"), text);
    });
}

void MainWindow::onViewPainted() {
    if (latencyStartNs_ < 0) return;
    const double ms = double(runner_->clock() - latencyStartNs_) / 1e6;
    latencyStartNs_ = -1;
    latencyLabel_->setText(tr("Updated %1 ms after the change").arg(QLocale().toString(ms, 'f', 0)));
    emit latencyMeasured(ms);
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
        currentFile_ = QFileInfo(outcome->path).absoluteFilePath();
        suggestedExposure_ = outcome->exposure;
        lastResult_.reset();
        runner_->setSource(source_, outcome->normalization);
        view_->clearSide(SplitView::Side::B);
        view_->setFloatImage(SplitView::Side::A, wrap(source_));
        view_->fitToWindow();
        setExposure(suggestedExposure_);
        metrics_->clear();
        sourceStats_ = outcome->stats;
        addRecentFile(currentFile_);
        settings_->setValue(QStringLiteral("lastDirectory"), QFileInfo(currentFile_).absolutePath());
        updateTitle();
        updateImageInfo();
        updateSideLabels();
        requestCompression(true);
        emit imageLoaded(outcome->path);
    });
}

// ---- small pieces -------------------------------------------------------------------------------------------

void MainWindow::setExposure(double ev) {
    if (!std::isfinite(ev)) return;
    ev = std::clamp(std::round(ev * 10.0) / 10.0, -20.0, 20.0);
    {
        QSignalBlocker b1(exposureSpin_), b2(exposureSlider_);
        exposureSpin_->setValue(ev);
        exposureSlider_->setValue(int(std::lround(ev * 10.0)));
    }
    view_->setExposure(ev);
}

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
    lines << imageInfo_->fontMetrics().elidedText(QFileInfo(currentFile_).fileName(), Qt::ElideMiddle, 270);
    imageInfo_->setToolTip(QDir::toNativeSeparators(currentFile_));
    lines << tr("%1 × %2 texels, %3 %4, %5")
                 .arg(source_->width())
                 .arg(source_->height())
                 .arg(QString::fromStdString(info.pixelType))
                 .arg(QStringList([&] {
                          QStringList c;
                          for (const auto& ch : info.channels) c << QString::fromStdString(ch);
                          return c;
                      }())
                          .join(QLatin1Char(',')))
                 .arg(QString::fromStdString(info.compression));
    lines << tr("Range %1 … %2")
                 .arg(QString::number(sourceStats_.minValue, 'g', 4), QString::number(sourceStats_.maxValue, 'g', 4));
    if (source_->hasMask())
        lines << tr("Covered texels: %1%").arg(locale.toString(sourceStats_.coveredFraction * 100.0, 'f', 1));
    const qlonglong nonFinite = sourceStats_.nonFiniteCount;
    if (nonFinite > 0) lines << tr("%n non-finite value(s)", "", int(std::min<qlonglong>(nonFinite, INT_MAX)));
    imageInfo_->setText(lines.join(QLatin1Char('\n')));
}

void MainWindow::updateSideLabels() {
    view_->setLabel(SplitView::Side::A, tr("A: Original"));
    if (lastResult_) {
        view_->setLabel(SplitView::Side::B,
                        tr("B: %1, %2 bpp")
                            .arg(QCoreApplication::translate(kCodecContext, lastResult_->codecName.c_str()),
                                 QLocale().toString(lastResult_->bitsPerTexel, 'f', 2)));
    } else if (const Codec* codec = registry_.find(codecId_)) {
        view_->setLabel(SplitView::Side::B,
                        tr("B: %1").arg(QCoreApplication::translate(kCodecContext, codec->name().c_str())));
    }
}

void MainWindow::onTexelHovered(const QPoint& texel) {
    if (texel.x() < 0 || !source_ || texel.x() >= source_->width() || texel.y() >= source_->height()) {
        hoverLabel_->clear();
        return;
    }
    QString text = tr("Texel %1, %2   original %3")
                       .arg(texel.x())
                       .arg(texel.y())
                       .arg(formatRgb(source_->texel(texel.x(), texel.y())));
    if (lastResult_ && lastResult_->reconstruction && texel.x() < lastResult_->reconstruction->width() &&
        texel.y() < lastResult_->reconstruction->height())
        text += tr("   reconstruction %1").arg(formatRgb(lastResult_->reconstruction->texel(texel.x(), texel.y())));
    if (source_->hasMask() && source_->maskData()[std::size_t(texel.y()) * source_->width() + texel.x()] == 0)
        text += tr("   (not covered)");
    hoverLabel_->setText(text);
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
    runner_->cancel();
    QMainWindow::closeEvent(event);
}

void MainWindow::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) retranslateUi();
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
