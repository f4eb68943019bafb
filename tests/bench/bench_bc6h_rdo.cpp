// BC6H rate-distortion optimisation benchmark: on every real lightmap (visible-texel mask, as `lmc eval` encodes and
// measures), for each quality level, the zstd-19 size of the .dds.zst the codec writes (exactly its bytes: DDS header
// + blocks as one level-19 frame with content size and checksum), visible-texel log-PSNR and mPSNR, and encode time
// of `rdo` = 0 against several rdo values, with ratios against rdo = 0 of the same level measured in the same run.
//
//   bench_bc6h_rdo [--threads N] [--files SUBSTRING] [--levels high,normal] [--rdo 0.1,0.25,0.5,1]
//
// Targets (issue 20): at a setting losing at most 0.5 dB log-PSNR against rdo = 0 (same level), zstd bytes at least
// 30% smaller (mean over the files); at most 0.1 dB, at least 10% smaller; at `high`, RDO encode speed at least half
// of rdo = 0. Speed is the total texels over the total encode time (wall and CPU time of this process).
#include <zstd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "codec/bc6h/bc6h_decoder.h"
#include "codec/bc6h/bc6h_encoder.h"
#include "codec/bc6h/dds.h"
#include "codec/codec.h"
#include "codec/exr_io.h"
#include "codec/image.h"
#include "codec/metrics.h"
#include "tests/bench/bench_support.h"

using namespace lmc;

namespace {

const char* kLevelNames[] = {"fast", "normal", "high", "max"};

struct Run {
    double bytes = 0, seconds = 0, cpuSeconds = 0, logPsnr = 0, mPsnr = 0;
};

std::size_t zstdSize(const std::vector<std::uint8_t>& dds) {
    ZSTD_CCtx* cctx = ZSTD_createCCtx();
    ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, 19);
    ZSTD_CCtx_setParameter(cctx, ZSTD_c_contentSizeFlag, 1);
    ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 1);
    std::vector<std::uint8_t> out(ZSTD_compressBound(dds.size()));
    const std::size_t n = ZSTD_compress2(cctx, out.data(), out.size(), dds.data(), dds.size());
    ZSTD_freeCCtx(cctx);
    return ZSTD_isError(n) ? 0 : n;
}

Result<Run> runOne(const ImageView& reference, const ImageView& coded, bc6h::Level level, double rdo, int threads) {
    std::vector<std::uint8_t> dds = bc6h::makeBc6hDdsHeader(coded.width, coded.height, false);
    const std::size_t offset = dds.size();
    dds.resize(offset + bc6h::bc6hLevelBytes(coded.width, coded.height));
    bc6h::EncodeSettings settings;
    settings.level = level;
    settings.darkFloor = -1.0f;  // automatic, as the codec encodes
    settings.rdo = float(rdo);
    CodecContext context;
    context.threads = threads;
    Run run;
    const auto t0 = std::chrono::steady_clock::now();
    const std::clock_t c0 = std::clock();
    if (auto s = bc6h::encodeBc6hBlocks(coded, settings, context, dds.data() + offset); !s) return s.error();
    run.cpuSeconds = double(std::clock() - c0) / CLOCKS_PER_SEC;
    run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    run.bytes = double(zstdSize(dds));
    auto decoded =
        bc6h::decodeBc6hBlocks(dds.data() + offset, dds.size() - offset, coded.width, coded.height, false, context);
    if (!decoded) return decoded.error();
    auto metrics = computeMetrics(reference, decoded->view());  // visible texels of the reference's coverage
    if (!metrics) return metrics.error();
    run.logPsnr = metrics->logPsnr;
    run.mPsnr = metrics->mPsnr;
    return run;
}

std::vector<std::string> split(const std::string& text) {
    std::vector<std::string> out;
    std::stringstream ss(text);
    std::string item;
    while (std::getline(ss, item, ','))
        if (!item.empty()) out.push_back(item);
    return out;
}

struct Summary {
    std::vector<double> ratio, dLog, dM;
    double seconds = 0, cpuSeconds = 0;
};

}  // namespace

int main(int argc, char** argv) {
    int threads = 2;
    std::string filter;
    std::vector<int> levels = {2, 1};
    std::vector<double> rdos = {0.1, 0.25, 0.5, 0.75, 1.0};
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--threads" && i + 1 < argc) {
            threads = std::max(1, std::atoi(argv[++i]));
        } else if (arg == "--files" && i + 1 < argc) {
            filter = argv[++i];
        } else if (arg == "--levels" && i + 1 < argc) {
            levels.clear();
            for (const auto& name : split(argv[++i]))
                for (int l = 0; l < 4; ++l)
                    if (name == kLevelNames[l]) levels.push_back(l);
        } else if (arg == "--rdo" && i + 1 < argc) {
            rdos.clear();
            for (const auto& v : split(argv[++i])) rdos.push_back(std::atof(v.c_str()));
        } else {
            std::fprintf(stderr, "usage: %s [--threads N] [--files SUBSTRING] [--levels LIST] [--rdo LIST]\n", argv[0]);
            return 2;
        }
    }
    const std::vector<std::filesystem::path> files = bench::realLightmaps(LMC_REAL_LIGHTMAPS, filter);
    if (files.empty()) return 0;

    std::printf("BC6H RDO benchmark: %zu files, %d thread(s), visible texels, zstd level 19 over the DDS file\n\n",
                files.size(), threads);
    std::printf("%-44s %-6s %5s %10s %7s %8s %7s %8s %7s %8s %6s\n", "file", "level", "rdo", "zstd B", "ratio",
                "logPSNR", "dlog", "mPSNR", "dm", "Mtex/s", "speed");
    std::map<std::pair<int, double>, Summary> summary;
    double texels = 0;
    for (const auto& path : files) {
        auto loaded = readExr(path.string());
        if (!loaded) {
            std::printf("%-44s cannot read: %s\n", path.filename().c_str(), loaded.error().message.c_str());
            continue;
        }
        const Image& image = loaded->image;
        std::vector<std::uint8_t> storage;
        const ImageView coded = withMaskMode(image.view(), MaskMode::Visible, storage);  // what encodeImage hands in
        std::string name = path.filename().string();
        if (name.size() > 44) name = name.substr(0, 41) + "...";
        texels += double(image.texelCount());
        for (int l : levels) {
            auto base = runOne(image.view(), coded, bc6h::Level(l), 0.0, threads);
            if (!base) {
                std::printf("%-44s %-6s error: %s\n", name.c_str(), kLevelNames[l], base.error().message.c_str());
                continue;
            }
            std::vector<double> all = {0.0};
            all.insert(all.end(), rdos.begin(), rdos.end());
            for (double rdo : all) {
                Result<Run> r = rdo == 0.0 ? base : runOne(image.view(), coded, bc6h::Level(l), rdo, threads);
                if (!r) {
                    std::printf("%-44s %-6s %5.2f error: %s\n", name.c_str(), kLevelNames[l], rdo,
                                r.error().message.c_str());
                    continue;
                }
                Summary& s = summary[{l, rdo}];
                s.ratio.push_back(r->bytes / base->bytes);
                s.dLog.push_back(r->logPsnr - base->logPsnr);
                s.dM.push_back(r->mPsnr - base->mPsnr);
                s.seconds += r->seconds;
                s.cpuSeconds += r->cpuSeconds;
                std::printf("%-44s %-6s %5.2f %10.0f %7.4f %8.3f %+7.3f %8.3f %+7.3f %8.3f %6.3f\n", name.c_str(),
                            kLevelNames[l], rdo, r->bytes, r->bytes / base->bytes, r->logPsnr,
                            r->logPsnr - base->logPsnr, r->mPsnr, r->mPsnr - base->mPsnr,
                            double(image.texelCount()) / r->seconds / 1e6, base->seconds / r->seconds);
                std::fflush(stdout);
            }
        }
    }
    auto mean = [](const std::vector<double>& v) {
        double s = 0;
        for (double x : v) s += x;
        return v.empty() ? 0.0 : s / double(v.size());
    };
    std::printf("\nSummary over %zu files (ratio = zstd bytes / rdo=0 bytes of the same level; d = rdo - rdo=0)\n",
                files.size());
    std::printf("%-6s %5s %8s %8s %8s %9s %9s %9s %9s %9s %9s %9s\n", "level", "rdo", "ratio", "min", "max",
                "mean dlog", "worst", "mean dm", "worst", "Mtex/s", "speed", "cpu speed");
    for (int l : levels)
        for (double rdo : std::vector<double>{0.0}) {
            (void)rdo;
            const Summary& base = summary[{l, 0.0}];
            std::vector<double> all = {0.0};
            all.insert(all.end(), rdos.begin(), rdos.end());
            for (double r : all) {
                const Summary& s = summary[{l, r}];
                if (s.ratio.empty()) continue;
                std::printf("%-6s %5.2f %8.4f %8.4f %8.4f %+9.3f %+9.3f %+9.3f %+9.3f %9.3f %9.3f %9.3f\n",
                            kLevelNames[l], r, mean(s.ratio), *std::min_element(s.ratio.begin(), s.ratio.end()),
                            *std::max_element(s.ratio.begin(), s.ratio.end()), mean(s.dLog),
                            *std::min_element(s.dLog.begin(), s.dLog.end()), mean(s.dM),
                            *std::min_element(s.dM.begin(), s.dM.end()), texels / s.seconds / 1e6,
                            base.seconds / s.seconds, base.cpuSeconds / s.cpuSeconds);
            }
        }
    std::printf(
        "\nTargets: mean ratio <= 0.70 at mean dlog >= -0.5, <= 0.90 at mean dlog >= -0.1; high speed (rdo > 0 / "
        "rdo = 0) >= 0.5.\n");
    return 0;
}
