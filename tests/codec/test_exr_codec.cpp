#include <gtest/gtest.h>

#include <ImfChannelList.h>
#include <ImfCompression.h>
#include <ImfFrameBuffer.h>
#include <ImfHeader.h>
#include <ImfIO.h>
#include <ImfInputFile.h>
#include <half.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "codec/codec.h"
#include "codec/exr_codec.h"
#include "tests/codec/codec_test_support.h"

using namespace lmc;
using namespace lmc::test;

namespace {

const Codec& exrCodec() {
    return builtinCodec("exr");
}

ParamSet exrParams(const std::string& compression, int level = 45) {
    return parseParamAssignments(exrCodec().schema(), {"compression=" + compression, "level=" + std::to_string(level)})
        .value();
}

Bytes encodeOk(const Image& image, const ParamSet& params) {
    return test::encodeOk(exrCodec(), image, params, threadsContext(2));
}

Image decodeOk(const Bytes& bytes) {
    return test::decodeOk(exrCodec(), bytes, CodecContext{});
}

float halfRound(float v) {
    return float(half(v));
}

}  // namespace

TEST(ExrCodec, RegistryAndSchema) {
    const Codec& codec = exrCodec();
    EXPECT_EQ(codec.defaultTraits().fileExtension, ".exr");
    EXPECT_EQ(codec.traits(exrParams("piz")).fileExtension, ".exr");
    auto rate = codec.rateParam();
    ASSERT_TRUE(rate.has_value());
    EXPECT_EQ(rate->id, "level");
    EXPECT_FALSE(rate->higherIsMoreBits);
    EXPECT_EQ(rate->defaultValue, 45);
    const ParamSchema schema = codec.schema();
    const ParamSpec* compression = findParam(schema, "compression");
    ASSERT_NE(compression, nullptr);
    EXPECT_EQ(compression->choices, (std::vector<std::string>{"dwab", "piz"}));
    EXPECT_TRUE(codec.traits(exrParams("dwab")).keepsNegatives);
    EXPECT_TRUE(codec.traits(exrParams("piz")).keepsNegatives);
    EXPECT_EQ(codec.traits(exrParams("dwab")).gpuBitsPerTexel, 0.0);
}

TEST(ExrCodec, DwabRoundTripOfAnHdrGradient) {
    const Image image = gradientImage(256, 192);
    const Bytes bytes = encodeOk(image, exrParams("dwab", 45));
    ASSERT_GT(bytes.size(), 8u);
    EXPECT_TRUE(exrCodec().recognizes(bytes.data(), bytes.size()));
    EXPECT_EQ(CodecRegistry::builtin().detect(bytes.data(), bytes.size()), &exrCodec());
    const Image decoded = decodeOk(bytes);
    ASSERT_EQ(decoded.width(), 256);
    ASSERT_EQ(decoded.height(), 192);
    EXPECT_FALSE(decoded.hasMask());
    EXPECT_LT(logRms(image, decoded, 0.01), 0.01);
    // Smaller than the raw half data (6 bytes per texel).
    EXPECT_LT(bytes.size(), std::size_t(256 * 192 * 6) / 2);
}

TEST(ExrCodec, DarkMapKeepsRelativePrecision) {
    // A night map peaking below 0.1: DWA works on the half values themselves, so precision is relative.
    const Image image = gradientImage(128, 128, 10.0f, 0.005f);
    float peak = 0;
    for (std::int64_t i = 0; i < image.texelCount() * 3; ++i) peak = std::max(peak, image.data()[i]);
    ASSERT_LT(peak, 0.1f);
    const Image decoded = decodeOk(encodeOk(image, exrParams("dwab", 45)));
    EXPECT_LT(logRms(image, decoded, 1e-4), 0.02);
}

TEST(ExrCodec, PizIsExactlyLosslessOnHalfInput) {
    // Odd size, negatives, tiny and huge values: every value half-representable, so PIZ gives them back bit-exact.
    Image image = Image::create(67, 131).value();
    std::mt19937 rng(7);
    std::uniform_real_distribution<float> logMag(-20.0f, 15.0f);
    for (std::int64_t i = 0; i < image.texelCount() * 3; ++i) {
        float v = std::exp2(logMag(rng));
        if (rng() % 5 == 0) v = -v;
        if (rng() % 17 == 0) v = 0.0f;
        image.data()[i] = halfRound(v);
    }
    const Image decoded = decodeOk(encodeOk(image, exrParams("piz")));
    ASSERT_EQ(decoded.width(), 67);
    ASSERT_EQ(decoded.height(), 131);
    EXPECT_EQ(0, std::memcmp(decoded.data(), image.data(), sizeof(float) * std::size_t(image.texelCount()) * 3));
}

TEST(ExrCodec, OddAndTinySizes) {
    for (const auto& [w, h] : std::vector<std::pair<int, int>>{{1, 1}, {3, 5}, {67, 131}}) {
        const Image image = gradientImage(w, h, 20.0f);
        for (const char* mode : {"dwab", "piz"}) {
            const Bytes bytes = encodeOk(image, exrParams(mode));
            const Image decoded = decodeOk(bytes);
            ASSERT_EQ(decoded.width(), w) << mode;
            ASSERT_EQ(decoded.height(), h) << mode;
            EXPECT_LT(logRms(image, decoded, 0.01), std::string(mode) == "piz" ? 1e-3 : 0.03) << w << "x" << h << mode;
        }
    }
}

TEST(ExrCodec, NegativesKeptAndNonFiniteCleaned) {
    Image image = gradientImage(16, 16, 5.0f);
    const float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
    float* t = image.texel(3, 4);
    t[0] = nan;
    t[1] = inf;
    t[2] = -inf;
    t = image.texel(5, 6);
    t[0] = -0.75f;
    t[1] = 1e6f;
    t[2] = -1e6f;
    // Exactly (-1, -1, -1) is the Unity 4 empty-texel marker for our reader; the codec must not lose it to 0.
    t = image.texel(7, 8);
    t[0] = t[1] = t[2] = -1.0f;
    const Image decoded = decodeOk(encodeOk(image, exrParams("piz")));
    const float* a = decoded.texel(3, 4);
    EXPECT_EQ(a[0], 0.0f);
    EXPECT_EQ(a[1], 65504.0f);
    EXPECT_EQ(a[2], -65504.0f);
    const float* b = decoded.texel(5, 6);
    EXPECT_EQ(b[0], -0.75f);
    EXPECT_EQ(b[1], 65504.0f);
    EXPECT_EQ(b[2], -65504.0f);
    const float* c = decoded.texel(7, 8);
    EXPECT_EQ(c[0], -1.0f);
    EXPECT_EQ(c[1], -1.0f);
    EXPECT_NEAR(c[2], -1.0f, 1e-3f);
    // Lossy mode keeps the sign of clearly negative texels too.
    Image negative = gradientImage(64, 64, 5.0f);
    for (std::int64_t i = 0; i < negative.texelCount() * 3; ++i) negative.data()[i] = -negative.data()[i];
    const Image lossy = decodeOk(encodeOk(negative, exrParams("dwab")));
    EXPECT_LT(logRms(
                  gradientImage(64, 64, 5.0f),
                  [&] {
                      Image flipped = lossy.clone();
                      for (std::int64_t i = 0; i < flipped.texelCount() * 3; ++i)
                          flipped.data()[i] = -flipped.data()[i];
                      return flipped;
                  }(),
                  0.01),
              0.02);
}

TEST(ExrCodec, SizeNeverGrowsAlongTheLevelSlider) {
    Image image = gradientImage(256, 256, 100.0f);
    std::mt19937 rng(3);  // some texture so that DWA has detail to quantise
    std::normal_distribution<float> noise(0.0f, 0.05f);
    for (std::int64_t i = 0; i < image.texelCount() * 3; ++i) image.data()[i] *= std::exp(noise(rng));
    // (DWAB at level 1 is larger than lossless PIZ: the low end of the slider is not a lossless mode.)
    std::size_t previous = std::numeric_limits<std::size_t>::max();
    for (int level : {1, 2, 5, 10, 20, 45, 100, 200, 400, 1000, 2000, 5000}) {
        const std::size_t size = encodeOk(image, exrParams("dwab", level)).size();
        EXPECT_LE(size, previous) << "level " << level;
        previous = size;
    }
    EXPECT_LT(encodeOk(image, exrParams("dwab", 2000)).size() * 3, encodeOk(image, exrParams("dwab", 5)).size());
}

namespace {

class MemoryIStream final : public Imf::IStream {
public:
    explicit MemoryIStream(const Bytes& bytes) : Imf::IStream("<memory>"), bytes_(bytes) {}
    bool read(char c[], int n) override {
        if (position_ + std::size_t(n) > bytes_.size()) throw std::runtime_error("read past end");
        std::memcpy(c, bytes_.data() + position_, std::size_t(n));
        position_ += std::size_t(n);
        return position_ < bytes_.size();
    }
    std::uint64_t tellg() override { return position_; }
    void seekg(std::uint64_t pos) override { position_ = std::size_t(pos); }

private:
    const Bytes& bytes_;
    std::size_t position_ = 0;
};

}  // namespace

TEST(ExrCodec, StreamIsAPlainExrThatOpenExrReads) {
    const Image image = gradientImage(67, 41, 50.0f);
    for (const char* mode : {"dwab", "piz"}) {
        const Bytes bytes = encodeOk(image, exrParams(mode, 100));
        const Image ours = decodeOk(bytes);
        MemoryIStream stream(bytes);
        Imf::InputFile file(stream);
        const Imf::Header& header = file.header();
        EXPECT_EQ(header.compression(), std::string(mode) == "dwab" ? Imf::DWAB_COMPRESSION : Imf::PIZ_COMPRESSION);
        std::vector<std::string> channels;
        for (auto it = header.channels().begin(); it != header.channels().end(); ++it) {
            channels.push_back(it.name());
            EXPECT_EQ(it.channel().type, Imf::HALF);
        }
        EXPECT_EQ(channels, (std::vector<std::string>{"B", "G", "R"}));
        // Only the attributes every OpenEXR file has (plus the "type" string the C++ writer adds).
        int attributes = 0;
        for (auto it = header.begin(); it != header.end(); ++it) ++attributes;
        EXPECT_LE(attributes, 9);
        const Imath::Box2i dw = header.dataWindow();
        ASSERT_EQ(dw.min.x, 0);
        ASSERT_EQ(dw.min.y, 0);
        ASSERT_EQ(dw.max.x, 66);
        ASSERT_EQ(dw.max.y, 40);
        std::vector<float> rgb(std::size_t(67 * 41 * 3));
        Imf::FrameBuffer frame;
        const char* names[3] = {"R", "G", "B"};
        for (int c = 0; c < 3; ++c)
            frame.insert(names[c], Imf::Slice(Imf::FLOAT, reinterpret_cast<char*>(rgb.data() + c), 12, 12 * 67));
        file.setFrameBuffer(frame);
        file.readPixels(0, 40);
        EXPECT_EQ(0, std::memcmp(rgb.data(), ours.data(), rgb.size() * sizeof(float))) << mode;
    }
}

TEST(ExrCodec, DwabFillsOutsideTheMaskAndKeepsTheMaskedTexels) {
    Image image = gradientImage(128, 128, 20.0f);
    image.ensureMask();
    std::mt19937 rng(11);
    std::uniform_real_distribution<float> wild(0.0f, 1000.0f);
    for (int y = 0; y < 128; ++y)
        for (int x = 0; x < 128; ++x)
            if ((x / 16 + y / 16) % 2) {  // checkerboard of gutters holding noise
                image.maskData()[y * 128 + x] = 0;
                for (int c = 0; c < 3; ++c) image.texel(x, y)[c] = wild(rng);
            }
    CodecContext context;
    const ImageView view = image.view();
    auto masked = exrCodec().encode(view, exrParams("dwab"), context);
    ImageView unmaskedView = view;
    unmaskedView.mask = nullptr;
    auto unmasked = exrCodec().encode(unmaskedView, exrParams("dwab"), context);
    ASSERT_TRUE(masked.ok());
    ASSERT_TRUE(unmasked.ok());
    EXPECT_LT(masked->size(), unmasked->size());
    const Image decoded = decodeOk(*masked);
    double worst = 0;
    for (int y = 0; y < 128; ++y)
        for (int x = 0; x < 128; ++x)
            if (image.maskData()[y * 128 + x])
                for (int c = 0; c < 3; ++c)
                    worst = std::max(
                        worst, std::abs(std::log2((decoded.texel(x, y)[c] + 0.01) / (image.texel(x, y)[c] + 0.01))));
    EXPECT_LT(worst, 0.1);
}

TEST(ExrCodec, DamagedAndTruncatedStreamsGiveErrors) {
    const Image image = gradientImage(64, 300, 20.0f);  // two DWAB blocks
    for (const char* mode : {"dwab", "piz"}) {
        const Bytes good = encodeOk(image, exrParams(mode));
        CodecContext context;
        SCOPED_TRACE(mode);
        expectTruncationsRejected(exrCodec(), good, truncationLengths(good.size(), 400, 97),
                                  {ErrorCode::CorruptData, ErrorCode::Unsupported}, context);
        for (const Bytes& bad : bitFlippedCopies(good, 5, 300)) {
            auto r = exrCodec().decode(bad, context);  // anything but a crash; a decoded image keeps its size
            if (r.ok()) {
                EXPECT_EQ(r->width(), 64);
                EXPECT_EQ(r->height(), 300);
            } else {
                EXPECT_NE(r.error().code, ErrorCode::Cancelled);
            }
        }
    }
    const std::uint8_t junk[] = {0x76, 0x2f, 0x31, 0x01, 2, 0, 0, 0, 'x'};
    auto r = exrCodec().decode(junk, sizeof junk, CodecContext{});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::CorruptData);
    EXPECT_FALSE(exrCodec().recognizes(junk, 3));
}

TEST(ExrCodec, Cancellation) {
    const Image image = gradientImage(64, 64);
    CancelToken token;
    const CodecContext cancelled = cancelledContext(token);
    auto r = exrCodec().encode(image.view(), exrParams("dwab"), cancelled);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::Cancelled);
    const Bytes bytes = encodeOk(image, exrParams("dwab"));
    EXPECT_EQ(exrCodec().decode(bytes, cancelled).error().code, ErrorCode::Cancelled);
}

// DWA reconstructs texels next to the half ceiling beyond it, which become +-Inf in half: they decode as +-65504.
TEST(ExrCodec, DwabOvershootAtTheHalfCeilingDecodesFinite) {
    Image image = Image::create(64, 64).value();
    std::mt19937 rng(1);
    for (std::int64_t i = 0; i < image.texelCount() * 3; ++i)
        image.data()[i] = (rng() % 2) ? 65504.0f : 60000.0f + float(rng() % 5000);
    for (const float sign : {1.0f, -1.0f}) {
        Image mirrored = image.clone();
        for (std::int64_t i = 0; i < mirrored.texelCount() * 3; ++i) mirrored.data()[i] *= sign;
        for (int level : {1, 45}) {
            const Image decoded = decodeOk(encodeOk(mirrored, exrParams("dwab", level)));
            ASSERT_EQ(decoded.width(), 64);
            ASSERT_TRUE(allFinite(decoded)) << sign << " level " << level;
            for (std::int64_t i = 0; i < decoded.texelCount() * 3; ++i)
                ASSERT_LE(std::fabs(decoded.data()[i]), 65504.0f);
        }
    }
}

// Values that round to the half -1 in every channel would meet our reader's Unity 4 empty-texel marker as well.
TEST(ExrCodec, TexelsRoundingToMinusOneAreNotTheEmptyMarker) {
    Image image = gradientImage(8, 8, 5.0f);
    float* t = image.texel(2, 2);
    t[0] = t[1] = t[2] = -1.0001f;
    const Image decoded = decodeOk(encodeOk(image, exrParams("piz")));
    const float* d = decoded.texel(2, 2);
    EXPECT_NEAR(d[0], -1.0f, 1e-3f);
    EXPECT_NEAR(d[1], -1.0f, 1e-3f);
    EXPECT_NEAR(d[2], -1.0f, 1e-3f);
}
