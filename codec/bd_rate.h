// Bjøntegaard delta metrics: how much bitrate a codec saves at equal quality (BD-rate) and how much quality it
// gains at equal rate (BD-quality, "BD-PSNR" when the quality is a PSNR), from two rate-quality curves.
//
// Method (G. Bjøntegaard, "Calculation of average PSNR differences between RD-curves", VCEG-M33, 2001):
//   BD-rate:    fit log10(rate) as a function of quality for each curve, integrate both over the quality interval
//               the curves share, take the mean difference D of the integrals and report (10^D - 1) * 100 %.
//               Negative = the test codec needs fewer bits than the anchor for the same quality.
//   BD-quality: fit quality as a function of log10(rate), integrate over the shared log-rate interval and report
//               the mean difference (test - anchor) in the quality's unit (dB for PSNR metrics).
// Interpolation (BdMethod):
//   Pchip (default): piecewise cubic Hermite interpolation with Fritsch–Carlson monotone slopes (F. N. Fritsch,
//     R. E. Carlson, "Monotone piecewise cubic interpolation", SIAM J. Numer. Anal. 17(2), 1980), the slope
//     formulas of scipy.interpolate.PchipInterpolator (weighted harmonic mean inside, the three-point one-sided
//     formula at the ends, linear for two points). This is what the JCT-VC/JVET common-test-conditions sheets
//     (VCEG-AL22 update, JCTVC-L1100, JVET-T2010) and the `bjontegaard` Python package ("pchip") use: it never
//     overshoots between points, so it is stable for 2..N points where the cubic fit oscillates. Each piece is
//     integrated exactly.
//   Polynomial3: the classic VCEG-M33 least-squares cubic polynomial (numpy.polyfit(..., 3)), integrated exactly;
//     needs at least 4 points per curve. Kept for comparison with published numbers that used it.
// Input clean-up: points are sorted by rate and exact duplicates dropped. Rates must be finite and > 0 and
// qualities finite; two different qualities at one rate are refused. The BD-rate integral needs quality strictly
// increasing with rate (after sorting). Fewer than 2 points, or curves whose intervals do not overlap, give
// InvalidArgument with a message naming both ranges, never a made-up number.
//
// Threading: pure functions, safe from any thread. Errors: Result with ErrorCode::InvalidArgument.
#pragma once

#include <string>
#include <vector>

#include "codec/result.h"

namespace lmc {

struct BdPoint {
    double bitsPerTexel = 0;  // any rate unit works (only ratios matter); must be > 0
    double quality = 0;       // mPSNR, PU21-PSNR, ... (higher is better)
};

enum class BdMethod { Pchip, Polynomial3 };

// Percent bitrate change of `test` relative to `anchor` at equal quality (negative: test saves bits).
Result<double> bdRate(const std::vector<BdPoint>& anchor, const std::vector<BdPoint>& test,
                      BdMethod method = BdMethod::Pchip);

// Mean quality difference (test - anchor) at equal rate, in the quality's unit.
Result<double> bdQuality(const std::vector<BdPoint>& anchor, const std::vector<BdPoint>& test,
                         BdMethod method = BdMethod::Pchip);

// The operational rate-quality curve of a codec's settings: the points sorted by rate, each kept only when its
// quality is higher than that of every point at a lower or equal rate (at equal rates the best one). A setting
// that another beats with no more bits is never the one a user picks; leaving it out makes a curve with a
// non-monotone knob (JPEG-HDR's mPSNR over its quality) usable for BD-rate. Non-finite points are kept apart:
// they stay in the result, after the front, for bdRate/bdQuality to refuse with their usual message.
std::vector<BdPoint> paretoFront(const std::vector<BdPoint>& points);

// The least two curves must share before a BD figure means anything. BD-rate averages over the quality interval
// both curves cover and BD-quality over the shared log-rate interval; when one codec's sweep only grazes the
// other's range, a sliver of interpolation becomes a confident-looking percentage (a 0.2 dB overlap gave JPEG XL
// "+970%" on a mean curve). The app's tables and `lmc report` refuse narrower overlaps with this one rule.
inline constexpr double kMinBdQualityOverlapDb = 0.5;  // in the quality's unit (the BD metrics are all dB)
inline constexpr double kMinBdRateOverlapRatio = 1.1;  // the shared bpp interval must span at least 10%

// The intervals two curves share, over their finite points: quality (for BD-rate) and bits per texel (for
// BD-quality). lo >= hi where they share nothing or a curve has no finite point.
struct BdOverlap {
    double qualityLo = 0, qualityHi = 0;
    double rateLo = 0, rateHi = 0;
    bool qualityEnough() const { return qualityHi - qualityLo >= kMinBdQualityOverlapDb; }
    bool rateEnough() const { return rateHi >= rateLo * kMinBdRateOverlapRatio && rateHi > rateLo; }
};
BdOverlap bdOverlap(const std::vector<BdPoint>& anchor, const std::vector<BdPoint>& test);

const char* bdMethodName(BdMethod method);  // "pchip", "poly3"
bool parseBdMethod(const std::string& text, BdMethod& out);

}  // namespace lmc
