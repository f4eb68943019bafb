#include "codec/baker/baker.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <thread>
#include <vector>

#include "codec/baker/bvh.h"
#include "codec/work_pool.h"

namespace lmc {

using namespace baker;

namespace {
constexpr float kPi = 3.14159265358979f;
constexpr float kRayEpsilon = 1e-3f;  // metres; scenes are metre-scaled and no detail is thinner than 1 cm
}  // namespace

int BakeSettings::resolvedPadding() const {
    if (padding >= 0) return padding;
    int p = 2 * std::max(1, std::min(width, height) / 512);
    return std::max(2, p);
}

float BakeSettings::resolvedFill() const {
    if (fill > 0) return fill;
    Rng rng(seed, 0xf111);
    return rng.uniform(0.35f, 0.85f);
}

Status validateBakeSettings(const BakeSettings& s) {
    auto bad = [](const std::string& m) { return makeError(ErrorCode::InvalidArgument, m); };
    if (s.width < kMinBakeSide || s.height < kMinBakeSide || s.width > kMaxBakeSide || s.height > kMaxBakeSide)
        return bad("bake size " + std::to_string(s.width) + "x" + std::to_string(s.height) + " is outside " +
                   std::to_string(kMinBakeSide) + ".." + std::to_string(kMaxBakeSide) + " texels per side");
    if (auto st = checkImageSize(s.width, s.height); !st) return st.error();
    if (s.samples < 0 || s.samples > kMaxBakeSamples)
        return bad("samples per texel must be 1.." + std::to_string(kMaxBakeSamples) + " (got " +
                   std::to_string(s.samples) + ")");
    if (s.bounces < -1 || s.bounces > kMaxBakeBounces)
        return bad("bounces must be 0.." + std::to_string(kMaxBakeBounces) + " (got " + std::to_string(s.bounces) +
                   ")");
    if (s.padding < -1 || s.padding > 64) return bad("padding must be 0..64 texels");
    if (s.padding >= 0 && s.padding * 4 >= std::min(s.width, s.height))
        return bad("padding " + std::to_string(s.padding) + " is too large for a " + std::to_string(s.width) + "x" +
                   std::to_string(s.height) + " atlas");
    if (!(s.fill >= 0 && s.fill <= 1)) return bad("fill must be in (0, 1], or 0 for the seed's choice");
    return {};
}

Result<std::pair<int, int>> parseBakeSize(const std::string& text) {
    auto bad = [&]() {
        return makeError(ErrorCode::InvalidArgument,
                         "bad size '" + text + "': expected N or WxH with " + std::to_string(kMinBakeSide) + ".." +
                             std::to_string(kMaxBakeSide) + " texels per side, e.g. 1024 or 512x2048");
    };
    auto number = [](const std::string& s, long& out) {
        if (s.empty() || s.size() > 6) return false;
        for (char c : s)
            if (c < '0' || c > '9') return false;
        out = std::stol(s);
        return true;
    };
    long w = 0, h = 0;
    auto x = text.find_first_of("xX");
    if (x == std::string::npos) {
        if (!number(text, w)) return bad();
        h = w;
    } else if (!number(text.substr(0, x), w) || !number(text.substr(x + 1), h)) {
        return bad();
    }
    if (w < kMinBakeSide || h < kMinBakeSide || w > kMaxBakeSide || h > kMaxBakeSide) return bad();
    return std::make_pair(int(w), int(h));
}

Result<BakeStyle> parseBakeStyle(const std::string& text) {
    for (BakeStyle s : {BakeStyle::Interior, BakeStyle::Exterior, BakeStyle::Night, BakeStyle::Mixed})
        if (text == bakeStyleName(s)) return s;
    return makeError(ErrorCode::InvalidArgument,
                     "unknown style '" + text + "': expected interior, exterior, night or mixed");
}

namespace {

// Emitters are grouped by material: a fixture, a room's ceiling panels, a lit window.
struct Light {
    std::vector<int> triangles;
    std::vector<float> cdf;  // by area
    float area = 0;
    Vec3 radiance;
    float power = 0;
};

struct Tracer {
    const Scene& scene;
    const AtlasLayout& atlas;
    Bvh bvh;
    std::vector<Vec3> geomNormal;
    std::vector<float> triArea;
    std::vector<float> inset;  // barycentric margin that keeps samples ~2 mm inside their triangle
    std::vector<Light> lights;
    // Per receiving chart, a CDF over lights: mostly what its sample points actually see, plus a share by power
    // so every light keeps a non-zero probability (the estimator stays unbiased).
    std::vector<float> chartLightCdf;  // charts x lights
    int bounces = 3;

    Tracer(const Scene& s, const AtlasLayout& a) : scene(s), atlas(a) {
        bvh.build(scene);
        geomNormal.resize(scene.triangles.size());
        inset.resize(scene.triangles.size());
        triArea.resize(scene.triangles.size());
        std::vector<int> lightOfMaterial(scene.materials.size(), -1);
        for (std::size_t i = 0; i < scene.triangles.size(); ++i) {
            const Triangle& t = scene.triangles[i];
            Vec3 c = cross(t.p[1] - t.p[0], t.p[2] - t.p[0]);
            float area = 0.5f * length(c);
            triArea[i] = area;
            geomNormal[i] = normalize(c);
            float longest = maxf(length(t.p[1] - t.p[0]), maxf(length(t.p[2] - t.p[1]), length(t.p[0] - t.p[2])));
            float altitude = longest > 0 ? 2 * area / longest : 0;
            inset[i] = altitude > 0 ? minf(0.3f, 2e-3f / altitude) : 0.3f;
            const Material& m = scene.materials[t.material];
            if (m.emissive() && area > 0) {
                int& li = lightOfMaterial[t.material];
                if (li < 0) {
                    li = int(lights.size());
                    lights.emplace_back();
                    lights.back().radiance = m.emission;
                }
                Light& l = lights[li];
                l.triangles.push_back(int(i));
                l.area += area;
                l.cdf.push_back(l.area);
            }
        }
        for (Light& l : lights) {
            for (float& c : l.cdf) c /= l.area;
            l.cdf.back() = 1.0f;
            l.power = luminance(l.radiance) * l.area;
        }
    }

    Vec3 samplePointOn(const Light& l, Rng& rng, int& tri) const {
        float u = rng.uniform();
        std::size_t k = std::size_t(std::lower_bound(l.cdf.begin(), l.cdf.end(), u) - l.cdf.begin());
        tri = l.triangles[std::min(k, l.triangles.size() - 1)];
        const Triangle& t = scene.triangles[tri];
        float r1 = std::sqrt(rng.uniform()), r2 = rng.uniform();
        return t.p[0] * (1 - r1) + t.p[1] * (r1 * (1 - r2)) + t.p[2] * (r1 * r2);
    }

    // Picks a triangle of light `l` that faces x (a triangle's plane decides exactly which side it lights, so the
    // others contribute nothing and are skipped), weighted by its rough solid angle, then a uniform point on it.
    // triProb is the probability of the chosen triangle; false when no triangle faces x.
    bool sampleFacing(const Light& l, Vec3 x, Rng& rng, int& tri, float& triProb, Vec3& y) const {
        constexpr std::size_t kMaxTris = 256;
        float weights[kMaxTris];
        std::size_t n = l.triangles.size();
        if (n > kMaxTris) {  // big emitters: area sampling
            y = samplePointOn(l, rng, tri);
            triProb = triArea[tri] / l.area;
            return true;
        }
        float total = 0;
        for (std::size_t k = 0; k < n; ++k) {
            int t = l.triangles[k];
            const Triangle& tr = scene.triangles[t];
            Vec3 c = (tr.p[0] + tr.p[1] + tr.p[2]) * (1.0f / 3.0f);
            Vec3 d = x - c;
            float side = dot(geomNormal[t], x - tr.p[0]);
            float w = 0;
            if (side > 0) {
                float d2 = dot(d, d);
                float cosY = side / std::sqrt(maxf(d2, 1e-12f));
                w = triArea[t] * maxf(cosY, 0.05f) / maxf(d2, triArea[t]);
            }
            weights[k] = w;
            total += w;
        }
        if (!(total > 0)) return false;
        float u = rng.uniform() * total;
        std::size_t k = 0;
        for (; k + 1 < n; ++k) {
            if (u < weights[k] && weights[k] > 0) break;
            u -= weights[k];
        }
        while (weights[k] <= 0 && k > 0) --k;  // rounding at the end of the scan
        tri = l.triangles[k];
        triProb = weights[k] / total;
        const Triangle& t = scene.triangles[tri];
        float r1 = std::sqrt(rng.uniform()), r2 = rng.uniform();
        y = t.p[0] * (1 - r1) + t.p[1] * (r1 * (1 - r2)) + t.p[2] * (r1 * r2);
        return true;
    }

    // Builds chartLightCdf from a few visibility-tested samples per chart, charts spread over `threads`.
    void buildLightSelection(int threads, std::uint64_t seed) {
        std::size_t nl = lights.size(), nc = scene.charts.size();
        if (nl == 0) return;
        chartLightCdf.assign(nc * nl, 0.0f);
        double totalPower = 0;
        for (const Light& l : lights) totalPower += l.power;
        std::atomic<std::size_t> next{0};
        auto work = [&]() {
            std::vector<double> w(nl), wu(nl);
            for (;;) {
                std::size_t c = next.fetch_add(1);
                if (c >= nc) return;
                const Chart& chart = scene.charts[c];
                if (chart.triangles.empty()) continue;
                Rng rng(seed, 0x119870000ull + c);
                std::fill(w.begin(), w.end(), 0.0);
                std::fill(wu.begin(), wu.end(), 0.0);
                double chartArea = 0;
                for (int t : chart.triangles) chartArea += triArea[t];
                // More probe points on bigger charts: partial visibility (a lamp seen through a door) matters there.
                const ChartRect& rect = atlas.charts[c];
                int points = std::clamp(rect.w * rect.h / 16, 4, 32);
                for (int k = 0; k < points; ++k) {
                    // Area-weighted point on the chart.
                    double pick = rng.uniform() * chartArea;
                    int ti = chart.triangles.back();
                    for (int t : chart.triangles) {
                        if (pick < triArea[t]) {
                            ti = t;
                            break;
                        }
                        pick -= triArea[t];
                    }
                    const Triangle& t = scene.triangles[ti];
                    float r1 = std::sqrt(rng.uniform()), r2 = rng.uniform();
                    Vec3 x = t.p[0] * (1 - r1) + t.p[1] * (r1 * (1 - r2)) + t.p[2] * (r1 * r2);
                    Vec3 n = normalize(t.n[0] * (1 - r1) + t.n[1] * (r1 * (1 - r2)) + t.n[2] * (r1 * r2));
                    Vec3 origin = x + geomNormal[ti] * kRayEpsilon;
                    for (std::size_t li = 0; li < nl; ++li) {
                        const Light& l = lights[li];
                        int lt;
                        float triProb;
                        Vec3 y;
                        if (!sampleFacing(l, origin, rng, lt, triProb, y)) continue;
                        Vec3 d = y - origin;
                        float dist2 = maxf(dot(d, d), 1e-6f);
                        float dist = std::sqrt(dist2);
                        Vec3 dir = d * (1.0f / dist);
                        float cosX = dot(n, dir), cosY = -dot(geomNormal[lt], dir);
                        if (cosX <= 0 || cosY <= 0) continue;
                        // Distances below the light's own size do not grow the weight further.
                        float g = cosX * cosY / maxf(dist2, 0.25f * l.area);
                        wu[li] += double(l.power) * g;
                        Ray shadow{origin, dir, dist * (1 - 1e-4f) - 1e-4f};
                        if (!bvh.occluded(shadow)) w[li] += double(l.power) * g;
                    }
                }
                double sum = 0, sumU = 0;
                for (std::size_t li = 0; li < nl; ++li) sum += w[li], sumU += wu[li];
                float* cdf = &chartLightCdf[c * nl];
                double acc = 0;
                for (std::size_t li = 0; li < nl; ++li) {
                    double global = lights[li].power / totalPower;
                    double p = 0.05 * global;
                    p += sumU > 0 ? 0.15 * wu[li] / sumU : 0.15 * global;
                    p += sum > 0 ? 0.8 * w[li] / sum : 0.8 * global;
                    acc += p;
                    cdf[li] = float(acc);
                }
                for (std::size_t li = 0; li < nl; ++li) cdf[li] = float(cdf[li] / acc);
                cdf[nl - 1] = 1.0f;
            }
        };
        runWorkers(threads, [&](int) { work(); });
    }

    // One light sample and one sun sample from point x on chart `chart`, as E/pi estimates. `select` in [0, 1)
    // picks the light; callers stratify it over a texel's samples so every light gets its share.
    Vec3 direct(Vec3 x, Vec3 n, Vec3 ng, int chart, float select, Rng& rng) const {
        Vec3 sum{0, 0, 0};
        Vec3 origin = x + ng * kRayEpsilon;
        if (!lights.empty()) {
            std::size_t nl = lights.size();
            const float* cdf = &chartLightCdf[std::size_t(chart) * nl];
            std::size_t i = std::size_t(std::upper_bound(cdf, cdf + nl, select) - cdf);
            i = std::min(i, nl - 1);
            float prob = cdf[i] - (i > 0 ? cdf[i - 1] : 0.0f);
            const Light& l = lights[i];
            int lt;
            float triProb;
            Vec3 y;
            if (prob > 0 && sampleFacing(l, origin, rng, lt, triProb, y)) {
                Vec3 d = y - origin;
                float dist2 = dot(d, d);
                if (dist2 > 1e-10f) {
                    float dist = std::sqrt(dist2);
                    Vec3 dir = d * (1.0f / dist);
                    float cosX = dot(n, dir), cosY = -dot(geomNormal[lt], dir);
                    if (cosX > 0 && cosY > 0 && dot(ng, dir) > 0) {
                        Ray shadow{origin, dir, dist * (1 - 1e-4f) - 1e-4f};
                        if (!bvh.occluded(shadow))
                            sum += l.radiance * (cosX * cosY * triArea[lt] / (kPi * dist2 * prob * triProb));
                    }
                }
            }
        }
        const Sun& sun = scene.sun;
        if (sun.enabled) {
            // Uniform direction in the sun's cone: soft-edged, but still sharp, shadows.
            Vec3 t, b;
            basis(sun.direction, t, b);
            float cosMax = std::cos(sun.angularRadius);
            float cz = 1 - rng.uniform() * (1 - cosMax), sz = std::sqrt(maxf(0.0f, 1 - cz * cz));
            float phi = 2 * kPi * rng.uniform();
            Vec3 dir = normalize(t * (sz * std::cos(phi)) + b * (sz * std::sin(phi)) + sun.direction * cz);
            float c = dot(n, dir);
            if (c > 0 && dot(ng, dir) > 0) {
                Ray shadow{origin, dir, 1e30f};
                if (!bvh.occluded(shadow)) sum += sun.irradiance * (c / kPi);
            }
        }
        return sum;
    }

    // Cosine-weighted incoming radiance at x that arrives after at least one bounce (or from the sky). Each
    // bounce's contribution is clamped to `clampLum` (luminance), the firefly clamp every production baker has.
    Vec3 indirect(Vec3 x, Vec3 n, Vec3 ng, float clampLum, Rng& rng) const {
        Vec3 L{0, 0, 0}, T{1, 1, 1};
        for (int k = 0; k < bounces; ++k) {
            Vec3 t, b;
            basis(n, t, b);
            float r = std::sqrt(rng.uniform()), phi = 2 * kPi * rng.uniform();
            float lx = r * std::cos(phi), ly = r * std::sin(phi), lz = std::sqrt(maxf(0.0f, 1 - r * r));
            Vec3 dir = normalize(t * lx + b * ly + n * lz);
            if (dot(dir, ng) <= 0) break;
            Ray ray{x + ng * kRayEpsilon, dir, 1e30f};
            Hit hit;
            if (!bvh.intersect(ray, hit)) {
                if (scene.sky.enabled) {
                    Vec3 c = T * scene.sky.radiance(dir);
                    float lum = luminance(c);
                    if (lum > clampLum) c *= clampLum / lum;
                    L += c;
                }
                break;
            }
            if (hit.backface) break;  // inside geometry: black, as bakers treat backfaces
            const Triangle& tri = scene.triangles[hit.triangle];
            T *= scene.materials[tri.material].albedo;
            if (maxComponent(T) < 1e-4f) break;
            float w0 = 1 - hit.u - hit.v;
            x = tri.p[0] * w0 + tri.p[1] * hit.u + tri.p[2] * hit.v;
            ng = geomNormal[hit.triangle];
            n = normalize(tri.n[0] * w0 + tri.n[1] * hit.u + tri.n[2] * hit.v);
            if (dot(n, ng) <= 0) n = ng;
            Vec3 c = T * direct(x, n, ng, tri.chart, rng.uniform(), rng);
            float lum = luminance(c);
            if (lum > clampLum) c *= clampLum / lum;
            L += c;
        }
        return L;
    }

    // Firefly clamp for bounce light: a multiple of the mean direct light over random points of the scene, so it
    // scales with the scene's exposure and only cuts the rare paths that land next to a tiny bright emitter.
    float indirectClamp(std::uint64_t seed) const {
        Rng rng(seed, 0xc1a3b);
        double total = 0, sum = 0;
        for (int t = 0; t < int(scene.triangles.size()); ++t) total += triArea[t];
        if (total <= 0) return 1e30f;
        constexpr int kSamples = 4096;
        for (int k = 0; k < kSamples; ++k) {
            double pick = rng.uniform() * total;
            int ti = 0;
            // Linear scan is fine: a few thousand samples over a few thousand triangles, once per bake.
            for (; ti + 1 < int(scene.triangles.size()) && pick >= triArea[ti]; ++ti) pick -= triArea[ti];
            const Triangle& t = scene.triangles[ti];
            float r1 = std::sqrt(rng.uniform()), r2 = rng.uniform();
            Vec3 x = t.p[0] * (1 - r1) + t.p[1] * (r1 * (1 - r2)) + t.p[2] * (r1 * r2);
            Vec3 d = direct(x, geomNormal[ti], geomNormal[ti], t.chart, rng.uniform(), rng);
            sum += minf(luminance(d), 1e6f) * scene.materials[t.material].albedo.y;
        }
        float mean = float(sum / kSamples);
        return mean > 0 ? 30.0f * mean : 1e30f;
    }

    // Surface point of triangle `ti` under atlas position (ax, ay), clamped inside the triangle.
    void surfacePoint(int ti, float ax, float ay, Vec3& p, Vec3& n, Vec3& ng) const {
        const Vec2* a = &atlas.triangleAtlas[std::size_t(ti) * 3];
        float area2 = (a[1].x - a[0].x) * (a[2].y - a[0].y) - (a[1].y - a[0].y) * (a[2].x - a[0].x);
        float w1 = ((ax - a[0].x) * (a[2].y - a[0].y) - (ay - a[0].y) * (a[2].x - a[0].x)) / area2;
        float w2 = ((a[1].x - a[0].x) * (ay - a[0].y) - (a[1].y - a[0].y) * (ax - a[0].x)) / area2;
        float w0 = 1 - w1 - w2;
        float m = inset[ti];
        w0 = maxf(w0, m), w1 = maxf(w1, m), w2 = maxf(w2, m);
        float s = 1.0f / (w0 + w1 + w2);
        w0 *= s, w1 *= s, w2 *= s;
        const Triangle& t = scene.triangles[ti];
        p = t.p[0] * w0 + t.p[1] * w1 + t.p[2] * w2;
        ng = geomNormal[ti];
        n = normalize(t.n[0] * w0 + t.n[1] * w1 + t.n[2] * w2);
        if (dot(n, ng) <= 0) n = ng;
    }
};

// Runs fn(y) for every row on `threads` threads (rows handed out dynamically; fn must only write row y).
template <typename Fn>
void parallelRows(int threads, int h, const Fn& fn) {
    std::atomic<int> next{0};
    auto work = [&]() {
        for (int y = next.fetch_add(1); y < h; y = next.fetch_add(1)) fn(y);
    };
    runWorkers(threads, [&](int) { work(); });
}

// Smooths the indirect term inside each chart (never across charts or creases), the way bakers denoise the
// slowly varying bounce light while direct light keeps its sharp shadows.
void filterIndirect(std::vector<Vec3>& indirect, const AtlasLayout& atlas, const Scene& scene,
                    const std::vector<Vec3>& normals, int radius, int threads) {
    if (radius <= 0) return;
    int w = atlas.width, h = atlas.height;
    std::vector<Vec3> out(indirect.size());
    float sigma2 = 2.0f * (0.6f * float(radius)) * (0.6f * float(radius));
    std::vector<float> kernel(std::size_t(2 * radius + 1));
    for (int d = -radius; d <= radius; ++d) kernel[std::size_t(d + radius)] = std::exp(-float(d * d) / sigma2);
    parallelRows(threads, h, [&](int y) {
        for (int x = 0; x < w; ++x) {
            std::size_t i = std::size_t(y) * w + x;
            int ti = atlas.texelTriangle[i];
            if (ti < 0) continue;
            int chart = scene.triangles[ti].chart;
            Vec3 sum{0, 0, 0};
            float wsum = 0;
            for (int dy = -radius; dy <= radius; ++dy) {
                int yy = y + dy;
                if (yy < 0 || yy >= h) continue;
                for (int dx = -radius; dx <= radius; ++dx) {
                    int xx = x + dx;
                    if (xx < 0 || xx >= w) continue;
                    std::size_t j = std::size_t(yy) * w + xx;
                    int tj = atlas.texelTriangle[j];
                    if (tj < 0 || scene.triangles[tj].chart != chart) continue;
                    float nd = dot(normals[i], normals[j]);
                    if (nd < 0.9f) continue;
                    float k = kernel[std::size_t(dx + radius)] * kernel[std::size_t(dy + radius)];
                    sum += indirect[j] * k;
                    wsum += k;
                }
            }
            out[i] = wsum > 0 ? sum * (1.0f / wsum) : indirect[i];
        }
    });
    indirect.swap(out);
}

// Edge-preserving filter of the direct term: neighbours (same chart, same facing) are averaged only as far as their
// difference is explained by the two texels' sampling noise, so shadow edges stay sharp while grain shrinks by
// about half; some residual noise remains, as in real bakes.
void filterDirect(std::vector<Vec3>& direct, const std::vector<float>& variance, const AtlasLayout& atlas,
                  const Scene& scene, const std::vector<Vec3>& normals, int threads) {
    constexpr int kRadius = 3;
    int w = atlas.width, h = atlas.height;
    std::vector<Vec3> out(direct);
    parallelRows(threads, h, [&](int y) {
        for (int x = 0; x < w; ++x) {
            std::size_t i = std::size_t(y) * w + x;
            int ti = atlas.texelTriangle[i];
            if (ti < 0 || variance[i] <= 0) continue;
            int chart = scene.triangles[ti].chart;
            float li = luminance(direct[i]);
            Vec3 sum{0, 0, 0};
            float wsum = 0;
            for (int dy = -kRadius; dy <= kRadius; ++dy) {
                int yy = y + dy;
                if (yy < 0 || yy >= h) continue;
                for (int dx = -kRadius; dx <= kRadius; ++dx) {
                    int xx = x + dx;
                    if (xx < 0 || xx >= w) continue;
                    std::size_t j = std::size_t(yy) * w + xx;
                    int tj = atlas.texelTriangle[j];
                    if (tj < 0 || scene.triangles[tj].chart != chart || dot(normals[i], normals[j]) < 0.9f) continue;
                    float diff = luminance(direct[j]) - li;
                    float range = diff * diff / (9.0f * (variance[i] + variance[j]) + 1e-20f);
                    float k = std::exp(-0.2f * float(dx * dx + dy * dy) - range);
                    sum += direct[j] * k;
                    wsum += k;
                }
            }
            if (wsum > 0) out[i] = sum * (1.0f / wsum);
        }
    });
    direct.swap(out);
}

// Fills uncovered texels next to charts with the mean of their filled neighbours, `iterations` rings deep.
void dilate(Image& image, const std::vector<int>& owner, int iterations) {
    int w = image.width(), h = image.height();
    std::vector<std::uint8_t> filled(owner.size());
    for (std::size_t i = 0; i < owner.size(); ++i) filled[i] = owner[i] >= 0;
    std::vector<std::size_t> ring;
    for (int it = 0; it < iterations; ++it) {
        ring.clear();
        for (int y = 0; y < h; ++y)
            for (int x = 0; x < w; ++x) {
                std::size_t i = std::size_t(y) * w + x;
                if (filled[i]) continue;
                float sum[3] = {0, 0, 0};
                int count = 0;
                for (int dy = -1; dy <= 1; ++dy)
                    for (int dx = -1; dx <= 1; ++dx) {
                        int nx = x + dx, ny = y + dy;
                        if ((dx == 0 && dy == 0) || nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
                        if (!filled[std::size_t(ny) * w + nx]) continue;
                        const float* v = image.texel(nx, ny);
                        sum[0] += v[0], sum[1] += v[1], sum[2] += v[2];
                        ++count;
                    }
                if (count == 0) continue;
                float* out = image.texel(x, y);
                for (int c = 0; c < 3; ++c) out[c] = sum[c] / float(count);
                ring.push_back(i);
            }
        if (ring.empty()) break;
        for (std::size_t i : ring) filled[i] = 1;
    }
}

}  // namespace

Result<BakePlan> planBake(const BakeSettings& settings) {
    if (auto st = validateBakeSettings(settings); !st) return st.error();
    BakePlan plan;
    plan.scene = generateScene(settings.style, settings.seed);
    auto atlas =
        packAtlas(plan.scene, settings.width, settings.height, settings.resolvedPadding(), settings.resolvedFill());
    if (!atlas) return atlas.error();
    plan.atlas = std::move(atlas).value();
    return plan;
}

Result<Image> bakeScene(const Scene& scene, const AtlasLayout& atlas, const BakeSettings& settings,
                        const CodecContext& context) {
    if (auto st = validateBakeSettings(settings); !st) return st.error();
    if (atlas.width <= 0 || atlas.height <= 0 ||
        atlas.texelTriangle.size() != std::size_t(atlas.width) * std::size_t(atlas.height) ||
        atlas.triangleAtlas.size() != scene.triangles.size() * 3)
        return makeError(ErrorCode::InvalidArgument, "the atlas layout does not belong to this scene");
    auto created = Image::create(atlas.width, atlas.height);
    if (!created) return created.error();
    Image image = std::move(created).value();
    image.ensureMask();
    std::uint8_t* mask = image.maskData();
    for (std::size_t i = 0; i < atlas.texelTriangle.size(); ++i) mask[i] = atlas.texelTriangle[i] >= 0 ? 1 : 0;

    const int threads = std::max(1, std::min(context.resolvedThreads(), atlas.height));
    Tracer tracer(scene, atlas);
    tracer.bounces = settings.resolvedBounces();
    tracer.buildLightSelection(threads, settings.seed);
    if (context.cancelled()) return cancelledError();
    const float clampLum = tracer.indirectClamp(settings.seed);
    context.report(0.02);
    // Direct light gets every sample; the smoother bounce light a quarter as many, then a chart-aware filter.
    const int spp = settings.resolvedSamples();
    const int indirectSpp = std::max(1, spp / 4);
    const int w = atlas.width, h = atlas.height;
    std::vector<Vec3> direct(std::size_t(w) * h), indirect(std::size_t(w) * h), normals(std::size_t(w) * h);
    std::vector<float> directVar(std::size_t(w) * h);
    std::atomic<int> nextRow{0}, rowsDone{0};
    std::atomic<bool> stop{false};

    auto worker = [&]() {
        for (;;) {
            int y = nextRow.fetch_add(1);
            if (y >= h || stop.load(std::memory_order_relaxed)) return;
            if (context.cancelled()) {
                stop = true;
                return;
            }
            for (int x = 0; x < w; ++x) {
                std::size_t index = std::size_t(y) * w + x;
                int ti = atlas.texelTriangle[index];
                if (ti < 0) continue;
                int chart = scene.triangles[ti].chart;
                Rng rng(settings.seed, index);
                Vec3 d{0, 0, 0}, ind{0, 0, 0}, p, n, ng;
                double lumSquares = 0;
                for (int s = 0; s < spp; ++s) {
                    tracer.surfacePoint(ti, float(x) + rng.uniform(), float(y) + rng.uniform(), p, n, ng);
                    Vec3 e = tracer.direct(p, n, ng, chart, (float(s) + rng.uniform()) / float(spp), rng);
                    d += e;
                    lumSquares += double(luminance(e)) * luminance(e);
                }
                for (int s = 0; s < indirectSpp; ++s) {
                    tracer.surfacePoint(ti, float(x) + rng.uniform(), float(y) + rng.uniform(), p, n, ng);
                    ind += tracer.indirect(p, n, ng, clampLum, rng);
                }
                tracer.surfacePoint(ti, float(x) + 0.5f, float(y) + 0.5f, p, n, ng);
                direct[index] = d * (1.0f / float(spp));
                double mean = luminance(direct[index]);
                // Variance of the mean (stratified light choice makes this an overestimate, which is safe).
                directVar[index] = float(std::max(0.0, lumSquares / spp - mean * mean) / spp);
                indirect[index] = ind * (1.0f / float(indirectSpp));
                normals[index] = n;
            }
            int done = rowsDone.fetch_add(1) + 1;
            context.report(0.02 + 0.96 * double(done) / double(h));
        }
    };
    runWorkers(threads, [&](int) { worker(); });
    if (stop || context.cancelled()) return cancelledError();

    filterIndirect(indirect, atlas, scene, normals, 4, threads);
    filterDirect(direct, directVar, atlas, scene, normals, threads);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            std::size_t index = std::size_t(y) * w + x;
            int ti = atlas.texelTriangle[index];
            if (ti < 0) continue;
            Vec3 value = direct[index] + indirect[index];
            if (settings.includeEmission) value += scene.materials[scene.triangles[ti].material].emission;
            float* out = image.texel(x, y);
            for (int c = 0; c < 3; ++c) {
                float v = value[c];
                out[c] = std::isfinite(v) ? std::clamp(v, 0.0f, 65504.0f) : 0.0f;
            }
        }
    if (settings.dilate) dilate(image, atlas.texelTriangle, atlas.padding);
    context.report(1.0);
    return image;
}

Result<Image> bakeLightmap(const BakeSettings& settings, const CodecContext& context) {
    auto plan = planBake(settings);
    if (!plan) return plan.error();
    if (context.cancelled()) return cancelledError();
    return bakeScene(plan->scene, plan->atlas, settings, context);
}

}  // namespace lmc
