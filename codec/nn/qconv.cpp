#include "codec/nn/qconv.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <new>
#include <string>

#include "codec/nn/conv_job.h"
#include "codec/nn/fp_env.h"
#include "codec/nn/qconv_job.h"
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

// The input quantised once, with `pad` zero pixels on every side and kTapAlign values of slack at the end.
struct QuantizedInput {
    std::vector<std::int16_t> values;
    long rowStride = 0;
};

void quantizeRow(const Tensor& in, const QConvLayer& layer, int pad, QuantizedInput& q, int y) {
    const float inverse = 1.0f / layer.inputScale, limit = float(layer.inputMax);
    std::int16_t* dst = q.values.data() + long(y + pad) * q.rowStride + long(pad) * in.c;
    const float* src = in.at(y, 0);
    for (std::size_t i = 0, n = std::size_t(in.w) * in.c; i < n; ++i) dst[i] = quantizeInput(src[i], inverse, limit);
}

void qconvRowJob(bool avx2, const QuantizedInput& q, const QConvLayer& layer, Tensor& out, int oy) {
    detail::QRowJob job;
    job.rows = q.values.data() + long(oy) * layer.stride * q.rowStride;
    job.rowStride = q.rowStride;
    job.pixelStep = long(layer.stride) * layer.inChannels;
    job.kernel = layer.kernel;
    job.taps = layer.taps;
    job.outW = out.w;
    job.outC = out.c;
    job.blocks32 = out.c / 32;
    job.blocks8 = (out.c - 32 * job.blocks32 + 7) / 8;
    job.weights = layer.weight.data();
    job.scale = layer.scale.data();
    job.bias = layer.bias.data();
    job.out = out.at(oy, 0);
    job.activation = layer.activation == Activation::Relu ? 1 : layer.activation == Activation::LeakyRelu ? 2 : 0;
    job.slope = layer.leakySlope;
    if (avx2)
        detail::qconvRowAvx2(job);
    else
        detail::qconvRowGeneric(job);
}

}  // namespace

Result<QConvLayer> quantizeConvLayer(const ConvLayer& layer, float inputRange, int inputMax, int weightMax) {
    if (Status st = validateConvLayer(layer); !st) return st.error();
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
    for (int o = 0; o < oc; ++o) {
        float maxAbs = 0.0f;
        for (std::size_t i = 0; i < std::size_t(ic) * k * k; ++i) {
            const float w = layer.weight[std::size_t(o) * ic * k * k + i];
            if (!std::isfinite(w)) return invalid("weights are not finite");
            maxAbs = std::max(maxAbs, std::fabs(w));
        }
        if (!layer.bias.empty() && !std::isfinite(layer.bias[o])) return invalid("bias is not finite");
        const float ws = maxAbs > 0.0f ? maxAbs / wmax : 1.0f;
        q.weightScale[o] = ws;
        q.scale[o] = q.inputScale * ws;
        if (!layer.bias.empty()) q.bias[o] = layer.bias[o];
        for (int c = 0; c < ic; ++c)
            for (int ky = 0; ky < k; ++ky)
                for (int kx = 0; kx < k; ++kx) {
                    const float w = layer.weight[((std::size_t(o) * ic + c) * k + ky) * k + kx];
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
               ConvPath path) {
    const int k = layer.kernel;
    if ((k != 1 && k != 3 && k != 5) || (layer.stride != 1 && layer.stride != 2) || layer.inChannels < 1 ||
        layer.outChannels < 1 || layer.taps < k * layer.inChannels || layer.taps % kTapAlign != 0 ||
        layer.weight.size() !=
            std::size_t((layer.outChannels / 32) * 32 + (layer.outChannels % 32 + 7) / 8 * 8) * k * layer.taps ||
        layer.scale.size() != std::size_t(layer.outChannels) || layer.bias.size() != std::size_t(layer.outChannels) ||
        !(layer.inputScale > 0.0f) || layer.inputMax < 1 || layer.inputMax > 32767)
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
    if (path == ConvPath::Auto || path == ConvPath::Reference)
        path = avx2Available() ? ConvPath::Avx2 : ConvPath::Generic;
    if (path == ConvPath::Avx2 && !avx2Available()) return invalid("path avx2 is not available");
    if (cancel != nullptr && cancel->isCancelled()) return cancelledError();

    Tensor result;
    Tensor& dst = (&out == &in) ? result : out;
    try {
        if (dst.h != oh || dst.w != ow || dst.c != layer.outChannels ||
            dst.data.size() != std::size_t(oh) * ow * layer.outChannels) {
            dst.h = oh;
            dst.w = ow;
            dst.c = layer.outChannels;
            dst.data.resize(std::size_t(oh) * ow * layer.outChannels);
        }
    } catch (const std::bad_alloc&) {
        return makeError(ErrorCode::TooLarge, "qconv2d: out of memory for the output");
    }
    QuantizedInput q;
    try {
        q.rowStride = long(in.w + 2 * pad) * in.c;
        q.values.assign(std::size_t(q.rowStride) * (in.h + 2 * pad) + kTapAlign, 0);
    } catch (const std::bad_alloc&) {
        return makeError(ErrorCode::TooLarge, "qconv2d: out of memory for the quantised input");
    }
    std::atomic<bool> stop{false};
    std::atomic<int> nextRow{0};
    // Rows are handed out one at a time and each is computed whole by one worker (integer sums: the split could not
    // change a value anyway).
    auto forRows = [&](int rows, const auto& body) {
        nextRow.store(0);
        auto worker = [&]() {
            const detail::FloatEnvGuard floatEnv;
            for (;;) {
                if (stop.load(std::memory_order_relaxed)) return;
                if (cancel != nullptr && cancel->isCancelled()) {
                    stop.store(true, std::memory_order_relaxed);
                    return;
                }
                const int row = nextRow.fetch_add(1, std::memory_order_relaxed);
                if (row >= rows) return;
                body(row);
            }
        };
        runWorkers(std::clamp(threads, 1, std::min(rows, kMaxConvThreads)), [&](int) { worker(); });
    };
    forRows(in.h, [&](int y) { quantizeRow(in, layer, pad, q, y); });
    if (!stop.load()) forRows(oh, [&](int row) { qconvRowJob(path == ConvPath::Avx2, q, layer, dst, row); });
    if (stop.load()) return cancelledError();
    if (&out == &in) out = std::move(result);
    return {};
}

}  // namespace lmc::nn
