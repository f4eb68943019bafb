// solveRate (codec/rate_solve.h): quality targets reached with the fewest bytes on a baked map for an Int rate
// parameter (JPEG-HDR quality) and a Float one searched downwards on a log axis (JPEG XL distance), bpp budgets
// kept, unreachable targets flagged with the best effort, a non-monotonic codec never answered with an infeasible
// point, and the errors (no rate parameter, bad target, cancellation, chains).
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "codec/evaluate.h"
#include "codec/rate_solve.h"
#include "codec_test_support.h"

namespace lmc {
namespace {

// A small interior bake by our baker (charts, gutters, soft and hard light), made once.
const Image& solveMap() {
    static const Image image = test::bakedTestMap(11, 160, 128);
    return image;
}

// The measured value of the target's metric for `params`, through the one pipeline.
Evaluation measured(const Codec& codec, const ParamSet& params) {
    auto e = evaluate(codec, solveMap().view(), params, test::threadsContext(2));
    EXPECT_FALSE(firstFailure(e).has_value());
    return e.ok() ? std::move(e).value() : Evaluation{};
}

ParamSet withValue(const Codec& codec, const char* id, double value) {
    ParamSet p = ParamSet::defaults(codec.schema());
    p.set(id, value);
    return p;
}

// Every probe the search marks feasible meets the target, and the answer is the fewest-bytes one of them.
void expectConsistentProbes(const SolveResult& r, const SolveTarget& target) {
    std::uint64_t fewest = std::numeric_limits<std::uint64_t>::max();
    for (const SolveProbe& p : r.probes) {
        if (target.metric == SolveMetric::Bpp)
            EXPECT_EQ(p.feasible, p.bitsPerTexel <= target.value) << p.rateValue;
        else
            EXPECT_EQ(p.feasible, p.value >= target.value) << p.rateValue;
        if (p.feasible) fewest = std::min(fewest, p.bytes);
    }
    if (r.reached && target.metric != SolveMetric::Bpp) EXPECT_EQ(r.evaluation.bytes.size(), fewest);
    EXPECT_EQ(int(r.probes.size()), r.evaluations);
}

TEST(RateSolve, ParsesAndFormatsTargets) {
    auto t = parseSolveTarget("mpsnr=45");
    ASSERT_TRUE(t.ok());
    EXPECT_EQ(t->metric, SolveMetric::MPsnr);
    EXPECT_EQ(t->value, 45.0);
    EXPECT_EQ(formatSolveTarget(*t), "mpsnr=45");
    auto b = parseSolveTarget("bpp=0.75");
    ASSERT_TRUE(b.ok());
    EXPECT_EQ(b->metric, SolveMetric::Bpp);
    EXPECT_EQ(formatSolveTarget(*b), "bpp=0.75");
    EXPECT_TRUE(parseSolveTarget("pu21psnr=40").ok());
    EXPECT_TRUE(parseSolveTarget("logpsnr=50.5").ok());
    for (const char* bad :
         {"psnr=45", "mpsnr", "mpsnr=", "mpsnr=4x", "mpsnr=-3", "bpp=0", "mpsnr=nan", "=45", "mpsnr=inf"}) {
        auto r = parseSolveTarget(bad);
        ASSERT_FALSE(r.ok()) << bad;
        EXPECT_EQ(r.error().code, ErrorCode::InvalidArgument);
    }
}

// JPEG-HDR quality (Int, more bits upwards): with no tolerance the search converges to the exact boundary, so one
// quality step below the answer misses the target.
TEST(RateSolve, IntRateReachesMPsnrWithFewestBytes) {
    const Codec& jpeg = test::builtinCodec("jpeg");
    const double low = measured(jpeg, withValue(jpeg, "quality", 40)).metrics->mPsnr;
    const double high = measured(jpeg, withValue(jpeg, "quality", 95)).metrics->mPsnr;
    ASSERT_GT(high, low + 2);
    const SolveTarget target{SolveMetric::MPsnr, (low + high) / 2};
    SolveOptions options;
    options.qualityToleranceDb = 0;
    options.maxEvaluations = 20;
    auto r =
        solveRate(jpeg, solveMap().view(), ParamSet::defaults(jpeg.schema()), target, test::threadsContext(2), options);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_TRUE(r->reached);
    EXPECT_EQ(r->rateParam, "quality");
    EXPECT_GE(r->achieved, target.value);
    ASSERT_TRUE(r->evaluation.metrics.has_value());
    EXPECT_EQ(r->evaluation.metrics->mPsnr, r->achieved);
    EXPECT_TRUE(std::isfinite(r->evaluation.metrics->pu21Ssim));  // completed beyond the searched metric
    EXPECT_EQ(r->params.get("quality"), r->rateValue);
    EXPECT_EQ(r->params.get("chroma"), ParamSet::defaults(jpeg.schema()).get("chroma"));  // fixed params kept
    EXPECT_LE(r->evaluations, 12) << "bracketing plus interpolation should need few probes";
    expectConsistentProbes(*r, target);
    // The same setting through evaluate() gives the same stream and number.
    const Evaluation again = measured(jpeg, r->params);
    EXPECT_EQ(again.bytes, r->evaluation.bytes);
    EXPECT_EQ(again.metrics->mPsnr, r->achieved);
    const Evaluation below = measured(jpeg, withValue(jpeg, "quality", r->rateValue - 1));
    EXPECT_LT(below.metrics->mPsnr, target.value);
}

// JPEG XL distance: a Float searched on a log axis in the fewer-bits-upwards direction, for PU21-PSNR and
// log-PSNR targets, within the default tolerance.
TEST(RateSolve, FloatRateDownwardsReachesPu21AndLogTargets) {
    const Codec& jxl = test::builtinCodec("jxl");
    ParamSet fixed = ParamSet::defaults(jxl.schema());
    fixed.set("effort", 3);
    for (SolveMetric metric : {SolveMetric::Pu21Psnr, SolveMetric::LogPsnr}) {
        ParamSet coarse = fixed, fine = fixed;
        coarse.set("distance", 6);
        fine.set("distance", 0.5);
        const Evaluation a = measured(jxl, coarse), b = measured(jxl, fine);
        const double va = solveMetricValue(metric, a), vb = solveMetricValue(metric, b);
        ASSERT_GT(vb, va + 2) << solveMetricName(metric);
        const SolveTarget target{metric, (va + vb) / 2};
        auto r = solveRate(jxl, solveMap().view(), fixed, target, test::threadsContext(2));
        ASSERT_TRUE(r.ok()) << r.error().message;
        EXPECT_TRUE(r->reached) << solveMetricName(metric);
        EXPECT_GE(r->achieved, target.value);
        EXPECT_EQ(solveMetricValue(metric, r->evaluation), r->achieved);
        EXPECT_GT(r->rateValue, 0.5);
        EXPECT_LT(r->rateValue, 6);
        EXPECT_EQ(r->params.get("effort"), 3);
        EXPECT_LE(r->evaluations, SolveOptions{}.maxEvaluations);
        expectConsistentProbes(*r, target);
    }
}

// A bpp budget: the answer stays within it, and with no tolerance one quality step up would exceed it.
TEST(RateSolve, BppBudgetKept) {
    const Codec& jpeg = test::builtinCodec("jpeg");
    const double low = measured(jpeg, withValue(jpeg, "quality", 30)).bitsPerTexel;
    const double high = measured(jpeg, withValue(jpeg, "quality", 90)).bitsPerTexel;
    const SolveTarget target{SolveMetric::Bpp, (low + high) / 2};
    SolveOptions options;
    options.bppTolerance = 0;
    options.maxEvaluations = 20;
    auto r =
        solveRate(jpeg, solveMap().view(), ParamSet::defaults(jpeg.schema()), target, test::threadsContext(2), options);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_TRUE(r->reached);
    EXPECT_LE(r->evaluation.bitsPerTexel, target.value);
    EXPECT_EQ(r->achieved, r->evaluation.bitsPerTexel);
    expectConsistentProbes(*r, target);
    const Evaluation above = measured(jpeg, withValue(jpeg, "quality", r->rateValue + 1));
    EXPECT_GT(above.bitsPerTexel, target.value);
}

// Targets no setting meets: flagged, with the best effort (the most bits for a quality, the fewest for a budget).
TEST(RateSolve, UnreachableTargetsFlaggedWithBestEffort) {
    const Codec& jpeg = test::builtinCodec("jpeg");
    auto q = solveRate(jpeg, solveMap().view(), ParamSet::defaults(jpeg.schema()), {SolveMetric::MPsnr, 300},
                       test::threadsContext(2));
    ASSERT_TRUE(q.ok()) << q.error().message;
    EXPECT_FALSE(q->reached);
    EXPECT_LT(q->achieved, 300);
    EXPECT_EQ(q->rateValue, 100);
    EXPECT_FALSE(q->evaluation.bytes.empty());
    for (const SolveProbe& p : q->probes) EXPECT_FALSE(p.feasible);

    auto b = solveRate(jpeg, solveMap().view(), ParamSet::defaults(jpeg.schema()), {SolveMetric::Bpp, 0.001},
                       test::threadsContext(2));
    ASSERT_TRUE(b.ok()) << b.error().message;
    EXPECT_FALSE(b->reached);
    EXPECT_GT(b->evaluation.bitsPerTexel, 0.001);
    EXPECT_EQ(b->rateValue, 1);
}

// A test codec whose quality and size jump around with its rate value: q = 3 is a freak small, good point, and
// the error does not fall monotonically. The stream carries q and the size; the decoder scales the source pattern
// by (1 + error[q]).
constexpr double kFreakError[] = {0.5, 0.3, 0.2, 0.02, 0.15, 0.1, 0.12, 0.05, 0.06, 0.03, 0.001};
constexpr int kFreakPadding[] = {100, 200, 300, 150, 500, 600, 700, 800, 900, 1000, 1100};

class FreakCodec final : public Codec {
public:
    bool withRate = true;
    std::string id() const override { return "freak"; }
    std::string name() const override { return "Freak"; }
    std::string description() const override { return "non-monotonic test codec"; }
    ParamSchema schema() const override {
        ParamSpec q = intParam("q", "Q", "test", 0, 10, 10);
        return {withRate ? asRate(q) : q};
    }
    Result<Bytes> encode(const ImageView& image, const ParamSet& params, const CodecContext& context) const override {
        if (context.cancelled()) return cancelledError();
        const int q = params.getInt("q");
        Bytes out(12 + std::size_t(kFreakPadding[q]));
        std::memcpy(out.data(), &image.width, 4);
        std::memcpy(out.data() + 4, &image.height, 4);
        std::memcpy(out.data() + 8, &q, 4);
        context.report(1.0);
        return out;
    }
    Result<Image> decode(const std::uint8_t* data, std::size_t size, const CodecContext&) const override {
        if (size < 12) return makeError(ErrorCode::CorruptData, "short");
        int w = 0, h = 0, q = 0;
        std::memcpy(&w, data, 4);
        std::memcpy(&h, data + 4, 4);
        std::memcpy(&q, data + 8, 4);
        Image image = test::gradientImage(w, h);
        for (std::int64_t i = 0; i < image.texelCount() * 3; ++i) image.data()[i] *= float(1 + kFreakError[q]);
        return image;
    }
};

TEST(RateSolve, NonMonotonicCodecNeverAnswersInfeasible) {
    FreakCodec codec;
    const Image source = test::gradientImage(64, 48);
    auto quality = [&](int q) {
        ParamSet p;
        p.set("q", q);
        auto e = evaluate(codec, source.view(), p, test::oneThread());
        EXPECT_FALSE(firstFailure(e).has_value());
        return e->metrics->mPsnr;
    };
    // Between error 0.05 and 0.03: met by q = 3, 9, 10 only.
    const SolveTarget target{SolveMetric::MPsnr, (quality(7) + quality(9)) / 2};
    for (int start = 0; start <= 10; ++start) {
        SolveOptions options;
        options.startValue = start;
        options.qualityToleranceDb = 0;
        auto r = solveRate(codec, source.view(), ParamSet{}, target, test::oneThread(), options);
        ASSERT_TRUE(r.ok()) << r.error().message;
        ASSERT_TRUE(r->reached) << "start " << start;
        EXPECT_GE(r->evaluation.metrics->mPsnr, target.value) << "start " << start;
        const int q = int(r->rateValue);
        EXPECT_TRUE(q == 3 || q == 9 || q == 10) << "start " << start << " answered q=" << q;
        expectConsistentProbes(*r, target);
    }
    // Above what any setting gives: flagged, and the best effort is the best quality probed.
    auto none = solveRate(codec, source.view(), ParamSet{}, {SolveMetric::MPsnr, quality(10) + 1}, test::oneThread());
    ASSERT_TRUE(none.ok());
    EXPECT_FALSE(none->reached);
    double best = 0;
    for (const SolveProbe& p : none->probes) best = std::max(best, p.quality);
    EXPECT_EQ(none->achieved, best);
}

TEST(RateSolve, Errors) {
    FreakCodec noRate;
    noRate.withRate = false;
    const Image source = test::gradientImage(32, 32);
    auto r = solveRate(noRate, source.view(), ParamSet{}, {SolveMetric::MPsnr, 40}, test::oneThread());
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::InvalidArgument);
    EXPECT_NE(r.error().message.find("no rate parameter"), std::string::npos);

    FreakCodec codec;
    for (double bad : {0.0, -1.0, std::numeric_limits<double>::quiet_NaN()}) {
        auto b = solveRate(codec, source.view(), ParamSet{}, {SolveMetric::MPsnr, bad}, test::oneThread());
        ASSERT_FALSE(b.ok());
        EXPECT_EQ(b.error().code, ErrorCode::InvalidArgument);
    }
    ParamSet outOfRange;
    outOfRange.set("q", 99);
    auto o = solveRate(codec, source.view(), outOfRange, {SolveMetric::MPsnr, 40}, test::oneThread());
    ASSERT_FALSE(o.ok());
    EXPECT_EQ(o.error().code, ErrorCode::InvalidArgument);

    CancelToken token;
    auto c = solveRate(codec, source.view(), ParamSet{}, {SolveMetric::MPsnr, 40}, test::cancelledContext(token));
    ASSERT_FALSE(c.ok());
    EXPECT_EQ(c.error().code, ErrorCode::Cancelled);

    auto gpu = parseGpuFormat(CodecRegistry::builtin(), "bc6h");
    ASSERT_TRUE(gpu.ok());
    SolveOptions chain;
    chain.evaluate.gpuFormat = &*gpu;
    auto g = solveRate(codec, source.view(), ParamSet{}, {SolveMetric::MPsnr, 40}, test::oneThread(), chain);
    ASSERT_FALSE(g.ok());
    EXPECT_EQ(g.error().code, ErrorCode::InvalidArgument);
}

// Progress stays in [0, 1] and ends at 1; a token fired mid-search stops it.
TEST(RateSolve, ProgressAndCancellationMidway) {
    FreakCodec codec;
    const Image source = test::gradientImage(32, 32);
    std::vector<double> seen;
    CodecContext context = test::oneThread();
    context.progress = [&](double f) { seen.push_back(f); };
    auto r = solveRate(codec, source.view(), ParamSet{}, {SolveMetric::MPsnr, 45}, context);
    ASSERT_TRUE(r.ok());
    ASSERT_FALSE(seen.empty());
    for (double f : seen) {
        EXPECT_GE(f, 0.0);
        EXPECT_LE(f, 1.0);
    }
    EXPECT_EQ(seen.back(), 1.0);

    CancelToken token;
    CodecContext cancelling = test::oneThread();
    cancelling.cancel = &token;
    cancelling.progress = [&](double) { token.cancel(); };  // during the first probe's encode
    auto c = solveRate(codec, source.view(), ParamSet{}, {SolveMetric::MPsnr, 45}, cancelling);
    ASSERT_FALSE(c.ok());
    EXPECT_EQ(c.error().code, ErrorCode::Cancelled);
}

}  // namespace
}  // namespace lmc
