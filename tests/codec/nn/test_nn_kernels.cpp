// lmc::nn kernels: convolution against torch::conv2d, bit-identity across threads, SIMD paths and the scalar
// reference of the documented operation order, pixel (un)shuffle against torch, errors and cancellation.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <thread>
#include <vector>

#include <torch/torch.h>

#if defined(__x86_64__) || defined(__i386__)
#include <xmmintrin.h>
#endif

#include "codec/nn/conv.h"
#include "codec/nn/tensor.h"

using namespace lmc;
using namespace lmc::nn;

namespace {

struct Rng {
    std::uint64_t s;
    explicit Rng(std::uint64_t seed) : s(seed) {}
    std::uint64_t next() {
        std::uint64_t z = (s += 0x9e3779b97f4a7c15ull);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        return z ^ (z >> 31);
    }
    float uniform(float lo, float hi) { return lo + (hi - lo) * float(double(next() >> 11) * 0x1.0p-53); }
};

Tensor randomTensor(int h, int w, int c, Rng& rng) {
    Tensor t(h, w, c);
    for (float& v : t.data) v = rng.uniform(-2.0f, 2.0f);
    return t;
}

ConvLayer randomLayer(int in, int out, int k, int s, Activation act, bool withBias, Rng& rng) {
    ConvLayer layer;
    layer.inChannels = in;
    layer.outChannels = out;
    layer.kernel = k;
    layer.stride = s;
    layer.activation = act;
    layer.leakySlope = 0.2f;
    const float scale = 1.0f / std::sqrt(float(in * k * k));
    layer.weight.resize(std::size_t(out) * in * k * k);
    for (float& v : layer.weight) v = rng.uniform(-scale, scale);
    if (withBias) {
        layer.bias.resize(out);
        for (float& v : layer.bias) v = rng.uniform(-0.5f, 0.5f);
    }
    return layer;
}

// HWC tensor <-> NCHW torch tensor (batch 1).
torch::Tensor toTorch(const Tensor& t) {
    return torch::from_blob(const_cast<float*>(t.data.data()), {1, t.h, t.w, t.c}, torch::kFloat32)
        .permute({0, 3, 1, 2})
        .contiguous();
}

Tensor fromTorch(const torch::Tensor& nchw) {
    const torch::Tensor hwc = nchw.squeeze(0).permute({1, 2, 0}).contiguous();
    Tensor t(int(hwc.size(0)), int(hwc.size(1)), int(hwc.size(2)));
    std::memcpy(t.data.data(), hwc.data_ptr<float>(), t.data.size() * sizeof(float));
    return t;
}

torch::Tensor torchConv(const torch::Tensor& x, const ConvLayer& layer, bool absolute) {
    torch::Tensor w = torch::from_blob(const_cast<float*>(layer.weight.data()),
                                       {layer.outChannels, layer.inChannels, layer.kernel, layer.kernel})
                          .clone();
    torch::Tensor b = layer.bias.empty()
                          ? torch::zeros({layer.outChannels})
                          : torch::from_blob(const_cast<float*>(layer.bias.data()), {layer.outChannels}).clone();
    if (absolute) {
        w = w.abs();
        b = b.abs();
    }
    return torch::conv2d(x, w, b, layer.stride, layer.kernel / 2);
}

torch::Tensor torchActivate(const torch::Tensor& x, Activation a, float slope) {
    switch (a) {
        case Activation::Relu:
            return torch::relu(x);
        case Activation::LeakyRelu:
            return torch::leaky_relu(x, slope);
        case Activation::None:
            break;
    }
    return x;
}

bool sameBits(const Tensor& a, const Tensor& b) {
    return a.sameShape(b) && a.data.size() == b.data.size() &&
           std::memcmp(a.data.data(), b.data.data(), a.data.size() * sizeof(float)) == 0;
}

std::string describe(const ConvLayer& l, int h, int w) {
    return std::to_string(l.inChannels) + "->" + std::to_string(l.outChannels) + " k" + std::to_string(l.kernel) +
           " s" + std::to_string(l.stride) + " act" + std::to_string(int(l.activation)) + " " + std::to_string(w) +
           "x" + std::to_string(h) + (l.bias.empty() ? " nobias" : "");
}

std::vector<ConvPath> availablePaths() {
    std::vector<ConvPath> paths{ConvPath::Reference, ConvPath::Generic};
    if (convPathAvailable(ConvPath::Avx2)) paths.push_back(ConvPath::Avx2);
    return paths;
}

}  // namespace

TEST(NnConv, MatchesTorchForEveryKernelStrideAndActivation) {
    Rng rng(7);
    struct Case {
        int in, out, h, w;
    };
    const Case cases[] = {{3, 5, 13, 11}, {7, 19, 9, 17}, {12, 33, 6, 7}, {20, 16, 5, 1}};
    for (int k : {1, 3, 5})
        for (int s : {1, 2})
            for (Activation act : {Activation::None, Activation::Relu, Activation::LeakyRelu})
                for (const Case& c : cases) {
                    const ConvLayer layer = randomLayer(c.in, c.out, k, s, act, (c.in + k) % 2 == 0, rng);
                    const Tensor x = randomTensor(c.h, c.w, c.in, rng);
                    Tensor ours;
                    ASSERT_TRUE(conv2d(x, layer, ours).ok());
                    const torch::Tensor tx = toTorch(x);
                    const Tensor expected = fromTorch(torchActivate(torchConv(tx, layer, false), act, 0.2f));
                    const Tensor scale = fromTorch(torchConv(tx.abs(), layer, true));
                    ASSERT_TRUE(ours.sameShape(expected)) << describe(layer, c.h, c.w);
                    EXPECT_EQ(ours.h, (c.h + s - 1) / s);
                    EXPECT_EQ(ours.w, (c.w + s - 1) / s);
                    double worst = 0.0;
                    for (std::size_t i = 0; i < ours.data.size(); ++i) {
                        const double err = std::abs(double(ours.data[i]) - double(expected.data[i]));
                        worst = std::max(worst, err / (double(scale.data[i]) + 1e-6));
                    }
                    EXPECT_LT(worst, 1e-5) << describe(layer, c.h, c.w);
                }
}

TEST(NnConv, BitIdenticalAcrossThreadsPathsAndTheScalarReference) {
    Rng rng(11);
    struct Case {
        int in, out, k, s, h, w;
        Activation act;
    };
    // Output channel counts cover every packing: 32-, 16- and 8-lane blocks, alone and mixed, full and partial;
    // reductions both long (32-lane blocks) and short (16-lane blocks only).
    const Case cases[] = {
        {3, 24, 5, 2, 23, 19, Activation::LeakyRelu},  {48, 40, 3, 1, 17, 21, Activation::Relu},
        {13, 3, 3, 1, 31, 9, Activation::None},        {16, 64, 1, 1, 7, 25, Activation::None},
        {29, 17, 3, 2, 16, 15, Activation::LeakyRelu}, {5, 9, 5, 1, 4, 3, Activation::Relu},
        {16, 56, 3, 1, 9, 11, Activation::LeakyRelu},  {3, 48, 3, 2, 12, 13, Activation::LeakyRelu},
        {64, 48, 1, 1, 3, 5, Activation::None},        {7, 33, 3, 1, 2, 40, Activation::Relu},
    };
    for (const Case& c : cases) {
        const ConvLayer layer = randomLayer(c.in, c.out, c.k, c.s, c.act, c.k != 1, rng);
        const Tensor x = randomTensor(c.h, c.w, c.in, rng);
        Tensor reference;
        ASSERT_TRUE(conv2d(x, layer, reference, 1, nullptr, ConvPath::Reference).ok());
        // The scalar reference must itself be the documented order: recompute a few values here by hand.
        for (int probe = 0; probe < 5; ++probe) {
            const int oy = int(rng.next() % reference.h), ox = int(rng.next() % reference.w);
            const int oc = int(rng.next() % c.out), pad = c.k / 2;
            float acc = layer.bias.empty() ? 0.0f : layer.bias[oc];
            for (int ky = 0; ky < c.k; ++ky)
                for (int kx = 0; kx < c.k; ++kx)
                    for (int ic = 0; ic < c.in; ++ic) {
                        const int iy = oy * c.s + ky - pad, ix = ox * c.s + kx - pad;
                        const float v = (iy >= 0 && iy < c.h && ix >= 0 && ix < c.w) ? x.at(iy, ix)[ic] : 0.0f;
                        const volatile float prod =
                            v * layer.weight[((std::size_t(oc) * c.in + ic) * c.k + ky) * c.k + kx];
                        acc = acc + prod;
                    }
            const float expected = activate(acc, c.act, layer.leakySlope);
            EXPECT_EQ(std::memcmp(&expected, &reference.at(oy, ox)[oc], sizeof(float)), 0)
                << describe(layer, c.h, c.w) << " at " << oy << "," << ox << "," << oc;
        }
        for (ConvPath path : availablePaths())
            for (int threads : {1, 2, 3}) {
                Tensor out;
                ASSERT_TRUE(conv2d(x, layer, out, threads, nullptr, path).ok());
                EXPECT_TRUE(sameBits(out, reference))
                    << describe(layer, c.h, c.w) << " path " << convPathName(path) << " threads " << threads;
            }
    }
    if (!convPathAvailable(ConvPath::Avx2)) GTEST_SKIP() << "no AVX2 on this CPU: only the generic path was compared";
}

// Inputs made only of exact values (small integers over powers of two), so the test's own arithmetic cannot differ
// between compilers or machines.
Tensor exactTensor(int h, int w, int c, Rng& rng) {
    Tensor t(h, w, c);
    for (float& v : t.data) v = float(int(rng.next() % 2001) - 1000) / 1024.0f;
    return t;
}

ConvLayer exactLayer(int in, int out, int k, int s, Activation act, Rng& rng) {
    ConvLayer layer;
    layer.inChannels = in;
    layer.outChannels = out;
    layer.kernel = k;
    layer.stride = s;
    layer.activation = act;
    layer.leakySlope = 0.1f;
    layer.weight.resize(std::size_t(out) * in * k * k);
    for (float& v : layer.weight) v = float(int(rng.next() % 2001) - 1000) / 8192.0f;
    layer.bias.resize(out);
    for (float& v : layer.bias) v = float(int(rng.next() % 2001) - 1000) / 4096.0f;
    return layer;
}

std::uint64_t fnv1a(const Tensor& t) {
    std::uint64_t hash = 0xcbf29ce484222325ull;
    for (float v : t.data) {
        std::uint32_t bits;
        std::memcpy(&bits, &v, sizeof bits);
        for (int i = 0; i < 4; ++i) hash = (hash ^ ((bits >> (8 * i)) & 0xffu)) * 0x100000001b3ull;
    }
    return hash;
}

TEST(NnConv, GoldenBitsAreTheSameOnEveryMachine) {
    // A small decoder-like stack whose output bits were recorded on the development machine (AMD EPYC, AVX2 and
    // generic paths, GCC 12): a CPU, compiler or flag change that alters any operation of the documented order
    // (FMA contraction, reassociation, another rounding) changes the hash.
    Rng rng(2024);
    const Tensor x = exactTensor(19, 23, 3, rng);
    const ConvLayer l1 = exactLayer(3, 40, 3, 2, Activation::LeakyRelu, rng);
    const ConvLayer l2 = exactLayer(40, 36, 5, 1, Activation::Relu, rng);
    const ConvLayer l3 = exactLayer(36, 12, 1, 1, Activation::None, rng);
    for (ConvPath path : availablePaths())
        for (int threads : {1, 2}) {
            Tensor a, b, c;
            ASSERT_TRUE(conv2d(x, l1, a, threads, nullptr, path).ok());
            ASSERT_TRUE(conv2d(a, l2, b, threads, nullptr, path).ok());
            ASSERT_TRUE(conv2d(b, l3, c, threads, nullptr, path).ok());
            const Tensor y = pixelShuffle(c, 2);
            ASSERT_EQ(y.h, 20);
            ASSERT_EQ(y.w, 24);
            ASSERT_EQ(y.c, 3);
            EXPECT_EQ(fnv1a(y), 0xa75a9b7d03801688ull) << std::hex << fnv1a(y) << " path " << convPathName(path);
        }
}

TEST(NnConv, SpecialValuesKeepTheirBitsOnEveryPath) {
    // Signed zeros, denormal-range products, huge values that overflow to inf, and NaN: the paths must still agree.
    Rng rng(3);
    ConvLayer layer = randomLayer(9, 20, 3, 1, Activation::None, true, rng);
    layer.weight[5] = -0.0f;
    layer.weight[17] = 1e-30f;
    layer.bias[2] = -0.0f;
    for (int tap = 0; tap < 9; ++tap) layer.weight[4 * 9 + tap] = 100.0f;  // oc 0, ic 4: overflows on 3e38
    Tensor x = randomTensor(6, 7, 9, rng);
    x.data[3] = 1e-20f;
    x.data[40] = 3e38f;
    x.data[41] = -3e38f;
    x.data[9 * 30 + 1] = std::numeric_limits<float>::quiet_NaN();
    x.data[120] = -0.0f;
    Tensor reference;
    ASSERT_TRUE(conv2d(x, layer, reference, 1, nullptr, ConvPath::Reference).ok());
    bool sawNan = false, sawInf = false;
    for (float v : reference.data) {
        sawNan |= std::isnan(v);
        sawInf |= std::isinf(v);
    }
    EXPECT_TRUE(sawNan);
    EXPECT_TRUE(sawInf);
    for (ConvPath path : availablePaths())
        for (int threads : {1, 2}) {
            Tensor out;
            ASSERT_TRUE(conv2d(x, layer, out, threads, nullptr, path).ok());
            EXPECT_TRUE(sameBits(out, reference)) << convPathName(path) << " threads " << threads;
        }
}

#if defined(__x86_64__) || defined(__i386__)
TEST(NnConv, IgnoresTheCallersFlushToZeroMode) {
    // Products in the denormal range: flushed to zero under FTZ/DAZ, kept by IEEE arithmetic.
    ConvLayer layer;
    layer.inChannels = 2;
    layer.outChannels = 3;
    layer.kernel = 1;
    layer.activation = Activation::LeakyRelu;
    layer.leakySlope = 0.5f;
    layer.weight = {1e-20f, 0.0f, 0.0f, 1e-20f, -1e-20f, 3e-39f};
    Tensor x(3, 4, 2);
    for (std::size_t i = 0; i < x.data.size(); ++i) x.data[i] = (i % 2 ? 1.0f : 1e-20f) * float(i + 1);
    Tensor reference;
    ASSERT_TRUE(conv2d(x, layer, reference, 1, nullptr, ConvPath::Reference).ok());
    ASSERT_GT(std::abs(reference.data[0]), 0.0f);
    ASSERT_LT(std::abs(reference.data[0]), std::numeric_limits<float>::min());  // a denormal

    const unsigned saved = _mm_getcsr();
    _mm_setcsr(saved | 0x8040u);  // FTZ | DAZ
    std::vector<Tensor> outs;
    for (ConvPath path : availablePaths())
        for (int threads : {1, 2}) {
            outs.emplace_back();
            EXPECT_TRUE(conv2d(x, layer, outs.back(), threads, nullptr, path).ok());
        }
    Tensor summed = reference;
    addInPlace(summed, reference);
    applyActivation(summed, Activation::LeakyRelu, 0.5f);
    const unsigned during = _mm_getcsr();
    _mm_setcsr(saved);
    EXPECT_EQ(during & 0x8040u, 0x8040u) << "the caller's MXCSR must be restored";
    for (const Tensor& out : outs) EXPECT_TRUE(sameBits(out, reference));
    Tensor expectedSum = reference;
    addInPlace(expectedSum, reference);
    applyActivation(expectedSum, Activation::LeakyRelu, 0.5f);
    EXPECT_TRUE(sameBits(summed, expectedSum));
}
#endif

TEST(NnConv, OutputMayAliasInput) {
    Rng rng(5);
    const ConvLayer layer = randomLayer(8, 8, 3, 1, Activation::Relu, true, rng);
    Tensor x = randomTensor(9, 10, 8, rng);
    Tensor expected;
    ASSERT_TRUE(conv2d(x, layer, expected).ok());
    ASSERT_TRUE(conv2d(x, layer, x, 2).ok());
    EXPECT_TRUE(sameBits(x, expected));
}

TEST(NnConv, ReusedOutputBufferIsOverwrittenWhole) {
    // Layer stacks alternate two tensors whose buffers keep their (unzeroed) contents: an output holding NaNs from a
    // larger earlier layer gives the same bits as a fresh one, on every path.
    Rng rng(6);
    const ConvLayer layer = randomLayer(8, 12, 3, 2, Activation::LeakyRelu, true, rng);
    const Tensor x = randomTensor(11, 9, 8, rng);
    Tensor expected;
    ASSERT_TRUE(conv2d(x, layer, expected, 1, nullptr, ConvPath::Reference).ok());
    for (ConvPath path : {ConvPath::Generic, ConvPath::Avx2}) {
        if (!convPathAvailable(path)) continue;
        Tensor out(20, 20, 16);
        std::fill(out.data.begin(), out.data.end(), std::numeric_limits<float>::quiet_NaN());
        const float* buffer = out.data.data();
        ASSERT_TRUE(conv2d(x, layer, out, 2, nullptr, path).ok());
        EXPECT_TRUE(sameBits(out, expected)) << convPathName(path);
        EXPECT_EQ(out.data.data(), buffer) << "the output's buffer was reallocated";
    }
}

TEST(NnTensor, ReshapeForOverwriteKeepsTheBuffer) {
    Tensor t(4, 5, 6);
    const float* buffer = t.data.data();
    ASSERT_TRUE(t.reshapeForOverwrite(2, 3, 4));
    EXPECT_TRUE(t.valid());
    EXPECT_EQ(t.size(), std::size_t(24));
    ASSERT_TRUE(t.reshapeForOverwrite(5, 4, 6));  // back up to the capacity: no new allocation
    EXPECT_EQ(t.data.data(), buffer);
    EXPECT_EQ(t.h * t.w * t.c, 120);
    EXPECT_FALSE(t.reshapeForOverwrite(-1, 3, 4));
    EXPECT_TRUE(t.empty());
    EXPECT_EQ(t.h, 0);
    const Tensor zeros(3, 3, 2);  // the constructor still fills
    for (float v : zeros.data) EXPECT_EQ(v, 0.0f);
}

TEST(NnTensor, LargeActivationBuffersAreHugePageAlignedAndBehaveLikeAnyVector) {
    // Below the threshold: ordinary allocations. At and above: 2 MiB aligned (so transparent huge pages can back
    // them), and the vector's contents survive growth, copies and shrinking across the threshold either way.
    using Floats = std::vector<float, UninitializedAllocator<float>>;
    const std::size_t big = nn::detail::kHugeActivationBytes / sizeof(float);
    Floats small(1000, 1.5f);
    Floats large(big + 3, 2.5f);
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(large.data()) % nn::detail::kHugePageBytes, 0u);
    EXPECT_EQ(large.front(), 2.5f);
    EXPECT_EQ(large.back(), 2.5f);
    small.resize(big * 2);  // grows past the threshold: the first 1000 values move with it
    EXPECT_EQ(small[999], 1.5f);
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(small.data()) % nn::detail::kHugePageBytes, 0u);
    Floats copy = large;
    EXPECT_EQ(copy[big + 2], 2.5f);
    copy.resize(10);
    copy.shrink_to_fit();  // back below the threshold: freed by the path that allocated it
    EXPECT_EQ(copy[9], 2.5f);
    std::vector<std::int16_t, UninitializedAllocator<std::int16_t>> shorts(nn::detail::kHugeActivationBytes, 7);
    EXPECT_EQ(shorts.back(), 7);
}

TEST(NnConv, RejectsInconsistentShapesAndParameters) {
    Rng rng(9);
    const ConvLayer good = randomLayer(4, 6, 3, 1, Activation::None, true, rng);
    const Tensor x = randomTensor(5, 5, 4, rng);
    Tensor out;
    auto expectInvalid = [&](const Tensor& in, const ConvLayer& layer, const char* what) {
        const Status st = conv2d(in, layer, out);
        ASSERT_FALSE(st.ok()) << what;
        EXPECT_EQ(st.error().code, ErrorCode::InvalidArgument) << what;
        EXPECT_FALSE(st.error().message.empty());
    };
    expectInvalid(randomTensor(5, 5, 3, rng), good, "channel mismatch");
    ConvLayer l = good;
    l.weight.pop_back();
    expectInvalid(x, l, "short weight");
    l = good;
    l.bias.resize(5);
    expectInvalid(x, l, "bias size");
    l = good;
    l.kernel = 4;
    expectInvalid(x, l, "kernel 4");
    l = good;
    l.stride = 3;
    expectInvalid(x, l, "stride 3");
    l = good;
    l.outChannels = 0;
    l.weight.clear();
    expectInvalid(x, l, "no output channels");
    Tensor broken = x;
    broken.data.pop_back();
    expectInvalid(broken, good, "data size");
    expectInvalid(Tensor(), good, "empty input");
    EXPECT_TRUE(conv2d(x, good, out).ok());
    const Tensor wide(1, kMaxConvSide + 1, 1);
    const ConvLayer one = randomLayer(1, 1, 1, 1, Activation::None, false, rng);
    const Status tooWide = conv2d(wide, one, out);
    ASSERT_FALSE(tooWide.ok());
    EXPECT_EQ(tooWide.error().code, ErrorCode::TooLarge);
}

TEST(NnConv, HonoursCancellation) {
    Rng rng(13);
    const ConvLayer layer = randomLayer(32, 32, 3, 1, Activation::None, true, rng);
    const Tensor x = randomTensor(64, 64, 32, rng);
    Tensor out;
    CancelToken token;
    token.cancel();
    for (int threads : {1, 2}) {
        const Status st = conv2d(x, layer, out, threads, &token);
        ASSERT_FALSE(st.ok());
        EXPECT_EQ(st.error().code, ErrorCode::Cancelled);
    }
    // Cancelled while running: a token fired from another thread stops the rows still pending.
    const Tensor big = randomTensor(256, 256, 32, rng);
    CancelToken live;
    std::thread canceller([&] { live.cancel(); });
    const Status st = conv2d(big, layer, out, 2, &live);
    canceller.join();
    if (!st.ok()) {
        EXPECT_EQ(st.error().code, ErrorCode::Cancelled);
    }
    token.reset();
    EXPECT_TRUE(conv2d(x, layer, out, 2, &token).ok());
}

TEST(NnTensor, PixelShuffleAndUnshuffleMatchTorchExactly) {
    Rng rng(17);
    for (int r : {1, 2, 3}) {
        const Tensor x = randomTensor(5, 7, 4 * r * r, rng);
        const Tensor ours = pixelShuffle(x, r);
        const Tensor expected = fromTorch(torch::pixel_shuffle(toTorch(x), r));
        EXPECT_TRUE(sameBits(ours, expected)) << "r=" << r;
        const Tensor back = pixelUnshuffle(ours, r);
        EXPECT_TRUE(sameBits(back, x)) << "r=" << r;
        const Tensor y = randomTensor(3 * r, 4 * r, 5, rng);
        EXPECT_TRUE(sameBits(pixelUnshuffle(y, r), fromTorch(torch::pixel_unshuffle(toTorch(y), r)))) << "r=" << r;
    }
    EXPECT_TRUE(pixelShuffle(randomTensor(2, 2, 6, rng), 2).empty());
    EXPECT_TRUE(pixelUnshuffle(randomTensor(3, 4, 2, rng), 2).empty());
    EXPECT_TRUE(pixelShuffle(randomTensor(2, 2, 4, rng), 0).empty());
}

TEST(NnTensor, AddAndActivationsMatchTorch) {
    Rng rng(19);
    Tensor a = randomTensor(4, 6, 5, rng);
    const Tensor b = randomTensor(4, 6, 5, rng);
    const Tensor expectedSum = fromTorch(toTorch(a) + toTorch(b));
    addInPlace(a, b);
    EXPECT_TRUE(sameBits(a, expectedSum));
    Tensor mismatched = randomTensor(4, 6, 4, rng);
    const Tensor before = mismatched;
    addInPlace(mismatched, b);
    EXPECT_TRUE(sameBits(mismatched, before));
    for (Activation act : {Activation::Relu, Activation::LeakyRelu}) {
        Tensor t = randomTensor(3, 5, 7, rng);
        const Tensor expected = fromTorch(torchActivate(toTorch(t), act, 0.1f));
        applyActivation(t, act, 0.1f);
        EXPECT_TRUE(sameBits(t, expected)) << int(act);
    }
}
