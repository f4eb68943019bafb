// Internal to codec/nn: the plain-data interface between qconv.cpp and the integer kernel TUs (qconv_avx2.cpp is
// compiled with -mavx2 and includes nothing but this header, like conv_job.h).
#pragma once

#include <cstdint>

namespace lmc::nn::detail {

// One output row of an INT8 convolution. `rows` holds the kernel's quantised input rows, zero-padded: row ky starts
// at rows + ky * rowStride; output pixel ox, tap ky reads taps values from rows + ky * rowStride + ox * pixelStep
// (taps = kernel * inC rounded up to a multiple of 16; the values past kernel * inC meet zero weights, and the
// buffer has that much slack after the last row). Output channels go in blocks of 32 lanes, then blocks of 8 for the
// rest (zero weights past outC); a block's weights are [ky][taps / 2][lane][2] int8 values held in int16, so one
// pmaddwd of a broadcast pair of input taps with a weight vector adds two taps to every lane.
struct QRowJob {
    const std::int16_t* rows = nullptr;
    long rowStride = 0, pixelStep = 0;
    int kernel = 0, taps = 0;
    int outW = 0, outC = 0;
    int blocks32 = 0, blocks8 = 0;
    const std::int16_t* weights = nullptr;
    const float* scale = nullptr;  // [oc] input scale x weight scale
    const float* bias = nullptr;   // [oc]
    float* out = nullptr;          // outW pixels of outC floats
    int activation = 0;            // 0 none, 1 relu, 2 leaky relu
    float slope = 0.0f;
};

void qconvRowGeneric(const QRowJob& job);
bool qavx2KernelCompiled();
void qconvRowAvx2(const QRowJob& job);

}  // namespace lmc::nn::detail
