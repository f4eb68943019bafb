// Internal to codec/nn: the plain-data interface between conv.cpp and the SIMD kernel TUs.
//
// The kernel TUs (conv_generic.cpp, conv_avx2.cpp) are compiled with different -m flags. They include nothing but
// this header and keep everything in anonymous namespaces, so no inline function or template instantiation built
// with AVX2 can be merged by the linker into code that runs on a CPU without it.
#pragma once

namespace lmc::nn::detail {

// Output channels are processed in blocks of 32, then 16, then 8 lanes (BlockPlan); the packed bias is the blocks'
// lanes in order and the packed weights are, block after block, [ky][kx][ic][width], zero-filled past outChannels.
// Every block but the last is full, so a block's first output channel is also its lane offset.
struct BlockPlan {
    int n32 = 0, n16 = 0, n8 = 0;
    int lanes() const { return 32 * n32 + 16 * n16 + 8 * n8; }
};

// One output row. `rows` holds the kernel's input rows already zero-padded: row ky (0..kernel-1) starts at
// rows + ky * rowStride and has (outW - 1) * stride + kernel pixels of inC floats each.
struct RowJob {
    const float* rows = nullptr;
    long rowStride = 0;
    int inC = 0, kernel = 0, stride = 0;
    int outW = 0, outC = 0;
    BlockPlan plan;
    const float* bias = nullptr;     // packed bias
    const float* weights = nullptr;  // packed weights
    float* out = nullptr;            // the output row: outW pixels of outC floats
    int activation = 0;              // 0 none, 1 relu, 2 leaky relu
    float slope = 0.0f;
};

void convRowGeneric(const RowJob& job);
// False when this build has no AVX2 kernel (non-x86 targets).
bool avx2KernelCompiled();
// Whether this CPU runs AVX2 (cached; false off x86). The FP32 and INT8 kernels both ask it.
bool cpuHasAvx2();
// Whether this CPU (and OS) runs AVX-512 F, BW, VL and VNNI (the INT8 kernel's vpdpwssd); cached.
bool cpuHasAvx512Vnni();
void convRowAvx2(const RowJob& job);

}  // namespace lmc::nn::detail
