#include "app/studio/codec_blocks.h"

#include <algorithm>
#include <string>

namespace lmc::studio {
namespace {

// The chosen name of an enum parameter, or "" when the codec has no such parameter.
std::string choiceOf(const Codec& codec, const ParamSet& params, const std::string& id) {
    for (const ParamSpec& spec : codec.schema()) {
        if (spec.id != id || spec.choices.empty()) continue;
        const int index = params.getInt(id, int(spec.defaultValue));
        return spec.choices[std::size_t(std::clamp(index, 0, int(spec.choices.size()) - 1))];
    }
    return {};
}

}  // namespace

QSize codecBlockSize(const Codec& codec, const ParamSet& params) {
    const std::string id = codec.id();
    if (id == "bc6h") {
        const std::string resolution = choiceOf(codec, params, "resolution");
        const int side = resolution == "quarter" ? 16 : resolution == "half" ? 8 : 4;
        return {side, side};
    }
    if (id == "astc") {
        const std::string block = choiceOf(codec, params, "block");  // "6x6", "10x5", ...
        const auto x = block.find('x');
        if (x == std::string::npos) return {};
        try {
            const int w = std::stoi(block.substr(0, x)), h = std::stoi(block.substr(x + 1));
            return w > 0 && h > 0 ? QSize(w, h) : QSize();
        } catch (const std::exception&) {
            return {};
        }
    }
    if (id == "jpeg") return choiceOf(codec, params, "chroma") == "420" ? QSize(16, 16) : QSize(8, 8);
    if (id == "exr") return choiceOf(codec, params, "compression") == "dwab" ? QSize(8, 8) : QSize();
    return {};
}

}  // namespace lmc::studio
