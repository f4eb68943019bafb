#include "codec/nn/qconv.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdlib>
#include <new>
#include <string>

#include "codec/nn/conv_job.h"
#include "codec/nn/fp_env.h"
#include "codec/nn/qconv_job.h"
#include "codec/nn/row_handout.h"
#include "codec/work_pool.h"

namespace {
#define LMC_QNN_VEC_BYTES 16
#include "codec/nn/qconv_kernel_impl.h"
}  // namespace

namespace lmc::nn {

namespace detail {
void qconvRowGeneric(const QRowJob& job) {
    qconvRow(job);
}
}  // namespace detail

namespace {

Error invalid(const std::string& what) {
    return makeError(ErrorCode::InvalidArgument, "qconv2d: " + what);
}

bool avx2Available() {
    return detail::qavx2KernelCompiled() && detail::cpuHasAvx2();
}

bool avx512Available() {
    return detail::qavx512KernelCompiled() && detail::cpuHasAvx512Vnni();
}

ConvPath widestPath() {
    return avx512Available() ? ConvPath::Avx512Vnni : avx2Available() ? ConvPath::Avx2 : ConvPath::Generic;
}

// setQConvDefaultPath's choice; Auto: none (then LMC_QCONV_PATH, then the widest).
std::atomic<int> defaultPathOverride{int(ConvPath::Auto)};

ConvPath environmentPath() {
    static const ConvPath fromEnvironment = [] {
        const char* name = std::getenv("LMC_QCONV_PATH");
        if (name == nullptr) return ConvPath::Auto;
        const std::string n = name;
        const ConvPath p = n == "generic"      ? ConvPath::Generic
                           : n == "avx2"       ? ConvPath::Avx2
                           : n == "avx512vnni" ? ConvPath::Avx512Vnni
                                               : ConvPath::Auto;
        return qconvPathAvailable(p) ? p : ConvPath::Auto;
    }();
    return fromEnvironment;
}

constexpr int kTapAlign = 16;
constexpr std::int64_t kMaxAccumulator = 2147483647;

// Round half to even by the 1.5 * 2^23 trick (exact for |v| <= 2^22 under the default rounding mode the workers
// set): basic IEEE operations, no libm call. Clamped first, so NaN (which fails every comparison) becomes -limit.
std::int16_t quantizeInput(float x, float inverseScale, float limit) {
    float v = x * inverseScale;
    if (!(v >= -limit)) v = -limit;
    if (v > limit) v = limit;
    const float magic = 12582912.0f;
    const float shifted = v + magic;
    return std::int16_t(shifted - magic);
}

// The input quantised once, with `pad` zero pixels on every side and kTapAlign zeros of slack at the end (in a
// QConvScratch's buffer).
struct QuantizedInput {
    std::int16_t* values = nullptr;
    long rowStride = 0;
};

// Row y of the input with its padding pixels on both sides (the buffer is reused: nothing is zero beforehand).
void quantizeRow(const Tensor& in, const QConvLayer& layer, int pad, QuantizedInput& q, int y) {
    const float inverse = 1.0f / layer.inputScale, limit = float(layer.inputMax);
    std::int16_t* row = q.values + long(y + pad) * q.rowStride;
    const std::size_t padValues = std::size_t(pad) * in.c, n = std::size_t(in.w) * in.c;
    std::fill_n(row, padValues, std::int16_t(0));
    std::int16_t* dst = row + padValues;
    const float* src = in.at(y, 0);
    for (std::size_t i = 0; i < n; ++i) dst[i] = quantizeInput(src[i], inverse, limit);
    std::fill_n(dst + n, padValues, std::int16_t(0));
}

// Where each output channel goes (QRowJob::offset) in an output of width `outW` pixels (before the shuffle).
struct OutputMap {
    std::vector<std::int32_t> offset;
    long pixelOut = 0;
    bool contiguous16 = true;
};

OutputMap outputMap(const QConvLayer& layer, int outW) {
    OutputMap m;
    const int r = layer.shuffle, oc = layer.outChannels, channels = oc / (r * r);
    m.pixelOut = long(r) * channels;
    const long rowFloats = long(outW) * r * channels;
    m.offset.assign(std::size_t((oc + 31) / 32 * 32), 0);
    for (int k = 0; k < oc; ++k) {
        const int sub = k / channels, c = k % channels;
        m.offset[std::size_t(k)] = std::int32_t(long(sub / r) * rowFloats + long(sub % r) * channels + c);
    }
    for (int k = 0; k < oc; ++k)
        if (m.offset[std::size_t(k)] != m.offset[std::size_t(k / 16 * 16)] + k % 16) m.contiguous16 = false;
    return m;
}

void qconvRowJob(ConvPath path, const QuantizedInput& q, const QConvLayer& layer, const OutputMap& map, Tensor& out,
                 int oy) {
    detail::QRowJob job;
    job.rows = q.values + long(oy) * layer.stride * q.rowStride;
    job.rowStride = q.rowStride;
    job.pixelStep = long(layer.stride) * layer.inChannels;
    job.kernel = layer.kernel;
    job.taps = layer.taps;
    job.outW = out.w / layer.shuffle;
    job.outC = layer.outChannels;
    job.blocks32 = job.outC / 32;
    job.blocks8 = (job.outC - 32 * job.blocks32 + 7) / 8;
    job.weights = layer.weight.data();
    job.scale = layer.scale.data();
    job.bias = layer.bias.data();
    job.out = out.at(oy * layer.shuffle, 0);
    job.pixelOut = map.pixelOut;
    job.offset = map.offset.data();
    job.contiguous16 = map.contiguous16;
    job.activation = layer.activation == Activation::Relu ? 1 : layer.activation == Activation::LeakyRelu ? 2 : 0;
    job.slope = layer.leakySlope;
    if (path == ConvPath::Avx512Vnni)
        detail::qconvRowAvx512(job);
    else if (path == ConvPath::Avx2)
        detail::qconvRowAvx2(job);
    else
        detail::qconvRowGeneric(job);
}

}  // namespace

bool qconvPathAvailable(ConvPath path) {
    switch (path) {
        case ConvPath::Avx2:
            return avx2Available();
        case ConvPath::Avx512Vnni:
            return avx512Available();
        case ConvPath::Auto:
        case ConvPath::Generic:
        case ConvPath::Reference:
            return true;
    }
    return false;
}

ConvPath qconvDefaultPath() {
    const ConvPath chosen = ConvPath(defaultPathOverride.load(std::memory_order_relaxed));
    if (chosen != ConvPath::Auto) return chosen;
    const ConvPath fromEnvironment = environmentPath();
    return fromEnvironment != ConvPath::Auto ? fromEnvironment : widestPath();
}

bool setQConvDefaultPath(ConvPath path) {
    if (path == ConvPath::Reference || !qconvPathAvailable(path)) return false;
    defaultPathOverride.store(int(path), std::memory_order_relaxed);
    return true;
}

int widestClamp(int kernel, int inChannels, int other) {
    if (kernel < 1 || inChannels < 1 || other < 1) return 0;
    const std::int64_t perUnit = std::int64_t(other) * kernel * kernel * inChannels;
    return int(std::min<std::int64_t>(32767, kMaxAccumulator / perUnit));
}

Result<QConvLayer> quantizeConvLayer(const ConvLayer& layer, float inputRange, int inputMax, int weightMax,
                                     int shuffle) {
    if (Status st = validateConvLayer(layer); !st) return st.error();
    if (shuffle < 1 || shuffle > 16 || layer.outChannels % (shuffle * shuffle) != 0)
        return invalid("the shuffle factor must divide the output channels as r * r");
    if (inputMax < 1 || inputMax > 32767) return invalid("input clamp must be in 1..32767");
    if (weightMax < 1 || weightMax > 32767) return invalid("weight clamp must be in 1..32767");
    const float wmax = float(weightMax);
    const detail::FloatEnvGuard floatEnv;  // nearbyint below: round half to even, whatever the caller set
    if (!(inputRange > 0.0f) || !std::isfinite(inputRange)) return invalid("input range must be positive and finite");
    const int k = layer.kernel, ic = layer.inChannels, oc = layer.outChannels;
    const std::int64_t used = std::int64_t(k) * k * ic;
    if (std::int64_t(inputMax) * weightMax * used > kMaxAccumulator) return invalid("sums could overflow int32");
    QConvLayer q;
    q.inChannels = ic;
    q.outChannels = oc;
    q.kernel = k;
    q.stride = layer.stride;
    q.activation = layer.activation;
    q.leakySlope = layer.leakySlope;
    q.shuffle = shuffle;
    q.inputMax = inputMax;
    q.weightMax = weightMax;
    q.inputScale = inputRange / float(inputMax);
    if (!(q.inputScale > 0.0f) || !std::isfinite(1.0f / q.inputScale)) return invalid("input scale out of range");
    q.taps = (k * ic + kTapAlign - 1) / kTapAlign * kTapAlign;
    const int blocks32 = oc / 32, blocks8 = (oc - 32 * blocks32 + 7) / 8;
    q.weight.assign(std::size_t(32 * blocks32 + 8 * blocks8) * k * q.taps, 0);
    q.weightScale.assign(std::size_t(oc), 1.0f);
    q.scale.assign(std::size_t(oc), 0.0f);
    q.bias.assign(std::size_t(oc), 0.0f);
    const int subPixels = shuffle * shuffle, shuffled = oc / subPixels;
    for (int o = 0; o < oc; ++o) {
        // Held channel o computes the layer's channel src (sub-pixel-major order when the shuffle is built in).
        const int src = shuffle > 1 ? (o % shuffled) * subPixels + o / shuffled : o;
        float maxAbs = 0.0f;
        for (std::size_t i = 0; i < std::size_t(ic) * k * k; ++i) {
            const float w = layer.weight[std::size_t(src) * ic * k * k + i];
            if (!std::isfinite(w)) return invalid("weights are not finite");
            maxAbs = std::max(maxAbs, std::fabs(w));
        }
        if (!layer.bias.empty() && !std::isfinite(layer.bias[src])) return invalid("bias is not finite");
        const float ws = maxAbs > 0.0f ? maxAbs / wmax : 1.0f;
        q.weightScale[o] = ws;
        q.scale[o] = q.inputScale * ws;
        if (!layer.bias.empty()) q.bias[o] = layer.bias[src];
        for (int c = 0; c < ic; ++c)
            for (int ky = 0; ky < k; ++ky)
                for (int kx = 0; kx < k; ++kx) {
                    const float w = layer.weight[((std::size_t(src) * ic + c) * k + ky) * k + kx];
                    const float r = std::clamp(std::nearbyint(w / ws), -wmax, wmax);
                    // Block holding o, then [ky][tap / 2][lane][2] (qconv_job.h).
                    const int width = o < 32 * blocks32 ? 32 : 8;
                    const int oc0 = o < 32 * blocks32 ? o / 32 * 32 : 32 * blocks32 + (o - 32 * blocks32) / 8 * 8;
                    const std::size_t tap = std::size_t(kx) * ic + c;
                    q.weight[std::size_t(oc0) * k * q.taps + (std::size_t(ky) * q.taps + tap / 2 * 2) * width +
                             std::size_t(o - oc0) * 2 + tap % 2] = std::int16_t(r);
                }
    }
    return q;
}

Status qconv2d(const Tensor& in, const QConvLayer& layer, Tensor& out, int threads, const CancelToken* cancel,
               ConvPath path, QConvScratch* scratch) {
    const int k = layer.kernel;
    if ((k != 1 && k != 3 && k != 5) || (layer.stride != 1 && layer.stride != 2) || layer.inChannels < 1 ||
        layer.outChannels < 1 || layer.taps < k * layer.inChannels || layer.taps % kTapAlign != 0 ||
        layer.weight.size() !=
            std::size_t((layer.outChannels / 32) * 32 + (layer.outChannels % 32 + 7) / 8 * 8) * k * layer.taps ||
        layer.scale.size() != std::size_t(layer.outChannels) || layer.bias.size() != std::size_t(layer.outChannels) ||
        !(layer.inputScale > 0.0f) || layer.inputMax < 1 || layer.inputMax > 32767 || layer.shuffle < 1 ||
        layer.shuffle > 16 || layer.outChannels % (layer.shuffle * layer.shuffle) != 0)
        return invalid("inconsistent quantised layer");
    if (!in.valid()) return invalid("input tensor is empty or its data size does not match h*w*c");
    if (in.c != layer.inChannels)
        return invalid("input has " + std::to_string(in.c) + " channels, layer expects " +
                       std::to_string(layer.inChannels));
    if (in.h > kMaxConvSide || in.w > kMaxConvSide) return makeError(ErrorCode::TooLarge, "qconv2d: input too large");
    const int pad = k / 2;
    const int oh = (in.h + 2 * pad - k) / layer.stride + 1, ow = (in.w + 2 * pad - k) / layer.stride + 1;
    if (std::size_t(oh) * std::size_t(ow) * std::size_t(layer.outChannels) > kMaxConvOutputValues)
        return makeError(ErrorCode::TooLarge, "qconv2d: output too large");
    if (path == ConvPath::Auto || path == ConvPath::Reference) path = qconvDefaultPath();
    if (!qconvPathAvailable(path)) return invalid(std::string("path ") + convPathName(path) + " is not available");
    if (cancel != nullptr && cancel->isCancelled()) return cancelledError();

    Tensor result;
    Tensor& dst = (&out == &in) ? result : out;
    const int r = layer.shuffle;
    OutputMap map;
    try {
        const int dh = oh * r, dw = ow * r, dc = layer.outChannels / (r * r);
        dst.reshapeForOverwrite(dh, dw, dc);  // every value is written below
        map = outputMap(layer, ow);
    } catch (const std::bad_alloc&) {
        return makeError(ErrorCode::TooLarge, "qconv2d: out of memory for the output");
    }
    QConvScratch ownScratch;
    QConvScratch& buffers = scratch != nullptr ? *scratch : ownScratch;
    QuantizedInput q;
    try {
        q.rowStride = long(in.w + 2 * pad) * in.c;
        buffers.input.resize(std::size_t(q.rowStride) * (in.h + 2 * pad) + kTapAlign);
    } catch (const std::bad_alloc&) {
        return makeError(ErrorCode::TooLarge, "qconv2d: out of memory for the quantised input");
    }
    q.values = buffers.input.data();
    // The padding rows and the slack; quantizeRow writes each input row with its side padding.
    std::fill_n(q.values, std::size_t(q.rowStride) * pad, std::int16_t(0));
    std::fill(q.values + long(in.h + pad) * q.rowStride, q.values + buffers.input.size(), std::int16_t(0));
    std::atomic<bool> stop{false};
    // Integer sums: how the rows are split could not change a value anyway.
    auto forRows = [&](int rows, const auto& body) {
        detail::forEachRow(rows, threads, cancel, stop, [&] {
            return [&](int row) {
                body(row);
                return true;
            };
        });
    };
    forRows(in.h, [&](int y) { quantizeRow(in, layer, pad, q, y); });
    if (!stop.load()) forRows(oh, [&](int row) { qconvRowJob(path, q, layer, map, dst, row); });
    if (stop.load()) return cancelledError();
    if (&out == &in) out = std::move(result);
    return {};
}

}  // namespace lmc::nn
