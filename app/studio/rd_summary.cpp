#include "app/studio/rd_summary.h"

#include <algorithm>
#include <cmath>

#include "codec/bd_rate.h"

namespace lmc::studio {

std::vector<RdSample> operationalCurve(const std::vector<RdSample>& curve) {
    std::vector<RdSample> finite;
    for (const RdSample& s : curve)
        if (std::isfinite(s.bpp) && s.bpp > 0 && std::isfinite(s.quality)) finite.push_back(s);
    // The same rule as codec/bd_rate's paretoFront (kept here so each point keeps its index).
    std::stable_sort(finite.begin(), finite.end(), [](const RdSample& a, const RdSample& b) {
        return a.bpp < b.bpp || (a.bpp == b.bpp && a.quality > b.quality);
    });
    std::vector<RdSample> front;
    for (const RdSample& s : finite)
        if (front.empty() || s.quality > front.back().quality) {
            if (!front.empty() && front.back().bpp == s.bpp) continue;  // equal rate: the better one came first
            front.push_back(s);
        }
    return front;
}

namespace {

// Linear in log2(bpp) between front points a and b.
double qualityAt(const RdSample& a, const RdSample& b, double bpp) {
    const double t = (std::log2(bpp) - std::log2(a.bpp)) / (std::log2(b.bpp) - std::log2(a.bpp));
    return a.quality + t * (b.quality - a.quality);
}

double bppAt(const RdSample& a, const RdSample& b, double quality) {
    const double t = (quality - a.quality) / (b.quality - a.quality);
    return std::exp2(std::log2(a.bpp) + t * (std::log2(b.bpp) - std::log2(a.bpp)));
}

void setSetting(TargetReading& r, const RdSample& s) {
    r.index = s.index;
    r.settingBpp = s.bpp;
    r.settingQuality = s.quality;
}

std::vector<BdPoint> bdPoints(const std::vector<RdSample>& front) {
    std::vector<BdPoint> out;
    for (const RdSample& s : front) out.push_back(BdPoint{s.bpp, s.quality});
    return out;
}

}  // namespace

TargetReading readAtRate(const std::vector<RdSample>& curve, double bpp) {
    const std::vector<RdSample> front = operationalCurve(curve);
    TargetReading r;
    r.bpp = bpp;
    if (front.empty() || !(bpp > 0)) return r;
    if (bpp < front.front().bpp) {
        r.status = ReadoutStatus::BelowRange;  // no setting fits the budget
        return r;
    }
    // The best setting within the budget: the last front point at or below it.
    std::size_t k = 0;
    while (k + 1 < front.size() && front[k + 1].bpp <= bpp) ++k;
    setSetting(r, front[k]);
    if (bpp > front.back().bpp) {
        r.status = ReadoutStatus::AboveRange;  // the best setting is the most expensive one; nothing to interpolate
        r.quality = front.back().quality;
        return r;
    }
    r.status = ReadoutStatus::Ok;
    r.quality = k + 1 < front.size() ? qualityAt(front[k], front[k + 1], bpp) : front[k].quality;
    return r;
}

TargetReading readAtQuality(const std::vector<RdSample>& curve, double quality) {
    const std::vector<RdSample> front = operationalCurve(curve);
    TargetReading r;
    r.quality = quality;
    if (front.empty() || !std::isfinite(quality)) return r;
    if (quality > front.back().quality) {
        r.status = ReadoutStatus::AboveRange;  // never reached
        return r;
    }
    // The cheapest setting reaching the target: the first front point at or above it.
    std::size_t k = 0;
    while (front[k].quality < quality) ++k;
    setSetting(r, front[k]);
    if (k == 0) {
        r.status = quality == front[0].quality ? ReadoutStatus::Ok : ReadoutStatus::BelowRange;
        r.bpp = front[0].bpp;
        return r;
    }
    r.status = ReadoutStatus::Ok;
    r.bpp = bppAt(front[k - 1], front[k], quality);
    return r;
}

BdComparison compareBd(const std::vector<RdSample>& reference, const std::vector<RdSample>& test) {
    const std::vector<RdSample> a = operationalCurve(reference), b = operationalCurve(test);
    BdComparison c;
    if (a.size() < 2 || b.size() < 2) return c;
    const std::vector<BdPoint> pa = bdPoints(a), pb = bdPoints(b);
    const BdOverlap overlap = bdOverlap(pa, pb);
    c.qualityLo = overlap.qualityLo;
    c.qualityHi = overlap.qualityHi;
    c.bppLo = overlap.rateLo;
    c.bppHi = overlap.rateHi;
    auto judge = [](double lo, double hi, bool enough) {
        return !(hi > lo) ? BdStatus::NoOverlap : enough ? BdStatus::Ok : BdStatus::OverlapTooSmall;
    };
    c.rateStatus = judge(c.qualityLo, c.qualityHi, overlap.qualityEnough());
    c.qualityStatus = judge(c.bppLo, c.bppHi, overlap.rateEnough());
    if (c.rateStatus == BdStatus::Ok) {
        const Result<double> rate = bdRate(pa, pb);
        if (rate)
            c.bdRatePercent = *rate;
        else {
            c.rateStatus = BdStatus::Failed;
            c.message = rate.error().message;
        }
    }
    if (c.qualityStatus == BdStatus::Ok) {
        const Result<double> quality = bdQuality(pa, pb);
        if (quality)
            c.bdQualityDb = *quality;
        else {
            c.qualityStatus = BdStatus::Failed;
            c.message = quality.error().message;
        }
    }
    return c;
}

}  // namespace lmc::studio
