// INT8 learned decoding (issue 19): calibration and the INT8/FP32 decode-time ratio. Built, not run by ctest.
//
//   bench_int8 --calibrate OUT.int8 [--family vae] [--rates 0,0.1,0.2] FILE|DIR...
//       runs the FP32 decoder networks of the family's installed weights on the latents of the given maps (training
//       maps only, never the held-out ones) at those rates, and writes the INT8 calibration (inference_model.h):
//       every decoder layer's max |input|, and the clamps measured best on three training maps (README in
//       resources/models): int8 weights except the linear block transform "ls" (clamp 1023: at 8 bits it lost
//       0.5 dB log-PSNR), activations at clamp 2047 (12 bits; 8 bits lost up to 0.1 dB mPSNR, at the same speed
//       in this int16 x int16 kernel) and 16383 where a layer reads the latent or the hyper-latent (integers over
//       per-channel gains, far from one shared grid).
//   bench_int8 [--family vae] [--rate 0.1] [--threads 1] [--repeats 3] FILE|DIR...
//       per map: decode time of an fp32 and an int8 stream (best of repeats) and of the synthesis networks alone.
//   bench_int8 --layers [--family vae] [--threads 1]: each decoder layer alone, conv2d against qconv2d, on the
//       activations a 1024 x 1024 map gives it (random values; the time does not depend on them).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "codec/codec.h"
#include "codec/exr_io.h"
#include "codec/learned/learned_codec.h"
#include "tests/bench/bench_support.h"

using namespace lmc;
using namespace lmc::learned;

namespace {

using lmc::bench::bestSeconds;

std::vector<std::string> exrFiles(const std::vector<std::string>& args) {
    std::vector<std::string> files;
    for (const std::string& a : args) {
        if (std::filesystem::is_directory(a)) {
            std::vector<std::string> inDir;
            for (const auto& e : std::filesystem::directory_iterator(a))
                if (e.path().extension() == ".exr") inDir.push_back(e.path().string());
            std::sort(inDir.begin(), inDir.end());
            files.insert(files.end(), inDir.begin(), inDir.end());
        } else {
            files.push_back(a);
        }
    }
    return files;
}

int fail(const std::string& what) {
    std::fprintf(stderr, "bench_int8: %s\n", what.c_str());
    return 1;
}

// The dequantised latent and quantised hyper-latent the decoder sees for `image` at a `rate` (encoder path).
Status latentsAt(const InferenceModel& model, const nn::Tensor& y, float rate, nn::Tensor& latent, nn::Tensor& zHat,
                 int threads) {
    const std::vector<double> g = model.gains(networkRate(rate));
    const int m = y.c;
    latent = nn::Tensor(y.h, y.w, m);
    nn::Tensor gained(y.h, y.w, m);
    for (std::size_t i = 0; i < y.size(); ++i) {
        gained.data[i] = float(double(y.data[i]) * g[i % m]);
        latent.data[i] = float(double(std::nearbyint(gained.data[i])) / g[i % m]);
    }
    zHat = nn::Tensor();
    if (!hasHyperprior(model.config().family)) return {};
    nn::Tensor z;
    if (auto s = model.hyperAnalysis(gained, z, threads, nullptr); !s) return s;
    zHat = z;
    for (float& v : zHat.data) v = std::nearbyint(v);
    return {};
}

int calibrate(const std::string& out, Family family, const std::vector<float>& rates,
              const std::vector<std::string>& files, int threads) {
    std::shared_ptr<const InferenceModel> model;
    for (const std::string& path : modelSearchPaths(family)) {
        if (!std::filesystem::exists(path)) continue;
        auto file = readWeightFile(path);
        if (!file) return fail(file.error().message);
        auto m = InferenceModel::load(*file);  // without any existing calibration
        if (!m) return fail(m.error().message);
        model = *m;
        std::printf("weights %s\n", path.c_str());
        break;
    }
    if (!model) return fail("no " + familyId(family) + ".lmcw found");
    std::map<std::string, float> maxAbs;
    for (const std::string& path : files) {
        auto exr = readExr(path);
        if (!exr) return fail(exr.error().message);
        PreparedInput prepared = prepareInput(exr->image.view());
        nn::Tensor y;
        if (auto s = model->analysis(prepared.input, y, threads, nullptr); !s) return fail(s.error().message);
        for (float rate : rates) {
            nn::Tensor latent, zHat;
            if (auto s = latentsAt(*model, y, rate, latent, zHat, threads); !s) return fail(s.error().message);
            if (auto s = model->recordInputRanges(latent, zHat.empty() ? nullptr : &zHat, maxAbs, threads); !s)
                return fail(s.error().message);
        }
        std::printf("  %s\n", std::filesystem::path(path).filename().c_str());
    }
    Int8Calibration c;
    for (const auto& [name, range] : maxAbs) {
        const bool readsLatent = name == "gs.0" || name == "ls" || name == "hs.0";
        c.layers[name] = {range > 0.0f ? range : 1.0f, readsLatent ? 16383 : 2047, name == "ls" ? 1023 : 127};
        std::printf("  %-6s max |input| %.4g, clamp %d, weight clamp %d\n", name.c_str(), double(range),
                    c.layers[name].clamp, c.layers[name].weightClamp);
    }
    std::ostringstream rateText;
    for (std::size_t i = 0; i < rates.size(); ++i) rateText << (i ? "," : "") << rates[i];
    c.notes["maps"] = std::to_string(files.size()) + " training maps (bench_int8 --calibrate)";
    c.notes["rates"] = rateText.str();
    std::ofstream f(out, std::ios::binary);
    f << c.toText();
    if (!f) return fail("cannot write " + out);
    std::printf("wrote %s (fingerprint %u)\n", out.c_str(), c.fingerprint());
    return 0;
}

}  // namespace

int layerTimes(const InferenceModel& model, int threads, int repeats) {
    const ModelConfig& c = model.config();
    std::printf("%-6s %5s %5s %7s %10s %10s %6s\n", "layer", "in", "out", "side", "fp32 ms", "int8 ms", "ratio");
    double total[2] = {0, 0};
    auto run = [&](const std::vector<LayerSpec>& specs, int side, const char* stack) {
        // The FP32 layers and their INT8 versions at an arbitrary calibration (speed does not depend on it).
        std::mt19937 rng(5);
        std::normal_distribution<float> dist(0.0f, 1.0f);
        for (const LayerSpec& s : specs) {
            nn::ConvLayer l;
            l.inChannels = s.in;
            l.outChannels = s.out;
            l.kernel = s.kernel;
            l.stride = s.stride;
            l.activation = s.activation ? nn::Activation::LeakyRelu : nn::Activation::None;
            l.leakySlope = c.leakySlope;
            l.weight.resize(std::size_t(s.out) * s.in * s.kernel * s.kernel);
            for (float& v : l.weight) v = 0.05f * dist(rng);
            l.bias.assign(std::size_t(s.out), 0.01f);
            auto q = nn::quantizeConvLayer(l, 4.0f, 127);
            if (!q) return;
            nn::Tensor x(side, side, s.in), y;
            for (float& v : x.data) v = dist(rng);
            double f = 1e30, i = 1e30;
            for (int r = 0; r < repeats; ++r) {  // alternating, as above
                f = std::min(f, bestSeconds(1, [&] { (void)nn::conv2d(x, l, y, threads); }));
                i = std::min(i, bestSeconds(1, [&] { (void)nn::qconv2d(x, *q, y, threads); }));
            }
            std::printf("%-6s %5d %5d %7d %10.2f %10.2f %6.2f  (%s)\n", s.name.c_str(), s.in, s.out, side, f * 1e3,
                        i * 1e3, f / i, stack);
            total[0] += f;
            total[1] += i;
            if (s.shuffle > 1) side *= s.shuffle;
        }
    };
    run(synthesisLayers(c), 64, "synthesis");
    run(linearSynthesisLayers(c), 64, "linear");
    if (hasHyperprior(c.family)) run(hyperSynthesisLayers(c), 16, "hyper");
    std::printf("%-6s %5s %5s %7s %10.2f %10.2f %6.2f\n", "all", "", "", "", total[0] * 1e3, total[1] * 1e3,
                total[0] / total[1]);
    return 0;
}

int main(int argc, char** argv) {
    bool layers = false;
    std::string calibrateOut;
    Family family = Family::Hyperprior;
    std::vector<float> rates{0.0f, 0.1f, 0.2f};
    float rate = 0.1f;
    int threads = 1, repeats = 3;
    std::vector<std::string> inputs;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        const bool hasValue = i + 1 < argc;
        if (a == "--layers") {
            layers = true;
        } else if (a == "--calibrate" && hasValue) {
            calibrateOut = argv[++i];
        } else if (a == "--family" && hasValue) {
            auto f = familyFromId(argv[++i]);
            if (!f) return fail(f.error().message);
            family = *f;
        } else if (a == "--rates" && hasValue) {
            rates.clear();
            std::stringstream ss(argv[++i]);
            std::string item;
            while (std::getline(ss, item, ',')) rates.push_back(std::stof(item));
        } else if (a == "--rate" && hasValue) {
            rate = std::stof(argv[++i]);
        } else if (a == "--threads" && hasValue) {
            threads = std::atoi(argv[++i]);
        } else if (a == "--repeats" && hasValue) {
            repeats = std::max(1, std::atoi(argv[++i]));
        } else {
            inputs.push_back(a);
        }
    }
    if (layers) {
        auto m = defaultModel(family);
        if (!m) return fail(m.error().message);
        return layerTimes(**m, threads, repeats);
    }
    const std::vector<std::string> files = exrFiles(inputs);
    if (files.empty()) return fail("no input maps");
    if (!calibrateOut.empty()) return calibrate(calibrateOut, family, rates, files, 2);

    auto modelResult = defaultModel(family);
    if (!modelResult) return fail(modelResult.error().message);
    std::shared_ptr<const InferenceModel> model = *modelResult;
    if (!model->hasInt8()) return fail("the " + familyId(family) + " weights have no INT8 calibration");
    LearnedCodec codec(family, model);
    CodecContext ctx;
    ctx.threads = threads;
    std::printf("%s rate %.2f, %d thread(s), best of %d\n", familyId(family).c_str(), double(rate), threads, repeats);
    std::printf("%-44s %7s %11s %11s %6s %12s %12s %6s\n", "map", "MP", "fp32 s/MP", "int8 s/MP", "ratio",
                "fp32 net s/MP", "int8 net s/MP", "ratio");
    double totalMp = 0, totals[4] = {0, 0, 0, 0};
    for (const std::string& path : files) {
        auto exr = readExr(path);
        if (!exr) return fail(exr.error().message);
        const Image& image = exr->image;
        const double mp = double(image.texelCount()) / 1e6;
        Bytes streams[2];
        for (int p = 0; p < 2; ++p) {
            ParamSet params;
            params.set("rate", rate);
            params.set("precision", p);
            auto bytes = codec.encode(image.view(), params, ctx);
            if (!bytes) return fail(bytes.error().message);
            streams[p] = std::move(*bytes);
        }
        // The synthesis networks alone, on this map's latent grid (values do not change the time).
        PreparedInput prepared = prepareInput(image.view());
        nn::Tensor latent(prepared.input.h / kLatentStride, prepared.input.w / kLatentStride,
                          model->config().latentChannels);
        for (std::size_t i = 0; i < latent.size(); ++i) latent.data[i] = float(int(i * 7919 % 17) - 8) * 0.1f;
        // FP32 and INT8 alternate, so load from other processes falls on both alike; best of `repeats` each.
        double decode[2] = {1e30, 1e30}, net[2] = {1e30, 1e30};
        for (int r = 0; r < repeats; ++r)
            for (int p = 0; p < 2; ++p) {
                decode[p] = std::min(decode[p], bestSeconds(1, [&] {
                                         if (auto d = codec.decode(streams[p], ctx); !d)
                                             std::fprintf(stderr, "%s\n", d.error().message.c_str());
                                     }));
                net[p] = std::min(net[p], bestSeconds(1, [&] {
                                      (void)model->synthesis(
                                          latent, [](int, int, const nn::Tensor&) {}, threads, nullptr, {}, 128,
                                          p == 1 ? Precision::Int8 : Precision::Fp32);
                                  }));
            }
        std::printf("%-44.44s %7.3f %11.3f %11.3f %6.2f %12.3f %12.3f %6.2f\n",
                    std::filesystem::path(path).filename().c_str(), mp, decode[0] / mp, decode[1] / mp,
                    decode[0] / decode[1], net[0] / mp, net[1] / mp, net[0] / net[1]);
        totalMp += mp;
        totals[0] += decode[0];
        totals[1] += decode[1];
        totals[2] += net[0];
        totals[3] += net[1];
    }
    std::printf("%-44s %7.3f %11.3f %11.3f %6.2f %12.3f %12.3f %6.2f\n", "all", totalMp, totals[0] / totalMp,
                totals[1] / totalMp, totals[0] / totals[1], totals[2] / totalMp, totals[3] / totalMp,
                totals[2] / totals[3]);
    return 0;
}
