// The architecture of the learned codecs (ae, vae, gan), described once as data so the LibTorch training modules
// (torch_model.h) and our deterministic C++ inference (inference_model.h) are built from the same layer lists and
// cannot drift apart.
//
// Shapes (W x H image, padded to multiples of kPadMultiple by edge replication):
//   analysis    3 -> M channels at 1/16 resolution: four 3x3 stride-2 convs plus one 3x3 at 1/8, LeakyReLU.
//   synthesis   M -> 3 channels: 3x3 convs followed by pixel shuffle (sub-pixel convolution, 2x each, four times;
//               measured ~2x faster here than transposed convolutions), channel widths tapering towards full
//               resolution because lightmaps carry little high-frequency detail.
//   hyper (vae/gan) |y*g| -> Z channels at 1/64, and back to a log-scale per latent at 1/16.
//   linear path (linear_path=1): a 16x16 block transform beside the networks, y = g_a(x) + L_a(x) and
//               x^ = g_s(y^) + L_s(y^), where L_a is pixel unshuffle(16) + a 1x1 conv (768 -> M) and L_s a 1x1
//               conv (M -> 768) + pixel shuffle(16). Training starts it as an orthonormal colour-opponent DCT
//               (the M lowest frequencies, half of them luminance) and the networks near zero, so a model starts
//               as a working transform codec and learns from there. Measured why: a 64-channel model trained
//               9k steps without it reached 20.8 dB PSNR_t on a held-out map where the truncated DCT of the
//               same dimension gives 45 dB; plain conv stacks need far more steps than a CPU affords.
// The rate is a per-channel gain on the latent (gain units, Cui et al. 2021): v = round(y * g(rate)),
// reconstruction y' = v / g(rate), with g(rate) interpolated exponentially between K learned anchors that are
// non-decreasing per channel (so a higher rate never quantizes any latent more coarsely).
//
// Threading: plain data. Errors: validate() reports an inconsistent config as InvalidArgument.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "codec/result.h"

namespace lmc::learned {

enum class Family { Autoencoder, Hyperprior, Gan };

// "ae", "vae", "gan".
std::string familyId(Family family);
Result<Family> familyFromId(const std::string& id);
inline bool hasHyperprior(Family f) {
    return f != Family::Autoencoder;
}

constexpr int kPadMultiple = 64;   // analysis 16x down, hyper analysis another 4x
constexpr int kLatentStride = 16;  // image texels per latent, per side
constexpr int kHyperStride = 64;   // image texels per hyper-latent, per side

struct ModelConfig {
    Family family = Family::Hyperprior;
    int latentChannels = 96;                           // M
    int hyperChannels = 32;                            // Z
    int analysisWidth1 = 48;                           // channels after the first stride-2 conv
    int analysisWidth = 64;                            // the other analysis layers
    std::vector<int> synthesisWidths{64, 64, 32, 16};  // after each of the first three shuffles (+ the 1/8 conv)
    int hyperWidth = 64;
    int gainAnchors = 4;  // K
    float leakySlope = 0.1f;
    bool linearPath = true;  // files without the key (first models) have none

    Status validate() const;
    // "key=value" lines stored in the weight file (and read back by fromText).
    std::map<std::string, std::string> toText() const;
    static Result<ModelConfig> fromText(const std::map<std::string, std::string>& text);
};

struct LayerSpec {
    std::string name;  // tensor name prefix: "<name>.weight", "<name>.bias"
    int in = 0, out = 0, kernel = 3, stride = 1;
    bool activation = true;  // LeakyReLU(config.leakySlope) after the conv
    int shuffle = 1;         // pixel shuffle factor after the conv (and activation); 1 = none
};

std::vector<LayerSpec> analysisLayers(const ModelConfig& c);
std::vector<LayerSpec> synthesisLayers(const ModelConfig& c);
std::vector<LayerSpec> hyperAnalysisLayers(const ModelConfig& c);
std::vector<LayerSpec> hyperSynthesisLayers(const ModelConfig& c);
// Empty without the linear path. The analysis layer reads the input after pixelUnshuffle(kLatentStride).
std::vector<LayerSpec> linearAnalysisLayers(const ModelConfig& c);
std::vector<LayerSpec> linearSynthesisLayers(const ModelConfig& c);
// The decoder side, the layers an INT8 calibration covers: synthesis, linear synthesis, then (vae/gan) hyper synthesis.
std::vector<LayerSpec> decoderLayers(const ModelConfig& c);
// The orthonormal initial block transform: [M][3 * 16 * 16] rows in pixel-unshuffle channel order (c*256 + i*16 + j
// for colour c at block row i, column j). Rows are colour-opponent DCT basis functions, lowest frequency first.
std::vector<float> blockTransformBasis(int latentChannels);

// The HDR input transform (documented in learned_codec.h): t = (log2(1 + x / s) - 1) / 2 with s the image's
// exposure scale, and its inverse x = s * (2^(2t + 1) - 1), clamped at 0. The inverse uses exp2Deterministic so a
// stream decodes to identical texels on every machine.
float forwardTransform(float x, float scale);
float inverseTransform(float t, float scale);
// inverseTransform of count values (out[i] = inverseTransform(t[i], scale), the same bits), vectorised.
void inverseTransformSpan(const float* t, std::size_t count, float scale, float* out);
// 2^x from basic IEEE operations only (range reduction + a fixed polynomial): identical bits on every machine,
// relative error below 2e-7. Inputs are clamped to [-126, 127].
float exp2Deterministic(float x);

// Names of the tensors the inference file holds besides the layers.
inline constexpr const char* kGainTensor = "gain.log";               // [K][M] natural-log gains, rows non-decreasing
inline constexpr const char* kLatentPriorTensor = "prior_y.logits";  // ae: [M][S] cumulative logits
inline constexpr const char* kLatentPriorRange = "prior_y.range";    // ae: [M][2] (lo, hi) of the logit grid
inline constexpr const char* kHyperPriorTensor = "prior_z.logits";   // vae/gan: [Z][S]
inline constexpr const char* kHyperPriorRange = "prior_z.range";     // vae/gan: [Z][2]

}  // namespace lmc::learned
