// Tensors and the cheap element-wise layers of the learned codecs' CPU inference (lmc::nn).
//
// Inference for the learned codecs runs in our own kernels, not in LibTorch, so that decoding gives bit-identical
// texels on every machine, with any thread count and any SIMD path: every output value is computed with a fixed
// sequence of IEEE-754 operations (the TUs are built with -ffp-contract=off, never -ffast-math). Tensors are single
// images with channels innermost (HWC), which is what the convolution kernels want.
//
// Threading: the functions here are single-threaded and reentrant; distinct tensors may be used from distinct threads.
// Errors: none are reported; the shape preconditions are documented per function (a violated one leaves the output
// empty or unchanged, never UB).
#pragma once

#include <cstddef>
#include <memory>
#include <new>
#include <utility>
#include <vector>

namespace lmc::nn {

namespace detail {
// Activation buffers of kHugeActivationBytes and more are aligned to 2 MiB and, on Linux, marked for transparent
// huge pages (madvise MADV_HUGEPAGE; nothing changes where the system does not offer them). Why: a decode's tensors
// are megabytes, freshly mapped on every call, and each 4 KiB page first touched costs a fault (costly
// in a virtual machine): one fault per 2 MiB page instead of 512. Throws std::bad_alloc.
constexpr std::size_t kHugeActivationBytes = std::size_t(4) << 20;
constexpr std::size_t kHugePageBytes = std::size_t(2) << 20;  // their alignment
[[gnu::returns_nonnull]] void* allocateActivations(std::size_t bytes);
void freeActivations(void* p, std::size_t bytes) noexcept;
}  // namespace detail

// An allocator whose resize() leaves new floats uninitialised: layer outputs are overwritten value by value, and
// zeroing megabytes per layer only to overwrite them costs as much as a small layer's arithmetic. Large buffers get
// huge pages (detail::allocateActivations).
template <class T>
struct UninitializedAllocator : std::allocator<T> {
    template <class U>
    struct rebind {
        using other = UninitializedAllocator<U>;
    };
    UninitializedAllocator() = default;
    template <class U>
    UninitializedAllocator(const UninitializedAllocator<U>&) noexcept {}
    T* allocate(std::size_t n) {
        static_assert(alignof(T) <= __STDCPP_DEFAULT_NEW_ALIGNMENT__, "plain operator new serves small buffers");
        if (n > std::size_t(-1) / sizeof(T)) throw std::bad_alloc();
        return static_cast<T*>(detail::allocateActivations(n * sizeof(T)));
    }
    void deallocate(T* p, std::size_t n) noexcept { detail::freeActivations(p, n * sizeof(T)); }
    template <class U>
    void construct(U* p) noexcept {
        ::new (static_cast<void*>(p)) U;
    }
    template <class U, class... Args>
    void construct(U* p, Args&&... args) {
        ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
    }
};

// Activations of one image: data[(y * w + x) * c + ch].
struct Tensor {
    int h = 0, w = 0, c = 0;
    // resize() leaves new values unspecified (UninitializedAllocator); assign() and the constructor below fill.
    std::vector<float, UninitializedAllocator<float>> data;

    Tensor() = default;
    // Zero-filled. A negative dimension gives an empty 0x0x0 tensor.
    Tensor(int h, int w, int c);
    // Gives the tensor this shape with unspecified values, keeping the buffer when its capacity suffices (for outputs
    // that are written whole). False (and an empty tensor) for a negative dimension; throws std::bad_alloc.
    bool reshapeForOverwrite(int h, int w, int c);

    float* at(int y, int x) { return data.data() + (std::size_t(y) * w + x) * c; }
    const float* at(int y, int x) const { return data.data() + (std::size_t(y) * w + x) * c; }
    std::size_t size() const { return data.size(); }
    bool empty() const { return data.empty(); }
    // h * w * c == data.size(), all dimensions positive.
    bool valid() const;
    bool sameShape(const Tensor& o) const { return h == o.h && w == o.w && c == o.c; }
};

// LeakyRelu's slope is given by the caller (ConvLayer::leakySlope).
enum class Activation { None, Relu, LeakyRelu };

// Scalar definitions shared by every path (so SIMD and scalar code agree bit for bit):
//   Relu(x)      = x < 0 ? 0 : x           (NaN and -0 pass through)
//   LeakyRelu(x) = x < 0 ? x * slope : x
inline float activate(float x, Activation a, float slope) {
    switch (a) {
        case Activation::Relu:
            return x < 0.0f ? 0.0f : x;
        case Activation::LeakyRelu:
            return x < 0.0f ? x * slope : x;
        case Activation::None:
            break;
    }
    return x;
}

// torch.nn.PixelShuffle(r): in channel (c*r*r + i*r + j) at (y, x) -> out channel c at (y*r + i, x*r + j).
// Needs r >= 1 and in.c divisible by r*r; otherwise returns an empty tensor.
Tensor pixelShuffle(const Tensor& in, int r);
// pixelShuffle into `out`, reusing its buffer (out must not be in; an invalid input or r gives an empty out).
void pixelShuffleInto(const Tensor& in, int r, Tensor& out);
// torch.nn.PixelUnshuffle(r), the exact inverse. Needs r >= 1 and h, w divisible by r; otherwise an empty tensor.
Tensor pixelUnshuffle(const Tensor& in, int r);
// a += b element-wise (residual connections). Shapes must match; on a mismatch `a` is left unchanged.
void addInPlace(Tensor& a, const Tensor& b);
void applyActivation(Tensor& t, Activation a, float slope);

}  // namespace lmc::nn
