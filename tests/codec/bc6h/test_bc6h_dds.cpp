// DDS container for BC6H: the exact header we write (so DDS tools open our files), and every kind of damaged
// file giving an error rather than a crash; rate-distortion optimised output (rdo) is the same kind of file, whose
// blocks the specification's restated decoding (bc6h_spec_reference.h) reads to our decoder's texels.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <random>
#include <vector>

#include "codec/bc6h/bc6h_decoder.h"
#include "codec/bc6h/dds.h"
#include "codec/codec.h"
#include "tests/codec/bc6h/bc6h_spec_reference.h"

using namespace lmc;
using namespace lmc::bc6h;

namespace {

std::uint32_t u32(const std::vector<std::uint8_t>& b, std::size_t offset) {
    return std::uint32_t(b[offset]) | std::uint32_t(b[offset + 1]) << 8 | std::uint32_t(b[offset + 2]) << 16 |
           std::uint32_t(b[offset + 3]) << 24;
}

void setU32(std::vector<std::uint8_t>& b, std::size_t offset, std::uint32_t v) {
    const std::uint8_t bytes[4] = {std::uint8_t(v), std::uint8_t(v >> 8), std::uint8_t(v >> 16), std::uint8_t(v >> 24)};
    ASSERT_LE(offset + 4, b.size());
    std::copy(bytes, bytes + 4, b.begin() + std::ptrdiff_t(offset));
}

std::vector<std::uint8_t> validFile(int width, int height, bool isSigned) {
    std::vector<std::uint8_t> file = makeBc6hDdsHeader(width, height, isSigned);
    file.resize(file.size() + bc6hLevelBytes(width, height), 0);
    return file;
}

ErrorCode parseError(const std::vector<std::uint8_t>& file) {
    auto r = parseBc6hDds(file.data(), file.size());
    EXPECT_FALSE(r.ok());
    return r.ok() ? ErrorCode::Internal : r.error().code;
}

}  // namespace

TEST(Bc6hDds, HeaderFieldsAreTheOnesDirect3DToolsExpect) {
    std::vector<std::uint8_t> h = makeBc6hDdsHeader(5, 3, false);
    ASSERT_EQ(h.size(), 148u);
    EXPECT_EQ(0, std::memcmp(h.data(), "DDS ", 4));
    EXPECT_EQ(u32(h, 4), 124u);            // dwSize
    EXPECT_EQ(u32(h, 8), 0xA1007u);        // caps | height | width | pixelformat | mipmapcount | linearsize
    EXPECT_EQ(u32(h, 12), 3u);             // height
    EXPECT_EQ(u32(h, 16), 5u);             // width
    EXPECT_EQ(u32(h, 20), 2u * 1u * 16u);  // pitchOrLinearSize: 2 x 1 blocks
    EXPECT_EQ(u32(h, 28), 1u);             // mip levels
    EXPECT_EQ(u32(h, 76), 32u);            // pixel format size
    EXPECT_EQ(u32(h, 80), 0x4u);           // DDPF_FOURCC
    EXPECT_EQ(0, std::memcmp(h.data() + 84, "DX10", 4));
    EXPECT_EQ(u32(h, 108), 0x1000u);  // DDSCAPS_TEXTURE
    EXPECT_EQ(u32(h, 128), 95u);      // DXGI_FORMAT_BC6H_UF16
    EXPECT_EQ(u32(h, 132), 3u);       // D3D10_RESOURCE_DIMENSION_TEXTURE2D
    EXPECT_EQ(u32(h, 136), 0u);
    EXPECT_EQ(u32(h, 140), 1u);  // array size
    EXPECT_EQ(u32(h, 144), 0u);
    for (std::size_t i = 32; i < 76; ++i) EXPECT_EQ(h[i], 0) << "reserved byte " << i;
    EXPECT_EQ(u32(makeBc6hDdsHeader(4, 4, true), 128), 96u);  // DXGI_FORMAT_BC6H_SF16
    EXPECT_EQ(u32(makeBc6hDdsHeader(1, 1, false), 20), 16u);
    EXPECT_EQ(u32(makeBc6hDdsHeader(1024, 512, false), 20), 256u * 128u * 16u);
}

TEST(Bc6hDds, ParsesWhatItWritesAndSniffsIt) {
    std::vector<std::uint8_t> file = validFile(9, 7, true);
    file.back() = 0x5A;
    auto r = parseBc6hDds(file.data(), file.size());
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->width, 9);
    EXPECT_EQ(r->height, 7);
    EXPECT_TRUE(r->isSigned);
    EXPECT_EQ(r->blockBytes, 3u * 2u * 16u);
    EXPECT_EQ(r->blocks, file.data() + 148);
    EXPECT_EQ(r->blocks[r->blockBytes - 1], 0x5A);
    EXPECT_TRUE(looksLikeBc6hDds(file.data(), file.size()));
    std::vector<std::uint8_t> bc7 = file;
    setU32(bc7, 128, 98);
    EXPECT_FALSE(looksLikeBc6hDds(bc7.data(), bc7.size()));
    EXPECT_FALSE(looksLikeBc6hDds(file.data(), 100));
    EXPECT_FALSE(looksLikeBc6hDds(nullptr, 0));
}

TEST(Bc6hDds, AcceptsAMipChainAndUsesTheTopLevel) {
    // 8x8 with 4 levels: 64 + 16 + 16 + 16 bytes.
    std::vector<std::uint8_t> file = makeBc6hDdsHeader(8, 8, false);
    setU32(file, 28, 4);
    file.resize(148 + 64 + 16 * 3, 0);
    auto r = parseBc6hDds(file.data(), file.size());
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->mipLevels, 4);
    EXPECT_EQ(r->blockBytes, 64u);
    file.pop_back();
    EXPECT_EQ(parseError(file), ErrorCode::CorruptData);
}

TEST(Bc6hDds, DamagedFilesGiveErrors) {
    const std::vector<std::uint8_t> good = validFile(16, 8, false);
    {
        auto f = good;
        f[0] = 'X';
        EXPECT_EQ(parseError(f), ErrorCode::CorruptData);  // bad magic
    }
    {
        std::vector<std::uint8_t> f(good.begin(), good.begin() + 100);
        EXPECT_EQ(parseError(f), ErrorCode::CorruptData);  // header truncated
    }
    {
        std::vector<std::uint8_t> f(good.begin(), good.begin() + 140);
        EXPECT_EQ(parseError(f), ErrorCode::CorruptData);  // DX10 header truncated
    }
    {
        auto f = good;
        setU32(f, 4, 100);
        EXPECT_EQ(parseError(f), ErrorCode::CorruptData);  // header size
    }
    {
        auto f = good;
        setU32(f, 76, 0);
        EXPECT_EQ(parseError(f), ErrorCode::CorruptData);  // pixel format size
    }
    {
        auto f = good;
        std::memcpy(f.data() + 84, "DXT1", 4);
        EXPECT_EQ(parseError(f), ErrorCode::Unsupported);  // legacy format
    }
    for (std::uint32_t format : {0u, 94u, 97u, 98u, 2u, 0xFFFFFFFFu}) {
        auto f = good;
        setU32(f, 128, format);
        EXPECT_EQ(parseError(f), ErrorCode::Unsupported) << format;  // wrong DXGI format
    }
    {
        auto f = good;
        setU32(f, 132, 4);
        EXPECT_EQ(parseError(f), ErrorCode::Unsupported);  // 3D resource
    }
    {
        auto f = good;
        setU32(f, 140, 6);
        EXPECT_EQ(parseError(f), ErrorCode::Unsupported);  // texture array
    }
    {
        auto f = good;
        setU32(f, 136, 4);
        EXPECT_EQ(parseError(f), ErrorCode::Unsupported);  // cube map
    }
    {
        auto f = good;
        setU32(f, 16, 0);
        EXPECT_EQ(parseError(f), ErrorCode::CorruptData);  // zero width
    }
    {
        auto f = good;
        setU32(f, 16, 1000000);
        setU32(f, 12, 1000000);
        EXPECT_EQ(parseError(f), ErrorCode::TooLarge);  // absurd size, refused before any allocation
    }
    {
        auto f = good;
        setU32(f, 16, 0xFFFFFFFFu);
        EXPECT_EQ(parseError(f), ErrorCode::TooLarge);
    }
    {
        auto f = good;
        setU32(f, 28, 40);
        EXPECT_EQ(parseError(f), ErrorCode::CorruptData);  // more mip levels than the size allows
    }
    {
        auto f = good;
        f.pop_back();
        EXPECT_EQ(parseError(f), ErrorCode::CorruptData);  // data truncated
    }
    {
        auto f = good;
        f.push_back(0);
        EXPECT_EQ(parseError(f), ErrorCode::CorruptData);  // trailing bytes
    }
    EXPECT_EQ(parseError({}), ErrorCode::CorruptData);
}

// Random damage of a valid file through the codec: every outcome is an image of the declared size or an error.
TEST(Bc6hDds, RandomDamageNeverCrashesTheCodec) {
    const Codec* codec = CodecRegistry::builtin().find("bc6h");
    ASSERT_NE(codec, nullptr);
    std::vector<std::uint8_t> good = validFile(12, 8, false);
    std::mt19937 rng(99);
    for (auto& b : good)
        if (&b >= &good[148]) b = std::uint8_t(rng());
    CodecContext context;
    context.threads = 1;
    int decoded = 0;
    for (int trial = 0; trial < 2000; ++trial) {
        std::vector<std::uint8_t> f = good;
        const int edits = 1 + int(rng() % 4);
        for (int e = 0; e < edits; ++e) f[rng() % f.size()] = std::uint8_t(rng());
        if (rng() % 8 == 0) f.resize(rng() % f.size());
        auto r = codec->decode(f.data(), f.size(), context);
        if (r.ok()) {
            ++decoded;
            EXPECT_GT(r->width(), 0);
            EXPECT_GT(r->height(), 0);
        }
    }
    EXPECT_GT(decoded, 0);  // damage inside the block data still decodes (every 128-bit block is valid)
}

// rdo changes which blocks are written, not the file: the same header as plain encoding, a valid DDS, and blocks that
// an independent decoder (the specification's text) reads to exactly our texels, UF16 and SF16.
TEST(Bc6hDds, RdoOutputIsTheSameKindOfFile) {
    const Codec* codec = CodecRegistry::builtin().find("bc6h");
    ASSERT_NE(codec, nullptr);
    Image image = Image::create(45, 27).value();
    std::mt19937 rng(5);
    for (int y = 0; y < 27; ++y)
        for (int x = 0; x < 45; ++x)
            for (int c = 0; c < 3; ++c)
                image.texel(x, y)[c] = (0.2f + 0.03f * float(x + c * y)) * (1.0f + 0.02f * float(rng() % 8)) -
                                       (c == 2 && x < 5 ? 0.5f : 0.0f);
    for (const char* format : {"uf16", "sf16"}) {
        CodecContext context;
        context.threads = 2;
        const ParamSet plainParams = parseParamAssignments(codec->schema(), {std::string("format=") + format}).value();
        const ParamSet rdoParams =
            parseParamAssignments(codec->schema(), {std::string("format=") + format, "rdo=1"}).value();
        auto plain = codec->encode(image.view(), plainParams, context);
        auto rdo = codec->encode(image.view(), rdoParams, context);
        ASSERT_TRUE(plain.ok());
        ASSERT_TRUE(rdo.ok());
        ASSERT_EQ(rdo->size(), plain->size());
        EXPECT_EQ(0, std::memcmp(rdo->data(), plain->data(), kDdsHeaderBytes));
        auto dds = parseBc6hDds(rdo->data(), rdo->size());
        ASSERT_TRUE(dds.ok());
        const bool isSigned = std::string(format) == "sf16";
        EXPECT_EQ(dds->isSigned, isSigned);
        for (std::size_t k = 0; k < dds->blockBytes; k += 16) {
            std::uint16_t ours[16][3], spec[16][3];
            decodeBlock(dds->blocks + k, isSigned, ours);
            test::bc6h_spec::referenceDecodeBlock(dds->blocks + k, isSigned, spec);
            ASSERT_EQ(0, std::memcmp(ours, spec, sizeof(ours))) << format << " block " << k / 16;
        }
    }
}
