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

const char* maskModeName(MaskMode mode) {
    switch (mode) {
        case MaskMode::Visible:
            return "visible";
        case MaskMode::Covered:
            return "covered";
        case MaskMode::All:
            return "all";
    }
    return "visible";
}

bool parseMaskMode(const std::string& text, MaskMode& out) {
    for (MaskMode m : {MaskMode::Visible, MaskMode::Covered, MaskMode::All})
        if (text == maskModeName(m)) {
            out = m;
            return true;
        }
    return false;
}

std::vector<std::uint8_t> visibleMask(const ImageView& image) {
    std::vector<std::uint8_t> out;
    if (!image.hasMask() || image.width <= 0 || image.height <= 0) return out;
    const int w = image.width, h = image.height;
    // Separable 3x3 maximum: rows first into `horizontal`, then columns into `out`.
    std::vector<std::uint8_t> horizontal(std::size_t(w) * h);
    for (int y = 0; y < h; ++y) {
        const std::uint8_t* m = image.mask + std::ptrdiff_t(y) * image.maskStride;
        std::uint8_t* o = horizontal.data() + std::size_t(y) * w;
        for (int x = 0; x < w; ++x)
            o[x] = (m[x] != 0 || (x > 0 && m[x - 1] != 0) || (x + 1 < w && m[x + 1] != 0)) ? 1 : 0;
    }
    out.assign(std::size_t(w) * h, 0);
    for (int y = 0; y < h; ++y) {
        const std::uint8_t* above = horizontal.data() + std::size_t(y > 0 ? y - 1 : y) * w;
        const std::uint8_t* here = horizontal.data() + std::size_t(y) * w;
        const std::uint8_t* below = horizontal.data() + std::size_t(y + 1 < h ? y + 1 : y) * w;
        std::uint8_t* o = out.data() + std::size_t(y) * w;
        for (int x = 0; x < w; ++x) o[x] = above[x] | here[x] | below[x];
    }
    return out;
}

ImageView withMaskMode(const ImageView& image, MaskMode mode, std::vector<std::uint8_t>& storage) {
    ImageView v = image;
    if (!image.hasMask() || mode == MaskMode::Covered) return v;
    if (mode == MaskMode::All) {
        v.mask = nullptr;
        v.maskStride = 0;
        return v;
    }
    storage = visibleMask(image);
    v.mask = storage.data();
    v.maskStride = image.width;
    return v;
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
    bool first = true, anyCovered = false;
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
                if (v < 0) {
                    ++stats.negativeCount;
                    if (view.covered(x, y)) ++stats.coveredNegativeCount;
                }
                if (view.covered(x, y) && (!anyCovered || v < stats.coveredMinValue)) {
                    stats.coveredMinValue = v;
                    anyCovered = true;
                }
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

}  // namespace lmc
