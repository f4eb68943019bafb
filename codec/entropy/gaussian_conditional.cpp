// Built with -ffp-contract=off (codec/CMakeLists.txt): a fused multiply-add would change the doubles below.
#include "codec/entropy/gaussian_conditional.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

namespace lmc::entropy {

namespace {

// round(exp(log(0.11) + (log(256) - log(0.11)) * k / 63) * 65536), k = 0..63. Integers, so the decision boundaries
// do not depend on any libm; GaussianConditional.ScaleCodesMatchTheFormula checks them against std::exp.
constexpr std::int32_t kScaleCodes[GaussianConditional::kScaleCount] = {
    7209,    8153,    9221,    10428,   11793,    13338,    15084,    17060,    19293,   21820,   24677,
    27908,   31563,   35696,   40370,   45657,    51635,    58397,    66043,    74691,   84472,   95533,
    108043,  122191,  138191,  156287,  176752,   199897,   226073,   255677,   289157,  327021,  369843,
    418272,  473044,  534987,  605042,  684270,   773872,   875208,   989814,   1119426, 1266011, 1431791,
    1619278, 1831317, 2071121, 2342327, 2649047,  2995930,  3388236,  3831913,  4333688, 4901169, 5542960,
    6268790, 7089666, 8018032, 9067964, 10255381, 11598287, 13117040, 14834670, 16777216};

constexpr double kTwoOverSqrtPi = 1.1283791670955126;
constexpr double kOneOverSqrtPi = 0.5641895835477563;
constexpr double kOneOverSqrt2 = 0.7071067811865476;

// P(X > x) for a standard normal X.
double upperTail(double x) {
    return 0.5 * GaussianConditional::deterministicErfc(x * kOneOverSqrt2);
}

}  // namespace

double GaussianConditional::deterministicExp(double x) {
    if (std::isnan(x)) return x;
    if (x > 709.0) return std::numeric_limits<double>::infinity();
    if (x < -745.0) return 0.0;
    // x = k ln2 + r, |r| <= ln2 / 2; ln2 split in two so k * kLn2Hi is exact (fdlibm's constants).
    constexpr double kInvLn2 = 1.4426950408889634;
    constexpr double kLn2Hi = 6.93147180369123816490e-01;
    constexpr double kLn2Lo = 1.90821492927058770002e-10;
    const double k = std::floor(x * kInvLn2 + 0.5);
    const double r = (x - k * kLn2Hi) - k * kLn2Lo;
    // Taylor series to degree 14: the remainder is below 1e-18 for |r| <= 0.35.
    double p = 1.0;
    for (int i = 14; i >= 1; --i) p = 1.0 + r * p / i;
    return std::ldexp(p, static_cast<int>(k));
}

double GaussianConditional::deterministicErfc(double z) {
    if (std::isnan(z)) return z;
    if (z < 0.0) return 2.0 - deterministicErfc(-z);
    if (z > 27.0) return 0.0;
    if (z < 1.5) {
        // erf(z) = 2/sqrt(pi) exp(-z^2) sum_n 2^n z^(2n+1) / (2n+1)!!: positive terms, no cancellation.
        const double twoZ2 = 2.0 * z * z;
        double term = z;
        double sum = z;
        for (int n = 1; n < 200; ++n) {
            term = term * twoZ2 / (2 * n + 1);
            sum += term;
            if (term < sum * 1e-17) break;
        }
        return 1.0 - kTwoOverSqrtPi * deterministicExp(-z * z) * sum;
    }
    // Continued fraction erfc(z) = exp(-z^2) / sqrt(pi) / (z + (1/2) / (z + 1 / (z + (3/2) / (z + ...)))),
    // evaluated backwards with a fixed depth (converged to double precision for z >= 1.5).
    double f = z;
    for (int k = 120; k >= 1; --k) f = z + (0.5 * k) / f;
    return kOneOverSqrtPi * deterministicExp(-z * z) / f;
}

Result<CdfTableSet> GaussianConditional::build() {
    std::vector<PmfSpec> pmfs(kScaleCount);
    for (int k = 0; k < kScaleCount; ++k) {
        const double scale = tableScale(k);
        const int center = static_cast<int>(std::ceil(scale * kTailSigmas));
        PmfSpec& spec = pmfs[static_cast<std::size_t>(k)];
        spec.offset = -center;
        spec.pmf.assign(static_cast<std::size_t>(2 * center + 1), 0.0);
        spec.pmf[static_cast<std::size_t>(center)] = 1.0 - 2.0 * upperTail(0.5 / scale);
        double previous = upperTail(0.5 / scale);
        for (int a = 1; a <= center; ++a) {
            const double next = upperTail((a + 0.5) / scale);
            const double p = previous - next;
            spec.pmf[static_cast<std::size_t>(center + a)] = p;
            spec.pmf[static_cast<std::size_t>(center - a)] = p;
            previous = next;
        }
        spec.tailMass = 2.0 * previous;
    }
    return CdfTableSet::fromPmfs(pmfs);
}

const GaussianConditional& GaussianConditional::instance() {
    static const GaussianConditional model = [] {
        auto tables = build();
        // build() only fails on a programming error; the tests would catch it first.
        return GaussianConditional(tables ? std::move(tables.value()) : CdfTableSet());
    }();
    return model;
}

std::int32_t GaussianConditional::tableScaleCode(int index) {
    return kScaleCodes[std::clamp(index, 0, kScaleCount - 1)];
}

double GaussianConditional::tableScale(int index) {
    return std::ldexp(static_cast<double>(tableScaleCode(index)), -kScaleCodeFractionBits);
}

std::int32_t GaussianConditional::quantizeScale(float scale) {
    // NaN, zero and negative scales take the smallest table.
    if (!(scale > 0.0f)) return 0;
    const double scaled = std::ldexp(static_cast<double>(scale), kScaleCodeFractionBits);  // exact
    if (scaled >= static_cast<double>(kMaxScaleCode)) return kMaxScaleCode;
    return static_cast<std::int32_t>(std::llround(scaled));
}

int GaussianConditional::scaleIndexFromQuantized(std::int32_t scaleCode) {
    // Smallest k < 63 with scaleCode <= code_k, else 63: the count of boundaries strictly below scaleCode.
    return static_cast<int>(std::lower_bound(kScaleCodes, kScaleCodes + kScaleCount - 1, scaleCode) - kScaleCodes);
}

void GaussianConditional::scaleIndexesFromQuantized(const std::int32_t* scaleCodes, std::size_t count,
                                                    std::int32_t* indexes) {
    for (std::size_t i = 0; i < count; ++i) indexes[i] = scaleIndexFromQuantized(scaleCodes[i]);
}

void GaussianConditional::scaleIndexesFromFloat(const float* scales, std::size_t count, std::int32_t* indexes) {
    for (std::size_t i = 0; i < count; ++i) indexes[i] = scaleIndexFromQuantized(quantizeScale(scales[i]));
}

namespace {

int exactIndexFromLogScale(float logScale) {
    const float scale = static_cast<float>(GaussianConditional::deterministicExp(static_cast<double>(logScale)));
    return GaussianConditional::scaleIndexFromQuantized(GaussianConditional::quantizeScale(scale));
}

// Floats in increasing order <-> consecutive integers (IEEE-754 total order of the finite values), for bisection.
std::int64_t orderedFromFloat(float f) {
    std::int32_t bits;
    std::memcpy(&bits, &f, sizeof bits);
    return bits >= 0 ? std::int64_t(bits) : -std::int64_t(bits & 0x7fffffff);
}

float floatFromOrdered(std::int64_t o) {
    const std::int32_t bits = o >= 0 ? std::int32_t(o) : std::int32_t(std::uint32_t(-o) | 0x80000000u);
    float f;
    std::memcpy(&f, &bits, sizeof f);
    return f;
}

struct LogScaleSteps {
    // steps[k]: the smallest float whose exact index exceeds k (index k + 1 or more starts there).
    std::array<float, GaussianConditional::kScaleCount - 1> steps{};
    // A first guess of the step count of x: guess[b] for x in bucket b of kBuckets equal buckets over [steps[0],
    // steps[62]] (the first and last bucket also take everything below and above). Only a guess: the lookup then
    // walks to the exact count, so the float arithmetic of the bucket cannot change a result, only its speed.
    static constexpr int kBuckets = 1024;
    float low = 0.0f, bucketsPerUnit = 0.0f;
    std::array<std::uint8_t, kBuckets + 1> guess{};
};

const LogScaleSteps& logScaleSteps() {
    static const LogScaleSteps table = [] {
        LogScaleSteps t;
        const std::int64_t lowest = orderedFromFloat(-std::numeric_limits<float>::max());
        const std::int64_t highest = orderedFromFloat(std::numeric_limits<float>::max());
        for (int k = 0; k + 1 < GaussianConditional::kScaleCount; ++k) {
            std::int64_t lo = lowest, hi = highest;  // index(lo) <= k < index(hi)
            while (hi - lo > 1) {
                const std::int64_t mid = lo + (hi - lo) / 2;
                (exactIndexFromLogScale(floatFromOrdered(mid)) > k ? hi : lo) = mid;
            }
            t.steps[std::size_t(k)] = floatFromOrdered(hi);
        }
        t.low = t.steps.front();
        t.bucketsPerUnit = float(LogScaleSteps::kBuckets / (double(t.steps.back()) - double(t.steps.front())));
        for (int b = 0; b <= LogScaleSteps::kBuckets; ++b) {
            const float x = float(double(t.low) + b / double(t.bucketsPerUnit));
            t.guess[std::size_t(b)] =
                std::uint8_t(std::upper_bound(t.steps.begin(), t.steps.end(), x) - t.steps.begin());
        }
        return t;
    }();
    return table;
}

}  // namespace

int GaussianConditional::scaleIndexFromLogScale(float logScale) {
    if (!std::isfinite(logScale)) return exactIndexFromLogScale(logScale);
    const LogScaleSteps& table = logScaleSteps();
    const auto& steps = table.steps;
    // upper_bound (the count of steps at or below logScale; the steps are sorted, logScale is not NaN) from the
    // bucket's guess: the guess is exact or one off for almost every input, so the walks below are short and their
    // branches predictable, where counting all 63 steps or a binary search cost several times more per latent.
    const float bucket = (logScale - table.low) * table.bucketsPerUnit;
    int below = table.guess[!(bucket > 0.0f)                           ? 0
                            : bucket >= float(LogScaleSteps::kBuckets) ? std::size_t(LogScaleSteps::kBuckets)
                                                                       : std::size_t(bucket)];
    constexpr int kSteps = GaussianConditional::kScaleCount - 1;
    while (below < kSteps && steps[std::size_t(below)] <= logScale) ++below;
    while (below > 0 && steps[std::size_t(below) - 1] > logScale) --below;
    const auto* first = steps.begin() + below;
    // Exact chain next to a step (see the header): the neighbours of `logScale` among the steps are first - 1 and
    // first.
    constexpr float kGuard = 1e-6f;
    if ((first != steps.end() && *first - logScale <= kGuard) ||
        (first != steps.begin() && logScale - *(first - 1) <= kGuard))
        return exactIndexFromLogScale(logScale);
    return static_cast<int>(first - steps.begin());
}

void GaussianConditional::scaleIndexesFromLogScales(const float* logScales, std::size_t count, std::int32_t* indexes) {
    for (std::size_t i = 0; i < count; ++i) indexes[i] = scaleIndexFromLogScale(logScales[i]);
}

std::int32_t GaussianConditional::scaleCodeMargin(std::int32_t scaleCode) {
    const std::int32_t* boundariesEnd = kScaleCodes + kScaleCount - 1;
    const std::int32_t* above = std::lower_bound(kScaleCodes, boundariesEnd, scaleCode);  // first code_k >= c
    std::int64_t margin = std::numeric_limits<std::int32_t>::max();
    if (above != boundariesEnd) margin = static_cast<std::int64_t>(*above) - scaleCode;
    if (above != kScaleCodes)
        margin = std::min<std::int64_t>(margin, static_cast<std::int64_t>(scaleCode) - *(above - 1) - 1);
    return static_cast<std::int32_t>(margin);
}

}  // namespace lmc::entropy
