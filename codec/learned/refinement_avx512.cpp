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

namespace lmc::learned::detail {

bool refineSpanAvx512Compiled() {
    return true;
}

// Returns how many leading values it did (a multiple of 8); the caller does the rest in scalar code.
std::size_t refineSpanAvx512(const float* d, std::size_t count, double epsilon, float* texels) {
    const __m512d lowest = _mm512_set1_pd(-126.0), highest = _mm512_set1_pd(127.0), half = _mm512_set1_pd(0.5);
    const __m512d ln2 = _mm512_set1_pd(0.69314718055994530942);
    const __m512d c0 = _mm512_set1_pd(1.0 / 5040.0), c1 = _mm512_set1_pd(1.0 / 720.0), c2 = _mm512_set1_pd(1.0 / 120.0),
                  c3 = _mm512_set1_pd(1.0 / 24.0), c4 = _mm512_set1_pd(1.0 / 6.0), c5 = _mm512_set1_pd(0.5),
                  one = _mm512_set1_pd(1.0);
    const __m512d eps = _mm512_set1_pd(epsilon), zero = _mm512_setzero_pd(), maxValue = _mm512_set1_pd(65504.0);
    const __m256 zerof = _mm256_setzero_ps();
    std::size_t i = 0;
    for (; i + 8 <= count; i += 8) {
        const __m256 base = _mm256_loadu_ps(texels + i);
        // base > 0 ? base : 0 (NaN compares false), then to double.
        const __m512d p = _mm512_cvtps_pd(_mm256_blendv_ps(zerof, base, _mm256_cmp_ps(base, zerof, _CMP_GT_OQ)));
        __m512d x = _mm512_cvtps_pd(_mm256_loadu_ps(d + i));
        x = _mm512_mask_blend_pd(_mm512_cmp_pd_mask(x, lowest, _CMP_GT_OQ), lowest, x);  // !(x > -126): -126
        x = _mm512_mask_blend_pd(_mm512_cmp_pd_mask(x, highest, _CMP_GT_OQ), x, highest);
        const __m512d shifted = _mm512_add_pd(x, half);
        const __m256i truncated = _mm512_cvttpd_epi32(shifted);
        const __mmask8 above = _mm512_cmp_pd_mask(_mm512_cvtepi32_pd(truncated), shifted, _CMP_GT_OQ);
        const __m256i exponent = _mm256_mask_sub_epi32(truncated, above, truncated, _mm256_set1_epi32(1));
        const __m512d f = _mm512_mul_pd(_mm512_sub_pd(x, _mm512_cvtepi32_pd(exponent)), ln2);
        __m512d poly = c0;
        poly = _mm512_add_pd(_mm512_mul_pd(poly, f), c1);
        poly = _mm512_add_pd(_mm512_mul_pd(poly, f), c2);
        poly = _mm512_add_pd(_mm512_mul_pd(poly, f), c3);
        poly = _mm512_add_pd(_mm512_mul_pd(poly, f), c4);
        poly = _mm512_add_pd(_mm512_mul_pd(poly, f), c5);
        poly = _mm512_add_pd(_mm512_mul_pd(poly, f), one);
        poly = _mm512_add_pd(_mm512_mul_pd(poly, f), one);
        const __m512i bits =
            _mm512_slli_epi64(_mm512_add_epi64(_mm512_cvtepi32_epi64(exponent), _mm512_set1_epi64(1023)), 52);
        const __m512d power = _mm512_mul_pd(poly, _mm512_castsi512_pd(bits));
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
