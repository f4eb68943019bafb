// AVX2 build of the convolution row kernel (compiled with -mavx2 -ffp-contract=off and, deliberately, no -mfma:
// the bits must equal those of the baseline build). Includes nothing that could emit a shared inline function.
#include "codec/nn/conv_job.h"

#if defined(__AVX2__)
namespace {
#define LMC_NN_VEC_BYTES 32
#include "codec/nn/conv_kernel_impl.h"
}  // namespace
#endif

namespace lmc::nn::detail {

#if defined(__AVX2__)
bool avx2KernelCompiled() {
    return true;
}
// 2 pixels x 32 channels (8 ymm accumulators) measured fastest on an AMD EPYC (Zen 1): 20% above 6 x 16, which
// spends more of the load ports on broadcasts.
void convRowAvx2(const RowJob& job) {
    convRowBlocked<2, 4, 6>(job);
}
#else
bool avx2KernelCompiled() {
    return false;
}
void convRowAvx2(const RowJob& job) {
    convRowGeneric(job);
}
#endif

}  // namespace lmc::nn::detail
