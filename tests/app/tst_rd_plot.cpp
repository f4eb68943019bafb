// lmstudio --rd-plot: eval CSVs -> mean curves -> RdChartView (PU21-PSNR and mPSNR charts, log bpp axis) -> PNG.
// Checks the plotted points against hand-computed means, what is left out and said so, the PNG (size, the codecs'
// colours on it), the command line, bad input, and the Chinese texts.
#include <QChart>
#include <QChartView>
#include <QFile>
#include <QImage>
#include <QLabel>
#include <QLogValueAxis>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

#include "app/studio/command_line.h"
#include "app/studio/language.h"
#include "app/studio/rd_plot.h"
#include "widgets/rd_chart.h"

using namespace lmc;
using namespace lmc::studio;
using Metric = RdChartView::Metric;

namespace {

const char* kHeader =
    "file,codec,params,bytes,bpp,mpsnr,logpsnr,pu21psnr,ssim,encode_ms,decode_ms,rmse,max_abs_error,width,height,"
    "covered_fraction\n";

QByteArray row(const char* file, const char* codec, const char* params, double bpp, double mpsnr, double pu21) {
    return QStringLiteral("%1,%2,%3,1000,%4,%5,50.0,%6,0.99,1.0,1.0,0.01,0.1,64,64,1.0\n")
        .arg(QLatin1String(file), QLatin1String(codec), QLatin1String(params))
        .arg(bpp, 0, 'f', 4)
        .arg(mpsnr, 0, 'f', 4)
        .arg(pu21, 0, 'f', 4)
        .toUtf8();
}

QString write(const QTemporaryDir& dir, const QString& name, const QByteArray& text) {
    const QString path = dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(text) != text.size()) qFatal("cannot write %s", qPrintable(path));
    return path;
}

// jpeg (first CSV) and bc6h (second CSV) on a.exr and b.exr. Left out of the means: c.exr (bc6h only), jpeg's
// q=99 (a.exr only) and bc6h's level=2 (infinite score on b.exr).
QStringList writeCsvs(const QTemporaryDir& dir) {
    QByteArray jpeg = kHeader;
    jpeg += row("a.exr", "jpeg", "q=30", 0.2, 30.0, 32.0) + row("a.exr", "jpeg", "q=60", 0.4, 34.0, 36.0) +
            row("a.exr", "jpeg", "q=90", 0.8, 38.0, 41.0) + row("b.exr", "jpeg", "q=30", 0.4, 36.0, 37.0) +
            row("b.exr", "jpeg", "q=60", 0.6, 40.0, 42.0) + row("b.exr", "jpeg", "q=90", 1.2, 44.0, 46.0) +
            row("a.exr", "jpeg", "q=99", 2.0, 50.0, 52.0);
    QByteArray bc6h = kHeader;
    bc6h += row("a.exr", "bc6h", "level=1", 0.5, 28.0, 30.0) + row("b.exr", "bc6h", "level=1", 0.5, 30.0, 31.0) +
            row("a.exr", "bc6h", "level=3", 8.0, 50.0, 54.0) + row("b.exr", "bc6h", "level=3", 8.0, 52.0, 55.0) +
            row("c.exr", "bc6h", "level=1", 0.5, 20.0, 20.0) + row("a.exr", "bc6h", "level=2", 2.0, 40.0, 41.0) +
            "b.exr,bc6h,level=2,1000,2.0000,inf,inf,inf,1,1,1,0,0,64,64,1\n";
    return {write(dir, QStringLiteral("jpeg.csv"), jpeg), write(dir, QStringLiteral("bc6h.csv"), bc6h)};
}

// How many pixels of `image` are close to `color` (antialiasing blends the edges of lines and dots).
int pixelsNear(const QImage& image, const QColor& color) {
    int n = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x) {
            const QColor c = image.pixelColor(x, y);
            if (std::abs(c.red() - color.red()) + std::abs(c.green() - color.green()) +
                    std::abs(c.blue() - color.blue()) <
                24)
                ++n;
        }
    return n;
}

int visibleChartViews(const QWidget& w) {
    int n = 0;
    for (QChartView* v : w.findChildren<QChartView*>())
        if (v->isVisible()) ++n;
    return n;
}

}  // namespace

class TestRdPlot : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QVERIFY(applyLanguage(QStringLiteral("en"))); }
    void meanCurvesArePlotted();
    void pngIsWritten();
    void singleMetricLayout();
    void badInputIsRefused();
    void commandLine();
    void runWritesThePlot();
    void chineseTexts();
};

void TestRdPlot::meanCurvesArePlotted() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    RdPlotWidget plot(RdPlotMetric::Both);
    QString error;
    QVERIFY2(plot.loadCsvs(writeCsvs(dir), &error), qPrintable(error));
    QCOMPARE(plot.chartView()->codecs(), QStringList({"jpeg", "bc6h"}));
    QCOMPARE(plot.fileCount(), 2);
    // jpeg means over a and b: bpp (0.2+0.4)/2, (0.4+0.6)/2, (0.8+1.2)/2; PU21 (32+37)/2, (36+42)/2, (41+46)/2.
    const auto pu21 = plot.chartView()->curvePoints("jpeg", Metric::Pu21Psnr);
    QCOMPARE(pu21.size(), std::size_t(3));
    QCOMPARE(pu21[0], QPointF(0.3, 34.5));
    QCOMPARE(pu21[1], QPointF(0.5, 39.0));
    QCOMPARE(pu21[2], QPointF(1.0, 43.5));
    const auto mpsnr = plot.chartView()->curvePoints("jpeg", Metric::MPsnr);
    QCOMPARE(mpsnr.size(), std::size_t(3));
    QCOMPARE(mpsnr[2], QPointF(1.0, 41.0));
    // bc6h: level=1 and level=3 (level=2 is infinite on b.exr; c.exr is not measured with jpeg).
    const auto bc6h = plot.chartView()->curvePoints("bc6h", Metric::Pu21Psnr);
    QCOMPARE(bc6h.size(), std::size_t(2));
    QCOMPARE(bc6h[0], QPointF(0.5, 30.5));
    QCOMPARE(bc6h[1], QPointF(8.0, 54.5));
    QVERIFY(plot.chartView()->curvePoints("bc6h", Metric::Ssim).empty());  // not plotted: NaN
    const QString notes = plot.notes().join('\n');
    QVERIFY2(notes.contains("1 of 3 lightmaps are left out"), qPrintable(notes));
    QVERIFY2(notes.contains("jpeg: settings missing on some lightmap are left out: q=99"), qPrintable(notes));
    QVERIFY2(notes.contains("bc6h, PU21-PSNR: settings with an infinite or missing score are left out: level=2"),
             qPrintable(notes));
    // The bpp axis is logarithmic (0.3 .. 8 bpp) and covers every point.
    auto* axis = qobject_cast<QLogValueAxis*>(plot.chartView()->metricChart(Metric::Pu21Psnr)->axes(Qt::Horizontal)[0]);
    QVERIFY(axis);
    QCOMPARE(axis->base(), 2.0);
    QVERIFY(axis->min() <= 0.3 && axis->min() > 0.125);
    QVERIFY(axis->max() >= 8.0 && axis->max() < 16.0);
}

void TestRdPlot::pngIsWritten() {
    QTemporaryDir dir;
    RdPlotWidget plot(RdPlotMetric::Both);
    QString error;
    QVERIFY2(plot.loadCsvs(writeCsvs(dir), &error), qPrintable(error));
    const QString png = dir.filePath("rd.png");
    QVERIFY2(plot.savePng(png, QSize(1600, 900), &error), qPrintable(error));
    QVERIFY(QFileInfo(png).size() > 10000);
    const QImage image(png);
    QCOMPARE(image.size(), QSize(1600, 900));
    QCOMPARE(visibleChartViews(plot), 2);
    // Both codecs' curves are on the image in their own colours (codecColor), and no third codec's.
    QVERIFY(pixelsNear(image, codecColor("jpeg")) > 200);
    QVERIFY(pixelsNear(image, codecColor("bc6h")) > 200);
    QVERIFY(pixelsNear(image, codecColor("avif")) < 20);
    // No partial or temporary file is left when the folder does not exist.
    QVERIFY(!plot.savePng(dir.filePath("missing/rd.png"), QSize(800, 600), &error));
    QVERIFY(error.contains("missing"));
    QVERIFY(!QFileInfo::exists(dir.filePath("missing")));
}

void TestRdPlot::singleMetricLayout() {
    QTemporaryDir dir;
    RdPlotWidget plot(RdPlotMetric::Pu21Psnr);
    QString error;
    QVERIFY2(plot.loadCsvs(writeCsvs(dir), &error), qPrintable(error));
    QVERIFY(plot.savePng(dir.filePath("pu21.png"), QSize(1000, 700), &error));
    QCOMPARE(visibleChartViews(plot), 1);
    QCOMPARE(plot.chartView()->options().shown, std::vector<Metric>{Metric::Pu21Psnr});
    QVERIFY(!plot.chartView()->options().showTimes);
    QCOMPARE(QImage(dir.filePath("pu21.png")).size(), QSize(1000, 700));
}

void TestRdPlot::badInputIsRefused() {
    QTemporaryDir dir;
    QString error;
    {
        RdPlotWidget plot(RdPlotMetric::Both);
        const QString bad = write(dir, "bad.csv", QByteArray(kHeader) + "a.exr,jpeg,q=1,1000,0.x,30,30,30,1\n");
        QVERIFY(!plot.loadCsvs({bad}, &error));
        QVERIFY2(error.contains("line 2"), qPrintable(error));
    }
    {
        RdPlotWidget plot(RdPlotMetric::Both);
        QVERIFY(!plot.loadCsvs({dir.filePath("none.csv")}, &error));
        QVERIFY2(error.contains("none.csv"), qPrintable(error));
    }
    {
        // Two codecs measured on different lightmaps: no common file, no comparable mean.
        RdPlotWidget plot(RdPlotMetric::Both);
        const QString split = write(
            dir, "split.csv",
            QByteArray(kHeader) + row("a.exr", "jpeg", "q=1", 1, 30, 30) + row("b.exr", "bc6h", "l=1", 8, 50, 50));
        QVERIFY(!plot.loadCsvs({split}, &error));
        QVERIFY2(error.contains("No lightmap was measured with every codec"), qPrintable(error));
    }
    {
        RdPlotWidget plot(RdPlotMetric::Both);
        const QString empty = write(dir, "empty.csv", QByteArray(kHeader));
        QVERIFY(!plot.loadCsvs({empty}, &error));
        QVERIFY(error.contains("no measurements"));
    }
}

void TestRdPlot::commandLine() {
    CommandLine cl =
        parseCommandLine({"lmstudio", "--rd-plot", "out.png", "--rd-metric", "pu21psnr", "a.csv", "b.csv"});
    QVERIFY2(cl.ok, qPrintable(cl.error));
    QCOMPARE(cl.rdPlotPath, QString("out.png"));
    QCOMPARE(cl.rdMetric, QString("pu21psnr"));
    QCOMPARE(cl.csvFiles, QStringList({"a.csv", "b.csv"}));
    QVERIFY(cl.file.isEmpty());
    cl = parseCommandLine({"lmstudio", "--rd-plot", "out.png", "a.csv"});
    QVERIFY(cl.ok);
    QCOMPARE(cl.rdMetric, QString("both"));
    QVERIFY(!parseCommandLine({"lmstudio", "--rd-plot", "out.png"}).ok);
    QVERIFY(!parseCommandLine({"lmstudio", "--rd-plot", "out.png", "--rd-metric", "ssim", "a.csv"}).ok);
    QVERIFY(!parseCommandLine({"lmstudio", "--rd-metric", "mpsnr", "a.exr"}).ok);
    QVERIFY(!parseCommandLine({"lmstudio", "--rd-plot", "o.png", "--screenshot", "s.png", "a.csv"}).ok);
    // Without --rd-plot, two positionals are still refused.
    QVERIFY(!parseCommandLine({"lmstudio", "a.exr", "b.exr"}).ok);
}

void TestRdPlot::runWritesThePlot() {
    QTemporaryDir dir;
    CommandLine cl;
    cl.rdPlotPath = dir.filePath("run.png");
    cl.rdMetric = "mpsnr";
    cl.csvFiles = writeCsvs(dir);
    QCOMPARE(runRdPlot(cl), 0);
    QCOMPARE(QImage(cl.rdPlotPath).size(), QSize(1600, 900));
    cl.rdPlotPath = dir.filePath("fail.png");
    cl.csvFiles = QStringList{dir.filePath("none.csv")};
    QCOMPARE(runRdPlot(cl), 1);
    QVERIFY(!QFileInfo::exists(cl.rdPlotPath));
}

void TestRdPlot::chineseTexts() {
    QTemporaryDir dir;
    RdPlotWidget plot(RdPlotMetric::Both);
    QString error;
    QVERIFY(plot.loadCsvs(writeCsvs(dir), &error));
    QVERIFY(applyLanguage(QStringLiteral("zh_CN")));
    QCoreApplication::processEvents();
    const QString title = plot.chartView()->metricChart(Metric::Pu21Psnr)->title();
    QCOMPARE(title, QString::fromUtf8("PU21-PSNR 与码率"));
    QCOMPARE(plot.chartView()->metricChart(Metric::Pu21Psnr)->axes(Qt::Horizontal)[0]->titleText(),
             QString::fromUtf8("每纹素比特数（对数刻度）"));
    const QString heading = plot.findChild<QLabel*>()->text();
    QVERIFY2(heading.contains(QString::fromUtf8("率失真曲线")) && heading.contains("2"), qPrintable(heading));
    QVERIFY(applyLanguage(QStringLiteral("en")));
    QCoreApplication::processEvents();
    QCOMPARE(plot.chartView()->metricChart(Metric::Pu21Psnr)->title(), QString("PU21-PSNR vs bitrate"));
}

QTEST_MAIN(TestRdPlot)
#include "tst_rd_plot.moc"
