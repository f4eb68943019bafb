// JPEG 2000 codec; the stream, parameters and limits are described in j2k_codec.h.
#include "codec/j2k_codec.h"

#include <openjpeg.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <exception>
#include <new>
#include <string>
#include <vector>

#include "codec/codec_guard.h"
#include "codec/parallel_rows.h"
#include "codec/pq.h"
#include "codec/pull_push_fill.h"

namespace lmc {

namespace {

constexpr const char* kCodecId = "j2k";
constexpr float kHalfMax = 65504.0f;
constexpr int kCodeMax = 65535;
constexpr const char* kScaleKey = "lmc-pq-peak=";
constexpr double kMinRate = 0.05, kMaxRate = 16.0, kDefaultRate = 1.0;
constexpr double kRawBitsPerTexel = 48.0;  // 3 components x 16 bits: OpenJPEG's ratios are relative to this
constexpr int kMaxResolutions = 6;         // OpenJPEG's default: 5 wavelet levels
// Every stream may use at least this many bytes: below it the main header (about 130 bytes) leaves OpenJPEG's rate
// allocation almost nothing (it floors the data at 30 bytes), and a 16x16 map at 4 bpp came back 2.4x off. Only
// images under about 4000 texels / rate reach this floor, so real lightmaps keep the exact rate target.
constexpr double kMinStreamBytes = 512;

// Code value -> normalised linear light; immutable once built (thread-safe static initialisation).
const std::vector<float>& pqDecodeTable() {
    static const std::vector<float> table = [] {
        std::vector<float> t(kCodeMax + 1);
        for (int i = 0; i <= kCodeMax; ++i) t[std::size_t(i)] = float(std::min(1.0, pqDecode(double(i) / kCodeMax)));
        t[0] = 0.0f;
        t[kCodeMax] = 1.0f;  // the peak decodes to exactly the stored peak
        return t;
    }();
    return table;
}

inline float cleanValue(float v) {
    if (std::isnan(v) || !(v > 0)) return 0.0f;  // NaN, negatives, -Inf
    return v > kHalfMax ? kHalfMax : v;
}

Error corrupt(const std::string& why) {
    return makeError(ErrorCode::CorruptData, "bad .j2k stream: " + why);
}

// OpenJPEG's messages: errors are kept for the Error text, warnings and information are dropped.
struct Messages {
    std::string lastError;
};
void onError(const char* message, void* userData) {
    if (!message || !userData) return;
    std::string& s = static_cast<Messages*>(userData)->lastError;
    s = message;
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
}
void ignoreMessage(const char*, void*) {}

void installHandlers(opj_codec_t* codec, Messages& messages) {
    opj_set_error_handler(codec, &onError, &messages);
    opj_set_warning_handler(codec, &ignoreMessage, nullptr);
    opj_set_info_handler(codec, &ignoreMessage, nullptr);
}

std::string detail(const Messages& m, const char* what) {
    return m.lastError.empty() ? std::string(what) : std::string(what) + ": " + m.lastError;
}

struct CodecGuard {
    opj_codec_t* codec = nullptr;
    ~CodecGuard() {
        if (codec) opj_destroy_codec(codec);
    }
};
struct StreamGuard {
    opj_stream_t* stream = nullptr;
    ~StreamGuard() {
        if (stream) opj_stream_destroy(stream);
    }
};
struct ImageGuard {
    opj_image_t* image = nullptr;
    ~ImageGuard() {
        if (image) opj_image_destroy(image);
    }
};

// ---------------------------------------------------------------------------------------------------------------
// Memory streams
// ---------------------------------------------------------------------------------------------------------------

struct ReadSource {
    const std::uint8_t* data = nullptr;
    std::size_t size = 0;
    std::size_t position = 0;
};

OPJ_SIZE_T readBytes(void* buffer, OPJ_SIZE_T n, void* userData) {
    auto* s = static_cast<ReadSource*>(userData);
    if (s->position >= s->size) return OPJ_SIZE_T(-1);  // end of stream
    const std::size_t count = std::min<std::size_t>(n, s->size - s->position);
    std::memcpy(buffer, s->data + s->position, count);
    s->position += count;
    return count;
}
OPJ_OFF_T skipRead(OPJ_OFF_T n, void* userData) {
    auto* s = static_cast<ReadSource*>(userData);
    const OPJ_OFF_T target = OPJ_OFF_T(s->position) + n;
    if (target < 0 || target > OPJ_OFF_T(s->size)) return -1;
    s->position = std::size_t(target);
    return n;
}
OPJ_BOOL seekRead(OPJ_OFF_T n, void* userData) {
    auto* s = static_cast<ReadSource*>(userData);
    if (n < 0 || n > OPJ_OFF_T(s->size)) return OPJ_FALSE;
    s->position = std::size_t(n);
    return OPJ_TRUE;
}

struct WriteSink {
    Bytes bytes;
    std::size_t position = 0;
    bool failed = false;
};

OPJ_SIZE_T writeBytes(void* buffer, OPJ_SIZE_T n, void* userData) {
    auto* s = static_cast<WriteSink*>(userData);
    try {
        if (s->position + n > s->bytes.size()) s->bytes.resize(s->position + n);
    } catch (const std::bad_alloc&) {
        s->failed = true;
        return OPJ_SIZE_T(-1);
    }
    std::memcpy(s->bytes.data() + s->position, buffer, n);
    s->position += n;
    return n;
}
OPJ_OFF_T skipWrite(OPJ_OFF_T n, void* userData) {
    auto* s = static_cast<WriteSink*>(userData);
    const OPJ_OFF_T target = OPJ_OFF_T(s->position) + n;
    if (target < 0) return -1;
    s->position = std::size_t(target);
    return n;
}
OPJ_BOOL seekWrite(OPJ_OFF_T n, void* userData) {
    auto* s = static_cast<WriteSink*>(userData);
    if (n < 0) return OPJ_FALSE;
    s->position = std::size_t(n);
    return OPJ_TRUE;
}

// ---------------------------------------------------------------------------------------------------------------
// The scale comment
// ---------------------------------------------------------------------------------------------------------------

std::string scaleComment(float peak) {
    std::uint32_t bits = 0;
    std::memcpy(&bits, &peak, 4);
    char text[32];
    std::snprintf(text, sizeof text, "%s%08X", kScaleKey, unsigned(bits));
    return text;
}

// Walks the main header's marker segments (SOC, then segments up to the first SOT) for our COM segment.
Result<float> findScale(const std::uint8_t* data, std::size_t size) {
    if (size < 4 || data[0] != 0xFF || data[1] != 0x4F) return corrupt("no SOC marker (not a JPEG 2000 codestream)");
    std::size_t p = 2;
    const std::size_t keyLength = std::strlen(kScaleKey);
    while (p + 4 <= size) {
        if (data[p] != 0xFF) return corrupt("damaged main header");
        const std::uint8_t marker = data[p + 1];
        if (marker == 0x90 || marker == 0x93 || marker == 0xD9) break;  // SOT, SOD, EOC: the main header is over
        const std::size_t length = (std::size_t(data[p + 2]) << 8) | data[p + 3];
        if (length < 2 || p + 2 + length > size) return corrupt("truncated main header");
        if (marker == 0x64 && length >= 4) {  // COM: Lcom, Rcom, text
            const std::uint8_t* text = data + p + 6;
            const std::size_t textLength = length - 4;
            if (textLength == keyLength + 8 && std::memcmp(text, kScaleKey, keyLength) == 0) {
                std::uint32_t bits = 0;
                for (std::size_t i = 0; i < 8; ++i) {
                    const char c = char(text[keyLength + i]);
                    int v = -1;
                    if (c >= '0' && c <= '9') v = c - '0';
                    if (c >= 'A' && c <= 'F') v = c - 'A' + 10;
                    if (v < 0) return corrupt("damaged scale comment");
                    bits = (bits << 4) | std::uint32_t(v);
                }
                float peak = 0;
                std::memcpy(&peak, &bits, 4);
                if (!std::isfinite(peak) || peak < 0 || peak > kHalfMax) return corrupt("scale out of range");
                return peak;
            }
        }
        p += 2 + length;
    }
    return corrupt("no '" + std::string(kScaleKey) + "' comment: not a stream of this codec (the PQ scale is missing)");
}

// Checks the SIZ segment (which the standard puts right after SOC) against the layout this codec writes, before
// OpenJPEG reads the header: OpenJPEG allocates coding parameters per tile and component while it parses, and a
// stream of a few hundred bytes announcing 60000 tiles would make it take gigabytes, then "decode" a zero image
// from the one tile present.
Status checkSiz(const std::uint8_t* data, std::size_t size) {
    auto u16 = [data](std::size_t at) { return std::uint32_t((data[at] << 8) | data[at + 1]); };
    auto u32 = [data](std::size_t at) {
        return (std::uint32_t(data[at]) << 24) | (std::uint32_t(data[at + 1]) << 16) |
               (std::uint32_t(data[at + 2]) << 8) | data[at + 3];
    };
    // SOC, SIZ, Lsiz, Rsiz, Xsiz, Ysiz, XOsiz, YOsiz, XTsiz, YTsiz, XTOsiz, YTOsiz, Csiz, then 3 bytes a component.
    constexpr std::size_t kSizFixedEnd = 42;
    if (size < kSizFixedEnd || data[2] != 0xFF || data[3] != 0x51) return corrupt("no SIZ marker after SOC");
    const std::uint32_t components = u16(40);
    if (u16(4) != 38 + 3 * components || size < kSizFixedEnd + 3 * std::size_t(components))
        return corrupt("damaged SIZ segment");
    const std::uint32_t width = u32(8), height = u32(12), x0 = u32(16), y0 = u32(20);
    const std::uint32_t tileWidth = u32(24), tileHeight = u32(28), tileX0 = u32(32), tileY0 = u32(36);
    if (x0 != 0 || y0 != 0) return corrupt("image origin is not 0");
    if (auto s = checkImageSize(width, height); !s) return s.error();
    if (components != 3)
        return makeError(ErrorCode::Unsupported, std::to_string(components) + " components, expected 3");
    for (std::size_t c = 0; c < 3; ++c) {
        const std::uint8_t* comp = data + kSizFixedEnd + 3 * c;
        if (comp[0] != 0x0F || comp[1] != 1 || comp[2] != 1)  // Ssiz 15 = 16 bits unsigned; no subsampling
            return makeError(ErrorCode::Unsupported, "components must be 16-bit unsigned without subsampling");
    }
    if (tileX0 != 0 || tileY0 != 0 || tileWidth < width || tileHeight < height)
        return makeError(ErrorCode::Unsupported, "tiled codestream (this codec writes the image as one tile)");
    return {};
}

// ---------------------------------------------------------------------------------------------------------------
// Encoding and decoding
// ---------------------------------------------------------------------------------------------------------------

int resolutionsFor(int w, int h) {
    // Each wavelet level halves the smallest side; OpenJPEG refuses more levels than the image has.
    int levels = 1;
    for (int side = std::min(w, h); side >= 2 && levels < kMaxResolutions; side /= 2) ++levels;
    return levels;
}

// The ICT (OpenJPEG's MCT on irreversible streams) on the PQ planes, measured on the 15 shared real lightmaps
// (lmc eval, visible mask, same bytes since the rate is a target): mean log-PSNR / mPSNR with vs without
//   0.25 bpp: 44.0 / 35.6 dB vs 39.0 / 31.3 dB;  1 bpp: 55.4 / 46.2 vs 50.3 / 42.6;  3 bpp: 67.8 / 57.9 vs 63.0 / 55.1
constexpr bool kUseColourTransform = true;

Result<Bytes> encodeImpl(const ImageView& image, const ParamSet& params, const CodecContext& context) {
    if (image.empty()) return makeError(ErrorCode::InvalidArgument, "image has no texels");
    if (auto s = checkImageSize(image.width, image.height); !s) return s.error();
    const double rate = params.get("rate", kDefaultRate);
    if (!(rate >= kMinRate && rate <= kMaxRate))
        return makeError(ErrorCode::InvalidArgument, "JPEG 2000 rate out of range");
    context.report(0.0);
    if (context.cancelled()) return cancelledError();
    const int w = image.width, h = image.height;
    const std::size_t texels = std::size_t(w) * std::size_t(h);
    const int threads = context.resolvedThreads();

    // The peak of the texels that must be coded faithfully: gutter values beyond it are filled over anyway.
    float peak = 0, peakAll = 0;
    for (int y = 0; y < h; ++y) {
        const float* row = image.row(y);
        for (int x = 0; x < w; ++x) {
            const float m = std::max({cleanValue(row[3 * x]), cleanValue(row[3 * x + 1]), cleanValue(row[3 * x + 2])});
            peakAll = std::max(peakAll, m);
            if (image.covered(x, y)) peak = std::max(peak, m);
        }
    }
    if (peak == 0) peak = peakAll;  // nothing covered (or all black there): keep what there is

    opj_image_cmptparm_t parts[3];
    std::memset(parts, 0, sizeof parts);
    for (auto& p : parts) {
        p.dx = p.dy = 1;
        p.w = OPJ_UINT32(w);
        p.h = OPJ_UINT32(h);
        p.prec = 16;
        p.sgnd = 0;
    }
    ImageGuard img;
    img.image = opj_image_create(3, parts, OPJ_CLRSPC_SRGB);
    if (!img.image) return makeError(ErrorCode::Internal, "OpenJPEG could not allocate the image");
    img.image->x0 = img.image->y0 = 0;
    img.image->x1 = OPJ_UINT32(w);
    img.image->y1 = OPJ_UINT32(h);

    // PQ planes (as floats in [0, 1] first: the fill averages signal values, then they are rounded).
    std::vector<float> signal(texels * 3);
    const double invPeak = peak > 0 ? 1.0 / double(peak) : 0.0;
    CodecContext convert = context;
    convert.threads = threads;
    convert.progress = [&context](double f) { context.report(0.3 * f); };
    if (auto s = forEachRow(h, convert,
                            [&](int y) {
                                const float* src = image.row(y);
                                float* dst = signal.data() + std::size_t(y) * w * 3;
                                for (int i = 0; i < 3 * w; ++i) {
                                    const double v = double(cleanValue(src[i])) * invPeak;  // clamped at 1 below
                                    dst[i] = v >= 1.0 ? 1.0f : float(pqEncode(v));
                                }
                            });
        !s)
        return s.error();
    if (image.hasMask()) {
        std::vector<std::uint8_t> known(texels);
        bool anyUnknown = false;
        for (int y = 0; y < h; ++y)
            for (int x = 0; x < w; ++x) {
                known[std::size_t(y) * w + x] = image.covered(x, y) ? 1 : 0;
                anyUnknown = anyUnknown || !image.covered(x, y);
            }
        if (anyUnknown)
            pullPushFill(w, h, 3, known,
                         [&](std::size_t i, int c) -> float& { return signal[3 * i + std::size_t(c)]; });
    }
    for (int c = 0; c < 3; ++c) {
        OPJ_INT32* plane = img.image->comps[c].data;
        for (std::size_t i = 0; i < texels; ++i)
            plane[i] = OPJ_INT32(std::lround(std::clamp(signal[3 * i + std::size_t(c)], 0.0f, 1.0f) * kCodeMax));
    }
    signal.clear();
    signal.shrink_to_fit();
    if (context.cancelled()) return cancelledError();

    opj_cparameters_t parameters;
    opj_set_default_encoder_parameters(&parameters);
    parameters.irreversible = 1;
    parameters.tcp_mct = kUseColourTransform ? 1 : 0;
    parameters.numresolution = resolutionsFor(w, h);
    parameters.tcp_numlayers = 1;
    parameters.cp_disto_alloc = 1;
    // OpenJPEG's ratio is against the raw 16-bit planes; a ratio <= 1 means "every coding pass" (no rate limit).
    const double targetBytes = std::max(double(texels) * rate / 8.0, kMinStreamBytes);
    const double ratio = double(texels) * kRawBitsPerTexel / 8.0 / targetBytes;
    parameters.tcp_rates[0] = ratio > 1.0 ? float(ratio) : 0.0f;
    std::string comment = scaleComment(peak);
    parameters.cp_comment = comment.data();

    Messages messages;
    CodecGuard codec;
    codec.codec = opj_create_compress(OPJ_CODEC_J2K);
    if (!codec.codec) return makeError(ErrorCode::Internal, "OpenJPEG could not create an encoder");
    installHandlers(codec.codec, messages);
    if (!opj_setup_encoder(codec.codec, &parameters, img.image))
        return makeError(ErrorCode::Internal, detail(messages, "OpenJPEG encoder setup failed"));
    if (threads > 1 && opj_has_thread_support()) opj_codec_set_threads(codec.codec, threads);

    WriteSink sink;
    sink.bytes.reserve(std::size_t(double(texels) * rate / 8.0) + 1024);
    StreamGuard stream;
    stream.stream = opj_stream_create(OPJ_J2K_STREAM_CHUNK_SIZE, OPJ_FALSE);
    if (!stream.stream) return makeError(ErrorCode::Internal, "OpenJPEG could not create a stream");
    opj_stream_set_user_data(stream.stream, &sink, nullptr);
    opj_stream_set_write_function(stream.stream, &writeBytes);
    opj_stream_set_skip_function(stream.stream, &skipWrite);
    opj_stream_set_seek_function(stream.stream, &seekWrite);
    context.report(0.3);
    if (!opj_start_compress(codec.codec, img.image, stream.stream) || !opj_encode(codec.codec, stream.stream) ||
        !opj_end_compress(codec.codec, stream.stream) || sink.failed)
        return makeError(ErrorCode::Internal,
                         detail(messages, sink.failed ? "out of memory while writing JPEG 2000" : "OpenJPEG failed"));
    if (context.cancelled()) return cancelledError();
    sink.bytes.resize(std::max(sink.position, sink.bytes.size()));
    context.report(1.0);
    return std::move(sink.bytes);
}

Result<Image> decodeImpl(const std::uint8_t* data, std::size_t size, const CodecContext& context) {
    context.report(0.0);
    if (data == nullptr) return corrupt("no data");
    auto peak = findScale(data, size);
    if (!peak) return peak.error();
    if (auto s = checkSiz(data, size); !s) return s.error();
    if (context.cancelled()) return cancelledError();

    Messages messages;
    CodecGuard codec;
    codec.codec = opj_create_decompress(OPJ_CODEC_J2K);
    if (!codec.codec) return makeError(ErrorCode::Internal, "OpenJPEG could not create a decoder");
    installHandlers(codec.codec, messages);
    opj_dparameters_t parameters;
    opj_set_default_decoder_parameters(&parameters);
    if (!opj_setup_decoder(codec.codec, &parameters))
        return makeError(ErrorCode::Internal, detail(messages, "OpenJPEG decoder setup failed"));
    // A truncated codestream is an error, not a partial image.
    if (!opj_decoder_set_strict_mode(codec.codec, OPJ_TRUE))
        return makeError(ErrorCode::Internal, detail(messages, "OpenJPEG refused strict decoding"));
    const int threads = context.resolvedThreads();
    if (threads > 1 && opj_has_thread_support()) opj_codec_set_threads(codec.codec, threads);

    ReadSource source{data, size, 0};
    StreamGuard stream;
    stream.stream = opj_stream_create(OPJ_J2K_STREAM_CHUNK_SIZE, OPJ_TRUE);
    if (!stream.stream) return makeError(ErrorCode::Internal, "OpenJPEG could not create a stream");
    opj_stream_set_user_data(stream.stream, &source, nullptr);
    opj_stream_set_user_data_length(stream.stream, size);
    opj_stream_set_read_function(stream.stream, &readBytes);
    opj_stream_set_skip_function(stream.stream, &skipRead);
    opj_stream_set_seek_function(stream.stream, &seekRead);

    ImageGuard img;
    if (!opj_read_header(stream.stream, codec.codec, &img.image) || !img.image)
        return corrupt(detail(messages, "cannot read the main header"));
    const opj_image_t& header = *img.image;
    // Before OpenJPEG allocates anything image-sized: only our layout, at sizes we accept.
    if (header.x1 <= header.x0 || header.y1 <= header.y0) return corrupt("empty image area");
    const std::int64_t w = std::int64_t(header.x1) - header.x0, h = std::int64_t(header.y1) - header.y0;
    if (auto s = checkImageSize(w, h); !s) return s.error();
    if (header.x0 != 0 || header.y0 != 0) return corrupt("image origin is not 0");
    if (header.numcomps != 3)
        return makeError(ErrorCode::Unsupported, std::to_string(header.numcomps) + " components, expected 3");
    for (int c = 0; c < 3; ++c) {
        const opj_image_comp_t& comp = header.comps[c];
        if (comp.dx != 1 || comp.dy != 1 || comp.prec != 16 || comp.sgnd != 0)
            return makeError(ErrorCode::Unsupported, "components must be 16-bit unsigned without subsampling");
    }
    if (context.cancelled()) return cancelledError();
    context.report(0.1);
    if (!opj_decode(codec.codec, stream.stream, img.image) || !opj_end_decompress(codec.codec, stream.stream))
        return corrupt(detail(messages, "cannot decode"));
    if (context.cancelled()) return cancelledError();
    context.report(0.8);
    for (int c = 0; c < 3; ++c) {
        const opj_image_comp_t& comp = img.image->comps[c];
        if (!comp.data || comp.w != OPJ_UINT32(w) || comp.h != OPJ_UINT32(h) || comp.prec != 16 || comp.sgnd != 0 ||
            comp.factor != 0)
            return corrupt("decoded components do not match the header");
    }

    auto created = Image::create(int(w), int(h));
    if (!created) return created.error();
    Image out = std::move(created).value();
    const std::vector<float>& table = pqDecodeTable();
    const float scale = peak.value();
    const std::size_t width = std::size_t(w);
    CodecContext convert = context;
    convert.threads = threads;
    convert.progress = [&context](double f) { context.report(0.8 + 0.2 * f); };
    if (auto s = forEachRow(int(h), convert,
                            [&](int y) {
                                float* dst = out.texel(0, y);
                                for (int c = 0; c < 3; ++c) {
                                    const OPJ_INT32* src = img.image->comps[c].data + std::size_t(y) * width;
                                    for (std::size_t x = 0; x < width; ++x) {
                                        const OPJ_INT32 code = std::clamp<OPJ_INT32>(src[x], 0, kCodeMax);
                                        dst[3 * x + std::size_t(c)] = table[std::size_t(code)] * scale;
                                    }
                                }
                            });
        !s)
        return s.error();
    context.report(1.0);
    return out;
}

class J2kCodec final : public Codec {
public:
    std::string id() const override { return kCodecId; }
    std::string name() const override { return "JPEG 2000"; }
    std::string description() const override {
        return "JPEG 2000 (OpenJPEG, 9/7 wavelet) on 16-bit PQ-encoded planes scaled to the map's peak; negative "
               "values clamp to 0.";
    }
    CodecTraits traits(const ParamSet&) const override { return {".j2k"}; }
    ParamSchema schema() const override {
        return {asRate(floatParam("rate", "Bits per texel",
                                  "Target bits per texel of the whole stream (OpenJPEG's rate allocation; simple maps "
                                  "may come out smaller). Negative input values clamp to 0 (PQ has no negatives).",
                                  kMinRate, kMaxRate, kDefaultRate, 0.05))};
    }
    bool recognizes(const std::uint8_t* data, std::size_t size) const override {
        // SOC followed by SIZ: any raw JPEG 2000 codestream (the decoder then asks for our scale comment).
        return data != nullptr && size >= 4 && data[0] == 0xFF && data[1] == 0x4F && data[2] == 0xFF && data[3] == 0x51;
    }

    Result<Bytes> encode(const ImageView& image, const ParamSet& params, const CodecContext& context) const override {
        return guardedCodecCall("JPEG 2000 encoder", [&] { return encodeImpl(image, params, context); });
    }
    Result<Image> decode(const std::uint8_t* data, std::size_t size, const CodecContext& context) const override {
        return guardedCodecCall("JPEG 2000 decoder", [&] { return decodeImpl(data, size, context); });
    }
};

}  // namespace

std::unique_ptr<Codec> makeJ2kCodec() {
    return std::make_unique<J2kCodec>();
}

}  // namespace lmc
