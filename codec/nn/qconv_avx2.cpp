// AVX2 build of the INT8 convolution row kernel (-mavx2, -ffp-contract=off, no -mfma). Includes nothing that could
// emit a shared inline function.
#include "codec/nn/qconv_job.h"

#if defined(__AVX2__)
namespace {
#define LMC_QNN_VEC_BYTES 32
#include "codec/nn/qconv_kernel_impl.h"
}  // namespace
#endif

namespace lmc::nn::detail {

#if defined(__AVX2__)
bool qavx2KernelCompiled() {
    return true;
}
void qconvRowAvx2(const QRowJob& job) {
    qconvRow(job);
}
#else
bool qavx2KernelCompiled() {
    return false;
}
void qconvRowAvx2(const QRowJob& job) {
    qconvRowGeneric(job);
}
#endif

}  // namespace lmc::nn::detail
