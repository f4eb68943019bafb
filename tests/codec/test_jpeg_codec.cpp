#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <limits>
#include <random>
#include <vector>

#include "codec/codec.h"
#include "codec/container.h"
#include "codec/exr_io.h"
#include "codec/jpeg_codec.h"
#include "codec/metrics.h"
#include "tests/codec/codec_test_support.h"

using namespace lmc;

namespace {

// Smooth coloured gradient with a smooth bright spot (sigma = 1/10 of the image) peaking at ~1000x the background.
Image hdrGradient(int w, int h, float scale = 1.0f, float peakHeight = 1000.0f) {
    Image image = Image::create(w, h).value();
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            const float u = (x + 0.5f) / w, v = (y + 0.5f) / h;
            const float dx = u - 0.7f, dy = v - 0.3f;
            const float peak = peakHeight * std::exp(-(dx * dx + dy * dy) / 0.02f);
            float* t = image.texel(x, y);
            t[0] = scale * (0.2f + 0.8f * u + peak);
            t[1] = scale * (0.3f + 0.5f * v + 0.9f * peak);
            t[2] = scale * (0.1f + 0.3f * u * v + 0.7f * peak);
        }
    return image;
}

// Gradient plus +-10% texel noise in brightness (as a path-traced bake has): something for JPEG to spend bits on.
Image noisyImage(int w, int h, unsigned seed = 1) {
    Image image = hdrGradient(w, h);
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> noise(0.9f, 1.1f);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            const float f = noise(rng);
            for (int c = 0; c < 3; ++c) image.texel(x, y)[c] *= f;
        }
    return image;
}

ParamSet params(const Codec& codec, int quality, const char* chroma = "420") {
    return parseParamAssignments(codec.schema(),
                                 {"quality=" + std::to_string(quality), std::string("chroma=") + chroma})
        .value();
}

const Codec& jpegCodec() {
    return test::builtinCodec("jpeg");
}

struct LogError {
    double rms = 0, max = 0;
};
// Error of log2(x + floor) over every channel of every texel; floor keeps near-black texels from dominating.
LogError logError(const Image& a, const Image& b, double floor) {
    LogError e;
    double sum = 0;
    const std::size_t n = std::size_t(a.texelCount()) * 3;
    for (std::size_t i = 0; i < n; ++i) {
        const double d = std::log2(a.data()[i] + floor) - std::log2(b.data()[i] + floor);
        sum += d * d;
        e.max = std::max(e.max, std::fabs(d));
    }
    e.rms = std::sqrt(sum / n);
    return e;
}

}  // namespace

TEST(JpegCodec, RegistryFindsJpegWithItsSchema) {
    const Codec* codec = CodecRegistry::builtin().find("jpeg");
    ASSERT_NE(codec, nullptr);
    EXPECT_EQ(codec->defaultTraits().fileExtension, ".lmc");
    auto rate = codec->rateParam();
    ASSERT_TRUE(rate.has_value());
    EXPECT_EQ(rate->id, "quality");
    EXPECT_EQ(rate->minValue, 1);
    EXPECT_EQ(rate->maxValue, 100);
    EXPECT_EQ(rate->defaultValue, 75);
    const ParamSchema schema = codec->schema();
    const ParamSpec* chroma = findParam(schema, "chroma");
    ASSERT_NE(chroma, nullptr);
    EXPECT_EQ(chroma->choices, (std::vector<std::string>{"444", "420"}));
    EXPECT_EQ(formatParamValue(*chroma, chroma->defaultValue), "420");
}

TEST(JpegCodec, RoundTripsHdrGradientWithBoundedLogError) {
    const Codec& codec = jpegCodec();
    Image image = hdrGradient(96, 64);
    for (const char* chroma : {"444", "420"}) {
        SCOPED_TRACE(chroma);
        auto bytes = encodeImage(codec, image.view(), params(codec, 90, chroma), {});
        ASSERT_TRUE(bytes.ok()) << bytes.error().message;
        EXPECT_EQ(containerCodecId(bytes->data(), bytes->size()), "jpeg");
        auto decoded = codec.decode(*bytes, {});
        ASSERT_TRUE(decoded.ok()) << decoded.error().message;
        ASSERT_EQ(decoded->width(), 96);
        ASSERT_EQ(decoded->height(), 64);
        EXPECT_FALSE(decoded->hasMask());
        const LogError e = logError(image, *decoded, 0.01);
        EXPECT_LT(e.rms, 0.04) << "rms log2 error";
        EXPECT_LT(e.max, 0.3) << "max log2 error";
        // The peak survives: within a few percent of 1000x.
        float peak = 0;
        for (std::int64_t i = 0; i < decoded->texelCount(); ++i) peak = std::max(peak, decoded->data()[i * 3]);
        EXPECT_GT(peak, 900.0f);
        EXPECT_LT(peak, 1100.0f);
        EXPECT_LT(bitsPerTexel(bytes->size(), image.texelCount()), 8.0);
    }
}

TEST(JpegCodec, LowerQualityGivesLargerError) {
    const Codec& codec = jpegCodec();
    Image image = noisyImage(64, 64);
    double previous = 1e9;
    for (int q : {10, 50, 95}) {
        auto bytes = encodeImage(codec, image.view(), params(codec, q), {});
        ASSERT_TRUE(bytes.ok());
        auto decoded = codec.decode(*bytes, {});
        ASSERT_TRUE(decoded.ok());
        const double rms = logError(image, *decoded, 0.01).rms;
        EXPECT_LT(rms, previous) << "quality " << q;
        previous = rms;
    }
}

TEST(JpegCodec, HigherQualityNeverGivesFewerBytes) {
    const Codec& codec = jpegCodec();
    Image image = noisyImage(128, 96);
    for (const char* chroma : {"444", "420"}) {
        std::size_t previous = 0;
        for (int q : {1, 5, 10, 20, 30, 40, 50, 60, 70, 75, 80, 85, 90, 95, 98, 100}) {
            auto bytes = encodeImage(codec, image.view(), params(codec, q, chroma), {});
            ASSERT_TRUE(bytes.ok());
            EXPECT_GE(bytes->size(), previous) << "chroma " << chroma << " quality " << q;
            previous = bytes->size();
        }
    }
    // 4:4:4 carries four times the chroma samples.
    auto full = encodeImage(codec, image.view(), params(codec, 75, "444"), {});
    auto sub = encodeImage(codec, image.view(), params(codec, 75, "420"), {});
    ASSERT_TRUE(full.ok() && sub.ok());
    EXPECT_GT(full->size(), sub->size());
}

TEST(JpegCodec, OddAndTinySizes) {
    const Codec& codec = jpegCodec();
    for (auto [w, h] : {std::pair{1, 1}, std::pair{3, 5}, std::pair{5, 3}, std::pair{17, 9}}) {
        SCOPED_TRACE(std::to_string(w) + "x" + std::to_string(h));
        // A few texels cannot hold a 1000x spot without ringing; a gentle one still checks the colour path.
        Image image = hdrGradient(w, h, 1.0f, 4.0f);
        for (const char* chroma : {"444", "420"}) {
            auto bytes = encodeImage(codec, image.view(), params(codec, 95, chroma), {});
            ASSERT_TRUE(bytes.ok()) << bytes.error().message;
            auto decoded = codec.decode(*bytes, {});
            ASSERT_TRUE(decoded.ok()) << decoded.error().message;
            ASSERT_EQ(decoded->width(), w);
            ASSERT_EQ(decoded->height(), h);
            // 4:2:0 shares one colour between 2x2 texels, which costs more on a few texels of strong colour change.
            EXPECT_LT(logError(image, *decoded, 0.01).max, chroma == std::string("444") ? 0.15 : 0.6);
        }
    }
    // A single texel decodes to (almost) itself.
    Image one = Image::create(1, 1).value();
    one.texel(0, 0)[0] = 2.0f;
    one.texel(0, 0)[1] = 1.0f;
    one.texel(0, 0)[2] = 0.5f;
    auto bytes = encodeImage(codec, one.view(), params(codec, 100, "444"), {});
    ASSERT_TRUE(bytes.ok());
    auto decoded = codec.decode(*bytes, {});
    ASSERT_TRUE(decoded.ok());
    EXPECT_NEAR(decoded->texel(0, 0)[0], 2.0f, 0.1f);
    EXPECT_NEAR(decoded->texel(0, 0)[1], 1.0f, 0.05f);
    EXPECT_NEAR(decoded->texel(0, 0)[2], 0.5f, 0.03f);
}

TEST(JpegCodec, SanitisesNanInfAndNegativeInput) {
    const Codec& codec = jpegCodec();
    Image image = hdrGradient(16, 16);
    const float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
    image.texel(2, 2)[0] = nan;
    image.texel(2, 2)[1] = nan;
    image.texel(2, 2)[2] = nan;
    image.texel(12, 12)[0] = inf;
    image.texel(12, 12)[1] = inf;
    image.texel(12, 12)[2] = inf;
    image.texel(5, 9)[0] = -inf;
    image.texel(8, 3)[0] = -4.0f;
    image.texel(8, 3)[1] = -4.0f;
    image.texel(8, 3)[2] = -4.0f;
    auto bytes = encodeImage(codec, image.view(), params(codec, 100, "444"), {});
    ASSERT_TRUE(bytes.ok()) << bytes.error().message;
    auto decoded = codec.decode(*bytes, {});
    ASSERT_TRUE(decoded.ok());
    for (std::int64_t i = 0; i < decoded->texelCount() * 3; ++i) {
        ASSERT_TRUE(std::isfinite(decoded->data()[i])) << i;
        ASSERT_GE(decoded->data()[i], 0.0f) << i;
    }
    // +Inf became the largest half (65504); NaN and negatives became black. JPEG smears the isolated spike, so
    // the bounds are loose, but the orders of magnitude are right.
    EXPECT_GT(decoded->texel(12, 12)[1], 5000.0f);
    EXPECT_LT(decoded->texel(12, 12)[1], 70000.0f);
    EXPECT_LT(decoded->texel(2, 2)[1], 0.2f);
    EXPECT_LT(decoded->texel(8, 3)[1], 0.2f);
}

TEST(JpegCodec, ExposureInvariant) {
    // eps follows the image's mean luminance, so a very dark copy keeps the same relative precision.
    const Codec& codec = jpegCodec();
    Image bright = noisyImage(48, 40);
    Image dark = bright.clone();
    for (std::int64_t i = 0; i < dark.texelCount() * 3; ++i) dark.data()[i] *= 1e-6f;
    auto bb = encodeImage(codec, bright.view(), params(codec, 75), {});
    auto db = encodeImage(codec, dark.view(), params(codec, 75), {});
    ASSERT_TRUE(bb.ok() && db.ok());
    EXPECT_NEAR(double(bb->size()), double(db->size()), 0.02 * bb->size());
    auto bd = codec.decode(*bb, {});
    auto dd = codec.decode(*db, {});
    ASSERT_TRUE(bd.ok() && dd.ok());
    const double eBright = logError(bright, *bd, 0.01).rms;
    const double eDark = logError(dark, *dd, 0.01e-6).rms;
    EXPECT_LT(eBright, 0.15);
    EXPECT_NEAR(eDark, eBright, 0.1 * eBright + 1e-3);
}

TEST(JpegCodec, GutterFillSavesBitsAndKeepsCoveredTexels) {
    const Codec& codec = jpegCodec();
    Image image = hdrGradient(128, 128);
    image.ensureMask();
    std::mt19937 rng(3);
    std::uniform_real_distribution<float> garbage(0.0f, 50.0f);
    // Left half covered, right half is noisy gutter that no one will judge.
    for (int y = 0; y < 128; ++y)
        for (int x = 64; x < 128; ++x) {
            image.maskData()[y * 128 + x] = 0;
            for (int c = 0; c < 3; ++c) image.texel(x, y)[c] = garbage(rng);
        }
    auto masked = encodeImage(codec, image.view(), params(codec, 75), {});
    Image unmasked = image.clone();
    unmasked.dropMask();
    auto plain = encodeImage(codec, unmasked.view(), params(codec, 75), {});
    ASSERT_TRUE(masked.ok() && plain.ok());
    EXPECT_LT(masked->size() * 2, plain->size()) << "the gutter noise should cost (almost) nothing";
    auto decoded = codec.decode(*masked, {});
    ASSERT_TRUE(decoded.ok());
    double sum = 0;
    int count = 0;
    for (int y = 0; y < 128; ++y)
        for (int x = 0; x < 60; ++x)
            for (int c = 0; c < 3; ++c) {
                const double d = std::log2(image.texel(x, y)[c] + 0.01) - std::log2(decoded->texel(x, y)[c] + 0.01);
                sum += d * d;
                ++count;
            }
    EXPECT_LT(std::sqrt(sum / count), 0.05);
    // An all-zero mask is treated as fully covered rather than failing.
    Image none = hdrGradient(8, 8);
    none.ensureMask();
    std::fill(none.maskData(), none.maskData() + 64, 0);
    EXPECT_TRUE(encodeImage(codec, none.view(), params(codec, 75), {}).ok());
}

TEST(JpegCodec, LogRgbTransformAlsoRoundTrips) {
    Image image = hdrGradient(64, 48);
    for (auto transform : {JpegHdrTransform::LogRgb, JpegHdrTransform::LogLuminanceRatios})
        for (bool progressive : {false, true}) {
            JpegHdrOptions options;
            options.quality = 90;
            options.transform = transform;
            options.progressive = progressive;
            auto bytes = encodeJpegHdr(image.view(), options, {});
            ASSERT_TRUE(bytes.ok()) << bytes.error().message;
            auto decoded = decodeJpegHdr(bytes->data(), bytes->size(), {});
            ASSERT_TRUE(decoded.ok()) << decoded.error().message;
            EXPECT_LT(logError(image, *decoded, 0.01).rms, transform == JpegHdrTransform::LogRgb ? 0.08 : 0.045);
        }
    JpegHdrOptions bad;
    bad.quality = 0;
    EXPECT_EQ(encodeJpegHdr(image.view(), bad, {}).error().code, ErrorCode::InvalidArgument);
    bad.quality = 50;
    bad.epsRelative = 0;
    EXPECT_EQ(encodeJpegHdr(image.view(), bad, {}).error().code, ErrorCode::InvalidArgument);
}

TEST(JpegCodec, EveryTruncationAndByteFlipIsAnError) {
    const Codec& codec = jpegCodec();
    Image image = noisyImage(24, 20);
    auto bytes = encodeImage(codec, image.view(), params(codec, 75), {});
    ASSERT_TRUE(bytes.ok());
    const Bytes& good = *bytes;
    for (std::size_t n = 0; n < good.size(); ++n) {
        auto r = codec.decode(good.data(), n, {});
        ASSERT_FALSE(r.ok()) << "truncated to " << n;
        EXPECT_EQ(r.error().code, ErrorCode::CorruptData) << n;
    }
    Bytes longer = good;
    longer.push_back(0);
    EXPECT_FALSE(codec.decode(longer, {}).ok());
    for (std::size_t i = 0; i < good.size(); i += 7) {
        Bytes damaged = good;
        damaged[i] ^= 0x5A;
        auto r = codec.decode(damaged, {});
        ASSERT_FALSE(r.ok()) << "flip at " << i;
        EXPECT_EQ(r.error().code, ErrorCode::CorruptData) << i;
    }
}

TEST(JpegCodec, DamagedPayloadBehindAValidChecksum) {
    // A payload damaged before the container was written (valid CRC) must still be caught or decode to a finite
    // image of the right size: never a crash, never out-of-range values.
    const Codec& codec = jpegCodec();
    Image image = noisyImage(24, 20);
    auto bytes = encodeImage(codec, image.view(), params(codec, 75), {});
    ASSERT_TRUE(bytes.ok());
    auto view = readContainer(bytes->data(), bytes->size());
    ASSERT_TRUE(view.ok());
    const ContainerHeader header = view->header;
    const Bytes payload(view->payload, view->payload + view->payloadSize);
    auto decodePayload = [&](const Bytes& p, ContainerHeader h) {
        const Bytes stream = writeContainer(h, p);
        return codec.decode(stream, {});
    };
    ASSERT_TRUE(decodePayload(payload, header).ok());

    auto expectCorrupt = [&](const Bytes& p, ContainerHeader h, const char* what) {
        auto r = decodePayload(p, h);
        ASSERT_FALSE(r.ok()) << what;
        EXPECT_EQ(r.error().code, ErrorCode::CorruptData) << what;
    };
    auto withFloat = [&](std::size_t offset, float value) {
        Bytes p = payload;
        std::memcpy(p.data() + offset, &value, 4);  // little-endian host, as ByteWriter
        return p;
    };
    Bytes p = payload;
    p[0] = 9;
    expectCorrupt(p, header, "version");
    p = payload;
    p[1] = 7;
    expectCorrupt(p, header, "transform");
    p = payload;
    p[2] = 0;  // claims 4:4:4 but the JPEG is 4:2:0
    expectCorrupt(p, header, "subsampling mismatch");
    expectCorrupt(withFloat(3, std::numeric_limits<float>::quiet_NaN()), header, "NaN eps");
    expectCorrupt(withFloat(3, -1.0f), header, "negative eps");
    expectCorrupt(withFloat(7, std::numeric_limits<float>::infinity()), header, "infinite lo");
    expectCorrupt(withFloat(7, 1000.0f), header, "lo above hi");
    expectCorrupt(withFloat(19, 1e9f), header, "huge hi");
    expectCorrupt(Bytes(payload.begin(), payload.begin() + 31), header, "no JPEG");
    ContainerHeader wrongSize = header;
    wrongSize.width += 1;
    expectCorrupt(payload, wrongSize, "size mismatch");
    ContainerHeader wrongId = header;
    wrongId.codecId = "ae";
    expectCorrupt(payload, wrongId, "other codec's container");
    for (std::size_t n = 31; n < payload.size(); n += 5)
        expectCorrupt(Bytes(payload.begin(), payload.begin() + n), header, "truncated JPEG");

    // Flips inside the entropy-coded data: libjpeg either reports them or decodes garbage; either way no crash
    // and nothing non-finite.
    for (std::size_t i = 31; i < payload.size(); i += 3) {
        Bytes damaged = payload;
        damaged[i] ^= 0xFF;
        auto r = decodePayload(damaged, header);
        if (!r.ok()) {
            EXPECT_EQ(r.error().code, ErrorCode::CorruptData);
            continue;
        }
        ASSERT_EQ(r->width(), 24);
        ASSERT_EQ(r->height(), 20);
        for (std::int64_t k = 0; k < r->texelCount() * 3; ++k) ASSERT_TRUE(std::isfinite(r->data()[k]));
    }
}

TEST(JpegCodec, DecodeAnyFindsJpegStreams) {
    const Codec& codec = jpegCodec();
    Image image = hdrGradient(64, 48);
    auto bytes = encodeImage(codec, image.view(), params(codec, 80), {});
    ASSERT_TRUE(bytes.ok());
    EXPECT_EQ(CodecRegistry::builtin().detect(bytes->data(), bytes->size()), &codec);
    auto decoded = decodeAny(CodecRegistry::builtin(), bytes->data(), bytes->size(), {});
    ASSERT_TRUE(decoded.ok()) << decoded.error().message;
    EXPECT_EQ(decoded->width(), 64);
    EXPECT_LT(logError(image, *decoded, 0.01).rms, 0.07);
}

TEST(JpegCodec, CancellationAndProgress) {
    const Codec& codec = jpegCodec();
    Image image = hdrGradient(64, 64);
    CancelToken token;
    token.cancel();
    CodecContext cancelled;
    cancelled.cancel = &token;
    auto r = encodeImage(codec, image.view(), params(codec, 75), cancelled);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::Cancelled);

    std::vector<double> reports;
    CodecContext ctx;
    ctx.progress = [&](double f) { reports.push_back(f); };
    auto bytes = encodeImage(codec, image.view(), params(codec, 75), ctx);
    ASSERT_TRUE(bytes.ok());
    ASSERT_GE(reports.size(), 2u);
    EXPECT_EQ(reports.front(), 0.0);
    EXPECT_EQ(reports.back(), 1.0);
    EXPECT_TRUE(std::is_sorted(reports.begin(), reports.end()));
    reports.clear();
    ASSERT_TRUE(codec.decode(*bytes, ctx).ok());
    ASSERT_GE(reports.size(), 2u);
    EXPECT_EQ(reports.front(), 0.0);
    EXPECT_EQ(reports.back(), 1.0);
    EXPECT_EQ(codec.decode(*bytes, cancelled).error().code, ErrorCode::Cancelled);
}

TEST(JpegCodec, SliderCacheGivesTheBytesOfAFreshEncode) {
    // With a CodecCache the registered codec keeps the image's prepared planes; a quality change must give exactly
    // the stream the direct encoder gives, and another image (same size) or another chroma mode must not reuse
    // stale planes.
    const Codec& codec = jpegCodec();
    CodecCache cache;
    CodecContext cached;
    cached.cache = &cache;
    auto direct = [](const Image& image, int quality, bool subsample420) {
        JpegHdrOptions options;
        options.quality = quality;
        options.subsample420 = subsample420;
        return encodeJpegHdr(image.view(), options, CodecContext{}).value();
    };
    Image a = noisyImage(96, 72, 3);
    Image b = noisyImage(96, 72, 4);
    for (int quality : {40, 85, 60}) {
        auto bytes = encodeImage(codec, a.view(), params(codec, quality), cached);
        ASSERT_TRUE(bytes.ok());
        EXPECT_EQ(*bytes, direct(a, quality, true)) << quality;
    }
    EXPECT_EQ(cache.hits("jpeg.planes420"), 2);
    EXPECT_EQ(*encodeImage(codec, b.view(), params(codec, 60), cached), direct(b, 60, true));
    EXPECT_EQ(*encodeImage(codec, b.view(), params(codec, 60, "444"), cached), direct(b, 60, false));
    EXPECT_EQ(*encodeImage(codec, b.view(), params(codec, 60, "444"), cached), direct(b, 60, false));
    EXPECT_EQ(cache.hits("jpeg.planes420"), 2);  // b's planes were made afresh
    EXPECT_EQ(cache.hits("jpeg.planes444"), 1);
    EXPECT_NE(direct(a, 60, true), direct(b, 60, true));
}

TEST(JpegCodec, DecodesIdenticallyWithAnyThreadCount) {
    const Codec& codec = jpegCodec();
    Image image = noisyImage(131, 77, 5);  // odd sizes: partial row blocks and chroma edges
    for (const char* chroma : {"420", "444"}) {
        auto bytes = encodeImage(codec, image.view(), params(codec, 70, chroma), CodecContext{});
        ASSERT_TRUE(bytes.ok());
        CodecContext one, three;
        one.threads = 1;
        three.threads = 3;
        auto a = codec.decode(*bytes, one), b = codec.decode(*bytes, three);
        ASSERT_TRUE(a.ok() && b.ok());
        ASSERT_EQ(a->width(), b->width());
        EXPECT_EQ(0, std::memcmp(a->data(), b->data(), sizeof(float) * 3 * 131 * 77)) << chroma;
    }
}

TEST(JpegCodec, RealLightmapQuality) {
    const std::string path =
        std::string(LMC_REAL_LIGHTMAPS) + "/qarian-restaurant-rush__sks__lightmap-93_comp_light.exr";
    if (!std::filesystem::exists(path)) GTEST_SKIP() << "real lightmaps not available: " << path;
    auto loaded = readExr(path);
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    const Image& image = loaded->image;
    const Codec& codec = jpegCodec();
    double previousPsnr = 0;
    std::size_t previousBytes = 0;
    for (int q : {50, 75, 90}) {
        auto bytes = encodeImage(codec, image.view(), params(codec, q), {});
        ASSERT_TRUE(bytes.ok()) << bytes.error().message;
        auto decoded = codec.decode(*bytes, {});
        ASSERT_TRUE(decoded.ok()) << decoded.error().message;
        MetricsOptions options;
        options.metrics = kMetricMPsnr | kMetricLogPsnr;
        auto m = computeMetrics(image.view(), decoded->view(), options);
        ASSERT_TRUE(m.ok()) << m.error().message;
        // Measured on this 256x256 Unity lightmap: q50 0.43 bpp / 37.1 dB, q75 0.59 / 39.6, q90 0.93 / 42.6.
        EXPECT_GT(m->mPsnr, 35.0) << "quality " << q;
        EXPECT_LT(bitsPerTexel(bytes->size(), image.texelCount()), 1.2) << "quality " << q;
        EXPECT_GT(m->mPsnr, previousPsnr + 1.0) << "quality " << q;
        EXPECT_GT(bytes->size(), previousBytes);
        previousPsnr = m->mPsnr;
        previousBytes = bytes->size();
    }
}
