// The BC6H specification as text, for tests: Table.F format strings, Table.P2 partitions and Table.A2 anchors of
// the OpenGL ARB_texture_compression_bptc extension (copied verbatim and parsed at run time), and the specification's
// decoding pseudocode restated (sign extension, inverse transform, unquantize, interpolation, finish_unquantize),
// independently of codec/bc6h's own tables and decoder. test_bc6h_decoder.cpp checks our decoder against it on
// hand-assembled blocks; referenceDecodeBlock decodes any block with it, so encoder output (RDO included) can be
// compared with an independent decoder. Header-only (every tests/codec/*.cpp is one binary): all inline, in
// lmc::test::bc6h_spec.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace lmc::test::bc6h_spec {

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
inline const SpecMode kSpecModes[14] = {
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
inline const char* const kSpecP2 =
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
inline const char* const kSpecA2 =
    "15,15,15,15,15,15,15,15,15,15,15,15,15,15,15,15,15, 2, 8, 2, 2, 8, 8,15, 2, 8, 2, 2, 8, 8, 2, 2";

inline std::vector<int> parseInts(const std::string& text) {
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

inline int specSubset(int partition, int texel) {
    static const std::vector<int> table = [] {
        std::string text = kSpecP2;
        for (char& ch : text)
            if (ch == '\n') ch = ',';
        return parseInts(text);
    }();
    return table.at(std::size_t(partition) * 16 + std::size_t(texel));
}

inline int specAnchor(int partition) {
    static const std::vector<int> table = parseInts(kSpecA2);
    return table.at(std::size_t(partition));
}

// Variables of a block: "m", "d", "r0".."b3".
using Vars = std::map<std::string, std::int64_t>;

struct FormatItem {
    std::string var;
    int a, b;  // v[a:b]
};

inline std::vector<FormatItem> parseFormat(const std::string& format) {
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

inline void setBit(std::uint8_t* block, int pos, int value) {
    if (value) block[pos / 8] = std::uint8_t(block[pos / 8] | (1u << (pos % 8)));
}

// Assembles a block the way Table.F reads: LSB first, "v[a:b]" takes |a-b|+1 block bits and, reading v[a:b] as
// an ordinary bit field whose first block bit is its least significant bit, puts it into v bits b..a (reversed
// when a < b).
inline void assemble(const SpecMode& mode, const Vars& vars, const int* indices, std::uint8_t block[16]) {
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

inline int signExtendRef(std::int64_t v, int bits) {
    v &= (std::int64_t{1} << bits) - 1;
    return int(v >= (std::int64_t{1} << (bits - 1)) ? v - (std::int64_t{1} << bits) : v);
}

inline int unquantizeRef(int x, int epb, bool isSigned) {
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

inline std::uint16_t finishRef(int comp, bool isSigned) {
    if (!isSigned) return std::uint16_t((comp * 31) >> 6);
    comp = (comp < 0) ? -(((-comp) * 31) >> 5) : (comp * 31) >> 5;
    int s = 0;
    if (comp < 0) {
        s = 0x8000;
        comp = -comp;
    }
    return std::uint16_t(s | comp);
}

inline const int kW3[] = {0, 9, 18, 27, 37, 46, 55, 64};
inline const int kW4[] = {0, 4, 9, 13, 17, 21, 26, 30, 34, 38, 43, 47, 51, 55, 60, 64};

// Expected half bits of texel i from the chosen variables.
inline void referenceDecode(const SpecMode& mode, const Vars& vars, const int* indices, bool isSigned,
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

// Decodes any 128-bit block by the text above: the mode from its first 2 or 5 bits (reserved modes give zeros, as the
// specification says), every field read back through Table.F, then referenceDecode.
inline void referenceDecodeBlock(const std::uint8_t block[16], bool isSigned, std::uint16_t out[16][3]) {
    auto bit = [&](int pos) { return (block[pos / 8] >> (pos % 8)) & 1; };
    const int low = bit(0) | (bit(1) << 1);
    const int number = low < 2 ? low : low | (bit(2) << 2) | (bit(3) << 3) | (bit(4) << 4);
    const SpecMode* mode = nullptr;
    for (const SpecMode& m : kSpecModes)
        if (m.number == number) mode = &m;
    if (mode == nullptr) {
        std::memset(out, 0, sizeof(std::uint16_t) * 48);
        return;
    }
    Vars vars;
    int pos = 0;
    for (const FormatItem& item : parseFormat(mode->format)) {
        const int n = std::abs(item.a - item.b) + 1, step = item.a >= item.b ? 1 : -1;
        for (int k = 0; k < n; ++k)
            if (bit(pos++)) vars[item.var] |= std::int64_t{1} << (item.b + step * k);
    }
    const bool two = mode->partitionBits == 5;
    if (two) {
        vars["d"] = 0;
        for (int k = 0; k < 5; ++k) vars["d"] |= std::int64_t(bit(pos++)) << k;
    }
    const int anchor = two ? specAnchor(int(vars.at("d"))) : 0;
    int indices[16];
    for (int i = 0; i < 16; ++i) {
        int bits = two ? 3 : 4;
        if (i == 0 || (two && i == anchor)) --bits;
        indices[i] = 0;
        for (int k = 0; k < bits; ++k) indices[i] |= bit(pos++) << k;
    }
    referenceDecode(*mode, vars, indices, isSigned, out);
}

}  // namespace lmc::test::bc6h_spec
