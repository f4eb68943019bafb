// The Gaussian conditional entropy model's fixed tables (Ballé et al. 2018, CompressAI's GaussianConditional) and
// the deterministic mapping from a predicted scale to a table index.
//
// Tables: 64 scales, log-spaced from 0.11 to 256 (CompressAI's exp(linspace(log 0.11, log 256, 64))), stored as
// INTEGER scale codes in Q16 fixed point (scale = code / 65536; the constants are in the .cpp and a test checks
// them against the formula). Table k codes a zero-mean Gaussian of scale s_k discretised to integers,
// p(v) = Phi((v + 1/2) / s_k) - Phi((v - 1/2) / s_k), on v in [-c_k, c_k] with c_k = ceil(s_k * 6.1094102...)
// (beyond it lies a total mass of 1e-9, CompressAI's tail_mass), plus the escape symbol carrying that tail mass;
// offset = -c_k. Table sizes run from 4 symbols (s = 0.11) to 3132 (s = 256). The values are computed once, on first
// use, from basic IEEE-754 double operations only (+ - * /, floor/ceil, ldexp; our own exp and erfc, no libm
// transcendental whose last bit may differ between C libraries; compiled with -ffp-contract=off), then quantised by
// quantizePmf. So the integer tables are identical on every IEEE-754 machine; a golden checksum test guards that.
//
// Why integer scale codes. In a hyperprior the decoder recomputes each latent's scale from the decoded hyper-
// latent z. If encoder and decoder obtain slightly different floats (other CPU, ISA, thread count, BLAS) and a scale
// lies near a table boundary, they pick different tables and the rANS decode derails (CompressAI #279). The fix is
// to make the decision on integers that both sides compute identically:
//   1. The model maps its hyper-synthesis output to an int32 scale code in Q16 (code = round(scale * 65536)).
//      Either the hyper path itself runs in integer / fixed-point arithmetic and produces the code directly, or it
//      runs on a pinned deterministic CPU routine (fixed operation order, one thread) and quantizeScale() rounds its
//      float output; quantizeScale is an exact function of the float's bits.
//   2. scaleIndexFromQuantized(code) picks the table with integer comparisons only: the smallest k with
//      code <= code_k (the smallest table scale >= the predicted one, as CompressAI), clamped to 63. Codes <= code_0
//      (including 0 for NaN/negative scales) give table 0.
// Training does not need any of this: the index is only a decision about which integer table codes a symbol.
// Means (mean-scale hyperprior) do not select tables: code q = round(y - mu) against the zero-mean table; a tiny
// difference in mu between machines shifts the reconstruction slightly but never breaks decoding.
// scaleCodeMargin() tells how close a code is to a boundary, for tests that provoke float jitter on purpose.
//
// Threading: instance() is built once (thread-safe static) and immutable. Errors: none at run time (the build is
// verified by tests); build() returns a Result for completeness.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>

#include "codec/entropy/cdf.h"
#include "codec/result.h"

namespace lmc::entropy {

class GaussianConditional {
public:
    static constexpr int kScaleCount = 64;
    static constexpr int kScaleCodeFractionBits = 16;  // scale code = round(scale * 2^16)
    static constexpr double kScaleMin = 0.11;
    static constexpr double kScaleMax = 256.0;
    static constexpr double kTailSigmas = 6.1094102048693975;  // -Phi^-1(1e-9 / 2)
    static constexpr std::int32_t kMaxScaleCode = 1 << 30;     // quantizeScale clamps here (scale 16384)

    // The shared tables, built on first use (about 40 ms of CPU on the 2-core build machine).
    static const GaussianConditional& instance();
    const CdfTableSet& tables() const { return tables_; }
    std::uint64_t checksum() const { return tables_.checksum(); }

    // Builds the tables from scratch (instance() calls this once; tests call it again to prove determinism).
    static Result<CdfTableSet> build();

    // The Q16 scale code of table `index` (0..63), and its scale as a double (exactly code / 65536).
    static std::int32_t tableScaleCode(int index);
    static double tableScale(int index);

    // round(scale * 65536) clamped to [0, kMaxScaleCode]; NaN and values <= 0 give 0. Exact for a given float.
    static std::int32_t quantizeScale(float scale);
    // Table index for an integer scale code: integer comparisons only (see the header comment).
    static int scaleIndexFromQuantized(std::int32_t scaleCode);
    static void scaleIndexesFromQuantized(const std::int32_t* scaleCodes, std::size_t count, std::int32_t* indexes);
    // quantizeScale then scaleIndexFromQuantized, for callers whose floats are already deterministic.
    static void scaleIndexesFromFloat(const float* scales, std::size_t count, std::int32_t* indexes);
    // The table of a log-scale: exactly scaleIndexFromQuantized(quantizeScale(float(deterministicExp(logScale)))) for
    // every float, NaN and infinities included, but about 20x faster. That chain is a non-decreasing step function of
    // logScale, so its 63 steps are found once (bisection over floats with the exact chain) and a lookup counts the
    // steps at or below logScale. deterministicExp is accurate to ~1e-15 relative, so only inputs within 1e-6 of a
    // step could in principle disagree with a plain step count; those (and non-finite inputs) take the exact chain.
    static int scaleIndexFromLogScale(float logScale);
    static void scaleIndexesFromLogScales(const float* logScales, std::size_t count, std::int32_t* indexes);
    // How many code steps scaleCode can move, up or down, without changing its table (0: a neighbour code already
    // picks another table). A jitter of e codes can only flip tables where the margin is < e.
    static std::int32_t scaleCodeMargin(std::int32_t scaleCode);

    // Deterministic erfc and Gaussian upper tail Q(x) = P(X > x) used to build the tables (basic IEEE operations
    // only). Exposed for tests; accurate to about 1e-14 relative for erfc in the range the tables need.
    static double deterministicErfc(double z);
    static double deterministicExp(double x);

private:
    explicit GaussianConditional(CdfTableSet tables) : tables_(std::move(tables)) {}
    CdfTableSet tables_;
};

}  // namespace lmc::entropy
