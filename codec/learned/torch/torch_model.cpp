#include "codec/learned/torch/torch_model.h"

#include <cmath>

namespace lmc::learned {
namespace {

namespace F = torch::nn::functional;

WeightTensor toWeight(const torch::Tensor& t) {
    return weightFromTensor(t);
}
torch::Tensor fromWeight(const WeightTensor& w) {
    return tensorFromWeight(w);
}

torch::Tensor standardCdf(const torch::Tensor& x) {
    return 0.5 * torch::erfc(x * (-M_SQRT1_2));
}

}  // namespace

ConvStackImpl::ConvStackImpl(const std::vector<LayerSpec>& specs, float slope) : specs_(specs), slope_(slope) {
    for (std::size_t i = 0; i < specs.size(); ++i) {
        const LayerSpec& s = specs[i];
        auto conv = torch::nn::Conv2d(
            torch::nn::Conv2dOptions(s.in, s.out, s.kernel).stride(s.stride).padding(s.kernel / 2).bias(true));
        // He initialisation (variance-preserving through LeakyReLU) instead of LibTorch's default, which shrinks
        // the signal ~0.6x per layer: through ten layers that made early training crawl on our data.
        torch::NoGradGuard noGrad;
        const double fanIn = double(s.in) * s.kernel * s.kernel;
        const double gain = s.activation ? std::sqrt(2.0 / (1.0 + double(slope) * slope)) : 1.0;
        conv->weight.normal_(0.0, gain / std::sqrt(fanIn));
        conv->bias.zero_();
        convs_.push_back(register_module("conv" + std::to_string(i), conv));
    }
}

torch::Tensor ConvStackImpl::forward(torch::Tensor x) {
    for (std::size_t i = 0; i < specs_.size(); ++i) {
        x = convs_[i]->forward(x);
        if (specs_[i].activation) x = F::leaky_relu(x, F::LeakyReLUFuncOptions().negative_slope(slope_));
        if (specs_[i].shuffle > 1) x = F::pixel_shuffle(x, specs_[i].shuffle);
    }
    return x;
}

EntropyBottleneckImpl::EntropyBottleneckImpl(int channels) : channels_(channels) {
    const std::vector<int> filters{1, 3, 3, 3, 1};
    const double initScale = 10.0;
    const double scale = std::pow(initScale, 1.0 / double(filters.size() - 1));
    for (std::size_t i = 0; i + 1 < filters.size(); ++i) {
        const double init = std::log(std::expm1(1.0 / scale / filters[i + 1]));
        matrices_.push_back(register_parameter("matrix" + std::to_string(i),
                                               torch::full({channels, filters[i + 1], filters[i]}, init)));
        biases_.push_back(
            register_parameter("bias" + std::to_string(i), torch::rand({channels, filters[i + 1], 1}) - 0.5));
        if (i + 2 < filters.size())
            factors_.push_back(
                register_parameter("factor" + std::to_string(i), torch::zeros({channels, filters[i + 1], 1})));
    }
}

torch::Tensor EntropyBottleneckImpl::logitsCumulative(const torch::Tensor& x) {
    torch::Tensor logits = x;
    for (std::size_t i = 0; i < matrices_.size(); ++i) {
        logits = torch::matmul(F::softplus(matrices_[i]), logits) + biases_[i];
        if (i < factors_.size()) logits = logits + torch::tanh(factors_[i]) * torch::tanh(logits);
    }
    return logits;
}

torch::Tensor EntropyBottleneckImpl::likelihood(const torch::Tensor& values, const torch::Tensor& halfWidth) {
    const auto shape = values.sizes();
    auto flat = [&](const torch::Tensor& t) { return t.permute({1, 0, 2, 3}).reshape({channels_, 1, -1}); };
    torch::Tensor v = flat(values);
    torch::Tensor h = flat(halfWidth.expand(shape));
    torch::Tensor lower = logitsCumulative(v - h), upper = logitsCumulative(v + h);
    torch::Tensor sign = -torch::sign(lower + upper).detach();
    torch::Tensor lik = torch::abs(torch::sigmoid(sign * upper) - torch::sigmoid(sign * lower));
    return lik.reshape({channels_, shape[0], shape[2], shape[3]}).permute({1, 0, 2, 3});
}

void EntropyBottleneckImpl::exportSampled(int samples, std::vector<float>& logits, std::vector<float>& range) {
    torch::NoGradGuard noGrad;
    const double threshold = 10.0 * std::log(10.0);  // |logit| beyond this: tail mass < 1e-10
    const torch::Device device = matrices_[0].device();
    torch::Tensor coarse = torch::linspace(-4000.0, 4000.0, 80001).to(torch::kFloat32);
    torch::Tensor l = logitsCumulative(coarse.view({1, 1, -1}).expand({channels_, 1, -1}).contiguous().to(device))
                          .squeeze(1)
                          .to(torch::kCPU, torch::kFloat64);
    logits.assign(std::size_t(channels_) * samples, 0.0f);
    range.assign(std::size_t(channels_) * 2, 0.0f);
    auto acc = l.accessor<double, 2>();
    const float* xs = coarse.data_ptr<float>();
    for (int c = 0; c < channels_; ++c) {
        int lo = 0, hi = int(coarse.numel()) - 1;
        while (lo + 1 < hi && acc[c][lo + 1] < -threshold) ++lo;
        while (hi - 1 > lo && acc[c][hi - 1] > threshold) --hi;
        double a = xs[lo] - 0.5, b = xs[hi] + 0.5;
        if (!(b > a + 1.0)) b = a + 1.0;
        torch::Tensor grid = torch::linspace(a, b, samples).to(torch::kFloat32);
        torch::Tensor g = logitsCumulative(grid.view({1, 1, -1}).expand({channels_, 1, -1}).contiguous().to(device));
        torch::Tensor row = g[c][0].to(torch::kCPU).contiguous();
        // The learned CDF is monotone by construction; cummax removes float noise so the file validates.
        row = std::get<0>(torch::cummax(row, 0)).contiguous();
        std::copy_n(row.data_ptr<float>(), samples, &logits[std::size_t(c) * samples]);
        range[2 * c] = float(a);
        range[2 * c + 1] = float(b);
    }
}

LearnedNetImpl::LearnedNetImpl(const ModelConfig& config) : config_(config) {
    ga = register_module("ga", ConvStack(analysisLayers(config), config.leakySlope));
    gs = register_module("gs", ConvStack(synthesisLayers(config), config.leakySlope));
    if (hasHyperprior(config.family)) {
        ha = register_module("ha", ConvStack(hyperAnalysisLayers(config), config.leakySlope));
        hs = register_module("hs", ConvStack(hyperSynthesisLayers(config), config.leakySlope));
        prior = register_module("prior", EntropyBottleneck(config.hyperChannels));
    } else {
        prior = register_module("prior", EntropyBottleneck(config.latentChannels));
    }
    const int k = config.gainAnchors, m = config.latentChannels;
    double base = std::log(16.0), span = std::log(8.0);  // initially 16..128, 3 octaves from rate 0 to rate 1
    if (config.linearPath) {
        la = register_module("la", ConvStack(linearAnalysisLayers(config), config.leakySlope));
        ls = register_module("ls", ConvStack(linearSynthesisLayers(config), config.leakySlope));
        torch::NoGradGuard noGrad;
        std::vector<float> basis = blockTransformBasis(m);
        const int blockValues = 3 * kLatentStride * kLatentStride;
        torch::Tensor b = torch::from_blob(basis.data(), {m, blockValues}, torch::kFloat32).clone();
        la->conv(0)->weight.copy_(b.view({m, blockValues, 1, 1}));
        ls->conv(0)->weight.copy_(b.t().contiguous().view({blockValues, m, 1, 1}));
        // The networks start as zero corrections to the block transform (zero-initialised last layers, as in
        // ReZero/Fixup residual branches: their gradients are non-zero, so they start learning at once). A 0.05x
        // scaling instead left the untrained decoder adding noise on the block coefficients' scale (22 dB).
        for (ConvStack* stack : {&ga, &gs}) (*stack)->conv((*stack)->specs().size() - 1)->weight.zero_();
        // Orthonormal coefficients: a quantizer step of 1/2..1/32 (t units) covers low to high rates.
        base = std::log(2.0);
        span = std::log(16.0);
        // Block coefficients are ~10x larger than the networks' first latents: start the hyper analysis small so
        // z and the predicted scales start in range (a first run without this went NaN within 25 steps).
        if (hasHyperprior(config.family)) ha->conv(0)->weight.mul_(0.05);
    }
    const double step = span / double(k - 1);
    gainBase_ = register_parameter("gain_base", torch::full({m}, base));
    gainSteps_ = register_parameter("gain_steps", torch::full({k - 1, m}, std::log(std::expm1(step))));
}

torch::Tensor LearnedNetImpl::gainAnchors() {
    torch::Tensor steps = F::softplus(gainSteps_);
    return torch::cat({gainBase_.unsqueeze(0), gainBase_.unsqueeze(0) + torch::cumsum(steps, 0)}, 0);
}

torch::Tensor LearnedNetImpl::logGains(const torch::Tensor& rate) {
    const int k = config_.gainAnchors;
    torch::Tensor anchors = gainAnchors();
    torch::Tensor p = rate.clamp(0.0, 1.0) * double(k - 1);
    torch::Tensor i = p.floor().clamp(0, k - 2).to(torch::kLong);
    torch::Tensor f = (p - i.to(p.scalar_type())).unsqueeze(1);
    return anchors.index_select(0, i) * (1.0 - f) + anchors.index_select(0, i + 1) * f;
}

ForwardResult LearnedNetImpl::forward(const torch::Tensor& x, const torch::Tensor& rate, bool training) {
    ForwardResult r;
    torch::Tensor y = ga->forward(x);
    if (config_.linearPath) y = y + la->forward(F::pixel_unshuffle(x, kLatentStride));
    torch::Tensor g = torch::exp(logGains(rate)).unsqueeze(2).unsqueeze(3);
    torch::Tensor v = y * g;
    torch::Tensor vHat = v + (torch::round(v) - v).detach();
    torch::Tensor vNoisy = training ? v + (torch::rand_like(v) - 0.5) : torch::round(v);
    r.yHat = vHat / g;
    r.xHat = gs->forward(r.yHat);
    if (config_.linearPath) r.xHat = r.xHat + ls->forward(r.yHat);
    torch::Tensor bits;
    if (hasHyperprior(config_.family)) {
        torch::Tensor z = ha->forward(torch::abs(v));
        torch::Tensor zNoisy = training ? z + (torch::rand_like(z) - 0.5) : torch::round(z);
        torch::Tensor zHat = z + (torch::round(z) - z).detach();
        torch::Tensor zLik = prior->likelihood(zNoisy, torch::full({1}, 0.5, z.options()).view({1, 1, 1, 1}));
        // The coder's scale table spans [0.11, 256] (gaussian_conditional.h): clamping the log-scale here keeps
        // the estimate honest and exp() finite while the hyper networks are still untrained.
        torch::Tensor sigma = torch::exp(hs->forward(zHat).clamp(std::log(0.11), std::log(256.0)));
        torch::Tensor a = torch::abs(vNoisy);
        torch::Tensor yLik = standardCdf((0.5 - a) / sigma) - standardCdf((-0.5 - a) / sigma);
        bits = -torch::log2(yLik.clamp_min(1e-9)).sum({1, 2, 3}) - torch::log2(zLik.clamp_min(1e-9)).sum({1, 2, 3});
    } else {
        torch::Tensor yLik = prior->likelihood(vNoisy / g, 0.5 / g);
        bits = -torch::log2(yLik.clamp_min(1e-9)).sum({1, 2, 3});
    }
    r.bits = bits;
    return r;
}

std::vector<torch::Tensor> LearnedNetImpl::synthesisParameters() {
    std::vector<torch::Tensor> p = gs->parameters();
    if (config_.linearPath)
        for (const torch::Tensor& t : ls->parameters()) p.push_back(t);
    return p;
}

WeightFile LearnedNetImpl::exportModel(const std::map<std::string, std::string>& metadata) {
    torch::NoGradGuard noGrad;
    WeightFile file;
    file.metadata = config_.toText();
    for (const auto& [k, v] : metadata) file.metadata[k] = v;
    file.metadata["kind"] = "model";
    auto addStack = [&](ConvStack& stack) {
        for (std::size_t i = 0; i < stack->specs().size(); ++i) {
            const std::string& name = stack->specs()[i].name;
            file.tensors[name + ".weight"] = toWeight(stack->conv(i)->weight);
            file.tensors[name + ".bias"] = toWeight(stack->conv(i)->bias);
        }
    };
    addStack(ga);
    addStack(gs);
    if (config_.linearPath) {
        addStack(la);
        addStack(ls);
    }
    file.tensors[kGainTensor] = toWeight(gainAnchors());
    std::vector<float> logits, range;
    const int samples = 8193;
    prior->exportSampled(samples, logits, range);
    WeightTensor l, rg;
    l.shape = {prior->channels(), samples};
    l.data = std::move(logits);
    rg.shape = {prior->channels(), 2};
    rg.data = std::move(range);
    if (hasHyperprior(config_.family)) {
        addStack(ha);
        addStack(hs);
        file.tensors[kHyperPriorTensor] = std::move(l);
        file.tensors[kHyperPriorRange] = std::move(rg);
    } else {
        file.tensors[kLatentPriorTensor] = std::move(l);
        file.tensors[kLatentPriorRange] = std::move(rg);
    }
    return file;
}

Status LearnedNetImpl::importModel(const WeightFile& file) {
    torch::NoGradGuard noGrad;
    auto loadStack = [&](ConvStack& stack) -> Status {
        for (std::size_t i = 0; i < stack->specs().size(); ++i) {
            const LayerSpec& s = stack->specs()[i];
            auto w = file.require(s.name + ".weight", {s.out, s.in, s.kernel, s.kernel});
            if (!w) return w.error();
            auto b = file.require(s.name + ".bias", {s.out});
            if (!b) return b.error();
            stack->conv(i)->weight.copy_(fromWeight(**w));
            stack->conv(i)->bias.copy_(fromWeight(**b));
        }
        return {};
    };
    if (auto s = loadStack(ga); !s) return s;
    if (auto s = loadStack(gs); !s) return s;
    if (config_.linearPath) {
        if (auto s = loadStack(la); !s) return s;
        if (auto s = loadStack(ls); !s) return s;
    }
    if (hasHyperprior(config_.family)) {
        if (auto s = loadStack(ha); !s) return s;
        if (auto s = loadStack(hs); !s) return s;
    }
    auto anchors = file.require(kGainTensor, {config_.gainAnchors, config_.latentChannels});
    if (!anchors) return anchors.error();
    torch::Tensor a = fromWeight(**anchors);
    gainBase_.copy_(a[0]);
    torch::Tensor d = (a.slice(0, 1) - a.slice(0, 0, -1)).clamp_min(1e-6);
    gainSteps_.copy_(torch::log(torch::expm1(d)));
    return {};
}

DiscriminatorImpl::DiscriminatorImpl(int latentChannels) {
    project_ = register_module("project", torch::nn::Conv2d(torch::nn::Conv2dOptions(latentChannels, 12, 1)));
    c1_ = register_module("c1", torch::nn::Conv2d(torch::nn::Conv2dOptions(15, 32, 4).stride(2).padding(1)));
    c2_ = register_module("c2", torch::nn::Conv2d(torch::nn::Conv2dOptions(32, 64, 4).stride(2).padding(1)));
    c3_ = register_module("c3", torch::nn::Conv2d(torch::nn::Conv2dOptions(64, 64, 3).padding(1)));
    c4_ = register_module("c4", torch::nn::Conv2d(torch::nn::Conv2dOptions(64, 1, 3).padding(1)));
}

torch::Tensor DiscriminatorImpl::forward(const torch::Tensor& image, const torch::Tensor& latent) {
    auto lrelu = [](const torch::Tensor& t) { return F::leaky_relu(t, F::LeakyReLUFuncOptions().negative_slope(0.2)); };
    torch::Tensor cond = lrelu(project_->forward(latent));
    cond = F::interpolate(
        cond,
        F::InterpolateFuncOptions().size(std::vector<int64_t>{image.size(2), image.size(3)}).mode(torch::kNearest));
    torch::Tensor h = torch::cat({image, cond}, 1);
    h = lrelu(c1_->forward(h));
    h = lrelu(c2_->forward(h));
    h = lrelu(c3_->forward(h));
    return c4_->forward(h);
}

WeightTensor weightFromTensor(const torch::Tensor& t) {
    torch::Tensor c = t.detach().to(torch::kCPU, torch::kFloat32).contiguous();
    WeightTensor w;
    for (auto d : c.sizes()) w.shape.push_back(d);
    w.data.assign(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
    return w;
}

torch::Tensor tensorFromWeight(const WeightTensor& w) {
    std::vector<int64_t> shape(w.shape.begin(), w.shape.end());
    return torch::from_blob(const_cast<float*>(w.data.data()), shape, torch::kFloat32).clone();
}

std::vector<std::pair<std::string, torch::Tensor>> namedTensors(torch::nn::Module& module) {
    std::vector<std::pair<std::string, torch::Tensor>> out;
    for (const auto& item : module.named_parameters(true)) out.emplace_back(item.key(), item.value());
    return out;
}

torch::Tensor maskedSsim(const torch::Tensor& a, const torch::Tensor& b, const torch::Tensor& mask) {
    constexpr int kSize = 11;
    constexpr double kSigma = 1.5, kC1 = 0.01 * 0.01, kC2 = 0.03 * 0.03;
    torch::Tensor g = torch::arange(kSize, a.options()) - double(kSize / 2);
    g = torch::exp(-g * g / (2 * kSigma * kSigma));
    g = g / g.sum();
    const torch::Tensor window = (g.unsqueeze(1) * g.unsqueeze(0)).expand({3, 1, kSize, kSize}).contiguous();
    auto blur = [&](const torch::Tensor& t) { return torch::conv2d(t, window, {}, 1, kSize / 2, 1, /*groups=*/3); };
    // Window statistics over covered texels only (weights mask x Gaussian, renormalised), so a chart's edge
    // texels are not compared through the gutter beside them; a covered texel has itself in its window.
    const torch::Tensor m = mask.expand_as(a).contiguous();
    const torch::Tensor norm = blur(m).clamp_min(1e-6);
    auto mean = [&](const torch::Tensor& t) { return blur(m * t) / norm; };
    const torch::Tensor ma = mean(a), mb = mean(b);
    const torch::Tensor va = mean(a * a) - ma * ma, vb = mean(b * b) - mb * mb, cov = mean(a * b) - ma * mb;
    const torch::Tensor ssim = ((2 * ma * mb + kC1) * (2 * cov + kC2)) / ((ma * ma + mb * mb + kC1) * (va + vb + kC2));
    return (ssim * m).sum({1, 2, 3}) / (m.sum({1, 2, 3}) + 1e-6);
}

}  // namespace lmc::learned
