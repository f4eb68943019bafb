// libFuzzer harness: a whole overfit-codec stream (container, layout, weights, context-model-coded latents) decoded
// on arbitrary bytes. The container's CRC is recomputed over whatever payload the input holds, so the fuzzer
// reaches the decoder instead of stopping at the checksum; the first two bytes pick a size up to 96 x 96 (the
// synthesis is the slow part, not the parsing). Any outcome is fine except a crash, a sanitizer report, an error of
// another kind than CorruptData, or a decoded image of another size than the header's, or with a negative or
// non-finite texel.
#include <cmath>
#include <cstddef>
#include <cstdint>

#include "codec/codec.h"
#include "codec/container.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const lmc::Codec* codec = lmc::CodecRegistry::builtin().find("overfit");
    if (codec == nullptr) __builtin_trap();
    if (size < 3) return 0;
    lmc::ContainerHeader header;
    header.codecId = "overfit";
    header.width = 1 + data[0] % 96;
    header.height = 1 + data[1] % 96;
    header.params = "rate=0.5;iterations=600";
    const lmc::Bytes stream = lmc::writeContainer(header, data + 2, size - 2);
    lmc::CodecContext context;
    context.threads = 1;
    auto image = codec->decode(stream.data(), stream.size(), context);
    if (!image.ok()) {
        if (image.error().code != lmc::ErrorCode::CorruptData) __builtin_trap();
        return 0;
    }
    if (image->width() != header.width || image->height() != header.height) __builtin_trap();
    for (std::int64_t i = 0; i < image->texelCount() * 3; ++i)
        if (!std::isfinite(image->data()[i]) || image->data()[i] < 0.0f) __builtin_trap();
    return 0;
}
