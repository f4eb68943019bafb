// exp2_core.h's exp2 on eight doubles with AVX-512, for the translation units compiled with -mavx512f -mavx512vl
// and -ffp-contract=off (refinement_avx512.cpp, inverse_transform_avx512.cpp): the scalar sequence step for step
// (clamps that send NaN to -126, floor by truncation and correction, the Horner polynomial as separate multiplies
// and adds, the power of two built from its bits), so both give the scalar path's bits. One copy of that contract.
// Include after <immintrin.h>, only where __AVX512F__ and __AVX512VL__ are defined.
#pragma once

namespace lmc::learned::detail {

inline __m512d exp2CoreAvx512(__m512d x) {
    const __m512d lowest = _mm512_set1_pd(-126.0), highest = _mm512_set1_pd(127.0), half = _mm512_set1_pd(0.5);
    const __m512d ln2 = _mm512_set1_pd(0.69314718055994530942);
    const __m512d c0 = _mm512_set1_pd(1.0 / 5040.0), c1 = _mm512_set1_pd(1.0 / 720.0), c2 = _mm512_set1_pd(1.0 / 120.0),
                  c3 = _mm512_set1_pd(1.0 / 24.0), c4 = _mm512_set1_pd(1.0 / 6.0), c5 = _mm512_set1_pd(0.5),
                  one = _mm512_set1_pd(1.0);
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
    return _mm512_mul_pd(p, _mm512_castsi512_pd(bits));
}

}  // namespace lmc::learned::detail
