#include "codec/bc6h/bc6h_resample.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <new>
#include <vector>

#include "codec/bc6h/bc6h_parallel.h"
#include "codec/pull_push_fill.h"

namespace lmc::bc6h {

namespace {

struct Tap {
    int index;
    double weight;
};

// Source texels under each small texel along one axis, weighted by overlap length. Positions are scaled by
// `small` so the boundaries X * size / small become integers and no texel is lost or counted twice to rounding.
std::vector<std::vector<Tap>> boxTaps(int size, int small) {
    std::vector<std::vector<Tap>> taps(static_cast<std::size_t>(small));
    const std::int64_t n = small, big = size;
    for (std::int64_t X = 0; X < n; ++X) {
        const std::int64_t lo = X * big, hi = (X + 1) * big;  // in units of 1 / n source texels
        for (std::int64_t i = lo / n; i * n < hi && i < big; ++i) {
            const std::int64_t overlap = std::min((i + 1) * n, hi) - std::max(i * n, lo);
            if (overlap > 0) taps[std::size_t(X)].push_back({int(i), double(overlap)});
        }
    }
    return taps;
}

struct LinearTap {
    int i0, i1;
    double t;  // weight of i1
};

// Sampler taps along one axis: output texel x reads the small texture at s = (x + 0.5) * small / size - 0.5,
// computed exactly as the fraction ((2x + 1) * small - size) / (2 * size).
std::vector<LinearTap> linearTaps(int size, int small) {
    std::vector<LinearTap> taps(static_cast<std::size_t>(size));
    const std::int64_t den = 2 * std::int64_t{size};
    for (std::int64_t x = 0; x < size; ++x) {
        const std::int64_t num = (2 * x + 1) * small - size;
        std::int64_t floorS = num >= 0 ? num / den : -((-num + den - 1) / den);
        const double t = double(num - floorS * den) / double(den);
        const int i0 = int(std::clamp<std::int64_t>(floorS, 0, small - 1));
        const int i1 = int(std::clamp<std::int64_t>(floorS + 1, 0, small - 1));
        taps[std::size_t(x)] = {i0, i1, t};
    }
    return taps;
}

inline float cleanValue(float v, bool isSigned) {
    if (std::isnan(v)) return 0.0f;
    v = std::clamp(v, -65504.0f, 65504.0f);
    return !isSigned && v < 0.0f ? 0.0f : v;
}

}  // namespace

Result<Image> downscaleCoverageWeighted(const ImageView& image, int factor, bool isSigned,
                                        const CodecContext& context) {
    if (image.empty()) return makeError(ErrorCode::InvalidArgument, "image has no texels");
    if (factor < 1) return makeError(ErrorCode::InvalidArgument, "the downscale factor must be at least 1");
    if (auto s = checkImageSize(image.width, image.height); !s) return s.error();
    const int w = reducedSize(image.width, factor), h = reducedSize(image.height, factor);
    try {
        auto created = Image::create(w, h);
        if (!created) return created.error();
        Image small = std::move(*created);
        const auto tapsX = boxTaps(image.width, w);
        const auto tapsY = boxTaps(image.height, h);
        // Per small texel: kKnown (has weighted source texels), kFree (every source texel uncovered by the mask:
        // nobody sees it, so it takes the pull-push fill) or kDark (no weighted texel, but covered black ones or no
        // mask: black content, kept as it is beyond the one-texel dilation).
        enum : std::uint8_t { kDark = 0, kKnown = 1, kFree = 2 };
        std::vector<std::uint8_t> state(std::size_t(w) * h, kDark);

        auto pass1 = [&](int Y) {
            for (int X = 0; X < w; ++X) {
                double acc[3] = {0, 0, 0}, plain[3] = {0, 0, 0}, weight = 0, plainWeight = 0;
                bool anyCovered = false;
                for (const Tap& ty : tapsY[std::size_t(Y)]) {
                    const float* row = image.row(ty.index);
                    for (const Tap& tx : tapsX[std::size_t(X)]) {
                        const float* p = row + 3 * std::ptrdiff_t(tx.index);
                        const float v[3] = {cleanValue(p[0], isSigned), cleanValue(p[1], isSigned),
                                            cleanValue(p[2], isSigned)};
                        const double wt = tx.weight * ty.weight;
                        for (int c = 0; c < 3; ++c) plain[c] += wt * v[c];
                        plainWeight += wt;
                        if (!image.covered(tx.index, ty.index)) continue;
                        anyCovered = true;
                        if (v[0] == 0.0f && v[1] == 0.0f && v[2] == 0.0f) continue;
                        for (int c = 0; c < 3; ++c) acc[c] += wt * v[c];
                        weight += wt;
                    }
                }
                float* out = small.texel(X, Y);
                std::uint8_t& st = state[std::size_t(Y) * w + X];
                if (weight > 0) {
                    for (int c = 0; c < 3; ++c) out[c] = float(acc[c] / weight);
                    st = kKnown;
                } else {
                    for (int c = 0; c < 3; ++c) out[c] = float(plain[c] / plainWeight);
                    st = anyCovered ? kDark : kFree;
                }
            }
        };
        // The one-texel dilation: every texel that is not known but has known 8-neighbours takes their mean (it
        // overrides the pull-push value, which averages over coarser, aligned cells). Reads known texels only and
        // writes the others only, so rows can run in any order in place.
        auto pass2 = [&](int Y) {
            for (int X = 0; X < w; ++X) {
                if (state[std::size_t(Y) * w + X] == kKnown) continue;
                double acc[3] = {0, 0, 0};
                int count = 0;
                for (int y = std::max(0, Y - 1); y <= std::min(h - 1, Y + 1); ++y)
                    for (int x = std::max(0, X - 1); x <= std::min(w - 1, X + 1); ++x) {
                        if (state[std::size_t(y) * w + x] != kKnown) continue;
                        const float* p = small.texel(x, y);
                        for (int c = 0; c < 3; ++c) acc[c] += p[c];
                        ++count;
                    }
                if (count == 0) continue;
                float* out = small.texel(X, Y);
                for (int c = 0; c < 3; ++c) out[c] = float(acc[c] / count);
            }
        };
        if (auto s = forEachRow(h, progressSlice(context, 0.0, 0.7), pass1); !s) return s.error();
        // Free texels: pull-push from the known ones. It writes every texel that is not known; writes meant for
        // dark texels go to a scratch value so they keep their own.
        bool anyFree = false, anyKnown = false;
        std::vector<std::uint8_t> known(state.size());
        for (std::size_t i = 0; i < state.size(); ++i) {
            known[i] = state[i] == kKnown;
            anyFree = anyFree || state[i] == kFree;
            anyKnown = anyKnown || state[i] == kKnown;
        }
        if (anyFree && anyKnown) {
            float scratch = 0.0f;
            float* rgb = small.data();
            pullPushFill(w, h, 3, known, [&](std::size_t i, int c) -> float& {
                return state[i] == kDark ? scratch : rgb[i * 3 + std::size_t(c)];
            });
        }
        if (context.cancelled()) return cancelledError();
        if (auto s = forEachRow(h, progressSlice(context, 0.8, 1.0), pass2); !s) return s.error();
        return small;
    } catch (const std::bad_alloc&) {
        return makeError(ErrorCode::TooLarge, "not enough memory to downscale the image");
    }
}

Result<Image> upsampleBilinear(const ImageView& small, int width, int height, const CodecContext& context) {
    if (small.empty()) return makeError(ErrorCode::InvalidArgument, "image has no texels");
    if (auto s = checkImageSize(width, height); !s) return s.error();
    try {
        auto created = Image::create(width, height);
        if (!created) return created.error();
        Image out = std::move(*created);
        const auto tapsX = linearTaps(width, small.width);
        const auto tapsY = linearTaps(height, small.height);
        // Zero-weight taps are skipped: an SF16 texel can be -Inf (see bc6h_decoder.h), and -Inf * 0 is NaN.
        auto lerp = [](double a, double b, double t) {
            if (t == 0.0) return a;
            if (t == 1.0) return b;
            return a * (1.0 - t) + b * t;
        };
        auto row = [&](int y) {
            const LinearTap& ty = tapsY[std::size_t(y)];
            const float* r0 = small.row(ty.i0);
            const float* r1 = small.row(ty.i1);
            float* dst = out.texel(0, y);
            for (int x = 0; x < width; ++x) {
                const LinearTap& tx = tapsX[std::size_t(x)];
                for (int c = 0; c < 3; ++c) {
                    const double top = lerp(r0[3 * tx.i0 + c], r0[3 * tx.i1 + c], tx.t);
                    const double bottom = lerp(r1[3 * tx.i0 + c], r1[3 * tx.i1 + c], tx.t);
                    dst[3 * x + c] = float(lerp(top, bottom, ty.t));
                }
            }
        };
        if (auto s = forEachRow(height, context, row); !s) return s.error();
        return out;
    } catch (const std::bad_alloc&) {
        return makeError(ErrorCode::TooLarge, "not enough memory to upsample the image");
    }
}

}  // namespace lmc::bc6h
