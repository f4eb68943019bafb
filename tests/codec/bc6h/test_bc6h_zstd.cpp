// BC6H with supercompression=zstd: the stream is a standard zstd frame of exactly the DDS (or, at reduced
// resolution, the .lmc whose payload holds the zstd'd small DDS); it decodes to the same texels as without
// supercompression, is smaller on lightmaps with gutters, and hostile frames (bombs, truncation, damage) give errors
// before anything large is allocated. Also gpuBitsPerTexel / keepsNegatives of bc6h and astc.
#include <gtest/gtest.h>

#include <zstd.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "codec/bc6h/dds.h"
#include "codec/codec.h"
#include "codec/container.h"
#include "codec/exr_io.h"

using namespace lmc;

namespace {

const Codec& bc6hCodec() {
    const Codec* codec = CodecRegistry::builtin().find("bc6h");
    EXPECT_NE(codec, nullptr);
    return *codec;
}

ParamSet bc6hParams(const std::vector<std::string>& assignments) {
    return parseParamAssignments(bc6hCodec().schema(), assignments).value();
}

Bytes encodeWith(const ImageView& image, const std::vector<std::string>& assignments) {
    CodecContext context;
    context.threads = 2;
    auto bytes = encodeImage(bc6hCodec(), image, bc6hParams(assignments), context);
    EXPECT_TRUE(bytes.ok()) << (bytes.ok() ? "" : bytes.error().message);
    return bytes.ok() ? *bytes : Bytes{};
}

Result<Image> decode(const Bytes& bytes) {
    CodecContext context;
    context.threads = 2;
    return bc6hCodec().decode(bytes, context);
}

// Charts of smooth light on black gutters, like a baked atlas.
Image atlasLike(int w, int h) {
    Image image = Image::create(w, h).value();
    image.ensureMask();
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            const bool chart = (x % 64) > 6 && (y % 48) > 5 && ((x / 64 + y / 48) % 3 != 0);
            image.maskData()[y * w + x] = chart ? 1 : 0;
            if (!chart) continue;
            float* t = image.texel(x, y);
            const float u = float(x) / w, v = float(y) / h;
            t[0] = 0.2f + 3.0f * u * u;
            t[1] = 0.15f + 2.0f * v;
            t[2] = 0.1f + u * v;
        }
    return image;
}

bool sameTexels(const Image& a, const Image& b) {
    return a.width() == b.width() && a.height() == b.height() &&
           std::memcmp(a.data(), b.data(), sizeof(float) * 3 * std::size_t(a.texelCount())) == 0;
}

// A handmade zstd bomb: a frame whose first (raw) block is `prefix`, followed by 4-byte RLE blocks of 128 KiB zeros
// up to `contentSize` bytes, which the frame header announces (0.003% of the output: 8 GiB from 256 KiB).
Bytes handmadeFrame(std::uint64_t contentSize, const std::vector<std::uint8_t>& prefix) {
    Bytes f = {0x28, 0xB5, 0x2F, 0xFD, 0xE0};  // magic; descriptor: 8-byte content size, single segment, no checksum
    for (int i = 0; i < 8; ++i) f.push_back(std::uint8_t(contentSize >> (8 * i)));
    auto blockHeader = [&f](std::uint32_t size, std::uint32_t type, bool last) {
        const std::uint32_t h = (size << 3) | (type << 1) | (last ? 1u : 0u);
        f.push_back(std::uint8_t(h));
        f.push_back(std::uint8_t(h >> 8));
        f.push_back(std::uint8_t(h >> 16));
    };
    std::uint64_t left = contentSize - prefix.size();
    blockHeader(std::uint32_t(prefix.size()), 0, left == 0);  // raw block
    f.insert(f.end(), prefix.begin(), prefix.end());
    while (left > 0) {
        const std::uint32_t n = std::uint32_t(std::min<std::uint64_t>(left, 128 * 1024));
        left -= n;
        blockHeader(n, 1, left == 0);  // RLE block
        f.push_back(0);
    }
    return f;
}

}  // namespace

TEST(Bc6hZstd, SchemaExtensionsAndGpuBits) {
    const ParamSchema schema = bc6hCodec().schema();
    const ParamSpec* spec = findParam(schema, "supercompression");
    ASSERT_NE(spec, nullptr);
    EXPECT_EQ(spec->choices, (std::vector<std::string>{"none", "zstd"}));
    EXPECT_EQ(spec->defaultValue, 0);
    EXPECT_EQ(bc6hCodec().rateParam()->id, "resolution");
    EXPECT_EQ(bc6hCodec().traits(bc6hParams({})).fileExtension, ".dds");
    EXPECT_EQ(bc6hCodec().traits(bc6hParams({"supercompression=zstd"})).fileExtension, ".dds.zst");
    EXPECT_EQ(bc6hCodec().traits(bc6hParams({"supercompression=zstd", "resolution=half"})).fileExtension, ".lmc");
    EXPECT_EQ(bc6hCodec().traits(bc6hParams({})).gpuBitsPerTexel, 8.0);
    EXPECT_EQ(bc6hCodec().traits(bc6hParams({"supercompression=zstd"})).gpuBitsPerTexel, 8.0);
    EXPECT_EQ(bc6hCodec().traits(bc6hParams({"resolution=half"})).gpuBitsPerTexel, 2.0);
    EXPECT_EQ(bc6hCodec().traits(bc6hParams({"resolution=quarter"})).gpuBitsPerTexel, 0.5);
    EXPECT_FALSE(bc6hCodec().traits(bc6hParams({})).keepsNegatives);
    EXPECT_TRUE(bc6hCodec().traits(bc6hParams({"format=sf16"})).keepsNegatives);

    const Codec* astc = CodecRegistry::builtin().find("astc");
    ASSERT_NE(astc, nullptr);
    for (const auto& [block, bits] : std::vector<std::pair<std::string, double>>{
             {"4x4", 8.0}, {"6x6", 128.0 / 36}, {"8x5", 3.2}, {"12x12", 128.0 / 144}}) {
        const ParamSet p = parseParamAssignments(astc->schema(), {"block=" + block}).value();
        EXPECT_DOUBLE_EQ(astc->traits(p).gpuBitsPerTexel, bits) << block;
    }
}

TEST(Bc6hZstd, StandardFrameOfTheSameDdsAndTheSameTexels) {
    const Image image = atlasLike(200, 136);
    for (const char* format : {"format=uf16", "format=sf16"}) {
        const Bytes plain = encodeWith(image.view(), {"quality=fast", format});
        const Bytes packed = encodeWith(image.view(), {"quality=fast", format, "supercompression=zstd"});
        ASSERT_GE(packed.size(), 4u);
        EXPECT_EQ(ZSTD_getFrameContentSize(packed.data(), packed.size()), plain.size());
        // `zstd -d` gives back the very DDS file.
        Bytes inflated(plain.size());
        ASSERT_EQ(ZSTD_decompress(inflated.data(), inflated.size(), packed.data(), packed.size()), plain.size());
        EXPECT_EQ(inflated, plain);
        EXPECT_TRUE(bc6hCodec().recognizes(packed.data(), packed.size()));
        EXPECT_EQ(CodecRegistry::builtin().detect(packed.data(), packed.size()), &bc6hCodec());
        auto a = decode(plain), b = decode(packed);
        ASSERT_TRUE(a.ok());
        ASSERT_TRUE(b.ok()) << b.error().message;
        EXPECT_TRUE(sameTexels(*a, *b));
        EXPECT_LT(packed.size(), plain.size() * 3 / 4) << "gutters of a lightmap compress";
    }
}

TEST(Bc6hZstd, ReducedResolutionPayloadIsZstdToo) {
    const Image image = atlasLike(131, 67);
    for (const char* resolution : {"resolution=half", "resolution=quarter"}) {
        const Bytes plain = encodeWith(image.view(), {"quality=fast", resolution});
        const Bytes packed = encodeWith(image.view(), {"quality=fast", resolution, "supercompression=zstd"});
        ASSERT_TRUE(looksLikeContainer(packed.data(), packed.size()));
        auto container = readContainer(packed.data(), packed.size());
        ASSERT_TRUE(container.ok());
        EXPECT_NE(container->header.params.find("supercompression=zstd"), std::string::npos);
        // Without supercompression the container text stays as it was before the parameter existed.
        auto plainContainer = readContainer(plain.data(), plain.size());
        ASSERT_TRUE(plainContainer.ok());
        EXPECT_EQ(plainContainer->header.params.find("supercompression"), std::string::npos);
        ASSERT_GT(container->payloadSize, 6u);
        EXPECT_EQ(container->payload[0], 2);  // payload version: zstd'd DDS
        EXPECT_EQ(0, std::memcmp(container->payload + 2, "\x28\xB5\x2F\xFD", 4));
        auto a = decode(plain), b = decode(packed);
        ASSERT_TRUE(a.ok());
        ASSERT_TRUE(b.ok()) << b.error().message;
        EXPECT_TRUE(sameTexels(*a, *b)) << resolution;
        EXPECT_LT(packed.size(), plain.size());
    }
}

TEST(Bc6hZstd, SmallerOnARealLightmap) {
    const std::filesystem::path file =
        std::filesystem::path(LMC_REAL_LIGHTMAPS) / "qarian-restaurant-rush__sks__lightmap-93_comp_light.exr";
    if (!std::filesystem::exists(file)) GTEST_SKIP() << "real lightmaps not available at " << LMC_REAL_LIGHTMAPS;
    auto loaded = readExr(file.string());
    ASSERT_TRUE(loaded.ok());
    const Bytes plain = encodeWith(loaded->image.view(), {"quality=fast"});
    const Bytes packed = encodeWith(loaded->image.view(), {"quality=fast", "supercompression=zstd"});
    EXPECT_LT(packed.size(), plain.size());
    auto a = decode(plain), b = decode(packed);
    ASSERT_TRUE(a.ok());
    ASSERT_TRUE(b.ok());
    EXPECT_TRUE(sameTexels(*a, *b));
}

TEST(Bc6hZstd, BombsAreRefusedBeforeAllocating) {
    const std::vector<std::uint8_t> header4x4 = bc6h::makeBc6hDdsHeader(4, 4, false);
    // 8 GiB, then 64 MiB announced for a 4x4 texture (164 bytes at most with every mip level).
    for (std::uint64_t announced : {std::uint64_t(1) << 33, std::uint64_t(1) << 26}) {
        auto r = decode(handmadeFrame(announced, header4x4));
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.error().code, ErrorCode::CorruptData) << r.error().message;
        EXPECT_NE(r.error().message.find("largest"), std::string::npos) << r.error().message;
    }
    // The handmade frames are valid zstd: a legal size announced by the same construction decodes.
    const Image tiny = atlasLike(4, 4);
    const Bytes tinyDds = encodeWith(tiny.view(), {"quality=fast"});
    EXPECT_TRUE(decode(handmadeFrame(tinyDds.size(), tinyDds)).ok());
    // A header beyond the image limits is refused as such.
    auto big = decode(handmadeFrame(std::uint64_t(1) << 33, bc6h::makeBc6hDdsHeader(65536, 65536, false)));
    ASSERT_FALSE(big.ok());
    EXPECT_TRUE(big.error().code == ErrorCode::TooLarge || big.error().code == ErrorCode::CorruptData);
    // A frame that does not state its size (streamed zstd) is refused, not decoded into an open-ended buffer.
    const Image image = atlasLike(16, 16);
    const Bytes dds = encodeWith(image.view(), {"quality=fast"});
    Bytes streamed(ZSTD_compressBound(dds.size()));
    ZSTD_CCtx* cctx = ZSTD_createCCtx();
    ZSTD_CCtx_setParameter(cctx, ZSTD_c_contentSizeFlag, 0);
    streamed.resize(ZSTD_compress2(cctx, streamed.data(), streamed.size(), dds.data(), dds.size()));
    ZSTD_freeCCtx(cctx);
    ASSERT_EQ(ZSTD_getFrameContentSize(streamed.data(), streamed.size()), ZSTD_CONTENTSIZE_UNKNOWN);
    auto unknown = decode(streamed);
    ASSERT_FALSE(unknown.ok());
    EXPECT_EQ(unknown.error().code, ErrorCode::CorruptData);
}

TEST(Bc6hZstd, TruncatedAndDamagedFramesGiveErrors) {
    const Image image = atlasLike(96, 64);
    const Bytes good = encodeWith(image.view(), {"quality=fast", "supercompression=zstd"});
    for (std::size_t n = 0; n < good.size(); ++n) {
        auto r = decode(Bytes(good.begin(), good.begin() + std::ptrdiff_t(n)));
        ASSERT_FALSE(r.ok()) << "truncated to " << n;
    }
    Bytes trailing = good;
    trailing.push_back(0);
    EXPECT_FALSE(decode(trailing).ok());
    std::mt19937 rng(4);
    int refused = 0;
    for (int trial = 0; trial < 300; ++trial) {
        Bytes bad = good;
        const std::size_t at = rng() % bad.size();
        bad[at] = std::uint8_t(bad[at] ^ (1u << (rng() % 8)));
        auto r = decode(bad);
        if (r.ok()) {
            EXPECT_EQ(r->width(), 96);
            EXPECT_EQ(r->height(), 64);
        } else {
            ++refused;
        }
    }
    EXPECT_GT(refused, 250) << "the frame checksum catches damage BC6H blocks cannot";
}
