// libFuzzer harness: the "j2k" decoder (our main-header walk for the scale comment, then OpenJPEG behind our header
// checks) on arbitrary bytes. Any outcome is fine except a crash, a sanitizer report, or a decoded image holding a
// negative or non-finite texel. Inputs whose SIZ announces more than 2^24 texels are skipped to keep runs fast
// (the decoder itself accepts up to kMaxImageTexels).
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>

#include "codec/codec.h"
#include "codec/j2k_codec.h"

namespace {

std::uint32_t be32(const std::uint8_t* p) {
    return (std::uint32_t(p[0]) << 24) | (std::uint32_t(p[1]) << 16) | (std::uint32_t(p[2]) << 8) | p[3];
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const auto codec = lmc::makeJ2kCodec();
    // SOC, SIZ marker, Lsiz, Rsiz, then Xsiz, Ysiz, XOsiz, YOsiz (big-endian).
    if (size >= 24 && data[0] == 0xFF && data[1] == 0x4F && data[2] == 0xFF && data[3] == 0x51) {
        const std::uint64_t w = be32(data + 8) - std::uint64_t(std::min(be32(data + 16), be32(data + 8)));
        const std::uint64_t h = be32(data + 12) - std::uint64_t(std::min(be32(data + 20), be32(data + 12)));
        if (w * h > (std::uint64_t(1) << 24)) return 0;
    }
    lmc::CodecContext context;
    context.threads = 1;
    auto image = codec->decode(data, size, context);
    if (!image.ok()) return 0;
    const float* v = image->data();
    for (std::int64_t i = 0; i < image->texelCount() * 3; ++i)
        if (!std::isfinite(v[i]) || v[i] < 0.0f) __builtin_trap();
    return 0;
}
