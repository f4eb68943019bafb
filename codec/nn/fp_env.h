// Internal to codec/nn: pins the SSE floating-point environment to the IEEE default for the kernels' duration.
//
// The operation order only fixes the bits if every multiply and add also rounds the same way: round-to-nearest,
// no flush-to-zero, no denormals-are-zero. A caller (or a library it uses) may have changed MXCSR on its thread, and
// new threads inherit it, so the kernels set the default themselves and restore the caller's state afterwards.
#pragma once

#if defined(__x86_64__) || defined(__i386__)
#include <xmmintrin.h>
#endif

namespace lmc::nn::detail {

class FloatEnvGuard {
public:
#if defined(__x86_64__) || defined(__i386__)
    FloatEnvGuard() : saved_(_mm_getcsr()) {
        _mm_setcsr(kIeeeDefault);
    }
    ~FloatEnvGuard() {
        _mm_setcsr(saved_);
    }

private:
    static constexpr unsigned kIeeeDefault = 0x1f80;  // all exceptions masked, round to nearest, no FTZ/DAZ
    unsigned saved_;
#else
    FloatEnvGuard() = default;
#endif
public:
    FloatEnvGuard(const FloatEnvGuard&) = delete;
    FloatEnvGuard& operator=(const FloatEnvGuard&) = delete;
};

}  // namespace lmc::nn::detail
