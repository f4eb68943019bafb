#include "codec/nn/conv.h"

#include <algorithm>
#include <atomic>
#include <new>
#include <string>
#include <system_error>
#include <thread>

#include "codec/nn/conv_job.h"
#include "codec/nn/fp_env.h"
#include "codec/nn/row_handout.h"
#include "codec/work_pool.h"

namespace lmc::nn {

namespace {

Error invalid(const std::string& what) {
    return makeError(ErrorCode::InvalidArgument, "conv2d: " + what);
}

bool avx2Available() {
    return detail::avx2KernelCompiled() && detail::cpuHasAvx2();
}

// 32-lane blocks (2 pixels per register block) are the fastest for long reductions; with few taps (the first layer,
// 3 input channels) the per-block overhead dominates and 16-lane blocks of 4 pixels win (26 vs 21 GFLOP/s, 3->48).
detail::BlockPlan blockPlan(const ConvLayer& layer) {
    const int outChannels = layer.outChannels;
    detail::BlockPlan plan;
    const bool longReduction = layer.kernel * layer.kernel * layer.inChannels >= 64;
    plan.n32 = longReduction ? outChannels / 32 : 0;
    int rest = outChannels - 32 * plan.n32;
    while (rest > 16) {
        ++plan.n16;
        rest -= 16;
    }
    if (rest > 8)
        ++plan.n16;
    else if (rest > 0)
        plan.n8 = 1;
    return plan;
}

// [out][in][ky][kx] -> the packed bias then the packed weights of conv_job.h's BlockPlan layout, zero-padded.
std::vector<float> packWeights(const ConvLayer& layer) {
    const int k = layer.kernel, ic = layer.inChannels, oc = layer.outChannels;
    const detail::BlockPlan plan = blockPlan(layer);
    const std::size_t lanes = std::size_t(plan.lanes());
    std::vector<float> packed(lanes + lanes * k * k * ic, 0.0f);
    for (int o = 0; o < oc && !layer.bias.empty(); ++o) packed[o] = layer.bias[o];
    float* w = packed.data() + lanes;
    for (int o = 0; o < oc; ++o) {
        // Block (oc0, width) holding output channel o.
        int oc0 = 0, width = 32;
        if (o >= 32 * plan.n32) {
            oc0 = 32 * plan.n32 + (o - 32 * plan.n32) / 16 * 16;
            width = 16;
            if (o >= 32 * plan.n32 + 16 * plan.n16) {
                oc0 = 32 * plan.n32 + 16 * plan.n16;
                width = 8;
            }
        } else {
            oc0 = o / 32 * 32;
        }
        float* block = w + std::size_t(oc0) * k * k * ic;
        for (int c = 0; c < ic; ++c)
            for (int ky = 0; ky < k; ++ky)
                for (int kx = 0; kx < k; ++kx)
                    block[((std::size_t(ky) * k + kx) * ic + c) * width + (o - oc0)] =
                        layer.weight[((std::size_t(o) * ic + c) * k + ky) * k + kx];
    }
    return packed;
}

struct KernelScratch {
    std::vector<float> rows;
};

// Copies the input rows that output row `oy` reads into `scratch`, zero-padded, and runs the SIMD kernel on them.
void convRow(bool avx2, const Tensor& in, const ConvLayer& layer, const std::vector<float>& packed, Tensor& out, int oy,
             KernelScratch& scratch) {
    const int k = layer.kernel, s = layer.stride, pad = k / 2, c = in.c;
    const int padW = (out.w - 1) * s + k;  // pixels of a padded row that the kernel reads
    const std::size_t rowStride = std::size_t(padW) * c;
    scratch.rows.resize(rowStride * k);
    for (int ky = 0; ky < k; ++ky) {
        float* dst = scratch.rows.data() + ky * rowStride;
        const int iy = oy * s + ky - pad;
        if (iy < 0 || iy >= in.h) {
            std::fill(dst, dst + rowStride, 0.0f);
            continue;
        }
        // Padded pixel px holds input pixel px - pad.
        const int copyBegin = std::max(0, pad), copyEnd = std::min(padW, in.w + pad);
        std::fill(dst, dst + std::size_t(copyBegin) * c, 0.0f);
        std::copy(in.at(iy, copyBegin - pad), in.at(iy, copyBegin - pad) + std::size_t(copyEnd - copyBegin) * c,
                  dst + std::size_t(copyBegin) * c);
        std::fill(dst + std::size_t(copyEnd) * c, dst + rowStride, 0.0f);
    }
    detail::RowJob job;
    job.rows = scratch.rows.data();
    job.rowStride = long(rowStride);
    job.inC = c;
    job.kernel = k;
    job.stride = s;
    job.outW = out.w;
    job.outC = out.c;
    job.plan = blockPlan(layer);
    job.bias = packed.data();
    job.weights = packed.data() + job.plan.lanes();
    job.out = out.at(oy, 0);
    job.activation = layer.activation == Activation::Relu ? 1 : layer.activation == Activation::LeakyRelu ? 2 : 0;
    job.slope = layer.leakySlope;
    if (avx2)
        detail::convRowAvx2(job);
    else
        detail::convRowGeneric(job);
}

// The plain scalar definition of the documented order; the SIMD kernels must match it bit for bit.
void referenceRows(const Tensor& in, const ConvLayer& layer, Tensor& out, int rowBegin, int rowEnd) {
    const int k = layer.kernel, s = layer.stride, pad = k / 2, ic = layer.inChannels;
    for (int oy = rowBegin; oy < rowEnd; ++oy)
        for (int ox = 0; ox < out.w; ++ox)
            for (int oc = 0; oc < layer.outChannels; ++oc) {
                float acc = layer.bias.empty() ? 0.0f : layer.bias[oc];
                for (int ky = 0; ky < k; ++ky)
                    for (int kx = 0; kx < k; ++kx) {
                        const int iy = oy * s + ky - pad, ix = ox * s + kx - pad;
                        const bool inside = iy >= 0 && iy < in.h && ix >= 0 && ix < in.w;
                        for (int c = 0; c < ic; ++c) {
                            const float v = inside ? in.at(iy, ix)[c] : 0.0f;
                            const float wv = layer.weight[((std::size_t(oc) * ic + c) * k + ky) * k + kx];
                            const float prod = v * wv;
                            acc = acc + prod;
                        }
                    }
                out.at(oy, ox)[oc] = activate(acc, layer.activation, layer.leakySlope);
            }
}

}  // namespace

Status validateConvLayer(const ConvLayer& layer) {
    if (layer.kernel != 1 && layer.kernel != 3 && layer.kernel != 5)
        return invalid("kernel must be 1, 3 or 5, got " + std::to_string(layer.kernel));
    if (layer.stride != 1 && layer.stride != 2)
        return invalid("stride must be 1 or 2, got " + std::to_string(layer.stride));
    if (layer.inChannels < 1 || layer.outChannels < 1 || layer.inChannels > kMaxConvChannels ||
        layer.outChannels > kMaxConvChannels)
        return invalid("channel counts must be in 1.." + std::to_string(kMaxConvChannels) + ", got " +
                       std::to_string(layer.inChannels) + " -> " + std::to_string(layer.outChannels));
    const std::size_t expected =
        std::size_t(layer.outChannels) * layer.inChannels * std::size_t(layer.kernel) * layer.kernel;
    if (layer.weight.size() != expected)
        return invalid("weight has " + std::to_string(layer.weight.size()) + " values, expected " +
                       std::to_string(expected));
    if (!layer.bias.empty() && layer.bias.size() != std::size_t(layer.outChannels))
        return invalid("bias has " + std::to_string(layer.bias.size()) + " values, expected 0 or " +
                       std::to_string(layer.outChannels));
    return {};
}

bool convPathAvailable(ConvPath path) {
    switch (path) {
        case ConvPath::Avx2:
            return avx2Available();
        case ConvPath::Avx512Vnni:
            return false;
        case ConvPath::Auto:
        case ConvPath::Generic:
        case ConvPath::Reference:
            return true;
    }
    return false;
}

const char* convPathName(ConvPath path) {
    switch (path) {
        case ConvPath::Auto:
            return "auto";
        case ConvPath::Generic:
            return "generic";
        case ConvPath::Avx2:
            return "avx2";
        case ConvPath::Reference:
            return "reference";
        case ConvPath::Avx512Vnni:
            return "avx512vnni";
    }
    return "?";
}

Status conv2d(const Tensor& in, const ConvLayer& layer, Tensor& out, int threads, const CancelToken* cancel) {
    return conv2d(in, layer, out, threads, cancel, ConvPath::Auto);
}

Status conv2d(const Tensor& in, const ConvLayer& layer, Tensor& out, int threads, const CancelToken* cancel,
              ConvPath path) {
    if (Status st = validateConvLayer(layer); !st) return st;
    if (!in.valid()) return invalid("input tensor is empty or its data size does not match h*w*c");
    if (in.c != layer.inChannels)
        return invalid("input has " + std::to_string(in.c) + " channels, layer expects " +
                       std::to_string(layer.inChannels));
    if (in.h > kMaxConvSide || in.w > kMaxConvSide)
        return makeError(ErrorCode::TooLarge, "conv2d: input " + std::to_string(in.w) + "x" + std::to_string(in.h) +
                                                  " exceeds " + std::to_string(kMaxConvSide));
    const int oh = convOutputSize(in.h, layer), ow = convOutputSize(in.w, layer);
    if (std::size_t(oh) * std::size_t(ow) * std::size_t(layer.outChannels) > kMaxConvOutputValues)
        return makeError(ErrorCode::TooLarge, "conv2d: output " + std::to_string(ow) + "x" + std::to_string(oh) + "x" +
                                                  std::to_string(layer.outChannels) + " is too large");
    if (path == ConvPath::Auto) path = avx2Available() ? ConvPath::Avx2 : ConvPath::Generic;
    if (!convPathAvailable(path)) return invalid(std::string("path ") + convPathName(path) + " is not available");
    if (cancel != nullptr && cancel->isCancelled()) return cancelledError();

    Tensor result;
    Tensor& dst = (&out == &in) ? result : out;
    std::vector<float> packed;
    try {
        // Reuses the buffer's capacity (layer stacks alternate two tensors), unzeroed: every value is overwritten
        // below, and fresh allocations of this size cost page faults and zeroing.
        dst.reshapeForOverwrite(oh, ow, layer.outChannels);
        if (path != ConvPath::Reference) packed = packWeights(layer);
    } catch (const std::bad_alloc&) {
        return makeError(ErrorCode::TooLarge, "conv2d: out of memory for a " + std::to_string(ow) + "x" +
                                                  std::to_string(oh) + "x" + std::to_string(layer.outChannels) +
                                                  " output");
    }

    std::atomic<bool> stop{false}, outOfMemory{false};
    detail::forEachRow(oh, threads, cancel, stop, [&] {
        return [&, scratch = KernelScratch()](int row) mutable {
            try {
                if (path == ConvPath::Reference)
                    referenceRows(in, layer, dst, row, row + 1);
                else
                    convRow(path == ConvPath::Avx2, in, layer, packed, dst, row, scratch);
                return true;
            } catch (const std::bad_alloc&) {  // the padded-row scratch; nothing else allocates
                outOfMemory.store(true);
                return false;
            }
        };
    });
    if (outOfMemory.load()) return makeError(ErrorCode::TooLarge, "conv2d: out of memory for the row buffers");
    if (stop.load()) return cancelledError();
    if (&out == &in) out = std::move(result);
    return {};
}

namespace detail {
bool cpuHasAvx2() {
#if defined(__x86_64__) || defined(__i386__)
    static const bool available = __builtin_cpu_supports("avx2");
    return available;
#else
    return false;
#endif
}

bool cpuHasAvx512Vnni() {
#if defined(__x86_64__) || defined(__i386__)
    static const bool available = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                                  __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512vnni");
    return available;
#else
    return false;
#endif
}
}  // namespace detail

}  // namespace lmc::nn
