// libFuzzer harness: the adaptive bit-map decoder (codec/learned/bit_map.h: the overfit codec's exact-black map) on
// arbitrary bytes. The first two bytes pick the map's size, width-1 and height-1 (each up to 256); the rest is the
// stream. Any outcome is fine except a crash, a sanitizer report, an error of another kind than CorruptData, or a
// decoded map of another size or with a value other than 0 and 1.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "codec/learned/bit_map.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) return 0;
    const int width = 1 + data[0], height = 1 + data[1];
    std::vector<std::uint8_t> bits;
    const lmc::Status st = lmc::learned::decodeBitMap(data + 2, size - 2, width, height, bits);
    if (!st.ok()) {
        if (st.error().code != lmc::ErrorCode::CorruptData) __builtin_trap();
        return 0;
    }
    if (bits.size() != std::size_t(width) * std::size_t(height)) __builtin_trap();
    for (std::uint8_t b : bits)
        if (b > 1) __builtin_trap();
    return 0;
}
