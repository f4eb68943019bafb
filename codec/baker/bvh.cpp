#include "codec/baker/bvh.h"

#include <algorithm>
#include <cmath>

namespace lmc::baker {

namespace {

struct BuildItem {
    Vec3 lo, hi, centre;
    int index;
};

float area(Vec3 lo, Vec3 hi) {
    Vec3 d = hi - lo;
    if (d.x < 0) return 0;
    return 2 * (d.x * d.y + d.y * d.z + d.z * d.x);
}

struct Builder {
    std::vector<BuildItem>& items;
    std::vector<int>& order;
    int build(std::vector<std::pair<Vec3, Vec3>>& boxes, std::vector<int>& firsts, std::vector<int>& counts,
              std::vector<int>& rights, int begin, int end, int depth = 0) {
        int nodeIndex = int(boxes.size());
        Vec3 lo{1e30f, 1e30f, 1e30f}, hi{-1e30f, -1e30f, -1e30f}, clo = lo, chi = hi;
        for (int i = begin; i < end; ++i) {
            lo = vmin(lo, items[i].lo), hi = vmax(hi, items[i].hi);
            clo = vmin(clo, items[i].centre), chi = vmax(chi, items[i].centre);
        }
        boxes.push_back({lo, hi});
        firsts.push_back(begin);
        counts.push_back(end - begin);
        rights.push_back(-1);
        int n = end - begin;
        if (n <= 4 || depth >= 48) return nodeIndex;  // depth bound keeps the traversal stacks finite
        // Binned SAH on the axis of largest centroid extent.
        Vec3 ext = chi - clo;
        int axis = ext.x > ext.y ? (ext.x > ext.z ? 0 : 2) : (ext.y > ext.z ? 1 : 2);
        float span = ext[axis];
        int mid = begin + n / 2;
        if (span > 1e-12f) {
            constexpr int kBins = 16;
            struct Bin {
                Vec3 lo{1e30f, 1e30f, 1e30f}, hi{-1e30f, -1e30f, -1e30f};
                int count = 0;
            } bins[kBins];
            auto binOf = [&](const BuildItem& it) {
                int b = int((it.centre[axis] - clo[axis]) / span * kBins);
                return std::clamp(b, 0, kBins - 1);
            };
            for (int i = begin; i < end; ++i) {
                Bin& b = bins[binOf(items[i])];
                b.lo = vmin(b.lo, items[i].lo), b.hi = vmax(b.hi, items[i].hi), ++b.count;
            }
            float leftArea[kBins], rightArea[kBins];
            int leftCount[kBins], rightCount[kBins];
            Vec3 l0{1e30f, 1e30f, 1e30f}, l1{-1e30f, -1e30f, -1e30f};
            int c = 0;
            for (int i = 0; i < kBins; ++i) {
                l0 = vmin(l0, bins[i].lo), l1 = vmax(l1, bins[i].hi), c += bins[i].count;
                leftArea[i] = area(l0, l1), leftCount[i] = c;
            }
            l0 = {1e30f, 1e30f, 1e30f}, l1 = {-1e30f, -1e30f, -1e30f}, c = 0;
            for (int i = kBins - 1; i >= 0; --i) {
                l0 = vmin(l0, bins[i].lo), l1 = vmax(l1, bins[i].hi), c += bins[i].count;
                rightArea[i] = area(l0, l1), rightCount[i] = c;
            }
            float best = 1e30f;
            int bestSplit = -1;
            for (int i = 0; i + 1 < kBins; ++i) {
                if (leftCount[i] == 0 || rightCount[i + 1] == 0) continue;
                float cost = leftArea[i] * float(leftCount[i]) + rightArea[i + 1] * float(rightCount[i + 1]);
                if (cost < best) best = cost, bestSplit = i;
            }
            if (bestSplit >= 0) {
                auto it = std::partition(items.begin() + begin, items.begin() + end,
                                         [&](const BuildItem& x) { return binOf(x) <= bestSplit; });
                mid = int(it - items.begin());
            }
            if (mid == begin || mid == end) {
                mid = begin + n / 2;
                std::nth_element(
                    items.begin() + begin, items.begin() + mid, items.begin() + end,
                    [&](const BuildItem& a, const BuildItem& b) { return a.centre[axis] < b.centre[axis]; });
            }
        }
        counts[nodeIndex] = 0;
        build(boxes, firsts, counts, rights, begin, mid, depth + 1);
        int right = build(boxes, firsts, counts, rights, mid, end, depth + 1);
        rights[nodeIndex] = right;
        return nodeIndex;
    }
};

inline bool slab(const Vec3& lo, const Vec3& hi, const Vec3& o, const Vec3& inv, float tMax, float& tNear) {
    float tx0 = (lo.x - o.x) * inv.x, tx1 = (hi.x - o.x) * inv.x;
    float ty0 = (lo.y - o.y) * inv.y, ty1 = (hi.y - o.y) * inv.y;
    float tz0 = (lo.z - o.z) * inv.z, tz1 = (hi.z - o.z) * inv.z;
    float t0 = maxf(maxf(minf(tx0, tx1), minf(ty0, ty1)), maxf(minf(tz0, tz1), 0.0f));
    float t1 = minf(minf(maxf(tx0, tx1), maxf(ty0, ty1)), minf(maxf(tz0, tz1), tMax));
    tNear = t0;
    return t0 <= t1;
}

}  // namespace

void Bvh::build(const Scene& scene) {
    std::vector<BuildItem> items(scene.triangles.size());
    for (std::size_t i = 0; i < scene.triangles.size(); ++i) {
        const Triangle& t = scene.triangles[i];
        items[i].lo = vmin(t.p[0], vmin(t.p[1], t.p[2]));
        items[i].hi = vmax(t.p[0], vmax(t.p[1], t.p[2]));
        items[i].centre = (items[i].lo + items[i].hi) * 0.5f;
        items[i].index = int(i);
    }
    nodes_.clear();
    tris_.clear();
    if (items.empty()) return;
    std::vector<int> order;
    std::vector<std::pair<Vec3, Vec3>> boxes;
    std::vector<int> firsts, counts, rights;
    Builder builder{items, order};
    builder.build(boxes, firsts, counts, rights, 0, int(items.size()));
    nodes_.resize(boxes.size());
    for (std::size_t i = 0; i < boxes.size(); ++i) {
        nodes_[i].lo = boxes[i].first;
        nodes_[i].hi = boxes[i].second;
        nodes_[i].count = counts[i];
        nodes_[i].first = counts[i] > 0 ? firsts[i] : rights[i];
    }
    tris_.resize(items.size());
    for (std::size_t i = 0; i < items.size(); ++i) {
        const Triangle& t = scene.triangles[items[i].index];
        tris_[i] = {t.p[0], t.p[1] - t.p[0], t.p[2] - t.p[0], items[i].index};
    }
}

bool Bvh::intersect(const Ray& ray, Hit& hit) const {
    hit.triangle = -1;
    if (nodes_.empty()) return false;
    Vec3 inv{1.0f / ray.dir.x, 1.0f / ray.dir.y, 1.0f / ray.dir.z};
    float tBest = ray.tMax;
    int stack[64];
    int sp = 0;
    stack[sp++] = 0;
    while (sp > 0) {
        const Node& node = nodes_[stack[--sp]];
        float tn;
        if (!slab(node.lo, node.hi, ray.origin, inv, tBest, tn)) continue;
        if (node.count > 0) {
            for (int i = node.first; i < node.first + node.count; ++i) {
                const Tri& tri = tris_[i];
                Vec3 pv = cross(ray.dir, tri.e2);
                float det = dot(tri.e1, pv);
                if (std::fabs(det) < 1e-12f) continue;
                float invDet = 1.0f / det;
                Vec3 tv = ray.origin - tri.v0;
                float u = dot(tv, pv) * invDet;
                if (u < 0 || u > 1) continue;
                Vec3 qv = cross(tv, tri.e1);
                float v = dot(ray.dir, qv) * invDet;
                if (v < 0 || u + v > 1) continue;
                float t = dot(tri.e2, qv) * invDet;
                if (t > 0 && t < tBest) {
                    tBest = t;
                    hit.triangle = tri.index;
                    hit.t = t, hit.u = u, hit.v = v;
                    hit.backface = det < 0;  // dot(dir, cross(e1, e2)) > 0: the ray runs along the normal
                }
            }
        } else {
            int left = int(&node - nodes_.data()) + 1, right = node.first;
            // Visit the nearer child first.
            float tl, tr;
            bool hl = slab(nodes_[left].lo, nodes_[left].hi, ray.origin, inv, tBest, tl);
            bool hr = slab(nodes_[right].lo, nodes_[right].hi, ray.origin, inv, tBest, tr);
            if (hl && hr) {
                if (tl < tr) std::swap(left, right);
                stack[sp++] = left;
                stack[sp++] = right;
            } else if (hl) {
                stack[sp++] = left;
            } else if (hr) {
                stack[sp++] = right;
            }
        }
    }
    return hit.triangle >= 0;
}

bool Bvh::occluded(const Ray& ray) const {
    if (nodes_.empty()) return false;
    Vec3 inv{1.0f / ray.dir.x, 1.0f / ray.dir.y, 1.0f / ray.dir.z};
    int stack[64];
    int sp = 0;
    stack[sp++] = 0;
    while (sp > 0) {
        const Node& node = nodes_[stack[--sp]];
        float tn;
        if (!slab(node.lo, node.hi, ray.origin, inv, ray.tMax, tn)) continue;
        if (node.count > 0) {
            for (int i = node.first; i < node.first + node.count; ++i) {
                const Tri& tri = tris_[i];
                Vec3 pv = cross(ray.dir, tri.e2);
                float det = dot(tri.e1, pv);
                if (std::fabs(det) < 1e-12f) continue;
                float invDet = 1.0f / det;
                Vec3 tv = ray.origin - tri.v0;
                float u = dot(tv, pv) * invDet;
                if (u < 0 || u > 1) continue;
                Vec3 qv = cross(tv, tri.e1);
                float v = dot(ray.dir, qv) * invDet;
                if (v < 0 || u + v > 1) continue;
                float t = dot(tri.e2, qv) * invDet;
                if (t > 0 && t < ray.tMax) return true;
            }
        } else {
            stack[sp++] = node.first;
            stack[sp++] = int(&node - nodes_.data()) + 1;
        }
    }
    return false;
}

}  // namespace lmc::baker
