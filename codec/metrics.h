// Image-quality metrics for HDR lightmaps: RMSE, log-PSNR, mPSNR, PU21-PSNR, PU21-SSIM, and per-texel error maps.
//
// Every metric compares a reference (the original lightmap) with a test image (a decoded one) of the same size.
// Lightmaps are linear float RGB in arbitrary scene units: one real file peaks at 0.0018, another at 2788. So every
// metric except RMSE and maxAbsError first divides both images by the same factor taken from the reference (the
// exposure reference, below): scaling both images by any positive factor leaves log-PSNR, mPSNR, PU21-PSNR and
// PU21-SSIM unchanged (up to float rounding).
//
// Which texels count. A texel takes part when MetricsOptions::mask selects it in the reference's mask (the test
// image's mask is ignored) and all three reference channels are finite. The default, MaskMode::Visible, counts the
// covered texels and the one-texel ring around them that bilinear filtering shows (image.h); Covered counts the
// charts only, All every texel; without a mask every texel counts. The normalisation below always comes from the
// covered texels, whatever the mode: it describes the map, so the modes' numbers share one scale. Covered texels with a
// non-finite reference are skipped and counted in QualityMetrics::excludedReferenceTexels: there is no truth to compare
// with.
//
// Non-finite test values (NaN, +-Inf, e.g. from a broken decoder) count as maximal error in this defined way: each
// such channel is replaced by whichever of 0 and P lies farther from the reference channel value a, where P is the
// reference's linear peak (largest finite covered reference channel value, at least 0): it becomes P when a < P/2,
// otherwise 0. Every metric then sees a finite value that is off by at least P/2, the worst value within the
// reference's own range, and no result is NaN. Such channels are counted in QualityMetrics::nonFiniteTestValues.
//
// Negative values (small negatives occur in real bakes) are used as they are by RMSE, maxAbsError and the Absolute
// and Relative maps, and are clamped to 0 before the log, gamma and PU21 mappings, which are undefined below 0.
//
// Exposure reference E (MetricsNormalization::exposureReference): the median of the positive luminances
// Y = 0.2126 R + 0.7152 G + 0.0722 B (channels clamped to >= 0) of the reference's counted texels. The median is
// the "typical lit surface" of the lightmap; positive texels only, because a mostly empty atlas (91% zero texels in
// one real file) would otherwise give a median of 0 (FLIP's known failure on dark images). Percentiles here are
// exact order statistics without interpolation: the p-th percentile of n ascending values v[0..n-1] is
// v[floor(p (n - 1))]. Fallback: when no counted texel has a positive luminance, E = 1 (the image is used in its own
// units) and MetricsNormalization::exposureFallback is set. x_n = max(x, 0) / E denotes a normalised channel value.
//
// PSNR values are capped at kPsnrCapDb (999 dB, as astcenc prints for identical images): identical images (zero
// MSE) give exactly kPsnrCapDb instead of +Inf, which CSV, JSON and charts cannot hold; the UI can show values
// >= kPsnrCapDb as "identical". Every PSNR below is 10 log10(peak^2 / MSE).
//
// Metrics (MSE is always the mean over counted texels and the three channels):
//
//  * RMSE = sqrt(MSE of a - b), in the image's own linear units (no normalisation). maxAbsError = max |a - b|.
//
//  * log-PSNR: PSNR of l(x) = log2(1 + x_n) per channel, peak = max(1, max l(reference) over counted channels).
//    The log makes an error of the same ratio weigh the same in shadows and highlights; the normalisation puts the
//    median surface at l = 1, where log2(1 + x) turns from linear (dark texels) to logarithmic (bright ones). The
//    floor of 1 only matters for the all-zero fallback.
//
//  * mPSNR, multi-exposure PSNR: J. Munkberg, P. Clarberg, J. Hasselgren, T. Akenine-Moller, "High dynamic range
//    texture compression for graphics hardware", ACM TOG 25(3) (SIGGRAPH 2006). Each exposure c of an integer
//    range [cmin, cmax] tone-maps a channel with T_c(x) = clamp(255 (2^c x_n)^(1/2.2), 0, 255);
//    MSE = mean over exposures, channels and texels of (T_c(a) - T_c(b))^2; mPSNR = 10 log10(255^2 / MSE).
//    Implementations differ on whether T is also quantised to integers (Piccante's mPSNR truncates to 8 bits;
//    astcenc's -mpsnr, Source/astcenccli_error_metrics.cpp, only clamps). We only clamp, as astcenc: the metric
//    stays continuous in the error, sub-LSB errors still count, and values are comparable with astcenc's output for
//    the same exposure range applied to the normalised image.
//    Exposure range, derived from the reference after normalisation, with Y_hi = 99.9th and Y_lo = 1st percentile of
//    the positive luminances divided by E:
//      cmin = floor(-log2(Y_hi)): the brightest stop at which the 99.9th percentile is not yet clipped to white
//             (the top 0.1% are treated as specular peaks / emissives that may clip);
//      cmax = ceil(log2(0.18 / Y_lo)): the first stop at which the 1st percentile reaches 18% grey (117/255 after
//             the 1/2.2 gamma), so the darkest 1% of lit texels is seen as a readable mid/low grey;
//      cmax = max(cmax, cmin); the span is then limited to kMPsnrMaxSpan (24) stops by lowering cmax, since errors
//      more than 24 stops below the highlights are invisible in any display of the lightmap and would otherwise
//      flood the average with near-black exposures. Fallback (no positive texel): cmin = cmax = 0.
//    The stops are relative to the normalised image: stop c here is stop c - log2(E) of the raw image.
//
//  * PU21-PSNR: R. K. Mantiuk, M. Azimi, "PU21: A novel perceptually uniform encoding for adapting existing quality
//    metrics for HDR", Picture Coding Symposium 2021 (reference code: github.com/gfxdisp/pu21, pu21_encoder.m,
//    pu21_metric.m). Encoding with the recommended 'banding_glare' parameters p1..p7 = 0.353487901, 0.3734658629,
//    8.277049286e-05, 0.9062562627, 0.09150303166, 0.9099517204, 596.3148142:
//      V(L) = max(p7 ((p1 + p2 L^p4) / (1 + p3 L^p4))^p5 - p6, 0),  L clamped to [0.005, 10000] cd/m^2
//    (V(0.005) = 0, V(100) = 256.4, V(10000) = 595.4). Lightmap values are not absolute luminance, so they are mapped
//    as L = kPu21ReferenceLuminance * x_n, i.e. the median lit surface shows at 50 cd/m^2. Why 50: PU21 is built so
//    that 100 cd/m^2, the peak of a standard SDR display, encodes to ~256 like 8-bit code values; a typical surface
//    on such a display sits about one stop below its peak white, and 50 cd/m^2 leaves 13.3 stops of shadow detail
//    above PU21's 0.005 cd/m^2 floor (lightmaps have deep shadows) and 7.6 stops of highlights below its
//    10000 cd/m^2 ceiling (emissive texels above that clip, as on any real display). Each RGB channel is encoded
//    separately, as pu21_metric's 'PSNR', and PU21-PSNR = PSNR with peak kPu21PsnrPeak = 256, the peak pu21_metric
//    passes to psnr().
//
//  * PU21-SSIM: SSIM of Z. Wang, A. C. Bovik, H. R. Sheikh, E. P. Simoncelli, "Image quality assessment: from error
//    visibility to structural similarity", IEEE TIP 13(4), 2004, on the PU21 encoding of the luminance
//    L = 50 Y(x_n) (pu21_metric runs SSIM on luminance too): 11x11 Gaussian window with sigma 1.5,
//    C1 = (0.01 * 256)^2, C2 = (0.03 * 256)^2 (dynamic range 256, as pu21_metric passes to ssim()),
//      SSIM = (2 mu_a mu_b + C1)(2 sigma_ab + C2) / ((mu_a^2 + mu_b^2 + C1)(sigma_a^2 + sigma_b^2 + C2))
//    with Gaussian-weighted means, (biased) variances and covariance. The window statistics only use counted texels:
//    weights are renormalised over the counted texels inside the window (normalised convolution), so gutters and
//    the image border (where the window is truncated) never leak into the statistics; without a mask and away
//    from the border this is exactly Wang's SSIM. The result is the mean of the SSIM map over counted texels.
//    Identical images give exactly 1.
//
// Speed: one pass over the texels (interpolated tables instead of pow/log per value, accurate to ~1e-6) plus a
// separable SSIM filter: about 0.13 s of CPU time for 1024x1024 on one core of the 2-core development machine
// (MetricsPerformance test). Strips of rows are split across threads; results do not depend on the number of threads
// (per-row partial sums are added in row order). Temporary memory: 4 bytes per texel (the luminances the
// percentiles are taken from) plus a few rows per thread.
//
// Threading: all functions are reentrant; concurrent calls are safe. Each call may start up to
// MetricsOptions::threads worker threads and joins them before returning.
// Errors: InvalidArgument for empty views, bad strides, size mismatches, regions outside the image, and when no
// texel is counted; Internal if memory runs out. Nothing throws.
#pragma once

#include <cstdint>
#include <vector>

#include "codec/image.h"
#include "codec/result.h"

namespace lmc {

constexpr double kPsnrCapDb = 999.0;
constexpr double kPu21ReferenceLuminance = 50.0;  // cd/m^2 the exposure reference is shown at
constexpr double kPu21MinLuminance = 0.005;
constexpr double kPu21MaxLuminance = 10000.0;
constexpr double kPu21PsnrPeak = 256.0;         // also SSIM's dynamic range L
constexpr int kMPsnrMaxSpan = 24;               // most stops mPSNR averages over is kMPsnrMaxSpan + 1 exposures
constexpr double kRelativeErrorEpsilon = 0.01;  // error-map epsilon, as a fraction of the exposure reference

// What the scale-free metrics derive from the reference before comparing.
struct MetricsNormalization {
    double exposureReference = 1.0;  // E, see above
    bool exposureFallback = false;   // no positive texel: E = 1
    double linearPeak = 0.0;         // P: largest finite counted reference channel value, at least 0
    double logPeak = 1.0;            // max(1, log2(1 + P / E))
    int mPsnrMinStop = 0;            // cmin, cmax: exposures mPSNR averages over, relative to x / E
    int mPsnrMaxStop = 0;
    std::int64_t positiveTexels = 0;  // counted texels with positive luminance (the percentiles' population)
};

// Computes the normalisation of a reference image (over its covered, finite texels; the mask mode does not enter).
// InvalidArgument for an empty view or when it has no such texel.
Result<MetricsNormalization> computeNormalization(const ImageView& reference);

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
    std::int64_t nonFiniteTestValues = 0;      // test channels (not texels) replaced as described above
    std::int64_t excludedReferenceTexels = 0;  // covered texels skipped because the reference is not finite
    bool exposureFallback = false;
};

// Which metrics to compute; RMSE and maxAbsError are always computed. Metrics left out are NaN in the result
// ("not computed"), so they cannot be mistaken for a measurement.
enum MetricFlags : unsigned {
    kMetricLogPsnr = 1u << 0,
    kMetricMPsnr = 1u << 1,
    kMetricPu21Psnr = 1u << 2,
    kMetricPu21Ssim = 1u << 3,
    kMetricAll = 0xFu,
};

struct MetricsOptions {
    // Worker threads; 0 = std::thread::hardware_concurrency() (at most 8). Images under 64K texels use one.
    int threads = 0;
    unsigned metrics = kMetricAll;
    // When set, used instead of computing the normalisation from the reference: region metrics and repeated
    // comparisons against the same reference keep one normalisation, so their numbers are comparable.
    const MetricsNormalization* normalization = nullptr;
    // The texels compared (see above).
    MaskMode mask = MaskMode::Visible;
};

// Computes the metrics; masked by reference.mask when present. Sizes must match (InvalidArgument otherwise).
Result<QualityMetrics> computeMetrics(const ImageView& reference, const ImageView& test,
                                      const MetricsOptions& options = {});

// Metrics over a sub-rectangle (region statistics in the UI). The normalisation and the visible ring come from the
// whole reference (or options.normalization), so region numbers use the same scale as the whole image's and a ring
// texel inside the region counts even when its chart lies outside; SSIM windows are
// truncated at the region's edge. InvalidArgument when the rectangle is empty or leaves the image, or covers no
// counted texel.
struct MetricsRegion {
    int x = 0, y = 0, width = 0, height = 0;
};
Result<QualityMetrics> computeRegionMetrics(const ImageView& reference, const ImageView& test,
                                            const MetricsRegion& region, const MetricsOptions& options = {});

// The PU21 'banding_glare' encoding V(L) above, exactly (L clamped to [0.005, 10000] cd/m^2).
double pu21Encode(double luminance);

// 10 log10(peak^2 / mse), kPsnrCapDb when mse <= 0 or the value would exceed it.
double psnrFromMse(double mse, double peak);

// Per-texel error maps, one value per texel, NaN where the texel is not counted (outside options.mask's texels or
// a non-finite reference).
// Non-finite test channels are replaced as described above. With a = reference, b = test channel values, the map
// value is the mean over the three channels of:
//   Absolute: |a - b| (image units);
//   Relative: |a - b| / (|a| + eps E), eps = kRelativeErrorEpsilon: 1% of the exposure reference keeps texels near
//             black from exploding while staying meaningful on a lightmap peaking at 0.0018 (an absolute epsilon
//             would not);
//   LogRatio: |log2((b_n + eps) / (a_n + eps))| with normalised a_n, b_n (so eps = 1% of E again): 1 = a factor 2;
//   SignedLogRatio: the same without the absolute value, log2((b_n + eps) / (a_n + eps)): positive where the test
//             is brighter than the reference (over), negative where darker (under), 0 where equal;
// and, per texel rather than per channel:
//   Pu21:     |V(50 Y(b_n)) - V(50 Y(a_n))|, the PU21 difference of luminance (as PU21-SSIM sees it); on PU21's
//             scale 1 unit is roughly one 8-bit code value on a 100 cd/m^2 display.
enum class ErrorMapKind { Absolute, Relative, LogRatio, Pu21, SignedLogRatio };
struct ErrorMap {
    int width = 0, height = 0;
    std::vector<float> values;  // one per texel, row-major; NaN where the texel is uncovered
};
Result<ErrorMap> computeErrorMap(const ImageView& reference, const ImageView& test, ErrorMapKind kind,
                                 const MetricsOptions& options = {});
// One texel of that map, computed exactly as computeErrorMap does (same tables, substitution and mask mode; NaN
// where the texel is not counted): the pixel inspector's numbers. Pass options.normalization when calling it per
// texel, or every call scans the reference. InvalidArgument for a texel outside the image or mismatched sizes.
Result<double> errorAt(const ImageView& reference, const ImageView& test, int x, int y, ErrorMapKind kind,
                       const MetricsOptions& options = {});

}  // namespace lmc
