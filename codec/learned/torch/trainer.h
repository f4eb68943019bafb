// The trainer's LibTorch implementation (the plugin's side of trainer.h's train(); torch_backend.h).
//
// Threading and errors: as trainer.h's train().
#pragma once

#include <functional>

#include "codec/learned/trainer.h"

namespace lmc::learned {

Result<TrainSummary> trainOnLibTorch(const TrainOptions& options,
                                     const std::function<void(const TrainProgress&)>& progress);

}  // namespace lmc::learned
