#include "codec/torch_runtime.h"

#include <torch/torch.h>

namespace lmc {

std::string torchVersion() { return TORCH_VERSION; }

std::vector<TorchDevice> availableTorchDevices() {
    std::vector<TorchDevice> devices{{"cpu", "CPU (" + std::to_string(at::get_num_threads()) + " threads)"}};
    if (torch::cuda::is_available()) {
        for (std::size_t i = 0; i < torch::cuda::device_count(); ++i)
            devices.push_back({"cuda:" + std::to_string(i), "CUDA GPU " + std::to_string(i)});
    }
    return devices;
}

void configureTorchThreads(int intraOpThreads) {
    if (intraOpThreads > 0) at::set_num_threads(intraOpThreads);
}

}  // namespace lmc
