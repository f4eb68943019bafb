#include "codec/codec.h"

#include <algorithm>
#include <mutex>
#include <thread>

#include "codec/container.h"

namespace lmc {

int CodecContext::resolvedThreads() const {
    if (threads > 0) return threads;
    unsigned hw = std::thread::hardware_concurrency();
    return hw == 0 ? 1 : int(hw);
}

bool Codec::recognizes(const std::uint8_t* data, std::size_t size) const {
    return containerCodecId(data, size) == id();
}

std::optional<ParamSpec> Codec::rateParam() const {
    for (auto& spec : schema())
        if (spec.isRate) return spec;
    return std::nullopt;
}

Result<Bytes> encodeImage(const Codec& codec, const ImageView& image, const ParamSet& params,
                          const CodecContext& context) {
    if (auto s = checkImageSize(image.width, image.height); !s) return s.error();
    if (image.rgb == nullptr) return makeError(ErrorCode::InvalidArgument, "image has no texels");
    auto validated = validateParams(codec.schema(), params);
    if (!validated) return validated.error();
    // Codecs may spend no bits on texels outside the mask; the ring around each chart is seen through bilinear
    // filtering, so they get the visible set, not the bare coverage.
    std::vector<std::uint8_t> visible;
    ImageView coded;
    try {
        coded = withMaskMode(image, MaskMode::Visible, visible);
    } catch (const std::bad_alloc&) {
        return makeError(ErrorCode::TooLarge, "not enough memory for the image's visible-texel mask");
    }
    return codec.encode(coded, *validated, context);
}

void CodecRegistry::add(std::unique_ptr<Codec> codec) {
    codecs_.push_back(std::move(codec));
}

const Codec* CodecRegistry::find(std::string_view id) const {
    for (const auto& c : codecs_)
        if (c->id() == id) return c.get();
    return nullptr;
}

std::vector<const Codec*> CodecRegistry::codecs() const {
    std::vector<const Codec*> out;
    for (const auto& c : codecs_) out.push_back(c.get());
    return out;
}

std::vector<std::string> CodecRegistry::ids() const {
    std::vector<std::string> out;
    for (const auto& c : codecs_) out.push_back(c->id());
    return out;
}

const Codec* CodecRegistry::detect(const std::uint8_t* data, std::size_t size) const {
    for (const auto& c : codecs_)
        if (c->recognizes(data, size)) return c.get();
    return nullptr;
}

Result<Image> decodeAny(const CodecRegistry& registry, const std::uint8_t* data, std::size_t size,
                        const CodecContext& context) {
    const Codec* codec = registry.detect(data, size);
    if (!codec) {
        std::string id = containerCodecId(data, size);
        if (!id.empty())
            return makeError(ErrorCode::Unsupported,
                             "the stream was made by codec '" + id + "', which is not available");
        return makeError(ErrorCode::CorruptData,
                         "not a stream of any known codec (.lmc, DDS, .astc, JPEG XL, AVIF, OpenEXR, JPEG 2000)");
    }
    return codec->decode(data, size, context);
}

}  // namespace lmc
