// libFuzzer harness: the BC6H block encoder on arbitrary float bit patterns (NaN, Inf, denormals, huge values,
// negatives), every level and both signednesses. Checks, besides sanitizers: the written block decodes to finite
// texels (UF16: never negative) and to exactly the error the encoder reports.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "codec/bc6h/bc6h_decoder.h"
#include "codec/bc6h/bc6h_encoder.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 16 * 3 * 4 + 1) return 0;
    float texels[16][3];
    std::memcpy(texels, data, sizeof(texels));
    const std::uint8_t control = data[sizeof(texels)];
    lmc::bc6h::EncodeSettings settings;
    settings.isSigned = (control & 1) != 0;
    settings.level = lmc::bc6h::Level((control >> 1) % 4);
    std::uint8_t block[16];
    const float claimed = lmc::bc6h::encodeBlock(texels, settings, block);
    std::uint16_t out[16][3];
    lmc::bc6h::decodeBlock(block, settings.isSigned, out);
    double actual = 0;
    for (int i = 0; i < 16; ++i)
        for (int c = 0; c < 3; ++c) {
            const float v = lmc::bc6h::halfToFloat(out[i][c]);
            if (!std::isfinite(v) || (!settings.isSigned && v < 0)) __builtin_trap();
            const double d = double(lmc::bc6h::errorCode(v, settings.isSigned)) -
                             double(lmc::bc6h::errorCode(texels[i][c], settings.isSigned));
            actual += d * d;
        }
    if (!(std::fabs(actual - double(claimed)) <= 1e-3 * std::fmax(1.0, actual))) __builtin_trap();
    return 0;
}
