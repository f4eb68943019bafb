// Presets, export and persistence in lmstudio: Exporter writes every file (bytes that decode to the exported
// reconstruction, PNGs, a CSV row), never overwrites the source (also through a link), refuses existing files
// unless asked, and leaves no temporary or half-written files when a write fails; StudioSettings keeps recent files
// (ten, most recent first, missing ones pruned), window layout, language and folders across "restarts" (new
// objects on the same INI file); PresetActions saves, loads (with clear errors for bad files) and exports through
// its hooks, and persists the window state on close; a solving preset is saved with its target and, loaded onto a
// map, solved in the background with the setting found applied (or the best effort, flagged); a fixed preset
// loaded in the window is compared with its snapshot once its setting is measured.
#include <QApplication>
#include <QComboBox>
#include <QDialog>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QToolBar>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <optional>
#include <thread>

#include "app/preset/preset.h"
#include "app/studio/codec_panel.h"
#include "app/studio/comparison_service.h"
#include "app/studio/display_panel.h"
#include "app/studio/exporter.h"
#include "app/studio/inspector_panel.h"
#include "app/studio/language.h"
#include "app/studio/main_window.h"
#include "app/studio/param_editor.h"
#include "app/studio/preset_actions.h"
#include "app/studio/studio_settings.h"
#include "app/studio/workspace_model.h"
#include "codec/evaluate.h"
#include "codec/exr_io.h"
#include "codec/file_io.h"
#include "test_support.h"

using namespace lmc;
using namespace lmc::studio;

namespace {

// A window that saves no state and collects its error messages instead of showing them.
MainWindowOptions quietWindow(const QString& settingsFile, QStringList& errors) {
    MainWindowOptions options;
    options.settingsFile = settingsFile;
    options.persistState = false;
    options.autoSweep = false;
    options.errorPresenter = [&errors](QWidget*, const QString& title, const QString& text) {
        errors << title + QStringLiteral(": ") + text;
    };
    return options;
}

QByteArray readAll(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    return f.readAll();
}

QStringList tempFilesIn(const QString& dir) {
    return QDir(dir).entryList(QStringList{QStringLiteral(".*.tmp*")}, QDir::Files | QDir::Hidden);
}

QImage solidImage(QColor colour) {
    QImage image(64, 32, QImage::Format_RGB32);
    image.fill(colour);
    return image;
}

// A complete request for the jpeg codec at quality 70 on `source`, encoded and decoded for real.
ExportRequest makeRequest(const QString& sourcePath, const QString& outDir) {
    auto loaded = readExr(sourcePath.toStdString());
    if (!loaded) qFatal("readExr: %s", loaded.error().message.c_str());
    ExportRequest r;
    r.sourcePath = sourcePath;
    r.outputDir = outDir;
    r.codecId = "jpeg";
    const Codec* codec = CodecRegistry::builtin().find("jpeg");
    r.params = ParamSet::defaults(codec->schema());
    r.params.set("quality", 70);
    auto source = std::make_shared<const Image>(std::move(loaded->image));
    auto bytes = encodeImage(*codec, source->view(), r.params, {});
    if (!bytes) qFatal("encode: %s", bytes.error().message.c_str());
    auto decoded = codec->decode(*bytes, {});
    if (!decoded) qFatal("decode: %s", decoded.error().message.c_str());
    auto metrics = computeMetrics(source->view(), decoded->view());
    if (!metrics) qFatal("metrics: %s", metrics.error().message.c_str());
    r.encoded = std::move(*bytes);
    r.reconstruction = std::make_shared<const Image>(std::move(*decoded));
    r.source = source;
    r.metrics = *metrics;
    r.encodeMs = 12.5;
    r.decodeMs = 3.25;
    r.heatmap = solidImage(Qt::red);
    r.chart = solidImage(Qt::blue);
    return r;
}

}  // namespace

class TestPresetsExport : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void exporterWritesEveryFile();
    void exporterNeverOverwritesTheSource();
    void exporterRefusesExistingFilesUnlessAsked();
    void exporterFailureLeavesNoPartialFiles();
    void recentFilesPersistAndPrune();
    void layoutLanguageAndFoldersPersist();
    void presetActionsRoundTrip();
    void presetActionsReportBadPresets();
    void presetActionsSolveTargets();
    void presetActionsExport();
    void presetActionsExportRunsOnTheSchedulerAndCancels();
    void windowStateSavedOnClose();
    void mainWindowPresetsAndExport();
    void mainWindowSolvesPresetsInBothLanguages();
    void missingRecentFilesReportedAndTranslated();

private:
    QTemporaryDir dir_;
    QString source_;
};

void TestPresetsExport::initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(dir_.isValid());
    source_ = test::writeLightmap(QDir(dir_.path()), QStringLiteral("atrium.exr"), 128, 96);
}

void TestPresetsExport::exporterWritesEveryFile() {
    const QString out = dir_.filePath(QStringLiteral("export1"));
    QVERIFY(QDir().mkpath(out));
    const ExportRequest r = makeRequest(source_, out);
    auto written = Exporter().run(r);
    QVERIFY2(written.ok(), written.ok() ? "" : written.error().message.c_str());
    QCOMPARE(int(written->size()), 5);

    const QString base = QDir(out).filePath(QStringLiteral("atrium_jpeg"));
    const QByteArray compressed = readAll(base + QStringLiteral(".lmc"));
    QCOMPARE(compressed, QByteArray(reinterpret_cast<const char*>(r.encoded.data()), int(r.encoded.size())));
    // The compressed file decodes to exactly the exported reconstruction (float EXR keeps every bit), with the
    // source's coverage mask carried over.
    auto decoded = decodeAny(CodecRegistry::builtin(), r.encoded.data(), r.encoded.size(), {});
    QVERIFY(decoded.ok());
    auto exr = readExr((base + QStringLiteral("_reconstructed.exr")).toStdString());
    QVERIFY2(exr.ok(), exr.ok() ? "" : exr.error().message.c_str());
    QCOMPARE(exr->image.width(), 128);
    QCOMPARE(exr->image.height(), 96);
    QVERIFY(exr->info.alphaIsMask);
    QVERIFY(std::equal(decoded->data(), decoded->data() + 128 * 96 * 3, exr->image.data()));
    QVERIFY(std::equal(r.source->maskData(), r.source->maskData() + 128 * 96, exr->image.maskData()));

    QImage heat(base + QStringLiteral("_heatmap.png"));
    QCOMPARE(heat.size(), QSize(64, 32));
    QCOMPARE(heat.pixelColor(5, 5), QColor(Qt::red));
    QCOMPARE(QImage(base + QStringLiteral("_chart.png")).pixelColor(5, 5), QColor(Qt::blue));

    const QList<QByteArray> csv = readAll(base + QStringLiteral("_metrics.csv")).split('\n');
    QCOMPARE(csv.size(), 3);  // header, one row, final newline
    QVERIFY(csv[0].startsWith("file,codec,params,bytes,bpp,mpsnr,logpsnr,pu21psnr,ssim,encode_ms,decode_ms"));
    const QList<QByteArray> fields = csv[1].split(',');
    QCOMPARE(fields.size(), 19);
    QCOMPARE(fields[16], QByteArray("visible"));  // mask
    QCOMPARE(fields[17], QByteArray(""));         // vram_bpp: JPEG is a storage codec
    QCOMPARE(fields[1], QByteArray("jpeg"));
    QCOMPARE(fields[2], QByteArray("quality=70;chroma=420"));
    QCOMPARE(fields[3].toLongLong(), qlonglong(r.encoded.size()));
    QCOMPARE(fields[4].toDouble(), std::round(r.encoded.size() * 8.0 / (128 * 96) * 1e4) / 1e4);
    QCOMPARE(fields[5].toDouble(), std::round(r.metrics->mPsnr * 1e4) / 1e4);
    QCOMPARE(fields[9], QByteArray("12.50"));
    QVERIFY(fields[18].endsWith("atrium_jpeg.lmc"));
    QVERIFY(tempFilesIn(out).isEmpty());
}

void TestPresetsExport::exporterNeverOverwritesTheSource() {
    const QString out = dir_.filePath(QStringLiteral("export2"));
    QVERIFY(QDir().mkpath(out));
    // A source whose name collides with an export name in the export folder.
    const QString source = QDir(out).filePath(QStringLiteral("a_reconstructed.exr"));
    QVERIFY(QFile::copy(source_, source));
    const QByteArray before = readAll(source);
    ExportRequest r = makeRequest(source, out);
    r.baseName = QStringLiteral("a");
    r.overwrite = true;
    auto result = Exporter().run(r);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().code, ErrorCode::InvalidArgument);
    QVERIFY(
        QString::fromStdString(result.error().message).contains(QStringLiteral("refusing to overwrite the source")));
    QCOMPARE(readAll(source), before);
    QVERIFY(!QFileInfo::exists(QDir(out).filePath(QStringLiteral("a.lmc"))));  // checked before the first write

    // Through a symbolic link: the export path is a link to the source.
    ExportRequest linked = makeRequest(source_, out);
    linked.baseName = QStringLiteral("b");
    linked.overwrite = true;
    QVERIFY(QFile::link(source_, QDir(out).filePath(QStringLiteral("b.lmc"))));
    const QByteArray original = readAll(source_);
    auto viaLink = Exporter().run(linked);
    QVERIFY(!viaLink.ok());
    QCOMPARE(readAll(source_), original);
}

void TestPresetsExport::exporterRefusesExistingFilesUnlessAsked() {
    const QString out = dir_.filePath(QStringLiteral("export3"));
    QVERIFY(QDir().mkpath(out));
    ExportRequest r = makeRequest(source_, out);
    r.items = kExportCompressed | kExportMetricsCsv;
    const QString csvPath = QDir(out).filePath(QStringLiteral("atrium_jpeg_metrics.csv"));
    {
        QFile f(csvPath);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("keep me");
    }
    QCOMPARE(int(Exporter().existingFiles(r).size()), 1);
    auto refused = Exporter().run(r);
    QVERIFY(!refused.ok());
    QCOMPARE(refused.error().code, ErrorCode::IoError);
    QVERIFY(QString::fromStdString(refused.error().message).contains(QStringLiteral("already exists")));
    QCOMPARE(readAll(csvPath), QByteArray("keep me"));
    QVERIFY(!QFileInfo::exists(QDir(out).filePath(QStringLiteral("atrium_jpeg.lmc"))));

    r.overwrite = true;
    auto written = Exporter().run(r);
    QVERIFY(written.ok());
    QCOMPARE(int(written->size()), 2);
    QVERIFY(readAll(csvPath).startsWith("file,codec,"));
}

void TestPresetsExport::exporterFailureLeavesNoPartialFiles() {
    const QString out = dir_.filePath(QStringLiteral("export4"));
    QVERIFY(QDir().mkpath(out));
    // The heatmap's name is taken by a folder: the rename onto it fails after the first two files were written.
    QVERIFY(QDir().mkpath(QDir(out).filePath(QStringLiteral("atrium_jpeg_heatmap.png"))));
    ExportRequest r = makeRequest(source_, out);
    r.overwrite = true;
    auto result = Exporter().run(r);
    QVERIFY(!result.ok());
    QVERIFY(QString::fromStdString(result.error().message).contains(QStringLiteral("atrium_jpeg_heatmap.png")));
    // Files before the failure are complete; nothing after it was written; no temporary file is left behind.
    QCOMPARE(readAll(QDir(out).filePath(QStringLiteral("atrium_jpeg.lmc"))).size(), qsizetype(r.encoded.size()));
    QVERIFY(readExr(QDir(out).filePath(QStringLiteral("atrium_jpeg_reconstructed.exr")).toStdString()).ok());
    QVERIFY(!QFileInfo::exists(QDir(out).filePath(QStringLiteral("atrium_jpeg_chart.png"))));
    QVERIFY(tempFilesIn(out).isEmpty());

    // Into a folder that does not exist: refused before writing.
    ExportRequest missing = makeRequest(source_, dir_.filePath(QStringLiteral("no/such/folder")));
    auto noFolder = Exporter().run(missing);
    QVERIFY(!noFolder.ok());
    QCOMPARE(noFolder.error().code, ErrorCode::IoError);
}

void TestPresetsExport::recentFilesPersistAndPrune() {
    const QString ini = dir_.filePath(QStringLiteral("recent.ini"));
    QStringList files;
    for (int i = 0; i < 12; ++i) {
        files << dir_.filePath(QStringLiteral("recent%1.exr").arg(i));
        QFile f(files.back());
        QVERIFY(f.open(QIODevice::WriteOnly));
    }
    {
        StudioSettings s(ini);
        for (const QString& f : files) s.addRecentFile(f);
        s.addRecentFile(files[5]);  // re-opening moves it to the front
        // A second QSettings on the same file sees the change at once (the window and StudioSettings share it).
        QSettings other(ini, QSettings::IniFormat);
        QCOMPARE(other.value(QStringLiteral("recentFiles")).toStringList().first(), files[5]);
        s.sync();
    }
    StudioSettings restarted(ini);
    QStringList recent = restarted.recentFiles();
    QCOMPARE(recent.size(), StudioSettings::kMaxRecentFiles);
    QCOMPARE(recent[0], files[5]);
    QCOMPARE(recent[1], files[11]);
    QCOMPARE(recent[9], files[2]);
    QVERIFY(!recent.contains(files[0]));

    QVERIFY(QFile::remove(files[11]));
    QVERIFY(QFile::remove(files[7]));
    const QStringList removed = restarted.pruneMissingRecentFiles();
    QCOMPARE(removed, (QStringList{files[11], files[7]}));
    QCOMPARE(restarted.recentFiles().size(), 8);
    QVERIFY(restarted.pruneMissingRecentFiles().isEmpty());
    restarted.removeRecentFile(files[5]);
    QCOMPARE(restarted.recentFiles().first(), files[10]);
    restarted.clearRecentFiles();
    QVERIFY(restarted.recentFiles().isEmpty());
}

void TestPresetsExport::layoutLanguageAndFoldersPersist() {
    const QString ini = dir_.filePath(QStringLiteral("layout.ini"));
    const QString exportDir = dir_.filePath(QStringLiteral("export1"));
    {
        StudioSettings s(ini);
        QCOMPARE(s.lastDir(StudioSettings::Folder::Export), QDir::homePath());  // nothing stored yet
        s.setWindowGeometry(QByteArray("geometry-bytes"));
        s.setWindowState(QByteArray("state-bytes"));
        s.setSplitterState(QByteArray("splitter-bytes"));
        s.setLanguage(QStringLiteral("zh_CN"));
        s.setLastDir(StudioSettings::Folder::Export, exportDir);
        s.setLastDir(StudioSettings::Folder::Preset, dir_.path());
        s.sync();
    }
    StudioSettings s(ini);
    QCOMPARE(s.windowGeometry(), QByteArray("geometry-bytes"));
    QCOMPARE(s.windowState(), QByteArray("state-bytes"));
    QCOMPARE(s.splitterState(), QByteArray("splitter-bytes"));
    QCOMPARE(s.language(), QStringLiteral("zh_CN"));
    QCOMPARE(s.lastDir(StudioSettings::Folder::Export), exportDir);
    QCOMPARE(s.lastDir(StudioSettings::Folder::Preset), dir_.path());
    // A stored folder that has gone falls back to the last open folder.
    s.setLastDir(StudioSettings::Folder::Export, dir_.filePath(QStringLiteral("gone")));
    s.setLastDir(StudioSettings::Folder::Open, dir_.path());
    QCOMPARE(s.lastDir(StudioSettings::Folder::Export), dir_.path());
}

// A plain window with hooks over local state, as MainWindow provides them.
struct HookState {
    QString file;
    std::shared_ptr<const Image> image;
    std::string codec = "jpeg";
    ParamSet params;
    std::string appliedCodec;
    ParamSet appliedParams;
    std::string gpuFormat;                        // the current codec's chain
    std::optional<std::string> appliedGpuFormat;  // set when a preset applied one (or none: "")
    QStringList errors;

    StudioHooks hooks() {
        StudioHooks h;
        h.currentFile = [this] { return file; };
        h.currentImage = [this] { return image; };
        h.currentCodec = [this] { return codec; };
        h.currentParams = [this] { return params; };
        h.currentResult = [] { return CompressionResultPtr(); };
        h.applyPreset = [this](const std::string& c, const ParamSet& p) {
            appliedCodec = c;
            appliedParams = p;
            return true;
        };
        h.currentGpuFormat = [this] { return gpuFormat; };
        h.applyGpuFormat = [this](const std::string&, const std::string& f) {
            appliedGpuFormat = f;
            return true;
        };
        h.heatmapImage = [] { return solidImage(Qt::green); };
        h.reportError = [this](QWidget*, const QString& title, const QString& text) { errors << title + ": " + text; };
        return h;
    }
};

void TestPresetsExport::presetActionsRoundTrip() {
    QMainWindow window;
    QMenu* menu = window.menuBar()->addMenu(QStringLiteral("File"));
    QAction* quit = menu->addAction(QStringLiteral("Quit"));
    HookState state;
    state.params.set("quality", 33);
    state.params.set("chroma", 0);
    PresetActions* actions =
        installPresetActions(&window, menu, quit, state.hooks(), dir_.filePath(QStringLiteral("a.ini")), false);
    QCOMPARE(menu->actions().indexOf(actions->savePresetAction()), 0);
    QCOMPARE(menu->actions().indexOf(quit), 4);
    QVERIFY(!actions->savePresetAction()->text().isEmpty());

    QSignalSpy saved(actions, &PresetActions::presetSaved);
    const QString path = dir_.filePath(QStringLiteral("mobile.json"));
    Status s = actions->savePresetTo(path, QStringLiteral("mobile"));
    QVERIFY2(s.ok(), s.ok() ? "" : s.error().message.c_str());
    QCOMPARE(saved.count(), 1);
    auto onDisk = preset::loadPreset(path.toStdString(), CodecRegistry::builtin());
    QVERIFY(onDisk.ok());
    QCOMPARE(QString::fromStdString(onDisk->preset.target), QStringLiteral("mobile"));
    QCOMPARE(onDisk->preset.params.get("quality"), 33.0);
    QVERIFY(!onDisk->preset.metrics);  // no result shown: no snapshot

    QSignalSpy loaded(actions, &PresetActions::presetLoaded);
    state.codec = "astc";
    QStringList warnings;
    s = actions->loadPresetFrom(path, &warnings);
    QVERIFY2(s.ok(), s.ok() ? "" : s.error().message.c_str());
    QCOMPARE(loaded.count(), 1);
    QVERIFY(warnings.isEmpty());
    QCOMPARE(state.appliedCodec, std::string("jpeg"));
    QCOMPARE(state.appliedParams.get("quality"), 33.0);
    QCOMPARE(state.appliedParams.get("chroma"), 0.0);
    QCOMPARE(actions->settings().lastDir(StudioSettings::Folder::Preset), dir_.path());
    QVERIFY(state.appliedGpuFormat && state.appliedGpuFormat->empty());  // no chain in the preset: none

    // A chain is saved with the preset and set again when it is loaded.
    state.codec = "jpeg";
    state.gpuFormat = "bc6h:normal";
    const QString chained = dir_.filePath(QStringLiteral("chain.json"));
    s = actions->savePresetTo(chained, QStringLiteral("PC"));
    QVERIFY2(s.ok(), s.ok() ? "" : s.error().message.c_str());
    auto chainOnDisk = preset::loadPreset(chained.toStdString(), CodecRegistry::builtin());
    QVERIFY(chainOnDisk.ok());
    QCOMPARE(chainOnDisk->preset.gpuFormat, std::string("bc6h:normal"));
    state.appliedGpuFormat.reset();
    s = actions->loadPresetFrom(chained);
    QVERIFY(s.ok());
    QCOMPARE(state.appliedGpuFormat.value_or("unset"), std::string("bc6h:normal"));
}

void TestPresetsExport::presetActionsSolveTargets() {
    QMainWindow window;
    QMenu* menu = window.menuBar()->addMenu(QStringLiteral("File"));
    HookState state;
    const Codec& jpeg = *CodecRegistry::builtin().find("jpeg");
    state.params = ParamSet::defaults(jpeg.schema());
    state.params.set("quality", 50);
    PresetActions* actions =
        installPresetActions(&window, menu, nullptr, state.hooks(), dir_.filePath(QStringLiteral("s.ini")), false);

    // Without an open map the preset is applied as saved and nothing is solved.
    const SolveTarget unset{SolveMetric::MPsnr, 30};
    const QString path = dir_.filePath(QStringLiteral("solve.json"));
    Status s = actions->savePresetTo(path, QStringLiteral("PC"), unset);
    QVERIFY2(s.ok(), s.ok() ? "" : s.error().message.c_str());
    auto onDisk = preset::loadPreset(path.toStdString(), CodecRegistry::builtin());
    QVERIFY(onDisk.ok());
    QVERIFY(onDisk->preset.solve.has_value());
    QCOMPARE(onDisk->preset.solve->value, 30.0);
    QSignalSpy solved(actions, &PresetActions::presetSolved);
    s = actions->loadPresetFrom(path);
    QVERIFY(s.ok());
    QVERIFY(!actions->isSolving());
    QCOMPARE(state.appliedParams.get("quality"), 50.0);

    // With a map: a target between what quality 30 and 95 give is solved on it and its setting applied.
    auto loaded = readExr(source_.toStdString());
    QVERIFY(loaded.ok());
    state.image = std::make_shared<const Image>(std::move(loaded->image));
    state.file = source_;
    auto mpsnrAt = [&](int quality) {
        ParamSet p = state.params;
        p.set("quality", quality);
        auto e = evaluate(jpeg, state.image->view(), p, {});
        return e.ok() && e->metrics ? e->metrics->mPsnr : 0.0;
    };
    const double target = (mpsnrAt(30) + mpsnrAt(95)) / 2;
    s = actions->savePresetTo(path, QStringLiteral("PC"), SolveTarget{SolveMetric::MPsnr, target});
    QVERIFY(s.ok());
    s = actions->loadPresetFrom(path);
    QVERIFY(s.ok());
    QVERIFY(actions->isSolving());
    QVERIFY(test::waitForCount(solved, 1));
    QVERIFY(!actions->isSolving());
    QCOMPARE(solved.at(0).at(0).toBool(), true);
    QVERIFY2(solved.at(0).at(1).toString().contains(QStringLiteral("atrium.exr")),
             qPrintable(solved.at(0).at(1).toString()));
    QCOMPARE(state.appliedCodec, std::string("jpeg"));
    const int quality = int(state.appliedParams.get("quality"));
    QVERIFY2(quality > 30 && quality < 95, qPrintable(QString::number(quality)));
    QVERIFY(mpsnrAt(quality) >= target);
    QCOMPARE(state.appliedParams.get("chroma"), state.params.get("chroma"));
    QCOMPARE(window.statusBar()->currentMessage(), solved.at(0).at(1).toString());

    // A target the map cannot reach: the best effort is applied and flagged.
    s = actions->savePresetTo(path, QStringLiteral("PC"), SolveTarget{SolveMetric::MPsnr, 300});
    QVERIFY(s.ok());
    QVERIFY(actions->loadPresetFrom(path).ok());
    QVERIFY(test::waitForCount(solved, 2));
    QCOMPARE(solved.at(1).at(0).toBool(), false);
    QCOMPARE(state.appliedParams.get("quality"), 100.0);

    // A second load while one solves: only the newer answer is applied.
    s = actions->savePresetTo(path, QStringLiteral("PC"), SolveTarget{SolveMetric::Bpp, 1.0});
    QVERIFY(s.ok());
    QVERIFY(actions->loadPresetFrom(path).ok());
    const QString second = dir_.filePath(QStringLiteral("solve2.json"));
    QVERIFY(actions->savePresetTo(second, QStringLiteral("PC"), SolveTarget{SolveMetric::MPsnr, target}).ok());
    QVERIFY(actions->loadPresetFrom(second).ok());
    QVERIFY(test::waitForCount(solved, 3));
    QTest::qWait(300);
    QCOMPARE(solved.count(), 3);
    QCOMPARE(int(state.appliedParams.get("quality")), quality);
    QVERIFY(state.errors.isEmpty());
}

void TestPresetsExport::presetActionsReportBadPresets() {
    QMainWindow window;
    QMenu* menu = window.menuBar()->addMenu(QStringLiteral("File"));
    HookState state;
    PresetActions* actions =
        installPresetActions(&window, menu, nullptr, state.hooks(), dir_.filePath(QStringLiteral("b.ini")), false);
    auto write = [&](const QString& name, const QByteArray& text) {
        const QString p = dir_.filePath(name);
        QFile f(p);
        if (!f.open(QIODevice::WriteOnly)) qFatal("cannot write %s", qPrintable(p));
        f.write(text);
        return p;
    };
    Status s = actions->loadPresetFrom(write(QStringLiteral("trunc.json"), "{\"format\": \"lmc-preset\", \"vers"));
    QVERIFY(!s.ok());
    QCOMPARE(s.error().code, ErrorCode::CorruptData);
    QVERIFY(QString::fromStdString(s.error().message).contains(QStringLiteral("line 1, column")));
    s = actions->loadPresetFrom(write(QStringLiteral("range.json"),
                                      R"({"format":"lmc-preset","version":1,"codec":"jpeg","params":{"quality":0}})"));
    QVERIFY(!s.ok());
    QCOMPARE(s.error().code, ErrorCode::InvalidArgument);
    s = actions->loadPresetFrom(
        write(QStringLiteral("codec.json"), R"({"format":"lmc-preset","version":1,"codec":"nope","params":{}})"));
    QVERIFY(!s.ok());
    QCOMPARE(s.error().code, ErrorCode::Unsupported);
    QVERIFY(state.appliedCodec.empty());  // nothing was applied
    // A warning (missing parameter) still loads, and says so.
    QStringList warnings;
    s = actions->loadPresetFrom(
        write(QStringLiteral("partial.json"), R"({"format":"lmc-preset","version":1,"codec":"jpeg","params":{}})"),
        &warnings);
    QVERIFY(s.ok());
    QVERIFY(warnings.size() >= 2);
    QCOMPARE(state.appliedParams.get("quality"), 75.0);
}

void TestPresetsExport::presetActionsExport() {
    QMainWindow window;
    QMenu* menu = window.menuBar()->addMenu(QStringLiteral("File"));
    HookState state;
    state.file = source_;
    state.image = std::make_shared<const Image>(readExr(source_.toStdString()).value().image);
    state.params = ParamSet::defaults(CodecRegistry::builtin().find("jpeg")->schema());
    state.params.set("quality", 55);
    PresetActions* actions =
        installPresetActions(&window, menu, nullptr, state.hooks(), dir_.filePath(QStringLiteral("c.ini")), false);
    const QString out = dir_.filePath(QStringLiteral("export5"));
    QVERIFY(QDir().mkpath(out));
    const QByteArray sourceBefore = readAll(source_);

    QSignalSpy finished(actions, &PresetActions::exportFinished);
    QVERIFY(actions->exportTo(out, false));
    QVERIFY(actions->isExporting());
    QVERIFY(!actions->exportTo(out, false));  // one export at a time
    QVERIFY(test::waitForCount(finished, 1));
    auto outcome = finished.at(0).at(0).value<ExportOutcome>();
    QVERIFY2(outcome.ok, qPrintable(outcome.errorText));
    QCOMPARE(outcome.files.size(), 4);  // no chart hook: compressed, EXR, heatmap, CSV
    const QString compressed = QDir(out).filePath(QStringLiteral("atrium_jpeg.lmc"));
    QVERIFY(outcome.files.contains(compressed));
    // The exported stream is what `lmc encode` would write for the same setting.
    auto expected = encodeImage(*CodecRegistry::builtin().find("jpeg"), state.image->view(), state.params, {});
    QVERIFY(expected.ok());
    QCOMPARE(readAll(compressed), QByteArray(reinterpret_cast<const char*>(expected->data()), int(expected->size())));
    QVERIFY(readAll(QDir(out).filePath(QStringLiteral("atrium_jpeg_metrics.csv"))).contains("quality=55"));
    QCOMPARE(readAll(source_), sourceBefore);

    // Again without permission to overwrite: a translated error, files untouched.
    const QByteArray first = readAll(compressed);
    QVERIFY(actions->exportTo(out, false));
    QVERIFY(test::waitForCount(finished, 2));
    outcome = finished.at(1).at(0).value<ExportOutcome>();
    QVERIFY(!outcome.ok);
    QVERIFY(!outcome.cancelled);
    QVERIFY(outcome.errorText.contains(QStringLiteral("already exists")));
    QCOMPARE(readAll(compressed), first);

    // Nothing open: no export starts.
    state.image.reset();
    QVERIFY(!actions->exportTo(out, true));
}

void TestPresetsExport::presetActionsExportRunsOnTheSchedulerAndCancels() {
    // The export is a job of the scheduler the hooks give (the workspace's): behind a job that holds that
    // scheduler's only core it waits; Cancel while it waits ends it as cancelled, with no file written.
    auto scheduler = std::make_shared<JobScheduler>(1);
    auto blocker = scheduler->makeGroup();
    std::atomic<bool> started{false}, release{false};
    scheduler->submit(blocker, Priority::Interactive, nullptr, [&] {
        started = true;
        while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    });
    QTRY_VERIFY(started.load());

    QMainWindow window;
    QMenu* menu = window.menuBar()->addMenu(QStringLiteral("File"));
    HookState state;
    state.file = source_;
    state.image = std::make_shared<const Image>(readExr(source_.toStdString()).value().image);
    state.params = ParamSet::defaults(CodecRegistry::builtin().find("jpeg")->schema());
    StudioHooks hooks = state.hooks();
    hooks.scheduler = [scheduler] { return scheduler; };
    PresetActions* actions =
        installPresetActions(&window, menu, nullptr, hooks, dir_.filePath(QStringLiteral("c6.ini")), false);
    const QString out = dir_.filePath(QStringLiteral("export6"));
    QVERIFY(QDir().mkpath(out));

    QSignalSpy finished(actions, &PresetActions::exportFinished);
    QVERIFY(actions->exportTo(out, false));
    QTest::qWait(500);  // a small map's export takes milliseconds once it runs
    QCOMPARE(finished.count(), 0);
    QVERIFY(actions->isExporting());
    actions->cancelExport();
    release = true;
    QVERIFY(test::waitForCount(finished, 1));
    const auto outcome = finished.at(0).at(0).value<ExportOutcome>();
    QVERIFY(!outcome.ok);
    QVERIFY(outcome.cancelled);
    QCOMPARE(outcome.errorText, QStringLiteral("The export was cancelled."));
    QVERIFY(QDir(out).entryList(QDir::Files).isEmpty());
    QVERIFY(!actions->isExporting());

    // An export still running when the actions go away is waited for (its job posts back to them).
    QVERIFY(actions->exportTo(out, false));
    delete actions;
    QCOMPARE(scheduler->runningJobs(), 0);
}

void TestPresetsExport::windowStateSavedOnClose() {
    const QString ini = dir_.filePath(QStringLiteral("state.ini"));
    {
        QMainWindow window;
        auto* bar = window.addToolBar(QStringLiteral("bar"));
        bar->setObjectName(QStringLiteral("bar"));
        HookState state;
        installPresetActions(&window, window.menuBar()->addMenu(QStringLiteral("File")), nullptr, state.hooks(), ini,
                             true);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        bar->hide();
        window.close();
    }
    StudioSettings s(ini);
    const QByteArray state = s.windowState();
    QVERIFY(!state.isEmpty());
    // A new window restores it: the toolbar stays hidden.
    QMainWindow window;
    auto* bar = window.addToolBar(QStringLiteral("bar"));
    bar->setObjectName(QStringLiteral("bar"));
    HookState hs;
    installPresetActions(&window, window.menuBar()->addMenu(QStringLiteral("File")), nullptr, hs.hooks(), ini, false);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(!bar->isVisible());
}

void TestPresetsExport::mainWindowPresetsAndExport() {
    QStringList errors;
    const MainWindowOptions options = quietWindow(dir_.filePath(QStringLiteral("window.ini")), errors);
    MainWindow window(options);
    window.resize(1100, 700);
    window.show();
    auto* actions = window.findChild<PresetActions*>();
    QVERIFY(actions);
    // In the File menu, before Quit.
    QMenu* file = window.menuBar()->actions().first()->menu();
    QVERIFY(file);
    const QList<QAction*> items = file->actions();
    QVERIFY(items.contains(actions->savePresetAction()));
    QVERIFY(items.contains(actions->exportAction()));
    QVERIFY(items.indexOf(actions->exportAction()) < items.size() - 1);

    QSignalSpy loaded(&window, &MainWindow::imageLoaded);
    QSignalSpy shown(&window, &MainWindow::resultShown);
    window.openFile(source_);
    QVERIFY(test::waitForCount(loaded, 1));
    QVERIFY(test::waitForCount(shown, 1));

    // Loading a preset selects its codec and parameters and recompresses with them.
    const QString presetPath = dir_.filePath(QStringLiteral("window_preset.json"));
    {
        QFile f(presetPath);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"format":"lmc-preset","version":1,"codec":"jpeg","target":"PC high",
                    "params":{"quality":91,"chroma":"444"}})");
    }
    QSignalSpy codecShown(&window, &MainWindow::codecMetricsShown);
    QSignalSpy compared(actions, &PresetActions::presetCompared);
    QStringList warnings;
    Status s = actions->loadPresetFrom(presetPath, &warnings);
    QVERIFY2(s.ok(), s.ok() ? "" : s.error().message.c_str());
    QCOMPARE(window.currentCodecId(), std::string("jpeg"));
    QCOMPARE(window.paramEditor()->values().get("quality"), 91.0);
    QTRY_VERIFY_WITH_TIMEOUT(
        window.lastResult() && window.lastResult()->hasMetrics && window.lastResult()->params.get("quality") == 91.0,
        20000);

    // Once its setting is measured, the preset (without a snapshot) says what it gives on this map.
    QVERIFY(test::waitForCount(compared, 1));
    const QString noSnapshot = compared.at(0).at(0).toString();
    QVERIFY2(noSnapshot.contains(QString::number(window.lastResult()->metrics.mPsnr, 'f', 1) +
                                 QStringLiteral(" dB mPSNR")) &&
                 noSnapshot.contains(QStringLiteral("no saved measurement")),
             qPrintable(noSnapshot));

    // Saving now includes the shown result's metrics.
    const QString saved = dir_.filePath(QStringLiteral("window_saved.json"));
    s = actions->savePresetTo(saved, QStringLiteral("PC high"));
    QVERIFY2(s.ok(), s.ok() ? "" : s.error().message.c_str());
    auto back = preset::loadPreset(saved.toStdString(), CodecRegistry::builtin());
    QVERIFY(back.ok());
    QVERIFY(back->preset.metrics.has_value());
    QCOMPARE(back->preset.metrics->bytes, std::uint64_t(window.lastResult()->bytes));
    QCOMPARE(back->preset.metrics->mpsnr, window.lastResult()->metrics.mPsnr);
    QCOMPARE(QString::fromStdString(back->preset.metrics->sourceFile), QStringLiteral("atrium.exr"));
    // Loaded again, it is compared with the snapshot at once (its setting is the one shown).
    QVERIFY(actions->loadPresetFrom(saved).ok());
    QCOMPARE(compared.count(), 2);
    const QString withSnapshot = compared.at(1).at(0).toString();
    QVERIFY2(withSnapshot.contains(QStringLiteral("saved on atrium.exr: ") +
                                   QString::number(back->preset.metrics->mpsnr, 'f', 1)),
             qPrintable(withSnapshot));
    QCOMPARE(window.statusBar()->currentMessage(), withSnapshot);

    // A folder of its own: the cancel test's last export may have finished into export6 before its actions went.
    const QString out = dir_.filePath(QStringLiteral("export7"));
    QVERIFY(QDir().mkpath(out));
    QSignalSpy finished(actions, &PresetActions::exportFinished);
    QVERIFY(actions->exportTo(out, false));
    QVERIFY(test::waitForCount(finished, 1));
    const auto outcome = finished.at(0).at(0).value<ExportOutcome>();
    QVERIFY2(outcome.ok, qPrintable(outcome.errorText));
    const QByteArray compressed = readAll(QDir(out).filePath(QStringLiteral("atrium_jpeg.lmc")));
    QCOMPARE(qsizetype(compressed.size()), qsizetype(window.lastResult()->bytes));
    QVERIFY(errors.isEmpty());
}

// In the window: a solving preset is solved on the open map on the workspace's scheduler and its setting shown, with
// the status text in English and Chinese; the Save Preset dialog offers the targets. Screenshots of both go to
// test::screenshotDir() (preset_solved_*.png, preset_save_dialog_*.png).
void TestPresetsExport::mainWindowSolvesPresetsInBothLanguages() {
    QStringList errors;
    const MainWindowOptions options = quietWindow(dir_.filePath(QStringLiteral("solve_window.ini")), errors);
    MainWindow window(options);
    window.resize(1280, 800);
    window.show();
    auto* actions = window.findChild<PresetActions*>();
    QVERIFY(actions);
    QSignalSpy loaded(&window, &MainWindow::imageLoaded);
    window.openFile(QStringLiteral(LMC_SOURCE_DIR "/resources/sample_lightmap.exr"));
    QVERIFY(test::waitForCount(loaded, 1));

    const QString presetPath = dir_.filePath(QStringLiteral("window_solve.json"));
    {
        QFile f(presetPath);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"format":"lmc-preset","version":2,"codec":"jpeg","target":"PC",
                    "params":{"quality":50,"chroma":"420"},"solve":{"metric":"mpsnr","target":35}})");
    }
    // A fixed preset measured on another map.
    const QString fixedPath = dir_.filePath(QStringLiteral("window_fixed.json"));
    {
        QFile f(fixedPath);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(
            R"({"format":"lmc-preset","version":1,"codec":"jpeg","target":"PC","params":{"quality":91,"chroma":"420"},
                    "metrics":{"bpp":0.52,"mpsnr":45.1,"bytes":68157,"source_file":"atrium.exr"}})");
    }
    QSignalSpy solved(actions, &PresetActions::presetSolved);
    QSignalSpy compared(actions, &PresetActions::presetCompared);
    int round = 0;
    for (const QString& lang : {QStringLiteral("en"), QStringLiteral("zh_CN")}) {
        QVERIFY(applyLanguage(lang));
        // The fixed preset, once measured here, is set against its snapshot.
        QVERIFY(actions->loadPresetFrom(fixedPath).ok());
        QVERIFY(test::waitForCount(compared, round + 1, 30000));
        const QString comparison = compared.last().at(0).toString();
        QVERIFY2(comparison.contains(lang == QStringLiteral("en")
                                         ? QStringLiteral("saved on atrium.exr: 45.1 dB at 0.52 bpp")
                                         : QStringLiteral("保存时在 atrium.exr 上为 45.1 dB，0.52 bpp")),
                 qPrintable(comparison));
        QVERIFY(window.lastResult() && window.lastResult()->params.get("quality") == 91.0);
        QVERIFY(comparison.contains(QString::number(window.lastResult()->metrics.mPsnr, 'f', 1)));
        QCOMPARE(window.statusBar()->currentMessage(), comparison);
        QVERIFY(window.grab().save(
            QDir(test::screenshotDir()).filePath(QStringLiteral("preset_compared_%1.png").arg(lang))));

        Status s = actions->loadPresetFrom(presetPath);
        QVERIFY2(s.ok(), s.ok() ? "" : s.error().message.c_str());
        QVERIFY(test::waitForCount(solved, ++round, 60000));
        QCOMPARE(solved.last().at(0).toBool(), true);
        const QString text = solved.last().at(1).toString();
        QVERIFY2(text.contains(lang == QStringLiteral("en") ? QStringLiteral("solved for sample_lightmap.exr")
                                                            : QStringLiteral("已为 sample_lightmap.exr 求解")),
                 qPrintable(text));
        QCOMPARE(window.currentCodecId(), std::string("jpeg"));
        const double quality = window.paramEditor()->values().get("quality");
        QVERIFY(text.contains(QStringLiteral("quality=%1").arg(quality)));
        QVERIFY(quality > 50);  // the start (50) gives less than 35 dB on the sample
        QTRY_VERIFY_WITH_TIMEOUT(window.lastResult() && window.lastResult()->hasMetrics &&
                                     window.lastResult()->params.get("quality") == quality,
                                 20000);
        QVERIFY(window.lastResult()->metrics.mPsnr >= 35.0);
        QCOMPARE(window.statusBar()->currentMessage(), text);
        QVERIFY(
            window.grab().save(QDir(test::screenshotDir()).filePath(QStringLiteral("preset_solved_%1.png").arg(lang))));

        // File > Save Preset: the dialog offers no target or one of the four; cancelled here.
        bool checked = false;
        QTimer::singleShot(300, this, [&] {
            auto* dialog = qobject_cast<QDialog*>(QApplication::activeModalWidget());
            if (!dialog) return;
            auto* metric = dialog->findChild<QComboBox*>(QStringLiteral("solveMetric"));
            checked = metric && metric->count() == 5 && metric->isEnabled();
            if (metric) metric->setCurrentIndex(1);
            dialog->grab().save(
                QDir(test::screenshotDir()).filePath(QStringLiteral("preset_save_dialog_%1.png").arg(lang)));
            dialog->reject();
        });
        actions->savePresetAction()->trigger();
        QVERIFY(checked);
    }
    QVERIFY(applyLanguage(QStringLiteral("en")));
    QVERIFY2(errors.isEmpty(), qPrintable(errors.join(QLatin1Char('\n'))));
}

void TestPresetsExport::missingRecentFilesReportedAndTranslated() {
    const QString ini = dir_.filePath(QStringLiteral("missing.ini"));
    {
        StudioSettings s(ini);
        s.addRecentFile(source_);
        s.addRecentFile(dir_.filePath(QStringLiteral("vanished_lightmap.exr")));
        s.sync();
    }
    QVERIFY(applyLanguage(QStringLiteral("en")));  // English plural forms come from lmstudio_en.ts
    QMainWindow window;
    HookState state;
    PresetActions* actions = installPresetActions(&window, window.menuBar()->addMenu(QStringLiteral("File")), nullptr,
                                                  state.hooks(), ini, false);
    window.show();
    QTRY_VERIFY(window.statusBar()->currentMessage().contains(QStringLiteral("vanished_lightmap.exr")));
    QVERIFY(window.statusBar()->currentMessage().startsWith(QStringLiteral("1 recent file no longer exists")));
    QCOMPARE(StudioSettings(ini).recentFiles(), QStringList{QFileInfo(source_).absoluteFilePath()});

    // The actions follow the language (real Chinese text from translations/lmstudio_zh_CN.ts).
    QVERIFY(applyLanguage(QStringLiteral("zh_CN")));
    QTRY_COMPARE(actions->savePresetAction()->text(), QStringLiteral("保存预设(&P)…"));
    QCOMPARE(actions->exportAction()->text(), QStringLiteral("导出(&E)…"));
    QVERIFY(applyLanguage(QStringLiteral("en")));
    QTRY_COMPARE(actions->exportAction()->text(), QStringLiteral("&Export…"));
}

QTEST_MAIN(TestPresetsExport)
#include "tst_presets_export.moc"
