#include "app/studio/main_window.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QGroupBox>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QScrollArea>
#include <QSplitter>
#include <QStatusBar>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <exception>

#include "app/studio/charts_panel.h"
#include "app/studio/codec_panel.h"
#include "app/studio/command_line.h"
#include "app/studio/comparison_service.h"
#include "app/studio/display_panel.h"
#include "app/studio/error_text.h"
#include "app/studio/histogram_panel.h"
#include "app/studio/inspector_panel.h"
#include "app/studio/language.h"
#include "app/studio/multi_map_window.h"
#include "app/studio/preset_actions.h"
#include "app/studio/workspace_model.h"
#include "widgets/wheel_guard.h"

namespace lmc::studio {

MainWindow::MainWindow(const Options& options, QWidget* parent)
    : QMainWindow(parent), options_(options), settings_(options.settingsFile), presenter_(options.errorPresenter) {
    model_ = new WorkspaceModel(WorkspaceModel::Options{options_.registry, options_.autoSweep}, this);
    comparison_ = new ComparisonService(*model_, this);
    // The suggested exposure is set before the views show the new image, so it is tone-mapped once.
    connect(model_, &WorkspaceModel::imageLoaded, this, [this] {
        if (const auto image = model_->image()) displayPanel_->setExposure(image->exposure);
    });
    setAcceptDrops(true);
    WheelGuard::installOnApplication();  // scrolling the codec panel must not move its sliders

    // The pieces connect to the model in this order; the window's own connections (connectPieces) come last, so
    // its "shown" signals follow the views.
    codecPanel_ = new CodecPanel(*model_);
    views_ = new ComparisonView(*model_, *comparison_);
    displayPanel_ = new DisplayPanel(*model_);
    histogramPanel_ = new HistogramPanel(*model_, *comparison_);
    inspectorPanel_ = new InspectorPanel(*model_, *comparison_);
    auto* side = new QWidget;
    side->setObjectName(QStringLiteral("sidePanel"));
    auto* sideLayout = new QVBoxLayout(side);
    sideLayout->setContentsMargins(4, 8, 8, 8);
    sideLayout->setSpacing(8);
    sideLayout->addWidget(displayPanel_);
    sideLayout->addWidget(histogramPanel_);
    sideLayout->addWidget(inspectorPanel_);
    sideLayout->addStretch(1);
    auto* scroll = new QScrollArea;
    scroll->setWidget(side);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll->setMinimumWidth(210);

    splitter_ = new QSplitter(Qt::Horizontal, this);
    splitter_->setObjectName(QStringLiteral("mainSplitter"));
    splitter_->addWidget(codecPanel_);
    splitter_->addWidget(views_);
    splitter_->addWidget(scroll);
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

    buildMenus();
    connectPieces();
    device_ = codecPanel_->defaultDevice();
    model_->setDevice(device_.toStdString());
    restoreSettings();
    retranslateUi();
    // File > Save Preset / Load Preset / Export, toolbar and dock layout (app/studio/preset_actions.h).
    StudioHooks presetHooks = mainWindowHooks(this);
    presetHooks.reportError = [this](QWidget*, const QString& title, const QString& text) { reportError(title, text); };
    PresetActions* presets =
        installPresetActions(this, fileMenu_, quitAction_, presetHooks, options_.settingsFile, options_.persistState);
    // A loaded preset's setting, once measured, is compared with the preset's snapshot.
    connect(this, &MainWindow::codecMetricsShown, presets,
            [presets](const QString& key, quint64) { presets->noteMetricsShown(key.toStdString()); });
}

MainWindow::~MainWindow() {
    // The views read the model, so they go first; then the service (joins its pool), then the model (its runners
    // join theirs). Jobs hold their own references to the images.
    delete splitter_;
    splitter_ = nullptr;
    delete comparison_;
    delete model_;
}

QString MainWindow::currentFile() const {
    const auto image = model_->image();
    return image ? QFileInfo(image->path).absoluteFilePath() : QString();
}

std::shared_ptr<const Image> MainWindow::currentImage() const {
    return model_->source();
}

CompressionResultPtr MainWindow::result(const std::string& codecId) const {
    const CodecState* s = model_->state(codecId);
    return s ? s->result : nullptr;
}

ParamEditor* MainWindow::paramEditor(const std::string& codecId) const {
    return codecPanel_->paramEditor(codecId.empty() ? codecId_ : codecId);
}

std::vector<std::string> MainWindow::enabledCodecs() const {
    return model_->enabledCodecs();
}

void MainWindow::setCodecEnabled(const std::string& codecId, bool enabled) {
    model_->setCodecEnabled(codecId, enabled);
}

void MainWindow::setMaskMode(MaskMode mode) {
    model_->setMaskMode(mode);
}

// ---- wiring -------------------------------------------------------------------------------------------------

void MainWindow::connectPieces() {
    auto selected = [this](const QString& key) { return key.toStdString() == codecId_; };
    connect(model_, &WorkspaceModel::loadStarted, this, [this](const QString& path) {
        statusBar()->showMessage(tr("Loading %1…").arg(QFileInfo(path).fileName()));
    });
    connect(model_, &WorkspaceModel::imageLoaded, this, [this](const QString& path) {
        statusBar()->clearMessage();
        if (const auto& negatives = model_->negativeValues(); !negatives.switched.empty()) {
            QStringList names;
            for (const std::string& id : negatives.switched) names << codecDisplayName(model_->registry(), id);
            statusBar()->showMessage(tr("This map has negative values: %1 switched to a signed mode that keeps them")
                                         .arg(names.join(tr(", ", "list separator"))),
                                     10000);
        }
        const QString file = currentFile();
        settings_.addRecentFile(file);
        settings_.setLastDir(StudioSettings::Folder::Open, QFileInfo(file).absolutePath());
        rebuildRecentMenu();
        updateTitle();
        emit imageLoaded(path);
    });
    connect(model_, &WorkspaceModel::loadFailed, this, [this](const QString& path, const Error& error) {
        statusBar()->clearMessage();
        const QString text =
            tr("Could not open %1.").arg(QFileInfo(path).fileName()) + QStringLiteral("\n\n") + errorText(error);
        if (!QFileInfo::exists(path)) {
            settings_.removeRecentFile(path);
            rebuildRecentMenu();
        }
        reportError(tr("Cannot open lightmap"), text);
        emit loadFailed(path, text);
    });
    connect(model_, &WorkspaceModel::codecResultChanged, this, [this, selected](const QString& key) {
        const quint64 generation = model_->state(key.toStdString())->result->generation;
        if (selected(key)) emit reconstructionShown(generation);
        emit codecResultShown(key, generation);
    });
    connect(model_, &WorkspaceModel::codecMetricsChanged, this, [this, selected](const QString& key) {
        const quint64 generation = model_->state(key.toStdString())->result->generation;
        if (selected(key)) emit resultShown(generation);
        emit codecMetricsShown(key, generation);
    });
    connect(model_, &WorkspaceModel::codecFailed, this, [this](const QString& key, const Error& error) {
        const QString text = errorText(error);
        statusBar()->showMessage(
            tr("%1: compression failed: %2")
                .arg(codecDisplayName(model_->registry(), key.toStdString()), errorSummary(error.code)),
            8000);
        emit codecFailed(key, text);
        emit errorReported(tr("Compression failed"), text);
    });
    connect(model_, &WorkspaceModel::sweepFailed, this, [this](const QString& key, const Error& error) {
        statusBar()->showMessage(
            tr("RD sweep of %1 failed: %2")
                .arg(codecDisplayName(model_->registry(), key.toStdString()), errorSummary(error.code)),
            8000);
    });
    connect(model_, &WorkspaceModel::unexpectedError, this, [this](const QString& what, const QString& detail) {
        reportError(tr("Unexpected error"), detail.isEmpty() ? tr("An unknown error occurred while %1.").arg(what)
                                                             : tr("An error occurred while %1: %2").arg(what, detail));
    });

    connect(codecPanel_, &CodecPanel::selectionRequested, this,
            [this](const std::string& id) { guarded(QT_TR_NOOP("changing the codec"), [&] { selectCodec(id); }); });
    connect(codecPanel_, &CodecPanel::deviceRequested, this, [this](const QString& d) { setDevice(d); });
    connect(views_, &ComparisonView::codecClicked, this,
            [this](const std::string& id) { guarded(QT_TR_NOOP("switching a codec"), [&] { selectCodec(id); }); });
    connect(views_, &ComparisonView::texelHovered, inspectorPanel_, &InspectorPanel::inspect);
    connect(views_, &ComparisonView::painted, this, &MainWindow::onViewPainted);
    connect(views_, &ComparisonView::viewModeChanged, this, [this](ViewMode mode) {
        QAction* action = modeActions_[int(mode)];
        if (action && !action->isChecked()) action->setChecked(true);
    });
    auto display = [this] {
        views_->setToneMapOptions(displayPanel_->toneMapOptions(dimUncoveredAction_->isChecked()));
    };
    connect(displayPanel_, &DisplayPanel::displayChanged, this, display);
    connect(displayPanel_, &DisplayPanel::maskModeRequested, this,
            [this](MaskMode mode) { guarded(QT_TR_NOOP("changing the measured texels"), [&] { setMaskMode(mode); }); });
    display();
}

void MainWindow::buildMenus() {
    openAction_ = new QAction(this);
    openAction_->setShortcut(QKeySequence::Open);
    connect(openAction_, &QAction::triggered, this, [this] {
        guarded(QT_TR_NOOP("choosing a file"), [&] {
            QString dir = settings_.lastDir(StudioSettings::Folder::Open);
            if (dir.isEmpty()) dir = QDir::homePath();
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
        settings_.clearRecentFiles();
        rebuildRecentMenu();
    });
    quitAction_ = new QAction(this);
    quitAction_->setShortcut(QKeySequence::Quit);
    connect(quitAction_, &QAction::triggered, this, &QWidget::close);

    // View actions act on whichever image view is shown.
    fitAction_ = new QAction(this);
    fitAction_->setShortcut(Qt::Key_0);
    connect(fitAction_, &QAction::triggered, this,
            [this] { views_->applyToShownView(&TileGridView::fitToWindow, &SplitView::fitToWindow); });
    actualSizeAction_ = new QAction(this);
    actualSizeAction_->setShortcut(Qt::Key_1);
    connect(actualSizeAction_, &QAction::triggered, this,
            [this] { views_->applyToShownView(&TileGridView::zoomToActualSize, &SplitView::zoomToActualSize); });
    zoomInAction_ = new QAction(this);
    zoomInAction_->setShortcut(QKeySequence::ZoomIn);
    connect(zoomInAction_, &QAction::triggered, this,
            [this] { views_->applyToShownView(&TileGridView::zoomIn, &SplitView::zoomIn); });
    zoomOutAction_ = new QAction(this);
    zoomOutAction_->setShortcut(QKeySequence::ZoomOut);
    connect(zoomOutAction_, &QAction::triggered, this,
            [this] { views_->applyToShownView(&TileGridView::zoomOut, &SplitView::zoomOut); });
    flipAction_ = new QAction(this);
    flipAction_->setCheckable(true);
    flipAction_->setShortcut(Qt::Key_F);
    connect(flipAction_, &QAction::toggled, splitView(), &SplitView::setFlipped);
    connect(splitView(), &SplitView::flippedChanged, flipAction_, &QAction::setChecked);
    dimUncoveredAction_ = new QAction(this);
    dimUncoveredAction_->setCheckable(true);
    dimUncoveredAction_->setChecked(settings_.viewFlag(StudioSettings::ViewFlag::DimUncovered));
    connect(dimUncoveredAction_, &QAction::toggled, this, [this](bool on) {
        emit displayPanel_->displayChanged();
        if (options_.persistState) settings_.setViewFlag(StudioSettings::ViewFlag::DimUncovered, on);
    });
    multiMapAction_ = new QAction(this);
    connect(multiMapAction_, &QAction::triggered, this, [this] {
        guarded(QT_TR_NOOP("opening the multi-map evaluation"), [&] {
            if (!multiMap_) multiMap_ = new MultiMapWindow(model_->registry(), model_->scheduler(), this);
            // The workspace's current settings of every codec; the per-map optimised one unticked (minutes per map).
            std::vector<MultiMapWindow::Setup> codecs;
            for (const auto& s : model_->codecs())
                codecs.push_back(
                    {s->id, codecDisplayName(model_->registry(), s->id), s->params, s->enabled && !isOptIn(s->id)});
            multiMap_->setCodecs(codecs);
            multiMap_->setMaskMode(model_->maskMode());
            if (multiMap_->mapPaths().isEmpty() && !currentFile().isEmpty()) multiMap_->addMaps({currentFile()});
            multiMap_->show();
            multiMap_->raise();
            multiMap_->activateWindow();
        });
    });
    fastPreviewAction_ = new QAction(this);
    fastPreviewAction_->setCheckable(true);
    fastPreviewAction_->setChecked(settings_.viewFlag(StudioSettings::ViewFlag::FastPreview));
    model_->setFastPreview(fastPreviewAction_->isChecked());
    connect(fastPreviewAction_, &QAction::toggled, this, [this](bool on) {
        model_->setFastPreview(on);
        if (options_.persistState) settings_.setViewFlag(StudioSettings::ViewFlag::FastPreview, on);
    });
    autoExposureAction_ = new QAction(this);
    autoExposureAction_->setShortcut(Qt::Key_E);
    connect(autoExposureAction_, &QAction::triggered, this, [this] {
        if (const auto image = model_->image()) displayPanel_->setExposure(image->exposure);
    });
    displayPanel_->autoExposureButton()->setDefaultAction(autoExposureAction_);
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
    fileMenu_->addAction(multiMapAction_);
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
    viewMenu_->addAction(fastPreviewAction_);

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
    multiMapAction_->setText(tr("&Evaluate Several Maps…"));
    multiMapAction_->setToolTip(
        tr("Sweep the codecs over a folder or a set of lightmaps: mean and per-map curves, "
           "BD-rate per map and overall"));
    fastPreviewAction_->setText(tr("Fast &Preview"));
    fastPreviewAction_->setToolTip(
        tr("The live view encodes BC6H and ASTC at a faster encoder level so sliders follow quickly (the tile says "
           "so); RD sweeps, presets and exports always use the level you chose"));
    dimUncoveredAction_->setText(tr("&Dim Uncounted Texels"));
    dimUncoveredAction_->setToolTip(
        tr("Darken the texels the metrics do not count (gutters beyond the filter ring; see Texels)"));
    aboutAction_->setText(tr("&About"));
    const QString modeNames[4] = {tr("Grid"), tr("Split"), tr("Heatmap"), tr("Charts")};
    for (int i = 0; i < 4; ++i) modeActions_[i]->setText(modeNames[i]);
    for (QAction* a : languageGroup_->actions()) a->setChecked(a->data().toString() == language_);

    codecPanel_->retranslate();
    views_->retranslate();
    displayPanel_->retranslate();
    inspectorPanel_->retranslate();
    histogramPanel_->retranslate();
    const QString device = codecPanel_->showDevice(device_);
    if (!device.isEmpty()) deviceStatus_->setText(tr("Learned codecs: %1").arg(device));
    deviceStatus_->setToolTip(tr("Device that runs the learned codecs"));
    rebuildRecentMenu();
    updateTitle();
    if (!lastResult()) latencyLabel_->clear();
}

// ---- settings -----------------------------------------------------------------------------------------------

void MainWindow::restoreSettings() {
    const QByteArray geometry = settings_.windowGeometry();
    if (!geometry.isEmpty()) restoreGeometry(geometry);
    const QByteArray split = settings_.splitterState();
    if (!split.isEmpty()) splitter_->restoreState(split);
    const QByteArray centreSplit = settings_.centreSplitterState();
    if (!centreSplit.isEmpty()) views_->splitter()->restoreState(centreSplit);
    model_->restoreSettings(settings_);
    codecPanel_->syncFromModel();
    std::string codec = settings_.selectedCodec().toStdString();
    if (codec.empty() || !model_->state(codec)) codec = options_.defaultCodec.toStdString();
    if (!model_->state(codec) && !model_->codecs().empty()) codec = model_->codecs().front()->id;
    selectCodec(codec);
    setViewMode(ViewMode(std::clamp(settings_.viewMode(), 0, 3)));
    MaskMode mask = MaskMode::Visible;
    parseMaskMode(settings_.maskMode().toStdString(), mask);
    setMaskMode(mask);
    views_->chartsPanel()->restoreChoices(settings_.chartChoices());
    histogramPanel_->group()->setChecked(settings_.viewFlag(StudioSettings::ViewFlag::Histograms));
    language_ = currentLanguage();
}

void MainWindow::saveSettings() {
    if (!options_.persistState) return;
    settings_.setWindowGeometry(saveGeometry());
    settings_.setSplitterState(splitter_->saveState());
    settings_.setCentreSplitterState(views_->splitter()->saveState());
    settings_.setSelectedCodec(QString::fromStdString(codecId_));
    settings_.setViewMode(int(views_->viewMode()));
    settings_.setMaskMode(QString(maskModeName(model_->maskMode())));
    settings_.setChartChoices(views_->chartsPanel()->saveChoices());
    settings_.setViewFlag(StudioSettings::ViewFlag::Histograms, histogramPanel_->group()->isChecked());
    model_->saveSettings(settings_);
    settings_.sync();
}

void MainWindow::setLanguage(const QString& code, bool persist) {
    const QString normalized = normalizeLanguage(code);
    if (normalized.isEmpty()) return;
    if (!applyLanguage(normalized)) {
        reportError(tr("Language"), tr("The translation for %1 could not be loaded.").arg(normalized));
        return;
    }
    language_ = normalized;
    if (persist) settings_.setLanguage(normalized);
    // applyLanguage sends LanguageChange to every widget; the window retranslates itself from changeEvent.
    for (QAction* a : languageGroup_->actions()) a->setChecked(a->data().toString() == language_);
}

void MainWindow::setDevice(const QString& device) {
    device_ = device;
    model_->setDevice(device.toStdString());
    const QString text = codecPanel_->showDevice(device);
    if (!text.isEmpty()) deviceStatus_->setText(tr("Learned codecs: %1").arg(text));
}

// ---- selection, modes, results ------------------------------------------------------------------------------

void MainWindow::setViewMode(ViewMode mode) {
    views_->setViewMode(mode);
}

void MainWindow::selectCodec(const std::string& id) {
    const CodecState* s = model_->state(id);
    if (!s) return;
    codecId_ = id;
    codecPanel_->setSelected(id);
    if (!s->enabled) model_->setCodecEnabled(id, true);
    views_->setSelected(id);
    displayPanel_->setSelected(id);
    histogramPanel_->setSelected(id);
    if (model_->source() && s->enabled && !s->result && !s->runner->isBusy()) model_->requestCompression(id, true);
}

void MainWindow::openFile(const QString& path) {
    guarded(QT_TR_NOOP("opening a file"), [&] { model_->open(path, codecId_); });
}

void MainWindow::onViewPainted() {
    for (const auto& s : model_->codecs()) {
        const qint64 start = model_->takeLatencyStart(s->id);
        if (start < 0) continue;
        const double ms = double(s->runner->clock() - start) / 1e6;
        emit codecLatencyMeasured(s->key, ms);
        if (s->id == codecId_) {
            latencyLabel_->setText(
                tr("%1 updated %2 ms after the change")
                    .arg(codecDisplayName(model_->registry(), s->id), QLocale().toString(ms, 'f', 0)));
            emit latencyMeasured(ms);
        }
    }
}

// ---- small pieces -------------------------------------------------------------------------------------------

void MainWindow::updateTitle() {
    const QString file = currentFile();
    if (file.isEmpty())
        setWindowTitle(tr("Lightmap Codec Studio"));
    else
        setWindowTitle(tr("%1 — Lightmap Codec Studio").arg(QFileInfo(file).fileName()));
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
    for (const auto& s : model_->codecs()) s->runner->cancel();
    model_->sweepRunner()->cancelAll();
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
