// libFuzzer harness: the learned codecs' refinement-layer decoder (codec/learned/refinement.h) on arbitrary bytes,
// over a fixed base image with exact-black texels, for every zero-channel mask and both formats. Any outcome is fine
// except a crash, a sanitizer report, a non-finite or negative texel after success, or a changed exact-black texel.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "codec/learned/refinement.h"

namespace {

struct Fixture {
    lmc::Image base;
    std::vector<std::uint8_t> black;
    Fixture() {
        const int w = 37, h = lmc::learned::kRefinementStripeRows + 21;  // two stripes, partial blocks
        base = *lmc::Image::create(w, h);
        black.assign(std::size_t(w) * h, 0);
        for (int y = 0; y < h; ++y)
            for (int x = 0; x < w; ++x) {
                float* p = base.texel(x, y);
                const bool isBlack = (x + y) % 13 == 0;
                black[std::size_t(y) * w + x] = isBlack ? 1 : 0;
                for (int c = 0; c < 3; ++c) p[c] = isBlack ? 0.0f : std::exp2(float(x - y) / 16.0f + float(c));
            }
    }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const Fixture fixture;
    if (size < 1) return 0;
    const unsigned zeroChannels = data[0] & 7u;
    const float step = (data[0] >> 3 & 1u) ? 0.01f : 0.5f;
    lmc::Image image = fixture.base;
    lmc::CodecContext context;
    context.threads = 1 + (data[0] >> 4 & 1u);
    // Bit 5: the payload version 2 format (today's encoder writes the other one, which the seeds hold).
    const auto format =
        (data[0] >> 5 & 1u) ? lmc::learned::RefinementFormat::Log2Exp2 : lmc::learned::RefinementFormat::Scaled;
    auto s = lmc::learned::applyRefinement(data + 1, size - 1, fixture.black, zeroChannels, step, 1e-3f, image, context,
                                           format);
    if (!s.ok()) return 0;
    for (std::int64_t i = 0; i < image.texelCount(); ++i)
        for (int c = 0; c < 3; ++c) {
            const float v = image.data()[i * 3 + c];
            if (!std::isfinite(v) || v < 0.0f) __builtin_trap();
            if ((fixture.black[std::size_t(i)] || (zeroChannels >> c & 1u)) && v != 0.0f) __builtin_trap();
        }
    return 0;
}
