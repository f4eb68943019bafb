#include "codec/baker/scene.h"

#include <algorithm>
#include <cmath>

namespace lmc::baker {

namespace {
constexpr float kPi = 3.14159265358979f;
}

const char* bakeStyleName(BakeStyle style) {
    switch (style) {
        case BakeStyle::Interior:
            return "interior";
        case BakeStyle::Exterior:
            return "exterior";
        case BakeStyle::Night:
            return "night";
        case BakeStyle::Mixed:
            return "mixed";
    }
    return "interior";
}

Vec3 Sky::radiance(Vec3 dir) const {
    if (dir.y < 0) return ground;
    // Brighter, whiter horizon falling to a deeper zenith, the shape of a clear or overcast sky.
    float t = std::pow(std::fmin(dir.y, 1.0f), 0.5f);
    return horizon * (1 - t) + zenith * t;
}

// ---------------------------------------------------------------------------------------------------------------
// SceneBuilder

int SceneBuilder::material(Vec3 albedo, Vec3 emission) {
    Material m;
    m.albedo = albedo;
    m.emission = emission;
    scene_.materials.push_back(m);
    return int(scene_.materials.size()) - 1;
}

int SceneBuilder::newChart(float scale) {
    Chart c;
    c.scale = scale;
    scene_.charts.push_back(c);
    return int(scene_.charts.size()) - 1;
}

void SceneBuilder::addTriangle(int chart, Vec3 a, Vec3 b, Vec3 c, Vec3 na, Vec3 nb, Vec3 nc, Vec2 ua, Vec2 ub, Vec2 uc,
                               int material) {
    Triangle t;
    t.p[0] = a, t.p[1] = b, t.p[2] = c;
    t.n[0] = na, t.n[1] = nb, t.n[2] = nc;
    t.uv[0] = ua, t.uv[1] = ub, t.uv[2] = uc;
    t.material = material;
    t.chart = chart;
    scene_.charts[chart].triangles.push_back(int(scene_.triangles.size()));
    scene_.triangles.push_back(t);
}

void SceneBuilder::quad(Vec3 origin, Vec3 eu, Vec3 ev, int material, float scale) {
    quadWithHoles(origin, eu, ev, {}, material, scale);
}

void SceneBuilder::quadWithHoles(Vec3 origin, Vec3 eu, Vec3 ev, const std::vector<float>& holes, int material,
                                 float scale) {
    float lu = length(eu), lv = length(ev);
    if (lu <= 0 || lv <= 0) return;
    Vec3 n = normalize(cross(eu, ev));
    std::vector<float> cs{0.0f, 1.0f}, ct{0.0f, 1.0f};
    for (std::size_t i = 0; i + 3 < holes.size(); i += 4) {
        cs.push_back(std::clamp(holes[i], 0.0f, 1.0f));
        ct.push_back(std::clamp(holes[i + 1], 0.0f, 1.0f));
        cs.push_back(std::clamp(holes[i + 2], 0.0f, 1.0f));
        ct.push_back(std::clamp(holes[i + 3], 0.0f, 1.0f));
    }
    std::sort(cs.begin(), cs.end());
    cs.erase(std::unique(cs.begin(), cs.end()), cs.end());
    std::sort(ct.begin(), ct.end());
    ct.erase(std::unique(ct.begin(), ct.end()), ct.end());
    int chart = newChart(scale);
    for (std::size_t i = 0; i + 1 < cs.size(); ++i) {
        for (std::size_t j = 0; j + 1 < ct.size(); ++j) {
            float s0 = cs[i], s1 = cs[i + 1], t0 = ct[j], t1 = ct[j + 1];
            float sm = 0.5f * (s0 + s1), tm = 0.5f * (t0 + t1);
            bool inHole = false;
            for (std::size_t h = 0; h + 3 < holes.size(); h += 4)
                if (sm > holes[h] && sm < holes[h + 2] && tm > holes[h + 1] && tm < holes[h + 3]) inHole = true;
            if (inHole) continue;
            Vec3 p00 = origin + eu * s0 + ev * t0, p10 = origin + eu * s1 + ev * t0;
            Vec3 p11 = origin + eu * s1 + ev * t1, p01 = origin + eu * s0 + ev * t1;
            Vec2 u00{s0 * lu, t0 * lv}, u10{s1 * lu, t0 * lv}, u11{s1 * lu, t1 * lv}, u01{s0 * lu, t1 * lv};
            addTriangle(chart, p00, p10, p11, n, n, n, u00, u10, u11, material);
            addTriangle(chart, p00, p11, p01, n, n, n, u00, u11, u01, material);
        }
    }
}

void SceneBuilder::box(Vec3 lo, Vec3 hi, int material, float scale, unsigned faceMask) {
    float dx = hi.x - lo.x, dy = hi.y - lo.y, dz = hi.z - lo.z;
    if (dx <= 0 || dy <= 0 || dz <= 0) return;
    if (faceMask & 1u) quad({lo.x, lo.y, lo.z}, {0, 0, dz}, {0, dy, 0}, material, scale);
    if (faceMask & 2u) quad({hi.x, lo.y, hi.z}, {0, 0, -dz}, {0, dy, 0}, material, scale);
    if (faceMask & 4u) quad({lo.x, lo.y, lo.z}, {dx, 0, 0}, {0, 0, dz}, material, scale);
    if (faceMask & 8u) quad({lo.x, hi.y, lo.z}, {0, 0, dz}, {dx, 0, 0}, material, scale);
    if (faceMask & 16u) quad({hi.x, lo.y, lo.z}, {-dx, 0, 0}, {0, dy, 0}, material, scale);
    if (faceMask & 32u) quad({lo.x, lo.y, hi.z}, {dx, 0, 0}, {0, dy, 0}, material, scale);
}

void SceneBuilder::cylinder(Vec3 base, float radius, float height, int segments, int material, float scale, bool topCap,
                            bool bottomCap) {
    if (radius <= 0 || height <= 0 || segments < 3) return;
    int side = newChart(scale);
    float arc = 2 * kPi * radius / float(segments);
    auto ring = [&](int i, float y) {
        float a = 2 * kPi * float(i) / float(segments);
        return Vec3{base.x + radius * std::cos(a), base.y + y, base.z + radius * std::sin(a)};
    };
    auto normalAt = [&](int i) {
        float a = 2 * kPi * float(i) / float(segments);
        return Vec3{std::cos(a), 0, std::sin(a)};
    };
    for (int i = 0; i < segments; ++i) {
        Vec3 a = ring(i, 0), b = ring(i + 1, 0), c = ring(i + 1, height), d = ring(i, height);
        Vec3 na = normalAt(i), nb = normalAt(i + 1);
        Vec2 ua{arc * float(i), 0}, ub{arc * float(i + 1), 0}, uc{arc * float(i + 1), height},
            ud{arc * float(i), height};
        addTriangle(side, a, c, b, na, nb, nb, ua, uc, ub, material);
        addTriangle(side, a, d, c, na, na, nb, ua, ud, uc, material);
    }
    auto cap = [&](float y, bool up) {
        int chart = newChart(scale);
        Vec3 centre{base.x, base.y + y, base.z};
        Vec3 n{0, up ? 1.0f : -1.0f, 0};
        Vec2 uc{radius, radius};
        for (int i = 0; i < segments; ++i) {
            Vec3 p = ring(i, y), q = ring(i + 1, y);
            Vec2 up_{p.x - base.x + radius, p.z - base.z + radius}, uq{q.x - base.x + radius, q.z - base.z + radius};
            if (up)
                addTriangle(chart, centre, q, p, n, n, n, uc, uq, up_, material);
            else
                addTriangle(chart, centre, p, q, n, n, n, uc, up_, uq, material);
        }
    };
    if (topCap) cap(height, true);
    if (bottomCap) cap(0, false);
}

void SceneBuilder::stairs(Vec3 base, int direction, int steps, float width, float stepDepth, float stepHeight,
                          int material, float scale) {
    if (steps < 1 || width <= 0 || stepDepth <= 0 || stepHeight <= 0) return;
    static const Vec3 kForward[4] = {{1, 0, 0}, {0, 0, 1}, {-1, 0, 0}, {0, 0, -1}};
    Vec3 f = kForward[((direction % 4) + 4) % 4];
    Vec3 up{0, 1, 0};
    Vec3 w = cross(f, up);
    // The flight occupies forward [0, steps*d] and lateral [0, width] from base.
    for (int k = 0; k < steps; ++k) {
        Vec3 o = base + f * (float(k) * stepDepth);
        quad(o + up * (float(k + 1) * stepHeight), w * width, f * stepDepth, material, scale);  // tread, +Y
        quad(o + up * (float(k) * stepHeight), w * width, up * stepHeight, material, scale);    // riser, -f
    }
    float total = float(steps) * stepHeight;
    quad(base + f * (float(steps) * stepDepth), up * total, w * width, material, scale);  // back, +f
    // Side profiles: one chart each, the staircase outline as a union of columns.
    for (int s = 0; s < 2; ++s) {
        int chart = newChart(scale);
        Vec3 n = s == 0 ? -w : w;
        Vec3 side = base + w * (s == 0 ? 0.0f : width);
        for (int k = 0; k < steps; ++k) {
            float h = float(k + 1) * stepHeight;
            Vec3 p00 = side + f * (float(k) * stepDepth), p10 = p00 + f * stepDepth;
            Vec3 p11 = p10 + up * h, p01 = p00 + up * h;
            Vec2 u00{float(k) * stepDepth, 0}, u10{float(k + 1) * stepDepth, 0}, u11{float(k + 1) * stepDepth, h},
                u01{float(k) * stepDepth, h};
            if (dot(cross(p10 - p00, p11 - p00), n) > 0) {
                addTriangle(chart, p00, p10, p11, n, n, n, u00, u10, u11, material);
                addTriangle(chart, p00, p11, p01, n, n, n, u00, u11, u01, material);
            } else {
                addTriangle(chart, p00, p11, p10, n, n, n, u00, u11, u10, material);
                addTriangle(chart, p00, p01, p11, n, n, n, u00, u01, u11, material);
            }
        }
    }
}

void finalizeCharts(Scene& scene) {
    for (auto& c : scene.charts) {
        c.minU = c.minV = 1e30f;
        c.maxU = c.maxV = -1e30f;
        for (int t : c.triangles)
            for (const Vec2& uv : scene.triangles[t].uv) {
                c.minU = std::fmin(c.minU, uv.x), c.maxU = std::fmax(c.maxU, uv.x);
                c.minV = std::fmin(c.minV, uv.y), c.maxV = std::fmax(c.maxV, uv.y);
            }
        if (c.triangles.empty()) c.minU = c.minV = c.maxU = c.maxV = 0;
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Procedural generator

namespace {

// Quad whose front faces `facing`, whatever the order of eu and ev.
void quadFacing(SceneBuilder& b, Vec3 origin, Vec3 eu, Vec3 ev, Vec3 facing, int material, float scale,
                const std::vector<float>& holes = {}) {
    if (dot(cross(eu, ev), facing) < 0) {
        std::vector<float> swapped;
        for (std::size_t i = 0; i + 3 < holes.size(); i += 4)
            swapped.insert(swapped.end(), {holes[i + 1], holes[i], holes[i + 3], holes[i + 2]});
        b.quadWithHoles(origin, ev, eu, swapped, material, scale);
    } else {
        b.quadWithHoles(origin, eu, ev, holes, material, scale);
    }
}

Vec3 pick(Rng& rng, std::initializer_list<Vec3> options) {
    int i = rng.range(0, int(options.size()) - 1);
    return *(options.begin() + i);
}

Vec3 jitter(Rng& rng, Vec3 c, float amount) {
    return {std::clamp(c.x * rng.uniform(1 - amount, 1 + amount), 0.02f, 0.95f),
            std::clamp(c.y * rng.uniform(1 - amount, 1 + amount), 0.02f, 0.95f),
            std::clamp(c.z * rng.uniform(1 - amount, 1 + amount), 0.02f, 0.95f)};
}

Vec3 wallColour(Rng& rng) {
    return jitter(rng,
                  pick(rng, {{0.80f, 0.78f, 0.72f},
                             {0.85f, 0.84f, 0.80f},
                             {0.62f, 0.55f, 0.45f},
                             {0.55f, 0.62f, 0.70f},
                             {0.45f, 0.55f, 0.42f},
                             {0.70f, 0.40f, 0.30f},
                             {0.50f, 0.50f, 0.52f},
                             {0.75f, 0.65f, 0.50f}}),
                  0.1f);
}
Vec3 floorColour(Rng& rng) {
    return jitter(rng,
                  pick(rng, {{0.45f, 0.30f, 0.18f},
                             {0.55f, 0.42f, 0.28f},
                             {0.40f, 0.40f, 0.40f},
                             {0.60f, 0.58f, 0.55f},
                             {0.30f, 0.20f, 0.20f},
                             {0.25f, 0.28f, 0.35f}}),
                  0.1f);
}
Vec3 propColour(Rng& rng) {
    return jitter(rng,
                  pick(rng, {{0.55f, 0.35f, 0.20f},
                             {0.70f, 0.70f, 0.68f},
                             {0.20f, 0.20f, 0.22f},
                             {0.60f, 0.15f, 0.12f},
                             {0.15f, 0.30f, 0.55f},
                             {0.75f, 0.65f, 0.30f},
                             {0.35f, 0.50f, 0.30f},
                             {0.85f, 0.85f, 0.85f},
                             {0.40f, 0.30f, 0.25f}}),
                  0.15f);
}
// Colour temperatures and neon hues for emitters, normalised to luminance 1.
Vec3 lightColour(Rng& rng, bool neon) {
    Vec3 c = neon ? pick(rng, {{1.0f, 0.1f, 0.6f},
                               {0.1f, 0.9f, 1.0f},
                               {0.3f, 1.0f, 0.2f},
                               {0.6f, 0.2f, 1.0f},
                               {1.0f, 0.35f, 0.05f},
                               {0.2f, 0.3f, 1.0f}})
                  : pick(rng, {{1.0f, 0.85f, 0.65f},
                               {1.0f, 0.95f, 0.88f},
                               {0.9f, 0.95f, 1.0f},
                               {1.0f, 0.70f, 0.40f},
                               {1.0f, 0.60f, 0.25f}});
    return c * (1.0f / std::fmax(luminance(c), 1e-3f));
}

struct Opening {
    float a0, a1, y0, y1;  // along the wall's axis (world units) and height
};

struct Room {
    float x0, x1, z0, z1, h;
    float y = 0;                       // floor height
    std::vector<Opening> openings[4];  // 0 south (z0), 1 east (x1), 2 north (z1), 3 west (x0)
    bool exterior[4] = {true, true, true, true};
};

struct Lighting {
    bool day = true;
    float scale = 1.0f;  // global intensity
    float fixtureScale = 1.0f;
};

// Frame of a room wall: origin at its start, axis along it, inward normal.
void wallFrame(const Room& r, int side, Vec3& origin, Vec3& axis, Vec3& inward, float& length, float& axisStart) {
    switch (side) {
        case 0:
            origin = {r.x0, r.y, r.z0}, axis = {1, 0, 0}, inward = {0, 0, 1}, length = r.x1 - r.x0, axisStart = r.x0;
            break;
        case 1:
            origin = {r.x1, r.y, r.z0}, axis = {0, 0, 1}, inward = {-1, 0, 0}, length = r.z1 - r.z0, axisStart = r.z0;
            break;
        case 2:
            origin = {r.x0, r.y, r.z1}, axis = {1, 0, 0}, inward = {0, 0, -1}, length = r.x1 - r.x0, axisStart = r.x0;
            break;
        default:
            origin = {r.x0, r.y, r.z0}, axis = {0, 0, 1}, inward = {1, 0, 0}, length = r.z1 - r.z0, axisStart = r.z0;
            break;
    }
}

// Jambs, lintel and sill of an opening: the wall's thickness, facing into the opening.
void reveals(SceneBuilder& b, const Room& r, int side, const Opening& o, float depth, int material) {
    Vec3 origin, axis, inward;
    float len, start;
    wallFrame(r, side, origin, axis, inward, len, start);
    Vec3 out = -inward;
    Vec3 up{0, 1, 0};
    Vec3 base = origin + axis * (o.a0 - start);
    float w = o.a1 - o.a0, h = o.y1 - o.y0;
    quadFacing(b, base + up * o.y0, out * depth, up * h, axis, material, 1.0f);              // left jamb
    quadFacing(b, base + axis * w + up * o.y0, out * depth, up * h, -axis, material, 1.0f);  // right jamb
    quadFacing(b, base + up * o.y1, out * depth, axis * w, -up, material, 1.0f);             // lintel
    quadFacing(b, base + up * o.y0, out * depth, axis * w, up, material, 1.0f);              // sill / threshold
}

void roomShell(SceneBuilder& b, Rng& rng, const Room& r, int wallMat, int floorMat, int ceilMat, float thickness,
               int revealMat) {
    float w = r.x1 - r.x0, d = r.z1 - r.z0;
    Vec3 up{0, 1, 0};
    quadFacing(b, {r.x0, r.y, r.z0}, {w, 0, 0}, {0, 0, d}, up, floorMat, rng.uniform(0.6f, 1.0f));
    quadFacing(b, {r.x0, r.y + r.h, r.z0}, {w, 0, 0}, {0, 0, d}, -up, ceilMat, rng.uniform(0.5f, 0.9f));
    for (int side = 0; side < 4; ++side) {
        Vec3 origin, axis, inward;
        float len, start;
        wallFrame(r, side, origin, axis, inward, len, start);
        std::vector<float> holes;
        for (const auto& o : r.openings[side])
            holes.insert(holes.end(), {(o.a0 - start) / len, o.y0 / r.h, (o.a1 - start) / len, o.y1 / r.h});
        quadFacing(b, origin, axis * len, up * r.h, inward, wallMat, 1.0f, holes);
        // Only openings to the outside get reveals here; doors between rooms get them once, from the first room.
        if (r.exterior[side])
            for (const auto& o : r.openings[side]) {
                reveals(b, r, side, o, thickness, revealMat);
                if (o.y0 < 0.05f || !rng.chance(0.7f)) continue;
                // Mullion and transom: thin bars across the window that cast crisp sun shadows.
                Vec3 base = origin + axis * (o.a0 - start) - inward * (0.5f * thickness);
                float wdt = o.a1 - o.a0, bar = 0.05f;
                Vec3 up{0, 1, 0};
                Vec3 v0 = base + axis * (0.5f * wdt - bar / 2) + up * o.y0 - inward * (bar / 2);
                Vec3 v1 = base + axis * (0.5f * wdt + bar / 2) + up * o.y1 + inward * (bar / 2);
                b.box(vmin(v0, v1), vmax(v0, v1), revealMat, rng.uniform(0.5f, 1.5f));
                float ty = o.y0 + (o.y1 - o.y0) * rng.uniform(0.55f, 0.75f);
                Vec3 h0 = base + up * (ty - bar / 2) - inward * (bar / 2);
                Vec3 h1 = base + axis * wdt + up * (ty + bar / 2) + inward * (bar / 2);
                b.box(vmin(h0, h1), vmax(h0, h1), revealMat, rng.uniform(0.5f, 1.5f));
            }
    }
}

struct Placed {
    float x0, z0, x1, z1;
};

bool overlaps(const std::vector<Placed>& placed, const Placed& p) {
    for (const auto& q : placed)
        if (p.x0 < q.x1 && p.x1 > q.x0 && p.z0 < q.z1 && p.z1 > q.z0) return true;
    return false;
}

constexpr unsigned kNoBottom = 0x3f & ~4u;

void table(SceneBuilder& b, Rng& rng, float x, float z, float y, float w, float d, int mat) {
    float h = rng.uniform(0.7f, 0.8f), leg = 0.06f, top = 0.05f;
    float s = rng.uniform(0.8f, 2.0f);
    b.box({x, y + h - top, z}, {x + w, y + h, z + d}, mat, s);
    for (int i = 0; i < 4; ++i) {
        float lx = (i & 1) ? x + w - leg - 0.03f : x + 0.03f, lz = (i & 2) ? z + d - leg - 0.03f : z + 0.03f;
        b.box({lx, y, lz}, {lx + leg, y + h - top, lz + leg}, mat, s * 0.5f, kNoBottom & ~8u);
    }
}

void chair(SceneBuilder& b, Rng& rng, float x, float z, float y, int side, int mat) {
    const float seat = 0.45f, h = 0.45f, leg = 0.04f;
    float s = rng.uniform(0.8f, 2.0f);
    b.box({x, y + h - 0.05f, z}, {x + seat, y + h, z + seat}, mat, s);
    for (int i = 0; i < 4; ++i) {
        float lx = (i & 1) ? x + seat - leg : x, lz = (i & 2) ? z + seat - leg : z;
        b.box({lx, y, lz}, {lx + leg, y + h - 0.05f, lz + leg}, mat, s * 0.5f, kNoBottom & ~8u);
    }
    // Backrest on the side away from the table.
    Vec3 lo{x, y + h, z}, hi{x + seat, y + h + 0.45f, z + 0.05f};
    if (side == 1) lo.z = z + seat - 0.05f, hi.z = z + seat;
    if (side == 2) lo = {x, y + h, z}, hi = {x + 0.05f, y + h + 0.45f, z + seat};
    if (side == 3) lo = {x + seat - 0.05f, y + h, z}, hi = {x + seat, y + h + 0.45f, z + seat};
    if (side == 0) lo.z = z, hi.z = z + 0.05f;
    b.box(lo, hi, mat, s);
}

// Open shelves with rows of books: many tiny charts, as real interiors have.
void bookcase(SceneBuilder& b, Rng& rng, float x0, float z0, float x1, float z1, float y, float height, int mat) {
    bool alongX = x1 - x0 >= z1 - z0;
    float len = alongX ? x1 - x0 : z1 - z0, depth = alongX ? z1 - z0 : x1 - x0;
    int shelves = std::max(2, int(height / 0.4f));
    float s = rng.uniform(0.6f, 1.5f);
    auto boxL = [&](float a0, float a1, float h0, float h1, float d0, float d1, int m, float sc) {
        if (alongX)
            b.box({x0 + a0, y + h0, z0 + d0}, {x0 + a1, y + h1, z0 + d1}, m, sc);
        else
            b.box({x0 + d0, y + h0, z0 + a0}, {x0 + d1, y + h1, z0 + a1}, m, sc);
    };
    boxL(0, 0.03f, 0, height, 0, depth, mat, s);
    boxL(len - 0.03f, len, 0, height, 0, depth, mat, s);
    for (int k = 0; k <= shelves; ++k) {
        float h = height * float(k) / float(shelves);
        boxL(0.03f, len - 0.03f, std::fmax(0.0f, h - 0.025f), std::fmax(0.025f, h), 0, depth, mat, s);
        if (k == shelves) break;
        float next = height * float(k + 1) / float(shelves) - 0.03f;
        for (float a = 0.05f; a < len - 0.1f;) {
            float bw = rng.uniform(0.02f, 0.06f), bh = rng.uniform(0.5f, 0.9f) * (next - h);
            if (rng.chance(0.15f)) {
                a += rng.uniform(0.05f, 0.3f);
                continue;
            }
            int bm = b.material(propColour(rng));
            boxL(a, std::fmin(a + bw, len - 0.04f), h, h + bh, 0.02f, depth * rng.uniform(0.6f, 0.9f), bm,
                 rng.uniform(0.5f, 1.5f));
            a += bw + 0.003f;
        }
    }
}

// A lamp: a small emissive box (the fixture) with a dark housing, the "hot spot" of a lightmap.
void fixture(SceneBuilder& b, Rng& rng, Vec3 centre, float size, Vec3 radiance, int housing) {
    int emit = b.material({0.8f, 0.8f, 0.8f}, radiance);
    float s = rng.uniform(0.5f, 1.5f);
    b.box(centre - Vec3{size, size * 0.5f, size}, centre + Vec3{size, size * 0.5f, size}, emit, s);
    b.box(centre + Vec3{-size * 1.3f, size * 0.5f, -size * 1.3f}, centre + Vec3{size * 1.3f, size * 0.9f, size * 1.3f},
          housing, s, kNoBottom);
}

void furnishRoom(SceneBuilder& b, Rng& rng, const Room& r, const Lighting& light, bool corridor) {
    float w = r.x1 - r.x0, d = r.z1 - r.z0;
    std::vector<Placed> placed;
    // Keep door swings clear.
    for (int side = 0; side < 4; ++side)
        for (const auto& o : r.openings[side]) {
            if (o.y0 > 0.05f) continue;
            if (side == 0) placed.push_back({o.a0 - 0.3f, r.z0, o.a1 + 0.3f, r.z0 + 1.2f});
            if (side == 2) placed.push_back({o.a0 - 0.3f, r.z1 - 1.2f, o.a1 + 0.3f, r.z1});
            if (side == 1) placed.push_back({r.x1 - 1.2f, o.a0 - 0.3f, r.x1, o.a1 + 0.3f});
            if (side == 3) placed.push_back({r.x0, o.a0 - 0.3f, r.x0 + 1.2f, o.a1 + 0.3f});
        }
    auto tryPlace = [&](float pw, float pd, float margin, Placed& out) {
        for (int attempt = 0; attempt < 20; ++attempt) {
            if (w - 2 * margin < pw || d - 2 * margin < pd) return false;
            float x = rng.uniform(r.x0 + margin, r.x1 - margin - pw);
            float z = rng.uniform(r.z0 + margin, r.z1 - margin - pd);
            Placed p{x, z, x + pw, z + pd};
            if (!overlaps(placed, p)) {
                placed.push_back(p);
                out = p;
                return true;
            }
        }
        return false;
    };
    auto againstWall = [&](float pw, float pd, Placed& out) {
        for (int attempt = 0; attempt < 20; ++attempt) {
            int side = rng.range(0, 3);
            float len = (side & 1) ? d : w;
            float along = (side & 1) ? pd : pw;
            if (len < along + 0.2f) continue;
            float a = rng.uniform(0.1f, len - along - 0.1f);
            Placed p;
            if (side == 0) p = {r.x0 + a, r.z0 + 0.01f, r.x0 + a + pw, r.z0 + 0.01f + pd};
            if (side == 2) p = {r.x0 + a, r.z1 - 0.01f - pd, r.x0 + a + pw, r.z1 - 0.01f};
            if (side == 1) p = {r.x1 - 0.01f - pw, r.z0 + a, r.x1 - 0.01f, r.z0 + a + pd};
            if (side == 3) p = {r.x0 + 0.01f, r.z0 + a, r.x0 + 0.01f + pw, r.z0 + a + pd};
            if (!overlaps(placed, p)) {
                placed.push_back(p);
                out = p;
                return true;
            }
        }
        return false;
    };

    // Ceiling lights: panels, strips, or nothing (lit by windows and fixtures only).
    int housing = b.material({0.15f, 0.15f, 0.15f});
    int lightKind = rng.range(0, 3);
    Vec3 tint = lightColour(rng, false);
    if (lightKind <= 1 || corridor) {
        int nx = std::max(1, int(w / rng.uniform(2.5f, 4.5f))), nz = std::max(1, int(d / rng.uniform(2.5f, 4.5f)));
        float pw = rng.uniform(0.3f, 1.2f), pd = lightKind == 1 ? 0.15f : rng.uniform(0.3f, 1.2f);
        float rad = rng.uniform(15.0f, 60.0f) * light.scale * light.fixtureScale;
        int emit = b.material({0.9f, 0.9f, 0.9f}, tint * rad);
        for (int i = 0; i < nx; ++i)
            for (int j = 0; j < nz; ++j) {
                float cx = r.x0 + w * (float(i) + 0.5f) / float(nx), cz = r.z0 + d * (float(j) + 0.5f) / float(nz);
                float y = r.y + r.h - 0.03f;
                b.box({cx - pw / 2 - 0.03f, y, cz - pd / 2 - 0.03f},
                      {cx + pw / 2 + 0.03f, r.y + r.h, cz + pd / 2 + 0.03f}, housing, 0.5f, 0x3f & ~8u & ~4u);
                quadFacing(b, {cx - pw / 2, y - 0.002f, cz - pd / 2}, {pw, 0, 0}, {0, 0, pd}, {0, -1, 0}, emit,
                           rng.uniform(0.5f, 1.5f));
            }
    }
    // Emissive strips along a wall, often coloured.
    if (rng.chance(corridor ? 0.6f : 0.35f)) {
        bool neon = rng.chance(0.6f);
        Vec3 c = lightColour(rng, neon) * (rng.uniform(20.0f, 200.0f) * light.scale * light.fixtureScale);
        int emit = b.material({0.9f, 0.9f, 0.9f}, c);
        float y = rng.chance(0.5f) ? r.y + 0.08f : r.y + r.h - 0.15f;
        float t = 0.04f;
        // In segments, like real LED strips, so each piece is sampled as a light of its own size.
        bool alongX = rng.chance(0.5f);
        float a0 = alongX ? r.x0 + 0.3f : r.z0 + 0.3f, a1 = alongX ? r.x1 - 0.3f : r.z1 - 0.3f;
        int segments = std::max(1, int((a1 - a0) / 0.6f));
        float seg = (a1 - a0) / float(segments);
        for (int k = 0; k < segments; ++k) {
            float s0 = a0 + seg * float(k) + 0.01f, s1 = a0 + seg * float(k + 1) - 0.01f;
            if (alongX)
                b.box({s0, y, r.z0 + 0.005f}, {s1, y + t, r.z0 + 0.005f + t}, emit, 0.6f, kNoBottom);
            else
                b.box({r.x0 + 0.005f, y, s0}, {r.x0 + 0.005f + t, y + t, s1}, emit, 0.6f, kNoBottom);
        }
    }
    // Wall sconces and lamps: small, very bright.
    int sconces = rng.range(0, corridor ? 4 : 3);
    for (int i = 0; i < sconces; ++i) {
        Vec3 c =
            lightColour(rng, rng.chance(0.15f)) * (rng.uniform(150.0f, 2500.0f) * light.scale * light.fixtureScale);
        int side = rng.range(0, 3);
        float y = r.y + rng.uniform(1.6f, std::fmin(2.4f, r.h - 0.3f));
        float size = rng.uniform(0.04f, 0.1f);
        Vec3 p;
        if (side == 0) p = {rng.uniform(r.x0 + 0.5f, r.x1 - 0.5f), y, r.z0 + 0.15f};
        if (side == 1) p = {r.x1 - 0.15f, y, rng.uniform(r.z0 + 0.5f, r.z1 - 0.5f)};
        if (side == 2) p = {rng.uniform(r.x0 + 0.5f, r.x1 - 0.5f), y, r.z1 - 0.15f};
        if (side == 3) p = {r.x0 + 0.15f, y, rng.uniform(r.z0 + 0.5f, r.z1 - 0.5f)};
        fixture(b, rng, p, size, c, housing);
    }
    if (corridor) {
        // Pillars or pipes, and a few crates.
        int n = rng.range(0, 4);
        for (int i = 0; i < n; ++i) {
            Placed p;
            if (againstWall(0.5f, 0.5f, p))
                b.box({p.x0, r.y, p.z0}, {p.x1, r.y + rng.uniform(0.4f, 1.2f), p.z1}, b.material(propColour(rng)),
                      rng.uniform(0.5f, 2.0f), kNoBottom);
        }
        return;
    }
    // Furniture and props.
    int props = rng.range(3, 10);
    for (int i = 0; i < props; ++i) {
        int kind = rng.range(0, 8);
        int mat = b.material(propColour(rng));
        float s = rng.uniform(0.5f, 2.5f);
        Placed p;
        switch (kind) {
            case 0: {  // table
                float tw = rng.uniform(0.8f, 2.0f), td = rng.uniform(0.6f, 1.2f);
                if (tryPlace(tw, td, 0.5f, p)) {
                    table(b, rng, p.x0, p.z0, r.y, tw, td, mat);
                    int chairMat = b.material(propColour(rng));
                    for (int c = rng.range(0, 4); c > 0; --c) {
                        int side = rng.range(0, 3);
                        float cx =
                            side < 2 ? rng.uniform(p.x0, p.x1 - 0.45f) : (side == 2 ? p.x0 - 0.5f : p.x1 + 0.05f);
                        float cz =
                            side >= 2 ? rng.uniform(p.z0, p.z1 - 0.45f) : (side == 0 ? p.z0 - 0.5f : p.z1 + 0.05f);
                        chair(b, rng, cx, cz, r.y, side, chairMat);
                    }
                }
                break;
            }
            case 1: {  // crates, stacked
                float sz = rng.uniform(0.4f, 1.0f);
                if (tryPlace(sz, sz, 0.2f, p)) {
                    float y = r.y;
                    int stack = rng.range(1, 3);
                    for (int k = 0; k < stack && y + sz < r.y + r.h - 0.2f; ++k) {
                        float inset = float(k) * rng.uniform(0.0f, 0.15f) * sz;
                        b.box({p.x0 + inset, y, p.z0 + inset},
                              {p.x1 - inset * 0.3f, y + sz * (1 - 0.2f * float(k)), p.z1 - inset * 0.5f}, mat, s,
                              k == 0 ? kNoBottom : 0x3f);
                        y += sz * (1 - 0.2f * float(k));
                    }
                }
                break;
            }
            case 2: {  // shelf / cabinet against a wall
                float sw = rng.uniform(0.8f, 2.2f), sd = rng.uniform(0.35f, 0.6f);
                if (againstWall(sw, sd, p)) {
                    float hgt = rng.uniform(0.8f, std::fmin(2.2f, r.h - 0.3f));
                    if (rng.chance(0.4f)) {
                        b.box({p.x0, r.y, p.z0}, {p.x1, r.y + hgt, p.z1}, mat, s, kNoBottom);
                    } else {
                        bookcase(b, rng, p.x0, p.z0, p.x1, p.z1, r.y, hgt, mat);
                    }
                }
                break;
            }
            case 3: {  // pillar
                float rad = rng.uniform(0.15f, 0.4f);
                if (tryPlace(2 * rad, 2 * rad, 0.8f, p))
                    b.cylinder({p.x0 + rad, r.y, p.z0 + rad}, rad, r.h, rng.range(8, 20), mat, s, false, false);
                break;
            }
            case 4: {  // barrels
                float rad = rng.uniform(0.25f, 0.35f);
                if (tryPlace(2 * rad, 2 * rad, 0.2f, p))
                    b.cylinder({p.x0 + rad, r.y, p.z0 + rad}, rad, rng.uniform(0.8f, 1.0f), rng.range(10, 16), mat, s,
                               true, false);
                break;
            }
            case 5: {  // sofa / bed: base + back
                float sw = rng.uniform(1.4f, 2.2f), sd = rng.uniform(0.8f, 1.9f);
                if (againstWall(sw, sd, p)) {
                    b.box({p.x0, r.y, p.z0}, {p.x1, r.y + 0.45f, p.z1}, mat, s, kNoBottom);
                    b.box({p.x0, r.y + 0.45f, p.z0}, {p.x1, r.y + 0.9f, p.z0 + 0.2f}, mat, s, 0x3f & ~4u);
                }
                break;
            }
            case 6: {  // rug
                float rw = rng.uniform(1.0f, 3.0f), rd = rng.uniform(1.0f, 2.5f);
                if (tryPlace(rw, rd, 0.5f, p)) {
                    placed.pop_back();  // rugs go under other things
                    b.box({p.x0, r.y, p.z0}, {p.x1, r.y + 0.012f, p.z1}, mat, s, kNoBottom);
                }
                break;
            }
            case 7: {  // floor lamp
                if (tryPlace(0.4f, 0.4f, 0.3f, p)) {
                    float cx = p.x0 + 0.2f, cz = p.z0 + 0.2f;
                    b.cylinder({cx, r.y, cz}, 0.025f, 1.4f, 6, housing, 0.5f, false, false);
                    Vec3 c = lightColour(rng, false) * (rng.uniform(30.0f, 300.0f) * light.scale * light.fixtureScale);
                    int emit = b.material({0.9f, 0.9f, 0.9f}, c);
                    b.cylinder({cx, r.y + 1.4f, cz}, rng.uniform(0.12f, 0.2f), 0.25f, 12, emit, 0.8f, true, true);
                }
                break;
            }
            default: {  // low block / counter
                float bw = rng.uniform(0.5f, 3.0f), bd = rng.uniform(0.4f, 1.0f);
                if (tryPlace(bw, bd, 0.3f, p))
                    b.box({p.x0, r.y, p.z0}, {p.x1, r.y + rng.uniform(0.3f, 1.1f), p.z1}, mat, s, kNoBottom);
                break;
            }
        }
    }
    // Skirting boards on walls without a door, picture frames, ceiling beams: small and thin charts.
    if (rng.chance(0.6f)) {
        int skirt = b.material(jitter(rng, {0.85f, 0.85f, 0.82f}, 0.1f));
        float t = 0.02f, sh = rng.uniform(0.06f, 0.14f);
        for (int side = 0; side < 4; ++side) {
            bool door = false;
            for (const auto& o : r.openings[side]) door |= o.y0 < 0.05f;
            if (door) continue;
            float sc = rng.uniform(0.4f, 1.0f);
            if (side == 0) b.box({r.x0, r.y, r.z0}, {r.x1, r.y + sh, r.z0 + t}, skirt, sc, 0x3f & ~4u & ~16u);
            if (side == 2) b.box({r.x0, r.y, r.z1 - t}, {r.x1, r.y + sh, r.z1}, skirt, sc, 0x3f & ~4u & ~32u);
            if (side == 3) b.box({r.x0, r.y, r.z0 + t}, {r.x0 + t, r.y + sh, r.z1 - t}, skirt, sc, 0x3f & ~4u & ~1u);
            if (side == 1) b.box({r.x1 - t, r.y, r.z0 + t}, {r.x1, r.y + sh, r.z1 - t}, skirt, sc, 0x3f & ~4u & ~2u);
        }
    }
    for (int f = rng.range(0, 3); f > 0; --f) {
        int side = rng.range(0, 1) * 2;  // south or north wall
        float fw = rng.uniform(0.3f, 1.2f), fh = rng.uniform(0.3f, 0.9f), y = r.y + rng.uniform(1.2f, 1.7f);
        if (w < fw + 0.6f || y + fh > r.y + r.h - 0.1f) continue;
        float x = rng.uniform(r.x0 + 0.3f, r.x1 - 0.3f - fw);
        int fm = b.material(propColour(rng));
        if (side == 0)
            b.box({x, y, r.z0 + 0.002f}, {x + fw, y + fh, r.z0 + 0.03f}, fm, rng.uniform(0.8f, 2.0f), 0x3f & ~16u);
        else
            b.box({x, y, r.z1 - 0.03f}, {x + fw, y + fh, r.z1 - 0.002f}, fm, rng.uniform(0.8f, 2.0f), 0x3f & ~32u);
    }
    if (r.h > 3.0f && rng.chance(0.4f)) {
        int beam = b.material(propColour(rng));
        float bw = rng.uniform(0.15f, 0.3f), bh = rng.uniform(0.2f, 0.4f);
        int n = std::max(1, int(w / rng.uniform(1.2f, 2.5f)));
        for (int k = 1; k < n; ++k) {
            float x = r.x0 + w * float(k) / float(n) - bw / 2;
            b.box({x, r.y + r.h - bh, r.z0}, {x + bw, r.y + r.h, r.z1}, beam, rng.uniform(0.4f, 1.0f),
                  0x3f & ~8u & ~16u & ~32u);
        }
    }
    // A flight of stairs up to a landing in tall rooms.
    if (r.h > 3.2f && rng.chance(0.5f)) {
        float sh = 0.18f, sd = 0.28f;
        int steps = std::min(int((r.h - 1.4f) / sh), int((w - 1.5f) / sd));
        float width = rng.uniform(0.9f, 1.4f);
        if (steps >= 4 && d > width + 1.0f) {
            Placed p{r.x0 + 0.3f, r.z1 - width - 0.01f, r.x0 + 0.3f + sd * float(steps) + 1.2f, r.z1};
            if (!overlaps(placed, p)) {
                placed.push_back(p);
                int mat = b.material(propColour(rng));
                b.stairs({p.x0, r.y, p.z0}, 0, steps, width, sd, sh, mat, rng.uniform(0.7f, 1.5f));
                float top = float(steps) * sh;
                b.box({p.x0 + sd * float(steps), r.y, p.z0}, {p.x1, r.y + top, p.z1}, mat, 1.0f, kNoBottom);
            }
        }
    }
}

// Rooms in a row (doors between neighbours) or along a corridor; windows on outside walls.
std::vector<Room> layoutRooms(Rng& rng, Vec3 offset, bool& hasCorridor) {
    std::vector<Room> rooms;
    const float t = 0.2f;
    hasCorridor = rng.chance(0.45f);
    if (!hasCorridor) {
        int n = rng.range(1, 4);
        float x = offset.x;
        for (int i = 0; i < n; ++i) {
            Room r;
            r.x0 = x, r.x1 = x + rng.uniform(3.5f, 9.0f);
            r.z0 = offset.z, r.z1 = offset.z + rng.uniform(3.5f, 9.0f);
            r.h = rng.uniform(2.6f, 4.2f);
            r.y = offset.y;
            rooms.push_back(r);
            x = r.x1 + t;
        }
        for (int i = 0; i + 1 < n; ++i) {
            Room &a = rooms[i], &c = rooms[i + 1];
            a.exterior[1] = false, c.exterior[3] = false;
            float zmax = std::fmin(a.z1, c.z1);
            float dw = rng.chance(0.3f) ? rng.uniform(1.8f, 3.0f) : rng.uniform(0.9f, 1.3f);
            dw = std::fmin(dw, zmax - a.z0 - 0.6f);
            float z = rng.uniform(a.z0 + 0.3f, zmax - 0.3f - dw);
            float dh = std::fmin(rng.uniform(2.05f, 2.5f), std::fmin(a.h, c.h) - 0.2f);
            a.openings[1].push_back({z, z + dw, 0, dh});
            c.openings[3].push_back({z, z + dw, 0, dh});
        }
    } else {
        float len = rng.uniform(10.0f, 24.0f), cd = rng.uniform(1.8f, 3.0f);
        Room corridor;
        corridor.x0 = offset.x, corridor.x1 = offset.x + len, corridor.z0 = offset.z, corridor.z1 = offset.z + cd;
        corridor.h = rng.uniform(2.5f, 3.2f);
        corridor.y = offset.y;
        corridor.exterior[2] = false;
        rooms.push_back(corridor);
        float x = corridor.x0;
        while (x < corridor.x1 - 3.0f) {
            Room r;
            r.x0 = x, r.x1 = std::fmin(x + rng.uniform(3.0f, 7.0f), corridor.x1);
            r.z0 = corridor.z1 + t, r.z1 = r.z0 + rng.uniform(3.0f, 7.0f);
            r.h = rng.uniform(2.6f, 3.8f);
            r.y = offset.y;
            r.exterior[0] = false;
            float dw = rng.uniform(0.9f, 1.2f);
            if (r.x1 - r.x0 < dw + 0.8f) break;
            float dx = rng.uniform(r.x0 + 0.3f, r.x1 - 0.3f - dw);
            float dh = std::fmin(2.1f, std::fmin(corridor.h, r.h) - 0.2f);
            r.openings[0].push_back({dx, dx + dw, 0, dh});
            rooms[0].openings[2].push_back({dx, dx + dw, 0, dh});
            rooms.push_back(r);
            x = r.x1 + t;
        }
        for (std::size_t i = 1; i + 1 < rooms.size(); ++i)
            if (rooms[i + 1].x0 - rooms[i].x1 < t + 0.01f)
                rooms[i].exterior[1] = false, rooms[i + 1].exterior[3] = false;
    }
    // Windows on outside walls.
    for (auto& r : rooms)
        for (int side = 0; side < 4; ++side) {
            if (!r.exterior[side] || !rng.chance(0.55f)) continue;
            float len = (side & 1) ? r.z1 - r.z0 : r.x1 - r.x0;
            float start = (side & 1) ? r.z0 : r.x0;
            int count = rng.range(1, std::max(1, int(len / 2.5f)));
            float ww = rng.uniform(0.6f, 1.6f);
            float y0 = rng.uniform(0.6f, 1.0f), y1 = std::fmin(r.h - 0.3f, y0 + rng.uniform(0.8f, 1.8f));
            if (rng.chance(0.15f)) y0 = 0.0f, y1 = std::fmin(r.h - 0.3f, 2.2f);  // glass door / french window
            for (int k = 0; k < count; ++k) {
                float c = start + len * (float(k) + 0.5f) / float(count);
                if (c - ww / 2 < start + 0.2f || c + ww / 2 > start + len - 0.2f) continue;
                r.openings[side].push_back({c - ww / 2, c + ww / 2, y0, y1});
            }
        }
    return rooms;
}

void buildInterior(SceneBuilder& b, Rng& rng, Vec3 offset, const Lighting& light) {
    bool corridor = false;
    std::vector<Room> rooms = layoutRooms(rng, offset, corridor);
    const float t = 0.2f;
    int revealMat = b.material(wallColour(rng));
    for (std::size_t i = 0; i < rooms.size(); ++i) {
        const Room& r = rooms[i];
        int wallMat = b.material(wallColour(rng));
        int floorMat = b.material(floorColour(rng));
        int ceilMat = b.material(jitter(rng, {0.8f, 0.8f, 0.78f}, 0.08f));
        roomShell(b, rng, r, wallMat, floorMat, ceilMat, t, revealMat);
        // Door reveals between rooms, once per door (east and north walls own them).
        for (int side : {1, 2})
            if (!r.exterior[side])
                for (const auto& o : r.openings[side]) reveals(b, r, side, o, t, revealMat);
        furnishRoom(b, rng, r, light, corridor && i == 0);
    }
}

// Buildings around a courtyard on a ground plane, with props, lamps and (at night) lit windows.
void buildExterior(SceneBuilder& b, Rng& rng, const Lighting& light) {
    float ground = rng.uniform(36.0f, 70.0f);
    int tiles = rng.range(1, 3);
    int groundMat = b.material(pick(rng, {{0.35f, 0.33f, 0.30f}, {0.30f, 0.35f, 0.22f}, {0.45f, 0.42f, 0.38f}}));
    float tile = ground / float(tiles);
    for (int i = 0; i < tiles; ++i)
        for (int j = 0; j < tiles; ++j)
            b.quad({-ground / 2 + tile * float(i), 0, -ground / 2 + tile * float(j)}, {0, 0, tile}, {tile, 0, 0},
                   groundMat, rng.uniform(0.25f, 0.5f));
    float court = rng.uniform(12.0f, 24.0f);
    int housing = b.material({0.12f, 0.12f, 0.12f});
    int glassDark = b.material({0.04f, 0.05f, 0.06f});
    std::vector<Placed> placed;
    // Buildings on the four sides.
    for (int side = 0; side < 4; ++side) {
        int count = rng.range(1, 3);
        float span = court + 8.0f;
        float seg = span / float(count);
        for (int k = 0; k < count; ++k) {
            if (rng.chance(0.15f)) continue;  // a gap: a street leaving the courtyard
            float along0 = -span / 2 + seg * float(k) + rng.uniform(0.0f, 0.8f);
            float along1 = -span / 2 + seg * float(k + 1) - rng.uniform(0.0f, 0.8f);
            float depth = rng.uniform(6.0f, 11.0f);
            float height = rng.uniform(4.0f, 18.0f);
            float in = court / 2 + rng.uniform(0.0f, 1.5f);
            Vec3 lo, hi;
            Vec3 facade;  // towards the courtyard
            if (side == 0) lo = {along0, 0, -in - depth}, hi = {along1, height, -in}, facade = {0, 0, 1};
            if (side == 1) lo = {in, 0, along0}, hi = {in + depth, height, along1}, facade = {-1, 0, 0};
            if (side == 2) lo = {along0, 0, in}, hi = {along1, height, in + depth}, facade = {0, 0, -1};
            if (side == 3) lo = {-in - depth, 0, along0}, hi = {-in, height, along1}, facade = {1, 0, 0};
            int mat = b.material(wallColour(rng));
            float s = rng.uniform(0.6f, 1.0f);
            b.box(lo, hi, mat, s, kNoBottom);
            // Parapet on the roof.
            if (rng.chance(0.6f)) {
                float pt = 0.25f, ph = rng.uniform(0.4f, 1.0f);
                b.box({lo.x, height, lo.z}, {hi.x, height + ph, lo.z + pt}, mat, s * 0.6f, kNoBottom);
                b.box({lo.x, height, hi.z - pt}, {hi.x, height + ph, hi.z}, mat, s * 0.6f, kNoBottom);
                b.box({lo.x, height, lo.z + pt}, {lo.x + pt, height + ph, hi.z - pt}, mat, s * 0.6f, kNoBottom);
                b.box({hi.x - pt, height, lo.z + pt}, {hi.x, height + ph, hi.z - pt}, mat, s * 0.6f, kNoBottom);
            }
            // Rooftop units.
            for (int u = rng.range(0, 3); u > 0; --u) {
                float ux = rng.uniform(lo.x + 1, std::fmax(lo.x + 1, hi.x - 2.5f));
                float uz = rng.uniform(lo.z + 1, std::fmax(lo.z + 1, hi.z - 2.5f));
                b.box({ux, height, uz},
                      {ux + rng.uniform(0.8f, 1.5f), height + rng.uniform(0.6f, 1.6f), uz + rng.uniform(0.8f, 1.5f)},
                      b.material(propColour(rng)), 1.0f, kNoBottom);
            }
            // Windows on the courtyard facade: dark glass by day, some lit at night, with sills.
            int floors = std::max(1, int(height / 3.2f));
            Vec3 axis = (side & 1) ? Vec3{0, 0, 1} : Vec3{1, 0, 0};
            float a0 = (side & 1) ? lo.z : lo.x, a1 = (side & 1) ? hi.z : hi.x;
            float plane = side == 0 ? hi.z : side == 1 ? lo.x : side == 2 ? lo.z : hi.x;
            int perFloor = std::max(1, int((a1 - a0) / rng.uniform(2.2f, 4.0f)));
            float ww = rng.uniform(0.8f, 1.5f), wh = rng.uniform(1.1f, 1.8f);
            Vec3 litColour = lightColour(rng, false);
            int sillMat = b.material(jitter(rng, {0.7f, 0.7f, 0.7f}, 0.1f));
            bool framed = rng.chance(0.4f);
            // Drainpipes down the facade corners.
            if (rng.chance(0.5f)) {
                int pipe = b.material(propColour(rng));
                for (float a : {a0 + 0.15f, a1 - 0.15f}) {
                    Vec3 pb = (side & 1) ? Vec3{plane, 0, a} : Vec3{a, 0, plane};
                    b.cylinder(pb + facade * 0.12f, 0.05f, height, 6, pipe, rng.uniform(0.5f, 1.5f), false, false);
                }
            }
            for (int f = 0; f < floors; ++f)
                for (int k2 = 0; k2 < perFloor; ++k2) {
                    float c = a0 + (a1 - a0) * (float(k2) + 0.5f) / float(perFloor);
                    float y0 = 3.2f * float(f) + 0.9f;
                    if (y0 + wh > height - 0.3f) continue;
                    Vec3 base = (side & 1) ? Vec3{plane, y0, c - ww / 2} : Vec3{c - ww / 2, y0, plane};
                    base += facade * 0.01f;
                    int wm = glassDark;
                    if (!light.day && rng.chance(0.25f))
                        wm = b.material({0.1f, 0.1f, 0.1f},
                                        litColour * (rng.uniform(0.4f, 5.0f) * light.scale * light.fixtureScale));
                    quadFacing(b, base, axis * ww, {0, wh, 0}, facade, wm, rng.uniform(0.3f, 1.0f));
                    if (framed) {
                        const float fw = 0.07f, fd = 0.06f;
                        Vec3 up{0, 1, 0};
                        Vec3 corners[4][2] = {
                            {base - axis * fw + up * wh, base + axis * (ww + fw) + up * (wh + fw) + facade * fd},
                            {base - axis * fw - up * fw, base + axis * (ww + fw) + facade * fd},
                            {base - axis * fw, base + up * wh + facade * fd},
                            {base + axis * ww, base + axis * (ww + fw) + up * wh + facade * fd}};
                        for (auto& c : corners)
                            b.box(vmin(c[0], c[1]), vmax(c[0], c[1]), sillMat, rng.uniform(0.5f, 1.5f));
                    }
                    if (rng.chance(0.7f)) {
                        Vec3 s0 = base + Vec3{0, -0.08f, 0} - axis * 0.08f;
                        Vec3 s1 = base + axis * (ww + 0.08f) + facade * 0.15f;
                        b.box(vmin(s0, s1), vmax(s0, s1), sillMat, rng.uniform(0.5f, 2.0f), 0x3f);
                    }
                }
            // An arcade of columns in front of some facades.
            if (rng.chance(0.3f) && height > 5) {
                int cols = std::max(2, int((a1 - a0) / 3.0f));
                float ah = rng.uniform(3.0f, 4.0f), depthA = 2.5f;
                int cm = b.material(wallColour(rng));
                for (int c = 0; c < cols; ++c) {
                    float a = a0 + 0.5f + (a1 - a0 - 1.0f) * float(c) / float(cols - 1);
                    Vec3 p = (side & 1) ? Vec3{plane, 0, a} : Vec3{a, 0, plane};
                    p += facade * depthA;
                    b.cylinder(p, 0.25f, ah, 12, cm, 1.0f, false, false);
                }
                Vec3 r0 = (side & 1) ? Vec3{plane, ah, a0} : Vec3{a0, ah, plane};
                Vec3 r1 =
                    ((side & 1) ? Vec3{plane, ah + 0.4f, a1} : Vec3{a1, ah + 0.4f, plane}) + facade * (depthA + 0.4f);
                b.box(vmin(r0, r1), vmax(r0, r1), cm, 0.8f, 0x3f);
            }
            placed.push_back({lo.x - 3, lo.z - 3, hi.x + 3, hi.z + 3});
        }
    }
    // Courtyard props.
    auto place = [&](float w, float d, Placed& out) {
        for (int a = 0; a < 25; ++a) {
            float x = rng.uniform(-court / 2 + 0.5f, court / 2 - 0.5f - w);
            float z = rng.uniform(-court / 2 + 0.5f, court / 2 - 0.5f - d);
            Placed p{x, z, x + w, z + d};
            if (!overlaps(placed, p)) {
                placed.push_back(p);
                out = p;
                return true;
            }
        }
        return false;
    };
    int props = rng.range(8, 20);
    for (int i = 0; i < props; ++i) {
        int kind = rng.range(0, 7);
        int mat = b.material(propColour(rng));
        float s = rng.uniform(0.5f, 2.5f);
        Placed p;
        switch (kind) {
            case 0: {  // lamp post
                if (place(0.6f, 0.6f, p)) {
                    float cx = p.x0 + 0.3f, cz = p.z0 + 0.3f, h = rng.uniform(3.0f, 4.5f);
                    b.cylinder({cx, 0, cz}, 0.06f, h, 8, housing, 0.7f, false, false);
                    if (!light.day) {
                        Vec3 c =
                            lightColour(rng, false) * (rng.uniform(150.0f, 1500.0f) * light.scale * light.fixtureScale);
                        fixture(b, rng, {cx, h + 0.1f, cz}, rng.uniform(0.08f, 0.15f), c, housing);
                    } else {
                        b.box({cx - 0.15f, h, cz - 0.15f}, {cx + 0.15f, h + 0.3f, cz + 0.15f}, housing, 1.0f);
                    }
                }
                break;
            }
            case 1: {  // bench
                if (place(1.8f, 0.6f, p)) table(b, rng, p.x0, p.z0, -0.3f, 1.8f, 0.5f, mat);
                break;
            }
            case 2: {  // tree: trunk and canopy
                float cr = rng.uniform(1.0f, 2.2f);
                if (place(2 * cr, 2 * cr, p)) {
                    float cx = p.x0 + cr, cz = p.z0 + cr, th = rng.uniform(1.5f, 3.0f);
                    b.cylinder({cx, 0, cz}, rng.uniform(0.12f, 0.25f), th, 8, b.material({0.3f, 0.2f, 0.12f}), s, false,
                               false);
                    int leaves = b.material(jitter(rng, {0.2f, 0.4f, 0.15f}, 0.25f));
                    b.cylinder({cx, th, cz}, cr, rng.uniform(1.5f, 3.0f), 10, leaves, s * 0.5f, true, true);
                }
                break;
            }
            case 3: {  // fountain
                float fr = rng.uniform(1.2f, 2.5f);
                if (place(2 * fr, 2 * fr, p)) {
                    float cx = p.x0 + fr, cz = p.z0 + fr;
                    b.cylinder({cx, 0, cz}, fr, 0.5f, 24, mat, 1.0f, true, false);
                    b.cylinder({cx, 0.5f, cz}, 0.3f, rng.uniform(0.6f, 1.5f), 12, mat, 1.0f, true, false);
                }
                break;
            }
            case 4: {  // raised terrace with stairs
                float tw = rng.uniform(3.0f, 6.0f), td = rng.uniform(3.0f, 5.0f);
                int steps = rng.range(3, 6);
                if (place(tw + 0.3f * float(steps), td, p)) {
                    float sh = 0.17f;
                    b.stairs({p.x0, 0, p.z0 + 0.5f}, 0, steps, td - 1.0f, 0.3f, sh, mat, s);
                    b.box({p.x0 + 0.3f * float(steps), 0, p.z0}, {p.x1, sh * float(steps), p.z1}, mat, 0.7f, kNoBottom);
                }
                break;
            }
            case 5: {  // low wall
                float lw = rng.uniform(2.0f, 6.0f);
                bool alongX = rng.chance(0.5f);
                if (place(alongX ? lw : 0.3f, alongX ? 0.3f : lw, p))
                    b.box({p.x0, 0, p.z0}, {p.x1, rng.uniform(0.5f, 1.2f), p.z1}, mat, s * 0.5f, kNoBottom);
                break;
            }
            case 6: {  // a row of bollards
                int n = rng.range(3, 8);
                float gap = rng.uniform(0.8f, 1.5f);
                if (place(gap * float(n), 0.4f, p))
                    for (int k = 0; k < n; ++k)
                        b.cylinder({p.x0 + 0.2f + gap * float(k), 0, p.z0 + 0.2f}, 0.1f, rng.uniform(0.6f, 0.9f), 8,
                                   housing, rng.uniform(0.5f, 2.0f), true, false);
                break;
            }
            default: {  // crates
                float sz = rng.uniform(0.5f, 1.2f);
                if (place(sz, sz, p)) {
                    b.box({p.x0, 0, p.z0}, {p.x1, sz, p.z1}, mat, s, kNoBottom);
                    if (rng.chance(0.5f))
                        b.box({p.x0 + 0.1f, sz, p.z0 + 0.05f}, {p.x1 - 0.05f, sz * 1.8f, p.z1 - 0.1f}, mat, s);
                }
                break;
            }
        }
    }
    // Neon signs on facades at night.
    if (!light.day) {
        int signs = rng.range(0, 4);
        for (int i = 0; i < signs; ++i) {
            Vec3 c = lightColour(rng, true) * (rng.uniform(20.0f, 300.0f) * light.scale * light.fixtureScale);
            int emit = b.material({0.8f, 0.8f, 0.8f}, c);
            float x = rng.uniform(-court / 2, court / 2 - 2.0f), y = rng.uniform(2.5f, 4.0f);
            float z = -court / 2 + 0.01f;  // on the courtyard edge, in front of side 0's facades
            b.box({x, y, z}, {x + rng.uniform(0.8f, 2.5f), y + rng.uniform(0.06f, 0.3f), z + 0.08f}, emit, 1.5f);
        }
    }
}

void daylight(Scene& scene, Rng& rng, float scale, bool lowSun) {
    float elev = lowSun ? rng.uniform(0.05f, 0.2f) : rng.uniform(0.25f, 1.2f);
    float az = rng.uniform(0.0f, 2 * kPi);
    scene.sun.enabled = true;
    scene.sun.direction = normalize({std::cos(elev) * std::cos(az), std::sin(elev), std::cos(elev) * std::sin(az)});
    Vec3 warm = lowSun ? Vec3{1.0f, 0.55f, 0.25f} : Vec3{1.0f, 0.93f, 0.82f};
    scene.sun.irradiance = warm * (rng.uniform(2.5f, 6.0f) * scale);
    scene.sun.angularRadius = rng.uniform(0.0045f, 0.012f);
    scene.sky.enabled = true;
    float skyScale = rng.uniform(0.25f, 0.7f) * scale * (lowSun ? 0.4f : 1.0f);
    scene.sky.zenith = Vec3{0.25f, 0.42f, 0.85f} * skyScale;
    scene.sky.horizon = (lowSun ? Vec3{0.9f, 0.6f, 0.45f} : Vec3{0.7f, 0.78f, 0.85f}) * skyScale;
    scene.sky.ground = Vec3{0.3f, 0.28f, 0.25f} * (skyScale + 0.25f * scene.sun.irradiance.y * std::sin(elev));
}

void nightSky(Scene& scene, Rng& rng, float scale) {
    scene.sky.enabled = true;
    float s = rng.uniform(0.008f, 0.04f) * scale;
    scene.sky.zenith = Vec3{0.15f, 0.2f, 0.45f} * s;
    scene.sky.horizon = Vec3{0.3f, 0.3f, 0.4f} * s;
    scene.sky.ground = Vec3{0.05f, 0.05f, 0.06f} * s;
    if (rng.chance(0.7f)) {  // moonlight
        float elev = rng.uniform(0.3f, 1.1f), az = rng.uniform(0.0f, 2 * kPi);
        scene.sun.enabled = true;
        scene.sun.direction = normalize({std::cos(elev) * std::cos(az), std::sin(elev), std::cos(elev) * std::sin(az)});
        scene.sun.irradiance = Vec3{0.6f, 0.7f, 1.0f} * (rng.uniform(0.02f, 0.1f) * scale);
        scene.sun.angularRadius = 0.0045f;
    }
}

}  // namespace

Scene generateScene(BakeStyle style, std::uint64_t seed) {
    Scene scene;
    SceneBuilder b(scene);
    Rng rng(seed, 0x5ce7e + std::uint64_t(style));
    Lighting light;
    // Overall exposure varies a lot between real projects; so does it here.
    light.scale = std::exp2(rng.uniform(-2.5f, 1.0f));
    switch (style) {
        case BakeStyle::Interior: {
            bool day = rng.chance(0.6f);
            light.day = day;
            if (day)
                daylight(scene, rng, light.scale, rng.chance(0.2f));
            else
                nightSky(scene, rng, light.scale);
            buildInterior(b, rng, {0, 0, 0}, light);
            scene.description = std::string("interior, ") + (day ? "day" : "night");
            break;
        }
        case BakeStyle::Exterior: {
            bool dusk = rng.chance(0.25f);
            light.day = !dusk;
            light.fixtureScale = 0.3f;
            daylight(scene, rng, light.scale, dusk);
            buildExterior(b, rng, light);
            scene.description = std::string("exterior courtyard, ") + (dusk ? "dusk" : "day");
            break;
        }
        case BakeStyle::Night: {
            light.day = false;
            nightSky(scene, rng, light.scale);
            bool outside = rng.chance(0.65f);
            if (outside)
                buildExterior(b, rng, light);
            else
                buildInterior(b, rng, {0, 0, 0}, light);
            scene.description = std::string("night, ") + (outside ? "courtyard" : "interior");
            break;
        }
        case BakeStyle::Mixed: {
            bool day = rng.chance(0.6f);
            light.day = day;
            if (day)
                daylight(scene, rng, light.scale, rng.chance(0.3f));
            else
                nightSky(scene, rng, light.scale);
            buildExterior(b, rng, light);
            // An interior block away from the courtyard, sharing its sun and sky (a level with both).
            buildInterior(b, rng, {120.0f, 0.0f, 0.0f}, light);
            scene.description = std::string("courtyard and interior, ") + (day ? "day" : "night");
            break;
        }
    }
    finalizeCharts(scene);
    return scene;
}

}  // namespace lmc::baker
