// The portable overfit training kernels (overfit_train_kernels.h), vectorised for the target's base instruction set.
#include <algorithm>
#include <cmath>

#include "codec/learned/overfit/overfit_train_kernels.h"

namespace lmc::overfit::detail {
namespace generic {
#define LMC_OVERFIT_VW 4
#include "codec/learned/overfit/overfit_train_kernels.inc"
#undef LMC_OVERFIT_VW
}  // namespace generic

const Kernels& genericKernels() {
    static const Kernels k{"generic", &generic::synthRow, &generic::armRow};
    return k;
}

}  // namespace lmc::overfit::detail
