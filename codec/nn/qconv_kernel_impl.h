// Internal to codec/nn: the INT8 convolution row kernel, included by qconv.cpp (baseline, 128-bit vectors) and
// qconv_avx2.cpp (256-bit) inside their anonymous namespaces; the includer defines LMC_QNN_VEC_BYTES.
// Each lane of an accumulator is one output channel of one output pixel. A step broadcasts a pair of adjacent input
// taps (two int16 in one int32) and multiplies it with the packed weight pairs: pmaddwd (on x86, GCC's builtin for
// the one instruction plain loops do not vectorise to; elsewhere the same sums in scalar code). Integer sums are
// exact, so every path and blocking gives the same int32 per value; the float epilogue (float(acc) * scale + bias,
// then the activation) is one scalar sequence shared by all.

// The vector helpers are always inlined, so the ABI note GCC gives for wide vectors does not apply.
#pragma GCC diagnostic ignored "-Wpsabi"

inline float qfinish(std::int32_t acc, float scale, float bias, int activation, float slope) {
    const float scaled = float(acc) * scale;
    const float v = scaled + bias;
    if (activation == 1) return v < 0.0f ? 0.0f : v;
    if (activation == 2) return v < 0.0f ? v * slope : v;
    return v;
}

#if defined(__x86_64__) || defined(__i386__)
constexpr int kQLanes = LMC_QNN_VEC_BYTES / 4;
typedef int QVec __attribute__((vector_size(LMC_QNN_VEC_BYTES)));
typedef short QVec16 __attribute__((vector_size(LMC_QNN_VEC_BYTES)));
typedef short QVec16U __attribute__((vector_size(LMC_QNN_VEC_BYTES), aligned(2)));

__attribute__((always_inline)) inline QVec qmadd(QVec16 a, QVec16 b) {
#if LMC_QNN_VEC_BYTES == 32
    return __builtin_ia32_pmaddwd256(a, b);
#else
    return __builtin_ia32_pmaddwd128(a, b);
#endif
}

// P output pixels from ox0 x one block of OCB lanes starting at output channel (= lane) oc0.
template <int P, int OCB>
inline void qblock(const lmc::nn::detail::QRowJob& job, int ox0, int oc0) {
    constexpr int NV = OCB / kQLanes;
    const int K = job.kernel, pairs = job.taps / 2;
    QVec acc[P][NV];
#pragma GCC unroll 16
    for (int p = 0; p < P; ++p)
#pragma GCC unroll 8
        for (int v = 0; v < NV; ++v) acc[p][v] = QVec{};
    const std::int16_t* wBlock = job.weights + long(oc0) * K * job.taps;
    for (int ky = 0; ky < K; ++ky) {
        const std::int16_t* ip = job.rows + ky * job.rowStride + long(ox0) * job.pixelStep;
        const std::int16_t* wp = wBlock + long(ky) * job.taps * OCB;
        for (int j = 0; j < pairs; ++j) {
            QVec16 w[NV];
#pragma GCC unroll 8
            for (int v = 0; v < NV; ++v)
                w[v] = *reinterpret_cast<const QVec16U*>(wp + long(j) * 2 * OCB + 2 * kQLanes * v);
#pragma GCC unroll 16
            for (int p = 0; p < P; ++p) {
                std::int32_t pair;
                __builtin_memcpy(&pair, ip + p * job.pixelStep + 2 * j, sizeof pair);
                const QVec b = QVec{} + pair;
                const QVec16 x = (QVec16)b;  // the same bits, as 16-bit lanes
#pragma GCC unroll 8
                for (int v = 0; v < NV; ++v) acc[p][v] += qmadd(x, w[v]);
            }
        }
    }
    const int count = job.outC - oc0 < OCB ? job.outC - oc0 : OCB;
    for (int p = 0; p < P; ++p) {
        float* o = job.out + long(ox0 + p) * job.pixelOut;
        std::int32_t lanes[OCB];
        __builtin_memcpy(lanes, acc[p], sizeof lanes);
        for (int l = 0; l < count; ++l)
            o[job.offset[oc0 + l]] =
                qfinish(lanes[l], job.scale[oc0 + l], job.bias[oc0 + l], job.activation, job.slope);
    }
}

template <int P, int OCB>
inline int qblocks(const lmc::nn::detail::QRowJob& job, int oc0, int count) {
    for (int i = 0; i < count; ++i, oc0 += OCB) {
        int ox = 0;
        for (; ox + P <= job.outW; ox += P) qblock<P, OCB>(job, ox, oc0);
        for (; ox < job.outW; ++ox) qblock<1, OCB>(job, ox, oc0);
    }
    return oc0;
}

inline void qconvRow(const lmc::nn::detail::QRowJob& job) {
#if LMC_QNN_VEC_BYTES == 32
    const int oc = qblocks<2, 32>(job, 0, job.blocks32);
    qblocks<4, 8>(job, oc, job.blocks8);
#else
    const int oc = qblocks<1, 32>(job, 0, job.blocks32);
    qblocks<4, 8>(job, oc, job.blocks8);
#endif
}

#else  // not x86: the same sums in scalar code

inline void qconvRow(const lmc::nn::detail::QRowJob& job) {
    const int K = job.kernel, pairs = job.taps / 2;
    for (int ox = 0; ox < job.outW; ++ox)
        for (int oc = 0; oc < job.outC; ++oc) {
            const int width = oc < 32 * job.blocks32 ? 32 : 8;
            const int oc0 =
                oc < 32 * job.blocks32 ? oc / 32 * 32 : 32 * job.blocks32 + (oc - 32 * job.blocks32) / 8 * 8;
            const std::int16_t* wBlock = job.weights + long(oc0) * K * job.taps;
            std::int32_t acc = 0;
            for (int ky = 0; ky < K; ++ky) {
                const std::int16_t* ip = job.rows + ky * job.rowStride + long(ox) * job.pixelStep;
                const std::int16_t* wp = wBlock + long(ky) * job.taps * width + 2 * (oc - oc0);
                for (int j = 0; j < pairs; ++j)
                    acc += std::int32_t(ip[2 * j]) * wp[2 * j * width] +
                           std::int32_t(ip[2 * j + 1]) * wp[2 * j * width + 1];
            }
            job.out[long(ox) * job.pixelOut + job.offset[oc]] =
                qfinish(acc, job.scale[oc], job.bias[oc], job.activation, job.slope);
        }
}

#endif
