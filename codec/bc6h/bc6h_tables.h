// Constant tables of the BC6H format, transcribed from the OpenGL ARB_texture_compression_bptc specification
// (Table.MF, Table.F, the first 32 rows of Table.P2 and of Table.A2) and checked against Microsoft's "BC6H Format"
// page (mode table, interpolation weights). Shared by the decoder (which is the specification) and the encoder.
//
// Mode numbering: `Bc6hMode::number` is the 2- or 5-bit value stored in the block's low bits (the ARB "MN"
// column); our mode index 0..13 follows Microsoft's table order (modes 1..14 there), i.e. the ten two-region modes
// first. Threading: constants only. Errors: none.
#pragma once

#include <array>
#include <cstdint>

namespace lmc::bc6h {

// Endpoint variables of Table.F: r0 g0 b0 (e0) ... r3 g3 b3 (e3). In a two-region block e0/e1 are region 0's
// endpoints and e2/e3 region 1's. Field id = endpoint * 3 + channel.
enum : std::uint8_t { R0, G0, B0, R1, G1, B1, R2, G2, B2, R3, G3, B3 };

// One run of consecutive block bits copied into bits hi..lo of a variable. The first (lowest) block bit of the run
// lands in bit `lo` and later ones move towards `hi`; when hi < lo the run is stored bit-reversed (Table.F's
// "r0[10:15]" puts the first bit read into r0 bit 15).
struct Bc6hSegment {
    std::uint8_t field;
    std::uint8_t hi;
    std::uint8_t lo;
};

struct Bc6hMode {
    std::uint8_t number;        // value of the mode bits
    std::uint8_t modeBits;      // 2 or 5
    std::uint8_t regions;       // 1 or 2
    bool transformed;           // endpoints other than e0 are stored as deltas from e0
    std::uint8_t endpointBits;  // EPB: precision of e0 (and of every endpoint after the inverse transform)
    std::uint8_t deltaBits[3];  // stored width of e1..e3 per channel (equals endpointBits when not transformed)
    Bc6hSegment segments[24];   // Table.F after the mode bits; two-region blocks then hold d[4:0] at bits 77..81
};

constexpr int kModeCount = 14;
constexpr int kTwoRegionHeaderBits = 82;  // mode + endpoints + 5 partition bits; 46 index bits follow
constexpr int kOneRegionHeaderBits = 65;  // mode + endpoints; 63 index bits follow

// clang-format off
inline constexpr Bc6hMode kModes[kModeCount] = {
    // 0: MN 0, 10.555
    {0, 2, 2, true, 10, {5, 5, 5}, {
        {G2, 4, 4}, {B2, 4, 4}, {B3, 4, 4}, {R0, 9, 0}, {G0, 9, 0}, {B0, 9, 0}, {R1, 4, 0}, {G3, 4, 4},
        {G2, 3, 0}, {G1, 4, 0}, {B3, 0, 0}, {G3, 3, 0}, {B1, 4, 0}, {B3, 1, 1}, {B2, 3, 0}, {R2, 4, 0},
        {B3, 2, 2}, {R3, 4, 0}, {B3, 3, 3}}},
    // 1: MN 1, 7666
    {1, 2, 2, true, 7, {6, 6, 6}, {
        {G2, 5, 5}, {G3, 4, 4}, {G3, 5, 5}, {R0, 6, 0}, {B3, 0, 0}, {B3, 1, 1}, {B2, 4, 4}, {G0, 6, 0},
        {B2, 5, 5}, {B3, 2, 2}, {G2, 4, 4}, {B0, 6, 0}, {B3, 3, 3}, {B3, 5, 5}, {B3, 4, 4}, {R1, 5, 0},
        {G2, 3, 0}, {G1, 5, 0}, {G3, 3, 0}, {B1, 5, 0}, {B2, 3, 0}, {R2, 5, 0}, {R3, 5, 0}}},
    // 2: MN 2, 11.555 11.444 11.444
    {2, 5, 2, true, 11, {5, 4, 4}, {
        {R0, 9, 0}, {G0, 9, 0}, {B0, 9, 0}, {R1, 4, 0}, {R0, 10, 10}, {G2, 3, 0}, {G1, 3, 0}, {G0, 10, 10},
        {B3, 0, 0}, {G3, 3, 0}, {B1, 3, 0}, {B0, 10, 10}, {B3, 1, 1}, {B2, 3, 0}, {R2, 4, 0}, {B3, 2, 2},
        {R3, 4, 0}, {B3, 3, 3}}},
    // 3: MN 6, 11.444 11.555 11.444
    {6, 5, 2, true, 11, {4, 5, 4}, {
        {R0, 9, 0}, {G0, 9, 0}, {B0, 9, 0}, {R1, 3, 0}, {R0, 10, 10}, {G3, 4, 4}, {G2, 3, 0}, {G1, 4, 0},
        {G0, 10, 10}, {G3, 3, 0}, {B1, 3, 0}, {B0, 10, 10}, {B3, 1, 1}, {B2, 3, 0}, {R2, 3, 0}, {B3, 0, 0},
        {B3, 2, 2}, {R3, 3, 0}, {G2, 4, 4}, {B3, 3, 3}}},
    // 4: MN 10, 11.444 11.444 11.555
    {10, 5, 2, true, 11, {4, 4, 5}, {
        {R0, 9, 0}, {G0, 9, 0}, {B0, 9, 0}, {R1, 3, 0}, {R0, 10, 10}, {B2, 4, 4}, {G2, 3, 0}, {G1, 3, 0},
        {G0, 10, 10}, {B3, 0, 0}, {G3, 3, 0}, {B1, 4, 0}, {B0, 10, 10}, {B2, 3, 0}, {R2, 3, 0}, {B3, 1, 1},
        {B3, 2, 2}, {R3, 3, 0}, {B3, 4, 4}, {B3, 3, 3}}},
    // 5: MN 14, 9555
    {14, 5, 2, true, 9, {5, 5, 5}, {
        {R0, 8, 0}, {B2, 4, 4}, {G0, 8, 0}, {G2, 4, 4}, {B0, 8, 0}, {B3, 4, 4}, {R1, 4, 0}, {G3, 4, 4},
        {G2, 3, 0}, {G1, 4, 0}, {B3, 0, 0}, {G3, 3, 0}, {B1, 4, 0}, {B3, 1, 1}, {B2, 3, 0}, {R2, 4, 0},
        {B3, 2, 2}, {R3, 4, 0}, {B3, 3, 3}}},
    // 6: MN 18, 8666 8555 8555
    {18, 5, 2, true, 8, {6, 5, 5}, {
        {R0, 7, 0}, {G3, 4, 4}, {B2, 4, 4}, {G0, 7, 0}, {B3, 2, 2}, {G2, 4, 4}, {B0, 7, 0}, {B3, 3, 3},
        {B3, 4, 4}, {R1, 5, 0}, {G2, 3, 0}, {G1, 4, 0}, {B3, 0, 0}, {G3, 3, 0}, {B1, 4, 0}, {B3, 1, 1},
        {B2, 3, 0}, {R2, 5, 0}, {R3, 5, 0}}},
    // 7: MN 22, 8555 8666 8555
    {22, 5, 2, true, 8, {5, 6, 5}, {
        {R0, 7, 0}, {B3, 0, 0}, {B2, 4, 4}, {G0, 7, 0}, {G2, 5, 5}, {G2, 4, 4}, {B0, 7, 0}, {G3, 5, 5},
        {B3, 4, 4}, {R1, 4, 0}, {G3, 4, 4}, {G2, 3, 0}, {G1, 5, 0}, {G3, 3, 0}, {B1, 4, 0}, {B3, 1, 1},
        {B2, 3, 0}, {R2, 4, 0}, {B3, 2, 2}, {R3, 4, 0}, {B3, 3, 3}}},
    // 8: MN 26, 8555 8555 8666
    {26, 5, 2, true, 8, {5, 5, 6}, {
        {R0, 7, 0}, {B3, 1, 1}, {B2, 4, 4}, {G0, 7, 0}, {B2, 5, 5}, {G2, 4, 4}, {B0, 7, 0}, {B3, 5, 5},
        {B3, 4, 4}, {R1, 4, 0}, {G3, 4, 4}, {G2, 3, 0}, {G1, 4, 0}, {B3, 0, 0}, {G3, 3, 0}, {B1, 5, 0},
        {B2, 3, 0}, {R2, 4, 0}, {B3, 2, 2}, {R3, 4, 0}, {B3, 3, 3}}},
    // 9: MN 30, 6666 (not transformed)
    {30, 5, 2, false, 6, {6, 6, 6}, {
        {R0, 5, 0}, {G3, 4, 4}, {B3, 0, 0}, {B3, 1, 1}, {B2, 4, 4}, {G0, 5, 0}, {G2, 5, 5}, {B2, 5, 5},
        {B3, 2, 2}, {G2, 4, 4}, {B0, 5, 0}, {G3, 5, 5}, {B3, 3, 3}, {B3, 5, 5}, {B3, 4, 4}, {R1, 5, 0},
        {G2, 3, 0}, {G1, 5, 0}, {G3, 3, 0}, {B1, 5, 0}, {B2, 3, 0}, {R2, 5, 0}, {R3, 5, 0}}},
    // 10: MN 3, 10.10 (not transformed)
    {3, 5, 1, false, 10, {10, 10, 10}, {
        {R0, 9, 0}, {G0, 9, 0}, {B0, 9, 0}, {R1, 9, 0}, {G1, 9, 0}, {B1, 9, 0}}},
    // 11: MN 7, 11.9
    {7, 5, 1, true, 11, {9, 9, 9}, {
        {R0, 9, 0}, {G0, 9, 0}, {B0, 9, 0}, {R1, 8, 0}, {R0, 10, 10}, {G1, 8, 0}, {G0, 10, 10}, {B1, 8, 0},
        {B0, 10, 10}}},
    // 12: MN 11, 12.8 (r0[10:11]: reversed)
    {11, 5, 1, true, 12, {8, 8, 8}, {
        {R0, 9, 0}, {G0, 9, 0}, {B0, 9, 0}, {R1, 7, 0}, {R0, 10, 11}, {G1, 7, 0}, {G0, 10, 11}, {B1, 7, 0},
        {B0, 10, 11}}},
    // 13: MN 15, 16.4 (r0[10:15]: reversed)
    {15, 5, 1, true, 16, {4, 4, 4}, {
        {R0, 9, 0}, {G0, 9, 0}, {B0, 9, 0}, {R1, 3, 0}, {R0, 10, 15}, {G1, 3, 0}, {G0, 10, 15}, {B1, 3, 0},
        {B0, 10, 15}}},
};
// clang-format on

// Number of segments of a mode: the runs that fill the header exactly (the array's tail is zero-initialised).
constexpr int segmentCount(const Bc6hMode& mode) {
    int endpointBits = (mode.regions == 2 ? 77 : 65) - mode.modeBits;
    int bits = 0;
    for (int i = 0; i < 24; ++i) {
        if (bits == endpointBits) return i;
        const Bc6hSegment& s = mode.segments[i];
        bits += (s.hi >= s.lo ? s.hi - s.lo : s.lo - s.hi) + 1;
    }
    return bits == endpointBits ? 24 : -1;
}

// Every variable bit must be written exactly once: each endpoint channel gets endpointBits (e0) or deltaBits
// (e1..e3) distinct bits. Checked at compile time so a transcription slip cannot survive a build.
constexpr bool layoutIsComplete(const Bc6hMode& mode) {
    int count = segmentCount(mode);
    if (count < 0) return false;
    std::uint32_t seen[12] = {};
    for (int i = 0; i < count; ++i) {
        const Bc6hSegment& s = mode.segments[i];
        int step = s.hi >= s.lo ? 1 : -1;
        for (int b = s.lo;; b += step) {
            if (seen[s.field] & (1u << b)) return false;
            seen[s.field] |= 1u << b;
            if (b == s.hi) break;
        }
    }
    for (int f = 0; f < 12; ++f) {
        int endpoint = f / 3, channel = f % 3;
        if (endpoint >= 2 * mode.regions) {
            if (seen[f] != 0) return false;
            continue;
        }
        int width = endpoint == 0 ? mode.endpointBits : mode.deltaBits[channel];
        if (seen[f] != (width >= 32 ? ~0u : (1u << width) - 1u)) return false;
    }
    return true;
}

constexpr bool allLayoutsComplete() {
    for (const auto& mode : kModes)
        if (!layoutIsComplete(mode)) return false;
    return true;
}
static_assert(allLayoutsComplete(), "a BC6H mode layout does not cover its endpoint bits exactly once");

// Mode index (0..13) of the block's low five bits, or -1 for the reserved values 19, 23, 27 and 31.
constexpr std::array<std::int8_t, 32> makeModeLookup() {
    std::array<std::int8_t, 32> lut{};
    for (int v = 0; v < 32; ++v) {
        int number = (v & 3) < 2 ? (v & 3) : v;
        lut[v] = -1;
        for (int m = 0; m < kModeCount; ++m)
            if (kModes[m].number == number) lut[v] = std::int8_t(m);
    }
    return lut;
}
inline constexpr std::array<std::int8_t, 32> kModeOfLowBits = makeModeLookup();

// Table.P2, rows 0..31 (BC6H uses the first 32 BC7 two-subset partitions): the subset of each texel, texels in
// row-major order (index = 4 * y + x).
// clang-format off
inline constexpr std::uint8_t kPartitions[32][16] = {
    {0,0,1,1,0,0,1,1,0,0,1,1,0,0,1,1}, {0,0,0,1,0,0,0,1,0,0,0,1,0,0,0,1},
    {0,1,1,1,0,1,1,1,0,1,1,1,0,1,1,1}, {0,0,0,1,0,0,1,1,0,0,1,1,0,1,1,1},
    {0,0,0,0,0,0,0,1,0,0,0,1,0,0,1,1}, {0,0,1,1,0,1,1,1,0,1,1,1,1,1,1,1},
    {0,0,0,1,0,0,1,1,0,1,1,1,1,1,1,1}, {0,0,0,0,0,0,0,1,0,0,1,1,0,1,1,1},
    {0,0,0,0,0,0,0,0,0,0,0,1,0,0,1,1}, {0,0,1,1,0,1,1,1,1,1,1,1,1,1,1,1},
    {0,0,0,0,0,0,0,1,0,1,1,1,1,1,1,1}, {0,0,0,0,0,0,0,0,0,0,0,1,0,1,1,1},
    {0,0,0,1,0,1,1,1,1,1,1,1,1,1,1,1}, {0,0,0,0,0,0,0,0,1,1,1,1,1,1,1,1},
    {0,0,0,0,1,1,1,1,1,1,1,1,1,1,1,1}, {0,0,0,0,0,0,0,0,0,0,0,0,1,1,1,1},
    {0,0,0,0,1,0,0,0,1,1,1,0,1,1,1,1}, {0,1,1,1,0,0,0,1,0,0,0,0,0,0,0,0},
    {0,0,0,0,0,0,0,0,1,0,0,0,1,1,1,0}, {0,1,1,1,0,0,1,1,0,0,0,1,0,0,0,0},
    {0,0,1,1,0,0,0,1,0,0,0,0,0,0,0,0}, {0,0,0,0,1,0,0,0,1,1,0,0,1,1,1,0},
    {0,0,0,0,0,0,0,0,1,0,0,0,1,1,0,0}, {0,1,1,1,0,0,1,1,0,0,1,1,0,0,0,1},
    {0,0,1,1,0,0,0,1,0,0,0,1,0,0,0,0}, {0,0,0,0,1,0,0,0,1,0,0,0,1,1,0,0},
    {0,1,1,0,0,1,1,0,0,1,1,0,0,1,1,0}, {0,0,1,1,0,1,1,0,0,1,1,0,1,1,0,0},
    {0,0,0,1,0,1,1,1,1,1,1,0,1,0,0,0}, {0,0,0,0,1,1,1,1,1,1,1,1,0,0,0,0},
    {0,1,1,1,0,0,0,1,1,0,0,0,1,1,1,0}, {0,0,1,1,1,0,0,1,1,0,0,1,1,1,0,0},
};
// clang-format on

// Table.A2, entries 0..31: the anchor texel of region 1 (region 0's anchor is always texel 0).
inline constexpr std::uint8_t kAnchor2[32] = {15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15,
                                              15, 2,  8,  2,  2,  8,  8,  15, 2,  8,  2,  2,  8,  8,  2,  2};

// Interpolation weights (out of 64) for 3- and 4-bit indices.
inline constexpr int kWeights3[8] = {0, 9, 18, 27, 37, 46, 55, 64};
inline constexpr int kWeights4[16] = {0, 4, 9, 13, 17, 21, 26, 30, 34, 38, 43, 47, 51, 55, 60, 64};

constexpr std::array<std::uint16_t, 32> makePartitionMasks() {
    std::array<std::uint16_t, 32> masks{};
    for (int p = 0; p < 32; ++p)
        for (int i = 0; i < 16; ++i)
            if (kPartitions[p][i]) masks[p] = std::uint16_t(masks[p] | (1u << i));
    return masks;
}
// Bit i set when texel i belongs to region 1.
inline constexpr std::array<std::uint16_t, 32> kPartitionMasks = makePartitionMasks();

}  // namespace lmc::bc6h
