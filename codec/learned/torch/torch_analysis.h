// The learned codecs' analysis transform on a LibTorch device (a CUDA GPU when the LibTorch in use has one), for
// the encoder. Part of the LibTorch plugin (torch_backend.h): the codec reaches it through torchBackend().
//
// Why only the analysis: the encoder's analysis output is only ever quantised and written into the stream, so
// running it with another library's float kernels changes which latents are chosen, never whether the stream
// decodes. Everything the decoder reproduces - the hyper synthesis that picks the entropy tables and the synthesis
// that makes the texels - stays on our deterministic CPU kernels (inference_model.h), so a stream encoded on a GPU
// decodes to identical texels on every machine, with any thread count. Measured against our kernels on LibTorch's
// CPU backend: the latents agree to ~1e-5 (test_learned_codec.cpp).
//
// Devices: "cuda:N" (listed by availableTorchDevices() when present) and "torch:cpu" (LibTorch's CPU kernels:
// the same code path without a GPU, for tests and diagnostics; not offered in the UI). The image is processed in
// tiles with a 32-texel margin (the analysis receptive field is 23 texels), so device memory stays bounded.
//
// Threading: thread-safe (weights are uploaded per call and per device; calls may run concurrently).
// Errors: InvalidArgument for an unknown or absent device, Cancelled, Internal for a LibTorch exception (caught
// here; none crosses the library boundary).
#pragma once

#include <functional>
#include <string>

#include "codec/codec.h"
#include "codec/learned/inference_model.h"

namespace lmc::learned {

// As InferenceModel::analysis, on `device`.
Status torchAnalysis(const InferenceModel& model, const std::string& device, const nn::Tensor& input,
                     nn::Tensor& latent, const CancelToken* cancel, const std::function<void(double)>& progress = {},
                     int tileSize = 2048);

}  // namespace lmc::learned
