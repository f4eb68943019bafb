// The one place that lists the built-in codecs: adding a codec means adding one line here. Explicit registration
// (rather than static initialisers) because the linker drops unreferenced objects of a static library.
#include "codec/codec.h"

namespace lmc {

void registerBuiltinCodecs(CodecRegistry& registry) {
    (void)registry;
}

}  // namespace lmc
