#include <gtest/gtest.h>
#include <sys/resource.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "codec/codec.h"
#include "codec/j2k_codec.h"
#include "tests/codec/codec_test_support.h"

using namespace lmc;
using namespace lmc::test;

namespace {

const Codec& j2kCodec() {
    return builtinCodec("j2k");
}

ParamSet j2kParams(double rate) {
    ParamSet p;
    p.set("rate", rate);
    return validateParams(j2kCodec().schema(), p).value();
}

Bytes encodeOk(const Image& image, double rate) {
    return test::encodeOk(j2kCodec(), image, j2kParams(rate), threadsContext(2));
}

Image decodeOk(const Bytes& bytes) {
    return test::decodeOk(j2kCodec(), bytes, CodecContext{});
}

// The scale the stream carries: the text of its "lmc-pq-peak=" comment, as float bits.
bool streamPeak(const Bytes& bytes, float& peak) {
    const std::string key = "lmc-pq-peak=";
    auto it = std::search(bytes.begin(), bytes.end(), key.begin(), key.end());
    if (it == bytes.end() || bytes.end() - it < std::ptrdiff_t(key.size() + 8)) return false;
    const std::string hex(it + std::ptrdiff_t(key.size()), it + std::ptrdiff_t(key.size() + 8));
    const std::uint32_t bits = std::uint32_t(std::stoul(hex, nullptr, 16));
    std::memcpy(&peak, &bits, 4);
    return true;
}

float maxValue(const Image& image) {
    float m = 0;
    for (std::int64_t i = 0; i < image.texelCount() * 3; ++i) m = std::max(m, image.data()[i]);
    return m;
}

}  // namespace

TEST(J2kCodec, RegistryAndSchema) {
    const Codec& codec = j2kCodec();
    EXPECT_EQ(codec.defaultTraits().fileExtension, ".j2k");
    auto rate = codec.rateParam();
    ASSERT_TRUE(rate.has_value());
    EXPECT_EQ(rate->id, "rate");
    EXPECT_TRUE(rate->higherIsMoreBits);
    EXPECT_FALSE(codec.traits(j2kParams(1.0)).keepsNegatives);
    EXPECT_NE(rate->description.find("Negative"), std::string::npos);  // the schema says negatives clamp
    EXPECT_EQ(codec.traits(j2kParams(1.0)).gpuBitsPerTexel, 0.0);
}

TEST(J2kCodec, StandardCodestreamWithTheScaleInItsComment) {
    const Image image = gradientImage(96, 64, 30.0f);
    const Bytes bytes = encodeOk(image, 2.0);
    ASSERT_GT(bytes.size(), 16u);
    // SOC, SIZ first, EOC last: a raw JPEG 2000 codestream.
    EXPECT_EQ(bytes[0], 0xFF);
    EXPECT_EQ(bytes[1], 0x4F);
    EXPECT_EQ(bytes[2], 0xFF);
    EXPECT_EQ(bytes[3], 0x51);
    EXPECT_EQ(bytes[bytes.size() - 2], 0xFF);
    EXPECT_EQ(bytes[bytes.size() - 1], 0xD9);
    EXPECT_TRUE(j2kCodec().recognizes(bytes.data(), bytes.size()));
    EXPECT_EQ(CodecRegistry::builtin().detect(bytes.data(), bytes.size()), &j2kCodec());
    // No "Created by OpenJPEG" comment: ours replaces it.
    const std::string openjpeg = "OpenJPEG";
    EXPECT_EQ(std::search(bytes.begin(), bytes.end(), openjpeg.begin(), openjpeg.end()), bytes.end());
    float peak = 0;
    ASSERT_TRUE(streamPeak(bytes, peak));
    EXPECT_EQ(peak, maxValue(image));  // bit-exact
}

TEST(J2kCodec, ScaleRoundTripIsExact) {
    // A constant map sits at PQ's top code; it must come back as exactly the stored peak, whatever the scale.
    for (float value : {0.0123456789f, 1.0f, 3.14159f, 4321.5f, 65504.0f}) {
        Image image = Image::create(32, 32).value();
        std::fill(image.data(), image.data() + 32 * 32 * 3, value);
        const Bytes bytes = encodeOk(image, 16.0);
        float peak = 0;
        ASSERT_TRUE(streamPeak(bytes, peak));
        EXPECT_EQ(peak, value);
        const Image decoded = decodeOk(bytes);
        for (std::int64_t i = 0; i < decoded.texelCount() * 3; ++i)
            ASSERT_NEAR(decoded.data()[i], value, value * 2e-3f) << value;
        EXPECT_EQ(maxValue(decoded), value) << "peak texel must decode to the stored scale";
    }
}

TEST(J2kCodec, HdrGradientRoundTrip) {
    const Image image = gradientImage(256, 192);
    const Bytes bytes = encodeOk(image, 4.0);
    const Image decoded = decodeOk(bytes);
    ASSERT_EQ(decoded.width(), 256);
    ASSERT_EQ(decoded.height(), 192);
    EXPECT_LT(logRms(image, decoded, 0.01), 0.01);
    EXPECT_LE(bitsPerTexel(bytes.size(), 256 * 192), 4.0 * 1.05);
}

TEST(J2kCodec, DarkMapIsScaledToItsPeak) {
    const Image image = gradientImage(128, 128, 10.0f, 0.005f);
    ASSERT_LT(maxValue(image), 0.1f);
    const Image decoded = decodeOk(encodeOk(image, 4.0));
    EXPECT_LT(logRms(image, decoded, 1e-4), 0.02);
}

TEST(J2kCodec, OddAndTinySizes) {
    // Tiny maps get the 512-byte floor instead of a budget the header would eat (16x16 at 4 bpp was 2.4x off).
    for (const auto& [w, h] : std::vector<std::pair<int, int>>{{1, 1}, {3, 5}, {16, 16}, {131, 2}, {67, 131}}) {
        const Image image = gradientImage(w, h, 20.0f);
        const Image decoded = decodeOk(encodeOk(image, 4.0));
        ASSERT_EQ(decoded.width(), w);
        ASSERT_EQ(decoded.height(), h);
        EXPECT_LT(logRms(image, decoded, 0.01), 0.02) << w << "x" << h;
    }
}

TEST(J2kCodec, NegativesClampToZeroAndNonFiniteIsCleaned) {
    Image image = gradientImage(32, 32, 5.0f);
    const float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
    for (int y = 8; y < 16; ++y)
        for (int x = 8; x < 16; ++x) {
            float* t = image.texel(x, y);
            t[0] = -5.0f;
            t[1] = nan;
            t[2] = -inf;
        }
    image.texel(30, 30)[0] = inf;
    const Bytes bytes = encodeOk(image, 16.0);
    float peak = 0;
    ASSERT_TRUE(streamPeak(bytes, peak));
    EXPECT_EQ(peak, 65504.0f);  // +Inf -> 65504
    const Image decoded = decodeOk(bytes);
    for (std::int64_t i = 0; i < decoded.texelCount() * 3; ++i) {
        ASSERT_TRUE(std::isfinite(decoded.data()[i]));
        ASSERT_GE(decoded.data()[i], 0.0f);
    }
    // The clamped block decodes near 0 (relative to a 65504 peak); its neighbours keep their light.
    EXPECT_LT(decoded.texel(12, 12)[0], 0.05f);
    EXPECT_LT(decoded.texel(12, 12)[1], 0.05f);
    EXPECT_GT(decoded.texel(2, 2)[1], 0.2f);
    EXPECT_NEAR(decoded.texel(30, 30)[0], 65504.0f, 65504.0f * 0.01f);
}

TEST(J2kCodec, AllBlackMap) {
    Image image = Image::create(20, 10).value();
    const Bytes bytes = encodeOk(image, 1.0);
    float peak = -1;
    ASSERT_TRUE(streamPeak(bytes, peak));
    EXPECT_EQ(peak, 0.0f);
    const Image decoded = decodeOk(bytes);
    EXPECT_EQ(maxValue(decoded), 0.0f);
}

TEST(J2kCodec, SizeGrowsAlongTheRateSlider) {
    Image image = gradientImage(256, 256, 100.0f);
    std::mt19937 rng(3);
    std::normal_distribution<float> noise(0.0f, 0.1f);
    for (std::int64_t i = 0; i < image.texelCount() * 3; ++i) image.data()[i] *= std::exp(noise(rng));
    std::size_t previous = 0;
    double previousError = 1e9;
    for (double rate : {0.1, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0}) {
        const Bytes bytes = encodeOk(image, rate);
        EXPECT_GE(bytes.size(), previous) << "rate " << rate;
        EXPECT_LE(bitsPerTexel(bytes.size(), image.texelCount()), rate * 1.05 + 0.01) << rate;
        const double error = logRms(image, decodeOk(bytes), 0.01);
        EXPECT_LE(error, previousError * 1.01) << rate;
        previous = bytes.size();
        previousError = error;
    }
}

TEST(J2kCodec, DamagedAndTruncatedStreamsGiveErrors) {
    const Image image = gradientImage(80, 72, 20.0f);
    const Bytes good = encodeOk(image, 3.0);
    CodecContext context;
    expectTruncationsRejected(j2kCodec(), good, truncationLengths(good.size(), 200, 23),
                              {ErrorCode::CorruptData, ErrorCode::Unsupported}, context);
    for (const Bytes& bad : bitFlippedCopies(good, 9, 300, 3)) {
        // Anything but a crash. JPEG 2000 has no checksum: a flip in SIZ can decode as another (legal) size.
        auto r = j2kCodec().decode(bad, context);
        if (r.ok()) {
            EXPECT_TRUE(checkImageSize(r->width(), r->height()).ok());
            EXPECT_EQ(r->texelCount(), std::int64_t(r->width()) * r->height());
        }
    }
    // A codestream without our scale comment is refused with a clear message.
    Bytes noComment = good;
    const std::string key = "lmc-pq-peak=";
    auto it = std::search(noComment.begin(), noComment.end(), key.begin(), key.end());
    ASSERT_NE(it, noComment.end());
    *it = 'X';
    auto r = j2kCodec().decode(noComment, context);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::CorruptData);
    EXPECT_NE(r.error().message.find("scale"), std::string::npos);
}

TEST(J2kCodec, ThreadCountDoesNotChangeTheStreamOrTheTexels) {
    expectSameAcrossThreadCounts(j2kCodec(), gradientImage(200, 150, 50.0f), j2kParams(1.5), {1, 4});
}

TEST(J2kCodec, Cancellation) {
    const Image image = gradientImage(64, 64);
    CancelToken token;
    const CodecContext cancelled = cancelledContext(token);
    auto r = j2kCodec().encode(image.view(), j2kParams(1.0), cancelled);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::Cancelled);
    EXPECT_EQ(j2kCodec().decode(encodeOk(image, 1.0), cancelled).error().code, ErrorCode::Cancelled);
}

TEST(J2kCodec, GutterOutliersDoNotStretchTheScale) {
    // A hot texel outside the mask must not set the PQ scale: the covered texels would lose their precision.
    Image image = gradientImage(64, 64, 5.0f);
    image.ensureMask();
    for (int y = 0; y < 64; ++y)
        for (int x = 48; x < 64; ++x) {
            image.maskData()[y * 64 + x] = 0;
            image.texel(x, y)[0] = 60000.0f;
        }
    float coveredPeak = 0;
    for (int y = 0; y < 64; ++y)
        for (int x = 0; x < 48; ++x)
            for (int c = 0; c < 3; ++c) coveredPeak = std::max(coveredPeak, image.texel(x, y)[c]);
    CodecContext context;
    auto bytes = j2kCodec().encode(image.view(), j2kParams(2.0), context);
    ASSERT_TRUE(bytes.ok());
    float peak = 0;
    ASSERT_TRUE(streamPeak(*bytes, peak));
    EXPECT_EQ(peak, coveredPeak);
    const Image decoded = decodeOk(*bytes);
    double sum = 0;
    int n = 0;
    for (int y = 0; y < 64; ++y)
        for (int x = 0; x < 48; ++x)
            for (int c = 0; c < 3; ++c) {
                const double d = std::log2((decoded.texel(x, y)[c] + 0.01) / (image.texel(x, y)[c] + 0.01));
                sum += d * d;
                ++n;
            }
    EXPECT_LT(std::sqrt(sum / n), 0.01);
}

namespace {

void putBe32(Bytes& b, std::size_t at, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) b.at(at + std::size_t(i)) = std::uint8_t(v >> (24 - 8 * i));
}

}  // namespace

// The SIZ segment is checked before OpenJPEG parses the header: OpenJPEG allocates per tile while parsing, and a
// stream announcing an 8192x8192 map in 33x32 tiles (63744 tiles, one present) made it take about 2.3 GB and
// return a zero image.
TEST(J2kCodec, TiledOrForeignLayoutIsRefusedBeforeOpenJpeg) {
    const Bytes good = encodeOk(gradientImage(64, 64), 1.0);
    ASSERT_GT(good.size(), 48u);
    // SOC, SIZ, Lsiz, Rsiz, then Xsiz @8, Ysiz @12, XOsiz @16, YOsiz @20, XTsiz @24, YTsiz @28; components @42.
    Bytes tiled = good;
    putBe32(tiled, 8, 8192);
    putBe32(tiled, 12, 8192);
    putBe32(tiled, 24, 33);
    putBe32(tiled, 28, 32);
    rusage before{}, after{};
    getrusage(RUSAGE_SELF, &before);
    auto r = j2kCodec().decode(tiled, CodecContext{});
    getrusage(RUSAGE_SELF, &after);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::Unsupported) << r.error().message;
    EXPECT_LT(after.ru_maxrss - before.ru_maxrss, 256L * 1024) << "kB of peak memory growth";

    Bytes offset = good;
    putBe32(offset, 16, 1);
    auto o = j2kCodec().decode(offset, CodecContext{});
    ASSERT_FALSE(o.ok());
    EXPECT_EQ(o.error().code, ErrorCode::CorruptData) << o.error().message;

    Bytes signedComponent = good;
    signedComponent[42 + 3] = 0x8F;  // the second component: 16 bits signed
    auto s = j2kCodec().decode(signedComponent, CodecContext{});
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().code, ErrorCode::Unsupported) << s.error().message;

    Bytes huge = good;
    putBe32(huge, 8, 16384);
    putBe32(huge, 12, 16384);
    putBe32(huge, 24, 16384);
    putBe32(huge, 28, 16384);
    auto h = j2kCodec().decode(huge, CodecContext{});
    ASSERT_FALSE(h.ok());
    EXPECT_EQ(h.error().code, ErrorCode::TooLarge) << h.error().message;
}
