#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "codec/astc_codec.h"
#include "codec/codec.h"
#include "tests/codec/codec_test_support.h"

using namespace lmc;
using namespace lmc::test;

namespace {

// The shared gradient with a broad bright spot (~200x the background by default), unscaled.
Image astcGradient(int w, int h, float peakHeight = 200.0f) {
    return gradientImage(w, h, peakHeight);
}

const Codec& astcCodec() {
    return builtinCodec("astc");
}

ParamSet astcParams(const Codec& codec, const std::string& block, const std::string& preset = "fast") {
    return parseParamAssignments(codec.schema(), {"block=" + block, "preset=" + preset}).value();
}

std::size_t expectedSize(int w, int h, int bx, int by) {
    return 16 + std::size_t((w + bx - 1) / bx) * std::size_t((h + by - 1) / by) * 16;
}

}  // namespace

TEST(AstcCodec, RegistryAndSchema) {
    const Codec& codec = astcCodec();
    EXPECT_EQ(codec.defaultTraits().fileExtension, ".astc");
    auto rate = codec.rateParam();
    ASSERT_TRUE(rate.has_value());
    EXPECT_EQ(rate->id, "block");
    EXPECT_TRUE(rate->higherIsMoreBits);
    ASSERT_EQ(rate->choices.size(), 14u);
    EXPECT_EQ(rate->choices.front(), "12x12");
    EXPECT_EQ(rate->choices.back(), "4x4");
    EXPECT_EQ(formatParamValue(*rate, rate->defaultValue), "6x6");
    // Higher index = strictly more bits per texel.
    double previous = 0;
    for (const auto& name : rate->choices) {
        const int bx = std::stoi(name), by = std::stoi(name.substr(name.find('x') + 1));
        const double bpp = 128.0 / (bx * by);
        EXPECT_GT(bpp, previous) << name;
        previous = bpp;
    }
    const ParamSchema schema = codec.schema();
    const ParamSpec* preset = findParam(schema, "preset");
    ASSERT_NE(preset, nullptr);
    EXPECT_EQ(preset->choices, (std::vector<std::string>{"fastest", "fast", "medium", "thorough", "exhaustive"}));
    EXPECT_EQ(formatParamValue(*preset, preset->defaultValue), "medium");
}

TEST(AstcCodec, RoundTripQualityAndExactSize) {
    const Codec& codec = astcCodec();
    Image image = astcGradient(64, 48);
    double previousError = 1e9;
    // Measured (fast preset): 0.102, 0.067, 0.047, 0.022.
    const std::pair<const char*, double> cases[] = {{"12x12", 0.15}, {"8x8", 0.1}, {"6x6", 0.07}, {"4x4", 0.035}};
    for (auto [block, bound] : cases) {
        SCOPED_TRACE(block);
        auto bytes = encodeImage(codec, image.view(), astcParams(codec, block), {});
        ASSERT_TRUE(bytes.ok()) << bytes.error().message;
        const int bx = std::stoi(block), by = std::stoi(std::string(block).substr(std::string(block).find('x') + 1));
        ASSERT_EQ(bytes->size(), expectedSize(64, 48, bx, by));
        EXPECT_TRUE(codec.recognizes(bytes->data(), bytes->size()));
        auto decoded = codec.decode(*bytes, {});
        ASSERT_TRUE(decoded.ok()) << decoded.error().message;
        ASSERT_EQ(decoded->width(), 64);
        ASSERT_EQ(decoded->height(), 48);
        const double e = logRms(image, *decoded);
        EXPECT_LT(e, bound);
        EXPECT_LE(e, previousError * 1.05) << "smaller blocks should not be worse";
        previousError = e;
    }
}

TEST(AstcCodec, BitrateMatchesFootprintExactly) {
    const Codec& codec = astcCodec();
    // Divisible sizes: bpp = 128 / (bx * by) plus the 16-byte header, exactly.
    Image image = astcGradient(120, 120);
    for (const char* block : {"12x12", "10x6", "5x4"}) {
        auto bytes = encodeImage(codec, image.view(), astcParams(codec, block, "fastest"), {});
        ASSERT_TRUE(bytes.ok());
        const int bx = std::stoi(block), by = std::stoi(std::string(block).substr(std::string(block).find('x') + 1));
        const double expected = 128.0 / (bx * by) + 16.0 * 8 / (120.0 * 120.0);
        EXPECT_DOUBLE_EQ(bitsPerTexel(bytes->size(), image.texelCount()), expected) << block;
    }
}

TEST(AstcCodec, OddAndTinySizes) {
    const Codec& codec = astcCodec();
    for (auto [w, h] : {std::pair{1, 1}, std::pair{3, 5}, std::pair{13, 7}, std::pair{37, 23}}) {
        SCOPED_TRACE(std::to_string(w) + "x" + std::to_string(h));
        // A spot spanning a handful of texels is a non-linear pattern inside one block, which no ASTC endpoint
        // pair follows; a plain colour gradient checks the partial edge blocks.
        Image image = astcGradient(w, h, 0.0f);
        for (const char* block : {"4x4", "10x8"}) {
            auto bytes = encodeImage(codec, image.view(), astcParams(codec, block), {});
            ASSERT_TRUE(bytes.ok()) << bytes.error().message;
            const int bx = std::stoi(block),
                      by = std::stoi(std::string(block).substr(std::string(block).find('x') + 1));
            EXPECT_EQ(bytes->size(), expectedSize(w, h, bx, by));
            auto decoded = codec.decode(*bytes, {});
            ASSERT_TRUE(decoded.ok()) << decoded.error().message;
            ASSERT_EQ(decoded->width(), w);
            ASSERT_EQ(decoded->height(), h);
            // Measured 0.0004 (1x1) to 0.19 (3x5 in one 10x8 block: red varies along x, green along y, which one
            // endpoint pair cannot follow); a texel-addressing bug at the partial edge blocks gives far more.
            EXPECT_LT(logRms(image, *decoded), 0.25);
        }
    }
}

TEST(AstcCodec, ThreadCountDoesNotChangeTheStream) {
    const Codec& codec = astcCodec();
    Image image = astcGradient(96, 80);
    CodecContext one;
    one.threads = 1;
    CodecContext three;
    three.threads = 3;
    auto a = encodeImage(codec, image.view(), astcParams(codec, "6x6"), one);
    auto b = encodeImage(codec, image.view(), astcParams(codec, "6x6"), three);
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_EQ(*a, *b);
    auto da = codec.decode(*a, one);
    auto db = codec.decode(*a, three);
    ASSERT_TRUE(da.ok() && db.ok());
    EXPECT_TRUE(std::equal(da->data(), da->data() + da->texelCount() * 3, db->data()));
}

TEST(AstcCodec, SanitisesNanInfAndNegativeInput) {
    const Codec& codec = astcCodec();
    Image image = astcGradient(16, 16);
    const float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
    image.texel(1, 1)[0] = nan;
    image.texel(9, 9)[1] = inf;
    image.texel(4, 12)[2] = -inf;
    image.texel(12, 3)[0] = -2.0f;
    image.texel(13, 3)[1] = 1e9f;
    auto bytes = encodeImage(codec, image.view(), astcParams(codec, "4x4"), {});
    ASSERT_TRUE(bytes.ok()) << bytes.error().message;
    auto decoded = codec.decode(*bytes, {});
    ASSERT_TRUE(decoded.ok());
    for (std::int64_t i = 0; i < decoded->texelCount() * 3; ++i) {
        ASSERT_TRUE(std::isfinite(decoded->data()[i])) << i;
        ASSERT_GE(decoded->data()[i], 0.0f) << i;
        ASSERT_LE(decoded->data()[i], 65504.0f) << i;
    }
}

TEST(AstcCodec, GutterFillHelpsCoveredTexels) {
    const Codec& codec = astcCodec();
    Image image = astcGradient(48, 48);
    image.ensureMask();
    std::mt19937 rng(5);
    std::uniform_real_distribution<float> garbage(0.0f, 500.0f);
    // Charts of 2 texel columns (x % 6 in {1, 2}), so every 6x6 block mixes a chart, its one-texel ring (x % 6 in
    // {0, 3}, which a bilinear lookup shows and which keeps its value) and two columns of garbage beyond the ring.
    for (int y = 0; y < 48; ++y)
        for (int x = 0; x < 48; ++x) {
            const int column = x % 6;
            if (column == 1 || column == 2) continue;
            image.maskData()[y * 48 + x] = 0;
            if (column >= 4)
                for (int c = 0; c < 3; ++c) image.texel(x, y)[c] = garbage(rng);
        }
    Image unmasked = image.clone();
    unmasked.dropMask();
    auto masked = encodeImage(codec, image.view(), astcParams(codec, "6x6"), {});
    auto plain = encodeImage(codec, unmasked.view(), astcParams(codec, "6x6"), {});
    ASSERT_TRUE(masked.ok() && plain.ok());
    auto dm = codec.decode(*masked, {});
    auto dp = codec.decode(*plain, {});
    ASSERT_TRUE(dm.ok() && dp.ok());
    auto coveredError = [&](const Image& decoded) {
        double sum = 0;
        int n = 0;
        for (int y = 0; y < 48; ++y)
            for (int x = 0; x < 48; ++x)
                for (int c = 0; c < 3 && x % 6 < 4; ++c) {  // chart and ring
                    const double d = std::log2(image.texel(x, y)[c] + 0.01) - std::log2(decoded.texel(x, y)[c] + 0.01);
                    sum += d * d;
                    ++n;
                }
        return std::sqrt(sum / n);
    };
    EXPECT_LT(coveredError(*dm), 0.5 * coveredError(*dp));
    EXPECT_LT(coveredError(*dm), 0.1);
}

TEST(AstcCodec, HeaderValidationAndTruncation) {
    const Codec& codec = astcCodec();
    Image image = astcGradient(20, 12);
    auto bytes = encodeImage(codec, image.view(), astcParams(codec, "5x4", "fastest"), {});
    ASSERT_TRUE(bytes.ok());
    const Bytes& good = *bytes;
    for (std::size_t n = 0; n < good.size(); ++n) {
        auto r = codec.decode(good.data(), n, {});
        ASSERT_FALSE(r.ok()) << "truncated to " << n;
        EXPECT_EQ(r.error().code, ErrorCode::CorruptData) << n;
    }
    auto expectError = [&](Bytes b, ErrorCode code, const char* what) {
        auto r = codec.decode(b, {});
        ASSERT_FALSE(r.ok()) << what;
        EXPECT_EQ(r.error().code, code) << what << ": " << r.error().message;
    };
    Bytes b = good;
    b.push_back(0);
    expectError(b, ErrorCode::CorruptData, "trailing byte");
    b = good;
    b[0] ^= 1;
    expectError(b, ErrorCode::CorruptData, "magic");
    EXPECT_FALSE(codec.recognizes(b.data(), b.size()));
    b = good;
    b[4] = 7;
    b[5] = 7;
    expectError(b, ErrorCode::CorruptData, "7x7 footprint");
    b = good;
    b[4] = 0;
    expectError(b, ErrorCode::CorruptData, "0-wide footprint");
    b = good;
    b[6] = 4;
    expectError(b, ErrorCode::Unsupported, "3D footprint");
    b = good;
    b[7] = b[8] = b[9] = 0;
    expectError(b, ErrorCode::CorruptData, "zero width");
    b = good;
    b[7] = b[8] = b[9] = b[10] = b[11] = b[12] = 0xFF;  // 16M x 16M
    expectError(b, ErrorCode::TooLarge, "absurd size");
    b = good;
    b[13] = 2;
    expectError(b, ErrorCode::Unsupported, "depth 2");
    b = good;
    b[7] = 21;  // one more texel column needs one more block column: the length no longer matches
    expectError(b, ErrorCode::CorruptData, "size/length mismatch");
}

TEST(AstcCodec, RandomBlocksNeverCrash) {
    // Random block payloads behind a valid header: astcenc decodes every bit pattern (reserved encodings become
    // error blocks); we either refuse non-finite results or return a finite image.
    const Codec& codec = astcCodec();
    Image image = astcGradient(24, 24);
    auto bytes = encodeImage(codec, image.view(), astcParams(codec, "6x6", "fastest"), {});
    ASSERT_TRUE(bytes.ok());
    std::mt19937 rng(11);
    int refused = 0, decoded = 0;
    for (int trial = 0; trial < 12; ++trial) {
        Bytes b = *bytes;
        for (std::size_t i = 16; i < b.size(); ++i) b[i] = std::uint8_t(rng());
        auto r = codec.decode(b, {});
        if (!r.ok()) {
            EXPECT_EQ(r.error().code, ErrorCode::CorruptData);
            ++refused;
            continue;
        }
        ++decoded;
        for (std::int64_t k = 0; k < r->texelCount() * 3; ++k) ASSERT_TRUE(std::isfinite(r->data()[k]));
    }
    EXPECT_EQ(refused + decoded, 12);
    // Single flipped bytes mostly leave legal blocks: those decode to finite images of the right size.
    for (std::size_t i = 16; i < bytes->size(); i += 9) {
        Bytes b = *bytes;
        b[i] ^= 0x10;
        auto r = codec.decode(b, {});
        if (!r.ok()) {
            EXPECT_EQ(r.error().code, ErrorCode::CorruptData);
            continue;
        }
        ASSERT_EQ(r->width(), 24);
        for (std::int64_t k = 0; k < r->texelCount() * 3; ++k) ASSERT_TRUE(std::isfinite(r->data()[k]));
    }
}

TEST(AstcCodec, DecodeAnyAndCancellation) {
    const Codec& codec = astcCodec();
    Image image = astcGradient(32, 32);
    std::vector<double> reports;
    CodecContext ctx;
    ctx.progress = [&](double f) { reports.push_back(f); };
    auto bytes = encodeImage(codec, image.view(), astcParams(codec, "8x8"), ctx);
    ASSERT_TRUE(bytes.ok());
    ASSERT_GE(reports.size(), 2u);
    EXPECT_EQ(reports.front(), 0.0);
    EXPECT_EQ(reports.back(), 1.0);
    EXPECT_TRUE(std::is_sorted(reports.begin(), reports.end()));
    EXPECT_EQ(CodecRegistry::builtin().detect(bytes->data(), bytes->size()), &codec);
    auto decoded = decodeAny(CodecRegistry::builtin(), bytes->data(), bytes->size(), {});
    ASSERT_TRUE(decoded.ok()) << decoded.error().message;
    EXPECT_EQ(decoded->width(), 32);

    CancelToken token;
    token.cancel();
    CodecContext cancelled;
    cancelled.cancel = &token;
    auto r = encodeImage(codec, image.view(), astcParams(codec, "8x8"), cancelled);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::Cancelled);
    EXPECT_EQ(codec.decode(*bytes, cancelled).error().code, ErrorCode::Cancelled);

    // Cancelling from the progress callback stops between bands.
    CancelToken midway;
    CodecContext stopper;
    stopper.cancel = &midway;
    stopper.progress = [&](double f) {
        if (f > 0.2) midway.cancel();
    };
    Image tall = astcGradient(16, 1024);
    auto stopped = encodeImage(codec, tall.view(), astcParams(codec, "4x4", "fastest"), stopper);
    ASSERT_FALSE(stopped.ok());
    EXPECT_EQ(stopped.error().code, ErrorCode::Cancelled);
}
