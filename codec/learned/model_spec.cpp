#include "codec/learned/model_spec.h"

#include <array>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <sstream>

#include "codec/learned/exp2_core.h"

namespace lmc::learned {

std::string familyId(Family family) {
    switch (family) {
        case Family::Autoencoder:
            return "ae";
        case Family::Hyperprior:
            return "vae";
        case Family::Gan:
            return "gan";
    }
    return "?";
}

Result<Family> familyFromId(const std::string& id) {
    if (id == "ae") return Family::Autoencoder;
    if (id == "vae") return Family::Hyperprior;
    if (id == "gan") return Family::Gan;
    return makeError(ErrorCode::InvalidArgument, "unknown learned codec family '" + id + "' (ae, vae or gan)");
}

Status ModelConfig::validate() const {
    auto bad = [](const std::string& what) { return makeError(ErrorCode::InvalidArgument, "model config: " + what); };
    auto inRange = [](int v, int lo, int hi) { return v >= lo && v <= hi; };
    if (!inRange(latentChannels, 1, 1024)) return bad("latent channels must be 1..1024");
    if (!inRange(hyperChannels, 1, 1024)) return bad("hyper channels must be 1..1024");
    if (!inRange(analysisWidth1, 1, 1024) || !inRange(analysisWidth, 1, 1024)) return bad("analysis widths 1..1024");
    if (synthesisWidths.size() != 4) return bad("synthesis needs 4 widths");
    for (int w : synthesisWidths)
        if (!inRange(w, 1, 1024)) return bad("synthesis widths must be 1..1024");
    if (!inRange(hyperWidth, 1, 1024)) return bad("hyper width must be 1..1024");
    if (!inRange(gainAnchors, 2, 64)) return bad("gain anchors must be 2..64");
    if (!(leakySlope >= 0.0f && leakySlope < 1.0f)) return bad("leaky slope must be in [0, 1)");
    return {};
}

std::map<std::string, std::string> ModelConfig::toText() const {
    std::map<std::string, std::string> t;
    t["family"] = familyId(family);
    t["latent_channels"] = std::to_string(latentChannels);
    t["hyper_channels"] = std::to_string(hyperChannels);
    t["analysis_width1"] = std::to_string(analysisWidth1);
    t["analysis_width"] = std::to_string(analysisWidth);
    std::string s;
    for (std::size_t i = 0; i < synthesisWidths.size(); ++i) s += (i ? "," : "") + std::to_string(synthesisWidths[i]);
    t["synthesis_widths"] = s;
    t["hyper_width"] = std::to_string(hyperWidth);
    t["gain_anchors"] = std::to_string(gainAnchors);
    std::ostringstream slope;
    slope.precision(9);
    slope << leakySlope;
    t["leaky_slope"] = slope.str();
    t["linear_path"] = linearPath ? "1" : "0";
    return t;
}

Result<ModelConfig> ModelConfig::fromText(const std::map<std::string, std::string>& text) {
    ModelConfig c;
    auto get = [&](const char* key) -> const std::string* {
        auto it = text.find(key);
        return it == text.end() ? nullptr : &it->second;
    };
    auto toInt = [](const std::string& s, int& out) {
        char* end = nullptr;
        const long v = std::strtol(s.c_str(), &end, 10);
        if (s.empty() || *end != '\0' || v < -1000000 || v > 1000000) return false;
        out = int(v);
        return true;
    };
    auto missing = [](const char* key) {
        return makeError(ErrorCode::CorruptData, std::string("model config: missing or bad '") + key + "'");
    };
    const std::string* family = get("family");
    if (!family) return missing("family");
    auto f = familyFromId(*family);
    if (!f) return makeError(ErrorCode::CorruptData, f.error().message);
    c.family = *f;
    struct IntKey {
        const char* key;
        int* field;
    } keys[] = {{"latent_channels", &c.latentChannels}, {"hyper_channels", &c.hyperChannels},
                {"analysis_width1", &c.analysisWidth1}, {"analysis_width", &c.analysisWidth},
                {"hyper_width", &c.hyperWidth},         {"gain_anchors", &c.gainAnchors}};
    for (auto& k : keys) {
        const std::string* v = get(k.key);
        if (!v || !toInt(*v, *k.field)) return missing(k.key);
    }
    const std::string* widths = get("synthesis_widths");
    if (!widths) return missing("synthesis_widths");
    c.synthesisWidths.clear();
    std::stringstream ss(*widths);
    std::string item;
    while (std::getline(ss, item, ',')) {
        int v = 0;
        if (!toInt(item, v)) return missing("synthesis_widths");
        c.synthesisWidths.push_back(v);
    }
    const std::string* slope = get("leaky_slope");
    if (!slope) return missing("leaky_slope");
    char* end = nullptr;
    c.leakySlope = std::strtof(slope->c_str(), &end);
    if (slope->empty() || *end != '\0') return missing("leaky_slope");
    c.linearPath = false;
    if (const std::string* linear = get("linear_path")) {
        if (*linear != "0" && *linear != "1") return missing("linear_path");
        c.linearPath = *linear == "1";
    }
    if (auto s = c.validate(); !s) return makeError(ErrorCode::CorruptData, s.error().message);
    return c;
}

std::vector<LayerSpec> analysisLayers(const ModelConfig& c) {
    const int a1 = c.analysisWidth1, a = c.analysisWidth;
    return {{"ga.0", 3, a1, 3, 2, true, 1},
            {"ga.1", a1, a, 3, 2, true, 1},
            {"ga.2", a, a, 3, 2, true, 1},
            {"ga.3", a, a, 3, 1, true, 1},
            {"ga.4", a, c.latentChannels, 3, 2, false, 1}};
}

std::vector<LayerSpec> synthesisLayers(const ModelConfig& c) {
    const auto& w = c.synthesisWidths;
    return {{"gs.0", c.latentChannels, w[0] * 4, 3, 1, true, 2},
            {"gs.1", w[0], w[1], 3, 1, true, 1},
            {"gs.2", w[1], w[2] * 4, 3, 1, true, 2},
            {"gs.3", w[2], w[3] * 4, 3, 1, true, 2},
            {"gs.4", w[3], 3 * 4, 3, 1, false, 2}};
}

std::vector<LayerSpec> linearAnalysisLayers(const ModelConfig& c) {
    if (!c.linearPath) return {};
    const int blockValues = 3 * kLatentStride * kLatentStride;
    return {{"la", blockValues, c.latentChannels, 1, 1, false, 1}};
}

std::vector<LayerSpec> linearSynthesisLayers(const ModelConfig& c) {
    if (!c.linearPath) return {};
    const int blockValues = 3 * kLatentStride * kLatentStride;
    return {{"ls", c.latentChannels, blockValues, 1, 1, false, kLatentStride}};
}

std::vector<float> blockTransformBasis(int latentChannels) {
    const int n = kLatentStride, blockValues = 3 * n * n;
    double dct[kLatentStride][kLatentStride];
    for (int k = 0; k < n; ++k)
        for (int i = 0; i < n; ++i)
            dct[k][i] = (k == 0 ? std::sqrt(1.0 / n) : std::sqrt(2.0 / n)) * std::cos(M_PI * (i + 0.5) * k / n);
    const double colour[3][3] = {{1 / std::sqrt(3.0), 1 / std::sqrt(3.0), 1 / std::sqrt(3.0)},
                                 {1 / std::sqrt(2.0), 0.0, -1 / std::sqrt(2.0)},
                                 {1 / std::sqrt(6.0), -2 / std::sqrt(6.0), 1 / std::sqrt(6.0)}};
    // Frequencies in zigzag order (u + v, then u); half the rows go to luminance, a quarter to each opponent.
    std::vector<std::pair<int, int>> order;
    for (int d = 0; d < 2 * n - 1; ++d)
        for (int u = 0; u < n; ++u)
            if (d - u >= 0 && d - u < n) order.push_back({u, d - u});
    std::vector<std::array<int, 3>> rows;  // colour, u, v
    std::size_t next[3] = {0, 0, 0};
    while (int(rows.size()) < std::min(latentChannels, blockValues)) {
        // Pattern Y, C1, Y, C2: luminance gets half of the rows.
        static const int pattern[4] = {0, 1, 0, 2};
        const int c = pattern[rows.size() % 4];
        const auto [u, v] = order[next[c]++];
        rows.push_back({c, u, v});
    }
    std::vector<float> basis(std::size_t(latentChannels) * blockValues, 0.0f);
    for (std::size_t r = 0; r < rows.size(); ++r) {
        const auto [c, u, v] = rows[r];
        for (int ch = 0; ch < 3; ++ch)
            for (int i = 0; i < n; ++i)
                for (int j = 0; j < n; ++j)
                    basis[r * blockValues + std::size_t(ch) * n * n + std::size_t(i) * n + j] =
                        float(colour[c][ch] * dct[u][i] * dct[v][j]);
    }
    return basis;
}

std::vector<LayerSpec> hyperAnalysisLayers(const ModelConfig& c) {
    const int h = c.hyperWidth;
    return {{"ha.0", c.latentChannels, h, 3, 1, true, 1},
            {"ha.1", h, h, 3, 2, true, 1},
            {"ha.2", h, c.hyperChannels, 3, 2, false, 1}};
}

std::vector<LayerSpec> hyperSynthesisLayers(const ModelConfig& c) {
    const int h = c.hyperWidth;
    return {{"hs.0", c.hyperChannels, h * 4, 3, 1, true, 2},
            {"hs.1", h, h * 4, 3, 1, true, 2},
            {"hs.2", h, c.latentChannels, 3, 1, false, 1}};
}

std::vector<LayerSpec> decoderLayers(const ModelConfig& c) {
    std::vector<LayerSpec> layers = synthesisLayers(c);
    const std::vector<LayerSpec> linear = linearSynthesisLayers(c);
    layers.insert(layers.end(), linear.begin(), linear.end());
    if (hasHyperprior(c.family)) {
        const std::vector<LayerSpec> hyper = hyperSynthesisLayers(c);
        layers.insert(layers.end(), hyper.begin(), hyper.end());
    }
    return layers;
}

namespace {

// exp2Deterministic's body: every path runs the same operations (exp2_core.h), so scalar and vector results are
// identical.
inline float exp2Core(float xIn) {
    return float(detail::exp2Core(double(xIn)));
}

inline float inverseCore(float t, float scale) {
    const float e = exp2Core(2.0f * t + 1.0f);
    const float x = scale * (e - 1.0f);
    return x > 0.0f ? x : 0.0f;
}

}  // namespace

float exp2Deterministic(float xIn) {
    return exp2Core(xIn);
}

namespace detail {
// inverse_transform_avx512.cpp
bool inverseTransformAvx512Compiled();
std::size_t inverseTransformSpanAvx512(const float* t, std::size_t count, float scale, float* out);
}  // namespace detail

void inverseTransformSpan(const float* t, std::size_t count, float scale, float* out) {
#if defined(__x86_64__) || defined(__i386__)
    static const bool avx512 = detail::inverseTransformAvx512Compiled() && __builtin_cpu_supports("avx512f") &&
                               __builtin_cpu_supports("avx512vl");
    const std::size_t done = avx512 ? detail::inverseTransformSpanAvx512(t, count, scale, out) : 0;
#else
    const std::size_t done = 0;
#endif
    for (std::size_t i = done; i < count; ++i) out[i] = inverseCore(t[i], scale);
}

float forwardTransform(float x, float scale) {
    if (!(x > 0.0f)) x = 0.0f;
    return float((std::log2(1.0 + double(x) / double(scale)) - 1.0) * 0.5);
}

float inverseTransform(float t, float scale) {
    return inverseCore(t, scale);
}

}  // namespace lmc::learned
