// BC6H decoder tests from hand-assembled blocks. The blocks are assembled here from the text of the OpenGL
// ARB_texture_compression_bptc specification (Table.F format strings, Table.P2 rows, Table.A2 anchors, copied as
// text and parsed at run time), independently of the decoder's own tables. Expected texels come from the
// specification's pseudocode re-stated in bc6h_spec_reference.h (sign extension, inverse transform, unquantize,
// interpolation, finish_unquantize), evaluated on the field values we chose, never on what the decoder unpacked; a few
// cases use literal values worked out by hand (the arithmetic is in the comments). The reference's own block reader
// (referenceDecodeBlock, which other tests use as an independent decoder) reads the assembled blocks back to the same
// texels.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "codec/bc6h/bc6h_decoder.h"
#include "tests/codec/bc6h/bc6h_spec_reference.h"

using namespace lmc;
using namespace lmc::bc6h;
using namespace lmc::test::bc6h_spec;

namespace {

Vars randomVars(const SpecMode& mode, std::mt19937& rng, int partition) {
    Vars vars;
    const char* names = "rgb";
    const bool two = mode.partitionBits == 5;
    for (int k = 0; k < (two ? 4 : 2); ++k)
        for (int c = 0; c < 3; ++c) {
            int bits = k == 0 ? mode.epb : mode.delta[c];
            vars[std::string(1, names[c]) + char('0' + k)] = std::int64_t(rng() & ((1u << bits) - 1u));
        }
    vars["m"] = mode.number;
    if (two) vars["d"] = partition;
    return vars;
}

void randomIndices(const SpecMode& mode, std::mt19937& rng, int partition, int* indices) {
    const bool two = mode.partitionBits == 5;
    int anchor = two ? specAnchor(partition) : 0;
    for (int i = 0; i < 16; ++i) {
        int bits = two ? 3 : 4;
        if (i == 0 || (two && i == anchor)) --bits;
        indices[i] = int(rng() & ((1u << bits) - 1u));
    }
}

std::string describe(const SpecMode& mode, bool isSigned, const Vars& vars) {
    std::ostringstream os;
    os << "mode " << mode.number << (isSigned ? " SF16" : " UF16");
    for (auto& [k, v] : vars) os << ' ' << k << '=' << v;
    return os.str();
}

}  // namespace

// Every single variable bit of every mode lands where Table.F says: set one bit, unpack, find it in the right
// variable at the right position and nowhere else.
TEST(Bc6hDecoder, FieldLayoutMatchesArbTableF) {
    const char* names = "rgb";
    for (int m = 0; m < 14; ++m) {
        const SpecMode& mode = kSpecModes[m];
        const bool two = mode.partitionBits == 5;
        int zeros[16] = {};
        for (int k = 0; k < (two ? 4 : 2); ++k)
            for (int c = 0; c < 3; ++c) {
                int bits = k == 0 ? mode.epb : mode.delta[c];
                std::string key = std::string(1, names[c]) + char('0' + k);
                for (int b = 0; b < bits; ++b) {
                    Vars vars{{"m", mode.number}, {key, std::int64_t{1} << b}};
                    if (two) vars["d"] = 0;
                    std::uint8_t block[16];
                    assemble(mode, vars, zeros, block);
                    BlockFields fields;
                    ASSERT_TRUE(unpackBlock(block, fields)) << key;
                    EXPECT_EQ(fields.mode, m);
                    for (int kk = 0; kk < 4; ++kk)
                        for (int cc = 0; cc < 3; ++cc)
                            EXPECT_EQ(fields.stored[kk][cc], (kk == k && cc == c) ? (1 << b) : 0)
                                << "mode " << mode.number << " bit " << key << "[" << b << "]";
                    std::uint8_t repacked[16];
                    packBlock(fields, repacked);
                    EXPECT_EQ(0, std::memcmp(block, repacked, 16)) << "mode " << mode.number << " " << key;
                }
            }
    }
}

// Random blocks of every mode, every partition, both signednesses: texels equal the specification's.
TEST(Bc6hDecoder, RandomBlocksOfEveryModeAndPartitionMatchTheSpecification) {
    std::mt19937 rng(12345);
    int checked = 0;
    for (int m = 0; m < 14; ++m) {
        const SpecMode& mode = kSpecModes[m];
        const int partitions = mode.partitionBits == 5 ? 32 : 1;
        for (int isSigned = 0; isSigned < 2; ++isSigned)
            for (int p = 0; p < partitions; ++p)
                for (int trial = 0; trial < 24; ++trial) {
                    Vars vars = randomVars(mode, rng, p);
                    int indices[16];
                    randomIndices(mode, rng, p, indices);
                    std::uint8_t block[16];
                    assemble(mode, vars, indices, block);
                    std::uint16_t expected[16][3], actual[16][3];
                    referenceDecode(mode, vars, indices, isSigned != 0, expected);
                    decodeBlock(block, isSigned != 0, actual);
                    std::uint16_t reread[16][3];
                    referenceDecodeBlock(block, isSigned != 0, reread);
                    for (int i = 0; i < 16; ++i)
                        for (int c = 0; c < 3; ++c) {
                            ASSERT_EQ(actual[i][c], expected[i][c])
                                << describe(mode, isSigned != 0, vars) << " texel " << i << " channel " << c;
                            ASSERT_EQ(reread[i][c], expected[i][c])
                                << describe(mode, isSigned != 0, vars) << " texel " << i << " channel " << c;
                        }
                    // The field layer round-trips bit for bit.
                    BlockFields fields;
                    ASSERT_TRUE(unpackBlock(block, fields));
                    EXPECT_EQ(fields.partition, mode.partitionBits ? p : 0);
                    for (int i = 0; i < 16; ++i) EXPECT_EQ(fields.index[i], indices[i]);
                    std::uint8_t repacked[16];
                    packBlock(fields, repacked);
                    ASSERT_EQ(0, std::memcmp(block, repacked, 16));
                    ++checked;
                }
    }
    EXPECT_EQ(checked, (10 * 32 + 4) * 2 * 24);
}

// Table.P2 / A2 as the decoder uses them: a two-region block whose region-0 endpoints decode to 0 and region-1
// endpoints to the maximum shows the partition shape directly (mode 30: absolute 6-bit endpoints).
TEST(Bc6hDecoder, AllThirtyTwoPartitionShapes) {
    const SpecMode& mode = kSpecModes[9];
    ASSERT_EQ(mode.number, 30);
    for (int p = 0; p < 32; ++p) {
        Vars vars{{"m", 30}, {"d", p},   {"r0", 0},  {"g0", 0},  {"b0", 0},  {"r1", 0},  {"g1", 0},
                  {"b1", 0}, {"r2", 63}, {"g2", 63}, {"b2", 63}, {"r3", 63}, {"g3", 63}, {"b3", 63}};
        int indices[16] = {};
        std::uint8_t block[16];
        assemble(mode, vars, indices, block);
        std::uint16_t texels[16][3];
        decodeBlock(block, false, texels);
        for (int i = 0; i < 16; ++i) {
            // 63 is the 6-bit maximum -> 0xFFFF -> (0xFFFF * 31) >> 6 = 0x7BFF.
            std::uint16_t expected = specSubset(p, i) ? 0x7BFF : 0;
            EXPECT_EQ(texels[i][0], expected) << "partition " << p << " texel " << i;
            EXPECT_EQ(texels[i][2], expected);
        }
    }
}

TEST(Bc6hDecoder, ReservedModesDecodeToZero) {
    std::mt19937 rng(7);
    for (int reserved : {19, 23, 27, 31})
        for (int isSigned = 0; isSigned < 2; ++isSigned)
            for (int trial = 0; trial < 50; ++trial) {
                std::uint8_t block[16];
                for (auto& b : block) b = std::uint8_t(rng());
                block[0] = std::uint8_t((block[0] & 0xE0) | reserved);
                std::uint16_t texels[16][3];
                std::memset(texels, 0xAB, sizeof(texels));
                decodeBlock(block, isSigned != 0, texels);
                for (auto& t : texels)
                    for (auto v : t) ASSERT_EQ(v, 0) << "mode " << reserved;
                std::memset(texels, 0xAB, sizeof(texels));
                referenceDecodeBlock(block, isSigned != 0, texels);
                for (auto& t : texels)
                    for (auto v : t) ASSERT_EQ(v, 0) << "reference, mode " << reserved;
                BlockFields fields;
                EXPECT_FALSE(unpackBlock(block, fields));
            }
}

// Mode 3 (10.10, one region), UF16, e0 = 0, e1 = 1023 (the 10-bit maximum, unquantized to 0xFFFF), index i at
// texel i. Texel i: ((0xFFFF * w4[i] + 32) >> 6) * 31 >> 6, e.g. w = 4: (262140 + 32) >> 6 = 4096,
// 4096 * 31 >> 6 = 1984 = 0x07C0 = 1.1826e-4; w = 64: 0xFFFF * 31 >> 6 = 31743 = 0x7BFF = 65504.
TEST(Bc6hDecoder, HandComputedRampInMode3) {
    const SpecMode& mode = kSpecModes[10];
    ASSERT_EQ(mode.number, 3);
    Vars vars{{"m", 3}, {"r1", 1023}, {"g1", 1023}, {"b1", 1023}};
    int indices[16];
    for (int i = 0; i < 16; ++i) indices[i] = i;
    indices[0] = 0;
    std::uint8_t block[16];
    assemble(mode, vars, indices, block);
    const std::uint16_t expected[16] = {0,     1984,  4464,  6448,  8432,  10416, 12896, 14880,
                                        16863, 18847, 21327, 23311, 25295, 27279, 29759, 31743};
    const float expectedFloat[16] = {0.0f,
                                     0.000118255615234375f,
                                     0.00066375732421875f,
                                     0.002532958984375f,
                                     0.0096435546875f,
                                     0.03662109375f,
                                     0.19921875f,
                                     0.765625f,
                                     2.935546875f,
                                     11.2421875f,
                                     58.46875f,
                                     225.875f,
                                     871.5f,
                                     3358.0f,
                                     17392.0f,
                                     65504.0f};
    std::uint16_t texels[16][3];
    decodeBlock(block, false, texels);
    for (int i = 0; i < 16; ++i) {
        EXPECT_EQ(texels[i][0], expected[i]) << i;
        EXPECT_EQ(texels[i][1], expected[i]) << i;
        EXPECT_EQ(halfToFloat(texels[i][2]), expectedFloat[i]) << i;
    }
}

// SF16, mode 3: r0 = 0x200 is -512 after sign extension; |-512| >= 2^9 - 1 so it unquantizes to -0x7FFF, and
// finish gives -((0x7FFF * 31) >> 5) = -31743 -> 0xFBFF = -65504. g0 = 1 -> ((1 << 15) + 0x4000) >> 9 = 96,
// (96 * 31) >> 5 = 93 (a subnormal, 93 * 2^-24). b0 = 0x3FF = -1 -> -96 -> 0x8000 | 93.
TEST(Bc6hDecoder, HandComputedSignedUnquantize) {
    const SpecMode& mode = kSpecModes[10];
    Vars vars{{"m", 3}, {"r0", 0x200}, {"g0", 1}, {"b0", 0x3FF}};
    int indices[16] = {};
    std::uint8_t block[16];
    assemble(mode, vars, indices, block);
    std::uint16_t texels[16][3];
    decodeBlock(block, true, texels);
    EXPECT_EQ(texels[5][0], 0xFBFF);
    EXPECT_EQ(halfToFloat(texels[5][0]), -65504.0f);
    EXPECT_EQ(texels[5][1], 93);
    EXPECT_EQ(texels[5][2], 0x8000 | 93);
    EXPECT_EQ(halfToFloat(texels[5][2]), -93.0f * std::ldexp(1.0f, -24));
    // Unsigned reading of the same block: r0 = 512 -> ((512 << 16) + 0x8000) >> 10 = 32800 -> 32800*31 >> 6 = 15887.
    decodeBlock(block, false, texels);
    EXPECT_EQ(texels[5][0], 15887);
}

// Mode 15 (16.4): the base passes through unquantize. UF16 wraps modulo 2^16: r0 = 0xFFFF, r1 delta +1 -> 0.
// g0 = 0x1234, g1 delta 0b1000 = -8 -> 0x122C. b0 = 0, b1 = 7. Texel index 0 (w 0), 15 (w 64), 8 (w 34):
// r: 31743, 0, ((0xFFFF * 30 + 32) >> 6) * 31 >> 6 = 14880; g: 2257, 2253, 2255; b: 0, 3, 1.
TEST(Bc6hDecoder, HandComputedWrappingOfTransformedEndpoints) {
    const SpecMode& mode = kSpecModes[13];
    ASSERT_EQ(mode.number, 15);
    Vars vars{{"m", 15}, {"r0", 0xFFFF}, {"r1", 1}, {"g0", 0x1234}, {"g1", 8}, {"b0", 0}, {"b1", 7}};
    int indices[16] = {0, 15, 8};
    std::uint8_t block[16];
    assemble(mode, vars, indices, block);
    std::uint16_t texels[16][3];
    decodeBlock(block, false, texels);
    const std::uint16_t expected[3][3] = {{31743, 2257, 0}, {0, 2253, 3}, {14880, 2255, 1}};
    for (int i = 0; i < 3; ++i)
        for (int c = 0; c < 3; ++c) EXPECT_EQ(texels[i][c], expected[i][c]) << i << "," << c;
}

// Mode 11 (12.8) stores r0[10:11] reversed: the first of those two block bits is r0 bit 11. Setting only that
// block bit gives r0 = 2048: ((2048 << 16) + 0x8000) >> 12 = 32776, * 31 >> 6 = 15875 = 0x3E03 = 1.5029296875
// (reading it unreversed, as r0 = 1024, would give 7939).
TEST(Bc6hDecoder, HandComputedReversedBits) {
    std::uint8_t block[16] = {};
    block[0] = 11;  // mode bits
    // m[4:0] (5) + r0,g0,b0 [9:0] (30) + r1[7:0] (8) = 43: the first r0[10:11] bit is block bit 43.
    setBit(block, 43, 1);
    std::uint16_t texels[16][3];
    decodeBlock(block, false, texels);
    EXPECT_EQ(texels[0][0], 15875);
    EXPECT_EQ(halfToFloat(texels[0][0]), 1.5029296875f);
    EXPECT_EQ(texels[0][1], 0);
    // Mode 15 (16.4): r0[10:15], the first bit is r0 bit 15 -> r0 = 0x8000 passes through; 0x8000 * 31 >> 6 =
    // 15872 = 0x3E00 = 1.5.
    std::memset(block, 0, 16);
    block[0] = 15;
    setBit(block, 39, 1);  // 5 + 30 + r1[3:0] (4)
    decodeBlock(block, false, texels);
    EXPECT_EQ(texels[0][0], 0x3E00);
    // SF16: r0 = 0x8000 is -32768 after sign extension, passes through (16 bits), and finish gives
    // -((32768 * 31) >> 5) = -31744 -> 0xFC00: the -Inf the specification says SF16 can represent.
    decodeBlock(block, true, texels);
    EXPECT_EQ(texels[0][0], 0xFC00);
    EXPECT_TRUE(std::isinf(halfToFloat(texels[0][0])) && halfToFloat(texels[0][0]) < 0);
}

// Transformed deltas are sign-extended even in UF16; the base is not. Mode 0: r0 = 100, r1 = 0b11111 (-1) -> 99,
// r2 = 0b10000 (-16) -> 84, r3 = 0b01111 (+15) -> 115. Unquantized (10 bits): ((x << 16) + 0x8000) >> 10.
TEST(Bc6hDecoder, HandComputedDeltaSignExtensionInUnsignedMode) {
    const SpecMode& mode = kSpecModes[0];
    Vars vars{{"m", 0}, {"d", 13}, {"r0", 100}, {"r1", 31}, {"r2", 16}, {"r3", 15}};
    // Partition 13: texels 0..7 in region 0, 8..15 in region 1; anchor of region 1 is texel 15.
    int indices[16] = {0, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3};
    std::uint8_t block[16];
    assemble(mode, vars, indices, block);
    std::uint16_t texels[16][3];
    decodeBlock(block, false, texels);
    auto unq = [](int x) { return ((x << 16) + 0x8000) >> 10; };
    EXPECT_EQ(texels[0][0], (unq(100) * 31) >> 6);  // 6432 * 31 >> 6 = 3115
    EXPECT_EQ(texels[0][0], 3115);
    EXPECT_EQ(texels[1][0], (unq(99) * 31) >> 6);  // 3084
    EXPECT_EQ(texels[1][0], 3084);
    EXPECT_EQ(texels[8][0], (unq(84) * 31) >> 6);  // 2619
    EXPECT_EQ(texels[8][0], 2619);
    // Texel 15, index 3 (w 27): (5408 * 37 + 7392 * 27 + 32) >> 6 = 6245, * 31 >> 6 = 3024.
    EXPECT_EQ(texels[15][0], 3024);
    EXPECT_EQ(unq(84), 5408);
    EXPECT_EQ(unq(115), 7392);
}

TEST(Bc6hDecoder, HalfToFloatCoversEveryClass) {
    EXPECT_EQ(halfToFloat(0x0000), 0.0f);
    EXPECT_TRUE(std::signbit(halfToFloat(0x8000)));
    EXPECT_EQ(halfToFloat(0x3C00), 1.0f);
    EXPECT_EQ(halfToFloat(0xC000), -2.0f);
    EXPECT_EQ(halfToFloat(0x0001), std::ldexp(1.0f, -24));
    EXPECT_EQ(halfToFloat(0x03FF), 1023.0f * std::ldexp(1.0f, -24));
    EXPECT_EQ(halfToFloat(0x0400), std::ldexp(1.0f, -14));
    EXPECT_EQ(halfToFloat(0x7BFF), 65504.0f);
    EXPECT_TRUE(std::isinf(halfToFloat(0x7C00)));
    EXPECT_TRUE(std::isnan(halfToFloat(0x7E00)));
}

TEST(Bc6hDecoder, ImageDecodeChecksSizesAndCropsPartialBlocks) {
    CodecContext context;
    // 5x3 needs 2x1 blocks.
    std::vector<std::uint8_t> data(2 * 16, 0);
    // Block 1: mode 15 with r0 = g0 = b0 = 0x3C00 * 64 / 31 -> a flat block; fill via assembler.
    Vars vars{{"m", 15}, {"r0", 31711}, {"g0", 31711}, {"b0", 31711}};
    int zeros[16] = {};
    assemble(kSpecModes[13], vars, zeros, data.data() + 16);
    auto image = decodeBc6hBlocks(data.data(), data.size(), 5, 3, false, context);
    ASSERT_TRUE(image.ok()) << image.error().message;
    EXPECT_EQ(image->width(), 5);
    EXPECT_EQ(image->height(), 3);
    // 31711 * 31 >> 6 = 15360 = 0x3C00 = 1.0
    EXPECT_EQ(image->texel(4, 2)[1], 1.0f);
    EXPECT_EQ(image->texel(3, 0)[0], 0.0f);
    auto truncated = decodeBc6hBlocks(data.data(), data.size() - 1, 5, 3, false, context);
    ASSERT_FALSE(truncated.ok());
    EXPECT_EQ(truncated.error().code, ErrorCode::CorruptData);
    auto huge = decodeBc6hBlocks(data.data(), data.size(), 100000, 3, false, context);
    ASSERT_FALSE(huge.ok());
    EXPECT_EQ(huge.error().code, ErrorCode::TooLarge);
}
