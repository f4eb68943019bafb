// A learned codec model ready for inference in our deterministic C++ kernels (codec/nn): the four networks, the
// rate gains and the integer entropy tables, built from a WeightFile. No LibTorch here.
//
// Determinism: every value that decides a table or a texel (hyper synthesis, gains, prior tables, synthesis,
// inverse transform) is computed by lmc::nn / basic IEEE operations in a fixed order, so encoder and decoder agree
// bit for bit on every machine and thread count (see codec/nn/conv.h and entropy/gaussian_conditional.h).
// The analysis side runs in the same kernels; it only has to be good, not reproducible.
//
// Tiling: analysis and synthesis run on tiles with overlapping margins at least as wide as the networks' receptive
// fields, so the tiled result equals the whole-image result and memory stays bounded (one tile of activations at a
// time). Hyper networks run on the whole latent (1/16 and 1/64 of the image per side). Each call allocates its
// activation buffers once, sized for its largest tile, and every tile and layer reuses them (layer outputs are written
// whole, so nothing is zeroed); nothing is kept between calls.
//
// INT8 (precision=int8): the decoder side (synthesis, linear synthesis, hyper synthesis) can also run post-training
// quantised in nn::qconv2d (qconv.h: per-output-channel int8 weights, per-tensor activation scales, int32 sums), from
// an Int8Calibration: each of those layers' input range, measured offline on training maps by running the FP32
// networks (recordInputRanges; tests/bench/bench_int8.cpp --calibrate writes the file) and stored next to the weights
// as "<weights>.int8" (text, one "layer range clamp weight-clamp", "layer fp32" or "layer symbols" line per layer:
// Int8Calibration's modes, int8LayerRule the shipped choice; loadFile reads it when present). The
// calibration's CRC (int8Fingerprint) goes into INT8 streams, like the weights' fingerprint; a replaced calibration
// stays next to the weights as "<weights>.int8.1" (.2, ...) so that the streams naming it still decode
// (int8Variant). Each INT8 layer writes its pixel shuffle's output directly (qconv.h QConvLayer::shuffle).
//
// Threading: immutable after load(); all methods are const and may run concurrently. Errors: load() returns
// CorruptData for weights that do not match the config (names, shapes, non-monotone gains) or a calibration that does
// not match the layers; the run methods return Cancelled, errors from the kernels, or InvalidArgument for
// Precision::Int8 on a model without a calibration.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "codec/codec.h"
#include "codec/entropy/cdf.h"
#include "codec/learned/model_spec.h"
#include "codec/learned/weight_file.h"
#include "codec/nn/conv.h"
#include "codec/nn/qconv.h"

namespace lmc::learned {

// Cumulative logits of a factorized density (Ballé 2017's learned CDF) sampled on a uniform grid per channel, as
// exported by the trainer; tables for any bin width are derived from it deterministically.
struct SampledPrior {
    int channels = 0;
    int samples = 0;
    std::vector<float> logits;  // [channels][samples]
    std::vector<float> range;   // [channels][2]: the grid spans lo .. hi

    Status validate() const;
    // Tables for v = round(y * gain[c]) per channel c: P(v = k) = F((k + 1/2) / g) - F((k - 1/2) / g), support
    // covering the grid, tail mass to the escape. gains.size() == channels.
    Result<entropy::CdfTableSet> tables(const std::vector<double>& gains) const;
};

// A model file of `config` with random He-initialised convolutions, gains spanning 8x and a logistic prior: the
// real architecture and stream format with untrained weights, for tests and benchmarks (never shipped).
WeightFile makeRandomWeights(const ModelConfig& config, std::uint64_t seed);
// A tiny architecture of `family` (M = 8, Z = 4, 4-8 channels per layer) that runs in milliseconds: for tests and
// fuzzing with makeRandomWeights, never for real compression.
ModelConfig tinyModelConfig(Family family);

// Which kernels the decoder side runs.
enum class Precision { Fp32, Int8 };

// Per decoder layer (by tensor name prefix: "gs.0", "ls", "hs.1", ...): the magnitude its input reaches on the
// calibration maps, the activation clamp and the weight clamp (qconv.h: A and B; 127 = 8 bits). Two other modes,
// written "name fp32" and "name symbols" (either makes the file version 2; a version 1 file has neither, so its text,
// and the fingerprint that streams carry, is what it always was):
//  - Fp32: the layer runs in FP32 inside the INT8 decoder;
//  - Symbols: the first layer of a synthesis stack (it reads the latent) takes the latent's integer symbols exactly
//    (k = y * gain, no activation grid) and folds the per-channel 1 / gain into its weights, quantised per call at
//    the widest weight clamp that the int32 bound leaves for that call's largest |k| (range and clamps unused).
struct Int8Calibration {
    struct Layer {
        enum class Mode { Quantised, Fp32, Symbols };
        float range = 0.0f;
        int clamp = 127;
        int weightClamp = 127;
        Mode mode = Mode::Quantised;
    };
    std::map<std::string, Layer> layers;
    std::map<std::string, std::string> notes;  // "# key value" lines: what it was calibrated on

    std::string toText() const;
    static Result<Int8Calibration> fromText(const std::string& text);
    std::uint32_t fingerprint() const;  // CRC-32 of toText()
};

// How the shipped calibrations run a decoder layer whose input reached `range` on the calibration maps (bench_int8
// --calibrate; measured on the training maps, README in resources/models): int8 weights and activations at the
// widest clamp the int32 bound then leaves (12-bit activations lost up to 0.28 dB log-PSNR at rate 0.9 in gs.3 and
// gs.4, whose inputs carry the finest detail; the int16 x int16 kernels cost the same at any clamp), except the
// linear block transform "ls", which reads the symbols (Symbols mode): on one activation grid its 96-tap sums could
// not hold both a fine latent grid and fine weights under the int32 bound (11585 x 1930 lost up to 0.77 dB at rate
// 0.9); with the symbols exact, the largest |k| seen on the real maps (about 1300) leaves 14-bit weights.
Int8Calibration::Layer int8LayerRule(const LayerSpec& spec, float range);

// A conv layer of `spec`'s shape and activation, weights and biases left empty for the caller to fill.
nn::ConvLayer convLayerOf(const LayerSpec& spec, float leakySlope);

class InferenceModel {
public:
    static Result<std::shared_ptr<const InferenceModel>> load(const WeightFile& file,
                                                              const Int8Calibration* calibration = nullptr);
    // Also reads "<path>.int8" when it exists, and the earlier calibrations "<path>.int8.1" ... ".int8.9" that
    // existing INT8 streams may name (decode only; a damaged one is CorruptData).
    static Result<std::shared_ptr<const InferenceModel>> loadFile(const std::string& path);
    // This model with INT8 decoder layers built from `calibration` (replacing any it had).
    Result<std::shared_ptr<const InferenceModel>> withInt8(const Int8Calibration& calibration) const;
    bool hasInt8() const { return !qSynthesis_.empty(); }
    std::uint32_t int8Fingerprint() const { return int8Fingerprint_; }
    // The model whose INT8 layers have this calibration fingerprint: this one, one built from an earlier calibration
    // (loadFile), or null. Lives as long as this model.
    const InferenceModel* int8Variant(std::uint32_t calibrationFingerprint) const;
    // Max |input| of every decoder layer for this dequantised latent (and, for vae/gan, quantised hyper-latent)
    // through the FP32 networks, folded into `maxAbs` (calibration).
    Status recordInputRanges(const nn::Tensor& latent, const nn::Tensor* hyperQuantized,
                             std::map<std::string, float>& maxAbs, int threads) const;

    const ModelConfig& config() const { return config_; }
    std::uint32_t fingerprint() const { return fingerprint_; }
    const std::map<std::string, std::string>& metadata() const { return metadata_; }

    // Per-channel gains for a rate in [0, 1] (clamped): exp of the piecewise-linear interpolation of the log-gain
    // anchors; deterministic (basic operations + our exp).
    std::vector<double> gains(double rate) const;

    using Progress = std::function<void(double)>;
    // input: the padded, transformed image (H, W multiples of kPadMultiple, 3 channels). Output: H/16 x W/16 x M.
    Status analysis(const nn::Tensor& input, nn::Tensor& latent, int threads, const CancelToken* cancel,
                    const Progress& progress = {}, int tileSize = 1024) const;
    // latent: H/16 x W/16 x M. Calls sink(y0, x0, tile) for each output tile (3 channels, in order) so the caller
    // can write it out without holding the whole padded image. gains: the per-channel gains the latent was
    // dequantised with (latent = k / gains[c], k integer); INT8 layers in Symbols mode need them (InvalidArgument
    // without), the other modes ignore them.
    using TileSink = std::function<void(int y0, int x0, const nn::Tensor& tile)>;
    Status synthesis(const nn::Tensor& latent, const TileSink& sink, int threads, const CancelToken* cancel,
                     const Progress& progress = {}, int tileLatents = 128, Precision precision = Precision::Fp32,
                     const std::vector<double>& gains = {}) const;
    Status hyperAnalysis(const nn::Tensor& gainedLatent, nn::Tensor& hyper, int threads,
                         const CancelToken* cancel) const;
    // Output: log-scales for the gained latent (M channels at 1/16).
    Status hyperSynthesis(const nn::Tensor& hyperQuantized, nn::Tensor& logScales, int threads,
                          const CancelToken* cancel, Precision precision = Precision::Fp32) const;

    // The analysis layers (for running the same transform on a LibTorch device, torch_analysis.h).
    const std::vector<nn::ConvLayer>& analysisConvs() const { return analysis_; }
    const std::vector<int>& analysisConvShuffles() const { return analysisShuffle_; }
    const std::vector<nn::ConvLayer>& linearAnalysisConvs() const { return linearAnalysis_; }
    const std::vector<int>& linearAnalysisConvShuffles() const { return linearAnalysisShuffle_; }

    // ae: tables for the latent at this rate's gains (built per call; ~ms). vae/gan: the hyper-latent's tables.
    Result<entropy::CdfTableSet> latentTables(const std::vector<double>& gains) const;
    const entropy::CdfTableSet& hyperTables() const { return hyperTables_; }

private:
    InferenceModel() = default;
    // Run `layers` on x into `out`, alternating with `spare` (whose buffers the caller may reuse for many tiles);
    // x must be neither.
    Status runStack(const std::vector<nn::ConvLayer>& layers, const std::vector<int>& shuffles, const nn::Tensor& x,
                    nn::Tensor& out, nn::Tensor& spare, int threads, const CancelToken* cancel) const;
    // An INT8 decoder stack: one QConvLayer per layer of its FP32 stack and the calibration's mode of each. An
    // Fp32 layer runs the FP32 layer, a Symbols layer (only the first) one quantised per call (symbolLayer); their
    // QConvLayer holds only the shape (and, for Symbols, the built-in shuffle the per-call layer has).
    struct QStack {
        std::vector<nn::QConvLayer> layers;
        std::vector<Int8Calibration::Layer::Mode> modes;
        bool empty() const { return layers.empty(); }
        bool readsSymbols() const { return !modes.empty() && modes[0] == Int8Calibration::Layer::Mode::Symbols; }
    };
    // The Symbols-mode first layer of `stack` for symbols up to maxSymbol in magnitude and these gains.
    static Result<nn::QConvLayer> symbolLayer(const QStack& stack, const std::vector<nn::ConvLayer>& floatLayers,
                                              const std::vector<double>& gains, int maxSymbol);
    Status runQStack(const QStack& stack, const std::vector<nn::ConvLayer>& floatLayers,
                     const std::vector<int>& shuffles, const nn::Tensor& x, nn::Tensor& out, nn::Tensor& spare,
                     nn::QConvScratch& scratch, int threads, const CancelToken* cancel,
                     const nn::QConvLayer* symbolFirst = nullptr) const;
    // Runs `layers` in FP32, folding each layer's max |input| into maxAbs[specs[i].name].
    Status observeStack(const std::vector<nn::ConvLayer>& layers, const std::vector<int>& shuffles,
                        const std::vector<LayerSpec>& specs, nn::Tensor x, std::map<std::string, float>& maxAbs,
                        int threads) const;

    ModelConfig config_;
    std::uint32_t fingerprint_ = 0;
    std::map<std::string, std::string> metadata_;
    std::vector<nn::ConvLayer> analysis_, synthesis_, hyperAnalysis_, hyperSynthesis_;
    std::vector<int> analysisShuffle_, synthesisShuffle_, hyperAnalysisShuffle_, hyperSynthesisShuffle_;
    std::vector<nn::ConvLayer> linearAnalysis_, linearSynthesis_;  // empty without the linear path
    std::vector<int> linearAnalysisShuffle_, linearSynthesisShuffle_;
    std::vector<double> logGains_;  // [K][M]
    SampledPrior latentPrior_;      // ae
    SampledPrior hyperPrior_;       // vae/gan
    entropy::CdfTableSet hyperTables_;
    QStack qSynthesis_, qLinearSynthesis_, qHyperSynthesis_;  // empty without a calibration
    std::uint32_t int8Fingerprint_ = 0;
    std::vector<std::shared_ptr<const InferenceModel>> earlierInt8_;  // earlier calibrations, for old streams
};

}  // namespace lmc::learned
