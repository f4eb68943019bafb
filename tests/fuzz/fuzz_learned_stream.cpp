// libFuzzer harness: a whole learned-codec stream (container, header, black map, hyper-latent, latent, refinement
// layer, fp32 or int8) decoded by the vae codec with a small random model, on arbitrary bytes. The container's CRC is
// recomputed over whatever payload the input holds, so the fuzzer reaches the decoder instead of stopping at the
// checksum. Streams wider or taller than 160 texels are skipped (the synthesis of a random model is the slow part, not
// the parsing). Any outcome is fine except a crash, a sanitizer report, or a decoded image of another size than the
// header's, or with a negative or non-finite texel.
#include <cmath>
#include <cstddef>
#include <cstdint>

#include "codec/container.h"
#include "codec/learned/inference_model.h"
#include "codec/learned/learned_codec.h"

namespace {

std::shared_ptr<const lmc::learned::InferenceModel> smallModel() {
    const lmc::learned::ModelConfig c = lmc::learned::tinyModelConfig(lmc::learned::Family::Hyperprior);
    // With an INT8 calibration of every decoder layer as the shipped ones have (the linear block transform reads the
    // symbols), so int8 streams (precision field) reach the integer kernels.
    lmc::learned::Int8Calibration calibration;
    for (const auto& s : lmc::learned::decoderLayers(c))
        calibration.layers[s.name] = lmc::learned::int8LayerRule(s, 8.0f);
    auto m = lmc::learned::InferenceModel::load(lmc::learned::makeRandomWeights(c, 7), &calibration);
    if (!m) __builtin_trap();
    return *m;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const lmc::learned::LearnedCodec codec(lmc::learned::Family::Hyperprior, smallModel());
    if (size < 4) return 0;
    lmc::ContainerHeader header;
    header.codecId = "vae";
    header.width = 1 + data[0] % 160;
    header.height = 1 + data[1] % 160;
    header.params = "rate=0.5";
    lmc::Bytes payload(data + 2, data + size);
    // The payload's fingerprint field must match the model for decoding to get past the header: patch it in when
    // the input is long enough, so most inputs exercise the stream itself.
    const std::uint32_t fingerprint = codec.model().value()->fingerprint();
    if (payload.size() >= 6)
        for (int i = 0; i < 4; ++i) payload[2 + i] = std::uint8_t(fingerprint >> (8 * i));
    // Likewise the INT8 calibration's CRC when the flags announce a precision field (bit 5 of payload byte 14).
    const std::uint32_t calibration = codec.model().value()->int8Fingerprint();
    if (payload.size() >= 20 && (payload[14] & 0x20) != 0)
        for (int i = 0; i < 4; ++i) payload[16 + i] = std::uint8_t(calibration >> (8 * i));
    const lmc::Bytes stream = lmc::writeContainer(header, payload);
    lmc::CodecContext context;
    context.threads = 1;
    auto image = codec.decode(stream.data(), stream.size(), context);
    if (!image.ok()) return 0;
    if (image->width() != header.width || image->height() != header.height) __builtin_trap();
    for (std::int64_t i = 0; i < image->texelCount() * 3; ++i)
        if (!std::isfinite(image->data()[i]) || image->data()[i] < 0.0f) __builtin_trap();
    return 0;
}
