// The per-map optimisation of the overfit codec (overfit_model.h): latent grids, synthesis MLP and context model
// trained together on one image by Adam on the rate-distortion loss
//   L = D + lambda * R,  D = weighted mean squared error of t over the three channels (weights: the visible mask,
//                        optionally leaning on dark texels: makeTrainTarget),
//                        R = estimated latent bits per texel under the context model's Laplace distributions.
// Our own fused forward and backward passes in plain C++: per-row kernels (overfit_train_kernels.h) compiled for
// the portable target, AVX2+FMA and AVX-512 and chosen at run time (TrainKernels); they may use FMA and
// re-associated sums: only the decoder must be bit-exact.
//
// Schedule: `iterations` full-image steps; learning rates follow a cosine from their start value to 0; the first
// `noiseFraction` of the steps see latents plus uniform noise in [-1/2, 1/2) (noise drawn from a hash of step,
// grid and index, so it does not depend on threads); then, with softRound, C3's soft-rounding with noise
// s(s(y) + u) (Kim et al. 2023) with the temperature annealed from 0.3 to 0.05, and the last 5% of the steps hard
// rounding with a straight-through gradient (without softRound, hard rounding right after the noise).
// Threading: context.resolvedThreads() workers over texel rows and latent rows; every row's gradient goes to its
// own buffer and the buffers are summed in row order, so the result does not depend on the thread count (for a
// given kernel set).
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

// The target of an image in the transformed domain t (learned_codec.h) at exposure scale `scale`: weights 1 on the
// image's covered texels; NaN -> 0, values clamped to [0, 65504]. Exactly black texels (every channel <= 0: unused
// atlas space, texels no light reaches) must decode to exact zeros (a near-black texel is a large error at mPSNR's
// bright exposures); the decoder clamps t <= -1/2 to 0, so they get the one-sided target kBlackTarget and no map.
//
// LossWeights shape the weight of a covered, not black texel of luminance L (1 when left at their defaults):
//  * kneeScale S > 0 (0: S = scale) is the scale at which the loss turns from linear to logarithmic, as log-PSNR's
//    log2(1 + x / S). The factor ((scale + L) / (S + L))^2 turns the squared error in t into the squared error in
//    that domain, so the transform's scale may sit below S: dark texels then have room in t (their values stay well
//    above the decoder's clamp and the weights' precision) while the loss weighs them as at S.
//  * darkWeight > 0 adds darkWeight * ((L + S) / max(L, S / darkFloor))^2 inside that factor: the squared error in
//    the log domain times it is the squared relative error (dL / L) down to S / darkFloor, what mPSNR's exposure
//    sweep averages, which log-PSNR underweights on dark texels.
struct LossWeights {
    double kneeScale = 0.0;
    double darkWeight = 0.0;
    double darkFloor = 8.0;
};
constexpr float kBlackTarget = -0.625f;
TrainTarget makeTrainTarget(const ImageView& image, float scale, const LossWeights& weights = {});

// The distortion term of texel i for the synthesis output `out` (its 3 values in t): the squared error times the
// texel's weight, one-sided at exactly black texels. D = the sum over texels / (3 * the sum of the weights). The
// encoder's decisions after the optimisation (weight precision, RDOQ) measure it so, as the training kernels do.
double texelDistortion(const TrainTarget& target, std::size_t i, const float* out);

// Which compiled set of training kernels runs the steps: Auto = the widest the CPU supports. The sets round
// differently (vector width, FMA), so the trained streams differ between them; each is deterministic for a given
// thread count. Decoding never depends on it.
enum class TrainKernels { Auto, Generic, Avx2, Avx512 };
// Whether a set is compiled in and supported by this CPU (Auto and Generic always are), and its name
// ("generic", "avx2+fma", "avx512"; Auto names the set it resolves to).
bool trainKernelsAvailable(TrainKernels kernels);
std::string trainKernelName(TrainKernels kernels = TrainKernels::Auto);

struct TrainState;

struct TrainOptions {
    Config config;
    TrainKernels kernels = TrainKernels::Auto;
    double lambda = 1e-4;
    int iterations = 1000;
    double learningRate = 0.05;
    double latentLearningRate = 0.2;
    double noiseFraction = 0.3;
    bool softRound = true;
    std::uint32_t seed = 1;
    // Each step trains the synthesis on every rowStride-th texel row (phase drawn per step) and the context model on
    // every latent: about rowStride times cheaper synthesis steps with noisier distortion gradients.
    int rowStride = 1;
    // Called every `logEvery` steps with a line of statistics (tuning and benchmarks only).
    std::function<void(const std::string&)> log;
    int logEvery = 100;
    // Called on the calling thread after every step with the state so far and the number of steps done (interim
    // streams); the optimisation waits for it and is not changed by it.
    std::function<void(const TrainState&, int)> afterStep;
};

struct TrainState {
    Networks networks;
    std::vector<std::vector<float>> latents;  // continuous, one per grid (gridShapes order)
};

// Fresh initialisation: latents 0, layers uniform in +-1/sqrt(fan-in) from a fixed generator, synthesis output
// bias at the mean weighted target, context model predicting mean 0 and scale 1.
TrainState initialState(const TrainTarget& target, const Config& config, std::uint32_t seed);

// Optimises `state` in place. Progress is reported over [progressFrom, progressTo].
Status train(const TrainTarget& target, const TrainOptions& options, TrainState& state, const CodecContext& context,
             double progressFrom, double progressTo);

}  // namespace lmc::overfit
