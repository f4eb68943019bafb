// The .lmc bitstream container, for codecs that have no standard file format of their own (JPEG-HDR, the learned
// codecs, BC6H at half or quarter resolution). BC6H at full resolution and ASTC use DDS and .astc instead.
//
// Layout, all integers little-endian:
//   offset 0   4 bytes  magic "LMC" 0x1A
//          4   u8       container version (1)
//          5   u8       codec id length n (1..32), then n bytes of ASCII codec id
//              u32      width, u32 height (texels of the decoded image)
//              u16      length m of the parameter text, then m bytes ("quality=75;chroma=420", see params.h)
//              u32      payload length p
//              u32      CRC-32 (IEEE 802.3, as zlib) of every byte before it plus the payload
//              p bytes  payload (codec-specific; it carries whatever the decoder needs beyond this header)
// Nothing follows the payload. The header costs 24 + n + m bytes and is part of every bitrate we report.
//
// Threading: pure functions. Errors: readContainer returns CorruptData for bad magic, unknown version, truncation,
// trailing bytes, sizes beyond the image limits or a checksum mismatch, before a codec looks at the payload.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "codec/result.h"

namespace lmc {

constexpr std::uint8_t kContainerVersion = 1;

struct ContainerHeader {
    std::string codecId;
    int width = 0;
    int height = 0;
    std::string params;
};

struct ContainerView {
    ContainerHeader header;
    const std::uint8_t* payload = nullptr;
    std::size_t payloadSize = 0;
};

std::vector<std::uint8_t> writeContainer(const ContainerHeader& header, const std::uint8_t* payload,
                                         std::size_t payloadSize);
inline std::vector<std::uint8_t> writeContainer(const ContainerHeader& header,
                                                const std::vector<std::uint8_t>& payload) {
    return writeContainer(header, payload.data(), payload.size());
}

// Checks magic only: cheap sniffing for the registry.
bool looksLikeContainer(const std::uint8_t* data, std::size_t size);
// Codec id of a container without verifying the checksum (empty when not a container).
std::string containerCodecId(const std::uint8_t* data, std::size_t size);
// Full parse and validation, checksum included.
Result<ContainerView> readContainer(const std::uint8_t* data, std::size_t size);

std::uint32_t crc32(const std::uint8_t* data, std::size_t size, std::uint32_t crc = 0);

// Little-endian byte writer/reader used by containers and codec payloads. The reader never reads past its end:
// each read reports failure instead.
class ByteWriter {
public:
    explicit ByteWriter(std::vector<std::uint8_t>& out) : out_(out) {}
    void u8(std::uint8_t v) { out_.push_back(v); }
    void u16(std::uint16_t v);
    void u32(std::uint32_t v);
    void f32(float v);
    void bytes(const std::uint8_t* data, std::size_t size) { out_.insert(out_.end(), data, data + size); }
    void text(const std::string& s) { bytes(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()); }

private:
    std::vector<std::uint8_t>& out_;
};

class ByteReader {
public:
    ByteReader(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
    bool u8(std::uint8_t& v);
    bool u16(std::uint16_t& v);
    bool u32(std::uint32_t& v);
    bool f32(float& v);
    bool bytes(std::size_t n, const std::uint8_t*& out);
    bool text(std::size_t n, std::string& out);
    std::size_t position() const { return pos_; }
    std::size_t remaining() const { return size_ - pos_; }

private:
    const std::uint8_t* data_;
    std::size_t size_;
    std::size_t pos_ = 0;
};

}  // namespace lmc
