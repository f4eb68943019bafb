#include "codec/learned/overfit/overfit_rdoq.h"

#include <algorithm>
#include <cmath>

#include "codec/entropy/rans.h"

namespace lmc::overfit {

namespace {

// The synthesis of one texel from its upsampled latents (the decoder's layers, one texel at a time).
void synthesizeTexel(const Networks& n, int levels, int hidden, const float* feature, float* out) {
    float h1[kMaxHidden], h2[kMaxHidden];
    const Layer& l0 = n.synth[0];
    const Layer& l1 = n.synth[1];
    const Layer& l2 = n.synth[2];
    for (int j = 0; j < hidden; ++j) {
        float s = l0.bias[j];
        for (int i = 0; i < levels; ++i) s += l0.weight[std::size_t(j) * levels + i] * feature[i];
        h1[j] = s > 0.0f ? s : 0.0f;
    }
    for (int j = 0; j < hidden; ++j) {
        float s = l1.bias[j];
        for (int i = 0; i < hidden; ++i) s += l1.weight[std::size_t(j) * hidden + i] * h1[i];
        h2[j] = s > 0.0f ? s : 0.0f;
    }
    for (int c = 0; c < 3; ++c) {
        float s = l2.bias[c];
        for (int i = 0; i < hidden; ++i) s += l2.weight[std::size_t(c) * hidden + i] * h2[i];
        out[c] = s;
    }
}

// The weight of grid sample j in a texel's taps (both taps may name it at a clamped edge).
float tapWeight(const Tap& t, int j) {
    return (t.i0 == j ? 1.0f - t.w : 0.0f) + (t.i1 == j ? t.w : 0.0f);
}

// The texels [first, last] whose taps read sample j, per sample of one axis (last < first: none).
void tapRanges(const std::vector<Tap>& taps, int samples, std::vector<int>& first, std::vector<int>& last) {
    first.assign(std::size_t(samples), int(taps.size()));
    last.assign(std::size_t(samples), -1);
    for (int p = 0; p < int(taps.size()); ++p) {
        const Tap& t = taps[std::size_t(p)];
        for (int j : {t.i0, t.i1})
            if (tapWeight(t, j) != 0.0f) {
                first[std::size_t(j)] = std::min(first[std::size_t(j)], p);
                last[std::size_t(j)] = std::max(last[std::size_t(j)], p);
            }
    }
}

class Search {
public:
    Search(const Config& c, const Networks& n, const TrainTarget& t, double lambda,
           std::vector<std::vector<float>>& latents)
        : cfg_(c), net_(n), target_(t), latents_(latents), W_(t.width), H_(t.height),
          grids_(gridShapes(c, t.width, t.height)) {
        double weightSum = 0;
        for (float w : t.weight) weightSum += w;
        distScale_ = weightSum > 0 ? 1.0 / (3.0 * weightSum) : 0.0;
        rateScale_ = lambda / (double(W_) * H_);
        const int L = cfg_.levels;
        xTaps_.resize(std::size_t(L));
        yTaps_.resize(std::size_t(L));
        xFirst_.resize(std::size_t(L));
        xLast_.resize(std::size_t(L));
        yFirst_.resize(std::size_t(L));
        yLast_.resize(std::size_t(L));
        for (int k = 0; k < L; ++k) {
            const GridShape& g = grids_[std::size_t(k)];
            xTaps_[k] = axisTaps(W_, g.width, g.factor);
            yTaps_[k] = axisTaps(H_, g.height, g.factor);
            tapRanges(xTaps_[k], g.width, xFirst_[k], xLast_[k]);
            tapRanges(yTaps_[k], g.height, yFirst_[k], yLast_[k]);
        }
        // Upsampled latents and synthesis output of every texel.
        const std::size_t texels = std::size_t(W_) * H_;
        feature_.assign(texels * std::size_t(L), 0.0f);
        std::vector<float> column, row(static_cast<std::size_t>(W_), 0.0f);
        for (int k = 0; k < L; ++k) {
            const GridShape& g = grids_[std::size_t(k)];
            for (int y = 0; y < H_; ++y) {
                upsampleRow(g, latents_[std::size_t(k)].data(), yTaps_[k][std::size_t(y)], xTaps_[k], W_, column,
                            row.data());
                for (int x = 0; x < W_; ++x) feature_[(std::size_t(y) * W_ + x) * L + k] = row[std::size_t(x)];
            }
        }
        output_.assign(texels * 3, 0.0f);
        for (std::size_t i = 0; i < texels; ++i)
            if (target_.weight[i] > 0.0f) synthesizeTexel(net_, L, cfg_.synthHidden, &feature_[i * L], &output_[i * 3]);
    }

    double loss() const {
        double d = 0;
        for (std::size_t i = 0; i < target_.weight.size(); ++i)
            if (target_.weight[i] > 0.0f) d += texelDistortion(target_, i, &output_[i * 3]);
        double bits = 0;
        for (int k = 0; k < cfg_.levels; ++k)
            for (int y = 0; y < grids_[std::size_t(k)].height; ++y)
                for (int x = 0; x < grids_[std::size_t(k)].width; ++x) bits += symbolBits(k, x, y);
        return d * distScale_ + bits * rateScale_;
    }

    // One sweep over every grid, coarsest first; false when cancelled.
    bool sweep(std::size_t& changed, const CancelToken* cancel) {
        for (int k = cfg_.levels - 1; k >= 0; --k) {
            const GridShape& g = grids_[std::size_t(k)];
            for (int gy = 0; gy < g.height; ++gy) {
                if (cancel && cancel->isCancelled()) return false;
                for (int gx = 0; gx < g.width; ++gx) changed += improve(k, gx, gy) ? 1 : 0;
            }
        }
        return true;
    }

private:
    double symbolBits(int k, int x, int y) const {
        const GridShape& g = grids_[std::size_t(k)];
        const float* grid = latents_[std::size_t(k)].data();
        float context[kContextSize], mu, logScale;
        gatherContext(grid, g.width, g.height, x, y, context);
        armForward(net_, context, mu, logScale);
        std::int32_t centre;
        const std::int32_t table = laplaceTable(mu, logScale, centre);
        const std::int32_t symbol = std::int32_t(grid[std::size_t(y) * g.width + x]) - centre;
        auto bits = entropy::estimateBits(laplaceTables(), &symbol, &table, 1);
        return bits ? *bits : 1e30;
    }

    // The bits of latent (x, y) and of the later latents whose context holds it.
    double localBits(int k, int x, int y) const {
        const GridShape& g = grids_[std::size_t(k)];
        double bits = symbolBits(k, x, y);
        for (int c = 0; c < kContextSize; ++c) {
            const int xx = x - kContextDx[c], yy = y - kContextDy[c];
            if (xx >= 0 && xx < g.width && yy >= 0 && yy < g.height) bits += symbolBits(k, xx, yy);
        }
        return bits;
    }

    // Tries the two neighbouring integers of latent (gx, gy) of grid k; keeps the one that lowers the loss most.
    bool improve(int k, int gx, int gy) {
        const GridShape& g = grids_[std::size_t(k)];
        float& value = latents_[std::size_t(k)][std::size_t(gy) * g.width + gx];
        const int x0 = xFirst_[k][std::size_t(gx)], x1 = xLast_[k][std::size_t(gx)];
        const int y0 = yFirst_[k][std::size_t(gy)], y1 = yLast_[k][std::size_t(gy)];
        if (x1 < x0 || y1 < y0) return false;
        const int L = cfg_.levels;
        double distBefore = 0;
        bool judged = false;
        for (int y = y0; y <= y1; ++y)
            for (int x = x0; x <= x1; ++x) {
                const std::size_t i = std::size_t(y) * W_ + x;
                if (target_.weight[i] > 0.0f) {
                    distBefore += texelDistortion(target_, i, &output_[i * 3]);
                    judged = true;
                }
            }
        const float original = value;
        const double bitsBefore = localBits(k, gx, gy);
        double bestGain = 0;
        float best = original;
        for (float candidate : {original - 1.0f, original + 1.0f}) {
            if (std::fabs(candidate) > float(kMaxLatentMagnitude)) continue;
            const float delta = candidate - original;
            double distAfter = 0;
            if (judged)
                for (int y = y0; y <= y1; ++y) {
                    const float wy = delta * tapWeight(yTaps_[k][std::size_t(y)], gy);
                    for (int x = x0; x <= x1; ++x) {
                        const std::size_t i = std::size_t(y) * W_ + x;
                        if (!(target_.weight[i] > 0.0f)) continue;
                        float f[kMaxLevels], out[3];
                        std::copy(&feature_[i * L], &feature_[i * L] + L, f);
                        f[k] += wy * tapWeight(xTaps_[k][std::size_t(x)], gx);
                        synthesizeTexel(net_, L, cfg_.synthHidden, f, out);
                        distAfter += texelDistortion(target_, i, out);
                    }
                }
            value = candidate;
            const double bitsAfter = localBits(k, gx, gy);
            value = original;
            const double gain = (distBefore - distAfter) * distScale_ + (bitsBefore - bitsAfter) * rateScale_;
            if (gain > bestGain) {
                bestGain = gain;
                best = candidate;
            }
        }
        if (best == original) return false;
        value = best;
        const float delta = best - original;
        for (int y = y0; y <= y1; ++y) {
            const float wy = delta * tapWeight(yTaps_[k][std::size_t(y)], gy);
            for (int x = x0; x <= x1; ++x) {
                const std::size_t i = std::size_t(y) * W_ + x;
                feature_[i * L + k] += wy * tapWeight(xTaps_[k][std::size_t(x)], gx);
                if (target_.weight[i] > 0.0f)
                    synthesizeTexel(net_, L, cfg_.synthHidden, &feature_[i * L], &output_[i * 3]);
            }
        }
        return true;
    }

    const Config& cfg_;
    const Networks& net_;
    const TrainTarget& target_;
    std::vector<std::vector<float>>& latents_;
    int W_, H_;
    std::vector<GridShape> grids_;
    double distScale_ = 0, rateScale_ = 0;
    std::vector<std::vector<Tap>> xTaps_, yTaps_;
    std::vector<std::vector<int>> xFirst_, xLast_, yFirst_, yLast_;
    std::vector<float> feature_, output_;
};

}  // namespace

Result<RdoqResult> rdoqLatents(const Config& config, const Networks& networks, const TrainTarget& target,
                               double lambda, int passes, std::vector<std::vector<float>>& latents,
                               const CancelToken* cancel) {
    if (auto st = validateConfig(config); !st) return st.error();
    const std::vector<GridShape> grids = gridShapes(config, target.width, target.height);
    const std::size_t texels = std::size_t(target.width) * std::size_t(target.height);
    bool ok = latents.size() == grids.size() && target.t.size() == texels * 3 && target.weight.size() == texels &&
              target.black.size() == texels;
    for (std::size_t k = 0; ok && k < grids.size(); ++k) ok = latents[k].size() == grids[k].size();
    if (!ok) return makeError(ErrorCode::InvalidArgument, "overfit RDOQ: latents or target of the wrong shape");
    Search search(config, networks, target, lambda, latents);
    RdoqResult result;
    result.lossBefore = search.loss();
    for (int pass = 0; pass < passes; ++pass) {
        std::size_t changed = 0;
        if (!search.sweep(changed, cancel)) return cancelledError();
        result.changed += changed;
        if (changed == 0) break;
    }
    result.lossAfter = search.loss();
    return result;
}

}  // namespace lmc::overfit
