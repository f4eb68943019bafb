// Display tone mapping: linear HDR float RGB -> 8-bit sRGB QImage, with an exposure in EV (photographic stops), a
// tone curve and an optional false-colour mode.
//
// Default (ToneCurve::Srgb): display value = sRGB_OETF(clamp(linear * 2^EV, 0, 1)) rounded to 8 bits. NaN and
// negative values show as black, +Inf as white. ToneCurve::Clamp writes clamp(linear * 2^EV, 0, 1) straight into
// the 8 bits (no transfer curve: what a naive viewer shows, dark mid-tones); ToneCurve::Aces applies Narkowicz's
// ACES filmic fit (with its 0.6 pre-scale) before the sRGB curve, so highlights roll off instead of clipping.
// A single channel (R, G, B or the Rec. 709 luminance) shows as grey through the same curve, so a channel's own
// structure (chroma blocking, a channel's banding) is seen without the others. False colour shows the luminance in
// stops around middle grey (0.18 after exposure), kFalseColourStops either way, through the Turbo colour map; zero,
// negative and NaN luminance shows black. The sRGB curve is a table indexed by the float's exponent and top 11 mantissa
// bits (26 KB, error below 0.1 code value against the exact curve), so the inner loop is a multiply, two compares and a
// load; rows are split over the hardware threads. A 1024 x 1024 image takes a few milliseconds.
//
// FloatRgbImage is how widgets receive HDR pixels without depending on the codec library: a shared, immutable
// buffer (the owner can hand out an aliasing shared_ptr into its own image, so nothing is copied).
//
// Threading: every function here is reentrant and may be called from any thread; toneMap() starts and joins its
// own short-lived threads (no shared pool, so it can never deadlock a pool it is called from).
// Errors: empty or inconsistent inputs give a null QImage / NaN exposure, never a crash.
#pragma once

#include <QImage>

#include <cstddef>
#include <cstdint>
#include <memory>

namespace lmc {

struct FloatRgbImage {
    int width = 0;
    int height = 0;
    std::ptrdiff_t rowStride = 0;              // floats between row starts (>= 3 * width)
    std::shared_ptr<const float> rgb;          // keeps the pixels alive; interleaved RGB, top row first
    std::shared_ptr<const std::uint8_t> mask;  // optional coverage mask, width bytes per row, nonzero = covered

    bool isNull() const { return width <= 0 || height <= 0 || !rgb || rowStride < 3 * std::ptrdiff_t(width); }
    const float* texel(int x, int y) const { return rgb.get() + y * rowStride + 3 * std::ptrdiff_t(x); }
    bool covered(int x, int y) const { return !mask || mask.get()[std::ptrdiff_t(y) * width + x] != 0; }
};

enum class ToneCurve { Clamp = 0, Srgb = 1, Aces = 2 };
// What is shown: the colour picture, or one channel as grey.
enum class ToneChannel { Rgb = 0, Red = 1, Green = 2, Blue = 3, Luminance = 4 };

// Stops above and below middle grey that false colour spans (values beyond take the end colours).
constexpr double kFalseColourStops = 6.0;

struct ToneMapOptions {
    double exposureEv = 0.0;  // linear values are multiplied by 2^exposureEv
    int threads = 0;          // 0 = all hardware threads (capped at 8)
    // Show texels the coverage mask marks uncovered (gutters) at a quarter of their brightness, so what the metrics
    // ignore is visible at a glance. Only FloatRgbImage inputs carry a mask.
    bool dimUncovered = false;
    ToneCurve curve = ToneCurve::Srgb;
    bool falseColour = false;  // luminance in stops through a colour map instead of the picture (wins over channel)
    ToneChannel channel = ToneChannel::Rgb;

    bool operator==(const ToneMapOptions& o) const {
        return exposureEv == o.exposureEv && threads == o.threads && dimUncovered == o.dimUncovered &&
               curve == o.curve && falseColour == o.falseColour && channel == o.channel;
    }
    bool operator!=(const ToneMapOptions& o) const { return !(*this == o); }
};

// The 8-bit sRGB code for one linear value at an exposure, through the same table toneMap() uses.
std::uint8_t toneMapValue(float linear, double exposureEv);
// The same for any tone curve (through that curve's table).
std::uint8_t toneMapValue(float linear, double exposureEv, ToneCurve curve);
// The exact display value in [0, 1] of an exposed linear value under a curve (double precision, unrounded).
double toneCurveExact(double linear, ToneCurve curve);
// The luminance (or luminance range) false colour spans at an exposure: middle grey 0.18 / 2^EV, kFalseColourStops
// either way, in the map's own linear units.
double falseColourMinLuminance(double exposureEv);
double falseColourMaxLuminance(double exposureEv);
// The false colour of a linear luminance at an exposure (black for luminance <= 0 or NaN).
QRgb falseColourValue(double luminance, double exposureEv);

// The exact (double precision, unrounded) sRGB encoding of a linear value in [0, 1]; for tests and references.
double srgbEncode(double linear);

// Format_RGB32 image of the same size; null QImage when `image` is null.
QImage toneMap(const FloatRgbImage& image, const ToneMapOptions& options = {});
QImage toneMap(const float* rgb, int width, int height, std::ptrdiff_t rowStride, const ToneMapOptions& options = {});

// An exposure that maps the geometric mean luminance of the covered, finite, positive texels to middle grey
// (0.18), clamped to [-20, 20] EV. Dark and bright lightmaps both open looking like a photograph rather than black
// or white. NaN when no texel qualifies. Looks at up to ~256k texels (a regular subsample) so it stays fast.
double suggestExposure(const FloatRgbImage& image);

}  // namespace lmc
