// The lightmap baker: procedural scene -> packed atlas -> CPU path-traced irradiance per texel -> gutter dilation,
// returned as an Image whose mask is the charts' coverage (written as a 0/1 alpha by writeExr).
//
// Texel values are what game lightmaps store: cosine-weighted incoming radiance E / pi (a white diffuse surface's
// outgoing radiance), plus the surface's own emission where it is emissive, so fixtures show as hot spots. Direct
// light takes `samples` next-event estimates per texel, jittered over its footprint (light chosen per chart from
// what its probe points see, stratified over the samples; sun cone sampled); bounce light takes samples / 4 paths
// of `bounces` diffuse bounces with next-event estimation at each vertex, the sky reached by escaping rays, and a
// firefly clamp. Then, as production bakers denoise: bounce light is smoothed within each chart, direct light gets
// an edge-preserving filter driven by each texel's own sample variance (sharp shadows stay sharp, some residual
// noise remains), and gutters are dilated.
//
// Threading: the bake runs on CodecContext::resolvedThreads() workers, rows handed out dynamically; each texel's
// random numbers come from (seed, texel) only, so the output is identical for any thread count. Progress is
// reported per finished row (from worker threads) and cancellation is polled per row.
// Errors: InvalidArgument for out-of-range settings (message names the setting), TooLarge above the image limits,
// Cancelled when the token fires.
#pragma once

#include <cstdint>
#include <string>
#include <utility>

#include "codec/baker/atlas.h"
#include "codec/baker/scene.h"
#include "codec/codec.h"
#include "codec/image.h"
#include "codec/result.h"

namespace lmc {

using baker::BakeStyle;

struct BakeSettings {
    std::uint64_t seed = 1;
    int width = 1024, height = 1024;
    BakeStyle style = BakeStyle::Interior;
    bool preview = false;  // few samples, for a look in seconds
    int samples = 0;       // direct samples per texel (bounce paths: a quarter); 0 = 4 for preview, 48 otherwise
    int bounces = -1;      // diffuse bounces after the first hit; -1 = 2 for preview, 3 otherwise
    int padding = -1;      // texels between charts; -1 = 2 per 512 texels of the shorter side, at least 2
    bool dilate = true;    // fill gutters next to charts from their edges (else they stay black)
    float fill = 0;        // fraction of the atlas the charts take; 0 = chosen from the seed in [0.35, 0.85]
    bool includeEmission = true;

    int resolvedSamples() const { return samples > 0 ? samples : (preview ? 4 : 48); }
    int resolvedBounces() const { return bounces >= 0 ? bounces : (preview ? 2 : 3); }
    int resolvedPadding() const;
    float resolvedFill() const;
};

constexpr int kMinBakeSide = 32;
constexpr int kMaxBakeSide = 8192;
constexpr int kMaxBakeSamples = 4096;
constexpr int kMaxBakeBounces = 16;

Status validateBakeSettings(const BakeSettings& settings);
// "1024" (square) or "512x2048" (width x height).
Result<std::pair<int, int>> parseBakeSize(const std::string& text);
Result<BakeStyle> parseBakeStyle(const std::string& text);

// Generates the scene for (style, seed), packs it and bakes it.
Result<Image> bakeLightmap(const BakeSettings& settings, const CodecContext& context);

// The pieces, for tests and tools: the scene and layout bakeLightmap would use, and the bake of any scene.
struct BakePlan {
    baker::Scene scene;
    baker::AtlasLayout atlas;
};
Result<BakePlan> planBake(const BakeSettings& settings);
Result<Image> bakeScene(const baker::Scene& scene, const baker::AtlasLayout& atlas, const BakeSettings& settings,
                        const CodecContext& context);

}  // namespace lmc
