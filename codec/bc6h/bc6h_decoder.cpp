#include "codec/bc6h/bc6h_decoder.h"

#include <cstring>
#include <string>

#include "codec/bc6h/bc6h_parallel.h"
#include "codec/bc6h/bc6h_tables.h"

namespace lmc::bc6h {

namespace {

// The block as a 128-bit little-endian integer: bit k is bit (k % 8) of byte k / 8.
struct Bits128 {
    std::uint64_t lo = 0, hi = 0;

    static Bits128 load(const std::uint8_t* b) {
        Bits128 v;
        for (int i = 7; i >= 0; --i) v.lo = (v.lo << 8) | b[i];
        for (int i = 15; i >= 8; --i) v.hi = (v.hi << 8) | b[i];
        return v;
    }
    void store(std::uint8_t* b) const {
        for (int i = 0; i < 8; ++i) b[i] = std::uint8_t(lo >> (8 * i));
        for (int i = 0; i < 8; ++i) b[8 + i] = std::uint8_t(hi >> (8 * i));
    }
    // n in 1..32 bits starting at bit pos (pos + n <= 128).
    std::uint32_t get(int pos, int n) const {
        std::uint64_t v;
        if (pos >= 64)
            v = hi >> (pos - 64);
        else if (pos + n <= 64)
            v = lo >> pos;
        else
            v = (lo >> pos) | (hi << (64 - pos));
        return std::uint32_t(v & ((std::uint64_t{1} << n) - 1));
    }
    // Ors n bits of value at bit pos (the destination bits must be zero).
    void put(int pos, int n, std::uint32_t value) {
        std::uint64_t v = std::uint64_t(value) & ((std::uint64_t{1} << n) - 1);
        if (pos >= 64) {
            hi |= v << (pos - 64);
        } else {
            lo |= v << pos;
            if (pos + n > 64) hi |= v >> (64 - pos);
        }
    }
};

int segmentBits(const Bc6hSegment& s) {
    return (s.hi >= s.lo ? s.hi - s.lo : s.lo - s.hi) + 1;
}

// Segment counts, computed once from the tables (constexpr in bc6h_tables.h).
struct SegmentCounts {
    int count[kModeCount];
    constexpr SegmentCounts() : count{} {
        for (int m = 0; m < kModeCount; ++m) count[m] = segmentCount(kModes[m]);
    }
};
constexpr SegmentCounts kSegmentCounts;

inline std::int32_t signExtend(std::int32_t value, int bits) {
    std::int32_t mask = std::int32_t((1u << bits) - 1u);
    value &= mask;
    if (value & (1 << (bits - 1))) value -= (1 << bits);
    return value;
}

inline int anchorOf(int region, int partition) {
    return region == 0 ? 0 : kAnchor2[partition];
}

}  // namespace

bool unpackBlock(const std::uint8_t block[kBlockBytes], BlockFields& fields) {
    Bits128 bits = Bits128::load(block);
    int mode = kModeOfLowBits[bits.lo & 31];
    if (mode < 0) return false;
    const Bc6hMode& info = kModes[mode];
    fields.mode = mode;
    std::memset(fields.stored, 0, sizeof(fields.stored));
    int pos = info.modeBits;
    for (int s = 0; s < kSegmentCounts.count[mode]; ++s) {
        const Bc6hSegment& seg = info.segments[s];
        int n = segmentBits(seg);
        std::uint32_t v = bits.get(pos, n);
        pos += n;
        std::int32_t& dst = fields.stored[seg.field / 3][seg.field % 3];
        if (seg.hi >= seg.lo) {
            dst |= std::int32_t(v << seg.lo);
        } else {
            for (int k = 0; k < n; ++k) dst |= std::int32_t(((v >> k) & 1u) << (seg.lo - k));
        }
    }
    if (info.regions == 2) {
        fields.partition = int(bits.get(77, 5));
        pos = kTwoRegionHeaderBits;
        int anchor1 = kAnchor2[fields.partition];
        for (int i = 0; i < 16; ++i) {
            int n = (i == 0 || i == anchor1) ? 2 : 3;
            fields.index[i] = std::uint8_t(bits.get(pos, n));
            pos += n;
        }
    } else {
        fields.partition = 0;
        pos = kOneRegionHeaderBits;
        for (int i = 0; i < 16; ++i) {
            int n = i == 0 ? 3 : 4;
            fields.index[i] = std::uint8_t(bits.get(pos, n));
            pos += n;
        }
    }
    return true;
}

void packBlock(const BlockFields& fields, std::uint8_t block[kBlockBytes]) {
    const Bc6hMode& info = kModes[fields.mode];
    Bits128 bits;
    bits.put(0, info.modeBits, info.number);
    int pos = info.modeBits;
    for (int s = 0; s < kSegmentCounts.count[fields.mode]; ++s) {
        const Bc6hSegment& seg = info.segments[s];
        int n = segmentBits(seg);
        std::uint32_t src = std::uint32_t(fields.stored[seg.field / 3][seg.field % 3]);
        std::uint32_t v = 0;
        if (seg.hi >= seg.lo) {
            v = src >> seg.lo;
        } else {
            for (int k = 0; k < n; ++k) v |= ((src >> (seg.lo - k)) & 1u) << k;
        }
        bits.put(pos, n, v);
        pos += n;
    }
    if (info.regions == 2) {
        bits.put(77, 5, std::uint32_t(fields.partition));
        pos = kTwoRegionHeaderBits;
        int anchor1 = kAnchor2[fields.partition & 31];
        for (int i = 0; i < 16; ++i) {
            int n = (i == 0 || i == anchor1) ? 2 : 3;
            bits.put(pos, n, fields.index[i]);
            pos += n;
        }
    } else {
        pos = kOneRegionHeaderBits;
        for (int i = 0; i < 16; ++i) {
            int n = i == 0 ? 3 : 4;
            bits.put(pos, n, fields.index[i]);
            pos += n;
        }
    }
    bits.store(block);
}

void resolveEndpoints(const BlockFields& fields, bool isSigned, std::int32_t endpoints[4][3]) {
    const Bc6hMode& info = kModes[fields.mode];
    const int epb = info.endpointBits;
    const std::int32_t epbMask = std::int32_t((1u << epb) - 1u);
    const int count = 2 * info.regions;
    for (int c = 0; c < 3; ++c) {
        std::int32_t e0 = fields.stored[0][c] & epbMask;
        if (isSigned) e0 = signExtend(e0, epb);
        endpoints[0][c] = e0;
        for (int k = 1; k < count; ++k) {
            std::int32_t v = fields.stored[k][c] & std::int32_t((1u << info.deltaBits[c]) - 1u);
            if (info.transformed || isSigned) v = signExtend(v, info.deltaBits[c]);
            if (info.transformed) {
                v = (e0 + v) & epbMask;
                if (isSigned) v = signExtend(v, epb);
            }
            endpoints[k][c] = v;
        }
        for (int k = count; k < 4; ++k) endpoints[k][c] = 0;
    }
}

void decodeBlock(const std::uint8_t block[kBlockBytes], bool isSigned, std::uint16_t texels[16][3]) {
    BlockFields fields;
    if (!unpackBlock(block, fields)) {
        std::memset(texels, 0, sizeof(std::uint16_t) * 16 * 3);
        return;
    }
    const Bc6hMode& info = kModes[fields.mode];
    std::int32_t endpoints[4][3];
    resolveEndpoints(fields, isSigned, endpoints);
    int unq[4][3];
    for (int k = 0; k < 2 * info.regions; ++k)
        for (int c = 0; c < 3; ++c) unq[k][c] = unquantize(endpoints[k][c], info.endpointBits, isSigned);
    for (int i = 0; i < 16; ++i) {
        int region = info.regions == 2 ? kPartitions[fields.partition][i] : 0;
        int weight = info.regions == 2 ? kWeights3[fields.index[i] & 7] : kWeights4[fields.index[i] & 15];
        for (int c = 0; c < 3; ++c) {
            int v = interpolate(unq[2 * region][c], unq[2 * region + 1][c], weight);
            texels[i][c] = finishUnquantize(v, isSigned);
        }
    }
}

float halfToFloat(std::uint16_t h) {
    std::uint32_t sign = std::uint32_t(h & 0x8000u) << 16;
    std::uint32_t exponent = (h >> 10) & 0x1Fu;
    std::uint32_t mantissa = h & 0x3FFu;
    std::uint32_t bits;
    if (exponent == 0) {
        if (mantissa == 0) {
            bits = sign;
        } else {
            // Subnormal half: normalise into a float.
            int e = -1;
            do {
                ++e;
                mantissa <<= 1;
            } while ((mantissa & 0x400u) == 0);
            bits = sign | (std::uint32_t(127 - 15 - e) << 23) | ((mantissa & 0x3FFu) << 13);
        }
    } else if (exponent == 31) {
        bits = sign | 0x7F800000u | (mantissa << 13);
    } else {
        bits = sign | ((exponent + 112u) << 23) | (mantissa << 13);
    }
    float f;
    std::memcpy(&f, &bits, sizeof(f));
    return f;
}

Result<Image> decodeBc6hBlocks(const std::uint8_t* blocks, std::size_t size, int width, int height, bool isSigned,
                               const CodecContext& context) {
    if (auto s = checkImageSize(width, height); !s) return s.error();
    const int blocksX = (width + 3) / 4, blocksY = (height + 3) / 4;
    const std::size_t needed = std::size_t(blocksX) * std::size_t(blocksY) * kBlockBytes;
    if (blocks == nullptr || size < needed)
        return makeError(ErrorCode::CorruptData, "BC6H data is truncated: " + std::to_string(size) + " bytes, " +
                                                     std::to_string(needed) + " needed for " + std::to_string(width) +
                                                     "x" + std::to_string(height));
    auto created = Image::create(width, height);
    if (!created) return created.error();
    Image image = std::move(created).value();
    Status status = forEachRow(blocksY, context, [&](int by) {
        std::uint16_t texels[16][3];
        for (int bx = 0; bx < blocksX; ++bx) {
            decodeBlock(blocks + (std::size_t(by) * blocksX + bx) * kBlockBytes, isSigned, texels);
            for (int y = 0; y < 4 && by * 4 + y < height; ++y)
                for (int x = 0; x < 4 && bx * 4 + x < width; ++x) {
                    float* dst = image.texel(bx * 4 + x, by * 4 + y);
                    for (int c = 0; c < 3; ++c) dst[c] = halfToFloat(texels[4 * y + x][c]);
                }
        }
    });
    if (!status) return status.error();
    return image;
}

}  // namespace lmc::bc6h
