#include "codec/learned/refinement.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <cstring>

#include "codec/container.h"
#include "codec/entropy/gaussian_conditional.h"
#include "codec/entropy/rans.h"
#include "codec/learned/bit_map.h"
#include "codec/learned/exp2_core.h"
#include "codec/parallel_rows.h"

namespace lmc::learned {
namespace {

constexpr int kB = kRefinementBlock;
constexpr int kCoefficients = kB * kB;
constexpr int kPerBlock = 3 * kCoefficients;
constexpr double kMaxValue = 65504.0;  // what the networks' input transform clamps to (learned_codec.h)
constexpr std::int32_t kMaxMagnitude = 1 << 24;
// The encoder's rate-distortion pass (see encodeStripe). Measured with `lmc eval -c vae --sweep rate=0.3:1:0.1` on
// the 4 held-out maps against the dead-zone quantiser alone (Bjontegaard, mean curves): lambda 0.03 / 0.05 / 0.08 /
// 0.15 / 0.25 gave -3.0 / -3.1 / -3.0 / -1.9 / +0.2 % BD-rate on mPSNR and -0.4 / -0.5 / -0.2 / +1.4 / +4.3 % on
// PU21-PSNR; a second pass did not help (-1.7 / +2.0 % at 0.15).
constexpr int kRdoqPasses = 1;
constexpr double kRdoqLambda = 0.05;

struct Tables {
    double dct[kB][kB];                     // dct[k][n], orthonormal DCT-II
    float dctFloat[kB][kB];                 // the same, rounded to float (RefinementFormat::Scaled)
    std::array<int, kCoefficients> zigzag;  // zig-zag position -> raster index u * 8 + v
    std::array<int, kCoefficients> band;    // zig-zag position -> frequency band 0..4
    Tables() {
        for (int k = 0; k < kB; ++k) {
            for (int n = 0; n < kB; ++n) {
                dct[k][n] = (k == 0 ? std::sqrt(1.0 / kB) : std::sqrt(2.0 / kB)) * std::cos(M_PI * (n + 0.5) * k / kB);
                dctFloat[k][n] = float(dct[k][n]);
            }
        }
        int i = 0;
        for (int s = 0; s < 2 * kB - 1; ++s)
            for (int j = 0; j <= s; ++j) {
                const int u = (s % 2 == 0) ? s - j : j, v = s - u;
                if (u >= kB || v >= kB) continue;
                zigzag[i] = u * kB + v;
                band[i] = s == 0 ? 0 : s <= 2 ? 1 : s <= 5 ? 2 : s <= 9 ? 3 : 4;
                ++i;
            }
    }
};

const Tables& tables() {
    static const Tables t;
    return t;
}

// Orthonormal opponent basis: rows Y, C1, C2 (the inverse is the transpose).
constexpr double kOpponent[3][3] = {{0.57735026918962576, 0.57735026918962576, 0.57735026918962576},
                                    {0.70710678118654752, 0.0, -0.70710678118654752},
                                    {0.40824829046386302, -0.81649658092772603, 0.40824829046386302}};

constexpr float kOpponentFloat[3][3] = {{float(kOpponent[0][0]), float(kOpponent[0][1]), float(kOpponent[0][2])},
                                        {float(kOpponent[1][0]), float(kOpponent[1][1]), float(kOpponent[1][2])},
                                        {float(kOpponent[2][0]), float(kOpponent[2][1]), float(kOpponent[2][2])}};

// detail::setRefinementVectorPath: a test forces the scalar per-texel path through the whole decoder.
std::atomic<bool> vectorPathAllowed{true};

double cleanSource(float v) {
    if (std::isnan(v) || !(v > 0.0f)) return 0.0;
    return std::min(double(v), kMaxValue);
}

double logDomain(double x, double epsilon) {
    return std::log2(x + epsilon);
}

// The context of coefficient z of channel o in `block` (3 x 64 coded integers, zig-zag order, those before (o, z)
// already known), from the same coefficient of the left and top blocks (null outside the stripe), the previous
// coefficient, the non-zeros so far and, for chroma, the block's earlier channels. Luma: band x neighbours x
// non-zeros (45 contexts); chroma the same x whether the earlier channels have this coefficient non-zero (90).
// The encoder and the decoder both call this, so they cannot disagree on a context.
inline int contextAt(const std::int32_t* block, const std::int32_t* leftBlock, const std::int32_t* topBlock, int o,
                     int z, int band, int nonZero) {
    const int i = o * kCoefficients + z;
    const std::int64_t around = (leftBlock ? std::abs(std::int64_t(leftBlock[i])) : 0) +
                                (topBlock ? std::abs(std::int64_t(topBlock[i])) : 0) +
                                (z > 0 ? 2 * std::abs(std::int64_t(block[i - 1])) : 0);
    const int neighbours = around == 0 ? 0 : around <= 2 ? 1 : 2;
    const int base = (band * 3 + neighbours) * 3 + std::min(nonZero, 2);
    if (o == 0) return base;
    const bool otherNonZero = block[z] != 0 || (o == 2 && block[kCoefficients + z] != 0);
    return 45 + base * 2 + (otherNonZero ? 1 : 0);
}

bool anyNonZero(const std::int32_t* values) {
    for (int z = 0; z < kCoefficients; ++z)
        if (values[z] != 0) return true;
    return false;
}

// RefinementFormat::Scaled's channel-block flags (1 = the channel block has a non-zero value and its 64 values
// follow): the context of channel o's flag from the same channel's flags of the left and top blocks (null outside
// the stripe) and, for chroma, whether an earlier channel of this block is flagged. Luma 4 contexts, chroma 8 each.
inline int flagContext(const std::int32_t* flags, const std::int32_t* leftFlags, const std::int32_t* topFlags, int o) {
    const int around = (leftFlags ? leftFlags[o] : 0) + 2 * (topFlags ? topFlags[o] : 0);
    if (o == 0) return around;
    const bool earlier = flags[0] != 0 || (o == 2 && flags[1] != 0);
    return 4 + (o - 1) * 8 + around * 2 + (earlier ? 1 : 0);
}

std::size_t stripeHeaderBytes(RefinementFormat format) {
    return 4 + std::size_t(kRefinementContexts) +
           (format == RefinementFormat::Scaled ? std::size_t(kRefinementFlagContexts) : 0);
}

// The blocks left of and above block b of a stripe (raster order, `blocksWide` blocks a row, `per` values each), null
// outside the stripe: the neighbours contextAt and flagContext read, found one way by the encoder and the decoder.
template <typename T>
struct Neighbours {
    const T* left;
    const T* top;
};
template <typename T>
Neighbours<T> neighbours(const T* values, std::size_t b, int bx, int blocksWide, std::size_t per) {
    const std::size_t wide = std::size_t(blocksWide);
    return {bx > 0 ? values + (b - 1) * per : nullptr, b >= wide ? values + (b - wide) * per : nullptr};
}

// Cost in bits of value v with table t, escape included.
double valueCost(const entropy::CdfTableSet& set, std::size_t t, std::int32_t v) {
    const std::int32_t offset = set.offset(t);
    if (v >= offset && v <= set.maxValue(t)) return entropy::symbolCostBits(set, t, int(v - offset));
    return entropy::symbolCostBits(set, t, set.symbolCount(t) - 1) +
           entropy::kBypassBits * entropy::escapeBypassChunks(set, t, v);
}

// Per-context histograms: dense counts for |v| <= kDense, a list for the rest.
constexpr int kDense = 48;
struct Histogram {
    std::array<std::uint32_t, 2 * kDense + 1> counts{};
    std::vector<std::int32_t> outliers;
    std::uint64_t total = 0;
    void add(std::int32_t v) {
        ++total;
        if (v >= -kDense && v <= kDense)
            ++counts[std::size_t(v + kDense)];
        else
            outliers.push_back(v);
    }
};

struct StripeGeometry {
    int y0 = 0, y1 = 0, blockRows = 0, blocksWide = 0;
};

StripeGeometry stripeGeometry(int stripe, int width, int height) {
    StripeGeometry g;
    g.y0 = stripe * kRefinementStripeRows;
    g.y1 = std::min(height, g.y0 + kRefinementStripeRows);
    g.blockRows = (g.y1 - g.y0 + kB - 1) / kB;
    g.blocksWide = (width + kB - 1) / kB;
    return g;
}

int stripeCount(int height) {
    return (height + kRefinementStripeRows - 1) / kRefinementStripeRows;
}

struct StripeResult {
    Bytes bytes;
    double bits = 0;
    Status status;
};

StripeResult encodeStripe(int stripe, const ImageView& source, const Image& base,
                          const std::vector<std::uint8_t>& black, unsigned zeroChannels, double step, double epsilon,
                          const CodecContext& context, RefinementFormat format) {
    const bool flagged = format == RefinementFormat::Scaled;
    const Tables& t = tables();
    const int w = source.width;
    const StripeGeometry g = stripeGeometry(stripe, w, source.height);
    const std::size_t blocks = std::size_t(g.blockRows) * g.blocksWide;
    std::vector<std::int32_t> q(blocks * kPerBlock, 0);
    std::vector<float> scaled(blocks * kPerBlock, 0.0f);  // coefficient / step, for the rate-distortion pass
    for (int br = 0; br < g.blockRows; ++br) {
        if (context.cancelled()) return {{}, 0, cancelledError()};
        for (int bx = 0; bx < g.blocksWide; ++bx) {
            double r[3][kB][kB] = {};
            for (int y = 0; y < kB; ++y)
                for (int x = 0; x < kB; ++x) {
                    const int px = bx * kB + x, py = g.y0 + br * kB + y;
                    if (px >= w || py >= g.y1 || !source.covered(px, py)) continue;
                    if (!black.empty() && black[std::size_t(py) * w + px]) continue;
                    const float* s = source.texel(px, py);
                    const float* b = base.texel(px, py);
                    double d[3];
                    for (int c = 0; c < 3; ++c)
                        d[c] = (zeroChannels >> c & 1u) ? 0.0
                                                        : logDomain(cleanSource(s[c]), epsilon) -
                                                              logDomain(std::max(0.0, double(b[c])), epsilon);
                    for (int o = 0; o < 3; ++o)
                        r[o][y][x] = kOpponent[o][0] * d[0] + kOpponent[o][1] * d[1] + kOpponent[o][2] * d[2];
                }
            // Texels left out (uncovered, exact black, outside the image) take the mean residual of the block's
            // other texels instead of 0: the decoder ignores their values, and a step at every chart edge and
            // gutter would cost bits in every coefficient of the block.
            {
                double sum[3] = {0, 0, 0};
                int known = 0;
                bool mask[kB][kB];
                for (int y = 0; y < kB; ++y)
                    for (int x = 0; x < kB; ++x) {
                        const int px = bx * kB + x, py = g.y0 + br * kB + y;
                        mask[y][x] = px < w && py < g.y1 && source.covered(px, py) &&
                                     (black.empty() || !black[std::size_t(py) * w + px]);
                        if (!mask[y][x]) continue;
                        ++known;
                        for (int o = 0; o < 3; ++o) sum[o] += r[o][y][x];
                    }
                if (known > 0 && known < kCoefficients)
                    for (int y = 0; y < kB; ++y)
                        for (int x = 0; x < kB; ++x)
                            if (!mask[y][x])
                                for (int o = 0; o < 3; ++o) r[o][y][x] = sum[o] / known;
            }
            std::int32_t* out = q.data() + (std::size_t(br) * g.blocksWide + bx) * kPerBlock;
            for (int o = 0; o < 3; ++o) {
                double rows[kB][kB];  // rows[y][v] = sum_x r[y][x] dct[v][x]
                for (int y = 0; y < kB; ++y)
                    for (int v = 0; v < kB; ++v) {
                        double s = 0;
                        for (int x = 0; x < kB; ++x) s += r[o][y][x] * t.dct[v][x];
                        rows[y][v] = s;
                    }
                double coefficient[kCoefficients];
                for (int u = 0; u < kB; ++u)
                    for (int v = 0; v < kB; ++v) {
                        double s = 0;
                        for (int y = 0; y < kB; ++y) s += t.dct[u][y] * rows[y][v];
                        coefficient[u * kB + v] = s;
                    }
                for (int z = 0; z < kCoefficients; ++z) {
                    const double c = coefficient[t.zigzag[z]];
                    const double a = std::floor(std::fabs(c) / step + 0.5 - kRefinementDeadZone);
                    const std::int32_t m = a > 0 ? std::int32_t(std::min(a, double(kMaxMagnitude))) : 0;
                    out[o * kCoefficients + z] = c < 0 ? -m : m;
                    scaled[std::size_t(out - q.data()) + o * kCoefficients + z] =
                        float(std::clamp(c / step, -double(kMaxMagnitude), double(kMaxMagnitude)));
                }
            }
        }
    }
    const entropy::CdfTableSet& set = entropy::GaussianConditional::instance().tables();
    std::vector<std::int32_t> contexts(q.size());
    std::array<std::uint8_t, kRefinementContexts> chosen{};
    double bits = 0;
    // Contexts from the integers alone, exactly as the decoder will see them, then each context's cheapest table.
    auto chooseTables = [&] {
        std::vector<Histogram> histograms(kRefinementContexts);
        for (int br = 0; br < g.blockRows; ++br)
            for (int bx = 0; bx < g.blocksWide; ++bx) {
                const std::size_t b = std::size_t(br) * g.blocksWide + bx, at = b * kPerBlock;
                const auto [left, top] = neighbours<std::int32_t>(q.data(), b, bx, g.blocksWide, kPerBlock);
                for (int o = 0; o < 3; ++o) {
                    // Scaled: a channel block whose values are all zero is coded by its flag alone.
                    const bool coded = !flagged || anyNonZero(q.data() + at + o * kCoefficients);
                    int nonZero = 0;
                    for (int z = 0; z < kCoefficients; ++z) {
                        const std::size_t i = at + o * kCoefficients + z;
                        contexts[i] = contextAt(q.data() + at, left, top, o, z, t.band[z], nonZero);
                        if (coded) histograms[std::size_t(contexts[i])].add(q[i]);
                        nonZero += q[i] != 0;
                    }
                }
            }
        bits = 0;
        for (int k = 0; k < kRefinementContexts; ++k) {
            const Histogram& h = histograms[std::size_t(k)];
            chosen[std::size_t(k)] = 0;
            if (h.total == 0) continue;
            std::vector<std::pair<std::int32_t, std::uint32_t>> used;  // the bins that occur (few, typically)
            for (int v = -kDense; v <= kDense; ++v)
                if (const std::uint32_t n = h.counts[std::size_t(v + kDense)]) used.emplace_back(v, n);
            double best = 0;
            for (std::size_t table = 0; table < set.tableCount() && table < 256; ++table) {
                double cost = 0;
                for (const auto& [v, n] : used) cost += n * valueCost(set, table, v);
                for (std::int32_t v : h.outliers) cost += valueCost(set, table, v);
                if (table == 0 || cost < best) {
                    best = cost;
                    chosen[std::size_t(k)] = std::uint8_t(table);
                }
            }
            bits += best;
        }
    };
    chooseTables();
    // Rate-distortion optimised quantisation (as video encoders' RDOQ): in coding order, each coefficient takes the
    // magnitude among {nearest, nearest - 1, 0} that minimises (c - v)^2 + lambda * bits, its bits priced with the
    // table its context (from the values already decided) selected in the first pass; then the tables are chosen
    // again for the new values. The decoder is unchanged. lambda is in units of step^2 per bit.
    for (int pass = 0; pass < kRdoqPasses; ++pass) {
        // Bits of the small values per context (a table lookup instead of a log per candidate).
        std::vector<double> smallCost(std::size_t(kRefinementContexts) * (2 * kDense + 1));
        for (int k = 0; k < kRefinementContexts; ++k)
            for (int v = -kDense; v <= kDense; ++v)
                smallCost[std::size_t(k) * (2 * kDense + 1) + std::size_t(v + kDense)] =
                    valueCost(set, chosen[std::size_t(k)], v);
        auto cost = [&](int context, std::int32_t v) {
            return v >= -kDense && v <= kDense
                       ? smallCost[std::size_t(context) * (2 * kDense + 1) + std::size_t(v + kDense)]
                       : valueCost(set, chosen[std::size_t(context)], v);
        };
        for (int br = 0; br < g.blockRows; ++br)
            for (int bx = 0; bx < g.blocksWide; ++bx) {
                const std::size_t b = std::size_t(br) * g.blocksWide + bx, at = b * kPerBlock;
                const auto [left, top] = neighbours<std::int32_t>(q.data(), b, bx, g.blocksWide, kPerBlock);
                for (int o = 0; o < 3; ++o) {
                    int nonZero = 0;
                    for (int z = 0; z < kCoefficients; ++z) {
                        const std::size_t i = at + o * kCoefficients + z;
                        const double c = scaled[i], magnitude = std::fabs(c);
                        const std::int32_t nearest = std::int32_t(std::floor(magnitude + 0.5));
                        if (nearest == 0) {  // nothing to trade: most values of a fine residual
                            q[i] = 0;
                            continue;
                        }
                        const int context = contextAt(q.data() + at, left, top, o, z, t.band[z], nonZero);
                        std::int32_t bestMagnitude = 0;
                        double bestCost = 0;
                        for (std::int32_t m = nearest; m >= std::max(0, nearest - 1); --m) {
                            const double e = magnitude - m;
                            const double j = e * e + kRdoqLambda * cost(context, c < 0 ? -m : m);
                            if (m == nearest || j < bestCost) {
                                bestCost = j;
                                bestMagnitude = m;
                            }
                        }
                        if (nearest > 1) {  // zero as a third candidate
                            if (magnitude * magnitude + kRdoqLambda * cost(context, 0) < bestCost) bestMagnitude = 0;
                        }
                        q[i] = c < 0 ? -bestMagnitude : bestMagnitude;
                        nonZero += q[i] != 0;
                    }
                }
            }
        chooseTables();
    }
    if (flagged) {
        // Whole channel blocks (Scaled): zeroing one leaves only its flag to code, so where the squared error that
        // adds is below lambda times the bits of its 64 values as they stand, it goes; then the tables once more.
        for (int br = 0; br < g.blockRows; ++br)
            for (int bx = 0; bx < g.blocksWide; ++bx) {
                const std::size_t b = std::size_t(br) * g.blocksWide + bx, at = b * kPerBlock;
                const auto [left, top] = neighbours<std::int32_t>(q.data(), b, bx, g.blocksWide, kPerBlock);
                for (int o = 0; o < 3; ++o) {
                    std::int32_t* values = q.data() + at + o * kCoefficients;
                    if (!anyNonZero(values)) continue;
                    double bitsNow = 0, addedError = 0;
                    int nonZero = 0;
                    for (int z = 0; z < kCoefficients; ++z) {
                        const int context = contextAt(q.data() + at, left, top, o, z, t.band[z], nonZero);
                        bitsNow += valueCost(set, chosen[std::size_t(context)], values[z]);
                        if (values[z] == 0) continue;
                        ++nonZero;
                        const double c = scaled[at + std::size_t(o) * kCoefficients + std::size_t(z)];
                        addedError += c * c - (c - values[z]) * (c - values[z]);
                    }
                    if (addedError < kRdoqLambda * bitsNow) std::fill_n(values, kCoefficients, 0);
                }
            }
        chooseTables();
    }
    entropy::RansEncoder encoder;
    std::array<std::uint8_t, kRefinementFlagContexts> flagChosen{};
    std::vector<std::int32_t> values, indexes;
    values.reserve(q.size());
    indexes.reserve(q.size());
    if (flagged) {
        // The flags first (one per channel block), each context's binary table the cheapest for its counts.
        std::vector<std::int32_t> flags(blocks * 3), flagContexts(blocks * 3);
        for (std::size_t b = 0; b < blocks; ++b)
            for (int o = 0; o < 3; ++o) flags[b * 3 + o] = anyNonZero(q.data() + b * kPerBlock + o * kCoefficients);
        std::array<std::array<std::uint32_t, 2>, kRefinementFlagContexts> counts{};
        for (int br = 0; br < g.blockRows; ++br)
            for (int bx = 0; bx < g.blocksWide; ++bx) {
                const std::size_t b = std::size_t(br) * g.blocksWide + bx;
                for (int o = 0; o < 3; ++o) {
                    const auto [left, top] = neighbours<std::int32_t>(flags.data(), b, bx, g.blocksWide, 3);
                    const int k = flagContext(flags.data() + b * 3, left, top, o);
                    flagContexts[b * 3 + o] = k;
                    ++counts[std::size_t(k)][std::size_t(flags[b * 3 + o])];
                }
            }
        const entropy::CdfTableSet& flagSet = binaryTables();
        for (int k = 0; k < kRefinementFlagContexts; ++k) {
            double best = 0;
            for (std::size_t table = 0; table < flagSet.tableCount(); ++table) {
                const double cost = counts[std::size_t(k)][0] * entropy::symbolCostBits(flagSet, table, 0) +
                                    counts[std::size_t(k)][1] * entropy::symbolCostBits(flagSet, table, 1);
                if (table == 0 || cost < best) {
                    best = cost;
                    flagChosen[std::size_t(k)] = std::uint8_t(table);
                }
            }
            bits += best;
        }
        for (std::int32_t& k : flagContexts) k = flagChosen[std::size_t(k)];
        if (auto s = encoder.encode(flags.data(), flagContexts.data(), flags.size(), flagSet); !s) return {{}, 0, s};
        for (std::size_t b = 0; b < blocks; ++b)
            for (int o = 0; o < 3; ++o) {
                if (!flags[b * 3 + o]) continue;
                const std::size_t at = b * kPerBlock + std::size_t(o) * kCoefficients;
                for (int z = 0; z < kCoefficients; ++z) {
                    values.push_back(q[at + z]);
                    indexes.push_back(chosen[std::size_t(contexts[at + z])]);
                }
            }
    } else {
        values = q;
        for (std::size_t i = 0; i < q.size(); ++i) indexes.push_back(chosen[std::size_t(contexts[i])]);
    }
    if (auto s = encoder.encode(values.data(), indexes.data(), values.size(), set); !s) return {{}, 0, s};
    const Bytes stream = encoder.finish();
    StripeResult result;
    ByteWriter out(result.bytes);
    out.u32(std::uint32_t(stream.size()));
    out.bytes(chosen.data(), chosen.size());
    if (flagged) out.bytes(flagChosen.data(), flagChosen.size());
    out.bytes(stream.data(), stream.size());
    result.bits = bits + 8.0 * double(stripeHeaderBytes(format));  // the stripe's side information, exactly
    return result;
}

Error corrupt(const std::string& what) {
    return makeError(ErrorCode::CorruptData, "refinement layer: " + what);
}

}  // namespace

namespace detail {

bool setRefinementVectorPath(bool allowed) {
    return vectorPathAllowed.exchange(allowed);
}

void inverseDctReference(const std::int32_t* zigzagValues, double step, double r[kB][kB]) {
    const Tables& t = tables();
    double coefficient[kCoefficients] = {};
    for (int z = 0; z < kCoefficients; ++z) coefficient[t.zigzag[z]] = double(zigzagValues[z]) * step;
    double columns[kB][kB];  // columns[u][x] = sum_v coefficient[u][v] dct[v][x]
    for (int u = 0; u < kB; ++u)
        for (int x = 0; x < kB; ++x) {
            double s = 0;
            for (int v = 0; v < kB; ++v) s += coefficient[u * kB + v] * t.dct[v][x];
            columns[u][x] = s;
        }
    for (int y = 0; y < kB; ++y)
        for (int x = 0; x < kB; ++x) {
            double s = 0;
            for (int u = 0; u < kB; ++u) s += t.dct[u][y] * columns[u][x];
            r[y][x] = s;
        }
}

// inverseDctReference without the terms of zero coefficients, which change nothing: a zero coefficient's products
// are +-0 (every value is finite), a running sum s + (+-0) is s for s != 0, and the sums start at +0, which stays
// +0 (+0 + -0 = +0 when rounding to nearest). The non-zero terms are added in the same order (v, then u,
// increasing), so every texel is the same bits; most coefficients of a residual are zero. T = double for
// RefinementFormat::Log2Exp2 (inverseDct), float for Scaled (inverseDctFloat); every multiply and add is separate
// (-ffp-contract=off), so a compiler's vectorisation over x changes no bit.
template <typename T>
void sparseInverseDct(const std::int32_t* zigzagValues, T step, const T (&dct)[kB][kB], T r[kB][kB]) {
    const Tables& t = tables();
    T columns[kB][kB] = {};
    unsigned rows = 0;  // bit u: row u of the coefficients has a non-zero
    for (int z = 0; z < kCoefficients; ++z) {
        if (zigzagValues[z] == 0) continue;
        // Zig-zag order visits each row u with v increasing, so each columns[u][x] adds its terms in v order.
        const int u = t.zigzag[z] / kB, v = t.zigzag[z] % kB;
        const T c = T(zigzagValues[z]) * step;
        for (int x = 0; x < kB; ++x) columns[u][x] += c * dct[v][x];
        rows |= 1u << u;
    }
    for (int y = 0; y < kB; ++y)
        for (int x = 0; x < kB; ++x) r[y][x] = T(0);
    for (int u = 0; u < kB; ++u) {
        if (!(rows >> u & 1u)) continue;
        for (int y = 0; y < kB; ++y) {
            const T basis = dct[u][y];
            for (int x = 0; x < kB; ++x) r[y][x] += basis * columns[u][x];
        }
    }
}

void inverseDct(const std::int32_t* zigzagValues, double step, double r[kB][kB]) {
    sparseInverseDct(zigzagValues, step, tables().dct, r);
}

void inverseDctFloat(const std::int32_t* zigzagValues, float step, float r[kB][kB]) {
    sparseInverseDct(zigzagValues, step, tables().dctFloat, r);
}

// refinement_avx512.cpp
bool refineSpanAvx512Compiled();
std::size_t refineSpanAvx512(const float* d, std::size_t count, double epsilon, float* texels);

bool refineSpanVectorised() {
#if defined(__x86_64__) || defined(__i386__)
    static const bool avx512 =
        refineSpanAvx512Compiled() && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl");
    return avx512;
#else
    return false;
#endif
}

void refineSpan(const float* d, std::size_t count, double epsilon, float* texels, bool vector) {
    const std::size_t done = vector && refineSpanVectorised() ? refineSpanAvx512(d, count, epsilon, texels) : 0;
    for (std::size_t i = done; i < count; ++i) {
        const float base = texels[i];
        const double p = base > 0.0f ? double(base) : 0.0;  // also NaN
        double v = (p + epsilon) * exp2Core(double(d[i])) - epsilon;
        v = v > 0.0 ? v : 0.0;
        v = v < kMaxValue ? v : kMaxValue;
        texels[i] = float(v);
    }
}

}  // namespace detail

namespace {

using detail::inverseDct;

Status decodeStripe(int stripe, const std::uint8_t* data, std::size_t size, const std::vector<std::uint8_t>& black,
                    unsigned zeroChannels, double step, double epsilon, Image& image, const CodecContext& context,
                    RefinementFormat format) {
    const Tables& t = tables();
    const entropy::CdfTableSet& set = entropy::GaussianConditional::instance().tables();
    const bool scaled = format == RefinementFormat::Scaled;
    const int w = image.width();
    const StripeGeometry g = stripeGeometry(stripe, w, image.height());
    const std::size_t blocks = std::size_t(g.blockRows) * g.blocksWide;
    ByteReader reader(data, size);
    std::uint32_t length = 0;
    const std::uint8_t* chosen = nullptr;
    const std::uint8_t* flagChosen = nullptr;
    const std::uint8_t* stream = nullptr;
    if (!reader.u32(length) || !reader.bytes(kRefinementContexts, chosen) ||
        (scaled && !reader.bytes(kRefinementFlagContexts, flagChosen)))
        return corrupt("truncated stripe header");
    if (!reader.bytes(length, stream) || reader.remaining() != 0) return corrupt("stripe length");
    for (int k = 0; k < kRefinementContexts; ++k)
        if (chosen[k] >= set.tableCount()) return corrupt("table index out of range");
    // Each context's table description, copied: one load less between a decoded value and the next one's table.
    entropy::detail::TableInfo contextTable[kRefinementContexts];
    for (int k = 0; k < kRefinementContexts; ++k) contextTable[k] = set.info(chosen[k]);
    entropy::RansDecoder decoder;
    if (auto s = decoder.begin(stream, length); !s) return s;
    // Scaled: every channel block's flag first (1 = its 64 values follow; else they are all zero).
    std::vector<std::int32_t> flags(scaled ? blocks * 3 : 0);
    if (scaled) {
        const entropy::CdfTableSet& flagSet = binaryTables();
        entropy::detail::TableInfo flagTable[kRefinementFlagContexts];
        for (int k = 0; k < kRefinementFlagContexts; ++k) {
            if (flagChosen[k] >= flagSet.tableCount()) return corrupt("flag table index out of range");
            flagTable[k] = flagSet.info(flagChosen[k]);
        }
        for (int br = 0; br < g.blockRows; ++br)
            for (int bx = 0; bx < g.blocksWide; ++bx) {
                const std::size_t b = std::size_t(br) * g.blocksWide + bx;
                for (int o = 0; o < 3; ++o) {
                    const auto [left, top] = neighbours<std::int32_t>(flags.data(), b, bx, g.blocksWide, 3);
                    const int k = flagContext(flags.data() + b * 3, left, top, o);
                    std::int32_t flag = 0;
                    if (!decoder.decodeCommon(flagSet, flagTable[k], &flag)) {
                        const std::int32_t index = flagChosen[k];
                        if (auto s = decoder.decode(&index, 1, flagSet, &flag); !s) return s;
                    }
                    if (flag != 0 && flag != 1) return corrupt("block flag other than 0 or 1");
                    flags[b * 3 + o] = flag;
                }
            }
    }
    // Blocks outside the stripe read as zeros, which contextAt gives them anyway (a null neighbour counts 0).
    static const std::int32_t kNoBlock[kPerBlock] = {};
    const std::size_t rowValues = std::size_t(g.blocksWide) * kPerBlock;
    std::vector<std::int32_t> previous(rowValues, 0), current(rowValues, 0);
    // Scaled: the block row's residuals d per texel and channel (RGB interleaved, kB rows of the image's width), and
    // one image row's texels as they were (the exact-black ones are put back after the spans).
    const std::size_t rowFloats = std::size_t(w) * 3;
    std::vector<float> residualRows(scaled ? kB * rowFloats : 0), saved(scaled && !black.empty() ? rowFloats : 0);
    std::vector<std::uint8_t> active(scaled ? std::size_t(g.blocksWide) : 0);  // some channel of the block flagged
    const bool vectorPath = vectorPathAllowed.load(std::memory_order_relaxed);
    for (int br = 0; br < g.blockRows; ++br) {
        if (context.cancelled()) return cancelledError();
        for (int bx = 0; bx < g.blocksWide; ++bx) {
            std::int32_t* block = current.data() + std::size_t(bx) * kPerBlock;
            const std::int32_t* left = bx > 0 ? block - kPerBlock : kNoBlock;
            const std::int32_t* top = br > 0 ? previous.data() + std::size_t(bx) * kPerBlock : kNoBlock;
            const std::int32_t* blockFlags =
                scaled ? flags.data() + (std::size_t(br) * g.blocksWide + bx) * 3 : nullptr;
            for (int o = 0; o < 3; ++o) {
                if (scaled && !blockFlags[o]) {
                    std::fill_n(block + o * kCoefficients, kCoefficients, 0);
                    continue;
                }
                int nonZero = 0;
                for (int z = 0; z < kCoefficients; ++z) {
                    const int k = contextAt(block, left, top, o, z, t.band[z], nonZero);
                    std::int32_t value = 0;
                    if (!decoder.decodeCommon(set, contextTable[k], &value)) {
                        const std::int32_t index = chosen[k];
                        if (auto s = decoder.decode(&index, 1, set, &value); !s) return s;
                    }
                    if (value > kMaxMagnitude || value < -kMaxMagnitude) return corrupt("coefficient out of range");
                    block[o * kCoefficients + z] = value;
                    nonZero += value != 0;
                }
            }
            if (scaled) {
                active[std::size_t(bx)] = std::uint8_t(blockFlags[0] | blockFlags[1] | blockFlags[2]);
                if (!active[std::size_t(bx)]) continue;
                float r[3][kB][kB];
                for (int o = 0; o < 3; ++o) detail::inverseDctFloat(block + o * kCoefficients, float(step), r[o]);
                const int columns = std::min(kB, w - bx * kB);
                for (int y = 0; y < kB; ++y) {
                    float* out = residualRows.data() + std::size_t(y) * rowFloats + std::size_t(bx) * kB * 3;
                    for (int x = 0; x < columns; ++x)
                        for (int c = 0; c < 3; ++c)
                            out[3 * x + c] = kOpponentFloat[0][c] * r[0][y][x] + kOpponentFloat[1][c] * r[1][y][x] +
                                             kOpponentFloat[2][c] * r[2][y][x];
                }
                continue;
            }
            double r[3][kB][kB];
            for (int o = 0; o < 3; ++o) inverseDct(block + o * kCoefficients, step, r[o]);
            for (int y = 0; y < kB; ++y)
                for (int x = 0; x < kB; ++x) {
                    const int px = bx * kB + x, py = g.y0 + br * kB + y;
                    if (px >= w || py >= g.y1) continue;
                    if (!black.empty() && black[std::size_t(py) * w + px]) continue;
                    float* p = image.texel(px, py);
                    for (int c = 0; c < 3; ++c) {
                        if (zeroChannels >> c & 1u) {
                            p[c] = 0.0f;
                            continue;
                        }
                        const double d =
                            kOpponent[0][c] * r[0][y][x] + kOpponent[1][c] * r[1][y][x] + kOpponent[2][c] * r[2][y][x];
                        const double v = std::exp2(logDomain(std::max(0.0, double(p[c])), epsilon) + d) - epsilon;
                        p[c] = float(std::clamp(v, 0.0, kMaxValue));
                    }
                }
        }
        if (scaled) {
            for (int y = 0; y < kB; ++y) {
                const int py = g.y0 + br * kB + y;
                if (py >= g.y1) break;
                float* row = image.texel(0, py);
                const std::uint8_t* blackRow = black.empty() ? nullptr : black.data() + std::size_t(py) * w;
                if (blackRow) std::memcpy(saved.data(), row, rowFloats * sizeof(float));
                const float* d = residualRows.data() + std::size_t(y) * rowFloats;
                // Runs of blocks with the same activity: the flagged ones through refineSpan, the others keep their
                // base texels, clamped as the formula's value would be.
                for (int bx = 0; bx < g.blocksWide;) {
                    int end = bx + 1;
                    while (end < g.blocksWide && active[std::size_t(end)] == active[std::size_t(bx)]) ++end;
                    const std::size_t from = std::size_t(bx) * kB * 3,
                                      to = std::min(std::size_t(end) * kB * 3, rowFloats);
                    if (active[std::size_t(bx)]) {
                        detail::refineSpan(d + from, to - from, epsilon, row + from, vectorPath);
                    } else {
                        for (std::size_t i = from; i < to; ++i) {
                            float v = row[i] > 0.0f ? row[i] : 0.0f;  // also NaN
                            row[i] = v < float(kMaxValue) ? v : float(kMaxValue);
                        }
                    }
                    bx = end;
                }
                if (zeroChannels != 0)
                    for (int x = 0; x < w; ++x)
                        for (int c = 0; c < 3; ++c)
                            if (zeroChannels >> c & 1u) row[3 * x + c] = 0.0f;
                if (blackRow)
                    for (int x = 0; x < w; ++x)
                        if (blackRow[x]) std::memcpy(row + 3 * x, saved.data() + 3 * x, 3 * sizeof(float));
            }
        }
        std::swap(previous, current);
    }
    return decoder.end();
}

}  // namespace

float refinementEpsilon(const ImageView& image) {
    std::vector<float> values;
    const std::int64_t texels = image.texelCount();
    const std::int64_t stride = std::max<std::int64_t>(1, texels / (1 << 20));  // at most ~1M texels sampled
    for (std::int64_t i = 0; i < texels; i += stride) {
        const int x = int(i % image.width), y = int(i / image.width);
        if (!image.covered(x, y)) continue;
        const float* p = image.texel(x, y);
        for (int c = 0; c < 3; ++c)
            if (p[c] > 0.0f && std::isfinite(p[c])) values.push_back(p[c]);
    }
    if (values.empty()) return 1.0f;
    auto at = values.begin() + std::ptrdiff_t(values.size() / 100);
    std::nth_element(values.begin(), at, values.end());
    const float e = *at / 16.0f;
    return (e > 1e-30f && std::isfinite(e)) ? e : 1.0f;
}

unsigned zeroChannelMask(const ImageView& image) {
    unsigned mask = 7u;
    for (int y = 0; y < image.height && mask != 0; ++y)
        for (int x = 0; x < image.width; ++x) {
            const float* p = image.texel(x, y);
            for (int c = 0; c < 3; ++c)
                if (p[c] > 0.0f && std::isfinite(p[c])) mask &= ~(1u << c);
        }
    return mask;
}

Result<RefinementEncoding> encodeRefinement(const ImageView& source, const Image& base,
                                            const std::vector<std::uint8_t>& black, unsigned zeroChannels, float step,
                                            float epsilon, const CodecContext& context, RefinementFormat format) {
    if (source.empty() || base.width() != source.width || base.height() != source.height)
        return makeError(ErrorCode::InvalidArgument, "refinement: base and source sizes differ");
    if (!black.empty() && black.size() != std::size_t(source.width) * source.height)
        return makeError(ErrorCode::InvalidArgument, "refinement: black map size");
    if (!(step > 0.0f && std::isfinite(step)) || !(epsilon > 0.0f && std::isfinite(epsilon)))
        return makeError(ErrorCode::InvalidArgument, "refinement: step and epsilon must be positive");
    const int stripes = stripeCount(source.height);
    std::vector<StripeResult> results(static_cast<std::size_t>(stripes));
    const Status ran = forEachRow(stripes, context, [&](int s) {
        results[std::size_t(s)] = encodeStripe(s, source, base, black, zeroChannels, step, epsilon, context, format);
    });
    RefinementEncoding encoding;
    for (const StripeResult& r : results)
        if (!r.status) return r.status.error();
    if (!ran) return ran.error();
    for (const StripeResult& r : results) {
        encoding.bytes.insert(encoding.bytes.end(), r.bytes.begin(), r.bytes.end());
        encoding.estimatedBits += r.bits;
    }
    return encoding;
}

Status applyRefinement(const std::uint8_t* data, std::size_t size, const std::vector<std::uint8_t>& black,
                       unsigned zeroChannels, float step, float epsilon, Image& image, const CodecContext& context,
                       RefinementFormat format) {
    if (image.empty()) return makeError(ErrorCode::InvalidArgument, "refinement: empty image");
    if (!black.empty() && black.size() != std::size_t(image.width()) * image.height())
        return makeError(ErrorCode::InvalidArgument, "refinement: black map size");
    if (!(step > 0.0f && std::isfinite(step)) || !(epsilon > 0.0f && std::isfinite(epsilon)))
        return corrupt("step or epsilon out of range");
    // Locate the stripes first (their lengths chain), then decode them in parallel.
    const int stripes = stripeCount(image.height());
    std::vector<std::pair<std::size_t, std::size_t>> spans;
    spans.reserve(std::size_t(stripes));
    std::size_t at = 0;
    for (int s = 0; s < stripes; ++s) {
        ByteReader reader(data + at, size - at);
        std::uint32_t length = 0;
        if (!reader.u32(length)) return corrupt("truncated");
        const std::size_t span = stripeHeaderBytes(format) + length;
        if (span > size - at) return corrupt("truncated");
        spans.emplace_back(at, span);
        at += span;
    }
    if (at != size) return corrupt("trailing bytes");
    std::vector<Status> statuses(static_cast<std::size_t>(stripes));
    const Status ran = forEachRow(stripes, context, [&](int s) {
        const auto [offset, span] = spans[std::size_t(s)];
        statuses[std::size_t(s)] =
            decodeStripe(s, data + offset, span, black, zeroChannels, step, epsilon, image, context, format);
    });
    for (const Status& s : statuses)
        if (!s) return s;
    return ran;
}

}  // namespace lmc::learned
