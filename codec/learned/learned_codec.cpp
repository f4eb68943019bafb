#include "codec/learned/learned_codec.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>

#include "codec/container.h"
#include "codec/entropy/gaussian_conditional.h"
#include "codec/entropy/rans.h"
#include "codec/install_paths.h"
#include "codec/learned/refinement.h"
#include "codec/learned/torch_backend.h"
#include "codec/parallel_rows.h"
#include "codec/pull_push_fill.h"

namespace lmc::learned {
namespace {

using entropy::GaussianConditional;
// Version 3: the refinement layer reconstructs with RefinementFormat::Scaled (refinement.h); version 2 streams (the
// same fields, RefinementFormat::Log2Exp2) and version 1 streams (no refinement, no precision) still decode.
constexpr std::uint8_t kPayloadVersion = 3;
constexpr std::uint8_t kFlagBlackMap = 1u;
constexpr int kZeroChannelShift = 1;  // bits 1..3: channels decoded as exact zeros
constexpr std::uint8_t kFlagRefinement = 1u << 4;
constexpr std::uint8_t kFlagPrecision = 1u << 5;  // a precision byte (and, for int8, the calibration CRC) follows
constexpr std::uint8_t kKnownFlags = kFlagBlackMap | (7u << kZeroChannelShift) | kFlagRefinement | kFlagPrecision;
constexpr std::uint8_t kPrecisionInt8 = 1;

int padded(int v) {
    return (v + kPadMultiple - 1) / kPadMultiple * kPadMultiple;
}

std::int32_t roundToInt(double v) {
    if (!(v > -1073741824.0)) return -1073741824;  // also NaN
    if (v > 1073741824.0) return 1073741824;
    return std::int32_t(std::llround(v));
}

Error corrupt(const std::string& what) {
    return makeError(ErrorCode::CorruptData, "learned stream: " + what);
}

}  // namespace

struct LearnedCodec::Analysis {
    std::uint32_t fingerprint = 0;
    int width = 0, height = 0;
    float scale = 1.0f;
    nn::Tensor latent;                // y, H/16 x W/16 x M of the padded image
    std::vector<std::uint8_t> black;  // W x H exact-black map
    bool anyBlack = false;
    unsigned zeroChannels = 0;  // zeroChannelMask of the image
    float epsilon = 1.0f;       // refinementEpsilon of the image
    std::string device;         // where the analysis ran: "" = our CPU kernels, else a LibTorch device
};

namespace {

// The learned codecs' option in CodecContext::extensions (setDevice); its type is private to this file.
struct DeviceOption {
    std::string device;
};

// The device the encoder's analysis runs on: the context's choice, or (empty) the first CUDA GPU when there is one.
std::string analysisDevice(const CodecContext& context) {
    const std::string chosen = deviceOf(context);
    if (isTorchAnalysisDevice(chosen)) return chosen;
    if (chosen.empty())
        for (const TorchDevice& d : availableTorchDevices())
            if (isTorchAnalysisDevice(d.id)) return d.id;
    return {};
}

}  // namespace

namespace {

// Synthesis of a dequantized latent into `image` (W x H): inverse input transform, exact black texels and zero
// channels. Shared by the decoder and by the encoder (which needs the decoder's base to code the refinement).
Status reconstructBase(const InferenceModel& model, const nn::Tensor& latent, const std::vector<double>& gains,
                       float scale, const std::vector<std::uint8_t>& black, unsigned zeroChannels, Image& image,
                       int threads, const CodecContext& context, double progressFrom, double progressTo,
                       Precision precision) {
    const int w = image.width(), h = image.height();
    auto sink = [&](int y0, int x0, const nn::Tensor& tile) {
        const int y1 = std::min(h, y0 + tile.h), x1 = std::min(w, x0 + tile.w);
        for (int y = y0; y < y1; ++y) {
            // A row at a time through the vectorised transform, then the exact zeros.
            float* row = image.texel(x0, y);
            inverseTransformSpan(tile.at(y - y0, 0), std::size_t(x1 - x0) * 3, scale, row);
            if (zeroChannels != 0)
                for (int x = x0; x < x1; ++x)
                    for (int c = 0; c < 3; ++c)
                        if (zeroChannels >> c & 1u) row[3 * (x - x0) + c] = 0.0f;
            if (!black.empty())
                for (int x = x0; x < x1; ++x)
                    if (black[std::size_t(y) * w + x])
                        row[3 * (x - x0)] = row[3 * (x - x0) + 1] = row[3 * (x - x0) + 2] = 0.0f;
        }
    };
    auto progress = [&](double f) { context.report(progressFrom + (progressTo - progressFrom) * f); };
    return model.synthesis(latent, sink, threads, context.cancel, progress, 128, precision, gains);
}

}  // namespace

void setDevice(CodecContext& context, std::string device) {
    context.extensions.set(DeviceOption{std::move(device)});
}

std::string deviceOf(const CodecContext& context) {
    const DeviceOption* option = context.extensions.get<DeviceOption>();
    return option ? option->device : std::string();
}

CodecTraits LearnedCodec::traits(const ParamSet&) const {
    CodecTraits t;
    t.heavy = true;
    return t;
}

namespace {
// Whether `rate` lies in the networks' own range. Compared in float, the slider's type: 0.2f lies above the double
// 0.2, and rate 0.2 must still be the networks alone.
bool networksAlone(float rate) {
    return rate <= float(kRefinementStartRate);
}
}  // namespace

double networkRate(float rate) {
    const double r = std::clamp(double(rate), 0.0, 1.0);
    return networksAlone(rate) ? std::min(r / kRefinementStartRate, 1.0) * kNetworkRateAtRefinement
                               : kNetworkRateAtRefinement;
}

float refinementStep(float rate) {
    const double r = std::clamp(double(rate), 0.0, 1.0);
    if (networksAlone(rate)) return 0.0f;
    const double f = (r - kRefinementStartRate) / (1.0 - kRefinementStartRate);
    return float(kCoarsestRefinementStep * std::pow(kFinestRefinementStep / kCoarsestRefinementStep, f));
}

std::vector<std::string> modelSearchPaths(Family family) {
    const std::string file = familyId(family) + ".lmcw";
    std::vector<std::string> paths;
    if (const char* dir = std::getenv("LMC_MODEL_DIR"); dir && *dir) paths.push_back(std::string(dir) + "/" + file);
    for (const std::string& dir : dataDirectories()) paths.push_back(dir + "/models/" + file);
    return paths;
}

Result<std::shared_ptr<const InferenceModel>> defaultModel(Family family) {
    static std::mutex mutex;
    static std::map<Family, std::shared_ptr<const InferenceModel>> loaded;
    std::lock_guard<std::mutex> lock(mutex);
    if (auto it = loaded.find(family); it != loaded.end()) return it->second;
    std::string tried;
    for (const std::string& path : modelSearchPaths(family)) {
        std::error_code ec;
        if (!std::filesystem::is_regular_file(path, ec)) {
            tried += (tried.empty() ? "" : ", ") + path;
            continue;
        }
        auto model = InferenceModel::loadFile(path);
        if (!model) return model.error();  // a damaged file is reported, not skipped
        if ((*model)->config().family != family)
            return makeError(ErrorCode::CorruptData, path + " holds a '" + familyId((*model)->config().family) +
                                                         "' model, not '" + familyId(family) + "'");
        loaded[family] = *model;
        return *model;
    }
    return makeError(ErrorCode::IoError, "no weights for the '" + familyId(family) + "' codec (looked for " + tried +
                                             "); train them with `lmc train --family " + familyId(family) +
                                             "` or set LMC_MODEL_DIR");
}

float exposureScale(const ImageView& image) {
    std::vector<float> lum;
    lum.reserve(std::size_t(image.texelCount()));
    for (int y = 0; y < image.height; ++y)
        for (int x = 0; x < image.width; ++x) {
            if (!image.covered(x, y)) continue;
            const float* p = image.texel(x, y);
            const float l = luminance(p);
            if (l > 0.0f && std::isfinite(l)) lum.push_back(l);
        }
    if (lum.empty()) return 1.0f;
    auto mid = lum.begin() + lum.size() / 2;
    std::nth_element(lum.begin(), mid, lum.end());
    const float median = *mid;
    auto low = lum.begin() + lum.size() / 100;
    std::nth_element(lum.begin(), low, mid);
    const float dark = *low;
    // Bound the range the networks see: at most 12 stops between the scale and the 99.9th percentile, so a map
    // whose dark texels sit on a near-black floor does not put its lit texels 25 stops up (t ~ 13).
    auto high = lum.begin() + std::min(lum.size() - 1, lum.size() * 999 / 1000);
    std::nth_element(mid, high, lum.end());
    const float s = std::max(std::min(median, 16.0f * dark), *high / 4096.0f);
    return (s > 1e-30f && s < 1e30f) ? s : 1.0f;
}

PreparedInput prepareInput(const ImageView& image) {
    PreparedInput p;
    p.scale = exposureScale(image);
    const int w = image.width, h = image.height, pw = padded(w), ph = padded(h);
    p.input = nn::Tensor(ph, pw, 3);
    p.covered.assign(std::size_t(pw) * ph, 0);
    p.black.assign(std::size_t(w) * h, 0);
    bool anyKnown = false, allKnown = (pw == w && ph == h);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            const float* src = image.texel(x, y);
            float* q = p.input.at(y, x);
            bool black = true;
            for (int c = 0; c < 3; ++c) {
                float v = src[c];
                if (std::isnan(v)) v = 0.0f;
                if (v > 65504.0f) v = 65504.0f;
                black &= !(v > 0.0f);
                q[c] = forwardTransform(v, p.scale);
            }
            p.black[std::size_t(y) * w + x] = black ? 1 : 0;
            p.anyBlack |= black;
            const bool known = image.covered(x, y) && !black;
            p.covered[std::size_t(y) * pw + x] = known ? 1 : 0;
            anyKnown |= known;
            allKnown &= known;
        }
    if (!anyKnown)  // nothing covered and lit: code every non-black texel, or all of them
        for (int y = 0; y < h; ++y)
            for (int x = 0; x < w; ++x) p.covered[std::size_t(y) * pw + x] = p.black[std::size_t(y) * w + x] ? 0 : 1;
    if (!allKnown)
        pullPushFill(pw, ph, 3, p.covered, [&](std::size_t i, int c) -> float& { return p.input.data[i * 3 + c]; });
    return p;
}

namespace {

// Context of texel (x, y) of a binary map: left, top and top-left neighbours (0 outside).
inline int blackContext(const std::uint8_t* bits, int w, int x, int y) {
    const int left = x > 0 ? bits[std::size_t(y) * w + x - 1] : 0;
    const int top = y > 0 ? bits[std::size_t(y - 1) * w + x] : 0;
    const int topLeft = (x > 0 && y > 0) ? bits[std::size_t(y - 1) * w + x - 1] : 0;
    return left + 2 * top + 4 * topLeft;
}

Result<entropy::CdfTableSet> blackTables(const std::uint32_t counts[16]) {
    std::vector<entropy::PmfSpec> pmfs(8);
    for (int c = 0; c < 8; ++c) {
        pmfs[c].offset = 0;
        pmfs[c].pmf = {double(counts[2 * c]) + 0.5, double(counts[2 * c + 1]) + 0.5};
        pmfs[c].tailMass = 0.0;
    }
    return entropy::CdfTableSet::fromPmfs(pmfs);
}

}  // namespace

LearnedCodec::LearnedCodec(Family family, std::shared_ptr<const InferenceModel> model)
    : family_(family), fixedModel_(std::move(model)) {}

std::string LearnedCodec::name() const {
    switch (family_) {
        case Family::Autoencoder:
            return "Learned autoencoder";
        case Family::Hyperprior:
            return "Learned VAE (hyperprior)";
        case Family::Gan:
            return "Learned GAN";
    }
    return "?";
}

std::string LearnedCodec::description() const {
    switch (family_) {
        case Family::Autoencoder:
            return "Convolutional autoencoder with a factorized entropy model, rANS-coded; variable rate via gains.";
        case Family::Hyperprior:
            return "Scale-hyperprior VAE (Balle 2018) with deterministic integer entropy tables, rANS-coded.";
        case Family::Gan:
            return "The hyperprior codec with a decoder trained adversarially for sharper, artifact-free texels.";
    }
    return "";
}

ParamSchema LearnedCodec::schema() const {
    return {asRate(floatParam("rate", "Rate",
                              "Bitrate control from 0 (smallest) to 1 (near-lossless): up to 0.2 it sets the networks' "
                              "own rate, above it a residual refinement layer adds quality.",
                              0.0, 1.0, 0.5, 0.01)),
            enumParam("precision", "Decoder precision",
                      "Arithmetic of the decoder's networks: fp32, or int8 (post-training quantised integer kernels, "
                      "identical on every CPU, a little quality lost). Stored in the stream.",
                      {"fp32", "int8"}, 0)};
}

Result<std::shared_ptr<const InferenceModel>> LearnedCodec::model() const {
    if (fixedModel_) return fixedModel_;
    return defaultModel(family_);
}

struct LearnedCodec::BaseKey {
    BaseKey(const InferenceModel& model, Precision p, int w, int h, float s, unsigned zero, bool black,
            const std::uint32_t (&counts)[16], std::vector<double> g, Bytes baseStream)
        : fingerprint(model.fingerprint()),
          precision(p),
          int8Fingerprint(p == Precision::Int8 ? model.int8Fingerprint() : 0),
          width(w),
          height(h),
          scale(s),
          zeroChannels(zero),
          anyBlack(black),
          gains(std::move(g)),
          stream(std::move(baseStream)) {
        std::copy(std::begin(counts), std::end(counts), blackCounts.begin());
    }
    std::uint32_t fingerprint;
    Precision precision;
    std::uint32_t int8Fingerprint;
    int width, height;
    float scale;
    unsigned zeroChannels;
    bool anyBlack;
    std::array<std::uint32_t, 16> blackCounts{};
    std::vector<double> gains;
    Bytes stream;  // the base rANS stream (black map, hyper-latent, latent): with the rest it fixes the texels
    bool operator==(const BaseKey& o) const {
        return fingerprint == o.fingerprint && precision == o.precision && int8Fingerprint == o.int8Fingerprint &&
               width == o.width && height == o.height && std::memcmp(&scale, &o.scale, sizeof scale) == 0 &&
               zeroChannels == o.zeroChannels && anyBlack == o.anyBlack && blackCounts == o.blackCounts &&
               gains == o.gains && stream == o.stream;
    }
};

struct LearnedCodec::BaseReconstruction {
    BaseReconstruction(BaseKey k, std::vector<std::uint8_t> b, Image i)
        : key(std::move(k)), black(std::move(b)), image(std::move(i)) {}
    BaseKey key;
    std::vector<std::uint8_t> black;  // W x H exact-black map (empty = none)
    Image image;
};

struct LearnedCodec::CodedBase {
    std::shared_ptr<const Analysis> analysis;  // which analysis (compared by identity) the stream codes
    std::vector<double> gains;
    Precision precision = Precision::Fp32;
    Bytes stream;
    double estimatedBits = 0;
    std::uint32_t blackCounts[16] = {};
    std::vector<std::int32_t> values;  // the quantised latents the stream holds
};

Result<std::shared_ptr<const LearnedCodec::BaseReconstruction>> LearnedCodec::baseReconstruction(
    const InferenceModel& model, BaseKey key, int latentHeight, int latentWidth, const LatentSource& source,
    const CodecContext& context, double progressFrom, double progressTo) const {
    const std::string slot = id() + kBaseSlot;
    if (context.cache)
        if (auto cached = context.cache->get<BaseReconstruction>(slot); cached && cached->key == key) return cached;
    auto built = buildBase(model, std::move(key), latentHeight, latentWidth, source, context, progressFrom, progressTo);
    if (!built) return built.error();
    std::shared_ptr<const BaseReconstruction> shared = std::move(*built);
    if (context.cache) context.cache->put(slot, shared);
    return shared;
}

Result<std::shared_ptr<LearnedCodec::BaseReconstruction>> LearnedCodec::buildBase(
    const InferenceModel& model, BaseKey key, int latentHeight, int latentWidth, const LatentSource& source,
    const CodecContext& context, double progressFrom, double progressTo) const {
    const int m = model.config().latentChannels;
    nn::Tensor latent(latentHeight, latentWidth, m);
    std::vector<std::int32_t> values;
    std::vector<std::uint8_t> black;
    if (auto s = source(values, black); !s) return s.error();
    if (values.size() != latent.size()) return makeError(ErrorCode::Internal, "latent size");
    for (std::size_t i = 0; i < latent.size(); ++i) latent.data[i] = float(double(values[i]) / key.gains[i % m]);
    auto image = Image::create(key.width, key.height);
    if (!image) return image.error();
    const double synthesisFrom = progressFrom + 0.3 * (progressTo - progressFrom);
    if (auto s = reconstructBase(model, latent, key.gains, key.scale, black, key.zeroChannels, *image,
                                 context.resolvedThreads(), context, synthesisFrom, progressTo, key.precision);
        !s)
        return s.error();
    return std::make_shared<BaseReconstruction>(std::move(key), std::move(black), std::move(*image));
}

Result<std::shared_ptr<const LearnedCodec::Analysis>> LearnedCodec::analyse(const InferenceModel& model,
                                                                            const ImageView& image,
                                                                            const CodecContext& context) const {
    const std::string device = analysisDevice(context);
    const std::string slot = id() + kAnalysisSlot;
    if (context.cache) {
        context.cache->bindSource(image);
        if (auto cached = context.cache->get<Analysis>(slot);
            cached && cached->width == image.width && cached->height == image.height &&
            cached->fingerprint == model.fingerprint() && cached->device == device)
            return cached;
    }
    auto a = std::make_shared<Analysis>();
    a->fingerprint = model.fingerprint();
    a->width = image.width;
    a->height = image.height;
    PreparedInput prepared = prepareInput(image);
    a->scale = prepared.scale;
    a->black = std::move(prepared.black);
    a->anyBlack = prepared.anyBlack;
    a->zeroChannels = zeroChannelMask(image);
    a->epsilon = refinementEpsilon(image);
    context.report(0.05);
    auto progress = [&](double f) { context.report(0.05 + 0.55 * f); };
    a->device = device;
    if (!device.empty()) {
        auto backend = torchBackend();
        if (!backend) return backend.error();
        if (auto s = (*backend)->analysis(model, device, prepared.input, a->latent, context.cancel, progress, 2048); !s)
            return s.error();
    } else if (auto s = model.analysis(prepared.input, a->latent, context.resolvedThreads(), context.cancel, progress);
               !s) {
        return s.error();
    }
    std::shared_ptr<const Analysis> result = std::move(a);
    if (context.cache) context.cache->put(slot, result);
    return result;
}

Result<std::shared_ptr<const LearnedCodec::CodedBase>> LearnedCodec::codeBase(
    const InferenceModel& model, const std::shared_ptr<const Analysis>& analysis, const std::vector<double>& g,
    const CodecContext& context, double progressEnd, Precision precision) const {
    const std::string slot = id() + kCodedBaseSlot;
    if (context.cache)
        if (auto cached = context.cache->get<CodedBase>(slot);
            cached && cached->analysis == analysis && cached->gains == g && cached->precision == precision)
            return cached;
    const Analysis& a = *analysis;
    auto coded = std::make_shared<CodedBase>();
    coded->analysis = analysis;
    coded->gains = g;
    coded->precision = precision;
    const int threads = context.resolvedThreads();
    const nn::Tensor& y = a.latent;
    const int m = y.c;
    const std::size_t count = y.size();

    entropy::RansEncoder encoder;
    std::vector<std::int32_t> values(count), indexes(count);
    entropy::CdfTableSet latentTables, blackMapTables;
    std::uint32_t blackCounts[16] = {};
    if (a.anyBlack) {
        const int w = a.width, h = a.height;
        std::vector<std::int32_t> bits(a.black.size()), contexts(a.black.size());
        for (int y = 0; y < h; ++y)
            for (int x = 0; x < w; ++x) {
                const std::size_t i = std::size_t(y) * w + x;
                bits[i] = a.black[i];
                contexts[i] = blackContext(a.black.data(), w, x, y);
                ++blackCounts[2 * contexts[i] + bits[i]];
            }
        auto tables = blackTables(blackCounts);
        if (!tables) return tables.error();
        blackMapTables = std::move(*tables);
        if (auto s = encoder.encode(bits.data(), contexts.data(), bits.size(), blackMapTables); !s) return s.error();
        auto b = entropy::estimateBits(blackMapTables, bits.data(), contexts.data(), bits.size());
        if (b) coded->estimatedBits += *b;
    }
    if (hasHyperprior(model.config().family)) {
        nn::Tensor gained(y.h, y.w, m);
        for (std::size_t i = 0; i < count; ++i) gained.data[i] = float(double(y.data[i]) * g[i % m]);
        nn::Tensor z;
        if (auto s = model.hyperAnalysis(gained, z, threads, context.cancel); !s) return s.error();
        std::vector<std::int32_t> zValues(z.size()), zIndexes(z.size());
        nn::Tensor zHat(z.h, z.w, z.c);
        for (std::size_t i = 0; i < z.size(); ++i) {
            zValues[i] = roundToInt(z.data[i]);
            zIndexes[i] = std::int32_t(i % z.c);
            zHat.data[i] = float(zValues[i]);
        }
        if (auto s = encoder.encode(zValues.data(), zIndexes.data(), zValues.size(), model.hyperTables()); !s)
            return s.error();
        auto zBits = entropy::estimateBits(model.hyperTables(), zValues.data(), zIndexes.data(), zValues.size());
        if (zBits) coded->estimatedBits += *zBits;
        nn::Tensor logScales;
        if (auto s = model.hyperSynthesis(zHat, logScales, threads, context.cancel, precision); !s) return s.error();
        if (!logScales.sameShape(gained)) return makeError(ErrorCode::Internal, "hyper synthesis shape");
        for (std::size_t i = 0; i < count; ++i) values[i] = roundToInt(gained.data[i]);
        GaussianConditional::scaleIndexesFromLogScales(logScales.data.data(), count, indexes.data());
        if (auto s = encoder.encode(values.data(), indexes.data(), count, GaussianConditional::instance().tables()); !s)
            return s.error();
        auto bits =
            entropy::estimateBits(GaussianConditional::instance().tables(), values.data(), indexes.data(), count);
        if (bits) coded->estimatedBits += *bits;
    } else {
        auto tables = model.latentTables(g);
        if (!tables) return tables.error();
        latentTables = std::move(*tables);
        for (std::size_t i = 0; i < count; ++i) {
            values[i] = roundToInt(double(y.data[i]) * g[i % m]);
            indexes[i] = std::int32_t(i % m);
        }
        if (auto s = encoder.encode(values.data(), indexes.data(), count, latentTables); !s) return s.error();
        auto bits = entropy::estimateBits(latentTables, values.data(), indexes.data(), count);
        if (bits) coded->estimatedBits += *bits;
    }
    context.report(progressEnd);
    coded->stream = encoder.finish();
    coded->values = std::move(values);
    std::copy(std::begin(blackCounts), std::end(blackCounts), std::begin(coded->blackCounts));
    std::shared_ptr<const CodedBase> shared = std::move(coded);
    if (context.cache) context.cache->put(slot, shared);
    return shared;
}

Result<Bytes> LearnedCodec::encode(const ImageView& image, const ParamSet& params, const CodecContext& context) const {
    auto r = encodeDetailed(image, params, context);
    if (!r) return r.error();
    return std::move(r->bytes);
}

Result<LearnedCodec::Detailed> LearnedCodec::encodeDetailed(const ImageView& image, const ParamSet& params,
                                                            const CodecContext& context) const {
    Detailed detailed;
    if (image.empty()) return makeError(ErrorCode::InvalidArgument, "image has no texels");
    if (auto s = checkImageSize(image.width, image.height); !s) return s.error();
    auto modelResult = model();
    if (!modelResult) return modelResult.error();
    const InferenceModel& model = **modelResult;
    if (model.config().family != family_ && !(family_ == Family::Gan && hasHyperprior(model.config().family)))
        return makeError(ErrorCode::InvalidArgument, "model family does not match the codec");
    context.report(0.0);
    if (context.cancelled()) return cancelledError();
    const float rate = float(std::clamp(params.get("rate", 0.5), 0.0, 1.0));
    const Precision precision = params.getInt("precision", 0) == 1 ? Precision::Int8 : Precision::Fp32;
    if (precision == Precision::Int8 && !model.hasInt8())
        return makeError(ErrorCode::InvalidArgument,
                         "precision=int8 needs an INT8 calibration of the " + id() +
                             " weights (<weights>.lmcw.int8 next to them, made by bench_int8 --calibrate)");

    auto analysis = analyse(model, image, context);
    if (!analysis) return analysis.error();
    const Analysis& a = **analysis;
    if (context.cancelled()) return cancelledError();
    const std::vector<double> g = model.gains(float(networkRate(rate)));
    const float step = refinementStep(rate);
    auto codedBase = codeBase(model, *analysis, g, context, step > 0.0f ? 0.65 : 0.9, precision);
    if (!codedBase) return codedBase.error();
    const CodedBase& cb = **codedBase;
    detailed.estimatedBits += cb.estimatedBits;
    const Bytes& baseStream = cb.stream;

    RefinementEncoding refinement;
    if (step > 0.0f) {
        // The refinement codes the source against exactly what the decoder will reconstruct from these latents.
        BaseKey key(model, precision, image.width, image.height, a.scale, a.zeroChannels, a.anyBlack, cb.blackCounts, g,
                    cb.stream);
        auto base = baseReconstruction(
            model, std::move(key), a.latent.h, a.latent.w,
            [&](std::vector<std::int32_t>& values, std::vector<std::uint8_t>& black) -> Status {
                values = cb.values;
                if (a.anyBlack) black = a.black;
                return {};
            },
            context, 0.65, 0.85);
        if (!base) return base.error();
        auto coded = encodeRefinement(image, (*base)->image, (*base)->black, a.zeroChannels, step, a.epsilon,
                                      progressSlice(context, 0.85, 0.98));
        if (!coded) return coded.error();
        refinement = std::move(*coded);
        detailed.estimatedBits += refinement.estimatedBits;
    }

    Bytes payload;
    ByteWriter w(payload);
    w.u8(kPayloadVersion);
    w.u8(std::uint8_t(family_ == Family::Autoencoder ? 0 : family_ == Family::Hyperprior ? 1 : 2));
    w.u32(model.fingerprint());
    w.f32(rate);
    w.f32(a.scale);
    w.u8(std::uint8_t((a.anyBlack ? kFlagBlackMap : 0u) | (a.zeroChannels << kZeroChannelShift) |
                      (step > 0.0f ? kFlagRefinement : 0u) | (precision == Precision::Int8 ? kFlagPrecision : 0u)));
    if (precision == Precision::Int8) {  // fp32 streams stay as they were before precision existed
        w.u8(kPrecisionInt8);
        w.u32(model.int8Fingerprint());
    }
    if (a.anyBlack)
        for (std::uint32_t c : cb.blackCounts) w.u32(c);
    if (step > 0.0f) {
        w.f32(step);
        w.f32(a.epsilon);
        w.u32(std::uint32_t(baseStream.size()));
    }
    w.bytes(baseStream.data(), baseStream.size());
    w.bytes(refinement.bytes.data(), refinement.bytes.size());
    ContainerHeader header;
    header.codecId = id();
    header.width = image.width;
    header.height = image.height;
    ParamSet used;
    used.set("rate", rate);
    if (precision == Precision::Int8) used.set("precision", 1);
    header.params = formatParamSet(schema(), used);
    context.report(1.0);
    detailed.bytes = writeContainer(header, payload);
    return detailed;
}

Result<Image> LearnedCodec::decode(const std::uint8_t* data, std::size_t size, const CodecContext& context) const {
    auto container = readContainer(data, size);
    if (!container) return container.error();
    if (container->header.codecId != id())
        return makeError(ErrorCode::InvalidArgument, "stream is '" + container->header.codecId + "', not " + id());
    auto modelResult = model();
    if (!modelResult) return modelResult.error();
    const InferenceModel& loaded = **modelResult;
    const InferenceModel* active = &loaded;  // the INT8 calibration the stream names, when it has one
    ByteReader r(container->payload, container->payloadSize);
    std::uint8_t version = 0, family = 0;
    std::uint32_t fingerprint = 0;
    float rate = 0, scale = 0;
    std::uint8_t flags = 0;
    if (!r.u8(version) || !r.u8(family) || !r.u32(fingerprint) || !r.f32(rate) || !r.f32(scale) || !r.u8(flags))
        return corrupt("truncated header");
    if (version < 1 || version > kPayloadVersion)
        return corrupt("unsupported payload version " + std::to_string(version));
    if ((flags & ~(version == 1 ? kFlagBlackMap : kKnownFlags)) != 0) return corrupt("unknown flags");
    Precision precision = Precision::Fp32;
    if (flags & kFlagPrecision) {
        std::uint8_t p = 0;
        std::uint32_t calibration = 0;
        if (!r.u8(p)) return corrupt("truncated precision field");
        if (p != kPrecisionInt8) return corrupt("unknown precision " + std::to_string(p));
        if (!r.u32(calibration)) return corrupt("truncated precision field");
        if (!loaded.hasInt8())
            return makeError(ErrorCode::CorruptData, "the stream needs INT8 " + id() +
                                                         " decoding and the loaded weights have no INT8 calibration");
        active = loaded.int8Variant(calibration);  // the current calibration or an earlier one kept for old streams
        if (active == nullptr)
            return makeError(ErrorCode::CorruptData, "the stream was made with another INT8 calibration of the " +
                                                         id() + " weights (fingerprint " + std::to_string(calibration) +
                                                         " vs " + std::to_string(loaded.int8Fingerprint()) + ")");
        precision = Precision::Int8;
    }
    std::uint32_t blackCounts[16] = {};
    if (flags & kFlagBlackMap)
        for (auto& c : blackCounts)
            if (!r.u32(c)) return corrupt("truncated black-map counts");
    const unsigned zeroChannels = (flags >> kZeroChannelShift) & 7u;
    float step = 0.0f, epsilon = 1.0f;
    std::uint32_t baseStreamSize = 0;
    if (flags & kFlagRefinement) {
        if (!r.f32(step) || !r.f32(epsilon) || !r.u32(baseStreamSize)) return corrupt("truncated refinement header");
        if (!(step > 0.0f && step < 1e6f) || !(epsilon > 1e-30f && epsilon < 1e30f))
            return corrupt("refinement step or epsilon out of range");
        if (baseStreamSize > r.remaining()) return corrupt("base stream length");
    }
    if (family != (family_ == Family::Autoencoder ? 0 : family_ == Family::Hyperprior ? 1 : 2))
        return corrupt("family byte does not match the codec id");
    if (fingerprint != loaded.fingerprint())
        return makeError(ErrorCode::CorruptData,
                         "the stream was made with other " + id() + " weights than the ones loaded (fingerprint " +
                             std::to_string(fingerprint) + " vs " + std::to_string(loaded.fingerprint()) + ")");
    if (!(rate >= 0.0f && rate <= 1.0f)) return corrupt("rate out of range");
    if (!(scale > 1e-30f && scale < 1e30f)) return corrupt("exposure scale out of range");
    const int w = container->header.width, h = container->header.height;
    if (auto s = checkImageSize(w, h); !s) return s.error();
    if (context.cancelled()) return cancelledError();
    context.report(0.0);

    const InferenceModel& model = *active;
    const int pw = padded(w), ph = padded(h), m = model.config().latentChannels;
    const int threads = context.resolvedThreads();
    // Version 1 streams (no refinement) used the whole rate range for the networks' gains.
    const std::vector<double> g = model.gains(version == 1 ? rate : float(networkRate(rate)));
    const int latentH = ph / kLatentStride, latentW = pw / kLatentStride;
    const std::uint8_t* stream = nullptr;
    const std::size_t streamSize = (flags & kFlagRefinement) ? baseStreamSize : r.remaining();
    r.bytes(streamSize, stream);
    const double baseEnd = (flags & kFlagRefinement) ? 0.8 : 1.0;

    // Entropy-decodes the black map and the latents (skipped when the cache already holds this stream's texels).
    auto decodeLatents = [&](std::vector<std::int32_t>& values, std::vector<std::uint8_t>& black) -> Status {
        const std::size_t count = std::size_t(latentH) * latentW * m;
        values.assign(count, 0);
        std::vector<std::int32_t> indexes(count);
        entropy::RansDecoder decoder;
        if (auto s = decoder.begin(stream, streamSize); !s) return s;
        if (flags & kFlagBlackMap) {
            std::uint64_t total = 0;
            for (auto c : blackCounts) total += c;
            if (total != std::uint64_t(w) * std::uint64_t(h)) return corrupt("black-map counts do not match the size");
            auto tables = blackTables(blackCounts);
            if (!tables) return corrupt("black-map tables");
            black.assign(std::size_t(w) * h, 0);
            for (int y = 0; y < h; ++y) {
                if (context.cancelled()) return cancelledError();
                for (int x = 0; x < w; ++x) {
                    const std::int32_t ctx = blackContext(black.data(), w, x, y);
                    std::int32_t bit = 0;
                    if (!decoder.decodeCommon(*tables, ctx, &bit))
                        if (auto s = decoder.decode(&ctx, 1, *tables, &bit); !s) return s;
                    if (bit != 0 && bit != 1) return corrupt("black map holds a value other than 0 or 1");
                    black[std::size_t(y) * w + x] = std::uint8_t(bit);
                }
            }
        }
        if (hasHyperprior(model.config().family)) {
            const ModelConfig& c = model.config();
            nn::Tensor zHat(ph / kHyperStride, pw / kHyperStride, c.hyperChannels);
            std::vector<std::int32_t> zValues(zHat.size()), zIndexes(zHat.size());
            for (std::size_t i = 0; i < zHat.size(); ++i) zIndexes[i] = std::int32_t(i % c.hyperChannels);
            if (auto s = decoder.decode(zIndexes.data(), zIndexes.size(), model.hyperTables(), zValues.data()); !s)
                return s;
            for (std::size_t i = 0; i < zHat.size(); ++i) zHat.data[i] = float(zValues[i]);
            nn::Tensor logScales;
            if (auto s = model.hyperSynthesis(zHat, logScales, threads, context.cancel, precision); !s) return s;
            if (logScales.h != latentH || logScales.w != latentW || logScales.c != m)
                return makeError(ErrorCode::Internal, "hyper synthesis shape");
            GaussianConditional::scaleIndexesFromLogScales(logScales.data.data(), count, indexes.data());
            if (auto s = decoder.decode(indexes.data(), count, GaussianConditional::instance().tables(), values.data());
                !s)
                return s;
        } else {
            auto tables = model.latentTables(g);
            if (!tables) return tables.error();
            for (std::size_t i = 0; i < count; ++i) indexes[i] = std::int32_t(i % m);
            if (auto s = decoder.decode(indexes.data(), count, *tables, values.data()); !s) return s;
        }
        if (auto s = decoder.end(); !s) return s;
        context.report(0.3 * baseEnd);
        return {};
    };
    BaseKey key(model, precision, w, h, scale, zeroChannels, (flags & kFlagBlackMap) != 0, blackCounts, g,
                Bytes(stream, stream + streamSize));
    // Without a cache the base is this call's alone: its image becomes the result instead of being copied.
    std::shared_ptr<const BaseReconstruction> base;
    Image image;
    if (context.cache) {
        auto shared = baseReconstruction(model, std::move(key), latentH, latentW, decodeLatents, context, 0.0, baseEnd);
        if (!shared) return shared.error();
        base = std::move(*shared);
        image = base->image;
    } else {
        auto owned = buildBase(model, std::move(key), latentH, latentW, decodeLatents, context, 0.0, baseEnd);
        if (!owned) return owned.error();
        image = std::move((*owned)->image);
        base = std::move(*owned);
    }
    const std::vector<std::uint8_t>& blackMap = base->black;
    if (flags & kFlagRefinement) {
        const std::uint8_t* rest = nullptr;
        const std::size_t restSize = r.remaining();
        r.bytes(restSize, rest);
        const RefinementFormat format = version == 2 ? RefinementFormat::Log2Exp2 : RefinementFormat::Scaled;
        if (auto s = applyRefinement(rest, restSize, blackMap, zeroChannels, step, epsilon, image,
                                     progressSlice(context, 0.8, 1.0), format);
            !s)
            return s.error();
    }
    return image;
}

}  // namespace lmc::learned
