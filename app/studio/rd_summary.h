// The numbers the Charts view reads off the RD curves, without Qt: what each codec reaches at a target bitrate or
// needs for a target quality (with the setting that gets there), and its Bjøntegaard deltas against a reference
// codec. The app feeds them the workspace's sweep points; the widgets only show the results.
//
// Curves are operational: each codec's points are reduced to their Pareto front (codec/bd_rate.h paretoFront), as
// a user never picks a setting another beats with fewer bits. Between two front points the readout interpolates
// linearly in log2(bpp), as the chart draws the curve on its log axis; it does not extrapolate beyond the swept
// range. BD numbers are codec/bd_rate's bdRate and bdQuality (PCHIP) on those fronts, over the quality (BD-rate) and
// log-rate (BD-quality) intervals both curves cover; an interval narrower than codec/bd_rate.h kMinBdQualityOverlapDb
// or kMinBdRateOverlapRatio is reported as too small rather than turned into a number from a sliver.
//
// Threading: pure functions, any thread. Errors: no exceptions; a reading or comparison that cannot be made says
// why in its `status`, for the UI to phrase.
#pragma once

#include <string>
#include <vector>

namespace lmc::studio {

struct RdSample {
    double bpp = 0;
    double quality = 0;  // dB (mPSNR, or PU21-SSIM in dB); non-finite samples are ignored
    int index = -1;      // the caller's id of the setting (its sweep point)
};

enum class ReadoutStatus {
    Ok,
    NoCurve,     // fewer than one finite point
    BelowRange,  // the target lies below the swept range (rate: under the cheapest setting; quality: see note)
    AboveRange,  // beyond the best setting (rate: more bits than the most expensive; quality: never reached)
};

struct TargetReading {
    ReadoutStatus status = ReadoutStatus::NoCurve;
    double bpp = 0;      // at a rate target: the target; at a quality target: the interpolated bpp it needs
    double quality = 0;  // at a rate target: the interpolated quality; at a quality target: the target
    // The setting to pick: at a rate target the best point within the budget (bpp <= target), at a quality target
    // the cheapest point reaching it (quality >= target); -1 when none.
    int index = -1;
    double settingBpp = 0, settingQuality = 0;  // that point's own figures
};

// At `bpp`: the quality on the codec's curve and its best setting within that budget.
TargetReading readAtRate(const std::vector<RdSample>& curve, double bpp);
// At `quality`: the bpp the curve needs and the cheapest setting reaching it. A target below the whole curve gives
// BelowRange with the cheapest setting (it already exceeds the target) and no interpolated bpp.
TargetReading readAtQuality(const std::vector<RdSample>& curve, double quality);

enum class BdStatus { Ok, TooFewPoints, NoOverlap, OverlapTooSmall, Failed };

struct BdComparison {
    BdStatus rateStatus = BdStatus::TooFewPoints;
    BdStatus qualityStatus = BdStatus::TooFewPoints;
    double bdRatePercent = 0;  // negative: fewer bits than the reference at equal quality
    double bdQualityDb = 0;    // positive: more quality than the reference at equal bitrate
    // The shared intervals (meaningful once both curves have 2 points): quality in dB for BD-rate, bpp for
    // BD-quality; lo > hi when they do not overlap.
    double qualityLo = 0, qualityHi = 0;
    double bppLo = 0, bppHi = 0;
    std::string message;  // codec/bd_rate's English message when Failed (for logs; the UI says it in its words)
};

BdComparison compareBd(const std::vector<RdSample>& reference, const std::vector<RdSample>& test);

// The finite samples' Pareto front, sorted by bpp (the curve every function above reads).
std::vector<RdSample> operationalCurve(const std::vector<RdSample>& curve);

}  // namespace lmc::studio
