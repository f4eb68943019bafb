// AVX-512 build of inverseTransformSpan (model_spec.h), chosen at run time by model_spec.cpp; compiled with
// -mavx512f -mavx512vl and -ffp-contract=off. Eight texel values at a time through exactly the scalar sequence of
// exp2Deterministic and inverseTransform (float 2t + 1, to double, clamps that send NaN to -126, floor by truncation
// and correction, the Horner polynomial as separate multiplies and adds, the power of two built from its bits, back
// to float, then s * (e - 1) clamped at 0), so the texels are the same bits. Includes only always-inline intrinsics.
#include <cstddef>

#if defined(__AVX512F__) && defined(__AVX512VL__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>
#pragma GCC diagnostic pop

namespace lmc::learned::detail {

bool inverseTransformAvx512Compiled() {
    return true;
}

// Returns how many leading values it did (a multiple of 8); the caller does the rest in scalar code.
std::size_t inverseTransformSpanAvx512(const float* t, std::size_t count, float scale, float* out) {
    const __m512d lowest = _mm512_set1_pd(-126.0), highest = _mm512_set1_pd(127.0), half = _mm512_set1_pd(0.5);
    const __m512d ln2 = _mm512_set1_pd(0.69314718055994530942);
    const __m512d c0 = _mm512_set1_pd(1.0 / 5040.0), c1 = _mm512_set1_pd(1.0 / 720.0), c2 = _mm512_set1_pd(1.0 / 120.0),
                  c3 = _mm512_set1_pd(1.0 / 24.0), c4 = _mm512_set1_pd(1.0 / 6.0), c5 = _mm512_set1_pd(0.5),
                  one = _mm512_set1_pd(1.0);
    const __m256 two = _mm256_set1_ps(2.0f), onef = _mm256_set1_ps(1.0f), s = _mm256_set1_ps(scale);
    const __m256 zero = _mm256_setzero_ps();
    std::size_t i = 0;
    for (; i + 8 <= count; i += 8) {
        const __m256 arg = _mm256_add_ps(_mm256_mul_ps(two, _mm256_loadu_ps(t + i)), onef);
        __m512d x = _mm512_cvtps_pd(arg);
        x = _mm512_mask_blend_pd(_mm512_cmp_pd_mask(x, lowest, _CMP_GT_OQ), lowest, x);  // !(x > -126): -126
        x = _mm512_mask_blend_pd(_mm512_cmp_pd_mask(x, highest, _CMP_GT_OQ), x, highest);
        const __m512d shifted = _mm512_add_pd(x, half);
        const __m256i truncated = _mm512_cvttpd_epi32(shifted);
        const __mmask8 above = _mm512_cmp_pd_mask(_mm512_cvtepi32_pd(truncated), shifted, _CMP_GT_OQ);
        const __m256i exponent = _mm256_mask_sub_epi32(truncated, above, truncated, _mm256_set1_epi32(1));
        const __m512d f = _mm512_mul_pd(_mm512_sub_pd(x, _mm512_cvtepi32_pd(exponent)), ln2);
        __m512d p = c0;
        p = _mm512_add_pd(_mm512_mul_pd(p, f), c1);
        p = _mm512_add_pd(_mm512_mul_pd(p, f), c2);
        p = _mm512_add_pd(_mm512_mul_pd(p, f), c3);
        p = _mm512_add_pd(_mm512_mul_pd(p, f), c4);
        p = _mm512_add_pd(_mm512_mul_pd(p, f), c5);
        p = _mm512_add_pd(_mm512_mul_pd(p, f), one);
        p = _mm512_add_pd(_mm512_mul_pd(p, f), one);
        const __m512i bits =
            _mm512_slli_epi64(_mm512_add_epi64(_mm512_cvtepi32_epi64(exponent), _mm512_set1_epi64(1023)), 52);
        const __m256 e = _mm512_cvtpd_ps(_mm512_mul_pd(p, _mm512_castsi512_pd(bits)));
        const __m256 v = _mm256_mul_ps(s, _mm256_sub_ps(e, onef));
        _mm256_storeu_ps(out + i, _mm256_blendv_ps(zero, v, _mm256_cmp_ps(v, zero, _CMP_GT_OQ)));
    }
    return i;
}

}  // namespace lmc::learned::detail

#else

namespace lmc::learned::detail {
bool inverseTransformAvx512Compiled() {
    return false;
}
std::size_t inverseTransformSpanAvx512(const float*, std::size_t, float, float*) {
    return 0;
}
}  // namespace lmc::learned::detail

#endif
