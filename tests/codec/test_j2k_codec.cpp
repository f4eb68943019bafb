#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "codec/codec.h"
#include "codec/j2k_codec.h"

using namespace lmc;

namespace {

Image j2kGradient(int w, int h, float peakHeight = 200.0f, float scale = 1.0f) {
    Image image = Image::create(w, h).value();
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            const float u = (x + 0.5f) / w, v = (y + 0.5f) / h;
            const float dx = u - 0.4f, dy = v - 0.6f;
            const float peak = peakHeight * std::exp(-(dx * dx + dy * dy) / 0.03f);
            float* t = image.texel(x, y);
            t[0] = scale * (0.2f + 0.8f * u + peak);
            t[1] = scale * (0.3f + 0.5f * v + 0.8f * peak);
            t[2] = scale * (0.1f + 0.3f * u * v + 0.6f * peak);
        }
    return image;
}

const Codec& j2kCodec() {
    const Codec* codec = CodecRegistry::builtin().find("j2k");
    EXPECT_NE(codec, nullptr);
    return *codec;
}

ParamSet j2kParams(double rate) {
    ParamSet p;
    p.set("rate", rate);
    return validateParams(j2kCodec().schema(), p).value();
}

Bytes encodeOk(const Image& image, double rate) {
    CodecContext context;
    context.threads = 2;
    auto bytes = encodeImage(j2kCodec(), image.view(), j2kParams(rate), context);
    EXPECT_TRUE(bytes.ok()) << (bytes.ok() ? "" : bytes.error().message);
    return bytes.ok() ? *bytes : Bytes{};
}

Image decodeOk(const Bytes& bytes) {
    CodecContext context;
    auto image = j2kCodec().decode(bytes, context);
    EXPECT_TRUE(image.ok()) << (image.ok() ? "" : image.error().message);
    return image.ok() ? std::move(image).value() : Image{};
}

double logRms(const Image& a, const Image& b, double floor) {
    double sum = 0;
    const std::size_t n = std::size_t(a.texelCount()) * 3;
    for (std::size_t i = 0; i < n; ++i) {
        const double d =
            std::log2(std::max(0.0f, a.data()[i]) + floor) - std::log2(std::max(0.0f, b.data()[i]) + floor);
        sum += d * d;
    }
    return std::sqrt(sum / double(n));
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
    EXPECT_EQ(codec.fileExtension(), ".j2k");
    auto rate = codec.rateParam();
    ASSERT_TRUE(rate.has_value());
    EXPECT_EQ(rate->id, "rate");
    EXPECT_TRUE(rate->higherIsMoreBits);
    EXPECT_FALSE(codec.keepsNegatives(j2kParams(1.0)));
    EXPECT_NE(rate->description.find("Negative"), std::string::npos);  // the schema says negatives clamp
    EXPECT_EQ(codec.gpuBitsPerTexel(j2kParams(1.0)), 0.0);
}

TEST(J2kCodec, StandardCodestreamWithTheScaleInItsComment) {
    const Image image = j2kGradient(96, 64, 30.0f);
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
    const Image image = j2kGradient(256, 192);
    const Bytes bytes = encodeOk(image, 4.0);
    const Image decoded = decodeOk(bytes);
    ASSERT_EQ(decoded.width(), 256);
    ASSERT_EQ(decoded.height(), 192);
    EXPECT_LT(logRms(image, decoded, 0.01), 0.01);
    EXPECT_LE(bitsPerTexel(bytes.size(), 256 * 192), 4.0 * 1.05);
}

TEST(J2kCodec, DarkMapIsScaledToItsPeak) {
    const Image image = j2kGradient(128, 128, 10.0f, 0.005f);
    ASSERT_LT(maxValue(image), 0.1f);
    const Image decoded = decodeOk(encodeOk(image, 4.0));
    EXPECT_LT(logRms(image, decoded, 1e-4), 0.02);
}

TEST(J2kCodec, OddAndTinySizes) {
    // Tiny maps get the 512-byte floor instead of a budget the header would eat (16x16 at 4 bpp was 2.4x off).
    for (const auto& [w, h] : std::vector<std::pair<int, int>>{{1, 1}, {3, 5}, {16, 16}, {131, 2}, {67, 131}}) {
        const Image image = j2kGradient(w, h, 20.0f);
        const Image decoded = decodeOk(encodeOk(image, 4.0));
        ASSERT_EQ(decoded.width(), w);
        ASSERT_EQ(decoded.height(), h);
        EXPECT_LT(logRms(image, decoded, 0.01), 0.02) << w << "x" << h;
    }
}

TEST(J2kCodec, NegativesClampToZeroAndNonFiniteIsCleaned) {
    Image image = j2kGradient(32, 32, 5.0f);
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
    Image image = j2kGradient(256, 256, 100.0f);
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
    const Image image = j2kGradient(80, 72, 20.0f);
    const Bytes good = encodeOk(image, 3.0);
    CodecContext context;
    for (std::size_t n = 0; n < good.size(); n += (n < 200 ? 1 : 23)) {
        auto r = j2kCodec().decode(good.data(), n, context);
        ASSERT_FALSE(r.ok()) << "truncated to " << n;
        EXPECT_TRUE(r.error().code == ErrorCode::CorruptData || r.error().code == ErrorCode::Unsupported)
            << n << ": " << r.error().message;
    }
    std::mt19937 rng(9);
    for (int trial = 0; trial < 300; ++trial) {
        Bytes bad = good;
        const int flips = 1 + int(rng() % 3);
        for (int f = 0; f < flips; ++f) {
            const std::size_t at = rng() % bad.size();
            bad[at] = std::uint8_t(bad[at] ^ (1u << (rng() % 8)));
        }
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
    const Image image = j2kGradient(200, 150, 50.0f);
    CodecContext one, four;
    one.threads = 1;
    four.threads = 4;
    auto a = encodeImage(j2kCodec(), image.view(), j2kParams(1.5), one);
    auto b = encodeImage(j2kCodec(), image.view(), j2kParams(1.5), four);
    ASSERT_TRUE(a.ok());
    ASSERT_TRUE(b.ok());
    EXPECT_EQ(*a, *b);
    auto da = j2kCodec().decode(*a, one);
    auto db = j2kCodec().decode(*a, four);
    ASSERT_TRUE(da.ok());
    ASSERT_TRUE(db.ok());
    EXPECT_EQ(0, std::memcmp(da->data(), db->data(), sizeof(float) * 3 * std::size_t(da->texelCount())));
}

TEST(J2kCodec, Cancellation) {
    const Image image = j2kGradient(64, 64);
    CancelToken token;
    token.cancel();
    CodecContext cancelled;
    cancelled.cancel = &token;
    auto r = j2kCodec().encode(image.view(), j2kParams(1.0), cancelled);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::Cancelled);
    EXPECT_EQ(j2kCodec().decode(encodeOk(image, 1.0), cancelled).error().code, ErrorCode::Cancelled);
}

TEST(J2kCodec, GutterOutliersDoNotStretchTheScale) {
    // A hot texel outside the mask must not set the PQ scale: the covered texels would lose their precision.
    Image image = j2kGradient(64, 64, 5.0f);
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
