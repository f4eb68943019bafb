#include "codec/learned/overfit/overfit_train.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <exception>
#include <thread>

namespace lmc::overfit {

namespace {

std::uint64_t splitmix(std::uint64_t x) {
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}
float unitNoise(std::uint64_t key) {  // uniform in [-1/2, 1/2)
    return float(splitmix(key) >> 40) * (1.0f / 16777216.0f) - 0.5f;
}

// Runs f(chunk) for chunk in [0, count) on `threads` workers; the caller's thread works too.
template <typename F>
void parallelFor(int count, int threads, F&& f) {
    threads = std::max(1, std::min(threads, count));
    std::atomic<int> next{0};
    auto work = [&] {
        for (;;) {
            const int i = next.fetch_add(1, std::memory_order_relaxed);
            if (i >= count) return;
            f(i);
        }
    };
    std::vector<std::thread> pool;
    try {
        for (int t = 1; t < threads; ++t) pool.emplace_back(work);
    } catch (const std::exception&) {
    }
    work();
    for (auto& th : pool) th.join();
}

struct AdamSlot {
    std::vector<float> m, v;
    void resize(std::size_t n) {
        m.assign(n, 0.0f);
        v.assign(n, 0.0f);
    }
};

void adamStep(float* p, const float* g, AdamSlot& s, std::size_t n, float lr, float c1, float c2) {
    constexpr float b1 = 0.9f, b2 = 0.999f, eps = 1e-8f;
    for (std::size_t i = 0; i < n; ++i) {
        const float gi = g[i];
        s.m[i] = b1 * s.m[i] + (1.0f - b1) * gi;
        s.v[i] = b2 * s.v[i] + (1.0f - b2) * gi * gi;
        p[i] -= lr * (s.m[i] * c1) / (std::sqrt(s.v[i] * c2) + eps);
    }
}

// Context offsets in gatherContext order.
constexpr int kCtxDy[kContextSize] = {-2, -2, -2, -2, -2, -1, -1, -1, -1, -1, 0, 0};
constexpr int kCtxDx[kContextSize] = {-2, -1, 0, 1, 2, -2, -1, 0, 1, 2, -2, -1};

// Flattened layer parameters: weights then biases of each layer in Networks::layer order.
std::size_t paramCount(const Networks& n) {
    std::size_t c = 0;
    for (int i = 0; i < Networks::kLayerCount; ++i) c += n.layer(i).parameterCount();
    return c;
}

}  // namespace

TrainState initialState(const TrainTarget& target, const Config& config, std::uint32_t seed) {
    TrainState s;
    s.networks = makeNetworks(config);
    std::uint64_t counter = std::uint64_t(seed) << 32;
    for (int li = 0; li < Networks::kLayerCount; ++li) {
        Layer& l = s.networks.layer(li);
        const float bound = 1.0f / std::sqrt(float(l.in));
        for (float& w : l.weight) w = 2.0f * bound * unitNoise(counter++);
        for (float& b : l.bias) b = 2.0f * bound * unitNoise(counter++);
    }
    // Output starts at the mean of the judged target; the context model at mean 0, scale 1.
    double sum[3] = {0, 0, 0}, wsum = 0;
    const std::size_t texels = std::size_t(target.width) * target.height;
    for (std::size_t i = 0; i < texels; ++i) {
        const double w = target.weight[i];
        wsum += w;
        for (int c = 0; c < 3; ++c) sum[c] += w * target.t[i * 3 + c];
    }
    for (int c = 0; c < 3; ++c) s.networks.synth[2].bias[c] = wsum > 0 ? float(sum[c] / wsum) : 0.0f;
    std::fill(s.networks.arm[1].weight.begin(), s.networks.arm[1].weight.end(), 0.0f);
    std::fill(s.networks.arm[1].bias.begin(), s.networks.arm[1].bias.end(), 0.0f);
    for (const GridShape& g : gridShapes(config, target.width, target.height))
        s.latents.emplace_back(g.size(), 0.0f);
    return s;
}

Status train(const TrainTarget& target, const TrainOptions& o, TrainState& state, const CodecContext& context,
             double progressFrom, double progressTo) {
    if (auto st = validateConfig(o.config); !st) return st;
    const Config& cfg = o.config;
    const int W = target.width, H = target.height;
    const int L = cfg.levels, SH = cfg.synthHidden, AH = cfg.armHidden;
    const std::vector<GridShape> grids = gridShapes(cfg, W, H);
    const int threads = context.resolvedThreads();
    Networks& net = state.networks;
    const std::size_t P = paramCount(net);
    // Offsets of each layer's weights and biases in the flattened gradient.
    std::size_t offW[5], offB[5];
    {
        std::size_t off = 0;
        for (int i = 0; i < Networks::kLayerCount; ++i) {
            offW[i] = off;
            off += net.layer(i).weight.size();
            offB[i] = off;
            off += net.layer(i).bias.size();
        }
    }
    double weightSum = 0;
    for (float w : target.weight) weightSum += w;
    const float distScale = weightSum > 0 ? float(2.0 / (3.0 * weightSum)) : 0.0f;
    const double rateScale = o.lambda / (double(W) * H);

    std::vector<std::vector<float>> yhat(static_cast<std::size_t>(L)), dyhat(static_cast<std::size_t>(L)), dctx(static_cast<std::size_t>(L));
    std::vector<std::vector<float>> slope(static_cast<std::size_t>(L));  // d yhat / d y
    std::vector<std::vector<Tap>> xTaps(static_cast<std::size_t>(L)), yTaps(static_cast<std::size_t>(L));
    std::vector<std::pair<int, int>> armRows;  // (grid, row)
    for (int k = 0; k < L; ++k) {
        yhat[k].resize(grids[k].size());
        dyhat[k].resize(grids[k].size());
        slope[k].resize(grids[k].size());
        dctx[k].resize(grids[k].size() * kContextSize);
        xTaps[k] = axisTaps(W, grids[k].width, grids[k].factor);
        yTaps[k] = axisTaps(H, grids[k].height, grids[k].factor);
        for (int r = 0; r < grids[k].height; ++r) armRows.push_back({k, r});
    }
    const int armRowCount = int(armRows.size());
    std::vector<float> armGrad(std::size_t(armRowCount) * P), synthGrad(std::size_t(H) * P);
    std::vector<double> armBits(static_cast<std::size_t>(armRowCount)), rowDist(static_cast<std::size_t>(H));
    std::vector<std::vector<float>> G(std::size_t(L), std::vector<float>(std::size_t(W) * H));  // d L / d feature
    std::vector<float> grad(P);
    AdamSlot netAdam;
    netAdam.resize(P);
    std::vector<AdamSlot> latAdam(static_cast<std::size_t>(L));
    for (int k = 0; k < L; ++k) latAdam[k].resize(grids[k].size());
    std::vector<float> flat(P);

    auto flatten = [&] {
        for (int i = 0; i < Networks::kLayerCount; ++i) {
            const Layer& l = net.layer(i);
            std::copy(l.weight.begin(), l.weight.end(), flat.begin() + std::ptrdiff_t(offW[i]));
            std::copy(l.bias.begin(), l.bias.end(), flat.begin() + std::ptrdiff_t(offB[i]));
        }
    };
    auto unflatten = [&] {
        for (int i = 0; i < Networks::kLayerCount; ++i) {
            Layer& l = net.layer(i);
            std::copy(flat.begin() + std::ptrdiff_t(offW[i]), flat.begin() + std::ptrdiff_t(offW[i] + l.weight.size()),
                      l.weight.begin());
            std::copy(flat.begin() + std::ptrdiff_t(offB[i]), flat.begin() + std::ptrdiff_t(offB[i] + l.bias.size()),
                      l.bias.begin());
        }
    };

    const int softStart = int(o.iterations * o.noiseFraction);
    const int hardStart = o.softRound ? std::max(softStart, int(o.iterations * 0.95)) : softStart;
    for (int it = 0; it < o.iterations; ++it) {
        if (context.cancelled()) return cancelledError();
        // 1. Quantisation proxy.
        const bool noise = it < softStart;
        const bool hard = it >= hardStart;
        float alpha = 0.0f;
        if (!noise && !hard) {
            const float f = float(it - softStart) / float(std::max(1, hardStart - softStart));
            const float temperature = 0.3f * std::pow(0.05f / 0.3f, f);
            alpha = 1.0f / temperature;
        }
        const float tanhHalf = alpha > 0 ? std::tanh(alpha * 0.5f) : 1.0f;
        for (int k = 0; k < L; ++k) {
            const std::size_t n = grids[k].size();
            const float* y = state.latents[k].data();
            float* q = yhat[k].data();
            float* s = slope[k].data();
            if (noise) {
                const std::uint64_t base = (std::uint64_t(o.seed) << 48) ^ (std::uint64_t(it) << 24) ^
                                           (std::uint64_t(k) << 56);
                for (std::size_t i = 0; i < n; ++i) {
                    q[i] = y[i] + unitNoise(base * 0x100000001b3ull + i);
                    s[i] = 1.0f;
                }
            } else if (hard) {
                for (std::size_t i = 0; i < n; ++i) {
                    q[i] = std::nearbyint(y[i]);
                    s[i] = 1.0f;
                }
            } else {
                // C3's soft-rounding with noise: yhat = s(s(y) + u), s the soft round at the current temperature.
                const std::uint64_t base = (std::uint64_t(o.seed) << 48) ^ (std::uint64_t(it) << 24) ^
                                           (std::uint64_t(k) << 56);
                auto soft = [&](float v, float& d) {
                    const float m = std::floor(v);
                    const float r = v - m - 0.5f;
                    const float th = std::tanh(alpha * r);
                    d = 0.5f * alpha * (1.0f - th * th) / tanhHalf;
                    return m + 0.5f + 0.5f * th / tanhHalf;
                };
                for (std::size_t i = 0; i < n; ++i) {
                    float d0, d1;
                    const float inner = soft(y[i], d0) + unitNoise(base * 0x100000001b3ull + i);
                    q[i] = soft(inner, d1);
                    s[i] = d0 * d1;
                }
            }
            std::fill(dyhat[k].begin(), dyhat[k].end(), 0.0f);
        }
        flatten();

        // 2. Context model forward/backward, one latent row per task.
        parallelFor(armRowCount, threads, [&](int task) {
            const int k = armRows[task].first, row = armRows[task].second;
            const GridShape& g = grids[k];
            const int gw = g.width;
            float* gr = armGrad.data() + std::size_t(task) * P;
            std::fill(gr, gr + P, 0.0f);
            const Layer& a0 = net.arm[0];
            const Layer& a1 = net.arm[1];
            std::vector<float> ctx(std::size_t(kContextSize) * gw), z(std::size_t(AH) * gw), dz(std::size_t(AH) * gw);
            std::vector<float> dmu(static_cast<std::size_t>(gw)), dls(static_cast<std::size_t>(gw));
            const float* q = yhat[k].data();
            for (int i = 0; i < kContextSize; ++i) {
                const int yy = row + kCtxDy[i];
                float* c = ctx.data() + std::size_t(i) * gw;
                for (int x = 0; x < gw; ++x) {
                    const int xx = x + kCtxDx[i];
                    c[x] = (yy >= 0 && xx >= 0 && xx < gw) ? q[std::size_t(yy) * gw + xx] : 0.0f;
                }
            }
            for (int j = 0; j < AH; ++j) {
                float* zj = z.data() + std::size_t(j) * gw;
                const float bj = a0.bias[j];
                for (int x = 0; x < gw; ++x) zj[x] = bj;
                for (int i = 0; i < kContextSize; ++i) {
                    const float wji = a0.weight[std::size_t(j) * kContextSize + i];
                    const float* c = ctx.data() + std::size_t(i) * gw;
                    for (int x = 0; x < gw; ++x) zj[x] += wji * c[x];
                }
            }
            double bits = 0;
            for (int x = 0; x < gw; ++x) {
                float mu = a1.bias[0], ls = a1.bias[1];
                for (int j = 0; j < AH; ++j) {
                    const float h = std::max(z[std::size_t(j) * gw + x], 0.0f);
                    mu += a1.weight[j] * h;
                    ls += a1.weight[std::size_t(AH) + j] * h;
                }
                const bool clamped = ls < kMinLogScale || ls > kMaxLogScale;
                const double lsc = std::min(std::max(double(ls), double(kMinLogScale)), double(kMaxLogScale));
                const double b = std::exp(lsc);
                const double d = double(q[std::size_t(row) * gw + x]) - double(mu);
                const double u = d + 0.5, l = d - 0.5;
                const double eu = std::exp(-std::abs(u) / b), el = std::exp(-std::abs(l) / b);
                double p;
                if (l >= 0) p = 0.5 * (el - eu);
                else if (u <= 0) p = 0.5 * (eu - el);
                else p = 1.0 - 0.5 * el - 0.5 * eu;
                double gd = 0, gls = 0;
                if (p < 1e-9) {
                    p = 1e-9;
                } else {
                    const double fu = eu / (2 * b), fl = el / (2 * b);
                    const double g = -rateScale / (p * M_LN2);
                    gd = g * (fu - fl);
                    gls = clamped ? 0.0 : g * -(u * fu - l * fl);
                }
                bits += -std::log2(p);
                dyhat[k][std::size_t(row) * gw + x] += float(gd);
                dmu[x] = float(-gd);
                dls[x] = float(gls);
            }
            armBits[task] = bits;
            // Back through the output layer.
            float* gW1 = gr + offW[4];
            float* gB1 = gr + offB[4];
            for (int x = 0; x < gw; ++x) {
                gB1[0] += dmu[x];
                gB1[1] += dls[x];
            }
            for (int j = 0; j < AH; ++j) {
                const float* zj = z.data() + std::size_t(j) * gw;
                float* dzj = dz.data() + std::size_t(j) * gw;
                const float w0 = a1.weight[j], w1 = a1.weight[std::size_t(AH) + j];
                float s0 = 0, s1 = 0;
                for (int x = 0; x < gw; ++x) {
                    const float h = zj[x] > 0.0f ? zj[x] : 0.0f;
                    s0 += dmu[x] * h;
                    s1 += dls[x] * h;
                    dzj[x] = zj[x] > 0.0f ? w0 * dmu[x] + w1 * dls[x] : 0.0f;
                }
                gW1[j] += s0;
                gW1[std::size_t(AH) + j] += s1;
            }
            float* gW0 = gr + offW[3];
            float* gB0 = gr + offB[3];
            for (int j = 0; j < AH; ++j) {
                const float* dzj = dz.data() + std::size_t(j) * gw;
                float sb = 0;
                for (int x = 0; x < gw; ++x) sb += dzj[x];
                gB0[j] += sb;
                for (int i = 0; i < kContextSize; ++i) {
                    const float* c = ctx.data() + std::size_t(i) * gw;
                    float s = 0;
                    for (int x = 0; x < gw; ++x) s += dzj[x] * c[x];
                    gW0[std::size_t(j) * kContextSize + i] += s;
                }
            }
            // d L / d context, stored per latent for the gather below.
            float* dc = dctx[k].data() + std::size_t(row) * gw * kContextSize;
            for (int i = 0; i < kContextSize; ++i) {
                float* out = dc + std::size_t(i) * gw;  // planar within the row
                for (int x = 0; x < gw; ++x) out[x] = 0.0f;
                for (int j = 0; j < AH; ++j) {
                    const float wji = a0.weight[std::size_t(j) * kContextSize + i];
                    const float* dzj = dz.data() + std::size_t(j) * gw;
                    for (int x = 0; x < gw; ++x) out[x] += wji * dzj[x];
                }
            }
        });
        // Gather the context gradients into the latents they came from (each latent row by one task: no races).
        parallelFor(armRowCount, threads, [&](int task) {
            const int k = armRows[task].first, row = armRows[task].second;
            const GridShape& g = grids[k];
            const int gw = g.width, gh = g.height;
            float* dq = dyhat[k].data() + std::size_t(row) * gw;
            for (int i = 0; i < kContextSize; ++i) {
                const int srcRow = row - kCtxDy[i];  // the latent whose context element i is this one
                if (srcRow < 0 || srcRow >= gh) continue;
                const float* dc = dctx[k].data() + (std::size_t(srcRow) * gw * kContextSize) + std::size_t(i) * gw;
                const int dx = kCtxDx[i];
                for (int x = 0; x < gw; ++x) {
                    const int sx = x - dx;
                    if (sx >= 0 && sx < gw) dq[x] += dc[sx];
                }
            }
        });

        // 3. Synthesis forward/backward, one texel row per task.
        parallelFor(H, threads, [&](int y) {
            float* gr = synthGrad.data() + std::size_t(y) * P;
            std::fill(gr, gr + P, 0.0f);
            const std::size_t w = std::size_t(W);
            std::vector<float> feat(w * L), z1(w * SH), z2(w * SH), d1(w * SH), d2(w * SH), e(w * 3), vrow;
            for (int k = 0; k < L; ++k) {
                const GridShape& g = grids[k];
                const Tap ty = yTaps[k][std::size_t(y)];
                const float* r0 = yhat[k].data() + std::size_t(ty.i0) * g.width;
                const float* r1 = yhat[k].data() + std::size_t(ty.i1) * g.width;
                vrow.resize(std::size_t(g.width));
                for (int j = 0; j < g.width; ++j) vrow[j] = r0[j] * (1.0f - ty.w) + r1[j] * ty.w;
                float* f = feat.data() + std::size_t(k) * w;
                const Tap* tx = xTaps[k].data();
                for (int x = 0; x < W; ++x) f[x] = vrow[tx[x].i0] * (1.0f - tx[x].w) + vrow[tx[x].i1] * tx[x].w;
            }
            auto dense = [&](const Layer& l, const float* in, float* out) {
                for (int j = 0; j < l.out; ++j) {
                    float* oj = out + std::size_t(j) * w;
                    const float bj = l.bias[j];
                    for (int x = 0; x < W; ++x) oj[x] = bj;
                    for (int i = 0; i < l.in; ++i) {
                        const float wij = l.weight[std::size_t(j) * l.in + i];
                        const float* src = in + std::size_t(i) * w;
                        for (int x = 0; x < W; ++x) oj[x] += wij * src[x];
                    }
                }
            };
            auto relu = [&](float* v, std::size_t n) {
                for (std::size_t i = 0; i < n; ++i) v[i] = v[i] > 0.0f ? v[i] : 0.0f;
            };
            dense(net.synth[0], feat.data(), z1.data());
            relu(z1.data(), z1.size());  // z1 now holds h1 (h1 > 0 <=> z1 > 0)
            dense(net.synth[1], z1.data(), z2.data());
            relu(z2.data(), z2.size());
            dense(net.synth[2], z2.data(), e.data());
            const float* tt = target.t.data() + std::size_t(y) * w * 3;
            const float* wt = target.weight.data() + std::size_t(y) * w;
            const std::uint8_t* bl = target.black.empty() ? nullptr : target.black.data() + std::size_t(y) * w;
            double dist = 0;
            for (int c = 0; c < 3; ++c) {
                float* ec = e.data() + std::size_t(c) * w;
                for (int x = 0; x < W; ++x) {
                    float diff = ec[x] - tt[std::size_t(x) * 3 + c];
                    if (bl && bl[x] && diff < 0.0f) diff = 0.0f;
                    dist += double(wt[x] * diff * diff);
                    ec[x] = distScale * wt[x] * diff;
                }
            }
            rowDist[std::size_t(y)] = dist;
            // Layer 2 (H -> 3).
            auto backDense = [&](const Layer& l, int li, const float* in, const float* dout, float* din) {
                float* gW = gr + offW[li];
                float* gB = gr + offB[li];
                for (int j = 0; j < l.out; ++j) {
                    const float* dj = dout + std::size_t(j) * w;
                    float sb = 0;
                    for (int x = 0; x < W; ++x) sb += dj[x];
                    gB[j] += sb;
                    for (int i = 0; i < l.in; ++i) {
                        const float* src = in + std::size_t(i) * w;
                        float s = 0;
                        for (int x = 0; x < W; ++x) s += dj[x] * src[x];
                        gW[std::size_t(j) * l.in + i] += s;
                    }
                }
                if (!din) return;
                for (int i = 0; i < l.in; ++i) {
                    float* di = din + std::size_t(i) * w;
                    for (int x = 0; x < W; ++x) di[x] = 0.0f;
                    for (int j = 0; j < l.out; ++j) {
                        const float wji = l.weight[std::size_t(j) * l.in + i];
                        const float* dj = dout + std::size_t(j) * w;
                        for (int x = 0; x < W; ++x) di[x] += wji * dj[x];
                    }
                }
            };
            backDense(net.synth[2], 2, z2.data(), e.data(), d2.data());
            for (std::size_t i = 0; i < d2.size(); ++i) d2[i] = z2[i] > 0.0f ? d2[i] : 0.0f;
            backDense(net.synth[1], 1, z1.data(), d2.data(), d1.data());
            for (std::size_t i = 0; i < d1.size(); ++i) d1[i] = z1[i] > 0.0f ? d1[i] : 0.0f;
            // Layer 0 writes d L / d feature straight into the per-level planes.
            std::vector<float> dfeat(w * L);
            backDense(net.synth[0], 0, feat.data(), d1.data(), dfeat.data());
            for (int k = 0; k < L; ++k)
                std::copy(dfeat.begin() + std::ptrdiff_t(k * w), dfeat.begin() + std::ptrdiff_t((k + 1) * w),
                          G[k].begin() + std::ptrdiff_t(std::size_t(y) * w));
        });

        // 4. Transposed upsampling: rows first (per texel row), then columns (per block of grid columns).
        for (int k = 0; k < L; ++k) {
            const GridShape& g = grids[k];
            const int gw = g.width;
            std::vector<float> R(std::size_t(H) * gw);
            parallelFor(H, threads, [&](int y) {
                float* r = R.data() + std::size_t(y) * gw;
                std::fill(r, r + gw, 0.0f);
                const float* src = G[k].data() + std::size_t(y) * W;
                const Tap* tx = xTaps[k].data();
                for (int x = 0; x < W; ++x) {
                    r[tx[x].i0] += (1.0f - tx[x].w) * src[x];
                    r[tx[x].i1] += tx[x].w * src[x];
                }
            });
            const int blocks = (gw + 63) / 64;
            parallelFor(blocks, threads, [&](int b) {
                const int j0 = b * 64, j1 = std::min(gw, j0 + 64);
                float* dq = dyhat[k].data();
                for (int y = 0; y < H; ++y) {
                    const Tap ty = yTaps[k][std::size_t(y)];
                    const float* r = R.data() + std::size_t(y) * gw;
                    float* d0 = dq + std::size_t(ty.i0) * gw;
                    float* d1 = dq + std::size_t(ty.i1) * gw;
                    for (int j = j0; j < j1; ++j) {
                        d0[j] += (1.0f - ty.w) * r[j];
                        d1[j] += ty.w * r[j];
                    }
                }
            });
        }

        // 5. Reduce in a fixed order, then Adam.
        std::fill(grad.begin(), grad.end(), 0.0f);
        double bits = 0, dist = 0;
        for (int t = 0; t < armRowCount; ++t) {
            const float* gr = armGrad.data() + std::size_t(t) * P;
            for (std::size_t i = 0; i < P; ++i) grad[i] += gr[i];
            bits += armBits[std::size_t(t)];
        }
        for (int y = 0; y < H; ++y) {
            const float* gr = synthGrad.data() + std::size_t(y) * P;
            for (std::size_t i = 0; i < P; ++i) grad[i] += gr[i];
            dist += rowDist[std::size_t(y)];
        }
        const double progress = double(it) / o.iterations;
        const float cosine = float(0.5 * (1.0 + std::cos(M_PI * progress)));
        const float c1 = 1.0f / (1.0f - std::pow(0.9f, float(it + 1)));
        const float c2 = 1.0f / (1.0f - std::pow(0.999f, float(it + 1)));
        adamStep(flat.data(), grad.data(), netAdam, P, float(o.learningRate) * cosine, c1, c2);
        unflatten();
        const float latLr = float(o.latentLearningRate) * cosine;
        for (int k = 0; k < L; ++k) {
            float* dq = dyhat[k].data();
            const float* s = slope[k].data();
            for (std::size_t i = 0; i < dyhat[k].size(); ++i) dq[i] *= s[i];
        }
        for (int k = 0; k < L; ++k)
            adamStep(state.latents[k].data(), dyhat[k].data(), latAdam[k], grids[k].size(), latLr, c1, c2);

        if (o.log && (it % std::max(1, o.logEvery) == 0 || it + 1 == o.iterations)) {
            const double mse = weightSum > 0 ? dist / (3.0 * weightSum) : 0.0;
            char line[200];
            std::snprintf(line, sizeof line, "it %5d  mse_t %.3e  psnr_t(peak1) %.2f dB  latent bpp %.4f  %s", it,
                          mse, mse > 0 ? -10.0 * std::log10(mse) : 99.0, bits / (double(W) * H),
                          noise ? "noise" : hard ? "hard" : "soft");
            o.log(line);
        }
        context.report(progressFrom + (progressTo - progressFrom) * double(it + 1) / o.iterations);
    }
    return {};
}

}  // namespace lmc::overfit
