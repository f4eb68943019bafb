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

#include "codec/learned/exp2_core_avx512.h"

namespace lmc::learned::detail {

bool inverseTransformAvx512Compiled() {
    return true;
}

// Returns how many leading values it did (a multiple of 8); the caller does the rest in scalar code.
std::size_t inverseTransformSpanAvx512(const float* t, std::size_t count, float scale, float* out) {
    const __m256 two = _mm256_set1_ps(2.0f), onef = _mm256_set1_ps(1.0f), s = _mm256_set1_ps(scale);
    const __m256 zero = _mm256_setzero_ps();
    std::size_t i = 0;
    for (; i + 8 <= count; i += 8) {
        const __m256 arg = _mm256_add_ps(_mm256_mul_ps(two, _mm256_loadu_ps(t + i)), onef);
        const __m256 e = _mm512_cvtpd_ps(exp2CoreAvx512(_mm512_cvtps_pd(arg)));
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
