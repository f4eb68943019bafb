// 2-D convolution for the learned codecs' CPU inference, bit-reproducible across machines, threads and SIMD paths.
//
// Operation order (FIXED; the contract that makes decoding reproducible): each output value out[oy][ox][oc] is
//     acc = bias[oc] (0 when bias is empty)
//     for ky in 0..k-1, for kx in 0..k-1, for ic in 0..inChannels-1:
//         acc = acc + in[oy*stride + ky - pad][ox*stride + kx - pad][ic] * weight[oc][ic][ky][kx]
//     out = activation(acc)
// with every multiply and add rounded to float (no FMA contraction, no reassociation). Taps in the zero padding are
// NOT skipped: they contribute acc + (+0.0f * w) like any other tap. Each output value is computed by one thread, in
// that order, whichever SIMD path (AVX2 or baseline SSE2) and thread count run it, so the bits never change with
// either. The kernels run with the IEEE default rounding and denormal handling whatever the caller's MXCSR (they set
// it and restore it), and their translation units are built with -ffp-contract=off.
//
// Speed: about 27-31 GFLOP/s on one core of the AMD EPYC (Zen 1) build machine for layers of 32..256 channels and
// 19-22 for the 3-input first layer and the 12-output last one (tests/bench/bench_nn.cpp); torch::conv2d (oneDNN,
// with FMA) does 25-39 on the same machine. Weights are repacked on every call (cost proportional to the weight
// count, negligible beside the convolution for anything above a few hundred pixels).
//
// Threading: conv2d splits output rows over up to `threads` workers (the caller and the shared pool's, work_pool.h)
// and returns when every row is done; it is reentrant. Errors: InvalidArgument for inconsistent shapes or layer
// parameters, TooLarge above the limits below (or when memory runs out), Cancelled when the token fires (polled per
// output row; `out` is then unspecified).
#pragma once

#include <cstddef>
#include <vector>

#include "codec/codec.h"
#include "codec/nn/tensor.h"
#include "codec/result.h"

namespace lmc::nn {

struct ConvLayer {
    int inChannels = 0, outChannels = 0, kernel = 3, stride = 1;  // kernel 1, 3 or 5; stride 1 or 2
    // Padding is always kernel/2 zeros on every side (PyTorch Conv2d(padding=kernel//2)); output size =
    // (in + 2*pad - kernel) / stride + 1, i.e. ceil(in / stride) for odd kernels.
    Activation activation = Activation::None;
    float leakySlope = 0.01f;
    std::vector<float> weight;  // PyTorch layout [out][in][ky][kx], as torch::Tensor::contiguous() stores it
    std::vector<float> bias;    // [out] (may be empty = zeros)
};

// Limits checked before allocating anything.
inline constexpr int kMaxConvChannels = 4096;
inline constexpr int kMaxConvSide = 16384;
inline constexpr std::size_t kMaxConvOutputValues = std::size_t(1) << 30;
inline constexpr int kMaxConvThreads = 64;  // larger `threads` values are clamped

// Output size of `layer` applied to an input of side `in` (no validation).
inline int convOutputSize(int in, const ConvLayer& layer) {
    const int pad = layer.kernel / 2;
    return (in + 2 * pad - layer.kernel) / layer.stride + 1;
}

// out = act(conv(in) + bias), in the order documented above. `threads` <= 0 means 1. `out` may be `in`.
Status conv2d(const Tensor& in, const ConvLayer& layer, Tensor& out, int threads = 1,
              const CancelToken* cancel = nullptr);

// Which kernel conv2d uses. Auto picks AVX2 when the CPU has it, else Generic (128-bit vectors, SSE2 baseline);
// Reference is the plain scalar loop nest of the documented order (slow; for tests). All give the same bits; the
// choice exists so tests can prove it and benchmarks can compare. Avx512Vnni is an INT8 kernel only (qconv.h);
// conv2d reports it unavailable.
enum class ConvPath { Auto, Generic, Avx2, Reference, Avx512Vnni };
Status conv2d(const Tensor& in, const ConvLayer& layer, Tensor& out, int threads, const CancelToken* cancel,
              ConvPath path);
// Whether `path` can run on this CPU/build (Reference and Generic always can).
bool convPathAvailable(ConvPath path);
const char* convPathName(ConvPath path);

// Checks kernel, stride, channel counts and the weight/bias sizes of `layer` (conv2d does it too; model loaders can
// call it once up front to report a damaged weight file).
Status validateConvLayer(const ConvLayer& layer);

}  // namespace lmc::nn
