// evaluate(): the one encode -> decode -> measure pipeline (codec/evaluate.h).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "codec/evaluate.h"
#include "tests/codec/codec_test_support.h"

namespace lmc {
namespace {

// Stores the texels verbatim (12 bytes each after an 8-byte size); `failDecode` makes every decode fail, and
// `cancelDuringEncode` fires the caller's token from inside encode(). With `interimStreams` > 0 and a caller that
// takes interim streams, encode first hands over that many streams of the texels scaled by 1/2^(n - i) (each nearer
// the source than the last), then a damaged one.
class RawCodec final : public Codec {
public:
    bool failDecode = false;
    CancelToken* cancelDuringEncode = nullptr;
    int interimStreams = 0;
    mutable bool sawInterimSink = false;
    mutable std::vector<std::uint8_t> maskSeen;  // the mask encode() was handed

    std::string id() const override { return "raw"; }
    std::string name() const override { return "Raw"; }
    std::string description() const override { return "test codec"; }
    ParamSchema schema() const override { return {asRate(intParam("q", "Q", "unused", 1, 10, 5))}; }
    Result<Bytes> encode(const ImageView& image, const ParamSet&, const CodecContext& context) const override {
        maskSeen.clear();
        if (image.hasMask())
            for (int y = 0; y < image.height; ++y)
                for (int x = 0; x < image.width; ++x) maskSeen.push_back(image.covered(x, y) ? 1 : 0);
        context.report(0.5);
        if (cancelDuringEncode) cancelDuringEncode->cancel();
        sawInterimSink = bool(context.interim);
        if (context.interim) {
            for (int i = 0; i < interimStreams; ++i)
                context.interim(stream(image, 1.0f / float(1 << (interimStreams - i))));
            if (interimStreams > 0) context.interim(Bytes(4, 0));
        }
        context.report(1.0);
        return stream(image, 1.0f);
    }
    static Bytes stream(const ImageView& image, float scale) {
        Bytes out(8 + std::size_t(image.texelCount()) * 12);
        std::memcpy(out.data(), &image.width, 4);
        std::memcpy(out.data() + 4, &image.height, 4);
        for (int y = 0; y < image.height; ++y)
            for (int i = 0; i < 3 * image.width; ++i) {
                const float v = image.row(y)[i] * scale;
                std::memcpy(out.data() + 8 + (std::size_t(y) * image.width * 3 + i) * 4, &v, 4);
            }
        return out;
    }
    Result<Image> decode(const std::uint8_t* data, std::size_t size, const CodecContext& context) const override {
        if (failDecode || size < 8) return makeError(ErrorCode::CorruptData, "raw stream refused");
        int w = 0, h = 0;
        std::memcpy(&w, data, 4);
        std::memcpy(&h, data + 4, 4);
        auto image = Image::create(w, h);
        if (!image) return image.error();
        std::memcpy(image->data(), data + 8, std::size_t(w) * h * 12);
        context.report(1.0);
        return image;
    }
};

Image gradientWithChart() {
    Image image = test::gradientImage(16, 12);
    image.ensureMask();
    std::fill(image.maskData(), image.maskData() + image.texelCount(), 0);
    for (int y = 4; y < 8; ++y)
        for (int x = 5; x < 9; ++x) image.maskData()[y * 16 + x] = 1;
    return image;
}

TEST(Evaluate, MatchesTheStagesRunByHand) {
    const Codec& codec = *CodecRegistry::builtin().find("jpeg");
    const Image image = gradientWithChart();
    ParamSet params = ParamSet::defaults(codec.schema());
    auto e = evaluate(codec, image.view(), params, {});
    ASSERT_TRUE(e.ok());
    auto bytes = encodeImage(codec, image.view(), params, {});
    ASSERT_TRUE(bytes.ok());
    EXPECT_EQ(e->bytes, *bytes);
    EXPECT_DOUBLE_EQ(e->bitsPerTexel, bitsPerTexel(bytes->size(), image.texelCount()));
    auto decoded = codec.decode(*bytes, {});
    ASSERT_TRUE(decoded.ok() && e->reconstruction);
    ASSERT_EQ(e->reconstruction->texelCount(), decoded->texelCount());
    EXPECT_TRUE(std::equal(decoded->data(), decoded->data() + 3 * decoded->texelCount(), e->reconstruction->data()));
    auto m = computeMetrics(image.view(), decoded->view());
    ASSERT_TRUE(m.ok() && e->metrics);
    EXPECT_EQ(e->metrics->mPsnr, m->mPsnr);
    EXPECT_EQ(e->metrics->texelsCompared, m->texelsCompared);
    EXPECT_GE(e->encodeMs, 0.0);
    EXPECT_GE(e->decodeMs, 0.0);
    EXPECT_GE(e->metricsMs, 0.0);
    EXPECT_FALSE(firstFailure(e).has_value());
}

TEST(Evaluate, CodecsGetTheVisibleTexelsAndMetricsTheChosenMask) {
    RawCodec codec;
    const Image image = gradientWithChart();
    EvaluateOptions options;
    options.metrics.mask = MaskMode::Covered;
    auto e = evaluate(codec, image.view(), ParamSet::defaults(codec.schema()), {}, options);
    ASSERT_TRUE(e.ok() && e->metrics);
    EXPECT_EQ(codec.maskSeen, visibleMask(image.view()));  // 6x6 ring around the 4x4 chart
    EXPECT_EQ(std::count(codec.maskSeen.begin(), codec.maskSeen.end(), 1), 36);
    EXPECT_EQ(e->metrics->texelsCompared, 16);
}

TEST(Evaluate, OptionsStopEarlyAndProgressSpansBothStages) {
    RawCodec codec;
    const Image image = gradientWithChart();
    std::vector<double> progress;
    CodecContext context;
    context.progress = [&](double f) { progress.push_back(f); };
    EvaluateOptions encodeOnly;
    encodeOnly.decode = false;
    auto e = evaluate(codec, image.view(), ParamSet::defaults(codec.schema()), context, encodeOnly);
    ASSERT_TRUE(e.ok());
    EXPECT_FALSE(e->reconstruction);
    EXPECT_LT(e->decodeMs, 0.0);
    EXPECT_FALSE(e->metrics);
    EXPECT_EQ(progress, (std::vector<double>{0.5, 1.0}));  // the encoder alone spans [0, 1]

    progress.clear();
    EvaluateOptions noMetrics;
    noMetrics.measure = false;
    int decodedCalls = 0;
    noMetrics.decoded = [&](const Evaluation& partial) {
        ++decodedCalls;
        EXPECT_TRUE(partial.reconstruction);
        EXPECT_FALSE(partial.metrics);
    };
    e = evaluate(codec, image.view(), ParamSet::defaults(codec.schema()), context, noMetrics);
    ASSERT_TRUE(e.ok());
    EXPECT_EQ(decodedCalls, 1);
    EXPECT_TRUE(e->reconstruction);
    EXPECT_FALSE(e->metrics);
    EXPECT_LT(e->metricsMs, 0.0);
    EXPECT_EQ(progress, (std::vector<double>{0.4, 0.8, 1.0}));  // encoder on [0, 0.8], decoder on [0.8, 1]
}

TEST(Evaluate, InterimStreamsAreMeasuredLikeTheFinalOne) {
    RawCodec codec;
    codec.interimStreams = 3;
    const Image image = gradientWithChart();
    const ParamSet params = ParamSet::defaults(codec.schema());
    std::vector<double> progress;
    CodecContext context;
    context.progress = [&](double f) { progress.push_back(f); };
    EvaluateOptions options;
    std::vector<Evaluation> interim;
    options.interim = [&](const Evaluation& e) { interim.push_back(e); };
    auto e = evaluate(codec, image.view(), params, context, options);
    ASSERT_TRUE(e.ok());
    EXPECT_TRUE(codec.sawInterimSink);
    // Three measured interim results (the damaged fourth skipped), each better than the last, then the final one.
    ASSERT_EQ(interim.size(), 3u);
    for (std::size_t i = 0; i < interim.size(); ++i) {
        ASSERT_TRUE(interim[i].reconstruction && interim[i].metrics);
        EXPECT_EQ(interim[i].bytes, RawCodec::stream(image.view(), 1.0f / float(1 << (3 - i))));
        EXPECT_GE(interim[i].encodeMs, 0.0);
        if (i > 0) {
            EXPECT_GT(interim[i].metrics->logPsnr, interim[i - 1].metrics->logPsnr);
            EXPECT_GE(interim[i].encodeMs, interim[i - 1].encodeMs);
        }
    }
    ASSERT_TRUE(e->metrics);
    EXPECT_EQ(e->bytes, RawCodec::stream(image.view(), 1.0f));
    EXPECT_GT(e->metrics->logPsnr, interim.back().metrics->logPsnr);
    // The interim decodes report no progress: the encoder's, then the final decode's.
    EXPECT_EQ(progress, (std::vector<double>{0.4, 0.8, 1.0}));

    // A caller that takes none: the codec is given no sink.
    e = evaluate(codec, image.view(), params, {});
    ASSERT_TRUE(e.ok());
    EXPECT_FALSE(codec.sawInterimSink);
}

TEST(Evaluate, FailuresAreKeptByStage) {
    RawCodec codec;
    const Image image = gradientWithChart();
    const ParamSet params = ParamSet::defaults(codec.schema());

    // Invalid parameters: the encode stage fails the Result.
    ParamSet bad = params;
    bad.set("q", 99);
    auto e = evaluate(codec, image.view(), bad, {});
    ASSERT_FALSE(e.ok());
    EXPECT_EQ(e.error().code, ErrorCode::InvalidArgument);
    EXPECT_EQ(firstFailure(e)->code, ErrorCode::InvalidArgument);

    // A decoder failure keeps the bytes and the encode time.
    codec.failDecode = true;
    e = evaluate(codec, image.view(), params, {});
    ASSERT_TRUE(e.ok());
    EXPECT_FALSE(e->bytes.empty());
    ASSERT_TRUE(e->decodeError);
    EXPECT_EQ(e->decodeError->code, ErrorCode::CorruptData);
    EXPECT_EQ(firstFailure(e)->message, "decoding failed: raw stream refused");
    codec.failDecode = false;

    // Nothing to measure (no covered texel): the reconstruction is there, the metrics error says why.
    Image empty = image.clone();
    std::fill(empty.maskData(), empty.maskData() + empty.texelCount(), 0);
    e = evaluate(codec, empty.view(), params, {});
    ASSERT_TRUE(e.ok());
    EXPECT_TRUE(e->reconstruction);
    EXPECT_FALSE(e->metrics);
    ASSERT_TRUE(e->metricsError);
    EXPECT_EQ(firstFailure(e)->code, ErrorCode::InvalidArgument);

    // Cancelled between the stages: no decode, a Cancelled error.
    CancelToken token;
    codec.cancelDuringEncode = &token;
    CodecContext context;
    context.cancel = &token;
    e = evaluate(codec, image.view(), params, context);
    ASSERT_FALSE(e.ok());
    EXPECT_EQ(e.error().code, ErrorCode::Cancelled);
}

}  // namespace
}  // namespace lmc
