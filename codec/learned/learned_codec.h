// The learned codecs: "ae" (factorized prior), "vae" (scale hyperprior) and "gan" (the hyperprior codec with a
// decoder trained adversarially), one Codec class over InferenceModel.
//
// HDR input transform: each image gets an exposure scale s = min(median, 16 x 1st percentile) of the luminance of
// its covered texels with positive luminance, raised to 1/4096 of their 99.9th percentile when that sits more than
// 12 stops lower (1 when there is no such texel), stored in the stream; the networks see
// t = (log2(1 + x/s) - 1) / 2 per channel: logarithmic (relative errors) from 16x the darkest lit texels up, linear
// below, and a peak 4096x above s at t = 5.5. Why not the median alone (the first models): in dark maps a third of
// the lit texels sit 8 stops below the median, in the linear part of the curve, where a small error in t is larger
// than the texel itself; exposure-averaged metrics (mPSNR) and a brightened view show those as noise.
// Decoding inverts the transform with a deterministic exp2 and clamps at 0. Negative input is clamped to 0 and
// NaN/Inf are sanitized first
// (sanitizeNonFinite).
//
// Exact black: lightmap atlases hold many texels that are exactly 0 (unused atlas space, black gutters, texels no
// light reaches), next to lit ones. A network spends many bits on such edges and still rings around them, so the
// stream carries a lossless map of the exactly-black texels (binary, rANS-coded with a 3-neighbour context whose
// counts are in the stream) and the decoder writes exact zeros there. Those texels, uncovered ones (mask 0) and the
// padding to multiples of 64 are filled by pull-push averaging of the others before the analysis, so the networks
// only see smooth signal (decoded uncovered texels hold that fill, not the original).
//
// Rate: parameter `rate` in [0, 1] (the prominent slider). Up to kRefinementStartRate it selects the networks'
// per-channel gains (model_spec.h); above, the networks stay put and the refinement layer (refinement.h) codes the
// log-domain residual with a finer and finer step, up to near-lossless (mapping below). Monotone by construction
// of the gains and the steps; tested on real lightmaps.
//
// Precision: parameter `precision` (fp32 | int8, default fp32). int8 runs the decoder side (hyper synthesis, which
// decides the entropy tables, so the encoder runs it too, and synthesis) in the quantised integer kernels
// (inference_model.h, codec/nn/qconv.h) from the model's INT8 calibration; an int8 stream says so in its header and
// decodes only with that calibration. fp32 streams have no precision field, as before the parameter existed.
//
// Zero channels: a channel that is 0 in every texel (a red-only V-Ray bake) is flagged and decoded as exact zeros.
//
// Stream: our .lmc container (codec id, width, height, "rate=..."), payload (version 3; version 2 streams, the same
// fields with the refinement layer's earlier reconstruction (RefinementFormat in refinement.h), and version 1
// streams, which had no zero-channel flags and no refinement and spread the gains over the whole rate range, still
// decode as they did):
//   u8 payload version (3), u8 family (0 ae, 1 vae, 2 gan), u32 model fingerprint (the weight file's CRC: a
//   stream decodes only with the weights that made it), f32 rate, f32 exposure scale s, u8 flags (bit 0: a black
//   map follows; bits 1-3: channels R, G, B are exact zeros; bit 4: a refinement layer follows; bit 5: a precision
//   field follows), [precision field: u8 precision (1 = int8; streams without the field decode as fp32), u32 CRC of
//   the INT8 calibration (inference_model.h)],
//   [16 x u32: counts of 0 and 1 per context of the black map], [refinement: f32 step, f32 epsilon, u32 length of
//   the base stream], then one rANS stream (entropy/rans.h) holding the black map (raster order, context = left +
//   2 top + 4 top-left), then, for vae/gan, the hyper-latent (factorized tables, per channel) followed by the
//   latent (Gaussian conditional, table chosen by the integer scale code from the hyper synthesis); for ae the
//   latent with per-channel tables for the stream's gains. Latent grids are ceil(W/64)*4 x ceil(H/64)*4 (x 1/4
//   for z). Then, with bit 4, the refinement layer's stripes (refinement.h) up to the end of the payload.
//
// Fast slider path, with a CodecCache in the context (codec_cache.h): the analysis of the source is kept (checked
// against the model and the device), so a new `rate` only re-applies gains, re-runs the hyper networks and
// re-codes; above kRefinementStartRate the networks' reconstruction is kept too (shared with the decoder, compared
// with the stream exactly), so a new `rate` only re-codes the refinement layer.
//
// Models: the built-in registry's codecs load <id>.lmcw on first use from models/ in the installed data directory
// // or the source tree's resources/ (install_paths.h; LMC_MODEL_DIR overrides the folder; see modelSearchPaths).
// Missing or damaged weights give an IoError / CorruptData error naming the file, at encode/decode time; the codec
// still lists and describes itself.
//
// Threading: encode/decode are const and thread-safe (the model is immutable, kept work is the caller's);
// inference uses context.resolvedThreads() threads in our deterministic kernels, so a stream decodes to identical
// texels with any thread count and on any x86-64 CPU. Devices: the encoder's analysis runs on the
// context's device (setDevice below, a learned-codec option the neutral CodecContext carries without knowing it)
// when that is a LibTorch device ("cuda:N", or "torch:cpu"), and on the first CUDA GPU when the device is left
// empty and one exists (torch_analysis.h: the stream still decodes identically everywhere);
// "cpu" and everything the decoder does run on our CPU kernels. Errors: Result/Status; damaged streams give
// CorruptData.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "codec/codec.h"
#include "codec/learned/inference_model.h"

namespace lmc::learned {

// The rate mapping (payload versions 2 and 3): `rate` up to kRefinementStartRate moves the networks' gains over
// [0, kNetworkRateAtRefinement] of their range (model_spec.h); above it the networks stay there and the refinement
// layer (refinement.h) codes the residual with a step falling geometrically from kCoarsestRefinementStep to
// kFinestRefinementStep (log2 units) at rate 1. Measured on the held-out lightmaps before choosing: the residual
// buys 5-20 dB where the networks' own upper range bought about 1 dB.
constexpr double kRefinementStartRate = 0.2;
constexpr double kNetworkRateAtRefinement = 0.25;
constexpr double kCoarsestRefinementStep = 2.0;
constexpr double kFinestRefinementStep = 0.01;
// The gains position (model_spec.h) of a `rate`.
double networkRate(float rate);
// The refinement step of a `rate`; 0 = no refinement layer.
float refinementStep(float rate);

// Where the built-in codecs look for "<familyId>.lmcw", in order.
std::vector<std::string> modelSearchPaths(Family family);
// The default model of a family (loaded once, then shared). Not cached on failure.
Result<std::shared_ptr<const InferenceModel>> defaultModel(Family family);

// Where the learned codecs' encoder analysis runs for calls with this context: "cpu" (our kernels), "torch:cpu",
// "cuda:N" (availableTorchDevices()); "" (the default) = the fastest available. Stored in context.extensions, so it
// travels through evaluate(), encodeImage() and every pipeline that copies the context; other codecs never see it.
// Streams decode to identical texels whichever device encoded them.
void setDevice(CodecContext& context, std::string device);
// The device set on `context` ("" when none was).
std::string deviceOf(const CodecContext& context);

// The exposure scale used by the input transform (see above).
float exposureScale(const ImageView& image);

// What the analysis sees: the image transformed, uncovered and black texels filled, padded to kPadMultiple.
struct PreparedInput {
    float scale = 1.0f;
    nn::Tensor input;                   // padded H x W x 3, transformed domain
    std::vector<std::uint8_t> covered;  // padded H x W, 1 = a covered, not black texel (what the loss counts)
    std::vector<std::uint8_t> black;    // W x H (unpadded), 1 = every channel <= 0 (coded losslessly)
    bool anyBlack = false;
};
PreparedInput prepareInput(const ImageView& image);

class LearnedCodec : public Codec {
public:
    // With a null model the codec loads defaultModel(family) on first use.
    explicit LearnedCodec(Family family, std::shared_ptr<const InferenceModel> model = nullptr);

    std::string id() const override { return familyId(family_); }
    std::string name() const override;
    std::string description() const override;
    ParamSchema schema() const override;
    CodecTraits traits(const ParamSet&) const override;

    Result<Bytes> encode(const ImageView& image, const ParamSet& params, const CodecContext& context) const override;
    // encode() plus the entropy model's estimate of the coded symbols' bits (the stream is that plus the rANS
    // flush, the payload header and the container header), for the benchmark's size check.
    struct Detailed {
        Bytes bytes;
        double estimatedBits = 0;
    };
    Result<Detailed> encodeDetailed(const ImageView& image, const ParamSet& params, const CodecContext& context) const;
    Result<Image> decode(const std::uint8_t* data, std::size_t size, const CodecContext& context) const override;
    using Codec::decode;

    // The model this codec uses (loading it if needed).
    Result<std::shared_ptr<const InferenceModel>> model() const;
    // CodecCache slots (after the codec id): the analysis of the source, the coded base stream at the last gains,
    // the networks' reconstruction of the last base stream (see baseReconstruction).
    static constexpr const char* kAnalysisSlot = ".analysis";
    static constexpr const char* kCodedBaseSlot = ".codedBase";
    static constexpr const char* kBaseSlot = ".base";

private:
    struct Analysis;
    Result<std::shared_ptr<const Analysis>> analyse(const InferenceModel& model, const ImageView& image,
                                                    const CodecContext& context) const;
    // The networks' reconstruction of a base stream (what refinement starts from), shared by the encoder and the
    // decoder through a CodecCache slot keyed by everything it depends on, compared exactly (not hashed): above
    // kRefinementStartRate the base stream does not change with `rate`, so neither side re-runs the entropy
    // decoding or the synthesis. `source` fills the latents and the black map on a miss.
    struct BaseKey;
    struct BaseReconstruction;
    using LatentSource = std::function<Status(std::vector<std::int32_t>& values, std::vector<std::uint8_t>& black)>;
    Result<std::shared_ptr<const BaseReconstruction>> baseReconstruction(const InferenceModel& model, BaseKey key,
                                                                         int latentHeight, int latentWidth,
                                                                         const LatentSource& source,
                                                                         const CodecContext& context,
                                                                         double progressFrom, double progressTo) const;
    // The same without the cache: a miss, owned by the caller (a decoder without a cache takes its image, no copy).
    Result<std::shared_ptr<BaseReconstruction>> buildBase(const InferenceModel& model, BaseKey key, int latentHeight,
                                                          int latentWidth, const LatentSource& source,
                                                          const CodecContext& context, double progressFrom,
                                                          double progressTo) const;
    // The base stream (black map + latents) of the cached analysis at these gains; one CodecCache slot, so slider moves
    // above kRefinementStartRate re-code only the refinement layer.
    struct CodedBase;
    Result<std::shared_ptr<const CodedBase>> codeBase(const InferenceModel& model,
                                                      const std::shared_ptr<const Analysis>& analysis,
                                                      const std::vector<double>& gains, const CodecContext& context,
                                                      double progressEnd, Precision precision) const;

    Family family_;
    std::shared_ptr<const InferenceModel> fixedModel_;
};

}  // namespace lmc::learned
