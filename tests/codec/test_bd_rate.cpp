// Bjøntegaard delta metrics (codec/bd_rate.h): exact identities, hand-computed cases for both interpolations,
// and every refusal.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "codec/bd_rate.h"

namespace lmc {
namespace {

constexpr BdMethod kMethods[] = {BdMethod::Pchip, BdMethod::Polynomial3};

// A realistic, curved RD curve (five points: quality grows ever slower with rate).
std::vector<BdPoint> anchorCurve() {
    return {{0.5, 31.2}, {1.0, 35.9}, {2.0, 39.4}, {4.0, 42.1}, {8.0, 44.0}};
}

std::vector<BdPoint> scaledRates(std::vector<BdPoint> c, double factor) {
    for (auto& p : c) p.bitsPerTexel *= factor;
    return c;
}

TEST(BdRate, IdenticalCurvesGiveZero) {
    for (BdMethod m : kMethods) {
        auto rate = bdRate(anchorCurve(), anchorCurve(), m);
        auto quality = bdQuality(anchorCurve(), anchorCurve(), m);
        ASSERT_TRUE(rate) << rate.error().message;
        ASSERT_TRUE(quality) << quality.error().message;
        EXPECT_NEAR(*rate, 0.0, 1e-12) << bdMethodName(m);
        EXPECT_NEAR(*quality, 0.0, 1e-12) << bdMethodName(m);
    }
}

TEST(BdRate, HalvedRatesGiveMinusFiftyPercent) {
    for (BdMethod m : kMethods) {
        auto r = bdRate(anchorCurve(), scaledRates(anchorCurve(), 0.5), m);
        ASSERT_TRUE(r) << r.error().message;
        EXPECT_NEAR(*r, -50.0, 1e-9) << bdMethodName(m);
    }
}

TEST(BdRate, DoubledRatesGivePlusHundredPercent) {
    for (BdMethod m : kMethods) {
        auto r = bdRate(anchorCurve(), scaledRates(anchorCurve(), 2.0), m);
        ASSERT_TRUE(r) << r.error().message;
        EXPECT_NEAR(*r, 100.0, 1e-9) << bdMethodName(m);
        // Swapping the roles inverts the ratio: the anchor needs half the bits of the test.
        auto back = bdRate(scaledRates(anchorCurve(), 2.0), anchorCurve(), m);
        ASSERT_TRUE(back);
        EXPECT_NEAR(*back, -50.0, 1e-9) << bdMethodName(m);
    }
}

TEST(BdRate, QualityShiftedOneDbGivesPlusOneDb) {
    auto shifted = anchorCurve();
    for (auto& p : shifted) p.quality += 1.0;
    for (BdMethod m : kMethods) {
        auto q = bdQuality(anchorCurve(), shifted, m);
        ASSERT_TRUE(q) << q.error().message;
        EXPECT_NEAR(*q, 1.0, 1e-9) << bdMethodName(m);
        auto back = bdQuality(shifted, anchorCurve(), m);
        ASSERT_TRUE(back);
        EXPECT_NEAR(*back, -1.0, 1e-9) << bdMethodName(m);
        auto r = bdRate(anchorCurve(), shifted, m);  // better quality everywhere: fewer bits for the same quality
        ASSERT_TRUE(r);
        EXPECT_LT(*r, -5.0) << bdMethodName(m);
    }
}

TEST(BdRate, PointOrderAndDuplicatesDoNotMatter) {
    std::vector<BdPoint> shuffled = {{4.0, 42.1}, {0.5, 31.2}, {8.0, 44.0}, {2.0, 39.4}, {1.0, 35.9}, {2.0, 39.4}};
    const auto test = scaledRates(anchorCurve(), 0.8);
    auto a = bdRate(anchorCurve(), test);
    auto b = bdRate(shuffled, test);
    ASSERT_TRUE(a && b);
    EXPECT_DOUBLE_EQ(*a, *b);
    EXPECT_NEAR(*a, -20.0, 1e-9);
}

// Two points per curve: PCHIP is the straight line, so the integrals are trapezoids.
// Anchor (1 bpp, 30 dB)-(4 bpp, 40 dB), test (2 bpp, 30 dB)-(4 bpp, 40 dB), L = log10(2):
//   BD-rate: mean log-rate over 30..40 dB is L for the anchor and 1.5 L for the test -> 10^(L/2) - 1 = sqrt(2) - 1.
//   BD-quality: over log-rates L..2L the anchor averages 30 + 10 * 1.5L / 2L = 37.5 dB, the test 35 dB -> -2.5 dB.
TEST(BdRate, HandComputedTwoPointCase) {
    const std::vector<BdPoint> anchor = {{1.0, 30.0}, {4.0, 40.0}};
    const std::vector<BdPoint> test = {{2.0, 30.0}, {4.0, 40.0}};
    auto r = bdRate(anchor, test);
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_NEAR(*r, (std::sqrt(2.0) - 1) * 100, 1e-10);
    auto q = bdQuality(anchor, test);
    ASSERT_TRUE(q) << q.error().message;
    EXPECT_NEAR(*q, -2.5, 1e-10);
}

// Three anchor points (1, 30), (2, 34), (4, 36): x = dB, y = log10(rate) = 0, L, 2L; h = 4, 2; secants L/4, L/2.
// Fritsch–Carlson slopes: inside (w1 = 8, w2 = 10) 18 / (8*4/L + 10*2/L) = 9L/26; ends by the three-point formula
// ((2*4 + 2) L/4 - 4 L/2) / 6 = L/12 and ((2*2 + 4) L/2 - 2 L/4) / 6 = 7L/12 (same signs, no clipping).
// Hermite piece integral h (y0 + y1) / 2 + h^2 (m0 - m1) / 12: 2L - 41L/117 and 3L - 37L/468, total 2139L/468.
// Test (1, 30)-(4, 36) is a line: 6L. Mean difference (6 - 2139/468) L / 6 = 669L/2808 -> 2^(669/2808) - 1.
TEST(BdRate, HandComputedPchipCase) {
    const std::vector<BdPoint> anchor = {{1.0, 30.0}, {2.0, 34.0}, {4.0, 36.0}};
    const std::vector<BdPoint> test = {{1.0, 30.0}, {4.0, 36.0}};
    auto r = bdRate(anchor, test, BdMethod::Pchip);
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_NEAR(*r, (std::pow(2.0, 669.0 / 2808.0) - 1) * 100, 1e-10);
}

// The cubic fit reproduces a cubic exactly: anchor log10(rate) = t^3 with t = (dB - 30) / 10 averages 1/4 over
// 30..40 dB, the test line log10(rate) = t averages 1/2 -> 10^(1/4) - 1. PCHIP only approximates the cubic.
TEST(BdRate, HandComputedCubicPolynomialCase) {
    std::vector<BdPoint> anchor, test;
    for (double t : {0.0, 0.4, 0.7, 1.0}) anchor.push_back({std::pow(10.0, t * t * t), 30 + 10 * t});
    for (double t : {0.0, 0.3, 0.6, 1.0}) test.push_back({std::pow(10.0, t), 30 + 10 * t});
    auto poly = bdRate(anchor, test, BdMethod::Polynomial3);
    ASSERT_TRUE(poly) << poly.error().message;
    EXPECT_NEAR(*poly, (std::pow(10.0, 0.25) - 1) * 100, 1e-9);
    auto pchip = bdRate(anchor, test, BdMethod::Pchip);
    ASSERT_TRUE(pchip);
    EXPECT_GT(std::abs(*pchip - *poly), 0.1);  // the option really changes the interpolation
}

// Collinear points: both interpolations are that line, so both give the same closed form.
TEST(BdRate, LinearCurvesAgreeAcrossMethods) {
    std::vector<BdPoint> anchor, test;
    for (double q : {30.0, 33.0, 36.0, 39.0}) {
        anchor.push_back({std::pow(10.0, (q - 30) / 30), q});
        test.push_back({std::pow(10.0, 0.05 + (q - 30) / 60), q});
    }
    for (BdMethod m : kMethods) {
        auto r = bdRate(anchor, test, m);
        ASSERT_TRUE(r) << r.error().message;
        EXPECT_NEAR(*r, (std::pow(10.0, -0.025) - 1) * 100, 1e-9) << bdMethodName(m);
    }
}

TEST(BdRate, PartialOverlapIntegratesOnlyTheSharedInterval) {
    // Collinear log-rates: every interpolation is the line itself, so half the rate stays exactly -50% on the
    // shared 36..42 dB, while the parts outside (anchor 30..36, test 42..48) must not count.
    std::vector<BdPoint> anchor, test;
    for (double q = 30; q <= 42; q += 3) anchor.push_back({std::pow(10.0, (q - 30) / 30), q});
    for (double q = 36; q <= 48; q += 3) test.push_back({std::pow(10.0, (q - 30) / 30) / 2, q});
    for (BdMethod m : kMethods) {
        auto r = bdRate(anchor, test, m);
        ASSERT_TRUE(r) << r.error().message;
        EXPECT_NEAR(*r, -50.0, 1e-9) << bdMethodName(m);
    }
}

TEST(BdRate, NonOverlappingCurvesAreRefusedWithBothRanges) {
    const std::vector<BdPoint> anchor = {{1.0, 40.1}, {2.0, 42.0}, {4.0, 45.2}};
    const std::vector<BdPoint> test = {{1.0, 30.0}, {2.0, 32.0}, {4.0, 35.0}};
    auto r = bdRate(anchor, test);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::InvalidArgument);
    EXPECT_EQ(r.error().message, "curves do not overlap in quality: anchor 40.1\u201345.2 dB, test 30.0\u201335.0 dB");
    // Same rates, so BD-quality is defined: 10.1, 10 and 10.2 dB apart at the three rates.
    auto q = bdQuality(anchor, test);
    ASSERT_TRUE(q);
    EXPECT_LT(*q, -9.9);
    EXPECT_GT(*q, -10.3);
    auto qNo = bdQuality({{1.0, 30.0}, {2.0, 35.0}}, {{3.0, 30.0}, {6.0, 35.0}});
    ASSERT_FALSE(qNo);
    EXPECT_NE(qNo.error().message.find("do not overlap in rate: anchor 1\u20132 bpp, test 3\u20136 bpp"),
              std::string::npos)
        << qNo.error().message;
    // Touching end to end is no overlap either (a zero-length interval).
    EXPECT_FALSE(bdRate({{1.0, 30.0}, {2.0, 35.0}}, {{2.0, 35.0}, {4.0, 40.0}}));
}

TEST(BdRate, OverlapSaysWhetherABdFigureMeansAnything) {
    // Shared quality 38.8..39 dB (a sliver), shared rate 2..4 bpp (a factor 2: enough).
    const std::vector<BdPoint> anchor = {{0.5, 30.0}, {2.0, 36.0}, {4.0, 39.0}};
    const std::vector<BdPoint> test = {{2.0, 38.8}, {8.0, 45.0}, {16.0, std::nan("")}};
    const BdOverlap o = bdOverlap(anchor, test);
    EXPECT_DOUBLE_EQ(o.qualityLo, 38.8);
    EXPECT_DOUBLE_EQ(o.qualityHi, 39.0);
    EXPECT_DOUBLE_EQ(o.rateLo, 2.0);
    EXPECT_DOUBLE_EQ(o.rateHi, 4.0);  // the NaN point's 16 bpp does not count
    EXPECT_FALSE(o.qualityEnough());
    EXPECT_TRUE(o.rateEnough());
    // Exactly the minimum is enough; a rate interval spanning under 10% is not; no overlap is never enough.
    EXPECT_TRUE(bdOverlap({{1.0, 30.0}, {2.0, 35.0}}, {{1.0, 34.5}, {2.0, 40.0}}).qualityEnough());
    EXPECT_FALSE(bdOverlap({{1.0, 30.0}, {2.0, 35.0}}, {{1.95, 31.0}, {4.0, 36.0}}).rateEnough());
    const BdOverlap none = bdOverlap({{1.0, 30.0}, {2.0, 35.0}}, {{3.0, 40.0}, {6.0, 45.0}});
    EXPECT_FALSE(none.qualityEnough());
    EXPECT_FALSE(none.rateEnough());
    EXPECT_FALSE(bdOverlap({}, {{3.0, 40.0}}).rateEnough());
}

TEST(BdRate, TooFewPointsAreRefused) {
    auto one = bdRate({{1.0, 30.0}}, anchorCurve());
    ASSERT_FALSE(one);
    EXPECT_NE(one.error().message.find("anchor curve has 1 distinct point(s)"), std::string::npos)
        << one.error().message;
    EXPECT_FALSE(bdQuality(anchorCurve(), {}));
    // The same point twice is one point.
    EXPECT_FALSE(bdRate(anchorCurve(), {{1.0, 35.0}, {1.0, 35.0}}));
    auto poly = bdRate(anchorCurve(), {{1.0, 33.0}, {2.0, 37.0}, {4.0, 40.0}}, BdMethod::Polynomial3);
    ASSERT_FALSE(poly);
    EXPECT_NE(poly.error().message.find("needs at least 4"), std::string::npos) << poly.error().message;
    EXPECT_TRUE(bdRate(anchorCurve(), {{1.0, 33.0}, {2.0, 37.0}, {4.0, 40.0}}, BdMethod::Pchip));
}

TEST(BdRate, NonFiniteAndNonPositiveValuesAreRefused) {
    const double nan = std::nan("");
    const double inf = std::numeric_limits<double>::infinity();
    for (const std::vector<BdPoint>& bad :
         std::vector<std::vector<BdPoint>>{{{1.0, nan}, {2.0, 36.0}, {4.0, 40.0}},
                                           {{nan, 33.0}, {2.0, 36.0}, {4.0, 40.0}},
                                           {{1.0, 33.0}, {2.0, inf}, {4.0, 40.0}},
                                           {{inf, 33.0}, {2.0, 36.0}},
                                           {{0.0, 33.0}, {2.0, 36.0}, {4.0, 40.0}},
                                           {{-1.0, 33.0}, {2.0, 36.0}, {4.0, 40.0}}}) {
        for (BdMethod m : kMethods) {
            auto r = bdRate(anchorCurve(), bad, m);
            auto q = bdQuality(bad, anchorCurve(), m);
            ASSERT_FALSE(r);
            ASSERT_FALSE(q);
            EXPECT_EQ(r.error().code, ErrorCode::InvalidArgument);
            EXPECT_EQ(q.error().code, ErrorCode::InvalidArgument);
        }
    }
}

TEST(BdRate, QualityMustRiseWithRateForBdRateOnly) {
    // A learned codec saturating: 0.98 bpp scores below 0.53 bpp.
    const std::vector<BdPoint> bumpy = {{0.13, 24.18}, {0.53, 24.41}, {0.98, 24.40}};
    const std::vector<BdPoint> anchor = {{0.1, 23.0}, {0.5, 24.0}, {1.0, 25.0}};
    auto r = bdRate(anchor, bumpy);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("test curve: BD-rate needs quality rising with rate"), std::string::npos)
        << r.error().message;
    auto q = bdQuality(anchor, bumpy);  // quality as a function of rate is still well defined
    ASSERT_TRUE(q) << q.error().message;
    EXPECT_TRUE(std::isfinite(*q));
    auto sameRate = bdQuality(anchor, {{0.5, 24.0}, {0.5, 25.0}, {1.0, 26.0}});
    ASSERT_FALSE(sameRate);
    EXPECT_NE(sameRate.error().message.find("two qualities at 0.5 bpp"), std::string::npos);
}

TEST(BdRate, SharpKneeStillScalesExactly) {
    // A knee (fast rise, then a long flat tail) is where the cubic fit oscillates; a rate scaling must still come
    // out exact with both interpolations because the same interpolant is shifted.
    const std::vector<BdPoint> knee = {{0.2, 30.0}, {0.25, 38.0}, {0.3, 40.0}, {8.0, 41.0}};
    for (BdMethod m : kMethods) {
        auto r = bdRate(knee, scaledRates(knee, 0.5), m);
        ASSERT_TRUE(r) << r.error().message;
        EXPECT_NEAR(*r, -50.0, 1e-9) << bdMethodName(m);
    }
}

TEST(BdRate, MethodNamesRoundTrip) {
    BdMethod parsed = BdMethod::Pchip;
    EXPECT_TRUE(parseBdMethod("poly3", parsed));
    EXPECT_EQ(parsed, BdMethod::Polynomial3);
    EXPECT_STREQ(bdMethodName(parsed), "poly3");
    EXPECT_TRUE(parseBdMethod("pchip", parsed));
    EXPECT_EQ(parsed, BdMethod::Pchip);
    EXPECT_STREQ(bdMethodName(parsed), "pchip");
    EXPECT_FALSE(parseBdMethod("akima", parsed));
}

// The Pareto front keeps the best quality available at each rate and nothing dominated; a non-monotone knob's
// curve becomes usable for BD-rate and gives the same answer as its undominated points alone.
TEST(BdRate, ParetoFrontDropsDominatedSettings) {
    const std::vector<BdPoint> bumpy = {{2.0, 37}, {0.5, 30}, {1.5, 33}, {1.0, 34}, {1.0, 32}, {4.0, 39}, {3.0, 38.5}};
    const std::vector<BdPoint> front = paretoFront(bumpy);
    const std::vector<BdPoint> expected = {{0.5, 30}, {1.0, 34}, {2.0, 37}, {3.0, 38.5}, {4.0, 39}};
    ASSERT_EQ(front.size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        EXPECT_EQ(front[i].bitsPerTexel, expected[i].bitsPerTexel) << i;
        EXPECT_EQ(front[i].quality, expected[i].quality) << i;
    }
    EXPECT_FALSE(bdRate(expected, bumpy));  // quality falls from 1 to 1.5 bpp
    const auto r = bdRate(expected, front);
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_NEAR(*r, 0.0, 1e-9);
    EXPECT_TRUE(paretoFront({}).empty());
    // Non-finite points stay for bdRate to refuse with its message.
    const std::vector<BdPoint> withNan = paretoFront({{1.0, 30}, {2.0, std::nan("")}, {3.0, 35}});
    ASSERT_EQ(withNan.size(), 3u);
    EXPECT_FALSE(bdRate(expected, withNan));
}

}  // namespace
}  // namespace lmc
