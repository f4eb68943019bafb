// ASTC HDR codec; the format, parameters and limits are described in astc_codec.h.
#include "codec/astc_codec.h"

#include <astcenc.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <new>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "codec/codec_guard.h"

namespace lmc {

namespace {

constexpr const char* kCodecId = "astc";
constexpr std::uint8_t kMagic[4] = {0x13, 0xAB, 0xA1, 0x5C};  // 0x5CA1AB13 little-endian
constexpr std::size_t kHeaderSize = 16;
constexpr std::size_t kBlockBytes = 16;
constexpr float kHalfMax = 65504.0f;
constexpr int kTargetBands = 64;  // cancellation / progress granularity

struct Footprint {
    const char* name;
    int x, y;
};
// Every legal 2D ASTC footprint, ordered by bits per texel (128 / (x * y)), fewest first: the enum index is the
// rate, so a higher index always means more bits.
constexpr Footprint kFootprints[] = {{"12x12", 12, 12}, {"12x10", 12, 10}, {"10x10", 10, 10}, {"10x8", 10, 8},
                                     {"8x8", 8, 8},     {"10x6", 10, 6},   {"10x5", 10, 5},   {"8x6", 8, 6},
                                     {"8x5", 8, 5},     {"6x6", 6, 6},     {"6x5", 6, 5},     {"5x5", 5, 5},
                                     {"5x4", 5, 4},     {"4x4", 4, 4}};
constexpr int kFootprintCount = int(sizeof(kFootprints) / sizeof(kFootprints[0]));
constexpr int kDefaultFootprint = 9;  // 6x6, 3.56 bpp

struct Preset {
    const char* name;
    float quality;
};
const Preset kPresets[] = {{"fastest", ASTCENC_PRE_FASTEST},
                           {"fast", ASTCENC_PRE_FAST},
                           {"medium", ASTCENC_PRE_MEDIUM},
                           {"thorough", ASTCENC_PRE_THOROUGH},
                           {"exhaustive", ASTCENC_PRE_EXHAUSTIVE}};
constexpr int kPresetCount = 5;
constexpr int kDefaultPreset = 2;

Error corrupt(const std::string& why) {
    return makeError(ErrorCode::CorruptData, "bad .astc stream: " + why);
}

struct ContextHolder {
    astcenc_context* context = nullptr;
    ~ContextHolder() {
        if (context) astcenc_context_free(context);
    }
};

// NaN -> 0, +Inf and values above the half range -> 65504, negatives and -Inf -> 0.
inline float cleanValue(float v) {
    if (std::isnan(v)) return 0.0f;
    if (!(v > 0)) return 0.0f;
    return v > kHalfMax ? kHalfMax : v;
}

// Runs work(threadIndex) on up to `threads` threads, the calling one included, and returns the first failure.
// If the system refuses to start a thread, the ones running (at least the caller) finish the work: astcenc
// hands out blocks dynamically, so fewer participants only take longer.
astcenc_error runOnThreads(int threads, const std::function<astcenc_error(unsigned)>& work) {
    std::vector<astcenc_error> results(std::size_t(threads), ASTCENC_SUCCESS);
    std::vector<std::thread> workers;
    workers.reserve(std::size_t(threads));
    for (int i = 1; i < threads; ++i) {
        try {
            workers.emplace_back([&results, &work, i] { results[std::size_t(i)] = work(unsigned(i)); });
        } catch (const std::system_error&) {
            break;
        }
    }
    results[0] = work(0);
    for (auto& t : workers) t.join();
    for (auto r : results)
        if (r != ASTCENC_SUCCESS) return r;
    return ASTCENC_SUCCESS;
}

struct Layout {
    int blockX = 0, blockY = 0;
    int blocksX = 0, blocksY = 0;
    int bandBlockRows = 1;
    int threads = 1;
    std::size_t streamSize = 0;
};

Layout makeLayout(int width, int height, int blockX, int blockY, int requestedThreads) {
    Layout l;
    l.blockX = blockX;
    l.blockY = blockY;
    l.blocksX = (width + blockX - 1) / blockX;
    l.blocksY = (height + blockY - 1) / blockY;
    l.streamSize = kHeaderSize + std::size_t(l.blocksX) * std::size_t(l.blocksY) * kBlockBytes;
    const std::int64_t blocks = std::int64_t(l.blocksX) * l.blocksY;
    l.threads = int(std::clamp<std::int64_t>(requestedThreads, 1, std::min<std::int64_t>(blocks, 64)));
    // About kTargetBands bands, but each with enough blocks to keep every thread busy.
    int rows = (l.blocksY + kTargetBands - 1) / kTargetBands;
    rows = std::max(rows, (4 * l.threads + l.blocksX - 1) / l.blocksX);
    l.bandBlockRows = std::clamp(rows, 1, l.blocksY);
    return l;
}

const Footprint* findFootprint(int x, int y) {
    for (const auto& f : kFootprints)
        if (f.x == x && f.y == y) return &f;
    return nullptr;
}

std::string astcError(const char* what, astcenc_error e) {
    return std::string(what) + ": " + astcenc_get_error_string(e);
}

Result<Bytes> encodeImpl(const ImageView& image, const ParamSet& params, const CodecContext& context) {
    if (image.empty()) return makeError(ErrorCode::InvalidArgument, "image has no texels");
    if (auto s = checkImageSize(image.width, image.height); !s) return s.error();
    const int footprintIndex = params.getInt("block", kDefaultFootprint);
    const int presetIndex = params.getInt("preset", kDefaultPreset);
    if (footprintIndex < 0 || footprintIndex >= kFootprintCount)
        return makeError(ErrorCode::InvalidArgument, "ASTC block footprint index out of range");
    if (presetIndex < 0 || presetIndex >= kPresetCount)
        return makeError(ErrorCode::InvalidArgument, "ASTC preset index out of range");
    context.report(0.0);
    if (context.cancelled()) return cancelledError();

    const Footprint& fp = kFootprints[footprintIndex];
    const int w = image.width, h = image.height;
    const Layout layout = makeLayout(w, h, fp.x, fp.y, context.resolvedThreads());

    astcenc_config config;
    astcenc_error e = astcenc_config_init(ASTCENC_PRF_HDR, unsigned(fp.x), unsigned(fp.y), 1,
                                          kPresets[presetIndex].quality, 0, &config);
    if (e != ASTCENC_SUCCESS) return makeError(ErrorCode::Internal, astcError("astcenc configuration", e));
    ContextHolder holder;
    e = astcenc_context_alloc(&config, unsigned(layout.threads), &holder.context);
    if (e != ASTCENC_SUCCESS) return makeError(ErrorCode::Internal, astcError("astcenc context", e));

    Bytes out(layout.streamSize);
    std::memcpy(out.data(), kMagic, 4);
    out[4] = std::uint8_t(fp.x);
    out[5] = std::uint8_t(fp.y);
    out[6] = 1;
    const std::uint32_t dims[3] = {std::uint32_t(w), std::uint32_t(h), 1};
    for (int d = 0; d < 3; ++d)
        for (int b = 0; b < 3; ++b) out[7 + 3 * d + b] = std::uint8_t(dims[d] >> (8 * b));

    const astcenc_swizzle swizzle{ASTCENC_SWZ_R, ASTCENC_SWZ_G, ASTCENC_SWZ_B, ASTCENC_SWZ_1};
    const int bandTexelRows = layout.bandBlockRows * fp.y;
    std::vector<float> rgba(std::size_t(bandTexelRows) * w * 4);
    for (int blockRow = 0; blockRow < layout.blocksY; blockRow += layout.bandBlockRows) {
        if (context.cancelled()) return cancelledError();
        const int bandBlockRows = std::min(layout.bandBlockRows, layout.blocksY - blockRow);
        const int y0 = blockRow * fp.y;
        const int rows = std::min(bandBlockRows * fp.y, h - y0);
        for (int y = 0; y < rows; ++y) {
            const float* src = image.row(y0 + y);
            float* dst = rgba.data() + std::size_t(y) * w * 4;
            for (int x = 0; x < w; ++x) {
                for (int c = 0; c < 3; ++c) dst[4 * x + c] = cleanValue(src[3 * x + c]);
                dst[4 * x + 3] = 1.0f;
            }
        }
        if (image.hasMask()) {  // uncovered texels take the mean of their block's covered ones
            for (int bx = 0; bx < layout.blocksX; ++bx)
                for (int by = 0; by < bandBlockRows; ++by) {
                    const int xs = bx * fp.x, xe = std::min(xs + fp.x, w);
                    const int ys = by * fp.y, ye = std::min(ys + fp.y, rows);
                    double sum[3] = {0, 0, 0};
                    int covered = 0;
                    for (int y = ys; y < ye; ++y)
                        for (int x = xs; x < xe; ++x) {
                            if (!image.covered(x, y0 + y)) continue;
                            const float* t = rgba.data() + (std::size_t(y) * w + x) * 4;
                            for (int c = 0; c < 3; ++c) sum[c] += t[c];
                            ++covered;
                        }
                    if (covered == 0 || covered == (xe - xs) * (ye - ys)) continue;
                    for (int y = ys; y < ye; ++y)
                        for (int x = xs; x < xe; ++x) {
                            if (image.covered(x, y0 + y)) continue;
                            float* t = rgba.data() + (std::size_t(y) * w + x) * 4;
                            for (int c = 0; c < 3; ++c) t[c] = float(sum[c] / covered);
                        }
                }
        }
        void* slice = rgba.data();
        astcenc_image band{unsigned(w), unsigned(rows), 1, ASTCENC_TYPE_F32, &slice};
        std::uint8_t* dst = out.data() + kHeaderSize + std::size_t(blockRow) * layout.blocksX * kBlockBytes;
        const std::size_t length = std::size_t(bandBlockRows) * layout.blocksX * kBlockBytes;
        e = runOnThreads(layout.threads, [&](unsigned index) {
            return astcenc_compress_image(holder.context, &band, &swizzle, dst, length, index);
        });
        astcenc_compress_reset(holder.context);
        if (e != ASTCENC_SUCCESS) return makeError(ErrorCode::Internal, astcError("ASTC compression failed", e));
        context.report(double(blockRow + bandBlockRows) / layout.blocksY);
    }
    context.report(1.0);
    return out;
}

Result<Image> decodeImpl(const std::uint8_t* data, std::size_t size, const CodecContext& context) {
    context.report(0.0);
    if (data == nullptr || size < kHeaderSize) return corrupt("shorter than the 16-byte header");
    if (std::memcmp(data, kMagic, 4) != 0) return corrupt("wrong magic (not an .astc file)");
    const int bx = data[4], by = data[5], bz = data[6];
    auto u24 = [&](int offset) {
        return std::int64_t(data[offset]) | (data[offset + 1] << 8) | (data[offset + 2] << 16);
    };
    const std::int64_t w = u24(7), h = u24(10), d = u24(13);
    if (bz == 0 || d == 0) return corrupt("zero depth");
    if (bz != 1 || d != 1) return makeError(ErrorCode::Unsupported, "3D ASTC textures are not supported");
    if (!findFootprint(bx, by))
        return corrupt("block footprint " + std::to_string(bx) + "x" + std::to_string(by) + " is not a 2D ASTC one");
    if (w == 0 || h == 0) return corrupt("zero width or height");
    if (auto s = checkImageSize(w, h); !s) return s.error();
    const Layout layout = makeLayout(int(w), int(h), bx, by, context.resolvedThreads());
    if (size < layout.streamSize)
        return corrupt("truncated: " + std::to_string(size) + " bytes, expected " + std::to_string(layout.streamSize));
    if (size > layout.streamSize) return corrupt("trailing bytes after the last block");
    if (context.cancelled()) return cancelledError();

    astcenc_config config;
    astcenc_error e = astcenc_config_init(ASTCENC_PRF_HDR, unsigned(bx), unsigned(by), 1, ASTCENC_PRE_FASTEST,
                                          ASTCENC_FLG_DECOMPRESS_ONLY, &config);
    if (e != ASTCENC_SUCCESS) return makeError(ErrorCode::Internal, astcError("astcenc configuration", e));
    ContextHolder holder;
    e = astcenc_context_alloc(&config, unsigned(layout.threads), &holder.context);
    if (e != ASTCENC_SUCCESS) return makeError(ErrorCode::Internal, astcError("astcenc context", e));

    auto created = Image::create(int(w), int(h));
    if (!created) return created.error();
    Image image = std::move(created).value();
    const astcenc_swizzle swizzle{ASTCENC_SWZ_R, ASTCENC_SWZ_G, ASTCENC_SWZ_B, ASTCENC_SWZ_A};
    const int bandTexelRows = layout.bandBlockRows * by;
    std::vector<float> rgba(std::size_t(bandTexelRows) * std::size_t(w) * 4);
    for (int blockRow = 0; blockRow < layout.blocksY; blockRow += layout.bandBlockRows) {
        if (context.cancelled()) return cancelledError();
        const int bandBlockRows = std::min(layout.bandBlockRows, layout.blocksY - blockRow);
        const int y0 = blockRow * by;
        const int rows = std::min(bandBlockRows * by, int(h) - y0);
        void* slice = rgba.data();
        astcenc_image band{unsigned(w), unsigned(rows), 1, ASTCENC_TYPE_F32, &slice};
        const std::uint8_t* src = data + kHeaderSize + std::size_t(blockRow) * layout.blocksX * kBlockBytes;
        const std::size_t length = std::size_t(bandBlockRows) * layout.blocksX * kBlockBytes;
        e = runOnThreads(layout.threads, [&](unsigned index) {
            return astcenc_decompress_image(holder.context, src, length, &band, &swizzle, index);
        });
        astcenc_decompress_reset(holder.context);
        if (e != ASTCENC_SUCCESS) return corrupt(astcError("decompression failed", e));
        for (int y = 0; y < rows; ++y) {
            const float* s = rgba.data() + std::size_t(y) * w * 4;
            float* t = image.texel(0, y0 + y);
            for (std::int64_t x = 0; x < w; ++x)
                for (int c = 0; c < 3; ++c) {
                    const float v = s[4 * x + c];
                    if (!std::isfinite(v))
                        return corrupt("invalid block (non-finite texels) in block row " +
                                       std::to_string(blockRow + y / by));
                    t[3 * x + c] = v;
                }
        }
        context.report(double(blockRow + bandBlockRows) / layout.blocksY);
    }
    context.report(1.0);
    return image;
}

class AstcCodec final : public Codec {
public:
    std::string id() const override { return kCodecId; }
    std::string name() const override { return "ASTC HDR"; }
    std::string description() const override {
        return "GPU-native ASTC with the HDR profile (libastcenc), 0.89 to 8 bits per texel by block footprint.";
    }
    ParamSchema schema() const override {
        std::vector<std::string> blocks, presets;
        for (const auto& f : kFootprints) blocks.push_back(f.name);
        for (const auto& p : kPresets) presets.push_back(p.name);
        return {asRate(enumParam("block", "Block footprint",
                                 "Texels per 128-bit block: 12x12 = 0.89 bpp up to 4x4 = 8 bpp; smaller blocks keep "
                                 "more.",
                                 std::move(blocks), kDefaultFootprint)),
                enumParam("preset", "Effort",
                          "Encoder search effort: slower presets find better blocks at the same bitrate.",
                          std::move(presets), kDefaultPreset)};
    }
    bool recognizes(const std::uint8_t* data, std::size_t size) const override {
        return data != nullptr && size >= kHeaderSize && std::memcmp(data, kMagic, 4) == 0;
    }
    // What the GPU holds: one 128-bit block per footprint.
    CodecTraits traits(const ParamSet& params) const override {
        const Footprint& fp =
            kFootprints[std::clamp(params.getInt("block", kDefaultFootprint), 0, kFootprintCount - 1)];
        CodecTraits t;
        t.fileExtension = ".astc";
        t.gpuBitsPerTexel = 128.0 / double(fp.x * fp.y);
        return t;
    }

    Result<Bytes> encode(const ImageView& image, const ParamSet& params, const CodecContext& context) const override {
        return guardedCodecCall("ASTC encoder", [&] { return encodeImpl(image, params, context); });
    }
    Result<Image> decode(const std::uint8_t* data, std::size_t size, const CodecContext& context) const override {
        return guardedCodecCall("ASTC decoder", [&] { return decodeImpl(data, size, context); });
    }
};

}  // namespace

std::unique_ptr<Codec> makeAstcCodec() {
    return std::make_unique<AstcCodec>();
}

}  // namespace lmc
