// The lmstudio window, offscreen: opening a lightmap shows original + JPEG reconstruction + metrics; the quality
// slider produces an updated result; bad files keep the current image and report an error (through the injected
// presenter, no modal dialog); controls come from the codec schema; settings persist; both languages render
// (screenshots saved to LMC_SCREENSHOT_DIR) with no untranslated visible text in Chinese; the slider-to-screen
// latency on a 1024 x 1024 lightmap is measured and printed.
#include <QAbstractButton>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QGroupBox>
#include <QLabel>
#include <QMenuBar>
#include <QMimeData>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSlider>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

#include "app/studio/charts_panel.h"
#include "app/studio/codec_panel.h"
#include "app/studio/command_line.h"
#include "app/studio/comparison_service.h"
#include "app/studio/comparison_view.h"
#include "app/studio/display_panel.h"
#include "app/studio/error_text.h"
#include "app/studio/histogram_panel.h"
#include "app/studio/inspector_panel.h"
#include "app/studio/language.h"
#include "app/studio/main_window.h"
#include "app/studio/param_editor.h"
#include "app/studio/workspace_model.h"
#include "test_support.h"
#include "widgets/metrics_panel.h"
#include "widgets/split_view.h"
#include "widgets/tile_grid_view.h"

using namespace lmc;
using namespace lmc::studio;

namespace {

bool hasCjk(const QString& s) {
    for (QChar c : s)
        if (c.unicode() >= 0x4E00 && c.unicode() <= 0x9FFF) return true;
    return false;
}

int sliderPositionFor(const ParamSpec& spec, double value) {
    return int(std::lround((value - spec.minValue) / spec.step));
}

}  // namespace

class TestMainWindow : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void opensFileAndShowsResult();
    void sliderUpdatesResult();
    void dropOpensFile();
    void badFileKeepsCurrentImage_data();
    void badFileKeepsCurrentImage();
    void schemaGeneratesControls();
    void jpegSchemaControls();
    void everyCodecWorksWithoutUiChanges();
    void errorTextIsTranslated();
    void commandLineParsing();
    void settingsPersist();
    void maskChoiceRemeasuresAndPersists();
    void tileClickSelectsAndInspectorMatchesHeatmap();
    void screenshotsInBothLanguages();
    void sliderToScreenLatency1024();

private:
    std::unique_ptr<MainWindow> makeWindow(const QString& settingsName = QStringLiteral("settings.ini"),
                                           bool resize = true);
    // Generous default: sanitizer builds are ~20x slower than Release on a 1024^2 image.
    bool openAndWait(MainWindow& window, const QString& path, int timeoutMs = 120000);

    QTemporaryDir dir_;
    QString good_;
    QString wide_;
    QStringList errors_;
};

void TestMainWindow::initTestCase() {
    QVERIFY(dir_.isValid());
    QVERIFY2(CodecRegistry::builtin().find("jpeg") != nullptr, "the JPEG codec must be registered");
    good_ = test::writeLightmap(QDir(dir_.path()), QStringLiteral("good.exr"), 256, 192);
    wide_ = test::writeLightmap(QDir(dir_.path()), QStringLiteral("wide.exr"), 320, 96);
}

void TestMainWindow::init() {
    QVERIFY(applyLanguage(QStringLiteral("en")));
    errors_.clear();
}

std::unique_ptr<MainWindow> TestMainWindow::makeWindow(const QString& settingsName, bool resize) {
    MainWindowOptions options;
    options.settingsFile = QDir(dir_.path()).filePath(settingsName);
    options.errorPresenter = [this](QWidget*, const QString& title, const QString& text) {
        errors_ << title + QStringLiteral(": ") + text;
    };
    options.autoSweep = false;  // tst_workspace covers the sweeps
    auto window = std::make_unique<MainWindow>(options);
    if (resize) window->resize(1280, 800);
    window->show();
    return window;
}

bool TestMainWindow::openAndWait(MainWindow& window, const QString& path, int timeoutMs) {
    QSignalSpy loaded(&window, &MainWindow::imageLoaded);
    QSignalSpy shown(&window, &MainWindow::resultShown);
    window.openFile(path);
    return test::waitForCount(loaded, 1, timeoutMs) && test::waitForCount(shown, 1, timeoutMs);
}

void TestMainWindow::opensFileAndShowsResult() {
    auto w = makeWindow();
    QVERIFY(openAndWait(*w, good_));
    QCOMPARE(w->currentFile(), QFileInfo(good_).absoluteFilePath());
    QVERIFY(w->currentImage());
    QCOMPARE(w->currentImage()->width(), 256);
    QVERIFY(w->gridView()->hasImage(QStringLiteral("original")));
    QVERIFY(w->gridView()->hasImage(QStringLiteral("jpeg")));
    QVERIFY(!w->gridView()->isTileBusy(QStringLiteral("jpeg")));
    w->setViewMode(MainWindow::ViewMode::Split);
    QVERIFY(w->splitView()->hasImage(SplitView::Side::A));
    QVERIFY(w->splitView()->hasImage(SplitView::Side::B));
    QVERIFY(!w->splitView()->isBusy(SplitView::Side::B));
    QVERIFY(w->windowTitle().contains(QStringLiteral("good.exr")));
    QVERIFY(w->recentFiles().contains(QFileInfo(good_).absoluteFilePath()));
    CompressionResultPtr r = w->lastResult();
    QVERIFY(r && r->hasMetrics);
    QCOMPARE(r->codecId, std::string("jpeg"));
    // The panel shows the delivered numbers.
    QVERIFY(w->displayPanel()
                ->metricsPanel()
                ->valueText(MetricsPanel::Bytes)
                .contains(QLocale().toString(qint64(r->bytes))));
    QVERIFY(w->displayPanel()
                ->metricsPanel()
                ->valueText(MetricsPanel::MPsnr)
                .contains(QLocale().toString(r->metrics.mPsnr, 'f', 2)));
    QVERIFY(!w->displayPanel()->metricsPanel()->isPending());
    // The exposure was chosen automatically (the test image's mean lit luminance is well below middle grey... or
    // above; either way it is the value suggestExposure computes, rounded to 0.1 EV).
    const double ev = w->displayPanel()->exposureSpin()->value();
    QCOMPARE(w->splitView()->exposure(), ev);
    QVERIFY(ev != 0.0);
    QCOMPARE(errors_.size(), 0);

    // Opening a second file of another size replaces both sides.
    QVERIFY(openAndWait(*w, wide_));
    QCOMPARE(w->splitView()->imageSize(), QSize(320, 96));
    QCOMPARE(w->gridView()->imageSize(), QSize(320, 96));
    QCOMPARE(w->lastResult()->reconstruction->width(), 320);
}

void TestMainWindow::sliderUpdatesResult() {
    auto w = makeWindow();
    QVERIFY(openAndWait(*w, good_));
    QSlider* slider = w->paramEditor()->rateSlider();
    QVERIFY(slider);
    const ParamSpec* spec = findParam(w->paramEditor()->schema(), "quality");
    QVERIFY(spec);
    CompressionResultPtr before = w->lastResult();
    const int qualityBefore = before->params.getInt("quality");

    QSignalSpy recon(w.get(), &MainWindow::reconstructionShown);
    QSignalSpy shown(w.get(), &MainWindow::resultShown);
    const int target = qualityBefore > 50 ? 15 : 90;
    slider->setValue(sliderPositionFor(*spec, target));
    QVERIFY(w->splitView()->isBusy(SplitView::Side::B));  // immediately marked stale
    QVERIFY(test::waitForCount(shown, 1));
    QCOMPARE(recon.count(), 1);
    CompressionResultPtr after = w->lastResult();
    QVERIFY(after->generation > before->generation);
    QCOMPARE(after->params.getInt("quality"), target);
    if (target < qualityBefore)
        QVERIFY(after->bytes < before->bytes);
    else
        QVERIFY(after->bytes > before->bytes);
    auto* spin = w->paramEditor()->findChild<QSpinBox*>(QStringLiteral("qualitySpin"));
    QVERIFY(spin);
    QCOMPARE(spin->value(), target);
    w->setViewMode(MainWindow::ViewMode::Split);  // the split view is brought up to date when shown
    QVERIFY(w->displayPanel()
                ->metricsPanel()
                ->valueText(MetricsPanel::Bytes)
                .contains(QLocale().toString(qint64(after->bytes))));
    // What B shows is this reconstruction, tone-mapped at the current exposure, gutters beyond the visible ring
    // dimmed (the texels the metrics leave out).
    const auto& image = after->reconstruction;
    const auto& original = w->currentImage();
    QCOMPARE(w->model().maskMode(), MaskMode::Visible);
    auto visible = std::make_shared<const std::vector<std::uint8_t>>(visibleMask(original->view()));
    FloatRgbImage f{image->width(), image->height(), 3 * image->width(),
                    std::shared_ptr<const float>(image, image->data()),
                    std::shared_ptr<const std::uint8_t>(visible, visible->data())};
    QVERIFY(original->hasMask());
    QVERIFY(w->splitView()->dimUncovered());
    QCOMPARE(w->splitView()->displayedImage(SplitView::Side::B),
             toneMap(f, ToneMapOptions{w->splitView()->exposure(), 0, true}));

    // A drag: many values in quick succession; only the last one's result ends up on screen.
    shown.clear();
    recon.clear();
    for (int q = 40; q <= 60; q += 2) slider->setValue(sliderPositionFor(*spec, q));
    QVERIFY(test::waitForCount(shown, 1));
    QTest::qWait(200);
    QCOMPARE(w->lastResult()->params.getInt("quality"), 60);
    QCOMPARE(shown.count(), 1);
    QVERIFY(!w->model().state(w->currentCodecId())->runner->isBusy());
}

void TestMainWindow::dropOpensFile() {
    auto w = makeWindow();
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(wide_)});
    QDragEnterEvent enter(QPoint(200, 200), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(w.get(), &enter);
    QVERIFY(enter.isAccepted());
    QSignalSpy loaded(w.get(), &MainWindow::imageLoaded);
    QSignalSpy shown(w.get(), &MainWindow::resultShown);
    QDropEvent drop(QPointF(200, 200), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(w.get(), &drop);
    QVERIFY(test::waitForCount(loaded, 1));
    QCOMPARE(loaded.at(0).at(0).toString(), wide_);
    QVERIFY(test::waitForCount(shown, 1));
    QCOMPARE(w->currentImage()->width(), 320);

    // Text without a local file is refused.
    QMimeData text;
    text.setText(QStringLiteral("hello"));
    QDragEnterEvent refused(QPoint(200, 200), Qt::CopyAction, &text, Qt::LeftButton, Qt::NoModifier);
    refused.setAccepted(false);
    QCoreApplication::sendEvent(w.get(), &refused);
    QVERIFY(!refused.isAccepted());
}

void TestMainWindow::badFileKeepsCurrentImage_data() {
    QTest::addColumn<QByteArray>("contents");
    QTest::addColumn<bool>("create");
    QTest::newRow("garbage") << QByteArray("this is not an OpenEXR file at all") << true;
    QFile good(good_);
    QVERIFY(good.open(QIODevice::ReadOnly));
    const QByteArray bytes = good.readAll();
    QTest::newRow("truncated") << bytes.left(bytes.size() / 3) << true;
    QTest::newRow("empty") << QByteArray() << true;
    QTest::newRow("missing") << QByteArray() << false;
}

void TestMainWindow::badFileKeepsCurrentImage() {
    QFETCH(QByteArray, contents);
    QFETCH(bool, create);
    const QString bad = QDir(dir_.path()).filePath(QStringLiteral("bad_%1.exr").arg(QTest::currentDataTag()));
    if (create) {
        QFile f(bad);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(contents);
    }
    auto w = makeWindow();
    QVERIFY(openAndWait(*w, good_));
    w->setViewMode(MainWindow::ViewMode::Split);
    const auto imageBefore = w->currentImage();
    const auto resultBefore = w->lastResult();
    const QString titleBefore = w->windowTitle();
    const QImage shownBefore = w->splitView()->displayedImage(SplitView::Side::A);

    QSignalSpy failed(w.get(), &MainWindow::loadFailed);
    QSignalSpy loaded(w.get(), &MainWindow::imageLoaded);
    w->openFile(bad);
    QVERIFY(test::waitForCount(failed, 1));
    QCOMPARE(loaded.count(), 0);
    QCOMPARE(errors_.size(), 1);  // reported once, through the injected presenter (no modal dialog)
    QVERIFY2(errors_.front().contains(QFileInfo(bad).fileName()), qPrintable(errors_.front()));
    QVERIFY2(errors_.front().contains(create ? errorSummary(ErrorCode::CorruptData) : errorSummary(ErrorCode::IoError)),
             qPrintable(errors_.front()));
    QCOMPARE(w->currentImage().get(), imageBefore.get());
    QCOMPARE(w->lastResult().get(), resultBefore.get());
    QCOMPARE(w->windowTitle(), titleBefore);
    QCOMPARE(w->currentFile(), QFileInfo(good_).absoluteFilePath());
    QCOMPARE(w->splitView()->displayedImage(SplitView::Side::A), shownBefore);
    QVERIFY(w->splitView()->hasImage(SplitView::Side::B));
    QVERIFY(!w->recentFiles().contains(QFileInfo(bad).absoluteFilePath()));
}

void TestMainWindow::schemaGeneratesControls() {
    ParamSchema schema(4);
    schema[0].id = "strength";
    schema[0].label = "Strength";
    schema[0].type = ParamType::Float;
    schema[0].minValue = 0;
    schema[0].maxValue = 1;
    schema[0].step = 0.05;
    schema[0].defaultValue = 0.25;
    schema[1].id = "mode";
    schema[1].label = "Mode";
    schema[1].type = ParamType::Enum;
    schema[1].choices = {"fast", "good", "best"};
    schema[1].maxValue = 2;
    schema[1].defaultValue = 2;
    schema[2].id = "dither";
    schema[2].label = "Dither";
    schema[2].type = ParamType::Bool;
    schema[2].defaultValue = 1;
    schema[3].id = "level";  // the rate parameter comes last in the schema but first on screen
    schema[3].label = "Level";
    schema[3].type = ParamType::Int;
    schema[3].minValue = 1;
    schema[3].maxValue = 12;
    schema[3].defaultValue = 6;
    schema[3].isRate = true;

    ParamEditor editor;
    editor.setSchema(schema, ParamSet{});
    auto* level = qobject_cast<QSlider*>(editor.control("level"));
    auto* strength = qobject_cast<QSlider*>(editor.control("strength"));
    auto* mode = qobject_cast<QComboBox*>(editor.control("mode"));
    auto* dither = qobject_cast<QCheckBox*>(editor.control("dither"));
    QVERIFY(level && strength && mode && dither);
    QCOMPARE(editor.rateSlider(), level);
    QVERIFY(editor.findChild<QSpinBox*>(QStringLiteral("levelSpin")));
    auto* strengthSpin = editor.findChild<QDoubleSpinBox*>(QStringLiteral("strengthSpin"));
    QVERIFY(strengthSpin);
    QCOMPARE(mode->count(), 3);
    QCOMPARE(mode->itemText(1), QStringLiteral("good"));
    QCOMPARE(dither->text(), QStringLiteral("Dither"));
    QCOMPARE(editor.values().get("level"), 6.0);
    QCOMPARE(editor.values().get("strength"), 0.25);
    QCOMPARE(level->value(), 5);     // steps from the minimum
    QCOMPARE(strength->value(), 5);  // 0.25 / 0.05
    QCOMPARE(mode->currentIndex(), 2);
    QVERIFY(dither->isChecked());
    // Rate row on top: its slider lies above the other controls.
    QVERIFY(level->mapTo(&editor, QPoint()).y() < mode->mapTo(&editor, QPoint()).y() || !editor.isVisible());

    QSignalSpy changed(&editor, &ParamEditor::valuesChanged);
    mode->setCurrentIndex(0);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(editor.values().get("mode"), 0.0);
    strength->setValue(10);
    QCOMPARE(editor.values().get("strength"), 0.5);
    QCOMPARE(strengthSpin->value(), 0.5);  // the spin box follows the slider
    strengthSpin->setValue(0.8);
    QCOMPARE(strength->value(), 16);  // and the slider the spin box
    dither->setChecked(false);
    QCOMPARE(editor.values().get("dither"), 0.0);
    QCOMPARE(changed.count(), 4);

    ParamSet programmatic;
    programmatic.set("level", 99);  // clamped to the schema's range, and no signal
    editor.setValues(programmatic);
    QCOMPARE(editor.values().get("level"), 12.0);
    QCOMPARE(level->value(), 11);
    QCOMPARE(changed.count(), 4);
}

void TestMainWindow::jpegSchemaControls() {
    auto w = makeWindow();
    QCOMPARE(w->codecPanel()->codecCombo()->currentData().toString(), QStringLiteral("jpeg"));
    QVERIFY(w->codecPanel()->codecCombo()->count() >= 1);
    auto* quality = qobject_cast<QSlider*>(w->paramEditor()->control("quality"));
    auto* chroma = qobject_cast<QComboBox*>(w->paramEditor()->control("chroma"));
    QVERIFY(quality && chroma);
    QCOMPARE(w->paramEditor()->rateSlider(), quality);
    QCOMPARE(chroma->count(), 2);
    QVERIFY(chroma->itemText(0).startsWith(QStringLiteral("4:4:4")));
    QVERIFY(chroma->itemText(1).startsWith(QStringLiteral("4:2:0")));
}

void TestMainWindow::everyCodecWorksWithoutUiChanges() {
    // Every registered codec gets a card with controls from its schema and produces a result (or a reported error)
    // for the open image; choosing it in the combo puts it on the split view's B side.
    auto w = makeWindow();
    QSignalSpy measured(w.get(), &MainWindow::codecMetricsShown);
    QSignalSpy failed(w.get(), &MainWindow::codecFailed);
    QVERIFY(openAndWait(*w, good_));
    QCOMPARE(w->codecPanel()->codecCombo()->count(), int(CodecRegistry::builtin().codecs().size()));
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < 60000 && measured.count() + failed.count() < w->codecPanel()->codecCombo()->count())
        QTest::qWait(20);
    w->setViewMode(MainWindow::ViewMode::Split);
    for (int i = 0; i < w->codecPanel()->codecCombo()->count(); ++i) {
        const std::string id = w->codecPanel()->codecCombo()->itemData(i).toString().toStdString();
        const Codec* codec = CodecRegistry::builtin().find(id);
        QVERIFY(codec);
        w->codecPanel()->codecCombo()->setCurrentIndex(i);
        QCOMPARE(w->currentCodecId(), id);
        for (const ParamSpec& spec : codec->schema()) QVERIFY2(w->paramEditor()->control(spec.id), spec.id.c_str());
        bool didFail = false;
        for (const auto& args : failed)
            if (args.at(0).toString().toStdString() == id) {
                qInfo("%s reported: %s", id.c_str(), qPrintable(args.at(1).toString()));
                didFail = true;
            }
        if (didFail || isOptIn(id)) continue;  // opt-in codecs are off until the user switches them on
        QVERIFY2(w->lastResult() && w->lastResult()->codecId == id, id.c_str());
        QVERIFY(w->lastResult()->bytes > 0);
        QVERIFY(w->splitView()
                    ->label(SplitView::Side::B)
                    .contains(QCoreApplication::translate("lmc::studio::CodecText", codec->name().c_str())));
    }
}

void TestMainWindow::errorTextIsTranslated() {
    const Error e = makeError(ErrorCode::CorruptData, "bad magic number");
    QCOMPARE(errorText(e), errorSummary(ErrorCode::CorruptData) + QStringLiteral("\nbad magic number"));
    QVERIFY(errorSummary(ErrorCode::CorruptData).contains(QStringLiteral("damaged")));
    QVERIFY(errorSummary(ErrorCode::IoError) != errorSummary(ErrorCode::CorruptData));
    QVERIFY(applyLanguage(QStringLiteral("zh_CN")));
    for (ErrorCode code : {ErrorCode::InvalidArgument, ErrorCode::IoError, ErrorCode::CorruptData,
                           ErrorCode::Unsupported, ErrorCode::TooLarge, ErrorCode::Cancelled, ErrorCode::Internal})
        QVERIFY2(hasCjk(errorSummary(code)), qPrintable(errorSummary(code)));
    QVERIFY(errorText(e).endsWith(QStringLiteral("\nbad magic number")));  // the detail stays as the library wrote it
}

void TestMainWindow::commandLineParsing() {
    CommandLine cl = parseCommandLine({"lmstudio", "a.exr", "--screenshot", "out.png", "--lang", "zh-CN"});
    QVERIFY(cl.ok);
    QCOMPARE(cl.file, QStringLiteral("a.exr"));
    QCOMPARE(cl.screenshotPath, QStringLiteral("out.png"));
    QCOMPARE(cl.language, QStringLiteral("zh_CN"));
    cl = parseCommandLine({"lmstudio"});
    QVERIFY(cl.ok && cl.file.isEmpty() && cl.screenshotPath.isEmpty() && cl.language.isEmpty());
    cl = parseCommandLine({"lmstudio", "--lang", "en"});
    QCOMPARE(cl.language, QStringLiteral("en"));
    QVERIFY(!parseCommandLine({"lmstudio", "--lang", "fr"}).ok);
    QVERIFY(!parseCommandLine({"lmstudio", "a.exr", "b.exr"}).ok);
    QVERIFY(!parseCommandLine({"lmstudio", "--bogus"}).ok);
    QVERIFY(!parseCommandLine({"lmstudio", "--screenshot"}).ok);
    QVERIFY(parseCommandLine({"lmstudio", "--help"}).showHelp);
    QCOMPARE(normalizeLanguage(QStringLiteral("zh_Hans_CN")), QStringLiteral("zh_CN"));
    QCOMPARE(normalizeLanguage(QStringLiteral("en_GB")), QStringLiteral("en"));
    QCOMPARE(normalizeLanguage(QStringLiteral("de")), QString());

    const QString sample = QStringLiteral(LMC_SOURCE_DIR "/resources/sample_lightmap.exr");
    if (QFileInfo::exists(sample)) QCOMPARE(findSampleLightmap(), QFileInfo(sample).absoluteFilePath());
}

void TestMainWindow::settingsPersist() {
    const QString settings = QStringLiteral("persist.ini");
    {
        auto w = makeWindow(settings);
        QVERIFY(openAndWait(*w, good_));
        auto* spin = w->paramEditor()->findChild<QSpinBox*>(QStringLiteral("qualitySpin"));
        QVERIFY(spin);
        spin->setValue(33);
        // The Charts view's choices and the histograms' switch are the user's too.
        ChartsPanel* charts = w->views()->chartsPanel();
        charts->setLogRateAxis(false);
        charts->setReadoutMetric(RdChartView::Metric::Ssim);
        charts->setTarget(RdChartView::Target::Kind::Quality, 25.5);
        charts->setReference("jxl");
        w->histogramPanel()->group()->setChecked(false);
        w->setLanguage(QStringLiteral("zh_CN"), true);
        w->resize(1000, 700);
        w->close();
    }
    QVERIFY(applyLanguage(QStringLiteral("en")));
    QSettings stored(QDir(dir_.path()).filePath(settings), QSettings::IniFormat);
    QCOMPARE(stored.value(QStringLiteral("language")).toString(), QStringLiteral("zh_CN"));
    QVERIFY(stored.value(QStringLiteral("codecs/jpeg/params")).toString().contains(QStringLiteral("quality=33")));
    QVERIFY(!stored.value(QStringLiteral("window/geometry")).toByteArray().isEmpty());

    auto w = makeWindow(settings, false);
    auto* spin = w->paramEditor()->findChild<QSpinBox*>(QStringLiteral("qualitySpin"));
    QCOMPARE(spin->value(), 33);
    QCOMPARE(w->paramEditor()->values().getInt("quality"), 33);
    QCOMPARE(w->size(), QSize(1000, 700));
    QVERIFY(w->recentFiles().contains(QFileInfo(good_).absoluteFilePath()));
    const QVariantMap charts = w->views()->chartsPanel()->saveChoices();
    QCOMPARE(charts.value(QStringLiteral("logAxis")).toBool(), false);
    QCOMPARE(w->views()->chartsPanel()->readoutMetric(), RdChartView::Metric::Ssim);
    QCOMPARE(charts.value(QStringLiteral("target")).toString(), QStringLiteral("quality"));
    QCOMPARE(charts.value(QStringLiteral("quality")).toDouble(), 25.5);
    QCOMPARE(w->views()->chartsPanel()->reference(), std::string("jxl"));
    QVERIFY(!w->histogramPanel()->group()->isChecked());
}

void TestMainWindow::maskChoiceRemeasuresAndPersists() {
    const QString settings = QStringLiteral("mask.ini");
    {
        auto w = makeWindow(settings);
        QVERIFY(openAndWait(*w, good_));
        QVERIFY(w->currentImage()->hasMask());
        CompressionResultPtr visible = w->lastResult();
        QVERIFY(visible->hasMetrics);
        QCOMPARE(visible->mask, MaskMode::Visible);
        QCOMPARE(w->displayPanel()->maskCombo()->currentIndex(), int(MaskMode::Visible));
        const std::vector<std::uint8_t> ring = visibleMask(w->currentImage()->view());
        QCOMPARE(visible->metrics.texelsCompared, std::int64_t(std::count(ring.begin(), ring.end(), 1)));

        // The combo box: every codec is measured again over the covered texels; the streams stay the same.
        QSignalSpy shown(w.get(), &MainWindow::resultShown);
        emit w->displayPanel()->maskCombo()->activated(int(MaskMode::Covered));
        QCOMPARE(w->model().maskMode(), MaskMode::Covered);
        QVERIFY(test::waitForCount(shown, 1));
        CompressionResultPtr covered = w->lastResult();
        QCOMPARE(covered->mask, MaskMode::Covered);
        const std::uint8_t* mask = w->currentImage()->maskData();
        QCOMPARE(covered->metrics.texelsCompared,
                 std::int64_t(std::count(mask, mask + w->currentImage()->texelCount(), 1)));
        QVERIFY(covered->metrics.texelsCompared < visible->metrics.texelsCompared);
        QCOMPARE(covered->bytes, visible->bytes);
        // Re-measured, not re-encoded: the same job's reconstruction.
        QCOMPARE(covered->generation, visible->generation);
        QCOMPARE(covered->reconstruction.get(), visible->reconstruction.get());

        shown.clear();
        w->setMaskMode(MaskMode::All);
        QVERIFY(test::waitForCount(shown, 1));
        QCOMPARE(w->lastResult()->metrics.texelsCompared, std::int64_t(256 * 192));
        QCOMPARE(w->displayPanel()->maskCombo()->currentIndex(), int(MaskMode::All));
        w->close();
    }
    QSettings stored(QDir(dir_.path()).filePath(settings), QSettings::IniFormat);
    QCOMPARE(stored.value(QStringLiteral("metrics/mask")).toString(), QStringLiteral("all"));
    auto w = makeWindow(settings, false);
    QCOMPARE(w->model().maskMode(), MaskMode::All);
    QCOMPARE(w->displayPanel()->maskCombo()->currentIndex(), int(MaskMode::All));
    QCOMPARE(errors_.size(), 0);
}

void TestMainWindow::tileClickSelectsAndInspectorMatchesHeatmap() {
    auto w = makeWindow();
    QVERIFY(openAndWait(*w, good_));
    QVERIFY(w->currentCodecId() != "bc6h");
    emit w->gridView()->tileClicked(QStringLiteral("bc6h"));
    QCOMPARE(w->currentCodecId(), std::string("bc6h"));
    QCOMPARE(w->codecPanel()->codecCombo()->currentData().toString(), QStringLiteral("bc6h"));
    emit w->gridView()->tileClicked(QStringLiteral("original"));  // the original is not a codec
    QCOMPARE(w->currentCodecId(), std::string("bc6h"));
    QTRY_VERIFY_WITH_TIMEOUT(w->lastResult() && w->lastResult()->reconstruction, 30000);

    // The inspector prints the heatmap's value of the texel (errorAt, the map's own definitions and mask).
    const QPoint texel(100, 80);
    w->inspectorPanel()->inspect(texel);
    MetricsOptions options;
    auto norm = computeNormalization(w->currentImage()->view());
    QVERIFY(norm.ok());
    options.normalization = &*norm;
    options.mask = w->model().maskMode();
    auto map = computeErrorMap(w->currentImage()->view(), w->lastResult()->reconstruction->view(),
                               w->comparison().kind(), options);
    QVERIFY(map.ok());
    const float expected = map->values[std::size_t(texel.y()) * 256 + texel.x()];
    QVERIFY(std::isfinite(expected));
    QVERIFY2(w->inspectorPanel()->text().contains(QString::number(double(expected), 'g', 3)),
             qPrintable(w->inspectorPanel()->text()));
    QCOMPARE(errors_.size(), 0);
}

void TestMainWindow::screenshotsInBothLanguages() {
    const QString shotDir = test::screenshotDir();
    QString sample = findSampleLightmap();
    const QString file = sample.isEmpty() ? good_ : sample;
    QImage shots[2];
    const QStringList languages = {QStringLiteral("en"), QStringLiteral("zh_CN")};
    for (int i = 0; i < 2; ++i) {
        QVERIFY(applyLanguage(languages[i]));
        auto w = makeWindow(QStringLiteral("shots.ini"));
        w->resize(1440, 900);
        QVERIFY(openAndWait(*w, file));
        QTest::qWait(50);
        shots[i] = w->grab().toImage();
        const QString path = QDir(shotDir).filePath(QStringLiteral("lmstudio_%1.png").arg(languages[i]));
        QVERIFY(shots[i].save(path));
        qInfo("screenshot: %s", qPrintable(path));
        QCOMPARE(shots[i].size(), QSize(1440, 900));

        const QString fileMenu = w->menuBar()->actions().at(0)->text();
        if (languages[i] == QLatin1String("en")) {
            QCOMPARE(fileMenu, QStringLiteral("&File"));
            continue;
        }
        QVERIFY2(hasCjk(fileMenu), qPrintable(fileMenu));
        // Every visible piece of text is Chinese, except technical names that stay as they are.
        const QStringList untranslatable = {QStringLiteral("mPSNR"),     QStringLiteral("log-PSNR"),
                                            QStringLiteral("PU21-PSNR"), QStringLiteral("PU21-SSIM"),
                                            QStringLiteral("English"),   QStringLiteral("JPEG-HDR")};
        QStringList english;
        auto check = [&](const QString& raw) {
            QString text = raw;
            text.remove(QLatin1Char('&'));
            if (untranslatable.contains(text)) return;
            // Units and standard abbreviations stay as they are in Chinese UIs.
            text.remove(QRegularExpression(QStringLiteral("\\b(bpp|dB|KiB|MiB|EV|UV|PNG|JPEG|HDR|PSNR|SSIM)\\b")));
            if (text.isEmpty() || hasCjk(text) || untranslatable.contains(text)) return;
            if (!text.contains(QRegularExpression(QStringLiteral("[A-Za-z]{2,}")))) return;  // numbers, units
            english << text;
        };
        // Codec names are proper names; the device list names hardware.
        QStringList codecNames;
        for (const Codec* c : CodecRegistry::builtin().codecs())
            codecNames << QCoreApplication::translate("lmc::studio::CodecText", c->name().c_str());
        for (auto* label : w->findChildren<QLabel*>())
            if (label->isVisible() && label != w->findChild<QLabel*>(QStringLiteral("imageInfo")) &&
                label->textFormat() != Qt::RichText && label->objectName() != QLatin1String("deviceStatus"))
                check(label->text());
        for (auto* box : w->findChildren<QGroupBox*>())
            if (!codecNames.contains(box->title())) check(box->title());
        for (auto* button : w->findChildren<QAbstractButton*>())
            if (button->isVisible() && !codecNames.contains(button->text())) check(button->text());
        // A GPU format is a codec name and its level or block size ("ASTC HDR 6x6", "BC6H 普通"): the rest is checked.
        auto withoutCodecName = [&](QString text) {
            for (const QString& name : codecNames)
                if (text.startsWith(name + QLatin1Char(' '))) return text.mid(name.size() + 1);
            return text;
        };
        for (auto* combo : w->findChildren<QComboBox*>())
            for (int k = 0; k < combo->count(); ++k)
                if (combo != w->codecPanel()->deviceCombo() && !codecNames.contains(combo->itemText(k)))
                    check(withoutCodecName(combo->itemText(k)));
        for (QAction* menu : w->menuBar()->actions()) {
            check(menu->text());
            if (menu->menu())
                for (QAction* a : menu->menu()->actions()) check(a->text());
        }
        check(w->splitView()->label(SplitView::Side::A));
        check(w->splitView()->label(SplitView::Side::B));
        QVERIFY2(english.isEmpty(), qPrintable(english.join(QStringLiteral(" | "))));
    }
    QVERIFY(shots[0] != shots[1]);
}

void TestMainWindow::sliderToScreenLatency1024() {
    if (test::kSanitizedBuild) QSKIP("a Release timing: not meaningful in a sanitizer build");
    // A real 1024 x 1024 lightmap when the shared set is there, else a synthetic one of the same size.
    QString file =
        QStringLiteral(LMC_REAL_LIGHTMAPS "/aqstarlilly-baked-lighting__samplescene__lightmap-0_comp_light.exr");
    if (!QFileInfo::exists(file)) file = test::writeLightmap(QDir(dir_.path()), QStringLiteral("big.exr"), 1024, 1024);
    auto w = makeWindow();
    QVERIFY(openAndWait(*w, file));
    QCOMPARE(w->currentImage()->width(), 1024);
    QSlider* slider = w->paramEditor()->rateSlider();
    const ParamSpec* spec = findParam(w->paramEditor()->schema(), "quality");
    QVERIFY(slider && spec);

    std::vector<double> latencies, encode, decode, toneMap, metrics;
    for (int q : {30, 55, 80, 45, 65}) {
        QSignalSpy latency(w.get(), &MainWindow::latencyMeasured);
        QSignalSpy shown(w.get(), &MainWindow::resultShown);
        slider->setValue(sliderPositionFor(*spec, q));
        QVERIFY(test::waitForCount(latency, 1, 120000));
        QVERIFY(test::waitForCount(shown, 1, 120000));
        latencies.push_back(latency.at(0).at(0).toDouble());
        encode.push_back(w->lastResult()->encodeMs);
        decode.push_back(w->lastResult()->decodeMs);
        metrics.push_back(w->lastResult()->metricsMs);
        toneMap.push_back(w->splitView()->lastToneMapMs());
        QCOMPARE(w->lastResult()->params.getInt("quality"), q);
    }
    auto median = [](std::vector<double> v) {
        std::sort(v.begin(), v.end());
        return v[v.size() / 2];
    };
    qInfo(
        "1024x1024 slider-to-screen latency: median %.1f ms (min %.1f, max %.1f) over %zu changes; includes the "
        "%d ms debounce. Median encode %.1f ms, decode %.1f ms, tone map %.1f ms; metrics afterwards %.1f ms.",
        median(latencies), *std::min_element(latencies.begin(), latencies.end()),
        *std::max_element(latencies.begin(), latencies.end()), latencies.size(),
        w->model().state(w->currentCodecId())->runner->debounceMs(), median(encode), median(decode), median(toneMap),
        median(metrics));
    QVERIFY(median(latencies) >=
            w->model().state(w->currentCodecId())->runner->debounceMs());  // the debounce is part of what is measured
}

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
