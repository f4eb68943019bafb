// Bounding volume hierarchy over a scene's triangles: closest-hit and any-hit ray queries for the baker.
//
// Built once with binned SAH (16 bins, leaves of up to 4 triangles); triangles are stored reordered in a compact
// precomputed form (vertex + two edges), so traversal touches only the node and triangle arrays.
// Threading: build on one thread; queries are const and safe from any number of threads.
#pragma once

#include <cstdint>
#include <vector>

#include "codec/baker/bake_math.h"
#include "codec/baker/scene.h"

namespace lmc::baker {

struct Ray {
    Vec3 origin;
    Vec3 dir;  // unit
    float tMax = 1e30f;
};

struct Hit {
    int triangle = -1;  // index into Scene::triangles, -1 for a miss
    float t = 0;
    float u = 0, v = 0;  // barycentrics of p[1] and p[2]
    bool backface = false;
};

class Bvh {
public:
    void build(const Scene& scene);
    bool intersect(const Ray& ray, Hit& hit) const;  // closest hit
    bool occluded(const Ray& ray) const;             // any hit before tMax
    std::size_t nodeCount() const { return nodes_.size(); }

private:
    struct Node {
        Vec3 lo, hi;
        int first = 0;  // leaf: first triangle; inner: right child (left child is this + 1)
        int count = 0;  // > 0 for leaves
    };
    struct Tri {
        Vec3 v0, e1, e2;
        int index;
    };
    std::vector<Node> nodes_;
    std::vector<Tri> tris_;
};

}  // namespace lmc::baker
