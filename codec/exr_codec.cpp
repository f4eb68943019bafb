// OpenEXR codec; the stream, parameters and limits are described in exr_codec.h.
#include "codec/exr_codec.h"

#include <ImfChannelList.h>
#include <ImfCompression.h>
#include <ImfFrameBuffer.h>
#include <ImfHeader.h>
#include <ImfIO.h>
#include <ImfOutputFile.h>
#include <half.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <exception>
#include <new>
#include <string>
#include <vector>

#include "codec/codec_guard.h"
#include "codec/exr_io.h"
#include "codec/exr_memory_stream.h"
#include "codec/pull_push_fill.h"

namespace lmc {

namespace {

constexpr const char* kCodecId = "exr";
constexpr std::uint8_t kExrMagic[4] = {0x76, 0x2f, 0x31, 0x01};  // 0x762f3101 little-endian
constexpr float kHalfMax = 65504.0f;
constexpr int kDwab = 0, kPiz = 1;
constexpr int kDefaultLevel = 45;  // OpenEXR's own default
constexpr int kMinLevel = 1, kMaxLevel = 5000;
constexpr int kBandRows = 256;  // one DWAB block: the unit OpenEXR compresses anyway

inline float cleanValue(float v) {
    if (std::isnan(v)) return 0.0f;
    return std::clamp(v, -kHalfMax, kHalfMax);  // also +-Inf
}

Result<Bytes> encodeImpl(const ImageView& image, const ParamSet& params, const CodecContext& context) {
    if (image.empty()) return makeError(ErrorCode::InvalidArgument, "image has no texels");
    if (auto s = checkImageSize(image.width, image.height); !s) return s.error();
    const int mode = params.getInt("compression", kDwab);
    const int level = params.getInt("level", kDefaultLevel);
    if (mode != kDwab && mode != kPiz) return makeError(ErrorCode::InvalidArgument, "EXR compression out of range");
    if (level < kMinLevel || level > kMaxLevel)
        return makeError(ErrorCode::InvalidArgument, "EXR DWA level out of range");
    context.report(0.0);
    if (context.cancelled()) return cancelledError();

    const int w = image.width, h = image.height;
    const std::size_t texels = std::size_t(w) * std::size_t(h);
    std::vector<float> rgb(texels * 3);
    for (int y = 0; y < h; ++y) {
        const float* src = image.row(y);
        float* dst = rgb.data() + std::size_t(y) * w * 3;
        for (int i = 0; i < 3 * w; ++i) dst[i] = cleanValue(src[i]);
    }
    if (mode == kDwab && image.hasMask()) {
        std::vector<std::uint8_t> known(texels);
        bool anyUnknown = false;
        for (int y = 0; y < h; ++y)
            for (int x = 0; x < w; ++x) {
                known[std::size_t(y) * w + x] = image.covered(x, y) ? 1 : 0;
                anyUnknown = anyUnknown || !image.covered(x, y);
            }
        if (anyUnknown)
            pullPushFill(w, h, 3, known, [&](std::size_t i, int c) -> float& { return rgb[3 * i + std::size_t(c)]; });
    }
    if (context.cancelled()) return cancelledError();

    std::vector<half> halves(texels * 3);
    const std::uint16_t minusOne = half(-1.0f).bits();
    for (std::size_t i = 0; i < texels; ++i) {
        const float* t = rgb.data() + 3 * i;
        half* o = halves.data() + 3 * i;
        for (int c = 0; c < 3; ++c) o[c] = half(t[c]);
        // Our reader treats exactly (-1, -1, -1) as Unity 4's empty-texel marker; move blue one half step inwards.
        // Tested on the halves: values near -1 (e.g. -1.0001) round onto the marker too.
        if (o[0].bits() == minusOne && o[1].bits() == minusOne && o[2].bits() == minusOne)
            o[2].setBits(std::uint16_t(minusOne - 1));
    }
    rgb.clear();
    rgb.shrink_to_fit();

    Imf::Header header(w, h);
    header.compression() = mode == kDwab ? Imf::DWAB_COMPRESSION : Imf::PIZ_COMPRESSION;
    if (mode == kDwab) header.dwaCompressionLevel() = float(level);  // encoder setting, not written to the file
    const char* names[3] = {"R", "G", "B"};
    for (const char* n : names) header.channels().insert(n, Imf::Channel(Imf::HALF));
    Imf::FrameBuffer frame;
    char* base = reinterpret_cast<char*>(halves.data());
    const std::size_t xStride = 3 * sizeof(half), yStride = xStride * std::size_t(w);
    for (int c = 0; c < 3; ++c)
        frame.insert(names[c], Imf::Slice(Imf::HALF, base + sizeof(half) * std::size_t(c), xStride, yStride));

    MemoryOStream stream;
    {
        // One thread: OpenEXR's pool is process-wide and not ours to resize.
        Imf::OutputFile file(stream, header, 0);
        file.setFrameBuffer(frame);
        for (int y = 0; y < h; y += kBandRows) {
            if (context.cancelled()) return cancelledError();
            file.writePixels(std::min(kBandRows, h - y));
            context.report(double(std::min(h, y + kBandRows)) / h);
        }
    }  // the destructor writes the chunk offset table
    context.report(1.0);
    return stream.take();
}

Result<Image> decodeImpl(const std::uint8_t* data, std::size_t size, const CodecContext& context) {
    context.report(0.0);
    if (context.cancelled()) return cancelledError();
    if (data == nullptr || size < 4 || std::memcmp(data, kExrMagic, 4) != 0)
        return makeError(ErrorCode::CorruptData, "bad .exr stream: no OpenEXR signature");
    auto loaded = readExrFromMemory(data, size);
    if (!loaded) return makeError(loaded.error().code, "bad .exr stream: " + loaded.error().message);
    if (context.cancelled()) return cancelledError();
    Image image = std::move(loaded->image);
    image.dropMask();  // codecs return RGB only; alpha is not part of this codec's stream
    // DWA's reconstruction can overshoot texels next to +-65504 into +-Inf, and other writers may store NaN / Inf:
    // decoded values are always finite.
    sanitizeNonFinite(image);
    context.report(1.0);
    return image;
}

class ExrCodec final : public Codec {
public:
    std::string id() const override { return kCodecId; }
    std::string name() const override { return "OpenEXR DWAB"; }
    std::string description() const override {
        return "A standard half-float OpenEXR file with lossy DWAB compression (level = rate) or lossless PIZ; keeps "
               "negative values, clamps beyond 65504.";
    }
    CodecTraits traits(const ParamSet&) const override {
        CodecTraits t;
        t.fileExtension = ".exr";
        t.keepsNegatives = true;
        return t;
    }
    ParamSchema schema() const override {
        return {enumParam("compression", "Compression",
                          "DWAB: lossy DCT compression of the half values (DWA level sets the rate); PIZ: lossless "
                          "wavelet compression of the half values (a reference point; the level is ignored).",
                          {"dwab", "piz"}, kDwab),
                asRate(intParam("level", "DWA level",
                                "DWA compression level: higher quantises more coarsely and spends fewer bits "
                                "(OpenEXR's default is 45).",
                                kMinLevel, kMaxLevel, kDefaultLevel),
                       /*higherIsMoreBits=*/false)};
    }
    bool recognizes(const std::uint8_t* data, std::size_t size) const override {
        return data != nullptr && size >= 8 && std::memcmp(data, kExrMagic, 4) == 0;
    }
    Result<Bytes> encode(const ImageView& image, const ParamSet& params, const CodecContext& context) const override {
        return guardedCodecCall("OpenEXR encoder", [&] { return encodeImpl(image, params, context); });
    }
    // OpenEXR throws on damaged input: what escapes the decoder is a bad stream.
    Result<Image> decode(const std::uint8_t* data, std::size_t size, const CodecContext& context) const override {
        return guardedCodecCall(
            "OpenEXR decoder", [&] { return decodeImpl(data, size, context); }, ErrorCode::CorruptData);
    }
};

}  // namespace

std::unique_ptr<Codec> makeExrCodec() {
    return std::make_unique<ExrCodec>();
}

}  // namespace lmc
