#include "codec/learned/overfit/overfit_model.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "codec/entropy/gaussian_conditional.h"

namespace lmc::overfit {

Status validateConfig(const Config& c) {
    if (c.levels < 1 || c.levels > kMaxLevels || c.firstLevel < 0 || c.firstLevel > 3 || c.synthHidden < 1 ||
        c.synthHidden > kMaxHidden || c.armHidden < 1 || c.armHidden > kMaxHidden)
        return makeError(ErrorCode::InvalidArgument, "overfit: unsupported network layout");
    return {};
}

std::vector<GridShape> gridShapes(const Config& config, int width, int height) {
    std::vector<GridShape> grids;
    for (int k = 0; k < config.levels; ++k) {
        const int f = 1 << (config.firstLevel + k);
        grids.push_back({(width + f - 1) / f, (height + f - 1) / f, f});
    }
    return grids;
}

static void shapeLayer(Layer& l, int in, int out) {
    l.in = in;
    l.out = out;
    l.weight.assign(std::size_t(in) * out, 0.0f);
    l.bias.assign(std::size_t(out), 0.0f);
}

Networks makeNetworks(const Config& c) {
    Networks n;
    shapeLayer(n.synth[0], c.levels, c.synthHidden);
    shapeLayer(n.synth[1], c.synthHidden, c.synthHidden);
    shapeLayer(n.synth[2], c.synthHidden, 3);
    shapeLayer(n.arm[0], kContextSize, c.armHidden);
    shapeLayer(n.arm[1], c.armHidden, 2);
    return n;
}

void gatherContext(const float* grid, int width, int height, int x, int y, float* context) {
    (void)height;
    for (int i = 0; i < kContextSize; ++i) {
        const int xx = x + kContextDx[i], yy = y + kContextDy[i];
        context[i] = (yy >= 0 && xx >= 0 && xx < width) ? grid[std::size_t(yy) * width + xx] : 0.0f;
    }
}

void armForward(const Networks& n, const float* context, float& mu, float& logScale) {
    const Layer& l0 = n.arm[0];
    const Layer& l1 = n.arm[1];
    float hidden[kMaxHidden];
    for (int j = 0; j < l0.out; ++j) {
        const float* w = l0.weight.data() + std::size_t(j) * l0.in;
        float s = l0.bias[j];
        for (int i = 0; i < kContextSize; ++i) s += w[i] * context[i];
        hidden[j] = s > 0.0f ? s : 0.0f;
    }
    float out[2];
    for (int j = 0; j < 2; ++j) {
        const float* w = l1.weight.data() + std::size_t(j) * l1.in;
        float s = l1.bias[j];
        for (int i = 0; i < l1.in; ++i) s += w[i] * hidden[i];
        out[j] = s;
    }
    mu = out[0];
    logScale = out[1];
}

namespace {

double laplaceLowerTail(double x, double b) {  // P(X < x) for x <= 0 (mean 0)
    return 0.5 * entropy::GaussianConditional::deterministicExp(x / b);
}

// Mass of [lo, hi] under Laplace(m, b), computed on the side of the mean where it does not cancel.
double laplaceMass(double lo, double hi, double m, double b) {
    lo -= m;
    hi -= m;
    if (lo >= 0) return laplaceLowerTail(-lo, b) - laplaceLowerTail(-hi, b);
    if (hi <= 0) return laplaceLowerTail(hi, b) - laplaceLowerTail(lo, b);
    return 1.0 - laplaceLowerTail(lo, b) - laplaceLowerTail(-hi, b);
}

entropy::CdfTableSet buildLaplaceTables() {
    std::vector<entropy::PmfSpec> pmfs;
    pmfs.reserve(kScaleBins * kFracBins);
    const double step = (double(kMaxLogScale) - double(kMinLogScale)) / kScaleBins;
    for (int s = 0; s < kScaleBins; ++s) {
        const double b = entropy::GaussianConditional::deterministicExp(double(kMinLogScale) + (s + 0.5) * step);
        for (int f = 0; f < kFracBins; ++f) {
            const double m = (f + 0.5) / kFracBins - 0.5;
            const int k = int(std::ceil(21.0 * b)) + 1;
            entropy::PmfSpec spec;
            spec.offset = -k;
            spec.pmf.resize(std::size_t(2 * k + 1));
            for (int v = -k; v <= k; ++v) spec.pmf[std::size_t(v + k)] = laplaceMass(v - 0.5, v + 0.5, m, b);
            spec.tailMass = laplaceLowerTail(-k - 0.5 - m, b) + laplaceLowerTail(-(k + 0.5 - m), b);
            pmfs.push_back(std::move(spec));
        }
    }
    auto tables = entropy::CdfTableSet::fromPmfs(pmfs);
    if (!tables) std::abort();  // a bug in the constants above, caught by every test
    return std::move(*tables);
}

}  // namespace

const entropy::CdfTableSet& laplaceTables() {
    static const entropy::CdfTableSet tables = buildLaplaceTables();
    return tables;
}

std::int32_t laplaceTable(float mu, float logScale, std::int32_t& centre) {
    if (!(mu == mu)) mu = 0.0f;
    const float limit = float(kMaxLatentMagnitude);
    mu = std::min(std::max(mu, -limit), limit);
    const float c = std::floor(mu + 0.5f);
    const float frac = mu - c;
    int fb = int(std::floor((frac + 0.5f) * float(kFracBins)));
    fb = std::min(std::max(fb, 0), kFracBins - 1);
    if (!(logScale == logScale)) logScale = kMinLogScale;
    logScale = std::min(std::max(logScale, kMinLogScale), kMaxLogScale);
    int sb = int((logScale - kMinLogScale) * (float(kScaleBins) / (kMaxLogScale - kMinLogScale)));
    sb = std::min(std::max(sb, 0), kScaleBins - 1);
    centre = std::int32_t(c);
    return sb * kFracBins + fb;
}

std::vector<Tap> axisTaps(int texels, int samples, int factor) {
    std::vector<Tap> taps(std::size_t(std::max(texels, 0)));
    const float inv = 1.0f / float(factor);  // exact: factor is a power of two
    for (int p = 0; p < texels; ++p) {
        const float src = (float(p) + 0.5f) * inv - 0.5f;
        const float fl = std::floor(src);
        const int i0 = int(fl);
        Tap t;
        t.w = src - fl;
        t.i0 = std::min(std::max(i0, 0), samples - 1);
        t.i1 = std::min(std::max(i0 + 1, 0), samples - 1);
        taps[std::size_t(p)] = t;
    }
    return taps;
}

void upsampleRow(const GridShape& grid, const float* latents, const Tap& yTap, const std::vector<Tap>& xTaps,
                 int width, std::vector<float>& column, float* out) {
    const float* r0 = latents + std::size_t(yTap.i0) * grid.width;
    const float* r1 = latents + std::size_t(yTap.i1) * grid.width;
    column.resize(std::size_t(grid.width));
    const float a = 1.0f - yTap.w, b = yTap.w;
    for (int j = 0; j < grid.width; ++j) column[j] = r0[j] * a + r1[j] * b;
    const Tap* tx = xTaps.data();
    for (int x = 0; x < width; ++x) out[x] = column[tx[x].i0] * (1.0f - tx[x].w) + column[tx[x].i1] * tx[x].w;
}

void synthesizeRows(const Config& config, const Networks& n, const std::vector<GridShape>& grids,
                    const std::vector<std::vector<float>>& latents, int width, int height, int y0, int y1,
                    float* t) {
    const int levels = config.levels;
    const int hidden = config.synthHidden;
    std::vector<std::vector<Tap>> xTaps(static_cast<std::size_t>(levels)), yTaps(static_cast<std::size_t>(levels));
    for (int k = 0; k < levels; ++k) {
        xTaps[k] = axisTaps(width, grids[k].width, grids[k].factor);
        yTaps[k] = axisTaps(height, grids[k].height, grids[k].factor);
    }
    const std::size_t w = std::size_t(width);
    std::vector<float> feat(w * levels), h1(w * hidden), h2(w * hidden), vrow;
    for (int y = y0; y < y1; ++y) {
        for (int k = 0; k < levels; ++k)
            upsampleRow(grids[k], latents[k].data(), yTaps[k][std::size_t(y)], xTaps[k], width, vrow,
                        feat.data() + std::size_t(k) * w);
        auto dense = [&](const Layer& l, const float* in, float* out, bool relu) {
            for (int j = 0; j < l.out; ++j) {
                float* o = out + std::size_t(j) * w;
                const float bj = l.bias[j];
                for (int x = 0; x < width; ++x) o[x] = bj;
                for (int i = 0; i < l.in; ++i) {
                    const float wij = l.weight[std::size_t(j) * l.in + i];
                    const float* src = in + std::size_t(i) * w;
                    for (int x = 0; x < width; ++x) o[x] += wij * src[x];
                }
                if (relu)
                    for (int x = 0; x < width; ++x) o[x] = o[x] > 0.0f ? o[x] : 0.0f;
            }
        };
        dense(n.synth[0], feat.data(), h1.data(), true);
        dense(n.synth[1], h1.data(), h2.data(), true);
        float out[3 * 4096];
        float* row = t + std::size_t(y - y0) * w * 3;
        for (int x0 = 0; x0 < width; x0 += 4096) {
            const int cnt = std::min(4096, width - x0);
            const Layer& l = n.synth[2];
            for (int c = 0; c < 3; ++c) {
                float* o = out + std::size_t(c) * 4096;
                for (int x = 0; x < cnt; ++x) o[x] = l.bias[c];
                for (int i = 0; i < l.in; ++i) {
                    const float wci = l.weight[std::size_t(c) * l.in + i];
                    const float* src = h2.data() + std::size_t(i) * w + x0;
                    for (int x = 0; x < cnt; ++x) o[x] += wci * src[x];
                }
            }
            for (int x = 0; x < cnt; ++x)
                for (int c = 0; c < 3; ++c) row[std::size_t(x0 + x) * 3 + c] = out[std::size_t(c) * 4096 + x];
        }
    }
    (void)hidden;
}

QuantizedLayer quantizeLayer(const Layer& layer, int exponent) {
    QuantizedLayer q;
    q.exponent = exponent;
    const double scale = std::ldexp(1.0, exponent);
    const double limit = double((1 << 24) - 1);
    auto put = [&](float v) {
        double r = std::nearbyint(double(v) * scale);
        if (!(r == r)) r = 0;
        r = std::min(std::max(r, -limit), limit);
        q.values.push_back(std::int32_t(r));
    };
    for (float v : layer.weight) put(v);
    for (float v : layer.bias) put(v);
    return q;
}

void dequantizeLayer(const QuantizedLayer& q, Layer& layer) {
    const float step = std::ldexp(1.0f, -q.exponent);
    std::size_t i = 0;
    for (float& v : layer.weight) v = float(q.values[i++]) * step;
    for (float& v : layer.bias) v = float(q.values[i++]) * step;
}

}  // namespace lmc::overfit
