// The overfit codec's rate-distortion optimised quantisation (codec/learned/overfit/overfit_rdoq.h): it lowers the
// loss as the decoder's own functions measure it (synthesis, context model, entropy tables), its own loss figures
// agree with that measure, it is deterministic, and it refuses mismatched shapes and honours cancellation.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "codec/entropy/rans.h"
#include "codec/learned/learned_codec.h"
#include "codec/learned/overfit/overfit_rdoq.h"
#include "codec/learned/overfit/overfit_train.h"
#include "tests/codec/codec_test_support.h"

namespace {

using namespace lmc;
using namespace lmc::overfit;

struct Case {
    TrainTarget target;
    Config config;
    Networks networks;
    std::vector<std::vector<float>> latents;  // rounded
    double lambda = 0;
};

// A briefly optimised state of a gradient map with a black block (the one-sided black loss), latents rounded.
Case trainedCase(double lambda) {
    Image image = test::gradientImage(70, 45);
    for (int y = 10; y < 22; ++y)
        for (int x = 5; x < 19; ++x)
            for (int c = 0; c < 3; ++c) image.texel(x, y)[c] = 0.0f;
    Case k;
    k.target = makeTrainTarget(image.view(), learned::exposureScale(image.view()));
    k.lambda = lambda;
    TrainOptions options;
    options.iterations = 120;
    options.lambda = lambda;
    TrainState state = initialState(k.target, options.config, options.seed);
    EXPECT_TRUE(train(k.target, options, state, test::threadsContext(1), 0.0, 1.0).ok());
    k.config = options.config;
    k.networks = state.networks;
    k.latents = state.latents;
    for (auto& grid : k.latents)
        for (float& v : grid) v = std::nearbyint(v);
    return k;
}

// The loss measured with the decoder's functions: weighted squared error of synthesizeRows' output (black texels
// one-sided) plus lambda times the entropy coder's bit estimate per texel.
double decoderLoss(const Case& k) {
    const int W = k.target.width, H = k.target.height;
    const std::vector<GridShape> grids = gridShapes(k.config, W, H);
    std::vector<float> t(std::size_t(W) * H * 3);
    synthesizeRows(k.config, k.networks, grids, k.latents, W, H, 0, H, t.data());
    double dist = 0, weightSum = 0;
    for (std::size_t i = 0; i < k.target.weight.size(); ++i) {
        weightSum += k.target.weight[i];
        for (int c = 0; c < 3; ++c) {
            double d = double(t[i * 3 + c]) - double(k.target.t[i * 3 + c]);
            if (k.target.black[i] && d < 0) d = 0;
            dist += double(k.target.weight[i]) * d * d;
        }
    }
    std::vector<std::int32_t> symbols, tables;
    for (std::size_t g = 0; g < grids.size(); ++g)
        for (int y = 0; y < grids[g].height; ++y)
            for (int x = 0; x < grids[g].width; ++x) {
                float context[kContextSize], mu, logScale;
                gatherContext(k.latents[g].data(), grids[g].width, grids[g].height, x, y, context);
                armForward(k.networks, context, mu, logScale);
                std::int32_t centre;
                tables.push_back(laplaceTable(mu, logScale, centre));
                symbols.push_back(std::int32_t(k.latents[g][std::size_t(y) * grids[g].width + x]) - centre);
            }
    auto bits = entropy::estimateBits(laplaceTables(), symbols.data(), tables.data(), symbols.size());
    EXPECT_TRUE(bits.ok());
    return dist / (3.0 * weightSum) + k.lambda * (bits ? *bits : 0.0) / (double(W) * H);
}

TEST(OverfitRdoq, LowersTheLossTheDecoderMeasures) {
    for (double lambda : {1e-4, 3e-3}) {
        Case k = trainedCase(lambda);
        const std::vector<std::vector<float>> rounded = k.latents;
        const double before = decoderLoss(k);
        auto result = rdoqLatents(k.config, k.networks, k.target, lambda, 2, k.latents);
        ASSERT_TRUE(result.ok()) << result.error().message;
        const double after = decoderLoss(k);
        EXPECT_GT(result->changed, 0u) << "lambda " << lambda;
        EXPECT_LT(after, before) << "lambda " << lambda;
        // Its own figures are the decoder's loss (float sums in another order).
        EXPECT_NEAR(result->lossBefore, before, 1e-5 * before);
        EXPECT_NEAR(result->lossAfter, after, 1e-5 * after);
        // Every latent moved by at most one step per pass, and stays an integer.
        for (std::size_t g = 0; g < rounded.size(); ++g)
            for (std::size_t i = 0; i < rounded[g].size(); ++i) {
                EXPECT_LE(std::fabs(k.latents[g][i] - rounded[g][i]), 2.0f);
                EXPECT_EQ(k.latents[g][i], std::nearbyint(k.latents[g][i]));
            }
    }
}

TEST(OverfitRdoq, IsDeterministic) {
    Case a = trainedCase(1e-3), b = trainedCase(1e-3);
    ASSERT_TRUE(rdoqLatents(a.config, a.networks, a.target, a.lambda, 2, a.latents).ok());
    ASSERT_TRUE(rdoqLatents(b.config, b.networks, b.target, b.lambda, 2, b.latents).ok());
    EXPECT_EQ(a.latents, b.latents);
}

TEST(OverfitRdoq, RefusesMismatchedShapesAndHonoursCancel) {
    Case k = trainedCase(1e-3);
    std::vector<std::vector<float>> shortLatents = k.latents;
    shortLatents.back().pop_back();
    auto bad = rdoqLatents(k.config, k.networks, k.target, k.lambda, 1, shortLatents);
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().code, ErrorCode::InvalidArgument);

    const std::vector<std::vector<float>> before = k.latents;
    CancelToken cancel;
    cancel.cancel();
    auto cancelled = rdoqLatents(k.config, k.networks, k.target, k.lambda, 1, k.latents, &cancel);
    ASSERT_FALSE(cancelled.ok());
    EXPECT_EQ(cancelled.error().code, ErrorCode::Cancelled);
    EXPECT_EQ(k.latents, before);
}

}  // namespace
