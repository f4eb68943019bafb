// Benchmark helper for the overfit codec: cuts a crop of a real lightmap (so a per-map optimisation on a large
// map can be measured in minutes) and writes it as an EXR with its coverage as alpha, for `lmc eval` to compare
// `overfit` with `avif` and `jxl` on exactly the same texels and mask:
//   bench_overfit IN.exr OUT.exr X Y W H
//   lmc eval -c overfit --sweep rate=0.2,0.5,0.8 --csv overfit.csv OUT.exr
// and breaks a reconstruction's error down by the reference's brightness (stops from the median covered luminance),
// over the visible texels: where the squared log2 error (what log-PSNR averages) and mPSNR's squared error come
// from, with the count of black texels decoded lit and lit ones decoded black, and the log error of lit texels by
// their distance to the nearest exactly black texel (chart edges against interiors), after the metrics
// lmc eval reports (visible mask):
//   bench_overfit --errors REF.exr DECODED.exr
// and times the optimisation alone (steps per second, the loss figures every `log` steps) on a map or a crop of it:
//   bench_overfit --train IN.exr ITERATIONS THREADS RATE [X Y W H]
// (BENCH_KERNELS=generic|avx2|avx512 in the environment forces a kernel set, BENCH_ROWSTRIDE=N trains the
// synthesis on every N-th row per step), and what the app shows while an encode runs: when each interim result
// (CodecContext::interim, the codec's default schedule) is ready and how good, then the same encode without interim
// streams, for their cost:
//   bench_overfit --interim IN.exr ITERATIONS THREADS RATE
// Errors: a message and exit 1.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "codec/learned/learned_codec.h"
#include "codec/learned/overfit/overfit_codec.h"
#include "codec/learned/overfit/overfit_train.h"

#include "codec/evaluate.h"
#include "codec/exr_io.h"
#include "codec/image.h"
#include "codec/metrics.h"

static int errors(const char* refPath, const char* decPath) {
    auto ref = lmc::readExr(refPath);
    auto dec = lmc::readExr(decPath);
    if (!ref || !dec) {
        std::fprintf(stderr, "cannot read the images\n");
        return 1;
    }
    const lmc::ImageView r = ref->image.view(), d = dec->image.view();
    if (r.width != d.width || r.height != d.height) return 1;
    std::vector<std::uint8_t> vis = lmc::visibleMask(r);
    std::vector<float> lum;
    for (int y = 0; y < r.height; ++y)
        for (int x = 0; x < r.width; ++x)
            if (r.covered(x, y) && lmc::luminance(r.texel(x, y)) > 0) lum.push_back(lmc::luminance(r.texel(x, y)));
    if (lum.empty()) return 1;
    std::nth_element(lum.begin(), lum.begin() + std::ptrdiff_t(lum.size() / 2), lum.end());
    const double median = lum[lum.size() / 2];
    // Bins: black, then stops -12.. +12 from the median.
    constexpr int kBins = 27;
    double sum[kBins] = {}, count[kBins] = {}, msum[kBins] = {};
    double total = 0, mtotal = 0;
    int blackLit = 0, litBlack = 0;  // black reference decoded above 0, lit reference decoded as exactly 0
    // Lit texels by their distance (Chebyshev, texels) to the nearest exactly black covered texel: 1, 2, 3 or more.
    auto isBlack = [&](int x, int y) {
        const float* p = r.texel(x, y);
        return r.covered(x, y) && !(p[0] > 0) && !(p[1] > 0) && !(p[2] > 0);
    };
    auto edgeClass = [&](int x, int y) {
        for (int k = 1; k <= 2; ++k)
            for (int dy = -k; dy <= k; ++dy)
                for (int dx = -k; dx <= k; ++dx) {
                    const int u = x + dx, v = y + dy;
                    if (u >= 0 && v >= 0 && u < r.width && v < r.height && isBlack(u, v)) return k - 1;
                }
        return 2;
    };
    double edgeSum[3] = {}, edgeCount[3] = {};
    // mPSNR's squared error of a texel (metrics.cpp): gamma 2.2 of the exposure-normalised values, one clamped
    // difference per stop from mPsnrMinStop to mPsnrMaxStop.
    auto metrics = lmc::computeMetrics(r, d);
    std::vector<double> stopScale;
    double invE = 1.0;
    if (metrics) {
        invE = 1.0 / metrics->exposureReference;
        for (int c = metrics->mPsnrMinStop; c <= metrics->mPsnrMaxStop; ++c)
            stopScale.push_back(255.0 * std::exp2(c / 2.2));
    }
    for (int y = 0; y < r.height; ++y)
        for (int x = 0; x < r.width; ++x) {
            if (!vis.empty() && !vis[std::size_t(y) * r.width + x]) continue;
            const float* a = r.texel(x, y);
            const float* b = d.texel(x, y);
            const double l = lmc::luminance(a);
            int bin = 0;
            if (l > 0) bin = 1 + std::min(25, std::max(0, int(std::floor(std::log2(l / median))) + 12));
            double e = 0;
            for (int c = 0; c < 3; ++c) {
                const double da = std::log2(1.0 + std::max(0.0f, a[c]) / median);
                const double db = std::log2(1.0 + std::max(0.0f, b[c]) / median);
                e += (da - db) * (da - db);
            }
            double em = 0;
            bool aBlack = true, bBlack = true;
            for (int c = 0; c < 3; ++c) {
                const double ga = std::pow(std::max(0.0f, a[c]) * invE, 1 / 2.2);
                const double gb = std::pow(std::max(0.0f, b[c]) * invE, 1 / 2.2);
                aBlack &= !(a[c] > 0);
                bBlack &= !(b[c] > 0);
                for (double k : stopScale) {
                    const double diff = std::min(k * ga, 255.0) - std::min(k * gb, 255.0);
                    em += diff * diff;
                }
            }
            if (!aBlack) {
                const int k = edgeClass(x, y);
                edgeSum[k] += e;
                edgeCount[k] += 1;
            }
            blackLit += aBlack && !bBlack;
            litBlack += !aBlack && bBlack;
            sum[bin] += e;
            msum[bin] += em;
            count[bin] += 1;
            total += e;
            mtotal += em;
        }
    if (metrics)
        std::printf("visible texels: log-PSNR %.2f dB, mPSNR %.2f dB, PU21-PSNR %.2f dB\n", metrics->logPsnr,
                    metrics->mPsnr, metrics->pu21Psnr);
    std::printf("black reference decoded above 0: %d texels; lit reference decoded as 0: %d texels\n", blackLit,
                litBlack);
    for (int k = 0; k < 3; ++k)
        if (edgeCount[k] > 0)
            std::printf("lit texels %s black texel: %8.0f, %5.1f%% of the log sq. error, rms %.4f\n",
                        k == 0 ? "next to a" : k == 1 ? "2 from a " : "3+ from a", edgeCount[k],
                        100.0 * edgeSum[k] / total, std::sqrt(edgeSum[k] / (3 * edgeCount[k])));
    std::printf("bin         texels   share of sq. error   rms log2(1+x/median) error   share of mPSNR sq. error\n");
    for (int i = 0; i < kBins; ++i) {
        if (count[i] == 0) continue;
        char name[32];
        if (i == 0)
            std::snprintf(name, sizeof name, "black");
        else
            std::snprintf(name, sizeof name, "stop %+d", i - 13);
        std::printf("%-10s %8.0f   %6.1f%%   %.4f   %6.1f%%\n", name, count[i], 100.0 * sum[i] / total,
                    std::sqrt(sum[i] / (3 * count[i])), mtotal > 0 ? 100.0 * msum[i] / mtotal : 0.0);
    }
    return 0;
}

static int trainTiming(int argc, char** argv) {
    auto loaded = lmc::readExr(argv[2]);
    if (!loaded) {
        std::fprintf(stderr, "%s\n", loaded.error().message.c_str());
        return 1;
    }
    lmc::ImageView view = loaded->image.view();
    if (argc == 10) {
        const int x = std::atoi(argv[6]), y = std::atoi(argv[7]), w = std::atoi(argv[8]), h = std::atoi(argv[9]);
        if (x < 0 || y < 0 || w <= 0 || h <= 0 || x + w > view.width || y + h > view.height) return 1;
        view = view.crop(x, y, w, h);
    }
    float scale = 0;
    const lmc::overfit::TrainTarget target = lmc::overfit::encoderTarget(view, scale);
    lmc::overfit::TrainOptions options;
    options.iterations = std::atoi(argv[3]);
    options.lambda = lmc::overfit::lambdaForRate(std::atof(argv[5]));
    options.logEvery = std::max(1, options.iterations / 10);
    if (const char* r = std::getenv("BENCH_ROWSTRIDE")) options.rowStride = std::max(1, std::atoi(r));
    // BENCH_KERNELS=generic|avx2|avx512 forces one set of training kernels.
    if (const char* k = std::getenv("BENCH_KERNELS")) {
        const std::string name = k;
        options.kernels = name == "generic"  ? lmc::overfit::TrainKernels::Generic
                          : name == "avx2"   ? lmc::overfit::TrainKernels::Avx2
                          : name == "avx512" ? lmc::overfit::TrainKernels::Avx512
                                             : lmc::overfit::TrainKernels::Auto;
    }
    const auto start = std::chrono::steady_clock::now();
    options.log = [&](const std::string& line) {
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        std::printf("%7.1f s  %s\n", s, line.c_str());
        std::fflush(stdout);
    };
    lmc::CodecContext context;
    context.threads = std::atoi(argv[4]);
    lmc::overfit::TrainState state = lmc::overfit::initialState(target, options.config, options.seed);
    if (auto st = lmc::overfit::train(target, options, state, context, 0.0, 1.0); !st) {
        std::fprintf(stderr, "%s\n", st.error().message.c_str());
        return 1;
    }
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("%dx%d, %d steps, %d threads, row stride %d: %.2f s, %.3f steps/s (%s kernels)\n", view.width,
                view.height, options.iterations, context.threads, options.rowStride, s, options.iterations / s,
                lmc::overfit::trainKernelName(options.kernels).c_str());
    return 0;
}

static int interimTiming(char** argv) {
    auto loaded = lmc::readExr(argv[2]);
    if (!loaded) {
        std::fprintf(stderr, "%s\n", loaded.error().message.c_str());
        return 1;
    }
    const lmc::Codec* codec = lmc::CodecRegistry::builtin().find("overfit");
    lmc::ParamSet params = lmc::ParamSet::defaults(codec->schema());
    params.set("iterations", std::atoi(argv[3]));
    params.set("rate", std::atof(argv[5]));
    lmc::CodecContext context;
    context.threads = std::atoi(argv[4]);
    const auto start = std::chrono::steady_clock::now();
    auto print = [&](const char* what, const lmc::Evaluation& e) {
        std::printf("%-8s ready at %7.2f s (encode had run %7.2f s)  %.4f bpp  log-PSNR %.2f dB  mPSNR %.2f dB\n", what,
                    lmc::millisecondsSince(start) / 1000.0, e.encodeMs / 1000.0, e.bitsPerTexel,
                    e.metrics ? e.metrics->logPsnr : 0.0, e.metrics ? e.metrics->mPsnr : 0.0);
        std::fflush(stdout);
    };
    lmc::EvaluateOptions options;
    options.interim = [&](const lmc::Evaluation& e) { print("interim", e); };
    auto withInterim = lmc::evaluate(*codec, loaded->image.view(), params, context, options);
    if (!withInterim || !withInterim->metrics) return 1;
    print("final", *withInterim);
    auto without = lmc::evaluate(*codec, loaded->image.view(), params, context);
    if (!without || !without->metrics) return 1;
    std::printf("encode with interim results %.2f s, without %.2f s (ratio %.3f); final streams %s\n",
                withInterim->encodeMs / 1000.0, without->encodeMs / 1000.0, withInterim->encodeMs / without->encodeMs,
                withInterim->bytes == without->bytes ? "identical" : "DIFFER");
    return 0;
}

int main(int argc, char** argv) {
    if (argc == 6 && std::strcmp(argv[1], "--interim") == 0) return interimTiming(argv);
    if (argc == 4 && std::strcmp(argv[1], "--errors") == 0) return errors(argv[2], argv[3]);
    if ((argc == 6 || argc == 10) && std::strcmp(argv[1], "--train") == 0) return trainTiming(argc, argv);
    if (argc != 7) {
        std::fprintf(stderr, "usage: bench_overfit IN.exr OUT.exr X Y W H\n");
        return 1;
    }
    auto loaded = lmc::readExr(argv[1]);
    if (!loaded) {
        std::fprintf(stderr, "%s\n", loaded.error().message.c_str());
        return 1;
    }
    const int x = std::atoi(argv[3]), y = std::atoi(argv[4]), w = std::atoi(argv[5]), h = std::atoi(argv[6]);
    const lmc::Image& image = loaded->image;
    if (x < 0 || y < 0 || w <= 0 || h <= 0 || x + w > image.width() || y + h > image.height()) {
        std::fprintf(stderr, "crop outside the %dx%d image\n", image.width(), image.height());
        return 1;
    }
    auto crop = lmc::Image::fromView(image.view().crop(x, y, w, h));
    if (!crop) return 1;
    lmc::ExrWriteOptions options;
    options.pixelType = lmc::ExrPixelType::Float;
    options.protectedSource = argv[1];
    if (auto st = lmc::writeExr(argv[2], crop->view(), options); !st) {
        std::fprintf(stderr, "%s\n", st.error().message.c_str());
        return 1;
    }
    double covered = 0;
    for (int j = 0; j < h; ++j)
        for (int i = 0; i < w; ++i) covered += crop->view().covered(i, j);
    std::printf("%s: %dx%d at (%d, %d), %.1f%% covered\n", argv[2], w, h, x, y, 100.0 * covered / (double(w) * h));
    return 0;
}
