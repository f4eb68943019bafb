// BC6H codec (registry id "bc6h"): HDR lightmaps as DirectX BC6H textures, always 8 bits per texel, stored as a
// .dds file with the DX10 header that GPUs, engines and DDS tools load directly (the codec's stream IS the file).
//
// Parameters: quality = fast | normal | high (default) | max, the encoder's effort (bc6h_encoder.h lists what each
// level searches); it is the codec's only rate-like knob, because the bitrate never changes (8 bpp plus the
// 148-byte header). format = uf16 (default; negative input clamps to 0) | sf16 (keeps negatives).
// Input clean-up: NaN -> 0, +-Inf -> +-65504, |x| > 65504 -> 65504, UF16 negatives -> 0. Masks are ignored when
// encoding (gutter texels are encoded like any other, since bilinear filtering reads them at chart edges), except
// that the automatic dark floor of the error metric (bc6h_encoder.h) is taken from the covered texels.
//
// Threading: stateless; encode and decode split block rows over the context's threads, poll cancellation per
// block row (Cancelled) and report progress. Errors: bad DDS files give CorruptData/Unsupported/TooLarge (see
// dds.h), never a crash.
#pragma once

#include <memory>

#include "codec/codec.h"

namespace lmc {

std::unique_ptr<Codec> makeBc6hCodec();

}  // namespace lmc
