// MemoryOStream: the growable in-memory Imf::OStream that lmc_codec's OpenEXR writers (exr_io.cpp, exr_codec.cpp)
// write files into. OpenEXR seeks back to fill in the chunk offset table, so writes may land before the end.
// Internal to lmc_codec (it pulls in OpenEXR's headers). Threading: one object per file being written. Errors: a
// failed allocation throws std::bad_alloc, which the writers' exception guards turn into Result errors.
#pragma once

#include <ImfIO.h>

#include <cstdint>
#include <cstring>
#include <utility>
#include <vector>

namespace lmc {

class MemoryOStream final : public Imf::OStream {
public:
    MemoryOStream() : Imf::OStream("<memory>") {}
    void write(const char c[], int n) override {
        if (n <= 0) return;
        const std::size_t end = position_ + std::size_t(n);
        if (end > bytes_.size()) bytes_.resize(end);
        std::memcpy(bytes_.data() + position_, c, std::size_t(n));
        position_ = end;
    }
    std::uint64_t tellp() override { return position_; }
    void seekp(std::uint64_t pos) override { position_ = std::size_t(pos); }
    std::vector<std::uint8_t> take() { return std::move(bytes_); }

private:
    std::vector<std::uint8_t> bytes_;
    std::size_t position_ = 0;
};

}  // namespace lmc
