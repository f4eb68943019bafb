// AVX-512 build of the refinement layer's per-texel step (detail::refineSpan, refinement.h), chosen at run time by
// refinement.cpp; compiled with -mavx512f -mavx512vl and -ffp-contract=off. Eight values at a time through exactly
// the scalar sequence: the base clamped at 0 (NaN to 0) in double, 2^d by exp2_core.h's operations (clamps that
// send NaN to -126, floor by truncation and correction, the Horner polynomial as separate multiplies and adds, the
// power of two built from its bits), (p + epsilon) * 2^d - epsilon, the clamp to [0, 65504], back to float; so the
// texels are the same bits. Includes only always-inline intrinsics.
#include <cstddef>

#if defined(__AVX512F__) && defined(__AVX512VL__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>
#pragma GCC diagnostic pop

#include "codec/learned/exp2_core_avx512.h"

namespace lmc::learned::detail {

bool refineSpanAvx512Compiled() {
    return true;
}

// Returns how many leading values it did (a multiple of 8); the caller does the rest in scalar code.
std::size_t refineSpanAvx512(const float* d, std::size_t count, double epsilon, float* texels) {
    const __m512d eps = _mm512_set1_pd(epsilon), zero = _mm512_setzero_pd(), maxValue = _mm512_set1_pd(65504.0);
    const __m256 zerof = _mm256_setzero_ps();
    std::size_t i = 0;
    for (; i + 8 <= count; i += 8) {
        const __m256 base = _mm256_loadu_ps(texels + i);
        // base > 0 ? base : 0 (NaN compares false), then to double.
        const __m512d p = _mm512_cvtps_pd(_mm256_blendv_ps(zerof, base, _mm256_cmp_ps(base, zerof, _CMP_GT_OQ)));
        const __m512d x = _mm512_cvtps_pd(_mm256_loadu_ps(d + i));
        const __m512d power = exp2CoreAvx512(x);
        __m512d v = _mm512_sub_pd(_mm512_mul_pd(_mm512_add_pd(p, eps), power), eps);
        v = _mm512_mask_blend_pd(_mm512_cmp_pd_mask(v, zero, _CMP_GT_OQ), zero, v);          // v > 0 ? v : 0
        v = _mm512_mask_blend_pd(_mm512_cmp_pd_mask(v, maxValue, _CMP_LT_OQ), maxValue, v);  // v < max ? v : max
        _mm256_storeu_ps(texels + i, _mm512_cvtpd_ps(v));
    }
    return i;
}

}  // namespace lmc::learned::detail

#else

namespace lmc::learned::detail {
bool refineSpanAvx512Compiled() {
    return false;
}
std::size_t refineSpanAvx512(const float*, std::size_t, double, float*) {
    return 0;
}
}  // namespace lmc::learned::detail

#endif
