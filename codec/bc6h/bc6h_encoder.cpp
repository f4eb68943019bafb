#include "codec/bc6h/bc6h_encoder.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <new>
#include <type_traits>
#include <vector>

#include "codec/bc6h/bc6h_decoder.h"
#include "codec/bc6h/bc6h_parallel.h"
#include "codec/bc6h/bc6h_tables.h"

namespace lmc::bc6h {

namespace {

constexpr float kBig = 3.0e38f;
constexpr float kLuminance[3] = {0.2126f, 0.7152f, 0.0722f};
constexpr float kDarkFloorFraction = 0.5f;  // automatic dark floor: half the 1st percentile of lit luminance
constexpr int kOneRegionShape = 32;

// ---- SIMD ----------------------------------------------------------------------------------------------------------
// GCC/Clang vector extensions: SSE2 on x86-64, NEON on ARM, no -march needed. 4 lanes; RGB uses lanes 0..2.

typedef float V4f __attribute__((vector_size(16)));
typedef std::int32_t V4i __attribute__((vector_size(16)));

inline V4f load4(const float* p) {
    V4f v;
    std::memcpy(&v, p, sizeof(v));
    return v;
}
inline V4i load4i(const int* p) {
    V4i v;
    std::memcpy(&v, p, sizeof(v));
    return v;
}
inline void store4(float* p, V4f v) {
    std::memcpy(p, &v, sizeof(v));
}
inline void store4i(int* p, V4i v) {
    std::memcpy(p, &v, sizeof(v));
}
inline V4f splat(float x) {
    return V4f{x, x, x, x};
}
inline V4i splati(int x) {
    return V4i{x, x, x, x};
}
inline V4f select(V4i mask, V4f a, V4f b) {
    return V4f((V4i(a) & mask) | (V4i(b) & ~mask));
}
inline V4i selecti(V4i mask, V4i a, V4i b) {
    return (a & mask) | (b & ~mask);
}
inline V4f vmin(V4f a, V4f b) {
    return select(a < b, a, b);
}
inline V4f vmax(V4f a, V4f b) {
    return select(a > b, a, b);
}
inline V4i vmini(V4i a, V4i b) {
    return selecti(a < b, a, b);
}
inline V4i vmaxi(V4i a, V4i b) {
    return selecti(a > b, a, b);
}
inline V4f vabs(V4f a) {
    return V4f(V4i(a) & splati(0x7FFFFFFF));
}
// Truncates towards zero (callers keep values within int range).
inline V4i toInt(V4f x) {
    return __builtin_convertvector(x, V4i);
}
inline V4f toFloat(V4i x) {
    return __builtin_convertvector(x, V4f);
}
inline V4f truncate(V4f x) {
    return toFloat(toInt(x));
}
inline float sum4(V4f v) {
    return (v[0] + v[1]) + (v[2] + v[3]);
}
inline float sum3(V4f v) {
    return v[0] + v[1] + v[2];
}
inline V4f vsqrt(V4f v) {
    return V4f{std::sqrt(v[0]), std::sqrt(v[1]), std::sqrt(v[2]), std::sqrt(v[3])};
}

// ---- Search effort per level ---------------------------------------------------------------------------------

struct LevelConfig {
    int oneRegionModes;     // one-region modes (ranked by estimate) refined
    int partitions;         // two-region partitions tried (ranked by estimate)
    bool maskMatch;         // choose the one partition by matching a two-cluster split (cheap) instead of ranking
    float twoRegionGate;    // try two regions only when one region leaves more error per value than this
    int modesPerPartition;  // two-region modes (ranked by estimate) refined per partition
    int lsRounds;           // rounds of least-squares endpoints + optimal indices
    int searchCandidates;   // best candidates that get the endpoint search
    int searchPasses;       // +-1 passes over every quantized endpoint value
    int quickScored;        // partitions (best by estimate) measured with one quick fit before choosing `partitions`
    bool blackSplit;  // also refine the partition matched to the block's black/lit split (see blackSplitPartition)
    // Hard blocks, whose best refined candidate leaves more error per value than hardError (0 = no such rule):
    float hardError;
    bool darkEndpoints;   // refined candidates above hardError lift their black endpoints (liftBlackEndpoints)
    int hardCandidates;   // ... and the endpoint search covers this many candidates
    int hardPasses;       // ... with this many passes
    int hardQuickScored;  // ... and of the best hardQuickScored partitions by estimate, the best hardPartitions by
    int hardPartitions;   // quick fit that the search before left out are refined too (before the endpoint search)
    bool directConstant;  // code blocks of 16 equal texels directly (encodeConstantBlock)
};

constexpr LevelConfig kConfigs[5] = {
    {1, 1, true, 24.0f, 1, 1, 0, 0, 0, false, 0.0f, false, 0, 0, 0, 0, true},     // fast
    {2, 2, false, 0.0f, 1, 2, 0, 0, 0, false, 1000.0f, true, 2, 2, 8, 1, false},  // normal
    {4, 4, false, 0.0f, 2, 2, 2, 3, 16, true, 1000.0f, true, 4, 6, 0, 0, false},  // high
    {4, 32, false, 0.0f, 10, 4, 8, 6, 0, false, 0.0f, false, 0, 0, 0, 0, false},  // max: every partition, every mode
    {4, 32, false, 0.0f, 10, 6, 8, 6, 0, false, 0.0f, false, 0, 0, 0, 0, false},  // exhaustive: as max, more LS rounds
};
constexpr int kMaxShortlist = 8;

// ---- Region layouts --------------------------------------------------------------------------------------------

struct Shape {
    int regions = 1;
    int count[2] = {};
    int anchorPos[2] = {};  // position of the region's anchor texel in texels[r]
    std::uint8_t texels[2][16] = {};
};

struct ShapeTable {
    Shape shapes[33];
    alignas(16) float inRegion1[16][32];  // 1 when texel i is in region 1 of partition p
    alignas(16) float count1[32];         // texels in region 1
    alignas(16) int region1Mask[32][16];  // -1 when texel i is in region 1 of partition p, else 0
    alignas(16) float in0[32][16];        // 1 when texel i is in region 0 of partition p, else 0
    alignas(16) float in1[32][16];        // 1 when texel i is in region 1 of partition p, else 0

    ShapeTable() {
        for (int p = 0; p <= 32; ++p) {
            Shape& s = shapes[p];
            s.regions = p == kOneRegionShape ? 1 : 2;
            for (int i = 0; i < 16; ++i) {
                const int r = p == kOneRegionShape ? 0 : kPartitions[p][i];
                const int anchor = r == 0 ? 0 : kAnchor2[p];
                if (i == anchor) s.anchorPos[r] = s.count[r];
                s.texels[r][s.count[r]++] = std::uint8_t(i);
            }
        }
        for (int p = 0; p < 32; ++p) {
            count1[p] = 0;
            for (int i = 0; i < 16; ++i) {
                inRegion1[i][p] = float(kPartitions[p][i]);
                region1Mask[p][i] = kPartitions[p][i] ? -1 : 0;
                in1[p][i] = float(kPartitions[p][i]);
                in0[p][i] = 1.0f - in1[p][i];
                count1[p] += inRegion1[i][p];
            }
        }
    }
};

const ShapeTable& shapeTable() {
    static const ShapeTable table;
    return table;
}

// ---- Block data in the encoder's domains -----------------------------------------------------------------------

// The error space. Decoded half codes and the input are compared as log codes: the continuous half code (1024
// steps per octave above 2^-14), continued logarithmically through the subnormal range down to 2^-24 and then
// linearly to -10240 at zero. Half codes themselves are linear below 2^-14, where they would make 0 and 2^-16
// look close although they are as far apart as 1 and 2^12 for any display exposed to see them.
inline float logCode(float code) {  // code = |continuous half code|
    if (code >= 1024.0f) return code;
    if (code >= 1.0f) return 1024.0f * (std::log2(code) - 9.0f);
    return -10240.0f + 1024.0f * code;
}
// SF16 values are compared as sign * (logCode(|code|) + 10240), which is 0 at 0 and so monotonic across zero.
constexpr float kSignedLogOffset = 10240.0f;

// G maps every decodable half code (index code + bias) into the error space; mapBelowOnly when G is the identity
// for |code| >= 1024, so palettes that stay above need no lookup.
struct Space {
    bool isSigned = false;
    const float* map = nullptr;
    int bias = 0;
    bool mapBelowOnly = false;
};

// G(x) = logCode(x) by default. With a dark floor f > 0, G(x) = logCode(|x| + f) - logCode(f) with x's sign:
// texels far below f weigh less (their relative error stops mattering, as on a display exposed for brighter
// surfaces).
struct ErrorSpace {
    Space space;
    float floor = 0.0f;
    float floorCode = 0.0f;    // logCode(chc(floor))
    float noise = 0.0f;        // EncodeSettings::transcodeNoise (0: every channel weighs 1)
    std::vector<float> table;  // per-encode table when floor > 0

    void build(bool isSigned, float darkFloor);
};

struct Region {
    int n = 0;
    int anchor = 0;
    alignas(16) float valid[16];  // 1 for the region's texels, 0 for padding lanes
    alignas(16) float wt[16];     // error weight of each texel (coverage, in-image), 0 for padding lanes
    alignas(16) float h[3][16];   // targets in the error space; padding lanes hold copies of the first texel
    alignas(16) float t[3][16];   // targets in the interpolation (unquantized) domain the endpoints live in
    alignas(16) float lw[3][16];  // least-squares weights: wt times the squared slope of G at the texel
    // Per-channel error weights of a transcode (applyTexelFloor); when false every channel weighs 1 and cw is unset.
    bool channelWeighted = false;
    alignas(16) float cw[3][16];
};

struct BlockData {
    Space space;
    Region all;  // the whole block as one region (anchor texel 0)
};

void gatherRegion(const BlockData& b, const Shape& shape, int r, Region& out) {
    out.n = shape.count[r];
    out.anchor = shape.anchorPos[r];
    out.channelWeighted = b.all.channelWeighted;
    for (int j = 0; j < 16; ++j) {
        const bool in = j < out.n;
        const int src = in ? shape.texels[r][j] : shape.texels[r][0];
        out.valid[j] = in ? 1.0f : 0.0f;
        out.wt[j] = in ? b.all.wt[src] : 0.0f;
        for (int c = 0; c < 3; ++c) {
            out.h[c][j] = b.all.h[c][src];
            out.t[c][j] = b.all.t[c][src];
            out.lw[c][j] = in ? b.all.lw[c][src] : 0.0f;
            if (out.channelWeighted) out.cw[c][j] = b.all.cw[c][src];
        }
    }
}

// ---- Endpoint codes ----------------------------------------------------------------------------------------------

inline int codeMin(int bits, bool isSigned) {
    return isSigned ? -((1 << (bits - 1)) - 1) : 0;
}
inline int codeMax(int bits, bool isSigned) {
    return isSigned ? (1 << (bits - 1)) - 1 : (1 << bits) - 1;
}

// The codes whose unquantized values are nearest to v (interpolation domain), up to the integer rounding inside
// unquantize and its special end codes: unquantize maps code q to about (q + 0.5) * 2^16 / 2^bits (UF16; SF16
// likewise on magnitudes), so the nearest code is floor(v * 2^bits / 2^16). The endpoint search of the higher
// levels corrects the rare off-by-one. SF16 never produces -2^(bits-1) (it would alias -(2^(bits-1) - 1), and at
// 16 bits decode to -Inf).
inline V4i quantize4(V4f v, int bits, bool isSigned) {
    if (!isSigned) {
        const V4f x = vmin(vmax(v, splat(0.0f)), splat(65535.0f));
        if (bits >= 15) return toInt(x + 0.5f);
        return vmini(toInt(x * (float(1 << bits) * (1.0f / 65536.0f))), splati((1 << bits) - 1));
    }
    const V4f mag = vmin(vabs(v), splat(32767.0f));
    const V4i q = bits >= 16
                      ? toInt(mag + 0.5f)
                      : vmini(toInt(mag * (float(1 << (bits - 1)) * (1.0f / 32768.0f))), splati((1 << (bits - 1)) - 1));
    return selecti(v < splat(0.0f), -q, q);
}

// d modulo 2^bits, as the representative in [-2^(bits-1), 2^(bits-1)): the decoder adds deltas modulo 2^bits.
inline int wrapDelta(int d, int bits) {
    const int half = 1 << (bits - 1);
    return ((d + half) & ((1 << bits) - 1)) - half;
}

inline bool deltaFits(int d, int epb, int deltaBits) {
    const int w = wrapDelta(d, epb);
    return w >= -(1 << (deltaBits - 1)) && w < (1 << (deltaBits - 1));
}

struct Candidate {
    int mode = -1;
    int shape = kOneRegionShape;
    alignas(16) int codes[4][4] = {};  // endpoint codes after the inverse transform (lanes 0..2 = RGB)
    int local[2][16] = {};             // indices per region, in region order
    float regionError[2] = {0, 0};
    float error = kBig;
};
// The shortlist keeps candidates in raw storage and copies over them with placement new, never destroying them.
static_assert(std::is_trivially_copyable_v<Candidate> && std::is_trivially_destructible_v<Candidate>);

// Quantizes float endpoints to a mode; in transformed modes deltas that do not fit their fields (even with
// wrap-around) are clamped, which moves that endpoint towards the base.
void quantizeEndpoints(const float e[4][4], const Bc6hMode& mode, bool isSigned, int codes[4][4]) {
    const int count = 2 * mode.regions, epb = mode.endpointBits;
    V4i q[4];
    for (int k = 0; k < count; ++k) q[k] = quantize4(load4(e[k]), epb, isSigned);
    if (mode.transformed) {
        const V4i lim =
            V4i{1 << (mode.deltaBits[0] - 1), 1 << (mode.deltaBits[1] - 1), 1 << (mode.deltaBits[2] - 1), 1 << 30};
        const V4i half = splati(1 << (epb - 1)), mask = splati((1 << epb) - 1);
        for (int k = 1; k < count; ++k) {
            const V4i d = q[k] - q[0];
            const V4i w = ((d + half) & mask) - half;
            const V4i fits = (w >= -lim) & (w < lim);
            q[k] = selecti(fits, q[k], q[0] + vmaxi(vmini(d, lim - 1), -lim));
        }
    }
    for (int k = 0; k < count; ++k) store4i(codes[k], q[k] & V4i{-1, -1, -1, 0});
}

// ---- Index selection -------------------------------------------------------------------------------------------

struct FloatWeights {
    alignas(16) float w[16];
    alignas(16) float iw[16];  // 64 - w
};
constexpr FloatWeights makeFloatWeights(const int* weights, int n) {
    FloatWeights f{};
    for (int k = 0; k < n; ++k) {
        f.w[k] = float(weights[k]);
        f.iw[k] = float(64 - weights[k]);
    }
    return f;
}
constexpr FloatWeights kFloatWeights3 = makeFloatWeights(kWeights3, 8);
constexpr FloatWeights kFloatWeights4 = makeFloatWeights(kWeights4, 16);

// The decoder's palette (interpolate, then finish_unquantize) as signed half codes, 4 entries per step. Every
// intermediate is an integer below 2^24, so float arithmetic is exact; the shifts become exact divisions by powers
// of two followed by floor (truncation for non-negative values).
void buildPalette(const int a[4], const int b[4], int epb, const Space& space, int levels, float pal[3][16]) {
    const FloatWeights& fw = levels == 8 ? kFloatWeights3 : kFloatWeights4;
    const bool isSigned = space.isSigned;
    for (int c = 0; c < 3; ++c) {
        const V4f ua = splat(float(unquantize(a[c], epb, isSigned)));
        const V4f ub = splat(float(unquantize(b[c], epb, isSigned)));
        for (int k = 0; k < levels; k += 4) {
            const V4f v = (ua * load4(fw.iw + k) + ub * load4(fw.w + k) + 32.0f) * (1.0f / 64.0f);
            V4f out;
            if (!isSigned) {
                out = truncate(truncate(v) * (31.0f / 64.0f));
            } else {
                V4f q = truncate(v);
                q = select(q > v, q - 1.0f, q);  // floor, as the specification's arithmetic shift
                const V4f mag = truncate(vabs(q) * (31.0f / 32.0f));
                out = select(q < splat(0.0f), -mag, mag);
            }
            store4(pal[c] + k, out);
        }
    }
    if (space.map != nullptr)
        for (int c = 0; c < 3; ++c) {
            // Palettes are monotonic in k: the ends bound every entry.
            if (space.mapBelowOnly && std::min(pal[c][0], pal[c][levels - 1]) >= 1024.0f) continue;
            for (int k = 0; k < levels; ++k) pal[c][k] = space.map[int(pal[c][k]) + space.bias];
        }
}

// Nearest palette entry per texel (squared error summed over RGB), NV vectors of 4 texels.
template <int NV, bool Weighted>
void nearestEntries(const float pal[3][16], int levels, const Region& region, float best[16], int idx[16]) {
    V4f h[3][NV], w[3][NV], b[NV];
    V4i bi[NV];
    for (int v = 0; v < NV; ++v) {
        for (int c = 0; c < 3; ++c) {
            h[c][v] = load4(region.h[c] + 4 * v);
            if (Weighted) w[c][v] = load4(region.cw[c] + 4 * v);
        }
        b[v] = splat(kBig);
        bi[v] = splati(0);
    }
    for (int k = 0; k < levels; ++k) {
        const V4f pr = splat(pal[0][k]), pg = splat(pal[1][k]), pb = splat(pal[2][k]);
        const V4i kk = splati(k);
        for (int v = 0; v < NV; ++v) {
            const V4f dr = pr - h[0][v], dg = pg - h[1][v], db = pb - h[2][v];
            const V4f e =
                Weighted ? w[0][v] * dr * dr + w[1][v] * dg * dg + w[2][v] * db * db : dr * dr + dg * dg + db * db;
            const V4i better = e < b[v];
            b[v] = select(better, e, b[v]);
            bi[v] = selecti(better, kk, bi[v]);
        }
    }
    for (int v = 0; v < NV; ++v) {
        store4(best + 4 * v, b[v]);
        store4i(idx + 4 * v, bi[v]);
    }
}

// nearestEntries for a region of nv vectors (1..4).
template <bool Weighted>
void nearestEntriesOf(int nv, const float pal[3][16], int levels, const Region& region, float best[16], int idx[16]) {
    switch (nv) {
        case 1:
            nearestEntries<1, Weighted>(pal, levels, region, best, idx);
            break;
        case 2:
            nearestEntries<2, Weighted>(pal, levels, region, best, idx);
            break;
        case 3:
            nearestEntries<3, Weighted>(pal, levels, region, best, idx);
            break;
        default:
            nearestEntries<4, Weighted>(pal, levels, region, best, idx);
            break;
    }
}

// Builds the palette the decoder will build from endpoint codes a, b and picks for every texel of the region the
// index with the least error. With restrictAnchor the anchor texel is limited to the lower half of the palette
// (its stored index has one bit less). Returns the region's weighted error.
float evalRegion(const Region& region, const int a[4], const int b[4], int epb, const Space& space, bool twoRegions,
                 bool restrictAnchor, int idx[16]) {
    const int levels = twoRegions ? 8 : 16;
    alignas(16) float pal[3][16];
    buildPalette(a, b, epb, space, levels, pal);
    // Zeroed: nearestEntries fills only ceil(n / 4) vectors, and the weighted sum below reads all four (weights are
    // 0 past n, but 0 * a stale NaN/Inf from the stack would still poison the error).
    alignas(16) float best[16] = {};
    const int nv = (region.n + 3) >> 2;
    if (region.channelWeighted)
        nearestEntriesOf<true>(nv, pal, levels, region, best, idx);
    else
        nearestEntriesOf<false>(nv, pal, levels, region, best, idx);
    if (restrictAnchor && idx[region.anchor] >= levels / 2) {
        const int j = region.anchor;
        best[j] = kBig;
        const bool weighted = region.channelWeighted;
        for (int k = 0; k < levels / 2; ++k) {
            const float dr = pal[0][k] - region.h[0][j], dg = pal[1][k] - region.h[1][j],
                        db = pal[2][k] - region.h[2][j];
            const float e = weighted ? region.cw[0][j] * dr * dr + region.cw[1][j] * dg * dg + region.cw[2][j] * db * db
                                     : dr * dr + dg * dg + db * db;
            if (e < best[j]) best[j] = e, idx[j] = k;
        }
    }
    V4f sum = splat(0.0f);
    for (int v = 0; v < 4; ++v) sum += load4(best + 4 * v) * load4(region.wt + 4 * v);  // wt = 0 past n
    return sum4(sum);
}

// Region 0's anchor is restricted in transformed modes (swapping its endpoints would change the base the deltas
// hang on); every other region is free: packCandidate swaps its endpoints when its anchor index is high.
void evaluate(const Region* regions, const Bc6hMode& mode, const Space& space, Candidate& cand) {
    cand.error = 0;
    for (int r = 0; r < mode.regions; ++r) {
        cand.regionError[r] = evalRegion(regions[r], cand.codes[2 * r], cand.codes[2 * r + 1], mode.endpointBits, space,
                                         mode.regions == 2, r == 0 && mode.transformed, cand.local[r]);
        cand.error += cand.regionError[r];
    }
}

// ---- Endpoint fitting --------------------------------------------------------------------------------------------

// Weighted least-squares endpoints for fixed indices, per channel (the palette is linear in the endpoints in the
// interpolation domain). False when the indices do not determine two endpoints (e.g. all equal).
bool leastSquares(const Region& region, const int idx[16], bool twoRegions, float a[4], float b[4]) {
    const FloatWeights& fw = twoRegions ? kFloatWeights3 : kFloatWeights4;
    alignas(16) float wv[16];
    for (int j = 0; j < 16; ++j) wv[j] = fw.w[idx[j]] * (1.0f / 64.0f);
    const int nv = (region.n + 3) >> 2;
    float sol[2][3];
    for (int c = 0; c < 3; ++c) {
        V4f aa = splat(0), ab = splat(0), bb = splat(0), xa = splat(0), xb = splat(0);
        for (int v = 0; v < nv; ++v) {
            const V4f lw = load4(region.lw[c] + 4 * v);
            const V4f w = load4(wv + 4 * v), u = 1.0f - w;
            const V4f t = load4(region.t[c] + 4 * v) * lw;
            aa += u * u * lw;
            ab += u * w * lw;
            bb += w * w * lw;
            xa += u * t;
            xb += w * t;
        }
        const float saa = sum4(aa), sab = sum4(ab), sbb = sum4(bb);
        const float det = saa * sbb - sab * sab;
        if (!(det > 1e-6f * (saa + sbb) * (saa + sbb)) || !(det > 1e-20f)) return false;
        const float inv = 1.0f / det, sa = sum4(xa), sb = sum4(xb);
        sol[0][c] = (sbb * sa - sab * sb) * inv;
        sol[1][c] = (saa * sb - sab * sa) * inv;
    }
    for (int c = 0; c < 3; ++c) {
        a[c] = sol[0][c];
        b[c] = sol[1][c];
    }
    a[3] = b[3] = 0.0f;
    return true;
}

// Principal-axis fit: endpoints at the extreme projections of the region's texels on the axis, oriented so the
// anchor texel is nearer endpoint a.
struct LineStats {
    float cov[6] = {0, 0, 0, 0, 0, 0};  // {xx, yy, zz, xy, xz, yz} in the interpolation domain
    float axis[3] = {0.57735f, 0.57735f, 0.57735f};
};

void fitLine(const Region& region, float a[4], float b[4], LineStats* stats = nullptr) {
    const int nv = (region.n + 3) >> 2;
    V4f t[3][4];
    V4f sum[3] = {splat(0), splat(0), splat(0)};
    float mean[3];
    // With channel weights the line is fitted to deviations scaled by the square roots of the weights (means
    // weighted likewise), so a channel that does not count cannot set the axis. The endpoints are placed along that
    // scaled axis, which starts a partly weighted channel's range shrunk by its scale; the least-squares rounds that
    // follow refit it. Placing them along the axis mapped back to unscaled values measured slightly worse on the
    // training maps (JPEG XL d0.1-1 decodes -> normal: -0.016 dB log-PSNR on mean, worst row -0.15).
    V4f s[3][4];
    if (!region.channelWeighted) {
        for (int v = 0; v < nv; ++v) {
            const V4f valid = load4(region.valid + 4 * v);
            for (int c = 0; c < 3; ++c) {
                t[c][v] = load4(region.t[c] + 4 * v);
                sum[c] += t[c][v] * valid;
            }
        }
        const float invN = 1.0f / float(region.n);
        for (int c = 0; c < 3; ++c) mean[c] = sum4(sum[c]) * invN;
    } else {
        V4f wsum[3] = {splat(0), splat(0), splat(0)};
        for (int v = 0; v < nv; ++v) {
            const V4f valid = load4(region.valid + 4 * v);
            for (int c = 0; c < 3; ++c) {
                const V4f w = load4(region.cw[c] + 4 * v) * valid;
                s[c][v] = vsqrt(w);
                t[c][v] = load4(region.t[c] + 4 * v);
                sum[c] += t[c][v] * w;
                wsum[c] += w;
            }
        }
        for (int c = 0; c < 3; ++c) {
            const float ws = sum4(wsum[c]);
            mean[c] = ws > 0.0f ? sum4(sum[c]) / ws : region.t[c][0];
        }
    }
    V4f crr = splat(0), cgg = splat(0), cbb = splat(0), crg = splat(0), crb = splat(0), cgb = splat(0);
    for (int v = 0; v < nv; ++v) {
        const V4f valid = region.channelWeighted ? splat(1.0f) : load4(region.valid + 4 * v);
        V4f r = (t[0][v] - mean[0]) * valid, g = (t[1][v] - mean[1]) * valid, bl = (t[2][v] - mean[2]) * valid;
        if (region.channelWeighted) r *= s[0][v], g *= s[1][v], bl *= s[2][v];
        crr += r * r;
        cgg += g * g;
        cbb += bl * bl;
        crg += r * g;
        crb += r * bl;
        cgb += g * bl;
    }
    const float cov[6] = {sum4(crr), sum4(cgg), sum4(cbb), sum4(crg), sum4(crb), sum4(cgb)};
    a[3] = b[3] = 0.0f;
    // Power iteration from the row of the dominant channel.
    const int dominant = cov[0] >= cov[1] ? (cov[0] >= cov[2] ? 0 : 2) : (cov[1] >= cov[2] ? 1 : 2);
    float v[3] = {dominant == 0   ? cov[0]
                  : dominant == 1 ? cov[3]
                                  : cov[4],
                  dominant == 0   ? cov[3]
                  : dominant == 1 ? cov[1]
                                  : cov[5],
                  dominant == 0   ? cov[4]
                  : dominant == 1 ? cov[5]
                                  : cov[2]};
    const float scale0 = std::max(std::max(std::fabs(v[0]), std::fabs(v[1])), std::fabs(v[2]));
    if (!(scale0 > 1e-12f)) {
        for (int c = 0; c < 3; ++c) a[c] = b[c] = mean[c];
        return;
    }
    // Power steps, rescaled by the largest component (no square roots until the end).
    for (int it = 0; it < 3; ++it) {
        const float inv = 1.0f / std::max(std::max(std::fabs(v[0]), std::fabs(v[1])), std::fabs(v[2]));
        const float x0 = v[0] * inv, x1 = v[1] * inv, x2 = v[2] * inv;
        const float w0 = cov[0] * x0 + cov[3] * x1 + cov[4] * x2;
        const float w1 = cov[3] * x0 + cov[1] * x1 + cov[5] * x2;
        const float w2 = cov[4] * x0 + cov[5] * x1 + cov[2] * x2;
        if (!(std::max(std::max(std::fabs(w0), std::fabs(w1)), std::fabs(w2)) > 1e-20f)) break;
        v[0] = w0, v[1] = w1, v[2] = w2;
    }
    const float inv = 1.0f / std::sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
    for (float& x : v) x *= inv;
    if (stats != nullptr) {
        std::copy(cov, cov + 6, stats->cov);
        std::copy(v, v + 3, stats->axis);
    }
    alignas(16) float proj[16];
    for (int k = 0; k < nv; ++k) {
        if (region.channelWeighted)
            store4(proj + 4 * k, (t[0][k] - mean[0]) * s[0][k] * v[0] + (t[1][k] - mean[1]) * s[1][k] * v[1] +
                                     (t[2][k] - mean[2]) * s[2][k] * v[2]);
        else
            store4(proj + 4 * k, (t[0][k] - mean[0]) * v[0] + (t[1][k] - mean[1]) * v[1] + (t[2][k] - mean[2]) * v[2]);
    }
    float lo = kBig, hi = -kBig;
    for (int j = 0; j < region.n; ++j) {
        lo = std::min(lo, proj[j]);
        hi = std::max(hi, proj[j]);
    }
    const float sAnchor = proj[region.anchor];
    if (sAnchor - lo > hi - sAnchor) std::swap(lo, hi);
    for (int c = 0; c < 3; ++c) {
        a[c] = mean[c] + lo * v[c];
        b[c] = mean[c] + hi * v[c];
    }
}

// Cheap score of a mode for float endpoints: endpoint quantization noise at its precision plus the squared
// overshoot of deltas that do not fit their fields (they will be clamped). Lower is better.
// The per-mode constants come from a table: the estimate runs some 200 times per block at `high`.
struct ModeEstimateTable {
    float noise[kModeCount];               // quantization noise of the mode's precision
    alignas(16) float lim[kModeCount][4];  // largest |delta| that fits, per channel, in the interpolation domain

    ModeEstimateTable() {
        for (int m = 0; m < kModeCount; ++m) {
            const Bc6hMode& mode = kModes[m];
            const float step = 65536.0f / float(1 << std::min<int>(mode.endpointBits, 16));
            noise[m] = 16.0f * 3.0f * step * step * (1.0f / 12.0f);
            const V4f lim4 = V4f{float(1 << (mode.deltaBits[0] - 1)), float(1 << (mode.deltaBits[1] - 1)),
                                 float(1 << (mode.deltaBits[2] - 1)), 1e30f} *
                                 step -
                             0.5f * step;
            store4(lim[m], lim4);
        }
    }
};

const ModeEstimateTable& modeEstimateTable() {
    static const ModeEstimateTable table;
    return table;
}

float modeEstimate(const float e[4][4], int modeIndex) {
    const ModeEstimateTable& table = modeEstimateTable();
    const Bc6hMode& mode = kModes[modeIndex];
    const float est = table.noise[modeIndex];
    if (!mode.transformed) return est;
    const V4f lim = load4(table.lim[modeIndex]);
    const V4f base = load4(e[0]);
    V4f over2 = splat(0.0f);
    for (int k = 1; k < 2 * mode.regions; ++k) {
        const V4f over = vmax(vabs(load4(e[k]) - base) - lim, splat(0.0f));
        over2 += over * over;
    }
    return est + 8.0f * sum3(over2);
}

// ---- Refinement ------------------------------------------------------------------------------------------------

// Keeps the best few candidates, best first. Raw storage: only the first `count` are ever read, and zeroing all
// kMaxShortlist candidates for every block cost more than copying the one or two a block offers.
struct Shortlist {
    alignas(Candidate) unsigned char storage[kMaxShortlist][sizeof(Candidate)];
    int count = 0;
    int capacity = 1;

    const Candidate& item(int i) const { return *std::launder(reinterpret_cast<const Candidate*>(storage[i])); }
    float worst() const { return count < capacity ? kBig : item(count - 1).error; }
    void offer(const Candidate& c) {
        if (!(c.error < worst())) return;
        int pos = count < capacity ? count++ : count - 1;
        while (pos > 0 && c.error < item(pos - 1).error) {
            new (storage[pos]) Candidate(item(pos - 1));
            --pos;
        }
        new (storage[pos]) Candidate(c);
    }
    float best() const { return count > 0 ? item(0).error : kBig; }
};

// The t (interpolation-domain target, see prepareBlock) of a black channel: t never goes below it in UF16, and
// SF16 black is 0.
inline float blackTarget(bool isSigned) {
    return isSigned ? 0.0f : 0.5f * (64.0f / 31.0f);
}

// True when every delta of the transformed mode's endpoint codes fits its field (with wrap-around).
bool deltasFit(const int codes[4][4], const Bc6hMode& mode) {
    for (int k = 1; k < 2 * mode.regions; ++k)
        for (int c = 0; c < 3; ++c)
            if (!deltaFits(codes[k][c] - codes[0][c], mode.endpointBits, mode.deltaBits[c])) return false;
    return true;
}

// Endpoint code 0 decodes to black, which the error metric puts many octaves below the faintest lit texel, while
// quantization rounds any endpoint below one code step (about 2e-6 at 10 bits) down to it: in blocks that span 1e-6
// to 1e-2 (dark interiors, denoiser residue next to lit texels) the least-squares endpoint lands there and the dark
// texels decode to black. So each endpoint with a channel at code 0 tries code 1 (-1 for negative SF16 texels) in
// the channels whose texels in its region are all lit with that sign, keeping it when the error drops; a region with
// exact-black texels keeps its black endpoint. (In one block of the dark horror interior the lift took mode 10 from
// 5.5e8 to 1.6e8 codes^2, and high's result from 2.7e8 to max's 7.6e7.)
void liftBlackEndpoints(const Region* regions, const Bc6hMode& mode, const Space& space, Candidate& cand) {
    const float blackT = blackTarget(space.isSigned);
    int litSign[2][3];
    for (int r = 0; r < mode.regions; ++r)
        for (int c = 0; c < 3; ++c) {
            bool above = true, below = space.isSigned;
            for (int j = 0; j < regions[r].n; ++j) {
                if (!(regions[r].wt[j] > 0.0f)) continue;
                above = above && regions[r].t[c][j] > blackT;
                below = below && regions[r].t[c][j] < -blackT;
            }
            litSign[r][c] = above ? 1 : below ? -1 : 0;
        }
    for (int k = 0; k < 2 * mode.regions; ++k) {
        Candidate trial = cand;
        bool lifted = false;
        for (int c = 0; c < 3; ++c)
            if (trial.codes[k][c] == 0 && litSign[k / 2][c] != 0) {
                trial.codes[k][c] = litSign[k / 2][c];
                lifted = true;
            }
        if (!lifted || (mode.transformed && !deltasFit(trial.codes, mode))) continue;
        evaluate(regions, mode, space, trial);
        if (trial.error < cand.error) cand = trial;
    }
}

// Quantize, then rounds of (least-squares endpoints for the current indices -> quantize -> optimal indices) while
// the error drops. With darkError > 0, candidates left with more error per value than that lift black endpoints.
void refineCandidate(const Region* regions, int modeIndex, int shape, const float start[4][4], const Space& space,
                     int rounds, float darkError, Shortlist& shortlist) {
    const Bc6hMode& mode = kModes[modeIndex];
    const bool isSigned = space.isSigned;
    Candidate cand;
    cand.mode = modeIndex;
    cand.shape = shape;
    quantizeEndpoints(start, mode, isSigned, cand.codes);
    evaluate(regions, mode, space, cand);
    for (int round = 0; round < rounds; ++round) {
        // Within rounding of the input everywhere (a quarter code squared per value): nothing left to gain.
        if (cand.error <= 0.25f * 48.0f) break;
        alignas(16) float e[4][4];
        for (int r = 0; r < mode.regions; ++r) {
            if (!leastSquares(regions[r], cand.local[r], mode.regions == 2, e[2 * r], e[2 * r + 1])) {
                for (int k = 2 * r; k < 2 * r + 2; ++k)
                    for (int c = 0; c < 4; ++c)
                        e[k][c] = c < 3 ? float(unquantize(cand.codes[k][c], mode.endpointBits, isSigned)) : 0.0f;
            }
        }
        Candidate next;
        next.mode = modeIndex;
        next.shape = shape;
        quantizeEndpoints(e, mode, isSigned, next.codes);
        if (std::memcmp(next.codes, cand.codes, sizeof(cand.codes)) == 0) break;
        evaluate(regions, mode, space, next);
        if (!(next.error < cand.error)) break;
        cand = next;
    }
    if (darkError > 0.0f && cand.error > darkError * 48.0f) liftBlackEndpoints(regions, mode, space, cand);
    shortlist.offer(cand);
}

// Coordinate descent on the quantized endpoints: each value +-1 (keeping transformed deltas representable), kept
// when its region's error drops. trialError(r, trial) is region r's error with the codes `trial`; keep(r) runs after
// a trial was kept (cand.codes and cand.regionError[r] already updated). Only the changed region is re-evaluated.
template <typename TrialError, typename Keep>
void descendEndpointCodes(const Bc6hMode& mode, bool isSigned, int passes, Candidate& cand, TrialError&& trialError,
                          Keep&& keep) {
    const int epb = mode.endpointBits;
    const int lo = codeMin(epb, isSigned), hi = codeMax(epb, isSigned);
    for (int pass = 0; pass < passes; ++pass) {
        bool improved = false;
        for (int r = 0; r < mode.regions; ++r)
            for (int e = 2 * r; e < 2 * r + 2; ++e)
                for (int c = 0; c < 3; ++c)
                    for (int dir = -1; dir <= 1; dir += 2) {
                        const int v = cand.codes[e][c] + dir;
                        if (v < lo || v > hi) continue;
                        alignas(16) int trial[4][4];
                        std::memcpy(trial, cand.codes, sizeof(trial));
                        trial[e][c] = v;
                        if (mode.transformed) {
                            bool fits = true;
                            if (e == 0) {
                                for (int k = 1; k < 2 * mode.regions && fits; ++k)
                                    fits = deltaFits(trial[k][c] - v, epb, mode.deltaBits[c]);
                            } else {
                                fits = deltaFits(v - trial[0][c], epb, mode.deltaBits[c]);
                            }
                            if (!fits) continue;
                        }
                        const float err = trialError(r, trial);
                        if (err < cand.regionError[r]) {
                            std::memcpy(cand.codes, trial, sizeof(trial));
                            cand.regionError[r] = err;
                            keep(r);
                            improved = true;
                        }
                    }
        if (!improved) break;
    }
    cand.error = 0;
    for (int r = 0; r < mode.regions; ++r) cand.error += cand.regionError[r];
}

// endpointSearch: the descent with the indices re-chosen for each trial.
void endpointSearch(const Region* regions, const Space& space, int passes, Candidate& cand) {
    const Bc6hMode& mode = kModes[cand.mode];
    const int epb = mode.endpointBits;
    int trialIdx[16];
    descendEndpointCodes(
        mode, space.isSigned, passes, cand,
        [&](int r, const int(&trial)[4][4]) {
            return evalRegion(regions[r], trial[2 * r], trial[2 * r + 1], epb, space, mode.regions == 2,
                              r == 0 && mode.transformed, trialIdx);
        },
        [&](int r) { std::memcpy(cand.local[r], trialIdx, sizeof(trialIdx)); });
}

// ---- Partition choice --------------------------------------------------------------------------------------------

// Ranks the 32 partitions by the residual of a line fit per region (trace of the covariance minus its largest
// eigenvalue) plus the index quantization noise of 8 levels along the line (largest eigenvalue / 49). Region moments
// of all partitions come from one pass over the texels, 4 partitions per vector; the eigenvalue from two power
// steps started at the block's own principal axis (a Rayleigh quotient).
constexpr int kPowerSteps = 3;
struct PartitionFits {
    alignas(16) float score[32];       // estimated error (moments)
    alignas(16) float mean[32][2][4];  // per partition and region, interpolation domain
    alignas(16) float axis[32][2][4];  // unit principal axis per partition and region
};

void analyzePartitions(const BlockData& b, PartitionFits& fits) {
    const ShapeTable& tables = shapeTable();
    constexpr float kScale = 1.0f / 65536.0f;
    // Moments of values centred on the block mean: raw second moments of near-constant values would cancel
    // catastrophically in float (smooth blocks are exactly the ones whose ranking needs the precision).
    float centre[3];
    for (int c = 0; c < 3; ++c) {
        float sum = 0.0f;
        for (int i = 0; i < 16; ++i) sum += b.all.t[c][i];
        centre[c] = sum * (1.0f / 16.0f);
    }
    float m[16][9];
    float total[9] = {};
    for (int i = 0; i < 16; ++i) {
        const float r = (b.all.t[0][i] - centre[0]) * kScale, g = (b.all.t[1][i] - centre[1]) * kScale,
                    bl = (b.all.t[2][i] - centre[2]) * kScale;
        const float w = b.all.wt[i] > 0.0f ? 1.0f : 0.0f;
        m[i][0] = w * r, m[i][1] = w * g, m[i][2] = w * bl;
        m[i][3] = w * r * r, m[i][4] = w * g * g, m[i][5] = w * bl * bl;
        m[i][6] = w * r * g, m[i][7] = w * r * bl, m[i][8] = w * g * bl;
        for (int j = 0; j < 9; ++j) total[j] += m[i][j];
    }
    float axis[3] = {0.577f, 0.577f, 0.577f};
    {
        const float inv = 1.0f / 16.0f;
        const float c0 = total[3] - total[0] * total[0] * inv, c1 = total[4] - total[1] * total[1] * inv,
                    c2 = total[5] - total[2] * total[2] * inv, c3 = total[6] - total[0] * total[1] * inv,
                    c4 = total[7] - total[0] * total[2] * inv, c5 = total[8] - total[1] * total[2] * inv;
        for (int it = 0; it < 3; ++it) {
            const float w0 = c0 * axis[0] + c3 * axis[1] + c4 * axis[2];
            const float w1 = c3 * axis[0] + c1 * axis[1] + c5 * axis[2];
            const float w2 = c4 * axis[0] + c5 * axis[1] + c2 * axis[2];
            const float len = std::sqrt(w0 * w0 + w1 * w1 + w2 * w2);
            if (!(len > 1e-20f)) break;
            axis[0] = w0 / len, axis[1] = w1 / len, axis[2] = w2 / len;
        }
    }
    float* score = fits.score;
    for (int p4 = 0; p4 < 32; p4 += 4) {
        V4f s1[9];
        for (int j = 0; j < 9; ++j) s1[j] = splat(0.0f);
        for (int i = 0; i < 16; ++i) {
            const V4f in = load4(&tables.inRegion1[i][p4]);
            for (int j = 0; j < 9; ++j) s1[j] += in * m[i][j];
        }
        const V4f n1 = load4(&tables.count1[p4]);
        V4f sc = splat(0.0f);
        for (int r = 0; r < 2; ++r) {
            V4f s[9];
            for (int j = 0; j < 9; ++j) s[j] = r == 1 ? s1[j] : total[j] - s1[j];
            const V4f inv = 1.0f / (r == 1 ? n1 : 16.0f - n1);
            const V4f c0 = s[3] - s[0] * s[0] * inv, c1 = s[4] - s[1] * s[1] * inv, c2 = s[5] - s[2] * s[2] * inv;
            const V4f c3 = s[6] - s[0] * s[1] * inv, c4 = s[7] - s[0] * s[2] * inv, c5 = s[8] - s[1] * s[2] * inv;
            const V4f trace = vmax(c0 + c1 + c2, splat(0.0f));
            // Power steps from the block's axis, renormalised; the Rayleigh quotient of the last vector.
            V4f v0 = splat(axis[0]), v1 = splat(axis[1]), v2 = splat(axis[2]);
            for (int it = 0; it < kPowerSteps; ++it) {
                const V4f w0 = c0 * v0 + c3 * v1 + c4 * v2;
                const V4f w1 = c3 * v0 + c1 * v1 + c5 * v2;
                const V4f w2 = c4 * v0 + c5 * v1 + c2 * v2;
                const V4f scale = 1.0f / vmax(vmax(vabs(w0), vabs(w1)), vmax(vabs(w2), splat(1e-30f)));
                v0 = w0 * scale, v1 = w1 * scale, v2 = w2 * scale;
            }
            const V4f w0 = c0 * v0 + c3 * v1 + c4 * v2;
            const V4f w1 = c3 * v0 + c1 * v1 + c5 * v2;
            const V4f w2 = c4 * v0 + c5 * v1 + c2 * v2;
            const V4f vv = v0 * v0 + v1 * v1 + v2 * v2;
            const V4f rq = (v0 * w0 + v1 * w1 + v2 * w2) / vmax(vv, splat(1e-30f));
            const V4f lambda = select(vv > splat(1e-30f), vmin(vmax(rq, splat(0.0f)), trace), splat(0.0f));
            sc += vmax(trace - lambda * (48.0f / 49.0f), splat(0.0f));
            // The region's mean and unit axis, for quickScore's line fit.
            const V4f invLen = select(vv > splat(1e-30f), 1.0f / vsqrt(vmax(vv, splat(1e-30f))), splat(0.0f));
            const V4f mean[3] = {s[0] * inv * 65536.0f + centre[0], s[1] * inv * 65536.0f + centre[1],
                                 s[2] * inv * 65536.0f + centre[2]};
            const V4f dir[3] = {v0 * invLen, v1 * invLen, v2 * invLen};
            for (int lane = 0; lane < 4; ++lane) {
                for (int c = 0; c < 3; ++c) {
                    fits.mean[p4 + lane][r][c] = mean[c][lane];
                    fits.axis[p4 + lane][r][c] = dir[c][lane];
                }
                fits.mean[p4 + lane][r][3] = fits.axis[p4 + lane][r][3] = 0.0f;
            }
        }
        store4(score + p4, sc);
    }
}

int rankPartitions(const PartitionFits& fits, int wanted, int* out) {
    const float* score = fits.score;
    wanted = std::min(wanted, 32);
    int order[32];
    for (int p = 0; p < 32; ++p) order[p] = p;
    std::partial_sort(order, order + wanted, order + 32,
                      [&](int x, int y) { return score[x] < score[y] || (score[x] == score[y] && x < y); });
    std::copy(order, order + wanted, out);
    return wanted;
}

// Largest eigenvector (power iteration from the dominant row) and eigenvalue of a symmetric 3x3 matrix
// {xx, yy, zz, xy, xz, yz}.
float principalAxis(const float cov[6], float v[3]) {
    const int dominant = cov[0] >= cov[1] ? (cov[0] >= cov[2] ? 0 : 2) : (cov[1] >= cov[2] ? 1 : 2);
    v[0] = dominant == 0 ? cov[0] : dominant == 1 ? cov[3] : cov[4];
    v[1] = dominant == 0 ? cov[3] : dominant == 1 ? cov[1] : cov[5];
    v[2] = dominant == 0 ? cov[4] : dominant == 1 ? cov[5] : cov[2];
    for (int it = 0; it < 4; ++it) {
        const float big = std::max(std::max(std::fabs(v[0]), std::fabs(v[1])), std::fabs(v[2]));
        if (!(big > 1e-30f)) {
            v[0] = v[1] = v[2] = 0.57735f;
            return 0.0f;
        }
        const float x0 = v[0] / big, x1 = v[1] / big, x2 = v[2] / big;
        v[0] = cov[0] * x0 + cov[3] * x1 + cov[4] * x2;
        v[1] = cov[3] * x0 + cov[1] * x1 + cov[5] * x2;
        v[2] = cov[4] * x0 + cov[5] * x1 + cov[2] * x2;
    }
    const float len = std::sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
    if (!(len > 1e-30f)) {
        v[0] = v[1] = v[2] = 0.57735f;
        return 0.0f;
    }
    for (int c = 0; c < 3; ++c) v[c] /= len;
    const float w0 = cov[0] * v[0] + cov[3] * v[1] + cov[4] * v[2];
    const float w1 = cov[3] * v[0] + cov[1] * v[1] + cov[5] * v[2];
    const float w2 = cov[4] * v[0] + cov[5] * v[1] + cov[2] * v[2];
    return std::max(0.0f, v[0] * w0 + v[1] * w1 + v[2] * w2);
}

// Centred covariance {xx, yy, zz, xy, xz, yz} of the texels with in[i] = 1, interpolation domain scaled by 2^-16;
// returns their count.
float regionCovariance(const BlockData& b, const float* in, float cov[6]) {
    V4f n = splat(0.0f), sum[3] = {splat(0.0f), splat(0.0f), splat(0.0f)};
    for (int v = 0; v < 4; ++v) {
        const V4f w = load4(in + 4 * v);
        n += w;
        for (int c = 0; c < 3; ++c) sum[c] += w * load4(b.all.t[c] + 4 * v);
    }
    const float count = sum4(n);
    for (int k = 0; k < 6; ++k) cov[k] = 0.0f;
    if (!(count > 0.0f)) return 0.0f;
    const float mean[3] = {sum4(sum[0]) / count, sum4(sum[1]) / count, sum4(sum[2]) / count};
    V4f rr = splat(0), gg = splat(0), bb = splat(0), rg = splat(0), rb = splat(0), gb = splat(0);
    for (int v = 0; v < 4; ++v) {
        const V4f w = load4(in + 4 * v) * (1.0f / 65536.0f);
        const V4f r = (load4(b.all.t[0] + 4 * v) - mean[0]) * w, g = (load4(b.all.t[1] + 4 * v) - mean[1]) * w,
                  bl = (load4(b.all.t[2] + 4 * v) - mean[2]) * w;
        rr += r * r, gg += g * g, bb += bl * bl, rg += r * g, rb += r * bl, gb += g * bl;
    }
    cov[0] = sum4(rr), cov[1] = sum4(gg), cov[2] = sum4(bb), cov[3] = sum4(rg), cov[4] = sum4(rb), cov[5] = sum4(gb);
    return count;
}

// Bits set in a 16-bit value (no popcnt instruction is assumed).
inline int popcount16(unsigned v) {
    v = v - ((v >> 1) & 0x5555u);
    v = (v & 0x3333u) + ((v >> 2) & 0x3333u);
    v = (v + (v >> 4)) & 0x0F0Fu;
    return int((v + (v >> 8)) & 0x1Fu);
}

// The partition nearest to each 16-texel split (fewest texels on the other side, either way round; the first such
// partition), looked up instead of compared with all 32 for every block.
struct NearestPartitionTable {
    std::uint8_t partition[1 << 16];

    NearestPartitionTable() {
        for (unsigned mask = 0; mask < (1u << 16); ++mask) {
            int best = 0, bestDistance = 17;
            for (int p = 0; p < 32; ++p) {
                int d = popcount16((mask ^ kPartitionMasks[p]) & 0xFFFFu);
                d = std::min(d, 16 - d);
                if (d < bestDistance) bestDistance = d, best = p;
            }
            partition[mask] = std::uint8_t(best);
        }
    }
};

const NearestPartitionTable& nearestPartitionTable() {
    static const NearestPartitionTable table;
    return table;
}

// The partition whose shape differs least from a two-way split of the texels along `axis` (one 2-means step).
int matchPartitionAlong(const BlockData& b, const float axis[3]) {
    alignas(16) float s[16];
    V4f lo = splat(kBig), hi = splat(-kBig);
    for (int v = 0; v < 4; ++v) {
        const V4f p = load4(b.all.t[0] + 4 * v) * axis[0] + load4(b.all.t[1] + 4 * v) * axis[1] +
                      load4(b.all.t[2] + 4 * v) * axis[2];
        store4(s + 4 * v, p);
        lo = vmin(lo, p);
        hi = vmax(hi, p);
    }
    float threshold = 0.5f * (std::min(std::min(lo[0], lo[1]), std::min(lo[2], lo[3])) +
                              std::max(std::max(hi[0], hi[1]), std::max(hi[2], hi[3])));
    float sum0 = 0, sum1 = 0;
    int n1 = 0;
    for (int i = 0; i < 16; ++i) {
        const bool above = s[i] > threshold;
        sum1 += above ? s[i] : 0.0f;
        sum0 += above ? 0.0f : s[i];
        n1 += above;
    }
    if (n1 > 0 && n1 < 16) threshold = 0.5f * (sum0 / float(16 - n1) + sum1 / float(n1));
    unsigned mask = 0;
    for (int i = 0; i < 16; ++i) mask |= unsigned(s[i] > threshold) << i;
    return nearestPartitionTable().partition[mask];
}

// Line-fit residual of a partition plus the 8-level index noise along each region's line (see rankPartitions).
float lineResidual(const BlockData& b, int partition) {
    float score = 0.0f;
    const ShapeTable& tables = shapeTable();
    for (int r = 0; r < 2; ++r) {
        float cov[6], v[3];
        regionCovariance(b, r == 1 ? tables.in1[partition] : tables.in0[partition], cov);
        const float lambda = principalAxis(cov, v);
        score += std::max(0.0f, cov[0] + cov[1] + cov[2] - lambda * (48.0f / 49.0f));
    }
    return score;
}

// Fast choice of one partition: split along the block's principal axis, and along its second axis (when light
// falls off across a block the first axis is brightness and the regions differ in colour, the second); keep the
// candidate with the smaller line-fit residual.
int matchPartition(const BlockData& b, const LineStats& block) {
    const float* cov = block.cov;
    const float* v = block.axis;
    const float lambda = std::max(0.0f, v[0] * (cov[0] * v[0] + cov[3] * v[1] + cov[4] * v[2]) +
                                            v[1] * (cov[3] * v[0] + cov[1] * v[1] + cov[5] * v[2]) +
                                            v[2] * (cov[4] * v[0] + cov[5] * v[1] + cov[2] * v[2]));
    const int first = matchPartitionAlong(b, v);
    float deflated[6] = {cov[0] - lambda * v[0] * v[0], cov[1] - lambda * v[1] * v[1], cov[2] - lambda * v[2] * v[2],
                         cov[3] - lambda * v[0] * v[1], cov[4] - lambda * v[0] * v[2], cov[5] - lambda * v[1] * v[2]};
    float u[3];
    if (!(principalAxis(deflated, u) > 0.0f)) return first;
    const int second = matchPartitionAlong(b, u);
    if (second == first) return first;
    return lineResidual(b, second) < lineResidual(b, first) ? second : first;
}

// The partition closest to the split of the block's covered texels into black ones (some channel exactly 0: gutters,
// unlit faces, single-channel lightmaps) and the others; -1 when the block is not such a mix. The moment ranking
// works in the interpolation domain, where black sits close to a dim texel beside a bright one, while the metric
// puts the two many octaves apart, so this split can rank low and still win.
int blackSplitPartition(const BlockData& b) {
    const float black = blackTarget(b.space.isSigned);
    unsigned mask = 0, counted = 0;
    for (int i = 0; i < 16; ++i) {
        if (!(b.all.wt[i] > 0.0f)) continue;
        counted |= 1u << i;
        bool isBlack = false;
        for (int c = 0; c < 3; ++c) isBlack = isBlack || std::fabs(b.all.t[c][i]) <= black;
        mask |= unsigned(isBlack) << i;
    }
    if (mask == 0 || mask == counted) return -1;
    const int n = popcount16(counted);
    int best = -1, bestDistance = 17;
    for (int p = 0; p < 32; ++p) {
        int d = popcount16((mask ^ kPartitionMasks[p]) & counted);
        d = std::min(d, n - d);
        if (d < bestDistance) bestDistance = d, best = p;
    }
    return best;
}

// ---- Packing -----------------------------------------------------------------------------------------------------

void packCandidate(const Candidate& cand, std::uint8_t out[16]) {
    if (cand.mode < 0 || cand.mode >= kModeCount) {
        // No search result (cannot happen for a non-empty shortlist): all-zero bytes are a valid mode-1 block that
        // decodes to black, never an out-of-bounds table read.
        std::memset(out, 0, 16);
        return;
    }
    const Bc6hMode& mode = kModes[cand.mode];
    const Shape& shape = shapeTable().shapes[cand.shape];
    const int levels = mode.regions == 2 ? 8 : 16;
    int codes[4][4];
    std::memcpy(codes, cand.codes, sizeof(codes));
    BlockFields fields;
    fields.mode = cand.mode;
    fields.partition = cand.shape == kOneRegionShape ? 0 : cand.shape;
    for (int r = 0; r < mode.regions; ++r) {
        // A high anchor index (free regions only, see evaluate): swap the endpoints and mirror the indices, which
        // decodes identically because the weight tables are symmetric (w[k] + w[levels - 1 - k] = 64).
        const bool flip = cand.local[r][shape.anchorPos[r]] >= levels / 2;
        if (flip)
            for (int c = 0; c < 3; ++c) std::swap(codes[2 * r][c], codes[2 * r + 1][c]);
        for (int j = 0; j < shape.count[r]; ++j) {
            const int k = cand.local[r][j];
            fields.index[shape.texels[r][j]] = std::uint8_t(flip ? levels - 1 - k : k);
        }
    }
    const int epb = mode.endpointBits;
    const std::int32_t epbMask = std::int32_t((1u << epb) - 1u);
    for (int c = 0; c < 3; ++c) {
        fields.stored[0][c] = codes[0][c] & epbMask;
        for (int k = 1; k < 2 * mode.regions; ++k) {
            if (mode.transformed)
                fields.stored[k][c] =
                    wrapDelta(codes[k][c] - codes[0][c], epb) & std::int32_t((1u << mode.deltaBits[c]) - 1u);
            else
                fields.stored[k][c] = codes[k][c] & epbMask;
        }
        for (int k = 2 * mode.regions; k < 4; ++k) fields.stored[k][c] = 0;
    }
    packBlock(fields, out);
}

// ---- Block search ------------------------------------------------------------------------------------------------

// continuousHalfCode for 4 values at once, without branches.
inline V4f continuousHalfCode4(V4f x, bool isSigned) {
    V4f a = vmin(select(x == x, vabs(x), splat(0.0f)), splat(65504.0f));  // NaN -> 0; Inf, big -> 65504
    const V4i bits = V4i(a);
    const V4f normal = toFloat((bits >> 23) - 112) * 1024.0f + toFloat(bits & 0x7FFFFF) * (1.0f / 8192.0f);
    const V4f code = select(a < splat(6.103515625e-05f), a * 16777216.0f, normal);
    const V4i negative = x < splat(0.0f);
    if (!isSigned) return select(negative, splat(0.0f), code);
    return select(negative, -code, code);
}

// Magnitude after the input clean-up (NaN -> 0, |x| <= 65504, UF16 negatives -> 0).
inline V4f cleanMagnitude4(V4f x, bool isSigned) {
    const V4f a = vmin(select(x == x, vabs(x), splat(0.0f)), splat(65504.0f));
    return isSigned ? a : select(x < splat(0.0f), splat(0.0f), a);
}

// logCode of 4 values, bit-identical to the scalar logCode: only lanes in [1, 1024) need a logarithm, and they get
// the same std::log2 call, through a one-entry memo (gutters and flat areas repeat values within a block).
struct Log2Memo {
    float arg = -1.0f, value = 0.0f;
    float operator()(float x) {
        if (x != arg) {
            arg = x;
            value = std::log2(x);
        }
        return value;
    }
};

inline V4f logCode4(V4f g, Log2Memo& memo) {
    V4f out = select(g < splat(1.0f), splat(-10240.0f) + 1024.0f * g, g);
    const V4i mid = (g >= splat(1.0f)) & (g < splat(1024.0f));
    if (mid[0] | mid[1] | mid[2] | mid[3])
        for (int l = 0; l < 4; ++l)
            if (mid[l]) out[l] = 1024.0f * (memo(g[l]) - 9.0f);
    return out;
}

// d logCode / d code for 4 values, capped so a near-zero texel cannot dominate a least-squares fit.
inline V4f logCodeSlope4(V4f code) {
    return select(code >= splat(1024.0f), splat(1.0f),
                  vmin(1024.0f / (vmax(code, splat(1.0f)) * 0.69314718f), splat(8.0f)));
}

// The encoder's domains for 4 values of one channel: t (interpolation domain), h (error space) and lw (least-squares
// weight for the error weight wt). Lane-wise, so the three channels of one texel can go through it as well.
inline void prepare4(V4f xv, V4f wt, const ErrorSpace& errorSpace, Log2Memo& memo, V4f& t, V4f& h, V4f& lw) {
    const bool isSigned = errorSpace.space.isSigned;
    const float floor = errorSpace.floor;
    const V4f code = continuousHalfCode4(xv, isSigned);
    // The interpolation-domain value whose finish_unquantize lands mid-way on the wanted code.
    if (!isSigned) {
        t = vmin((code + 0.5f) * (64.0f / 31.0f), splat(65535.0f));
    } else {
        const V4f mag = vmin((vabs(code) + 0.5f) * (32.0f / 31.0f), splat(32767.0f));
        t = select(code < splat(0.0f), -mag, select(code > splat(0.0f), mag, splat(0.0f)));
    }
    const V4f mag = vabs(code);
    V4f g = logCode4(floor > 0.0f ? continuousHalfCode4(cleanMagnitude4(xv, isSigned) + floor, false) : mag, memo);
    V4f slope = logCodeSlope4(mag);
    if (floor > 0.0f) {
        // dG/dlogCode(x) = |x| / (|x| + floor) in the log domain (|x| at least 2^-24 there).
        const V4f a = vmax(cleanMagnitude4(xv, isSigned), splat(5.9604645e-08f));
        g -= errorSpace.floorCode;
        slope *= a / (a + floor);
    } else if (isSigned) {
        g += kSignedLogOffset;
    }
    h = select(code < splat(0.0f), -g, g);
    lw = wt * slope * slope;
}

// Channel weights of a texel of a decoded map (EncodeSettings::transcodeNoise n, see "Transcoding" in the header):
// channel x of a texel whose brightest channel is M weighs ((x + f) / (x + F))^2 with the texel's own floor
// F = max(f, min(M / kTexelFloorDivisor, kTexelFloorNoise n)): the squared ratio of the error space's slopes at x with
// the dark floor f and with F, so near x its error counts as if the floor were F. The least-squares weights take the
// same factor.
constexpr float kTexelFloorDivisor = 8.0f;
constexpr float kTexelFloorNoise = 4.0f;

void texelFloorWeights(const float rgb[3], const ErrorSpace& errorSpace, float w[3]) {
    const float f = errorSpace.floor;
    float a[3];
    for (int c = 0; c < 3; ++c) {
        // The clean-up's magnitude: NaN -> 0, beyond the half range -> 65504, UF16 negatives -> 0.
        const float v = rgb[c];
        a[c] = v == v ? std::min(std::fabs(v), 65504.0f) : 0.0f;
        if (!errorSpace.space.isSigned && v < 0.0f) a[c] = 0.0f;
    }
    const float big = std::max(std::max(a[0], a[1]), a[2]);
    const float texelFloor =
        std::max(f, std::min(big * (1.0f / kTexelFloorDivisor), kTexelFloorNoise * errorSpace.noise));
    for (int c = 0; c < 3; ++c) {
        const float q = (a[c] + f) / (a[c] + texelFloor);
        w[c] = a[c] + texelFloor > 0.0f ? q * q : 1.0f;
    }
}

// Returns false, leaving the block unweighted, when every weight is within kTexelFloorSlack of 1 (most blocks: lit
// texels whose channels all lie above the texel's floor, black ones under the dark floor).
constexpr float kTexelFloorSlack = 1.0f / 256.0f;

bool applyTexelFloor(const float texels[16][3], const ErrorSpace& errorSpace, Region& r) {
    float w[16][3];
    bool any = false;
    for (int j = 0; j < 16; ++j) {
        texelFloorWeights(texels[j], errorSpace, w[j]);
        for (int c = 0; c < 3; ++c) any = any || w[j][c] < 1.0f - kTexelFloorSlack;
    }
    if (!any) return false;
    for (int j = 0; j < 16; ++j)
        for (int c = 0; c < 3; ++c) {
            r.cw[c][j] = w[j][c];
            r.lw[c][j] *= w[j][c];
        }
    return true;
}

void prepareBlock(const float texels[16][3], const float* weights, const ErrorSpace& errorSpace, BlockData& b) {
    b.space = errorSpace.space;
    Region& r = b.all;
    r.n = 16;
    r.anchor = 0;
    alignas(16) float x[3][16];
    for (int j = 0; j < 16; ++j) {
        r.valid[j] = 1.0f;
        r.wt[j] = weights != nullptr ? weights[j] : 1.0f;
        for (int c = 0; c < 3; ++c) x[c][j] = texels[j][c];
    }
    Log2Memo memo;
    for (int c = 0; c < 3; ++c)
        for (int v = 0; v < 4; ++v) {
            V4f t, h, lw;
            prepare4(load4(x[c] + 4 * v), load4(r.wt + 4 * v), errorSpace, memo, t, h, lw);
            store4(r.t[c] + 4 * v, t);
            store4(r.h[c] + 4 * v, h);
            store4(r.lw[c] + 4 * v, lw);
        }
    // A zero dark floor would give a channel at 0 beside a lit one weight 0, its error ignored however large.
    r.channelWeighted = errorSpace.noise > 0.0f && errorSpace.floor > 0.0f && applyTexelFloor(texels, errorSpace, r);
}

void searchOneRegion(const BlockData& b, int modes, int rounds, float darkError, int onlyMode, Shortlist& shortlist,
                     float e[4][4], LineStats* stats = nullptr) {
    fitLine(b.all, e[0], e[1], stats);
    int order[4] = {10, 11, 12, 13};
    float est[14];
    for (int m : order) est[m] = modeEstimate(e, m);
    std::sort(order, order + 4, [&](int x, int y) { return est[x] < est[y] || (est[x] == est[y] && x < y); });
    int tried = 0;
    for (int m : order) {
        if (onlyMode >= 0 && m != onlyMode) continue;
        if (onlyMode < 0 && tried >= modes) break;
        refineCandidate(&b.all, m, kOneRegionShape, e, b.space, rounds, darkError, shortlist);
        ++tried;
    }
}

void searchPartition(const BlockData& b, int partition, int modes, int rounds, float darkError, int onlyMode,
                     Shortlist& shortlist) {
    const Shape& shape = shapeTable().shapes[partition];
    Region regions[2];
    gatherRegion(b, shape, 0, regions[0]);
    gatherRegion(b, shape, 1, regions[1]);
    alignas(16) float e[4][4];
    fitLine(regions[0], e[0], e[1]);
    fitLine(regions[1], e[2], e[3]);
    int order[10];
    float est[10];
    for (int m = 0; m < 10; ++m) {
        order[m] = m;
        est[m] = modeEstimate(e, m);
    }
    std::sort(order, order + 10, [&](int x, int y) { return est[x] < est[y] || (est[x] == est[y] && x < y); });
    int tried = 0;
    for (int m : order) {
        if (onlyMode >= 0 && m != onlyMode) continue;
        if (onlyMode < 0 && tried >= modes) break;
        refineCandidate(regions, m, partition, e, b.space, rounds, darkError, shortlist);
        ++tried;
    }
}

// A partition's error after one quantized fit with its most promising mode, no refinement: the cheap but real
// measurement that picks which partitions get refined (moment estimates alone rank smooth blocks poorly, where
// the winner is decided by quantization). Both regions are evaluated in one pass over the block; anchors are not
// restricted (a small optimism shared by every partition).
float quickScore(const BlockData& b, int partition, const PartitionFits& fits) {
    // Line fit per region from the moments: endpoints at the extreme projections on the region's axis, found in
    // one pass over the block (each texel projected with its own region's mean and axis).
    const int* mask = shapeTable().region1Mask[partition];
    const float* m0 = fits.mean[partition][0];
    const float* m1 = fits.mean[partition][1];
    const float* a0 = fits.axis[partition][0];
    const float* a1 = fits.axis[partition][1];
    V4f lo0 = splat(kBig), hi0 = splat(-kBig), lo1 = splat(kBig), hi1 = splat(-kBig);
    alignas(16) float projections[16];
    for (int v = 0; v < 4; ++v) {
        const V4i in1 = load4i(mask + 4 * v);
        V4f proj = splat(0.0f);
        for (int c = 0; c < 3; ++c)
            proj += (load4(b.all.t[c] + 4 * v) - select(in1, splat(m1[c]), splat(m0[c]))) *
                    select(in1, splat(a1[c]), splat(a0[c]));
        store4(projections + 4 * v, proj);
        lo0 = vmin(lo0, select(in1, splat(kBig), proj));
        hi0 = vmax(hi0, select(in1, splat(-kBig), proj));
        lo1 = vmin(lo1, select(in1, proj, splat(kBig)));
        hi1 = vmax(hi1, select(in1, proj, splat(-kBig)));
    }
    float ext[4] = {std::min(std::min(lo0[0], lo0[1]), std::min(lo0[2], lo0[3])),
                    std::max(std::max(hi0[0], hi0[1]), std::max(hi0[2], hi0[3])),
                    std::min(std::min(lo1[0], lo1[1]), std::min(lo1[2], lo1[3])),
                    std::max(std::max(hi1[0], hi1[1]), std::max(hi1[2], hi1[3]))};
    // Orient each region so its anchor texel is nearer endpoint a, as fitLine does.
    const float anchor0 = projections[0], anchor1 = projections[kAnchor2[partition]];
    if (anchor0 - ext[0] > ext[1] - anchor0) std::swap(ext[0], ext[1]);
    if (anchor1 - ext[2] > ext[3] - anchor1) std::swap(ext[2], ext[3]);
    alignas(16) float e[4][4];
    for (int k = 0; k < 4; ++k) {
        const float* mean = k < 2 ? m0 : m1;
        const float* axis = k < 2 ? a0 : a1;
        for (int c = 0; c < 3; ++c) e[k][c] = mean[c] + ext[k] * axis[c];
        e[k][3] = 0.0f;
    }
    int bestMode = 0;
    float bestEst = kBig;
    for (int m = 0; m < 10; ++m) {
        const float est = modeEstimate(e, m);
        if (est < bestEst) bestEst = est, bestMode = m;
    }
    const Bc6hMode& mode = kModes[bestMode];
    alignas(16) int codes[4][4];
    quantizeEndpoints(e, mode, b.space.isSigned, codes);
    alignas(16) float pal[2][3][16];
    buildPalette(codes[0], codes[1], mode.endpointBits, b.space, 8, pal[0]);
    buildPalette(codes[2], codes[3], mode.endpointBits, b.space, 8, pal[1]);
    V4f total = splat(0.0f);
    for (int v = 0; v < 4; ++v) {
        const V4i in1 = load4i(mask + 4 * v);
        const V4f h0 = load4(b.all.h[0] + 4 * v), h1 = load4(b.all.h[1] + 4 * v), h2 = load4(b.all.h[2] + 4 * v);
        V4f best = splat(kBig);
        for (int k = 0; k < 8; ++k) {
            const V4f d0 = select(in1, splat(pal[1][0][k]), splat(pal[0][0][k])) - h0;
            const V4f d1 = select(in1, splat(pal[1][1][k]), splat(pal[0][1][k])) - h1;
            const V4f d2 = select(in1, splat(pal[1][2][k]), splat(pal[0][2][k])) - h2;
            best = vmin(best, b.all.channelWeighted
                                  ? load4(b.all.cw[0] + 4 * v) * d0 * d0 + load4(b.all.cw[1] + 4 * v) * d1 * d1 +
                                        load4(b.all.cw[2] + 4 * v) * d2 * d2
                                  : d0 * d0 + d1 * d1 + d2 * d2);
        }
        total += best * load4(b.all.wt + 4 * v);
    }
    return sum4(total);
}

// Endpoint search over the best `candidates` of the shortlist; returns the best candidate.
Candidate finishSearch(const BlockData& b, const Shortlist& shortlist, int passes, int candidates) {
    if (shortlist.count == 0) return Candidate{};  // packs as a black block (cannot happen: see packCandidate)
    if (passes <= 0) return shortlist.item(0);
    // Start from the unrefined best, not an empty candidate: when every refined error is non-finite or kBig the
    // result must still be a packable mode.
    Candidate best = shortlist.item(0);
    for (int i = 0; i < std::min(shortlist.count, candidates); ++i) {
        Candidate cand = shortlist.item(i);
        if (cand.shape == kOneRegionShape) {
            endpointSearch(&b.all, b.space, passes, cand);
        } else {
            const Shape& shape = shapeTable().shapes[cand.shape];
            Region regions[2];
            gatherRegion(b, shape, 0, regions[0]);
            gatherRegion(b, shape, 1, regions[1]);
            endpointSearch(regions, b.space, passes, cand);
        }
        if (cand.error < best.error) best = cand;
    }
    return best;
}

// The best `wanted` of the `count` partitions by quickScore, in that order (stable: ties keep the ranking's order).
int pickByQuickScore(const BlockData& b, const PartitionFits& fits, int* partitions, int count, int wanted) {
    float score[32];
    for (int i = 0; i < count; ++i) score[i] = quickScore(b, partitions[i], fits);
    int order[32];
    for (int i = 0; i < count; ++i) order[i] = i;
    std::stable_sort(order, order + count, [&](int x, int y) { return score[x] < score[y]; });
    int picked[32];
    wanted = std::min(wanted, count);
    for (int i = 0; i < wanted; ++i) picked[i] = partitions[order[i]];
    std::copy(picked, picked + wanted, partitions);
    return wanted;
}

Candidate searchBlock(const BlockData& b, const LevelConfig& config) {
    Shortlist shortlist;
    shortlist.capacity = std::clamp(std::max(config.searchCandidates, config.hardCandidates), 1, kMaxShortlist);
    const float darkError = config.darkEndpoints ? config.hardError : 0.0f;
    alignas(16) float e[4][4];
    LineStats stats;
    searchOneRegion(b, config.oneRegionModes, config.lsRounds, darkError, -1, shortlist, e, &stats);
    const bool tryTwo =
        config.partitions > 0 && !(config.twoRegionGate > 0 && shortlist.best() <= config.twoRegionGate * 48.0f);
    PartitionFits fits;
    int partitions[32];
    int count = 0;
    if (tryTwo) {
        count = 1;
        if (config.maskMatch) {
            partitions[0] = matchPartition(b, stats);
        } else {
            analyzePartitions(b, fits);
            count = rankPartitions(fits, std::max(config.partitions, config.quickScored), partitions);
            if (config.quickScored > config.partitions)
                count = pickByQuickScore(b, fits, partitions, count, config.partitions);
        }
        if (config.blackSplit) {
            const int split = blackSplitPartition(b);
            if (split >= 0 && std::find(partitions, partitions + count, split) == partitions + count)
                partitions[count++] = split;
        }
        for (int i = 0; i < count; ++i)
            searchPartition(b, partitions[i], config.modesPerPartition, config.lsRounds, darkError, -1, shortlist);
    }
    // Hard blocks (see the header): the candidate that wins the endpoint search is often not the best refined one.
    const bool hard = config.hardError > 0.0f && shortlist.best() > config.hardError * 48.0f;
    if (hard && tryTwo && !config.maskMatch && config.hardPartitions > 0) {
        // The moment ranking misjudges these blocks (see blackSplitPartition); the quick fit measures.
        int more[32];
        int n = rankPartitions(fits, config.hardQuickScored, more);
        n = pickByQuickScore(b, fits, more, n, config.hardPartitions);
        for (int i = 0; i < n; ++i)
            if (std::find(partitions, partitions + count, more[i]) == partitions + count) {
                partitions[count++] = more[i];
                searchPartition(b, more[i], config.modesPerPartition, config.lsRounds, darkError, -1, shortlist);
            }
    }
    if (hard) return finishSearch(b, shortlist, config.hardPasses, config.hardCandidates);
    return finishSearch(b, shortlist, config.searchPasses, config.searchCandidates);
}

// True when the 16 texels are bitwise equal.
bool isConstantBlock(const float texels[16][3]) {
    for (int j = 1; j < 16; ++j)
        if (std::memcmp(texels[j], texels[0], sizeof(texels[0])) != 0) return false;
    return true;
}

// A block of 16 equal texels (gutters, flat areas: about half the blocks of our lightmaps) coded directly. Mode 13
// (16-bit endpoints) with both endpoints equal decodes to any half value H: UF16 endpoint q = ceil(64 H / 31) gives
// finish_unquantize(q) = floor(31 q / 64) = H, SF16 magnitude ceil(32 |H| / 31) likewise. Each channel takes the half
// code nearest to the texel in the error space (one of the two that bracket its continuous code, G being monotonic),
// so the error is the least any block can have for these texels. Returns it as evalRegion would.
float encodeConstantBlock(const float rgb[3], const float* weights, const ErrorSpace& errorSpace,
                          std::uint8_t out[16]) {
    const Space& space = errorSpace.space;
    const bool isSigned = space.isSigned;
    Log2Memo memo;
    const V4f xv = V4f{rgb[0], rgb[1], rgb[2], rgb[0]};  // lane 3 unused
    V4f t, h, lw;
    prepare4(xv, splat(1.0f), errorSpace, memo, t, h, lw);
    const V4f code = continuousHalfCode4(xv, isSigned);
    const int lo = isSigned ? -0x7BFF : 0, hi = 0x7BFF;
    Candidate cand;
    cand.mode = 13;
    cand.shape = kOneRegionShape;
    float d[3];
    for (int c = 0; c < 3; ++c) {
        const int base = int(std::floor(code[c]));
        int bestH = std::clamp(base, lo, hi);
        float bestError = kBig;
        for (int H = std::max(base - 1, lo); H <= std::min(base + 2, hi); ++H) {
            const float diff = space.map[H + space.bias] - h[c];
            if (diff * diff < bestError) bestError = diff * diff, bestH = H;
        }
        d[c] = space.map[bestH + space.bias] - h[c];
        const int m = isSigned ? (32 * std::abs(bestH) + 30) / 31 : (64 * bestH + 30) / 31;
        cand.codes[0][c] = cand.codes[1][c] = bestH < 0 ? -m : m;
    }
    float e = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
    if (errorSpace.noise > 0.0f) {  // the same choice, weighed as any block of a transcode
        float w[3];
        texelFloorWeights(rgb, errorSpace, w);
        e = w[0] * d[0] * d[0] + w[1] * d[1] * d[1] + w[2] * d[2] * d[2];
    }
    V4f sum = splat(0.0f);
    for (int v = 0; v < 4; ++v) sum += splat(e) * (weights != nullptr ? load4(weights + 4 * v) : splat(1.0f));
    cand.error = cand.regionError[0] = sum4(sum);
    packCandidate(cand, out);
    return cand.error;
}

// One block through the level's search; weights as prepareBlock takes them.
float encodeTexels(const float texels[16][3], const float* weights, const ErrorSpace& errorSpace,
                   const LevelConfig& config, std::uint8_t out[16]) {
    if (config.directConstant && isConstantBlock(texels))
        return encodeConstantBlock(texels[0], weights, errorSpace, out);
    BlockData b;
    prepareBlock(texels, weights, errorSpace, b);
    const Candidate best = searchBlock(b, config);
    packCandidate(best, out);
    return best.error;
}

// EncodeSettings::transcodeNoise, clean (0 when off or not a number).
float transcodeNoiseOf(const EncodeSettings& settings) {
    const float n = settings.transcodeNoise;
    return std::isfinite(n) && n > 0.0f ? std::min(n, 65504.0f) : 0.0f;
}

}  // namespace

// Tables of G over the decodable half codes: 0..0x7BFF, and their negatives for SF16 (index code + bias).
const std::vector<float>& logCodeTable(bool isSigned) {
    static const auto make = [](bool withNegatives) {
        const int count = 0x7BFF + 1;
        std::vector<float> t(std::size_t(withNegatives ? 2 * count - 1 : count));
        const int bias = withNegatives ? count - 1 : 0;
        for (int code = 0; code < count; ++code) {
            const float g = logCode(float(code)) + (withNegatives ? kSignedLogOffset : 0.0f);
            t[std::size_t(bias + code)] = g;
            if (withNegatives) t[std::size_t(bias - code)] = -g;
        }
        return t;
    };
    static const std::vector<float> unsignedTable = make(false), signedTable = make(true);
    return isSigned ? signedTable : unsignedTable;
}

void ErrorSpace::build(bool isSigned, float darkFloor) {
    space.isSigned = isSigned;
    space.bias = isSigned ? 0x7BFF : 0;
    floor = std::isfinite(darkFloor) && darkFloor > 0.0f ? std::min(darkFloor, 65504.0f) : 0.0f;
    if (floor == 0.0f) {
        space.map = logCodeTable(isSigned).data();
        space.mapBelowOnly = !isSigned;  // the signed map adds an offset everywhere
        return;
    }
    floorCode = logCode(continuousHalfCode(floor, false));
    const int count = 0x7BFF + 1;
    table.assign(std::size_t(isSigned ? 2 * count - 1 : count), 0.0f);
    for (int code = 0; code < count; ++code) {
        const float g = logCode(continuousHalfCode(halfToFloat(std::uint16_t(code)) + floor, false)) - floorCode;
        table[std::size_t(space.bias + code)] = g;
        if (isSigned) table[std::size_t(space.bias - code)] = -g;
    }
    space.map = table.data();
    space.mapBelowOnly = false;
}

float continuousHalfCode(float value, bool isSigned) {
    if (std::isnan(value)) return 0.0f;
    if (!isSigned && !(value > 0.0f)) return 0.0f;
    const float a = std::fabs(value);
    float code;
    if (a >= 65504.0f) {
        code = 31743.0f;  // 0x7BFF, also for Inf
    } else if (a < 6.103515625e-05f) {
        code = a * 16777216.0f;  // subnormal halves: steps of 2^-24
    } else {
        std::uint32_t bits;
        std::memcpy(&bits, &a, sizeof(bits));
        const int exponent = int(bits >> 23) - 127;
        code = float((exponent + 15) * 1024) + float(bits & 0x7FFFFFu) * (1.0f / 8192.0f);
    }
    return value < 0.0f ? -code : code;
}

float errorCode(float value, bool isSigned) {
    const float code = continuousHalfCode(value, isSigned);
    if (!isSigned) return logCode(code);
    const float g = logCode(std::fabs(code)) + kSignedLogOffset;
    return code < 0.0f ? -g : g;
}

float encodeBlock(const float texels[16][3], const EncodeSettings& settings, std::uint8_t out[16]) {
    ErrorSpace errorSpace;
    errorSpace.build(settings.isSigned, settings.darkFloor);
    if (settings.rdo <= 0.0f) errorSpace.noise = transcodeNoiseOf(settings);
    return encodeTexels(texels, nullptr, errorSpace, kConfigs[std::clamp(int(settings.level), 0, 4)], out);
}

float encodeBlockWithMode(const float texels[16][3], bool isSigned, int mode, int partition, std::uint8_t out[16]) {
    ErrorSpace errorSpace;
    errorSpace.build(isSigned, 0.0f);
    BlockData b;
    prepareBlock(texels, nullptr, errorSpace, b);
    const LevelConfig& config = kConfigs[int(Level::Exhaustive)];
    mode = std::clamp(mode, 0, kModeCount - 1);
    Shortlist shortlist;
    if (kModes[mode].regions == 1) {
        alignas(16) float e[4][4];
        searchOneRegion(b, 1, config.lsRounds, 0.0f, mode, shortlist, e);
    } else {
        searchPartition(b, std::clamp(partition, 0, 31), 1, config.lsRounds, 0.0f, mode, shortlist);
    }
    const Candidate best = finishSearch(b, shortlist, config.searchPasses, config.searchCandidates);
    packCandidate(best, out);
    return best.error;
}

namespace {

// Histogram of log2(luminance) of the covered texels in 1/8-stop bins (a float's exponent and top 3 mantissa bits);
// bin kFloorBins collects the texels that do not count (uncovered, luminance not positive). Kept as kFloorLanes
// interleaved copies, one per SIMD lane, so that runs of equal texels do not wait on one counter.
constexpr int kFloorBins = 256 * 8;
constexpr int kFloorLanes = 4;
constexpr std::size_t kFloorStride = kFloorBins + 1;
constexpr std::size_t kFloorHistogramSize = kFloorLanes * kFloorStride;
constexpr int kSmallestHalfBin = (127 - 24) * 8;  // the bin of 2^-24

void addLuminanceRows(const ImageView& image, int y0, int y1, std::uint32_t* histogram) {
    const int width = image.width;
    for (int y = y0; y < y1; ++y) {
        const float* row = image.row(y);
        const std::uint8_t* mask = image.hasMask() ? image.mask + y * image.maskStride : nullptr;
        int x = 0;
        for (; x + 4 <= width; x += 4) {
            // The scalar sum below, 4 texels at once: adding 0 for a channel leaves the sum as skipping it would.
            const float* p = row + 3 * x;
            V4f lum = splat(0.0f);
            for (int c = 0; c < 3; ++c) {
                const V4f v = V4f{p[c], p[3 + c], p[6 + c], p[9 + c]};
                lum += select(v > splat(0.0f), kLuminance[c] * vmin(v, splat(65504.0f)), splat(0.0f));
            }
            V4i counted = lum > splat(0.0f);
            if (mask != nullptr)
                counted &= V4i{mask[x] != 0 ? -1 : 0, mask[x + 1] != 0 ? -1 : 0, mask[x + 2] != 0 ? -1 : 0,
                               mask[x + 3] != 0 ? -1 : 0};
            const V4i bin = selecti(counted, V4i(lum) >> 20, splati(kFloorBins));
            for (int l = 0; l < 4; ++l) ++histogram[std::size_t(l) * kFloorStride + std::size_t(bin[l])];
        }
        for (; x < width; ++x) {
            float lum = 0.0f;
            for (int c = 0; c < 3; ++c) {
                const float v = row[3 * x + c];
                if (v > 0.0f) lum += kLuminance[c] * std::min(v, 65504.0f);  // NaN, negatives, -Inf: 0
            }
            std::uint32_t bits;
            std::memcpy(&bits, &lum, sizeof(bits));
            const bool counted = lum > 0.0f && (mask == nullptr || mask[x] != 0);
            ++histogram[counted ? bits >> 20 : kFloorBins];
        }
    }
}

// The lower edge of the histogram bin (of addLuminanceRows) holding the counted texel of rank max(1, count /
// divisor); 0 when no texel counts.
float luminanceAtRank(const std::uint32_t* histogram, std::uint64_t divisor) {
    std::uint64_t bins[kFloorBins];
    std::uint64_t count = 0;
    for (int bin = 0; bin < kFloorBins; ++bin) {
        bins[bin] = 0;
        for (int l = 0; l < kFloorLanes; ++l) bins[bin] += histogram[std::size_t(l) * kFloorStride + std::size_t(bin)];
        count += bins[bin];
    }
    if (count == 0) return 0.0f;
    const std::uint64_t wanted = std::max<std::uint64_t>(1, count / divisor);
    std::uint64_t seen = 0;
    for (int bin = 0; bin < kFloorBins; ++bin) {
        seen += bins[bin];
        if (seen >= wanted) {
            const std::uint32_t bits = std::uint32_t(bin) << 20;
            float lower;
            std::memcpy(&lower, &bits, sizeof(lower));
            return lower;
        }
    }
    return 0.0f;
}

// A decoded black region without negatives (see transcodeDarkFloor in the header) is a cluster of faint texels cut off
// from the lit ones by a nearly empty valley: the last bin of the highest valley of kValleyBins bins below the median
// holding at most 1/kValleyRatio as many counted texels as the bins under it, or -1 when there is none.
constexpr int kValleyBins = 3 * 8;  // 3 stops
constexpr std::uint64_t kValleyRatio = 64;
int faintClusterTop(const std::uint32_t* histogram) {
    std::vector<std::uint64_t> below(kFloorBins + 1, 0);  // below[b]: counted texels in bins under b
    for (int bin = 0; bin < kFloorBins; ++bin) {
        std::uint64_t n = 0;
        for (int l = 0; l < kFloorLanes; ++l) n += histogram[std::size_t(l) * kFloorStride + std::size_t(bin)];
        below[std::size_t(bin) + 1] = below[std::size_t(bin)] + n;
    }
    const std::uint64_t count = below[kFloorBins];
    int top = -1;
    for (int bin = 1; bin + kValleyBins <= kFloorBins && 2 * below[std::size_t(bin + kValleyBins)] <= count; ++bin) {
        const std::uint64_t cluster = below[std::size_t(bin)];
        const std::uint64_t valley = below[std::size_t(bin + kValleyBins)] - cluster;
        if (cluster > 0 && valley * kValleyRatio <= cluster) top = bin + kValleyBins - 1;
    }
    return top;
}

// The automatic dark floor from a histogram of addLuminanceRows.
float darkFloorOfHistogram(const std::uint32_t* histogram) {
    return kDarkFloorFraction * luminanceAtRank(histogram, 100);
}

// The luminance histogram of the image's covered texels, bands of rows on the context's threads (summed: the same
// result for any thread count). Progress is not reported.
Status luminanceHistogram(const ImageView& image, const CodecContext& context, std::vector<std::uint32_t>& out) {
    const int bands = std::max(1, std::min(image.height, 16));
    out.assign(std::size_t(bands) * kFloorHistogramSize, 0);
    CodecContext quiet;
    quiet.cancel = context.cancel;
    quiet.threads = context.threads;
    if (auto s = forEachRow(bands, quiet,
                            [&](int k) {
                                addLuminanceRows(image, int(std::int64_t(image.height) * k / bands),
                                                 int(std::int64_t(image.height) * (k + 1) / bands),
                                                 out.data() + std::size_t(k) * kFloorHistogramSize);
                            });
        !s)
        return s.error();
    for (int k = 1; k < bands; ++k)
        for (std::size_t i = 0; i < kFloorHistogramSize; ++i) out[i] += out[std::size_t(k) * kFloorHistogramSize + i];
    out.resize(kFloorHistogramSize);
    return {};
}

// The texels of block (bx, by) and their error weights: texels outside the image repeat the edge so the block stays
// smooth, but do not count; texels the mask leaves out weigh `uncovered`.
void gatherBlock(const ImageView& image, int bx, int by, float uncovered, float texels[16][3], float weights[16]) {
    const bool interior = bx * 4 + 4 <= image.width && by * 4 + 4 <= image.height;
    if (interior && (!image.hasMask() || uncovered == 1.0f)) {
        for (int y = 0; y < 4; ++y) std::memcpy(texels[4 * y], image.texel(bx * 4, by * 4 + y), sizeof(float) * 12);
        std::fill(weights, weights + 16, 1.0f);
        return;
    }
    for (int y = 0; y < 4; ++y) {
        const int sy = std::min(by * 4 + y, image.height - 1);
        for (int x = 0; x < 4; ++x) {
            const int sx = std::min(bx * 4 + x, image.width - 1);
            const float* src = image.texel(sx, sy);
            for (int c = 0; c < 3; ++c) texels[4 * y + x][c] = src[c];
            const bool inside = bx * 4 + x < image.width && by * 4 + y < image.height;
            weights[4 * y + x] = inside ? (image.covered(sx, sy) ? 1.0f : uncovered) : 0.0f;
        }
    }
}

// ---- Rate-distortion optimisation (EncodeSettings::rdo > 0; see the header) --------------------------------------

constexpr int kRdoSegmentRows = 16;  // block rows per segment: fixed, so the output does not depend on threads
constexpr int kRdoWindow = 24;       // earlier blocks (raster order) offered as sources, besides 3 of the row above
constexpr int kRdoMaxSources = kRdoWindow + 3;
constexpr int kRdoEndpointSources = 4;  // sources (nearest in decoded texels) whose endpoints are tried
constexpr float kRdoPolishGain = 0.5f;  // index-reuse candidates are polished when this much of their error would win
// The rate model: zstd codes a block as literals and matches against earlier bytes of the file.
constexpr float kRdoLiteralBits = 8.0f;   // BC6H bytes are close to random: a Huffman-coded literal ~ 8 bits
constexpr float kRdoRepMatchBits = 7.0f;  // a match at one of the three most recent offsets (length and codes)
constexpr float kRdoMatchBits = 8.0f;     // a match at a new offset: this + log2(offset in bytes)
constexpr float kRdoContinueBits = 1.0f;  // a match that goes on from the end of the previous block
constexpr float kRdoMaxBits = 16 * kRdoLiteralBits;  // the literal-only parse: no block is estimated above it

// Bit i set when byte i of x is zero.
inline unsigned zeroBytes(std::uint64_t x) {
    constexpr std::uint64_t kLow7 = 0x7F7F7F7F7F7F7F7FULL;
    const std::uint64_t nonzero = ((x & kLow7) + kLow7) | x;  // bit 7 of each byte: the byte is not zero
    const std::uint64_t zero = ~nonzero & 0x8080808080808080ULL;
    return unsigned((zero * 0x0002040810204081ULL) >> 56);  // gathers the 8 flags into the top byte
}

// Bit i set when byte i of the two blocks is equal.
inline unsigned equalBytes(const std::uint8_t* a, const std::uint8_t* b) {
    std::uint64_t a0, a1, b0, b1;
    std::memcpy(&a0, a, 8);
    std::memcpy(&a1, a + 8, 8);
    std::memcpy(&b0, b, 8);
    std::memcpy(&b1, b + 8, 8);
    return zeroBytes(a0 ^ b0) | (zeroBytes(a1 ^ b1) << 8);
}

// What the rate model remembers of the blocks before: zstd's repeat offsets and a match still open at the end.
struct RateState {
    int rep[3] = {0, 0, 0};  // offsets in bytes, most recent first
    int open = 0;            // offset of a match that ran to the end of the previous block; 0 = none
};

struct RdoSource {
    const std::uint8_t* bytes;  // an earlier block of the file
    int distance;               // in bytes
    const float* codes;         // its decoded texels in the error space, [channel][texel]
    const BlockFields* fields;  // its fields; nullptr for a reserved mode
};

inline float matchBits(int distance, const RateState& state) {
    if (distance == state.rep[0] || distance == state.rep[1] || distance == state.rep[2]) return kRdoRepMatchBits;
    return kRdoMatchBits + float(31 - __builtin_clz(unsigned(distance)));
}

// Estimated bits of a block given the sources: the cheapest parse into literals and matches of at least 3 bytes
// (zstd's minimum at level 19) against the sources at block-aligned offsets, plus the continuation of an open match.
// With `after`, the state after coding the block that way.
float estimateBits(const std::uint8_t c[16], const RdoSource* const* sources, int count, const RateState& state,
                   RateState* after) {
    struct Run {
        int start, end, distance;
        float bits;
    };
    Run runs[48];
    int runCount = 0, continued = 0;
    for (int k = 0; k < count; ++k) {
        const unsigned eq = equalBytes(c, sources[k]->bytes);
        if (sources[k]->distance == state.open && (eq & 1u)) continued = std::max(continued, __builtin_ctz(~eq));
        if ((eq & (eq >> 1) & (eq >> 2)) == 0) continue;
        const float bits = matchBits(sources[k]->distance, state);
        unsigned rest = eq;
        while (rest != 0 && runCount < 48) {
            const int start = __builtin_ctz(rest);
            const int length = __builtin_ctz(~(rest >> start));
            const int end = start + length;
            if (length >= 3) runs[runCount++] = {start, end, sources[k]->distance, bits};
            rest &= ~((1u << end) - 1u);
        }
    }
    float cost[17];
    int from[17], via[17];  // previous position; -1 literal, -2 continuation, else the run
    for (int p = 0; p <= 16; ++p) cost[p] = kBig, from[p] = 0, via[p] = -1;
    cost[0] = 0.0f;
    if (continued > 0) cost[continued] = kRdoContinueBits, from[continued] = 0, via[continued] = -2;
    for (int p = 0; p < 16; ++p) {
        if (cost[p] >= kBig) continue;
        if (cost[p] + kRdoLiteralBits < cost[p + 1])
            cost[p + 1] = cost[p] + kRdoLiteralBits, from[p + 1] = p, via[p + 1] = -1;
        for (int r = 0; r < runCount; ++r) {
            const Run& run = runs[r];
            if (run.start > p || p + 3 > run.end) continue;
            const float c2 = cost[p] + run.bits;
            if (c2 < cost[run.end]) cost[run.end] = c2, from[run.end] = p, via[run.end] = r;
        }
    }
    if (after != nullptr) {
        int steps[17], stepCount = 0;
        for (int p = 16; p > 0; p = from[p])
            if (via[p] != -1) steps[stepCount++] = p;
        RateState s = state;
        s.open = 0;
        for (int k = stepCount - 1; k >= 0; --k) {
            const int end = steps[k];
            const int d = via[end] == -2 ? state.open : runs[via[end]].distance;
            if (d == s.rep[1]) {
                std::swap(s.rep[0], s.rep[1]);
            } else if (d != s.rep[0]) {  // a new offset, or the third: it moves to the front
                s.rep[2] = s.rep[1];
                s.rep[1] = s.rep[0];
                s.rep[0] = d;
            }
            if (end == 16) s.open = d;
        }
        *after = s;
    }
    return cost[16];
}

// The decoded texels of a block in the error space, [channel][texel].
void decodeErrorCodes(const std::uint8_t block[16], const Space& space, float* codes) {
    std::uint16_t half[16][3];
    decodeBlock(block, space.isSigned, half);
    for (int j = 0; j < 16; ++j)
        for (int c = 0; c < 3; ++c) {
            const int magnitude = std::min(int(half[j][c] & 0x7FFF), 0x7BFF);
            const int code = space.isSigned && (half[j][c] & 0x8000) ? -magnitude : magnitude;
            codes[c * 16 + j] = space.map[code + space.bias];
        }
}

// The block's error for decoded texels `codes` (as decodeErrorCodes gives them), texel j weighing wt[j].
float decodedError(const BlockData& b, const float* codes, const float* wt) {
    V4f sum = splat(0.0f);
    for (int v = 0; v < 4; ++v) {
        V4f e = splat(0.0f);
        for (int c = 0; c < 3; ++c) {
            const V4f d = load4(codes + c * 16 + 4 * v) - load4(b.all.h[c] + 4 * v);
            e += d * d;
        }
        sum += e * load4(wt + 4 * v);
    }
    return sum4(sum);
}

// Visibility: how much a texel's error in the error space counts once the map is viewed at its typical exposure.
// log-PSNR compares l(x) = log2(1 + x / E), E the median lit luminance, whose slope in log2(x) is x / (x + E): an
// octave of error on a texel far below E moves what is seen far less than on a lit surface. Squared, averaged over
// the channels (with the dark floor f the error space measures x + f), multiplied into the texels' weights.
void applyVisibility(const float texels[16][3], const ErrorSpace& errorSpace, float exposure, float weights[16]) {
    if (!(exposure > 0.0f)) return;
    for (int j = 0; j < 16; ++j) {
        float v = 0.0f;
        for (int c = 0; c < 3; ++c) {
            const float x = texels[j][c];
            // The clean-up's magnitude: NaN -> 0, beyond the half range -> 65504, UF16 negatives -> 0.
            float a = x == x ? std::min(std::fabs(x), 65504.0f) : 0.0f;
            if (!errorSpace.space.isSigned && x < 0.0f) a = 0.0f;
            a += errorSpace.floor;
            const float s = a / (a + exposure);
            v += s * s;
        }
        weights[j] *= v / 3.0f;
    }
}

// A region's error for fixed indices.
float fixedIndexError(const Region& region, const int a[4], const int b[4], int epb, const Space& space, int levels,
                      const int idx[16]) {
    alignas(16) float pal[3][16];
    buildPalette(a, b, epb, space, levels, pal);
    float sum = 0.0f;
    for (int j = 0; j < region.n; ++j) {
        const int k = idx[j];
        const float dr = pal[0][k] - region.h[0][j], dg = pal[1][k] - region.h[1][j], db = pal[2][k] - region.h[2][j];
        sum += region.wt[j] * (dr * dr + dg * dg + db * db);
    }
    return sum;
}

// Endpoint reuse: the source's mode, partition and endpoint bits as they are, the best indices for our texels (every
// anchor kept in the lower half, so nothing is swapped and the endpoint bits stay the source's). False for a
// reserved mode.
bool reuseEndpoints(const BlockData& b, const BlockFields* source, std::uint8_t out[16], float& error) {
    if (source == nullptr) return false;
    BlockFields fields = *source;
    const Bc6hMode& mode = kModes[fields.mode];
    std::int32_t endpoints[4][3];
    resolveEndpoints(fields, b.space.isSigned, endpoints);
    const Shape& shape = shapeTable().shapes[mode.regions == 2 ? fields.partition : kOneRegionShape];
    error = 0.0f;
    for (int r = 0; r < mode.regions; ++r) {
        Region region;
        gatherRegion(b, shape, r, region);
        const int a[4] = {endpoints[2 * r][0], endpoints[2 * r][1], endpoints[2 * r][2], 0};
        const int c[4] = {endpoints[2 * r + 1][0], endpoints[2 * r + 1][1], endpoints[2 * r + 1][2], 0};
        int idx[16];
        error += evalRegion(region, a, c, mode.endpointBits, b.space, mode.regions == 2, true, idx);
        for (int j = 0; j < shape.count[r]; ++j) fields.index[shape.texels[r][j]] = std::uint8_t(idx[j]);
    }
    packBlock(fields, out);
    return true;
}

// Index reuse: the source's partition and indices with endpoints fitted to our texels for them (least squares,
// quantized to `modeIndex`; polishIndices then tries +-1 on each endpoint value). The source's anchors are in the
// lower half already, so packing keeps its index bits.
void reuseIndices(const BlockData& b, const BlockFields& source, int modeIndex, Candidate& cand) {
    const Bc6hMode& mode = kModes[modeIndex];
    const bool two = mode.regions == 2;
    const int levels = two ? 8 : 16;
    const Shape& shape = shapeTable().shapes[two ? source.partition : kOneRegionShape];
    cand = Candidate{};
    cand.mode = modeIndex;
    cand.shape = two ? source.partition : kOneRegionShape;
    Region regions[2];
    alignas(16) float e[4][4];
    for (int r = 0; r < mode.regions; ++r) {
        gatherRegion(b, shape, r, regions[r]);
        for (int j = 0; j < shape.count[r]; ++j) cand.local[r][j] = source.index[shape.texels[r][j]];
        if (!leastSquares(regions[r], cand.local[r], two, e[2 * r], e[2 * r + 1])) {
            // The indices do not determine two endpoints (all equal): equal endpoints on the region's mean.
            for (int c = 0; c < 3; ++c) {
                float sum = 0.0f;
                for (int j = 0; j < regions[r].n; ++j) sum += regions[r].t[c][j];
                e[2 * r][c] = e[2 * r + 1][c] = sum / float(std::max(1, regions[r].n));
            }
            e[2 * r][3] = e[2 * r + 1][3] = 0.0f;
        }
    }
    quantizeEndpoints(e, mode, b.space.isSigned, cand.codes);
    const int epb = mode.endpointBits;
    cand.error = 0.0f;
    for (int r = 0; r < mode.regions; ++r) {
        cand.regionError[r] =
            fixedIndexError(regions[r], cand.codes[2 * r], cand.codes[2 * r + 1], epb, b.space, levels, cand.local[r]);
        cand.error += cand.regionError[r];
    }
}

// +-1 on each endpoint value of a reuseIndices candidate while its error drops, `passes` rounds, indices fixed.
void polishIndices(const BlockData& b, int passes, Candidate& cand) {
    const Bc6hMode& mode = kModes[cand.mode];
    const int levels = mode.regions == 2 ? 8 : 16;
    const int epb = mode.endpointBits;
    const Shape& shape = shapeTable().shapes[cand.shape];
    Region regions[2];
    for (int r = 0; r < mode.regions; ++r) gatherRegion(b, shape, r, regions[r]);
    descendEndpointCodes(
        mode, b.space.isSigned, passes, cand,
        [&](int r, const int(&trial)[4][4]) {
            return fixedIndexError(regions[r], trial[2 * r], trial[2 * r + 1], epb, b.space, levels, cand.local[r]);
        },
        [](int) {});
}

// The index bits of a block (two-region blocks: with the partition), to try each pattern once per block.
inline std::uint64_t indexKey(const std::uint8_t block[16], int regions) {
    std::uint64_t high;
    std::memcpy(&high, block + 8, 8);
    // Bits 64.. of the block: one-region indices start at bit 65, two-region partitions at bit 77.
    return regions == 2 ? (high & ~std::uint64_t(0x1FFF)) | 2u : (high & ~std::uint64_t(1)) | 1u;
}

// One segment of block rows in raster order: every block takes the candidate of least error + lambda * bits, the
// bits estimated against the blocks already final before it in the segment.
void rdoSegment(const ImageView& image, const ErrorSpace& errorSpace, float lambda, float exposure, float capError,
                const float* baseError, const float* seenError, const std::uint8_t* visible, int blocksX, int by0,
                int by1, std::uint8_t* out) {
    const Space& space = errorSpace.space;
    const int ring = blocksX + kRdoWindow + 2;  // every source lies at most blocksX + 1 blocks back
    std::vector<float> history(std::size_t(ring) * 48);
    std::vector<BlockFields> fieldsRing(static_cast<std::size_t>(ring));  // the fields of the blocks in `history`
    std::vector<std::uint8_t> fieldsOk(static_cast<std::size_t>(ring), 0);
    RateState state;
    float texels[16][3], weights[16], plainWeights[16], previousTexels[16][3], previousWeights[16];
    bool previousVisible = false;  // the block before (raster order, this segment) has a visible texel
    alignas(16) float trialCodes[48];
    BlockData b;
    for (int by = by0; by < by1; ++by) {
        for (int bx = 0; bx < blocksX; ++bx) {
            const int i = (by - by0) * blocksX + bx;
            const std::size_t index = std::size_t(by) * std::size_t(blocksX) + std::size_t(bx);
            std::uint8_t* block = out + index * kBlockBytes;
            RdoSource sources[kRdoMaxSources];
            int count = 0;
            auto add = [&](int d) {
                const std::size_t slot = std::size_t((i - d) % ring);
                sources[count++] = {block - std::size_t(d) * kBlockBytes, d * kBlockBytes, history.data() + slot * 48,
                                    fieldsOk[slot] ? &fieldsRing[slot] : nullptr};
            };
            for (int d = 1; d <= kRdoWindow && d <= i; ++d) add(d);
            for (int d = blocksX - 1; d <= blocksX + 1; ++d)
                if (d > kRdoWindow && d <= i) add(d);
            const RdoSource* all[kRdoMaxSources];
            for (int k = 0; k < count; ++k) all[k] = &sources[k];
            // A candidate made from one source is estimated against it and the sources zstd reaches cheaply (the open
            // match, the repeat offsets): nearly always the same bits as against all, for a few of the comparisons.
            const RdoSource* cheap[4];
            int cheapCount = 0;
            for (int k = 0; k < count; ++k) {
                const int d = sources[k].distance;
                if (d == state.open || d == state.rep[0] || d == state.rep[1] || d == state.rep[2])
                    if (cheapCount < 4) cheap[cheapCount++] = &sources[k];
            }
            auto bitsFrom = [&](const std::uint8_t* bytes, int origin) {
                const RdoSource* focus[5];
                int n = 0;
                if (origin >= 0) focus[n++] = &sources[origin];
                for (int k = 0; k < cheapCount; ++k)
                    if (origin < 0 || cheap[k] != &sources[origin]) focus[n++] = cheap[k];
                return estimateBits(bytes, focus, n, state, nullptr);
            };
            alignas(16) std::uint8_t best[16];
            std::memcpy(best, block, 16);
            if (visible[index]) gatherBlock(image, bx, by, 0.0f, texels, weights);
            if (visible[index] && previousVisible && std::memcmp(texels, previousTexels, sizeof(texels)) == 0 &&
                std::memcmp(weights, previousWeights, sizeof(weights)) == 0) {
                // The texels of the block before (flat areas): its bytes as chosen, within the same allowance (pass 1
                // gave both the same block), at the least rate any candidate can have.
                std::memcpy(best, block - kBlockBytes, 16);
            } else if (!visible[index]) {
                // No texel counts: the cheapest copy among the previous block and the cheaply reached ones (a run of
                // copies of the previous block costs almost nothing).
                float bestBits = kBig;
                for (int k = 0; k < count && bestBits > kRdoContinueBits; ++k) {
                    const int d = sources[k].distance;
                    if (k != 0 && d != state.open && d != state.rep[0] && d != state.rep[1] && d != state.rep[2])
                        continue;
                    const float bits = bitsFrom(sources[k].bytes, k);
                    if (bits < bestBits) bestBits = bits, std::memcpy(best, sources[k].bytes, 16);
                }
            } else {
                std::memcpy(previousTexels, texels, sizeof(texels));
                std::memcpy(previousWeights, weights, sizeof(weights));
                std::memcpy(plainWeights, weights, sizeof(weights));
                applyVisibility(texels, errorSpace, exposure, weights);
                prepareBlock(texels, weights, errorSpace, b);
                // Candidates are compared in the visibility-weighted error; the plain error may grow by capError.
                const float allowed = baseError[index] + capError;
                float bestCost = seenError[index] + lambda * estimateBits(block, all, count, state, nullptr);
                auto offer = [&](const std::uint8_t* bytes, float error, int origin) {
                    if (!(error < bestCost)) return;  // bits are never negative
                    const float cost = error + lambda * bitsFrom(bytes, origin);
                    if (!(cost < bestCost)) return;
                    decodeErrorCodes(bytes, space, trialCodes);
                    if (decodedError(b, trialCodes, plainWeights) > allowed) return;
                    bestCost = cost;
                    std::memcpy(best, bytes, 16);
                };
                float copyError[kRdoMaxSources];
                int order[kRdoMaxSources];
                for (int k = 0; k < count; ++k) {
                    copyError[k] = decodedError(b, sources[k].codes, b.all.wt);
                    order[k] = k;
                    offer(sources[k].bytes, copyError[k], k);
                }
                const int nearest = std::min(count, kRdoEndpointSources);
                std::partial_sort(order, order + nearest, order + count, [&](int x, int y) {
                    return copyError[x] < copyError[y] || (copyError[x] == copyError[y] && x < y);
                });
                std::uint8_t trial[16];
                for (int k = 0; k < nearest; ++k) {
                    float error;
                    if (reuseEndpoints(b, sources[order[k]].fields, trial, error)) offer(trial, error, order[k]);
                }
                BlockFields own;
                const int ownMode = unpackBlock(block, own) ? own.mode : -1;
                std::uint64_t tried[kRdoMaxSources];
                int triedCount = 0;
                for (int k = 0; k < count; ++k) {
                    if (sources[k].fields == nullptr) continue;
                    const BlockFields& fields = *sources[k].fields;
                    const int regions = kModes[fields.mode].regions;
                    const std::uint64_t key = indexKey(sources[k].bytes, regions);
                    if (std::find(tried, tried + triedCount, key) != tried + triedCount) continue;
                    tried[triedCount++] = key;
                    const int modes[2] = {ownMode >= 0 && kModes[ownMode].regions == regions ? ownMode : fields.mode,
                                          fields.mode};
                    for (int m = 0; m < (modes[1] != modes[0] ? 2 : 1); ++m) {
                        Candidate cand;
                        reuseIndices(b, fields, modes[m], cand);
                        if (!(cand.error < bestCost)) continue;
                        packCandidate(cand, trial);
                        const float bits = bitsFrom(trial, k);
                        offer(trial, cand.error, k);
                        // The endpoint search rarely takes more than half the fit's error away: candidates that
                        // cannot win even then are not polished.
                        if (!(kRdoPolishGain * cand.error + lambda * bits < bestCost)) continue;
                        polishIndices(b, 2, cand);
                        packCandidate(cand, trial);
                        offer(trial, cand.error, k);
                    }
                }
            }
            previousVisible = visible[index] != 0;
            std::memcpy(block, best, 16);
            estimateBits(block, all, count, state, &state);
            decodeErrorCodes(block, space, history.data() + std::size_t(i % ring) * 48);
            fieldsOk[std::size_t(i % ring)] = unpackBlock(block, fieldsRing[std::size_t(i % ring)]) ? 1 : 0;
        }
    }
}

Status encodeBlocksRdo(const ImageView& image, const EncodeSettings& settings, const LevelConfig& config,
                       const ErrorSpace& errorSpace, const CodecContext& context, std::uint8_t* out) {
    const int blocksX = (image.width + 3) / 4, blocksY = (image.height + 3) / 4;
    const std::size_t blockCount = std::size_t(blocksX) * std::size_t(blocksY);
    std::vector<float> baseError, seenError;
    std::vector<std::uint8_t> visible;
    std::vector<std::int64_t> rowVisible;
    float exposure = 0.0f;  // the median lit luminance of the texels that count (applyVisibility)
    try {
        std::vector<std::uint32_t> histogram;
        if (auto s = luminanceHistogram(image, context, histogram); !s) return s.error();
        exposure = luminanceAtRank(histogram.data(), 2);
        baseError.assign(blockCount, 0.0f);
        seenError.assign(blockCount, 0.0f);
        visible.assign(blockCount, 0);
        rowVisible.assign(std::size_t(blocksY), 0);
    } catch (const std::bad_alloc&) {
        return makeError(ErrorCode::TooLarge, "not enough memory for the BC6H rate-distortion pass");
    }
    // The plain search first, texels outside the mask not counted; blocks without a counted texel are left for the
    // second pass, which copies an earlier block into them.
    auto status = forEachRow(blocksY, progressSlice(context, 0.0, 0.7), [&](int by) {
        float texels[16][3], weights[16], previousTexels[16][3], previousWeights[16];
        alignas(16) float codes[48];
        BlockData b;
        const std::uint8_t* previousOut = nullptr;
        float previousError = 0.0f, previousSeen = 0.0f;
        std::int64_t count = 0;
        for (int bx = 0; bx < blocksX; ++bx) {
            gatherBlock(image, bx, by, 0.0f, texels, weights);
            const std::size_t index = std::size_t(by) * std::size_t(blocksX) + std::size_t(bx);
            std::uint8_t* block = out + index * kBlockBytes;
            bool counted = false;
            for (float w : weights) counted = counted || w > 0.0f;
            visible[index] = counted ? 1 : 0;
            if (!counted) {
                std::memset(block, 0, kBlockBytes);
                previousOut = nullptr;
                continue;
            }
            float error, seen;
            if (previousOut != nullptr && std::memcmp(texels, previousTexels, sizeof(texels)) == 0 &&
                std::memcmp(weights, previousWeights, sizeof(weights)) == 0) {
                std::memcpy(block, previousOut, kBlockBytes);
                error = previousError;
                seen = previousSeen;
            } else {
                error = encodeTexels(texels, weights, errorSpace, config, block);
                std::memcpy(previousTexels, texels, sizeof(texels));
                std::memcpy(previousWeights, weights, sizeof(weights));
                applyVisibility(texels, errorSpace, exposure, weights);
                prepareBlock(texels, weights, errorSpace, b);
                decodeErrorCodes(block, errorSpace.space, codes);
                seen = decodedError(b, codes, b.all.wt);
            }
            baseError[index] = error;
            seenError[index] = seen;
            previousOut = block;
            previousError = error;
            previousSeen = seen;
            ++count;
        }
        rowVisible[std::size_t(by)] = count;
    });
    if (!status) return status.error();
    std::int64_t counted = 0;
    for (int by = 0; by < blocksY; ++by) counted += rowVisible[std::size_t(by)];
    // The mean pass-1 errors of the visible blocks (see the header for why the mean).
    double seenSum = 0.0, plainSum = 0.0;
    for (std::size_t k = 0; k < blockCount; ++k)
        if (visible[k]) seenSum += double(seenError[k]), plainSum += double(baseError[k]);
    const double blocks = double(std::max<std::int64_t>(counted, 1));
    const double rdo = std::clamp(double(settings.rdo), 0.0, 1.0);
    // lambda in the visibility-weighted error; the plain error of a block may grow by at most capError.
    const float lambda = float(double(kRdoErrorBound) * rdo * seenSum / blocks / double(kRdoMaxBits));
    const float capError = float(double(kRdoErrorBound) * rdo * plainSum / blocks);
    const int segments = (blocksY + kRdoSegmentRows - 1) / kRdoSegmentRows;
    std::atomic<bool> outOfMemory{false};
    status = forEachRow(segments, progressSlice(context, 0.7, 1.0), [&](int segment) {
        try {
            rdoSegment(image, errorSpace, lambda, exposure, capError, baseError.data(), seenError.data(),
                       visible.data(), blocksX, segment * kRdoSegmentRows,
                       std::min(blocksY, (segment + 1) * kRdoSegmentRows), out);
        } catch (const std::bad_alloc&) {
            outOfMemory.store(true);
        }
    });
    if (!status) return status.error();
    if (context.cancelled()) return cancelledError();  // a segment taken before the token fired may be unfinished
    if (outOfMemory.load())
        return makeError(ErrorCode::TooLarge, "not enough memory for the BC6H rate-distortion pass");
    return {};
}

}  // namespace

float automaticDarkFloor(const ImageView& image) {
    std::vector<std::uint32_t> histogram(kFloorHistogramSize, 0);
    addLuminanceRows(image, 0, image.height, histogram.data());
    return darkFloorOfHistogram(histogram.data());
}

float transcodeNoise(const ImageView& image) {
    std::vector<float> negatives;
    for (int y = 0; y < image.height; ++y) {
        const float* row = image.row(y);
        const std::uint8_t* mask = image.hasMask() ? image.mask + y * image.maskStride : nullptr;
        for (int x = 0; x < image.width; ++x)
            if (mask == nullptr || mask[x] != 0)
                for (int c = 0; c < 3; ++c)
                    if (row[3 * x + c] < 0.0f) negatives.push_back(std::min(-row[3 * x + c], 65504.0f));  // -Inf too
    }
    if (negatives.empty()) return 0.0f;
    const auto rank = negatives.begin() + std::ptrdiff_t(0.99 * double(negatives.size() - 1));
    std::nth_element(negatives.begin(), rank, negatives.end());
    return *rank;
}

float transcodeDarkFloor(const ImageView& image) {
    return transcodeDarkFloor(image, transcodeNoise(image));
}

float transcodeDarkFloor(const ImageView& image, float noise) {
    std::vector<std::uint32_t> histogram(kFloorHistogramSize, 0);
    addLuminanceRows(image, 0, image.height, histogram.data());
    // Texels in bins up to `last` (1/8 stop each) no longer count: they move to the bin of the uncounted.
    const auto dropUpTo = [&](int last) {
        for (int l = 0; l < kFloorLanes; ++l)
            for (int bin = 0; bin <= last; ++bin) {
                std::uint32_t& n = histogram[std::size_t(l) * kFloorStride + std::size_t(bin)];
                histogram[std::size_t(l) * kFloorStride + kFloorBins] += n;
                n = 0;
            }
    };
    // BC6H writes nothing between 0 and the smallest positive half (2^-24), and a lightmap stored in halves has nothing
    // there but 0: texels darker than it in a decoded map are its codec's noise on black, negatives or not.
    dropUpTo(kSmallestHalfBin - 1);
    if (noise > 0.0f) {
        std::uint32_t bits;
        std::memcpy(&bits, &noise, sizeof(bits));
        dropUpTo(std::min<int>(int(bits >> 20), kFloorBins - 1));
    } else if (const int top = faintClusterTop(histogram.data()); top >= 0) {
        dropUpTo(top);  // no negatives to size the noise (AVIF: PQ cannot carry them): its cluster sizes it
    }
    return darkFloorOfHistogram(histogram.data());
}

Status encodeBc6hBlocks(const ImageView& image, const EncodeSettings& settings, const CodecContext& context,
                        std::uint8_t* out) {
    if (auto s = checkImageSize(image.width, image.height); !s) return s.error();
    if (image.rgb == nullptr || out == nullptr) return makeError(ErrorCode::InvalidArgument, "no image or output");
    const int blocksX = (image.width + 3) / 4, blocksY = (image.height + 3) / 4;
    const LevelConfig& config = kConfigs[std::clamp(int(settings.level), 0, 4)];
    (void)shapeTable();  // build the tables before the threads start
    (void)modeEstimateTable();
    if (config.maskMatch) (void)nearestPartitionTable();
    ErrorSpace errorSpace;
    try {
        float floor = settings.darkFloor;
        if (floor < 0.0f) {
            // automaticDarkFloor over bands of rows on the encoder's threads (the same value).
            std::vector<std::uint32_t> histogram;
            if (auto s = luminanceHistogram(image, context, histogram); !s) return s.error();
            floor = darkFloorOfHistogram(histogram.data());
        }
        errorSpace.build(settings.isSigned, floor);
    } catch (const std::bad_alloc&) {
        return makeError(ErrorCode::Internal, "out of memory");
    }
    if (settings.rdo > 0.0f) return encodeBlocksRdo(image, settings, config, errorSpace, context, out);
    errorSpace.noise = transcodeNoiseOf(settings);
    const float uncovered = std::clamp(settings.uncoveredWeight, 0.0f, 1.0f);
    return forEachRow(blocksY, context, [&](int by) {
        float texels[16][3];
        float weights[16];
        // The previous block of the row: a block equal to it in texels and weights gets its bytes (the search is a
        // pure function of both), which skips runs of gutter or flat blocks at every level.
        float previousTexels[16][3];
        float previousWeights[16];
        const std::uint8_t* previousOut = nullptr;
        for (int bx = 0; bx < blocksX; ++bx) {
            gatherBlock(image, bx, by, uncovered, texels, weights);
            std::uint8_t* block = out + (std::size_t(by) * blocksX + bx) * kBlockBytes;
            if (previousOut != nullptr && std::memcmp(texels, previousTexels, sizeof(texels)) == 0 &&
                std::memcmp(weights, previousWeights, sizeof(weights)) == 0) {
                std::memcpy(block, previousOut, kBlockBytes);
            } else {
                encodeTexels(texels, weights, errorSpace, config, block);
                std::memcpy(previousTexels, texels, sizeof(texels));
                std::memcpy(previousWeights, weights, sizeof(weights));
            }
            previousOut = block;
        }
    });
}

}  // namespace lmc::bc6h
