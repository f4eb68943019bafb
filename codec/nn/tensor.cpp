#include "codec/nn/tensor.h"

#include <cstdlib>
#include <cstring>

#if defined(__linux__)
#include <sys/mman.h>
#endif

#include "codec/nn/fp_env.h"

namespace lmc::nn {

namespace detail {

void* allocateActivations(std::size_t bytes) {
    if (bytes < kHugeActivationBytes) return ::operator new(bytes);
    if (bytes > std::size_t(-1) - kHugePageBytes) throw std::bad_alloc();
    const std::size_t rounded = (bytes + kHugePageBytes - 1) / kHugePageBytes * kHugePageBytes;
    void* p = std::aligned_alloc(kHugePageBytes, rounded);
    if (!p) throw std::bad_alloc();
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    (void)madvise(p, rounded, MADV_HUGEPAGE);  // advice only: a refusal leaves ordinary pages
#endif
    return p;
}

void freeActivations(void* p, std::size_t bytes) noexcept {
    if (bytes < kHugeActivationBytes)
        ::operator delete(p);
    else
        std::free(p);
}

}  // namespace detail

Tensor::Tensor(int h_, int w_, int c_) {
    if (h_ < 0 || w_ < 0 || c_ < 0) return;
    h = h_;
    w = w_;
    c = c_;
    data.assign(std::size_t(h) * std::size_t(w) * std::size_t(c), 0.0f);
}

bool Tensor::reshapeForOverwrite(int h_, int w_, int c_) {
    if (h_ < 0 || w_ < 0 || c_ < 0) {
        *this = Tensor();
        return false;
    }
    h = h_;
    w = w_;
    c = c_;
    data.resize(std::size_t(h) * std::size_t(w) * std::size_t(c));
    return true;
}

bool Tensor::valid() const {
    return h > 0 && w > 0 && c > 0 && data.size() == std::size_t(h) * std::size_t(w) * std::size_t(c);
}

Tensor pixelShuffle(const Tensor& in, int r) {
    Tensor out;
    pixelShuffleInto(in, r, out);
    return out;
}

void pixelShuffleInto(const Tensor& in, int r, Tensor& out) {
    if (r < 1 || !in.valid() || in.c % (r * r) != 0 || &in == &out) {
        out = Tensor();
        return;
    }
    const int oc = in.c / (r * r);
    out.reshapeForOverwrite(in.h * r, in.w * r, oc);  // keeps the capacity; every value is written below
    const int rr = r * r;
    for (int y = 0; y < out.h; ++y) {
        const int i = y % r;
        for (int x = 0; x < out.w; ++x) {
            const float* src = in.at(y / r, x / r) + i * r + x % r;
            float* dst = out.at(y, x);
            for (int c = 0; c < oc; ++c) dst[c] = src[c * rr];
        }
    }
}

Tensor pixelUnshuffle(const Tensor& in, int r) {
    if (r < 1 || !in.valid() || in.h % r != 0 || in.w % r != 0) return {};
    Tensor out(in.h / r, in.w / r, in.c * r * r);
    for (int y = 0; y < out.h; ++y)
        for (int x = 0; x < out.w; ++x) {
            float* dst = out.at(y, x);
            for (int c = 0; c < in.c; ++c)
                for (int i = 0; i < r; ++i)
                    for (int j = 0; j < r; ++j) dst[(c * r + i) * r + j] = in.at(y * r + i, x * r + j)[c];
        }
    return out;
}

void addInPlace(Tensor& a, const Tensor& b) {
    if (!a.sameShape(b) || a.data.size() != b.data.size()) return;
    const detail::FloatEnvGuard floatEnv;
    float* pa = a.data.data();
    const float* pb = b.data.data();
    const std::size_t n = a.data.size();
    for (std::size_t i = 0; i < n; ++i) pa[i] = pa[i] + pb[i];
}

void applyActivation(Tensor& t, Activation a, float slope) {
    if (a == Activation::None) return;
    const detail::FloatEnvGuard floatEnv;
    for (float& v : t.data) v = activate(v, a, slope);
}

}  // namespace lmc::nn
