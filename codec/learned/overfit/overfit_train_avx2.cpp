// The overfit training kernels (overfit_train_kernels.h) for AVX2 + FMA, compiled with -mavx2 -mfma on x86-64
// (LMC_OVERFIT_AVX2 set by the build) and used only where the CPU reports both.
#include <algorithm>
#include <cmath>

#include "codec/learned/overfit/overfit_train_kernels.h"

namespace lmc::overfit::detail {
#if defined(LMC_OVERFIT_AVX2)
namespace avx2 {
#define LMC_OVERFIT_VW 8
#include "codec/learned/overfit/overfit_train_kernels.inc"
#undef LMC_OVERFIT_VW
}  // namespace avx2

const Kernels* avx2Kernels() {
    static const Kernels k{"avx2+fma", &avx2::synthRow, &avx2::armRow};
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") ? &k : nullptr;
}
#else
const Kernels* avx2Kernels() {
    return nullptr;
}
#endif
}  // namespace lmc::overfit::detail
