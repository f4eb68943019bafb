#include "codec/bc6h/bc6h_codec.h"

#include <algorithm>
#include <cstdint>
#include <new>
#include <string>

#include "codec/bc6h/bc6h_decoder.h"
#include "codec/bc6h/bc6h_encoder.h"
#include "codec/bc6h/bc6h_parallel.h"
#include "codec/bc6h/bc6h_resample.h"
#include "codec/bc6h/dds.h"
#include "codec/container.h"

namespace lmc {

namespace {

// Resolution choices, ordered from fewest to most bits like every rate slider; the factor divides each axis.
constexpr int kResolutionFactors[] = {4, 2, 1};  // quarter, half, full
constexpr int kFullResolution = 2;
constexpr std::uint8_t kReducedPayloadVersion = 1;

int resolutionFactor(const ParamSet& params) {
    return kResolutionFactors[std::clamp(params.getInt("resolution", kFullResolution), 0, 2)];
}

Error corrupt(const std::string& why) {
    return makeError(ErrorCode::CorruptData, "bad BC6H .lmc stream: " + why);
}

class Bc6hCodec final : public Codec {
public:
    std::string id() const override { return "bc6h"; }
    std::string name() const override { return "BC6H"; }
    std::string description() const override {
        return "DirectX BC6H block compression (8 bits per stored texel): a DDS file GPUs load directly, or a "
               "half- or quarter-resolution texture that the GPU's bilinear filter upsamples.";
    }
    std::string fileExtension() const override { return ".dds"; }
    std::string fileExtensionFor(const ParamSet& params) const override {
        return resolutionFactor(params) == 1 ? ".dds" : ".lmc";
    }

    ParamSchema schema() const override {
        return {asRate(enumParam("resolution", "Resolution",
                                 "Stored resolution: full (8 bits per texel, a DDS file), or half / quarter per axis "
                                 "(about 2 / 0.5 bits per texel, an .lmc file) upsampled bilinearly like a GPU does.",
                                 {"quarter", "half", "full"}, kFullResolution)),
                enumParam("quality", "Quality",
                          "Encoder effort: how many modes, partitions and endpoint refinements are searched (it does "
                          "not change the bitrate).",
                          {"fast", "normal", "high", "max"}, 2),
                enumParam("format", "Format", "BC6H_UF16 (unsigned, negative values clamp to 0) or BC6H_SF16 (signed).",
                          {"uf16", "sf16"}, 0)};
    }

    Result<Bytes> encode(const ImageView& image, const ParamSet& params, const CodecContext& context) const override {
        if (auto s = checkImageSize(image.width, image.height); !s) return s.error();
        if (image.rgb == nullptr) return makeError(ErrorCode::InvalidArgument, "image has no texels");
        bc6h::EncodeSettings settings;
        settings.level = bc6h::Level(std::clamp(params.getInt("quality", 2), 0, 3));
        settings.isSigned = params.getInt("format", 0) == 1;
        settings.darkFloor = -1.0f;  // automatic: see bc6h_encoder.h
        const int factor = resolutionFactor(params);
        if (factor == 1) {
            Bytes bytes;
            if (auto s = encodeDds(image, settings, context, bytes); !s) return s.error();
            return bytes;
        }
        // Reduced resolution: the small image's DDS inside our container, which records the original size.
        auto small =
            bc6h::downscaleCoverageWeighted(image, factor, settings.isSigned, bc6h::progressSlice(context, 0.0, 0.1));
        if (!small) return small.error();
        settings.darkFloor = bc6h::automaticDarkFloor(image);  // the original's, as at full resolution
        try {
            Bytes payload{kReducedPayloadVersion, std::uint8_t(factor)};
            if (auto s = encodeDds(small->view(), settings, bc6h::progressSlice(context, 0.1, 1.0), payload); !s)
                return s.error();
            ContainerHeader header;
            header.codecId = id();
            header.width = image.width;
            header.height = image.height;
            header.params = formatParamSet(schema(), params);
            return writeContainer(header, payload);
        } catch (const std::bad_alloc&) {
            return makeError(ErrorCode::TooLarge, "not enough memory for the BC6H output");
        }
    }

    Result<Image> decode(const std::uint8_t* data, std::size_t size, const CodecContext& context) const override {
        if (data != nullptr && looksLikeContainer(data, size)) return decodeReduced(data, size, context);
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
        return bc6h::looksLikeBc6hDds(data, size) || Codec::recognizes(data, size);
    }

private:
    // Appends a DDS file of `image` (header and blocks) to `out`.
    static Status encodeDds(const ImageView& image, const bc6h::EncodeSettings& settings, const CodecContext& context,
                            Bytes& out) {
        const std::size_t offset = out.size();
        try {
            const auto header = bc6h::makeBc6hDdsHeader(image.width, image.height, settings.isSigned);
            out.insert(out.end(), header.begin(), header.end());
            out.resize(out.size() + bc6h::bc6hLevelBytes(image.width, image.height));
        } catch (const std::bad_alloc&) {
            return makeError(ErrorCode::TooLarge, "not enough memory for the BC6H output");
        }
        return bc6h::encodeBc6hBlocks(image, settings, context, out.data() + offset + bc6h::kDdsHeaderBytes);
    }

    Result<Image> decodeReduced(const std::uint8_t* data, std::size_t size, const CodecContext& context) const {
        auto container = readContainer(data, size);
        if (!container) return container.error();
        const ContainerHeader& header = container->header;
        if (header.codecId != id())
            return makeError(ErrorCode::Unsupported, "the stream was made by codec '" + header.codecId + "', not bc6h");
        ByteReader reader(container->payload, container->payloadSize);
        std::uint8_t version = 0, factor = 0;
        if (!reader.u8(version) || !reader.u8(factor)) return corrupt("truncated payload");
        if (version != kReducedPayloadVersion) return corrupt("unsupported payload version " + std::to_string(version));
        if (factor != 2 && factor != 4) return corrupt("unsupported resolution factor " + std::to_string(factor));
        const std::uint8_t* ddsBytes = nullptr;
        const std::size_t ddsSize = reader.remaining();
        reader.bytes(ddsSize, ddsBytes);
        auto dds = bc6h::parseBc6hDds(ddsBytes, ddsSize);
        if (!dds) return dds.error();
        if (dds->width != bc6h::reducedSize(header.width, factor) ||
            dds->height != bc6h::reducedSize(header.height, factor))
            return corrupt("the texture is " + std::to_string(dds->width) + "x" + std::to_string(dds->height) +
                           ", but 1/" + std::to_string(factor) + " of " + std::to_string(header.width) + "x" +
                           std::to_string(header.height) + " needs " +
                           std::to_string(bc6h::reducedSize(header.width, factor)) + "x" +
                           std::to_string(bc6h::reducedSize(header.height, factor)));
        try {
            auto small = bc6h::decodeBc6hBlocks(dds->blocks, dds->blockBytes, dds->width, dds->height, dds->isSigned,
                                                bc6h::progressSlice(context, 0.0, 0.3));
            if (!small) return small.error();
            return bc6h::upsampleBilinear(small->view(), header.width, header.height,
                                          bc6h::progressSlice(context, 0.3, 1.0));
        } catch (const std::bad_alloc&) {
            return makeError(ErrorCode::TooLarge, "not enough memory for the decoded image");
        }
    }
};

}  // namespace

std::unique_ptr<Codec> makeBc6hCodec() {
    return std::make_unique<Bc6hCodec>();
}

}  // namespace lmc
