// The Charts view's numbers and panel: the target readout (interpolation in log bpp on the operational curve, the
// setting within a budget or the cheapest reaching a quality, out-of-range cases), the Bjøntegaard comparison
// against codec/bd_rate on the same points (and n/a for curves that barely overlap), and the panel over a real
// workspace (JPEG-HDR and AVIF swept on a small lightmap): AVIF the default reference, the BD table equal to
// codec/bd_rate on the model's sweep points, target rows sorted best first, and a click on a chart point applying
// that point's parameters to the codec (it is compressed again at that setting).
#include <QChartView>
#include <QCheckBox>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

#include "app/studio/charts_panel.h"
#include "app/studio/rd_summary.h"
#include "app/studio/workspace_model.h"
#include "codec/avif_codec.h"
#include "codec/bd_rate.h"
#include "codec/jpeg_codec.h"
#include "test_support.h"

using namespace lmc;
using namespace lmc::studio;

class TestChartsPanel : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void readoutAtRate();
    void readoutAtQuality();
    void bdMatchesBdRate();
    void bdNeedsOverlap();
    void panelOverWorkspace();

private:
    QTemporaryDir dir_;
    QString map_;
    CodecRegistry registry_;
};

void TestChartsPanel::initTestCase() {
    QVERIFY(dir_.isValid());
    map_ = test::writeLightmap(QDir(dir_.path()), QStringLiteral("map.exr"), 128, 96);
    registry_.add(makeJpegCodec());
    registry_.add(makeAvifCodec());
}

namespace {
// 0.5, 1, 2 bpp at 30, 35, 40 dB, plus a setting another beats with fewer bits (index 3).
std::vector<RdSample> curve() {
    return {{2.0, 40.0, 0}, {0.5, 30.0, 1}, {1.5, 33.0, 3}, {1.0, 35.0, 2}, {3.0, std::nan(""), 4}};
}
}  // namespace

void TestChartsPanel::readoutAtRate() {
    // Halfway between 1 and 2 bpp on a log axis is sqrt(2) bpp: halfway in quality too.
    TargetReading r = readAtRate(curve(), std::sqrt(2.0));
    QCOMPARE(int(r.status), int(ReadoutStatus::Ok));
    QVERIFY(std::abs(r.quality - 37.5) < 1e-9);
    QCOMPARE(r.index, 2);  // 1 bpp is the best setting within the budget (1.5 bpp is beaten by it)
    QCOMPARE(r.settingBpp, 1.0);
    r = readAtRate(curve(), 1.0);
    QCOMPARE(r.quality, 35.0);
    QCOMPARE(r.index, 2);
    r = readAtRate(curve(), 0.25);
    QCOMPARE(int(r.status), int(ReadoutStatus::BelowRange));
    QCOMPARE(r.index, -1);
    r = readAtRate(curve(), 8.0);
    QCOMPARE(int(r.status), int(ReadoutStatus::AboveRange));
    QCOMPARE(r.index, 0);  // the most expensive setting fits
    QCOMPARE(int(readAtRate({}, 1.0).status), int(ReadoutStatus::NoCurve));
}

void TestChartsPanel::readoutAtQuality() {
    TargetReading r = readAtQuality(curve(), 37.5);
    QCOMPARE(int(r.status), int(ReadoutStatus::Ok));
    QVERIFY(std::abs(r.bpp - std::sqrt(2.0)) < 1e-9);
    QCOMPARE(r.index, 0);  // the cheapest setting reaching 37.5 dB: 2 bpp
    r = readAtQuality(curve(), 32.0);
    QCOMPARE(r.index, 2);  // 1 bpp reaches it; 1.5 bpp (33 dB) is never the pick
    r = readAtQuality(curve(), 45.0);
    QCOMPARE(int(r.status), int(ReadoutStatus::AboveRange));
    QCOMPARE(r.index, -1);
    r = readAtQuality(curve(), 20.0);
    QCOMPARE(int(r.status), int(ReadoutStatus::BelowRange));
    QCOMPARE(r.index, 1);
    QCOMPARE(r.bpp, 0.5);
}

void TestChartsPanel::bdMatchesBdRate() {
    const std::vector<RdSample> ref{{0.4, 31.0, 0}, {0.9, 35.5, 1}, {1.8, 39.0, 2}, {3.5, 42.0, 3}, {1.2, 34.0, 4}};
    const std::vector<RdSample> test{{0.3, 30.0, 0}, {0.7, 34.0, 1}, {1.5, 38.5, 2}, {3.0, 42.5, 3}};
    auto points = [](const std::vector<RdSample>& s) {
        std::vector<BdPoint> out;
        for (const RdSample& p : s) out.push_back({p.bpp, p.quality});
        return paretoFront(out);
    };
    const BdComparison c = compareBd(ref, test);
    QCOMPARE(int(c.rateStatus), int(BdStatus::Ok));
    QCOMPARE(int(c.qualityStatus), int(BdStatus::Ok));
    QCOMPARE(c.bdRatePercent, *bdRate(points(ref), points(test)));
    QCOMPARE(c.bdQualityDb, *bdQuality(points(ref), points(test)));
    QVERIFY(c.bdRatePercent < 0 && c.bdQualityDb > 0);  // the test curve lies left of / above the reference
    QCOMPARE(c.qualityLo, 31.0);
    QCOMPARE(c.qualityHi, 42.0);
    QCOMPARE(c.bppLo, 0.4);
    QCOMPARE(c.bppHi, 3.0);
}

void TestChartsPanel::bdNeedsOverlap() {
    const std::vector<RdSample> ref{{0.5, 30.0, 0}, {1.0, 35.0, 1}};
    // Shares 34.8..35 dB only: too small for BD-rate; the bitrate ranges share nothing.
    const BdComparison c = compareBd(ref, {{2.0, 34.8, 0}, {4.0, 40.0, 1}});
    QCOMPARE(int(c.rateStatus), int(BdStatus::OverlapTooSmall));
    QCOMPARE(int(c.qualityStatus), int(BdStatus::NoOverlap));
    QCOMPARE(int(compareBd(ref, {{1.0, 33.0, 0}}).rateStatus), int(BdStatus::TooFewPoints));
    QCOMPARE(int(compareBd(ref, {{0.6, 40.0, 0}, {0.9, 45.0, 1}}).rateStatus), int(BdStatus::NoOverlap));
}

void TestChartsPanel::panelOverWorkspace() {
    WorkspaceModel::Options options;
    options.registry = &registry_;
    options.autoSweep = false;
    WorkspaceModel model(options);
    ChartsPanel panel(model);
    panel.resize(1300, 600);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    QCOMPARE(panel.reference(), std::string("avif"));
    QVERIFY(panel.chartView()->logRateAxis());
    // The default target, 1 bpp, is drawn from the start.
    QCOMPARE(int(panel.chartView()->target().kind), int(RdChartView::Target::Kind::Rate));
    QCOMPARE(panel.chartView()->target().value, 1.0);

    QSignalSpy loaded(&model, &WorkspaceModel::imageLoaded);
    model.open(map_, "jpeg");
    QVERIFY(test::waitForCount(loaded, 1));
    model.sweepRunner()->setMaxSteps(5);
    QSignalSpy finished(&model, &WorkspaceModel::sweepFinished);
    model.startSweep("jpeg");
    model.startSweep("avif");
    QVERIFY(test::waitForCount(finished, 2, 120000));

    // The BD table: JPEG-HDR against AVIF, equal to codec/bd_rate on the model's points.
    auto front = [&](const std::string& id) {
        std::vector<BdPoint> pts;
        for (const SweepPoint& p : model.state(id)->sweep) pts.push_back({p.bitsPerTexel, p.mPsnr});
        return paretoFront(pts);
    };
    QCOMPARE(int(panel.bdRows().size()), 1);
    const ChartsPanel::BdRow& row = panel.bdRows().front();
    QCOMPARE(row.codecId, std::string("jpeg"));
    QCOMPARE(int(row.bd.rateStatus), int(BdStatus::Ok));
    const Result<double> expectedRate = bdRate(front("avif"), front("jpeg"));
    QVERIFY(expectedRate);
    QCOMPARE(row.bd.bdRatePercent, *expectedRate);
    QCOMPARE(panel.bdTable()->item(0, 1)->text(), QStringLiteral("%1%").arg(QLocale().toString(*expectedRate, 'f', 1)));
    if (row.bd.qualityStatus == BdStatus::Ok) QCOMPARE(row.bd.bdQualityDb, *bdQuality(front("avif"), front("jpeg")));

    // Target readout at 1 bpp (the default), on the same samples, best first.
    QCOMPARE(int(panel.targetRows().size()), 2);
    for (const auto& t : panel.targetRows()) {
        const TargetReading expected =
            readAtRate(ChartsPanel::samples(*model.state(t.codecId), RdChartView::Metric::MPsnr), 1.0);
        QCOMPARE(int(t.reading.status), int(expected.status));
        QCOMPARE(t.reading.quality, expected.quality);
        QCOMPARE(t.reading.index, expected.index);
    }
    if (panel.targetRows()[0].reading.status == ReadoutStatus::Ok &&
        panel.targetRows()[1].reading.status == ReadoutStatus::Ok)
        QVERIFY(panel.targetRows()[0].reading.quality >= panel.targetRows()[1].reading.quality);
    // SSIM in dB reads the same way.
    panel.setReadoutMetric(RdChartView::Metric::Ssim);
    const TargetReading ssim = readAtRate(ChartsPanel::samples(*model.state("jpeg"), RdChartView::Metric::Ssim), 1.0);
    for (const auto& t : panel.targetRows())
        if (t.codecId == "jpeg") QCOMPARE(t.reading.quality, ssim.quality);
    // The Log bitrate axis check box switches the chart to a linear axis and back.
    auto* logCheck = panel.findChild<QCheckBox*>(QStringLiteral("logAxisCheck"));
    QVERIFY(logCheck && logCheck->isChecked());
    logCheck->click();
    QVERIFY(!panel.chartView()->logRateAxis());
    logCheck->click();
    QVERIFY(panel.chartView()->logRateAxis());
    // A quality target: the bitrate each codec needs.
    panel.setTarget(RdChartView::Target::Kind::Quality, 15.0);
    QCOMPARE(panel.chartView()->targetLine(RdChartView::Metric::Ssim).size(), std::size_t(2));

    // A click on a chart point applies its setting: the codec's parameters become the point's and it is compressed
    // again, giving that point's bitrate.
    const auto& sweep = model.state("jpeg")->sweep;
    QVERIFY(sweep.size() >= 3);
    const int index = 1;
    QVERIFY(model.state("jpeg")->params != sweep[index].params);
    QTest::qWait(50);
    QSignalSpy applied(&panel, &ChartsPanel::pointApplied);
    QSignalSpy measured(&model, &WorkspaceModel::codecMetricsChanged);
    QSignalSpy paramsApplied(&model, &WorkspaceModel::codecParamsChanged);
    // The SSIM chart is the one shown now (the metric choice switches it).
    QVERIFY(panel.chartView()->metricView(RdChartView::Metric::Ssim)->isVisible());
    QVERIFY(!panel.chartView()->metricView(RdChartView::Metric::MPsnr)->isVisible());
    const auto pos = panel.chartView()->pointPosition("jpeg", RdChartView::Metric::Ssim, index);
    QVERIFY(pos);
    QTest::mouseClick(panel.chartView()->metricView(RdChartView::Metric::Ssim)->viewport(), Qt::LeftButton, {}, *pos);
    QTRY_COMPARE(applied.count(), 1);
    QCOMPARE(applied.first().at(0).value<std::string>(), std::string("jpeg"));
    QCOMPARE(paramsApplied.count(), 1);
    QVERIFY(model.state("jpeg")->params == sweep[index].params);
    QVERIFY(test::waitForCount(measured, 1, 60000));
    QCOMPARE(model.state("jpeg")->result->bitsPerTexel, sweep[index].bitsPerTexel);
    QVERIFY(!model.applySweepPoint("jpeg", int(sweep.size())));  // an unknown point changes nothing
}

QTEST_MAIN(TestChartsPanel)
#include "tst_charts_panel.moc"
