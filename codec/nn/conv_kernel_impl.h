// Internal to codec/nn: the convolution row kernel, included by conv_generic.cpp and conv_avx2.cpp, which compile
// the same source for different instruction sets (the includer defines LMC_NN_VEC_BYTES: 16 for SSE2, 32 for AVX2).
// Everything here lives in the includer's anonymous namespace.
//
// Each lane of an accumulator vector is one output channel of one output pixel, so the per-value operation sequence
// is exactly the scalar one of conv.h (acc = bias; for ky, kx, ic: acc = acc + in * w), whatever the vector width
// and whatever the blocking: blocking only changes which values are computed side by side, never an operation.
// The (kx, ic) loops run as one loop over j = kx * inC + ic: in a zero-padded row the inputs of consecutive kx are
// contiguous, and so are the packed weights, so this is the same order with less loop overhead for small inC.

// The vector helpers are always inlined, so the ABI note GCC gives for wide vectors does not apply.
#pragma GCC diagnostic ignored "-Wpsabi"

constexpr int kLanes = LMC_NN_VEC_BYTES / 4;
typedef float Vec __attribute__((vector_size(LMC_NN_VEC_BYTES)));
typedef float VecU __attribute__((vector_size(LMC_NN_VEC_BYTES), aligned(4)));

__attribute__((always_inline)) inline Vec loadVec(const float* p) {
    return *reinterpret_cast<const VecU*>(p);
}
__attribute__((always_inline)) inline void storeVec(float* p, Vec v) {
    *reinterpret_cast<VecU*>(p) = v;
}

// Same definitions as lmc::nn::activate (tensor.h), lane by lane; branch-free so that signs of the outputs do not
// cost branch mispredictions.
__attribute__((always_inline)) inline Vec activateVec(Vec x, int activation, Vec slope) {
    const Vec zero = {};
    if (activation == 1) return x < zero ? zero : x;
    if (activation == 2) {
        const Vec scaled = x * slope;
        return x < zero ? scaled : x;
    }
    return x;
}

// P output pixels x OCB output channels, starting at output pixel ox0 and output channel (= packed lane) oc0.
template <int P, int OCB>
inline void convBlock(const lmc::nn::detail::RowJob& job, int ox0, int oc0) {
    constexpr int NV = OCB / kLanes;
    static_assert(NV * kLanes == OCB, "a channel block is a whole number of vectors");
    const int K = job.kernel, KC = job.kernel * job.inC;
    const long pixStride = long(job.stride) * job.inC;
    Vec acc[P][NV];
    const float* b = job.bias + oc0;
#pragma GCC unroll 16
    for (int p = 0; p < P; ++p)
#pragma GCC unroll 8
        for (int v = 0; v < NV; ++v) acc[p][v] = loadVec(b + kLanes * v);

    const float* wBlock = job.weights + long(oc0) * K * KC;
    const float* inBase = job.rows + long(ox0) * pixStride;
    for (int ky = 0; ky < K; ++ky) {
        const float* ip = inBase + ky * job.rowStride;
        const float* wp = wBlock + long(ky) * KC * OCB;
        for (int j = 0; j < KC; ++j) {
            Vec w[NV];
#pragma GCC unroll 8
            for (int v = 0; v < NV; ++v) w[v] = loadVec(wp + long(j) * OCB + kLanes * v);
#pragma GCC unroll 16
            for (int p = 0; p < P; ++p) {
                const float x = ip[p * pixStride + j];
#pragma GCC unroll 8
                for (int v = 0; v < NV; ++v) {
                    const Vec prod = x * w[v];
                    acc[p][v] = acc[p][v] + prod;
                }
            }
        }
    }

    Vec slope;
    for (int l = 0; l < kLanes; ++l) slope[l] = job.slope;  // a broadcast; 0 + slope would turn -0 into +0
    const int ocCount = job.outC - oc0 < OCB ? job.outC - oc0 : OCB;
#pragma GCC unroll 16
    for (int p = 0; p < P; ++p) {
        float* o = job.out + long(ox0 + p) * job.outC + oc0;
        if (ocCount == OCB) {
#pragma GCC unroll 8
            for (int v = 0; v < NV; ++v) storeVec(o + kLanes * v, activateVec(acc[p][v], job.activation, slope));
        } else {
            float lanes[OCB];
            for (int v = 0; v < NV; ++v) storeVec(lanes + kLanes * v, activateVec(acc[p][v], job.activation, slope));
            for (int l = 0; l < ocCount; ++l) o[l] = lanes[l];
        }
    }
}

// All output pixels of the row for `count` consecutive blocks of OCB channels from output channel oc0; returns the
// channel after them. Channel blocks outermost: a block's weights stay in cache while the row's pixels go by.
template <int P, int OCB>
inline int convBlocks(const lmc::nn::detail::RowJob& job, int oc0, int count) {
    for (int i = 0; i < count; ++i, oc0 += OCB) {
        int ox = 0;
        for (; ox + P <= job.outW; ox += P) convBlock<P, OCB>(job, ox, oc0);
        // The tail goes one pixel at a time: rare, and the order per value is the same anyway.
        for (; ox < job.outW; ++ox) convBlock<1, OCB>(job, ox, oc0);
    }
    return oc0;
}

// P32, P16, P8: output pixels per register block for the 32-, 16- and 8-lane channel blocks.
template <int P32, int P16, int P8>
inline void convRowBlocked(const lmc::nn::detail::RowJob& job) {
    int oc = convBlocks<P32, 32>(job, 0, job.plan.n32);
    oc = convBlocks<P16, 16>(job, oc, job.plan.n16);
    convBlocks<P8, 8>(job, oc, job.plan.n8);
}
