// WorkspaceModel without any widget: loading (facts, shown mask, failures keep the image), switching codecs on and
// off, a parameter change producing a new result for that codec only, a failing codec's signal, the Texels choice
// re-measuring the stored reconstructions without encoding again (an encode counter and the generations stay, the
// metrics follow the new texels), RD sweep points, and the settings round trip through StudioSettings. Codecs are a
// small registry of our own: a counting wrapper around the built-in JPEG-HDR codec and a codec that always fails.
// Chains (the built-in registry, JPEG-HDR alone switched on): a GPU format on a codec gives a result, sweep points and
// a chart series equal to evaluate() with that GpuFormat, and it is remembered with the codec's settings.
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <atomic>

#include "app/studio/charts_panel.h"
#include "app/studio/studio_settings.h"
#include "app/studio/workspace_model.h"
#include "codec/evaluate.h"
#include "test_support.h"

using namespace lmc;
using namespace lmc::studio;

namespace {

std::atomic<int> g_encodes{0};

// The built-in JPEG-HDR codec under another id, counting its encodes.
class CountingCodec : public Codec {
public:
    explicit CountingCodec(const Codec& inner) : inner_(inner) {}
    std::string id() const override { return "counting"; }
    std::string name() const override { return "Counting JPEG"; }
    std::string description() const override { return "JPEG-HDR with an encode counter."; }
    ParamSchema schema() const override { return inner_.schema(); }
    Result<Bytes> encode(const ImageView& image, const ParamSet& params, const CodecContext& context) const override {
        ++g_encodes;
        return inner_.encode(image, params, context);
    }
    Result<Image> decode(const std::uint8_t* data, std::size_t size, const CodecContext& context) const override {
        return inner_.decode(data, size, context);
    }
    bool recognizes(const std::uint8_t* data, std::size_t size) const override { return inner_.recognizes(data, size); }

private:
    const Codec& inner_;
};

class FailingCodec : public Codec {
public:
    std::string id() const override { return "failing"; }
    std::string name() const override { return "Failing"; }
    std::string description() const override { return "Always fails."; }
    ParamSchema schema() const override { return {}; }
    Result<Bytes> encode(const ImageView&, const ParamSet&, const CodecContext&) const override {
        return makeError(ErrorCode::Unsupported, "this codec always fails");
    }
    Result<Image> decode(const std::uint8_t*, std::size_t, const CodecContext&) const override {
        return makeError(ErrorCode::CorruptData, "nothing to decode");
    }
};

std::int64_t count(const std::vector<std::uint8_t>& mask) {
    return std::count(mask.begin(), mask.end(), std::uint8_t(1));
}

}  // namespace

class TestWorkspaceModel : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void loadsImageAndItsFacts();
    void failedLoadKeepsImage();
    void enableAndDisable();
    void paramChangeGivesNewResult();
    void failureIsSignalled();
    void maskChangeRemeasuresWithoutEncoding();
    void sweepPointsArrive();
    void settingsRoundTrip();
    void perMapOptimisedCodecIsOptIn();
    void negativeValuesChooseASignedMode();
    void chainMetricsEqualEvaluate();
    void interimResultsKeepTheCodecBusy();

private:
    std::unique_ptr<WorkspaceModel> makeModel(bool withFailing = false);
    // Opens the test image and waits until every enabled codec has metrics or failed.
    bool openAndSettle(WorkspaceModel& model, const QString& path);

    QTemporaryDir dir_;
    QString good_;
    CodecRegistry registry_;
    CodecRegistry registryWithFailing_;
    CodecRegistry registryRefining_;
};

void TestWorkspaceModel::initTestCase() {
    QVERIFY(dir_.isValid());
    const Codec* jpeg = CodecRegistry::builtin().find("jpeg");
    QVERIFY(jpeg);
    registry_.add(std::make_unique<CountingCodec>(*jpeg));
    registryWithFailing_.add(std::make_unique<CountingCodec>(*jpeg));
    registryWithFailing_.add(std::make_unique<FailingCodec>());
    registryRefining_.add(std::make_unique<test::RefiningCodec>(*jpeg));
    good_ = test::writeLightmap(QDir(dir_.path()), QStringLiteral("good.exr"), 160, 96);
}

std::unique_ptr<WorkspaceModel> TestWorkspaceModel::makeModel(bool withFailing) {
    WorkspaceModel::Options options;
    options.registry = withFailing ? &registryWithFailing_ : &registry_;
    options.autoSweep = false;
    return std::make_unique<WorkspaceModel>(options);
}

bool TestWorkspaceModel::openAndSettle(WorkspaceModel& model, const QString& path) {
    QSignalSpy loaded(&model, &WorkspaceModel::imageLoaded);
    QSignalSpy measured(&model, &WorkspaceModel::codecMetricsChanged);
    QSignalSpy failed(&model, &WorkspaceModel::codecFailed);
    model.open(path, "counting");
    if (!test::waitForCount(loaded, 1)) return false;
    const int expected = int(model.enabledCodecs().size());
    QElapsedTimer timer;
    timer.start();
    while (measured.count() + failed.count() < expected && timer.elapsed() < 30000) QTest::qWait(10);
    return measured.count() + failed.count() >= expected;
}

void TestWorkspaceModel::loadsImageAndItsFacts() {
    auto model = makeModel();
    QVERIFY(!model->image());
    QSignalSpy started(model.get(), &WorkspaceModel::loadStarted);
    QSignalSpy resultSpy(model.get(), &WorkspaceModel::codecResultChanged);
    QVERIFY(openAndSettle(*model, good_));
    QCOMPARE(started.count(), 1);
    QVERIFY(!model->isLoading());
    const auto image = model->image();
    QVERIFY(image && image->image);
    QCOMPARE(image->path, good_);
    QCOMPARE(image->image->width(), 160);
    QCOMPARE(image->image->height(), 96);
    QVERIFY(image->info);
    QVERIFY(image->normalization);
    QVERIFY(image->stats.maxValue > 1.0f);  // the lamps
    QVERIFY(image->stats.coveredFraction > 0.5 && image->stats.coveredFraction < 1.0);
    QVERIFY(std::isfinite(image->exposure) && image->exposure != 0.0);
    // The shown mask is the visible set (coverage + one-texel ring), computed with the image.
    QVERIFY(model->shownMask());
    QCOMPARE(count(*model->shownMask()), count(visibleMask(image->image->view())));
    // The codec was compressed and measured.
    QCOMPARE(resultSpy.count(), 1);
    const CodecState* s = model->state("counting");
    QVERIFY(s && s->result && s->result->hasMetrics);
    QVERIFY(!s->busy);
    QVERIFY(!s->error);
    QCOMPARE(s->result->reconstruction->width(), 160);
    QVERIFY(s->result->bytes > 0);
    QVERIFY(s->latencyStartNs >= 0);  // waiting for a view to paint it
    QVERIFY(model->takeLatencyStart("counting") >= 0);
    QCOMPARE(model->takeLatencyStart("counting"), qint64(-1));
}

void TestWorkspaceModel::failedLoadKeepsImage() {
    auto model = makeModel();
    QVERIFY(openAndSettle(*model, good_));
    const auto before = model->image();
    const auto resultBefore = model->state("counting")->result;
    const QString bad = QDir(dir_.path()).filePath(QStringLiteral("bad.exr"));
    QFile f(bad);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("not an EXR");
    f.close();
    QSignalSpy failed(model.get(), &WorkspaceModel::loadFailed);
    QSignalSpy loaded(model.get(), &WorkspaceModel::imageLoaded);
    model->open(bad);
    QVERIFY(test::waitForCount(failed, 1));
    QCOMPARE(loaded.count(), 0);
    QCOMPARE(failed.at(0).at(0).toString(), bad);
    QCOMPARE(failed.at(0).at(1).value<Error>().code, ErrorCode::CorruptData);
    QCOMPARE(model->image().get(), before.get());
    QCOMPARE(model->state("counting")->result.get(), resultBefore.get());
}

void TestWorkspaceModel::enableAndDisable() {
    auto model = makeModel();
    QSignalSpy enabled(model.get(), &WorkspaceModel::codecEnabledChanged);
    model->setCodecEnabled("counting", false);
    QCOMPARE(enabled.count(), 1);
    QCOMPARE(enabled.at(0).at(1).toBool(), false);
    model->setCodecEnabled("counting", false);  // no change, no signal
    QCOMPARE(enabled.count(), 1);
    QVERIFY(model->enabledCodecs().empty());

    QSignalSpy loaded(model.get(), &WorkspaceModel::imageLoaded);
    QSignalSpy measured(model.get(), &WorkspaceModel::codecMetricsChanged);
    model->open(good_);
    QVERIFY(test::waitForCount(loaded, 1));
    QTest::qWait(300);
    QCOMPARE(measured.count(), 0);  // switched off: nothing encoded
    QVERIFY(!model->state("counting")->result);

    model->setCodecEnabled("counting", true);
    QVERIFY(model->state("counting")->busy);
    QVERIFY(test::waitForCount(measured, 1));
    QVERIFY(model->state("counting")->result);
    QCOMPARE(model->enabledCodecs(), std::vector<std::string>{"counting"});

    model->setCodecEnabled("counting", false);
    QVERIFY(!model->state("counting")->result);
    QVERIFY(!model->state("counting")->busy);
    QCOMPARE(enabled.count(), 3);
}

void TestWorkspaceModel::paramChangeGivesNewResult() {
    auto model = makeModel();
    QVERIFY(openAndSettle(*model, good_));
    const CodecState* s = model->state("counting");
    const CompressionResultPtr before = s->result;
    QSignalSpy busy(model.get(), &WorkspaceModel::codecBusyChanged);
    QSignalSpy shown(model.get(), &WorkspaceModel::codecResultChanged);
    QSignalSpy measured(model.get(), &WorkspaceModel::codecMetricsChanged);
    ParamSet params = s->params;
    const int quality = params.getInt("quality") > 50 ? 15 : 90;
    params.set("quality", quality);
    model->setParams("counting", params);
    QVERIFY(s->busy);  // marked at once, encoded after the debounce
    QVERIFY(busy.count() >= 1);
    QVERIFY(test::waitForCount(measured, 1));
    QCOMPARE(shown.count(), 1);
    QCOMPARE(shown.at(0).at(0).toString(), QStringLiteral("counting"));
    QVERIFY(s->result->generation > before->generation);
    QCOMPARE(s->result->params.getInt("quality"), quality);
    QVERIFY(quality < 50 ? s->result->bytes < before->bytes : s->result->bytes > before->bytes);
    QVERIFY(s->result->hasMetrics);
    QVERIFY(s->result->metrics.mPsnr != before->metrics.mPsnr);
}

void TestWorkspaceModel::failureIsSignalled() {
    auto model = makeModel(true);
    QSignalSpy failed(model.get(), &WorkspaceModel::codecFailed);
    QVERIFY(openAndSettle(*model, good_));
    QCOMPARE(failed.count(), 1);
    QCOMPARE(failed.at(0).at(0).toString(), QStringLiteral("failing"));
    QCOMPARE(failed.at(0).at(1).value<Error>().code, ErrorCode::Unsupported);
    const CodecState* s = model->state("failing");
    QVERIFY(s->error);
    QCOMPARE(s->error->code, ErrorCode::Unsupported);
    QVERIFY(!s->result);
    QVERIFY(!s->busy);
    QVERIFY(model->state("counting")->result);  // the other codec is unaffected
}

void TestWorkspaceModel::maskChangeRemeasuresWithoutEncoding() {
    auto model = makeModel();
    QVERIFY(openAndSettle(*model, good_));
    const CodecState* s = model->state("counting");
    const CompressionResultPtr visible = s->result;
    QCOMPARE(visible->mask, MaskMode::Visible);
    const auto source = model->source();
    QCOMPARE(visible->metrics.texelsCompared, count(visibleMask(source->view())));
    const int encodesBefore = g_encodes.load();
    const quint64 generationBefore = s->runner->generation();

    QSignalSpy modeChanged(model.get(), &WorkspaceModel::maskModeChanged);
    QSignalSpy maskShown(model.get(), &WorkspaceModel::shownMaskChanged);
    QSignalSpy shown(model.get(), &WorkspaceModel::codecResultChanged);
    QSignalSpy measured(model.get(), &WorkspaceModel::codecMetricsChanged);
    model->setMaskMode(MaskMode::Covered);
    QCOMPARE(modeChanged.count(), 1);
    QVERIFY(test::waitForCount(measured, 1));
    QVERIFY(test::waitForCount(maskShown, 1));
    const CompressionResultPtr covered = s->result;
    // Measured again over the charts only ...
    QCOMPARE(covered->mask, MaskMode::Covered);
    const std::int64_t coveredTexels = std::count(source->maskData(), source->maskData() + source->texelCount(), 1);
    QCOMPARE(covered->metrics.texelsCompared, coveredTexels);
    QVERIFY(covered->metrics.texelsCompared < visible->metrics.texelsCompared);
    QVERIFY(covered->metrics.mPsnr != visible->metrics.mPsnr);
    // ... from the same stream and reconstruction: nothing was encoded.
    QCOMPARE(g_encodes.load(), encodesBefore);
    QCOMPARE(s->runner->generation(), generationBefore);
    QCOMPARE(covered->generation, visible->generation);
    QCOMPARE(covered->reconstruction.get(), visible->reconstruction.get());
    QCOMPARE(covered->bytes, visible->bytes);
    QCOMPARE(shown.count(), 0);  // no new reconstruction
    // The dimming follows: the shown mask is now the coverage itself.
    QCOMPARE(count(*model->shownMask()), coveredTexels);

    // All texels: no mask to dim, every texel counted.
    measured.clear();
    model->setMaskMode(MaskMode::All);
    QVERIFY(test::waitForCount(measured, 1));
    QTRY_VERIFY(!model->shownMask());
    QCOMPARE(s->result->metrics.texelsCompared, std::int64_t(160 * 96));
    QCOMPARE(g_encodes.load(), encodesBefore);
    // Setting the same mode again does nothing.
    model->setMaskMode(MaskMode::All);
    QCOMPARE(modeChanged.count(), 2);

    // A parameter change afterwards is measured over the new texels too.
    ParamSet params = s->params;
    params.set("quality", 42);
    measured.clear();
    model->setParams("counting", params, true);
    QVERIFY(test::waitForCount(measured, 1));
    QCOMPARE(s->result->mask, MaskMode::All);
    QCOMPARE(g_encodes.load(), encodesBefore + 1);
}

void TestWorkspaceModel::sweepPointsArrive() {
    auto model = makeModel();
    QVERIFY(openAndSettle(*model, good_));
    model->sweepRunner()->setMaxSteps(4);
    QSignalSpy points(model.get(), &WorkspaceModel::sweepPointAdded);
    QSignalSpy finished(model.get(), &WorkspaceModel::sweepFinished);
    QSignalSpy state(model.get(), &WorkspaceModel::sweepStateChanged);
    model->startSweep("counting");
    QVERIFY(model->state("counting")->sweepActive);
    QVERIFY(test::waitForCount(finished, 1, 60000));
    const auto& sweep = model->state("counting")->sweep;
    QCOMPARE(int(sweep.size()), 4);
    QCOMPARE(points.count(), 4);
    QCOMPARE(points.last().at(1).toInt(), 4);
    for (std::size_t i = 1; i < sweep.size(); ++i) QVERIFY(sweep[i].bitsPerTexel > sweep[i - 1].bitsPerTexel);
    QTRY_VERIFY(!model->state("counting")->sweepActive);
    QVERIFY(state.count() >= 2);  // started, progress, finished

    // A new image drops the points.
    QVERIFY(openAndSettle(*model, good_));
    QVERIFY(model->state("counting")->sweep.empty());
}

void TestWorkspaceModel::settingsRoundTrip() {
    const QString ini = QDir(dir_.path()).filePath(QStringLiteral("model.ini"));
    {
        auto model = makeModel(true);
        ParamSet params = model->state("counting")->params;
        params.set("quality", 33);
        model->setParams("counting", params);  // no image: stored, nothing encoded
        QVERIFY(!model->state("counting")->busy);
        model->setCodecEnabled("failing", false);
        StudioSettings settings(ini);
        model->saveSettings(settings);
        settings.sync();
    }
    StudioSettings settings(ini);
    QVERIFY(settings.codecParams(QStringLiteral("counting")).contains(QStringLiteral("quality=33")));
    QVERIFY(!settings.codecEnabled(QStringLiteral("failing")));
    auto model = makeModel(true);
    QSignalSpy enabled(model.get(), &WorkspaceModel::codecEnabledChanged);
    model->restoreSettings(settings);
    QCOMPARE(model->state("counting")->params.getInt("quality"), 33);
    QVERIFY(!model->state("failing")->enabled);
    QCOMPARE(enabled.count(), 1);
    QCOMPARE(model->enabledCodecs(), std::vector<std::string>{"counting"});
}

void TestWorkspaceModel::perMapOptimisedCodecIsOptIn() {
    // The built-in registry: overfit trains for minutes per map, so a new workspace leaves it off; once switched on
    // it stays on across sessions.
    WorkspaceModel::Options options;
    options.autoSweep = false;
    const QString ini = QDir(dir_.path()).filePath(QStringLiteral("optin.ini"));
    {
        WorkspaceModel model(options);
        QVERIFY(model.state("overfit") != nullptr);
        QVERIFY(!model.state("overfit")->enabled);
        QVERIFY(model.state("jpeg")->enabled);
        StudioSettings empty(ini);
        model.restoreSettings(empty);  // nothing stored: the default holds
        QVERIFY(!model.state("overfit")->enabled);
        model.setCodecEnabled("overfit", true);
        StudioSettings settings(ini);
        model.saveSettings(settings);
        settings.sync();
    }
    WorkspaceModel again(options);
    StudioSettings settings(ini);
    again.restoreSettings(settings);
    QVERIFY(again.state("overfit")->enabled);
}

void TestWorkspaceModel::negativeValuesChooseASignedMode() {
    // An SH-style map (signed values in covered texels): BC6H, which clamps negatives in UF16, is switched to SF16 for
    // it (its score would otherwise count what it throws away) and back on a map without negatives; JPEG-HDR has no
    // signed mode and is named as clamping. A choice the user makes afterwards is kept.
    Image signedMap = test::makeLightmap(64, 48);
    for (int y = 0; y < 48; ++y)
        for (int x = 0; x < 64; x += 2)
            if (signedMap.view().covered(x, y)) signedMap.texel(x, y)[1] = -0.25f;
    const QString signedPath = QDir(dir_.path()).filePath(QStringLiteral("signed.exr"));
    QVERIFY(writeExr(signedPath.toStdString(), signedMap.view()).ok());
    const QString plainPath = test::writeLightmap(QDir(dir_.path()), QStringLiteral("plain.exr"), 64, 48);

    WorkspaceModel::Options options;
    options.autoSweep = false;
    WorkspaceModel model(options);
    for (const auto& s : model.codecs()) model.setCodecEnabled(s->id, s->id == "bc6h" || s->id == "jpeg");
    const Codec& bc6h = *model.state("bc6h")->codec;
    const ParamSet unsignedParams = model.state("bc6h")->params;
    QVERIFY(!bc6h.traits(unsignedParams).keepsNegatives);
    QSignalSpy paramsChanged(&model, &WorkspaceModel::codecParamsChanged);

    QSignalSpy loaded(&model, &WorkspaceModel::imageLoaded);
    model.open(signedPath, "bc6h");
    QVERIFY(test::waitForCount(loaded, 1));
    QVERIFY(model.image()->stats.coveredNegativeCount > 0);
    QCOMPARE(model.image()->stats.coveredMinValue, -0.25f);
    QVERIFY(bc6h.traits(model.state("bc6h")->params).keepsNegatives);
    QCOMPARE(model.negativeValues().switched, std::vector<std::string>{"bc6h"});
    QCOMPARE(std::count(model.negativeValues().clamping.begin(), model.negativeValues().clamping.end(), "jpeg"), 1);
    QCOMPARE(paramsChanged.count(), 1);
    // The signed mode's result is what gets measured.
    QTRY_VERIFY_WITH_TIMEOUT(model.state("bc6h")->result && model.state("bc6h")->result->hasMetrics, 30000);
    QVERIFY(bc6h.traits(model.state("bc6h")->result->params).keepsNegatives);

    model.open(plainPath, "bc6h");
    QVERIFY(test::waitForCount(loaded, 2));
    QCOMPARE(model.image()->stats.coveredNegativeCount, std::int64_t{0});
    QVERIFY(model.state("bc6h")->params == unsignedParams);
    QVERIFY(model.negativeValues().switched.empty() && model.negativeValues().clamping.empty());

    // The user picks UF16 on a signed map: kept, and nothing is restored later.
    model.open(signedPath, "bc6h");
    QVERIFY(test::waitForCount(loaded, 3));
    model.setParams("bc6h", unsignedParams, true);
    model.open(plainPath, "bc6h");
    QVERIFY(test::waitForCount(loaded, 4));
    QVERIFY(model.state("bc6h")->params == unsignedParams);
    QTRY_VERIFY_WITH_TIMEOUT(!model.state("bc6h")->busy && !model.state("jpeg")->busy, 30000);
}

void TestWorkspaceModel::chainMetricsEqualEvaluate() {
    WorkspaceModel::Options options;
    options.autoSweep = false;
    WorkspaceModel model(options);
    for (const std::string& id : model.enabledCodecs())
        if (id != "jpeg") model.setCodecEnabled(id, false);
    ChartsPanel charts(model);  // follows the model's sweep points while hidden

    QVERIFY(!model.setGpuFormat("jpeg", "bc6h:sharpest"));  // refused, nothing changes
    QVERIFY(!model.setGpuFormat("nosuchcodec", "bc6h:fast"));
    QVERIFY(!model.state("jpeg")->gpuFormat);
    QVERIFY(gpuFormatChoices(model.registry(), *model.state("bc6h")->codec).empty());  // its own end point
    const auto choices = gpuFormatChoices(model.registry(), *model.state("jpeg")->codec);
    QVERIFY(std::find(choices.begin(), choices.end(), "bc6h:normal") != choices.end());
    QVERIFY(std::find(choices.begin(), choices.end(), "astc:6x6") != choices.end());
    QSignalSpy changed(&model, &WorkspaceModel::gpuFormatChanged);
    QVERIFY(model.setGpuFormat("jpeg", "bc6h:fast"));
    QCOMPARE(changed.count(), 1);
    QVERIFY(model.chainTitle("jpeg").contains(QStringLiteral("BC6H")));
    QVERIFY(openAndSettle(model, good_));

    const CodecState* s = model.state("jpeg");
    QVERIFY(s->result && s->result->hasMetrics);
    const CompressionResult& r = *s->result;
    QCOMPARE(r.gpuFormat, std::string("bc6h:fast"));
    QCOMPARE(r.vramBitsPerTexel, 8.0);
    QVERIFY(r.loadMs >= r.decodeMs);

    // The same chain by hand.
    auto gpu = parseGpuFormat(CodecRegistry::builtin(), "bc6h:fast");
    QVERIFY(gpu);
    EvaluateOptions byHand;
    byHand.metrics.normalization = model.image()->normalization.get();
    byHand.metrics.mask = model.maskMode();
    byHand.gpuFormat = &*gpu;
    const ImageView source = model.source()->view();
    auto e = evaluate(*s->codec, source, r.params, CodecContext{}, byHand);
    QVERIFY(e && e->metrics && e->chain && e->chain->metrics && e->chain->reconstruction);
    QCOMPARE(r.bytes, e->bytes.size());
    QCOMPARE(r.metrics.mPsnr, e->chain->metrics->mPsnr);
    QCOMPARE(r.metrics.logPsnr, e->chain->metrics->logPsnr);
    QCOMPARE(r.metrics.pu21Psnr, e->chain->metrics->pu21Psnr);
    // The chain's end, not the decoded map: BC6H loses something on top of JPEG-HDR.
    QVERIFY(r.metrics.logPsnr != e->metrics->logPsnr);
    const Image& shown = *r.reconstruction;
    const Image& expected = *e->chain->reconstruction;
    QCOMPARE(shown.width(), expected.width());
    bool same = true;
    for (int y = 0; y < shown.height() && same; ++y)
        for (int x = 0; x < shown.width() && same; ++x)
            for (int c = 0; c < 3; ++c) same = same && shown.texel(x, y)[c] == expected.texel(x, y)[c];
    QVERIFY2(same, "the tile's picture is the GPU texture's");

    // Sweep points (single-threaded, mPSNR and PU21-SSIM) and the chart series are the chain's quality.
    model.sweepRunner()->setMaxSteps(2);
    QSignalSpy finished(&model, &WorkspaceModel::sweepFinished);
    model.startSweep("jpeg");
    QVERIFY(test::waitForCount(finished, 1, 60000));
    QCOMPARE(int(s->sweep.size()), 2);
    const std::vector<QPointF> series = charts.chartView()->curvePoints(s->key, RdChartView::Metric::MPsnr);
    QCOMPARE(int(series.size()), 2);
    for (std::size_t i = 0; i < s->sweep.size(); ++i) {
        const SweepPoint& p = s->sweep[i];
        EvaluateOptions pointOptions = byHand;
        pointOptions.metrics.threads = 1;
        pointOptions.metrics.metrics = kMetricMPsnr | kMetricPu21Ssim;
        CodecContext one;
        one.threads = 1;
        auto pe = evaluate(*s->codec, source, p.params, one, pointOptions);
        QVERIFY(pe && pe->chain && pe->chain->metrics);
        QCOMPARE(p.gpuFormat, std::string("bc6h:fast"));
        QCOMPARE(p.bitsPerTexel, pe->bitsPerTexel);
        QCOMPARE(p.mPsnr, pe->chain->metrics->mPsnr);
        QCOMPARE(p.ssim, pe->chain->metrics->pu21Ssim);
        QVERIFY(p.mPsnr != pe->metrics->mPsnr);
        const bool plotted = std::any_of(series.begin(), series.end(), [&](const QPointF& q) {
            return qFuzzyCompare(q.x(), p.bitsPerTexel) && qFuzzyCompare(q.y(), p.mPsnr);
        });
        QVERIFY2(plotted, "the series plots disk bpp against the chain's mPSNR");
    }

    // Remembered with the codec's settings; an unreadable stored format leaves the codec without a chain.
    const QString ini = QDir(dir_.path()).filePath(QStringLiteral("chain.ini"));
    {
        StudioSettings settings(ini);
        model.saveSettings(settings);
        settings.sync();
        QCOMPARE(settings.codecGpuFormat(QStringLiteral("jpeg")), QStringLiteral("bc6h:fast"));
        QCOMPARE(settings.codecGpuFormat(QStringLiteral("avif")), QString());
        settings.setCodecGpuFormat(QStringLiteral("avif"), QStringLiteral("astc:99x99"));
        settings.sync();
    }
    StudioSettings settings(ini);
    WorkspaceModel restored(options);
    restored.restoreSettings(settings);
    QVERIFY(restored.state("jpeg")->gpuFormat);
    QCOMPARE(restored.state("jpeg")->gpuFormat->name, std::string("bc6h:fast"));
    QVERIFY(!restored.state("avif")->gpuFormat);
    // Back to none: the result is the decoded map again.
    QVERIFY(model.setGpuFormat("jpeg", ""));
    QVERIFY(!model.state("jpeg")->gpuFormat);
}

void TestWorkspaceModel::interimResultsKeepTheCodecBusy() {
    // A codec handing interim streams (per-map optimisation): each is shown and measured while the codec stays busy
    // with its progress; the final result ends it. Retimes and sweeps wait for the final one.
    WorkspaceModel::Options options;
    options.registry = &registryRefining_;
    options.autoSweep = false;
    WorkspaceModel model(options);
    std::vector<std::pair<bool, bool>> seen;  // (interim, busy) at each metrics update
    connect(&model, &WorkspaceModel::codecMetricsChanged, this, [&](const QString& key) {
        const CodecState* s = model.state(key.toStdString());
        seen.push_back({s->result->interim, s->busy});
    });
    QSignalSpy measured(&model, &WorkspaceModel::codecMetricsChanged);
    QSignalSpy loaded(&model, &WorkspaceModel::imageLoaded);
    model.open(good_, "refining");
    QVERIFY(test::waitForCount(loaded, 1));
    QVERIFY(test::waitForCount(measured, 3));
    QTest::qWait(50);
    const std::vector<std::pair<bool, bool>> expected{{true, true}, {true, true}, {false, false}};
    QCOMPARE(seen, expected);
    const CodecState* s = model.state("refining");
    QVERIFY(!s->result->interim && s->result->hasMetrics);
    QVERIFY(s->latencyStartNs >= 0);  // set by the final result, not the interim ones
}

QTEST_MAIN(TestWorkspaceModel)
#include "tst_workspace_model.moc"
