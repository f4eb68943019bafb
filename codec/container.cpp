#include "codec/container.h"

#include <cstring>

#include <zlib.h>

#include "codec/image.h"

namespace lmc {

namespace {
constexpr std::uint8_t kMagic[4] = {'L', 'M', 'C', 0x1A};
constexpr std::size_t kMaxCodecIdLength = 32;
}  // namespace

std::uint32_t crc32(const std::uint8_t* data, std::size_t size, std::uint32_t crc) {
    return std::uint32_t(::crc32_z(crc, data, size));
}

void ByteWriter::u16(std::uint16_t v) {
    out_.push_back(std::uint8_t(v));
    out_.push_back(std::uint8_t(v >> 8));
}
void ByteWriter::u32(std::uint32_t v) {
    for (int i = 0; i < 4; ++i) out_.push_back(std::uint8_t(v >> (8 * i)));
}
void ByteWriter::f32(float v) {
    std::uint32_t bits;
    std::memcpy(&bits, &v, 4);
    u32(bits);
}

bool ByteReader::u8(std::uint8_t& v) {
    if (remaining() < 1) return false;
    v = data_[pos_++];
    return true;
}
bool ByteReader::u16(std::uint16_t& v) {
    if (remaining() < 2) return false;
    v = std::uint16_t(data_[pos_] | (data_[pos_ + 1] << 8));
    pos_ += 2;
    return true;
}
bool ByteReader::u32(std::uint32_t& v) {
    if (remaining() < 4) return false;
    v = 0;
    for (int i = 0; i < 4; ++i) v |= std::uint32_t(data_[pos_ + i]) << (8 * i);
    pos_ += 4;
    return true;
}
bool ByteReader::f32(float& v) {
    std::uint32_t bits;
    if (!u32(bits)) return false;
    std::memcpy(&v, &bits, 4);
    return true;
}
bool ByteReader::bytes(std::size_t n, const std::uint8_t*& out) {
    if (remaining() < n) return false;
    out = data_ + pos_;
    pos_ += n;
    return true;
}
bool ByteReader::text(std::size_t n, std::string& out) {
    const std::uint8_t* p;
    if (!bytes(n, p)) return false;
    out.assign(reinterpret_cast<const char*>(p), n);
    return true;
}

std::vector<std::uint8_t> writeContainer(const ContainerHeader& header, const std::uint8_t* payload,
                                         std::size_t payloadSize) {
    std::vector<std::uint8_t> out;
    out.reserve(32 + header.codecId.size() + header.params.size() + payloadSize);
    ByteWriter w(out);
    w.bytes(kMagic, 4);
    w.u8(kContainerVersion);
    w.u8(std::uint8_t(header.codecId.size()));
    w.text(header.codecId);
    w.u32(std::uint32_t(header.width));
    w.u32(std::uint32_t(header.height));
    w.u16(std::uint16_t(header.params.size()));
    w.text(header.params);
    w.u32(std::uint32_t(payloadSize));
    std::uint32_t crc = crc32(out.data(), out.size());
    crc = crc32(payload, payloadSize, crc);
    w.u32(crc);
    w.bytes(payload, payloadSize);
    return out;
}

bool looksLikeContainer(const std::uint8_t* data, std::size_t size) {
    return size >= 6 && std::memcmp(data, kMagic, 4) == 0;
}

std::string containerCodecId(const std::uint8_t* data, std::size_t size) {
    if (!looksLikeContainer(data, size)) return {};
    std::size_t n = data[5];
    if (n == 0 || n > kMaxCodecIdLength || size < 6 + n) return {};
    return std::string(reinterpret_cast<const char*>(data + 6), n);
}

Result<ContainerView> readContainer(const std::uint8_t* data, std::size_t size) {
    auto corrupt = [](const std::string& why) { return makeError(ErrorCode::CorruptData, "bad .lmc stream: " + why); };
    if (data == nullptr || size < 4 || std::memcmp(data, kMagic, 4) != 0) return corrupt("wrong magic");
    ByteReader r(data, size);
    const std::uint8_t* skip;
    r.bytes(4, skip);
    std::uint8_t version = 0, idLength = 0;
    if (!r.u8(version)) return corrupt("truncated header");
    if (version != kContainerVersion) return corrupt("unsupported container version " + std::to_string(version));
    ContainerView view;
    if (!r.u8(idLength) || idLength == 0 || idLength > kMaxCodecIdLength) return corrupt("bad codec id");
    if (!r.text(idLength, view.header.codecId)) return corrupt("truncated header");
    std::uint32_t width = 0, height = 0, payloadSize = 0, crc = 0;
    std::uint16_t paramLength = 0;
    if (!r.u32(width) || !r.u32(height) || !r.u16(paramLength)) return corrupt("truncated header");
    if (auto s = checkImageSize(width, height); !s) return corrupt("image size: " + s.error().message);
    view.header.width = int(width);
    view.header.height = int(height);
    if (!r.text(paramLength, view.header.params) || !r.u32(payloadSize)) return corrupt("truncated header");
    const std::size_t crcOffset = r.position();
    if (!r.u32(crc)) return corrupt("truncated header");
    if (r.remaining() < payloadSize) return corrupt("truncated payload");
    if (r.remaining() > payloadSize) return corrupt("trailing bytes after the payload");
    if (!r.bytes(payloadSize, view.payload)) return corrupt("truncated payload");
    view.payloadSize = payloadSize;
    std::uint32_t actual = crc32(data, crcOffset);
    actual = crc32(view.payload, payloadSize, actual);
    if (actual != crc) return corrupt("checksum mismatch (the stream is damaged)");
    return view;
}

}  // namespace lmc
