// The one place that lists the built-in codecs: adding a codec means adding one line here. Explicit registration
// (rather than static initialisers) because the linker drops unreferenced objects of a static library.
#include "codec/astc_codec.h"
#include "codec/avif_codec.h"
#include "codec/codec.h"
#include "codec/exr_codec.h"
#include "codec/j2k_codec.h"
#include "codec/jpeg_codec.h"
#include "codec/jxl_codec.h"
#include "codec/learned/learned_codec.h"
#include "codec/learned/overfit/overfit_codec.h"

namespace lmc {

std::unique_ptr<Codec> makeBc6hCodec();  // codec/bc6h/bc6h_codec.cpp

namespace {

void registerBuiltinCodecs(CodecRegistry& registry) {
    registry.add(makeJpegCodec());
    registry.add(makeBc6hCodec());
    registry.add(makeAstcCodec());
    registry.add(makeJxlCodec());
    registry.add(makeAvifCodec());
    registry.add(makeExrCodec());
    registry.add(makeJ2kCodec());
    registry.add(std::make_unique<learned::LearnedCodec>(learned::Family::Autoencoder));
    registry.add(std::make_unique<learned::LearnedCodec>(learned::Family::Hyperprior));
    registry.add(std::make_unique<learned::LearnedCodec>(learned::Family::Gan));
    registry.add(overfit::makeOverfitCodec());
}

}  // namespace

// Here rather than in codec.cpp: lmc_core (codec.cpp) must not depend on the codec families' libraries.
const CodecRegistry& CodecRegistry::builtin() {
    static const CodecRegistry registry = [] {
        CodecRegistry r;
        registerBuiltinCodecs(r);
        return r;
    }();
    return registry;
}

}  // namespace lmc
