// The per-map optimised codec "overfit" (codec/learned/overfit/): round trip, thread-count independence of streams
// and texels, monotone size over `rate`, progress and cancellation of the optimisation, damaged streams, quality
// rising with `iterations`, interim streams (valid, not changing the final stream), and the pieces the decoder
// relies on (Laplace tables, weight quantisation).
// Small images and few iterations so the whole file runs in seconds.
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <cstring>
#include <mutex>
#include <random>
#include <vector>

#include "codec/container.h"
#include "codec/entropy/rans.h"
#include "codec/learned/overfit/overfit_codec.h"
#include "codec/learned/overfit/overfit_model.h"
#include "codec/metrics.h"
#include "tests/codec/codec_test_support.h"
#include "tests/codec/learned/overfit/legacy_overfit_streams.h"

namespace {

using namespace lmc;
using namespace lmc::test;

ParamSet overfitParams(double rate, int iterations) {
    ParamSet p = ParamSet::defaults(builtinCodec("overfit").schema());
    p.set("rate", rate);
    p.set("iterations", iterations);
    return p;
}

double logPsnr(const Image& reference, const Image& decoded) {
    auto m = computeMetrics(reference.view(), decoded.view());
    EXPECT_TRUE(m.ok());
    return m.ok() ? m->logPsnr : 0.0;
}

TEST(OverfitModel, LaplaceTablesAndIndexesAreSane) {
    const auto& tables = overfit::laplaceTables();
    ASSERT_EQ(tables.tableCount(), std::size_t(overfit::kScaleBins * overfit::kFracBins));
    std::int32_t centre = 0;
    // The centre is the rounded mean; NaN and extreme predictions still name a valid table.
    EXPECT_GE(overfit::laplaceTable(2.4f, 0.0f, centre), 0);
    EXPECT_EQ(centre, 2);
    EXPECT_EQ(overfit::laplaceTable(-2.6f, 0.0f, centre) >= 0, true);
    EXPECT_EQ(centre, -3);
    for (float mu : {std::nanf(""), 1e30f, -1e30f, INFINITY})
        for (float ls : {std::nanf(""), -1e30f, 1e30f, -INFINITY}) {
            const std::int32_t t = overfit::laplaceTable(mu, ls, centre);
            EXPECT_GE(t, 0);
            EXPECT_LT(t, std::int32_t(tables.tableCount()));
            EXPECT_LE(std::abs(centre), overfit::kMaxLatentMagnitude);
        }
    // A narrow distribution makes its centre nearly free, a wide one spreads the cost.
    const std::int32_t narrow = overfit::laplaceTable(0.0f, overfit::kMinLogScale, centre);
    const std::int32_t wide = overfit::laplaceTable(0.0f, overfit::kMaxLogScale, centre);
    const int narrowZero = -tables.offset(std::size_t(narrow));
    EXPECT_LT(entropy::symbolCostBits(tables, std::size_t(narrow), narrowZero), 0.01);
    EXPECT_GT(entropy::symbolCostBits(tables, std::size_t(wide), -tables.offset(std::size_t(wide))), 4.0);
}

TEST(OverfitModel, WeightQuantisationIsExactPowerOfTwoSteps) {
    overfit::Layer layer;
    layer.in = 2;
    layer.out = 2;
    layer.weight = {0.3f, -1.7f, 0.0f, 2.5f};
    layer.bias = {-0.01f, 0.49f};
    const overfit::QuantizedLayer q = overfit::quantizeLayer(layer, 4);
    overfit::Layer back = layer;
    overfit::dequantizeLayer(q, back);
    for (std::size_t i = 0; i < layer.weight.size(); ++i) {
        EXPECT_NEAR(back.weight[i], layer.weight[i], 1.0 / 32 + 1e-6);
        EXPECT_EQ(back.weight[i] * 16.0f, std::nearbyint(back.weight[i] * 16.0f));
    }
    EXPECT_NEAR(back.bias[1], 0.5f, 1e-6);
}

TEST(OverfitCodec, RegisteredWithRateAndEffort) {
    const Codec& codec = builtinCodec("overfit");
    EXPECT_TRUE(codec.rateParam().has_value());
    EXPECT_EQ(codec.rateParam()->id, "rate");
    EXPECT_FALSE(codec.traits(ParamSet::defaults(codec.schema())).keepsNegatives);
    bool hasIterations = false;
    for (const auto& p : codec.schema()) hasIterations |= p.id == "iterations";
    EXPECT_TRUE(hasIterations);
    EXPECT_GT(overfit::lambdaForRate(0.0), overfit::lambdaForRate(0.5));
    EXPECT_GT(overfit::lambdaForRate(0.5), overfit::lambdaForRate(1.0));
}

TEST(OverfitCodec, RoundTripOddSizeAndBadInput) {
    const Codec& codec = builtinCodec("overfit");
    Image image = gradientImage(37, 23);
    image.texel(3, 3)[0] = std::nanf("");
    image.texel(4, 3)[1] = INFINITY;
    image.texel(5, 3)[2] = -7.0f;
    Bytes stream;
    const Image out = roundTrip(codec, image, overfitParams(0.8, 150), threadsContext(2), &stream);
    ASSERT_EQ(out.width(), 37);
    ASSERT_EQ(out.height(), 23);
    EXPECT_TRUE(allFinite(out));
    for (std::int64_t i = 0; i < out.texelCount() * 3; ++i) EXPECT_GE(out.data()[i], 0.0f);
    EXPECT_TRUE(codec.recognizes(stream.data(), stream.size()));
    // Far from lossless at this effort, but a picture of the map (a flat grey would score about 12 dB here).
    EXPECT_GT(logPsnr(gradientImage(37, 23), out), 28.0);
    // All black: the exposure scale falls back to 1 and the decode is black too.
    const Image black = *Image::create(9, 5);
    const Image blackOut = roundTrip(codec, black, overfitParams(0.5, 20), oneThread());
    ASSERT_EQ(blackOut.width(), 9);
    for (std::int64_t i = 0; i < blackOut.texelCount() * 3; ++i) EXPECT_LT(blackOut.data()[i], 0.05f);
}

TEST(OverfitCodec, StreamsAndTexelsDoNotDependOnThreads) {
    expectSameAcrossThreadCounts(builtinCodec("overfit"), gradientImage(48, 40), overfitParams(0.5, 40), {1, 2, 3});
}

TEST(OverfitCodec, DecodeIsIdenticalForAnyThreadCount) {
    const Codec& codec = builtinCodec("overfit");
    const Bytes stream = encodeOk(codec, gradientImage(64, 64), overfitParams(0.6, 60), threadsContext(2));
    const Image one = decodeOk(codec, stream, threadsContext(1));
    for (int threads : {2, 3}) {
        const Image other = decodeOk(codec, stream, threadsContext(threads));
        ASSERT_EQ(other.texelCount(), one.texelCount());
        EXPECT_EQ(std::memcmp(other.data(), one.data(), std::size_t(one.texelCount()) * 12), 0) << threads;
    }
}

TEST(OverfitCodec, StreamSizeFallsWithRate) {
    const Codec& codec = builtinCodec("overfit");
    const Image image = gradientImage(64, 64);
    std::size_t previous = SIZE_MAX;
    for (double rate : {1.0, 0.6, 0.3, 0.0}) {
        const Bytes stream = encodeOk(codec, image, overfitParams(rate, 80), threadsContext(2));
        EXPECT_LE(stream.size(), previous) << "rate " << rate;
        previous = stream.size();
    }
}

TEST(OverfitCodec, QualityRisesWithIterations) {
    const Codec& codec = builtinCodec("overfit");
    const Image image = gradientImage(48, 48);
    const Image few = roundTrip(codec, image, overfitParams(0.8, 20), threadsContext(2));
    const Image many = roundTrip(codec, image, overfitParams(0.8, 300), threadsContext(2));
    EXPECT_GT(logPsnr(image, many), logPsnr(image, few) + 8.0);
}

TEST(OverfitCodec, InterimStreamsDecodeAndLeaveTheFinalStreamAlone) {
    const Codec& codec = builtinCodec("overfit");
    const Image image = gradientImage(48, 32);
    const ParamSet params = overfitParams(0.6, 120);
    const Bytes plain = encodeOk(codec, image, params, threadsContext(2));
    // An interim stream after every step from the first (the schedule the app uses waits seconds).
    CodecContext ctx = threadsContext(2);
    ctx.extensions.set(overfit::InterimSchedule{0.0, 1.0});
    std::vector<Bytes> interim;
    ctx.interim = [&](const Bytes& stream) { interim.push_back(stream); };
    std::vector<double> progress;
    ctx.progress = [&](double f) { progress.push_back(f); };
    const Bytes final = encodeOk(codec, image, params, ctx);
    EXPECT_EQ(final, plain);                      // training is not changed by them
    ASSERT_EQ(interim.size(), std::size_t(119));  // after each step but the last
    for (double f : progress) EXPECT_LE(f, 1.0);
    for (std::size_t i = 1; i < progress.size(); ++i) EXPECT_GE(progress[i], progress[i - 1]);
    // Each decodes to a full image; the optimisation shows: the last is far better than the first.
    double first = 0, last = 0;
    for (std::size_t i : {std::size_t(0), interim.size() / 2, interim.size() - 1}) {
        auto decoded = codec.decode(interim[i], threadsContext(2));
        ASSERT_TRUE(decoded.ok()) << "interim stream " << i << ": " << decoded.error().message;
        ASSERT_EQ(decoded->width(), 48);
        ASSERT_EQ(decoded->height(), 32);
        (i == 0 ? first : last) = logPsnr(image, *decoded);
    }
    EXPECT_GT(last, first + 5.0);
    // The default schedule waits seconds: a short encode hands over none.
    CodecContext defaults = threadsContext(2);
    int count = 0;
    defaults.interim = [&](const Bytes&) { ++count; };
    EXPECT_EQ(encodeOk(codec, image, overfitParams(0.6, 20), defaults).empty(), false);
    EXPECT_EQ(count, 0);
}

TEST(OverfitCodec, ProgressAndCancellation) {
    const Codec& codec = builtinCodec("overfit");
    const Image image = gradientImage(32, 32);
    // Progress: non-decreasing, within [0, 1], ending at 1.
    std::vector<double> seen;
    std::mutex mutex;
    CodecContext ctx = threadsContext(2);
    ctx.progress = [&](double f) {
        std::lock_guard<std::mutex> lock(mutex);
        seen.push_back(f);
    };
    encodeOk(codec, image, overfitParams(0.5, 50), ctx);
    ASSERT_GE(seen.size(), std::size_t(50));
    for (std::size_t i = 0; i < seen.size(); ++i) {
        EXPECT_GE(seen[i], 0.0);
        EXPECT_LE(seen[i], 1.0);
        if (i > 0) {
            EXPECT_GE(seen[i], seen[i - 1]);
        }
    }
    EXPECT_EQ(seen.back(), 1.0);
    // Cancelled before the start, and in the middle of the optimisation.
    CancelToken before;
    auto r = encodeImage(codec, image.view(), overfitParams(0.5, 50), cancelledContext(before, 2));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::Cancelled);
    CancelToken during;
    std::atomic<double> last{0};
    CodecContext mid = threadsContext(2);
    mid.cancel = &during;
    mid.progress = [&](double f) {
        last = f;
        if (f > 0.3) during.cancel();
    };
    r = encodeImage(codec, image.view(), overfitParams(0.5, 1000), mid);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::Cancelled);
    EXPECT_LT(last.load(), 0.35);  // stopped within a step of the request
}

TEST(OverfitCodec, DamagedStreamsAreErrorsNotCrashes) {
    const Codec& codec = builtinCodec("overfit");
    const Bytes good = encodeOk(codec, gradientImage(40, 30), overfitParams(0.7, 40), oneThread());
    ASSERT_FALSE(good.empty());
    expectTruncationsRejected(codec, good, truncationLengths(good.size(), 64, 7), {ErrorCode::CorruptData},
                              oneThread());
    // Flips inside the payload with the CRC repaired, so the decoder itself sees the damage: an error of the
    // CorruptData kind, or an image of the right size with finite, non-negative texels.
    auto view = readContainer(good.data(), good.size());
    ASSERT_TRUE(view.ok());
    const std::size_t payloadStart = std::size_t(view->payload - good.data());
    std::mt19937 rng(5);
    int rejected = 0;
    for (int trial = 0; trial < 300; ++trial) {
        Bytes payload(good.begin() + std::ptrdiff_t(payloadStart), good.end());
        const int flips = 1 + int(rng() % 3);
        for (int f = 0; f < flips; ++f) payload[rng() % payload.size()] ^= std::uint8_t(1u << (rng() % 8));
        const Bytes bad = writeContainer(view->header, payload);
        auto r = codec.decode(bad, oneThread());
        if (!r.ok()) {
            ++rejected;
            EXPECT_EQ(r.error().code, ErrorCode::CorruptData) << r.error().message;
        } else {
            ASSERT_EQ(r->width(), 40);
            ASSERT_EQ(r->height(), 30);
            for (std::int64_t i = 0; i < r->texelCount() * 3; ++i)
                ASSERT_TRUE(std::isfinite(r->data()[i]) && r->data()[i] >= 0.0f);
        }
    }
    EXPECT_GT(rejected, 150);
    // A huge image claimed by a tiny stream is refused before anything is allocated for it.
    ContainerHeader huge = view->header;
    huge.width = 16384;
    huge.height = 16384;
    auto r = codec.decode(writeContainer(huge, Bytes(view->payload, view->payload + view->payloadSize)), oneThread());
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::CorruptData);
    // Another codec's stream is not ours.
    EXPECT_FALSE(codec
                     .decode(encodeOk(builtinCodec("jpeg"), gradientImage(16, 16),
                                      ParamSet::defaults(builtinCodec("jpeg").schema()), oneThread()),
                             oneThread())
                     .ok());
}

TEST(OverfitCodec, TexelsOutsideTheMaskAreFree) {
    // Loud noise in the uncovered columns must neither cost bits nor change the covered texels much.
    const Codec& codec = builtinCodec("overfit");
    Image clean = gradientImage(48, 32);
    Image noisy = noisyGutterCopy(clean, 32);
    const Bytes a = encodeOk(codec, clean, overfitParams(0.5, 60), threadsContext(2));
    const Bytes b = encodeOk(codec, noisy, overfitParams(0.5, 60), threadsContext(2));
    EXPECT_LT(double(b.size()), 1.05 * double(a.size()) + 16);
}

TEST(OverfitCodec, DeepShadowsKeepTheirLight) {
    // A lit surface with a small patch 8 stops darker (under 1% of the texels, so the exposure scale sits on the lit
    // surface): the patch must decode lit and near its level, not clamped to black (mPSNR's bright exposures show
    // it as a hole).
    Image image = *Image::create(96, 96);
    for (int y = 0; y < 96; ++y)
        for (int x = 0; x < 96; ++x) {
            const bool patch = x >= 40 && x < 49 && y >= 20 && y < 29;
            const float level = (patch ? 1.0f / 256.0f : 1.0f) * (1.0f + 0.2f * float(x + y) / 190.0f);
            for (int c = 0; c < 3; ++c) image.texel(x, y)[c] = level;
        }
    const Codec& codec = builtinCodec("overfit");
    const Bytes stream = encodeOk(codec, image, overfitParams(1.0, 1000), threadsContext(2));
    auto decoded = codec.decode(stream.data(), stream.size(), threadsContext(2));
    ASSERT_TRUE(decoded.ok());
    double sumLog = 0;
    int n = 0, black = 0;
    for (int y = 22; y < 27; ++y)
        for (int x = 42; x < 47; ++x, ++n) {  // the patch's inner texels (its rim blends with the lit surface)
            const float got = decoded->texel(x, y)[1], want = image.texel(x, y)[1];
            if (!(got > 0.0f)) {
                ++black;
                continue;
            }
            sumLog += std::abs(std::log2(double(got) / want));
        }
    EXPECT_EQ(black, 0);
    // Mean |log2 error|: about 0.43 here; with the transform's scale at the knee (before) the patch came out 2-4x too
    // bright (2.06).
    EXPECT_LT(sumLog / std::max(1, n - black), 1.0);
}

// A gradient atlas with exact-black covered areas between its charts: large ones (one block, one band), or (scattered)
// 30% of the texels black at random.
Image blackAreasImage(int w, int h, bool scattered) {
    Image image = gradientImage(w, h, 20.0f);
    std::mt19937 rng(17);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            const bool black = scattered ? rng() % 10 < 3
                                         : (x >= 80 && x < 150 && y >= 30 && y < 120) || (y >= 150 && y < 170);
            if (black) std::fill_n(image.texel(x, y), 3, 0.0f);
        }
    return image;
}

std::uint8_t payloadVersion(const Bytes& stream) {
    auto view = readContainer(stream.data(), stream.size());
    EXPECT_TRUE(view.ok());
    return view.ok() && view->payloadSize > 0 ? view->payload[0] : 0;
}

TEST(OverfitCodec, ExactBlackAreasAreMappedAndDecodeAsZeros) {
    // Large black areas: their map is cheap, so the stream carries it (payload version 2); black texels decode as
    // exact zeros, lit ones stay lit, and the synthesis, free of the black clamp, keeps the charts' light.
    const Codec& codec = builtinCodec("overfit");
    const Image image = blackAreasImage(256, 192, false);
    const Bytes stream = encodeOk(codec, image, overfitParams(0.6, 300), threadsContext(2));
    EXPECT_EQ(payloadVersion(stream), 2);
    auto decoded = codec.decode(stream.data(), stream.size(), threadsContext(2));
    ASSERT_TRUE(decoded.ok());
    int blackWrong = 0, litWrong = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x) {
            const bool black = image.texel(x, y)[0] == 0.0f;
            const float* d = decoded->texel(x, y);
            if (black) blackWrong += d[0] != 0.0f || d[1] != 0.0f || d[2] != 0.0f;
            if (!black) litWrong += !(d[0] > 0.0f) || !(d[1] > 0.0f) || !(d[2] > 0.0f);
        }
    EXPECT_EQ(blackWrong, 0);
    EXPECT_EQ(litWrong, 0);
    EXPECT_GT(logPsnr(image, *decoded), 40.0);
    // Identical texels for another thread count.
    auto again = codec.decode(stream.data(), stream.size(), oneThread());
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(std::memcmp(again->data(), decoded->data(), std::size_t(again->texelCount()) * 3 * sizeof(float)), 0);
    // Damaged version-2 payloads (CRC repaired): CorruptData or a finite, non-negative image of the right size.
    auto view = readContainer(stream.data(), stream.size());
    ASSERT_TRUE(view.ok());
    std::mt19937 rng(8);
    int rejected = 0;
    for (int trial = 0; trial < 60; ++trial) {
        Bytes payload(view->payload, view->payload + view->payloadSize);
        // Mostly inside the map (it follows the 9-byte header and its 4-byte length).
        const std::size_t at = trial % 2 ? 9 + rng() % 120 : rng() % payload.size();
        payload[std::min(at, payload.size() - 1)] ^= std::uint8_t(1u << (rng() % 8));
        auto r = codec.decode(writeContainer(view->header, payload), oneThread());
        if (!r.ok()) {
            ++rejected;
            EXPECT_EQ(r.error().code, ErrorCode::CorruptData) << r.error().message;
            continue;
        }
        ASSERT_EQ(r->width(), image.width());
        for (std::int64_t i = 0; i < r->texelCount() * 3; ++i)
            ASSERT_TRUE(std::isfinite(r->data()[i]) && r->data()[i] >= 0.0f);
    }
    EXPECT_GT(rejected, 20);
}

TEST(OverfitCodec, CostlyBlackMapsAreLeftOut) {
    // Black texels scattered at random would cost about a bit each: no map (payload version 1), the one-sided loss.
    const Codec& codec = builtinCodec("overfit");
    const Bytes stream = encodeOk(codec, blackAreasImage(256, 192, true), overfitParams(0.6, 40), threadsContext(2));
    EXPECT_EQ(payloadVersion(stream), 1);
    // A map without black texels needs no map either.
    EXPECT_EQ(payloadVersion(encodeOk(codec, gradientImage(256, 192), overfitParams(0.6, 40), threadsContext(2))), 1);
}

TEST(OverfitCodec, StreamsOfEarlierEncodersDecodeAsBefore) {
    // Payload versions 1 (no map) and 2 (a black map), written by the encoders of 62cbcac and b52d098, decode to the
    // very texels those versions decoded them to, for any thread count.
    const Codec& codec = builtinCodec("overfit");
    for (int threads : {1, 2}) {
        auto v1 = codec.decode(kOverfitStreamV1, sizeof kOverfitStreamV1, threadsContext(threads));
        ASSERT_TRUE(v1.ok()) << v1.error().message;
        EXPECT_EQ(v1->width(), 48);
        EXPECT_EQ(texelHash(*v1), kOverfitStreamV1Texels);
        auto v2 = codec.decode(kOverfitStreamV2, sizeof kOverfitStreamV2, threadsContext(threads));
        ASSERT_TRUE(v2.ok()) << v2.error().message;
        EXPECT_EQ(v2->width(), 256);
        EXPECT_EQ(texelHash(*v2), kOverfitStreamV2Texels);
    }
}

}  // namespace
