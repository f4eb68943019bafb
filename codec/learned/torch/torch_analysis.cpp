#include "codec/learned/torch/torch_analysis.h"

#include <torch/torch.h>

#include <algorithm>
#include <exception>

#include "codec/learned/model_spec.h"
#include "codec/learned/torch_backend.h"

namespace lmc::learned {
namespace {

struct TorchLayer {
    torch::Tensor weight, bias;
    int stride = 1, pad = 0, shuffle = 0;
    nn::Activation activation = nn::Activation::None;
    float slope = 0.01f;
};

std::vector<TorchLayer> upload(const std::vector<nn::ConvLayer>& layers, const std::vector<int>& shuffles,
                               const torch::Device& device) {
    std::vector<TorchLayer> out;
    for (std::size_t i = 0; i < layers.size(); ++i) {
        const nn::ConvLayer& l = layers[i];
        TorchLayer t;
        t.weight = torch::from_blob(const_cast<float*>(l.weight.data()),
                                    {l.outChannels, l.inChannels, l.kernel, l.kernel}, torch::kFloat32)
                       .to(device, /*non_blocking=*/false, /*copy=*/true);
        t.bias = l.bias.empty() ? torch::zeros({l.outChannels}, torch::kFloat32).to(device)
                                : torch::from_blob(const_cast<float*>(l.bias.data()), {l.outChannels}, torch::kFloat32)
                                      .to(device, false, true);
        t.stride = l.stride;
        t.pad = l.kernel / 2;
        t.shuffle = i < shuffles.size() ? shuffles[i] : 0;
        t.activation = l.activation;
        t.slope = l.leakySlope;
        out.push_back(std::move(t));
    }
    return out;
}

torch::Tensor run(const std::vector<TorchLayer>& layers, torch::Tensor x) {
    for (const TorchLayer& l : layers) {
        x = torch::conv2d(x, l.weight, l.bias, l.stride, l.pad);
        if (l.activation == nn::Activation::Relu) x = torch::relu(x);
        if (l.activation == nn::Activation::LeakyRelu) x = torch::leaky_relu(x, l.slope);
        if (l.shuffle > 1) x = torch::pixel_shuffle(x, l.shuffle);
    }
    return x;
}

}  // namespace

Status torchAnalysis(const InferenceModel& model, const std::string& device, const nn::Tensor& input,
                     nn::Tensor& latent, const CancelToken* cancel, const std::function<void(double)>& progress,
                     int tileSize) {
    if (!isTorchAnalysisDevice(device))
        return makeError(ErrorCode::InvalidArgument, "not a LibTorch device: " + device);
    const int h = input.h, w = input.w;
    if (input.c != 3 || h % kPadMultiple != 0 || w % kPadMultiple != 0 || h <= 0 || w <= 0)
        return makeError(ErrorCode::InvalidArgument, "analysis input must be padded to multiples of 64");
    try {
        if (device.rfind("cuda", 0) == 0 && !torch::cuda::is_available())
            return makeError(ErrorCode::InvalidArgument,
                             "device " + device + ": no CUDA GPU in this LibTorch build or machine");
        const torch::Device dev(device == "torch:cpu" ? std::string("cpu") : device);
        torch::NoGradGuard noGrad;
        const auto analysis = upload(model.analysisConvs(), model.analysisConvShuffles(), dev);
        const auto linear = upload(model.linearAnalysisConvs(), model.linearAnalysisConvShuffles(), dev);
        const int m = model.config().latentChannels;
        tileSize = std::max(kLatentStride, tileSize / kLatentStride * kLatentStride);
        const int margin = 32;  // >= the analysis receptive-field radius (23 texels), a multiple of 16
        latent = nn::Tensor(h / kLatentStride, w / kLatentStride, m);
        const int tilesY = (h + tileSize - 1) / tileSize, tilesX = (w + tileSize - 1) / tileSize;
        int done = 0;
        // The whole padded input as [1, 3, H, W] on the host; tiles are cut and uploaded one at a time.
        const torch::Tensor host = torch::from_blob(const_cast<float*>(input.data.data()), {h, w, 3}, torch::kFloat32)
                                       .permute({2, 0, 1})
                                       .unsqueeze(0);
        for (int ty = 0; ty < h; ty += tileSize)
            for (int tx = 0; tx < w; tx += tileSize) {
                if (cancel && cancel->isCancelled()) return cancelledError();
                const int y0 = std::max(0, ty - margin), y1 = std::min(h, ty + tileSize + margin);
                const int x0 = std::max(0, tx - margin), x1 = std::min(w, tx + tileSize + margin);
                torch::Tensor tile = host.slice(2, y0, y1).slice(3, x0, x1).contiguous().to(dev);
                torch::Tensor out = run(analysis, tile);
                if (!linear.empty()) out = out + run(linear, torch::pixel_unshuffle(tile, kLatentStride));
                out = out.squeeze(0).permute({1, 2, 0}).contiguous().to(torch::kCPU);
                if (out.size(2) != m) return makeError(ErrorCode::Internal, "torch analysis: channel count");
                const int ly0 = ty / kLatentStride, ly1 = std::min(h, ty + tileSize) / kLatentStride;
                const int lx0 = tx / kLatentStride, lx1 = std::min(w, tx + tileSize) / kLatentStride;
                const int oy = y0 / kLatentStride, ox = x0 / kLatentStride;
                const float* src = out.data_ptr<float>();
                const std::int64_t outW = out.size(1);
                for (int ly = ly0; ly < ly1; ++ly)
                    std::copy_n(src + ((std::int64_t(ly - oy) * outW) + (lx0 - ox)) * m, std::size_t(lx1 - lx0) * m,
                                latent.at(ly, lx0));
                ++done;
                if (progress) progress(double(done) / double(tilesY * tilesX));
            }
        return {};
    } catch (const std::exception& e) {
        return makeError(ErrorCode::Internal, std::string("LibTorch analysis on ") + device + ": " + e.what());
    }
}

}  // namespace lmc::learned
