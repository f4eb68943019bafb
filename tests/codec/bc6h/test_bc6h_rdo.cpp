// BC6H rate-distortion optimisation (`rdo`): rdo = 0 is the encoder as it was, byte for byte; above 0 the zstd size of
// a baked lightmap does not grow with rdo, the error stays within the documented bound, the output does not depend on
// the thread count, and it is standard BC6H (the specification's own decoding, bc6h_spec_reference.h, gives the same
// texels as ours) at every quality level and at half / quarter resolution; the loss goes to texels far below the
// map's typical exposure before lit ones.
#include <gtest/gtest.h>

#include <zstd.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "codec/bc6h/bc6h_decoder.h"
#include "codec/bc6h/bc6h_encoder.h"
#include "codec/bc6h/dds.h"
#include "codec/codec.h"
#include "codec/container.h"
#include "codec/image.h"
#include "codec/metrics.h"
#include "tests/codec/bc6h/bc6h_spec_reference.h"
#include "tests/codec/codec_test_support.h"

using namespace lmc;

namespace {

const Codec& rdoCodec() {
    const Codec* codec = CodecRegistry::builtin().find("bc6h");
    EXPECT_NE(codec, nullptr);
    return *codec;
}

Bytes rdoEncode(const ImageView& image, const std::vector<std::string>& assignments, int threads = 2) {
    CodecContext context;
    context.threads = threads;
    auto params = parseParamAssignments(rdoCodec().schema(), assignments);
    EXPECT_TRUE(params.ok()) << (params.ok() ? "" : params.error().message);
    if (!params) return {};
    auto bytes = encodeImage(rdoCodec(), image, *params, context);
    EXPECT_TRUE(bytes.ok()) << (bytes.ok() ? "" : bytes.error().message);
    return bytes.ok() ? *bytes : Bytes{};
}

// A small interior bake by our baker (charts, gutters, soft and hard light), made once.
const Image& bakedMap() {
    static const Image image = test::bakedTestMap(5, 192, 128);
    return image;
}

// The blocks of a full-resolution stream (plain or zstd'd DDS).
std::vector<std::uint8_t> ddsBlocks(const Bytes& stream, int& width, int& height) {
    Bytes dds = stream;
    if (stream.size() >= 4 && std::memcmp(stream.data(), "\x28\xB5\x2F\xFD", 4) == 0) {
        dds.resize(ZSTD_getFrameContentSize(stream.data(), stream.size()));
        EXPECT_EQ(ZSTD_decompress(dds.data(), dds.size(), stream.data(), stream.size()), dds.size());
    }
    auto parsed = bc6h::parseBc6hDds(dds.data(), dds.size());
    EXPECT_TRUE(parsed.ok());
    if (!parsed) return {};
    width = parsed->width;
    height = parsed->height;
    return std::vector<std::uint8_t>(parsed->blocks, parsed->blocks + parsed->blockBytes);
}

// The encoder's error measure (automatic dark floor f: G(x) = code(x + f) - code(f)) summed over the texels of the
// visible mask, as the rate-distortion bound is stated.
double visibleError(const ImageView& visible, const Image& decoded, float floor) {
    auto g = [&](float x) {
        const float a = std::min(std::max(x, 0.0f), 65504.0f);
        return double(bc6h::errorCode(a + floor, false)) - double(bc6h::errorCode(floor, false));
    };
    double sum = 0;
    for (int y = 0; y < visible.height; ++y)
        for (int x = 0; x < visible.width; ++x) {
            if (!visible.covered(x, y)) continue;
            for (int c = 0; c < 3; ++c) {
                const double d = g(decoded.texel(x, y)[c]) - g(visible.texel(x, y)[c]);
                sum += d * d;
            }
        }
    return sum;
}

}  // namespace

TEST(Bc6hRdo, SchemaKeepsResolutionAsTheRateParameter) {
    const ParamSchema schema = rdoCodec().schema();  // findParam points into it
    const ParamSpec* spec = findParam(schema, "rdo");
    ASSERT_NE(spec, nullptr);
    EXPECT_EQ(spec->type, ParamType::Float);
    EXPECT_EQ(spec->minValue, 0.0);
    EXPECT_EQ(spec->maxValue, 1.0);
    EXPECT_EQ(spec->defaultValue, 0.0);
    EXPECT_EQ(rdoCodec().rateParam()->id, "resolution");
    EXPECT_FALSE(parseParamAssignments(rdoCodec().schema(), {"rdo=1.5"}).ok());
}

// rdo = 0 (given or not) writes exactly what the encoder wrote before the parameter existed: at full resolution the
// DDS of encodeBc6hBlocks with the settings the codec always used, and at half resolution the same container bytes
// (the parameter text leaves rdo out when it is 0).
TEST(Bc6hRdo, ZeroIsByteIdenticalToTheEncoderWithoutIt) {
    const Image& image = bakedMap();
    std::vector<std::uint8_t> storage;
    const ImageView visible = withMaskMode(image.view(), MaskMode::Visible, storage);
    for (const char* quality : {"fast", "normal", "high"}) {
        const std::string q = std::string("quality=") + quality;
        const Bytes without = rdoEncode(image.view(), {q});
        EXPECT_EQ(rdoEncode(image.view(), {q, "rdo=0"}), without) << quality;
        bc6h::EncodeSettings settings;
        settings.level = bc6h::Level(q == "quality=fast" ? 0 : q == "quality=normal" ? 1 : 2);
        settings.darkFloor = -1.0f;
        Bytes reference = bc6h::makeBc6hDdsHeader(image.width(), image.height(), false);
        reference.resize(bc6h::kDdsHeaderBytes + bc6h::bc6hLevelBytes(image.width(), image.height()));
        CodecContext context;
        ASSERT_TRUE(bc6h::encodeBc6hBlocks(visible, settings, context, reference.data() + bc6h::kDdsHeaderBytes));
        EXPECT_EQ(without, reference) << quality;
        for (const char* extra : {"supercompression=zstd", "resolution=half"})
            EXPECT_EQ(rdoEncode(image.view(), {q, extra, "rdo=0"}), rdoEncode(image.view(), {q, extra})) << extra;
    }
    // The recorded parameters of a reduced-resolution stream name rdo only when it is on.
    const Bytes off = rdoEncode(image.view(), {"quality=fast", "resolution=half", "rdo=0"});
    auto header = readContainer(off.data(), off.size());
    ASSERT_TRUE(header.ok());
    EXPECT_EQ(header->header.params.find("rdo"), std::string::npos);
    const Bytes on = rdoEncode(image.view(), {"quality=fast", "resolution=half", "rdo=0.5"});
    header = readContainer(on.data(), on.size());
    ASSERT_TRUE(header.ok());
    EXPECT_NE(header->header.params.find("rdo=0.5"), std::string::npos);
}

// The .dds.zst of the baked map does not grow as rdo rises, and shrinks clearly at the top of the range.
TEST(Bc6hRdo, ZstdBytesDoNotGrowWithRdo) {
    const Image& image = bakedMap();
    for (const char* quality : {"normal", "high"}) {
        std::size_t previous = 0, first = 0;
        for (const char* rdo : {"0", "0.1", "0.25", "0.5", "0.75", "1"}) {
            const Bytes bytes = rdoEncode(
                image.view(), {std::string("quality=") + quality, "supercompression=zstd", std::string("rdo=") + rdo});
            if (first == 0) first = bytes.size();
            if (previous != 0) {
                EXPECT_LE(bytes.size(), previous) << quality << " rdo=" << rdo;
            }
            previous = bytes.size();
        }
        EXPECT_LT(double(previous), 0.9 * double(first)) << quality;
    }
}

// The documented bound (bc6h_encoder.h): in the encoder's error measure over the visible texels, rdo adds at most
// kRdoErrorBound * rdo times the error of the plain search that counts only those texels (rdo = 0 with
// uncoveredWeight = 0); and on this map the log-PSNR over the visible texels stays within 1.5 * rdo dB of rdo = 0.
TEST(Bc6hRdo, QualityLossStaysWithinTheDocumentedBound) {
    const Image& image = bakedMap();
    std::vector<std::uint8_t> storage;
    const ImageView visible = withMaskMode(image.view(), MaskMode::Visible, storage);
    const float floor = bc6h::automaticDarkFloor(visible);
    for (bc6h::Level level : {bc6h::Level::Fast, bc6h::Level::Normal, bc6h::Level::High}) {
        auto encode = [&](float rdo, float uncovered) {
            bc6h::EncodeSettings settings;
            settings.level = level;
            settings.darkFloor = -1.0f;
            settings.rdo = rdo;
            settings.uncoveredWeight = uncovered;
            std::vector<std::uint8_t> blocks(bc6h::bc6hLevelBytes(image.width(), image.height()));
            CodecContext context;
            context.threads = 2;
            EXPECT_TRUE(bc6h::encodeBc6hBlocks(visible, settings, context, blocks.data()).ok());
            auto decoded =
                bc6h::decodeBc6hBlocks(blocks.data(), blocks.size(), image.width(), image.height(), false, context);
            EXPECT_TRUE(decoded.ok());
            return std::move(decoded).value();
        };
        const Image plain = encode(0.0f, 1.0f);
        const double base = visibleError(visible, encode(0.0f, 0.0f), floor);
        const double plainLog = computeMetrics(image.view(), plain.view())->logPsnr;
        for (float rdo : {0.25f, 0.5f, 1.0f}) {
            const Image decoded = encode(rdo, 1.0f);
            EXPECT_LE(visibleError(visible, decoded, floor), base * (1.0 + bc6h::kRdoErrorBound * rdo) * 1.0001 + 1e-3)
                << "level " << int(level) << " rdo " << rdo;
            EXPECT_GT(computeMetrics(image.view(), decoded.view())->logPsnr, plainLog - 1.5 * rdo)
                << "level " << int(level) << " rdo " << rdo;
        }
    }
}

TEST(Bc6hRdo, OutputDoesNotDependOnThreadCount) {
    const Image& image = bakedMap();
    for (const char* quality : {"fast", "high"}) {
        const std::vector<std::string> p = {std::string("quality=") + quality, "rdo=0.6"};
        const Bytes one = rdoEncode(image.view(), p, 1);
        EXPECT_EQ(rdoEncode(image.view(), p, 2), one) << quality;
        EXPECT_EQ(rdoEncode(image.view(), p, 3), one) << quality;
    }
}

// Standard BC6H: every block of RDO output decodes in the specification's restated decoding to the texels our decoder
// gives, UF16 and SF16, at every level; the DDS parses; half and quarter resolution decode to the original size.
TEST(Bc6hRdo, OurDecoderAndTheSpecificationAgreeOnRdoOutput) {
    const Image& image = bakedMap();
    for (const char* format : {"uf16", "sf16"})
        for (const char* quality : {"fast", "normal", "high", "max"}) {
            const Bytes stream = rdoEncode(
                image.view(),
                {std::string("quality=") + quality, std::string("format=") + format, "rdo=1", "supercompression=zstd"});
            int width = 0, height = 0;
            const std::vector<std::uint8_t> blocks = ddsBlocks(stream, width, height);
            ASSERT_EQ(blocks.size(), bc6h::bc6hLevelBytes(image.width(), image.height()));
            const bool isSigned = std::string(format) == "sf16";
            for (std::size_t k = 0; k < blocks.size(); k += 16) {
                std::uint16_t ours[16][3], spec[16][3];
                bc6h::decodeBlock(blocks.data() + k, isSigned, ours);
                test::bc6h_spec::referenceDecodeBlock(blocks.data() + k, isSigned, spec);
                ASSERT_EQ(0, std::memcmp(ours, spec, sizeof(ours))) << format << " " << quality << " block " << k / 16;
            }
            CodecContext context;
            auto decoded = rdoCodec().decode(stream, context);
            ASSERT_TRUE(decoded.ok());
            EXPECT_EQ(decoded->width(), image.width());
        }
    for (const char* resolution : {"half", "quarter"}) {
        CodecContext context;
        double logPsnr[2] = {};
        for (int on = 0; on < 2; ++on) {
            const Bytes stream = rdoEncode(image.view(), {std::string("resolution=") + resolution,
                                                          "supercompression=zstd", on ? "rdo=1" : "rdo=0"});
            auto decoded = rdoCodec().decode(stream, context);
            ASSERT_TRUE(decoded.ok()) << resolution;
            EXPECT_EQ(decoded->width(), image.width());
            EXPECT_EQ(decoded->height(), image.height());
            auto metrics = computeMetrics(image.view(), decoded->view());
            ASSERT_TRUE(metrics.ok());
            logPsnr[on] = metrics->logPsnr;
        }
        EXPECT_GT(logPsnr[1], logPsnr[0] - 1.5) << resolution;
    }
}

// Blocks without a visible texel cost no error, so they become copies of an earlier block: a map that is one chart
// on a large empty atlas shrinks under zstd, and the chart's texels are unchanged in quality terms.
TEST(Bc6hRdo, InvisibleBlocksBecomeCopies) {
    Image image = Image::create(96, 64).value();
    image.ensureMask();
    std::fill(image.maskData(), image.maskData() + image.texelCount(), 0);
    for (int y = 0; y < 64; ++y)
        for (int x = 0; x < 96; ++x) {
            float* t = image.texel(x, y);
            // Noise everywhere (a denoiser's residue in the gutters), one lit chart in the middle.
            const float n = float((x * 7919 + y * 104729) % 97) / 97.0f;
            t[0] = 0.01f + 0.02f * n, t[1] = 0.02f + 0.01f * n, t[2] = 0.015f * n;
            if (x >= 32 && x < 64 && y >= 16 && y < 48) {
                image.maskData()[y * 96 + x] = 1;
                t[0] = 1.0f + float(x) / 32.0f, t[1] = 0.5f + float(y) / 64.0f, t[2] = 0.25f;
            }
        }
    const Bytes plain = rdoEncode(image.view(), {"supercompression=zstd"});
    const Bytes rdo = rdoEncode(image.view(), {"supercompression=zstd", "rdo=0.02"});
    EXPECT_LT(double(rdo.size()), 0.8 * double(plain.size()));
    CodecContext context;
    auto a = rdoCodec().decode(plain, context), b = rdoCodec().decode(rdo, context);
    ASSERT_TRUE(a.ok());
    ASSERT_TRUE(b.ok());
    EXPECT_GT(computeMetrics(image.view(), b->view())->logPsnr, computeMetrics(image.view(), a->view())->logPsnr - 0.5);
    int width = 0, height = 0;
    const std::vector<std::uint8_t> blocks = ddsBlocks(rdo, width, height);
    // The top-left 8 x 4 blocks see no visible texel: each equals the block before it (the first excepted).
    for (int by = 0; by < 2; ++by)
        for (int bx = 1; bx < 6; ++bx) {
            const std::size_t k = std::size_t(by * 24 + bx) * 16;
            EXPECT_EQ(0, std::memcmp(blocks.data() + k, blocks.data() + k - 16, 16)) << bx << "," << by;
        }
}

namespace {

// A lightmap-like texture: smooth light with a little texel noise, times `scale`.
void paintTexture(Image& image, int x0, int x1, int y0, int y1, float scale) {
    for (int y = y0; y < y1; ++y)
        for (int x = x0; x < x1; ++x) {
            std::uint32_t h = std::uint32_t(x) * 0x9E3779B1u ^ std::uint32_t(y) * 0x85EBCA77u;
            h ^= h >> 15, h *= 0x2C1B3C6Du, h ^= h >> 12;
            const float n = float(h & 0xFFFF) / 65535.0f;  // no period zstd could match
            const float light = 0.6f + 0.4f * std::sin(float(x) * 0.11f) * std::cos(float(y) * 0.07f);
            float* t = image.texel(x, y);
            t[0] = scale * light * (1.0f + 0.01f * n);
            t[1] = scale * light * (0.8f + 0.01f * n);
            t[2] = scale * light * (0.6f + 0.02f * n);
        }
}

// The encoder's error (visibleError's measure) summed over the texels of a rectangle.
double rectError(const ImageView& source, const Image& decoded, float floor, int x0, int x1, int y0, int y1) {
    auto g = [&](float v) {
        const float a = std::min(std::max(v, 0.0f), 65504.0f);
        return double(bc6h::errorCode(a + floor, false)) - double(bc6h::errorCode(floor, false));
    };
    double sum = 0;
    for (int y = y0; y < y1; ++y)
        for (int x = x0; x < x1; ++x)
            for (int c = 0; c < 3; ++c) {
                const double d = g(decoded.texel(x, y)[c]) - g(source.texel(x, y)[c]);
                sum += d * d;
            }
    return sum;
}

Image decodeStream(const Bytes& stream) {
    CodecContext context;
    auto decoded = rdoCodec().decode(stream, context);
    EXPECT_TRUE(decoded.ok());
    return decoded.ok() ? std::move(decoded).value() : Image{};
}

}  // namespace

// Visibility: the same texture once lit and once 1000 times darker (far below the median a viewer exposes for). RDO
// spends its loss on the dark copy, which log-PSNR barely sees, and leaves the lit one nearly as it was.
TEST(Bc6hRdo, LossGoesToTexelsFarBelowTheTypicalExposure) {
    Image image = Image::create(128, 64).value();
    paintTexture(image, 0, 96, 0, 64, 1.0f);
    paintTexture(image, 96, 128, 0, 64, 1e-3f);
    const float floor = bc6h::automaticDarkFloor(image.view());
    const Image plain = decodeStream(rdoEncode(image.view(), {"quality=high"}));
    const Image rdo = decodeStream(rdoEncode(image.view(), {"quality=high", "rdo=1"}));
    const double litGrowth =
        rectError(image.view(), rdo, floor, 0, 96, 0, 64) / rectError(image.view(), plain, floor, 0, 96, 0, 64);
    const double darkGrowth =
        rectError(image.view(), rdo, floor, 96, 128, 0, 64) / rectError(image.view(), plain, floor, 96, 128, 0, 64);
    EXPECT_GT(darkGrowth, 2.5 * litGrowth) << "lit x" << litGrowth << " dark x" << darkGrowth;
    EXPECT_LT(litGrowth, 1.5);
}
