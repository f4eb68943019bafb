// OpenEXR as a lightmap codec (registry id "exr"): the map written as a standard half-float .exr file, with the
// lossy DWAB compression that game and VFX pipelines ship, or lossless PIZ as a reference point. Any OpenEXR
// reader (exrheader, exrinfo, DCC tools, engines) opens the stream.
//
// Stream: one scanline part, data window = display window at the origin, channels B, G, R of type HALF (nothing
// else: no alpha, no optional attributes beyond the `type` string OpenEXR's C++ writer always adds), compression
// DWAB (256-line blocks) or PIZ (32-line blocks). The DWA level is an encoder setting only: it is not stored.
//
// Parameters: `compression` = dwab (default) | piz; `level` = DWA compression level, the rate slider (higher =
// coarser quantisation = fewer bits, so higherIsMoreBits = false), 1..5000, OpenEXR's default 45; PIZ ignores it.
//
// Input clean-up: NaN -> 0, +-Inf and finite values beyond +-65504 (the largest half) -> +-65504; negatives are
// kept (traits().keepsNegatives is true). Texels that round to exactly (-1, -1, -1) in half are stored one half step
// towards zero in their blue channel, because our EXR reader takes that triple as Unity 4's "empty texel" marker. With
// DWAB, texels outside the mask the encoder is given (encodeImage passes the visible set) are filled pull-push from the
// masked ones so DWA spends no bits on gutter edges; PIZ stores every texel as given, so it stays exactly lossless
// on half-representable input.
//
// Decoding goes through readExrFromMemory (exr_io.h), the same hardened path that loads .exr lightmaps: a damaged
// or truncated stream gives CorruptData, never a crash. Any channel layout that reader accepts decodes; an alpha
// channel is ignored (the decoded image has no mask). Decoded values are finite: DWAB can reconstruct texels next
// to +-65504 as +-Inf, which decode as +-65504 (NaN, from other writers, as 0).
//
// Threading: each call owns its OpenEXR objects; calls may run concurrently. OpenEXR's own thread pool is left at
// its process-wide default (not changed here), so coding is effectively on the calling thread. Encoding writes
// 256-line bands and polls cancellation / reports progress between them; decoding polls before and after the
// library call. Errors: Result, OpenEXR exceptions never escape.
#pragma once

#include <memory>

#include "codec/codec.h"

namespace lmc {

// The codec registered as "exr".
std::unique_ptr<Codec> makeExrCodec();

}  // namespace lmc
