// Baseline build of the convolution row kernel: 128-bit vectors (SSE2 on x86-64, NEON elsewhere). Compiled with
// -ffp-contract=off.
#include "codec/nn/conv_job.h"

namespace {
#define LMC_NN_VEC_BYTES 16
#include "codec/nn/conv_kernel_impl.h"
}  // namespace

namespace lmc::nn::detail {

// Register blocks for 16 xmm registers (8 to 12 accumulators), tuned on an AMD EPYC (Zen 1).
void convRowGeneric(const RowJob& job) {
    convRowBlocked<1, 3, 4>(job);
}

}  // namespace lmc::nn::detail
