// Baker scenes: triangles grouped into lightmap charts, diffuse materials, emitters, sun and sky; the builder that
// makes them from boxes, cylinders, stairs and walls with openings; and the procedural generator of rooms,
// corridors, courtyards and building exteriors.
//
// Units are metres, +Y is up. Every triangle belongs to exactly one chart; a chart carries 2D coordinates in metres
// (its unwrap) that the atlas packer scales to texels. Surfaces are single-sided: a ray that hits the back of a
// triangle has entered geometry and sees black, the way lightmappers treat backfaces.
// Threading: a Scene is a plain value, safe to read from many threads. generateScene is deterministic for a seed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "codec/baker/bake_math.h"

namespace lmc::baker {

enum class BakeStyle { Interior, Exterior, Night, Mixed };

struct Material {
    Vec3 albedo{0.7f, 0.7f, 0.7f};
    Vec3 emission{0, 0, 0};  // radiance leaving the front face
    bool emissive() const { return maxComponent(emission) > 0; }
};

struct Triangle {
    Vec3 p[3];
    Vec3 n[3];   // shading normals (smooth on cylinders), front side
    Vec2 uv[3];  // chart unwrap, metres
    int material = 0;
    int chart = 0;
};

struct Chart {
    std::vector<int> triangles;
    float minU = 0, minV = 0, maxU = 0, maxV = 0;  // unwrap bounds, metres
    float scale = 1.0f;                            // relative texel density ("scale in lightmap")
};

struct Sun {
    bool enabled = false;
    Vec3 direction{0, 1, 0};   // unit, towards the sun
    Vec3 irradiance{0, 0, 0};  // on a surface facing the sun
    float angularRadius = 0.0047f;
};

struct Sky {
    bool enabled = false;
    Vec3 zenith{0, 0, 0};
    Vec3 horizon{0, 0, 0};
    Vec3 ground{0, 0, 0};
    Vec3 radiance(Vec3 dir) const;
};

struct Scene {
    std::vector<Triangle> triangles;
    std::vector<Material> materials;
    std::vector<Chart> charts;
    Sun sun;
    Sky sky;
    std::string description;  // one line: what the generator built
};

// Builds scenes from primitives; every call adds its own chart(s).
class SceneBuilder {
public:
    explicit SceneBuilder(Scene& scene) : scene_(scene) {}

    int material(Vec3 albedo, Vec3 emission = {0, 0, 0});
    // Planar parallelogram origin + s*eu + t*ev (s, t in [0,1]), front side along cross(eu, ev). One chart.
    void quad(Vec3 origin, Vec3 eu, Vec3 ev, int material, float scale = 1.0f);
    // Rectangle like quad() minus rectangular holes given in (s, t) fractions {s0, t0, s1, t1}; one chart with
    // holes in it, as a wall with windows unwraps.
    void quadWithHoles(Vec3 origin, Vec3 eu, Vec3 ev, const std::vector<float>& holes, int material,
                       float scale = 1.0f);
    // Axis-aligned box, faces pointing out, one chart per face. faceMask bits: 0 -X, 1 +X, 2 -Y, 3 +Y, 4 -Z, 5 +Z.
    void box(Vec3 lo, Vec3 hi, int material, float scale = 1.0f, unsigned faceMask = 0x3f);
    // Vertical cylinder standing on `base`: the side is one unrolled chart with smooth normals, the top cap another.
    void cylinder(Vec3 base, float radius, float height, int segments, int material, float scale = 1.0f,
                  bool topCap = true, bool bottomCap = false);
    // Straight flight rising along +X (dir = 0), +Z (1), -X (2) or -Z (3) from `base` (front-left-bottom corner):
    // one chart per tread and riser, one per side profile.
    void stairs(Vec3 base, int direction, int steps, float width, float stepDepth, float stepHeight, int material,
                float scale = 1.0f);

private:
    int newChart(float scale);
    void addTriangle(int chart, Vec3 a, Vec3 b, Vec3 c, Vec3 na, Vec3 nb, Vec3 nc, Vec2 ua, Vec2 ub, Vec2 uc,
                     int material);
    Scene& scene_;
};

// Recomputes each chart's unwrap bounds from its triangles.
void finalizeCharts(Scene& scene);

// The procedural generator. Deterministic for (style, seed); never fails.
Scene generateScene(BakeStyle style, std::uint64_t seed);

const char* bakeStyleName(BakeStyle style);

}  // namespace lmc::baker
