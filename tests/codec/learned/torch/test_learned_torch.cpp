// The LibTorch training modules and our deterministic C++ inference must compute the same codec: a model trained in
// torch is only worth something if `lmc encode/decode` reproduce what the trainer measured. Also checks the linear
// block-transform path (model_spec.h): its initial state is an orthonormal transform that already codes well.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>

#include "codec/learned/inference_model.h"
#include "codec/learned/model_spec.h"
#include "codec/learned/torch/torch_model.h"

using namespace lmc;
using namespace lmc::learned;

namespace {

ModelConfig smallConfig(Family family, bool linear) {
    ModelConfig c;
    c.family = family;
    c.latentChannels = 24;
    c.hyperChannels = 8;
    c.analysisWidth1 = 12;
    c.analysisWidth = 16;
    c.synthesisWidths = {16, 16, 12, 8};
    c.hyperWidth = 16;
    c.gainAnchors = 3;
    c.linearPath = linear;
    return c;
}

// A smooth image in the transformed domain, [1, 3, H, W].
torch::Tensor smoothInput(int h, int w) {
    torch::Tensor yy = torch::arange(h, torch::kFloat32).view({h, 1}).expand({h, w});
    torch::Tensor xx = torch::arange(w, torch::kFloat32).view({1, w}).expand({h, w});
    torch::Tensor r = 0.4f * torch::sin(0.05f * xx) + 0.2f * torch::cos(0.03f * yy);
    torch::Tensor g = 0.3f * torch::sin(0.04f * (xx + yy)) - 0.1f;
    torch::Tensor b = 0.25f * torch::cos(0.02f * xx - 0.05f * yy);
    return torch::stack({r, g, b}).unsqueeze(0).contiguous();
}

nn::Tensor toHwc(const torch::Tensor& nchw) {
    torch::Tensor t = nchw.squeeze(0).permute({1, 2, 0}).contiguous();
    nn::Tensor out(int(t.size(0)), int(t.size(1)), int(t.size(2)));
    std::copy_n(t.data_ptr<float>(), out.data.size(), out.data.data());
    return out;
}

torch::Tensor toNchw(const nn::Tensor& hwc) {
    return torch::from_blob(const_cast<float*>(hwc.data.data()), {hwc.h, hwc.w, hwc.c}, torch::kFloat32)
        .permute({2, 0, 1})
        .unsqueeze(0)
        .clone();
}

// Runs torch's eval forward and our inference (analysis, quantization with the model's gains, synthesis).
void expectSameCodec(Family family, bool linear) {
    torch::manual_seed(5);
    LearnedNet net(smallConfig(family, linear));
    net->eval();
    torch::NoGradGuard noGrad;
    // Perturb the networks so both paths matter (the linear path starts the networks near zero).
    for (auto& p : net->parameters()) p.add_(0.02 * torch::randn_like(p));
    const double rate = 0.7;
    torch::Tensor x = smoothInput(64, 128);
    ForwardResult ref = net->forward(x, torch::full({1}, rate), false);

    auto model = InferenceModel::load(net->exportModel({}));
    ASSERT_TRUE(model) << model.error().message;
    nn::Tensor latent;
    ASSERT_TRUE((*model)->analysis(toHwc(x), latent, 1, nullptr, nullptr));
    torch::Tensor yTorch = net->ga->forward(x);
    if (linear) yTorch = yTorch + net->la->forward(torch::pixel_unshuffle(x, kLatentStride));
    EXPECT_LT((toNchw(latent) - yTorch).abs().max().item<float>(), 1e-4f);

    const std::vector<double> gains = (*model)->gains(rate);
    torch::Tensor gTorch = net->logGains(torch::full({1}, rate)).exp()[0];
    for (std::size_t c = 0; c < gains.size(); ++c)
        EXPECT_NEAR(gains[c], gTorch[long(c)].item<double>(), 1e-4 * gains[c]);
    for (std::size_t i = 0; i < latent.data.size(); ++i) {
        const double g = gains[i % std::size_t(latent.c)];
        latent.data[i] = float(std::nearbyint(latent.data[i] * g) / g);
    }
    nn::Tensor image(64, 128, 3);
    ASSERT_TRUE((*model)->synthesis(
        latent,
        [&](int y0, int x0, const nn::Tensor& tile) {
            for (int y = 0; y < tile.h; ++y) std::copy_n(tile.at(y, 0), std::size_t(tile.w) * 3, image.at(y0 + y, x0));
        },
        1, nullptr, nullptr));
    // Rounding ties may differ in the last bit of a latent; the reconstructions agree to float precision.
    const float diff = (toNchw(image) - ref.xHat).abs().max().item<float>();
    EXPECT_LT(diff, 1e-3f) << familyId(family) << (linear ? " with" : " without") << " linear path";
    EXPECT_GT(ref.xHat.abs().max().item<float>(), 0.05f);  // not a trivially zero output
}

}  // namespace

TEST(LearnedTorchParity, InferenceMatchesTheTrainingModules) {
    expectSameCodec(Family::Autoencoder, false);
    expectSameCodec(Family::Autoencoder, true);
    expectSameCodec(Family::Hyperprior, true);
}

TEST(LearnedTorchParity, LinearPathStartsAsAnOrthonormalBlockTransform) {
    const int m = 96, values = 3 * kLatentStride * kLatentStride;
    std::vector<float> basis = blockTransformBasis(m);
    ASSERT_EQ(basis.size(), std::size_t(m) * values);
    for (int a = 0; a < m; a += 7)
        for (int b = 0; b < m; b += 5) {
            double dot = 0;
            for (int i = 0; i < values; ++i) dot += double(basis[a * values + i]) * basis[b * values + i];
            EXPECT_NEAR(dot, a == b ? 1.0 : 0.0, 1e-5) << a << "," << b;
        }
    // Row 0 is the DC of luminance: constant 1/sqrt(768) on every value.
    EXPECT_NEAR(basis[0], 1.0 / std::sqrt(double(values)), 1e-7);
    EXPECT_NEAR(basis[values - 1], 1.0 / std::sqrt(double(values)), 1e-7);

    // An untrained model with the linear path already reconstructs a smooth image well at the highest rate;
    // without it the untrained networks give nothing usable.
    torch::manual_seed(3);
    torch::NoGradGuard noGrad;
    torch::Tensor x = smoothInput(128, 128);
    auto psnr = [&](bool linear) {
        LearnedNet net(smallConfig(Family::Hyperprior, linear));
        net->eval();
        torch::Tensor xHat = net->forward(x, torch::full({1}, 1.0), false).xHat;
        return 10.0 * std::log10(1.0 / (xHat - x).pow(2).mean().item<double>());
    };
    const double withLinear = psnr(true), without = psnr(false);
    EXPECT_GT(withLinear, 30.0);
    EXPECT_LT(without, 20.0);
}

TEST(LearnedTorchParity, FirstModelsWithoutTheKeyLoadWithoutLinearPath) {
    ModelConfig c = smallConfig(Family::Autoencoder, true);
    auto text = c.toText();
    EXPECT_EQ(text.at("linear_path"), "1");
    text.erase("linear_path");
    auto back = ModelConfig::fromText(text);
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_FALSE(back->linearPath);
    text["linear_path"] = "yes";
    EXPECT_FALSE(ModelConfig::fromText(text));
    // A model file that claims the linear path but lacks its tensors is refused with a clear error.
    WeightFile f = makeRandomWeights(smallConfig(Family::Autoencoder, true), 1);
    f.tensors.erase("ls.weight");
    auto m = InferenceModel::load(f);
    ASSERT_FALSE(m);
    EXPECT_NE(m.error().message.find("ls.weight"), std::string::npos) << m.error().message;
}

// The gan's SSIM term: 1 for equal images, the closed form for two constants, blind to
// differences outside the coverage mask's reach, lower for stronger noise, and differentiable.
TEST(MaskedSsim, MatchesTheDefinitionAndIgnoresUncoveredTexels) {
    torch::manual_seed(3);
    const int h = 48, w = 40;
    torch::Tensor mask = torch::zeros({1, 1, h, w});
    mask.index_put_({0, 0, torch::indexing::Slice(10, h - 10), torch::indexing::Slice(10, w - 10)}, 1.0);
    torch::Tensor a = 0.5 + 0.1 * torch::rand({1, 3, h, w});
    EXPECT_NEAR(maskedSsim(a, a, mask).item<double>(), 1.0, 1e-5);

    // Constants a and b: SSIM = (2ab + C1) / (a^2 + b^2 + C1).
    // In double: the variance terms are differences of window means, and float rounding of those is not small
    // against C2 = 9e-4.
    const torch::Tensor ca = torch::full({1, 3, h, w}, 0.5, torch::kFloat64);
    const torch::Tensor cb = torch::full({1, 3, h, w}, 0.6, torch::kFloat64);
    const double c1 = 1e-4, expected = (2 * 0.5 * 0.6 + c1) / (0.25 + 0.36 + c1);
    EXPECT_NEAR(maskedSsim(ca, cb, mask.to(torch::kFloat64)).item<double>(), expected, 1e-9);

    // Changes outside the covered area do not count, even inside a covered texel's window.
    torch::Tensor far = a.clone();
    far.index_put_({0, torch::indexing::Slice(), torch::indexing::Slice(0, 10), torch::indexing::Slice()}, 3.0);
    EXPECT_NEAR(maskedSsim(a, far, mask).item<double>(), 1.0, 1e-5);

    const double weak = maskedSsim(a, a + 0.01 * torch::randn({1, 3, h, w}), mask).item<double>();
    const double strong = maskedSsim(a, a + 0.05 * torch::randn({1, 3, h, w}), mask).item<double>();
    EXPECT_LT(weak, 1.0 - 1e-3);
    EXPECT_LT(strong, weak - 0.05);

    torch::Tensor x = (a + 0.05 * torch::randn({1, 3, h, w})).requires_grad_(true);
    (1.0 - maskedSsim(x, a, mask)).sum().backward();
    ASSERT_TRUE(x.grad().defined());
    EXPECT_TRUE(torch::isfinite(x.grad()).all().item<bool>());
    EXPECT_GT(x.grad().abs().sum().item<double>(), 0.0);
}
