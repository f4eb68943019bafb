// JPEG XL: lightmaps through Debian's libjxl (0.7), registry id "jxl". The stream is a standard .jxl file (a bare
// codestream, signature FF 0A; the ISO BMFF container is also recognised and decoded) that djxl and other viewers
// open and decode to the same values.
//
// Coding: float32 RGB declared as linear-light sRGB/Rec. 709 primaries (JxlColorEncodingSetToLinearSRGB), lossy
// VarDCT in XYB, no chroma subsampling (XYB is always 4:4:4 here). A float input declared as sRGB-encoded would be
// companded a second time inside XYB and lose about 8 dB at the same size.
//
// Intensity target. libjxl scales linear input by intensity_target / 255 before XYB, so the nit level a map is
// declared at decides how finely its shadows are quantised; the decoder undoes it, and decoded floats come back in
// the map's own units. The default (1.0 = 255 nits) starves dark maps: on the darkest real maps even distance 0.05
// stays below 0.16 bpp and never reaches high quality. Rule (jxlIntensityTarget): the median luminance of the
// covered texels with a positive luminance is declared at kJxlMedianNits = 400 nits, intensity_target = 400 /
// median, clamped to [1, 65504] (the header stores it as a binary16 float, so maps whose median is below 0.0061 are
// coded somewhat darker than the rule asks; no covered positive texel: 255). Measured on the 15 real lightmaps
// (distance 0.05 / 0.2 / 0.8 / 3, effort 7, visible texels), BD-rate against the 255-nit default, median over the
// files whose curves overlap (log-PSNR n = 13, mPSNR n = 8..11; the darkest maps do not overlap because the default
// cannot reach their rates at all):
//   median at 150 nits: log-PSNR +2.3%, mPSNR  -6.6%
//   median at 400 nits: log-PSNR +4.0%, mPSNR -27.0%   (chosen: the best balance of the two)
//   median at 1000 nits: log-PSNR +9.8%, mPSNR -34.1%
// Lower levels (median at 18 or 50 nits, or the 99th percentile at 255 nits) lost up to 60-135% mPSNR on bright
// maps in a first pass. mPSNR weighs the darkest texels at high exposures, where XYB's near-black quantisation is
// coarse, so it favours brighter declarations; log-PSNR (normalised at the median) changes little.
//
// Parameters: `distance` (the rate slider, butteraugli distance 0.05..15, lower = more bits, default 1.0; the same
// number as cjxl -d), `effort` (1..9, cjxl -e, default 7). Files are identical to
//   cjxl IN.pfm OUT.jxl -d D -e E --intensity_target=T -x color_space=RGB_D65_SRG_Rel_Lin
// given the texels jxlCodedTexels() returns and T = jxlIntensityTarget() (tests/bench/bench_peer_wrappers.cpp
// checks it on the real lightmaps).
//
// Input clean-up: NaN -> 0, +Inf -> 65504, negatives and -Inf -> 0. JPEG XL's XYB clamps the opsin mix at zero:
// measured, every input below about -0.0038 * 255 / intensity_target decodes as that floor (at 255 nits, -0.5 and
// -0.01 both come back as -0.0038), so negatives cannot be kept faithfully and are clamped instead
// (traits().keepsNegatives is false and the schema says so). Texels outside the mask
// (encodeImage passes the visible set: coverage dilated by one texel) are pull-push filled so gutters cost almost
// no bits.
//
// Decoding: the first frame, as linear float RGB (grayscale replicated), texels in stored order (an Exif-style
// orientation in the header is not applied). Files with an original colour profile
// (lossless or non-XYB) are accepted when it is linear or sRGB-encoded (sRGB is linearised); other profiles are
// Unsupported. Truncated or damaged streams, sizes over checkImageSize (checked from the header before any pixel
// buffer exists) and non-finite decoded values give CorruptData (TooLarge for sizes), never a crash.
//
// Threading: libjxl's thread-parallel runner with CodecContext::resolvedThreads() threads (libjxl's output does not
// depend on the thread count; the tests check it). libjxl has no cancel call: cancellation is polled before and
// after the library call, progress is reported at 0 and 1. Calls may run concurrently. Errors: Result, never
// exceptions.
#pragma once

#include <memory>

#include "codec/codec.h"

namespace lmc {

// The codec registered as "jxl".
std::unique_ptr<Codec> makeJxlCodec();

// The nit level the median covered luminance is declared at (see above).
constexpr float kJxlMedianNits = 400.0f;

// The intensity target (nits of linear 1.0) the encoder declares for this image, computed from its covered texels
// after clean-up.
float jxlIntensityTarget(const ImageView& image);

// The float RGB texels (cleaned up, uncovered texels filled) the encoder hands to libjxl: the input a reference
// tool must get for a like-for-like comparison. The result has no mask.
Result<Image> jxlCodedTexels(const ImageView& image);

// Encodes with an explicit intensity target (> 0) instead of jxlIntensityTarget's: for measurements of the rule.
struct JxlSettings {
    float distance = 1.0f;
    int effort = 7;
    float intensityTarget = 255.0f;
};
Result<Bytes> encodeJxl(const ImageView& image, const JxlSettings& settings, const CodecContext& context);

}  // namespace lmc
