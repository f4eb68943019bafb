#include "codec/baker/atlas.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

namespace lmc::baker {

double AtlasLayout::coveredFraction() const {
    if (texelTriangle.empty()) return 0;
    std::size_t n = 0;
    for (int t : texelTriangle) n += t >= 0;
    return double(n) / double(texelTriangle.size());
}

namespace {

// Skyline bottom-left packer: the top edge of what is packed so far, as horizontal segments.
class Skyline {
public:
    Skyline(int width, int height) : width_(width), height_(height) { segs_.push_back({0, 0, width}); }

    bool place(int w, int h, int& outX, int& outY) {
        int bestTop = 1 << 30, bestX = 0, bestY = 0, bestIndex = -1;
        for (std::size_t i = 0; i < segs_.size(); ++i) {
            int x = segs_[i].x;
            if (x + w > width_) break;
            int y = 0, covered = 0;
            for (std::size_t j = i; j < segs_.size() && covered < w; ++j) {
                y = std::max(y, segs_[j].y);
                covered = segs_[j].x + segs_[j].w - x;
            }
            if (y + h > height_) continue;
            if (y + h < bestTop || (y + h == bestTop && x < bestX))
                bestTop = y + h, bestX = x, bestY = y, bestIndex = int(i);
        }
        if (bestIndex < 0) return false;
        insert(bestX, bestY + h, w);
        outX = bestX, outY = bestY;
        return true;
    }

private:
    struct Seg {
        int x, y, w;
    };
    void insert(int x, int y, int w) {
        std::vector<Seg> fixed;
        fixed.reserve(segs_.size() + 2);
        bool inserted = false;
        for (const Seg& s : segs_) {
            int s0 = s.x, s1 = s.x + s.w;
            if (s1 <= x) {
                fixed.push_back(s);
                continue;
            }
            if (s0 >= x + w) {
                if (!inserted) fixed.push_back({x, y, w}), inserted = true;
                fixed.push_back(s);
                continue;
            }
            if (s0 < x) fixed.push_back({s0, s.y, x - s0});
            if (!inserted) fixed.push_back({x, y, w}), inserted = true;
            if (s1 > x + w) fixed.push_back({x + w, s.y, s1 - x - w});
        }
        if (!inserted) fixed.push_back({x, y, w});
        // Merge neighbours of equal height.
        segs_.clear();
        for (const Seg& s : fixed) {
            if (!segs_.empty() && segs_.back().y == s.y && segs_.back().x + segs_.back().w == s.x)
                segs_.back().w += s.w;
            else
                segs_.push_back(s);
        }
    }
    int width_, height_;
    std::vector<Seg> segs_;
};

float cross2(Vec2 a, Vec2 b) {
    return a.x * b.y - a.y * b.x;
}
Vec2 sub(Vec2 a, Vec2 b) {
    return {a.x - b.x, a.y - b.y};
}

}  // namespace

Result<AtlasLayout> packAtlas(const Scene& scene, int width, int height, int padding, float fill) {
    if (width < 8 || height < 8 || padding < 0 || padding * 4 >= std::min(width, height))
        return makeError(ErrorCode::InvalidArgument, "atlas " + std::to_string(width) + "x" + std::to_string(height) +
                                                         " with padding " + std::to_string(padding) + " is unusable");
    if (!(fill > 0 && fill <= 1)) return makeError(ErrorCode::InvalidArgument, "atlas fill must be in (0, 1]");
    if (scene.charts.empty()) return makeError(ErrorCode::InvalidArgument, "the scene has no charts to pack");
    const int pad = padding + (padding & 1);  // even, so borders get exactly half
    const int half = pad / 2;
    const int maxW = width - pad, maxH = height - pad;

    double total = 0;
    for (const auto& c : scene.charts)
        total += double(c.maxU - c.minU) * (c.maxV - c.minV) * double(c.scale) * double(c.scale);
    if (total <= 0) return makeError(ErrorCode::InvalidArgument, "the scene's charts have no area");

    std::size_t n = scene.charts.size();
    std::vector<int> cw(n), ch(n);
    std::vector<ChartRect> rects(n);
    std::vector<int> order(n);
    // When even tiny texel densities do not fit (more charts than a small atlas can hold at 2 x 2 each), the
    // smallest charts are left out, smallest first: their objects still cast shadows and bounce light but get no
    // texels, as small props lit by probes instead of lightmaps.
    std::vector<std::size_t> bySize(n);
    std::iota(bySize.begin(), bySize.end(), std::size_t{0});
    auto worldArea = [&](std::size_t i) {
        const Chart& c = scene.charts[i];
        return double(c.maxU - c.minU) * (c.maxV - c.minV) * double(c.scale) * double(c.scale);
    };
    std::stable_sort(bySize.begin(), bySize.end(),
                     [&](std::size_t a, std::size_t b) { return worldArea(a) < worldArea(b); });
    std::vector<char> dropped(n, 0);
    std::size_t droppedCount = 0;
    auto dropSmallest = [&](std::size_t count) {
        for (std::size_t k = droppedCount; k < std::min(n - 1, droppedCount + count); ++k) dropped[bySize[k]] = 1;
        droppedCount = std::min(n - 1, droppedCount + count);
    };
    // Charts are at least 2 x 2 plus padding: keep no more than fit in about 60% of the atlas at that size.
    const double minFootprint = double(2 + pad) * double(2 + pad);
    const double capacity = 0.6 * double(width) * double(height);
    if (double(n) * minFootprint > capacity) dropSmallest(n - std::size_t(std::max(1.0, capacity / minFootprint)));
    const double density0 = std::sqrt(double(fill) * width * height / total);
    double density = density0;
    bool packed = false;
    for (int attempt = 0; attempt < 400 && !packed; ++attempt, density *= 0.94) {
        if (attempt > 0 && attempt % 50 == 0) {
            dropSmallest(std::max<std::size_t>(1, (n - droppedCount) / 5));
            density = density0;
        }
        double used = 0;
        for (std::size_t i = 0; i < n; ++i) {
            if (dropped[i]) {
                cw[i] = ch[i] = 0;
                continue;
            }
            const Chart& c = scene.charts[i];
            double s = density * c.scale;
            double w = std::max(double(c.maxU - c.minU) * s, 0.0), h = std::max(double(c.maxV - c.minV) * s, 0.0);
            double shrink = std::min({1.0, maxW / std::max(w, 1e-9), maxH / std::max(h, 1e-9)});
            cw[i] = std::clamp(int(std::ceil(w * shrink)), 2, maxW);
            ch[i] = std::clamp(int(std::ceil(h * shrink)), 2, maxH);
            used += double(cw[i] + pad) * (ch[i] + pad);
        }
        if (used > double(width + pad) * (height + pad)) continue;
        std::iota(order.begin(), order.end(), 0);
        std::stable_sort(order.begin(), order.end(),
                         [&](int a, int b) { return ch[a] != ch[b] ? ch[a] > ch[b] : cw[a] > cw[b]; });
        Skyline sky(width, height);
        packed = true;
        for (int i : order) {
            if (dropped[i]) {
                rects[i] = ChartRect{};
                continue;
            }
            int x, y;
            if (!sky.place(cw[i] + pad, ch[i] + pad, x, y)) {
                packed = false;
                break;
            }
            rects[i] = {x + half, y + half, cw[i], ch[i], true};
        }
        if (packed) break;
    }
    if (!packed) return makeError(ErrorCode::Internal, "could not pack the scene's charts into the atlas");

    AtlasLayout atlas;
    atlas.width = width, atlas.height = height, atlas.padding = pad;
    atlas.density = float(density);
    atlas.charts = rects;
    atlas.texelTriangle.assign(std::size_t(width) * height, -1);
    atlas.triangleAtlas.resize(scene.triangles.size() * 3);
    for (std::size_t ci = 0; ci < n; ++ci) {
        const Chart& c = scene.charts[ci];
        const ChartRect& r = rects[ci];
        if (!r.placed) {
            // Off-atlas chart: far outside every texel, so it is never rasterised or sampled.
            for (int ti : c.triangles)
                for (int k = 0; k < 3; ++k) atlas.triangleAtlas[std::size_t(ti) * 3 + k] = {-1e6f, -1e6f};
            continue;
        }
        float du = c.maxU - c.minU, dv = c.maxV - c.minV;
        float sx = du > 0 ? float(r.w) / du : 0.0f, sy = dv > 0 ? float(r.h) / dv : 0.0f;
        for (int ti : c.triangles)
            for (int k = 0; k < 3; ++k) {
                const Vec2& uv = scene.triangles[ti].uv[k];
                atlas.triangleAtlas[std::size_t(ti) * 3 + k] = {float(r.x) + (uv.x - c.minU) * sx,
                                                                float(r.y) + (uv.y - c.minV) * sy};
            }
        // Two passes: texels whose centre lies in a triangle, then texels the triangles only partly overlap
        // (conservative rasterisation, as bakers do so chart borders are not lost).
        for (int pass = 0; pass < 2; ++pass)
            for (int ti : c.triangles) {
                Vec2 a = atlas.triangleAtlas[std::size_t(ti) * 3], b = atlas.triangleAtlas[std::size_t(ti) * 3 + 1],
                     cc = atlas.triangleAtlas[std::size_t(ti) * 3 + 2];
                float area2 = cross2(sub(b, a), sub(cc, a));
                if (std::fabs(area2) < 1e-9f) continue;
                if (area2 < 0) std::swap(b, cc), area2 = -area2;
                Vec2 edges[3][2] = {{b, cc}, {cc, a}, {a, b}};
                float slack[3];
                for (int e = 0; e < 3; ++e) {
                    Vec2 d = sub(edges[e][1], edges[e][0]);
                    float len = std::sqrt(d.x * d.x + d.y * d.y);
                    // Distance from a texel centre to its square's far corner along the edge normal.
                    slack[e] = pass == 0 ? 1e-5f * len : (0.5f * (std::fabs(d.x) + std::fabs(d.y)) - 1e-4f * len);
                }
                int x0 = std::max(r.x, int(std::floor(std::min({a.x, b.x, cc.x})) - 1));
                int x1 = std::min(r.x + r.w - 1, int(std::ceil(std::max({a.x, b.x, cc.x}))));
                int y0 = std::max(r.y, int(std::floor(std::min({a.y, b.y, cc.y})) - 1));
                int y1 = std::min(r.y + r.h - 1, int(std::ceil(std::max({a.y, b.y, cc.y}))));
                for (int y = y0; y <= y1; ++y)
                    for (int x = x0; x <= x1; ++x) {
                        int& owner = atlas.texelTriangle[std::size_t(y) * width + x];
                        if (owner >= 0) continue;
                        Vec2 p{float(x) + 0.5f, float(y) + 0.5f};
                        bool inside = true;
                        for (int e = 0; e < 3 && inside; ++e)
                            inside = cross2(sub(edges[e][1], edges[e][0]), sub(p, edges[e][0])) > -slack[e];
                        if (inside) owner = ti;
                    }
            }
    }
    return atlas;
}

}  // namespace lmc::baker
