// INT8 learned decoding (issue 19): calibration and the INT8/FP32 decode-time ratio. Built, not run by ctest.
//
//   bench_int8 --calibrate OUT.int8 [--family vae] [--rates 0,0.1,0.2] FILE|DIR...
//       runs the FP32 decoder networks of the family's installed weights on the latents of the given maps (training
//       maps only, never the held-out ones) at those rates, and writes the INT8 calibration (inference_model.h):
//       every decoder layer's max |input| and how it runs (int8LayerRule: int8 weights, activations at the widest
//       clamp the int32 bound leaves; the linear block transform "ls" reads the latent's symbols).
//   bench_int8 [--family vae] [--rate 0.1] [--threads 1] [--repeats 3] [--cpu-time] FILE|DIR...
//       per map: decode time of an fp32 and an int8 stream (best of repeats) and of the synthesis networks alone;
//       --cpu-time counts the process's CPU time instead of wall time (on a loaded machine, where other processes
//       take turns on the cores, it moves much less than wall time).
//   bench_int8 --decode-only fp32|int8 [--rate 0.1] [--repeats 3] FILE|DIR...
//       only decodes (each map's stream of that precision, `repeats` times): a process to run under perf.
//   bench_int8 --prune FRACTION OUTDIR [--family vae]: the installed weights with that fraction of every hidden
//       synthesis layer's feature maps (smallest L1 norm) zeroed, no retraining, for `LMC_MODEL_DIR=OUTDIR lmc eval`.
//   bench_int8 --prune-speed FRACTION [--threads 1] [--repeats 3]: synthesis time (FP32, INT8) with those maps
//       removed (hidden widths x (1 - FRACTION)) against the full widths.
//   bench_int8 --layers [--family vae] [--threads 1]: each decoder layer alone, conv2d against qconv2d, on the
//       activations a 1024 x 1024 map gives it (random values; the time does not depend on them).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
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

// Seconds one call of fn takes: wall time, or (cpuTime) the CPU time of the whole process, so worker threads count.
double secondsOf(bool cpuTime, const std::function<void()>& fn) {
    if (!cpuTime) return bestSeconds(1, fn);
    timespec t0{}, t1{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
    fn();
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
    return double(t1.tv_sec - t0.tv_sec) + 1e-9 * double(t1.tv_nsec - t0.tv_nsec);
}

std::vector<std::string> exrFiles(const std::vector<std::string>& args) {
    std::vector<std::string> files;
    for (const auto& path : lmc::bench::lightmapsNamed(args)) files.push_back(path.string());
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
    const ModelConfig& config = model->config();
    for (const LayerSpec& spec : decoderLayers(config)) {
        const std::string& name = spec.name;
        auto seen = maxAbs.find(name);
        if (seen == maxAbs.end()) return fail("no input range recorded for " + name);
        const float range = seen->second;
        c.layers[name] = int8LayerRule(spec, range);
        if (c.layers[name].mode != Int8Calibration::Layer::Mode::Quantised)
            std::printf("  %-6s max |input| %.4g, %s\n", name.c_str(), double(range),
                        c.layers[name].mode == Int8Calibration::Layer::Mode::Fp32 ? "FP32" : "reads the symbols");
        else
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

// Pruning, quality side: zeroes the fraction `fraction` of each hidden synthesis layer's output feature maps (after
// its shuffle: the r * r conv channels that make one) with the smallest L1 weight norm, without retraining, and
// writes the weights and the unchanged calibration to outDir (for `LMC_MODEL_DIR=outDir lmc eval ...`).
int pruneWeights(Family family, double fraction, const std::string& outDir) {
    std::string source;
    for (const std::string& path : modelSearchPaths(family))
        if (std::filesystem::exists(path)) {
            source = path;
            break;
        }
    if (source.empty()) return fail("no " + familyId(family) + ".lmcw found");
    auto file = readWeightFile(source);
    if (!file) return fail(file.error().message);
    auto config = ModelConfig::fromText(file->metadata);
    if (!config) return fail(config.error().message);
    const std::vector<LayerSpec> specs = synthesisLayers(*config);
    int zeroed = 0, total = 0;
    for (std::size_t l = 0; l + 1 < specs.size(); ++l) {  // not the last (colour) layer
        const LayerSpec& s = specs[l];
        WeightTensor& w = file->tensors[s.name + ".weight"];
        WeightTensor& b = file->tensors[s.name + ".bias"];
        const int rr = s.shuffle * s.shuffle, maps = s.out / rr;
        const std::size_t perChannel = std::size_t(s.in) * s.kernel * s.kernel;
        std::vector<std::pair<double, int>> norms;
        for (int m = 0; m < maps; ++m) {
            double n = 0;
            for (int k = 0; k < rr; ++k)
                for (std::size_t i = 0; i < perChannel; ++i)
                    n += std::fabs(w.data[std::size_t(m * rr + k) * perChannel + i]);
            norms.push_back({n, m});
        }
        std::sort(norms.begin(), norms.end());
        const int prune = int(std::lround(fraction * maps));
        for (int i = 0; i < prune; ++i)
            for (int k = 0; k < rr; ++k) {
                const int channel = norms[std::size_t(i)].second * rr + k;
                std::fill_n(w.data.begin() + std::ptrdiff_t(std::size_t(channel) * perChannel), perChannel, 0.0f);
                b.data[std::size_t(channel)] = 0.0f;
            }
        zeroed += prune;
        total += maps;
        std::printf("  %s: %d of %d feature maps zeroed\n", s.name.c_str(), prune, maps);
    }
    std::filesystem::create_directories(outDir);
    const std::string out = outDir + "/" + familyId(family) + ".lmcw";
    if (auto st = writeWeightFile(out, *file); !st) return fail(st.error().message);
    std::filesystem::copy_file(source + ".int8", out + ".int8", std::filesystem::copy_options::overwrite_existing);
    std::printf("wrote %s (%d of %d hidden feature maps zeroed)\n", out.c_str(), zeroed, total);
    return 0;
}

// Pruning, speed side: the synthesis networks of the family's architecture with the hidden widths scaled by
// (1 - fraction), i.e. the pruned feature maps removed, FP32 and INT8 on a 1024 x 1024 map's latent (random weights
// and calibration: the time does not depend on the values).
int pruneSpeed(Family family, double fraction, int threads, int repeats) {
    auto base = defaultModel(family);
    if (!base) return fail(base.error().message);
    std::printf("%-9s %12s %12s %12s %12s\n", "fraction", "MMAC/latent", "fp32 ms", "int8 ms", "int8 speedup");
    double reference = 0;
    for (double f : {0.0, fraction}) {
        ModelConfig c = (*base)->config();
        for (int& w : c.synthesisWidths) w = std::max(1, int(std::lround(w * (1.0 - f))));
        auto model = InferenceModel::load(makeRandomWeights(c, 7));
        if (!model) return fail(model.error().message);
        Int8Calibration cal;
        for (const LayerSpec& s : decoderLayers(c)) cal.layers[s.name] = int8LayerRule(s, 4.0f);
        auto q = (*model)->withInt8(cal);
        if (!q) return fail(q.error().message);
        double macs = 0;
        int cells = 1;
        for (const LayerSpec& s : synthesisLayers(c)) {
            macs += double(cells) * s.in * s.out * s.kernel * s.kernel;
            cells *= s.shuffle * s.shuffle;
        }
        nn::Tensor latent(64, 64, c.latentChannels);
        for (std::size_t i = 0; i < latent.size(); ++i) latent.data[i] = float(int(i * 7919 % 17) - 8) * 0.1f;
        const std::vector<double> gains = (*q)->gains(networkRate(0.2f));
        double t[2] = {1e30, 1e30};
        for (int r = 0; r < repeats; ++r)
            for (int p = 0; p < 2; ++p)
                t[p] = std::min(t[p], bestSeconds(1, [&] {
                                    (void)(*q)->synthesis(
                                        latent, [](int, int, const nn::Tensor&) {}, threads, nullptr, {}, 128,
                                        p == 1 ? Precision::Int8 : Precision::Fp32, gains);
                                }));
        if (f == 0.0) reference = t[1];
        std::printf("%-9.2f %12.3f %12.2f %12.2f %12.2f\n", f, macs / 1e6, t[0] * 1e3, t[1] * 1e3, reference / t[1]);
    }
    return 0;
}

int layerTimes(const InferenceModel& model, int threads, int repeats) {
    const ModelConfig& c = model.config();
    std::printf("%-6s %5s %5s %7s %10s %10s %6s\n", "layer", "in", "out", "side", "fp32 ms", "int8 ms", "ratio");
    double total[2] = {0, 0};
    auto run = [&](const std::vector<LayerSpec>& specs, int side, const char* stack) {
        // The FP32 layers and their INT8 versions at an arbitrary calibration (speed does not depend on it).
        std::mt19937 rng(5);
        std::normal_distribution<float> dist(0.0f, 1.0f);
        for (const LayerSpec& s : specs) {
            nn::ConvLayer l = convLayerOf(s, c.leakySlope);
            l.weight.resize(std::size_t(s.out) * s.in * s.kernel * s.kernel);
            for (float& v : l.weight) v = 0.05f * dist(rng);
            l.bias.assign(std::size_t(s.out), 0.01f);
            auto q = nn::quantizeConvLayer(l, 4.0f, 127);
            if (!q) return;
            nn::Tensor x(side, side, s.in), y;
            for (float& v : x.data) v = dist(rng);
            // A layer the INT8 decoder keeps in FP32 (int8LayerRule) counts its FP32 time on both sides.
            const bool keepFloat = int8LayerRule(s, 4.0f).mode == Int8Calibration::Layer::Mode::Fp32;
            double f = 1e30, i = 1e30;
            for (int r = 0; r < repeats; ++r) {  // alternating, as above
                f = std::min(f, bestSeconds(1, [&] { (void)nn::conv2d(x, l, y, threads); }));
                i = std::min(i, bestSeconds(1, [&] {
                                 if (keepFloat)
                                     (void)nn::conv2d(x, l, y, threads);
                                 else
                                     (void)nn::qconv2d(x, *q, y, threads);
                             }));
            }
            std::printf("%-6s %5d %5d %7d %10.2f %10.2f %6.2f  (%s%s)\n", s.name.c_str(), s.in, s.out, side, f * 1e3,
                        i * 1e3, f / i, stack, keepFloat ? "; FP32 in the INT8 decoder" : "");
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
    bool layers = false, cpuTime = false;
    double pruneFraction = -1.0;
    std::string pruneOut;
    int decodeOnly = -1;
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
        } else if (a == "--cpu-time") {
            cpuTime = true;
        } else if (a == "--prune" && i + 2 < argc) {
            pruneFraction = std::stod(argv[++i]);
            pruneOut = argv[++i];
        } else if (a == "--prune-speed" && hasValue) {
            pruneFraction = std::stod(argv[++i]);
        } else if (a == "--decode-only" && hasValue) {
            decodeOnly = std::string(argv[++i]) == "int8" ? 1 : 0;
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
    if (pruneFraction >= 0.0)
        return pruneOut.empty() ? pruneSpeed(family, pruneFraction, threads, repeats)
                                : pruneWeights(family, pruneFraction, pruneOut);
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
    std::printf("%s rate %.2f, %d thread(s), best of %d, %s\n", familyId(family).c_str(), double(rate), threads,
                repeats, cpuTime ? "process CPU time" : "wall time");
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
        if (decodeOnly >= 0) {
            for (int r = 0; r < repeats; ++r)
                if (auto d = codec.decode(streams[decodeOnly], ctx); !d) return fail(d.error().message);
            continue;
        }
        // The synthesis networks alone, on this map's latent grid (values do not change the time).
        PreparedInput prepared = prepareInput(image.view());
        nn::Tensor latent(prepared.input.h / kLatentStride, prepared.input.w / kLatentStride,
                          model->config().latentChannels);
        for (std::size_t i = 0; i < latent.size(); ++i) latent.data[i] = float(int(i * 7919 % 17) - 8) * 0.1f;
        const std::vector<double> gains = model->gains(networkRate(float(rate)));
        // FP32 and INT8 alternate, so load from other processes falls on both alike; best of `repeats` each.
        double decode[2] = {1e30, 1e30}, net[2] = {1e30, 1e30};
        for (int r = 0; r < repeats; ++r)
            for (int p = 0; p < 2; ++p) {
                decode[p] = std::min(decode[p], secondsOf(cpuTime, [&] {
                                         if (auto d = codec.decode(streams[p], ctx); !d)
                                             std::fprintf(stderr, "%s\n", d.error().message.c_str());
                                     }));
                net[p] = std::min(net[p], secondsOf(cpuTime, [&] {
                                      (void)model->synthesis(
                                          latent, [](int, int, const nn::Tensor&) {}, threads, nullptr, {}, 128,
                                          p == 1 ? Precision::Int8 : Precision::Fp32, gains);
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
