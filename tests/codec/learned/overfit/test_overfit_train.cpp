// The overfit codec's optimisation (codec/learned/overfit/overfit_train.h): the per-instruction-set kernel sets
// compute the same step (up to float rounding) and each is deterministic across thread counts; row subsampling;
// the dark-texel
// weighting of the target; warm starts through a CodecCache (same stream format, bit-exact decode, the cache hit,
// an exact repeat reusing the finished state, no quality cliff).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "codec/codec_cache.h"
#include "codec/container.h"
#include "codec/learned/learned_codec.h"
#include "codec/learned/overfit/overfit_codec.h"
#include "codec/learned/overfit/overfit_train.h"
#include "codec/metrics.h"
#include "tests/codec/codec_test_support.h"

namespace {

using namespace lmc;
using namespace lmc::test;

overfit::TrainState trained(const overfit::TrainTarget& target, overfit::TrainKernels kernels, int threads,
                            int iterations) {
    overfit::TrainOptions options;
    options.kernels = kernels;
    options.iterations = iterations;
    overfit::TrainState state = overfit::initialState(target, options.config, options.seed);
    EXPECT_TRUE(overfit::train(target, options, state, threadsContext(threads), 0.0, 1.0).ok());
    return state;
}

// Every float of the state, networks then latents.
std::vector<float> flatState(const overfit::TrainState& s) {
    std::vector<float> v;
    for (int i = 0; i < overfit::Networks::kLayerCount; ++i) {
        const overfit::Layer& l = s.networks.layer(i);
        v.insert(v.end(), l.weight.begin(), l.weight.end());
        v.insert(v.end(), l.bias.begin(), l.bias.end());
    }
    for (const auto& g : s.latents) v.insert(v.end(), g.begin(), g.end());
    return v;
}

overfit::TrainTarget targetOf(const Image& image) {
    return overfit::makeTrainTarget(image.view(), learned::exposureScale(image.view()));
}

const overfit::TrainKernels kAllKernels[] = {overfit::TrainKernels::Generic, overfit::TrainKernels::Avx2,
                                             overfit::TrainKernels::Avx512};

TEST(OverfitTrain, KernelSetsComputeTheSameSteps) {
    // 133 texels wide: a partial tile and partial vectors at the row end; 20 steps cover noise, soft and hard.
    const overfit::TrainTarget target = targetOf(gradientImage(133, 21));
    ASSERT_TRUE(overfit::trainKernelsAvailable(overfit::TrainKernels::Generic));
    EXPECT_EQ(overfit::trainKernelName(overfit::TrainKernels::Generic), "generic");
    EXPECT_FALSE(overfit::trainKernelName(overfit::TrainKernels::Auto).empty());
    const std::vector<float> reference = flatState(trained(target, overfit::TrainKernels::Generic, 2, 20));
    for (overfit::TrainKernels k : kAllKernels) {
        if (!overfit::trainKernelsAvailable(k)) continue;
        const std::vector<float> other = flatState(trained(target, k, 2, 20));
        ASSERT_EQ(other.size(), reference.size());
        double maxDiff = 0;
        for (std::size_t i = 0; i < other.size(); ++i)
            maxDiff = std::max(maxDiff, double(std::fabs(other[i] - reference[i])));
        EXPECT_LT(maxDiff, 2e-3) << overfit::trainKernelName(k);
    }
    // The kernels are wired: a different step count changes the state.
    EXPECT_NE(flatState(trained(target, overfit::TrainKernels::Auto, 2, 3)), reference);
}

TEST(OverfitTrain, EachKernelSetIsDeterministicAcrossThreads) {
    const overfit::TrainTarget target = targetOf(gradientImage(70, 33));
    for (overfit::TrainKernels k : kAllKernels) {
        if (!overfit::trainKernelsAvailable(k)) continue;
        const std::vector<float> one = flatState(trained(target, k, 1, 12));
        for (int threads : {2, 3})
            EXPECT_EQ(flatState(trained(target, k, threads, 12)), one)
                << overfit::trainKernelName(k) << " threads " << threads;
    }
}

TEST(OverfitTrain, RowSubsamplingIsDeterministicAndStillLearns) {
    const overfit::TrainTarget target = targetOf(gradientImage(64, 48));
    auto run = [&](int rowStride, int threads, int iterations, double* lastMse) {
        overfit::TrainOptions options;
        options.rowStride = rowStride;
        options.iterations = iterations;
        options.logEvery = iterations;  // the first and the last step
        options.log = [&](const std::string& line) {
            const auto at = line.find("mse_t ");
            if (at != std::string::npos && lastMse) *lastMse = std::stod(line.substr(at + 6));
        };
        overfit::TrainState state = overfit::initialState(target, options.config, options.seed);
        EXPECT_TRUE(overfit::train(target, options, state, threadsContext(threads), 0.0, 1.0).ok());
        return flatState(state);
    };
    double first = 0, strided = 0, full = 0;
    EXPECT_EQ(run(2, 1, 10, nullptr), run(2, 3, 10, nullptr));
    EXPECT_NE(run(2, 2, 10, nullptr), run(1, 2, 10, nullptr));
    run(2, 2, 1, &first);
    run(2, 2, 150, &strided);
    run(1, 2, 150, &full);
    EXPECT_LT(strided, first * 0.1) << first;
    EXPECT_LT(strided, full * 3.0) << full;
}

TEST(OverfitTrain, DarkWeightRaisesDarkTexelsOnly) {
    Image image = *Image::create(4, 1);
    const float values[4] = {0.0f, 0.125f, 1.0f, 100.0f};  // black, dark (s / 8), mid, bright
    for (int x = 0; x < 4; ++x)
        for (int c = 0; c < 3; ++c) image.texel(x, 0)[c] = values[x];
    const float scale = 1.0f;
    const overfit::TrainTarget plain = overfit::makeTrainTarget(image.view(), scale);
    const overfit::TrainTarget dark = overfit::makeTrainTarget(image.view(), scale, {0.0, 0.5, 8.0});
    for (int x = 0; x < 4; ++x) EXPECT_EQ(plain.weight[std::size_t(x)], 1.0f);
    EXPECT_EQ(dark.weight[0], 1.0f);  // exactly black: its one-sided target, no extra weight
    EXPECT_EQ(dark.black[0], 1);
    // ((L + s) / max(L, s / 8))^2: 9^2 at the floor, 4 at L = s, about 1 far above s.
    EXPECT_NEAR(dark.weight[1], 1.0f + 0.5f * 9.0f * 9.0f, 1e-3f);
    EXPECT_NEAR(dark.weight[2], 1.0f + 0.5f * 4.0f, 1e-5f);
    EXPECT_NEAR(dark.weight[3], 1.0f + 0.5f * 1.0201f, 1e-4f);
    EXPECT_EQ(dark.t, plain.t);
}

TEST(OverfitTrain, KneeWeightsMeasureTheErrorAtTheKnee) {
    // With the transform's scale 64x below the knee, weight * (dt)^2 must equal the squared error of
    // log2(1 + x / knee) / 2 (t's slope at the knee) for a small change of x, at every brightness.
    const float values[5] = {1.0f / 4096.0f, 1.0f / 64.0f, 0.25f, 1.0f, 300.0f};
    Image image = *Image::create(5, 1);
    for (int x = 0; x < 5; ++x)
        for (int c = 0; c < 3; ++c) image.texel(x, 0)[c] = values[x];
    const float knee = 1.0f, scale = knee / 64.0f;
    const overfit::TrainTarget target = overfit::makeTrainTarget(image.view(), scale, {knee, 0.0, 8.0});
    for (int x = 0; x < 5; ++x) {
        const double v = values[x], dx = v * 1e-3;
        const double dt = (std::log2(1.0 + (v + dx) / scale) - std::log2(1.0 + v / scale)) / 2.0;
        const double dk = (std::log2(1.0 + (v + dx) / knee) - std::log2(1.0 + v / knee)) / 2.0;
        EXPECT_NEAR(double(target.weight[std::size_t(x)]) * dt * dt / (dk * dk), 1.0, 2e-3) << v;
    }
    // The dark term then counts relative error down to knee / darkFloor, as with the scale at the knee.
    const overfit::TrainTarget dark = overfit::makeTrainTarget(image.view(), scale, {knee, 0.5, 64.0});
    const overfit::TrainTarget atKnee = overfit::makeTrainTarget(image.view(), knee, {knee, 0.5, 64.0});
    for (int x = 0; x < 5; ++x) {
        const double ratio = double(dark.weight[std::size_t(x)]) / target.weight[std::size_t(x)];
        EXPECT_NEAR(ratio, atKnee.weight[std::size_t(x)], 1e-3 * ratio) << values[x];
    }
    EXPECT_NEAR(atKnee.weight[0], 1.0 + 0.5 * std::pow((1.0 / 4096 + 1.0) / (1.0 / 64), 2), 1e-2);
}

TEST(OverfitCodec, WarmStartFromTheCache) {
    const Codec& codec = builtinCodec("overfit");
    const Image image = gradientImage(48, 40);
    auto params = [&](double rate) {
        ParamSet p = ParamSet::defaults(codec.schema());
        p.set("rate", rate);
        p.set("iterations", 120);
        return p;
    };
    CodecContext cold = threadsContext(2);
    CodecCache cache;
    CodecContext cached = threadsContext(2);
    cached.cache = &cache;
    // The first encode with an empty cache is the cold encode.
    const Bytes first = encodeOk(codec, image, params(0.3), cached);
    EXPECT_EQ(first, encodeOk(codec, image, params(0.3), cold));
    EXPECT_EQ(cache.hits("overfit.states"), 0);
    // Another rate starts from it: a hit, the same container and payload version, bit-exact decode on any threads.
    const Bytes warm = encodeOk(codec, image, params(0.7), cached);
    EXPECT_EQ(cache.hits("overfit.states"), 1);
    EXPECT_NE(warm, encodeOk(codec, image, params(0.7), cold));
    auto container = readContainer(warm.data(), warm.size());
    ASSERT_TRUE(container.ok());
    EXPECT_EQ(container->header.codecId, "overfit");
    ASSERT_GT(container->payloadSize, 0u);
    auto firstContainer = readContainer(first.data(), first.size());
    ASSERT_TRUE(firstContainer.ok());
    EXPECT_EQ(container->payload[0], firstContainer->payload[0]);
    const Image one = decodeOk(codec, warm, threadsContext(1));
    const Image three = decodeOk(codec, warm, threadsContext(3));
    EXPECT_EQ(std::memcmp(one.data(), three.data(), std::size_t(one.texelCount()) * 12), 0);
    // Half the steps from a trained state beat those steps from the fixed initialisation.
    ParamSet half = params(0.7);
    half.set("iterations", 60);
    const Image coldOut = decodeOk(codec, encodeOk(codec, image, half, cold), oneThread());
    const double warmPsnr = computeMetrics(image.view(), one.view())->logPsnr;
    const double coldPsnr = computeMetrics(image.view(), coldOut.view())->logPsnr;
    EXPECT_GT(warmPsnr, coldPsnr + 1.0) << warmPsnr << " vs " << coldPsnr;
    // A rate already finished gives its stream again.
    EXPECT_EQ(encodeOk(codec, image, params(0.7), cached), warm);
    // Another effort is another optimisation: no warm start across `iterations`.
    EXPECT_EQ(encodeOk(codec, image, half, cached), encodeOk(codec, image, half, cold));
}

}  // namespace
