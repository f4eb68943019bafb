#include "codec/learned/overfit/overfit_train.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <exception>
#include <thread>

#include "codec/learned/model_spec.h"
#include "codec/learned/overfit/overfit_train_kernels.h"

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

// tanh to about 1e-6 absolute from a 13/6 rational polynomial (the form Eigen uses): the soft rounding calls it
// twice per latent and step, where libm's tanhf was a tenth of the step time; vectorisable.
inline float fastTanh(float x) {
    constexpr float kClamp = 7.90531110763549805f;
    x = std::min(std::max(x, -kClamp), kClamp);
    const float x2 = x * x;
    float p = -2.76076847742355e-16f;
    p = p * x2 + 2.00018790482477e-13f;
    p = p * x2 - 8.60467152213735e-11f;
    p = p * x2 + 5.12229709037114e-08f;
    p = p * x2 + 1.48572235717979e-05f;
    p = p * x2 + 6.37261928875436e-04f;
    p = p * x2 + 4.89352455891786e-03f;
    p *= x;
    float q = 1.19825839466702e-06f;
    q = q * x2 + 1.18534705686654e-04f;
    q = q * x2 + 2.26843463243900e-03f;
    q = q * x2 + 4.89352518554385e-03f;
    return p / q;
}

// Flattened layer parameters: weights then biases of each layer in Networks::layer order.
std::size_t paramCount(const Networks& n) {
    std::size_t c = 0;
    for (int i = 0; i < Networks::kLayerCount; ++i) c += n.layer(i).parameterCount();
    return c;
}

const detail::Kernels* kernelSet(TrainKernels k) {
    switch (k) {
        case TrainKernels::Generic:
            return &detail::genericKernels();
        case TrainKernels::Avx2:
            return detail::avx2Kernels();
        case TrainKernels::Avx512:
            return detail::avx512Kernels();
        case TrainKernels::Auto:
            break;
    }
    if (const auto* k512 = detail::avx512Kernels()) return k512;
    if (const auto* k2 = detail::avx2Kernels()) return k2;
    return &detail::genericKernels();
}

}  // namespace

bool trainKernelsAvailable(TrainKernels kernels) {
    return kernelSet(kernels) != nullptr;
}

std::string trainKernelName(TrainKernels kernels) {
    const detail::Kernels* k = kernelSet(kernels);
    return k ? k->name : "";
}

double texelDistortion(const TrainTarget& target, std::size_t i, const float* out) {
    double e = 0;
    for (int c = 0; c < 3; ++c) {
        double d = double(out[c]) - double(target.t[i * 3 + c]);
        if (target.black[i] && d < 0) d = 0;  // the decoder clamps below black
        e += d * d;
    }
    return e * double(target.weight[i]);
}

TrainTarget makeTrainTarget(const ImageView& image, float scale, const LossWeights& weights) {
    const double knee = weights.kneeScale > 0.0 ? weights.kneeScale : double(scale);
    const int W = image.width, H = image.height;
    TrainTarget target;
    target.width = W;
    target.height = H;
    target.t.resize(std::size_t(W) * H * 3);
    target.weight.resize(std::size_t(W) * H);
    target.black.assign(std::size_t(W) * H, 0);
    for (int y = 0; y < H; ++y) {
        const float* row = image.row(y);
        for (int x = 0; x < W; ++x) {
            bool isBlack = true;
            float clean[3];
            for (int c = 0; c < 3; ++c) {
                float v = row[3 * x + c];
                if (!(v == v)) v = 0.0f;
                v = std::min(v, 65504.0f);
                clean[c] = std::max(v, 0.0f);
                isBlack &= !(v > 0.0f);
                target.t[(std::size_t(y) * W + x) * 3 + c] = learned::forwardTransform(v, scale);
            }
            target.black[std::size_t(y) * W + x] = isBlack ? 1 : 0;
            if (isBlack)  // aim below the clamp, so small errors still decode to exact zeros
                for (int c = 0; c < 3; ++c) target.t[(std::size_t(y) * W + x) * 3 + c] = kBlackTarget;
            float weight = image.covered(x, y) ? 1.0f : 0.0f;
            if (weight > 0.0f && !isBlack) {
                const double l = luminance(clean);
                const double r = (l + knee) / std::max(l, knee / weights.darkFloor);
                const double e = (double(scale) + l) / (knee + l);
                weight = float(e * e * (1.0 + weights.darkWeight * r * r));
            }
            target.weight[std::size_t(y) * W + x] = weight;
        }
    }
    return target;
}

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
    for (const GridShape& g : gridShapes(config, target.width, target.height)) s.latents.emplace_back(g.size(), 0.0f);
    return s;
}

Status train(const TrainTarget& target, const TrainOptions& o, TrainState& state, const CodecContext& context,
             double progressFrom, double progressTo) {
    if (auto st = validateConfig(o.config); !st) return st;
    const Config& cfg = o.config;
    const int W = target.width, H = target.height;
    const int L = cfg.levels;
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
    const int rowStride = std::max(1, std::min(o.rowStride, H));
    std::vector<double> rowWeight(static_cast<std::size_t>(H), 0.0);
    for (int y = 0; y < H; ++y)
        for (int x = 0; x < W; ++x) rowWeight[std::size_t(y)] += target.weight[std::size_t(y) * W + x];
    std::vector<int> synthRows;
    double takenWeight = weightSum;
    const double rateScale = o.lambda / (double(W) * H);

    std::vector<std::vector<float>> yhat(static_cast<std::size_t>(L)), dyhat(static_cast<std::size_t>(L)),
        dctx(static_cast<std::size_t>(L));
    std::vector<std::vector<float>> slope(static_cast<std::size_t>(L));  // d yhat / d y
    std::vector<std::vector<Tap>> xTaps(static_cast<std::size_t>(L)), yTaps(static_cast<std::size_t>(L));
    std::vector<std::vector<int>> xI0(static_cast<std::size_t>(L)), xI1(static_cast<std::size_t>(L));
    std::vector<std::vector<float>> xW(static_cast<std::size_t>(L));
    std::vector<std::pair<int, int>> armRows;  // (grid, row)
    for (int k = 0; k < L; ++k) {
        yhat[k].resize(grids[k].size());
        dyhat[k].resize(grids[k].size());
        slope[k].resize(grids[k].size());
        dctx[k].resize(grids[k].size() * kContextSize);
        xTaps[k] = axisTaps(W, grids[k].width, grids[k].factor);
        for (const Tap& t : xTaps[k]) {
            xI0[k].push_back(t.i0);
            xI1[k].push_back(t.i1);
            xW[k].push_back(t.w);
        }
        yTaps[k] = axisTaps(H, grids[k].height, grids[k].factor);
        for (int r = 0; r < grids[k].height; ++r) armRows.push_back({k, r});
    }
    const int armRowCount = int(armRows.size());
    std::vector<float> armGrad(std::size_t(armRowCount) * P), synthGrad(std::size_t(H) * P);
    std::vector<double> armBits(static_cast<std::size_t>(armRowCount)), rowDist(static_cast<std::size_t>(H));
    // d L / d (grid k upsampled vertically only), H x grid width, and the column blocks of the transposed pass.
    std::vector<std::vector<float>> rowGrad(static_cast<std::size_t>(L));
    std::vector<std::pair<int, int>> columnBlocks;  // (grid, first column)
    constexpr int kColumnBlock = 64;
    for (int k = 0; k < L; ++k) {
        rowGrad[k].resize(std::size_t(H) * grids[k].width);
        for (int j = 0; j < grids[k].width; j += kColumnBlock) columnBlocks.push_back({k, j});
    }
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

    const detail::Kernels* kernels = kernelSet(o.kernels);
    if (!kernels) return makeError(ErrorCode::InvalidArgument, "overfit: training kernels not available here");
    detail::StepData step;
    step.width = W;
    step.height = H;
    step.config = cfg;
    step.net = &net;
    step.paramCount = P;
    std::copy(offW, offW + 5, step.offW);
    std::copy(offB, offB + 5, step.offB);
    step.grids = grids.data();
    step.yhat = yhat.data();
    step.xTaps = xTaps.data();
    step.xI0 = xI0.data();
    step.xI1 = xI1.data();
    step.xW = xW.data();
    step.yTaps = yTaps.data();
    step.target = target.t.data();
    step.weight = target.weight.data();
    step.black = target.black.empty() ? nullptr : target.black.data();
    step.distScale = distScale;
    step.rateScale = rateScale;
    step.synthGrad = synthGrad.data();
    step.rowDist = rowDist.data();
    step.rowGrad = rowGrad.data();
    step.armRows = armRows.data();
    step.armGrad = armGrad.data();
    step.armBits = armBits.data();
    step.dyhat = dyhat.data();
    step.dctx = dctx.data();

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
        // One latent row per task; the noise depends only on (seed, step, grid, index).
        parallelFor(armRowCount, threads, [&](int task) {
            const int k = armRows[std::size_t(task)].first;
            const std::size_t gw = std::size_t(grids[k].width);
            const std::size_t i0 = std::size_t(armRows[std::size_t(task)].second) * gw, i1 = i0 + gw;
            const float* y = state.latents[k].data();
            float* q = yhat[k].data();
            float* s = slope[k].data();
            const std::uint64_t base =
                (std::uint64_t(o.seed) << 48) ^ (std::uint64_t(it) << 24) ^ (std::uint64_t(k) << 56);
            if (noise) {
                for (std::size_t i = i0; i < i1; ++i) {
                    q[i] = y[i] + unitNoise(base * 0x100000001b3ull + i);
                    s[i] = 1.0f;
                }
            } else if (hard) {
                for (std::size_t i = i0; i < i1; ++i) {
                    q[i] = std::nearbyint(y[i]);
                    s[i] = 1.0f;
                }
            } else {
                // C3's soft-rounding with noise: yhat = s(s(y) + u), s the soft round at the current temperature.
                auto soft = [&](float v, float& d) {
                    const float m = std::floor(v);
                    const float r = v - m - 0.5f;
                    const float th = fastTanh(alpha * r);
                    d = 0.5f * alpha * (1.0f - th * th) / tanhHalf;
                    return m + 0.5f + 0.5f * th / tanhHalf;
                };
                for (std::size_t i = i0; i < i1; ++i) {
                    float d0, d1;
                    const float inner = soft(y[i], d0) + unitNoise(base * 0x100000001b3ull + i);
                    q[i] = soft(inner, d1);
                    s[i] = d0 * d1;
                }
            }
            std::fill(dyhat[k].begin() + std::ptrdiff_t(i0), dyhat[k].begin() + std::ptrdiff_t(i1), 0.0f);
        });
        flatten();

        // 2. Context model forward/backward, one latent row per task.
        parallelFor(armRowCount, threads, [&](int task) { kernels->armRow(step, task); });
        // Gather the context gradients into the latents they came from (each latent row by one task: no races).
        parallelFor(armRowCount, threads, [&](int task) {
            const int k = armRows[task].first, row = armRows[task].second;
            const GridShape& g = grids[k];
            const int gw = g.width, gh = g.height;
            float* dq = dyhat[k].data() + std::size_t(row) * gw;
            for (int i = 0; i < kContextSize; ++i) {
                const int srcRow = row - kContextDy[i];  // the latent whose context element i is this one
                if (srcRow < 0 || srcRow >= gh) continue;
                const float* dc = dctx[k].data() + (std::size_t(srcRow) * gw * kContextSize) + std::size_t(i) * gw;
                const int dx = kContextDx[i];
                for (int x = 0; x < gw; ++x) {
                    const int sx = x - dx;
                    if (sx >= 0 && sx < gw) dq[x] += dc[sx];
                }
            }
        });

        // 3. Synthesis forward/backward, one texel row per task: every rowStride-th row from a phase drawn from
        // (seed, step), the distortion normalised by the weight of the rows taken.
        synthRows.clear();
        {
            const int phase =
                int(splitmix((std::uint64_t(o.seed) << 32) ^ std::uint64_t(it)) % std::uint64_t(rowStride));
            double taken = 0;
            for (int y = phase; y < H; y += rowStride) {
                synthRows.push_back(y);
                taken += rowWeight[std::size_t(y)];
            }
            takenWeight = taken;
            step.distScale = taken > 0 ? float(2.0 / (3.0 * taken)) : 0.0f;
        }
        parallelFor(int(synthRows.size()), threads, [&](int i) { kernels->synthRow(step, synthRows[std::size_t(i)]); });

        // 4. Transposed vertical upsampling of the row gradients (the synthesis did the horizontal part), per
        // block of grid columns: each block sums its rows in the same order whatever the thread count.
        parallelFor(int(columnBlocks.size()), threads, [&](int task) {
            const int k = columnBlocks[std::size_t(task)].first, j0 = columnBlocks[std::size_t(task)].second;
            const int gw = grids[k].width, j1 = std::min(gw, j0 + kColumnBlock);
            float* dq = dyhat[k].data();
            const float* R = rowGrad[k].data();
            for (int y : synthRows) {
                const Tap ty = yTaps[k][std::size_t(y)];
                const float* r = R + std::size_t(y) * gw;
                float* d0 = dq + std::size_t(ty.i0) * gw;
                float* d1 = dq + std::size_t(ty.i1) * gw;
                for (int j = j0; j < j1; ++j) {
                    d0[j] += (1.0f - ty.w) * r[j];
                    d1[j] += ty.w * r[j];
                }
            }
        });

        // 5. Reduce in a fixed order, then Adam.
        std::fill(grad.begin(), grad.end(), 0.0f);
        double bits = 0, dist = 0;
        for (int t = 0; t < armRowCount; ++t) {
            const float* gr = armGrad.data() + std::size_t(t) * P;
            for (std::size_t i = 0; i < P; ++i) grad[i] += gr[i];
            bits += armBits[std::size_t(t)];
        }
        for (int y : synthRows) {
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
            const double mse = takenWeight > 0 ? dist / (3.0 * takenWeight) : 0.0;
            char line[200];
            std::snprintf(line, sizeof line, "it %5d  mse_t %.3e  psnr_t(peak1) %.2f dB  latent bpp %.4f  %s", it, mse,
                          mse > 0 ? -10.0 * std::log10(mse) : 99.0, bits / (double(W) * H),
                          noise  ? "noise"
                          : hard ? "hard"
                                 : "soft");
            o.log(line);
        }
        context.report(progressFrom + (progressTo - progressFrom) * double(it + 1) / o.iterations);
        if (o.afterStep) o.afterStep(state, it + 1);
    }
    return {};
}

}  // namespace lmc::overfit
