// The per-map optimisation of the overfit codec (overfit_model.h): latent grids, synthesis MLP and context model
// trained together on one image by Adam on the rate-distortion loss
//   L = D + lambda * R,  D = weighted mean squared error of t over the three channels (weights: the visible mask),
//                        R = estimated latent bits per texel under the context model's Laplace distributions.
// Our own fused forward and backward passes in plain C++ (row-wise structure-of-arrays loops the compiler
// vectorises; this file may use FMA and re-associated sums: only the decoder must be bit-exact).
//
// Schedule: `iterations` full-image steps; learning rates follow a cosine from their start value to 0; the first
// `noiseFraction` of the steps see latents plus uniform noise in [-1/2, 1/2) (noise drawn from a hash of step,
// grid and index, so it does not depend on threads); then, with softRound, C3's soft-rounding with noise
// s(s(y) + u) (Kim et al. 2023) with the temperature annealed from 0.3 to 0.05, and the last 5% of the steps hard
// rounding with a straight-through gradient (without softRound, hard rounding right after the noise).
// Threading: context.resolvedThreads() workers over texel rows and latent rows; every row's gradient goes to its
// own buffer and the buffers are summed in row order, so the result does not depend on the thread count.
// Cancellation is polled every step (Cancelled), progress reported once per step. Errors: Cancelled,
// InvalidArgument for a bad config; std::bad_alloc is the caller's to catch.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "codec/codec.h"
#include "codec/learned/overfit/overfit_model.h"

namespace lmc::overfit {

struct TrainTarget {
    int width = 0, height = 0;
    std::vector<float> t;       // 3 per texel, transformed domain
    std::vector<float> weight;  // 1 per texel: 1 = judged, 0 = free
    // 1 per texel: 1 = exactly black (t = -1/2): the decoder clamps below, so only an output above t costs.
    std::vector<std::uint8_t> black;
};

struct TrainOptions {
    Config config;
    double lambda = 1e-4;
    int iterations = 1000;
    double learningRate = 0.05;
    double latentLearningRate = 0.2;
    double noiseFraction = 0.3;
    bool softRound = true;
    std::uint32_t seed = 1;
    // Called every `logEvery` steps with a line of statistics (tuning and benchmarks only).
    std::function<void(const std::string&)> log;
    int logEvery = 100;
};

struct TrainState {
    Networks networks;
    std::vector<std::vector<float>> latents;  // continuous, one per grid (gridShapes order)
};

// Fresh initialisation: latents 0, layers uniform in +-1/sqrt(fan-in) from a fixed generator, synthesis output
// bias at the mean weighted target, context model predicting mean 0 and scale 1.
TrainState initialState(const TrainTarget& target, const Config& config, std::uint32_t seed);

// Optimises `state` in place. Progress is reported over [progressFrom, progressTo].
Status train(const TrainTarget& target, const TrainOptions& options, TrainState& state,
             const CodecContext& context, double progressFrom, double progressTo);

}  // namespace lmc::overfit
