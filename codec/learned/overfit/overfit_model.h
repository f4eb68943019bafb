// The per-map ("overfitted") codec's model and everything its decoder runs: the network layout (latent grids,
// synthesis MLP, autoregressive context model), the deterministic inference of both networks, the Laplace entropy
// tables the context model selects, and the weight quantisation. The encoder's optimisation (overfit_train.h)
// trains the same functions in float with its own fused forward/backward loops; only what is here decides texels
// and tables.
//
// Model (Cool-chic / C3 style, Ladune et al. 2023, Kim et al. 2023): `levels` one-channel latent grids, grid k of
// ceil(W / f) x ceil(H / f) integers with f = 2^(firstLevel + k); each grid is upsampled bilinearly to the texel
// grid (sample positions (p + 0.5) / f - 0.5, edges clamped), the `levels` values of a texel go through a
// synthesis MLP levels -> H -> H -> 3 (ReLU after the hidden layers) whose output is the texel in the transformed
// domain t of learned_codec.h (t = (log2(1 + x / s) - 1) / 2, s the exposure scale in the stream).
// Latent values are coded one grid after the other, finest first, in raster order; the context model maps the 12
// causal neighbours in the same grid (two rows above, x - 2 .. x + 2, and two to the left; 0 outside the grid)
// through 12 -> A (ReLU) -> 2 to the mean mu and log-scale of a Laplace distribution, shared by all grids.
//
// Entropy tables: mu is split into an integer centre c = floor(mu + 1/2) and a fraction in [-1/2, 1/2) quantised to
// kFracBins bins; the log-scale is clamped to [kMinLogScale, kMaxLogScale] and quantised to kScaleBins uniform
// bins; value - c is coded with table (scale bin, fraction bin), the integer Laplace pmf at the bins' centres
// (escape beyond 21 scales). The tables are built once from basic IEEE double operations (GaussianConditional's
// deterministic exp, -ffp-contract=off), so they are identical on every machine.
//
// Determinism: the decoder's floats are computed in a fixed order with no FMA contraction (this file is compiled
// with -ffp-contract=off), texel rows are independent, so decoded texels and table choices do not depend on the
// thread count or the CPU. Threading: everything is const / pure; Networks and the tables may be shared.
#pragma once

#include <cstdint>
#include <vector>

#include "codec/entropy/cdf.h"
#include "codec/result.h"

namespace lmc::overfit {

constexpr int kContextSize = 12;
constexpr int kMaxLevels = 8;
constexpr int kMaxHidden = 64;
constexpr int kScaleBins = 64;
constexpr int kFracBins = 8;
constexpr float kMinLogScale = -3.2188758f;  // ln 0.04
constexpr float kMaxLogScale = 3.6888795f;   // ln 40
// Latent values outside this range are refused by the decoder (and never produced by the encoder).
constexpr std::int32_t kMaxLatentMagnitude = 1 << 20;

struct Config {
    int levels = 6;       // latent grids
    int firstLevel = 1;   // grid 0 has resolution 1 / 2^firstLevel
    int synthHidden = 16;
    int armHidden = 16;
};
// InvalidArgument for values outside the supported ranges (the decoder reports CorruptData).
Status validateConfig(const Config& config);

struct GridShape {
    int width = 0, height = 0, factor = 1;
    std::size_t size() const { return std::size_t(width) * std::size_t(height); }
};
std::vector<GridShape> gridShapes(const Config& config, int width, int height);

// A dense layer: out x in weights, row-major, then out biases.
struct Layer {
    int in = 0, out = 0;
    std::vector<float> weight, bias;
    std::size_t parameterCount() const { return weight.size() + bias.size(); }
};

struct Networks {
    Layer synth[3];  // levels -> H, H -> H, H -> 3
    Layer arm[2];    // 12 -> A, A -> 2
    static constexpr int kLayerCount = 5;
    Layer& layer(int i) { return i < 3 ? synth[i] : arm[i - 3]; }
    const Layer& layer(int i) const { return i < 3 ? synth[i] : arm[i - 3]; }
};
// Zero-filled networks of the config's shape.
Networks makeNetworks(const Config& config);

// The context's causal neighbours as offsets from the coded latent, in the order the context model reads them: two
// rows above (x - 2 .. x + 2), then two to the left.
inline constexpr int kContextDx[kContextSize] = {-2, -1, 0, 1, 2, -2, -1, 0, 1, 2, -2, -1};
inline constexpr int kContextDy[kContextSize] = {-2, -2, -2, -2, -2, -1, -1, -1, -1, -1, 0, 0};
// The 12 causal neighbours of (x, y) in a grid of integers (as floats), 0 outside.
void gatherContext(const float* grid, int width, int height, int x, int y, float* context);
// The context model: (mu, log-scale) of one latent. The log-scale is not clamped here.
void armForward(const Networks& networks, const float* context, float& mu, float& logScale);
// The Laplace tables (built on first use, thread-safe) and the table of a prediction: returns the table index and
// sets `centre` (value - centre is the coded symbol).
const entropy::CdfTableSet& laplaceTables();
std::int32_t laplaceTable(float mu, float logScale, std::int32_t& centre);

// Upsampling taps of one axis: texel p of a grid axis of n samples at factor f reads i0, i1 with weight w on i1.
struct Tap {
    int i0, i1;
    float w;
};
std::vector<Tap> axisTaps(int texels, int samples, int factor);

// Grid k's bilinear upsampling at texel row y: `width` values into `out`, `column` the grid row interpolated
// vertically (scratch, resized). The decoder's exact operations, shared with the encoder's RDOQ.
void upsampleRow(const GridShape& grid, const float* latents, const Tap& yTap, const std::vector<Tap>& xTaps,
                 int width, std::vector<float>& column, float* out);

// Synthesis of texel rows [y0, y1) of a W-wide image into t (3 floats per texel, row-major, rows y0.. first).
// `latents` holds every grid as floats, in gridShapes order.
void synthesizeRows(const Config& config, const Networks& networks, const std::vector<GridShape>& grids,
                    const std::vector<std::vector<float>>& latents, int width, int height, int y0, int y1, float* t);

// Weight quantisation: layer i's weights and biases are integers q times 2^-exponent[i]; coded with Gaussian table
// tableIndex[i] of GaussianConditional.
struct QuantizedLayer {
    int exponent = 8;
    int table = 0;
    std::vector<std::int32_t> values;  // weights then biases
};
QuantizedLayer quantizeLayer(const Layer& layer, int exponent);
void dequantizeLayer(const QuantizedLayer& q, Layer& layer);
constexpr int kMinWeightExponent = 0;
constexpr int kMaxWeightExponent = 20;

}  // namespace lmc::overfit
