// ASTC HDR: lightmaps as ARM's Adaptive Scalable Texture Compression with the HDR profile, through Debian's
// libastcenc (4.2), registry id "astc". The stream is a standard .astc file, which GPUs load without transcoding:
//   offset 0  u32 magic 0x5CA1AB13 (little-endian)
//          4  u8 block_x, u8 block_y, u8 block_z (= 1: 2D only)
//          7  u24 dim_x, u24 dim_y, u24 dim_z (= 1), little-endian
//         16  one 16-byte block per footprint, row-major, no padding and nothing after the last block
// so a stream is exactly 16 + 16 * ceil(w / bx) * ceil(h / by) bytes: 128 / (bx * by) bpp plus the header.
//
// Parameters: `block`, the footprint, an Enum ordered from "12x12" (0.89 bpp) to "4x4" (8 bpp) so that a higher
// index always means more bits (isRate, higherIsMoreBits = true, like every other codec's rate slider; 8x8 =
// 2.0 bpp sits between 10x8 and 10x6 for that reason), default "6x6" (3.56 bpp); `preset`, astcenc's search effort
// fastest / fast / medium / thorough / exhaustive (default medium).
//
// Input clean-up: NaN -> 0, +Inf -> 65504, negatives and -Inf -> 0, values above 65504 clamped (HDR ASTC stores
// non-negative FP16-range values). Uncovered texels (mask 0) take the mean of the covered texels of their block
// (or stay as they are when the block has none), so no endpoint precision goes to gutters that are never judged.
// Alpha is not stored meaningfully: RGB is encoded with an RGB1 swizzle.
//
// Decoding validates the header (magic, a legal 2D footprint, dim_z = 1, sizes within checkImageSize, exact
// length): CorruptData (TooLarge for sizes over the limits), never a crash. The blocks themselves carry no
// checksum; a damaged block decodes as ASTC's error colour or as other colours, and a decoded image holding any
// non-finite value is refused with CorruptData.
//
// Threading: encode and decode run on CodecContext::resolvedThreads() threads sharing one astcenc context (astcenc
// supports that); calls may run concurrently. astcenc 4.2 has no cancel call, so the image is coded in bands of
// block rows: cancellation is polled and progress reported between bands (a band is about 1/64 of the image).
// Errors: Result, never exceptions.
#pragma once

#include <memory>

#include "codec/codec.h"

namespace lmc {

// The codec registered as "astc".
std::unique_ptr<Codec> makeAstcCodec();

}  // namespace lmc
