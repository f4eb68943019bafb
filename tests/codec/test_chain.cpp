// Storage -> GPU chains in evaluate() (codec/evaluate.h): the chain's numbers are those of running the two codecs by
// hand, a GPU-format storage codec is its own chain, and GPU format names are checked.
#include <gtest/gtest.h>

#include <cstring>

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
