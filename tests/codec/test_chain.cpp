// Storage -> GPU chains in evaluate() (codec/evaluate.h): the chain's numbers are those of running the two codecs by
// hand, a GPU-format storage codec is its own chain, and GPU format names are checked.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <vector>

#include "codec/bc6h/bc6h_decoder.h"
#include "codec/bc6h/bc6h_encoder.h"
#include "codec/evaluate.h"
#include "tests/codec/codec_test_support.h"

namespace lmc {
namespace {

using namespace test;

Image maskedGradient() {
    Image image = gradientImage(96, 64, 40.0f);
    image.ensureMask();
    for (int y = 0; y < 64; ++y)
        for (int x = 70; x < 96; ++x) image.maskData()[std::size_t(y) * 96 + x] = 0;  // a gutter nobody judges
    return image;
}

TEST(Chain, NumbersEqualTheTwoCodecsRunByHand) {
    const Image source = maskedGradient();
    const Codec& jpeg = builtinCodec("jpeg");
    ParamSet jp = ParamSet::defaults(jpeg.schema());
    jp.set("quality", 70);
    auto gpu = parseGpuFormat(CodecRegistry::builtin(), "bc6h:fast");
    ASSERT_TRUE(gpu) << gpu.error().message;
    EvaluateOptions options;
    options.gpuFormat = &*gpu;
    auto e = evaluate(jpeg, source.view(), jp, oneThread(), options);
    ASSERT_TRUE(e) << e.error().message;
    ASSERT_TRUE(e->chain);
    ASSERT_FALSE(e->chain->error) << e->chain->error->message;
    EXPECT_EQ(e->chain->format, "bc6h:fast");
    EXPECT_EQ(e->chain->vramBitsPerTexel, 8.0);
    EXPECT_GE(e->chain->loadMs, e->decodeMs);

    // By hand: JPEG round trip, the decoded texels (with the source's coverage) through BC6H fast, then the metrics.
    const Image decoded = decodeOk(jpeg, encodeOk(jpeg, source, jp, oneThread()), oneThread());
    Image withCoverage = decoded;
    withCoverage.ensureMask();
    std::memcpy(withCoverage.maskData(), source.maskData(), std::size_t(source.texelCount()));
    const Codec& bc6h = builtinCodec("bc6h");
    ParamSet bp = ParamSet::defaults(bc6h.schema());
    bp.set("quality", 0);  // fast
    CodecContext transcode = oneThread();
    transcode.transcoding = true;
    const Image shown = decodeOk(bc6h, encodeOk(bc6h, withCoverage, bp, transcode), oneThread());
    auto byHand = computeMetrics(source.view(), shown.view(), MetricsOptions{});
    ASSERT_TRUE(byHand);
    ASSERT_TRUE(e->chain->metrics);
    EXPECT_DOUBLE_EQ(e->chain->metrics->mPsnr, byHand->mPsnr);
    EXPECT_DOUBLE_EQ(e->chain->metrics->logPsnr, byHand->logPsnr);
    EXPECT_DOUBLE_EQ(e->chain->metrics->pu21Psnr, byHand->pu21Psnr);
    // The chain loses quality against the storage codec alone, never gains it on this map.
    EXPECT_LE(e->chain->metrics->logPsnr, e->metrics->logPsnr + 0.5);
}

// A decoded map's negative values are its codec's noise: the transcoding BC6H encoder takes its dark floor above that
// noise, so noise on black texels no longer drags the floor (and the endpoints) down to it.
TEST(Chain, TranscodingFloorIgnoresTheStorageCodecsNoise) {
    // Lit patches on black; the "decoded" copy has +-noise on the black texels, as a storage codec's ringing.
    Image source = Image::create(64, 64).value();
    for (int y = 0; y < 64; ++y)
        for (int x = 0; x < 64; ++x) {
            float* t = source.texel(x, y);
            const bool lit = (x / 8 + y / 8) % 3 == 0;
            for (int c = 0; c < 3; ++c) t[c] = lit ? 0.01f * float(1 + (x * 7 + y * 3 + c * 5) % 50) : 0.0f;
        }
    Image decoded = source;
    std::uint32_t state = 12345;
    for (int y = 0; y < 64; ++y)
        for (int x = 0; x < 64; ++x) {
            float* t = decoded.texel(x, y);
            for (int c = 0; c < 3; ++c) {
                state = state * 1664525u + 1013904223u;
                const float noise = (float(state >> 8) / float(1u << 24) - 0.5f) * 2e-3f;
                if (source.texel(x, y)[c] == 0.0f) t[c] = noise;
            }
        }
    const float plain = bc6h::automaticDarkFloor(decoded.view());
    const float aboveNoise = bc6h::transcodeDarkFloor(decoded.view());
    EXPECT_LT(plain, 1e-4f);  // the noise's tiny positives are "lit"
    // Close to the original's floor. Dropping one dimmest lit texel per texel with a negative channel instead leaves
    // enough lit noise here to land 60 times below it.
    EXPECT_NEAR(aboveNoise, bc6h::automaticDarkFloor(source.view()), 0.15 * bc6h::automaticDarkFloor(source.view()));
    // Without negatives (and texels below the smallest half) nothing changes: the floor is the plain one.
    EXPECT_EQ(bc6h::transcodeDarkFloor(source.view()), bc6h::automaticDarkFloor(source.view()));
    const Codec& bc6h = builtinCodec("bc6h");
    ParamSet bp = ParamSet::defaults(bc6h.schema());
    bp.set("quality", 1);  // normal
    CodecContext transcode = oneThread();
    transcode.transcoding = true;
    EXPECT_EQ(encodeOk(bc6h, source, bp, transcode), encodeOk(bc6h, source, bp, oneThread()));
    // On the noisy map the transcoding floor is at least as good against the original, here better.
    auto measure = [&](const CodecContext& context) {
        const Image shown = decodeOk(bc6h, encodeOk(bc6h, decoded, bp, context), oneThread());
        return computeMetrics(source.view(), shown.view(), MetricsOptions{}).value().logPsnr;
    };
    EXPECT_GT(measure(transcode), measure(oneThread()));
}

// Saturated colours (a channel exactly 0 beside lit ones) come back from a storage codec as +-noise in that channel.
// BC6H shares one index per texel across the channels and interpolates in a quasi-log domain, where noise next to 0
// spans more codes than the lit channels' gradient: weighed like the lit channels, the noise takes the indices. A
// transcode weighs each channel against a floor of its own texel (capped at a few times the noise), so the lit channels
// keep them; the codec does so under CodecContext::transcoding.
TEST(Chain, TranscodingServesLitChannelsOverNoiseInASaturatedOne) {
    // A dim grey wall (which sets a low dark floor) beside a red-orange ramp whose blue is exactly 0, 3 stops across;
    // the "decoded" copy has +-1e-4 in that blue, a tenth of it +-5e-4, as a codec's noise.
    Image source = Image::create(64, 64).value();
    for (int y = 0; y < 64; ++y)
        for (int x = 0; x < 64; ++x) {
            float* t = source.texel(x, y);
            if (x < 16) {
                t[0] = t[1] = t[2] = 2e-4f * std::exp2(2.0f * float(y) / 63.0f);
                continue;
            }
            t[0] = 0.05f * std::exp2(3.0f * float(x + y) / 126.0f);
            t[1] = t[0] * (0.3f + 0.2f * float(y % 8) / 7.0f);
            t[2] = 0.0f;
        }
    Image decoded = source;
    std::uint32_t state = 777;
    for (int y = 0; y < 64; ++y)
        for (int x = 16; x < 64; ++x) {
            state = state * 1664525u + 1013904223u;
            const float u = float(state >> 8) / float(1u << 24) - 0.5f;
            decoded.texel(x, y)[2] = u * 2.0f * ((x * 7 + y * 3) % 10 == 0 ? 5e-4f : 1e-4f);
        }
    // RMS relative error of the lit channels (red, green) against the source.
    auto litError = [&](const Image& shown) {
        double e = 0;
        for (int y = 0; y < 64; ++y)
            for (int x = 16; x < 64; ++x)
                for (int c = 0; c < 2; ++c) {
                    const double d = double(shown.texel(x, y)[c]) / double(source.texel(x, y)[c]) - 1.0;
                    e += d * d;
                }
        return std::sqrt(e / (48.0 * 64.0 * 2.0));
    };
    auto encoded = [&](const Image& image, float floor, float noise) {
        bc6h::EncodeSettings settings;
        settings.level = bc6h::Level::Normal;
        settings.darkFloor = floor;
        settings.transcodeNoise = noise;
        std::vector<std::uint8_t> blocks(16 * 16 * 16);
        EXPECT_TRUE(bc6h::encodeBc6hBlocks(image.view(), settings, oneThread(), blocks.data()));
        auto shown = bc6h::decodeBc6hBlocks(blocks.data(), blocks.size(), 64, 64, false, oneThread());
        EXPECT_TRUE(shown);
        return std::move(shown).value();
    };
    const float floor = bc6h::transcodeDarkFloor(decoded.view());
    const float noise = bc6h::transcodeNoise(decoded.view());
    const double direct = litError(encoded(source, bc6h::automaticDarkFloor(source.view()), 0.0f));
    const double unweighted = litError(encoded(decoded, floor, 0.0f));
    const Image weighted = encoded(decoded, floor, noise);
    // Weighed alike, the lit channels lose 4x what encoding the source loses (4.0 % against 1.1 % RMS); weighed
    // against their texels' floors, 1.5x.
    EXPECT_LT(litError(weighted), 0.5 * unweighted);
    EXPECT_LT(litError(weighted), 2.0 * direct);
    // The codec transcodes so.
    const Codec& bc6h = builtinCodec("bc6h");
    ParamSet bp = ParamSet::defaults(bc6h.schema());
    bp.set("quality", 1);  // normal
    CodecContext transcode = oneThread();
    transcode.transcoding = true;
    const Image shown = decodeOk(bc6h, encodeOk(bc6h, decoded, bp, transcode), oneThread());
    EXPECT_EQ(std::memcmp(shown.texel(0, 0), weighted.texel(0, 0), sizeof(float) * 3 * 64 * 64), 0);
}

TEST(Chain, AGpuFormatIsItsOwnChain) {
    const Image source = maskedGradient();
    const Codec& astc = builtinCodec("astc");
    ParamSet p = ParamSet::defaults(astc.schema());
    auto gpu = parseGpuFormat(CodecRegistry::builtin(), "bc6h");
    ASSERT_TRUE(gpu);
    EvaluateOptions options;
    options.gpuFormat = &*gpu;
    auto e = evaluate(astc, source.view(), p, oneThread(), options);
    ASSERT_TRUE(e && e->chain && e->chain->metrics);
    EXPECT_EQ(e->chain->format, "native");
    EXPECT_EQ(e->chain->vramBitsPerTexel, astc.traits(p).gpuBitsPerTexel);
    EXPECT_EQ(e->chain->metrics->logPsnr, e->metrics->logPsnr);
    EXPECT_LT(e->chain->loadMs, 0);  // not measured
}

TEST(Chain, GpuFormatNames) {
    const CodecRegistry& r = CodecRegistry::builtin();
    auto bc6h = parseGpuFormat(r, "bc6h");
    ASSERT_TRUE(bc6h);
    EXPECT_EQ(bc6h->params.getInt("quality"), 1);     // normal
    EXPECT_EQ(bc6h->params.getInt("resolution"), 2);  // full
    EXPECT_EQ(bc6h->params.getInt("supercompression"), 0);
    auto astc = parseGpuFormat(r, "astc:12x12");
    ASSERT_TRUE(astc);
    EXPECT_NEAR(astc->codec->traits(astc->params).gpuBitsPerTexel, 128.0 / 144.0, 1e-9);
    for (const char* bad : {"bc7", "bc6h:ultra", "astc:7x7", "", "jpeg:80", "bc6h:"})
        EXPECT_FALSE(parseGpuFormat(r, bad)) << bad;
}

}  // namespace
}  // namespace lmc
