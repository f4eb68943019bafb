// Internal to the overfit optimisation (overfit_train.cpp): the per-row forward/backward kernels of one training
// step, compiled once per instruction set (overfit_train_kernels.inc included by a generic, an AVX2+FMA and an
// AVX-512 translation unit) and chosen at run time. They differ only in float rounding (FMA, vector width), so
// training results depend on the kernel set; the decoder never runs them. Threading: a kernel call touches only its
// row's outputs (StepData documents which); the StepData is shared read-only. No errors.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "codec/learned/overfit/overfit_model.h"

namespace lmc::overfit::detail {

struct StepData {
    int width = 0, height = 0;
    Config config;
    const Networks* net = nullptr;
    std::size_t paramCount = 0;
    std::size_t offW[Networks::kLayerCount] = {}, offB[Networks::kLayerCount] = {};
    const GridShape* grids = nullptr;
    const std::vector<float>* yhat = nullptr;  // per grid, the quantisation proxy of the latents
    const std::vector<Tap>* xTaps = nullptr;   // per grid
    // The x taps again as separate arrays (per grid: i0, i1, w of every texel column), for vector gathers.
    const std::vector<int>* xI0 = nullptr;
    const std::vector<int>* xI1 = nullptr;
    const std::vector<float>* xW = nullptr;
    const std::vector<Tap>* yTaps = nullptr;
    // Target (3 floats per texel), weights, black flags (may be null).
    const float* target = nullptr;
    const float* weight = nullptr;
    const std::uint8_t* black = nullptr;
    float distScale = 0.0f;
    double rateScale = 0.0;
    // Synthesis row y writes synthGrad[y * paramCount ..], rowDist[y], and row y of every rowGrad[k].
    float* synthGrad = nullptr;
    double* rowDist = nullptr;
    std::vector<float>* rowGrad = nullptr;  // per grid, grid width x H: d L / d (grid upsampled vertically only)
    // Context-model task (grid, row) writes armGrad[task * paramCount ..], armBits[task], row `row` of dyhat[grid]
    // (+= its rate gradient) and of dctx[grid] (d L / d context, planar per row: 12 x grid width).
    const std::pair<int, int>* armRows = nullptr;
    float* armGrad = nullptr;
    double* armBits = nullptr;
    std::vector<float>* dyhat = nullptr;
    std::vector<float>* dctx = nullptr;
};

struct Kernels {
    const char* name;
    void (*synthRow)(const StepData& data, int y);
    void (*armRow)(const StepData& data, int task);
};

const Kernels& genericKernels();
// Null when not compiled for this target.
const Kernels* avx2Kernels();
const Kernels* avx512Kernels();

}  // namespace lmc::overfit::detail
