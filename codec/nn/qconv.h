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
// the compiler picks changes no bit. The kernels run in plain C++ loops (int16 x int16 -> int32, which the compiler
// turns into pmaddwd); an AVX2 build is picked at run time like conv.h's.
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
    // Packed as qconv_job.h says (blocks of 32 then 8 output channels, [ky][tap / 2][lane][2], tap = kx * inChannels +
    // ic), int8 values in int16, zeros past kernel * inChannels and past outChannels.
    std::vector<std::int16_t> weight;
    std::vector<float> weightScale;  // [out] s_w
    std::vector<float> scale;        // [out] s_in * s_w
    std::vector<float> bias;         // [out]
};

// Quantises `layer` (validated as conv.h does) for inputs whose magnitude reaches `inputRange`: s_in =
// inputRange / inputMax, s_w[oc] = max |w[oc]| / weightMax (1 for an all-zero channel), q_w = nearbyint(w / s_w).
// inputMax and weightMax in 1..32767; InvalidArgument when the sums could overflow int32 or the range is not
// positive and finite.
Result<QConvLayer> quantizeConvLayer(const ConvLayer& layer, float inputRange, int inputMax, int weightMax = 127);

Status qconv2d(const Tensor& in, const QConvLayer& layer, Tensor& out, int threads = 1,
               const CancelToken* cancel = nullptr, ConvPath path = ConvPath::Auto);

}  // namespace lmc::nn
