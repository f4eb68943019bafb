// Internal to codec/nn: the plain-data interface between qconv.cpp and the integer kernel TUs (qconv_avx2.cpp is
// compiled with -mavx2 and includes nothing but this header, like conv_job.h; qconv_avx512.cpp adds only
// <immintrin.h>'s always-inline intrinsics).
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
    // Output value (ox, channel k) goes to out[ox * pixelOut + offset[k]]: without a shuffle out is the row,
    // pixelOut = outC and offset[k] = k; with one (factor r, C channels after it) out is the first of the r output
    // rows, pixelOut = r * C and offset[k] = i * (row floats) + j * C + c for k = (i * r + j) * C + c. offset has
    // outC entries rounded up to a multiple of 32 (the extra ones 0, never stored).
    float* out = nullptr;
    long pixelOut = 0;
    const std::int32_t* offset = nullptr;
    bool contiguous16 = false;  // offset[16 n + l] = offset[16 n] + l for every 16-lane group: plain vector stores
    int activation = 0;         // 0 none, 1 relu, 2 leaky relu
    float slope = 0.0f;
};

void qconvRowGeneric(const QRowJob& job);
bool qavx2KernelCompiled();
void qconvRowAvx2(const QRowJob& job);
bool qavx512KernelCompiled();
void qconvRowAvx512(const QRowJob& job);  // AVX-512 F/BW/VL/VNNI

}  // namespace lmc::nn::detail
