// Image-quality metrics for HDR lightmaps: RMSE, log-PSNR, mPSNR, PU21-PSNR, PU21-SSIM, and per-texel error maps.
// (Formulas, references and the exposure normalisation are documented below, next to each function.)
#pragma once

#include <vector>

#include "codec/image.h"
#include "codec/result.h"

namespace lmc {

struct QualityMetrics {
    double rmse = 0;
    double logPsnr = 0;
    double mPsnr = 0;
    double pu21Psnr = 0;
    double pu21Ssim = 0;
    double maxAbsError = 0;
    double exposureReference = 0;  // the normalisation reference the log/PU metrics used
    double mPsnrMinStop = 0;       // exposure range mPSNR averaged over
    double mPsnrMaxStop = 0;
    std::int64_t texelsCompared = 0;
};

// Computes every metric; masked by reference.mask when present. Sizes must match (InvalidArgument otherwise).
Result<QualityMetrics> computeMetrics(const ImageView& reference, const ImageView& test);

enum class ErrorMapKind { Absolute, Relative, LogRatio };
struct ErrorMap {
    int width = 0, height = 0;
    std::vector<float> values;  // one per texel; NaN where the texel is uncovered
};
Result<ErrorMap> computeErrorMap(const ImageView& reference, const ImageView& test, ErrorMapKind kind);

}  // namespace lmc
