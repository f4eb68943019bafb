// Lightmap atlas: packs a scene's charts into a width x height texel grid with padding between them, then
// rasterises every chart so each covered texel knows the triangle (and so the surface point) it stands for.
//
// Chart size in texels = unwrap size (metres) x global texel density x the chart's own scale, at least 2 x 2 and
// at most the atlas minus padding. The density is searched so the charts fill about `fill` of the atlas and still
// pack (skyline bottom-left, tallest first). Charts are separated by `padding` texels (half of it at the borders),
// so conservative rasterisation never lets two charts share a texel. When a scene has more charts than the atlas
// can hold even at 2 x 2 texels each, the smallest charts are left out (placed = false; their objects still cast
// shadows and bounce light, like small props lit by probes).
// Threading: packAtlas is single-threaded and deterministic; an AtlasLayout is a plain value.
// Errors: InvalidArgument for a bad size/padding or a scene without charts; Internal if nothing packs.
#pragma once

#include <vector>

#include "codec/baker/bake_math.h"
#include "codec/baker/scene.h"
#include "codec/result.h"

namespace lmc::baker {

struct ChartRect {
    int x = 0, y = 0, w = 0, h = 0;  // texels covered by the chart lie inside this rectangle
    bool placed = false;             // false: left out of the atlas, no texels
};

struct AtlasLayout {
    int width = 0, height = 0, padding = 0;
    float density = 0;                // texels per metre at chart scale 1
    std::vector<ChartRect> charts;    // parallel to Scene::charts
    std::vector<int> texelTriangle;   // width * height, -1 where no chart covers the texel
    std::vector<Vec2> triangleAtlas;  // 3 per scene triangle: vertex positions in texel units
    double coveredFraction() const;
};

// fill in (0, 1]: target fraction of the atlas the charts' rectangles take.
Result<AtlasLayout> packAtlas(const Scene& scene, int width, int height, int padding, float fill);

}  // namespace lmc::baker
