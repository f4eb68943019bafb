// Statistics that say whether a lightmap looks like what game bakers produce: how much of the atlas is empty, the
// dynamic range, how far the hot spots stand above the median, and how busy the texture is. Used to compare baked
// lightmaps with the real set (tests/bench/bench_baker.cpp) and available to any tool.
//
// A texel is empty when the mask marks it uncovered, or when it has no positive channel (gutters of atlases that
// carry no alpha, Unity 4's -1 markers once loaded). All other figures are over the non-empty texels' luminance.
// Threading: pure function of its input. Never fails: an image with no non-empty texel gives zeros.
#pragma once

#include "codec/image.h"

namespace lmc {

struct LightmapStats {
    double emptyFraction = 0;      // empty texels / all texels
    double dynamicRangeStops = 0;  // log2(max / min positive luminance)
    double p99OverMedian = 0;      // 99th percentile luminance / median
    double maxOverMedian = 0;      // peak luminance / median (hot spots)
    double meanGradient = 0;  // mean |grad L| / median L over texels whose right and lower neighbours are non-empty
    double medianRelativeStep = 0;  // median |L(x+1) - L(x)| / mean of the two: texel-scale noise and texture
};

LightmapStats computeLightmapStats(const ImageView& image);

}  // namespace lmc
