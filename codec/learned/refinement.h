// The refinement layer of the learned codecs: a residual coder in the log domain on top of the networks'
// reconstruction, so one `rate` slider reaches from the networks' low rates up to near-lossless.
//
// Why: the networks code each 16x16 block through M = 96 latents (model_spec.h). Truncating a block transform to
// 96 of its 768 coefficients caps quality whatever the rate (measured on the held-out lightmaps: 28.8 dB mPSNR on
// the dark horror map, 25.3 on the red-only V-Ray map, where BC6H reaches 39 and 55), and raising the latent
// rate bought about 1 dB. Coding the residual instead (as in learned lossy + residual designs such as Bai et al.,
// "Learning scalable l_inf-constrained near-lossless image compression", CVPR 2021) costs little where the
// networks are good and spends bits exactly where they are not.
//
// Domain: d = log2(x + epsilon) per channel, epsilon a small fraction of the image's darkest texels (in the
// stream): equal steps in d are equal relative errors, which is what exposure-averaged metrics (mPSNR) and a
// brightened view see, from the darkest texel up. Residual r = d(source) - d(base) on covered, not-black texels
// (elsewhere the mean of the block's other residuals, so chart edges and gutters do not cost bits; the decoder
// ignores those texels), in an orthonormal opponent colour basis, 8x8 orthonormal DCT-II blocks, dead-zone uniform
// quantisation with step `step` (q = sign(c) floor(|c| / step + 0.5 - kDeadZone)), then a rate-distortion pass of
// the encoder (each value may drop to its nearest magnitude - 1 or to 0 where that saves more bits than it costs
// in squared error, as video encoders' RDOQ); reconstruction q * step.
// Channels that are 0 in every texel of the source (`zeroChannels`) and exact-black texels are left out and stay 0.
//
// Entropy coding: each coefficient's Gaussian table (entropy/gaussian_conditional.h) is picked by one of
// kRefinementContexts contexts from already-coded integers only: the frequency band; the magnitudes of the same
// coefficient in the left and top blocks plus twice the previous coefficient's in zig-zag order; the number of
// non-zero coefficients so far in this block; and, for the chroma channels, whether the block's luma (and first
// chroma) has this coefficient non-zero. (Measured on the held-out maps: the chroma and previous-coefficient terms
// saved 9% of the bits at rate 0.5 over band + neighbours + non-zeros alone.) The encoder chooses each context's
// table (the cheapest for its symbols) and stores the
// table index. No floating point reaches the entropy coder's decisions, so a damaged or foreign base
// reconstruction can only change texels, never desynchronise the stream.
//
// Stripes: the image is coded in independent stripes of kRefinementStripeRows texel rows (no context crosses a
// stripe edge), each its own rANS stream with its own tables, so memory is bounded by one stripe per thread
// (8192x8192 maps included) and stripes encode and decode in parallel, to identical bytes and texels for any
// thread count. Stream layout (after the caller's header fields step and epsilon), per stripe:
//   u32 length of the stripe's rANS stream, kRefinementContexts x u8 table index, [Scaled format only:
//   kRefinementFlagContexts x u8 index of a flag table], the rANS stream ([Scaled: the flags of every channel block
//   of the stripe, then] the values of every (Scaled: every flagged) channel block, block by block in raster order).
//
// Threading: the functions are reentrant; they use context.resolvedThreads() threads over stripes and poll the
// cancel token per block row. Errors: Result/Status (InvalidArgument for mismatched inputs, CorruptData for a
// damaged stream, Cancelled).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "codec/codec.h"
#include "codec/image.h"
#include "codec/result.h"

namespace lmc::learned {

constexpr int kRefinementBlock = 8;
constexpr int kRefinementStripeRows = 128;    // texel rows per stripe (16 block rows)
constexpr int kRefinementContexts = 135;      // 5 bands x 3 neighbour classes x 3 non-zero counts, x 2 more for chroma
constexpr int kRefinementFlagContexts = 20;   // RefinementFormat::Scaled's block flags: 4 luma, 2 x 8 chroma
constexpr double kRefinementDeadZone = 0.08;  // measured: 0.15 and 0.25 cost more bits per dB

// epsilon of the log domain: 1/16 of the 1st percentile of the positive, finite channel values of covered texels
// (1 when there is none; at most ~1M texels sampled). Texels far below it get absolute rather than relative
// precision: 4 stops under the darkest 1% is where exposure-averaged metrics stop seeing errors (measured: 1/8 of
// the 0.1th percentile spent bits on invisible noise, -0.2 dB mPSNR at the same rate on the held-out maps).
float refinementEpsilon(const ImageView& image);

// Bit c set: channel c is <= 0 (or not finite) in every texel of the image; such channels decode as exact zeros.
unsigned zeroChannelMask(const ImageView& image);

// The layer's two formats (the learned stream's payload version names one). With d the decoded log-domain residual
// of a channel and p the base texel (negative and NaN read as 0), a texel is clamp(2^(log2(p + epsilon) + d) -
// epsilon, 0, 65504) in both; they differ in how the decoder computes it and in one entropy-coding detail:
enum class RefinementFormat {
    // Payload version 2: every channel block's 64 values are coded; the decoder computes the formula with libm's
    // log2 and exp2, the inverse DCT (detail::inverseDct) and the opponent transform in double. Kept so the streams
    // written with it decode to the same texels as before.
    Log2Exp2,
    // Payload version 3: each channel block has a flag (does it have a non-zero value), coded before the values
    // with binary tables the encoder picks per context, and only flagged channel blocks code their 64 values (at
    // rate 0.5 on the training maps 68% of the luma and 80% of the chroma channel blocks have none, and 68% of the
    // blocks none in any channel: the decoder skips their symbols, a few hundred thousand per megapixel). The
    // encoder's rate-distortion pass also zeroes a whole channel block where the squared error that adds costs
    // less than lambda times the bits of its values (measured on the training maps, rates 0.25-0.8, against
    // payload version 2: -0.6% / -0.7% / -0.7% BD-rate on log-PSNR / mPSNR / PU21-PSNR, mean of files). The
    // decoder computes (p + epsilon) * 2^d - epsilon, the same value up to rounding without the log2 (2^d by
    // exp2_core.h), the
    // inverse DCT (detail::inverseDctFloat) and the opponent transform in float; the per-texel step is vectorised
    // where the CPU allows, with the scalar path's operations, so the texels are the same bits on every path. A
    // block with no flag in any channel keeps its base texels, clamped to [0, 65504].
    Scaled,
};

struct RefinementEncoding {
    Bytes bytes;               // the stripes, as laid out above
    double estimatedBits = 0;  // the entropy model's cost of the coded symbols plus the stripes' side information
                               // (length, table indexes); the rANS flush bytes are not included
};

// Codes source - base. `base` is exactly what the decoder reconstructs before refinement (same size as source);
// `black` is the W x H map of texels coded as exact black (empty = none). step > 0, epsilon > 0, both finite.
Result<RefinementEncoding> encodeRefinement(const ImageView& source, const Image& base,
                                            const std::vector<std::uint8_t>& black, unsigned zeroChannels, float step,
                                            float epsilon, const CodecContext& context,
                                            RefinementFormat format = RefinementFormat::Scaled);

// Decodes the stripes in data[0, size) and applies them to `image` (the base reconstruction) in place. The whole
// buffer must be consumed. On error `image` is partly refined and must be discarded.
Status applyRefinement(const std::uint8_t* data, std::size_t size, const std::vector<std::uint8_t>& black,
                       unsigned zeroChannels, float step, float epsilon, Image& image, const CodecContext& context,
                       RefinementFormat format = RefinementFormat::Scaled);

namespace detail {
// RefinementFormat::Log2Exp2's 8x8 inverse DCT of one channel of a block (64 integers in zig-zag order,
// reconstructed as value * step) into r[y][x]. inverseDct skips the zero coefficients; inverseDctReference is the
// plain separable sum it must equal bit for bit (exposed for that test).
void inverseDct(const std::int32_t* zigzagValues, double step, double r[kRefinementBlock][kRefinementBlock]);
void inverseDctReference(const std::int32_t* zigzagValues, double step, double r[kRefinementBlock][kRefinementBlock]);
// RefinementFormat::Scaled's inverse DCT: the same separable sums in float (coefficients float(value) * step),
// zero coefficients and empty coefficient rows skipped, terms in a fixed order.
void inverseDctFloat(const std::int32_t* zigzagValues, float step, float r[kRefinementBlock][kRefinementBlock]);
// RefinementFormat::Scaled's per-texel step over `count` floats: texels[i] = clamp((max(0, texels[i]) + epsilon) *
// 2^d[i] - epsilon, 0, 65504) in double, rounded to float. `vector` false forces the scalar path (a test compares
// the paths); true takes the widest path this CPU runs.
void refineSpan(const float* d, std::size_t count, double epsilon, float* texels, bool vector = true);
// Whether refineSpan(..., true) runs a vector path on this CPU (else it is the scalar one).
bool refineSpanVectorised();
// Process-wide: false makes the decoder call refineSpan(..., false) (a test compares whole decodes); returns the
// previous setting. Default true.
bool setRefinementVectorPath(bool allowed);
}  // namespace detail

}  // namespace lmc::learned
