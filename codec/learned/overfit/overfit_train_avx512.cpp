// The overfit training kernels (overfit_train_kernels.h) for AVX-512 (F, VL, BW, DQ) with 512-bit vectors,
// compiled with those flags on x86-64 (LMC_OVERFIT_AVX512 set by the build) and used only where the CPU reports
// them.
#include <algorithm>
#include <cmath>

#include "codec/learned/overfit/overfit_train_kernels.h"

namespace lmc::overfit::detail {
#if defined(LMC_OVERFIT_AVX512)
namespace avx512 {
#define LMC_OVERFIT_VW 16
#include "codec/learned/overfit/overfit_train_kernels.inc"
#undef LMC_OVERFIT_VW
}  // namespace avx512

const Kernels* avx512Kernels() {
    static const Kernels k{"avx512", &avx512::synthRow, &avx512::armRow};
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
                   __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq")
               ? &k
               : nullptr;
}
#else
const Kernels* avx512Kernels() {
    return nullptr;
}
#endif
}  // namespace lmc::overfit::detail
