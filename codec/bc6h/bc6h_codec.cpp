#include "codec/bc6h/bc6h_codec.h"

#include <algorithm>
#include <new>

#include "codec/bc6h/bc6h_decoder.h"
#include "codec/bc6h/bc6h_encoder.h"
#include "codec/bc6h/dds.h"

namespace lmc {

namespace {

class Bc6hCodec final : public Codec {
public:
    std::string id() const override { return "bc6h"; }
    std::string name() const override { return "BC6H"; }
    std::string description() const override {
        return "DirectX BC6H block compression (8 bits per texel), written as a DDS file GPUs load directly.";
    }
    std::string fileExtension() const override { return ".dds"; }

    ParamSchema schema() const override {
        return {asRate(enumParam("quality", "Quality",
                                 "Encoder effort: how many modes, partitions and endpoint refinements are searched "
                                 "(the bitrate is always 8 bits per texel).",
                                 {"fast", "normal", "high", "max"}, 2)),
                enumParam("format", "Format",
                          "BC6H_UF16 (unsigned, negative values clamp to 0) or BC6H_SF16 (signed).", {"uf16", "sf16"},
                          0)};
    }

    Result<Bytes> encode(const ImageView& image, const ParamSet& params, const CodecContext& context) const override {
        if (auto s = checkImageSize(image.width, image.height); !s) return s.error();
        if (image.rgb == nullptr) return makeError(ErrorCode::InvalidArgument, "image has no texels");
        bc6h::EncodeSettings settings;
        settings.level = bc6h::Level(std::clamp(params.getInt("quality", 2), 0, 3));
        settings.isSigned = params.getInt("format", 0) == 1;
        settings.darkFloor = -1.0f;  // automatic: see bc6h_encoder.h
        Bytes bytes;
        try {
            bytes = bc6h::makeBc6hDdsHeader(image.width, image.height, settings.isSigned);
            bytes.resize(bc6h::kDdsHeaderBytes + bc6h::bc6hLevelBytes(image.width, image.height));
        } catch (const std::bad_alloc&) {
            return makeError(ErrorCode::TooLarge, "not enough memory for the BC6H output");
        }
        if (auto s = bc6h::encodeBc6hBlocks(image, settings, context, bytes.data() + bc6h::kDdsHeaderBytes); !s)
            return s.error();
        return bytes;
    }

    Result<Image> decode(const std::uint8_t* data, std::size_t size, const CodecContext& context) const override {
        auto dds = bc6h::parseBc6hDds(data, size);
        if (!dds) return dds.error();
        try {
            return bc6h::decodeBc6hBlocks(dds->blocks, dds->blockBytes, dds->width, dds->height, dds->isSigned,
                                          context);
        } catch (const std::bad_alloc&) {
            return makeError(ErrorCode::TooLarge, "not enough memory for the decoded image");
        }
    }

    bool recognizes(const std::uint8_t* data, std::size_t size) const override {
        return bc6h::looksLikeBc6hDds(data, size);
    }
};

}  // namespace

std::unique_ptr<Codec> makeBc6hCodec() {
    return std::make_unique<Bc6hCodec>();
}

}  // namespace lmc
