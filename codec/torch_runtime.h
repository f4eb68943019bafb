// Which LibTorch the codec library was built against and which devices it can run learned codecs on.
//
// Threading: the functions are safe to call from any thread; configureTorchThreads should run once at start-up,
// before any model is used. Errors: none (queries only).
#pragma once

#include <string>
#include <vector>

namespace lmc {

struct TorchDevice {
    std::string id;     // "cpu", "cuda:0"
    std::string label;  // English, for the UI's device chooser
};

std::string torchVersion();
std::vector<TorchDevice> availableTorchDevices();

// Sets LibTorch's intra-op thread count (0 = leave LibTorch's choice). With OpenMP on two cores spin-waiting made
// training 4x slower, so callers either pass 1 or keep OMP_WAIT_POLICY=PASSIVE in the environment.
void configureTorchThreads(int intraOpThreads);

}  // namespace lmc
