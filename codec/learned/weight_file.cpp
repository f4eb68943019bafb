#include "codec/learned/weight_file.h"

#include <cmath>
#include <cstring>

#include "codec/container.h"
#include "codec/file_io.h"

namespace lmc::learned {
namespace {

constexpr std::uint8_t kMagic[6] = {'L', 'M', 'C', 'W', 0x1A, 0x0A};
constexpr std::size_t kMaxTensors = 4096;
constexpr std::int64_t kMaxElements = std::int64_t{1} << 28;  // 1 GiB of floats: far beyond any model of ours

Error corrupt(const std::string& what) { return makeError(ErrorCode::CorruptData, "weight file: " + what); }

}  // namespace

std::int64_t WeightTensor::elementCount() const {
    std::int64_t n = 1;
    for (auto d : shape) n *= d;
    return n;
}

const WeightTensor* WeightFile::find(const std::string& name) const {
    auto it = tensors.find(name);
    return it == tensors.end() ? nullptr : &it->second;
}

Result<const WeightTensor*> WeightFile::require(const std::string& name,
                                                const std::vector<std::int64_t>& shape) const {
    const WeightTensor* t = find(name);
    if (!t) return corrupt("tensor '" + name + "' is missing");
    if (t->shape != shape) {
        auto str = [](const std::vector<std::int64_t>& s) {
            std::string r = "[";
            for (std::size_t i = 0; i < s.size(); ++i) r += (i ? "x" : "") + std::to_string(s[i]);
            return r + "]";
        };
        return corrupt("tensor '" + name + "' has shape " + str(t->shape) + ", expected " + str(shape));
    }
    return t;
}

std::vector<std::uint8_t> WeightFile::serialize() const {
    std::vector<std::uint8_t> out;
    ByteWriter w(out);
    w.bytes(kMagic, sizeof kMagic);
    w.u16(kWeightFileVersion);
    std::string text;
    for (const auto& [k, v] : metadata) text += k + "=" + v + "\n";
    w.u32(std::uint32_t(text.size()));
    w.text(text);
    w.u32(std::uint32_t(tensors.size()));
    for (const auto& [name, t] : tensors) {
        w.u16(std::uint16_t(name.size()));
        w.text(name);
        w.u8(std::uint8_t(t.shape.size()));
        for (auto d : t.shape) w.u32(std::uint32_t(d));
        for (float f : t.data) w.f32(f);
    }
    w.u32(crc32(out.data(), out.size()));
    return out;
}

std::uint32_t WeightFile::fingerprint() const {
    const auto bytes = serialize();
    std::uint32_t crc = 0;
    std::memcpy(&crc, bytes.data() + bytes.size() - 4, 4);  // little-endian hosts only, as the rest of the project
    return crc;
}

Result<WeightFile> WeightFile::deserialize(const std::uint8_t* data, std::size_t size) {
    if (size < sizeof kMagic + 2 + 4 + 4 + 4 || std::memcmp(data, kMagic, sizeof kMagic) != 0)
        return corrupt("not a weight file (bad magic)");
    {
        ByteReader tail(data + size - 4, 4);
        std::uint32_t stored = 0;
        tail.u32(stored);
        if (crc32(data, size - 4) != stored) return corrupt("checksum mismatch (the file is damaged)");
    }
    ByteReader r(data, size - 4);
    const std::uint8_t* skip = nullptr;
    r.bytes(sizeof kMagic, skip);
    std::uint16_t version = 0;
    if (!r.u16(version)) return corrupt("truncated");
    if (version != kWeightFileVersion) return corrupt("unsupported version " + std::to_string(version));
    std::uint32_t textSize = 0;
    std::string text;
    if (!r.u32(textSize) || !r.text(textSize, text)) return corrupt("truncated metadata");
    WeightFile file;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos) return corrupt("metadata line without newline");
        const std::string line = text.substr(start, end - start);
        const std::size_t eq = line.find('=');
        if (eq == std::string::npos || eq == 0) return corrupt("bad metadata line '" + line + "'");
        file.metadata[line.substr(0, eq)] = line.substr(eq + 1);
        start = end + 1;
    }
    std::uint32_t count = 0;
    if (!r.u32(count)) return corrupt("truncated tensor count");
    if (count > kMaxTensors) return corrupt("too many tensors");
    for (std::uint32_t i = 0; i < count; ++i) {
        std::uint16_t nameSize = 0;
        std::string name;
        std::uint8_t rank = 0;
        if (!r.u16(nameSize) || !r.text(nameSize, name) || !r.u8(rank)) return corrupt("truncated tensor header");
        if (name.empty()) return corrupt("tensor without a name");
        if (rank > 4) return corrupt("tensor '" + name + "' has rank " + std::to_string(rank));
        WeightTensor t;
        std::int64_t n = 1;
        for (int d = 0; d < rank; ++d) {
            std::uint32_t dim = 0;
            if (!r.u32(dim)) return corrupt("truncated tensor header");
            if (dim == 0 || dim > std::uint32_t(kMaxElements)) return corrupt("tensor '" + name + "' has a bad size");
            n *= dim;
            if (n > kMaxElements) return corrupt("tensor '" + name + "' is too large");
            t.shape.push_back(dim);
        }
        if (r.remaining() < std::size_t(n) * 4) return corrupt("tensor '" + name + "' is truncated");
        t.data.resize(std::size_t(n));
        for (auto& f : t.data) {
            r.f32(f);
            if (!std::isfinite(f)) return corrupt("tensor '" + name + "' holds a non-finite value");
        }
        if (!file.tensors.emplace(name, std::move(t)).second) return corrupt("tensor '" + name + "' appears twice");
    }
    if (r.remaining() != 0) return corrupt("trailing bytes");
    return file;
}

Result<WeightFile> readWeightFile(const std::string& path) {
    auto bytes = readFileBytes(path);
    if (!bytes) return bytes.error();
    auto file = WeightFile::deserialize(bytes->data(), bytes->size());
    if (!file) return makeError(file.error().code, path + ": " + file.error().message);
    return file;
}

Status writeWeightFile(const std::string& path, const WeightFile& file) {
    return writeFileAtomic(path, file.serialize());
}

}  // namespace lmc::learned
