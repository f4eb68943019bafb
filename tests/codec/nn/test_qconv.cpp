// INT8 convolution (codec/nn/qconv.h): the kernels against an independent scalar definition of the documented
// arithmetic, bit for bit on every path and thread count; closeness to FP32; refused and hostile inputs.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>

#include "codec/nn/conv.h"
#include "codec/nn/qconv.h"

using namespace lmc;
using namespace lmc::nn;

namespace {

ConvLayer randomLayer(int in, int out, int kernel, int stride, std::mt19937& rng) {
    std::normal_distribution<float> dist(0.0f, 0.2f);
    ConvLayer l;
    l.inChannels = in;
    l.outChannels = out;
    l.kernel = kernel;
    l.stride = stride;
    l.activation = Activation::LeakyRelu;
    l.leakySlope = 0.1f;
    l.weight.resize(std::size_t(out) * in * kernel * kernel);
    for (float& v : l.weight) v = dist(rng);
    l.weight[0] = 0.0f;  // not every channel's max sits in its first tap
    l.bias.resize(std::size_t(out));
    for (float& v : l.bias) v = dist(rng);
    return l;
}

Tensor randomTensor(int h, int w, int c, std::mt19937& rng, float sigma = 1.0f) {
    std::normal_distribution<float> dist(0.0f, sigma);
    Tensor t(h, w, c);
    for (float& v : t.data) v = dist(rng);
    return t;
}

// qconv.h's arithmetic written out directly (int64 sums, weights quantised here, not by the library).
Tensor reference(const Tensor& in, const ConvLayer& l, float range, int inputMax, int weightMax) {
    const int k = l.kernel, pad = k / 2, s = l.stride;
    const int oh = (in.h + 2 * pad - k) / s + 1, ow = (in.w + 2 * pad - k) / s + 1;
    const float inputScale = range / float(inputMax), inverse = 1.0f / inputScale;
    auto quantize = [&](float x) {
        float v = std::nearbyint(x * inverse);
        if (!(v >= -float(inputMax))) v = -float(inputMax);
        return std::int64_t(std::min(v, float(inputMax)));
    };
    Tensor out(oh, ow, l.outChannels);
    for (int oc = 0; oc < l.outChannels; ++oc) {
        const std::size_t n = std::size_t(l.inChannels) * k * k;
        float maxAbs = 0.0f;
        for (std::size_t i = 0; i < n; ++i) maxAbs = std::max(maxAbs, std::fabs(l.weight[oc * n + i]));
        const float ws = maxAbs > 0.0f ? maxAbs / float(weightMax) : 1.0f;
        const float scale = inputScale * ws;
        for (int oy = 0; oy < oh; ++oy)
            for (int ox = 0; ox < ow; ++ox) {
                std::int64_t acc = 0;
                for (int ky = 0; ky < k; ++ky)
                    for (int kx = 0; kx < k; ++kx) {
                        const int iy = oy * s + ky - pad, ix = ox * s + kx - pad;
                        if (iy < 0 || iy >= in.h || ix < 0 || ix >= in.w) continue;
                        for (int c = 0; c < l.inChannels; ++c) {
                            const float w = l.weight[((std::size_t(oc) * l.inChannels + c) * k + ky) * k + kx];
                            const std::int64_t qw =
                                std::int64_t(std::clamp(std::nearbyint(w / ws), -float(weightMax), float(weightMax)));
                            acc += quantize(in.at(iy, ix)[c]) * qw;
                        }
                    }
                const float scaled = float(acc) * scale;
                out.at(oy, ox)[oc] = activate(scaled + l.bias[oc], l.activation, l.leakySlope);
            }
    }
    return out;
}

bool sameBits(const Tensor& a, const Tensor& b) {
    return a.sameShape(b) && std::memcmp(a.data.data(), b.data.data(), a.size() * sizeof(float)) == 0;
}

}  // namespace

TEST(QConv, EveryPathAndThreadCountGivesTheReferenceBits) {
    std::mt19937 rng(11);
    struct Shape {
        int in, out, kernel, stride, h, w, inputMax, weightMax;
    };
    // Channel counts that exercise the 32-lane blocks, the 8-lane tail and tap counts that are not a multiple of 16;
    // clamps from 8 bits to the largest the int32 sums allow.
    const Shape shapes[] = {{3, 1, 3, 1, 7, 5, 127, 127},
                            {5, 12, 3, 2, 9, 11, 127, 127},
                            {17, 40, 3, 1, 6, 13, 2047, 127},
                            {96, 64, 1, 1, 4, 5, 16383, 1023},
                            {32, 96, 3, 1, 5, 4, 16383, 127},
                            {16, 33, 5, 2, 8, 8, 2047, 255},
                            // rows wider than the VNNI kernel's 8-pixel blocks, with a tail; the decoder's shapes
                            {64, 256, 3, 1, 3, 21, 16383, 127},
                            {16, 12, 3, 1, 4, 19, 2047, 127}};
    // Every activation, so each vector epilogue meets the scalar one.
    const Activation activations[] = {Activation::LeakyRelu, Activation::None, Activation::Relu};
    int index = 0;
    for (const Shape& s : shapes) {
        ConvLayer layer = randomLayer(s.in, s.out, s.kernel, s.stride, rng);
        layer.activation = activations[index++ % 3];
        const Tensor in = randomTensor(s.h, s.w, s.in, rng);
        auto q = quantizeConvLayer(layer, 2.5f, s.inputMax, s.weightMax);
        ASSERT_TRUE(q) << q.error().message;
        const Tensor expected = reference(in, layer, 2.5f, s.inputMax, s.weightMax);
        for (ConvPath path : {ConvPath::Generic, ConvPath::Avx2, ConvPath::Avx512Vnni})
            for (int threads : {1, 2, 3}) {
                if (!qconvPathAvailable(path)) continue;
                Tensor out;
                ASSERT_TRUE(qconv2d(in, *q, out, threads, nullptr, path));
                EXPECT_TRUE(sameBits(out, expected)) << convPathName(path) << " " << threads << " threads, " << s.in
                                                     << "->" << s.out << " k" << s.kernel << " s" << s.stride;
            }
    }
}

TEST(QConv, BuiltInShuffleEqualsConvolutionThenShuffle) {
    // A layer quantised with its pixel shuffle built in (channels reordered, outputs written to the shuffled
    // tensor) gives exactly qconv2d followed by pixelShuffleInto, on every path and thread count: vector stores
    // where a sub-pixel's channels fill 16 lanes, scatters where they do not (3 colour channels).
    std::mt19937 rng(14);
    struct Shape {
        int in, out, kernel, r, h, w;
    };
    const Shape shapes[] = {{8, 64, 3, 2, 5, 19},   {16, 12, 3, 2, 4, 11}, {8, 128, 3, 2, 3, 10},
                            {20, 768, 1, 16, 3, 9}, {6, 48, 3, 4, 4, 9},   {5, 36, 3, 3, 3, 17}};
    for (const Shape& s : shapes) {
        const ConvLayer layer = randomLayer(s.in, s.out, s.kernel, 1, rng);
        const Tensor in = randomTensor(s.h, s.w, s.in, rng);
        auto plain = quantizeConvLayer(layer, 2.5f, 2047, 127);
        auto built = quantizeConvLayer(layer, 2.5f, 2047, 127, s.r);
        ASSERT_TRUE(plain && built);
        Tensor conv, expected;
        ASSERT_TRUE(qconv2d(in, *plain, conv, 1, nullptr, ConvPath::Generic));
        pixelShuffleInto(conv, s.r, expected);
        for (ConvPath path : {ConvPath::Generic, ConvPath::Avx2, ConvPath::Avx512Vnni})
            for (int threads : {1, 3}) {
                if (!qconvPathAvailable(path)) continue;
                Tensor out;
                ASSERT_TRUE(qconv2d(in, *built, out, threads, nullptr, path));
                EXPECT_TRUE(sameBits(out, expected))
                    << convPathName(path) << " " << threads << " threads, " << s.out << " channels, shuffle " << s.r;
            }
    }
    EXPECT_FALSE(quantizeConvLayer(randomLayer(4, 12, 3, 1, rng), 1.0f, 127, 127, 3));  // 12 is not 9 * n
}

TEST(QConv, ReusedScratchAndOutputGiveTheReferenceBits) {
    // A layer stack hands every layer the same QConvScratch and alternating outputs whose buffers are not cleared.
    // Here each layer's scratch holds the previous (larger, far out of range) input's quantised values and its
    // output a NaN-filled buffer: the padding must still read as zeros and every output value must be written.
    std::mt19937 rng(15);
    struct Shape {
        int in, out, kernel, stride, h, w;
    };
    const Shape shapes[] = {{16, 40, 3, 1, 17, 23}, {40, 12, 5, 2, 9, 11}, {12, 33, 3, 1, 6, 7},
                            {33, 8, 1, 1, 5, 5},    {8, 64, 3, 2, 13, 10}, {64, 16, 3, 1, 3, 4}};
    for (ConvPath path : {ConvPath::Generic, ConvPath::Avx2, ConvPath::Avx512Vnni}) {
        if (!qconvPathAvailable(path)) continue;
        QConvScratch scratch;
        Tensor out;
        for (const Shape& s : shapes) {
            const ConvLayer layer = randomLayer(s.in, s.out, s.kernel, s.stride, rng);
            const Tensor in = randomTensor(s.h, s.w, s.in, rng);
            auto q = quantizeConvLayer(layer, 2.5f, 2047, 127);
            ASSERT_TRUE(q) << q.error().message;
            std::fill(scratch.input.begin(), scratch.input.end(), std::int16_t(2047));
            std::fill(out.data.begin(), out.data.end(), std::numeric_limits<float>::quiet_NaN());
            ASSERT_TRUE(qconv2d(in, *q, out, 2, nullptr, path, &scratch));
            EXPECT_TRUE(sameBits(out, reference(in, layer, 2.5f, 2047, 127)))
                << convPathName(path) << ", " << s.in << "->" << s.out << " k" << s.kernel << " s" << s.stride;
        }
    }
}

TEST(QConv, CloseToFp32) {
    std::mt19937 rng(12);
    const ConvLayer layer = randomLayer(64, 48, 3, 1, rng);
    const Tensor in = randomTensor(16, 16, 64, rng);
    Tensor fp32, int8;
    ASSERT_TRUE(conv2d(in, layer, fp32));
    float range = 0.0f;
    for (float v : in.data) range = std::max(range, std::fabs(v));
    auto q = quantizeConvLayer(layer, range, 127);
    ASSERT_TRUE(q);
    ASSERT_TRUE(qconv2d(in, *q, int8));
    double err = 0.0, energy = 0.0;
    for (std::size_t i = 0; i < fp32.size(); ++i) {
        err += double(fp32.data[i] - int8.data[i]) * (fp32.data[i] - int8.data[i]);
        energy += double(fp32.data[i]) * fp32.data[i];
    }
    const double snr = 10.0 * std::log10(energy / err);
    EXPECT_GT(snr, 25.0);  // 8-bit weights and activations: about 30 dB on Gaussian data
    EXPECT_LT(snr, 60.0);  // and it is quantised at all
}

TEST(QConv, RefusedLayersAndHostileInput) {
    std::mt19937 rng(13);
    const ConvLayer layer = randomLayer(512, 8, 5, 1, rng);   // 12800 taps
    EXPECT_FALSE(quantizeConvLayer(layer, 1.0f, 2047, 127));  // 2047 * 127 * 12800 > 2^31
    EXPECT_TRUE(quantizeConvLayer(layer, 1.0f, 1000, 127));
    // The widest clamp the bound allows is accepted and one more is not.
    const int widest = widestClamp(5, 512, 127);
    EXPECT_EQ(widest, 1321);  // (2^31 - 1) / (127 * 12800)
    EXPECT_TRUE(quantizeConvLayer(layer, 1.0f, widest, 127));
    EXPECT_FALSE(quantizeConvLayer(layer, 1.0f, widest + 1, 127));
    EXPECT_EQ(widestClamp(3, 16, 127), 32767);  // capped at int16
    EXPECT_EQ(widestClamp(1, 96, 1930), 11590);
    EXPECT_EQ(widestClamp(0, 96, 127), 0);
    EXPECT_FALSE(quantizeConvLayer(layer, 0.0f, 127));
    EXPECT_FALSE(quantizeConvLayer(layer, std::numeric_limits<float>::infinity(), 127));
    EXPECT_FALSE(quantizeConvLayer(layer, 1.0f, 0));
    ConvLayer bad = layer;
    bad.weight[3] = std::numeric_limits<float>::quiet_NaN();
    EXPECT_FALSE(quantizeConvLayer(bad, 1.0f, 127));

    const ConvLayer small = randomLayer(4, 9, 3, 1, rng);
    auto q = quantizeConvLayer(small, 1.0f, 127);
    ASSERT_TRUE(q);
    Tensor in = randomTensor(5, 5, 4, rng, 100.0f);  // far beyond the range: clamped
    in.data[0] = std::numeric_limits<float>::quiet_NaN();
    in.data[1] = std::numeric_limits<float>::infinity();
    in.data[2] = -std::numeric_limits<float>::infinity();
    Tensor out;
    ASSERT_TRUE(qconv2d(in, *q, out));
    for (float v : out.data) EXPECT_TRUE(std::isfinite(v));
    EXPECT_TRUE(sameBits(out, reference(in, small, 1.0f, 127, 127)));
    EXPECT_FALSE(qconv2d(randomTensor(5, 5, 3, rng), *q, out));  // wrong channel count
    QConvLayer damaged = *q;
    damaged.weight.pop_back();
    EXPECT_FALSE(qconv2d(in, damaged, out));
    CancelToken token;
    token.cancel();
    EXPECT_EQ(qconv2d(in, *q, out, 1, &token).error().code, ErrorCode::Cancelled);
}
