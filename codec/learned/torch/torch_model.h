// LibTorch modules that train the learned codecs. They are built from the same layer lists as the C++ inference
// (model_spec.h), export to our portable weight file (weight_file.h) and import from it. Only the trainer uses
// them; encoding and decoding never touch LibTorch.
//
// Training forward pass (per sample b with rate r_b in [0, 1]):
//   y = g_a(x) [+ L_a(x)];  g = exp(logGains(r));  v = y * g   (linear path: model_spec.h)
//   distortion path: v_hat = v + stopgrad(round(v) - v) (straight-through), y_hat = v_hat / g, x_hat = g_s(y_hat)
//   rate path: v~ = v + U(-1/2, 1/2);
//     ae:  bits = -log2 P(v~) with P from the factorized density of y at bin width 1/g
//     vae: z = h_a(|v|), z~ = z + U, z_hat = z + stopgrad(round(z) - z), sigma = max(exp(h_s(z_hat)), 0.11),
//          bits = -log2 N(v~; sigma) (discretised) - log2 P(z~)
// Gains: anchors A_0 = a, A_k = A_{k-1} + softplus(d_k): non-decreasing per channel by construction, exported as
// kGainTensor. The factorized density is CompressAI's EntropyBottleneck (filters 3,3,3, init scale 10), exported
// as cumulative logits sampled on a per-channel grid (SampledPrior), so no float evaluation happens at coding time.
//
// Threading: a module is used by one thread. Errors: import/export return Result; LibTorch exceptions are caught by
// the trainer, never thrown across the library boundary.
#pragma once

#include <torch/torch.h>

#include <string>
#include <vector>

#include "codec/learned/model_spec.h"
#include "codec/learned/weight_file.h"

namespace lmc::learned {

class ConvStackImpl : public torch::nn::Module {
public:
    ConvStackImpl(const std::vector<LayerSpec>& specs, float slope);
    torch::Tensor forward(torch::Tensor x);
    const std::vector<LayerSpec>& specs() const { return specs_; }
    torch::nn::Conv2d& conv(std::size_t i) { return convs_[i]; }

private:
    std::vector<LayerSpec> specs_;
    std::vector<torch::nn::Conv2d> convs_;
    float slope_;
};
TORCH_MODULE(ConvStack);

class EntropyBottleneckImpl : public torch::nn::Module {
public:
    explicit EntropyBottleneckImpl(int channels);
    // Cumulative logits; x is [C, 1, N].
    torch::Tensor logitsCumulative(const torch::Tensor& x);
    // Likelihood of the bins [v - h, v + h] for values [B, C, H, W] and half widths broadcastable to it.
    torch::Tensor likelihood(const torch::Tensor& values, const torch::Tensor& halfWidth);
    // Samples the cumulative logits on a per-channel grid covering the density's support (mass outside < 1e-10).
    void exportSampled(int samples, std::vector<float>& logits, std::vector<float>& range);
    int channels() const { return channels_; }

private:
    int channels_;
    std::vector<torch::Tensor> matrices_, biases_, factors_;
};
TORCH_MODULE(EntropyBottleneck);

struct ForwardResult {
    torch::Tensor xHat;   // [B, 3, H, W]
    torch::Tensor yHat;   // [B, M, H/16, W/16] (dequantized latent, for the GAN discriminator)
    torch::Tensor bits;   // [B] estimated bits per sample
};

class LearnedNetImpl : public torch::nn::Module {
public:
    explicit LearnedNetImpl(const ModelConfig& config);
    const ModelConfig& config() const { return config_; }

    // x: [B, 3, H, W] in the transformed domain, H and W multiples of 64; rate: [B].
    ForwardResult forward(const torch::Tensor& x, const torch::Tensor& rate, bool training);
    torch::Tensor gainAnchors();                       // [K, M] log gains
    torch::Tensor logGains(const torch::Tensor& rate);  // [B, M]

    // The inference file (kind=model) with `metadata` added.
    WeightFile exportModel(const std::map<std::string, std::string>& metadata);
    // Loads convolution weights and gains from an inference file of the same architecture (priors are not
    // recoverable from their sampled form and stay as they are).
    Status importModel(const WeightFile& file);
    // The parameters trained in each stage.
    std::vector<torch::Tensor> synthesisParameters();

    ConvStack ga{nullptr}, gs{nullptr}, ha{nullptr}, hs{nullptr};
    ConvStack la{nullptr}, ls{nullptr};  // the linear block-transform path (config.linearPath)
    EntropyBottleneck prior{nullptr};  // of y (ae) or z (vae/gan)

private:
    ModelConfig config_;
    torch::Tensor gainBase_, gainSteps_;
};
TORCH_MODULE(LearnedNet);

// HiFiC-style discriminator conditioned on the quantized latent.
class DiscriminatorImpl : public torch::nn::Module {
public:
    explicit DiscriminatorImpl(int latentChannels);
    torch::Tensor forward(const torch::Tensor& image, const torch::Tensor& latent);

private:
    torch::nn::Conv2d project_{nullptr}, c1_{nullptr}, c2_{nullptr}, c3_{nullptr}, c4_{nullptr};
};
TORCH_MODULE(Discriminator);

// Conversions between LibTorch tensors and our weight-file tensors (CPU float32 copies).
WeightTensor weightFromTensor(const torch::Tensor& t);
torch::Tensor tensorFromWeight(const WeightTensor& w);

// Mean SSIM per sample of two N x 3 x H x W batches in the transformed domain (Wang et al. 2004: 11x11 Gaussian
// window, sigma 1.5, K1 0.01, K2 0.03, peak 1) over the covered texels (mask N x 1 x H x W), each window's
// statistics taken over its covered texels only, so gutters and uncovered texels do not count. Differentiable:
// the gan's decoder trains on 1 - SSIM beside the MSE (trainer.h).
torch::Tensor maskedSsim(const torch::Tensor& a, const torch::Tensor& b, const torch::Tensor& mask);

// Every named tensor of a module (parameters), by its torch name.
std::vector<std::pair<std::string, torch::Tensor>> namedTensors(torch::nn::Module& module);

}  // namespace lmc::learned
