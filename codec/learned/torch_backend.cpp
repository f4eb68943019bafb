#include "codec/learned/torch_backend.h"

#include <dlfcn.h>

#include <filesystem>
#include <mutex>
#include <system_error>
#include <thread>

#include "codec/install_paths.h"

#ifndef LMC_VERSION
#define LMC_VERSION "0"
#endif
#ifndef LMC_TORCH_HAS_CUDA
#define LMC_TORCH_HAS_CUDA 0
#endif

namespace lmc::learned {
namespace {

struct Loaded {
    const TorchBackend* backend = nullptr;
    std::string path;
    std::string failure;  // every candidate and why it did not load
};

Loaded load() {
    Loaded out;
    const std::string tag = torchBackendInterfaceTag();
    for (const std::string& path : torchBackendCandidates()) {
        std::error_code ec;
        if (!std::filesystem::is_regular_file(path, ec)) {
            out.failure += (out.failure.empty() ? " " : "; ") + path + ": not found";
            continue;
        }
        // RTLD_LOCAL: LibTorch's dependencies (OpenCV, Qt 5) stay out of the global symbol scope, where they could
        // bind to the Qt 6 the GUI already mapped. The handle is never closed: LibTorch does not unload cleanly.
        void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (!handle) {
            const char* why = dlerror();
            out.failure += (out.failure.empty() ? " " : "; ") + path + ": " + (why ? why : "dlopen failed");
            continue;
        }
        auto entry = reinterpret_cast<TorchBackendEntry>(dlsym(handle, kTorchBackendEntry));
        const TorchBackend* backend = entry ? entry(tag.c_str()) : nullptr;
        if (!backend) {
            out.failure += (out.failure.empty() ? " " : "; ") + path +
                           (entry ? ": built for another version of lmc" : ": not an lmc plugin");
            continue;
        }
        out.backend = backend;
        out.path = path;
        out.failure.clear();
        return out;
    }
    return out;
}

const Loaded& loaded() {
    static const Loaded once = load();
    return once;
}

}  // namespace

std::string torchBackendInterfaceTag() {
    return "lmc-torch/" + std::to_string(kTorchBackendInterface) + "/" LMC_VERSION;
}

Result<const TorchBackend*> torchBackend() {
    const Loaded& l = loaded();
    if (!l.backend)
        return makeError(ErrorCode::Unsupported,
                         "LibTorch support (liblmc_torch.so, for training and GPU analysis) is not available; "
                         "tried:" +
                             l.failure);
    return l.backend;
}

std::string loadedTorchBackendPath() {
    return loaded().path;
}

bool isTorchAnalysisDevice(const std::string& device) {
    return device == "torch:cpu" || device.rfind("cuda", 0) == 0;
}

std::vector<TorchDevice> availableTorchDevices() {
    const unsigned threads = std::max(1u, std::thread::hardware_concurrency());
    std::vector<TorchDevice> devices{{"cpu", "CPU (" + std::to_string(threads) + " threads)"}};
    if (!LMC_TORCH_HAS_CUDA) return devices;
    auto backend = torchBackend();
    if (!backend) return devices;
    for (TorchDevice& d : (*backend)->devices())
        if (d.id.rfind("cuda", 0) == 0) devices.push_back(std::move(d));
    return devices;
}

Result<TrainSummary> train(const TrainOptions& options, const std::function<void(const TrainProgress&)>& progress) {
    auto backend = torchBackend();
    if (!backend) return backend.error();
    return (*backend)->train(options, progress);
}

}  // namespace lmc::learned
