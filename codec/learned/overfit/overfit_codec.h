// The "overfit" codec: a learned codec optimised for each map (Cool-chic / C3 style), with no training set and no
// LibTorch. Encoding trains latent grids, a synthesis MLP and an autoregressive context model on this one map
// (overfit_train.h: our own forward/backward passes), quantises them and writes them all into the stream; decoding
// runs the two tiny networks (overfit_model.h: model, tables, deterministic inference). Default layout: six
// one-channel latent grids at 1/2 .. 1/64 of the map's resolution, synthesis 6 -> 16 -> 16 -> 3, context model
// 12 -> 16 -> 2 (about 700 weights).
//
// Domain: the learned codecs' HDR transform (learned_codec.h): t = (log2(1 + x / s) - 1) / 2 per channel with the
// exposure scale s = exposureScale(image) / kTransformScaleDivisor stored in the stream; decoded
// x = s (2^(2t + 1) - 1) through the deterministic exp2, clamped to [0, 65504]. Input clean-up: NaN -> 0,
// +-Inf -> +-65504, negatives -> 0 (traits().keepsNegatives is false). The distortion counts only the texels of the
// encoder's mask (the visible texels when called through encodeImage); the others cost nothing and decode to whatever
// the networks make there. Exactly black texels (every channel <= 0: unused atlas space, texels no light reaches)
// must decode as exact zeros. When their map is cheap (learned/bit_map.h, at most kMaxBlackMapBitsPerTexel; texels
// outside the mask are the coder's free choice) the stream carries it: the decoder zeroes those texels and the loss
// ignores them, so the synthesis need not fall from a chart's light to the black clamp at every chart edge (that
// cliff made it step and dither across smooth light). Otherwise (black texels scattered through the charts, where
// the map would cost up to a bit each) they get a one-sided loss towards t = -0.625: the decoder's clamp turns any
// t <= -1/2 into an exact 0.
//
// Loss weights (overfit_train.h LossWeights): the mask, times the factor that measures t's error at the knee
// exposureScale(image) (log-PSNR's domain), plus kDarkWeight times the dark-texel factor down to kDarkFloor below
// the knee, so the loss leans towards the relative error mPSNR measures on dark texels, at some cost in log-PSNR
// (chosen on training maps, not on the held-out ones).
//
// Parameters: `rate` in [0, 1] (the slider) sets the rate-distortion weight of the training loss
// L = MSE(t) + lambda * latent bits per texel, lambda = 10^(kLambdaLog10AtRate0 - kLambdaDecades * rate) = 10^(-4
// rate): higher rate, lower lambda, more bits. The weights' precision is then chosen per layer (exponent 4..14) to
// minimise MSE + lambda * (latent + weight bits) / texels, and the latents' rounding is revised for the same loss
// with the quantised networks (overfit_rdoq.h: each latent one step up or down where that lowers it). `iterations`
// is the effort: optimisation steps, each training the synthesis on every kSynthRowStride-th texel row and the
// context model on every latent (encode time grows linearly with it and with the texel count; quality rises with
// it).
//
// Stream: our .lmc container (codec id "overfit", width, height, parameter text), payload:
//   u8 version (1: no black map, 2: a black map), u8 levels (1..8), u8 first level (0..3), u8 synthesis width
//   (1..64), u8 context-model width (1..64), f32 exposure scale (1e-30..1e30), [version 2: u32 length and the black
//   map's stream (learned/bit_map.h; 1 = the texel decodes as exact zeros)], then for each of the 5 layers
//   (synthesis 0..2, context model 0..1) u8 weight exponent e (0..20; values are integers times 2^-e, |integer| <
//   2^24) and u8 Gaussian table (0..63 of entropy/gaussian_conditional.h), then one rANS stream (entropy/rans.h) to
//   the end of the payload: each layer's weights then biases with its Gaussian table, then every latent grid
//   (finest first, raster order), each value coded against the Laplace table its context-model prediction selects
//   (overfit_model.h).
//
// Warm start: with a CodecCache in the context (codec_cache.h: one per image, kept by lmstudio's workspace and by
// `lmc eval` per file), every finished optimisation is kept ("overfit.states", the 16 latest), and an encode of the
// same image, mask and `iterations` at another rate starts from the nearest finished rate's state and runs
// kWarmFraction of the iterations; at a rate already finished it reuses that state without training. A warm
// stream has the same format and decodes like any other, but its bits depend on what the cache held (a sweep's
// order); without a cache every encode starts from the fixed initialisation.
//
// Interim streams: with CodecContext::interim set, the optimisation hands over the stream of its state so far on an
// InterimSchedule (latents rounded, a shorter weight-precision search); they decode like any stream. Training is
// not changed by them, so the final stream is the same with or without.
//
// Threading: encode/decode are const and thread-safe. The optimisation and the synthesis use
// context.resolvedThreads() threads; the context-model decode is sequential. The optimisation reduces its sums in
// a fixed order, so on one machine the stream does not depend on the thread count; decoded texels are identical
// for any thread count and CPU. Progress: the optimisation is 0..0.9 of the encode, cancellation polled every
// step; decoding polls it every latent row. Errors: Result/Status; Cancelled when the token fires; damaged or
// truncated streams give CorruptData; out of memory gives Internal.
#pragma once

#include <memory>

#include "codec/codec.h"
#include "codec/learned/overfit/overfit_train.h"

namespace lmc::overfit {

constexpr double kLambdaLog10AtRate0 = 0.0;
constexpr double kLambdaDecades = 4.0;
// A warm-started encode runs this fraction of `iterations` from the nearest finished rate's state.
constexpr double kWarmFraction = 0.5;
// Each optimisation step trains the synthesis on every kSynthRowStride-th texel row (overfit_train.h rowStride).
// Why: quality per second of encoding. A step then costs about half a full-image step (the context model still
// sees every latent), and the noisier gradients cost less than the extra steps gain: on training-map crops at equal
// encode time (2200 such steps against 1000 full ones) it reached 1 to 3 dB more log-PSNR at the same bits.
constexpr int kSynthRowStride = 4;
// The default effort, in such steps: about 3 minutes per megapixel on 2 cores for one cold encode. Why not less:
// on training-map crops (a sweep of rates 0-0.9, warm-started, Pareto fronts against AVIF) 6000 steps needed about
// 20% fewer bits than 2000 at equal log-PSNR, mPSNR and PU21-PSNR. Why not more: 12000 were no better by that
// measure (within its run-to-run noise), at twice the time.
constexpr int kDefaultIterations = 6000;
// The transform's exposure scale is the learned codecs' exposureScale divided by this (the knee of the loss stays at
// exposureScale: overfit_train.h LossWeights). Why: at the knee, texels 8 to 12 stops darker sit within 1e-3 of
// t = -1/2, where synthesis errors and weight rounding clamp them to 0 or double them; 6 stops lower they have room.
// Chosen with the dark weight and floor below on training-map crops, where together they lowered BD-rate against
// AVIF on log-PSNR, mPSNR and PU21 alike (resources/models/README.md has the figures).
constexpr double kTransformScaleDivisor = 64.0;
// Loss weights (overfit_train.h LossWeights): relative error counts down to kDarkFloor below the knee.
constexpr double kDarkWeight = 0.2;
constexpr double kDarkFloor = 64.0;
// The stream carries an exact-black map (its texels decode as 0 and cost nothing in the loss, so the synthesis
// need not fall from lit values to the black clamp at every chart edge) when the map costs at most this many bits
// per texel; otherwise black texels keep their one-sided loss.
constexpr double kMaxBlackMapBitsPerTexel = 0.02;
// Sweeps of the latents' rate-distortion optimised quantisation (overfit_rdoq.h) before a final stream: the second
// revisits the decisions the first changed around it (a third changes a handful more).
constexpr int kRdoqPasses = 2;

// When an encode hands interim streams to CodecContext::interim: the first after firstSeconds of optimisation, each
// next one when the time since the encode started has grown by `growth` (so making them costs a bounded share of
// the encode). The default suits the app (a first picture within seconds); tests set their own through
// CodecContext::extensions.
struct InterimSchedule {
    double firstSeconds = 2.0;
    double growth = 2.0;
};
double lambdaForRate(double rate);

// What the encoder trains on: the image's target at the transform's scale exposureScale(image) /
// kTransformScaleDivisor (written to `scale`: the stream's), with the knee at exposureScale(image) and the dark term
// (kDarkWeight, kDarkFloor). Benchmarks that time or tune the optimisation start from it too.
TrainTarget encoderTarget(const ImageView& image, float& scale);

std::unique_ptr<Codec> makeOverfitCodec();

}  // namespace lmc::overfit
