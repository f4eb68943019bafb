// liblmc_torch.so's entry point (torch_backend.h): the one exported symbol.
#include <torch/torch.h>

#include "codec/learned/torch/torch_analysis.h"
#include "codec/learned/torch/trainer.h"
#include "codec/learned/torch_backend.h"

namespace lmc::learned {
namespace {

class LibTorchBackend final : public TorchBackend {
public:
    std::string version() const override { return TORCH_VERSION; }

    std::vector<TorchDevice> devices() const override {
        std::vector<TorchDevice> out{
            {"torch:cpu", "LibTorch CPU (" + std::to_string(at::get_num_threads()) + " threads)"}};
        try {
            if (torch::cuda::is_available())
                for (std::size_t i = 0; i < torch::cuda::device_count(); ++i)
                    out.push_back({"cuda:" + std::to_string(i), "CUDA GPU " + std::to_string(i)});
        } catch (const std::exception&) {
            // A broken CUDA driver leaves the CPU devices; the analysis reports the error if asked for a GPU.
        }
        return out;
    }

    Status analysis(const InferenceModel& model, const std::string& device, const nn::Tensor& input, nn::Tensor& latent,
                    const CancelToken* cancel, const std::function<void(double)>& progress,
                    int tileSize) const override {
        return torchAnalysis(model, device, input, latent, cancel, progress, tileSize);
    }

    Result<TrainSummary> train(const TrainOptions& options,
                               const std::function<void(const TrainProgress&)>& progress) const override {
        return trainOnLibTorch(options, progress);
    }
};

}  // namespace
}  // namespace lmc::learned

extern "C" __attribute__((visibility("default"))) const lmc::learned::TorchBackend* lmcTorchBackend(
    const char* interfaceTag) {
    static const lmc::learned::LibTorchBackend backend;
    if (!interfaceTag || lmc::learned::torchBackendInterfaceTag() != interfaceTag) return nullptr;
    return &backend;
}
