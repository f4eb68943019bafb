// The deterministic 2^x shared by the learned decoders' inverse input transform (model_spec.h exp2Deterministic)
// and the refinement layer's reconstruction (refinement.h): only IEEE additions and multiplications on doubles in a
// fixed order, no libm, so every machine and every vector path that repeats these operations gets the same bits.
// Header-only and inline so the per-texel loops keep it in registers. Threading: pure functions. Errors: none
// (inputs are clamped to [-126, 127], NaN to -126).
#pragma once

#include <cstdint>
#include <cstring>

namespace lmc::learned::detail {

// 2^x = 2^n * 2^f with n = round(x), f in [-0.5, 0.5]; 2^f by a degree-7 Taylor polynomial of e^(f ln 2) in Horner
// form (error < 1e-8 relative). Branch-free (selects, not jumps) so loops over it vectorise; vector versions
// (inverse_transform_avx512.cpp, refinement_avx512.cpp) repeat exactly these operations.
inline double exp2Core(double x) {
    x = x > -126.0 ? x : -126.0;  // also maps NaN
    x = x > 127.0 ? 127.0 : x;
    // floor(x + 0.5) without a libm call (x + 0.5 is exact here; the truncation is corrected for negatives).
    const double shifted = x + 0.5;
    const int truncated = static_cast<int>(shifted);
    const int exponent = double(truncated) > shifted ? truncated - 1 : truncated;
    const double n = double(exponent);
    const double f = (x - n) * 0.69314718055994530942;
    double p = 1.0 / 5040.0;
    p = p * f + 1.0 / 720.0;
    p = p * f + 1.0 / 120.0;
    p = p * f + 1.0 / 24.0;
    p = p * f + 1.0 / 6.0;
    p = p * f + 0.5;
    p = p * f + 1.0;
    p = p * f + 1.0;
    // p * 2^n is exact for n in [-126, 127] (a power of two well inside double's range), so this multiply equals
    // std::ldexp(p, n) bit for bit without its call.
    const std::uint64_t powerBits = std::uint64_t(std::int64_t(exponent) + 1023) << 52;
    double power;
    std::memcpy(&power, &powerBits, sizeof power);
    return p * power;
}

}  // namespace lmc::learned::detail
