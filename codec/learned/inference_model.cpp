#include "codec/learned/inference_model.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <sstream>
#include <tuple>
#include <type_traits>

#include "codec/container.h"
#include "codec/entropy/gaussian_conditional.h"
#include "codec/nn/fp_env.h"

namespace lmc::learned {

nn::ConvLayer convLayerOf(const LayerSpec& spec, float leakySlope) {
    nn::ConvLayer l;
    l.inChannels = spec.in;
    l.outChannels = spec.out;
    l.kernel = spec.kernel;
    l.stride = spec.stride;
    l.activation = spec.activation ? nn::Activation::LeakyRelu : nn::Activation::None;
    l.leakySlope = leakySlope;
    return l;
}

namespace {

using entropy::GaussianConditional;

Error corrupt(const std::string& what) {
    return makeError(ErrorCode::CorruptData, "model weights: " + what);
}

double sigmoid(double u) {
    return 1.0 / (1.0 + GaussianConditional::deterministicExp(-u));
}

// Copies rows [y0, y1) x columns [x0, x1) of `in` into `out` (its buffer reused).
void cropInto(const nn::Tensor& in, int y0, int y1, int x0, int x1, nn::Tensor& out) {
    out.reshapeForOverwrite(y1 - y0, x1 - x0, in.c);
    const std::size_t rowValues = std::size_t(x1 - x0) * in.c;
    for (int y = y0; y < y1; ++y) std::copy_n(in.at(y, x0), rowValues, out.at(y - y0, 0));
}

Result<std::vector<nn::ConvLayer>> buildLayers(const WeightFile& file, const std::vector<LayerSpec>& specs, float slope,
                                               std::vector<int>& shuffles) {
    std::vector<nn::ConvLayer> layers;
    shuffles.clear();
    for (const LayerSpec& s : specs) {
        auto w = file.require(s.name + ".weight", {s.out, s.in, s.kernel, s.kernel});
        if (!w) return w.error();
        auto b = file.require(s.name + ".bias", {s.out});
        if (!b) return b.error();
        nn::ConvLayer l = convLayerOf(s, slope);
        l.weight = (*w)->data;
        l.bias = (*b)->data;
        if (auto v = nn::validateConvLayer(l); !v) return corrupt(s.name + ": " + v.error().message);
        layers.push_back(std::move(l));
        shuffles.push_back(s.shuffle);
    }
    return layers;
}

Result<SampledPrior> loadPrior(const WeightFile& file, const char* logitsName, const char* rangeName, int channels) {
    const WeightTensor* logits = file.find(logitsName);
    if (!logits || logits->shape.size() != 2 || logits->shape[0] != channels || logits->shape[1] < 2)
        return corrupt(std::string("tensor '") + logitsName + "' is missing or has the wrong shape");
    auto range = file.require(rangeName, {channels, 2});
    if (!range) return range.error();
    SampledPrior p;
    p.channels = channels;
    p.samples = int(logits->shape[1]);
    p.logits = logits->data;
    p.range = (*range)->data;
    if (auto s = p.validate(); !s) return s.error();
    return p;
}

}  // namespace

Status SampledPrior::validate() const {
    if (channels <= 0 || samples < 2 || logits.size() != std::size_t(channels) * samples ||
        range.size() != std::size_t(channels) * 2)
        return corrupt("prior has inconsistent sizes");
    for (int c = 0; c < channels; ++c) {
        const float lo = range[2 * c], hi = range[2 * c + 1];
        if (!(hi > lo) || !(hi - lo < 1e6f)) return corrupt("prior channel " + std::to_string(c) + " has a bad range");
        const float* l = &logits[std::size_t(c) * samples];
        for (int i = 1; i < samples; ++i)
            if (!(l[i] >= l[i - 1])) return corrupt("prior channel " + std::to_string(c) + " is not monotone");
    }
    return {};
}

Result<entropy::CdfTableSet> SampledPrior::tables(const std::vector<double>& gains) const {
    if (gains.size() != std::size_t(channels)) return makeError(ErrorCode::InvalidArgument, "prior: gain count");
    std::vector<entropy::PmfSpec> pmfs(channels);
    for (int c = 0; c < channels; ++c) {
        const double g = gains[c];
        if (!(g > 1e-6 && g < 1e6)) return makeError(ErrorCode::InvalidArgument, "prior: gain out of range");
        const double lo = range[2 * c], hi = range[2 * c + 1];
        const float* l = &logits[std::size_t(c) * samples];
        const double step = (hi - lo) / double(samples - 1);
        // Linear interpolation of the cumulative logit, clamped to the grid's ends.
        auto logitAt = [&](double y) {
            double pos = (y - lo) / step;
            if (!(pos > 0.0)) return double(l[0]);
            if (pos >= double(samples - 1)) return double(l[samples - 1]);
            const int i = int(std::floor(pos));
            const double f = pos - double(i);
            return double(l[i]) + f * (double(l[i + 1]) - double(l[i]));
        };
        // Mass of the bin between two logits, computed on the side of the distribution where it is accurate.
        auto mass = [](double a, double b) {
            const double m = (a + b > 0.0) ? sigmoid(-a) - sigmoid(-b) : sigmoid(b) - sigmoid(a);
            return m > 1e-15 ? m : 1e-15;
        };
        // Support: where the cumulative logit lies within +-14 (tails below ~1e-6 go to the escape, which costs a
        // few bits once in a million values but keeps tables small: quantizePmf is quadratic in table size when
        // many entries sit at the minimum frequency).
        const double tailLogit = 14.0;
        int first = 0, last = samples - 1;
        while (first < samples - 1 && l[first + 1] < -tailLogit) ++first;
        while (last > first && l[last - 1] > tailLogit) --last;
        const double supportLo = lo + step * first, supportHi = lo + step * last;
        std::int64_t kMin = std::int64_t(std::floor(supportLo * g)), kMax = std::int64_t(std::ceil(supportHi * g));
        const std::int64_t maxSymbols = std::int64_t(entropy::kMaxTableSymbols) - 2;
        if (kMax - kMin + 1 > maxSymbols) {  // absurd gains: keep the centre, the rest escapes
            const std::int64_t mid = (kMin + kMax) / 2;
            kMin = mid - maxSymbols / 2;
            kMax = kMin + maxSymbols - 1;
        }
        entropy::PmfSpec& p = pmfs[c];
        p.offset = std::int32_t(kMin);
        p.pmf.resize(std::size_t(kMax - kMin + 1));
        double lower = logitAt((double(kMin) - 0.5) / g);
        const double lowTail = sigmoid(lower);
        for (std::int64_t k = kMin; k <= kMax; ++k) {
            const double upper = logitAt((double(k) + 0.5) / g);
            p.pmf[std::size_t(k - kMin)] = mass(lower, upper);
            lower = upper;
        }
        p.tailMass = lowTail + sigmoid(-lower);
    }
    return entropy::CdfTableSet::fromPmfs(pmfs);
}

ModelConfig tinyModelConfig(Family family) {
    ModelConfig c;
    c.family = family;
    c.latentChannels = 8;
    c.hyperChannels = 4;
    c.analysisWidth1 = 6;
    c.analysisWidth = 8;
    c.synthesisWidths = {8, 8, 6, 4};
    c.hyperWidth = 8;
    c.gainAnchors = 3;
    return c;
}

WeightFile makeRandomWeights(const ModelConfig& config, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    WeightFile f;
    f.metadata = config.toText();
    f.metadata["kind"] = "model";
    f.metadata["note"] = "random weights for tests";
    auto addLayers = [&](const std::vector<LayerSpec>& specs) {
        for (const LayerSpec& s : specs) {
            const double fanIn = double(s.in) * s.kernel * s.kernel;
            std::normal_distribution<float> dist(0.0f, float(std::sqrt(1.0 / fanIn)));
            WeightTensor w, b;
            w.shape = {s.out, s.in, s.kernel, s.kernel};
            w.data.resize(std::size_t(w.elementCount()));
            for (float& v : w.data) v = dist(rng);
            b.shape = {s.out};
            b.data.assign(std::size_t(s.out), 0.0f);
            for (float& v : b.data) v = 0.1f * dist(rng);
            f.tensors[s.name + ".weight"] = std::move(w);
            f.tensors[s.name + ".bias"] = std::move(b);
        }
    };
    addLayers(analysisLayers(config));
    addLayers(synthesisLayers(config));
    addLayers(linearAnalysisLayers(config));
    addLayers(linearSynthesisLayers(config));
    WeightTensor gains;
    gains.shape = {config.gainAnchors, config.latentChannels};
    for (int k = 0; k < config.gainAnchors; ++k)
        for (int c = 0; c < config.latentChannels; ++c)
            gains.data.push_back(float(std::log(4.0) + std::log(8.0) * k / (config.gainAnchors - 1) + 0.01 * c));
    f.tensors[kGainTensor] = std::move(gains);
    const int channels = hasHyperprior(config.family) ? config.hyperChannels : config.latentChannels;
    const int samples = 1025;
    WeightTensor logits, range;
    logits.shape = {channels, samples};
    range.shape = {channels, 2};
    for (int c = 0; c < channels; ++c) {
        const double width = 1.0 + 0.25 * c, lo = -30.0 * width, hi = 30.0 * width;
        range.data.push_back(float(lo));
        range.data.push_back(float(hi));
        for (int i = 0; i < samples; ++i) logits.data.push_back(float((lo + (hi - lo) * i / (samples - 1)) / width));
    }
    if (hasHyperprior(config.family)) {
        addLayers(hyperAnalysisLayers(config));
        addLayers(hyperSynthesisLayers(config));
        f.tensors[kHyperPriorTensor] = std::move(logits);
        f.tensors[kHyperPriorRange] = std::move(range);
    } else {
        f.tensors[kLatentPriorTensor] = std::move(logits);
        f.tensors[kLatentPriorRange] = std::move(range);
    }
    return f;
}

Result<std::shared_ptr<const InferenceModel>> InferenceModel::loadFile(const std::string& path) {
    auto file = readWeightFile(path);
    if (!file) return file.error();
    // Empty when the file does not exist.
    auto readCalibration = [](const std::string& calibrationPath) -> Result<std::optional<Int8Calibration>> {
        std::error_code ec;
        if (!std::filesystem::exists(calibrationPath, ec)) return std::optional<Int8Calibration>();
        std::ifstream in(calibrationPath, std::ios::binary);
        std::ostringstream text;
        text << in.rdbuf();
        if (!in && !in.eof()) return makeError(ErrorCode::IoError, calibrationPath + ": cannot read");
        auto parsed = Int8Calibration::fromText(text.str());
        if (!parsed) return makeError(parsed.error().code, calibrationPath + ": " + parsed.error().message);
        return std::optional<Int8Calibration>(std::move(*parsed));
    };
    auto calibration = readCalibration(path + ".int8");
    if (!calibration) return calibration.error();
    auto model = load(*file, *calibration ? &**calibration : nullptr);
    if (!model) return makeError(model.error().code, path + ": " + model.error().message);
    std::vector<std::shared_ptr<const InferenceModel>> earlier;
    for (int i = 1; i <= 9; ++i) {
        const std::string earlierPath = path + ".int8." + std::to_string(i);
        auto c = readCalibration(earlierPath);
        if (!c) return c.error();
        if (!*c) continue;
        auto variant = (*model)->withInt8(**c);
        if (!variant) return makeError(variant.error().code, earlierPath + ": " + variant.error().message);
        earlier.push_back(std::move(*variant));
    }
    if (earlier.empty()) return model;
    std::shared_ptr<InferenceModel> withEarlier(new InferenceModel(**model));
    withEarlier->earlierInt8_ = std::move(earlier);
    return std::shared_ptr<const InferenceModel>(std::move(withEarlier));
}

const InferenceModel* InferenceModel::int8Variant(std::uint32_t calibrationFingerprint) const {
    if (hasInt8() && int8Fingerprint_ == calibrationFingerprint) return this;
    for (const auto& m : earlierInt8_)
        if (m->hasInt8() && m->int8Fingerprint() == calibrationFingerprint) return m.get();
    return nullptr;
}

std::string Int8Calibration::toText() const {
    std::ostringstream out;
    using Mode = Layer::Mode;
    const bool v2 =
        std::any_of(layers.begin(), layers.end(), [](const auto& l) { return l.second.mode != Mode::Quantised; });
    out << "# lmc int8 calibration v" << (v2 ? 2 : 1) << "\n";
    for (const auto& [key, value] : notes) out << "# " << key << " " << value << "\n";
    for (const auto& [name, layer] : layers) {
        if (layer.mode != Mode::Quantised) {
            out << name << (layer.mode == Mode::Fp32 ? " fp32\n" : " symbols\n");
            continue;
        }
        char range[64];
        std::snprintf(range, sizeof range, "%.9g", double(layer.range));
        out << name << " " << range << " " << layer.clamp << " " << layer.weightClamp << "\n";
    }
    return out.str();
}

Result<Int8Calibration> Int8Calibration::fromText(const std::string& text) {
    auto bad = [](const std::string& what) { return makeError(ErrorCode::CorruptData, "int8 calibration: " + what); };
    if (text.rfind("# lmc int8 calibration v1\n", 0) != 0 && text.rfind("# lmc int8 calibration v2\n", 0) != 0)
        return bad("missing the v1 or v2 header line");
    Int8Calibration c;
    std::istringstream in(text);
    std::string line;
    std::getline(in, line);
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        if (line[0] == '#') {
            const std::size_t space = line.find(' ', 2);
            if (line.size() < 3 || space == std::string::npos) return bad("bad note line");
            c.notes[line.substr(2, space - 2)] = line.substr(space + 1);
            continue;
        }
        std::istringstream fields(line);
        std::string name, rest;
        double range = 0;
        int clamp = 0, weightClamp = 0;
        if (std::istringstream modeFields(line); modeFields >> name >> rest && (rest == "fp32" || rest == "symbols")) {
            Layer layer;
            layer.mode = rest == "fp32" ? Layer::Mode::Fp32 : Layer::Mode::Symbols;
            if (modeFields >> rest) return bad("bad line '" + line + "'");
            if (!c.layers.emplace(name, layer).second) return bad("layer " + name + " twice");
            continue;
        }
        if (!(fields >> name >> range >> clamp >> weightClamp) || (fields >> rest))
            return bad("bad line '" + line + "'");
        if (!(range > 0.0 && range < 1e30) || clamp < 1 || clamp > 32767 || weightClamp < 1 || weightClamp > 32767)
            return bad("range or clamp out of range for " + name);
        if (!c.layers.emplace(name, Layer{float(range), clamp, weightClamp, Layer::Mode::Quantised}).second)
            return bad("layer " + name + " twice");
    }
    if (c.toText() != text) return bad("not in canonical form (write it with toText)");
    return c;
}

Int8Calibration::Layer int8LayerRule(const LayerSpec& spec, float range) {
    Int8Calibration::Layer layer;
    if (spec.name == "ls") {
        layer.mode = Int8Calibration::Layer::Mode::Symbols;
        return layer;
    }
    layer.range = range > 0.0f ? range : 1.0f;
    layer.weightClamp = 127;
    layer.clamp = nn::widestClamp(spec.kernel, spec.in, layer.weightClamp);
    return layer;
}

std::uint32_t Int8Calibration::fingerprint() const {
    const std::string text = toText();
    return crc32(reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
}

Result<std::shared_ptr<const InferenceModel>> InferenceModel::withInt8(const Int8Calibration& calibration) const {
    std::shared_ptr<InferenceModel> m(new InferenceModel(*this));
    using Mode = Int8Calibration::Layer::Mode;
    // readsLatent: a synthesis stack, whose first layer may take the latent's symbols.
    auto quantize = [&](const std::vector<nn::ConvLayer>& layers, const std::vector<LayerSpec>& specs, QStack& out,
                        bool readsLatent) -> Status {
        out = {};
        if (layers.size() != specs.size()) return makeError(ErrorCode::Internal, "layer list mismatch");
        for (std::size_t i = 0; i < layers.size(); ++i) {
            auto it = calibration.layers.find(specs[i].name);
            if (it == calibration.layers.end())
                return makeError(ErrorCode::CorruptData, "int8 calibration has no layer " + specs[i].name);
            const Mode mode = it->second.mode;
            out.modes.push_back(mode);
            if (mode == Mode::Symbols && (i != 0 || !readsLatent))
                return makeError(ErrorCode::CorruptData, "int8 layer " + specs[i].name + " cannot read the symbols");
            if (mode != Mode::Quantised) {  // the shape only (largestActivation); see QStack
                nn::QConvLayer shape;
                shape.inChannels = layers[i].inChannels;
                shape.outChannels = layers[i].outChannels;
                shape.kernel = layers[i].kernel;
                shape.stride = layers[i].stride;
                shape.shuffle = mode == Mode::Symbols ? specs[i].shuffle : 1;
                out.layers.push_back(std::move(shape));
                continue;
            }
            // The pixel shuffle after the layer is built into it (written straight into the shuffled tensor).
            auto q = nn::quantizeConvLayer(layers[i], it->second.range, it->second.clamp, it->second.weightClamp,
                                           specs[i].shuffle);
            if (!q) return makeError(ErrorCode::CorruptData, "int8 layer " + specs[i].name + ": " + q.error().message);
            out.layers.push_back(std::move(*q));
        }
        return {};
    };
    if (auto s = quantize(synthesis_, synthesisLayers(config_), m->qSynthesis_, true); !s) return s.error();
    if (auto s = quantize(linearSynthesis_, linearSynthesisLayers(config_), m->qLinearSynthesis_, true); !s)
        return s.error();
    if (hasHyperprior(config_.family))
        if (auto s = quantize(hyperSynthesis_, hyperSynthesisLayers(config_), m->qHyperSynthesis_, false); !s)
            return s.error();
    m->int8Fingerprint_ = calibration.fingerprint();
    return std::shared_ptr<const InferenceModel>(std::move(m));
}

Status InferenceModel::observeStack(const std::vector<nn::ConvLayer>& layers, const std::vector<int>& shuffles,
                                    const std::vector<LayerSpec>& specs, nn::Tensor x,
                                    std::map<std::string, float>& maxAbs, int threads) const {
    nn::Tensor tmp;
    for (std::size_t i = 0; i < layers.size(); ++i) {
        float m = 0.0f;
        for (float v : x.data) m = std::max(m, std::fabs(v));
        float& slot = maxAbs[specs[i].name];
        slot = std::max(slot, m);
        if (auto s = nn::conv2d(x, layers[i], tmp, threads, nullptr); !s) return s;
        if (shuffles[i] > 1)
            nn::pixelShuffleInto(tmp, shuffles[i], x);
        else
            std::swap(x, tmp);
    }
    return {};
}

Status InferenceModel::recordInputRanges(const nn::Tensor& latent, const nn::Tensor* hyperQuantized,
                                         std::map<std::string, float>& maxAbs, int threads) const {
    if (latent.c != config_.latentChannels) return makeError(ErrorCode::InvalidArgument, "latent channels");
    if (auto s = observeStack(synthesis_, synthesisShuffle_, synthesisLayers(config_), latent, maxAbs, threads); !s)
        return s;
    if (auto s = observeStack(linearSynthesis_, linearSynthesisShuffle_, linearSynthesisLayers(config_), latent, maxAbs,
                              threads);
        !s)
        return s;
    if (hyperQuantized && hasHyperprior(config_.family))
        return observeStack(hyperSynthesis_, hyperSynthesisShuffle_, hyperSynthesisLayers(config_), *hyperQuantized,
                            maxAbs, threads);
    return {};
}

Result<std::shared_ptr<const InferenceModel>> InferenceModel::load(const WeightFile& file,
                                                                   const Int8Calibration* calibration) {
    auto kind = file.metadata.find("kind");
    if (kind == file.metadata.end() || kind->second != "model")
        return corrupt("not an inference model file (kind=" + (kind == file.metadata.end() ? "?" : kind->second) +
                       "); a training checkpoint is turned into one by `lmc train`");
    auto config = ModelConfig::fromText(file.metadata);
    if (!config) return config.error();
    std::shared_ptr<InferenceModel> m(new InferenceModel());
    m->config_ = *config;
    m->metadata_ = file.metadata;
    m->fingerprint_ = file.fingerprint();
    const ModelConfig& c = m->config_;
    const float slope = c.leakySlope;
    auto a = buildLayers(file, analysisLayers(c), slope, m->analysisShuffle_);
    if (!a) return a.error();
    m->analysis_ = std::move(*a);
    auto s = buildLayers(file, synthesisLayers(c), slope, m->synthesisShuffle_);
    if (!s) return s.error();
    m->synthesis_ = std::move(*s);
    auto la = buildLayers(file, linearAnalysisLayers(c), slope, m->linearAnalysisShuffle_);
    if (!la) return la.error();
    m->linearAnalysis_ = std::move(*la);
    auto ls = buildLayers(file, linearSynthesisLayers(c), slope, m->linearSynthesisShuffle_);
    if (!ls) return ls.error();
    m->linearSynthesis_ = std::move(*ls);
    auto gains = file.require(kGainTensor, {c.gainAnchors, c.latentChannels});
    if (!gains) return gains.error();
    m->logGains_.assign((*gains)->data.begin(), (*gains)->data.end());
    for (int k = 0; k < c.gainAnchors; ++k)
        for (int ch = 0; ch < c.latentChannels; ++ch) {
            const double v = m->logGains_[std::size_t(k) * c.latentChannels + ch];
            if (!(v > -20.0 && v < 20.0)) return corrupt("gain out of range");
            if (k > 0 && v < m->logGains_[std::size_t(k - 1) * c.latentChannels + ch])
                return corrupt("gains are not non-decreasing with the rate");
        }
    if (hasHyperprior(c.family)) {
        auto ha = buildLayers(file, hyperAnalysisLayers(c), slope, m->hyperAnalysisShuffle_);
        if (!ha) return ha.error();
        m->hyperAnalysis_ = std::move(*ha);
        auto hs = buildLayers(file, hyperSynthesisLayers(c), slope, m->hyperSynthesisShuffle_);
        if (!hs) return hs.error();
        m->hyperSynthesis_ = std::move(*hs);
        auto prior = loadPrior(file, kHyperPriorTensor, kHyperPriorRange, c.hyperChannels);
        if (!prior) return prior.error();
        m->hyperPrior_ = std::move(*prior);
        auto tables = m->hyperPrior_.tables(std::vector<double>(std::size_t(c.hyperChannels), 1.0));
        if (!tables) return corrupt("hyper prior tables: " + tables.error().message);
        m->hyperTables_ = std::move(*tables);
    } else {
        auto prior = loadPrior(file, kLatentPriorTensor, kLatentPriorRange, c.latentChannels);
        if (!prior) return prior.error();
        m->latentPrior_ = std::move(*prior);
    }
    if (calibration) return m->withInt8(*calibration);
    return std::shared_ptr<const InferenceModel>(std::move(m));
}

std::vector<double> InferenceModel::gains(double rate) const {
    const int k = config_.gainAnchors, m = config_.latentChannels;
    if (!(rate > 0.0)) rate = 0.0;
    if (rate > 1.0) rate = 1.0;
    const double p = rate * double(k - 1);
    int i = int(std::floor(p));
    if (i > k - 2) i = k - 2;
    const double f = p - double(i);
    std::vector<double> g(static_cast<std::size_t>(m));
    for (int c = 0; c < m; ++c) {
        const double a = logGains_[std::size_t(i) * m + c], b = logGains_[std::size_t(i + 1) * m + c];
        g[c] = GaussianConditional::deterministicExp(a * (1.0 - f) + b * f);
    }
    return g;
}

Result<entropy::CdfTableSet> InferenceModel::latentTables(const std::vector<double>& gains) const {
    return latentPrior_.tables(gains);
}

namespace {

// The largest tensor (in values) a stack produces from an h x w input: what each of its two buffers must hold.
template <class Layer>
std::size_t largestActivation(const std::vector<Layer>& layers, const std::vector<int>& shuffles, int h, int w) {
    std::size_t largest = 0;
    for (std::size_t i = 0; i < layers.size(); ++i) {
        const int pad = layers[i].kernel / 2;
        const int oh = (h + 2 * pad - layers[i].kernel) / layers[i].stride + 1;
        const int ow = (w + 2 * pad - layers[i].kernel) / layers[i].stride + 1;
        largest = std::max(largest, std::size_t(oh) * std::size_t(ow) * std::size_t(layers[i].outChannels));
        int r = i < shuffles.size() ? shuffles[i] : 1;
        if constexpr (std::is_same_v<Layer, nn::QConvLayer>) r *= layers[i].shuffle;
        h = oh * r;
        w = ow * r;
    }
    return largest;
}

// A stack of convolutions, each followed by its pixel shuffle (1: none); `conv` runs layer i (FP32 or INT8). The
// activations alternate between `out` (which ends with the result) and `spare`, whose buffers are kept: a caller
// that runs many tiles reserves them once (nothing is allocated per layer then). `in` may be neither.
template <class Layer, class Conv>
Status runLayers(const std::vector<Layer>& layers, const std::vector<int>& shuffles, const nn::Tensor& in,
                 nn::Tensor& out, nn::Tensor& spare, Conv&& conv) {
    if (&in == &out || &in == &spare) return makeError(ErrorCode::Internal, "layer stack input aliases a buffer");
    const nn::Tensor* x = &in;
    for (std::size_t i = 0; i < layers.size(); ++i) {
        nn::Tensor& target = x == &out ? spare : out;
        if (auto s = conv(*x, i, target); !s) return s;
        if (shuffles[i] > 1) {
            nn::Tensor& shuffled = &target == &out ? spare : out;  // x's buffer (or a free one): x is read no more
            nn::pixelShuffleInto(target, shuffles[i], shuffled);
            if (shuffled.empty()) return makeError(ErrorCode::Internal, "pixel shuffle of a layer output failed");
            x = &shuffled;
        } else {
            x = &target;
        }
    }
    if (x == &in)
        out = in;
    else if (x != &out)
        std::swap(out, spare);
    return {};
}

// Reserves both buffers for a stack run on h x w inputs (so that growing tiles do not reallocate and copy).
template <class Layer>
Status reserveStack(const std::vector<Layer>& layers, const std::vector<int>& shuffles, int h, int w, nn::Tensor& out,
                    nn::Tensor& spare) {
    const std::size_t values = largestActivation(layers, shuffles, h, w);
    if (values > nn::kMaxConvOutputValues) return makeError(ErrorCode::TooLarge, "synthesis: tile too large");
    try {
        out.data.reserve(values);
        spare.data.reserve(values);
    } catch (const std::bad_alloc&) {
        return makeError(ErrorCode::TooLarge, "synthesis: out of memory for the activations");
    }
    return {};
}

// Shuffles that a stack of INT8 layers does not do itself (qconv.h QConvLayer::shuffle).
std::vector<int> remainingShuffles(const std::vector<nn::QConvLayer>& layers, const std::vector<int>& shuffles) {
    std::vector<int> remaining(shuffles.size(), 1);
    for (std::size_t i = 0; i < shuffles.size() && i < layers.size(); ++i)
        if (layers[i].shuffle != shuffles[i]) remaining[i] = shuffles[i];
    return remaining;
}

}  // namespace

Status InferenceModel::runStack(const std::vector<nn::ConvLayer>& layers, const std::vector<int>& shuffles,
                                const nn::Tensor& x, nn::Tensor& out, nn::Tensor& spare, int threads,
                                const CancelToken* cancel) const {
    return runLayers(layers, shuffles, x, out, spare,
                     [&](const nn::Tensor& in, std::size_t i, nn::Tensor& result) {
                         return nn::conv2d(in, layers[i], result, threads, cancel);
                     });
}

Status InferenceModel::runQStack(const QStack& stack, const std::vector<nn::ConvLayer>& floatLayers,
                                 const std::vector<int>& shuffles, const nn::Tensor& x, nn::Tensor& out,
                                 nn::Tensor& spare, nn::QConvScratch& scratch, int threads,
                                 const CancelToken* cancel, const nn::QConvLayer* symbolFirst) const {
    if (floatLayers.size() != stack.layers.size() || stack.modes.size() != stack.layers.size() ||
        (stack.readsSymbols() && !symbolFirst))
        return makeError(ErrorCode::Internal, "INT8 stack mismatch");
    using Mode = Int8Calibration::Layer::Mode;
    return runLayers(stack.layers, remainingShuffles(stack.layers, shuffles), x, out, spare,
                     [&](const nn::Tensor& in, std::size_t i, nn::Tensor& result) {
                         if (stack.modes[i] == Mode::Fp32)
                             return nn::conv2d(in, floatLayers[i], result, threads, cancel);
                         const nn::QConvLayer& layer = stack.modes[i] == Mode::Symbols ? *symbolFirst : stack.layers[i];
                         return nn::qconv2d(in, layer, result, threads, cancel, nn::ConvPath::Auto, &scratch);
                     });
}

Result<nn::QConvLayer> InferenceModel::symbolLayer(const QStack& stack, const std::vector<nn::ConvLayer>& floatLayers,
                                                   const std::vector<double>& gains, int maxSymbol) {
    if (!stack.readsSymbols() || floatLayers.empty()) return makeError(ErrorCode::Internal, "no symbol layer");
    const nn::ConvLayer& layer = floatLayers[0];
    if (gains.size() != std::size_t(layer.inChannels))
        return makeError(ErrorCode::InvalidArgument, "synthesis: INT8 symbol layers need the latent's gains");
    // y = k / gain: the weights take the 1 / gain, the input is k itself (input scale A / A = 1).
    nn::ConvLayer scaled = layer;
    const std::size_t taps = std::size_t(layer.kernel) * std::size_t(layer.kernel);
    for (std::size_t i = 0; i < scaled.weight.size(); ++i)
        scaled.weight[i] = float(double(scaled.weight[i]) / gains[(i / taps) % gains.size()]);
    const int a = std::clamp(maxSymbol, 1, 32767);
    const int b = nn::widestClamp(layer.kernel, layer.inChannels, a);
    if (b < 1) return makeError(ErrorCode::InvalidArgument, "synthesis: symbols too large for int32 sums");
    auto q = nn::quantizeConvLayer(scaled, float(a), a, b, stack.layers[0].shuffle);
    if (!q) return makeError(ErrorCode::InvalidArgument, "INT8 symbol layer: " + q.error().message);
    return std::move(*q);
}

Status InferenceModel::analysis(const nn::Tensor& input, nn::Tensor& latent, int threads, const CancelToken* cancel,
                                const Progress& progress, int tileSize) const {
    const int h = input.h, w = input.w;
    if (input.c != 3 || h % kPadMultiple != 0 || w % kPadMultiple != 0 || h <= 0 || w <= 0)
        return makeError(ErrorCode::InvalidArgument, "analysis input must be padded to multiples of 64");
    tileSize = std::max(kLatentStride, tileSize / kLatentStride * kLatentStride);
    const int margin = 32;  // >= the analysis receptive-field radius (23 texels), a multiple of 16
    latent = nn::Tensor(h / kLatentStride, w / kLatentStride, config_.latentChannels);
    const int tilesY = (h + tileSize - 1) / tileSize, tilesX = (w + tileSize - 1) / tileSize;
    // This call's activations, reused by every tile and layer.
    nn::Tensor tile, out, spare, linear;
    int done = 0;
    for (int ty = 0; ty < h; ty += tileSize)
        for (int tx = 0; tx < w; tx += tileSize) {
            if (cancel && cancel->isCancelled()) return cancelledError();
            const int y0 = std::max(0, ty - margin), y1 = std::min(h, ty + tileSize + margin);
            const int x0 = std::max(0, tx - margin), x1 = std::min(w, tx + tileSize + margin);
            cropInto(input, y0, y1, x0, x1, tile);
            if (auto s = runStack(analysis_, analysisShuffle_, tile, out, spare, threads, cancel); !s) return s;
            if (!linearAnalysis_.empty()) {  // y = g_a(x) + L_a(x); tile origins are multiples of 16
                if (auto s = runStack(linearAnalysis_, linearAnalysisShuffle_, nn::pixelUnshuffle(tile, kLatentStride),
                                      linear, spare, threads, cancel);
                    !s)
                    return s;
                if (!linear.sameShape(out)) return makeError(ErrorCode::Internal, "linear analysis shape mismatch");
                nn::addInPlace(out, linear);
            }
            const int ly0 = ty / kLatentStride, ly1 = std::min(h, ty + tileSize) / kLatentStride;
            const int lx0 = tx / kLatentStride, lx1 = std::min(w, tx + tileSize) / kLatentStride;
            const int oy = y0 / kLatentStride, ox = x0 / kLatentStride;
            for (int ly = ly0; ly < ly1; ++ly)
                std::copy_n(out.at(ly - oy, lx0 - ox), std::size_t(lx1 - lx0) * latent.c, latent.at(ly, lx0));
            ++done;
            if (progress) progress(double(done) / double(tilesY * tilesX));
        }
    return {};
}

Status InferenceModel::synthesis(const nn::Tensor& latent, const TileSink& sink, int threads, const CancelToken* cancel,
                                 const Progress& progress, int tileLatents, Precision precision,
                                 const std::vector<double>& gains) const {
    if (latent.c != config_.latentChannels || latent.h <= 0 || latent.w <= 0)
        return makeError(ErrorCode::InvalidArgument, "synthesis: latent has the wrong shape");
    const bool int8 = precision == Precision::Int8;
    if (int8 && !hasInt8())
        return makeError(ErrorCode::InvalidArgument, "synthesis: the model has no INT8 calibration");
    // This call's memory, allocated once and reused by every tile and layer (nothing is kept between calls): the
    // latent tile, three activation buffers and the INT8 quantised input. The main stack alternates between `out`
    // (its result) and `spare`; the linear stack then puts its result in `spare`, alternating with `extra` (which
    // the INT8 one, a single layer with its shuffle built in, never touches), and a cropped tile goes to `extra`.
    // Pages first touched cost a fault and the kernel's zeroing each, so fewer distinct buffers decode faster.
    nn::Tensor tile, out, spare, extra;
    nn::QConvScratch scratch;
    // INT8 stacks whose first layer reads the symbols (Symbols mode): the latent's symbols k (clamped to int16, as
    // qconv2d clamps its inputs; NaN to -32767 as there), their tile, and this call's version of each such layer.
    nn::Tensor symbols, symbolTile;
    std::optional<nn::QConvLayer> symbolMain, symbolLinear;
    if (int8 && (qSynthesis_.readsSymbols() || qLinearSynthesis_.readsSymbols())) {
        if (gains.size() != std::size_t(latent.c))
            return makeError(ErrorCode::InvalidArgument, "synthesis: INT8 symbol layers need the latent's gains");
        const nn::detail::FloatEnvGuard floatEnv;  // nearbyint: round half to even, whatever the caller set
        symbols = nn::Tensor(latent.h, latent.w, latent.c);
        int maxSymbol = 1;
        for (std::size_t i = 0; i < latent.size(); ++i) {
            double k = std::nearbyint(double(latent.data[i]) * gains[i % gains.size()]);
            if (!(std::fabs(k) <= 32767.0)) k = k > 0.0 ? 32767.0 : -32767.0;
            symbols.data[i] = float(k);
            maxSymbol = std::max(maxSymbol, int(std::fabs(k)));
        }
        for (auto [stack, floats, layer] : {std::tuple(&qSynthesis_, &synthesis_, &symbolMain),
                                            std::tuple(&qLinearSynthesis_, &linearSynthesis_, &symbolLinear)})
            if (stack->readsSymbols()) {
                auto q = symbolLayer(*stack, *floats, gains, maxSymbol);
                if (!q) return q.error();
                layer->emplace(std::move(*q));
            }
    }
    auto run = [&](const std::vector<nn::ConvLayer>& layers, const QStack& qLayers, const std::vector<int>& shuffles,
                   const std::optional<nn::QConvLayer>& symbolFirst, nn::Tensor& result, nn::Tensor& alternate) {
        if (!int8) return runStack(layers, shuffles, tile, result, alternate, threads, cancel);
        return runQStack(qLayers, layers, shuffles, qLayers.readsSymbols() ? symbolTile : tile, result, alternate,
                         scratch, threads, cancel, symbolFirst ? &*symbolFirst : nullptr);
    };
    auto reserve = [&](const std::vector<nn::ConvLayer>& layers, const QStack& qLayers,
                       const std::vector<int>& shuffles, int h, int w, nn::Tensor& result, nn::Tensor& alternate) {
        return int8 ? reserveStack(qLayers.layers, remainingShuffles(qLayers.layers, shuffles), h, w, result,
                                   alternate)
                    : reserveStack(layers, shuffles, h, w, result, alternate);
    };
    tileLatents = std::max(1, tileLatents);
    // latents: the synthesis receptive-field radius is 2.375 latents (1 + 1/2 + 1/2 + 1/4 + 1/8), so every texel of
    // the kept interior depends only on latents at most 3 cells away (TiledEqualsWholeImage checks it).
    const int margin = 3;
    const int hl = latent.h, wl = latent.w;
    {
        // Sized for the largest tile up front, so that no tile reallocates (and copies) a buffer.
        const int th = std::min(hl, tileLatents + 2 * margin), tw = std::min(wl, tileLatents + 2 * margin);
        if (auto s = reserve(synthesis_, qSynthesis_, synthesisShuffle_, th, tw, out, spare); !s) return s;
        if (auto s = reserve(linearSynthesis_, qLinearSynthesis_, linearSynthesisShuffle_, th, tw, spare, extra); !s)
            return s;
    }
    const int tilesY = (hl + tileLatents - 1) / tileLatents, tilesX = (wl + tileLatents - 1) / tileLatents;
    int done = 0;
    for (int ty = 0; ty < hl; ty += tileLatents)
        for (int tx = 0; tx < wl; tx += tileLatents) {
            if (cancel && cancel->isCancelled()) return cancelledError();
            const int y0 = std::max(0, ty - margin), y1 = std::min(hl, ty + tileLatents + margin);
            const int x0 = std::max(0, tx - margin), x1 = std::min(wl, tx + tileLatents + margin);
            cropInto(latent, y0, y1, x0, x1, tile);
            if (!symbols.empty()) cropInto(symbols, y0, y1, x0, x1, symbolTile);
            if (auto s = run(synthesis_, qSynthesis_, synthesisShuffle_, symbolMain, out, spare); !s) return s;
            if (!linearSynthesis_.empty()) {  // x^ = g_s(y^) + L_s(y^)
                if (auto s = run(linearSynthesis_, qLinearSynthesis_, linearSynthesisShuffle_, symbolLinear, spare,
                                 extra);
                    !s)
                    return s;
                if (!spare.sameShape(out)) return makeError(ErrorCode::Internal, "linear synthesis shape mismatch");
                nn::addInPlace(out, spare);
            }
            const int py0 = (ty - y0) * kLatentStride, px0 = (tx - x0) * kLatentStride;
            const int ph = (std::min(hl, ty + tileLatents) - ty) * kLatentStride;
            const int pw = (std::min(wl, tx + tileLatents) - tx) * kLatentStride;
            if (py0 == 0 && px0 == 0 && ph == out.h && pw == out.w) {
                sink(ty * kLatentStride, tx * kLatentStride, out);  // a tile without margins (the whole image)
            } else {
                cropInto(out, py0, py0 + ph, px0, px0 + pw, extra);
                sink(ty * kLatentStride, tx * kLatentStride, extra);
            }
            ++done;
            if (progress) progress(double(done) / double(tilesY * tilesX));
        }
    return {};
}

Status InferenceModel::hyperAnalysis(const nn::Tensor& gainedLatent, nn::Tensor& hyper, int threads,
                                     const CancelToken* cancel) const {
    if (!hasHyperprior(config_.family)) return makeError(ErrorCode::InvalidArgument, "model has no hyperprior");
    nn::Tensor x = gainedLatent, spare;
    for (float& v : x.data) v = std::fabs(v);
    return runStack(hyperAnalysis_, hyperAnalysisShuffle_, x, hyper, spare, threads, cancel);
}

Status InferenceModel::hyperSynthesis(const nn::Tensor& hyperQuantized, nn::Tensor& logScales, int threads,
                                      const CancelToken* cancel, Precision precision) const {
    if (!hasHyperprior(config_.family)) return makeError(ErrorCode::InvalidArgument, "model has no hyperprior");
    nn::Tensor spare;
    if (precision == Precision::Int8) {
        if (!hasInt8())
            return makeError(ErrorCode::InvalidArgument, "hyper synthesis: the model has no INT8 calibration");
        nn::QConvScratch scratch;
        return runQStack(qHyperSynthesis_, hyperSynthesis_, hyperSynthesisShuffle_, hyperQuantized, logScales, spare,
                         scratch, threads, cancel);
    }
    return runStack(hyperSynthesis_, hyperSynthesisShuffle_, hyperQuantized, logScales, spare, threads, cancel);
}

}  // namespace lmc::learned
