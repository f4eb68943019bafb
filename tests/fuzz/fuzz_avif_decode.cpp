// libFuzzer harness: the AVIF decoder (libavif + dav1d through our wrapper) on arbitrary bytes. Any outcome is fine
// except a crash, a sanitizer report, a decoded image that is empty, or a decoded value that is not finite.
#include <cmath>
#include <cstddef>
#include <cstdint>

#include "codec/avif_codec.h"
#include "codec/codec.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const auto codec = lmc::makeAvifCodec();
    lmc::CodecContext context;
    context.threads = 1;
    (void)codec->recognizes(data, size);
    auto image = codec->decode(data, size, context);
    if (!image.ok()) return 0;
    if (image->empty()) __builtin_trap();
    const float* v = image->data();
    for (std::int64_t i = 0; i < image->texelCount() * 3; ++i)
        if (!std::isfinite(v[i])) __builtin_trap();
    return 0;
}
