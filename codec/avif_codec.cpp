// AVIF codec through libavif + libaom; the format, parameters, scale rule and limits are described in avif_codec.h.
#include "codec/avif_codec.h"

#include <avif/avif.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <new>
#include <string>
#include <vector>

#include "codec/codec_guard.h"
#include "codec/pq.h"
#include "codec/pull_push_fill.h"

namespace lmc {

namespace {

constexpr const char* kCodecId = "avif";
constexpr const char* kEncoderName = "AVIF encoder";
constexpr const char* kDecoderName = "AVIF decoder";
constexpr float kHalfMax = 65504.0f;
constexpr int kDefaultQuality = 90;
constexpr int kDefaultSpeed = 6;
constexpr const char* kXmpAttribute = "lmc:nitsPerUnit=\"";

Error corrupt(const std::string& why) {
    return makeError(ErrorCode::CorruptData, "bad .avif file: " + why);
}

// NaN -> 0, +Inf and values above the half range -> 65504, negatives and -Inf -> 0.
inline float cleanValue(float v) {
    if (std::isnan(v)) return 0.0f;
    if (!(v > 0)) return 0.0f;
    return v > kHalfMax ? kHalfMax : v;
}

// Nits of every 16-bit PQ code value: decoding is a table lookup. Constant data, built once.
const std::vector<double>& pqNitsTable() {
    static const std::vector<double> table = [] {
        std::vector<double> t(65536);
        for (int i = 0; i < 65536; ++i) t[std::size_t(i)] = 10000.0 * pqDecode(double(i) / 65535.0);
        return t;
    }();
    return table;
}

struct ImageHolder {
    avifImage* image = nullptr;
    ~ImageHolder() {
        if (image) avifImageDestroy(image);
    }
};
struct RgbHolder {
    avifRGBImage rgb{};
    bool allocated = false;
    ~RgbHolder() {
        if (allocated) avifRGBImageFreePixels(&rgb);
    }
};
struct EncoderHolder {
    avifEncoder* encoder = nullptr;
    ~EncoderHolder() {
        if (encoder) avifEncoderDestroy(encoder);
    }
};
struct DecoderHolder {
    avifDecoder* decoder = nullptr;
    ~DecoderHolder() {
        if (decoder) avifDecoderDestroy(decoder);
    }
};
struct RwHolder {
    avifRWData data = AVIF_DATA_EMPTY;
    ~RwHolder() { avifRWDataFree(&data); }
};

// The scale from an XMP packet written by avifScaleXmp, or 0 when it carries none.
float scaleFromXmp(const std::uint8_t* data, std::size_t size) {
    if (data == nullptr || size == 0) return 0.0f;
    const std::string text(reinterpret_cast<const char*>(data), size);
    const std::size_t at = text.find(kXmpAttribute);
    if (at == std::string::npos) return 0.0f;
    const char* begin = text.data() + at + std::strlen(kXmpAttribute);
    const char* end = text.data() + text.size();
    float value = 0.0f;
    const auto parsed = std::from_chars(begin, end, value);
    if (parsed.ec != std::errc() || parsed.ptr == end || *parsed.ptr != '"') return 0.0f;
    return value;
}

Result<Bytes> encodeImpl(const ImageView& image, const AvifSettings& settings, const CodecContext& context) {
    if (image.empty()) return makeError(ErrorCode::InvalidArgument, "image has no texels");
    if (auto s = checkImageSize(image.width, image.height); !s) return s.error();
    if (settings.quality < 0 || settings.quality > 100)
        return makeError(ErrorCode::InvalidArgument, "AVIF quality must lie in [0, 100]");
    if (settings.speed < 0 || settings.speed > 10)
        return makeError(ErrorCode::InvalidArgument, "AVIF speed must lie in [0, 10]");
    if (settings.matrix != AVIF_MATRIX_COEFFICIENTS_IDENTITY && settings.matrix != AVIF_MATRIX_COEFFICIENTS_BT709 &&
        settings.matrix != AVIF_MATRIX_COEFFICIENTS_BT2020_NCL)
        return makeError(ErrorCode::InvalidArgument, "AVIF matrix must be identity, BT.709 or BT.2020 NCL");
    if (!(settings.scale > 0.0f) || !std::isfinite(settings.scale))
        return makeError(ErrorCode::InvalidArgument, "AVIF scale must be positive");
    context.report(0.0);
    if (context.cancelled()) return cancelledError();

    auto planes = avifCodedPlanes(image, settings.scale);
    if (!planes) return planes.error();
    if (context.cancelled()) return cancelledError();

    ImageHolder holder;
    holder.image =
        avifImageCreate(std::uint32_t(image.width), std::uint32_t(image.height), 12, AVIF_PIXEL_FORMAT_YUV444);
    if (holder.image == nullptr) return makeError(ErrorCode::Internal, "cannot create the AVIF image");
    avifImage* avif = holder.image;
    avif->colorPrimaries = AVIF_COLOR_PRIMARIES_BT709;
    avif->transferCharacteristics = AVIF_TRANSFER_CHARACTERISTICS_SMPTE2084;
    avif->matrixCoefficients = avifMatrixCoefficients(settings.matrix);
    avif->yuvRange = AVIF_RANGE_FULL;

    RgbHolder rgb;
    avifRGBImageSetDefaults(&rgb.rgb, avif);
    rgb.rgb.format = AVIF_RGB_FORMAT_RGB;
    rgb.rgb.depth = 16;
    rgb.rgb.pixels = reinterpret_cast<std::uint8_t*>(planes->data());  // borrowed: not freed by RgbHolder
    rgb.rgb.rowBytes = std::uint32_t(image.width) * 3 * 2;
    avifResult r = avifImageRGBToYUV(avif, &rgb.rgb);
    if (r != AVIF_RESULT_OK)
        return makeError(ErrorCode::Internal, std::string("libavif RGB to YUV: ") + avifResultToString(r));
    const std::string xmp = avifScaleXmp(settings.scale);
    avifImageSetMetadataXMP(avif, reinterpret_cast<const std::uint8_t*>(xmp.data()), xmp.size());

    EncoderHolder encoder;
    encoder.encoder = avifEncoderCreate();
    if (encoder.encoder == nullptr) return makeError(ErrorCode::Internal, "cannot create the AVIF encoder");
    avifEncoder* e = encoder.encoder;
    e->codecChoice = AVIF_CODEC_CHOICE_AOM;
    e->maxThreads = std::max(1, context.resolvedThreads());
    e->minQuantizer = e->maxQuantizer = avifQuantizerForQuality(settings.quality);
    e->speed = settings.speed;
    // libaom's row multithreading makes the bytes depend on the thread count; without it they do not (the tests
    // check), and they equal avifenc's default single-threaded output.
    avifEncoderSetCodecSpecificOption(e, "row-mt", "0");
    RwHolder output;
    r = avifEncoderWrite(e, avif, &output.data);
    if (r != AVIF_RESULT_OK)
        return makeError(ErrorCode::Internal, std::string("AVIF encoding failed: ") + avifResultToString(r));
    if (context.cancelled()) return cancelledError();
    Bytes out(output.data.data, output.data.data + output.data.size);
    context.report(1.0);
    return out;
}

Result<Image> decodeImpl(const std::uint8_t* data, std::size_t size, const CodecContext& context) {
    context.report(0.0);
    if (data == nullptr || size < 12) return corrupt("shorter than a file-type box");
    if (std::memcmp(data + 4, "ftyp", 4) != 0) return corrupt("no ftyp box (not an ISO BMFF / AVIF file)");
    if (context.cancelled()) return cancelledError();

    DecoderHolder holder;
    holder.decoder = avifDecoderCreate();
    if (holder.decoder == nullptr) return makeError(ErrorCode::Internal, "cannot create the AVIF decoder");
    avifDecoder* d = holder.decoder;
    d->maxThreads = std::max(1, context.resolvedThreads());
    d->imageSizeLimit = std::uint32_t(kMaxImageTexels);
    d->imageCountLimit = 1;
    avifResult r = avifDecoderSetIOMemory(d, data, size);
    if (r != AVIF_RESULT_OK) return corrupt(avifResultToString(r));
    r = avifDecoderParse(d);
    if (r != AVIF_RESULT_OK) return corrupt(std::string("cannot parse: ") + avifResultToString(r));
    const avifImage* avif = d->image;
    if (auto s = checkImageSize(avif->width, avif->height); !s) return s.error();
    if (avif->transferCharacteristics != AVIF_TRANSFER_CHARACTERISTICS_SMPTE2084)
        return makeError(ErrorCode::Unsupported, "AVIF file without the PQ transfer (CICP transfer " +
                                                     std::to_string(int(avif->transferCharacteristics)) + ")");
    float scale = scaleFromXmp(avif->xmp.data, avif->xmp.size);
    if (!(scale > 0.0f) || !std::isfinite(scale)) scale = 1.0f;  // no scale of ours: values in nits
    if (context.cancelled()) return cancelledError();
    r = avifDecoderNextImage(d);
    if (r != AVIF_RESULT_OK) return corrupt(std::string("cannot decode: ") + avifResultToString(r));
    avif = d->image;
    if (auto s = checkImageSize(avif->width, avif->height); !s) return s.error();
    if (context.cancelled()) return cancelledError();

    RgbHolder rgb;
    avifRGBImageSetDefaults(&rgb.rgb, avif);
    rgb.rgb.format = AVIF_RGB_FORMAT_RGB;
    rgb.rgb.depth = 16;
    avifRGBImageAllocatePixels(&rgb.rgb);
    rgb.allocated = true;
    if (rgb.rgb.pixels == nullptr) return makeError(ErrorCode::Internal, "out of memory while decoding AVIF");
    r = avifImageYUVToRGB(avif, &rgb.rgb);
    if (r != AVIF_RESULT_OK) return corrupt(std::string("YUV to RGB: ") + avifResultToString(r));

    auto created = Image::create(int(avif->width), int(avif->height));
    if (!created) return created.error();
    Image image = std::move(created).value();
    const std::vector<double>& nits = pqNitsTable();
    const double inverse = 1.0 / double(scale);
    for (std::uint32_t y = 0; y < avif->height; ++y) {
        const auto* src = reinterpret_cast<const std::uint16_t*>(rgb.rgb.pixels + std::size_t(y) * rgb.rgb.rowBytes);
        float* dst = image.texel(0, int(y));
        for (std::uint32_t i = 0; i < avif->width * 3; ++i) {
            const float v = float(nits[src[i]] * inverse);
            if (!std::isfinite(v)) return corrupt("non-finite decoded values");
            dst[i] = v;
        }
    }
    context.report(1.0);
    return image;
}

class AvifCodec final : public Codec {
public:
    std::string id() const override { return kCodecId; }
    std::string name() const override { return "AVIF"; }
    std::string description() const override {
        return "AVIF (libavif + libaom), 12-bit 4:4:4 PQ of the map scaled so its peak is at 10000 nits; negative "
               "values are clamped to 0.";
    }
    CodecTraits traits(const ParamSet&) const override { return {".avif"}; }
    ParamSchema schema() const override {
        return {asRate(intParam("quality", "Quality",
                                "0..100 as avifenc 1.x -q: one AV1 quantizer ((100 - quality) * 63 + 50) / 100; "
                                "negative texel values are clamped to 0 (PQ cannot carry them).",
                                0, 100, kDefaultQuality)),
                intParam("speed", "Speed", "Encoder speed as avifenc -s: 0 slowest and smallest, 10 fastest.", 0, 10,
                         kDefaultSpeed)};
    }
    bool recognizes(const std::uint8_t* data, std::size_t size) const override {
        // An ftyp box whose major brand or one of the first compatible brands is avif.
        if (data == nullptr || size < 16 || std::memcmp(data + 4, "ftyp", 4) != 0) return false;
        const std::uint32_t boxSize =
            (std::uint32_t(data[0]) << 24) | (std::uint32_t(data[1]) << 16) | (std::uint32_t(data[2]) << 8) | data[3];
        if (boxSize < 16) return false;
        const std::size_t end = std::min<std::size_t>(boxSize, size);
        if (std::memcmp(data + 8, "avif", 4) == 0) return true;
        for (std::size_t at = 16; at + 4 <= end; at += 4)
            if (std::memcmp(data + at, "avif", 4) == 0) return true;
        return false;
    }

    Result<Bytes> encode(const ImageView& image, const ParamSet& params, const CodecContext& context) const override {
        return guardedCodecCall(kEncoderName, [&] {
            AvifSettings settings;
            settings.quality = params.getInt("quality", kDefaultQuality);
            settings.speed = params.getInt("speed", kDefaultSpeed);
            settings.matrix = kAvifMatrix;
            settings.scale = avifPqScale(image);
            return encodeImpl(image, settings, context);
        });
    }
    Result<Image> decode(const std::uint8_t* data, std::size_t size, const CodecContext& context) const override {
        return guardedCodecCall(kDecoderName, [&] { return decodeImpl(data, size, context); });
    }
};

}  // namespace

int avifQuantizerForQuality(int quality) {
    quality = std::clamp(quality, 0, 100);
    return ((100 - quality) * 63 + 50) / 100;
}

float avifPqScale(const ImageView& image) {
    float peak = 0.0f;
    for (int y = 0; y < image.height; ++y)
        for (int x = 0; x < image.width; ++x) {
            if (!image.covered(x, y)) continue;
            const float* t = image.texel(x, y);
            for (int c = 0; c < 3; ++c) peak = std::max(peak, cleanValue(t[c]));
        }
    if (!(peak > 0.0f)) return 1.0f;
    // Capped at the largest float: a map whose peak is below 10000 / FLT_MAX (about 3e-35) would otherwise get an
    // infinite scale, which encodeAvif refuses. Rounded down a hair so that the peak itself never exceeds PQ's
    // ceiling through float rounding.
    const double scale = std::min(kAvifPeakNits / double(peak), double(std::numeric_limits<float>::max()));
    return float(scale) * (1.0f - 1e-6f);
}

Result<std::vector<std::uint16_t>> avifCodedPlanes(const ImageView& image, float scale) {
    if (image.empty()) return makeError(ErrorCode::InvalidArgument, "image has no texels");
    const int w = image.width, h = image.height;
    const std::size_t n = std::size_t(w) * std::size_t(h);
    std::vector<float> values(n * 3);
    std::vector<std::uint8_t> known;
    std::size_t knownCount = 0;
    if (image.hasMask()) known.resize(n);
    for (int y = 0; y < h; ++y) {
        const float* src = image.row(y);
        for (int x = 0; x < w; ++x) {
            const std::size_t i = std::size_t(y) * w + x;
            for (int c = 0; c < 3; ++c) values[3 * i + c] = cleanValue(src[3 * x + c]);
            if (image.hasMask() && image.covered(x, y)) {
                known[i] = 1;
                ++knownCount;
            }
        }
    }
    if (image.hasMask() && knownCount > 0 && knownCount < n) {
        float* v = values.data();
        pullPushFill(w, h, 3, known, [v](std::size_t i, int c) -> float& { return v[3 * i + c]; });
    }
    std::vector<std::uint16_t> out(n * 3);
    const double toUnit = double(scale) / 10000.0;
    for (std::size_t i = 0; i < n * 3; ++i)
        out[i] = std::uint16_t(std::lround(65535.0 * pqEncode(double(values[i]) * toUnit)));
    return out;
}

std::string avifScaleXmp(float scale) {
    char number[32];
    const auto written = std::to_chars(number, number + sizeof(number), scale);
    return std::string(
               "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF "
               "xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"><rdf:Description rdf:about=\"\" "
               "xmlns:lmc=\"urn:lightmap-codec-studio:avif:1\" ") +
           kXmpAttribute + std::string(number, written.ptr) + "\"/></rdf:RDF></x:xmpmeta>";
}

Result<Bytes> encodeAvif(const ImageView& image, const AvifSettings& settings, const CodecContext& context) {
    return guardedCodecCall(kEncoderName, [&] { return encodeImpl(image, settings, context); });
}

std::unique_ptr<Codec> makeAvifCodec() {
    return std::make_unique<AvifCodec>();
}

}  // namespace lmc
