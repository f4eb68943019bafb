// lmc::nn convolution throughput, single thread: our deterministic kernels (AVX2 and generic builds) against
// torch::conv2d (channels-last and NCHW, 1 intra-op thread) measured in the same run, on the layer shapes of the
// learned codecs. Prints GFLOP/s (2 FLOP per multiply-add) and the ratio to torch, and checks that the AVX2 and
// generic kernels gave identical bits. Built, not run by ctest. Usage: bench_nn [repeats, default 3]
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include <time.h>

#include <torch/torch.h>

#include "codec/nn/conv.h"

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

// CPU time of this thread: the build machines are shared, wall time would mostly measure the other processes.
double threadSeconds() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + 1e-9 * double(ts.tv_nsec);
}

double bestSeconds(int repeats, const std::function<void()>& fn) {
    fn();  // warm-up: page faults, torch's primitive cache
    double best = 1e30;
    for (int r = 0; r < repeats; ++r) {
        const double t0 = threadSeconds();
        fn();
        best = std::min(best, threadSeconds() - t0);
    }
    return best;
}

struct Shape {
    const char* name;
    int in, out, k, s, side;
};

void run(const Shape& sh, int repeats) {
    Rng rng(42);
    ConvLayer layer;
    layer.inChannels = sh.in;
    layer.outChannels = sh.out;
    layer.kernel = sh.k;
    layer.stride = sh.s;
    layer.activation = Activation::LeakyRelu;
    layer.weight.resize(std::size_t(sh.out) * sh.in * sh.k * sh.k);
    for (float& v : layer.weight) v = rng.uniform(-0.1f, 0.1f);
    layer.bias.resize(sh.out);
    for (float& v : layer.bias) v = rng.uniform(-0.1f, 0.1f);
    Tensor x(sh.side, sh.side, sh.in);
    for (float& v : x.data) v = rng.uniform(-1.0f, 1.0f);

    const int outSide = convOutputSize(sh.side, layer);
    const double flop = 2.0 * double(outSide) * outSide * sh.out * sh.in * sh.k * sh.k;

    Tensor avx2Out, genericOut;
    double avx2 = 0.0;
    const bool haveAvx2 = convPathAvailable(ConvPath::Avx2);
    if (haveAvx2)
        avx2 = bestSeconds(repeats, [&] {
            if (!conv2d(x, layer, avx2Out, 1, nullptr, ConvPath::Avx2).ok()) std::abort();
        });
    const double generic = bestSeconds(repeats, [&] {
        if (!conv2d(x, layer, genericOut, 1, nullptr, ConvPath::Generic).ok()) std::abort();
    });
    const bool same = !haveAvx2 || std::memcmp(avx2Out.data.data(), genericOut.data.data(),
                                               genericOut.data.size() * sizeof(float)) == 0;

    torch::NoGradGuard noGrad;
    const torch::Tensor w = torch::from_blob(layer.weight.data(), {sh.out, sh.in, sh.k, sh.k}).clone();
    const torch::Tensor b = torch::from_blob(layer.bias.data(), {sh.out}).clone();
    const torch::Tensor xNchw =
        torch::from_blob(x.data.data(), {1, sh.side, sh.side, sh.in}).permute({0, 3, 1, 2}).contiguous();
    const torch::Tensor xCl = xNchw.contiguous(torch::MemoryFormat::ChannelsLast);
    const torch::Tensor wCl = w.contiguous(torch::MemoryFormat::ChannelsLast);
    torch::Tensor y;
    const double torchCl =
        bestSeconds(repeats, [&] { y = torch::leaky_relu(torch::conv2d(xCl, wCl, b, sh.s, sh.k / 2), 0.01); });
    const double torchNchw =
        bestSeconds(repeats, [&] { y = torch::leaky_relu(torch::conv2d(xNchw, w, b, sh.s, sh.k / 2), 0.01); });
    // Agreement with torch (relative to the output's magnitude), so the figures compare equal work.
    const torch::Tensor ours =
        torch::from_blob(genericOut.data.data(), {1, outSide, outSide, sh.out}).permute({0, 3, 1, 2});
    const double maxDiff = (ours - y).abs().max().item<double>() / (y.abs().max().item<double>() + 1e-30);

    std::printf(
        "%-28s %4d^2 %5.2f GFLOP | ours avx2 %6.1f GFLOP/s  generic %6.1f | torch CL %6.1f  NCHW %6.1f | "
        "avx2/torchCL x%.2f | avx2==generic %s, rel diff vs torch %.1e\n",
        sh.name, sh.side, flop * 1e-9, haveAvx2 ? flop / avx2 * 1e-9 : 0.0, flop / generic * 1e-9,
        flop / torchCl * 1e-9, flop / torchNchw * 1e-9, haveAvx2 ? torchCl / avx2 : torchCl / generic,
        same ? "yes" : "NO", maxDiff);
}

}  // namespace

int main(int argc, char** argv) {
    const int repeats = argc > 1 ? std::max(1, std::atoi(argv[1])) : 3;
    torch::set_num_threads(1);
    std::printf(
        "lmc::nn conv2d vs torch::conv2d, 1 thread, best of %d (thread CPU time), leaky ReLU fused; "
        "LibTorch %s, AVX2 kernel %s\n\n",
        repeats, TORCH_VERSION, convPathAvailable(ConvPath::Avx2) ? "available" : "NOT available");
    // The brief's four shapes, then layers of codec/learned/model_spec.cpp's default config.
    const Shape shapes[] = {
        {"3x3 s1 64->256", 64, 256, 3, 1, 64},     {"3x3 s1 48->128", 48, 128, 3, 1, 256},
        {"3x3 s2 48->64", 48, 64, 3, 2, 512},      {"1x1 s1 64->64", 64, 64, 1, 1, 256},
        {"ga.0 3x3 s2 3->48", 3, 48, 3, 2, 1024},  {"gs.3 3x3 s1 32->64", 32, 64, 3, 1, 256},
        {"gs.4 3x3 s1 16->12", 16, 12, 3, 1, 512}, {"5x5 s2 3->48", 3, 48, 5, 2, 512},
    };
    for (const Shape& sh : shapes) run(sh, repeats);
    return 0;
}
