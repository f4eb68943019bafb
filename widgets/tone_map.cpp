#include "widgets/tone_map.h"

#include "widgets/color_map.h"

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

// A curve's table over [2^-13, hiValue] by float bit pattern (same indexing as srgbTable); values above hiValue
// take the last entry. The Clamp and sRGB curves saturate at 1, ACES only far above it.
struct CurveTable {
    const std::uint8_t* data = nullptr;
    std::uint32_t hiBits = kOneBits;
    float hiValue = 1.0f;
};

constexpr int kAcesHiExponent = 16;  // ACES(0.6 * 2^16) is 1 to far below half a code value

CurveTable curveTable(ToneCurve curve) {
    if (curve == ToneCurve::Srgb) return {srgbTable().data(), kOneBits, 1.0f};
    if (curve == ToneCurve::Clamp) {
        static const std::vector<std::uint8_t> table = [] {
            std::vector<std::uint8_t> t(kTableSize);
            for (int i = 0; i < kTableSize; ++i) {
                double v = bitsFloat(kLowBits + (std::uint32_t(i) << kShift) + (1u << (kShift - 1)));
                if (i == 0) v = kLowValue;
                t[std::size_t(i)] = std::uint8_t(std::lround(std::min(v, 1.0) * 255.0));
            }
            t.back() = 255;
            return t;
        }();
        return {table.data(), kOneBits, 1.0f};
    }
    static const std::uint32_t hiBits = std::uint32_t(127 + kAcesHiExponent) << 23;
    static const std::vector<std::uint8_t> aces = [] {
        const int size = int((hiBits - kLowBits) >> kShift) + 1;
        std::vector<std::uint8_t> t(static_cast<std::size_t>(size));
        for (int i = 0; i < size; ++i) {
            double v = bitsFloat(kLowBits + (std::uint32_t(i) << kShift) + (1u << (kShift - 1)));
            if (i == 0) v = kLowValue;
            t[std::size_t(i)] = std::uint8_t(std::lround(toneCurveExact(v, ToneCurve::Aces) * 255.0));
        }
        return t;
    }();
    return {aces.data(), hiBits, float(std::ldexp(1.0, kAcesHiExponent))};
}

// Branch-free apart from the compares, which compile to min/max; NaN fails `f > kLowValue` and becomes black.
inline std::uint8_t lookup(const CurveTable& table, float f) {
    f = f > kLowValue ? f : kLowValue;
    f = f < table.hiValue ? f : table.hiValue;
    return table.data[(floatBits(f) - kLowBits) >> kShift];
}

inline std::uint8_t lookup(const std::uint8_t* table, float f) {
    return lookup(CurveTable{table, kOneBits, 1.0f}, f);
}

void dimRow(std::uint32_t* dst, const std::uint8_t* m, int width) {
    for (int x = 0; x < width; ++x)
        if (m[x] == 0) dst[x] = 0xff000000u | ((dst[x] >> 2) & 0x003f3f3fu);  // a quarter of the brightness
}

// `mask` (width bytes per row) is non-null only when uncovered texels are to be dimmed.
void toneMapRows(const float* rgb, int width, std::ptrdiff_t rowStride, float scale, const std::uint8_t* mask, int y0,
                 int y1, QImage& out, const CurveTable& curve) {
    const std::uint8_t* table = curve.data;
    const float hi = curve.hiValue;
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
            f = f < hi ? f : hi;
            std::uint32_t bits;
            std::memcpy(&bits, &f, sizeof bits);
            idx[i] = (bits - kLowBits) >> kShift;
        }
        auto* dst = reinterpret_cast<std::uint32_t*>(out.scanLine(y));
        for (int x = 0; x < width; ++x)
            dst[x] = 0xff000000u | (std::uint32_t(table[idx[3 * x]]) << 16) |
                     (std::uint32_t(table[idx[3 * x + 1]]) << 8) | table[idx[3 * x + 2]];
        if (mask) dimRow(dst, mask + std::ptrdiff_t(y) * width, width);
    }
}

void falseColourRows(const float* rgb, int width, std::ptrdiff_t rowStride, float scale, const std::uint8_t* mask,
                     int y0, int y1, QImage& out) {
    const auto& lut = colorMapTable(ColorMap::Turbo);
    const double offset = -std::log2(0.18) + kFalseColourStops;
    const double perStop = 255.0 / (2.0 * kFalseColourStops);
    for (int y = y0; y < y1; ++y) {
        const float* src = rgb + y * rowStride;
        auto* dst = reinterpret_cast<std::uint32_t*>(out.scanLine(y));
        for (int x = 0; x < width; ++x) {
            const float* p = src + 3 * x;
            const double lum = (0.2126 * p[0] + 0.7152 * p[1] + 0.0722 * p[2]) * scale;
            if (!(lum > 0.0) || !std::isfinite(lum)) {
                dst[x] = std::isinf(lum) && lum > 0 ? lut[255] : 0xff000000u;
                continue;
            }
            const double t = (std::log2(lum) + offset) * perStop;
            dst[x] = lut[std::size_t(std::clamp(std::lround(t), 0L, 255L))];
        }
        if (mask) dimRow(dst, mask + std::ptrdiff_t(y) * width, width);
    }
}

// One channel (0-2) or the luminance (3) through the curve, as grey.
void channelRows(const float* rgb, int width, std::ptrdiff_t rowStride, float scale, const std::uint8_t* mask, int y0,
                 int y1, QImage& out, const CurveTable& curve, int channel) {
    for (int y = y0; y < y1; ++y) {
        const float* src = rgb + y * rowStride;
        auto* dst = reinterpret_cast<std::uint32_t*>(out.scanLine(y));
        for (int x = 0; x < width; ++x) {
            const float* p = src + 3 * x;
            const float v = channel < 3 ? p[channel] : 0.2126f * p[0] + 0.7152f * p[1] + 0.0722f * p[2];
            const std::uint32_t g = lookup(curve, v * scale);
            dst[x] = 0xff000000u | (g << 16) | (g << 8) | g;
        }
        if (mask) dimRow(dst, mask + std::ptrdiff_t(y) * width, width);
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

std::uint8_t toneMapValue(float linear, double exposureEv, ToneCurve curve) {
    return lookup(curveTable(curve), linear * float(std::exp2(exposureEv)));
}

double toneCurveExact(double linear, ToneCurve curve) {
    if (!(linear > 0.0)) return 0.0;
    switch (curve) {
        case ToneCurve::Clamp:
            return std::min(linear, 1.0);
        case ToneCurve::Aces: {
            // Narkowicz 2015, "ACES Filmic Tone Mapping Curve", with the 0.6 exposure his fit assumes.
            const double x = std::min(linear, 1e6) * 0.6;
            const double y = (x * (2.51 * x + 0.03)) / (x * (2.43 * x + 0.59) + 0.14);
            return srgbEncode(std::clamp(y, 0.0, 1.0));
        }
        case ToneCurve::Srgb:
        default:
            return srgbEncode(linear);
    }
}

double falseColourMinLuminance(double exposureEv) {
    return 0.18 * std::exp2(-kFalseColourStops - exposureEv);
}

double falseColourMaxLuminance(double exposureEv) {
    return 0.18 * std::exp2(kFalseColourStops - exposureEv);
}

QRgb falseColourValue(double luminance, double exposureEv) {
    const double lum = luminance * std::exp2(exposureEv);
    if (!(lum > 0.0)) return qRgb(0, 0, 0);
    if (std::isinf(lum)) return colorMapTable(ColorMap::Turbo)[255];
    const double t = (std::log2(lum / 0.18) + kFalseColourStops) * 255.0 / (2.0 * kFalseColourStops);
    return colorMapTable(ColorMap::Turbo)[std::size_t(std::clamp(std::lround(t), 0L, 255L))];
}

namespace {

QImage toneMapImpl(const float* rgb, int width, int height, std::ptrdiff_t rowStride, const std::uint8_t* mask,
                   const ToneMapOptions& options) {
    if (rgb == nullptr || width <= 0 || height <= 0 || rowStride < 3 * std::ptrdiff_t(width)) return {};
    QImage out(width, height, QImage::Format_RGB32);
    if (out.isNull()) return {};  // allocation refused
    const float scale = float(std::exp2(std::clamp(options.exposureEv, -64.0, 64.0)));
    // Build the tables once, before threads race for the statics.
    const CurveTable curve = curveTable(options.curve);
    colorMapTable(ColorMap::Turbo);
    const bool falseColour = options.falseColour;
    const int channel = int(options.channel) - 1;  // -1: the colour picture
    auto rows = [=, &out](int y0, int y1) {
        if (falseColour)
            falseColourRows(rgb, width, rowStride, scale, mask, y0, y1, out);
        else if (channel >= 0)
            channelRows(rgb, width, rowStride, scale, mask, y0, y1, out, curve, channel);
        else
            toneMapRows(rgb, width, rowStride, scale, mask, y0, y1, out, curve);
    };

    int threads = options.threads > 0 ? options.threads : int(std::thread::hardware_concurrency());
    // Below ~64k texels per thread, starting threads costs more than it saves.
    threads = std::clamp(std::min(threads, int(std::int64_t(width) * height / 65536)), 1, 8);
    if (threads == 1) {
        rows(0, height);
        return out;
    }
    std::vector<std::thread> workers;
    workers.reserve(threads - 1);
    const int rowsPer = (height + threads - 1) / threads;
    for (int t = 1; t < threads; ++t) {
        int y0 = t * rowsPer, y1 = std::min(height, y0 + rowsPer);
        if (y0 >= y1) break;
        try {
            workers.emplace_back([=] { rows(y0, y1); });
        } catch (const std::system_error&) {
            rows(y0, y1);  // no thread available: do it here
        }
    }
    rows(0, std::min(height, rowsPer));
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
