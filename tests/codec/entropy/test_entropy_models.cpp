// Entropy models: pmf quantisation, table sets and their serialisation, the Gaussian conditional's scale tables
// (golden checksum, deterministic index mapping) and factorized-prior tables, with real coding round trips.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <queue>
#include <utility>
#include <vector>

#include "codec/entropy/cdf.h"
#include "codec/entropy/factorized_prior.h"
#include "codec/entropy/gaussian_conditional.h"
#include "codec/entropy/rans.h"

using namespace lmc;
using namespace lmc::entropy;

namespace {

struct Rng {
    std::uint64_t s;
    explicit Rng(std::uint64_t seed) : s(seed) {}
    std::uint64_t next() {
        std::uint64_t z = (s += 0x9e3779b97f4a7c15ull);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        return z ^ (z >> 31);
    }
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    double gaussian() {  // Box-Muller (tests only; not part of any golden value)
        const double u1 = 1.0 - uniform();
        const double u2 = uniform();
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
    }
};

std::uint64_t sum(const std::vector<std::uint32_t>& f) {
    std::uint64_t s = 0;
    for (std::uint32_t v : f) s += v;
    return s;
}

// Expected extra bits per symbol of coding pmf p with quantised frequencies f, over the entropy of p.
double overheadBits(const std::vector<double>& p, const std::vector<std::uint32_t>& f) {
    double total = 0.0;
    for (double v : p) total += v;
    double overhead = 0.0;
    for (std::size_t i = 0; i < p.size(); ++i) {
        if (p[i] <= 0) continue;
        const double q = p[i] / total;
        overhead += q * std::log2(q / (f[i] / static_cast<double>(kCdfTotal)));
    }
    return overhead;
}

// The best possible integer frequencies for p (f >= 1, sum 2^16): greedy by exact marginal gain, which is optimal
// for this separable concave problem. Returns their overhead in bits per symbol.
double optimalOverheadBits(const std::vector<double>& p) {
    std::vector<std::uint32_t> f(p.size(), 1);
    using Item = std::pair<double, std::size_t>;
    std::priority_queue<Item> queue;
    auto gain = [&](std::size_t i) { return p[i] * std::log2((f[i] + 1.0) / f[i]); };
    for (std::size_t i = 0; i < p.size(); ++i) queue.push({gain(i), i});
    for (std::size_t left = kCdfTotal - p.size(); left > 0; --left) {
        const std::size_t i = queue.top().second;
        queue.pop();
        ++f[i];
        queue.push({gain(i), i});
    }
    return overheadBits(p, f);
}

// CompressAI's index rule in double precision: the number of table scales (all but the last) below s.
int referenceScaleIndex(double s) {
    int index = 0;
    for (int k = 0; k < GaussianConditional::kScaleCount - 1; ++k)
        if (GaussianConditional::tableScale(k) < s) ++index;
    return index;
}

}  // namespace

TEST(QuantizePmf, SumsExactlyWithEveryFrequencyPositive) {
    Rng rng(1);
    for (int trial = 0; trial < 200; ++trial) {
        const std::size_t n = 1 + static_cast<std::size_t>(rng.next() % (trial < 190 ? 64 : 70000 - 1));
        if (n > kMaxTableSymbols) continue;
        std::vector<double> pmf(n);
        for (auto& v : pmf) v = (rng.next() % 4 == 0) ? 0.0 : std::pow(rng.uniform(), 8.0);
        pmf[rng.next() % n] = 0.5;  // never all zero
        auto f = quantizePmf(pmf);
        ASSERT_TRUE(f.ok()) << f.error().message;
        ASSERT_EQ(f->size(), n);
        EXPECT_EQ(sum(*f), kCdfTotal);
        for (std::uint32_t v : *f) ASSERT_GE(v, 1u);
    }
}

TEST(QuantizePmf, EdgeCases) {
    // Uniform over the maximum size: every symbol gets exactly 1.
    auto full = quantizePmf(std::vector<double>(kMaxTableSymbols, 3.0));
    ASSERT_TRUE(full.ok());
    EXPECT_EQ(full->front(), 1u);
    EXPECT_EQ(full->back(), 1u);
    // Highly skewed: the big symbol takes all but the minimum of the others.
    std::vector<double> skewed(10, 1e-12);
    skewed[3] = 1.0;
    auto s = quantizePmf(skewed);
    ASSERT_TRUE(s.ok());
    EXPECT_EQ((*s)[3], kCdfTotal - 9);
    EXPECT_EQ((*s)[0], 1u);
    // A single symbol takes the whole range.
    auto one = quantizePmf(std::vector<double>{0.3});
    ASSERT_TRUE(one.ok());
    EXPECT_EQ((*one)[0], kCdfTotal);
    // Proportions are respected where they can be.
    auto halves = quantizePmf(std::vector<double>{1, 1, 2});
    ASSERT_TRUE(halves.ok());
    EXPECT_EQ(*halves, (std::vector<std::uint32_t>{16384, 16384, 32768}));
}

TEST(QuantizePmf, RejectsInvalidInput) {
    EXPECT_FALSE(quantizePmf(std::vector<double>{}).ok());
    EXPECT_FALSE(quantizePmf(std::vector<double>{0.0, 0.0}).ok());
    EXPECT_FALSE(quantizePmf(std::vector<double>{0.5, -0.1}).ok());
    EXPECT_FALSE(quantizePmf(std::vector<double>{0.5, std::nan("")}).ok());
    EXPECT_FALSE(quantizePmf(std::vector<double>{0.5, std::numeric_limits<double>::infinity()}).ok());
    EXPECT_FALSE(quantizePmf(std::vector<double>(kMaxTableSymbols + 1, 1.0)).ok());
    auto r = quantizePmf(std::vector<double>{-1.0});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::InvalidArgument);
}

TEST(QuantizePmf, DeterministicAndScaleInvariant) {
    Rng rng(2);
    std::vector<double> pmf(777);
    for (auto& v : pmf) v = rng.uniform() * rng.uniform();
    auto a = quantizePmf(pmf);
    auto b = quantizePmf(pmf);
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_EQ(*a, *b);
    // Scaling by a power of two changes nothing (the normalisation is an exact ldexp).
    std::vector<double> scaled(pmf);
    for (auto& v : scaled) v = std::ldexp(v, -300);
    auto c = quantizePmf(scaled);
    ASSERT_TRUE(c.ok());
    EXPECT_EQ(*a, *c);
}

TEST(QuantizePmf, CostsAlmostNothingOverTheEntropy) {
    // A discretised Laplacian over 401 symbols, many of them far below 2^-16.
    std::vector<double> pmf(401);
    for (int i = 0; i < 401; ++i) pmf[static_cast<std::size_t>(i)] = std::exp(-std::abs(i - 200) / 6.0);
    auto f = quantizePmf(pmf);
    ASSERT_TRUE(f.ok());
    // About 300 of the symbols lie below 2^-16 and must still get frequency 1: that costs every quantiser ~0.006
    // bits per symbol (entropy ~4.9 bits); ours must be within 1% of the optimum.
    const double overhead = overheadBits(pmf, *f);
    const double optimum = optimalOverheadBits(pmf);
    EXPECT_GT(overhead, 0.0);
    EXPECT_LE(overhead, optimum * 1.01 + 1e-6) << overhead << " vs optimum " << optimum;
    // A smooth pmf with no tiny entries: practically free.
    std::vector<double> wide(301);
    for (int i = 0; i < 301; ++i) wide[static_cast<std::size_t>(i)] = std::exp(-std::abs(i - 150) / 80.0);
    auto g = quantizePmf(wide);
    ASSERT_TRUE(g.ok());
    EXPECT_LT(overheadBits(wide, *g), 1e-4);
    EXPECT_LE(overheadBits(wide, *g), optimalOverheadBits(wide) * 1.01 + 1e-7);
}

TEST(CdfTableSet, ValidatesSpecs) {
    CdfTableSpec good;
    good.frequencies = {kCdfTotal - 1, 1};
    EXPECT_TRUE(CdfTableSet::fromSpecs({good}).ok());
    EXPECT_FALSE(CdfTableSet::fromSpecs({}).ok());
    CdfTableSpec tooFew;
    tooFew.frequencies = {kCdfTotal};
    EXPECT_FALSE(CdfTableSet::fromSpecs({tooFew}).ok());
    CdfTableSpec zero;
    zero.frequencies = {kCdfTotal, 0};
    EXPECT_FALSE(CdfTableSet::fromSpecs({zero}).ok());
    CdfTableSpec badSum;
    badSum.frequencies = {100, 100};
    EXPECT_FALSE(CdfTableSet::fromSpecs({good, badSum}).ok());
    // The largest directly coded value, offset + n - 2, must fit int32.
    CdfTableSpec overflow;
    overflow.frequencies = {kCdfTotal - 2, 1, 1};
    overflow.offset = std::numeric_limits<std::int32_t>::max();
    EXPECT_FALSE(CdfTableSet::fromSpecs({overflow}).ok());
    overflow.offset = std::numeric_limits<std::int32_t>::max() - 1;
    auto ok = CdfTableSet::fromSpecs({overflow});
    ASSERT_TRUE(ok.ok());
    EXPECT_EQ(ok->maxValue(0), std::numeric_limits<std::int32_t>::max());
}

TEST(CdfTableSet, SerialisationRoundTripsAndRefusesDamage) {
    Rng rng(3);
    std::vector<PmfSpec> pmfs(5);
    for (auto& p : pmfs) {
        p.offset = static_cast<std::int32_t>(rng.next() % 100) - 50;
        p.pmf.resize(2 + rng.next() % 40);
        for (auto& v : p.pmf) v = rng.uniform();
        p.tailMass = 1e-9;
    }
    auto tables = CdfTableSet::fromPmfs(pmfs);
    ASSERT_TRUE(tables.ok());
    const std::vector<std::uint8_t> bytes = tables->serialize();
    auto back = CdfTableSet::deserialize(bytes.data(), bytes.size());
    ASSERT_TRUE(back.ok()) << back.error().message;
    EXPECT_EQ(back->checksum(), tables->checksum());
    EXPECT_EQ(back->serialize(), bytes);
    for (std::size_t t = 0; t < tables->tableCount(); ++t) {
        EXPECT_EQ(back->spec(t).frequencies, tables->spec(t).frequencies);
        EXPECT_EQ(back->offset(t), tables->offset(t));
    }
    // Prefix reading inside a larger buffer.
    std::vector<std::uint8_t> framed = bytes;
    framed.push_back(42);
    std::size_t consumed = 0;
    ASSERT_TRUE(CdfTableSet::deserializePrefix(framed.data(), framed.size(), &consumed).ok());
    EXPECT_EQ(consumed, bytes.size());
    auto trailing = CdfTableSet::deserialize(framed.data(), framed.size());
    ASSERT_FALSE(trailing.ok());
    EXPECT_EQ(trailing.error().code, ErrorCode::CorruptData);
    // Every truncation fails; flips either fail or give valid tables (never a crash).
    for (std::size_t len = 0; len < bytes.size(); ++len)
        ASSERT_FALSE(CdfTableSet::deserialize(bytes.data(), len).ok()) << len;
    int refused = 0;
    for (int t = 0; t < 500; ++t) {
        std::vector<std::uint8_t> damaged = bytes;
        damaged[rng.next() % damaged.size()] ^= static_cast<std::uint8_t>(1 + rng.next() % 255);
        auto r = CdfTableSet::deserialize(damaged.data(), damaged.size());
        if (!r.ok()) {
            EXPECT_EQ(r.error().code, ErrorCode::CorruptData);
            ++refused;
        }
    }
    EXPECT_GT(refused, 250);  // most bytes are frequencies, whose sum then breaks
}

TEST(GaussianConditional, DeterministicMathMatchesLibm) {
    for (double z = 0.0; z < 9.0; z += 0.0137) {
        const double ours = GaussianConditional::deterministicErfc(z);
        const double ref = std::erfc(z);
        ASSERT_NEAR(ours, ref, ref * 2e-14 + 1e-300) << z;
        ASSERT_NEAR(GaussianConditional::deterministicErfc(-z), 2.0 - ref, 1e-15) << z;
    }
    for (double x = -740.0; x <= 0.0; x += 0.731) {
        const double ref = std::exp(x);
        ASSERT_NEAR(GaussianConditional::deterministicExp(x), ref, ref * 1e-15) << x;
    }
    EXPECT_EQ(GaussianConditional::deterministicExp(0.0), 1.0);
    EXPECT_EQ(GaussianConditional::deterministicExp(-1000.0), 0.0);
}

TEST(GaussianConditional, ScaleCodesMatchTheFormula) {
    const double a = std::log(GaussianConditional::kScaleMin);
    const double b = std::log(GaussianConditional::kScaleMax);
    for (int k = 0; k < GaussianConditional::kScaleCount; ++k) {
        const double scale = std::exp(a + (b - a) * k / (GaussianConditional::kScaleCount - 1));
        const std::int64_t expected = std::llround(scale * 65536.0);
        EXPECT_LE(std::llabs(GaussianConditional::tableScaleCode(k) - expected), 1) << k;
        if (k > 0) {
            EXPECT_GT(GaussianConditional::tableScaleCode(k), GaussianConditional::tableScaleCode(k - 1));
        }
    }
    EXPECT_EQ(GaussianConditional::tableScaleCode(63), 256 * 65536);
    EXPECT_EQ(GaussianConditional::tableScale(63), 256.0);
}

TEST(GaussianConditional, TablesAreGoldenAndDeterministic) {
    const GaussianConditional& model = GaussianConditional::instance();
    const CdfTableSet& tables = model.tables();
    ASSERT_EQ(tables.tableCount(), 64u);
    // Shape: 2c + 1 values plus the escape, offset -c, symmetric frequencies.
    EXPECT_EQ(tables.symbolCount(0), 4);      // c = ceil(0.11 * 6.109) = 1
    EXPECT_EQ(tables.symbolCount(63), 3132);  // c = ceil(256 * 6.109) = 1565
    for (std::size_t k = 0; k < tables.tableCount(); ++k) {
        const int c = -tables.offset(k);
        ASSERT_EQ(tables.symbolCount(k), 2 * c + 2);
        // Symmetric up to the one unit the exact-sum fix-up gives to the lower index of a tied pair.
        for (int a = 1; a <= c; ++a) {
            const std::int64_t right = tables.frequency(k, c + a), left = tables.frequency(k, c - a);
            ASSERT_LE(std::llabs(right - left), 1) << k;
        }
        ASSERT_EQ(tables.frequency(k, 2 * c + 1), 1u);  // the 1e-9 tail
    }
    // Built again from scratch: bit-identical.
    auto rebuilt = GaussianConditional::build();
    ASSERT_TRUE(rebuilt.ok());
    EXPECT_EQ(rebuilt->serialize(), tables.serialize());
    // Golden: any change of the construction, or a platform computing different integers, must show up here.
    EXPECT_EQ(model.checksum(), 0xa419437b636f4e82ull) << std::hex << "0x" << model.checksum();
}

TEST(GaussianConditional, QuantisedTablesFitTheGaussian) {
    const CdfTableSet& tables = GaussianConditional::instance().tables();
    for (int k : {0, 10, 25, 40, 63}) {
        const double s = GaussianConditional::tableScale(k);
        const int c = -tables.offset(static_cast<std::size_t>(k));
        std::vector<double> p;
        std::vector<std::uint32_t> f;
        for (int v = -c; v <= c; ++v) {
            p.push_back(0.5 *
                        (std::erfc(-(v + 0.5) / (s * std::sqrt(2.0))) - std::erfc(-(v - 0.5) / (s * std::sqrt(2.0)))));
            f.push_back(tables.frequency(static_cast<std::size_t>(k), v + c));
        }
        p.push_back(std::erfc((c + 0.5) / (s * std::sqrt(2.0))));  // both tails: the escape symbol
        f.push_back(tables.frequency(static_cast<std::size_t>(k), 2 * c + 1));
        // The unavoidable cost is the floor of 1 for tail symbols below 2^-16 (~0.03 bits at s = 256, 0.3% of
        // its 10 bits); ours must be within 1% of the best integer table for the same support.
        EXPECT_LE(overheadBits(p, f), optimalOverheadBits(p) * 1.01 + 1e-6) << "table " << k;
    }
}

TEST(GaussianConditional, ScaleIndexFromQuantizedIsExactAndMonotone) {
    using GC = GaussianConditional;
    EXPECT_EQ(GC::scaleIndexFromQuantized(0), 0);
    EXPECT_EQ(GC::scaleIndexFromQuantized(-5), 0);
    EXPECT_EQ(GC::scaleIndexFromQuantized(std::numeric_limits<std::int32_t>::max()), 63);
    for (int k = 0; k < 63; ++k) {
        // code_k still picks table k (table scale >= predicted scale), one code more picks k + 1.
        EXPECT_EQ(GC::scaleIndexFromQuantized(GC::tableScaleCode(k)), k);
        EXPECT_EQ(GC::scaleIndexFromQuantized(GC::tableScaleCode(k) + 1), k + 1);
        EXPECT_EQ(GC::scaleCodeMargin(GC::tableScaleCode(k)), 0);
        EXPECT_EQ(GC::scaleCodeMargin(GC::tableScaleCode(k) + 1), 0);
    }
    EXPECT_EQ(GC::scaleCodeMargin(GC::tableScaleCode(10) - 5), 5);
    EXPECT_EQ(GC::scaleCodeMargin(GC::tableScaleCode(10) + 6), 5);
    int previous = 0;
    for (std::int32_t code = 0; code < 20000000; code += 997) {
        const int index = GC::scaleIndexFromQuantized(code);
        ASSERT_GE(index, previous);
        previous = index;
    }
    // Float scales: exact Q16 rounding, CompressAI's rule away from the boundaries, robust to garbage.
    EXPECT_EQ(GC::quantizeScale(1.0f), 65536);
    EXPECT_EQ(GC::quantizeScale(0.5f + 0x1.0p-18f), 32768);  // 32768.25 rounds down
    EXPECT_EQ(GC::quantizeScale(std::nanf("")), 0);
    EXPECT_EQ(GC::quantizeScale(-3.0f), 0);
    EXPECT_EQ(GC::quantizeScale(std::numeric_limits<float>::infinity()), GC::kMaxScaleCode);
    Rng rng(4);
    int checked = 0;
    for (int i = 0; i < 20000; ++i) {
        const float s = static_cast<float>(std::exp(rng.uniform() * 8.0 - 3.0));
        const std::int32_t code = GC::quantizeScale(s);
        if (GC::scaleCodeMargin(code) < 2) continue;
        std::int32_t index = 0;
        GC::scaleIndexesFromFloat(&s, 1, &index);
        ASSERT_EQ(index, referenceScaleIndex(s)) << s;
        ++checked;
    }
    EXPECT_GT(checked, 19000);
}

TEST(GaussianConditional, ScaleIndexFromLogScaleEqualsTheExactChain) {
    // The fast lookup must pick the same table as exp -> float -> Q16 code -> index for every input; both encoder
    // and decoder use it, and streams written before it existed must still decode. Checked densely around every
    // step (where a lookup error would show), over the whole range at random, and on special values.
    using GC = GaussianConditional;
    auto exact = [](float x) {
        return GC::scaleIndexFromQuantized(GC::quantizeScale(static_cast<float>(GC::deterministicExp(double(x)))));
    };
    auto nextUp = [](float x, int n) {
        for (int i = 0; i < n; ++i) x = std::nextafter(x, std::numeric_limits<float>::infinity());
        return x;
    };
    int stepsSeen = 0;
    for (int k = 0; k < 63; ++k) {
        // The index passes k where the Q16 code passes code_k: start 2000 floats below that log-scale, walk across.
        float x = static_cast<float>(std::log((GC::tableScaleCode(k) + 0.5) / 65536.0));
        for (int i = 0; i < 2000; ++i) x = std::nextafter(x, -std::numeric_limits<float>::infinity());
        int previous = exact(x);
        for (int i = 0; i < 4000; ++i, x = nextUp(x, 1)) {
            const int want = exact(x);
            ASSERT_EQ(GC::scaleIndexFromLogScale(x), want) << x;
            ASSERT_GE(want, previous) << x;
            stepsSeen += want != previous;
            previous = want;
        }
        for (int i = 0; i < 20000; ++i, x = nextUp(x, 97)) ASSERT_EQ(GC::scaleIndexFromLogScale(x), exact(x)) << x;
    }
    EXPECT_EQ(stepsSeen, 63);  // every walk crossed its step
    Rng rng(11);
    std::vector<float> xs;
    for (int i = 0; i < 200000; ++i) xs.push_back(static_cast<float>(rng.uniform() * 40.0 - 20.0));
    for (float special : {0.0f, -0.0f, -1e30f, 1e30f, std::numeric_limits<float>::infinity(),
                          -std::numeric_limits<float>::infinity(), std::nanf(""), std::numeric_limits<float>::max(),
                          std::numeric_limits<float>::lowest(), std::numeric_limits<float>::denorm_min()})
        xs.push_back(special);
    std::vector<std::int32_t> fast(xs.size());
    GC::scaleIndexesFromLogScales(xs.data(), xs.size(), fast.data());
    for (std::size_t i = 0; i < xs.size(); ++i) ASSERT_EQ(fast[i], exact(xs[i])) << xs[i];
    EXPECT_EQ(GC::scaleIndexFromLogScale(-100.0f), 0);
    EXPECT_EQ(GC::scaleIndexFromLogScale(100.0f), 63);
}

TEST(GaussianConditional, LatentRoundTripWithinTheEstimate) {
    // A mean-scale latent: y ~ N(mu, sigma) with sigma spread over the table range, coded as round(y - mu).
    Rng rng(5);
    const GaussianConditional& model = GaussianConditional::instance();
    const std::size_t n = 200000;
    std::vector<std::int32_t> codes(n), indexes(n), values(n);
    double idealBits = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        const double sigma = std::exp(rng.uniform() * 6.0 - 2.0);  // 0.14 .. 55
        codes[i] = GaussianConditional::quantizeScale(static_cast<float>(sigma));
        values[i] = static_cast<std::int32_t>(std::lround(rng.gaussian() * sigma));
        const double v = values[i];
        const double p =
            0.5 * (std::erfc(-(v + 0.5) / (sigma * std::sqrt(2.0))) - std::erfc(-(v - 0.5) / (sigma * std::sqrt(2.0))));
        idealBits -= std::log2(std::max(p, 1e-300));
    }
    GaussianConditional::scaleIndexesFromQuantized(codes.data(), n, indexes.data());
    auto bits = estimateBits(model.tables(), values.data(), indexes.data(), n);
    ASSERT_TRUE(bits.ok());
    auto stream = ransEncode(values.data(), indexes.data(), n, model.tables());
    ASSERT_TRUE(stream.ok());
    const double payload = static_cast<double>(stream->size()) - kRansFlushBytes;
    EXPECT_LE(std::abs(payload - *bits / 8.0), *bits / 8.0 * 0.02);
    // Tables are chosen at or above the true scale (13% steps), so the model costs a little over the ideal.
    EXPECT_GT(*bits, idealBits);
    EXPECT_LT(*bits, idealBits * 1.03) << *bits / n << " vs " << idealBits / n << " bits per value";
    std::vector<std::int32_t> decoded(n);
    ASSERT_TRUE(ransDecode(stream->data(), stream->size(), indexes.data(), n, model.tables(), decoded.data()).ok());
    EXPECT_EQ(decoded, values);
}

TEST(GaussianConditional, MismatchedScaleIndexesAreCaught) {
    // The determinism trap in miniature: the decoder derives a different table for a few latents (as a float
    // jitter across a boundary would do). The stream must not decode to the original silently.
    Rng rng(6);
    const CdfTableSet& tables = GaussianConditional::instance().tables();
    const std::size_t n = 5000;
    std::vector<std::int32_t> indexes(n), values(n);
    for (std::size_t i = 0; i < n; ++i) {
        indexes[i] = static_cast<std::int32_t>(rng.next() % 40);
        values[i] =
            static_cast<std::int32_t>(std::lround(rng.gaussian() * GaussianConditional::tableScale(indexes[i])));
    }
    auto stream = ransEncode(values.data(), indexes.data(), n, tables);
    ASSERT_TRUE(stream.ok());
    std::vector<std::int32_t> jittered = indexes;
    for (std::size_t i = 100; i < n; i += 997) jittered[i] += 1;
    std::vector<std::int32_t> decoded(n);
    Status s = ransDecode(stream->data(), stream->size(), jittered.data(), n, tables, decoded.data());
    EXPECT_TRUE(!s.ok() || decoded != values);
    // The same integer codes on both sides decode exactly.
    ASSERT_TRUE(ransDecode(stream->data(), stream->size(), indexes.data(), n, tables, decoded.data()).ok());
    EXPECT_EQ(decoded, values);
}

TEST(FactorizedPrior, BuildsSerialisesAndCodesPerChannel) {
    Rng rng(7);
    FactorizedPmfs pmfs;
    pmfs.channels = 12;
    pmfs.maxLength = 60;
    pmfs.pmf.assign(12 * 60, 0.0);
    for (int c = 0; c < 12; ++c) {
        const int length = 1 + static_cast<int>(rng.next() % 60);
        const double spread = 0.3 + 5.0 * rng.uniform();
        pmfs.lengths.push_back(length);
        pmfs.offsets.push_back(-length / 2);
        for (int i = 0; i < length; ++i)
            pmfs.pmf[static_cast<std::size_t>(c * 60 + i)] = std::exp(-std::abs(i - length / 2) / spread);
        for (int i = length; i < 60; ++i) pmfs.pmf[static_cast<std::size_t>(c * 60 + i)] = 123.0;  // padding
        pmfs.tailMass.push_back(1e-6);
    }
    auto tables = buildFactorizedTables(pmfs);
    ASSERT_TRUE(tables.ok()) << tables.error().message;
    ASSERT_EQ(tables->tableCount(), 12u);
    for (int c = 0; c < 12; ++c) {
        EXPECT_EQ(tables->symbolCount(static_cast<std::size_t>(c)), pmfs.lengths[static_cast<std::size_t>(c)] + 1);
        EXPECT_EQ(tables->offset(static_cast<std::size_t>(c)), pmfs.offsets[static_cast<std::size_t>(c)]);
    }
    auto again = buildFactorizedTables(pmfs);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again->checksum(), tables->checksum());

    // A planar 12 x 32 x 32 latent, including values outside each channel's support.
    const std::size_t plane = 32 * 32;
    const std::vector<std::int32_t> indexes = channelIndexes(12, plane);
    ASSERT_EQ(indexes.size(), 12 * plane);
    EXPECT_EQ(indexes[plane * 5 + 7], 5);
    std::vector<std::int32_t> values(indexes.size());
    for (std::size_t i = 0; i < values.size(); ++i)
        values[i] = static_cast<std::int32_t>(std::lround(rng.gaussian() * 3.0)) + (i % 500 == 0 ? 1000 : 0);
    auto stream = ransEncode(values.data(), indexes.data(), values.size(), *tables);
    ASSERT_TRUE(stream.ok());
    // The decoder loads the stored integer tables, never the pmfs.
    const std::vector<std::uint8_t> stored = tables->serialize();
    auto loaded = CdfTableSet::deserialize(stored.data(), stored.size());
    ASSERT_TRUE(loaded.ok());
    std::vector<std::int32_t> decoded(values.size());
    ASSERT_TRUE(
        ransDecode(stream->data(), stream->size(), indexes.data(), indexes.size(), *loaded, decoded.data()).ok());
    EXPECT_EQ(decoded, values);
}

TEST(FactorizedPrior, RejectsInconsistentShapes) {
    FactorizedPmfs pmfs;
    pmfs.channels = 2;
    pmfs.maxLength = 3;
    pmfs.pmf = {1, 2, 3, 4, 5, 6};
    pmfs.lengths = {3, 3};
    pmfs.offsets = {0, 0};
    pmfs.tailMass = {0, 0};
    EXPECT_TRUE(buildFactorizedTables(pmfs).ok());
    FactorizedPmfs bad = pmfs;
    bad.pmf.pop_back();
    EXPECT_FALSE(buildFactorizedTables(bad).ok());
    bad = pmfs;
    bad.lengths = {3, 4};
    EXPECT_FALSE(buildFactorizedTables(bad).ok());
    bad = pmfs;
    bad.tailMass = {0};
    EXPECT_FALSE(buildFactorizedTables(bad).ok());
    bad = pmfs;
    bad.pmf[4] = -1.0;
    EXPECT_FALSE(buildFactorizedTables(bad).ok());
    bad = pmfs;
    bad.channels = 0;
    EXPECT_FALSE(buildFactorizedTables(bad).ok());
}
