// The eval CSV reader (app/preset/eval_csv.h): the columns `lmc eval` writes, quoting, empty and infinite metrics,
// malformed files named by line, duplicate measurements, and the per-file and mean curves.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "app/preset/eval_csv.h"
#include "app/preset/metrics_csv.h"

namespace lmc::preset {
namespace {

const std::string kHeader =
    "file,codec,params,bytes,bpp,mpsnr,logpsnr,pu21psnr,ssim,encode_ms,decode_ms,rmse,max_abs_error,width,height,"
    "covered_fraction\n";

std::string row(const std::string& file, const std::string& codec, const std::string& params, double bpp, double mpsnr,
                double pu21 = 40.0) {
    char buf[256];
    std::snprintf(buf, sizeof buf, ",%s,%s,1000,%.4f,%.4f,45.0,%.4f,0.99,1.0,1.0,0.01,0.1,64,64,1.0\n", codec.c_str(),
                  params.c_str(), bpp, mpsnr, pu21);
    return csvField(file) + buf;
}

TEST(EvalCsv, ReadsWhatEvalWrites) {
    const std::string text = kHeader + row("a.exr", "jpeg", "quality=30;chroma=420", 0.25, 40.5, 41.25) +
                             row("dir, with comma/b.exr", "jpeg", "quality=30;chroma=420", 0.5, 38.0);
    auto rows = parseEvalCsv(text, "x.csv");
    ASSERT_TRUE(rows) << rows.error().message;
    ASSERT_EQ(rows->size(), 2u);
    EXPECT_EQ((*rows)[0].file, "a.exr");
    EXPECT_EQ((*rows)[0].codec, "jpeg");
    EXPECT_EQ((*rows)[0].params, "quality=30;chroma=420");
    EXPECT_DOUBLE_EQ((*rows)[0].bpp, 0.25);
    EXPECT_DOUBLE_EQ((*rows)[0].mPsnr, 40.5);
    EXPECT_DOUBLE_EQ((*rows)[0].metric(EvalMetric::Pu21Psnr), 41.25);
    EXPECT_DOUBLE_EQ((*rows)[0].metric(EvalMetric::LogPsnr), 45.0);
    EXPECT_DOUBLE_EQ((*rows)[0].metric(EvalMetric::Ssim), 0.99);
    EXPECT_EQ((*rows)[1].file, "dir, with comma/b.exr");
    EXPECT_EQ((*rows)[1].line, 3);
}

TEST(EvalCsv, ReadsTheMetricsCsvOfApplyAndExport) {
    // metrics_csv.h writes the same columns plus `output`; empty metrics (not computed) read as NaN.
    MetricsCsvRow r;
    r.file = "a \"quoted\".exr";
    r.codec = "bc6h";
    r.params = "level=3";
    r.bytes = 512;
    r.bpp = 8.0;
    r.output = "out.dds";
    const std::string text = metricsCsvHeader() + metricsCsvRow(r);
    auto rows = parseEvalCsv(text, "m.csv");
    ASSERT_TRUE(rows) << rows.error().message;
    ASSERT_EQ(rows->size(), 1u);
    EXPECT_EQ((*rows)[0].file, "a \"quoted\".exr");
    EXPECT_DOUBLE_EQ((*rows)[0].bpp, 8.0);
    EXPECT_TRUE(std::isnan((*rows)[0].mPsnr));
}

TEST(EvalCsv, InfinityCrlfAndBomAreAccepted) {
    const std::string text = "\xEF\xBB\xBF" + kHeader.substr(0, kHeader.size() - 1) + "\r\n" +
                             "a.exr,bc6h,,1000,8.0000,inf,inf,-inf,1.0,1,1,0,0,4,4,1\r\n\r\n";
    auto rows = parseEvalCsv(text, "x.csv");
    ASSERT_TRUE(rows) << rows.error().message;
    ASSERT_EQ(rows->size(), 1u);
    EXPECT_TRUE(std::isinf((*rows)[0].mPsnr) && (*rows)[0].mPsnr > 0);
    EXPECT_TRUE(std::isinf((*rows)[0].pu21Psnr) && (*rows)[0].pu21Psnr < 0);
    EXPECT_EQ((*rows)[0].params, "");
}

TEST(EvalCsv, MalformedFilesNameTheLine) {
    auto noColumn = parseEvalCsv("file,codec,params,bpp\na,b,c,1\n", "t.csv");
    ASSERT_FALSE(noColumn);
    EXPECT_EQ(noColumn.error().code, ErrorCode::CorruptData);
    EXPECT_NE(noColumn.error().message.find("t.csv: line 1: no 'mpsnr' column"), std::string::npos)
        << noColumn.error().message;
    std::string bad = row("b.exr", "jpeg", "q=1", 1, 30);  // "b.exr,jpeg,q=1,1000,1.0000,..."
    bad.replace(bad.find("1.0000"), 6, "1.x000");
    auto badNumber = parseEvalCsv(kHeader + row("a.exr", "jpeg", "q=1", 1, 30) + bad, "t.csv");
    ASSERT_FALSE(badNumber);
    EXPECT_NE(badNumber.error().message.find("t.csv: line 3: bpp '1.x000' is not a number"), std::string::npos)
        << badNumber.error().message;
    auto ragged = parseEvalCsv(kHeader + "a.exr,jpeg,q=1,1000,1.0\n", "t.csv");
    ASSERT_FALSE(ragged);
    EXPECT_NE(ragged.error().message.find("line 2: 5 fields, the header has 16"), std::string::npos)
        << ragged.error().message;
    auto unclosed = parseEvalCsv(kHeader + "\"a.exr,jpeg\n", "t.csv");
    ASSERT_FALSE(unclosed);
    EXPECT_NE(unclosed.error().message.find("never closed"), std::string::npos);
    EXPECT_FALSE(parseEvalCsv("", "t.csv"));
    EXPECT_FALSE(parseEvalCsv(kHeader + row("", "jpeg", "q=1", 1, 30), "t.csv"));
}

TEST(EvalCsv, SameMeasurementTwiceIsRefused) {
    const std::string dir = LMC_TEST_BINARY_DIR;
    const std::string a = dir + "/eval_a.csv", b = dir + "/eval_b.csv";
    std::ofstream(a) << kHeader << row("x.exr", "jpeg", "q=1", 1, 30);
    std::ofstream(b) << kHeader << row("y.exr", "jpeg", "q=1", 1, 30) << row("x.exr", "jpeg", "q=1", 1, 31);
    auto both = readEvalCsvs({a, b});
    ASSERT_FALSE(both);
    EXPECT_EQ(both.error().code, ErrorCode::InvalidArgument);
    EXPECT_NE(both.error().message.find("eval_a.csv line 2 and " + b + " line 3"), std::string::npos)
        << both.error().message;
    auto one = readEvalCsvs({b});
    ASSERT_TRUE(one);
    EXPECT_EQ(one->size(), 2u);
    auto missing = readEvalCsvs({dir + "/no_such.csv"});
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, ErrorCode::IoError);
}

TEST(EvalCsv, SeriesNameACsvsCurves) {
    const std::string dir = LMC_TEST_BINARY_DIR;
    EXPECT_EQ(parseEvalCsvInput("vae-networks=" + dir + "/x.csv").series, "vae-networks");
    EXPECT_EQ(parseEvalCsvInput("vae-networks=" + dir + "/x.csv").path, dir + "/x.csv");
    EXPECT_EQ(parseEvalCsvInput("a_1.b+c=x.csv").series, "a_1.b+c");
    for (const std::string plain : {"x.csv", "=x.csv", "name=", "dir/a=x.csv", "a b=x.csv"}) {
        EXPECT_EQ(parseEvalCsvInput(plain).series, "") << plain;
        EXPECT_EQ(parseEvalCsvInput(plain).path, plain) << plain;
    }
    // A file whose own name has the form is read as that file.
    const std::string odd = "named=like_a_series.csv";  // in the working directory: a name without a folder
    std::ofstream(odd) << kHeader << row("x.exr", "jpeg", "q=1", 1, 30);
    EXPECT_EQ(parseEvalCsvInput(odd).series, "");
    std::filesystem::remove(odd);
    EXPECT_EQ(parseEvalCsvInput(odd).series, "named");

    // The same CSV twice is refused as the same measurements; with a series the second one is its own curve.
    const std::string a = dir + "/eval_series.csv";
    std::ofstream(a) << kHeader << row("x.exr", "jpeg", "q=1", 1, 30) << row("x.exr", "jpeg", "q=2", 2, 33);
    EXPECT_FALSE(readEvalCsvs({a, a}));
    auto rows = readEvalCsvs({a, "jpeg-again=" + a});
    ASSERT_TRUE(rows) << rows.error().message;
    const EvalSet set(std::move(*rows));
    EXPECT_EQ(set.codecs(), (std::vector<std::string>{"jpeg", "jpeg-again"}));
    EXPECT_EQ(set.curve("jpeg-again", "x.exr", EvalMetric::MPsnr).size(), 2u);
    auto missing = readEvalCsvs({"name=" + dir + "/no_such.csv"});
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, ErrorCode::IoError);
}

TEST(EvalCsv, CurvesAndMeanCurves) {
    // jpeg: 3 settings on a and b, a fourth only on a; bc6h only on a and c; an infinite score drops a setting.
    const std::string text = kHeader + row("a", "jpeg", "q=30", 1.0, 30.0, 31.0) + row("a", "jpeg", "q=60", 2.0, 34) +
                             row("a", "jpeg", "q=90", 4.0, 38) + row("a", "jpeg", "q=99", 8.0, 45) +
                             row("b", "jpeg", "q=30", 3.0, 40.0, 33.0) + row("b", "jpeg", "q=60", 4.0, 44) +
                             row("b", "jpeg", "q=90", 6.0, 48) + row("a", "bc6h", "l=1", 8.0, 46) +
                             row("c", "bc6h", "l=1", 8.0, 50) + "a,jpeg,q=100,1000,9.0,inf,inf,inf,1,1,1,0,0,4,4,1\n" +
                             "b,jpeg,q=100,1000,9.0,inf,inf,inf,1,1,1,0,0,4,4,1\n";
    auto rows = parseEvalCsv(text, "t.csv");
    ASSERT_TRUE(rows) << rows.error().message;
    EvalSet set(std::move(*rows));
    EXPECT_EQ(set.codecs(), (std::vector<std::string>{"jpeg", "bc6h"}));
    EXPECT_EQ(set.files(), (std::vector<std::string>{"a", "b", "c"}));
    EXPECT_EQ(set.files("bc6h"), (std::vector<std::string>{"a", "c"}));
    EXPECT_EQ(set.commonFiles({"jpeg", "bc6h"}), (std::vector<std::string>{"a"}));
    EXPECT_TRUE(set.hasCodec("bc6h"));
    EXPECT_FALSE(set.hasCodec("astc"));

    const auto curve = set.curve("jpeg", "b", EvalMetric::MPsnr);
    ASSERT_EQ(curve.size(), 4u);
    EXPECT_EQ(curve[0].params, "q=30");
    EXPECT_DOUBLE_EQ(curve[0].bpp, 3.0);
    EXPECT_DOUBLE_EQ(curve[2].value, 48.0);

    const MeanCurve mean = set.meanCurve("jpeg", set.files("jpeg"), EvalMetric::MPsnr);
    ASSERT_EQ(mean.points.size(), 3u);
    EXPECT_EQ(mean.points[0].params, "q=30");
    EXPECT_DOUBLE_EQ(mean.points[0].bpp, 2.0);     // (1 + 3) / 2
    EXPECT_DOUBLE_EQ(mean.points[0].value, 35.0);  // (30 + 40) / 2
    EXPECT_DOUBLE_EQ(mean.points[2].value, 43.0);
    EXPECT_EQ(mean.incompleteSettings, (std::vector<std::string>{"q=99"}));
    EXPECT_EQ(mean.nonFiniteSettings, (std::vector<std::string>{"q=100"}));
    const MeanCurve pu = set.meanCurve("jpeg", set.files("jpeg"), EvalMetric::Pu21Psnr);
    EXPECT_DOUBLE_EQ(pu.points[0].value, 32.0);  // (31 + 33) / 2
    EXPECT_TRUE(set.meanCurve("jpeg", {}, EvalMetric::MPsnr).points.empty());

    EvalMetric m = EvalMetric::MPsnr;
    EXPECT_TRUE(parseEvalMetric("pu21psnr", m));
    EXPECT_EQ(m, EvalMetric::Pu21Psnr);
    EXPECT_STREQ(evalMetricLabel(m), "PU21-PSNR");
    EXPECT_FALSE(parseEvalMetric("PSNR", m));
}

}  // namespace
}  // namespace lmc::preset
