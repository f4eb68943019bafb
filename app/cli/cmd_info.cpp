// lmc info FILE
#include <cstdio>
#include <memory>
#include <string>

#include "app/cli/cli.h"
#include "codec/exr_io.h"

namespace lmc::cli {

Run declareInfo(CLI::App& command) {
    auto path = std::make_shared<std::string>();
    command.add_option("FILE", *path, "EXR lightmap")->required();
    return [path] {
        auto loaded = readExr(*path);
        if (!loaded) return failure(loaded.error());
        const ExrInfo& info = loaded->info;
        const Image& image = loaded->image;
        ImageStats stats = computeStats(image.view());
        std::string channels;
        for (const auto& c : info.channels) channels += (channels.empty() ? "" : ",") + c;
        std::printf("file        %s\n", path->c_str());
        std::printf("size        %d x %d (%lld texels)\n", image.width(), image.height(),
                    static_cast<long long>(image.texelCount()));
        std::printf("channels    %s%s\n", channels.c_str(), info.luminanceOnly ? " (luminance only)" : "");
        std::printf("pixel type  %s\n", info.pixelType.c_str());
        std::printf("compression %s%s\n", info.compression.c_str(), info.tiled ? ", tiled" : ", scanline");
        if (info.partCount > 1) std::printf("parts       %d (using part %d)\n", info.partCount, info.partUsed);
        std::printf("range       %g .. %g (mean %g)\n", stats.minValue, stats.maxValue, stats.meanValue);
        std::printf("mask        %s\n", image.hasMask() ? (info.alphaIsMask ? "from alpha (0/1)" : "from empty markers")
                                                        : "none (every texel covered)");
        std::printf("covered     %.2f%%\n", 100.0 * stats.coveredFraction);
        if (info.emptyMarkerTexels)
            std::printf("empty       %lld texels marked -1 (loaded as uncovered)\n",
                        static_cast<long long>(info.emptyMarkerTexels));
        if (stats.negativeCount)
            std::printf("negative    %lld channel values\n", static_cast<long long>(stats.negativeCount));
        if (stats.nonFiniteCount)
            std::printf("non-finite  %lld channel values (NaN/Inf)\n", static_cast<long long>(stats.nonFiniteCount));
        return kExitOk;
    };
}

}  // namespace lmc::cli
