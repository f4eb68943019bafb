#include "codec/image.h"

#include <cmath>
#include <cstring>
#include <string>

namespace lmc {

const char* errorCodeName(ErrorCode code) {
    switch (code) {
        case ErrorCode::InvalidArgument:
            return "invalid argument";
        case ErrorCode::IoError:
            return "I/O error";
        case ErrorCode::CorruptData:
            return "corrupt data";
        case ErrorCode::Unsupported:
            return "unsupported";
        case ErrorCode::TooLarge:
            return "too large";
        case ErrorCode::Cancelled:
            return "cancelled";
        case ErrorCode::Internal:
            return "internal error";
    }
    return "unknown error";
}

Status checkImageSize(std::int64_t width, std::int64_t height) {
    if (width <= 0 || height <= 0)
        return makeError(ErrorCode::InvalidArgument,
                         "image size " + std::to_string(width) + "x" + std::to_string(height) + " is empty");
    if (width > kMaxImageSide || height > kMaxImageSide || width * height > kMaxImageTexels)
        return makeError(ErrorCode::TooLarge, "image size " + std::to_string(width) + "x" + std::to_string(height) +
                                                  " exceeds the limit of " + std::to_string(kMaxImageSide) +
                                                  " texels per side and " + std::to_string(kMaxImageTexels) +
                                                  " texels in all");
    return {};
}

ImageView ImageView::crop(int x, int y, int w, int h) const {
    ImageView v = *this;
    v.width = w;
    v.height = h;
    v.rgb = rgb + y * rowStride + 3 * x;
    if (mask) v.mask = mask + y * maskStride + x;
    return v;
}

Result<Image> Image::create(int width, int height) {
    if (auto s = checkImageSize(width, height); !s) return s.error();
    Image image;
    image.width_ = width;
    image.height_ = height;
    image.rgb_.assign(std::size_t(width) * height * 3, 0.0f);
    return image;
}

void Image::ensureMask() {
    if (mask_.empty()) mask_.assign(std::size_t(width_) * height_, 1);
}

ImageView Image::view() const {
    ImageView v;
    v.width = width_;
    v.height = height_;
    v.rgb = rgb_.data();
    v.rowStride = std::ptrdiff_t(width_) * 3;
    if (!mask_.empty()) {
        v.mask = mask_.data();
        v.maskStride = width_;
    }
    return v;
}

Result<Image> Image::fromView(const ImageView& view) {
    auto created = Image::create(view.width, view.height);
    if (!created) return created.error();
    Image image = std::move(created).value();
    for (int y = 0; y < view.height; ++y) {
        const float* src = view.row(y);
        std::copy(src, src + 3 * view.width, image.texel(0, y));
    }
    if (view.hasMask()) {
        image.ensureMask();
        for (int y = 0; y < view.height; ++y)
            for (int x = 0; x < view.width; ++x)
                image.mask_[std::size_t(y) * view.width + x] = view.mask[y * view.maskStride + x] ? 1 : 0;
    }
    return image;
}

ImageStats computeStats(const ImageView& view) {
    ImageStats stats;
    bool first = true;
    double sum = 0;
    std::int64_t finiteCount = 0, coveredCount = 0;
    for (int y = 0; y < view.height; ++y) {
        for (int x = 0; x < view.width; ++x) {
            if (view.covered(x, y)) ++coveredCount;
            const float* t = view.texel(x, y);
            for (int c = 0; c < 3; ++c) {
                float v = t[c];
                if (!std::isfinite(v)) {
                    ++stats.nonFiniteCount;
                    continue;
                }
                if (v < 0) ++stats.negativeCount;
                if (first) {
                    stats.minValue = stats.maxValue = v;
                    first = false;
                } else {
                    stats.minValue = std::min(stats.minValue, v);
                    stats.maxValue = std::max(stats.maxValue, v);
                }
                sum += v;
                ++finiteCount;
            }
        }
    }
    stats.meanValue = finiteCount ? sum / double(finiteCount) : 0.0;
    stats.coveredFraction = view.texelCount() ? double(coveredCount) / double(view.texelCount()) : 0.0;
    return stats;
}

std::int64_t sanitizeNonFinite(Image& image) {
    std::int64_t changed = 0;
    float* p = image.data();
    const std::size_t n = std::size_t(image.texelCount()) * 3;
    for (std::size_t i = 0; i < n; ++i) {
        if (std::isnan(p[i])) {
            p[i] = 0.0f;
            ++changed;
        } else if (std::isinf(p[i])) {
            p[i] = p[i] > 0 ? 65504.0f : -65504.0f;
            ++changed;
        }
    }
    return changed;
}

std::uint64_t contentHash(const ImageView& image) {
    std::uint64_t h = 0x9E3779B97F4A7C15ull ^ (std::uint64_t(image.width) << 32 | std::uint32_t(image.height));
    auto mix = [&](std::uint64_t v) {
        h ^= v + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
        h *= 0xff51afd7ed558ccdull;
    };
    for (int y = 0; y < image.height; ++y) {
        const float* row = image.row(y);
        const std::size_t n = std::size_t(image.width) * 3;
        std::size_t i = 0;
        for (; i + 2 <= n; i += 2) {
            std::uint64_t v;
            std::memcpy(&v, row + i, 8);
            mix(v);
        }
        if (i < n) {
            std::uint32_t v;
            std::memcpy(&v, row + i, 4);
            mix(v);
        }
        if (image.hasMask())
            for (int x = 0; x < image.width; ++x) mix(image.covered(x, y) ? 0x5bd1e995u : 0x27d4eb2fu);
    }
    return h;
}

}  // namespace lmc
