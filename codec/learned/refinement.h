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
//   u32 length of the stripe's rANS stream, kRefinementContexts x u8 table index, the rANS stream.
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
constexpr double kRefinementDeadZone = 0.08;  // measured: 0.15 and 0.25 cost more bits per dB

// epsilon of the log domain: 1/16 of the 1st percentile of the positive, finite channel values of covered texels
// (1 when there is none; at most ~1M texels sampled). Texels far below it get absolute rather than relative
// precision: 4 stops under the darkest 1% is where exposure-averaged metrics stop seeing errors (measured: 1/8 of
// the 0.1th percentile spent bits on invisible noise, -0.2 dB mPSNR at the same rate on the held-out maps).
float refinementEpsilon(const ImageView& image);

// Bit c set: channel c is <= 0 (or not finite) in every texel of the image; such channels decode as exact zeros.
unsigned zeroChannelMask(const ImageView& image);

struct RefinementEncoding {
    Bytes bytes;               // the stripes, as laid out above
    double estimatedBits = 0;  // the entropy model's cost of the coded symbols plus the stripes' side information
                               // (length, table indexes); the rANS flush bytes are not included
};

// Codes source - base. `base` is exactly what the decoder reconstructs before refinement (same size as source);
// `black` is the W x H map of texels coded as exact black (empty = none). step > 0, epsilon > 0, both finite.
Result<RefinementEncoding> encodeRefinement(const ImageView& source, const Image& base,
                                            const std::vector<std::uint8_t>& black, unsigned zeroChannels, float step,
                                            float epsilon, const CodecContext& context);

// Decodes the stripes in data[0, size) and applies them to `image` (the base reconstruction) in place. The whole
// buffer must be consumed. On error `image` is partly refined and must be discarded.
Status applyRefinement(const std::uint8_t* data, std::size_t size, const std::vector<std::uint8_t>& black,
                       unsigned zeroChannels, float step, float epsilon, Image& image, const CodecContext& context);

namespace detail {
// The decoder's 8x8 inverse DCT of one channel of a block (64 integers in zig-zag order, reconstructed as value *
// step) into r[y][x]. inverseDct skips the zero coefficients; inverseDctReference is the plain separable sum it
// must equal bit for bit (exposed for that test).
void inverseDct(const std::int32_t* zigzagValues, double step, double r[kRefinementBlock][kRefinementBlock]);
void inverseDctReference(const std::int32_t* zigzagValues, double step, double r[kRefinementBlock][kRefinementBlock]);
}  // namespace detail

}  // namespace lmc::learned
