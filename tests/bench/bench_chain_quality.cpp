// Why BC6H transcoding of a decoded map loses more than encoding the original (issue 19). Built, not run by ctest.
//
//   bench_chain_quality [--storage CODEC:PARAMS] [--level fast|normal|high|max] FILE|DIR...
//       (default storage jxl:distance=0.3, level normal)
//
// Per map it encodes and decodes the storage stream once, then BC6H-encodes (our encoder, its error metric's dark
// floor set explicitly) and measures against the original (visible texels, the original's normalisation):
//   direct           the original, its own automatic floor (what `bc6h` does)
//   chain            the decoded map, the decoded map's automatic floor (what a chain does today)
//   chain+src        the decoded map, the original's automatic floor (a floor the stream could carry)
//   chain+clamp      the decoded map with negative values set to 0 first, its own automatic floor
//   chain+clamp+src  the same with the original's floor
//   chain,f=0        the decoded map, no floor
//   chain+snap+src   the decoded map with values below the original's floor set to 0, the original's floor
//   chain+noisefloor the decoded map, the automatic floor over its texels brighter than its noise (the 99th
//                    percentile magnitude of its negative values: a lightmap has none, so they are the codec's noise)
//   oracle-black     the decoded map with the original's black channels restored to 0: not a rule (a player has no
//                    original) but the measure of what the storage codec's noise where the original is black costs
// and prints both floors, the counts of negative and near-zero decoded values, and the decoded values' size where
// the original is black.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "codec/bc6h/bc6h_decoder.h"
#include "codec/bc6h/bc6h_encoder.h"
#include "codec/codec.h"
#include "codec/exr_io.h"
#include "codec/metrics.h"
#include "tests/bench/bench_support.h"

using namespace lmc;

namespace {

Result<QualityMetrics> throughBc6h(const ImageView& source, const ImageView& texels, float floor, bc6h::Level level,
                                   const MetricsOptions& options) {
    bc6h::EncodeSettings settings;
    settings.level = level;
    settings.darkFloor = floor;
    CodecContext context;
    const int blocksX = (texels.width + 3) / 4, blocksY = (texels.height + 3) / 4;
    std::vector<std::uint8_t> blocks(std::size_t(blocksX) * blocksY * 16);
    if (auto s = bc6h::encodeBc6hBlocks(texels, settings, context, blocks.data()); !s) return s.error();
    auto shown = bc6h::decodeBc6hBlocks(blocks.data(), blocks.size(), texels.width, texels.height, false, context);
    if (!shown) return shown.error();
    return computeMetrics(source, shown->view(), options);
}

}  // namespace

int main(int argc, char** argv) {
    std::setvbuf(stdout, nullptr, _IOLBF, 0);  // progress shows when piped
    std::string storage = "jxl:distance=0.3";
    bc6h::Level level = bc6h::Level::Normal;
    std::vector<std::string> args;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--storage" && i + 1 < argc) {
            storage = argv[++i];
        } else if (a == "--level" && i + 1 < argc) {
            const std::string l = argv[++i];
            level = l == "fast"   ? bc6h::Level::Fast
                    : l == "high" ? bc6h::Level::High
                    : l == "max"  ? bc6h::Level::Max
                                  : bc6h::Level::Normal;
        } else {
            args.push_back(a);
        }
    }
    const CodecRegistry& registry = CodecRegistry::builtin();
    const auto colon = storage.find(':');
    const Codec* codec = registry.find(storage.substr(0, colon));
    if (!codec) {
        std::fprintf(stderr, "bench_chain_quality: unknown codec in %s\n", storage.c_str());
        return 1;
    }
    std::string paramText = colon == std::string::npos ? "" : storage.substr(colon + 1);
    std::replace(paramText.begin(), paramText.end(), ',', ';');
    auto params = parseParamSet(codec->schema(), paramText);
    if (!params) {
        std::fprintf(stderr, "bench_chain_quality: %s\n", params.error().message.c_str());
        return 1;
    }
    const std::vector<std::filesystem::path> files = lmc::bench::lightmapsNamed(args);
    std::printf("storage %s, BC6H level %d; visible texels, log-PSNR / mPSNR (dB) against the original\n",
                storage.c_str(), int(level));
    for (const auto& path : files) {
        auto loaded = readExr(path.string());
        if (!loaded) {
            std::fprintf(stderr, "bench_chain_quality: %s\n", loaded.error().message.c_str());
            continue;
        }
        const ImageView source = loaded->image.view();
        auto normalization = computeNormalization(source);
        if (!normalization) continue;
        MetricsOptions options;
        options.normalization = &*normalization;
        CodecContext context;
        auto bytes = encodeImage(*codec, source, *params, context);
        if (!bytes) continue;
        auto decoded = codec->decode(*bytes, context);
        if (!decoded) continue;
        auto stored = computeMetrics(source, decoded->view(), options);
        ImageView texels = decoded->view();
        texels.mask = source.mask;
        texels.maskStride = source.maskStride;
        Image clamped = *decoded;
        std::int64_t negatives = 0, tiny = 0;
        const float srcFloor = bc6h::automaticDarkFloor(source);
        const float decFloor = bc6h::automaticDarkFloor(texels);
        for (std::int64_t i = 0; i < std::int64_t(clamped.width()) * clamped.height() * 3; ++i) {
            float& v = clamped.data()[i];
            if (v < 0) ++negatives;
            if (std::fabs(v) < srcFloor) ++tiny;
            v = std::max(v, 0.0f);
        }
        ImageView clampedView = clamped.view();
        clampedView.mask = source.mask;
        clampedView.maskStride = source.maskStride;
        const float clampFloor = bc6h::automaticDarkFloor(clampedView);
        // Where the original is black: how large the decoded values are (the storage codec's noise there).
        std::vector<float> atBlack;
        for (std::int64_t i = 0; i < std::int64_t(source.width) * source.height * 3; ++i)
            if (source.rgb[i] == 0.0f) atBlack.push_back(std::fabs(decoded->data()[i]));
        std::sort(atBlack.begin(), atBlack.end());
        auto pct = [&](double p) { return atBlack.empty() ? 0.0f : atBlack[std::size_t(p * (atBlack.size() - 1))]; };
        char blackLine[160];
        std::snprintf(blackLine, sizeof blackLine,
                      "  original black channels: %zu; decoded |v| there: median %.3g, 99th %.3g, max %.3g\n",
                      atBlack.size(), pct(0.5), pct(0.99), pct(1.0));
        // Snapped: decoded values below the original's floor set to 0 (a noise floor the stream could carry).
        Image snapped = *decoded;
        for (std::int64_t i = 0; i < std::int64_t(snapped.width()) * snapped.height() * 3; ++i)
            if (snapped.data()[i] < srcFloor) snapped.data()[i] = 0.0f;
        ImageView snappedView = snapped.view();
        snappedView.mask = source.mask;
        snappedView.maskStride = source.maskStride;
        // Oracle: the decoded map with the original's black channels restored (is the noise there the cause?).
        Image oracle = *decoded;
        for (std::int64_t i = 0; i < std::int64_t(oracle.width()) * oracle.height() * 3; ++i)
            if (source.rgb[i] == 0.0f) oracle.data()[i] = 0.0f;
        ImageView oracleView = oracle.view();
        oracleView.mask = source.mask;
        oracleView.maskStride = source.maskStride;
        auto snappedStored = computeMetrics(source, snappedView, options);
        // A floor the player can estimate without the original: lightmaps are not negative, so the decoded map's
        // negative values are the storage codec's noise, and their 99th percentile magnitude is how dark a texel
        // must be to be told from it; the automatic floor is taken over the texels brighter than that.
        std::vector<float> negativeMagnitudes;
        for (std::int64_t i = 0; i < std::int64_t(decoded->width()) * decoded->height() * 3; ++i)
            if (decoded->data()[i] < 0) negativeMagnitudes.push_back(-decoded->data()[i]);
        std::sort(negativeMagnitudes.begin(), negativeMagnitudes.end());
        const float noise =
            negativeMagnitudes.empty() ? 0.0f : negativeMagnitudes[std::size_t(0.99 * (negativeMagnitudes.size() - 1))];
        Image aboveNoise = *decoded;
        for (int y = 0; y < aboveNoise.height(); ++y)
            for (int x = 0; x < aboveNoise.width(); ++x) {
                float* t = aboveNoise.texel(x, y);
                const float lum =
                    0.2126f * std::max(t[0], 0.0f) + 0.7152f * std::max(t[1], 0.0f) + 0.0722f * std::max(t[2], 0.0f);
                if (lum <= noise) t[0] = t[1] = t[2] = 0.0f;
            }
        ImageView aboveNoiseView = aboveNoise.view();
        aboveNoiseView.mask = source.mask;
        aboveNoiseView.maskStride = source.maskStride;
        const float noiseFloor = bc6h::automaticDarkFloor(aboveNoiseView);
        std::printf(
            "\n%s (%dx%d): stored %.0f bytes, %.2f / %.2f dB; floors: original %.3g, decoded %.3g, clamped "
            "%.3g; decoded values < 0: %lld, |v| < original floor: %lld\n",
            path.filename().c_str(), source.width, source.height, double(bytes->size()), stored ? stored->logPsnr : NAN,
            stored ? stored->mPsnr : NAN, srcFloor, decFloor, clampFloor, static_cast<long long>(negatives),
            static_cast<long long>(tiny));
        std::fputs(blackLine, stdout);
        std::printf("  decoded negatives' 99th percentile |v| %.3g: floor over the texels above it %.3g\n", noise,
                    noiseFloor);
        if (snappedStored)
            std::printf("  snapped storage alone: log-PSNR %.2f  mPSNR %.2f\n", snappedStored->logPsnr,
                        snappedStored->mPsnr);
        struct Variant {
            const char* name;
            const ImageView* texels;
            float floor;
        };
        const ImageView original = source;
        const Variant variants[] = {{"direct", &original, srcFloor},
                                    {"chain", &texels, decFloor},
                                    {"chain+src", &texels, srcFloor},
                                    {"chain+clamp", &clampedView, clampFloor},
                                    {"chain+clamp+src", &clampedView, srcFloor},
                                    {"chain,f=0", &texels, 0.0f},
                                    {"chain+snap+src", &snappedView, srcFloor},
                                    {"chain+noisefloor", &texels, noiseFloor},
                                    {"oracle-black", &oracleView, srcFloor}};
        for (const Variant& v : variants) {
            auto m = throughBc6h(source, *v.texels, v.floor, level, options);
            if (m)
                std::printf("  %-16s floor %-10.3g log-PSNR %6.2f  mPSNR %6.2f  PU21 %6.2f\n", v.name, v.floor,
                            m->logPsnr, m->mPsnr, m->pu21Psnr);
            else
                std::printf("  %-16s failed: %s\n", v.name, m.error().message.c_str());
        }
    }
    return 0;
}
