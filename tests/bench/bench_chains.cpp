// Load time of the storage -> GPU chains a game ships (issue 19). Built, not run by ctest.
//
//   bench_chains [--threads 1] [--repeats 2] [--vae-rate 0.1] [FILE|DIR...]
//       (no inputs: the real lightmaps, LMC_REAL_LIGHTMAPS)
//
// Per map, each stored stream is encoded once, then timed (best of --repeats, on --threads workers):
//   - storage decode of avif quality=80, jxl distance=1, vae at --vae-rate in fp32 and in int8, each followed by the
//     transcode of the decoded map (its coverage kept, as evaluate.h does) to bc6h:normal and to astc:6x6: the load
//     time is decode + transcode;
//   - the baseline, BC6H shipped directly (quality=high, supercompression=zstd): its load is the zstd decompression
//     of the .dds.zst, after which the GPU takes the blocks as they are.
// It prints each chain's disk bpp, load ms, ms per megapixel and the ratio to the baseline's load, the INT8/FP32
// decode ratio of vae, and the same ratios summed over all maps at the end.
#include <zstd.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "codec/codec.h"
#include "codec/evaluate.h"
#include "codec/exr_io.h"
#include "tests/bench/bench_support.h"

using namespace lmc;

namespace {

using lmc::bench::bestSeconds;

struct Storage {
    std::string label;  // as printed
    std::string codec;
    std::string params;  // parseParamSet text
};

int fail(const std::string& what) {
    std::fprintf(stderr, "bench_chains: %s\n", what.c_str());
    return 1;
}

std::vector<std::filesystem::path> inputs(const std::vector<std::string>& args) {
    if (args.empty()) return lmc::bench::realLightmaps(LMC_REAL_LIGHTMAPS, "");
    return lmc::bench::lightmapsNamed(args);
}

}  // namespace

int main(int argc, char** argv) {
    std::setvbuf(stdout, nullptr, _IOLBF, 0);  // progress shows when piped
    int threads = 1, repeats = 2;
    std::string vaeRate = "0.1";
    std::vector<std::string> args;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--threads" && i + 1 < argc)
            threads = std::atoi(argv[++i]);
        else if (a == "--repeats" && i + 1 < argc)
            repeats = std::max(1, std::atoi(argv[++i]));
        else if (a == "--vae-rate" && i + 1 < argc)
            vaeRate = argv[++i];
        else if (!a.empty() && a[0] == '-')
            return fail("usage: bench_chains [--threads N] [--repeats R] [--vae-rate R] [FILE|DIR...]");
        else
            args.push_back(a);
    }
    const CodecRegistry& registry = CodecRegistry::builtin();
    const std::vector<Storage> storages = {{"avif q80", "avif", "quality=80"},
                                           {"jxl d1", "jxl", "distance=1"},
                                           {"vae fp32", "vae", "rate=" + vaeRate + ";precision=fp32"},
                                           {"vae int8", "vae", "rate=" + vaeRate + ";precision=int8"}};
    std::vector<GpuFormat> gpus;
    for (const char* text : {"bc6h:normal", "astc:6x6"}) {
        auto g = parseGpuFormat(registry, text);
        if (!g) return fail(g.error().message);
        gpus.push_back(*g);
    }
    const Codec* bc6h = registry.find("bc6h");
    auto nativeParams = parseParamSet(bc6h->schema(), "quality=high;supercompression=zstd");
    if (!nativeParams) return fail(nativeParams.error().message);

    CodecContext context;
    context.threads = threads;
    CodecContext transcode = context;  // as evaluate.h transcodes: the encoder knows it sees a decoded map
    transcode.transcoding = true;
    std::printf(
        "threads %d, best of %d; load = storage decode + transcode; baseline: BC6H high + zstd, load = zstd "
        "decompression\n",
        threads, repeats);
    std::map<std::string, double> totalLoadMs;  // chain label -> ms over all maps
    double totalBaselineMs = 0, totalFp32Ms = 0, totalInt8Ms = 0, totalMp = 0;
    for (const auto& path : inputs(args)) {
        auto loaded = readExr(path.string());
        if (!loaded) {
            std::fprintf(stderr, "bench_chains: %s\n", loaded.error().message.c_str());
            continue;
        }
        const ImageView source = loaded->image.view();
        const double mp = double(source.texelCount()) / 1e6;
        std::printf("\n%s (%dx%d, %.2f MP)\n", path.filename().c_str(), source.width, source.height, mp);

        // Baseline: the shipped .dds.zst, decompressed.
        auto native = encodeImage(*bc6h, source, *nativeParams, context);
        if (!native) return fail("bc6h: " + native.error().message);
        const unsigned long long ddsSize = ZSTD_getFrameContentSize(native->data(), native->size());
        if (ddsSize == ZSTD_CONTENTSIZE_ERROR || ddsSize == ZSTD_CONTENTSIZE_UNKNOWN)
            return fail("bc6h: the zstd stream has no content size");
        std::vector<std::uint8_t> dds(ddsSize);
        const double baselineMs = 1000.0 * bestSeconds(repeats, [&] {
                                      const std::size_t n =
                                          ZSTD_decompress(dds.data(), dds.size(), native->data(), native->size());
                                      if (ZSTD_isError(n) || n != dds.size())
                                          std::fprintf(stderr, "bench_chains: zstd failed\n");
                                  });
        const double nativeBpp = bitsPerTexel(native->size(), source.texelCount());
        std::printf("  %-28s %7.3f bpp on disk  load %8.2f ms  %8.2f ms/MP  1.00x\n", "bc6h high+zstd (native)",
                    nativeBpp, baselineMs, baselineMs / mp);
        totalBaselineMs += baselineMs;
        totalMp += mp;

        std::map<std::string, double> decodeMs;
        for (const Storage& s : storages) {
            const Codec* codec = registry.find(s.codec);
            if (!codec) {
                std::printf("  %-28s codec not available\n", s.label.c_str());
                continue;
            }
            auto params = parseParamSet(codec->schema(), s.params);
            if (!params) return fail(s.label + ": " + params.error().message);
            auto bytes = encodeImage(*codec, source, *params, context);
            if (!bytes) {
                std::printf("  %-28s encode failed: %s\n", s.label.c_str(), bytes.error().message.c_str());
                continue;
            }
            std::optional<Image> decoded;
            const double dMs = 1000.0 * bestSeconds(repeats, [&] {
                                   auto d = codec->decode(*bytes, context);
                                   if (d) decoded = std::move(d).value();
                               });
            if (!decoded) {
                std::printf("  %-28s decode failed\n", s.label.c_str());
                continue;
            }
            decodeMs[s.label] = dMs;
            const double bpp = bitsPerTexel(bytes->size(), source.texelCount());
            ImageView texels = decoded->view();
            texels.mask = source.mask;
            texels.maskStride = source.maskStride;
            for (const GpuFormat& gpu : gpus) {
                const double tMs = 1000.0 * bestSeconds(repeats, [&] {
                                       auto blocks = encodeImage(*gpu.codec, texels, gpu.params, transcode);
                                       if (!blocks) std::fprintf(stderr, "bench_chains: %s failed\n", gpu.name.c_str());
                                   });
                const double loadMs = dMs + tMs;
                const std::string label = s.label + " -> " + gpu.name;
                totalLoadMs[label] += loadMs;
                std::printf(
                    "  %-28s %7.3f bpp on disk  load %8.2f ms  %8.2f ms/MP  %.2fx  (decode %.2f + transcode "
                    "%.2f ms)\n",
                    label.c_str(), bpp, loadMs, loadMs / mp, loadMs / baselineMs, dMs, tMs);
            }
        }
        if (decodeMs.count("vae fp32") && decodeMs.count("vae int8")) {
            totalFp32Ms += decodeMs["vae fp32"];
            totalInt8Ms += decodeMs["vae int8"];
            std::printf("  vae decode: fp32 %.2f ms, int8 %.2f ms, INT8/FP32 %.3f (speed-up %.2fx)\n",
                        decodeMs["vae fp32"], decodeMs["vae int8"], decodeMs["vae int8"] / decodeMs["vae fp32"],
                        decodeMs["vae fp32"] / decodeMs["vae int8"]);
        }
    }
    if (totalMp <= 0) return fail("no map measured");
    std::printf("\nall maps (%.2f MP): baseline %.2f ms/MP\n", totalMp, totalBaselineMs / totalMp);
    for (const auto& [label, ms] : totalLoadMs)
        std::printf("  %-28s %8.2f ms/MP  %.1fx the baseline\n", label.c_str(), ms / totalMp, ms / totalBaselineMs);
    if (totalFp32Ms > 0)
        std::printf("  vae decode INT8/FP32 %.3f (speed-up %.2fx)\n", totalInt8Ms / totalFp32Ms,
                    totalFp32Ms / totalInt8Ms);
    return 0;
}
