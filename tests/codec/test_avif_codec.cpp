#include <avif/avif.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "codec/avif_codec.h"
#include "codec/codec.h"
#include "tests/codec/codec_test_support.h"

using namespace lmc;
using namespace lmc::test;

namespace {

const Codec& avifCodec() {
    return builtinCodec("avif");
}

ParamSet avifParams(int quality, int speed = 9) {
    ParamSet p = ParamSet::defaults(avifCodec().schema());
    p.set("quality", quality);
    p.set("speed", speed);
    return p;
}

// The shared gradient with a spot 50x the background, scaled by `scale`.
Image avifGradient(int w, int h, float scale = 1.0f) {
    return gradientImage(w, h, 50.0f, scale);
}

Image roundTrip(const Image& image, int quality, Bytes* stream = nullptr) {
    return test::roundTrip(avifCodec(), image, avifParams(quality), oneThread(), stream);
}

// PQ EOTF, written out independently of the codec.
double pqToNits(double v) {
    const double m1 = 0.1593017578125, m2 = 78.84375, c1 = 0.8359375, c2 = 18.8515625, c3 = 18.6875;
    const double p = std::pow(v, 1.0 / m2);
    return 10000.0 * std::pow(std::max(p - c1, 0.0) / (c2 - c3 * p), 1.0 / m1);
}

}  // namespace

TEST(AvifCodec, RegistryAndSchema) {
    const Codec& codec = avifCodec();
    EXPECT_EQ(codec.defaultTraits().fileExtension, ".avif");
    auto rate = codec.rateParam();
    ASSERT_TRUE(rate.has_value());
    EXPECT_EQ(rate->id, "quality");
    EXPECT_TRUE(rate->higherIsMoreBits);
    ASSERT_NE(findParam(codec.schema(), "speed"), nullptr);
    EXPECT_EQ(findParam(codec.schema(), "speed")->defaultValue, 6);
    EXPECT_FALSE(codec.traits(ParamSet::defaults(codec.schema())).keepsNegatives);
    EXPECT_NE(codec.description().find("clamped"), std::string::npos);
    // avifenc 1.x's -q mapping.
    EXPECT_EQ(avifQuantizerForQuality(100), 0);
    EXPECT_EQ(avifQuantizerForQuality(90), 6);
    EXPECT_EQ(avifQuantizerForQuality(60), 25);
    EXPECT_EQ(avifQuantizerForQuality(0), 63);
}

TEST(AvifCodec, HdrGradientRoundTrip) {
    const Image image = avifGradient(96, 80);
    Bytes stream;
    const Image decoded = roundTrip(image, 95, &stream);
    ASSERT_EQ(decoded.width(), 96);
    ASSERT_EQ(decoded.height(), 80);
    EXPECT_LT(logRms(image, decoded, 0.01), 0.03);
    ASSERT_GE(stream.size(), 12u);
    EXPECT_EQ(std::memcmp(stream.data() + 4, "ftypavif", 8), 0);
    EXPECT_TRUE(avifCodec().recognizes(stream.data(), stream.size()));
    EXPECT_EQ(CodecRegistry::builtin().detect(stream.data(), stream.size()), &avifCodec());
}

// The scale follows the map's peak: a map 2000x darker gives the same file apart from the XMP's number, and the
// same relative error.
TEST(AvifCodec, DarkMapKeepsRelativePrecision) {
    const Image bright = avifGradient(96, 80, 1.0f);
    const Image dark = avifGradient(96, 80, 0.0005f);  // peak about 0.025
    Bytes brightStream, darkStream;
    const Image b = roundTrip(bright, 90, &brightStream);
    const Image d = roundTrip(dark, 90, &darkStream);
    ASSERT_FALSE(d.empty());
    const double brightError = logRms(bright, b, 0.01);
    const double darkError = logRms(dark, d, 0.01 * 0.0005);
    EXPECT_LT(darkError, 0.05);
    EXPECT_NEAR(darkError, brightError, 0.05 * brightError + 1e-4);
    EXPECT_NEAR(double(darkStream.size()), double(brightStream.size()), 8.0);
}

TEST(AvifCodec, OddSizes) {
    for (auto [w, h] : {std::pair{1, 1}, std::pair{3, 5}, std::pair{67, 131}}) {
        const Image image = avifGradient(w, h);
        const Image decoded = roundTrip(image, 95);
        ASSERT_EQ(decoded.width(), w);
        ASSERT_EQ(decoded.height(), h);
        EXPECT_LT(logRms(image, decoded, 0.01), 0.06) << w << "x" << h;
    }
}

// PQ cannot carry negatives: they are clamped to 0 (the schema says so) and decode as 0 or nearly so.
TEST(AvifCodec, NegativesClampedToZero) {
    Image image = avifGradient(64, 64);
    for (int y = 0; y < 64; ++y)
        for (int x = 40; x < 64; ++x)
            for (int c = 0; c < 3; ++c) image.texel(x, y)[c] = -0.5f;
    const Image decoded = roundTrip(image, 95);
    ASSERT_FALSE(decoded.empty());
    for (int y = 4; y < 60; ++y)
        for (int x = 48; x < 60; ++x)
            for (int c = 0; c < 3; ++c) {
                EXPECT_GE(decoded.texel(x, y)[c], 0.0f);
                EXPECT_LT(decoded.texel(x, y)[c], 0.01f);
            }
}

TEST(AvifCodec, NonFiniteInputDecodesFinite) {
    Image image = avifGradient(32, 32);
    image.texel(3, 3)[0] = std::numeric_limits<float>::quiet_NaN();
    image.texel(10, 10)[1] = std::numeric_limits<float>::infinity();
    image.texel(20, 5)[2] = -std::numeric_limits<float>::infinity();
    const Image decoded = roundTrip(image, 90);
    ASSERT_FALSE(decoded.empty());
    for (std::int64_t i = 0; i < decoded.texelCount() * 3; ++i) ASSERT_TRUE(std::isfinite(decoded.data()[i]));
    EXPECT_GT(decoded.texel(10, 10)[1], 1000.0f);  // +Inf -> 65504, the peak
}

TEST(AvifCodec, SizeDoesNotShrinkWithQuality) {
    const Image image = avifGradient(128, 96);
    std::size_t previous = 0;
    for (int quality : {0, 20, 40, 60, 80, 90, 95, 98, 100}) {
        auto bytes = encodeImage(avifCodec(), image.view(), avifParams(quality), oneThread());
        ASSERT_TRUE(bytes.ok());
        EXPECT_GE(bytes->size(), previous) << "quality " << quality;
        previous = bytes->size();
    }
}

// The scale travels in the XMP; libavif itself reads our file: CICP 1/16/1, 12-bit 4:4:4 full range, and its
// own YUV -> RGB conversion plus the PQ EOTF divided by the XMP's scale gives exactly our texels.
TEST(AvifCodec, LibraryDecodeEqualsOurs) {
    const Image image = avifGradient(67, 45);
    Bytes stream;
    const Image ours = roundTrip(image, 90, &stream);
    ASSERT_FALSE(ours.empty());
    avifDecoder* decoder = avifDecoderCreate();
    ASSERT_NE(decoder, nullptr);
    avifImage* decoded = avifImageCreateEmpty();
    ASSERT_EQ(avifDecoderReadMemory(decoder, decoded, stream.data(), stream.size()), AVIF_RESULT_OK);
    EXPECT_EQ(decoded->depth, 12u);
    EXPECT_EQ(decoded->yuvFormat, AVIF_PIXEL_FORMAT_YUV444);
    EXPECT_EQ(decoded->yuvRange, AVIF_RANGE_FULL);
    EXPECT_EQ(decoded->colorPrimaries, AVIF_COLOR_PRIMARIES_BT709);
    EXPECT_EQ(decoded->transferCharacteristics, AVIF_TRANSFER_CHARACTERISTICS_SMPTE2084);
    EXPECT_EQ(decoded->matrixCoefficients, AVIF_MATRIX_COEFFICIENTS_BT709);
    const std::string xmp(reinterpret_cast<const char*>(decoded->xmp.data), decoded->xmp.size);
    const float scale = avifPqScale(image.view());
    EXPECT_EQ(xmp, avifScaleXmp(scale));
    avifRGBImage rgb;
    avifRGBImageSetDefaults(&rgb, decoded);
    rgb.format = AVIF_RGB_FORMAT_RGB;
    rgb.depth = 16;
    avifRGBImageAllocatePixels(&rgb);
    ASSERT_EQ(avifImageYUVToRGB(decoded, &rgb), AVIF_RESULT_OK);
    int mismatches = 0;
    for (int y = 0; y < ours.height(); ++y) {
        const auto* row = reinterpret_cast<const std::uint16_t*>(rgb.pixels + std::size_t(y) * rgb.rowBytes);
        for (int i = 0; i < ours.width() * 3; ++i) {
            const float theirs = float(pqToNits(row[i] / 65535.0) / double(scale));
            if (std::fabs(theirs - ours.texel(0, y)[i]) > 1e-6f * std::max(1.0f, std::fabs(theirs))) ++mismatches;
        }
    }
    EXPECT_EQ(mismatches, 0);
    avifRGBImageFreePixels(&rgb);
    avifImageDestroy(decoded);
    avifDecoderDestroy(decoder);
}

TEST(AvifCodec, ScaleXmpRoundTripsExactly) {
    for (float scale : {1.0f, 0.1f, 3.0e7f, 12345.678f, 1.0e-3f}) {
        const std::string xmp = avifScaleXmp(scale);
        const std::string key = "lmc:nitsPerUnit=\"";
        const auto at = xmp.find(key);
        ASSERT_NE(at, std::string::npos);
        EXPECT_EQ(std::stof(xmp.substr(at + key.size())), scale);
    }
}

TEST(AvifCodec, DamagedStreamsAreErrors) {
    const Codec& codec = avifCodec();
    const Image image = avifGradient(80, 70);
    auto good = encodeImage(codec, image.view(), avifParams(90), oneThread());
    ASSERT_TRUE(good.ok());
    const Bytes& s = *good;
    const CodecContext c = oneThread();
    EXPECT_FALSE(codec.decode(nullptr, 0, c).ok());
    expectTruncationsRejected(codec, s, {1, 11, 40, s.size() / 3, s.size() / 2, s.size() - 1}, {ErrorCode::CorruptData},
                              c);
    Bytes wrong = s;
    std::memcpy(wrong.data() + 4, "ftip", 4);
    auto r = codec.decode(wrong, c);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::CorruptData);
    EXPECT_FALSE(codec.recognizes(wrong.data(), wrong.size()));
    for (const Bytes& bad : xorDamagedCopies(s, 0, 60)) {
        auto d = codec.decode(bad, c);
        if (!d.ok()) continue;
        ASSERT_GT(d->width(), 0);
        ASSERT_TRUE(allFinite(*d));
    }
}

// The 'ispe' property declares the size: patched to 20000 x 20000, the file is refused before decoding.
TEST(AvifCodec, HugeDeclaredSizeIsRefused) {
    const Image image = avifGradient(40, 30);
    auto good = encodeImage(avifCodec(), image.view(), avifParams(80), oneThread());
    ASSERT_TRUE(good.ok());
    Bytes patched = *good;
    std::size_t found = 0;
    for (std::size_t i = 4; i + 16 <= patched.size(); ++i) {
        if (std::memcmp(patched.data() + i, "ispe", 4) != 0) continue;
        // ispe: version/flags (4 bytes), u32 width, u32 height.
        for (int k = 0; k < 2; ++k) {
            std::uint8_t* p = patched.data() + i + 8 + 4 * k;
            const std::uint32_t v = 20000;
            p[0] = std::uint8_t(v >> 24), p[1] = std::uint8_t(v >> 16), p[2] = std::uint8_t(v >> 8),
            p[3] = std::uint8_t(v);
        }
        ++found;
    }
    ASSERT_EQ(found, 1u);
    auto r = avifCodec().decode(patched, oneThread());
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(r.error().code == ErrorCode::TooLarge || r.error().code == ErrorCode::CorruptData) << r.error().message;
}

// libaom's row multithreading and dav1d's threads do not change the result: same bytes, same texels.
TEST(AvifCodec, DeterministicAcrossThreadCounts) {
    expectSameAcrossThreadCounts(avifCodec(), avifGradient(300, 280), avifParams(90, 6));
}

TEST(AvifCodec, CancelledBeforeStart) {
    CancelToken token;
    const CodecContext c = cancelledContext(token, 1);
    const Image image = avifGradient(16, 16);
    auto bytes = encodeImage(avifCodec(), image.view(), avifParams(90), c);
    ASSERT_FALSE(bytes.ok());
    EXPECT_EQ(bytes.error().code, ErrorCode::Cancelled);
}

TEST(AvifCodec, UncoveredTexelsAreFilled) {
    Image image = avifGradient(128, 128);
    const Image noisy = noisyGutterCopy(image, 64);
    EXPECT_FLOAT_EQ(avifPqScale(noisy.view()), avifPqScale(image.view()));
    auto clean = encodeImage(avifCodec(), image.view(), avifParams(90), oneThread());
    auto dirty = encodeImage(avifCodec(), noisy.view(), avifParams(90), oneThread());
    ASSERT_TRUE(clean.ok() && dirty.ok());
    EXPECT_EQ(*clean, *dirty);
}

// A map whose peak is below 10000 / FLT_MAX would get an infinite scale: it is capped at the largest float, so the
// map still encodes (before the cap, encoding failed with InvalidArgument).
TEST(AvifCodec, TinyPeakStillEncodes) {
    const Image image = avifGradient(16, 16, 1.0e-37f);  // peak about 5e-36
    EXPECT_TRUE(std::isfinite(avifPqScale(image.view())));
    const Image decoded = roundTrip(image, 90);
    ASSERT_EQ(decoded.width(), 16);
    ASSERT_TRUE(allFinite(decoded));
    float inPeak = 0, outPeak = 0;
    for (std::int64_t i = 0; i < image.texelCount() * 3; ++i) {
        inPeak = std::max(inPeak, image.data()[i]);
        outPeak = std::max(outPeak, decoded.data()[i]);
    }
    EXPECT_NEAR(outPeak, inPeak, 0.05 * inPeak);
}
