#include "codec/learned/overfit/overfit_codec.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <memory>
#include <string>

#include "codec/codec_cache.h"
#include "codec/codec_guard.h"
#include "codec/container.h"
#include "codec/entropy/gaussian_conditional.h"
#include "codec/entropy/rans.h"
#include "codec/learned/bit_map.h"
#include "codec/learned/learned_codec.h"
#include "codec/learned/model_spec.h"
#include "codec/learned/overfit/overfit_model.h"
#include "codec/learned/overfit/overfit_rdoq.h"
#include "codec/learned/overfit/overfit_train.h"
#include "codec/nn/fp_env.h"
#include "codec/parallel_rows.h"

namespace lmc::overfit {

namespace {
// The range of exposure scales a stream may carry (the decoder refuses others).
constexpr float kMinStreamScale = 1e-30f, kMaxStreamScale = 1e30f;
}  // namespace

TrainTarget encoderTarget(const ImageView& image, float& scale) {
    const float knee = learned::exposureScale(image);
    scale = std::max(knee / float(kTransformScaleDivisor), kMinStreamScale);
    return makeTrainTarget(image, scale, {knee, kDarkWeight, kDarkFloor});
}

double lambdaForRate(double rate) {
    return std::pow(10.0, kLambdaLog10AtRate0 - kLambdaDecades * std::min(std::max(rate, 0.0), 1.0));
}

namespace {

constexpr std::uint8_t kPayloadVersion = 1;         // no black map
constexpr std::uint8_t kPayloadVersionBlackMap = 2;  // a black map after the exposure scale
constexpr int kSynthRowsPerTask = 16;

Error corrupt(const std::string& what) {
    return makeError(ErrorCode::CorruptData, "overfit stream: " + what);
}

// Table indexes and symbols of every latent (all latents known: rows in parallel, same function as the decoder).
void latentSymbols(const Networks& net, const std::vector<GridShape>& grids,
                   const std::vector<std::vector<float>>& latents, std::vector<std::int32_t>& symbols,
                   std::vector<std::int32_t>& indexes, const CodecContext& context) {
    std::size_t total = 0;
    std::vector<std::size_t> start;
    std::vector<std::pair<int, int>> rows;
    for (std::size_t k = 0; k < grids.size(); ++k) {
        start.push_back(total);
        total += grids[k].size();
        for (int r = 0; r < grids[k].height; ++r) rows.push_back({int(k), r});
    }
    symbols.resize(total);
    indexes.resize(total);
    CodecContext quiet;
    quiet.threads = context.resolvedThreads();
    (void)forEachRow(int(rows.size()), quiet, [&](int task) {
        nn::detail::FloatEnvGuard fp;
        const int k = rows[std::size_t(task)].first, r = rows[std::size_t(task)].second;
        const GridShape& g = grids[std::size_t(k)];
        float ctx[kContextSize];
        for (int x = 0; x < g.width; ++x) {
            gatherContext(latents[std::size_t(k)].data(), g.width, g.height, x, r, ctx);
            float mu, ls;
            armForward(net, ctx, mu, ls);
            std::int32_t centre;
            const std::size_t i = start[std::size_t(k)] + std::size_t(r) * g.width + x;
            indexes[i] = laplaceTable(mu, ls, centre);
            symbols[i] = std::int32_t(latents[std::size_t(k)][std::size_t(r) * g.width + x]) - centre;
        }
    });
}

// Synthesis of the whole image in t (3 per texel), bands of rows in parallel.
Status synthesizeAll(const Config& cfg, const Networks& net, const std::vector<GridShape>& grids,
                     const std::vector<std::vector<float>>& latents, int width, int height, std::vector<float>& t,
                     const CodecContext& context) {
    t.resize(std::size_t(width) * height * 3);
    const int bands = (height + kSynthRowsPerTask - 1) / kSynthRowsPerTask;
    CodecContext quiet;  // the caller reports progress of its own
    quiet.threads = context.resolvedThreads();
    quiet.cancel = context.cancel;
    return forEachRow(bands, quiet, [&](int b) {
        nn::detail::FloatEnvGuard fp;
        const int y0 = b * kSynthRowsPerTask, y1 = std::min(height, y0 + kSynthRowsPerTask);
        synthesizeRows(cfg, net, grids, latents, width, height, y0, y1, t.data() + std::size_t(y0) * width * 3);
    });
}

// Warm starts: optimised (unquantised) states of finished encodes, kept in the caller's CodecCache.
constexpr const char* kStatesSlot = "overfit.states";
constexpr std::size_t kMaxFinishedStates = 16;
struct FinishedState {
    double rate = 0;
    int iterations = 0;
    int width = 0, height = 0;
    std::uint64_t maskKey = 0;
    float scale = 0;
    TrainState state;
};
struct FinishedStates {
    std::vector<FinishedState> states;
};

std::uint64_t hashWeights(const TrainTarget& target) {
    std::uint64_t h = 1469598103934665603ull;
    for (float w : target.weight) {
        std::uint32_t bits;
        std::memcpy(&bits, &w, sizeof bits);
        h = (h ^ bits) * 1099511628211ull;
    }
    return h;
}

int bestGaussianTable(const std::vector<std::int32_t>& values, double& bits) {
    const auto& tables = entropy::GaussianConditional::instance().tables();
    int best = 0;
    bits = 1e300;
    std::vector<std::int32_t> idx(values.size());
    for (int t = 0; t < entropy::GaussianConditional::kScaleCount; ++t) {
        std::fill(idx.begin(), idx.end(), t);
        auto b = entropy::estimateBits(tables, values.data(), idx.data(), values.size());
        if (b && *b < bits) {
            bits = *b;
            best = t;
        }
    }
    return best;
}

// The exact-black map's stream when it is worth carrying (a visible black texel, at most kMaxBlackMapBitsPerTexel),
// with the mapped texels' weights set to 0; else empty, the target unchanged (black texels keep their one-sided
// loss). Texels outside the mask are the map coder's free choice.
Result<std::vector<std::uint8_t>> takeBlackMap(TrainTarget& target) {
    const std::size_t n = target.weight.size();
    std::vector<std::uint8_t> bits(n), free(n), coded;
    bool anyBlack = false;
    for (std::size_t i = 0; i < n; ++i) {
        free[i] = target.weight[i] > 0.0f ? 0 : 1;
        bits[i] = target.black[i] && !free[i] ? 1 : 0;
        anyBlack |= bits[i] != 0;
    }
    if (!anyBlack) return std::vector<std::uint8_t>();
    auto map = learned::encodeBitMap(bits, target.width, target.height, free, &coded);
    if (!map) return map.error();
    if (double(map->size()) * 8.0 > kMaxBlackMapBitsPerTexel * double(n)) return std::vector<std::uint8_t>();
    for (std::size_t i = 0; i < n; ++i)
        if (coded[i]) target.weight[i] = 0.0f;
    return std::move(*map);
}

class OverfitCodec final : public Codec {
public:
    std::string id() const override { return "overfit"; }
    std::string name() const override { return "Overfitted neural (per map)"; }
    std::string description() const override {
        return "Per-map optimised neural codec (Cool-chic style latent grids, tiny synthesis MLP and context model, "
               "all in the stream); negative values are clamped to 0.";
    }
    ParamSchema schema() const override {
        return {asRate(floatParam("rate", "Rate",
                                  "Rate-distortion trade-off from 0 (smallest) to 1 (largest): lambda = "
                                  "10^(-4 rate) in the training loss.",
                                  0.0, 1.0, 0.5, 0.01)),
                intParam("iterations", "Iterations",
                         "Optimisation steps, each on a quarter of the map's texel rows: encode time grows "
                         "linearly, quality with it.",
                         20, 100000, kDefaultIterations)};
    }
    CodecTraits traits(const ParamSet&) const override {
        CodecTraits t;
        t.heavy = true;
        return t;
    }

    Result<Bytes> encode(const ImageView& image, const ParamSet& params, const CodecContext& context) const override {
        return guardedCodecCall("overfit encoder",
                                [&]() -> Result<Bytes> { return encodeImpl(image, params, context); });
    }
    Result<Image> decode(const std::uint8_t* data, std::size_t size, const CodecContext& context) const override {
        return guardedCodecCall(
            "overfit decoder", [&]() -> Result<Image> { return decodeImpl(data, size, context); },
            ErrorCode::CorruptData);
    }

private:
    Result<Bytes> encodeImpl(const ImageView& image, const ParamSet& params, const CodecContext& context) const;
    // The stream of an optimised state: latents rounded, each layer's weight precision chosen by rate-distortion.
    // blackMap: the black map's stream (encodeBitMap), empty for none.
    Result<Bytes> streamOf(const TrainState& state, const TrainTarget& target,
                           const std::vector<std::uint8_t>& blackMap, const Config& cfg, float scale, double lambda,
                           const ParamSet& params, bool interim, const CodecContext& context) const;
    Result<Image> decodeImpl(const std::uint8_t* data, std::size_t size, const CodecContext& context) const;
};

Result<Bytes> OverfitCodec::encodeImpl(const ImageView& image, const ParamSet& params,
                                       const CodecContext& context) const {
    if (image.empty()) return makeError(ErrorCode::InvalidArgument, "overfit: empty image");
    if (auto st = checkImageSize(image.width, image.height); !st) return st.error();
    if (context.cancelled()) return cancelledError();
    const int W = image.width, H = image.height;
    const double rate = params.get("rate", 0.5);
    const int iterations = std::max(1, params.getInt("iterations", kDefaultIterations));

    // Target in the transformed domain; weights from the mask.
    float scale = 0;
    TrainTarget target = encoderTarget(image, scale);
    auto blackMap = takeBlackMap(target);
    if (!blackMap) return blackMap.error();

    TrainOptions options;
    options.lambda = lambdaForRate(rate);
    options.iterations = iterations;
    options.rowStride = kSynthRowStride;
    // Warm start (codec_cache.h): the optimised state of the nearest rate finished on this image and mask.
    std::shared_ptr<const FinishedStates> finished;
    const std::uint64_t maskKey = hashWeights(target);
    if (context.cache) {
        context.cache->bindSource(image);
        finished = context.cache->get<FinishedStates>(kStatesSlot);
    }
    const FinishedState* nearest = nullptr;
    if (finished)
        for (const FinishedState& f : finished->states)
            if (f.width == W && f.height == H && f.maskKey == maskKey && f.scale == scale &&
                f.iterations == iterations && (!nearest || std::abs(f.rate - rate) < std::abs(nearest->rate - rate)))
                nearest = &f;
    TrainState state;
    if (nearest && nearest->rate == rate) {
        state = nearest->state;  // this very encode finished before: its stream again
        context.report(0.9);
    } else {
        if (nearest) {
            state = nearest->state;
            options.iterations = std::max(1, int(std::lround(iterations * kWarmFraction)));
        } else {
            state = initialState(target, options.config, options.seed);
        }
        if (context.interim) {
            const InterimSchedule* set = context.extensions.get<InterimSchedule>();
            const InterimSchedule schedule = set ? *set : InterimSchedule{};
            CodecContext quiet = context;  // an interim stream reports no progress
            quiet.progress = nullptr;
            const auto start = std::chrono::steady_clock::now();
            auto elapsed = [start] {
                return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            };
            double next = schedule.firstSeconds;
            options.afterStep = [&, schedule, quiet, elapsed, next](const TrainState& sofar, int step) mutable {
                if (step >= options.iterations || elapsed() < next || quiet.cancelled()) return;
                auto stream =
                    streamOf(sofar, target, *blackMap, options.config, scale, options.lambda, params, true, quiet);
                if (stream) context.interim(*stream);
                next = std::max(next, elapsed() * schedule.growth);
            };
        }
        if (auto st = train(target, options, state, context, 0.0, 0.9); !st) return st.error();
        if (context.cache) {
            auto next = std::make_shared<FinishedStates>();
            if (finished) next->states = finished->states;
            next->states.push_back({rate, iterations, W, H, maskKey, scale, state});
            if (next->states.size() > kMaxFinishedStates) next->states.erase(next->states.begin());
            context.cache->put<FinishedStates>(kStatesSlot, std::move(next));
        }
    }
    return streamOf(state, target, *blackMap, options.config, scale, options.lambda, params, false, context);
}

Result<Bytes> OverfitCodec::streamOf(const TrainState& state, const TrainTarget& target,
                                     const std::vector<std::uint8_t>& blackMap, const Config& cfg, float scale,
                                     double lambda, const ParamSet& params, bool interim,
                                     const CodecContext& context) const {
    const int W = target.width, H = target.height;
    const std::vector<GridShape> grids = gridShapes(cfg, W, H);

    // Quantised latents.
    std::vector<std::vector<float>> latents(grids.size());
    for (std::size_t k = 0; k < grids.size(); ++k) {
        latents[k].resize(grids[k].size());
        const float limit = float(kMaxLatentMagnitude);
        for (std::size_t i = 0; i < grids[k].size(); ++i)
            latents[k][i] = std::isfinite(state.latents[k][i])
                                ? std::min(std::max(std::nearbyint(state.latents[k][i]), -limit), limit)
                                : 0.0f;
    }
    if (context.cancelled()) return cancelledError();

    // Weight precision per layer: greedy search of the exponent that minimises D + lambda * (latent + weight bits)
    // per texel, measured with the decoder's own functions; D as the optimisation weighs it (texelDistortion: a plain
    // mean would trade the dark texels' precision at another price than the one the latents were chosen at).
    double weightSum = 0;
    for (float w : target.weight) weightSum += w;
    const double texels = double(W) * H;
    Networks net = state.networks;
    QuantizedLayer quant[Networks::kLayerCount];
    double layerBits[Networks::kLayerCount] = {};
    for (int i = 0; i < Networks::kLayerCount; ++i) {
        quant[i] = quantizeLayer(state.networks.layer(i), 14);
        quant[i].table = bestGaussianTable(quant[i].values, layerBits[i]);
        dequantizeLayer(quant[i], net.layer(i));
    }
    std::vector<float> t;
    std::vector<std::int32_t> symbols, indexes;
    auto distortion = [&]() -> Result<double> {
        if (auto st = synthesizeAll(cfg, net, grids, latents, W, H, t, context); !st) return st.error();
        double sum = 0;
        for (std::size_t i = 0; i < target.weight.size(); ++i)
            if (target.weight[i] != 0.0f) sum += texelDistortion(target, i, &t[i * 3]);
        return weightSum > 0 ? sum / (3.0 * weightSum) : 0.0;
    };
    auto latentBits = [&]() -> double {
        latentSymbols(net, grids, latents, symbols, indexes, context);
        auto b = entropy::estimateBits(laplaceTables(), symbols.data(), indexes.data(), symbols.size());
        return b ? *b : 1e300;
    };
    auto dist = distortion();
    if (!dist) return dist.error();
    double currentD = *dist, currentR = latentBits();
    for (int li = 0; li < Networks::kLayerCount; ++li) {
        const bool synth = li < 3;
        double bestCost = 1e300;
        int bestExp = quant[li].exponent;
        // An interim stream tries three exponents: it is made while the optimisation waits.
        for (int e = interim ? 8 : 4; e <= 14; e += interim ? 3 : 1) {
            if (context.cancelled()) return cancelledError();
            QuantizedLayer q = quantizeLayer(state.networks.layer(li), e);
            double wb;
            q.table = bestGaussianTable(q.values, wb);
            dequantizeLayer(q, net.layer(li));
            double d = currentD, r = currentR;
            if (synth) {
                auto dd = distortion();
                if (!dd) return dd.error();
                d = *dd;
            } else {
                r = latentBits();
            }
            double otherBits = 0;
            for (int j = 0; j < Networks::kLayerCount; ++j)
                if (j != li) otherBits += layerBits[j];
            const double cost = d + lambda * (r + wb + otherBits) / texels;
            if (cost < bestCost) {
                bestCost = cost;
                bestExp = e;
            }
        }
        quant[li] = quantizeLayer(state.networks.layer(li), bestExp);
        quant[li].table = bestGaussianTable(quant[li].values, layerBits[li]);
        dequantizeLayer(quant[li], net.layer(li));
        if (synth) {
            auto dd = distortion();
            if (!dd) return dd.error();
            currentD = *dd;
        } else {
            currentR = latentBits();
        }
        context.report(0.9 + 0.07 * double(li + 1) / Networks::kLayerCount);
    }

    // Rate-distortion optimised quantisation of the latents with the networks as quantised (overfit_rdoq.h).
    if (!interim) {
        auto improved = rdoqLatents(cfg, net, target, lambda, kRdoqPasses, latents, context.cancel);
        if (!improved) return improved.error();
        context.report(0.99);
    }

    // The stream.
    Bytes payload;
    ByteWriter w(payload);
    w.u8(blackMap.empty() ? kPayloadVersion : kPayloadVersionBlackMap);
    w.u8(std::uint8_t(cfg.levels));
    w.u8(std::uint8_t(cfg.firstLevel));
    w.u8(std::uint8_t(cfg.synthHidden));
    w.u8(std::uint8_t(cfg.armHidden));
    w.f32(scale);
    if (!blackMap.empty()) {
        w.u32(std::uint32_t(blackMap.size()));
        w.bytes(blackMap.data(), blackMap.size());
    }
    for (const auto& q : quant) {
        w.u8(std::uint8_t(q.exponent));
        w.u8(std::uint8_t(q.table));
    }
    entropy::RansEncoder enc;
    const auto& gaussian = entropy::GaussianConditional::instance().tables();
    for (const auto& q : quant)
        if (auto st = enc.encodeWithTable(q.values.data(), q.values.size(), gaussian, q.table); !st) return st.error();
    latentSymbols(net, grids, latents, symbols, indexes, context);
    if (auto st = enc.encode(symbols.data(), indexes.data(), symbols.size(), laplaceTables()); !st) return st.error();
    enc.finish(payload);
    ContainerHeader header;
    header.codecId = id();
    header.width = W;
    header.height = H;
    header.params = formatParamSet(schema(), params);
    context.report(1.0);
    return writeContainer(header, payload);
}

Result<Image> OverfitCodec::decodeImpl(const std::uint8_t* data, std::size_t size, const CodecContext& context) const {
    auto container = readContainer(data, size);
    if (!container) return container.error();
    if (container->header.codecId != id())
        return makeError(ErrorCode::InvalidArgument, "stream is '" + container->header.codecId + "', not overfit");
    const int W = container->header.width, H = container->header.height;
    if (auto st = checkImageSize(W, H); !st) return st.error();
    ByteReader r(container->payload, container->payloadSize);
    std::uint8_t version = 0, levels = 0, first = 0, sh = 0, ah = 0;
    float scale = 0;
    if (!r.u8(version) || !r.u8(levels) || !r.u8(first) || !r.u8(sh) || !r.u8(ah) || !r.f32(scale))
        return corrupt("truncated header");
    if (version != kPayloadVersion && version != kPayloadVersionBlackMap)
        return corrupt("unsupported version " + std::to_string(version));
    Config cfg;
    cfg.levels = levels;
    cfg.firstLevel = first;
    cfg.synthHidden = sh;
    cfg.armHidden = ah;
    if (!validateConfig(cfg)) return corrupt("network layout out of range");
    if (!(scale >= kMinStreamScale && scale <= kMaxStreamScale)) return corrupt("exposure scale");
    std::vector<std::uint8_t> black;
    if (version == kPayloadVersionBlackMap) {
        std::uint32_t mapSize = 0;
        const std::uint8_t* map = nullptr;
        if (!r.u32(mapSize) || !r.bytes(mapSize, map)) return corrupt("truncated black map");
        if (auto st = learned::decodeBitMap(map, mapSize, W, H, black, context.cancel); !st) {
            if (st.error().code == ErrorCode::Cancelled) return st.error();
            return corrupt("black map: " + st.error().message);
        }
    }
    Networks net = makeNetworks(cfg);
    QuantizedLayer quant[Networks::kLayerCount];
    for (int i = 0; i < Networks::kLayerCount; ++i) {
        std::uint8_t e = 0, table = 0;
        if (!r.u8(e) || !r.u8(table)) return corrupt("truncated layer header");
        if (e > kMaxWeightExponent || table >= entropy::GaussianConditional::kScaleCount)
            return corrupt("layer precision or table");
        quant[i].exponent = e;
        quant[i].table = table;
        quant[i].values.resize(net.layer(i).parameterCount());
    }
    const std::uint8_t* rans = nullptr;
    const std::size_t ransSize = r.remaining();
    if (!r.bytes(ransSize, rans)) return corrupt("truncated");
    // Every symbol costs more than 2^-16 bits: a stream too short for its symbol count is refused before allocating.
    const std::vector<GridShape> grids = gridShapes(cfg, W, H);
    std::size_t latentCount = 0;
    for (const auto& g : grids) latentCount += g.size();
    if (double(latentCount) > (double(ransSize) * 8.0 + 64.0) * 65536.0) return corrupt("stream too short");
    entropy::RansDecoder dec;
    if (auto st = dec.begin(rans, ransSize); !st) return st.error();
    const auto& gaussian = entropy::GaussianConditional::instance().tables();
    for (int i = 0; i < Networks::kLayerCount; ++i) {
        if (auto st = dec.decodeWithTable(quant[i].values.size(), gaussian, quant[i].table, quant[i].values.data());
            !st)
            return st.error();
        for (std::int32_t v : quant[i].values)
            if (v > (1 << 24) - 1 || v < -((1 << 24) - 1)) return corrupt("weight out of range");
        dequantizeLayer(quant[i], net.layer(i));
    }
    if (context.cancelled()) return cancelledError();
    const auto& laplace = laplaceTables();
    std::vector<std::vector<float>> latents(grids.size());
    {
        nn::detail::FloatEnvGuard fp;
        for (std::size_t k = 0; k < grids.size(); ++k) {
            const GridShape& g = grids[k];
            latents[k].assign(g.size(), 0.0f);
            float* grid = latents[k].data();
            float ctx[kContextSize];
            for (int y = 0; y < g.height; ++y) {
                if (context.cancelled()) return cancelledError();
                for (int x = 0; x < g.width; ++x) {
                    gatherContext(grid, g.width, g.height, x, y, ctx);
                    float mu, ls;
                    armForward(net, ctx, mu, ls);
                    std::int32_t centre;
                    const std::int32_t table = laplaceTable(mu, ls, centre);
                    std::int32_t symbol = 0;
                    if (auto st = dec.decodeWithTable(1, laplace, table, &symbol); !st) return st.error();
                    const std::int64_t v = std::int64_t(symbol) + centre;
                    if (v > kMaxLatentMagnitude || v < -kMaxLatentMagnitude) return corrupt("latent out of range");
                    grid[std::size_t(y) * g.width + x] = float(v);
                }
            }
            context.report(0.5 * double(k + 1) / grids.size());
        }
    }
    if (auto st = dec.end(); !st) return st.error();
    auto out = Image::create(W, H);
    if (!out) return out.error();
    Image image = std::move(*out);
    const int bands = (H + kSynthRowsPerTask - 1) / kSynthRowsPerTask;
    std::vector<float> t;
    auto st = forEachRow(bands, progressSlice(context, 0.5, 1.0), [&](int b) {
        nn::detail::FloatEnvGuard fp;
        const int y0 = b * kSynthRowsPerTask, y1 = std::min(H, y0 + kSynthRowsPerTask);
        std::vector<float> rows(std::size_t(y1 - y0) * W * 3);
        synthesizeRows(cfg, net, grids, latents, W, H, y0, y1, rows.data());
        float* dst = image.data() + std::size_t(y0) * W * 3;
        for (std::size_t i = 0; i < rows.size(); ++i) {
            // Damaged weights can send t anywhere: keep texels finite and inside the input's range.
            const float tc = std::min(std::max(rows[i], -1.0f), 16.0f);
            dst[i] = std::min(learned::inverseTransform(tc, scale), 65504.0f);
        }
        if (!black.empty())
            for (std::size_t i = 0; i < rows.size() / 3; ++i)
                if (black[std::size_t(y0) * W + i]) dst[3 * i] = dst[3 * i + 1] = dst[3 * i + 2] = 0.0f;
    });
    if (!st) return st.error();
    return image;
}

}  // namespace

std::unique_ptr<Codec> makeOverfitCodec() {
    return std::make_unique<OverfitCodec>();
}

}  // namespace lmc::overfit
