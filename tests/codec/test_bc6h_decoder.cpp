// BC6H decoder tests from hand-assembled blocks. The blocks are assembled here from the text of the OpenGL
// ARB_texture_compression_bptc specification (Table.F format strings, Table.P2 rows, Table.A2 anchors, copied as
// text and parsed at run time), independently of the decoder's own tables. Expected texels come from the
// specification's pseudocode re-stated below (sign extension, inverse transform, unquantize, interpolation,
// finish_unquantize), evaluated on the field values we chose, never on what the decoder unpacked; a few cases use
// literal values worked out by hand (the arithmetic is in the comments).
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

using namespace lmc;
using namespace lmc::bc6h;

namespace {

// ---- The specification as text -----------------------------------------------------------------------------

struct SpecMode {
    int number;
    bool transformed;
    int partitionBits;
    int epb;
    int delta[3];
    const char* format;
};

// Table.MF and Table.F of ARB_texture_compression_bptc, verbatim.
const SpecMode kSpecModes[14] = {
    {0,
     true,
     5,
     10,
     {5, 5, 5},
     "m[1:0],g2[4],b2[4],b3[4],r0[9:0],g0[9:0],b0[9:0],r1[4:0],g3[4],g2[3:0],"
     "g1[4:0],b3[0],g3[3:0],b1[4:0],b3[1],b2[3:0],r2[4:0],b3[2],r3[4:0],b3[3]"},
    {1,
     true,
     5,
     7,
     {6, 6, 6},
     "m[1:0],g2[5],g3[4],g3[5],r0[6:0],b3[0],b3[1],b2[4],g0[6:0],b2[5],b3[2],"
     "g2[4],b0[6:0],b3[3],b3[5],b3[4],r1[5:0],g2[3:0],g1[5:0],g3[3:0],b1[5:0],"
     "b2[3:0],r2[5:0],r3[5:0]"},
    {2,
     true,
     5,
     11,
     {5, 4, 4},
     "m[4:0],r0[9:0],g0[9:0],b0[9:0],r1[4:0],r0[10],g2[3:0],g1[3:0],g0[10],"
     "b3[0],g3[3:0],b1[3:0],b0[10],b3[1],b2[3:0],r2[4:0],b3[2],r3[4:0],b3[3]"},
    {6,
     true,
     5,
     11,
     {4, 5, 4},
     "m[4:0],r0[9:0],g0[9:0],b0[9:0],r1[3:0],r0[10],g3[4],g2[3:0],g1[4:0],"
     "g0[10],g3[3:0],b1[3:0],b0[10],b3[1],b2[3:0],r2[3:0],b3[0],b3[2],r3[3:0],"
     "g2[4],b3[3]"},
    {10,
     true,
     5,
     11,
     {4, 4, 5},
     "m[4:0],r0[9:0],g0[9:0],b0[9:0],r1[3:0],r0[10],b2[4],g2[3:0],g1[3:0],"
     "g0[10],b3[0],g3[3:0],b1[4:0],b0[10],b2[3:0],r2[3:0],b3[1],b3[2],r3[3:0],"
     "b3[4],b3[3]"},
    {14,
     true,
     5,
     9,
     {5, 5, 5},
     "m[4:0],r0[8:0],b2[4],g0[8:0],g2[4],b0[8:0],b3[4],r1[4:0],g3[4],g2[3:0],"
     "g1[4:0],b3[0],g3[3:0],b1[4:0],b3[1],b2[3:0],r2[4:0],b3[2],r3[4:0],b3[3]"},
    {18,
     true,
     5,
     8,
     {6, 5, 5},
     "m[4:0],r0[7:0],g3[4],b2[4],g0[7:0],b3[2],g2[4],b0[7:0],b3[3],b3[4],"
     "r1[5:0],g2[3:0],g1[4:0],b3[0],g3[3:0],b1[4:0],b3[1],b2[3:0],r2[5:0],"
     "r3[5:0]"},
    {22,
     true,
     5,
     8,
     {5, 6, 5},
     "m[4:0],r0[7:0],b3[0],b2[4],g0[7:0],g2[5],g2[4],b0[7:0],g3[5],b3[4],"
     "r1[4:0],g3[4],g2[3:0],g1[5:0],g3[3:0],b1[4:0],b3[1],b2[3:0],r2[4:0],"
     "b3[2],r3[4:0],b3[3]"},
    {26,
     true,
     5,
     8,
     {5, 5, 6},
     "m[4:0],r0[7:0],b3[1],b2[4],g0[7:0],b2[5],g2[4],b0[7:0],b3[5],b3[4],"
     "r1[4:0],g3[4],g2[3:0],g1[4:0],b3[0],g3[3:0],b1[5:0],b2[3:0],r2[4:0],"
     "b3[2],r3[4:0],b3[3]"},
    {30,
     false,
     5,
     6,
     {6, 6, 6},
     "m[4:0],r0[5:0],g3[4],b3[0],b3[1],b2[4],g0[5:0],g2[5],b2[5],b3[2],"
     "g2[4],b0[5:0],g3[5],b3[3],b3[5],b3[4],r1[5:0],g2[3:0],g1[5:0],g3[3:0],"
     "b1[5:0],b2[3:0],r2[5:0],r3[5:0]"},
    {3, false, 0, 10, {10, 10, 10}, "m[4:0],r0[9:0],g0[9:0],b0[9:0],r1[9:0],g1[9:0],b1[9:0]"},
    {7,
     true,
     0,
     11,
     {9, 9, 9},
     "m[4:0],r0[9:0],g0[9:0],b0[9:0],r1[8:0],r0[10],g1[8:0],g0[10],b1[8:0],"
     "b0[10]"},
    {11,
     true,
     0,
     12,
     {8, 8, 8},
     "m[4:0],r0[9:0],g0[9:0],b0[9:0],r1[7:0],r0[10:11],g1[7:0],g0[10:11],"
     "b1[7:0],b0[10:11]"},
    {15,
     true,
     0,
     16,
     {4, 4, 4},
     "m[4:0],r0[9:0],g0[9:0],b0[9:0],r1[3:0],r0[10:15],g1[3:0],g0[10:15],"
     "b1[3:0],b0[10:15]"},
};

// Table.P2 rows 0..31 and Table.A2 entries 0..31, verbatim.
const char* kSpecP2 =
    "0,0,1,1,0,0,1,1,0,0,1,1,0,0,1,1\n0,0,0,1,0,0,0,1,0,0,0,1,0,0,0,1\n0,1,1,1,0,1,1,1,0,1,1,1,0,1,1,1\n"
    "0,0,0,1,0,0,1,1,0,0,1,1,0,1,1,1\n0,0,0,0,0,0,0,1,0,0,0,1,0,0,1,1\n0,0,1,1,0,1,1,1,0,1,1,1,1,1,1,1\n"
    "0,0,0,1,0,0,1,1,0,1,1,1,1,1,1,1\n0,0,0,0,0,0,0,1,0,0,1,1,0,1,1,1\n0,0,0,0,0,0,0,0,0,0,0,1,0,0,1,1\n"
    "0,0,1,1,0,1,1,1,1,1,1,1,1,1,1,1\n0,0,0,0,0,0,0,1,0,1,1,1,1,1,1,1\n0,0,0,0,0,0,0,0,0,0,0,1,0,1,1,1\n"
    "0,0,0,1,0,1,1,1,1,1,1,1,1,1,1,1\n0,0,0,0,0,0,0,0,1,1,1,1,1,1,1,1\n0,0,0,0,1,1,1,1,1,1,1,1,1,1,1,1\n"
    "0,0,0,0,0,0,0,0,0,0,0,0,1,1,1,1\n0,0,0,0,1,0,0,0,1,1,1,0,1,1,1,1\n0,1,1,1,0,0,0,1,0,0,0,0,0,0,0,0\n"
    "0,0,0,0,0,0,0,0,1,0,0,0,1,1,1,0\n0,1,1,1,0,0,1,1,0,0,0,1,0,0,0,0\n0,0,1,1,0,0,0,1,0,0,0,0,0,0,0,0\n"
    "0,0,0,0,1,0,0,0,1,1,0,0,1,1,1,0\n0,0,0,0,0,0,0,0,1,0,0,0,1,1,0,0\n0,1,1,1,0,0,1,1,0,0,1,1,0,0,0,1\n"
    "0,0,1,1,0,0,0,1,0,0,0,1,0,0,0,0\n0,0,0,0,1,0,0,0,1,0,0,0,1,1,0,0\n0,1,1,0,0,1,1,0,0,1,1,0,0,1,1,0\n"
    "0,0,1,1,0,1,1,0,0,1,1,0,1,1,0,0\n0,0,0,1,0,1,1,1,1,1,1,0,1,0,0,0\n0,0,0,0,1,1,1,1,1,1,1,1,0,0,0,0\n"
    "0,1,1,1,0,0,0,1,1,0,0,0,1,1,1,0\n0,0,1,1,1,0,0,1,1,0,0,1,1,1,0,0\n";
const char* kSpecA2 = "15,15,15,15,15,15,15,15,15,15,15,15,15,15,15,15,15, 2, 8, 2, 2, 8, 8,15, 2, 8, 2, 2, 8, 8, 2, 2";

std::vector<int> parseInts(const std::string& text) {
    std::vector<int> out;
    std::string token;
    std::stringstream ss(text);
    while (std::getline(ss, token, ',')) {
        std::stringstream line(token);
        int v;
        while (line >> v) out.push_back(v);
    }
    return out;
}

int specSubset(int partition, int texel) {
    static const std::vector<int> table = [] {
        std::string text = kSpecP2;
        for (char& ch : text)
            if (ch == '\n') ch = ',';
        return parseInts(text);
    }();
    return table.at(std::size_t(partition) * 16 + std::size_t(texel));
}

int specAnchor(int partition) {
    static const std::vector<int> table = parseInts(kSpecA2);
    return table.at(std::size_t(partition));
}

// Variables of a block: "m", "d", "r0".."b3".
using Vars = std::map<std::string, std::int64_t>;

struct FormatItem {
    std::string var;
    int a, b;  // v[a:b]
};

std::vector<FormatItem> parseFormat(const std::string& format) {
    std::vector<FormatItem> items;
    std::stringstream ss(format);
    std::string token;
    while (std::getline(ss, token, ',')) {
        FormatItem item;
        std::size_t open = token.find('['), colon = token.find(':'), close = token.find(']');
        item.var = token.substr(0, open);
        if (colon == std::string::npos) {
            item.a = item.b = std::stoi(token.substr(open + 1, close - open - 1));
        } else {
            item.a = std::stoi(token.substr(open + 1, colon - open - 1));
            item.b = std::stoi(token.substr(colon + 1, close - colon - 1));
        }
        items.push_back(item);
    }
    return items;
}

void setBit(std::uint8_t* block, int pos, int value) {
    if (value) block[pos / 8] = std::uint8_t(block[pos / 8] | (1u << (pos % 8)));
}

// Assembles a block the way Table.F reads: LSB first, "v[a:b]" takes |a-b|+1 block bits and, reading v[a:b] as
// an ordinary bit field whose first block bit is its least significant bit, puts it into v bits b..a (reversed
// when a < b).
void assemble(const SpecMode& mode, const Vars& vars, const int* indices, std::uint8_t block[16]) {
    std::memset(block, 0, 16);
    int pos = 0;
    for (const FormatItem& item : parseFormat(mode.format)) {
        std::int64_t v = vars.count(item.var) ? vars.at(item.var) : 0;
        int n = std::abs(item.a - item.b) + 1;
        int step = item.a >= item.b ? 1 : -1;
        for (int k = 0; k < n; ++k) setBit(block, pos++, int((v >> (item.b + step * k)) & 1));
    }
    const bool two = mode.partitionBits == 5;
    EXPECT_EQ(pos, two ? 77 : 65) << "mode " << mode.number;
    if (two) {
        for (int k = 0; k < 5; ++k) setBit(block, pos++, int((vars.at("d") >> k) & 1));
    }
    int anchor = two ? specAnchor(int(vars.at("d"))) : 0;
    for (int i = 0; i < 16; ++i) {
        int bits = two ? 3 : 4;
        if (i == 0 || (two && i == anchor)) --bits;
        for (int k = 0; k < bits; ++k) setBit(block, pos++, (indices[i] >> k) & 1);
    }
    EXPECT_EQ(pos, 128);
}

// ---- The specification's decoding, restated --------------------------------------------------------------------

int signExtendRef(std::int64_t v, int bits) {
    v &= (std::int64_t{1} << bits) - 1;
    return int(v >= (std::int64_t{1} << (bits - 1)) ? v - (std::int64_t{1} << bits) : v);
}

int unquantizeRef(int x, int epb, bool isSigned) {
    if (!isSigned) {
        if (epb >= 15) return x;
        if (x == 0) return 0;
        if (x == ((1 << epb) - 1)) return 0xFFFF;
        return ((x << 15) + 0x4000) >> (epb - 1);  // ARB's form; Microsoft writes ((x << 16) + 0x8000) >> epb
    }
    if (epb >= 16) return x;
    int s = 0;
    if (x < 0) {
        s = 1;
        x = -x;
    }
    int unq;
    if (x == 0)
        unq = 0;
    else if (x >= ((1 << (epb - 1)) - 1))
        unq = 0x7FFF;
    else
        unq = ((x << 15) + 0x4000) >> (epb - 1);
    return s ? -unq : unq;
}

std::uint16_t finishRef(int comp, bool isSigned) {
    if (!isSigned) return std::uint16_t((comp * 31) >> 6);
    comp = (comp < 0) ? -(((-comp) * 31) >> 5) : (comp * 31) >> 5;
    int s = 0;
    if (comp < 0) {
        s = 0x8000;
        comp = -comp;
    }
    return std::uint16_t(s | comp);
}

const int kW3[] = {0, 9, 18, 27, 37, 46, 55, 64};
const int kW4[] = {0, 4, 9, 13, 17, 21, 26, 30, 34, 38, 43, 47, 51, 55, 60, 64};

// Expected half bits of texel i from the chosen variables.
void referenceDecode(const SpecMode& mode, const Vars& vars, const int* indices, bool isSigned,
                     std::uint16_t out[16][3]) {
    const bool two = mode.partitionBits == 5;
    const char* names = "rgb";
    int e[4][3];
    for (int c = 0; c < 3; ++c) {
        auto get = [&](int k) {
            std::string key = std::string(1, names[c]) + char('0' + k);
            return vars.count(key) ? vars.at(key) : 0;
        };
        std::int64_t base = get(0) & ((std::int64_t{1} << mode.epb) - 1);
        e[0][c] = isSigned ? signExtendRef(base, mode.epb) : int(base);
        for (int k = 1; k < (two ? 4 : 2); ++k) {
            std::int64_t v = get(k) & ((std::int64_t{1} << mode.delta[c]) - 1);
            int x = (mode.transformed || isSigned) ? signExtendRef(v, mode.delta[c]) : int(v);
            if (mode.transformed) {
                x = (e[0][c] + x) & ((1 << mode.epb) - 1);
                if (isSigned) x = signExtendRef(x, mode.epb);
            }
            e[k][c] = x;
        }
    }
    for (int i = 0; i < 16; ++i) {
        int region = two ? specSubset(int(vars.at("d")), i) : 0;
        int w = two ? kW3[indices[i]] : kW4[indices[i]];
        for (int c = 0; c < 3; ++c) {
            int a = unquantizeRef(e[2 * region][c], mode.epb, isSigned);
            int b = unquantizeRef(e[2 * region + 1][c], mode.epb, isSigned);
            out[i][c] = finishRef((a * (64 - w) + b * w + 32) >> 6, isSigned);
        }
    }
}

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
                    for (int i = 0; i < 16; ++i)
                        for (int c = 0; c < 3; ++c)
                            ASSERT_EQ(actual[i][c], expected[i][c])
                                << describe(mode, isSigned != 0, vars) << " texel " << i << " channel " << c;
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
