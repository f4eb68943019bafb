#include <gtest/gtest.h>
#include <jxl/decode.h>
#include <jxl/decode_cxx.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "codec/codec.h"
#include "codec/jxl_codec.h"
#include "tests/codec/codec_test_support.h"

using namespace lmc;
using namespace lmc::test;

namespace {

// The shared gradient with a spot `spot` times the background, scaled by `scale`.
Image jxlGradient(int w, int h, float scale = 1.0f, float spot = 50.0f) {
    return gradientImage(w, h, spot, scale);
}

const Codec& jxlCodec() {
    return builtinCodec("jxl");
}

ParamSet jxlParams(double distance, int effort = 3) {
    ParamSet p = ParamSet::defaults(jxlCodec().schema());
    p.set("distance", distance);
    p.set("effort", effort);
    return p;
}

Image roundTrip(const Image& image, double distance, Bytes* stream = nullptr) {
    return test::roundTrip(jxlCodec(), image, jxlParams(distance), oneThread(), stream);
}

}  // namespace

TEST(JxlCodec, RegistryAndSchema) {
    const Codec& codec = jxlCodec();
    EXPECT_EQ(codec.defaultTraits().fileExtension, ".jxl");
    auto rate = codec.rateParam();
    ASSERT_TRUE(rate.has_value());
    EXPECT_EQ(rate->id, "distance");
    EXPECT_FALSE(rate->higherIsMoreBits);
    EXPECT_DOUBLE_EQ(rate->minValue, 0.05);
    EXPECT_DOUBLE_EQ(rate->maxValue, 15.0);
    ASSERT_NE(findParam(codec.schema(), "effort"), nullptr);
    EXPECT_EQ(findParam(codec.schema(), "effort")->defaultValue, 7);
    EXPECT_FALSE(codec.traits(ParamSet::defaults(codec.schema())).keepsNegatives);
    EXPECT_NE(codec.description().find("clamped"), std::string::npos);
}

TEST(JxlCodec, HdrGradientRoundTrip) {
    const Image image = jxlGradient(96, 80);
    Bytes stream;
    const Image decoded = roundTrip(image, 0.5, &stream);
    ASSERT_EQ(decoded.width(), 96);
    ASSERT_EQ(decoded.height(), 80);
    EXPECT_LT(logRms(image, decoded, 0.01), 0.03);
    // A bare codestream: FF 0A, recognised by this codec and by the registry.
    ASSERT_GE(stream.size(), 2u);
    EXPECT_EQ(stream[0], 0xFF);
    EXPECT_EQ(stream[1], 0x0A);
    EXPECT_TRUE(jxlCodec().recognizes(stream.data(), stream.size()));
    EXPECT_EQ(CodecRegistry::builtin().detect(stream.data(), stream.size()), &jxlCodec());
}

// The intensity target follows the map: a map 30x darker (peak below 0.1) codes with about the same relative error
// and size.
TEST(JxlCodec, DarkMapKeepsRelativePrecision) {
    const Image bright = jxlGradient(96, 80, 1.0f, 2.0f);
    const Image dark = jxlGradient(96, 80, 1.0f / 32, 2.0f);  // peak about 0.09
    Bytes brightStream, darkStream;
    const Image b = roundTrip(bright, 1.0, &brightStream);
    const Image d = roundTrip(dark, 1.0, &darkStream);
    ASSERT_FALSE(d.empty());
    const double brightError = logRms(bright, b, 0.01);
    const double darkError = logRms(dark, d, 0.01 / 32);
    EXPECT_LT(darkError, 0.05);
    EXPECT_NEAR(darkError, brightError, 0.1 * brightError);
    EXPECT_NEAR(double(darkStream.size()), double(brightStream.size()), 0.05 * double(brightStream.size()));
    EXPECT_FLOAT_EQ(jxlIntensityTarget(dark.view()), 32.0f * jxlIntensityTarget(bright.view()));
}

// The header holds the intensity target as a binary16 float: an extremely dark map gets the largest one and still
// decodes in its own units with a moderate error.
TEST(JxlCodec, ExtremelyDarkMapUsesLargestIntensityTarget) {
    const Image dark = jxlGradient(64, 64, 1.0e-5f, 2.0f);
    EXPECT_FLOAT_EQ(jxlIntensityTarget(dark.view()), 65504.0f);
    const Image d = roundTrip(dark, 0.1);
    ASSERT_FALSE(d.empty());
    EXPECT_LT(logRms(dark, d, 0.01e-5), 0.1);
}

TEST(JxlCodec, OddSizes) {
    for (auto [w, h] : {std::pair{1, 1}, std::pair{3, 5}, std::pair{67, 131}}) {
        const Image image = jxlGradient(w, h);
        const Image decoded = roundTrip(image, 0.5);
        ASSERT_EQ(decoded.width(), w);
        ASSERT_EQ(decoded.height(), h);
        EXPECT_LT(logRms(image, decoded, 0.01), 0.1) << w << "x" << h;
    }
}

// Negatives are clamped to 0 (the schema says so): they decode near 0, not near their value.
TEST(JxlCodec, NegativesClampedToZero) {
    Image image = jxlGradient(64, 64);
    for (int y = 0; y < 64; ++y)
        for (int x = 40; x < 64; ++x)
            for (int c = 0; c < 3; ++c) image.texel(x, y)[c] = -0.5f;
    const Image decoded = roundTrip(image, 0.3);
    ASSERT_FALSE(decoded.empty());
    for (int y = 4; y < 60; ++y)
        for (int x = 48; x < 60; ++x)
            for (int c = 0; c < 3; ++c) EXPECT_NEAR(decoded.texel(x, y)[c], 0.0f, 0.02f);
}

TEST(JxlCodec, NonFiniteInputDecodesFinite) {
    Image image = jxlGradient(32, 32);
    image.texel(3, 3)[0] = std::numeric_limits<float>::quiet_NaN();
    image.texel(10, 10)[1] = std::numeric_limits<float>::infinity();
    image.texel(20, 5)[2] = -std::numeric_limits<float>::infinity();
    const Image decoded = roundTrip(image, 1.0);
    ASSERT_FALSE(decoded.empty());
    for (std::int64_t i = 0; i < decoded.texelCount() * 3; ++i) ASSERT_TRUE(std::isfinite(decoded.data()[i]));
    EXPECT_GT(decoded.texel(10, 10)[1], 1000.0f);  // +Inf -> 65504, kept bright
}

TEST(JxlCodec, SizeDoesNotGrowWithDistance) {
    const Image image = jxlGradient(128, 96);
    std::size_t previous = std::numeric_limits<std::size_t>::max();
    for (double distance : {0.05, 0.2, 0.5, 1.0, 2.0, 5.0, 15.0}) {
        auto bytes = encodeImage(jxlCodec(), image.view(), jxlParams(distance), oneThread());
        ASSERT_TRUE(bytes.ok());
        EXPECT_LE(bytes->size(), previous) << "distance " << distance;
        previous = bytes->size();
    }
}

// libjxl's own decoder, asked for float RGB without any preference, gives exactly our texels.
TEST(JxlCodec, LibraryDecodeEqualsOurs) {
    const Image image = jxlGradient(67, 45);
    Bytes stream;
    const Image ours = roundTrip(image, 0.7, &stream);
    ASSERT_FALSE(ours.empty());
    auto decoder = JxlDecoderMake(nullptr);
    ASSERT_EQ(JxlDecoderSubscribeEvents(decoder.get(), JXL_DEC_FULL_IMAGE), JXL_DEC_SUCCESS);
    ASSERT_EQ(JxlDecoderSetInput(decoder.get(), stream.data(), stream.size()), JXL_DEC_SUCCESS);
    JxlDecoderCloseInput(decoder.get());
    std::vector<float> theirs(std::size_t(ours.texelCount()) * 3);
    const JxlPixelFormat format{3, JXL_TYPE_FLOAT, JXL_NATIVE_ENDIAN, 0};
    for (bool done = false; !done;) {
        const JxlDecoderStatus s = JxlDecoderProcessInput(decoder.get());
        if (s == JXL_DEC_NEED_IMAGE_OUT_BUFFER)
            ASSERT_EQ(JxlDecoderSetImageOutBuffer(decoder.get(), &format, theirs.data(), theirs.size() * 4),
                      JXL_DEC_SUCCESS);
        else if (s == JXL_DEC_FULL_IMAGE || s == JXL_DEC_SUCCESS)
            done = true;
        else
            FAIL() << "libjxl status " << int(s);
    }
    EXPECT_EQ(std::memcmp(theirs.data(), ours.data(), theirs.size() * sizeof(float)), 0);
}

TEST(JxlCodec, DamagedStreamsAreErrors) {
    const Codec& codec = jxlCodec();
    const Image image = jxlGradient(80, 70);
    auto good = encodeImage(codec, image.view(), jxlParams(0.5), oneThread());
    ASSERT_TRUE(good.ok());
    const Bytes& s = *good;
    const CodecContext c = oneThread();
    EXPECT_FALSE(codec.decode(nullptr, 0, c).ok());
    expectTruncationsRejected(codec, s, {1, 2, 5, s.size() / 3, s.size() / 2, s.size() - 1}, {ErrorCode::CorruptData},
                              c);
    Bytes wrong = s;
    wrong[0] = 'X';
    auto r = codec.decode(wrong, c);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::CorruptData);
    EXPECT_FALSE(codec.recognizes(wrong.data(), wrong.size()));
    // Flipped bytes anywhere: an error, or an image of the right size with finite values; never a crash.
    for (const Bytes& bad : xorDamagedCopies(s, 2, 40)) {
        auto d = codec.decode(bad, c);
        if (!d.ok()) continue;
        ASSERT_EQ(d->width(), 80);
        ASSERT_EQ(d->height(), 70);
        ASSERT_TRUE(allFinite(*d));
    }
}

// A hand-made codestream header (ISO/IEC 18181-1 SizeHeader, then all-default ImageMetadata) declaring a width
// beyond kMaxImageSide: refused before any pixel buffer exists.
TEST(JxlCodec, HugeDeclaredSizeIsRefused) {
    auto header = [](std::uint32_t width, std::uint32_t height) {
        std::vector<bool> bits;
        auto put = [&](std::uint64_t v, int n) {
            for (int i = 0; i < n; ++i) bits.push_back((v >> i) & 1);
        };
        put(0, 1);  // small = false
        put(3, 2);  // height: 1 + u(30)
        put(height - 1, 30);
        put(0, 3);  // ratio 0: explicit width
        put(3, 2);  // width: 1 + u(30)
        put(width - 1, 30);
        put(1, 1);  // ImageMetadata all_default
        Bytes out = {0xFF, 0x0A};
        out.resize(2 + (bits.size() + 7) / 8 + 64, 0);
        for (std::size_t i = 0; i < bits.size(); ++i)
            if (bits[i]) out[2 + i / 8] |= std::uint8_t(1u << (i % 8));
        return out;
    };
    const Codec& codec = jxlCodec();
    for (auto [w, h] : {std::pair{std::uint32_t(kMaxImageSide + 1), 16u}, std::pair{200000u, 200000u}}) {
        const Bytes stream = header(w, h);
        EXPECT_TRUE(codec.recognizes(stream.data(), stream.size()));
        auto r = codec.decode(stream, oneThread());
        ASSERT_FALSE(r.ok()) << w << "x" << h;
        EXPECT_TRUE(r.error().code == ErrorCode::TooLarge || r.error().code == ErrorCode::CorruptData);
    }
    auto r = codec.decode(header(kMaxImageSide + 1, 16), oneThread());
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::TooLarge);
}

// libjxl's output does not depend on its thread count: same bytes, same texels.
TEST(JxlCodec, DeterministicAcrossThreadCounts) {
    // Several 256x256 groups, so threads share real work.
    expectSameAcrossThreadCounts(jxlCodec(), jxlGradient(300, 280), jxlParams(1.0, 7));
}

TEST(JxlCodec, CancelledBeforeStart) {
    CancelToken token;
    const CodecContext c = cancelledContext(token, 1);
    const Image image = jxlGradient(16, 16);
    auto bytes = encodeImage(jxlCodec(), image.view(), jxlParams(1.0), c);
    ASSERT_FALSE(bytes.ok());
    EXPECT_EQ(bytes.error().code, ErrorCode::Cancelled);
}

// Texels outside the mask neither steer the intensity target nor cost many bits.
TEST(JxlCodec, UncoveredTexelsAreFilled) {
    Image image = jxlGradient(128, 128);
    const Image noisy = noisyGutterCopy(image, 64);  // column 64 is the visible ring: it must match
    EXPECT_FLOAT_EQ(jxlIntensityTarget(noisy.view()), jxlIntensityTarget(image.view()));
    auto clean = encodeImage(jxlCodec(), image.view(), jxlParams(1.0), oneThread());
    auto dirty = encodeImage(jxlCodec(), noisy.view(), jxlParams(1.0), oneThread());
    ASSERT_TRUE(clean.ok() && dirty.ok());
    EXPECT_EQ(*clean, *dirty);  // the fill replaces every texel outside the visible set
}
