// Metrics CSV rows shared by `lmc eval`, `lmc apply --metrics` and lmstudio's export, so all write the same
// columns: file,codec,params,bytes,bpp,mpsnr,logpsnr,pu21psnr,ssim,encode_ms,decode_ms (fixed by contract), then
// rmse,max_abs_error,width,height,covered_fraction,mask (the texels the metrics counted: visible, covered or all),
// vram_bpp (bits per texel in GPU memory for GPU block formats, empty for storage codecs), with a chain
// (`lmc eval --gpu-format`, evaluate.h) gpu_format,gpu_mpsnr,gpu_logpsnr,gpu_pu21psnr,load_ms (the texture the GPU
// samples after transcoding, and storage decode + transcode time; vram_bpp is then the GPU format's), and for apply
// and export `output`, the file that was written.
//
// Fields with commas, quotes or line breaks are quoted (RFC 4180); metrics that were not computed are empty;
// infinities print as inf/-inf. Threading: pure functions. Errors: none.
#pragma once

#include <string>

#include "codec/evaluate.h"
#include "codec/metrics.h"

namespace lmc::preset {

struct MetricsCsvRow {
    std::string file;    // the source as the user named it
    std::string codec;   // registry id
    std::string params;  // formatParamSet form
    std::uint64_t bytes = 0;
    double bpp = 0;
    const QualityMetrics* metrics = nullptr;  // null: metric columns left empty
    double encodeMs = 0;
    double decodeMs = 0;  // negative: not decoded, left empty
    int width = 0;
    int height = 0;
    double coveredFraction = 1;
    std::string mask = "visible";            // maskModeName of the metrics' MaskMode
    double vramBpp = 0;                      // CodecTraits::gpuBitsPerTexel; 0 = not a GPU format (left empty)
    const ChainEvaluation* chain = nullptr;  // the chain columns (null: left empty)
    std::string output;
};

// The row of one evaluate() result (file, codec, settings, bytes, bitrate, metrics, times, size, mask, GPU bits):
// `lmc eval` and `lmc apply` measure through the same pipeline and report through this one place. `evaluation`
// must outlive the row (its metrics are pointed to, not copied).
MetricsCsvRow measuredRow(const std::string& file, const Codec& codec, const ParamSet& params,
                          const Evaluation& evaluation, const ImageView& source, double coveredFraction, MaskMode mask);

// With a trailing newline; `withOutput` adds the `output` column (apply, export), which eval has no use for;
// `withChain` the chain columns.
std::string metricsCsvHeader(bool withOutput = true, bool withChain = false);
std::string metricsCsvRow(const MetricsCsvRow& row, bool withOutput = true, bool withChain = false);
std::string csvField(const std::string& text);

}  // namespace lmc::preset
