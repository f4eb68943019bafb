// The rate search; contract in rate_solve.h.
#include "codec/rate_solve.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <map>
#include <utility>

namespace lmc {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr int kFloatPositions = 1000;
// A Float range wider than this factor is searched on a log scale (JPEG XL's distance: 0.05..15).
constexpr double kLogAxisRatio = 20.0;

// The rate parameter as positions 0..last, from fewest to most bits.
struct RateAxis {
    ParamSpec spec;
    int last = 0;
    bool logScale = false;

    explicit RateAxis(ParamSpec s) : spec(std::move(s)) {
        if (spec.type == ParamType::Float) {
            last = kFloatPositions;
            logScale = spec.minValue > 0 && spec.maxValue / spec.minValue > kLogAxisRatio;
        } else {
            last = std::max(0, int(std::lround(spec.maxValue - spec.minValue)));
        }
    }

    double value(int i) const {
        i = std::clamp(i, 0, last);
        const int fromMin = spec.higherIsMoreBits ? i : last - i;
        if (spec.type != ParamType::Float) return spec.minValue + fromMin;
        const double u = double(fromMin) / last;
        double v = logScale ? spec.minValue * std::pow(spec.maxValue / spec.minValue, u)
                            : spec.minValue + u * (spec.maxValue - spec.minValue);
        // A value that prints short in presets and CSVs: a grid of a hundredth of the slider step.
        if (spec.step > 0) {
            const double grid = spec.step / 100.0;
            v = std::round(v / grid) * grid;
        }
        return std::clamp(v, spec.minValue, spec.maxValue);
    }

    int index(double v) const {
        if (!std::isfinite(v)) return last / 2;
        v = std::clamp(v, spec.minValue, spec.maxValue);
        double u;
        if (spec.type != ParamType::Float)
            u = (v - spec.minValue) / std::max(1.0, double(last));
        else if (logScale)
            u = std::log(v / spec.minValue) / std::log(spec.maxValue / spec.minValue);
        else
            u = (v - spec.minValue) / (spec.maxValue - spec.minValue);
        const int fromMin = int(std::lround(u * last));
        return std::clamp(spec.higherIsMoreBits ? fromMin : last - fromMin, 0, last);
    }
};

unsigned metricFlag(SolveMetric metric) {
    switch (metric) {
        case SolveMetric::MPsnr:
            return kMetricMPsnr;
        case SolveMetric::Pu21Psnr:
            return kMetricPu21Psnr;
        case SolveMetric::LogPsnr:
            return kMetricLogPsnr;
        case SolveMetric::Bpp:
            return kMetricMPsnr;  // the ranking quality within a budget
    }
    return kMetricMPsnr;
}

double qualityOf(SolveMetric metric, const QualityMetrics& m) {
    switch (metric) {
        case SolveMetric::Pu21Psnr:
            return m.pu21Psnr;
        case SolveMetric::LogPsnr:
            return m.logPsnr;
        case SolveMetric::MPsnr:
        case SolveMetric::Bpp:
            return m.mPsnr;
    }
    return m.mPsnr;
}

}  // namespace

const char* solveMetricName(SolveMetric metric) {
    switch (metric) {
        case SolveMetric::MPsnr:
            return "mpsnr";
        case SolveMetric::Pu21Psnr:
            return "pu21psnr";
        case SolveMetric::LogPsnr:
            return "logpsnr";
        case SolveMetric::Bpp:
            return "bpp";
    }
    return "mpsnr";
}

bool parseSolveMetric(const std::string& text, SolveMetric& out) {
    for (SolveMetric m : {SolveMetric::MPsnr, SolveMetric::Pu21Psnr, SolveMetric::LogPsnr, SolveMetric::Bpp})
        if (text == solveMetricName(m)) {
            out = m;
            return true;
        }
    return false;
}

Result<SolveTarget> parseSolveTarget(const std::string& text) {
    const auto bad = [&](const std::string& why) {
        return makeError(ErrorCode::InvalidArgument,
                         "target '" + text + "': " + why + " (expected mpsnr=DB, pu21psnr=DB, logpsnr=DB or bpp=BITS)");
    };
    const auto eq = text.find('=');
    if (eq == std::string::npos) return bad("no '='");
    SolveTarget target;
    if (!parseSolveMetric(text.substr(0, eq), target.metric)) return bad("unknown metric");
    const std::string number = text.substr(eq + 1);
    char* end = nullptr;
    const double v = number.empty() ? kNaN : std::strtod(number.c_str(), &end);
    if (number.empty() || end != number.c_str() + number.size() || !std::isfinite(v)) return bad("not a number");
    if (v <= 0) return bad("the value must be above 0");
    target.value = v;
    return target;
}

std::string formatSolveTarget(const SolveTarget& target) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%s=%.10g", solveMetricName(target.metric), target.value);
    return buf;
}

double solveMetricValue(SolveMetric metric, const Evaluation& evaluation) {
    if (metric == SolveMetric::Bpp) return evaluation.bitsPerTexel;
    return evaluation.metrics ? qualityOf(metric, *evaluation.metrics) : kNaN;
}

Result<SolveResult> solveRate(const Codec& codec, const ImageView& source, const ParamSet& fixed,
                              const SolveTarget& target, const CodecContext& context, const SolveOptions& options) {
    const std::optional<ParamSpec> rate = codec.rateParam();
    if (!rate)
        return makeError(ErrorCode::InvalidArgument,
                         "codec '" + codec.id() + "' has no rate parameter to solve for a target");
    if (!std::isfinite(target.value) || target.value <= 0)
        return makeError(ErrorCode::InvalidArgument, "the target value must be a finite number above 0");
    if (options.evaluate.gpuFormat)
        return makeError(ErrorCode::InvalidArgument, "solving for a target on a GPU-format chain is not supported");
    auto validated = validateParams(codec.schema(), fixed);
    if (!validated) return validated.error();

    const RateAxis axis(*rate);
    const bool budget = target.metric == SolveMetric::Bpp;
    const double tolerance = budget ? target.value * options.bppTolerance : options.qualityToleranceDb;
    const int maxEvaluations = std::max(2, options.maxEvaluations);

    CodecCache ownCache;
    CodecContext probeContext = context;
    if (!probeContext.cache) probeContext.cache = &ownCache;

    // One normalisation for every probe and the final metrics, so their numbers compare exactly.
    EvaluateOptions probeOptions = options.evaluate;
    probeOptions.decode = true;
    probeOptions.measure = true;
    probeOptions.decoded = nullptr;
    probeOptions.metrics.metrics = metricFlag(target.metric);
    std::optional<MetricsNormalization> normalization;
    if (!probeOptions.metrics.normalization) {
        auto n = computeNormalization(source);
        if (!n) return n.error();
        normalization = *n;
        probeOptions.metrics.normalization = &*normalization;
    }

    SolveResult result;
    result.rateParam = rate->id;
    std::map<int, SolveProbe> probed;
    std::optional<Evaluation> bestFeasible, bestEffort;
    std::optional<SolveProbe> bestFeasibleProbe, bestEffortProbe;

    // Value v(i) rises with the position for both kinds of target; "above" the target is v >= T (feasible for a
    // quality, over the budget for bpp when v > T).
    const auto above = [&](const SolveProbe& p) { return budget ? p.value > target.value : p.value >= target.value; };
    const auto closeEnough = [&] {
        if (!bestFeasibleProbe) return false;
        return budget ? bestFeasibleProbe->value >= target.value - tolerance
                      : bestFeasibleProbe->value <= target.value + tolerance;
    };

    const auto probe = [&](int i) -> Result<SolveProbe> {
        if (auto it = probed.find(i); it != probed.end()) return it->second;
        if (context.cancelled()) return cancelledError();
        ParamSet params = *validated;
        params.set(rate->id, axis.value(i));
        CodecContext stage = probeContext;
        if (context.progress) {
            const double from = double(result.evaluations) / maxEvaluations, to = from + 1.0 / maxEvaluations;
            auto report = context.progress;
            stage.progress = [report, from, to](double f) { report(from + (to - from) * f); };
        }
        auto e = evaluate(codec, source, params, stage, probeOptions);
        ++result.evaluations;
        if (const auto failed = firstFailure(e)) return *failed;
        SolveProbe p;
        p.rateValue = axis.value(i);
        p.bytes = e->bytes.size();
        p.bitsPerTexel = e->bitsPerTexel;
        p.quality = qualityOf(target.metric, *e->metrics);
        p.value = budget ? e->bitsPerTexel : p.quality;
        if (!std::isfinite(p.value))
            return makeError(ErrorCode::Internal,
                             std::string("the ") + solveMetricName(target.metric) + " of a probe is not a number");
        p.feasible = budget ? !above(p) : above(p);
        probed.emplace(i, p);
        result.probes.push_back(p);
        if (p.feasible) {
            // Fewest bytes reaching a quality; within a budget the best quality (then the fewest bytes).
            const bool better =
                !bestFeasibleProbe ||
                (budget ? p.quality > bestFeasibleProbe->quality ||
                              (p.quality == bestFeasibleProbe->quality && p.bytes < bestFeasibleProbe->bytes)
                        : p.bytes < bestFeasibleProbe->bytes ||
                              (p.bytes == bestFeasibleProbe->bytes && p.quality > bestFeasibleProbe->quality));
            if (better) {
                bestFeasibleProbe = p;
                bestFeasible = std::move(*e);
            }
        } else if (!bestFeasibleProbe) {
            // Best effort while nothing is feasible: the highest quality, or the fewest bytes over a budget.
            const bool better =
                !bestEffortProbe || (budget ? p.bytes < bestEffortProbe->bytes : p.quality > bestEffortProbe->quality);
            if (better) {
                bestEffortProbe = p;
                bestEffort = std::move(*e);
            }
        }
        if (bestFeasible) bestEffort.reset();  // its reconstruction is no longer needed
        return p;
    };

    // Bracket: lo is the highest position known below the target, hi the lowest known above; -1 and last + 1 stand
    // for "none yet".
    int lo = -1, hi = axis.last + 1;
    const auto place = [&](int i, const SolveProbe& p) {
        if (above(p))
            hi = std::min(hi, i);
        else
            lo = std::max(lo, i);
    };
    const auto valueAt = [&](int i) { return probed.at(i).value; };

    int start = axis.index(options.startValue ? *options.startValue : validated->get(rate->id));
    {
        auto p = probe(start);
        if (!p) return p.error();
        place(start, *p);
    }
    // Expand until the target is bracketed or an end of the axis is reached.
    int step = std::max(1, axis.last / 8);
    std::vector<int> side;  // positions probed on the open side, for a secant estimate
    side.push_back(start);
    while ((lo < 0 || hi > axis.last) && result.evaluations < maxEvaluations) {
        const bool goUp = hi > axis.last;  // nothing above yet: more bits
        const int from = goUp ? lo : hi;
        if ((goUp && from >= axis.last) || (!goUp && from <= 0)) break;  // the axis ends on this side
        int next = goUp ? from + step : from - step;
        if (side.size() >= 2) {
            const int a = side[side.size() - 2], b = side.back();
            const double va = valueAt(a), vb = valueAt(b);
            if (vb != va) {
                const double guess = b + (target.value - vb) * double(b - a) / (vb - va);
                // Overshoot a little so the next probe is likely past the target, and never step less than before.
                const double reach = std::abs(guess - b) * 1.25 + 1;
                if (std::isfinite(guess) && reach > step) next = goUp ? b + int(reach) : b - int(reach);
            }
        }
        next = std::clamp(next, 0, axis.last);
        auto p = probe(next);
        if (!p) return p.error();
        place(next, *p);
        side.push_back(next);
        step *= 2;
    }
    // Narrow: interpolate towards the target (aiming a little inside the feasible side), bisect when that stalls.
    bool bisectNext = false;
    while (lo >= 0 && hi <= axis.last && hi - lo > 1 && result.evaluations < maxEvaluations && !closeEnough()) {
        const int width = hi - lo;
        int next = lo + width / 2;
        if (!bisectNext) {
            const double vlo = valueAt(lo), vhi = valueAt(hi);
            const double aim = budget ? target.value - tolerance / 2 : target.value + tolerance / 2;
            if (vhi > vlo) next = lo + int(std::lround((aim - vlo) / (vhi - vlo) * width));
        }
        next = std::clamp(next, lo + 1, hi - 1);
        auto p = probe(next);
        if (!p) return p.error();
        place(next, *p);
        bisectNext = !bisectNext && (hi - lo) * 2 > width;
    }

    const bool reached = bestFeasible.has_value();
    Evaluation chosen = reached ? std::move(*bestFeasible) : std::move(*bestEffort);
    const SolveProbe& chosenProbe = reached ? *bestFeasibleProbe : *bestEffortProbe;
    // Complete the chosen point's metrics as the caller asked, on its kept reconstruction.
    if (chosen.reconstruction && (options.evaluate.metrics.metrics & ~probeOptions.metrics.metrics) != 0) {
        MetricsOptions full = options.evaluate.metrics;
        full.normalization = probeOptions.metrics.normalization;
        const auto t0 = std::chrono::steady_clock::now();
        auto m = computeMetrics(source, chosen.reconstruction->view(), full);
        if (!m) return m.error();
        chosen.metrics = *m;
        chosen.metricsMs += millisecondsSince(t0);
    }
    result.params = *validated;
    result.params.set(rate->id, chosenProbe.rateValue);
    result.rateValue = chosenProbe.rateValue;
    result.achieved = chosenProbe.value;
    result.reached = reached;
    result.evaluation = std::move(chosen);
    context.report(1.0);
    return result;
}

}  // namespace lmc
