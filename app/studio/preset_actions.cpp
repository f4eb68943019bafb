#include "app/studio/preset_actions.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDialog>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMainWindow>
#include <QMenu>
#include <QMessageBox>
#include <QProgressDialog>
#include <QPushButton>
#include <QRegularExpression>
#include <QStatusBar>
#include <QTimer>

#include <atomic>
#include <cmath>
#include <exception>
#include <optional>

#include "app/studio/error_text.h"
#include "app/studio/exporter.h"
#include "codec/evaluate.h"

namespace lmc::studio {

namespace {

// What the worker hands back; translated into ExportOutcome on the GUI thread.
struct JobResult {
    std::vector<ExportedFile> written;
    std::optional<Error> error;
};

// Encodes the source with the request's setting, decodes and measures it, then writes the files. Worker thread.
JobResult runExportJob(ExportRequest request, const CodecRegistry& registry, std::shared_ptr<CancelToken> cancel,
                       std::shared_ptr<std::atomic<int>> percent) {
    JobResult out;
    try {
        const Codec* codec = registry.find(request.codecId);
        if (!codec || !request.source) {
            out.error = makeError(ErrorCode::InvalidArgument, "nothing to export");
            return out;
        }
        CodecContext ctx;
        ctx.cancel = cancel.get();
        ctx.progress = [percent](double f) { percent->store(int(f * 90)); };
        EvaluateOptions options;
        options.metrics.mask = request.mask;
        auto e = evaluate(*codec, request.source->view(), request.params, ctx, options);
        if (!e) {
            out.error = e.error();
            return out;
        }
        if (e->decodeError) {
            out.error = *e->decodeError;
            return out;
        }
        request.encodeMs = e->encodeMs;
        request.decodeMs = e->decodeMs;
        if (e->metrics) request.metrics = *e->metrics;  // export the files even if the image has no counted texel
        percent->store(92);
        request.encoded = std::move(e->bytes);
        request.reconstruction = e->reconstruction;
        if (cancel->isCancelled()) {
            out.error = cancelledError();
            return out;
        }
        auto written = Exporter(registry).run(request);
        if (!written) {
            out.error = written.error();
            return out;
        }
        out.written = std::move(*written);
        percent->store(100);
    } catch (const std::bad_alloc&) {
        out.error = makeError(ErrorCode::Internal, "out of memory while exporting");
    } catch (const std::exception& e) {
        out.error = makeError(ErrorCode::Internal, std::string("export failed: ") + e.what());
    }
    return out;
}

QString safeFileStem(const QString& text) {
    QString s = text.trimmed();
    s.replace(QRegularExpression(QStringLiteral("[\\\\/:*?\"<>|\\s]+")), QStringLiteral("_"));
    return s;
}

}  // namespace

PresetActions::PresetActions(QMainWindow* window, StudioHooks hooks, const QString& settingsFile, bool persistState,
                             const CodecRegistry& registry)
    : QObject(window),
      window_(window),
      hooks_(std::move(hooks)),
      settings_(settingsFile),
      persistState_(persistState),
      registry_(registry) {
    qRegisterMetaType<ExportOutcome>();
    savePreset_ = new QAction(this);
    loadPreset_ = new QAction(this);
    export_ = new QAction(this);
    separator_ = new QAction(this);
    separator_->setSeparator(true);
    savePreset_->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S));
    export_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    connect(savePreset_, &QAction::triggered, this, &PresetActions::saveWithDialog);
    connect(loadPreset_, &QAction::triggered, this, &PresetActions::loadWithDialog);
    connect(export_, &QAction::triggered, this, &PresetActions::exportWithDialog);
    window_->installEventFilter(this);

    const QByteArray state = settings_.windowState();
    if (!state.isEmpty()) window_->restoreState(state);
    retranslate();
    // After the window is shown, so the message lands in a visible status bar.
    QTimer::singleShot(0, this, &PresetActions::pruneRecentFiles);
}

PresetActions::~PresetActions() {
    // The export and solve jobs post back to this object: stop them and wait for them before going away.
    if (exportCancel_) exportCancel_->cancel();
    cancelSolve();
    if (scheduler_) {
        scheduler_->cancelGroup(exportGroup_);
        scheduler_->cancelGroup(solveGroup_);
    }
}

JobScheduler& PresetActions::scheduler() {
    if (!scheduler_) {
        scheduler_ = hooks_.scheduler ? hooks_.scheduler() : nullptr;
        if (!scheduler_) scheduler_ = std::make_shared<JobScheduler>();
        solveGroup_ = scheduler_->makeGroup();
        exportGroup_ = scheduler_->makeGroup();
    }
    return *scheduler_;
}

void PresetActions::addToMenu(QMenu* menu, QAction* before) {
    menu->insertAction(before, savePreset_);
    menu->insertAction(before, loadPreset_);
    menu->insertAction(before, export_);
    menu->insertAction(before, separator_);
}

void PresetActions::retranslate() {
    savePreset_->setText(tr("Save &Preset…"));
    savePreset_->setToolTip(tr("Save the current codec and parameters as a preset file (JSON)"));
    loadPreset_->setText(tr("&Load Preset…"));
    loadPreset_->setToolTip(tr("Load a preset file and apply its codec and parameters"));
    export_->setText(tr("&Export…"));
    export_->setToolTip(
        tr("Write the compressed file, the reconstruction (EXR), the heatmap and chart (PNG) and "
           "the metrics (CSV) to a folder"));
}

bool PresetActions::eventFilter(QObject* watched, QEvent* event) {
    if (watched == window_) {
        if (event->type() == QEvent::LanguageChange) {
            retranslate();
        } else if (event->type() == QEvent::Close && persistState_) {
            settings_.setWindowState(window_->saveState());
            settings_.sync();
        }
    }
    return QObject::eventFilter(watched, event);
}

void PresetActions::report(const QString& title, const QString& text) {
    if (hooks_.reportError) {
        hooks_.reportError(window_, title, text);
        return;
    }
    QMessageBox box(QMessageBox::Warning, title, text, QMessageBox::NoButton, window_);
    box.addButton(tr("OK"), QMessageBox::AcceptRole);
    box.exec();
}

void PresetActions::pruneRecentFiles() {
    const QStringList removed = settings_.pruneMissingRecentFiles();
    if (removed.isEmpty()) return;
    QStringList names;
    for (const QString& path : removed) names << QFileInfo(path).fileName();
    window_->statusBar()->showMessage(
        tr("%n recent file(s) no longer exist and were removed from the list: %1", "", int(removed.size()))
            .arg(names.join(QStringLiteral(", "))),
        15000);
}

Status PresetActions::savePresetTo(const QString& path, const QString& target,
                                   const std::optional<SolveTarget>& solve) {
    const std::string codecId = hooks_.currentCodec ? hooks_.currentCodec() : std::string();
    const ParamSet params = hooks_.currentParams ? hooks_.currentParams() : ParamSet();
    const std::string gpuFormat = hooks_.currentGpuFormat ? hooks_.currentGpuFormat() : std::string();
    auto p = preset::makePreset(registry_, codecId, params, target.toStdString(), solve, gpuFormat);
    if (!p) return p.error();
    // A snapshot only when the shown result was made with exactly this setting.
    const CompressionResultPtr result = hooks_.currentResult ? hooks_.currentResult() : nullptr;
    if (result && result->codecId == p->codecId && result->reconstruction && result->gpuFormat == p->gpuFormat) {
        auto shown = validateParams(registry_.find(codecId)->schema(), result->params);
        if (shown && *shown == p->params) {
            const QString file = hooks_.currentFile ? hooks_.currentFile() : QString();
            p->metrics = preset::makeMetricsSnapshot(result->hasMetrics ? &result->metrics : nullptr, result->bytes,
                                                     result->reconstruction->width(), result->reconstruction->height(),
                                                     toNativePath(file));
        }
    }
    const QString source = hooks_.currentFile ? hooks_.currentFile() : QString();
    Status s = preset::savePreset(toNativePath(path), *p, registry_, toNativePath(source));
    if (!s) return s;
    lastTarget_ = target;
    settings_.setLastDir(StudioSettings::Folder::Preset, QFileInfo(path).absolutePath());
    emit presetSaved(path);
    return {};
}

Status PresetActions::loadPresetFrom(const QString& path, QStringList* warnings) {
    auto loaded = preset::loadPreset(toNativePath(path), registry_);
    if (!loaded) return loaded.error();
    QStringList notes;
    for (const auto& w : loaded->warnings) notes << QString::fromStdString(w);
    if (!hooks_.applyPreset || !hooks_.applyPreset(loaded->preset.codecId, loaded->preset.params))
        return makeError(ErrorCode::Unsupported,
                         "the window cannot show codec '" + loaded->preset.codecId + "' right now");
    if (hooks_.applyGpuFormat) hooks_.applyGpuFormat(loaded->preset.codecId, loaded->preset.gpuFormat);
    lastTarget_ = QString::fromStdString(loaded->preset.target);
    settings_.setLastDir(StudioSettings::Folder::Preset, QFileInfo(path).absolutePath());
    if (warnings) *warnings = notes;
    cancelSolve();
    pendingComparison_.reset();
    if (loaded->preset.solve) {
        startSolve(loaded->preset);
    } else {
        pendingComparison_ = PendingComparison{loaded->preset.codecId, loaded->preset.params, loaded->preset.metrics};
        noteMetricsShown(loaded->preset.codecId);  // the setting may be shown already (nothing to recompute)
    }
    emit presetLoaded(path, notes);
    return {};
}

QString PresetActions::targetText(const SolveTarget& target) {
    const QString v = QString::number(target.value, 'g', 6);
    switch (target.metric) {
        case SolveMetric::MPsnr:
            return tr("mPSNR ≥ %1 dB").arg(v);
        case SolveMetric::Pu21Psnr:
            return tr("PU21-PSNR ≥ %1 dB").arg(v);
        case SolveMetric::LogPsnr:
            return tr("log-PSNR ≥ %1 dB").arg(v);
        case SolveMetric::Bpp:
            return tr("≤ %1 bpp").arg(v);
    }
    return v;
}

void PresetActions::status(const QString& text, int ms) {
    window_->statusBar()->showMessage(text, ms);
}

void PresetActions::noteMetricsShown(const std::string& codecId) {
    if (!pendingComparison_ || pendingComparison_->codecId != codecId) return;
    CompressionResultPtr result;
    if (hooks_.resultFor)
        result = hooks_.resultFor(codecId);
    else if (hooks_.currentResult && hooks_.currentCodec && hooks_.currentCodec() == codecId)
        result = hooks_.currentResult();
    if (!result || !result->hasMetrics || result->codecId != codecId) return;
    const Codec* codec = registry_.find(codecId);
    auto shown = codec ? validateParams(codec->schema(), result->params) : Result<ParamSet>(ParamSet());
    if (!shown || *shown != pendingComparison_->params) return;  // an older setting's result
    showComparison(*result);
}

void PresetActions::showComparison(const CompressionResult& result) {
    const PendingComparison pending = std::move(*pendingComparison_);
    pendingComparison_.reset();
    const QString here = QString::number(result.metrics.mPsnr, 'f', 1);
    const QString hereBpp = QString::number(result.bitsPerTexel, 'f', 2);
    QString text;
    const auto& m = pending.snapshot;
    if (m && std::isfinite(m->mpsnr) && std::isfinite(m->bpp)) {
        const QString where = m->sourceFile.empty() ? tr("another map") : QString::fromStdString(m->sourceFile);
        text = tr("On this map the preset gives %1 dB mPSNR at %2 bpp; saved on %3: %4 dB at %5 bpp.")
                   .arg(here, hereBpp, where, QString::number(m->mpsnr, 'f', 1), QString::number(m->bpp, 'f', 2));
    } else {
        text = tr("On this map the preset gives %1 dB mPSNR at %2 bpp (it holds no saved measurement to compare).")
                   .arg(here, hereBpp);
    }
    status(text, 30000);
    emit presetCompared(text);
}

void PresetActions::cancelSolve() {
    ++solveGeneration_;  // whatever is still running reports to no one
    if (solveTimer_) solveTimer_->stop();
    if (solveCancel_) solveCancel_->cancel();
    solveCancel_.reset();
    solveJob_.reset();
    if (scheduler_) scheduler_->dropQueued(solveGroup_);
}

void PresetActions::startSolve(const preset::Preset& p) {
    const Codec* codec = registry_.find(p.codecId);
    auto image = hooks_.currentImage ? hooks_.currentImage() : nullptr;
    const SolveTarget target = *p.solve;
    if (!codec || !image) {
        status(tr("Open a lightmap to solve the preset's target %1 for it.").arg(targetText(target)), 15000);
        return;
    }
    const quint64 generation = ++solveGeneration_;
    solveCancel_ = std::make_shared<CancelToken>();
    const QString file = hooks_.currentFile ? hooks_.currentFile() : QString();
    solveJob_ = SolveJob{p.codecId, target, image, file};
    const ParamSet start = p.params;
    const MaskMode mask = hooks_.maskMode ? hooks_.maskMode() : MaskMode::Visible;
    auto cancel = solveCancel_;
    const QString message =
        tr("Solving the preset's target %1 for %2…").arg(targetText(target), QFileInfo(file).fileName());
    status(message, 0);
    // Progress in the status bar, polled: the search reports from the job's threads.
    auto percent = std::make_shared<std::atomic<int>>(0);
    if (!solveTimer_) solveTimer_ = new QTimer(this);
    solveTimer_->disconnect();
    connect(solveTimer_, &QTimer::timeout, this,
            [this, message, percent] { status(message + QStringLiteral(" %1%").arg(percent->load()), 0); });
    solveTimer_->start(250);
    // The job runs on the scheduler; the destructor waits for it (cancelGroup), so `this` outlives it.
    JobScheduler& jobs = scheduler();
    jobs.submit(solveGroup_, Priority::Normal, cancel,
                [this, codec, image, start, target, mask, cancel, generation, percent] {
                    auto out = std::make_shared<Result<SolveResult>>(makeError(ErrorCode::Internal, "not run"));
                    try {
                        CodecContext context;
                        context.cancel = cancel.get();
                        context.progress = [percent](double f) { percent->store(int(f * 100)); };
                        SolveOptions options;
                        options.evaluate.metrics.mask = mask;
                        *out = solveRate(*codec, image->view(), start, target, context, options);
                    } catch (const std::bad_alloc&) {
                        *out = makeError(ErrorCode::Internal, "out of memory while solving a preset's target");
                    } catch (const std::exception& e) {
                        *out = makeError(ErrorCode::Internal, std::string("solving failed: ") + e.what());
                    }
                    QMetaObject::invokeMethod(
                        this, [this, generation, out] { onSolved(generation, out); }, Qt::QueuedConnection);
                });
}

void PresetActions::onSolved(quint64 generation, const std::shared_ptr<Result<SolveResult>>& result) {
    if (generation != solveGeneration_ || !solveJob_) return;  // superseded
    solveTimer_->stop();
    const SolveJob job = std::move(*solveJob_);
    solveJob_.reset();
    solveCancel_.reset();
    const Result<SolveResult>& r = *result;
    if (!r) {
        if (r.error().code == ErrorCode::Cancelled) return;
        const QString text = tr("Could not solve the preset's target %1.").arg(targetText(job.target)) +
                             QStringLiteral(" ") + errorText(r.error());
        status(text, 15000);
        emit presetSolveFailed(text);
        return;
    }
    // The map changed while the search ran: its answer is for another map.
    if (!hooks_.currentImage || hooks_.currentImage() != job.image) return;
    if (!hooks_.applyPreset || !hooks_.applyPreset(job.codecId, r->params)) return;
    const Codec* codec = registry_.find(job.codecId);
    const ParamSpec* rate = codec ? findParam(codec->schema(), r->rateParam) : nullptr;
    const QString setting = QString::fromStdString(r->rateParam) + QLatin1Char('=') +
                            QString::fromStdString(rate ? formatParamValue(*rate, r->rateValue) : std::string());
    const QualityMetrics* m = r->evaluation.metrics ? &*r->evaluation.metrics : nullptr;
    QString quality;
    switch (job.target.metric) {
        case SolveMetric::Pu21Psnr:
            quality = tr("%1 dB PU21-PSNR").arg(m ? m->pu21Psnr : 0.0, 0, 'f', 2);
            break;
        case SolveMetric::LogPsnr:
            quality = tr("%1 dB log-PSNR").arg(m ? m->logPsnr : 0.0, 0, 'f', 2);
            break;
        case SolveMetric::MPsnr:
        case SolveMetric::Bpp:
            quality = tr("%1 dB mPSNR").arg(m ? m->mPsnr : 0.0, 0, 'f', 2);
            break;
    }
    const QString bpp = QString::number(r->evaluation.bitsPerTexel, 'f', 3);
    const QString map = QFileInfo(job.file).fileName();
    const QString text =
        r->reached ? tr("Preset target %1 solved for %2: %3 gives %4 at %5 bpp (%n encode(s)).", "", r->evaluations)
                         .arg(targetText(job.target), map, setting, quality, bpp)
                   : tr("Preset target %1 cannot be reached on %2: the best setting, %3, gives %4 at %5 bpp and "
                        "was applied.")
                         .arg(targetText(job.target), map, setting, quality, bpp);
    status(text, 30000);
    emit presetSolved(r->reached, text);
}

void PresetActions::saveWithDialog() {
    try {
        if (!hooks_.currentCodec || hooks_.currentCodec().empty()) return;
        const Codec* codec = registry_.find(hooks_.currentCodec());
        QDialog dialog(window_);
        dialog.setWindowTitle(tr("Save Preset"));
        auto* form = new QFormLayout(&dialog);
        auto* targetEdit = new QLineEdit(lastTarget_, &dialog);
        targetEdit->setPlaceholderText(tr("e.g. “PC high” or “mobile”"));
        form->addRow(tr("Target (what this setting is for):"), targetEdit);
        auto* metric = new QComboBox(&dialog);
        metric->setObjectName(QStringLiteral("solveMetric"));
        metric->addItem(tr("None: keep the current setting"), -1);
        metric->addItem(tr("mPSNR at least (dB)"), int(SolveMetric::MPsnr));
        metric->addItem(tr("PU21-PSNR at least (dB)"), int(SolveMetric::Pu21Psnr));
        metric->addItem(tr("log-PSNR at least (dB)"), int(SolveMetric::LogPsnr));
        metric->addItem(tr("Bits per texel at most"), int(SolveMetric::Bpp));
        auto* value = new QDoubleSpinBox(&dialog);
        value->setRange(0.01, 200.0);
        value->setDecimals(2);
        value->setValue(45.0);
        value->setEnabled(false);
        const bool solvable = codec && codec->rateParam();
        metric->setEnabled(solvable);
        connect(metric, qOverload<int>(&QComboBox::currentIndexChanged), &dialog, [metric, value](int) {
            const int m = metric->currentData().toInt();
            value->setEnabled(m >= 0);
            if (m == int(SolveMetric::Bpp) && value->value() > 32) value->setValue(1.0);
            if (m >= 0 && m != int(SolveMetric::Bpp) && value->value() < 10) value->setValue(45.0);
        });
        form->addRow(tr("Quality target:"), metric);
        form->addRow(tr("Value:"), value);
        auto* note = new QLabel(solvable ? tr("With a quality target, the preset searches the codec's rate parameter "
                                              "for each map it is applied to (lmc apply, or loading it here).")
                                         : tr("This codec has no rate parameter, so it cannot take a quality target."),
                                &dialog);
        note->setWordWrap(true);
        form->addRow(note);
        auto* buttons = new QHBoxLayout;
        buttons->addStretch(1);
        auto* save = new QPushButton(tr("Save…"), &dialog);
        auto* cancel = new QPushButton(tr("Cancel"), &dialog);
        save->setDefault(true);
        buttons->addWidget(save);
        buttons->addWidget(cancel);
        form->addRow(buttons);
        connect(save, &QPushButton::clicked, &dialog, &QDialog::accept);
        connect(cancel, &QPushButton::clicked, &dialog, &QDialog::reject);
        if (dialog.exec() != QDialog::Accepted) return;
        const QString target = targetEdit->text();
        std::optional<SolveTarget> solve;
        if (const int m = metric->currentData().toInt(); m >= 0)
            solve = SolveTarget{static_cast<SolveMetric>(m), value->value()};

        QString stem = QString::fromStdString(hooks_.currentCodec());
        if (!safeFileStem(target).isEmpty()) stem += QLatin1Char('_') + safeFileStem(target);
        const QString suggested =
            QDir(settings_.lastDir(StudioSettings::Folder::Preset)).filePath(stem + QStringLiteral(".json"));
        QString path = QFileDialog::getSaveFileName(window_, tr("Save Preset"), suggested,
                                                    tr("Lightmap codec presets (*.json);;All files (*)"));
        if (path.isEmpty()) return;
        if (QFileInfo(path).suffix().isEmpty()) path += QStringLiteral(".json");
        if (Status s = savePresetTo(path, target, solve); !s) {
            report(tr("Cannot save preset"), tr("Could not save the preset %1.").arg(QFileInfo(path).fileName()) +
                                                 QStringLiteral("\n\n") + errorText(s.error()));
            return;
        }
        window_->statusBar()->showMessage(tr("Preset saved to %1").arg(QDir::toNativeSeparators(path)), 8000);
    } catch (const std::exception& e) {
        report(tr("Cannot save preset"), errorText(makeError(ErrorCode::Internal, e.what())));
    }
}

void PresetActions::loadWithDialog() {
    try {
        const QString path =
            QFileDialog::getOpenFileName(window_, tr("Load Preset"), settings_.lastDir(StudioSettings::Folder::Preset),
                                         tr("Lightmap codec presets (*.json);;All files (*)"));
        if (path.isEmpty()) return;
        QStringList warnings;
        if (Status s = loadPresetFrom(path, &warnings); !s) {
            report(tr("Cannot load preset"), tr("Could not load the preset %1.").arg(QFileInfo(path).fileName()) +
                                                 QStringLiteral("\n\n") + errorText(s.error()));
            return;
        }
        if (!warnings.isEmpty()) {
            QMessageBox box(QMessageBox::Information, tr("Preset loaded"),
                            tr("The preset %1 was loaded. Please note:").arg(QFileInfo(path).fileName()),
                            QMessageBox::NoButton, window_);
            box.setInformativeText(QStringLiteral("• ") + warnings.join(QStringLiteral("\n• ")));
            box.addButton(tr("OK"), QMessageBox::AcceptRole);
            box.exec();
        }
        if (!isSolving() && pendingComparison_)
            window_->statusBar()->showMessage(tr("Preset %1 applied").arg(QFileInfo(path).fileName()), 8000);
    } catch (const std::exception& e) {
        report(tr("Cannot load preset"), errorText(makeError(ErrorCode::Internal, e.what())));
    }
}

bool PresetActions::exportTo(const QString& folder, bool overwrite) {
    if (isExporting()) return false;
    auto image = hooks_.currentImage ? hooks_.currentImage() : nullptr;
    const std::string codecId = hooks_.currentCodec ? hooks_.currentCodec() : std::string();
    if (!image || codecId.empty() || !registry_.find(codecId)) return false;

    ExportRequest request;
    request.sourcePath = hooks_.currentFile ? hooks_.currentFile() : QString();
    request.outputDir = folder;
    request.codecId = codecId;
    request.params = hooks_.currentParams ? hooks_.currentParams() : ParamSet();
    request.source = image;
    if (hooks_.maskMode) request.mask = hooks_.maskMode();
    if (hooks_.heatmapImage) request.heatmap = hooks_.heatmapImage();
    if (hooks_.chartImage) request.chart = hooks_.chartImage();
    request.overwrite = overwrite;

    exportCancel_ = std::make_shared<CancelToken>();
    auto percent = std::make_shared<std::atomic<int>>(0);
    if (progress_) {
        auto* timer = new QTimer(progress_);
        connect(timer, &QTimer::timeout, progress_, [dialog = progress_, percent] {
            if (dialog) dialog->setValue(std::min(99, percent->load()));
        });
        timer->start(100);
    }
    const CodecRegistry* registry = &registry_;
    auto cancel = exportCancel_;
    // A Normal job (the user waits for it, as for a learned codec's picture); the destructor waits for it
    // (cancelGroup), so `this` outlives it. The token is the export's own Cancel, not a preemption.
    scheduler().submit(exportGroup_, Priority::Normal, nullptr, [this, request, registry, cancel, percent] {
        JobResult r = runExportJob(request, *registry, cancel, percent);  // never throws
        ExportOutcome outcome;
        outcome.ok = !r.error.has_value();
        outcome.cancelled = r.error && r.error->code == ErrorCode::Cancelled;
        for (const auto& f : r.written) outcome.files << f.path;
        if (r.error) outcome.error = *r.error;  // translated on the GUI thread in onExportDone
        QMetaObject::invokeMethod(
            this, [this, outcome] { onExportDone(outcome); }, Qt::QueuedConnection);
    });
    return true;
}

void PresetActions::cancelExport() {
    if (exportCancel_) exportCancel_->cancel();
}

void PresetActions::onExportDone(ExportOutcome outcome) {
    if (!exportCancel_) return;
    exportCancel_.reset();
    if (progress_) {
        progress_->close();
        progress_->deleteLater();
    }
    if (!outcome.ok)
        outcome.errorText = outcome.cancelled
                                ? tr("The export was cancelled.")
                                : tr("The export failed.") + QStringLiteral("\n\n") + errorText(outcome.error);
    emit exportFinished(outcome);
}

void PresetActions::exportWithDialog() {
    try {
        if (isExporting()) return;
        if (!hooks_.currentImage || !hooks_.currentImage()) {
            report(tr("Export"), tr("Open a lightmap first."));
            return;
        }
        const QString folder = QFileDialog::getExistingDirectory(window_, tr("Export to Folder"),
                                                                 settings_.lastDir(StudioSettings::Folder::Export));
        if (folder.isEmpty()) return;
        settings_.setLastDir(StudioSettings::Folder::Export, folder);

        // Ask before replacing anything: the same plan the export will follow.
        ExportRequest probe;
        probe.sourcePath = hooks_.currentFile ? hooks_.currentFile() : QString();
        probe.outputDir = folder;
        probe.codecId = hooks_.currentCodec();
        probe.encoded = Bytes(1);
        probe.reconstruction = hooks_.currentImage();
        if (hooks_.heatmapImage) probe.heatmap = hooks_.heatmapImage();
        if (hooks_.chartImage) probe.chart = hooks_.chartImage();
        const std::vector<QString> existing = Exporter(registry_).existingFiles(probe);
        bool overwrite = false;
        if (!existing.empty()) {
            QStringList names;
            for (const QString& p : existing) names << QFileInfo(p).fileName();
            QMessageBox box(QMessageBox::Question, tr("Export"),
                            tr("%n file(s) already exist in %1. Replace them?", "", int(existing.size()))
                                .arg(QDir::toNativeSeparators(folder)),
                            QMessageBox::NoButton, window_);
            box.setInformativeText(names.join(QLatin1Char('\n')));
            QPushButton* replace = box.addButton(tr("Replace"), QMessageBox::AcceptRole);
            box.addButton(tr("Cancel"), QMessageBox::RejectRole);
            box.exec();
            if (box.clickedButton() != replace) return;
            overwrite = true;
        }

        progress_ = new QProgressDialog(tr("Exporting…"), tr("Cancel"), 0, 100, window_);
        progress_->setWindowTitle(tr("Export"));
        progress_->setWindowModality(Qt::WindowModal);
        progress_->setMinimumDuration(300);
        progress_->setAutoClose(false);
        progress_->setAutoReset(false);
        connect(progress_, &QProgressDialog::canceled, this, &PresetActions::cancelExport);
        if (!exportTo(folder, overwrite)) {
            progress_->deleteLater();
            return;
        }
        // One-shot: report this export's outcome to the user.
        auto connection = std::make_shared<QMetaObject::Connection>();
        *connection = connect(
            this, &PresetActions::exportFinished, this, [this, connection, folder](const ExportOutcome& outcome) {
                disconnect(*connection);
                if (outcome.ok) {
                    window_->statusBar()->showMessage(tr("Exported %n file(s) to %1", "", int(outcome.files.size()))
                                                          .arg(QDir::toNativeSeparators(folder)),
                                                      10000);
                } else if (outcome.cancelled) {
                    window_->statusBar()->showMessage(outcome.errorText, 8000);
                } else {
                    report(tr("Export"), outcome.errorText);
                }
            });
    } catch (const std::exception& e) {
        report(tr("Export"), errorText(makeError(ErrorCode::Internal, e.what())));
    }
}

PresetActions* installPresetActions(QMainWindow* window, QMenu* fileMenu, QAction* before, StudioHooks hooks,
                                    const QString& settingsFile, bool persistState) {
    auto* actions = new PresetActions(window, std::move(hooks), settingsFile, persistState);
    actions->addToMenu(fileMenu, before);
    return actions;
}

}  // namespace lmc::studio
