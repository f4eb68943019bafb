#include "codec/metrics.h"
#include "codec/work_pool.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <cstring>
#include <exception>
#include <limits>
#include <new>
#include <string>
#include <thread>

namespace lmc {
namespace {

constexpr double kPu21Par[7] = {0.353487901,   0.3734658629, 8.277049286e-05, 0.9062562627,
                                0.09150303166, 0.9099517204, 596.3148142};
constexpr double kMPsnrGamma = 2.2;
constexpr double kExposurePercentile = 0.5;
constexpr double kMPsnrHighPercentile = 0.999;
constexpr double kMPsnrLowPercentile = 0.01;
constexpr double kMPsnrLowTarget = 0.18;  // linear grey the low percentile must reach at cmax
constexpr int kSsimRadius = 5;            // 11x11 window
constexpr double kSsimSigma = 1.5;
constexpr int kStripRows = 64;
constexpr std::int64_t kMinTexelsForThreads = 65536;
// Normalised values are clamped here so that x / E never overflows to Inf (E can be a denormal).
constexpr float kMaxNormalised = 0x1p126f;

const float kNaN = std::numeric_limits<float>::quiet_NaN();

// The SSIM filter loops get an AVX2 clone next to the baseline x86-64 one, picked at load time (GCC ifunc): about
// 20% faster SSIM on current CPUs. No FMA: the clones round identically, so results do not depend on the CPU.
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
#define LMC_HOT_LOOP __attribute__((target_clones("avx2", "default")))
#else
#define LMC_HOT_LOOP
#endif

inline std::uint32_t floatBits(float x) {
    std::uint32_t b;
    std::memcpy(&b, &x, sizeof b);
    return b;
}
inline float bitsFloat(std::uint32_t b) {
    float x;
    std::memcpy(&x, &b, sizeof x);
    return x;
}

inline float lumOf(float r, float g, float b) {
    return 0.2126f * r + 0.7152f * g + 0.0722f * b;
}

// f sampled at every float whose low (23 - mantissaBits) mantissa bits are zero, interpolated linearly in between.
// Cells are 2^-mantissaBits of an octave wide, so a smooth f is reproduced to about 1e-6 relative: the cost of
// pow/log per value (10-20 ns) drops to a few ns. Inputs are clamped to [lo, hi] (NaN maps to lo).
class FloatTable {
public:
    FloatTable(double (*f)(double), float lo, float hi, int mantissaBits)
        : lo_(lo), hi_(hi), shift_(23 - mantissaBits), base_(floatBits(lo) >> shift_) {
        const std::uint32_t last = (floatBits(hi) >> shift_) + 1;
        table_.resize(last - base_ + 1);
        for (std::uint32_t i = base_; i <= last; ++i) table_[i - base_] = float(f(double(bitsFloat(i << shift_))));
        invCell_ = 1.0f / float(1u << shift_);
    }
    float operator()(float x) const {
        x = x > lo_ ? x : lo_;
        x = x < hi_ ? x : hi_;
        const std::uint32_t b = floatBits(x);
        const std::uint32_t i = (b >> shift_) - base_;
        const float t = float(b & ((1u << shift_) - 1)) * invCell_;
        return table_[i] + t * (table_[i + 1] - table_[i]);
    }

private:
    float lo_, hi_;
    int shift_;
    std::uint32_t base_;
    float invCell_ = 0;
    std::vector<float> table_;
};

// The encoding without its clamps and final max(., 0), so the table interpolates a smooth curve up to 0.005.
double pu21Raw(double y) {
    const double* p = kPu21Par;
    const double yp = std::pow(y, p[3]);
    return p[6] * (std::pow((p[0] + p[1] * yp) / (1.0 + p[2] * yp), p[4]) - p[5]);
}
double gammaCurve(double x) {
    return std::pow(x, 1.0 / kMPsnrGamma);
}
double log2OnePlus(double x) {
    return std::log2(1.0 + x);
}

const FloatTable& gammaTable() {
    static const FloatTable t(gammaCurve, 0.0f, kMaxNormalised, 8);
    return t;
}
const FloatTable& logTable() {
    static const FloatTable t(log2OnePlus, 0.0f, kMaxNormalised, 10);
    return t;
}
const FloatTable& pu21Table() {
    static const FloatTable t(pu21Raw, float(kPu21MinLuminance), float(kPu21MaxLuminance), 10);
    return t;
}
inline float pu21Fast(const FloatTable& table, float luminance) {
    return std::max(table(luminance), 0.0f);
}

Status checkView(const ImageView& v, const char* what) {
    if (v.empty()) return makeError(ErrorCode::InvalidArgument, std::string(what) + " image is empty");
    if (v.rowStride < std::ptrdiff_t(3) * v.width)
        return makeError(ErrorCode::InvalidArgument, std::string(what) + " image has a row stride below 3 * width");
    if (v.mask && v.maskStride < v.width)
        return makeError(ErrorCode::InvalidArgument, std::string(what) + " image has a mask stride below its width");
    return {};
}

Status checkPair(const ImageView& reference, const ImageView& test) {
    if (auto s = checkView(reference, "reference"); !s) return s;
    if (auto s = checkView(test, "test"); !s) return s;
    if (reference.width != test.width || reference.height != test.height)
        return makeError(ErrorCode::InvalidArgument, "size mismatch: reference is " + std::to_string(reference.width) +
                                                         "x" + std::to_string(reference.height) + ", test is " +
                                                         std::to_string(test.width) + "x" +
                                                         std::to_string(test.height));
    return {};
}

inline bool counted(const ImageView& ref, int x, int y, const float* t) {
    return ref.covered(x, y) && std::isfinite(t[0]) && std::isfinite(t[1]) && std::isfinite(t[2]);
}

// factor / e as a finite float: a denormal E must not turn the normalisation into Inf (and 0 * Inf into NaN).
inline float inverseScale(double factor, double e) {
    return float(std::min(factor / e, 1e38));
}

bool validNormalization(const MetricsNormalization& n) {
    return n.exposureReference > 0 && std::isfinite(n.exposureReference) && n.linearPeak >= 0 &&
           std::isfinite(n.linearPeak) && n.logPeak > 0 && std::isfinite(n.logPeak) &&
           n.mPsnrMinStop <= n.mPsnrMaxStop && n.mPsnrMaxStop - n.mPsnrMinStop <= kMPsnrMaxSpan &&
           n.mPsnrMinStop >= -120 && n.mPsnrMaxStop <= 120;
}

// The worst value within the reference's range [0, P] for reference value a; see the header.
inline float substitute(float a, float peak) {
    return a < 0.5f * peak ? peak : 0.0f;
}

int resolveThreads(int requested, std::int64_t texels) {
    if (texels < kMinTexelsForThreads) return 1;
    int n = requested > 0 ? requested : int(std::thread::hardware_concurrency());
    return std::clamp(n, 1, 8);
}

// Runs body(i, worker) for i in [0, count) on up to `threads` workers (the caller and the shared pool's,
// work_pool.h); worker in [0, threads)
// indexes per-worker scratch buffers. Exceptions in workers are caught and reported through the return value.
template <typename Body>
bool parallelFor(int count, int threads, Body&& body) {
    std::atomic<int> next{0};
    std::atomic<bool> failed{false};
    auto worker = [&](int index) {
        try {
            for (int i = next.fetch_add(1); i < count && !failed.load(); i = next.fetch_add(1)) body(i, index);
        } catch (...) {
            failed = true;
        }
    };
    runWorkers(std::max(1, std::min(threads, count)), worker);
    return !failed.load();
}

// ---- Normalisation --------------------------------------------------------------------------------------------

struct NormalizationScan {
    MetricsNormalization norm;
    std::int64_t countedTexels = 0;
};

// Luminance (channels clamped to >= 0) of one row into lum[]; 0 where the texel does not count. Returns the number
// of counted texels and raises peak to their largest channel value.
std::int64_t rowLuminance(const ImageView& ref, int y, float* lum, float& peak) {
    const float* row = ref.row(y);
    const std::uint8_t* mrow = ref.mask ? ref.mask + std::ptrdiff_t(y) * ref.maskStride : nullptr;
    std::int64_t count = 0;
    float pk = peak;
    for (int x = 0; x < ref.width; ++x) {
        const float* t = row + 3 * x;
        const bool ok = (!mrow || mrow[x]) && std::isfinite(t[0]) && std::isfinite(t[1]) && std::isfinite(t[2]);
        const float l = lumOf(std::max(t[0], 0.0f), std::max(t[1], 0.0f), std::max(t[2], 0.0f));
        lum[x] = ok ? l : 0.0f;
        pk = ok ? std::max(pk, std::max(t[0], std::max(t[1], t[2]))) : pk;
        count += ok;
    }
    peak = pk;
    return count;
}

// Exact order statistics of the positive luminances: the luminances go to a buffer (rows in parallel), a histogram
// over their top 16 float bits (the sign bit is always 0, so bit order is value order) finds the bins that hold
// the wanted ranks, and an nth_element inside those few bins gives the exact values.
NormalizationScan scanReference(const ImageView& ref, int threads) {
    NormalizationScan scan;
    const std::size_t w = std::size_t(ref.width);
    std::vector<float> lum(w * std::size_t(ref.height));
    std::vector<float> rowPeak(std::size_t(ref.height), 0.0f);
    std::vector<std::int64_t> rowCount(std::size_t(ref.height), 0);
    const int strips = (ref.height + kStripRows - 1) / kStripRows;
    const bool ok =
        parallelFor(strips, std::min(resolveThreads(threads, ref.texelCount()), strips), [&](int strip, int) {
            const int y1 = std::min(ref.height, (strip + 1) * kStripRows);
            for (int y = strip * kStripRows; y < y1; ++y)
                rowCount[y] = rowLuminance(ref, y, lum.data() + std::size_t(y) * w, rowPeak[y]);
        });
    if (!ok) throw std::bad_alloc();
    float peak = 0.0f;
    for (int y = 0; y < ref.height; ++y) {
        scan.countedTexels += rowCount[y];
        peak = std::max(peak, rowPeak[y]);
    }
    std::vector<std::uint32_t> hist(1u << 15, 0);
    std::int64_t n = 0;
    for (float l : lum)
        if (l > 0.0f && std::isfinite(l)) {
            ++hist[floatBits(l) >> 16];
            ++n;
        }
    MetricsNormalization& norm = scan.norm;
    norm.linearPeak = peak;
    norm.positiveTexels = n;
    if (n == 0) {
        norm.exposureReference = 1.0;
        norm.exposureFallback = true;
        norm.logPeak = std::max(1.0, std::log2(1.0 + double(peak)));
        norm.mPsnrMinStop = norm.mPsnrMaxStop = 0;
        return scan;
    }
    const double ps[3] = {kExposurePercentile, kMPsnrHighPercentile, kMPsnrLowPercentile};
    std::int64_t rank[3];
    std::uint32_t bin[3];
    std::int64_t before[3];
    for (int k = 0; k < 3; ++k) {
        rank[k] = std::int64_t(std::floor(ps[k] * double(n - 1)));
        std::int64_t cum = 0;
        std::uint32_t b = 0;
        while (cum + std::int64_t(hist[b]) <= rank[k]) cum += hist[b++];
        bin[k] = b;
        before[k] = cum;
    }
    std::vector<float> members[3];
    for (int k = 0; k < 3; ++k) members[k].reserve(hist[bin[k]]);
    for (float l : lum) {
        if (!(l > 0.0f) || !std::isfinite(l)) continue;
        const std::uint32_t b = floatBits(l) >> 16;
        for (int k = 0; k < 3; ++k)
            if (b == bin[k]) members[k].push_back(l);
    }
    double value[3];
    for (int k = 0; k < 3; ++k) {
        auto& m = members[k];
        auto nth = m.begin() + (rank[k] - before[k]);
        std::nth_element(m.begin(), nth, m.end());
        value[k] = *nth;
    }
    const double e = value[0];
    norm.exposureReference = e;
    norm.logPeak = std::max(1.0, std::log2(1.0 + double(peak) / e));
    const double yHi = value[1] / e, yLo = value[2] / e;
    int cmin = int(std::clamp(std::floor(-std::log2(yHi)), -120.0, 120.0));
    int cmax = int(std::clamp(std::ceil(std::log2(kMPsnrLowTarget / yLo)), -120.0, 120.0));
    cmax = std::max(cmax, cmin);
    cmax = std::min(cmax, cmin + kMPsnrMaxSpan);
    norm.mPsnrMinStop = cmin;
    norm.mPsnrMaxStop = cmax;
    return scan;
}

// ---- Metrics --------------------------------------------------------------------------------------------------

struct RowSums {
    double linSq = 0, logSq = 0, mSq = 0, puSq = 0, ssim = 0;
    float maxAbs = 0;
    std::int64_t texels = 0, nonFinite = 0, excluded = 0;
};

struct MetricsJob {
    ImageView ref, test;
    MetricsNormalization norm;
    unsigned metrics = kMetricAll;
    float invE = 1, peak = 0, puScale = 0, lumScale = 0;  // 1/E, P, 50, 50/E
    std::vector<float> stopScale;                         // 255 * 2^(c / 2.2) for each stop
    std::array<double, kSsimRadius + 1> weights{};        // w_0 .. w_5 of the symmetric Gaussian
    std::vector<RowSums> rows;
};

// Scratch buffers of one worker, reused across strips.
constexpr int kPlanes = 6;  // SSIM sums: m, x, y, xx, yy, xy
constexpr int kRing = 2 * kSsimRadius + 1;
struct Scratch {
    std::vector<float> a, b, an, bn, ga, gb;
    // SSIM: ring of 11 horizontally filtered rows plus each row's mask; padded input planes of one row.
    int width = 0;
    std::vector<double> ring;            // [kRing][kPlanes][width]
    std::vector<std::uint8_t> ringMask;  // [kRing][width]
    std::vector<double> in;              // [kPlanes][width + 2 * kSsimRadius]
    std::vector<double> acc;             // [kPlanes][width]
    std::vector<double> ssim;            // [width]
};

// Sum of f(i)^2 over [0, n) in 8 independent float lanes: the compiler vectorises this (a plain reduction into one
// accumulator stays scalar without -ffast-math), and the lanes keep the rounding error small.
template <typename Diff>
double sumOfSquares(std::size_t n, Diff diff) {
    constexpr std::size_t kLanes = 8;
    float lanes[kLanes] = {};
    std::size_t i = 0;
    for (; i + kLanes <= n; i += kLanes)
        for (std::size_t j = 0; j < kLanes; ++j) {
            const float d = diff(i + j);
            lanes[j] += d * d;
        }
    double total = 0;
    for (; i < n; ++i) {
        const float d = diff(i);
        total += double(d) * double(d);
    }
    for (float l : lanes) total += double(l);
    return total;
}

void pointwiseRow(MetricsJob& job, Scratch& s, int y) {
    const ImageView& ref = job.ref;
    const float* r = ref.row(y);
    const float* t = job.test.row(y);
    const int w = ref.width;
    s.a.resize(3 * std::size_t(w));
    s.b.resize(3 * std::size_t(w));
    RowSums& sums = job.rows[y];
    std::size_t n = 0;
    float* a = s.a.data();
    float* b = s.b.data();
    for (int x = 0; x < w; ++x) {
        const float* rt = r + 3 * x;
        if (!ref.covered(x, y)) continue;
        if (!(std::isfinite(rt[0]) && std::isfinite(rt[1]) && std::isfinite(rt[2]))) {
            ++sums.excluded;
            continue;
        }
        for (int c = 0; c < 3; ++c) {
            float bv = t[3 * x + c];
            if (!std::isfinite(bv)) {
                bv = substitute(rt[c], job.peak);
                ++sums.nonFinite;
            }
            a[n] = rt[c];
            b[n] = bv;
            ++n;
        }
    }
    sums.texels = std::int64_t(n / 3);
    if (n == 0) return;
    {
        // Linear errors in double: values up to 65504 and beyond.
        double lanes[4] = {};
        float maxAbs = 0;
        std::size_t i = 0;
        for (; i + 4 <= n; i += 4)
            for (std::size_t j = 0; j < 4; ++j) {
                const double d = double(a[i + j]) - double(b[i + j]);
                lanes[j] += d * d;
            }
        double linSq = lanes[0] + lanes[1] + lanes[2] + lanes[3];
        for (; i < n; ++i) {
            const double d = double(a[i]) - double(b[i]);
            linSq += d * d;
        }
        for (i = 0; i < n; ++i) maxAbs = std::max(maxAbs, std::fabs(a[i] - b[i]));
        sums.linSq = linSq;
        sums.maxAbs = maxAbs;
    }
    if (!(job.metrics & (kMetricLogPsnr | kMetricMPsnr | kMetricPu21Psnr))) return;

    s.an.resize(n);
    s.bn.resize(n);
    float* an = s.an.data();
    float* bn = s.bn.data();
    const float invE = job.invE;
    for (std::size_t i = 0; i < n; ++i) {
        an[i] = std::min(std::max(a[i], 0.0f) * invE, kMaxNormalised);
        bn[i] = std::min(std::max(b[i], 0.0f) * invE, kMaxNormalised);
    }
    // The tables are scalar lookups; their results go to arrays so that the arithmetic after them vectorises.
    s.ga.resize(n);
    s.gb.resize(n);
    float* ga = s.ga.data();
    float* gb = s.gb.data();
    if (job.metrics & kMetricLogPsnr) {
        const FloatTable& lg = logTable();
        for (std::size_t i = 0; i < n; ++i) {
            ga[i] = lg(an[i]);
            gb[i] = lg(bn[i]);
        }
        sums.logSq = sumOfSquares(n, [&](std::size_t i) { return ga[i] - gb[i]; });
    }
    if (job.metrics & kMetricPu21Psnr) {
        const FloatTable& pu = pu21Table();
        const float scale = job.puScale;
        for (std::size_t i = 0; i < n; ++i) {
            ga[i] = pu21Fast(pu, an[i] * scale);
            gb[i] = pu21Fast(pu, bn[i] * scale);
        }
        sums.puSq = sumOfSquares(n, [&](std::size_t i) { return ga[i] - gb[i]; });
    }
    if (job.metrics & kMetricMPsnr) {
        // (2^c x)^(1/2.2) = 2^(c/2.2) x^(1/2.2): one gamma per value, then a multiply and a clamp per exposure.
        const FloatTable& gm = gammaTable();
        for (std::size_t i = 0; i < n; ++i) {
            ga[i] = gm(an[i]);
            gb[i] = gm(bn[i]);
        }
        double acc = 0;
        for (float k : job.stopScale)
            acc += sumOfSquares(
                n, [&](std::size_t i) { return std::min(k * ga[i], 255.0f) - std::min(k * gb[i], 255.0f); });
        sums.mSq = acc;
    }
}

// Input planes of one row for SSIM: m, PU21 of the luminance of reference (x) and test (y), and their products,
// padded with kSsimRadius zeros on both sides. Texels that do not count get m = 0 and values 0, so they add nothing
// to any sum.
void ssimInputRow(const MetricsJob& job, Scratch& s, int y) {
    const ImageView& ref = job.ref;
    const int w = ref.width;
    const std::size_t stride = std::size_t(w) + 2 * kSsimRadius;
    const float* r = ref.row(y);
    const float* t = job.test.row(y);
    const FloatTable& pu = pu21Table();
    const float scale = job.lumScale;
    double* pm = s.in.data() + kSsimRadius;
    double* px = pm + stride;
    double* py = pm + 2 * stride;
    for (int x = 0; x < w; ++x) {
        const float* rt = r + 3 * x;
        if (!counted(ref, x, y, rt)) {
            px[x] = py[x] = pm[x] = 0.0;
            continue;
        }
        float tv[3];
        for (int c = 0; c < 3; ++c) {
            tv[c] = t[3 * x + c];
            if (!std::isfinite(tv[c])) tv[c] = substitute(rt[c], job.peak);
        }
        const float la = lumOf(std::max(rt[0], 0.0f), std::max(rt[1], 0.0f), std::max(rt[2], 0.0f));
        const float lb = lumOf(std::max(tv[0], 0.0f), std::max(tv[1], 0.0f), std::max(tv[2], 0.0f));
        // x / E then * 50 in one multiply; clamped by the table to [0.005, 10000] (Inf included).
        px[x] = pu21Fast(pu, la * scale);
        py[x] = pu21Fast(pu, lb * scale);
        pm[x] = 1.0;
    }
    double* pxx = pm + 3 * stride;
    double* pyy = pm + 4 * stride;
    double* pxy = pm + 5 * stride;
    for (int x = 0; x < w; ++x) {
        pxx[x] = px[x] * px[x];
        pyy[x] = py[x] * py[x];
        pxy[x] = px[x] * py[x];
    }
}

// Symmetric 11-tap Gaussian along the row, for each plane, into ring slot `slot`.
LMC_HOT_LOOP void horizontalFilter(const MetricsJob& job, Scratch& s, int y, int slot) {
    const int w = s.width;
    const std::size_t stride = std::size_t(w) + 2 * kSsimRadius;
    const double* wt = job.weights.data();
    for (int p = 0; p < kPlanes; ++p) {
        const double* src = s.in.data() + p * stride + kSsimRadius;
        double* out = s.ring.data() + (std::size_t(slot) * kPlanes + p) * w;
        for (int x = 0; x < w; ++x) {
            double v = wt[0] * src[x];
            for (int k = 1; k <= kSsimRadius; ++k) v += wt[k] * (src[x - k] + src[x + k]);
            out[x] = v;
        }
    }
    std::uint8_t* mask = s.ringMask.data() + std::size_t(slot) * w;
    const double* pm = s.in.data() + kSsimRadius;
    for (int x = 0; x < w; ++x) mask[x] = pm[x] != 0.0;
}

LMC_HOT_LOOP void ssimRow(MetricsJob& job, Scratch& s, int y) {
    const int w = s.width;
    const int h = job.ref.height;
    const double* wt = job.weights.data();
    // Rows outside the image are simply left out (m = 0 there): the window is truncated and renormalised.
    const double* rowsAt[kRing];
    for (int j = -kSsimRadius; j <= kSsimRadius; ++j) {
        const int yy = y + j;
        rowsAt[j + kSsimRadius] = (yy < 0 || yy >= h) ? nullptr : s.ring.data() + std::size_t(yy % kRing) * kPlanes * w;
    }
    const std::size_t planeSize = std::size_t(kPlanes) * w;
    double* acc = s.acc.data();
    const double* centre = rowsAt[kSsimRadius];
    for (std::size_t i = 0; i < planeSize; ++i) acc[i] = wt[0] * centre[i];
    for (int k = 1; k <= kSsimRadius; ++k) {
        const double* up = rowsAt[kSsimRadius - k];
        const double* down = rowsAt[kSsimRadius + k];
        if (up && down) {
            for (std::size_t i = 0; i < planeSize; ++i) acc[i] += wt[k] * (up[i] + down[i]);
        } else if (up || down) {
            const double* one = up ? up : down;
            for (std::size_t i = 0; i < planeSize; ++i) acc[i] += wt[k] * one[i];
        }
    }
    const double* sm = acc;
    const double* sx = sm + w;
    const double* sy = sm + 2 * std::size_t(w);
    const double* sxx = sm + 3 * std::size_t(w);
    const double* syy = sm + 4 * std::size_t(w);
    const double* sxy = sm + 5 * std::size_t(w);
    const double c1 = (0.01 * kPu21PsnrPeak) * (0.01 * kPu21PsnrPeak);
    const double c2 = (0.03 * kPu21PsnrPeak) * (0.03 * kPu21PsnrPeak);
    double* out = s.ssim.data();
    // Every texel, branch-free so it vectorises; texels whose window holds no counted texel (sm = 0) give garbage
    // that the masked sum below skips.
    for (int x = 0; x < w; ++x) {
        const double inv = 1.0 / (sm[x] > 0.0 ? sm[x] : 1.0);
        const double mx = sx[x] * inv, my = sy[x] * inv;
        const double vx = sxx[x] * inv - mx * mx;
        const double vy = syy[x] * inv - my * my;
        const double cxy = sxy[x] * inv - mx * my;
        out[x] = ((2.0 * mx * my + c1) * (2.0 * cxy + c2)) / ((mx * mx + my * my + c1) * (vx + vy + c2));
    }
    const std::uint8_t* mask = s.ringMask.data() + std::size_t(y % kRing) * w;
    double total = 0;
    for (int x = 0; x < w; ++x)
        if (mask[x]) total += out[x];
    job.rows[y].ssim = total;
}

void processStrip(MetricsJob& job, Scratch& s, int strip) {
    const int h = job.ref.height;
    const int y0 = strip * kStripRows;
    const int y1 = std::min(h, y0 + kStripRows);
    for (int y = y0; y < y1; ++y) pointwiseRow(job, s, y);
    if (!(job.metrics & kMetricPu21Ssim)) return;

    const int w = job.ref.width;
    if (s.width != w) {
        s.width = w;
        s.ring.assign(std::size_t(kRing) * kPlanes * w, 0.0);
        s.ringMask.assign(std::size_t(kRing) * w, 0);
        s.in.assign(std::size_t(kPlanes) * (std::size_t(w) + 2 * kSsimRadius), 0.0);
        s.acc.assign(std::size_t(kPlanes) * w, 0.0);
        s.ssim.assign(std::size_t(w), 0.0);
    }
    // Rows enter the ring (slot = row % 11) just before the first output row that needs them.
    int filled = std::max(0, y0 - kSsimRadius);
    for (int y = y0; y < y1; ++y) {
        const int need = std::min(h, y + kSsimRadius + 1);
        for (; filled < need; ++filled) {
            ssimInputRow(job, s, filled);
            horizontalFilter(job, s, filled, filled % kRing);
        }
        ssimRow(job, s, y);
    }
}

Result<QualityMetrics> runMetrics(const ImageView& ref, const ImageView& test, const MetricsNormalization& norm,
                                  const MetricsOptions& options) {
    MetricsJob job;
    job.ref = ref;
    job.test = test;
    job.norm = norm;
    job.metrics = options.metrics & kMetricAll;
    job.invE = inverseScale(1.0, norm.exposureReference);
    job.peak = float(norm.linearPeak);
    job.puScale = float(kPu21ReferenceLuminance);
    job.lumScale = inverseScale(kPu21ReferenceLuminance, norm.exposureReference);
    for (int c = norm.mPsnrMinStop; c <= norm.mPsnrMaxStop; ++c)
        job.stopScale.push_back(float(255.0 * std::exp2(double(c) / kMPsnrGamma)));
    for (int k = 0; k <= kSsimRadius; ++k) job.weights[k] = std::exp(-double(k * k) / (2.0 * kSsimSigma * kSsimSigma));
    job.rows.assign(ref.height, RowSums{});
    // Build the tables before the workers race for them (static init is thread-safe, this only avoids a stall).
    (void)gammaTable();
    (void)logTable();
    (void)pu21Table();

    const int strips = (ref.height + kStripRows - 1) / kStripRows;
    const int threads = std::min(resolveThreads(options.threads, ref.texelCount()), strips);
    std::vector<Scratch> scratch(std::size_t(std::max(threads, 1)));
    const bool ok =
        parallelFor(strips, threads, [&](int strip, int worker) { processStrip(job, scratch[worker], strip); });
    if (!ok) return makeError(ErrorCode::Internal, "metrics: out of memory");

    RowSums total;
    for (const RowSums& r : job.rows) {
        total.linSq += r.linSq;
        total.logSq += r.logSq;
        total.mSq += r.mSq;
        total.puSq += r.puSq;
        total.ssim += r.ssim;
        total.maxAbs = std::max(total.maxAbs, r.maxAbs);
        total.texels += r.texels;
        total.nonFinite += r.nonFinite;
        total.excluded += r.excluded;
    }
    if (total.texels == 0)
        return makeError(ErrorCode::InvalidArgument, "no covered texel with a finite reference value to compare");
    QualityMetrics m;
    const double values = 3.0 * double(total.texels);
    const double nan = std::numeric_limits<double>::quiet_NaN();
    m.rmse = std::sqrt(total.linSq / values);
    m.maxAbsError = total.maxAbs;
    m.logPsnr = (job.metrics & kMetricLogPsnr) ? psnrFromMse(total.logSq / values, norm.logPeak) : nan;
    m.mPsnr =
        (job.metrics & kMetricMPsnr) ? psnrFromMse(total.mSq / (values * double(job.stopScale.size())), 255.0) : nan;
    m.pu21Psnr = (job.metrics & kMetricPu21Psnr) ? psnrFromMse(total.puSq / values, kPu21PsnrPeak) : nan;
    m.pu21Ssim = (job.metrics & kMetricPu21Ssim) ? total.ssim / double(total.texels) : nan;
    m.exposureReference = norm.exposureReference;
    m.exposureFallback = norm.exposureFallback;
    m.mPsnrMinStop = norm.mPsnrMinStop;
    m.mPsnrMaxStop = norm.mPsnrMaxStop;
    m.texelsCompared = total.texels;
    m.nonFiniteTestValues = total.nonFinite;
    m.excludedReferenceTexels = total.excluded;
    return m;
}

}  // namespace

double pu21Encode(double luminance) {
    const double y =
        std::clamp(std::isnan(luminance) ? kPu21MinLuminance : luminance, kPu21MinLuminance, kPu21MaxLuminance);
    return std::max(pu21Raw(y), 0.0);
}

double psnrFromMse(double mse, double peak) {
    if (!(mse > 0)) return kPsnrCapDb;
    const double v = 10.0 * std::log10(peak * peak / mse);
    return std::min(v, kPsnrCapDb);
}

namespace {
Result<MetricsNormalization> normalizationFor(const ImageView& reference, int threads) {
    if (auto s = checkView(reference, "reference"); !s) return s.error();
    try {
        NormalizationScan scan = scanReference(reference, threads);
        if (scan.countedTexels == 0)
            return makeError(ErrorCode::InvalidArgument, "the reference has no covered texel with finite values");
        return scan.norm;
    } catch (const std::exception& e) {
        return makeError(ErrorCode::Internal, std::string("metrics: ") + e.what());
    }
}
}  // namespace

namespace {
// The normalisation a call uses: the caller's (validated) or the reference's own. `requireCounted`: a reference
// without a counted texel is an error (metrics) rather than an all-NaN result (error maps).
Result<MetricsNormalization> resolveNormalization(const ImageView& reference, const MetricsOptions& options,
                                                  bool requireCounted) {
    if (options.normalization) {
        if (!validNormalization(*options.normalization))
            return makeError(ErrorCode::InvalidArgument, "invalid metrics normalisation");
        return *options.normalization;
    }
    NormalizationScan scan = scanReference(reference, options.threads);
    if (requireCounted && scan.countedTexels == 0)
        return makeError(ErrorCode::InvalidArgument, "no covered texel with a finite reference value to compare");
    return scan.norm;
}
}  // namespace

Result<MetricsNormalization> computeNormalization(const ImageView& reference) {
    return normalizationFor(reference, 0);
}

Result<QualityMetrics> computeMetrics(const ImageView& reference, const ImageView& test,
                                      const MetricsOptions& options) {
    if (auto s = checkPair(reference, test); !s) return s.error();
    try {
        auto norm = resolveNormalization(reference, options, true);
        if (!norm) return norm.error();
        std::vector<std::uint8_t> maskStorage;
        return runMetrics(withMaskMode(reference, options.mask, maskStorage), test, *norm, options);
    } catch (const std::exception& e) {
        return makeError(ErrorCode::Internal, std::string("metrics: ") + e.what());
    }
}

Result<QualityMetrics> computeRegionMetrics(const ImageView& reference, const ImageView& test,
                                            const MetricsRegion& region, const MetricsOptions& options) {
    if (auto s = checkPair(reference, test); !s) return s.error();
    if (region.width <= 0 || region.height <= 0 || region.x < 0 || region.y < 0 ||
        region.x > reference.width - region.width || region.y > reference.height - region.height)
        return makeError(ErrorCode::InvalidArgument,
                         "region " + std::to_string(region.width) + "x" + std::to_string(region.height) + "+" +
                             std::to_string(region.x) + "+" + std::to_string(region.y) + " is not inside the " +
                             std::to_string(reference.width) + "x" + std::to_string(reference.height) + " image");
    MetricsNormalization norm;
    if (options.normalization) {
        norm = *options.normalization;
    } else {
        auto n = normalizationFor(reference, options.threads);
        if (!n) return n.error();
        norm = *n;
    }
    MetricsOptions regionOptions = options;
    regionOptions.normalization = &norm;
    regionOptions.mask = MaskMode::Covered;  // the mask below already selects the mode's texels
    std::vector<std::uint8_t> maskStorage;
    ImageView counted;
    try {
        counted = withMaskMode(reference, options.mask, maskStorage);
    } catch (const std::bad_alloc&) {
        return makeError(ErrorCode::Internal, "metrics: out of memory");
    }
    return computeMetrics(counted.crop(region.x, region.y, region.width, region.height),
                          test.crop(region.x, region.y, region.width, region.height), regionOptions);
}

namespace {

// What one error-map value needs, derived once from the normalisation.
struct ErrorConstants {
    float e, invE, peak, relEps, logEps, puScale;
    const FloatTable* pu;
};

ErrorConstants errorConstants(const MetricsNormalization& norm) {
    const float e = float(norm.exposureReference);
    return {e,
            inverseScale(1.0, norm.exposureReference),
            float(norm.linearPeak),
            float(kRelativeErrorEpsilon) * e,
            float(kRelativeErrorEpsilon),
            inverseScale(kPu21ReferenceLuminance, norm.exposureReference),
            &pu21Table()};
}

// The value of one counted texel (reference channels rt, test channels t), non-finite test channels substituted.
float errorValue(ErrorMapKind kind, const float* rt, const float* t, const ErrorConstants& k) {
    float tv[3];
    for (int c = 0; c < 3; ++c) {
        tv[c] = t[c];
        if (!std::isfinite(tv[c])) tv[c] = substitute(rt[c], k.peak);
    }
    float v = 0;
    switch (kind) {
        case ErrorMapKind::Absolute:
            for (int c = 0; c < 3; ++c) v += std::fabs(rt[c] - tv[c]);
            return v / 3.0f;
        case ErrorMapKind::Relative:
            for (int c = 0; c < 3; ++c) v += std::fabs(rt[c] - tv[c]) / (std::fabs(rt[c]) + k.relEps);
            return v / 3.0f;
        case ErrorMapKind::LogRatio:
            for (int c = 0; c < 3; ++c) {
                const float an = std::min(std::max(rt[c], 0.0f) * k.invE, kMaxNormalised);
                const float bn = std::min(std::max(tv[c], 0.0f) * k.invE, kMaxNormalised);
                v += std::fabs(std::log2(bn + k.logEps) - std::log2(an + k.logEps));
            }
            return v / 3.0f;
        case ErrorMapKind::Pu21: {
            const float la = lumOf(std::max(rt[0], 0.0f), std::max(rt[1], 0.0f), std::max(rt[2], 0.0f));
            const float lb = lumOf(std::max(tv[0], 0.0f), std::max(tv[1], 0.0f), std::max(tv[2], 0.0f));
            return std::fabs(pu21Fast(*k.pu, lb * k.puScale) - pu21Fast(*k.pu, la * k.puScale));
        }
        case ErrorMapKind::SignedLogRatio:
            for (int c = 0; c < 3; ++c) {
                const float an = std::min(std::max(rt[c], 0.0f) * k.invE, kMaxNormalised);
                const float bn = std::min(std::max(tv[c], 0.0f) * k.invE, kMaxNormalised);
                v += std::log2(bn + k.logEps) - std::log2(an + k.logEps);
            }
            return v / 3.0f;
    }
    return kNaN;
}

// Whether `mode` counts texel (x, y) of the reference's mask, without building the whole mask (the visible ring is
// the covered 3x3 neighbourhood, as visibleMask computes it).
bool maskSelects(const ImageView& reference, int x, int y, MaskMode mode) {
    if (!reference.hasMask() || mode == MaskMode::All) return true;
    if (mode == MaskMode::Covered) return reference.covered(x, y);
    for (int dy = -1; dy <= 1; ++dy)
        for (int dx = -1; dx <= 1; ++dx) {
            const int qx = x + dx, qy = y + dy;
            if (qx >= 0 && qy >= 0 && qx < reference.width && qy < reference.height && reference.covered(qx, qy))
                return true;
        }
    return false;
}

}  // namespace

Result<ErrorMap> computeErrorMap(const ImageView& fullReference, const ImageView& test, ErrorMapKind kind,
                                 const MetricsOptions& options) {
    if (auto s = checkPair(fullReference, test); !s) return s.error();
    try {
        auto norm = resolveNormalization(fullReference, options, false);  // no counted texel: an all-NaN map
        if (!norm) return norm.error();
        std::vector<std::uint8_t> maskStorage;
        const ImageView reference = withMaskMode(fullReference, options.mask, maskStorage);
        ErrorMap map;
        map.width = reference.width;
        map.height = reference.height;
        map.values.assign(std::size_t(reference.texelCount()), kNaN);
        const ErrorConstants k = errorConstants(*norm);
        const int threads = resolveThreads(options.threads, reference.texelCount());
        const bool ok = parallelFor(reference.height, threads, [&](int y, int) {
            const float* r = reference.row(y);
            const float* t = test.row(y);
            float* out = map.values.data() + std::size_t(y) * reference.width;
            for (int x = 0; x < reference.width; ++x)
                if (counted(reference, x, y, r + 3 * x)) out[x] = errorValue(kind, r + 3 * x, t + 3 * x, k);
        });
        if (!ok) return makeError(ErrorCode::Internal, "error map: out of memory");
        return map;
    } catch (const std::exception& e) {
        return makeError(ErrorCode::Internal, std::string("error map: ") + e.what());
    }
}

Result<double> errorAt(const ImageView& reference, const ImageView& test, int x, int y, ErrorMapKind kind,
                       const MetricsOptions& options) {
    if (auto s = checkPair(reference, test); !s) return s.error();
    if (x < 0 || y < 0 || x >= reference.width || y >= reference.height)
        return makeError(ErrorCode::InvalidArgument,
                         "texel " + std::to_string(x) + ", " + std::to_string(y) + " is outside the image");
    try {
        auto norm = resolveNormalization(reference, options, false);
        if (!norm) return norm.error();
        const float* rt = reference.texel(x, y);
        if (!maskSelects(reference, x, y, options.mask) || !std::isfinite(rt[0]) || !std::isfinite(rt[1]) ||
            !std::isfinite(rt[2]))
            return double(kNaN);
        return double(errorValue(kind, rt, test.texel(x, y), errorConstants(*norm)));
    } catch (const std::exception& e) {
        return makeError(ErrorCode::Internal, std::string("error at a texel: ") + e.what());
    }
}

}  // namespace lmc
