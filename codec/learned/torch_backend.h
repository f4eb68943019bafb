// The LibTorch half of the learned codecs: the encoder's analysis on a LibTorch device (torch/torch_analysis.h)
// and training (trainer.h). It is built as a plugin, liblmc_torch.so (codec/learned/torch/), and loaded on first
// use, so a process that never trains and never runs an analysis on a LibTorch device - lmc codecs, lmc eval of any
// codec on a machine without CUDA, lmstudio there - never maps LibTorch and what Debian's build drags in (OpenCV,
// Qt 5: about 300 shared libraries and most of a second of start-up). Inference for encoding and decoding runs on
// our own kernels (inference_model.h) and needs no plugin.
//
// Lookup: install_paths.h torchBackendCandidates(); the first file that loads and reports this build's interface
// tag wins. The plugin and its caller come from the same build, so the interface is a C++ class; the tag guards
// against a plugin left over from another version.
//
// Threading: torchBackend() is thread-safe and loads at most once per process (a failure is remembered and reported
// again); the backend's functions are as thread-safe as the functions they stand for (torch_analysis.h, trainer.h).
// Errors: Unsupported naming every path tried (and why each failed) when no plugin loads.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "codec/codec.h"
#include "codec/learned/inference_model.h"
#include "codec/learned/trainer.h"

namespace lmc::learned {

struct TorchDevice {
    std::string id;     // "cpu", "cuda:0"
    std::string label;  // English, for the UI's device chooser
};

class TorchBackend {
public:
    virtual ~TorchBackend() = default;
    virtual std::string version() const = 0;  // LibTorch's
    virtual std::vector<TorchDevice> devices() const = 0;
    virtual Status analysis(const InferenceModel& model, const std::string& device, const nn::Tensor& input,
                            nn::Tensor& latent, const CancelToken* cancel, const std::function<void(double)>& progress,
                            int tileSize) const = 0;
    virtual Result<TrainSummary> train(const TrainOptions& options,
                                       const std::function<void(const TrainProgress&)>& progress) const = 0;
};

// Bumped whenever TorchBackend, TrainOptions, TrainProgress, TrainSummary or InferenceModel change layout.
inline constexpr int kTorchBackendInterface = 1;
// The plugin's entry point: returns its backend when `interfaceTag` matches the plugin's, else nullptr.
inline constexpr const char* kTorchBackendEntry = "lmcTorchBackend";
using TorchBackendEntry = const TorchBackend* (*)(const char* interfaceTag);
// The tag: kTorchBackendInterface and the project version.
std::string torchBackendInterfaceTag();

// The plugin, loaded on first call.
Result<const TorchBackend*> torchBackend();
// The path the plugin was loaded from ("" before a successful torchBackend()).
std::string loadedTorchBackendPath();

// True for device ids the plugin runs ("cuda..." and "torch:cpu"); "" and "cpu" mean our CPU kernels.
bool isTorchAnalysisDevice(const std::string& device);

// "cpu" (our kernels) first, then every CUDA GPU. When the LibTorch this was built against has no CUDA (Debian's)
// the list is just "cpu" and nothing is loaded; otherwise the plugin is loaded to ask, and a plugin that does not
// load leaves the list at "cpu".
std::vector<TorchDevice> availableTorchDevices();

}  // namespace lmc::learned
