// Resampling for the BC6H codec's reduced resolutions (resolution = half | quarter, see bc6h_codec.h): the
// coverage-weighted box filter that makes the small lightmap, and the bilinear upsampling a GPU sampler applies
// when a game draws with it.
//
// Geometry. A lightmap is addressed by normalised UVs, so the small texture of w = ceil(W / f) by h = ceil(H / f)
// texels covers the same [0, 1]^2 as the W x H original. The sampler (texel centres at (i + 0.5) / size, bilinear,
// clamp to edge) reads output texel x at small-texture coordinate s = (x + 0.5) * w / W - 0.5. The box filter uses
// the same mapping: small texel X averages source texels over [X * W / w, (X + 1) * W / w), each weighted by the
// length of its overlap (exact integer arithmetic). When f divides the size that is the plain f x f box; for odd
// sizes (37 -> 19 at half) edge texels are split between neighbours so every source texel weighs 1 in total.
//
// Coverage. Texels the mask marks uncovered, and texels that are exactly black (0, 0, 0 after the clean-up below:
// unbaked gutters, also in lightmaps without a mask or whose alpha is all 1), carry no weight, so a chart next to a
// gutter keeps its brightness. A small texel with no weighted source texel takes
//  * next to small texels that have one: the mean of those 8-neighbours (a one-texel dilation; the bilinear filter
//    reads no farther, so covered output texels never see the gutter);
//  * farther away, when all its source texels are uncovered by the mask: the pull-push fill (pull_push_fill.h),
//    nobody sees them and smooth values keep BC6H blocks at chart borders free of a black-to-lit range;
//  * farther away otherwise (black texels the mask calls covered, or no mask): the plain mean of its source texels,
//    so black areas stay black. Filling those too (pull-push everywhere) cost 8-15 dB mPSNR on our held-out
//    lightmaps whose black gutters count as content.
// Measured on the 4 held-out real lightmaps (quality normal): Unity's masked cornell box at quarter resolution gets
// 43.6 dB mPSNR with this against 42.4 dB with a plain box filter (equal at half). On the three without a real mask
// (black gutters) the plain box scores 2-5.6 dB higher, because the dilation brightens black gutter texels next to
// charts and those are measured there; in a game nobody samples them, while the plain box darkens the texels along
// every chart border (by 10 % on average at half resolution, 25 % at quarter, in the codec's test).
//
// Clean-up before filtering, as the BC6H encoder does per texel: NaN -> 0, values clamped to +-65504, and for UF16
// negative values -> 0.
//
// Threading: pure functions; rows are spread over CodecContext::resolvedThreads() threads, cancellation is polled
// per row (Cancelled) and progress reported. Results do not depend on the thread count. Errors: TooLarge for sizes
// checkImageSize refuses or when memory runs out, InvalidArgument for an empty image or a bad factor.
#pragma once

#include "codec/codec.h"
#include "codec/image.h"
#include "codec/result.h"

namespace lmc::bc6h {

// Texels per axis of the reduced image: ceil(size / factor).
inline int reducedSize(int size, int factor) {
    return (size + factor - 1) / factor;
}

// Coverage-weighted box downscale of `image` to reducedSize(W, factor) x reducedSize(H, factor) (factor >= 1).
// The result has no mask.
Result<Image> downscaleCoverageWeighted(const ImageView& image, int factor, bool isSigned, const CodecContext& context);

// Bilinear upsampling of `small` to width x height, texel centres aligned and clamped to the edge as above.
Result<Image> upsampleBilinear(const ImageView& small, int width, int height, const CodecContext& context);

}  // namespace lmc::bc6h
