// JPEG-HDR: HDR lightmaps through an ordinary 8-bit baseline/progressive JPEG (libjpeg-turbo's TurboJPEG API),
// registry id "jpeg", stream = our .lmc container (container.h).
//
// Transform (invertible up to 8-bit rounding; its ranges travel in the payload header):
//   1. Input clean-up: NaN -> 0, +Inf -> 65504 (as sanitizeNonFinite), then negatives and -Inf -> 0. Lightmaps
//      are non-negative radiance; the few negatives bakers leave (denoiser undershoot) carry no light.
//   2. eps = max(P1 / 16, P99.9 * 2^-26), P1 / P99.9 = 1st / 99.9th percentile of the positive luminances of the
//      covered texels (1 for an all-black image). Tying eps to the image's own dark end makes the transform
//      exposure-invariant (a lightmap peaking at 0.002 keeps the same precision as one peaking at 2000) and keeps
//      relative precision down to the darkest lit texels, which mPSNR's exposure range looks at; the floor stops
//      a few near-zero texels from stretching the range over stops no exposure shows. Shifting by eps before the
//      log keeps black texels finite; texels well below eps collapse towards 0.
//   3. Default transform (LogLuminanceRatios): Y = log2(L + eps) with L the Rec.709 luminance, U = log2((r+eps) /
//      (g+eps)), V = log2((b+eps) / (g+eps)). Y goes to the JPEG luma plane, U/V to the chroma planes (written
//      directly through the YUV-plane API, so JPEG's own RGB->YCbCr conversion never sees them). Each plane maps
//      [lo, hi] of its covered texels linearly onto 0..255; 4:2:0 chroma is the 2x2 mean of U/V, decoded with
//      bilinear (centred) upsampling. Decoding inverts exactly (g = L / (0.2126 a + 0.7152 +
//      0.0722 c) with a = 2^U, c = 2^V), so colours stay positive whatever the chroma error.
//      The alternative LogRgb (log2(c + eps) per channel, one shared [lo, hi], through JPEG's YCbCr) is kept for
//      comparisons; the measurements behind the default are in the .cpp file's header comment.
//   4. Uncovered texels (mask 0) are filled with a pull-push average of the covered ones in the transformed domain
//      before quantisation, which removes the chart-edge discontinuities JPEG would spend bits on. Decoded
//      uncovered texels are therefore smooth guesses, not the input's values; the decoder needs no mask.
//
// Payload = version u8, transform u8, subsampling u8, eps f32, lo f32[3], hi f32[3], then the JPEG file. The
// decoder checks every field, that the JPEG's size and subsampling match the header, and stops on libjpeg
// warnings: damage gives CorruptData, never a crash (the container's CRC catches random damage first).
//
// Threading: each call creates its own TurboJPEG handles; calls may run concurrently. With a CodecCache in the
// context the registered codec keeps the image's prepared planes there (everything before the JPEG call: it does
// not depend on the quality; one entry per chroma mode), so a quality-slider move runs only the JPEG call. The decoder's inverse transform runs on
// CodecContext::threads (rows are independent; identical texels for any count); the JPEG calls themselves are
// single-threaded. Cancellation is polled between transform row blocks and before and after the JPEG call, which
// cannot be interrupted. Errors: Result, never exceptions.
#pragma once

#include <cstdint>
#include <memory>

#include "codec/codec.h"

namespace lmc {

enum class JpegHdrTransform : std::uint8_t {
    LogRgb = 0,              // log2(c + eps) per channel, one shared range, JPEG's own YCbCr conversion
    LogLuminanceRatios = 1,  // log luminance in Y, log colour ratios r/g and b/g in Cb/Cr (the default)
};

// eps = max(kJpegEpsRelative * P1, P99.9 * 2^-kJpegEpsFloorStops), P1 / P99.9 = 1st / 99.9th percentile of the
// positive luminances of the covered texels (see the header comment); chosen by measurement, see the .cpp.
constexpr double kJpegEpsRelative = 1.0 / 16.0;
constexpr double kJpegEpsFloorStops = 26.0;

struct JpegHdrOptions {
    int quality = 75;          // libjpeg quality 1..100
    bool subsample420 = true;  // chroma 4:2:0, else 4:4:4
    JpegHdrTransform transform = JpegHdrTransform::LogLuminanceRatios;
    double epsRelative = kJpegEpsRelative;  // eps as a fraction of P1
    double epsOverride = 0;                 // > 0: use this eps (in the image's units) instead of the derived one
    bool progressive = true;  // progressive JPEG with optimised Huffman tables: smaller at the same quality
};

// The codec registered as "jpeg": parameters quality (Int 1..100, rate) and chroma (Enum "444" | "420").
std::unique_ptr<Codec> makeJpegCodec();

// Direct entry points (the codec calls these); the options beyond the codec's parameters exist so the transform
// choices can be measured against each other. Options are range-checked (InvalidArgument).
Result<Bytes> encodeJpegHdr(const ImageView& image, const JpegHdrOptions& options, const CodecContext& context);
Result<Image> decodeJpegHdr(const std::uint8_t* data, std::size_t size, const CodecContext& context);

}  // namespace lmc
