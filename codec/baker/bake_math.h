// Small vector maths and the deterministic random generator the lightmap baker is built on.
//
// Everything here is header-only, allocation-free and thread-safe (no shared state). Rng is PCG32: a tiny state,
// good statistical quality, and reproducible on every platform, so a bake depends only on its seed.
#pragma once

#include <cmath>
#include <cstdint>

namespace lmc::baker {

struct Vec2 {
    float x = 0, y = 0;
};

struct Vec3 {
    float x = 0, y = 0, z = 0;
    Vec3() = default;
    constexpr Vec3(float x_, float y_, float z_) : x(x_), y(y_), z(z_) {}
    float operator[](int i) const { return i == 0 ? x : (i == 1 ? y : z); }
    float& operator[](int i) { return i == 0 ? x : (i == 1 ? y : z); }
};

// Branch-free min/max that compile to single instructions (std::fmin/fmax are library calls at -O2 because of
// their NaN rules, and dominated the BVH traversal).
inline float minf(float a, float b) {
    return a < b ? a : b;
}
inline float maxf(float a, float b) {
    return a > b ? a : b;
}

inline Vec3 operator+(Vec3 a, Vec3 b) {
    return {a.x + b.x, a.y + b.y, a.z + b.z};
}
inline Vec3 operator-(Vec3 a, Vec3 b) {
    return {a.x - b.x, a.y - b.y, a.z - b.z};
}
inline Vec3 operator-(Vec3 a) {
    return {-a.x, -a.y, -a.z};
}
inline Vec3 operator*(Vec3 a, float s) {
    return {a.x * s, a.y * s, a.z * s};
}
inline Vec3 operator*(float s, Vec3 a) {
    return {a.x * s, a.y * s, a.z * s};
}
inline Vec3 operator*(Vec3 a, Vec3 b) {
    return {a.x * b.x, a.y * b.y, a.z * b.z};
}
inline Vec3& operator+=(Vec3& a, Vec3 b) {
    return a = a + b;
}
inline Vec3& operator*=(Vec3& a, Vec3 b) {
    return a = a * b;
}
inline Vec3& operator*=(Vec3& a, float s) {
    return a = a * s;
}
inline float dot(Vec3 a, Vec3 b) {
    return a.x * b.x + a.y * b.y + a.z * b.z;
}
inline Vec3 cross(Vec3 a, Vec3 b) {
    return {a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x};
}
inline float length(Vec3 a) {
    return std::sqrt(dot(a, a));
}
inline Vec3 normalize(Vec3 a) {
    float l = length(a);
    return l > 0 ? a * (1.0f / l) : Vec3{0, 0, 0};
}
inline Vec3 vmin(Vec3 a, Vec3 b) {
    return {minf(a.x, b.x), minf(a.y, b.y), minf(a.z, b.z)};
}
inline Vec3 vmax(Vec3 a, Vec3 b) {
    return {maxf(a.x, b.x), maxf(a.y, b.y), maxf(a.z, b.z)};
}
inline float maxComponent(Vec3 a) {
    return maxf(a.x, maxf(a.y, a.z));
}
inline float luminance(Vec3 c) {
    return 0.2126f * c.x + 0.7152f * c.y + 0.0722f * c.z;
}

// Orthonormal basis around a unit normal (Duff et al. 2017, branchless).
inline void basis(Vec3 n, Vec3& t, Vec3& b) {
    float sign = std::copysign(1.0f, n.z);
    float a = -1.0f / (sign + n.z);
    float c = n.x * n.y * a;
    t = {1.0f + sign * n.x * n.x * a, sign * c, -sign * n.x};
    b = {c, sign + n.y * n.y * a, -n.y};
}

inline std::uint64_t mix64(std::uint64_t z) {  // SplitMix64 finaliser
    z += 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

class Rng {
public:
    explicit Rng(std::uint64_t seed = 0, std::uint64_t stream = 0) {
        state_ = 0;
        inc_ = (mix64(stream) << 1u) | 1u;
        next();
        state_ += mix64(seed);
        next();
    }
    std::uint32_t next() {
        std::uint64_t old = state_;
        state_ = old * 6364136223846793005ull + inc_;
        auto xorshifted = std::uint32_t(((old >> 18u) ^ old) >> 27u);
        auto rot = std::uint32_t(old >> 59u);
        return (xorshifted >> rot) | (xorshifted << ((32u - rot) & 31u));
    }
    // Uniform in [0, 1).
    float uniform() { return float(next() >> 8) * (1.0f / 16777216.0f); }
    float uniform(float lo, float hi) { return lo + (hi - lo) * uniform(); }
    // Uniform integer in [lo, hi].
    int range(int lo, int hi) { return lo + int(next() % std::uint32_t(hi - lo + 1)); }
    bool chance(float p) { return uniform() < p; }

private:
    std::uint64_t state_, inc_;
};

}  // namespace lmc::baker
