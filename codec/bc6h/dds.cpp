#include "codec/bc6h/dds.h"

#include <algorithm>
#include <cstring>
#include <string>

#include "codec/image.h"

namespace lmc::bc6h {

namespace {

// DDS_HEADER field offsets, counted from the start of the file (after the 4-byte magic).
constexpr std::size_t kSize = 4, kFlags = 8, kHeight = 12, kWidth = 16, kPitch = 20, kDepth = 24, kMipCount = 28;
constexpr std::size_t kPfSize = 76, kPfFlags = 80, kPfFourCC = 84, kCaps = 108, kCaps2 = 112;
constexpr std::size_t kDxgiFormat = 128, kDimension = 132, kMiscFlag = 136, kArraySize = 140, kMiscFlags2 = 144;

constexpr std::uint32_t kFlagCaps = 0x1, kFlagHeight = 0x2, kFlagWidth = 0x4, kFlagPixelFormat = 0x1000;
constexpr std::uint32_t kFlagMipCount = 0x20000, kFlagLinearSize = 0x80000, kFlagDepth = 0x800000;
constexpr std::uint32_t kPfFourCCFlag = 0x4;
constexpr std::uint32_t kCapsTexture = 0x1000;
constexpr std::uint32_t kCaps2Cubemap = 0x200, kCaps2Volume = 0x200000;
constexpr std::uint32_t kDimensionTexture2D = 3;
constexpr std::uint32_t kMiscTextureCube = 0x4;

constexpr std::uint32_t fourCC(char a, char b, char c, char d) {
    return std::uint32_t(std::uint8_t(a)) | std::uint32_t(std::uint8_t(b)) << 8 | std::uint32_t(std::uint8_t(c)) << 16 |
           std::uint32_t(std::uint8_t(d)) << 24;
}
constexpr std::uint32_t kMagic = fourCC('D', 'D', 'S', ' ');
constexpr std::uint32_t kDx10 = fourCC('D', 'X', '1', '0');

std::uint32_t readU32(const std::uint8_t* p, std::size_t offset) {
    return std::uint32_t(p[offset]) | std::uint32_t(p[offset + 1]) << 8 | std::uint32_t(p[offset + 2]) << 16 |
           std::uint32_t(p[offset + 3]) << 24;
}

void writeU32(std::uint8_t* p, std::size_t offset, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) p[offset + std::size_t(i)] = std::uint8_t(v >> (8 * i));
}

Error corrupt(const std::string& what) {
    return makeError(ErrorCode::CorruptData, "DDS: " + what);
}

}  // namespace

bool looksLikeBc6hDds(const std::uint8_t* data, std::size_t size) {
    if (data == nullptr || size < kDdsHeaderBytes) return false;
    if (readU32(data, 0) != kMagic || readU32(data, kPfFourCC) != kDx10) return false;
    std::uint32_t format = readU32(data, kDxgiFormat);
    return format == kDxgiFormatBc6hUf16 || format == kDxgiFormatBc6hSf16;
}

Result<DdsBc6h> parseBc6hDds(const std::uint8_t* data, std::size_t size) {
    if (data == nullptr || size < 4 || readU32(data, 0) != kMagic) return corrupt("not a DDS file (bad magic)");
    if (size < 4 + 124) return corrupt("the header is truncated");
    if (readU32(data, kSize) != 124) return corrupt("bad header size " + std::to_string(readU32(data, kSize)));
    if (readU32(data, kPfSize) != 32) return corrupt("bad pixel format size " + std::to_string(readU32(data, kPfSize)));
    if (!(readU32(data, kPfFlags) & kPfFourCCFlag) || readU32(data, kPfFourCC) != kDx10)
        return makeError(ErrorCode::Unsupported, "DDS: only BC6H textures with the DX10 header are supported");
    if (size < kDdsHeaderBytes) return corrupt("the DX10 header is truncated");

    std::uint32_t format = readU32(data, kDxgiFormat);
    if (format != kDxgiFormatBc6hUf16 && format != kDxgiFormatBc6hSf16) {
        if (format == kDxgiFormatBc6hTypeless)
            return makeError(ErrorCode::Unsupported, "DDS: BC6H_TYPELESS does not say whether texels are signed");
        return makeError(ErrorCode::Unsupported,
                         "DDS: DXGI format " + std::to_string(format) + " is not BC6H (95 = UF16, 96 = SF16)");
    }
    if (readU32(data, kDimension) != kDimensionTexture2D)
        return makeError(ErrorCode::Unsupported, "DDS: only 2D textures are supported (resource dimension " +
                                                     std::to_string(readU32(data, kDimension)) + ")");
    if (readU32(data, kMiscFlag) & kMiscTextureCube) return makeError(ErrorCode::Unsupported, "DDS: cube maps");
    if (readU32(data, kCaps2) & (kCaps2Cubemap | kCaps2Volume))
        return makeError(ErrorCode::Unsupported, "DDS: cube maps and volume textures are not supported");
    std::uint32_t arraySize = readU32(data, kArraySize);
    if (arraySize != 1)
        return makeError(ErrorCode::Unsupported,
                         "DDS: texture arrays are not supported (array size " + std::to_string(arraySize) + ")");
    if ((readU32(data, kFlags) & kFlagDepth) && readU32(data, kDepth) > 1)
        return makeError(ErrorCode::Unsupported, "DDS: volume textures are not supported");

    std::uint32_t width = readU32(data, kWidth), height = readU32(data, kHeight);
    if (width == 0 || height == 0)
        return corrupt("image size " + std::to_string(width) + "x" + std::to_string(height) + " is empty");
    if (auto s = checkImageSize(std::int64_t(width), std::int64_t(height)); !s) return s.error();

    // A missing mip-count flag or a count of 0 means one level. A chain can be at most log2(max side) + 1 long.
    std::uint32_t mipCount = readU32(data, kMipCount);
    if (!(readU32(data, kFlags) & kFlagMipCount) || mipCount == 0) mipCount = 1;
    std::uint32_t maxLevels = 1;
    for (std::uint32_t side = std::max(width, height); side > 1; side >>= 1) ++maxLevels;
    if (mipCount > maxLevels)
        return corrupt(std::to_string(mipCount) + " mip levels for a " + std::to_string(width) + "x" +
                       std::to_string(height) + " texture");
    std::uint64_t chain = 0;
    for (std::uint32_t level = 0; level < mipCount; ++level)
        chain += bc6hLevelBytes(std::max<std::int64_t>(1, std::int64_t(width) >> level),
                                std::max<std::int64_t>(1, std::int64_t(height) >> level));
    const std::uint64_t payload = size - kDdsHeaderBytes;
    if (payload < chain)
        return corrupt("the data is truncated: " + std::to_string(payload) + " bytes of " + std::to_string(chain));
    if (payload > chain) return corrupt(std::to_string(payload - chain) + " unexpected bytes after the texture data");

    DdsBc6h out;
    out.width = int(width);
    out.height = int(height);
    out.isSigned = format == kDxgiFormatBc6hSf16;
    out.mipLevels = int(mipCount);
    out.blocks = data + kDdsHeaderBytes;
    out.blockBytes = bc6hLevelBytes(width, height);
    return out;
}

std::vector<std::uint8_t> makeBc6hDdsHeader(int width, int height, bool isSigned) {
    std::vector<std::uint8_t> h(kDdsHeaderBytes, 0);
    std::uint8_t* p = h.data();
    writeU32(p, 0, kMagic);
    writeU32(p, kSize, 124);
    writeU32(p, kFlags, kFlagCaps | kFlagHeight | kFlagWidth | kFlagPixelFormat | kFlagMipCount | kFlagLinearSize);
    writeU32(p, kHeight, std::uint32_t(height));
    writeU32(p, kWidth, std::uint32_t(width));
    writeU32(p, kPitch, std::uint32_t(bc6hLevelBytes(width, height)));
    writeU32(p, kDepth, 0);
    writeU32(p, kMipCount, 1);
    writeU32(p, kPfSize, 32);
    writeU32(p, kPfFlags, kPfFourCCFlag);
    writeU32(p, kPfFourCC, kDx10);
    writeU32(p, kCaps, kCapsTexture);
    writeU32(p, kDxgiFormat, isSigned ? kDxgiFormatBc6hSf16 : kDxgiFormatBc6hUf16);
    writeU32(p, kDimension, kDimensionTexture2D);
    writeU32(p, kMiscFlag, 0);
    writeU32(p, kArraySize, 1);
    writeU32(p, kMiscFlags2, 0);
    return h;
}

}  // namespace lmc::bc6h
