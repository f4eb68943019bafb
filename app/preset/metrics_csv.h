// Metrics CSV rows shared by `lmc apply --metrics` and lmstudio's export, so both write the columns `lmc eval`
// promises (file,codec,params,bytes,bpp,mpsnr,logpsnr,pu21psnr,ssim,encode_ms,decode_ms, then rmse,
// max_abs_error,width,height,covered_fraction) followed by `output`, the file that was written.
//
// Fields with commas, quotes or line breaks are quoted (RFC 4180); metrics that were not computed are empty;
// infinities print as inf/-inf. Threading: pure functions. Errors: none.
#pragma once

#include <string>

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
    std::string output;
};

std::string metricsCsvHeader();                       // with a trailing newline
std::string metricsCsvRow(const MetricsCsvRow& row);  // with a trailing newline
std::string csvField(const std::string& text);

}  // namespace lmc::preset
