// JPEG XL codec through libjxl; the format, parameters, intensity rule and limits are described in jxl_codec.h.
#include "codec/jxl_codec.h"

#include <jxl/decode.h>
#include <jxl/decode_cxx.h>
#include <jxl/encode.h>
#include <jxl/encode_cxx.h>
#include <jxl/thread_parallel_runner.h>
#include <jxl/thread_parallel_runner_cxx.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <new>
#include <string>
#include <vector>

#include "codec/codec_guard.h"
#include "codec/pull_push_fill.h"

namespace lmc {

namespace {

constexpr const char* kCodecId = "jxl";
constexpr const char* kEncoderName = "JPEG XL encoder";
constexpr const char* kDecoderName = "JPEG XL decoder";
constexpr float kHalfMax = 65504.0f;
constexpr float kDefaultIntensityTarget = 255.0f;  // libjxl's own default for SDR-range linear input
constexpr float kMinIntensityTarget = 1.0f;
constexpr float kMaxIntensityTarget = 65504.0f;  // the header stores it as a binary16 float
constexpr double kDefaultDistance = 1.0;
constexpr int kDefaultEffort = 7;
// ISO/IEC 18181-2 container signature box: size 12, type "JXL ", content 0D 0A 87 0A.
constexpr std::uint8_t kContainerSignature[12] = {0, 0, 0, 12, 'J', 'X', 'L', ' ', 0x0D, 0x0A, 0x87, 0x0A};

Error corrupt(const std::string& why) {
    return makeError(ErrorCode::CorruptData, "bad .jxl stream: " + why);
}

// NaN -> 0, +Inf and values above the half range -> 65504, negatives and -Inf -> 0.
inline float cleanValue(float v) {
    if (std::isnan(v)) return 0.0f;
    if (!(v > 0)) return 0.0f;
    return v > kHalfMax ? kHalfMax : v;
}

// JxlThreadParallelRunner with no worker thread runs everything on the caller: the cheapest choice for one thread.
JxlThreadParallelRunnerPtr makeRunner(const CodecContext& context) {
    const int threads = std::max(1, context.resolvedThreads());
    return JxlThreadParallelRunnerMake(nullptr, threads > 1 ? std::size_t(threads) : 0);
}

// sRGB EOTF, for files that carry an sRGB-encoded original profile.
inline float srgbToLinear(float v) {
    if (v <= 0.04045f) return v / 12.92f;
    return std::pow((v + 0.055f) / 1.055f, 2.4f);
}

Result<Bytes> encodeImpl(const ImageView& image, const JxlSettings& settings, const CodecContext& context) {
    if (image.empty()) return makeError(ErrorCode::InvalidArgument, "image has no texels");
    if (auto s = checkImageSize(image.width, image.height); !s) return s.error();
    if (!(settings.distance >= 0.05f && settings.distance <= 15.0f))
        return makeError(ErrorCode::InvalidArgument, "JPEG XL distance must lie in [0.05, 15]");
    if (settings.effort < 1 || settings.effort > 9)
        return makeError(ErrorCode::InvalidArgument, "JPEG XL effort must lie in [1, 9]");
    if (!(settings.intensityTarget > 0.0f) || !(settings.intensityTarget <= kMaxIntensityTarget))
        return makeError(ErrorCode::InvalidArgument, "JPEG XL intensity target must lie in (0, 65504]");
    context.report(0.0);
    if (context.cancelled()) return cancelledError();

    auto texels = jxlCodedTexels(image);
    if (!texels) return texels.error();
    if (context.cancelled()) return cancelledError();

    JxlEncoderPtr encoder = JxlEncoderMake(nullptr);
    JxlThreadParallelRunnerPtr runner = makeRunner(context);
    if (!encoder || !runner) return makeError(ErrorCode::Internal, "cannot create the JPEG XL encoder");
    if (JxlEncoderSetParallelRunner(encoder.get(), JxlThreadParallelRunner, runner.get()) != JXL_ENC_SUCCESS)
        return makeError(ErrorCode::Internal, "cannot attach threads to the JPEG XL encoder");

    JxlBasicInfo info;
    JxlEncoderInitBasicInfo(&info);
    info.xsize = std::uint32_t(image.width);
    info.ysize = std::uint32_t(image.height);
    info.bits_per_sample = 32;
    info.exponent_bits_per_sample = 8;
    info.num_color_channels = 3;
    info.uses_original_profile = JXL_FALSE;  // lossy XYB
    info.intensity_target = settings.intensityTarget;
    if (JxlEncoderSetBasicInfo(encoder.get(), &info) != JXL_ENC_SUCCESS)
        return makeError(ErrorCode::Internal, "libjxl refused the image header");
    JxlColorEncoding colour;
    JxlColorEncodingSetToLinearSRGB(&colour, JXL_FALSE);
    if (JxlEncoderSetColorEncoding(encoder.get(), &colour) != JXL_ENC_SUCCESS)
        return makeError(ErrorCode::Internal, "libjxl refused the linear sRGB colour encoding");

    JxlEncoderFrameSettings* frame = JxlEncoderFrameSettingsCreate(encoder.get(), nullptr);
    if (frame == nullptr) return makeError(ErrorCode::Internal, "cannot create JPEG XL frame settings");
    if (JxlEncoderSetFrameDistance(frame, settings.distance) != JXL_ENC_SUCCESS ||
        JxlEncoderFrameSettingsSetOption(frame, JXL_ENC_FRAME_SETTING_EFFORT, settings.effort) != JXL_ENC_SUCCESS)
        return makeError(ErrorCode::Internal, "libjxl refused the distance or effort");

    const JxlPixelFormat format{3, JXL_TYPE_FLOAT, JXL_NATIVE_ENDIAN, 0};
    const Image& coded = texels.value();
    if (JxlEncoderAddImageFrame(frame, &format, coded.data(), std::size_t(coded.texelCount()) * 3 * sizeof(float)) !=
        JXL_ENC_SUCCESS)
        return makeError(ErrorCode::Internal, "libjxl refused the image frame");
    JxlEncoderCloseInput(encoder.get());

    Bytes out(std::max<std::size_t>(4096, std::size_t(coded.texelCount()) / 4));
    std::size_t used = 0;
    for (;;) {
        std::uint8_t* next = out.data() + used;
        std::size_t avail = out.size() - used;
        const JxlEncoderStatus status = JxlEncoderProcessOutput(encoder.get(), &next, &avail);
        used = std::size_t(next - out.data());
        if (status == JXL_ENC_SUCCESS) break;
        if (status != JXL_ENC_NEED_MORE_OUTPUT)
            return makeError(ErrorCode::Internal, "JPEG XL encoding failed (libjxl error " +
                                                      std::to_string(int(JxlEncoderGetError(encoder.get()))) + ")");
        out.resize(out.size() * 2);
    }
    out.resize(used);
    if (context.cancelled()) return cancelledError();
    context.report(1.0);
    return out;
}

Result<Image> decodeImpl(const std::uint8_t* data, std::size_t size, const CodecContext& context) {
    context.report(0.0);
    if (data == nullptr || size == 0) return corrupt("empty");
    const JxlSignature signature = JxlSignatureCheck(data, size);
    if (signature != JXL_SIG_CODESTREAM && signature != JXL_SIG_CONTAINER)
        return corrupt("no JPEG XL signature (FF 0A or the container box)");
    if (context.cancelled()) return cancelledError();

    JxlDecoderPtr decoder = JxlDecoderMake(nullptr);
    JxlThreadParallelRunnerPtr runner = makeRunner(context);
    if (!decoder || !runner) return makeError(ErrorCode::Internal, "cannot create the JPEG XL decoder");
    if (JxlDecoderSetParallelRunner(decoder.get(), JxlThreadParallelRunner, runner.get()) != JXL_DEC_SUCCESS)
        return makeError(ErrorCode::Internal, "cannot attach threads to the JPEG XL decoder");
    if (JxlDecoderSubscribeEvents(decoder.get(), JXL_DEC_BASIC_INFO | JXL_DEC_COLOR_ENCODING | JXL_DEC_FULL_IMAGE) !=
        JXL_DEC_SUCCESS)
        return makeError(ErrorCode::Internal, "libjxl refused the decoder events");
    // Texels in stored order: an orientation that transposes would otherwise swap the header's width and height.
    if (JxlDecoderSetKeepOrientation(decoder.get(), JXL_TRUE) != JXL_DEC_SUCCESS)
        return makeError(ErrorCode::Internal, "libjxl refused to keep the orientation");
    if (JxlDecoderSetInput(decoder.get(), data, size) != JXL_DEC_SUCCESS)
        return makeError(ErrorCode::Internal, "libjxl refused the input");
    JxlDecoderCloseInput(decoder.get());

    JxlBasicInfo info{};
    Image image;
    std::vector<float> pixels;
    std::uint32_t channels = 3;
    bool srgbEncoded = false;
    bool haveInfo = false, haveColour = false, done = false;
    while (!done) {
        const JxlDecoderStatus status = JxlDecoderProcessInput(decoder.get());
        switch (status) {
            case JXL_DEC_ERROR:
                return corrupt("libjxl reports a damaged stream");
            case JXL_DEC_NEED_MORE_INPUT:
                return corrupt("truncated");
            case JXL_DEC_BASIC_INFO: {
                if (JxlDecoderGetBasicInfo(decoder.get(), &info) != JXL_DEC_SUCCESS)
                    return corrupt("unreadable image header");
                if (auto s = checkImageSize(info.xsize, info.ysize); !s) return s.error();
                if (info.num_color_channels != 1 && info.num_color_channels != 3)
                    return corrupt("unsupported number of colour channels");
                channels = info.num_color_channels;
                haveInfo = true;
                break;
            }
            case JXL_DEC_COLOR_ENCODING: {
                if (!haveInfo) return corrupt("colour encoding before the header");
                // XYB images can be rendered in any space: ask for linear light. Others decode in their own profile.
                JxlColorEncoding linear;
                JxlColorEncodingSetToLinearSRGB(&linear, channels == 1 ? JXL_TRUE : JXL_FALSE);
                if (!info.uses_original_profile &&
                    JxlDecoderSetPreferredColorProfile(decoder.get(), &linear) != JXL_DEC_SUCCESS)
                    return makeError(ErrorCode::Internal, "libjxl refused linear output");
                JxlColorEncoding colour;
                if (JxlDecoderGetColorAsEncodedProfile(decoder.get(), nullptr, JXL_COLOR_PROFILE_TARGET_DATA,
                                                       &colour) != JXL_DEC_SUCCESS)
                    return makeError(ErrorCode::Unsupported, "JPEG XL file with an ICC profile only (not linear)");
                if (colour.transfer_function == JXL_TRANSFER_FUNCTION_SRGB)
                    srgbEncoded = true;
                else if (colour.transfer_function != JXL_TRANSFER_FUNCTION_LINEAR)
                    return makeError(ErrorCode::Unsupported,
                                     "JPEG XL file in a transfer function other than linear or sRGB");
                haveColour = true;
                break;
            }
            case JXL_DEC_NEED_IMAGE_OUT_BUFFER: {
                if (!haveInfo || !haveColour) return corrupt("image data before the header");
                if (context.cancelled()) return cancelledError();
                const JxlPixelFormat format{channels, JXL_TYPE_FLOAT, JXL_NATIVE_ENDIAN, 0};
                std::size_t bytes = 0;
                if (JxlDecoderImageOutBufferSize(decoder.get(), &format, &bytes) != JXL_DEC_SUCCESS)
                    return corrupt("no output buffer size");
                const std::size_t expected = std::size_t(info.xsize) * info.ysize * channels * sizeof(float);
                if (bytes != expected) return corrupt("unexpected output buffer size");
                auto created = Image::create(int(info.xsize), int(info.ysize));
                if (!created) return created.error();
                image = std::move(created).value();
                if (channels == 3) {
                    if (JxlDecoderSetImageOutBuffer(decoder.get(), &format, image.data(), bytes) != JXL_DEC_SUCCESS)
                        return makeError(ErrorCode::Internal, "libjxl refused the output buffer");
                } else {
                    pixels.assign(std::size_t(info.xsize) * info.ysize, 0.0f);
                    if (JxlDecoderSetImageOutBuffer(decoder.get(), &format, pixels.data(), bytes) != JXL_DEC_SUCCESS)
                        return makeError(ErrorCode::Internal, "libjxl refused the output buffer");
                }
                break;
            }
            case JXL_DEC_FULL_IMAGE:
                done = true;  // the first frame is the image; an animation's later frames are not read
                break;
            case JXL_DEC_SUCCESS:
                if (image.empty()) return corrupt("no image in the stream");
                done = true;
                break;
            default:
                break;  // events we did not subscribe to are not delivered; anything else is ignored
        }
    }
    if (image.empty()) return corrupt("no image in the stream");
    if (context.cancelled()) return cancelledError();

    float* out = image.data();
    const std::size_t n = std::size_t(image.texelCount());
    if (channels == 1)
        for (std::size_t i = 0; i < n; ++i) out[3 * i] = out[3 * i + 1] = out[3 * i + 2] = pixels[i];
    for (std::size_t i = 0; i < 3 * n; ++i) {
        float v = out[i];
        if (srgbEncoded) v = v < 0 ? -srgbToLinear(-v) : srgbToLinear(v);
        if (!std::isfinite(v)) return corrupt("non-finite decoded values");
        out[i] = v;
    }
    context.report(1.0);
    return image;
}

class JxlCodec final : public Codec {
public:
    std::string id() const override { return kCodecId; }
    std::string name() const override { return "JPEG XL"; }
    std::string description() const override {
        return "JPEG XL (libjxl), lossy XYB on linear float input with an intensity target taken from the map; "
               "negative values are clamped to 0.";
    }
    CodecTraits traits(const ParamSet&) const override { return {".jxl"}; }
    ParamSchema schema() const override {
        return {asRate(floatParam("distance", "Distance",
                                  "Butteraugli distance as cjxl -d: lower keeps more (1 = visually lossless on a "
                                  "display); negative texel values are clamped to 0.",
                                  0.05, 15.0, kDefaultDistance, 0.05),
                       /*higherIsMoreBits=*/false),
                intParam("effort", "Effort", "Encoder effort as cjxl -e: higher searches longer for fewer bits.", 1, 9,
                         kDefaultEffort)};
    }
    bool recognizes(const std::uint8_t* data, std::size_t size) const override {
        if (data == nullptr || size < 2) return false;
        if (data[0] == 0xFF && data[1] == 0x0A) return true;
        return size >= sizeof(kContainerSignature) &&
               std::memcmp(data, kContainerSignature, sizeof(kContainerSignature)) == 0;
    }

    Result<Bytes> encode(const ImageView& image, const ParamSet& params, const CodecContext& context) const override {
        return guardedCodecCall(kEncoderName, [&] {
            JxlSettings settings;
            settings.distance = float(params.get("distance", kDefaultDistance));
            settings.effort = params.getInt("effort", kDefaultEffort);
            settings.intensityTarget = jxlIntensityTarget(image);
            return encodeImpl(image, settings, context);
        });
    }
    Result<Image> decode(const std::uint8_t* data, std::size_t size, const CodecContext& context) const override {
        return guardedCodecCall(kDecoderName, [&] { return decodeImpl(data, size, context); });
    }
};

}  // namespace

float jxlIntensityTarget(const ImageView& image) {
    if (image.empty()) return kDefaultIntensityTarget;
    std::vector<float> lum;
    lum.reserve(std::size_t(image.texelCount()));
    for (int y = 0; y < image.height; ++y)
        for (int x = 0; x < image.width; ++x) {
            if (!image.covered(x, y)) continue;
            const float* t = image.texel(x, y);
            const float rgb[3] = {cleanValue(t[0]), cleanValue(t[1]), cleanValue(t[2])};
            const float l = luminance(rgb);
            if (l > 0) lum.push_back(l);
        }
    if (lum.empty()) return kDefaultIntensityTarget;
    auto mid = lum.begin() + std::ptrdiff_t(lum.size() / 2);
    std::nth_element(lum.begin(), mid, lum.end());
    const double target = double(kJxlMedianNits) / double(*mid);
    return float(std::clamp(target, double(kMinIntensityTarget), double(kMaxIntensityTarget)));
}

Result<Image> jxlCodedTexels(const ImageView& image) {
    if (image.empty()) return makeError(ErrorCode::InvalidArgument, "image has no texels");
    auto created = Image::create(image.width, image.height);
    if (!created) return created.error();
    Image out = std::move(created).value();
    const int w = image.width, h = image.height;
    std::vector<std::uint8_t> known;
    std::size_t knownCount = 0;
    if (image.hasMask()) known.resize(std::size_t(w) * h);
    for (int y = 0; y < h; ++y) {
        const float* src = image.row(y);
        float* dst = out.texel(0, y);
        for (int x = 0; x < w; ++x) {
            for (int c = 0; c < 3; ++c) dst[3 * x + c] = cleanValue(src[3 * x + c]);
            if (image.hasMask() && image.covered(x, y)) {
                known[std::size_t(y) * w + x] = 1;
                ++knownCount;
            }
        }
    }
    if (image.hasMask() && knownCount > 0 && knownCount < known.size()) {
        float* rgb = out.data();
        pullPushFill(w, h, 3, known, [rgb](std::size_t i, int c) -> float& { return rgb[3 * i + c]; });
    }
    return out;
}

Result<Bytes> encodeJxl(const ImageView& image, const JxlSettings& settings, const CodecContext& context) {
    return guardedCodecCall(kEncoderName, [&] { return encodeImpl(image, settings, context); });
}

std::unique_ptr<Codec> makeJxlCodec() {
    return std::make_unique<JxlCodec>();
}

}  // namespace lmc
