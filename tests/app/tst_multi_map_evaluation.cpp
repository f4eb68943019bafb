// MultiMapEvaluation: sweeps of several codecs over several maps (found in folders), one row per point measured
// through evaluate() exactly as `lmc eval` would, a map that cannot be read reported once while the others go on,
// mean curves over the maps, the CSV reading back, and cancel stopping the run. The window's BD table compares as the
// Charts view does (compareBd): curves sharing too little quality show n/a with the Charts view's reason.
#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

#include <QComboBox>
#include <QTableWidget>

#include "app/studio/charts_panel.h"
#include "app/studio/multi_map_evaluation.h"
#include "app/studio/multi_map_window.h"
#include "app/studio/rd_summary.h"
#include "codec/bd_rate.h"
#include "codec/evaluate.h"
#include "codec/exr_io.h"
#include "test_support.h"
#include "widgets/rd_chart.h"

using namespace lmc;
using namespace lmc::studio;

class TestMultiMapEvaluation : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void collectsMapsFromFolders();
    void sweepsEveryCodecOnEveryMap();
    void cancelStopsTheRun();
    void windowShowsCurvesAndBdTable();
    void bdTableRefusesATinyOverlap();

private:
    QTemporaryDir dir_;
    QStringList maps_;
};

void TestMultiMapEvaluation::initTestCase() {
    QVERIFY(dir_.isValid());
    QDir root(dir_.path());
    QVERIFY(root.mkpath(QStringLiteral("level/sub")));
    test::writeLightmap(QDir(root.filePath(QStringLiteral("level"))), QStringLiteral("a.exr"), 64, 48);
    test::writeLightmap(QDir(root.filePath(QStringLiteral("level/sub"))), QStringLiteral("b.EXR"), 48, 64);
    QFile broken(root.filePath(QStringLiteral("level/sub/broken.exr")));
    QVERIFY(broken.open(QIODevice::WriteOnly));
    broken.write("not an EXR file at all");
    broken.close();
    QFile other(root.filePath(QStringLiteral("level/notes.txt")));
    QVERIFY(other.open(QIODevice::WriteOnly));
    other.close();
}

void TestMultiMapEvaluation::collectsMapsFromFolders() {
    maps_ = MultiMapEvaluation::collectMaps({QDir(dir_.path()).filePath(QStringLiteral("level"))});
    QCOMPARE(maps_.size(), 3);  // a.exr, sub/b.EXR, sub/broken.exr; not the .txt
    QVERIFY(maps_[0].endsWith(QStringLiteral("level/a.exr")));
    QVERIFY(maps_[1].endsWith(QStringLiteral("sub/b.EXR")));
    // A file given directly counts once even when its folder is given too.
    QCOMPARE(MultiMapEvaluation::collectMaps({maps_[0], QDir(dir_.path()).filePath(QStringLiteral("level"))}).size(),
             3);
}

void TestMultiMapEvaluation::sweepsEveryCodecOnEveryMap() {
    if (maps_.isEmpty()) maps_ = MultiMapEvaluation::collectMaps({dir_.path()});
    const CodecRegistry& registry = CodecRegistry::builtin();
    MultiMapEvaluation run(registry, nullptr);
    QSignalSpy finished(&run, &MultiMapEvaluation::finished);
    QSignalSpy failed(&run, &MultiMapEvaluation::mapFailed);
    const std::vector<MultiMapEvaluation::CodecSetup> codecs{
        {"jpeg", ParamSet::defaults(registry.find("jpeg")->schema())},
        {"bc6h", ParamSet::defaults(registry.find("bc6h")->schema())}};
    QVERIFY(run.start(maps_, codecs, MaskMode::Visible, 3));
    QCOMPARE(run.totalPoints(), 3 * (3 + 3));  // bc6h's rate has three choices
    QVERIFY(test::waitForCount(finished, 1, 60000));
    QCOMPARE(finished.at(0).at(0).toBool(), false);
    QCOMPARE(run.donePoints(), run.totalPoints());
    QVERIFY(!run.isRunning());
    QCOMPARE(failed.count(), 1);  // the broken map, once, blaming no codec
    QCOMPARE(failed.at(0).at(0).toString(), QStringLiteral("broken.exr"));
    QVERIFY(failed.at(0).at(1).toString().isEmpty());
    QCOMPARE(run.rows().size(), std::size_t(2 * 6));

    // A row is what evaluate() gives for that map and setting.
    const preset::EvalRow* row = nullptr;
    for (const auto& r : run.rows())
        if (r.file == "a.exr" && r.codec == "jpeg" && !row) row = &r;
    QVERIFY(row);
    auto loaded = readExr(maps_[0].toStdString());
    QVERIFY(loaded.ok());
    auto params = parseParamSet(registry.find("jpeg")->schema(), row->params);
    QVERIFY(params.ok());
    auto direct = evaluate(*registry.find("jpeg"), loaded->image.view(), *params, CodecContext{});
    QVERIFY(direct.ok() && direct->metrics);
    QCOMPARE(row->bpp, direct->bitsPerTexel);
    QVERIFY(std::abs(row->mPsnr - direct->metrics->mPsnr) < 1e-9);

    // Mean curves average each setting over the maps; the CSV reads back to the same rows.
    const preset::EvalSet set(run.rows());
    const auto mean = set.meanCurve("jpeg", {"a.exr", "b.EXR"}, preset::EvalMetric::MPsnr);
    QCOMPARE(mean.points.size(), std::size_t(3));
    const auto a = set.curve("jpeg", "a.exr", preset::EvalMetric::MPsnr);
    const auto b = set.curve("jpeg", "b.EXR", preset::EvalMetric::MPsnr);
    for (std::size_t i = 0; i < 3; ++i) QVERIFY(std::abs(mean.points[i].bpp - (a[i].bpp + b[i].bpp) / 2) < 1e-12);
    auto parsed = preset::parseEvalCsv(run.csv(), "run.csv");
    QVERIFY(parsed.ok());
    QCOMPARE(parsed->size(), run.rows().size());
    QCOMPARE((*parsed)[0].mask, std::string("visible"));
}

void TestMultiMapEvaluation::cancelStopsTheRun() {
    if (maps_.isEmpty()) maps_ = MultiMapEvaluation::collectMaps({dir_.path()});
    const CodecRegistry& registry = CodecRegistry::builtin();
    MultiMapEvaluation run(registry, nullptr);
    QSignalSpy finished(&run, &MultiMapEvaluation::finished);
    QSignalSpy added(&run, &MultiMapEvaluation::rowsAdded);
    QStringList many;
    for (int i = 0; i < 20; ++i) many << maps_[0];
    QVERIFY(run.start(many, {{"jpeg", ParamSet::defaults(registry.find("jpeg")->schema())}}, MaskMode::Visible, 8));
    QVERIFY(test::waitForCount(added, 1, 30000));
    run.cancel();
    QCOMPARE(finished.count(), 1);
    QCOMPARE(finished.at(0).at(0).toBool(), true);
    QVERIFY(!run.isRunning());
    const std::size_t rows = run.rows().size();
    QVERIFY(rows < std::size_t(20 * 8));
    QTest::qWait(300);
    QCOMPARE(run.rows().size(), rows);  // nothing arrives after cancel
    QCOMPARE(finished.count(), 1);
}

void TestMultiMapEvaluation::windowShowsCurvesAndBdTable() {
    const CodecRegistry& registry = CodecRegistry::builtin();
    MultiMapWindow window(registry, nullptr);
    window.setCodecs({{"jpeg", QStringLiteral("JPEG-HDR"), ParamSet::defaults(registry.find("jpeg")->schema()), true},
                      {"avif", QStringLiteral("AVIF"), ParamSet::defaults(registry.find("avif")->schema()), true},
                      {"exr", QStringLiteral("EXR"), ParamSet::defaults(registry.find("exr")->schema()), false}});
    QCOMPARE(window.referenceCombo()->currentData().toString(), QStringLiteral("avif"));  // the default reference
    window.addMaps({QDir(dir_.path()).filePath(QStringLiteral("level/a.exr")),
                    QDir(dir_.path()).filePath(QStringLiteral("level/sub/b.EXR"))});
    QCOMPARE(window.mapPaths().size(), 2);
    QSignalSpy finished(window.evaluation(), &MultiMapEvaluation::finished);
    QVERIFY(window.run());
    QVERIFY(test::waitForCount(finished, 1, 60000));
    QTest::qWait(50);

    // Unticked codecs are not run; the mean and each map can be shown.
    const preset::EvalSet set(window.evaluation()->rows());
    QCOMPARE(set.codecs().size(), std::size_t(2));
    QCOMPARE(window.mapCombo()->count(), 3);
    QCOMPARE(window.chartView()->curvePoints(QStringLiteral("jpeg"), RdChartView::Metric::MPsnr).size(),
             std::size_t(6));

    // The BD table: JPEG against AVIF, mean curve then each map, equal to the Charts view's compareBd on the same
    // curves (a number, or n/a with its reason).
    QTableWidget* table = window.bdTable();
    QCOMPARE(table->rowCount(), 1);
    QCOMPARE(table->columnCount(), 3);
    auto bd = [](const std::vector<preset::RdSample>& a, const std::vector<preset::RdSample>& b) {
        std::vector<RdSample> sa, sb;
        for (const auto& s : a) sa.push_back({s.bpp, s.value});
        for (const auto& s : b) sb.push_back({s.bpp, s.value});
        return compareBd(sa, sb);
    };
    auto check = [&](int column, const BdComparison& expected) {
        const QTableWidgetItem* item = table->item(0, column);
        if (expected.rateStatus == BdStatus::Ok) {
            QCOMPARE(item->data(Qt::UserRole).toDouble(), expected.bdRatePercent);
        } else {
            QVERIFY(!item->data(Qt::UserRole).isValid());
            QCOMPARE(item->toolTip(), ChartsPanel::bdReason(expected, true));
        }
    };
    const int column = table->horizontalHeaderItem(1)->text() == QStringLiteral("a.exr") ? 1 : 2;
    check(column, bd(set.curve("avif", "a.exr", preset::EvalMetric::MPsnr),
                     set.curve("jpeg", "a.exr", preset::EvalMetric::MPsnr)));
    check(0, bd(set.meanCurve("avif", {"a.exr", "b.EXR"}, preset::EvalMetric::MPsnr).points,
                set.meanCurve("jpeg", {"a.exr", "b.EXR"}, preset::EvalMetric::MPsnr).points));

    // Another reference swaps the roles.
    window.referenceCombo()->setCurrentIndex(window.referenceCombo()->findData(QStringLiteral("jpeg")));
    QCOMPARE(table->verticalHeaderItem(0)->text(), QStringLiteral("AVIF"));
}

void TestMultiMapEvaluation::bdTableRefusesATinyOverlap() {
    // Two maps: on "tiny.exr" JPEG's curve starts 0.2 dB below AVIF's best point (raw bdRate would still give a
    // number from that sliver); on "wide.exr" the curves share 6 dB.
    auto row = [](const char* file, const char* codec, int setting, double bpp, double db) {
        preset::EvalRow r;
        r.file = file;
        r.codec = codec;
        r.params = std::string("q=") + std::to_string(setting);
        r.bpp = bpp;
        r.mPsnr = r.logPsnr = r.pu21Psnr = db;
        r.ssim = 0.99;
        return r;
    };
    std::vector<preset::EvalRow> rows;
    for (int i = 0; i < 4; ++i) {
        rows.push_back(row("tiny.exr", "avif", i, 0.1 * (i + 1), 34.0 + 2.0 * i));  // 34..40 dB
        rows.push_back(row("tiny.exr", "jpeg", i, 1.0 * (i + 1), 39.8 + 3.0 * i));  // 39.8..48.8 dB
        rows.push_back(row("wide.exr", "avif", i, 0.1 * (i + 1), 30.0 + 3.0 * i));  // 30..39 dB
        rows.push_back(row("wide.exr", "jpeg", i, 0.2 * (i + 1), 33.0 + 3.0 * i));  // 33..42 dB
    }
    auto samples = [&](const char* file, const char* codec) {
        std::vector<RdSample> s;
        for (const auto& r : rows)
            if (r.file == file && r.codec == codec) s.push_back({r.bpp, r.mPsnr});
        return s;
    };
    const BdComparison tiny = compareBd(samples("tiny.exr", "avif"), samples("tiny.exr", "jpeg"));
    QCOMPARE(tiny.rateStatus, BdStatus::OverlapTooSmall);
    std::vector<BdPoint> pa, pb;
    for (const auto& s : samples("tiny.exr", "avif")) pa.push_back({s.bpp, s.quality});
    for (const auto& s : samples("tiny.exr", "jpeg")) pb.push_back({s.bpp, s.quality});
    QVERIFY(bdRate(pa, pb).ok());  // what the window showed before: a number from a 0.2 dB sliver

    const CodecRegistry& registry = CodecRegistry::builtin();
    MultiMapWindow window(registry, nullptr);
    window.setCodecs({{"jpeg", QStringLiteral("JPEG-HDR"), ParamSet::defaults(registry.find("jpeg")->schema()), true},
                      {"avif", QStringLiteral("AVIF"), ParamSet::defaults(registry.find("avif")->schema()), true}});
    window.evaluation()->setRows(rows);
    QTableWidget* table = window.bdTable();
    QCOMPARE(table->rowCount(), 1);
    QCOMPARE(table->columnCount(), 3);
    const int tinyColumn = table->horizontalHeaderItem(1)->text() == QStringLiteral("tiny.exr") ? 1 : 2;
    const int wideColumn = 3 - tinyColumn;
    QCOMPARE(table->horizontalHeaderItem(wideColumn)->text(), QStringLiteral("wide.exr"));
    const QTableWidgetItem* refused = table->item(0, tinyColumn);
    QCOMPARE(refused->text(), QStringLiteral("n/a"));
    QVERIFY(!refused->data(Qt::UserRole).isValid());
    QCOMPARE(refused->toolTip(), ChartsPanel::bdReason(tiny, true));
    const BdComparison wide = compareBd(samples("wide.exr", "avif"), samples("wide.exr", "jpeg"));
    QCOMPARE(wide.rateStatus, BdStatus::Ok);
    QCOMPARE(table->item(0, wideColumn)->data(Qt::UserRole).toDouble(), wide.bdRatePercent);
}

QTEST_MAIN(TestMultiMapEvaluation)
#include "tst_multi_map_evaluation.moc"
