// solveRate(): finds the setting of a codec's rate parameter that meets a quality target on one map with the fewest
// bytes (mpsnr / pu21psnr / logpsnr = value: the metric must reach the value), or the best quality within a bitrate
// budget (bpp = value: bits per texel must not exceed it; quality ranked by mPSNR). The other parameters stay as
// the caller fixed them. Every probe goes through evaluate() (the one encode -> decode -> measure pipeline), so the
// numbers are the ones `lmc eval` and the app report for that setting.
//
// Search: the rate parameter becomes an ordered axis from fewest to most bits (Codec::rateParam, respecting
// higherIsMoreBits): Int and Enum parameters step through their values, Float parameters through 1000 positions
// (on a logarithmic scale when the range spans more than a factor of 20, as JPEG XL's distance does). The search
// brackets the target from a start (SolveOptions::startValue, else the fixed parameters' rate value), expanding
// with growing steps or a secant estimate, then narrows the bracket by interpolation on the measured values, with
// bisection whenever an interpolation step fails to halve it. It stops when the bracket cannot shrink, when a
// feasible point lies within the tolerance of the target, or after maxEvaluations probes. Codecs are not exactly
// monotonic in their rate knob: the answer is the best feasible point among all probes (fewest bytes; for bpp the
// highest mPSNR), never an infeasible one. When no probe is feasible the result is the best effort (highest
// quality; for bpp the fewest bytes) with `reached` false.
//
// Cost: the probes measure only the metric the search needs; the chosen point's metrics are then completed with
// SolveOptions::evaluate.metrics.metrics on its kept reconstruction (same normalisation, computed once per call).
// A CodecContext::cache is used across the probes (JPEG-HDR's planes, a learned codec's analysis); without one the
// call makes its own.
//
// Threading: reentrant; probes run one after another on the calling thread with context.threads workers.
// Progress: context.progress sees [0, 1] over the budget of probes (it may end early). Cancellation: polled by the
// codecs and between probes (Cancelled). Errors: InvalidArgument for a codec without a rate parameter, a
// non-finite or non-positive target, bad fixed parameters or an EvaluateOptions chain (gpuFormat); an encode,
// decode or metrics failure of a probe fails the search with that error.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "codec/codec.h"
#include "codec/evaluate.h"

namespace lmc {

enum class SolveMetric { MPsnr, Pu21Psnr, LogPsnr, Bpp };

struct SolveTarget {
    SolveMetric metric = SolveMetric::MPsnr;
    double value = 0;  // dB for the quality metrics, bits per texel for Bpp
};

// "mpsnr", "pu21psnr", "logpsnr", "bpp": the CLI, preset and CSV spelling.
const char* solveMetricName(SolveMetric metric);
bool parseSolveMetric(const std::string& text, SolveMetric& out);
// "mpsnr=45" -> {MPsnr, 45}; InvalidArgument naming the allowed forms otherwise (the value must be finite and > 0).
Result<SolveTarget> parseSolveTarget(const std::string& text);
// "mpsnr=45", the form parseSolveTarget reads.
std::string formatSolveTarget(const SolveTarget& target);
// The target's metric in an evaluation's measurements (bpp: its bitrate); NaN when it was not measured.
double solveMetricValue(SolveMetric metric, const Evaluation& evaluation);

struct SolveOptions {
    // Mask mode, metric threads and the metrics to report for the chosen point. decode and measure are forced on;
    // a gpuFormat (chain) is refused.
    EvaluateOptions evaluate;
    int maxEvaluations = 14;
    // Stop once a feasible probe is this close: quality targets within `qualityToleranceDb` dB above the target,
    // bpp budgets within `bppTolerance` (relative) below the budget.
    double qualityToleranceDb = 0.3;
    double bppTolerance = 0.03;
    // Rate value to probe first (e.g. the previous map's answer in a batch); else the fixed parameters' value.
    std::optional<double> startValue;
};

struct SolveProbe {
    double rateValue = 0;
    std::uint64_t bytes = 0;
    double bitsPerTexel = 0;
    double value = 0;    // the searched metric (bpp for Bpp targets)
    double quality = 0;  // the ranking quality: the target metric, mPSNR for Bpp targets
    bool feasible = false;
};

struct SolveResult {
    ParamSet params;        // the fixed parameters with the chosen rate value
    Evaluation evaluation;  // of `params`, metrics completed as SolveOptions asked
    std::string rateParam;  // the rate parameter's id
    double rateValue = 0;
    double achieved = 0;             // the target metric at `params` (bpp for Bpp targets)
    bool reached = false;            // false: no probe met the target; `params` is the best effort
    int evaluations = 0;             // probes made (each an encode, decode and measure)
    std::vector<SolveProbe> probes;  // in the order they were made
};

Result<SolveResult> solveRate(const Codec& codec, const ImageView& source, const ParamSet& fixed,
                              const SolveTarget& target, const CodecContext& context, const SolveOptions& options = {});

}  // namespace lmc
