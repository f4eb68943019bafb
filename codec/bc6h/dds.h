// DDS files holding one BC6H 2D texture, with the DX10 extended header (DXGI_FORMAT_BC6H_UF16 = 95,
// DXGI_FORMAT_BC6H_SF16 = 96), as Direct3D, texconv, Compressonator and the engines read them.
//
// Layout written: "DDS " + DDS_HEADER (124 bytes: flags 0xA1007 = caps | height | width | pixel format | mip count
// | linear size, pitchOrLinearSize = blocks * 16, one mip level, caps 0x1000 = texture, pixel format {32, FourCC,
// "DX10"}) + DDS_HEADER_DXT10 (20 bytes: format, dimension 3 = 2D, misc 0, array size 1, misc2 0) + the blocks,
// row-major, ceil(w/4) * ceil(h/4) * 16 bytes. Width and height are the true texel sizes.
//
// Reading accepts what other tools write for a single 2D BC6H texture: a mip chain (only the top level is used),
// any pitch field and reserved bytes. It refuses, before touching the payload: bad magic or header sizes
// (CorruptData), other formats, cube maps, arrays and volume textures (Unsupported), zero or oversized dimensions
// (CorruptData / TooLarge, checked with checkImageSize before anything is allocated), and data shorter or longer
// than the declared mip chain (CorruptData). Threading: pure functions. Never throws.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "codec/result.h"

namespace lmc::bc6h {

constexpr std::uint32_t kDxgiFormatBc6hTypeless = 94;
constexpr std::uint32_t kDxgiFormatBc6hUf16 = 95;
constexpr std::uint32_t kDxgiFormatBc6hSf16 = 96;
constexpr std::size_t kDdsHeaderBytes = 4 + 124 + 20;

struct DdsBc6h {
    int width = 0;
    int height = 0;
    bool isSigned = false;
    int mipLevels = 1;
    const std::uint8_t* blocks = nullptr;  // top mip level, inside the caller's buffer
    std::size_t blockBytes = 0;            // ceil(w/4) * ceil(h/4) * 16
};

// Cheap sniffing: "DDS " magic, DX10 FourCC and a BC6H UF16/SF16 format in the extended header.
bool looksLikeBc6hDds(const std::uint8_t* data, std::size_t size);

// Full validation; the result points into `data`.
Result<DdsBc6h> parseBc6hDds(const std::uint8_t* data, std::size_t size);

// The 148 header bytes of a one-level BC6H texture of width x height.
std::vector<std::uint8_t> makeBc6hDdsHeader(int width, int height, bool isSigned);

// Bytes one mip level of BC6H blocks takes.
inline std::size_t bc6hLevelBytes(std::int64_t width, std::int64_t height) {
    std::int64_t bx = width > 0 ? (width + 3) / 4 : 1, by = height > 0 ? (height + 3) / 4 : 1;
    return std::size_t(bx) * std::size_t(by) * 16;
}

}  // namespace lmc::bc6h
