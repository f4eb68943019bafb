// Rate-distortion optimised quantisation (RDOQ) of the overfit codec's latents: the encoder's last step before the
// stream. The optimisation (overfit_train.h) ends with latents rounded to the nearest integer; rounding one of them
// a step the other way can lower the loss the optimisation minimised, L = D + lambda * R (the weighted squared
// error of the target and the context model's bits, with the quantised networks the stream carries), because the
// nearest integer ignores both what the step costs in bits (its own symbol and the predictions of the later latents
// whose context holds it) and how the synthesis undoes part of the error of its neighbours. Greedy: every latent,
// coarsest grid first and in coding order, tries +1 and -1 and keeps the better if it lowers L, measured exactly on
// the texels its upsampling reaches (the per-texel synthesis run again there) and on the 13 symbols whose tables it
// touches. The decoder is unchanged: it reads integers, however they were chosen.
//
// Threading: one thread (the order of the greedy decisions is the result); pure apart from its arguments.
// Deterministic for a given input (texels, weights, networks and latents). Errors: Cancelled (polled every latent
// row), InvalidArgument when the shapes do not match.
#pragma once

#include <cstddef>
#include <vector>

#include "codec/codec.h"
#include "codec/learned/overfit/overfit_model.h"
#include "codec/learned/overfit/overfit_train.h"

namespace lmc::overfit {

struct RdoqResult {
    std::size_t changed = 0;          // latents moved off their rounding
    double lossBefore = 0.0;          // L of the latents as given, in the training's units (D + lambda * bits / texels)
    double lossAfter = 0.0;           // L of the latents returned
};

// Improves the integer `latents` (gridShapes order) of `networks` for `target` in place; `passes` sweeps over
// every grid (each later one revisits the decisions the earlier changed around it). lambda as TrainOptions.
Result<RdoqResult> rdoqLatents(const Config& config, const Networks& networks, const TrainTarget& target,
                               double lambda, int passes, std::vector<std::vector<float>>& latents,
                               const CancelToken* cancel = nullptr);

}  // namespace lmc::overfit
