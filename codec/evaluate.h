// evaluate(): the one measurement pipeline of the app and the CLI. It encodes through encodeImage (validated
// parameters, the visible texels as the codec's mask), decodes the bytes it got back with the same codec, and
// measures the reconstruction against the source with computeMetrics; each stage is timed with a steady clock.
// Live results, RD sweeps, exports, `lmc eval`, `lmc apply` and `lmc preset create --measure` all go through it,
// so a number means the same everywhere.
//
// Chains (EvaluateOptions::gpuFormat): what a game ships is often a storage codec followed at load time by a GPU
// block format. With a GpuFormat the reconstruction is transcoded (encodeImage of the decoded texels, with the
// source's coverage and CodecContext::transcoding set, then decoded) and measured against the source again:
// Evaluation::chain holds the final quality, the GPU memory bits and the load time (storage decode + transcode, on the
// context's threads). A storage codec that is itself a GPU format (CodecTraits::gpuBitsPerTexel > 0) is its own chain
// ("native": its metrics, its GPU bits; load time not measured, as the GPU reads its blocks).
//
// Interim results (EvaluateOptions::interim): a codec that hands interim streams to CodecContext::interim (per-map
// optimisation) has each decoded, measured (and transcoded, for a chain) like the final stream, and passed to the
// callback while it keeps encoding; encodeMs is then the time since the encode started. An interim stream that fails
// to decode or measure is skipped: the final result reports what went wrong.
//
// Progress: CodecContext::progress sees the encoder's progress on [0, 0.8] and the decoder's on [0.8, 1] (the
// encoder alone on [0, 1] when decode is off). Cancellation is polled by the codecs and between the stages.
// Threading: reentrant; the codec runs on the calling thread with context.threads workers, metrics with
// options.metrics.threads. EvaluateOptions::decoded runs on the calling thread too.
// Errors: the Result fails when encoding fails or the context is cancelled (Cancelled); a decoder or metrics
// failure is kept in the Evaluation (decodeError, metricsError) beside what was measured before it, because
// callers treat those differently (an export still writes its files when no texel could be measured; `lmc apply`
// has already written the stream).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

#include "codec/codec.h"
#include "codec/metrics.h"

namespace lmc {

// A GPU block format applied to a reconstruction at load time.
struct GpuFormat {
    const Codec* codec = nullptr;  // the registry's bc6h or astc
    ParamSet params;               // validated
    std::string name;              // as the user wrote it: "bc6h:normal", "astc:6x6"
};

// "bc6h[:fast|normal|high|max]" (full resolution, UF16, no supercompression; default normal) or
// "astc[:BLOCK]" (e.g. 6x6; medium preset; default 6x6). InvalidArgument for anything else.
Result<GpuFormat> parseGpuFormat(const CodecRegistry& registry, const std::string& text);

struct ChainEvaluation {
    std::string format;                     // GpuFormat::name, or "native"
    double vramBitsPerTexel = 0;            // bits per texel in GPU memory
    double transcodeMs = 0;                 // the GPU encoder on the decoded map (0 for native)
    double loadMs = -1;                     // storage decode + transcode; negative: not measured
    std::optional<QualityMetrics> metrics;  // the GPU texture's texels against the source
    std::optional<Error> error;             // transcoding or measuring failed
    // What the GPU samples (the storage reconstruction itself for native); null when transcoding failed.
    std::shared_ptr<const Image> reconstruction;
};

struct Evaluation {
    Bytes bytes;              // the whole stream, header included
    double bitsPerTexel = 0;  // bytes * 8 / source texels
    double encodeMs = 0;
    double decodeMs = -1;                         // negative: not decoded
    double metricsMs = -1;                        // negative: not measured
    std::shared_ptr<const Image> reconstruction;  // null when not decoded or decoding failed
    std::optional<Error> decodeError;
    std::optional<QualityMetrics> metrics;
    std::optional<Error> metricsError;
    std::optional<ChainEvaluation> chain;  // with EvaluateOptions::gpuFormat, once decoded and measured
};

struct EvaluateOptions {
    bool decode = true;      // false: encode only (bytes, bitrate, encode time)
    bool measure = true;     // false: decode but compute no metrics
    MetricsOptions metrics;  // the texels counted, the normalisation, which metrics, threads
    // Called once the reconstruction exists, before the metrics run: a UI shows the picture while it measures.
    std::function<void(const Evaluation&)> decoded;
    // Also transcode the reconstruction to this GPU format and measure the result (needs decode and measure).
    const GpuFormat* gpuFormat = nullptr;
    // Called on the calling thread with each interim stream's evaluation (see above; needs decode and measure).
    std::function<void(const Evaluation&)> interim;
};

Result<Evaluation> evaluate(const Codec& codec, const ImageView& source, const ParamSet& params,
                            const CodecContext& context, const EvaluateOptions& options = {});

// The first failure of an evaluation, if any: encoding or cancellation, then decoding (its message prefixed with
// "decoding failed: "), then the metrics.
std::optional<Error> firstFailure(const Result<Evaluation>& evaluation);

// Milliseconds since `start` on the steady clock: the one timer helper of the pipelines.
double millisecondsSince(std::chrono::steady_clock::time_point start);

}  // namespace lmc
