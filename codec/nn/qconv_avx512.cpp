// AVX-512 VNNI build of the INT8 convolution row kernel (-mavx512f -mavx512bw -mavx512vl -mavx512vnni,
// -ffp-contract=off), chosen at run time. vpdpwssd multiplies int16 pairs and adds them into int32 lanes without
// saturation, so each lane's sum is the same exact integer the pmaddwd kernels compute (qconv_job.h's weight layout
// serves both: a 32-lane block is two zmm of weight pairs); the epilogue is the scalar qfinish sequence done 16
// lanes at a time (convert, multiply, add, then the activation's compare and multiply), which rounds each step to
// float exactly as the scalar code does. The intrinsics are always-inline and emit no shared function.
#include "codec/nn/qconv_job.h"

#if defined(__AVX512F__) && defined(__AVX512BW__) && defined(__AVX512VL__) && defined(__AVX512VNNI__)
// GCC 12's _mm512_undefined_* (under the conversions) trips -Wuninitialized in its own header (GCC bug 105593).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>
#pragma GCC diagnostic pop

#include <cstdint>
#include <cstring>

namespace {

using lmc::nn::detail::QRowJob;

inline __m512 finish16(__m512i acc, const float* scale, const float* bias, int activation, __m512 slope) {
    const __m512 scaled = _mm512_mul_ps(_mm512_cvtepi32_ps(acc), _mm512_loadu_ps(scale));
    __m512 v = _mm512_add_ps(scaled, _mm512_loadu_ps(bias));
    if (activation != 0) {
        const __mmask16 negative = _mm512_cmp_ps_mask(v, _mm512_setzero_ps(), _CMP_LT_OQ);
        v = activation == 1 ? _mm512_mask_mov_ps(v, negative, _mm512_setzero_ps())
                            : _mm512_mask_mul_ps(v, negative, v, slope);
    }
    return v;
}

inline __m256 finish8(__m256i acc, const float* scale, const float* bias, int activation, __m256 slope) {
    const __m256 scaled = _mm256_mul_ps(_mm256_cvtepi32_ps(acc), _mm256_loadu_ps(scale));
    __m256 v = _mm256_add_ps(scaled, _mm256_loadu_ps(bias));
    if (activation != 0) {
        const __mmask8 negative = _mm256_cmp_ps_mask(v, _mm256_setzero_ps(), _CMP_LT_OQ);
        v = activation == 1 ? _mm256_mask_mov_ps(v, negative, _mm256_setzero_ps())
                            : _mm256_mask_mul_ps(v, negative, v, slope);
    }
    return v;
}

inline std::int32_t pairAt(const std::int16_t* p) {
    std::int32_t v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

// The lanes of a group (up to 16 output channels from job.offset + k) split into runs whose destinations are
// consecutive floats (a sub-pixel row's r * C values): one masked store per run instead of a scatter.
struct Runs {
    int count = 0;
    std::uint32_t mask[16];
    long base[16];  // destination of lane 0 if the run's lanes continued down to it, relative to the pixel
};

inline Runs runsOf(const std::int32_t* offset, int lanes) {
    Runs r;
    for (int a = 0; a < lanes;) {
        int len = 1;
        while (a + len < lanes && offset[a + len] == offset[a] + len) ++len;
        r.mask[r.count] = ((1u << len) - 1u) << a;
        r.base[r.count] = long(offset[a]) - a;
        ++r.count;
        a += len;
    }
    return r;
}

// Masked stores address lane 0 at base, which may lie before the pixel's first value: lanes outside the mask are
// neither read nor written, so the address is only arithmetic (done on integers, not on the float pointer).
inline float* laneZero(float* pixel, long base) {
    return reinterpret_cast<float*>(reinterpret_cast<std::uintptr_t>(pixel) + base * long(sizeof(float)));
}

inline void store16(float* pixel, const Runs& runs, __m512 v) {
    for (int i = 0; i < runs.count; ++i)
        _mm512_mask_storeu_ps(laneZero(pixel, runs.base[i]), __mmask16(runs.mask[i]), v);
}

inline void store8(float* pixel, const Runs& runs, __m256 v) {
    for (int i = 0; i < runs.count; ++i)
        _mm256_mask_storeu_ps(laneZero(pixel, runs.base[i]), __mmask8(runs.mask[i]), v);
}

// P output pixels from ox0 x one 32-lane block starting at output channel oc0 (a full block: outC >= oc0 + 32).
template <int P>
inline void block32(const QRowJob& job, int ox0, int oc0) {
    const int K = job.kernel, pairs = job.taps / 2;
    __m512i acc[P][2];
    for (int p = 0; p < P; ++p) acc[p][0] = acc[p][1] = _mm512_setzero_si512();
    const std::int16_t* wBlock = job.weights + long(oc0) * K * job.taps;
    for (int ky = 0; ky < K; ++ky) {
        const std::int16_t* ip = job.rows + ky * job.rowStride + long(ox0) * job.pixelStep;
        const std::int16_t* wp = wBlock + long(ky) * job.taps * 32;
        for (int j = 0; j < pairs; ++j, wp += 64) {
            const __m512i w0 = _mm512_loadu_si512(wp), w1 = _mm512_loadu_si512(wp + 32);
#pragma GCC unroll 16
            for (int p = 0; p < P; ++p) {
                const __m512i x = _mm512_set1_epi32(pairAt(ip + p * job.pixelStep + 2 * j));
                acc[p][0] = _mm512_dpwssd_epi32(acc[p][0], x, w0);
                acc[p][1] = _mm512_dpwssd_epi32(acc[p][1], x, w1);
            }
        }
    }
    const __m512 slope = _mm512_set1_ps(job.slope);
    Runs runs[2];
    if (!job.contiguous16)
        for (int h = 0; h < 2; ++h) runs[h] = runsOf(job.offset + oc0 + 16 * h, 16);
    for (int p = 0; p < P; ++p) {
        float* o = job.out + long(ox0 + p) * job.pixelOut;
        for (int h = 0; h < 2; ++h) {
            const int k = oc0 + 16 * h;
            const __m512 v = finish16(acc[p][h], job.scale + k, job.bias + k, job.activation, slope);
            if (job.contiguous16)
                _mm512_storeu_ps(o + job.offset[k], v);
            else
                store16(o, runs[h], v);
        }
    }
}

// P output pixels x one 8-lane block at oc0 (the last may be partial: lanes past outC are not stored).
template <int P>
inline void block8(const QRowJob& job, int ox0, int oc0) {
    const int K = job.kernel, pairs = job.taps / 2;
    __m256i acc[P];
    for (int p = 0; p < P; ++p) acc[p] = _mm256_setzero_si256();
    const std::int16_t* wBlock = job.weights + long(oc0) * K * job.taps;
    for (int ky = 0; ky < K; ++ky) {
        const std::int16_t* ip = job.rows + ky * job.rowStride + long(ox0) * job.pixelStep;
        const std::int16_t* wp = wBlock + long(ky) * job.taps * 8;
        for (int j = 0; j < pairs; ++j, wp += 16) {
            const __m256i w = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(wp));
#pragma GCC unroll 16
            for (int p = 0; p < P; ++p)
                acc[p] = _mm256_dpwssd_epi32(acc[p], _mm256_set1_epi32(pairAt(ip + p * job.pixelStep + 2 * j)), w);
        }
    }
    const int count = job.outC - oc0 < 8 ? job.outC - oc0 : 8;
    const __m256 slope = _mm256_set1_ps(job.slope);
    // scale and bias have outC entries: read only the lanes that exist.
    alignas(32) float scale[8] = {}, bias[8] = {};
    std::memcpy(scale, job.scale + oc0, sizeof(float) * count);
    std::memcpy(bias, job.bias + oc0, sizeof(float) * count);
    const Runs runs = runsOf(job.offset + oc0, count);
    for (int p = 0; p < P; ++p)
        store8(job.out + long(ox0 + p) * job.pixelOut, runs, finish8(acc[p], scale, bias, job.activation, slope));
}

// P output pixels x two adjacent 8-lane blocks at oc0 and oc0 + 8 in one zmm (lanes 0-7 the first block's, 8-15 the
// second's): the decoder's last layer has 12 output channels, which 8-lane ymm blocks would run at half width.
template <int P>
inline void block8x2(const QRowJob& job, int ox0, int oc0) {
    const int K = job.kernel, pairs = job.taps / 2;
    __m512i acc[P];
    for (int p = 0; p < P; ++p) acc[p] = _mm512_setzero_si512();
    const std::int16_t* wBlock = job.weights + long(oc0) * K * job.taps;
    const long nextBlock = 8L * K * job.taps;
    for (int ky = 0; ky < K; ++ky) {
        const std::int16_t* ip = job.rows + ky * job.rowStride + long(ox0) * job.pixelStep;
        const std::int16_t* wp = wBlock + long(ky) * job.taps * 8;
        for (int j = 0; j < pairs; ++j, wp += 16) {
            const __m256i lo = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(wp));
            const __m256i hi = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(wp + nextBlock));
            const __m512i w = _mm512_inserti64x4(_mm512_castsi256_si512(lo), hi, 1);
#pragma GCC unroll 16
            for (int p = 0; p < P; ++p)
                acc[p] = _mm512_dpwssd_epi32(acc[p], _mm512_set1_epi32(pairAt(ip + p * job.pixelStep + 2 * j)), w);
        }
    }
    const int count = job.outC - oc0 < 16 ? job.outC - oc0 : 16;
    const __m512 slope = _mm512_set1_ps(job.slope);
    alignas(64) float scale[16] = {}, bias[16] = {};
    std::memcpy(scale, job.scale + oc0, sizeof(float) * count);
    std::memcpy(bias, job.bias + oc0, sizeof(float) * count);
    const Runs runs = runsOf(job.offset + oc0, count);
    for (int p = 0; p < P; ++p)
        store16(job.out + long(ox0 + p) * job.pixelOut, runs, finish16(acc[p], scale, bias, job.activation, slope));
}

template <int P>
void blocks32(const QRowJob& job) {
    for (int b = 0; b < job.blocks32; ++b) {
        int ox = 0;
        for (; ox + P <= job.outW; ox += P) block32<P>(job, ox, 32 * b);
        // The tail in blocks of 4, 2, 1: each block loads the weights once for all its pixels.
        if (ox + 4 <= job.outW) {
            block32<4>(job, ox, 32 * b);
            ox += 4;
        }
        if (ox + 2 <= job.outW) {
            block32<2>(job, ox, 32 * b);
            ox += 2;
        }
        if (ox < job.outW) block32<1>(job, ox, 32 * b);
    }
}

template <int P>
void blocks8(const QRowJob& job) {
    int b = 0;
    for (; b + 2 <= job.blocks8; b += 2) {
        const int oc0 = 32 * job.blocks32 + 8 * b;
        int ox = 0;
        for (; ox + P <= job.outW; ox += P) block8x2<P>(job, ox, oc0);
        if (ox + 4 <= job.outW) {
            block8x2<4>(job, ox, oc0);
            ox += 4;
        }
        if (ox + 2 <= job.outW) {
            block8x2<2>(job, ox, oc0);
            ox += 2;
        }
        if (ox < job.outW) block8x2<1>(job, ox, oc0);
    }
    for (; b < job.blocks8; ++b) {
        const int oc0 = 32 * job.blocks32 + 8 * b;
        int ox = 0;
        for (; ox + P <= job.outW; ox += P) block8<P>(job, ox, oc0);
        for (; ox < job.outW; ++ox) block8<1>(job, ox, oc0);
    }
}

}  // namespace

namespace lmc::nn::detail {
bool qavx512KernelCompiled() {
    return true;
}
void qconvRowAvx512(const QRowJob& job) {
    blocks32<8>(job);
    blocks8<8>(job);
}
}  // namespace lmc::nn::detail

#else

namespace lmc::nn::detail {
bool qavx512KernelCompiled() {
    return false;
}
void qconvRowAvx512(const QRowJob& job) {
    qconvRowGeneric(job);
}
}  // namespace lmc::nn::detail

#endif
