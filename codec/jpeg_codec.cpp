// JPEG-HDR codec; the format and the transform are described in jpeg_codec.h.
//
// Why these defaults. Measured with mPSNR / log-PSNR (codec/metrics.h) on 7 real lightmaps of
// /work/shared/lightmaps/real (cornell box, night alley peaking at 1816, dark horror interior, noisy pool rooms,
// neon interior, Godot seaside slices, the 0.0018-peak Godot atlas), quality 30..95, comparing RD curves by
// BD-mPSNR (mean mPSNR difference at equal bitrate):
//  * eps. Tying eps to the mean luminance (eps = mean / 64) collapsed the dark texels mPSNR's exposure range looks
//    at: 14-20 dB on the alley and horror maps. eps = P1 (1st percentile of positive covered luminance) gained
//    +20 dB BD-mPSNR on the alley map; P1 / 16 was better again than P1 / 4 and P1 (+0.5..+2 dB on the dark maps)
//    while P1 / 64 was flat (-0.3..+0.8 dB) at a lower log-PSNR, so P1 / 16. The floor P99.9 * 2^-26 (texels more
//    than ~26 stops below the highlights are invisible in any exposure, mPSNR's span stops at 24) left mPSNR
//    unchanged (-0.14 / 0.00 dB) and raised log-PSNR by 0.5..1 dB on the two maps where it applies.
//  * Transform. Log luminance + log colour ratios vs log RGB through JPEG's YCbCr, both at eps = P1/4..P1/16:
//    ratios +0.44 dB BD-mPSNR on average over the 7 maps (+1.75 cornell, +0.85 alley, +0.85 dark atlas, -0.41 neon
//    interior), and 1-3 dB better log-PSNR at the same quality.
//  * Progressive JPEG (optimised Huffman tables) costs 8-33% fewer bytes than baseline for identical pixels
//    (+0.3..+1.05 dB BD-mPSNR), so it is always on.
//  * Chroma: no clear winner. 4:4:4 vs 4:2:0 at equal rate: +0.5 cornell, +0.5 horror, +0.8 neon, +2.1 dark atlas,
//    -0.9 pool rooms, -1.9 seaside, -3.6 alley (mean -0.35 dB), and 4:2:0 reaches lower rates, hence "420".
// Typical figures (4:2:0, 1024x1024): cornell box q50/75/90 = 0.13/0.19/0.32 bpp at 46.0/48.7/50.5 dB mPSNR;
// alley 0.12/0.17/0.27 bpp at 36.2/39.2/42.2 dB; encode ~0.2 s, decode ~0.15 s on one core.
#include "codec/jpeg_codec.h"
#include "codec/pull_push_fill.h"

#include <turbojpeg.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <mutex>
#include <new>
#include <string>
#include <vector>

#include "codec/container.h"
#include "codec/parallel_rows.h"

namespace lmc {

namespace {

constexpr const char* kCodecId = "jpeg";
constexpr std::uint8_t kPayloadVersion = 1;
constexpr std::size_t kPayloadHeaderSize = 3 + 4 + 3 * 4 + 3 * 4;
constexpr int kRowBlock = 64;  // rows between cancellation polls and progress reports
constexpr float kHalfMax = 65504.0f;
// Header values outside these bounds cannot come from our encoder (eps >= 1e-30 and inputs <= float max give
// |log2| < 128 + 100); refusing them keeps every decoded value finite in double arithmetic.
constexpr double kMinEps = 1e-30;
constexpr double kMaxEps = 1e30;
constexpr double kMaxAbsLog2 = 256.0;
constexpr double kLumR = 0.2126, kLumG = 0.7152, kLumB = 0.0722;

struct PayloadHeader {
    JpegHdrTransform transform = JpegHdrTransform::LogLuminanceRatios;
    bool subsample420 = true;
    float eps = 1.0f;
    std::array<float, 3> lo{};
    std::array<float, 3> hi{};
};

Error corrupt(const std::string& why) {
    return makeError(ErrorCode::CorruptData, "bad JPEG-HDR stream: " + why);
}

struct TjHandle {
    tjhandle handle = nullptr;
    explicit TjHandle(tjhandle h) : handle(h) {}
    ~TjHandle() {
        if (handle) tjDestroy(handle);
    }
    TjHandle(const TjHandle&) = delete;
    TjHandle& operator=(const TjHandle&) = delete;
    std::string error() const { return handle ? tjGetErrorStr2(handle) : "TurboJPEG could not be initialised"; }
};

struct TjBuffer {
    unsigned char* data = nullptr;
    ~TjBuffer() {
        if (data) tjFree(data);
    }
};

// NaN -> 0, +Inf -> 65504 (as sanitizeNonFinite), then negatives (and -Inf) -> 0.
inline double cleanValue(float v) {
    if (std::isnan(v)) return 0.0;
    if (std::isinf(v)) return v > 0 ? kHalfMax : 0.0;
    return v > 0 ? double(v) : 0.0;
}

inline std::uint8_t quantise(double v, double lo, double scale) {
    double q = (v - lo) * scale + 0.5;
    if (!(q > 0)) return 0;
    if (q >= 255) return 255;
    return std::uint8_t(q);
}

inline float toFiniteFloat(double v) {
    if (!(v > 0)) return 0.0f;
    return v >= double(std::numeric_limits<float>::max()) ? std::numeric_limits<float>::max() : float(v);
}

int tjSubsamp(bool subsample420) {
    return subsample420 ? TJSAMP_420 : TJSAMP_444;
}

// Everything the encoder derives from the image before the JPEG call: it depends on the image, the transform, the
// chroma subsampling and eps, not on the quality, so a quality change (the slider) reuses it (JpegCodec's cache).
struct PreparedJpegInput {
    PayloadHeader header;
    int width = 0, height = 0;
    std::vector<std::uint8_t> rgb;                 // LogRgb: interleaved 8-bit codes
    std::array<std::vector<std::uint8_t>, 3> yuv;  // LogLuminanceRatios: TurboJPEG planes
    std::array<int, 3> planeWidth{}, planeHeight{};
};

Status checkOptions(const JpegHdrOptions& options) {
    if (options.quality < 1 || options.quality > 100)
        return makeError(ErrorCode::InvalidArgument, "JPEG quality must be 1..100");
    if (!(options.epsRelative > 0 && options.epsRelative <= 1000))
        return makeError(ErrorCode::InvalidArgument, "JPEG-HDR epsRelative must be in (0, 1000]");
    if (!(options.epsOverride >= 0 && options.epsOverride <= kMaxEps))
        return makeError(ErrorCode::InvalidArgument, "JPEG-HDR epsOverride must be 0 (derived) or a positive value");
    if (options.transform != JpegHdrTransform::LogRgb && options.transform != JpegHdrTransform::LogLuminanceRatios)
        return makeError(ErrorCode::InvalidArgument, "unknown JPEG-HDR transform");
    return {};
}

// Progress 0 .. 0.5 of the encode.
Result<std::shared_ptr<const PreparedJpegInput>> prepareInput(const ImageView& image, const JpegHdrOptions& options,
                                                              const CodecContext& context) {
    if (image.empty()) return makeError(ErrorCode::InvalidArgument, "image has no texels");
    if (auto s = checkImageSize(image.width, image.height); !s) return s.error();
    if (auto s = checkOptions(options); !s) return s.error();
    context.report(0.0);
    if (context.cancelled()) return cancelledError();

    const int w = image.width, h = image.height;
    const std::size_t n = std::size_t(w) * h;

    // Coverage; an image whose mask covers nothing is treated as fully covered (there is nothing else to go by).
    std::vector<std::uint8_t> covered(n, 1);
    std::size_t coveredCount = n;
    if (image.hasMask()) {
        coveredCount = 0;
        for (int y = 0; y < h; ++y)
            for (int x = 0; x < w; ++x) {
                const bool c = image.covered(x, y);
                covered[std::size_t(y) * w + x] = c ? 1 : 0;
                coveredCount += c ? 1 : 0;
            }
        if (coveredCount == 0) {
            std::fill(covered.begin(), covered.end(), 1);
            coveredCount = n;
        }
    }

    // eps from the covered texels' positive luminances (exact order statistics, as metrics.h's percentiles).
    double epsValue = 1.0;  // an all-black image: any eps works
    {
        std::vector<float> positive;
        positive.reserve(coveredCount);
        for (int y = 0; y < h; ++y) {
            const float* row = image.row(y);
            for (int x = 0; x < w; ++x) {
                if (!covered[std::size_t(y) * w + x]) continue;
                const float* t = row + 3 * x;
                const double lum = kLumR * cleanValue(t[0]) + kLumG * cleanValue(t[1]) + kLumB * cleanValue(t[2]);
                if (lum > 0) positive.push_back(float(lum));
            }
        }
        if (!positive.empty()) {
            auto percentile = [&](double p) {
                const auto k = std::size_t(std::floor(p * double(positive.size() - 1)));
                std::nth_element(positive.begin(), positive.begin() + std::ptrdiff_t(k), positive.end());
                return double(positive[k]);
            };
            const double p1 = percentile(0.01), p999 = percentile(0.999);
            epsValue = std::max(options.epsRelative * p1, p999 * std::exp2(-kJpegEpsFloorStops));
        }
    }
    if (options.epsOverride > 0) epsValue = options.epsOverride;
    auto prepared = std::make_shared<PreparedJpegInput>();
    prepared->width = w;
    prepared->height = h;
    PayloadHeader& header = prepared->header;
    header.transform = options.transform;
    header.subsample420 = options.subsample420;
    header.eps = float(std::clamp(epsValue, kMinEps, kMaxEps));
    const double eps = header.eps;

    std::array<std::vector<float>, 3> planes;
    for (auto& p : planes) p.assign(n, 0.0f);
    std::array<double, 3> lo, hi;
    lo.fill(std::numeric_limits<double>::infinity());
    hi.fill(-std::numeric_limits<double>::infinity());
    const bool logRgb = options.transform == JpegHdrTransform::LogRgb;
    for (int y = 0; y < h; ++y) {
        if (y % kRowBlock == 0) {
            if (context.cancelled()) return cancelledError();
            context.report(0.4 * y / h);
        }
        const float* row = image.row(y);
        for (int x = 0; x < w; ++x) {
            const std::size_t i = std::size_t(y) * w + x;
            const double r = cleanValue(row[3 * x]) + eps;
            const double g = cleanValue(row[3 * x + 1]) + eps;
            const double b = cleanValue(row[3 * x + 2]) + eps;
            double v[3];
            if (logRgb) {
                v[0] = std::log2(r);
                v[1] = std::log2(g);
                v[2] = std::log2(b);
            } else {
                v[0] = std::log2(kLumR * r + kLumG * g + kLumB * b);
                v[1] = std::log2(r / g);
                v[2] = std::log2(b / g);
            }
            for (int c = 0; c < 3; ++c) {
                planes[c][i] = float(v[c]);
                if (covered[i]) {
                    lo[c] = std::min(lo[c], v[c]);
                    hi[c] = std::max(hi[c], v[c]);
                }
            }
        }
    }
    if (logRgb) {  // one shared range so that grey stays grey through JPEG's YCbCr conversion
        const double l = std::min({lo[0], lo[1], lo[2]}), u = std::max({hi[0], hi[1], hi[2]});
        lo.fill(l);
        hi.fill(u);
    }
    // The decoder sees the float32 copies, so quantise with exactly those.
    std::array<double, 3> scale;
    for (int c = 0; c < 3; ++c) {
        header.lo[c] = float(lo[c]);
        header.hi[c] = std::max(float(hi[c]), header.lo[c]);
        const double span = double(header.hi[c]) - double(header.lo[c]);
        scale[c] = span > 0 ? 255.0 / span : 0.0;
    }
    if (coveredCount < n) pullPushFill(w, h, 3, covered, [&](std::size_t i, int c) -> float& { return planes[c][i]; });
    if (context.cancelled()) return cancelledError();
    context.report(0.45);

    const int subsamp = tjSubsamp(options.subsample420);
    if (logRgb) {
        std::vector<std::uint8_t>& rgb = prepared->rgb;
        rgb.resize(n * 3);
        for (std::size_t i = 0; i < n; ++i)
            for (int c = 0; c < 3; ++c) rgb[i * 3 + c] = quantise(planes[c][i], header.lo[c], scale[c]);
    } else {
        // Planes padded to TurboJPEG's plane sizes by edge replication; chroma 4:2:0 is the 2x2 box average of
        // the log ratios (centred siting, as libjpeg's own downsampler).
        std::array<std::vector<std::uint8_t>, 3>& yuv = prepared->yuv;
        std::array<int, 3>& pw = prepared->planeWidth;
        std::array<int, 3>& ph = prepared->planeHeight;
        for (int c = 0; c < 3; ++c) {
            pw[c] = tjPlaneWidth(c, w, subsamp);
            ph[c] = tjPlaneHeight(c, h, subsamp);
            if (pw[c] <= 0 || ph[c] <= 0) return makeError(ErrorCode::Internal, "TurboJPEG plane size failed");
            yuv[c].resize(std::size_t(pw[c]) * ph[c]);
        }
        auto at = [&](int c, int x, int y) {
            return planes[c][std::size_t(std::min(y, h - 1)) * w + std::min(x, w - 1)];
        };
        for (int y = 0; y < ph[0]; ++y)
            for (int x = 0; x < pw[0]; ++x)
                yuv[0][std::size_t(y) * pw[0] + x] = quantise(at(0, x, y), header.lo[0], scale[0]);
        const int factor = options.subsample420 ? 2 : 1;
        for (int c = 1; c < 3; ++c)
            for (int y = 0; y < ph[c]; ++y)
                for (int x = 0; x < pw[c]; ++x) {
                    double sum = 0;
                    for (int dy = 0; dy < factor; ++dy)
                        for (int dx = 0; dx < factor; ++dx) sum += at(c, factor * x + dx, factor * y + dy);
                    yuv[c][std::size_t(y) * pw[c] + x] = quantise(sum / (factor * factor), header.lo[c], scale[c]);
                }
    }
    context.report(0.5);
    return std::shared_ptr<const PreparedJpegInput>(std::move(prepared));
}

// Progress 0.5 .. 1 of the encode.
Result<Bytes> compressPrepared(const PreparedJpegInput& prepared, const JpegHdrOptions& options,
                               const CodecContext& context) {
    if (auto s = checkOptions(options); !s) return s.error();
    if (context.cancelled()) return cancelledError();
    const PayloadHeader& header = prepared.header;
    const int w = prepared.width, h = prepared.height;
    TjHandle tj(tjInitCompress());
    if (!tj.handle) return makeError(ErrorCode::Internal, tj.error());
    TjBuffer jpeg;
    unsigned long jpegSize = 0;
    const int subsamp = tjSubsamp(header.subsample420);
    const int flags = TJFLAG_ACCURATEDCT | (options.progressive ? TJFLAG_PROGRESSIVE : 0);
    int rc = 0;
    if (header.transform == JpegHdrTransform::LogRgb) {
        rc = tjCompress2(tj.handle, prepared.rgb.data(), w, 0, h, TJPF_RGB, &jpeg.data, &jpegSize, subsamp,
                         options.quality, flags);
    } else {
        const unsigned char* src[3] = {prepared.yuv[0].data(), prepared.yuv[1].data(), prepared.yuv[2].data()};
        rc = tjCompressFromYUVPlanes(tj.handle, src, w, prepared.planeWidth.data(), h, subsamp, &jpeg.data, &jpegSize,
                                     options.quality, flags);
    }
    if (rc != 0) return makeError(ErrorCode::Internal, std::string("JPEG compression failed: ") + tj.error());
    if (context.cancelled()) return cancelledError();

    Bytes payload;
    payload.reserve(kPayloadHeaderSize + jpegSize);
    ByteWriter out(payload);
    out.u8(kPayloadVersion);
    out.u8(std::uint8_t(header.transform));
    out.u8(header.subsample420 ? 1 : 0);
    out.f32(header.eps);
    for (int c = 0; c < 3; ++c) out.f32(header.lo[c]);
    for (int c = 0; c < 3; ++c) out.f32(header.hi[c]);
    out.bytes(jpeg.data, jpegSize);

    ContainerHeader container;
    container.codecId = kCodecId;
    container.width = w;
    container.height = h;
    container.params =
        "quality=" + std::to_string(options.quality) + ";chroma=" + (header.subsample420 ? "420" : "444");
    Bytes stream = writeContainer(container, payload);
    context.report(1.0);
    return stream;
}

Result<Bytes> encodeImpl(const ImageView& image, const JpegHdrOptions& options, const CodecContext& context) {
    auto prepared = prepareInput(image, options, context);
    if (!prepared) return prepared.error();
    return compressPrepared(**prepared, options, context);
}

Result<PayloadHeader> readPayloadHeader(ByteReader& in) {
    PayloadHeader header;
    std::uint8_t version = 0, transform = 0, subsampling = 0;
    if (!in.u8(version) || !in.u8(transform) || !in.u8(subsampling)) return corrupt("truncated payload header");
    if (version != kPayloadVersion) return corrupt("unknown payload version " + std::to_string(version));
    if (transform > std::uint8_t(JpegHdrTransform::LogLuminanceRatios))
        return corrupt("unknown transform " + std::to_string(transform));
    if (subsampling > 1) return corrupt("unknown chroma subsampling " + std::to_string(subsampling));
    header.transform = JpegHdrTransform(transform);
    header.subsample420 = subsampling == 1;
    if (!in.f32(header.eps)) return corrupt("truncated payload header");
    for (int c = 0; c < 3; ++c)
        if (!in.f32(header.lo[c])) return corrupt("truncated payload header");
    for (int c = 0; c < 3; ++c)
        if (!in.f32(header.hi[c])) return corrupt("truncated payload header");
    if (!(header.eps >= kMinEps * 0.5 && header.eps <= kMaxEps)) return corrupt("offset eps out of range");
    for (int c = 0; c < 3; ++c) {
        if (!(std::fabs(header.lo[c]) <= kMaxAbsLog2 && std::fabs(header.hi[c]) <= kMaxAbsLog2))
            return corrupt("plane range out of bounds");
        if (!(header.lo[c] <= header.hi[c])) return corrupt("plane range is inverted");
    }
    return header;
}

// Code value -> transformed-domain value of one plane.
std::array<double, 256> dequantTable(const PayloadHeader& header, int c) {
    std::array<double, 256> t{};
    const double lo = header.lo[c], span = double(header.hi[c]) - double(header.lo[c]);
    for (int q = 0; q < 256; ++q) t[q] = lo + span * q / 255.0;
    return t;
}

Result<Image> decodeImpl(const std::uint8_t* data, std::size_t size, const CodecContext& context) {
    context.report(0.0);
    auto parsed = readContainer(data, size);
    if (!parsed) return parsed.error();
    const ContainerView& view = *parsed;
    if (view.header.codecId != kCodecId)
        return corrupt("the container holds a '" + view.header.codecId + "' stream, not 'jpeg'");
    ByteReader in(view.payload, view.payloadSize);
    auto headerResult = readPayloadHeader(in);
    if (!headerResult) return headerResult.error();
    const PayloadHeader header = *headerResult;
    const std::uint8_t* jpeg = nullptr;
    const std::size_t jpegSize = in.remaining();
    if (jpegSize == 0 || !in.bytes(jpegSize, jpeg)) return corrupt("no JPEG data");

    const int w = view.header.width, h = view.header.height;
    TjHandle tj(tjInitDecompress());
    if (!tj.handle) return makeError(ErrorCode::Internal, tj.error());
    int jw = 0, jh = 0, jsub = -1, jcs = -1;
    if (tjDecompressHeader3(tj.handle, jpeg, (unsigned long)jpegSize, &jw, &jh, &jsub, &jcs) != 0)
        return corrupt(std::string("JPEG header: ") + tj.error());
    if (jw != w || jh != h)
        return corrupt("JPEG is " + std::to_string(jw) + "x" + std::to_string(jh) + " but the container says " +
                       std::to_string(w) + "x" + std::to_string(h));
    const int subsamp = tjSubsamp(header.subsample420);
    if (jsub != subsamp) return corrupt("JPEG chroma subsampling does not match the header");
    if (jcs != TJCS_YCbCr) return corrupt("JPEG is not a YCbCr image");
    if (context.cancelled()) return cancelledError();

    auto created = Image::create(w, h);
    if (!created) return corrupt("image size: " + created.error().message);
    Image image = std::move(created).value();
    const std::size_t n = std::size_t(w) * h;
    const int flags = TJFLAG_ACCURATEDCT | TJFLAG_STOPONWARNING | TJFLAG_LIMITSCANS;
    const double eps = header.eps;

    if (header.transform == JpegHdrTransform::LogRgb) {
        std::vector<std::uint8_t> rgb(n * 3);
        if (tjDecompress2(tj.handle, jpeg, (unsigned long)jpegSize, rgb.data(), w, 0, h, TJPF_RGB, flags) != 0)
            return corrupt(std::string("JPEG data: ") + tj.error());
        context.report(0.6);
        if (context.cancelled()) return cancelledError();
        std::array<std::array<float, 256>, 3> lut;
        for (int c = 0; c < 3; ++c) {
            const auto t = dequantTable(header, c);
            for (int q = 0; q < 256; ++q) lut[c][q] = toFiniteFloat(std::exp2(t[q]) - eps);
        }
        float* out = image.data();
        for (std::size_t i = 0; i < n; ++i)
            for (int c = 0; c < 3; ++c) out[i * 3 + c] = lut[c][rgb[i * 3 + c]];
        context.report(1.0);
        return image;
    }

    std::array<std::vector<std::uint8_t>, 3> yuv;
    std::array<int, 3> pw, ph;
    unsigned char* dst[3];
    for (int c = 0; c < 3; ++c) {
        pw[c] = tjPlaneWidth(c, w, subsamp);
        ph[c] = tjPlaneHeight(c, h, subsamp);
        if (pw[c] <= 0 || ph[c] <= 0) return makeError(ErrorCode::Internal, "TurboJPEG plane size failed");
        yuv[c].assign(std::size_t(pw[c]) * ph[c], 0);
        dst[c] = yuv[c].data();
    }
    if (tjDecompressToYUVPlanes(tj.handle, jpeg, (unsigned long)jpegSize, dst, w, pw.data(), h, flags) != 0)
        return corrupt(std::string("JPEG data: ") + tj.error());
    context.report(0.5);

    std::array<double, 256> lumLut;
    {
        const auto t = dequantTable(header, 0);
        for (int q = 0; q < 256; ++q) lumLut[q] = std::exp2(t[q]);
    }
    const auto uLut = dequantTable(header, 1), vLut = dequantTable(header, 2);
    const bool sub = header.subsample420;
    float* out = image.data();
    // Rows are independent: blocks of rows go to the context's threads (the same texels for any thread count).
    auto decodeRow = [&](int y) {
        // Bilinear chroma upsampling in the log-ratio domain, centred siting: full-res texel x sits at chroma
        // coordinate (x + 0.5) / 2 - 0.5.
        int cy0 = y, cy1 = y;
        double fy = 0;
        if (sub) {
            const double cy = (y + 0.5) / 2 - 0.5;
            cy0 = int(std::floor(cy));
            fy = cy - cy0;
            cy1 = std::min(cy0 + 1, ph[1] - 1);
            cy0 = std::max(cy0, 0);
        }
        for (int x = 0; x < w; ++x) {
            double u, v;
            if (sub) {
                const double cx = (x + 0.5) / 2 - 0.5;
                int cx0 = int(std::floor(cx));
                const double fx = cx - cx0;
                const int cx1 = std::min(cx0 + 1, pw[1] - 1);
                cx0 = std::max(cx0, 0);
                auto sample = [&](const std::array<double, 256>& lut, const std::vector<std::uint8_t>& p) {
                    const double a = lut[p[std::size_t(cy0) * pw[1] + cx0]], b = lut[p[std::size_t(cy0) * pw[1] + cx1]];
                    const double c = lut[p[std::size_t(cy1) * pw[1] + cx0]], d = lut[p[std::size_t(cy1) * pw[1] + cx1]];
                    return (a * (1 - fx) + b * fx) * (1 - fy) + (c * (1 - fx) + d * fx) * fy;
                };
                u = sample(uLut, yuv[1]);
                v = sample(vLut, yuv[2]);
            } else {
                u = uLut[yuv[1][std::size_t(y) * pw[1] + x]];
                v = vLut[yuv[2][std::size_t(y) * pw[2] + x]];
            }
            const double lum = lumLut[yuv[0][std::size_t(y) * pw[0] + x]];
            const double a = std::exp2(u), c = std::exp2(v);
            const double g = lum / (kLumR * a + kLumG + kLumB * c);
            float* t = out + (std::size_t(y) * w + x) * 3;
            t[0] = toFiniteFloat(a * g - eps);
            t[1] = toFiniteFloat(g - eps);
            t[2] = toFiniteFloat(c * g - eps);
        }
    };
    constexpr int kDecodeRows = 16;
    const int blocks = (h + kDecodeRows - 1) / kDecodeRows;
    if (auto s = forEachRow(blocks, progressSlice(context, 0.5, 1.0),
                            [&](int block) {
                                const int y1 = std::min(h, (block + 1) * kDecodeRows);
                                for (int y = block * kDecodeRows; y < y1; ++y) decodeRow(y);
                            });
        !s)
        return s.error();
    context.report(1.0);
    return image;
}

// No exception leaves the library: out-of-memory and any other exception become Internal errors.
template <typename T, typename Function>
Result<T> guarded(bool encoding, Function&& function) {
    try {
        return function();
    } catch (const std::bad_alloc&) {
        return makeError(ErrorCode::Internal,
                         std::string("out of memory while ") + (encoding ? "encoding" : "decoding") + " JPEG-HDR");
    } catch (const std::exception& e) {
        return makeError(ErrorCode::Internal,
                         std::string("JPEG-HDR ") + (encoding ? "encoder" : "decoder") + ": " + e.what());
    }
}

class JpegCodec final : public Codec {
public:
    std::string id() const override { return kCodecId; }
    std::string name() const override { return "JPEG-HDR"; }
    std::string description() const override {
        return "Log-luminance and log-chroma-ratio planes in an 8-bit JPEG (libjpeg-turbo), ranges in the header.";
    }
    ParamSchema schema() const override {
        return {asRate(intParam("quality", "Quality",
                                "JPEG quality (1 = smallest, 100 = best); higher spends more bits.", 1, 100, 75)),
                enumParam("chroma", "Chroma",
                          "Colour resolution: 444 keeps every texel's colour, 420 halves it in both directions.",
                          {"444", "420"}, 1)};
    }

    Result<Bytes> encode(const ImageView& image, const ParamSet& params, const CodecContext& context) const override {
        JpegHdrOptions options;
        options.quality = params.getInt("quality", 75);
        options.subsample420 = params.getInt("chroma", 1) == 1;
        return guarded<Bytes>(true, [&]() -> Result<Bytes> {
            context.report(0.0);
            // A quality change on the same image (the slider) skips the transform: only the JPEG call runs. The
            // planes depend on the image and the chroma mode only.
            const std::string slot = options.subsample420 ? "jpeg.planes420" : "jpeg.planes444";
            std::shared_ptr<const PreparedJpegInput> prepared;
            if (context.cache) {
                context.cache->bindSource(image);
                prepared = context.cache->get<PreparedJpegInput>(slot);
            }
            if (prepared) {
                context.report(0.5);
            } else {
                // Invalid images get prepareInput's errors.
                auto fresh = prepareInput(image, options, context);
                if (!fresh) return fresh.error();
                prepared = *fresh;
                if (context.cache) context.cache->put(slot, prepared);
            }
            return compressPrepared(*prepared, options, context);
        });
    }
    Result<Image> decode(const std::uint8_t* data, std::size_t size, const CodecContext& context) const override {
        return decodeJpegHdr(data, size, context);
    }
};

}  // namespace

Result<Bytes> encodeJpegHdr(const ImageView& image, const JpegHdrOptions& options, const CodecContext& context) {
    return guarded<Bytes>(true, [&] { return encodeImpl(image, options, context); });
}

Result<Image> decodeJpegHdr(const std::uint8_t* data, std::size_t size, const CodecContext& context) {
    return guarded<Image>(false, [&] { return decodeImpl(data, size, context); });
}

std::unique_ptr<Codec> makeJpegCodec() {
    return std::make_unique<JpegCodec>();
}

}  // namespace lmc
