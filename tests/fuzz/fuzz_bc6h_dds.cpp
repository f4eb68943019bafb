// libFuzzer harness: the BC6H DDS reader and image decoder through the codec, on arbitrary bytes. Any outcome is
// fine except a crash, a sanitizer report, or a decoded image whose size differs from the header's.
#include <cstddef>
#include <cstdint>

#include "codec/bc6h/bc6h_codec.h"
#include "codec/bc6h/dds.h"
#include "codec/codec.h"
#include "codec/container.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const auto codec = lmc::makeBc6hCodec();
    lmc::CodecContext context;
    context.threads = 1;
    const bool sniffed = codec->recognizes(data, size);
    auto dds = lmc::bc6h::parseBc6hDds(data, size);
    if (dds.ok() && !sniffed) __builtin_trap();  // whatever parses must also be recognised
    auto image = codec->decode(data, size, context);
    // A zstd frame (supercompression=zstd) or an .lmc container (reduced resolution) is no DDS itself but may decode;
    // everything else decodes iff it parses.
    const bool zstdFrame = size >= 4 && data[0] == 0x28 && data[1] == 0xB5 && data[2] == 0x2F && data[3] == 0xFD;
    if (zstdFrame || lmc::looksLikeContainer(data, size)) return 0;
    if (image.ok() != dds.ok()) __builtin_trap();
    if (image.ok() && (image->width() != dds->width || image->height() != dds->height)) __builtin_trap();
    return 0;
}
