// libFuzzer harness: the BC6H block decoder on arbitrary 16-byte blocks, both signednesses. Checks, besides
// sanitizers: every bit of a non-reserved block is a field (unpack then pack gives the block back), UF16 output
// never exceeds 0x7BFF (no Inf/NaN), SF16 magnitudes never exceed 0x7C00 (-Inf is the format's one artifact).
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "codec/bc6h/bc6h_decoder.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 16) return 0;
    std::uint8_t block[16];
    std::memcpy(block, data, 16);
    std::uint16_t texels[16][3];
    lmc::bc6h::decodeBlock(block, false, texels);
    for (auto& t : texels)
        for (std::uint16_t v : t)
            if (v > 0x7BFF) __builtin_trap();
    lmc::bc6h::decodeBlock(block, true, texels);
    for (auto& t : texels)
        for (std::uint16_t v : t)
            if ((v & 0x7FFF) > 0x7C00 || v == 0x7C00) __builtin_trap();
    lmc::bc6h::BlockFields fields;
    if (lmc::bc6h::unpackBlock(block, fields)) {
        std::uint8_t repacked[16];
        lmc::bc6h::packBlock(fields, repacked);
        if (std::memcmp(block, repacked, 16) != 0) __builtin_trap();
    }
    return 0;
}
