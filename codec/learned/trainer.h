// Training of the learned codecs (`lmc train`): patch sampling from EXR lightmaps, a rate-distortion loss with
// lambda sampled over the rate range, Adam, checkpoints and resume, a CSV log and held-out validation.
//
// Data: every EXR under the --data paths (files or folders, recursive). Each image is transformed once exactly as
// the codec does (exposure scale, log transform, pull-push fill of uncovered texels, padding to 64); patches are
// sampled with probability proportional to sqrt(texels) per image, with a random exposure change of +-2 stops
// (applied in the linear domain), flips and 90-degree rotations; patches with under 5% coverage are re-drawn.
// Loss per sample: bits / texels + lambda(r) * MSE over covered texels in the transformed domain, with
// r ~ U(0, 1) and lambda(r) = lambdaMin * (lambdaMax / lambdaMin)^r, so one model learns the whole rate range.
// GAN (family gan): starts from a vae model (--init) and trains only the synthesis against a latent-conditioned
// PatchGAN discriminator (non-saturating loss, weight ganWeight) plus the same lambda-weighted MSE as the vae's loss
// (optionally plus ssimWeight x (1 - SSIM));
// the encoder and entropy model stay frozen, so gan streams have the vae's rate and differ only in the decoder.
//
// Files: <out> is the inference model (kind=model), rewritten at each checkpoint; <out>.ckpt the checkpoint (all
// training parameters, Adam moments, step, elapsed time, the RNG seed sequence; our portable weight format, so a
// run started on a GPU machine resumes on the CPU); <out>.log.csv the log.
//
// Threading: train() blocks the calling thread; LibTorch uses `threads` intra-op threads (1 recommended on two
// cores, see learned-codecs notes). Cancellation through the token finishes with a checkpoint.
// Errors: Result; LibTorch exceptions are caught and returned as Internal errors.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "codec/codec.h"
#include "codec/learned/model_spec.h"

namespace lmc::learned {

struct TrainOptions {
    Family family = Family::Hyperprior;
    ModelConfig config;  // family is overwritten by `family`
    std::vector<std::string> data;
    std::vector<std::string> validation;  // held-out files or folders (never sampled for training)
    std::string out;                      // inference model path
    std::string resume;                   // checkpoint to continue from
    std::string init;                     // model or checkpoint to start from (gan: the vae model)
    double minutes = 10;
    std::int64_t maxSteps = 0;            // 0 = until `minutes`
    int batch = 8;
    int patch = 128;                      // multiple of 64
    double learningRate = 1e-3;
    double lambdaMin = 500;
    double lambdaMax = 64000;
    double ganWeight = 2.0;
    // gan only: weight of (1 - SSIM) beside the MSE in the lambda-weighted distortion (SSIM in the transformed
    // domain, covered texels). The gan's decoder is judged on visible structure, not squared error alone.
    double ssimWeight = 0.0;
    double checkpointMinutes = 5;
    std::uint64_t seed = 1;
    int threads = 1;
    std::string device = "cpu";
    const CancelToken* cancel = nullptr;
};

struct TrainProgress {
    std::int64_t step = 0;
    double elapsedSeconds = 0;
    double fraction = 0;   // of the time or step budget
    double loss = 0, bpp = 0, mse = 0;
    std::string message;   // a log line (validation results, checkpoints), empty for plain progress
};

struct TrainSummary {
    std::int64_t steps = 0;       // this run
    std::int64_t totalSteps = 0;  // including the resumed checkpoint's
    double seconds = 0;
    double secondsPerStep = 0;
    double lastLoss = 0;
    std::vector<std::string> validationLines;
};

Result<TrainSummary> train(const TrainOptions& options, const std::function<void(const TrainProgress&)>& progress);

}  // namespace lmc::learned
