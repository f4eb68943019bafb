// libFuzzer harness: the "exr" codec. Even first byte: the rest is a stream for decode(), which must give an image
// or an error, never a crash or a sanitizer report, and a decoded image has no mask. Odd first byte: the rest is a
// small image of arbitrary float bit patterns (NaN, Inf, denormals, huge and negative values) and parameters; it must
// encode, decode to its own size, and with PIZ give back exactly the cleaned half value of every texel.
// Headers may announce images up to kMaxImageTexels (1.6 GB as floats): run with -rss_limit_mb=4096.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include <half.h>

#include "codec/codec.h"
#include "codec/exr_codec.h"

namespace {

float cleaned(float v) {
    if (std::isnan(v)) return 0.0f;
    return float(half(std::fmin(65504.0f, std::fmax(-65504.0f, v))));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const auto codec = lmc::makeExrCodec();
    lmc::CodecContext context;
    context.threads = 1;
    if (size < 1) return 0;
    if ((data[0] & 1) == 0) {
        auto image = codec->decode(data + 1, size - 1, context);
        if (image.ok() && (image->hasMask() || image->empty())) __builtin_trap();
        return 0;
    }
    if (size < 4) return 0;
    const int w = 1 + data[1] % 24, h = 1 + data[2] % 24;
    const bool piz = (data[3] & 1) != 0;
    const int level = 1 + (data[3] >> 1) * 39;  // 1..4954, inside the schema's 1..5000
    auto created = lmc::Image::create(w, h);
    if (!created) __builtin_trap();
    lmc::Image image = std::move(created).value();
    const std::size_t floats = std::size_t(w) * std::size_t(h) * 3;
    const std::size_t available = std::min(floats, (size - 4) / 4);
    std::memcpy(image.data(), data + 4, available * 4);
    lmc::ParamSet params;
    params.set("compression", piz ? 1 : 0);
    params.set("level", level);
    auto bytes = codec->encode(image.view(), params, context);
    if (!bytes.ok()) __builtin_trap();
    auto decoded = codec->decode(*bytes, context);
    if (!decoded.ok() || decoded->width() != w || decoded->height() != h) __builtin_trap();
    if (piz) {
        for (std::size_t i = 0; i < floats; i += 3) {
            const float* in = image.data() + i;
            const float* out = decoded->data() + i;
            const bool marker = cleaned(in[0]) == -1.0f && cleaned(in[1]) == -1.0f && cleaned(in[2]) == -1.0f;
            for (int c = 0; c < 3; ++c) {
                if (marker && c == 2) continue;  // stored one half step towards zero, see exr_codec.h
                const float want = cleaned(in[c]);
                if (std::memcmp(&want, &out[c], 4) != 0 && !(want == 0.0f && out[c] == 0.0f)) __builtin_trap();
            }
        }
    }
    return 0;
}
