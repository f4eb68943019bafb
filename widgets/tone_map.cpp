#include "widgets/tone_map.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <system_error>
#include <thread>
#include <vector>

namespace lmc {
namespace {

// The table covers [2^-13, 1] by float bit pattern: 13 binades x 2^11 mantissa steps. Below 2^-13 (1.2e-4) the
// exact curve gives less than 0.41 of a code value, i.e. 0 after rounding, so clamping up to 2^-13 loses nothing.
constexpr std::uint32_t kLowBits = (127u - 13u) << 23;  // bit pattern of 2^-13
constexpr std::uint32_t kOneBits = 127u << 23;          // bit pattern of 1.0f
constexpr int kShift = 23 - 11;
constexpr int kTableSize = int((kOneBits - kLowBits) >> kShift) + 1;
constexpr float kLowValue = 1.0f / 8192.0f;

inline std::uint32_t floatBits(float f) {
    std::uint32_t u;
    std::memcpy(&u, &f, sizeof u);
    return u;
}

inline float bitsFloat(std::uint32_t u) {
    float f;
    std::memcpy(&f, &u, sizeof f);
    return f;
}

const std::array<std::uint8_t, kTableSize>& srgbTable() {
    static const std::array<std::uint8_t, kTableSize> table = [] {
        std::array<std::uint8_t, kTableSize> t{};
        for (int i = 0; i < kTableSize; ++i) {
            // Centre of the bucket of floats that share this index.
            double v = bitsFloat(kLowBits + (std::uint32_t(i) << kShift) + (1u << (kShift - 1)));
            if (i == 0) v = kLowValue;
            v = std::min(v, 1.0);
            t[i] = std::uint8_t(std::lround(srgbEncode(v) * 255.0));
        }
        t[kTableSize - 1] = 255;
        return t;
    }();
    return table;
}

// Branch-free apart from the compares, which compile to min/max; NaN fails `f > kLowValue` and becomes black.
inline std::uint8_t lookup(const std::uint8_t* table, float f) {
    f = f > kLowValue ? f : kLowValue;
    f = f < 1.0f ? f : 1.0f;
    return table[(floatBits(f) - kLowBits) >> kShift];
}

// `mask` (width bytes per row) is non-null only when uncovered texels are to be dimmed.
void toneMapRows(const float* rgb, int width, std::ptrdiff_t rowStride, float scale, const std::uint8_t* mask, int y0,
                 int y1, QImage& out) {
    const std::uint8_t* table = srgbTable().data();
    // Two passes per row: table indices for all 3 * width values (a plain loop the compiler vectorises: multiply,
    // clamp, reinterpret, shift), then the table loads and packing.
    std::vector<std::uint32_t> index(std::size_t(width) * 3);
    std::uint32_t* idx = index.data();
    const int n = 3 * width;
    for (int y = y0; y < y1; ++y) {
        const float* src = rgb + y * rowStride;
        for (int i = 0; i < n; ++i) {
            float f = src[i] * scale;
            f = f > kLowValue ? f : kLowValue;
            f = f < 1.0f ? f : 1.0f;
            std::uint32_t bits;
            std::memcpy(&bits, &f, sizeof bits);
            idx[i] = (bits - kLowBits) >> kShift;
        }
        auto* dst = reinterpret_cast<std::uint32_t*>(out.scanLine(y));
        for (int x = 0; x < width; ++x)
            dst[x] = 0xff000000u | (std::uint32_t(table[idx[3 * x]]) << 16) |
                     (std::uint32_t(table[idx[3 * x + 1]]) << 8) | table[idx[3 * x + 2]];
        if (mask) {
            const std::uint8_t* m = mask + std::ptrdiff_t(y) * width;
            for (int x = 0; x < width; ++x)
                if (m[x] == 0) dst[x] = 0xff000000u | ((dst[x] >> 2) & 0x003f3f3fu);  // a quarter of the brightness
        }
    }
}

}  // namespace

double srgbEncode(double linear) {
    if (!(linear > 0.0)) return 0.0;
    if (linear >= 1.0) return 1.0;
    return linear <= 0.0031308 ? 12.92 * linear : 1.055 * std::pow(linear, 1.0 / 2.4) - 0.055;
}

std::uint8_t toneMapValue(float linear, double exposureEv) {
    return lookup(srgbTable().data(), linear * float(std::exp2(exposureEv)));
}

namespace {

QImage toneMapImpl(const float* rgb, int width, int height, std::ptrdiff_t rowStride, const std::uint8_t* mask,
                   const ToneMapOptions& options) {
    if (rgb == nullptr || width <= 0 || height <= 0 || rowStride < 3 * std::ptrdiff_t(width)) return {};
    QImage out(width, height, QImage::Format_RGB32);
    if (out.isNull()) return {};  // allocation refused
    const float scale = float(std::exp2(std::clamp(options.exposureEv, -64.0, 64.0)));
    srgbTable();  // build the table once, before threads race for the static

    int threads = options.threads > 0 ? options.threads : int(std::thread::hardware_concurrency());
    // Below ~64k texels per thread, starting threads costs more than it saves.
    threads = std::clamp(std::min(threads, int(std::int64_t(width) * height / 65536)), 1, 8);
    if (threads == 1) {
        toneMapRows(rgb, width, rowStride, scale, mask, 0, height, out);
        return out;
    }
    std::vector<std::thread> workers;
    workers.reserve(threads - 1);
    const int rowsPer = (height + threads - 1) / threads;
    for (int t = 1; t < threads; ++t) {
        int y0 = t * rowsPer, y1 = std::min(height, y0 + rowsPer);
        if (y0 >= y1) break;
        try {
            workers.emplace_back([=, &out] { toneMapRows(rgb, width, rowStride, scale, mask, y0, y1, out); });
        } catch (const std::system_error&) {
            toneMapRows(rgb, width, rowStride, scale, mask, y0, y1, out);  // no thread available: do it here
        }
    }
    toneMapRows(rgb, width, rowStride, scale, mask, 0, std::min(height, rowsPer), out);
    for (auto& w : workers) w.join();
    return out;
}

}  // namespace

QImage toneMap(const float* rgb, int width, int height, std::ptrdiff_t rowStride, const ToneMapOptions& options) {
    return toneMapImpl(rgb, width, height, rowStride, nullptr, options);
}

QImage toneMap(const FloatRgbImage& image, const ToneMapOptions& options) {
    if (image.isNull()) return {};
    return toneMapImpl(image.rgb.get(), image.width, image.height, image.rowStride,
                       options.dimUncovered ? image.mask.get() : nullptr, options);
}

double suggestExposure(const FloatRgbImage& image) {
    if (image.isNull()) return std::nan("");
    const std::int64_t texels = std::int64_t(image.width) * image.height;
    const int step = std::max<int>(1, int(std::sqrt(double(texels) / 262144.0)));
    double logSum = 0;
    std::int64_t count = 0;
    for (int y = 0; y < image.height; y += step) {
        for (int x = 0; x < image.width; x += step) {
            if (!image.covered(x, y)) continue;
            const float* p = image.texel(x, y);
            double lum = 0.2126 * p[0] + 0.7152 * p[1] + 0.0722 * p[2];
            if (!(lum > 1e-12) || !std::isfinite(lum)) continue;
            logSum += std::log2(lum);
            ++count;
        }
    }
    if (count == 0) return std::nan("");
    double meanLog = logSum / double(count);
    return std::clamp(std::log2(0.18) - meanLog, -20.0, 20.0);
}

}  // namespace lmc
