#include "codec/bc6h/bc6h_codec.h"

#include <zstd.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <new>
#include <string>
#include <utility>

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
// Version 2: the small texture's DDS file is stored as one zstd frame (supercompression=zstd).
constexpr std::uint8_t kReducedZstdPayloadVersion = 2;
constexpr int kSupercompressionNone = 0, kSupercompressionZstd = 1;
constexpr int kZstdLevel = 19;
constexpr std::uint8_t kZstdMagic[4] = {0x28, 0xB5, 0x2F, 0xFD};  // ZSTD_MAGICNUMBER, little-endian
// A bound on any DDS file parseBc6hDds accepts: the top level of a texture within kMaxImageTexels (block rounding
// adds at most 3 texels per side) and a full mip chain below it (at most as large again).
constexpr std::uint64_t kLargestBc6hDds =
    bc6h::kDdsHeaderBytes + 2 * (std::uint64_t(kMaxImageTexels) + 3 * 2 * std::uint64_t(kMaxImageSide) + 9);

int resolutionFactor(const ParamSet& params) {
    return kResolutionFactors[std::clamp(params.getInt("resolution", kFullResolution), 0, 2)];
}

bool supercompressed(const ParamSet& params) {
    return params.getInt("supercompression", kSupercompressionNone) == kSupercompressionZstd;
}

Error corrupt(const std::string& why) {
    return makeError(ErrorCode::CorruptData, "bad BC6H .lmc stream: " + why);
}

Error corruptZstd(const std::string& why) {
    return makeError(ErrorCode::CorruptData, "bad BC6H .dds.zst stream: " + why);
}

bool isZstdFrame(const std::uint8_t* data, std::size_t size) {
    return data != nullptr && size >= 4 && std::memcmp(data, kZstdMagic, 4) == 0;
}

struct DCtxGuard {
    ZSTD_DCtx* dctx = ZSTD_createDCtx();
    ~DCtxGuard() { ZSTD_freeDCtx(dctx); }
};

// The first kDdsHeaderBytes decompressed bytes of a zstd frame (fewer when the frame holds fewer or is damaged).
std::size_t decompressPrefix(const std::uint8_t* data, std::size_t size, std::uint8_t* out, std::size_t wanted) {
    DCtxGuard guard;
    if (!guard.dctx) return 0;
    ZSTD_inBuffer in{data, size, 0};
    ZSTD_outBuffer outBuffer{out, wanted, 0};
    while (outBuffer.pos < wanted) {
        const std::size_t before = in.pos, produced = outBuffer.pos;
        const std::size_t r = ZSTD_decompressStream(guard.dctx, &outBuffer, &in);
        if (ZSTD_isError(r) || r == 0) break;                      // error, or the frame ended early
        if (in.pos == before && outBuffer.pos == produced) break;  // no progress: input exhausted
    }
    return outBuffer.pos;
}

// The largest DDS file parseBc6hDds accepts for the width and height in `header`: the DX10 header plus a full mip
// chain. 0 when the header's size is not one we accept.
std::uint64_t largestLegalDds(const std::uint8_t* header) {
    auto u32 = [&](std::size_t o) {
        return std::uint32_t(header[o]) | (std::uint32_t(header[o + 1]) << 8) | (std::uint32_t(header[o + 2]) << 16) |
               (std::uint32_t(header[o + 3]) << 24);
    };
    const std::int64_t height = u32(12), width = u32(16);
    if (!checkImageSize(width, height)) return 0;
    std::uint64_t bytes = bc6h::kDdsHeaderBytes;
    for (std::int64_t w = width, h = height;;
         w = std::max<std::int64_t>(1, w / 2), h = std::max<std::int64_t>(1, h / 2)) {
        bytes += bc6h::bc6hLevelBytes(w, h);
        if (w == 1 && h == 1) break;
    }
    return bytes;
}

// Decompresses one zstd frame holding a BC6H DDS file. The decompressed size is announced in the frame header; it
// must not exceed the largest legal DDS for the dimensions in the (decompressed) DDS header, which is checked
// before the output is allocated, so a small hostile frame cannot make us allocate more than a real texture needs.
Result<Bytes> unzstdDds(const std::uint8_t* data, std::size_t size) {
    if (!isZstdFrame(data, size)) return corruptZstd("not a zstd frame");
    const std::size_t frameSize = ZSTD_findFrameCompressedSize(data, size);
    if (ZSTD_isError(frameSize))
        return corruptZstd(std::string("damaged or truncated frame (") + ZSTD_getErrorName(frameSize) + ")");
    if (frameSize != size) return corruptZstd("bytes after the zstd frame");
    const unsigned long long contentSize = ZSTD_getFrameContentSize(data, size);
    if (contentSize == ZSTD_CONTENTSIZE_ERROR) return corruptZstd("damaged frame header");
    if (contentSize == ZSTD_CONTENTSIZE_UNKNOWN)
        return corruptZstd("the frame does not state its decompressed size (compress whole files, not pipes)");
    if (contentSize < bc6h::kDdsHeaderBytes) return corruptZstd("too short for a DDS file");
    // Before zstd allocates anything for this frame: no BC6H DDS we accept is larger than this.
    if (contentSize > kLargestBc6hDds)
        return corruptZstd("the frame announces " + std::to_string(contentSize) + " bytes, more than the largest " +
                           "legal BC6H DDS file (" + std::to_string(kLargestBc6hDds) + " bytes)");
    std::uint8_t header[bc6h::kDdsHeaderBytes];
    if (decompressPrefix(data, size, header, sizeof header) != sizeof header)
        return corruptZstd("cannot decompress the DDS header");
    if (!bc6h::looksLikeBc6hDds(header, sizeof header)) {
        auto dds = bc6h::parseBc6hDds(header, sizeof header);  // for its precise message
        return dds ? corruptZstd("not a BC6H DDS file") : dds.error();
    }
    const std::uint64_t limit = largestLegalDds(header);
    if (limit == 0) {
        auto dds = bc6h::parseBc6hDds(header, sizeof header);
        return dds ? corruptZstd("bad texture size") : dds.error();
    }
    if (contentSize > limit)
        return corruptZstd("the frame announces " + std::to_string(contentSize) + " bytes, more than the " +
                           std::to_string(limit) + " of the largest DDS file of its texture size");
    Bytes out(static_cast<std::size_t>(contentSize));
    DCtxGuard guard;
    if (!guard.dctx) return makeError(ErrorCode::Internal, "zstd could not create a decompression context");
    const std::size_t n = ZSTD_decompressDCtx(guard.dctx, out.data(), out.size(), data, size);
    if (ZSTD_isError(n)) return corruptZstd(std::string("cannot decompress (") + ZSTD_getErrorName(n) + ")");
    if (n != out.size()) return corruptZstd("the frame holds fewer bytes than it announces");
    return out;
}

Status zstdInPlace(Bytes& bytes, std::size_t offset) {
    struct CCtxGuard {
        ZSTD_CCtx* cctx = ZSTD_createCCtx();
        ~CCtxGuard() { ZSTD_freeCCtx(cctx); }
    } guard;
    if (!guard.cctx) return makeError(ErrorCode::Internal, "zstd could not create a compression context");
    // The content size lets the decoder check its allocation up front; the checksum catches damage, which BC6H
    // blocks themselves cannot (every bit pattern decodes to some colour).
    for (const auto& [parameter, value] : {std::pair{ZSTD_c_compressionLevel, kZstdLevel},
                                           std::pair{ZSTD_c_contentSizeFlag, 1}, std::pair{ZSTD_c_checksumFlag, 1}}) {
        const std::size_t r = ZSTD_CCtx_setParameter(guard.cctx, parameter, value);
        if (ZSTD_isError(r)) return makeError(ErrorCode::Internal, std::string("zstd: ") + ZSTD_getErrorName(r));
    }
    const std::size_t sourceSize = bytes.size() - offset;
    Bytes compressed(ZSTD_compressBound(sourceSize));
    const std::size_t n =
        ZSTD_compress2(guard.cctx, compressed.data(), compressed.size(), bytes.data() + offset, sourceSize);
    if (ZSTD_isError(n)) return makeError(ErrorCode::Internal, std::string("zstd failed: ") + ZSTD_getErrorName(n));
    bytes.resize(offset);
    bytes.insert(bytes.end(), compressed.begin(), compressed.begin() + std::ptrdiff_t(n));
    return {};
}

class Bc6hCodec final : public Codec {
public:
    std::string id() const override { return "bc6h"; }
    std::string name() const override { return "BC6H"; }
    std::string description() const override {
        return "DirectX BC6H block compression (8 bits per stored texel): a DDS file GPUs load directly, or a "
               "half- or quarter-resolution texture that the GPU's bilinear filter upsamples.";
    }
    CodecTraits traits(const ParamSet& params) const override {
        const int factor = resolutionFactor(params);
        CodecTraits t;
        t.fileExtension = factor != 1 ? ".lmc" : supercompressed(params) ? ".dds.zst" : ".dds";
        t.keepsNegatives = params.getInt("format", 0) == 1;
        // The texture the GPU holds: 8 bits per stored texel, and a half / quarter resolution texture stores 1/4 /
        // 1/16 of the original's texels. Supercompression only changes what is shipped, not what is loaded.
        t.gpuBitsPerTexel = 8.0 / double(factor * factor);
        return t;
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
                          {"uf16", "sf16"}, 0),
                enumParam("supercompression", "Supercompression",
                          "none, or zstd (level 19) over the DDS file as a game package ships it (.dds.zst); the GPU "
                          "still loads 8 bits per stored texel.",
                          {"none", "zstd"}, kSupercompressionNone),
                floatParam("rdo", "Rate-distortion",
                           "0 (off) to 1: trade a bounded loss of quality for blocks that zstd and other package "
                           "compressors code in fewer bits; the texture stays standard BC6H.",
                           0.0, 1.0, 0.0, 0.05)};
    }

    Result<Bytes> encode(const ImageView& image, const ParamSet& params, const CodecContext& context) const override {
        if (auto s = checkImageSize(image.width, image.height); !s) return s.error();
        if (image.rgb == nullptr) return makeError(ErrorCode::InvalidArgument, "image has no texels");
        bc6h::EncodeSettings settings;
        settings.level = bc6h::Level(std::clamp(params.getInt("quality", 2), 0, 3));
        settings.isSigned = params.getInt("format", 0) == 1;
        // Automatic (see bc6h_encoder.h); a decoded map being transcoded gets the floor above its codec's noise.
        // The noise is measured once: each measurement sorts the image's negative values.
        settings.transcodeNoise = context.transcoding ? bc6h::transcodeNoise(image) : 0.0f;
        settings.darkFloor = context.transcoding ? bc6h::transcodeDarkFloor(image, settings.transcodeNoise) : -1.0f;
        settings.rdo = float(std::clamp(params.get("rdo", 0.0), 0.0, 1.0));
        const int factor = resolutionFactor(params);
        const bool zstd = supercompressed(params);
        if (factor == 1) {
            Bytes bytes;
            if (auto s = encodeDds(image, settings, context, bytes); !s) return s.error();
            if (zstd) {
                if (context.cancelled()) return cancelledError();
                try {
                    if (auto s = zstdInPlace(bytes, 0); !s) return s.error();
                } catch (const std::bad_alloc&) {
                    return makeError(ErrorCode::TooLarge, "not enough memory for the zstd output");
                }
            }
            return bytes;
        }
        // Reduced resolution: the small image's DDS inside our container, which records the original size.
        auto small =
            bc6h::downscaleCoverageWeighted(image, factor, settings.isSigned, bc6h::progressSlice(context, 0.0, 0.1));
        if (!small) return small.error();
        // The full-resolution image's, as at full resolution.
        settings.darkFloor = context.transcoding ? bc6h::transcodeDarkFloor(image, settings.transcodeNoise)
                                                 : bc6h::automaticDarkFloor(image);
        try {
            Bytes payload{zstd ? kReducedZstdPayloadVersion : kReducedPayloadVersion, std::uint8_t(factor)};
            if (auto s = encodeDds(small->view(), settings, bc6h::progressSlice(context, 0.1, 1.0), payload); !s)
                return s.error();
            if (zstd) {
                if (context.cancelled()) return cancelledError();
                if (auto s = zstdInPlace(payload, 2); !s) return s.error();
            }
            ContainerHeader header;
            header.codecId = id();
            header.width = image.width;
            header.height = image.height;
            // Streams without supercompression or rdo keep the parameter text (and bytes) they had before these
            // existed.
            ParamSet recorded;
            for (const auto& [key, value] : params.values())
                if ((key != "supercompression" || value != kSupercompressionNone) && (key != "rdo" || value != 0.0))
                    recorded.set(key, value);
            header.params = formatParamSet(schema(), recorded);
            return writeContainer(header, payload);
        } catch (const std::bad_alloc&) {
            return makeError(ErrorCode::TooLarge, "not enough memory for the BC6H output");
        }
    }

    Result<Image> decode(const std::uint8_t* data, std::size_t size, const CodecContext& context) const override {
        if (data != nullptr && looksLikeContainer(data, size)) return decodeReduced(data, size, context);
        try {
            Bytes unpacked;
            if (isZstdFrame(data, size)) {
                auto dds = unzstdDds(data, size);
                if (!dds) return dds.error();
                unpacked = std::move(dds).value();
                data = unpacked.data();
                size = unpacked.size();
            }
            auto dds = bc6h::parseBc6hDds(data, size);
            if (!dds) return dds.error();
            return bc6h::decodeBc6hBlocks(dds->blocks, dds->blockBytes, dds->width, dds->height, dds->isSigned,
                                          context);
        } catch (const std::bad_alloc&) {
            return makeError(ErrorCode::TooLarge, "not enough memory for the decoded image");
        }
    }

    bool recognizes(const std::uint8_t* data, std::size_t size) const override {
        if (isZstdFrame(data, size)) {  // ours when the frame starts with a BC6H DDS header
            std::uint8_t header[bc6h::kDdsHeaderBytes];
            return decompressPrefix(data, size, header, sizeof header) == sizeof header &&
                   bc6h::looksLikeBc6hDds(header, sizeof header);
        }
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
        if (version != kReducedPayloadVersion && version != kReducedZstdPayloadVersion)
            return corrupt("unsupported payload version " + std::to_string(version));
        if (factor != 2 && factor != 4) return corrupt("unsupported resolution factor " + std::to_string(factor));
        const std::uint8_t* ddsBytes = nullptr;
        std::size_t ddsSize = reader.remaining();
        reader.bytes(ddsSize, ddsBytes);
        Bytes unpacked;
        if (version == kReducedZstdPayloadVersion) {
            try {
                auto inflated = unzstdDds(ddsBytes, ddsSize);
                if (!inflated) return inflated.error();
                unpacked = std::move(inflated).value();
            } catch (const std::bad_alloc&) {
                return makeError(ErrorCode::TooLarge, "not enough memory for the decompressed texture");
            }
            ddsBytes = unpacked.data();
            ddsSize = unpacked.size();
        }
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
