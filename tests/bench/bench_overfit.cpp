// Benchmark helper for the overfit codec: cuts a crop of a real lightmap (so a per-map optimisation on a large
// map can be measured in minutes) and writes it as an EXR with its coverage as alpha, for `lmc eval` to compare
// `overfit` with `avif` and `jxl` on exactly the same texels and mask:
//   bench_overfit IN.exr OUT.exr X Y W H
//   lmc eval -c overfit --sweep rate=0.2,0.5,0.8 --csv overfit.csv OUT.exr
// and breaks a reconstruction's error down by the reference's brightness (stops from the median covered luminance),
// over the visible texels: where the squared log2 error (what log-PSNR averages) comes from, after the metrics
// lmc eval reports (visible mask):
//   bench_overfit --errors REF.exr DECODED.exr
// Errors: a message and exit 1.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

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
    double sum[kBins] = {}, count[kBins] = {};
    double total = 0;
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
            sum[bin] += e;
            count[bin] += 1;
            total += e;
        }
    auto metrics = lmc::computeMetrics(r, d);
    if (metrics)
        std::printf("visible texels: log-PSNR %.2f dB, mPSNR %.2f dB, PU21-PSNR %.2f dB\n", metrics->logPsnr,
                    metrics->mPsnr, metrics->pu21Psnr);
    std::printf("bin         texels   share of sq. error   rms log2(1+x/median) error\n");
    for (int i = 0; i < kBins; ++i) {
        if (count[i] == 0) continue;
        char name[32];
        if (i == 0) std::snprintf(name, sizeof name, "black");
        else std::snprintf(name, sizeof name, "stop %+d", i - 13);
        std::printf("%-10s %8.0f   %6.1f%%   %.4f\n", name, count[i], 100.0 * sum[i] / total,
                    std::sqrt(sum[i] / (3 * count[i])));
    }
    return 0;
}

int main(int argc, char** argv) {
    if (argc == 4 && std::strcmp(argv[1], "--errors") == 0) return errors(argv[2], argv[3]);
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
