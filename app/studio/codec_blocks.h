// The block grid a codec's reconstruction shows its artifacts on, for the views' block overlay: BC6H 4x4 (8x8 and
// 16x16 texels when it stores half or quarter resolution, as the upsampled blocks cover that much of the map), ASTC
// its footprint (6x6, 12x12, ...), JPEG-HDR its 8x8 DCT or 16x16 MCU with 4:2:0 chroma, OpenEXR DWAB its 8x8 DCT.
// Codecs without a fixed grid (wavelets, variable or learned transforms, lossless) have none.
//
// Read from the codec's schema by choice name, so it follows the parameters the user picked. No Qt widgets; pure.
// Threading: reentrant. Errors: an unknown codec or unexpected choice gives no grid (an empty size).
#pragma once

#include <QSize>

#include "codec/codec.h"
#include "codec/params.h"

namespace lmc::studio {

// Texels per block (width, height); empty when the codec has no fixed block grid.
QSize codecBlockSize(const Codec& codec, const ParamSet& params);

}  // namespace lmc::studio
