// BC6H block decoding, bit-exact to the specification (Microsoft's "BC6H Format" page and the OpenGL
// ARB_texture_compression_bptc appendix): all 14 modes, UF16 and SF16, the 32 partitions, reserved modes (the
// whole block decodes to zero), sign extension and wrapping of transformed endpoints, unquantize and finish
// unquantize. The block-field layer (unpackBlock / packBlock) is shared with the encoder, so what the encoder
// writes is read back by exactly the code that defines the format.
//
// Decoded texels are 16-bit half-float bit patterns. UF16 never produces Inf or NaN (at most 0x7BFF = 65504);
// SF16 can produce -Inf (0xFC00) from a 16-bit base endpoint of -32768, an artifact of the format itself that the
// specification keeps and that we reproduce faithfully. No encoder writes it.
//
// Threading: pure functions; decodeBc6hBlocks splits block rows over CodecContext::resolvedThreads() threads.
// Errors: block decoding cannot fail (every 128-bit pattern is a valid block); decodeBc6hBlocks returns
// CorruptData when the data is shorter than the image needs, Cancelled when asked, TooLarge for refused sizes.
#pragma once

#include <cstddef>
#include <cstdint>

#include "codec/codec.h"
#include "codec/image.h"
#include "codec/result.h"

namespace lmc::bc6h {

constexpr int kBlockBytes = 16;

// The variables of one block as stored, before sign extension and the inverse transform.
struct BlockFields {
    int mode = 0;                 // 0..13, index into kModes
    int partition = 0;            // 0..31; two-region modes only
    std::int32_t stored[4][3]{};  // e0..e3 as stored: e0 with endpointBits bits, e1..e3 with deltaBits bits
    std::uint8_t index[16]{};     // texel indices in row-major order (anchor texels: their top bit is 0)
};

// Reads a block's fields. Returns false (and leaves `fields` unspecified) for the reserved modes.
bool unpackBlock(const std::uint8_t block[kBlockBytes], BlockFields& fields);
// Writes a block. Stored values are masked to their widths; anchor indices must have their top bit clear.
void packBlock(const BlockFields& fields, std::uint8_t block[kBlockBytes]);

// Endpoint values after sign extension and the inverse transform (wrapped to endpointBits), e0..e3.
void resolveEndpoints(const BlockFields& fields, bool isSigned, std::int32_t endpoints[4][3]);

// The specification's unquantize (endpoint code -> 16/17-bit interpolation domain) and finish_unquantize
// (interpolated value -> half bits).
inline int unquantize(int code, int bits, bool isSigned) {
    if (!isSigned) {
        if (bits >= 15) return code;
        if (code == 0) return 0;
        if (code == (1 << bits) - 1) return 0xFFFF;
        return ((code << 16) + 0x8000) >> bits;
    }
    if (bits >= 16) return code;
    const bool negative = code < 0;
    const int magnitude = negative ? -code : code;
    int unq;
    if (magnitude == 0)
        unq = 0;
    else if (magnitude >= (1 << (bits - 1)) - 1)
        unq = 0x7FFF;
    else
        unq = ((magnitude << 15) + 0x4000) >> (bits - 1);
    return negative ? -unq : unq;
}
inline std::uint16_t finishUnquantize(int value, bool isSigned) {
    if (!isSigned) return std::uint16_t((value * 31) >> 6);
    if (value < 0) return std::uint16_t(0x8000 | (((-value) * 31) >> 5));
    return std::uint16_t((value * 31) >> 5);
}
// (a * (64 - w) + b * w + 32) >> 6, with an arithmetic shift as the specification's signed 17-bit arithmetic.
inline int interpolate(int a, int b, int weight) {
    return (a * (64 - weight) + b * weight + 32) >> 6;
}

// Decodes one block into 16 texels (row-major) of 3 half-float bit patterns.
void decodeBlock(const std::uint8_t block[kBlockBytes], bool isSigned, std::uint16_t texels[16][3]);

float halfToFloat(std::uint16_t bits);

// Decodes ceil(width/4) * ceil(height/4) blocks (row-major) into an image of width x height.
Result<Image> decodeBc6hBlocks(const std::uint8_t* blocks, std::size_t size, int width, int height, bool isSigned,
                               const CodecContext& context);

}  // namespace lmc::bc6h
