// Baker benchmark: bake times against the targets (1024 x 1024 production in <= 120 s on 2 cores, --preview in
// seconds), and statistics of N baked lightmaps beside the real set's (empty fraction, dynamic range, p99/median,
// mean gradient). Prints tables; never fails on timing (shared machines are noisy), exits 2 only on errors.
//
// usage: bench_baker [--no-timing] [--no-stats] [--count 20] [--stats-size 512] [--stats-spp 0] [--threads 0]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <string>
#include <vector>

#include "codec/baker/baker.h"
#include "codec/baker/lightmap_stats.h"
#include "codec/exr_io.h"

using namespace lmc;

namespace {

double cpuSeconds() {
    return double(std::clock()) / CLOCKS_PER_SEC;
}

struct Row {
    std::string name;
    LightmapStats s;
};

void printRow(const Row& r) {
    std::printf("  %-44s %6.3f %6.1f %9.2f %11.1f %9.3f %8.4f\n", r.name.substr(0, 44).c_str(), r.s.emptyFraction,
                r.s.dynamicRangeStops, r.s.p99OverMedian, r.s.maxOverMedian, r.s.meanGradient, r.s.medianRelativeStep);
}

void printHeader() {
    std::printf("  %-44s %6s %6s %9s %11s %9s %8s\n", "lightmap", "empty", "stops", "p99/med", "max/med", "grad",
                "relstep");
}

double metric(const LightmapStats& s, int k) {
    switch (k) {
        case 0:
            return s.emptyFraction;
        case 1:
            return s.dynamicRangeStops;
        case 2:
            return s.p99OverMedian;
        case 3:
            return s.maxOverMedian;
        case 4:
            return s.meanGradient;
        default:
            return s.medianRelativeStep;
    }
}

const char* kMetricNames[] = {"empty fraction", "range (stops)", "p99/median",
                              "max/median",     "mean gradient", "relative step"};

}  // namespace

int main(int argc, char** argv) {
    bool timing = true, stats = true;
    int count = 20, statsSize = 512, statsSpp = 0, threads = 0;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        auto next = [&]() { return i + 1 < argc ? std::atoi(argv[++i]) : 0; };
        if (a == "--no-timing")
            timing = false;
        else if (a == "--no-stats")
            stats = false;
        else if (a == "--count")
            count = next();
        else if (a == "--stats-size")
            statsSize = next();
        else if (a == "--stats-spp")
            statsSpp = next();
        else if (a == "--threads")
            threads = next();
        else {
            std::fprintf(stderr,
                         "usage: bench_baker [--no-timing] [--no-stats] [--count N] [--stats-size N] "
                         "[--stats-spp N] [--threads N]\n");
            return 1;
        }
    }
    CodecContext ctx;
    ctx.threads = threads;
    std::printf("bench_baker: %d worker threads\n", ctx.resolvedThreads());

    if (timing) {
        std::printf("\nbake times (wall s, process CPU s; target: 1024x1024 production <= 120 s wall on 2 cores)\n");
        struct Case {
            int size;
            bool preview;
            BakeStyle style;
        } cases[] = {{1024, true, BakeStyle::Interior},
                     {1024, true, BakeStyle::Exterior},
                     {512, false, BakeStyle::Interior},
                     {1024, false, BakeStyle::Interior},
                     {1024, false, BakeStyle::Mixed}};
        for (const Case& c : cases) {
            BakeSettings s;
            s.seed = 1;
            s.width = s.height = c.size;
            s.preview = c.preview;
            s.style = c.style;
            auto t0 = std::chrono::steady_clock::now();
            double c0 = cpuSeconds();
            auto image = bakeLightmap(s, ctx);
            double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            double cpu = cpuSeconds() - c0;
            if (!image) {
                std::fprintf(stderr, "bake failed: %s\n", image.error().message.c_str());
                return 2;
            }
            // On a shared machine wall time includes other processes; CPU / threads is what an idle one would take.
            double idle = cpu / ctx.resolvedThreads();
            std::printf(
                "  %4dx%-4d %-8s %-10s %3d spp %d bounces: %7.1f s wall, %7.1f s CPU, %6.1f s CPU/thread "
                "(%.2fx of the 120 s target)\n",
                c.size, c.size, baker::bakeStyleName(c.style), c.preview ? "preview" : "production",
                s.resolvedSamples(), s.resolvedBounces(), wall, cpu, idle, std::min(wall, idle) / 120.0);
        }
    }

    if (stats) {
        std::vector<Row> real, ours;
        std::error_code ec;
        for (const auto& entry : std::filesystem::directory_iterator(LMC_REAL_LIGHTMAPS, ec)) {
            if (entry.path().extension() != ".exr") continue;
            auto loaded = readExr(entry.path().string());
            if (!loaded) continue;
            real.push_back({entry.path().filename().string(), computeLightmapStats(loaded->image.view())});
        }
        std::sort(real.begin(), real.end(), [](const Row& a, const Row& b) { return a.name < b.name; });
        const BakeStyle styles[] = {BakeStyle::Interior, BakeStyle::Exterior, BakeStyle::Night, BakeStyle::Mixed};
        double zipBytes = 0, zipTexels = 0;
        std::printf("\n%d baked lightmaps, %dx%d, %s spp\n", count, statsSize, statsSize,
                    statsSpp ? std::to_string(statsSpp).c_str() : "default");
        for (int i = 0; i < count; ++i) {
            BakeSettings s;
            s.seed = std::uint64_t(100 + i);
            s.style = styles[i % 4];
            s.width = s.height = statsSize;
            s.samples = statsSpp;
            s.dilate = i % 3 != 2;
            auto image = bakeLightmap(s, ctx);
            if (!image) {
                std::fprintf(stderr, "bake failed: %s\n", image.error().message.c_str());
                return 2;
            }
            // Measured on the file as shipped (half float, ZIP), like the real set: half rounding matters for the
            // darkest texels and so for the dynamic range.
            auto bytes = writeExrToMemory(image->view());
            if (!bytes) {
                std::fprintf(stderr, "EXR write failed: %s\n", bytes.error().message.c_str());
                return 2;
            }
            auto shipped = readExrFromMemory(bytes->data(), bytes->size());
            if (!shipped) {
                std::fprintf(stderr, "EXR read failed: %s\n", shipped.error().message.c_str());
                return 2;
            }
            ours.push_back({std::string(baker::bakeStyleName(s.style)) + " seed " + std::to_string(s.seed),
                            computeLightmapStats(shipped->image.view())});
            zipBytes += double(bytes->size());
            zipTexels += double(image->texelCount());
        }
        std::printf("baked EXR (half, ZIP): %.2f bytes per texel on average\n", zipBytes / std::max(zipTexels, 1.0));
        std::printf("\nreal set (%zu files from %s)\n", real.size(), LMC_REAL_LIGHTMAPS);
        printHeader();
        for (const Row& r : real) printRow(r);
        std::printf("\nbaked\n");
        printHeader();
        for (const Row& r : ours) printRow(r);
        if (!real.empty()) {
            std::printf("\n  %-16s %27s %27s %s\n", "metric", "real min / median / max", "baked min / median / max",
                        "baked inside real range");
            for (int k = 0; k < 6; ++k) {
                auto summary = [&](const std::vector<Row>& rows, double& lo, double& med, double& hi) {
                    std::vector<double> v;
                    for (const Row& r : rows) v.push_back(metric(r.s, k));
                    std::sort(v.begin(), v.end());
                    lo = v.front(), hi = v.back(), med = v[v.size() / 2];
                };
                double rlo, rmed, rhi, blo, bmed, bhi;
                summary(real, rlo, rmed, rhi);
                summary(ours, blo, bmed, bhi);
                int inside = 0;
                for (const Row& r : ours) inside += metric(r.s, k) >= rlo && metric(r.s, k) <= rhi;
                std::printf("  %-16s %8.4g / %7.4g / %8.4g %8.4g / %7.4g / %8.4g %d of %zu\n", kMetricNames[k], rlo,
                            rmed, rhi, blo, bmed, bhi, inside, ours.size());
            }
        } else {
            std::printf("\n(real set not found at %s: no comparison)\n", LMC_REAL_LIGHTMAPS);
        }
    }
    return 0;
}
