// INT8 convolution for the learned codecs' quantised decoders (precision=int8): post-training quantised weights and
// activations, integer accumulation, bit-reproducible across machines, threads and SIMD paths.
//
// Arithmetic (FIXED; the contract that makes INT8 decoding reproducible): a QConvLayer holds per-output-channel
// symmetric weights q_w in [-B, B] with scale s_w[oc] (B = 127: int8; a layer that loses quality at 8 bits may
// keep more), and a per-tensor input scale s_in with a clamp A (127 for 8-bit activations, more where a layer needs
// it; the kernel multiplies int16 by int16, so A and B up to 32767 cost the same time). Each input value x becomes
//     q = clamp(nearbyint(x * (1 / s_in)), -A, A)        (float multiply, round half to even, NaN -> -A)
// each output value is
//     acc = sum over ky, kx, ic of q_in * q_w             (int32, exact: |acc| <= A * B * taps < 2^31 is checked)
//     out = activation(float(acc) * (s_in * s_w[oc]) + bias[oc])
// with every float operation rounded to float (no FMA contraction). Integer sums are exact, so the summation order
// the compiler picks changes no bit. The kernels multiply int16 by int16 into int32: plain C++ loops around
// pmaddwd (baseline and AVX2 builds) and an AVX-512 VNNI build (vpdpwssd, which adds without saturating); Auto
// picks the widest this CPU runs, and all three give the same bits.
//
// Threading: qconv2d splits output rows over up to `threads` workers (work_pool.h), each row computed whole by one
// worker; reentrant. Errors: InvalidArgument for inconsistent shapes or a layer whose sums could overflow,
// TooLarge above conv.h's limits or when memory runs out, Cancelled when the token fires.
#pragma once

#include <cstdint>
#include <vector>

#include "codec/codec.h"
#include "codec/nn/conv.h"
#include "codec/nn/tensor.h"
#include "codec/result.h"

namespace lmc::nn {

struct QConvLayer {
    int inChannels = 0, outChannels = 0, kernel = 3, stride = 1;
    Activation activation = Activation::None;
    float leakySlope = 0.01f;
    float inputScale = 1.0f;  // s_in: one input quantum
    int inputMax = 127;       // A
    int weightMax = 127;      // B
    int taps = 0;             // kernel * inChannels rounded up to a multiple of 16
    // r > 1: the layer's pixel shuffle (tensor.h pixelShuffleInto, factor r) is built in: output channels are held
    // in sub-pixel-major order (sub-pixel i * r + j, then channel) and qconv2d writes the shuffled tensor directly,
    // the same values pixelShuffleInto would give; weight, weightScale, scale and bias are in that order.
    int shuffle = 1;
    // Packed as qconv_job.h says (blocks of 32 then 8 output channels, [ky][tap / 2][lane][2], tap = kx * inChannels +
    // ic), int8 values in int16, zeros past kernel * inChannels and past outChannels.
    std::vector<std::int16_t> weight;
    std::vector<float> weightScale;  // [out] s_w
    std::vector<float> scale;        // [out] s_in * s_w
    std::vector<float> bias;         // [out]
};

// Quantises `layer` (validated as conv.h does) for inputs whose magnitude reaches `inputRange`: s_in =
// inputRange / inputMax, s_w[oc] = max |w[oc]| / weightMax (1 for an all-zero channel), q_w = nearbyint(w / s_w).
// inputMax and weightMax in 1..32767; shuffle >= 1 dividing outChannels as r * r; InvalidArgument when the sums
// could overflow int32, the range is not positive and finite or the shuffle does not fit.
Result<QConvLayer> quantizeConvLayer(const ConvLayer& layer, float inputRange, int inputMax, int weightMax = 127,
                                     int shuffle = 1);

// The widest clamp (at most 32767) of one factor of a layer's products, input A or weight B, for which a layer of
// this kernel and input width cannot overflow its int32 sums with the other factor clamped at `other`
// (A * B * kernel^2 * inChannels <= 2^31 - 1); 0 when none can.
int widestClamp(int kernel, int inChannels, int other = 127);

// What qconv2d needs besides its output, kept by a caller that runs many layers (a layer stack, its tiles) so that
// each call reuses the buffer instead of allocating and zeroing it: the quantised input with its zero padding.
// One per concurrent qconv2d call; its contents between calls mean nothing.
struct QConvScratch {
    std::vector<std::int16_t, UninitializedAllocator<std::int16_t>> input;
};

// path: Auto (see qconvDefaultPath), Generic, Avx2 or Avx512Vnni (Reference means Auto); a path this CPU cannot
// run is InvalidArgument.
// Output: oh x ow x outChannels, or (oh * r) x (ow * r) x outChannels / r^2 for a layer with a built-in shuffle.
// scratch: null allocates one for this call.
Status qconv2d(const Tensor& in, const QConvLayer& layer, Tensor& out, int threads = 1,
               const CancelToken* cancel = nullptr, ConvPath path = ConvPath::Auto, QConvScratch* scratch = nullptr);

// Whether qconv2d can run `path` here (Generic, Auto and Reference always can).
bool qconvPathAvailable(ConvPath path);
// The path Auto resolves to: the environment variable LMC_QCONV_PATH (generic | avx2 | avx512vnni; read once, an
// unavailable or unknown name is ignored) or setQConvDefaultPath, else the widest available. A hook so that tests
// and benchmarks can run whole decodes on each path and compare the bytes; thread-safe.
ConvPath qconvDefaultPath();
// Auto restores the automatic choice; an unavailable path is ignored (returns false).
bool setQConvDefaultPath(ConvPath path);

}  // namespace lmc::nn
