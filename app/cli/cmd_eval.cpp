// lmc eval: encode, decode and measure each file at each setting; one CSV row per (file, setting), in the columns
// of app/preset/metrics_csv.h (the first ones are fixed by contract: scripts and the RD report read them). Metrics
// count the visible texels unless --mask says otherwise. --gpu-format adds a storage -> GPU chain (evaluate.h).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/cli/cli.h"
#include "app/preset/metrics_csv.h"
#include "codec/codec.h"
#include "codec/evaluate.h"
#include "codec/exr_io.h"
#include "codec/file_io.h"
#include "codec/metrics.h"

namespace lmc::cli {

namespace {

struct Sweep {
    std::string key;
    std::vector<double> values;
};

// "quality=10:90:10", or a list "distance=0.1,0.5,2" (for knobs whose useful values are spread logarithmically);
// enum values may be written by name ("block=12x12:4x4:1", "compression=piz,dwab").
Result<Sweep> parseSweep(const ParamSchema& schema, const std::string& text) {
    auto bad = [&](const std::string& why) {
        return makeError(ErrorCode::InvalidArgument, "--sweep '" + text + "': " + why);
    };
    auto eq = text.find('=');
    if (eq == std::string::npos) return bad("expected key=FROM:TO:STEP");
    Sweep sweep;
    sweep.key = text.substr(0, eq);
    const ParamSpec* spec = findParam(schema, sweep.key);
    if (!spec) return bad("unknown parameter '" + sweep.key + "'");
    std::string rest = text.substr(eq + 1);
    if (rest.find(':') == std::string::npos && rest.find(',') != std::string::npos) {
        std::size_t start = 0;
        while (start <= rest.size()) {
            const std::size_t comma = std::min(rest.find(',', start), rest.size());
            auto value = parseParamValue(*spec, rest.substr(start, comma - start));
            if (!value) return value.error();
            sweep.values.push_back(*value);
            if (sweep.values.size() > 1000) return bad("more than 1000 points");
            start = comma + 1;
        }
        return sweep;
    }
    auto c1 = rest.find(':');
    auto c2 = c1 == std::string::npos ? std::string::npos : rest.find(':', c1 + 1);
    if (c1 == std::string::npos || c2 == std::string::npos) return bad("expected FROM:TO:STEP or a list V1,V2,...");
    auto from = parseParamValue(*spec, rest.substr(0, c1));
    auto to = parseParamValue(*spec, rest.substr(c1 + 1, c2 - c1 - 1));
    double step = 0;
    if (!from) return from.error();
    if (!to) return to.error();
    if (!parseDouble(rest.substr(c2 + 1), step) || step <= 0) return bad("STEP must be a positive number");
    double lo = *from, hi = *to;
    double dir = hi >= lo ? 1.0 : -1.0;
    const int kMaxPoints = 1000;
    for (int i = 0;; ++i) {
        double v = lo + dir * step * i;
        if (dir > 0 ? v > hi + 1e-9 : v < hi - 1e-9) break;
        if (i >= kMaxPoints) return bad("more than 1000 points");
        sweep.values.push_back(v);
    }
    return sweep;
}

struct EvalArgs {
    CodecChoice codec;
    std::string sweep, csv, mask, gpuFormat;
    int threads = 0;  // 0: the codec's default
    std::vector<std::string> inputs;
};

int runEval(const EvalArgs& a) {
    MetricsOptions metricOptions;
    if (!a.mask.empty() && !parseMaskMode(a.mask, metricOptions.mask))
        return usageError("--mask must be visible, covered or all");
    const Codec* codec = CodecRegistry::builtin().find(a.codec.id);
    const ParamSchema schema = codec->schema();
    auto base = parseParamAssignments(schema, a.codec.params);
    if (!base) return usageError(base.error().message);

    std::vector<ParamSet> settings;
    if (!a.sweep.empty()) {
        auto sweep = parseSweep(schema, a.sweep);
        if (!sweep) return usageError(sweep.error().message);
        for (double v : sweep->values) {
            ParamSet s = *base;
            s.set(sweep->key, v);
            auto validated = validateParams(schema, s);
            if (!validated) return usageError(validated.error().message);
            settings.push_back(*validated);
        }
    } else {
        settings.push_back(*base);
    }

    std::optional<GpuFormat> gpuFormat;
    if (!a.gpuFormat.empty()) {
        auto parsed = parseGpuFormat(CodecRegistry::builtin(), a.gpuFormat);
        if (!parsed) return usageError(parsed.error().message);
        gpuFormat = *parsed;
    }
    const bool chained = gpuFormat.has_value();

    std::vector<std::string> files = expandInputs(a.inputs);
    if (files.empty()) return failure("no .exr files found in the given folders");
    const std::string& csvPath = a.csv;
    std::string csv = preset::metricsCsvHeader(false, chained);
    CodecContext ctx;
    ctx.threads = a.threads;
    int failures = 0;
    for (const auto& file : files) {
        auto loaded = readExr(file);
        if (!loaded) {
            std::fprintf(stderr, "lmc: %s\n", loaded.error().message.c_str());
            ++failures;
            continue;
        }
        const ImageView view = loaded->image.view();
        const ImageStats stats = computeStats(view);
        if (stats.negativeCount > 0 && !codec->traits(*base).keepsNegatives)
            std::fprintf(stderr, "lmc: warning: %s has %lld negative values; %s clamps them to 0\n", file.c_str(),
                         static_cast<long long>(stats.negativeCount), codec->id().c_str());
        // One cache per file: a sweep over the rate re-runs only what the rate changes (codec_cache.h).
        CodecCache cache;
        CodecContext fileContext = ctx;
        fileContext.cache = &cache;
        for (const auto& params : settings) {
            EvaluateOptions evalOptions;
            evalOptions.metrics = metricOptions;
            evalOptions.gpuFormat = chained ? &*gpuFormat : nullptr;
            auto e = evaluate(*codec, view, params, fileContext, evalOptions);
            if (const auto failed = firstFailure(e)) {
                std::fprintf(stderr, "lmc: %s: %s\n", file.c_str(), failed->message.c_str());
                ++failures;
                continue;
            }
            if (e->chain && e->chain->error) {
                std::fprintf(stderr, "lmc: %s: %s: %s\n", file.c_str(), e->chain->format.c_str(),
                             e->chain->error->message.c_str());
                ++failures;  // the row is still written, its chain columns empty
            }
            const QualityMetrics* m = &*e->metrics;
            const double bpp = e->bitsPerTexel;
            const std::string paramText = formatParamSet(schema, params);
            csv += preset::metricsCsvRow(
                preset::measuredRow(file, *codec, params, *e, view, stats.coveredFraction, metricOptions.mask), false,
                chained);
            if (!csvPath.empty())
                std::printf(
                    "%-60s %-24s %8.4f bpp  mPSNR %6.2f  logPSNR %6.2f  PU21 %6.2f  SSIM %.4f  %7.1f/%6.1f ms\n",
                    file.c_str(), paramText.c_str(), bpp, m->mPsnr, m->logPsnr, m->pu21Psnr, m->pu21Ssim, e->encodeMs,
                    e->decodeMs);
        }
    }
    if (csvPath.empty()) {
        std::fputs(csv.c_str(), stdout);
    } else if (auto s = writeFileAtomic(csvPath, reinterpret_cast<const std::uint8_t*>(csv.data()), csv.size()); !s) {
        return failure(s.error());
    }
    if (failures) return failure(std::to_string(failures) + " evaluation(s) failed");
    return kExitOk;
}

}  // namespace

Run declareEval(CLI::App& command) {
    auto a = std::make_shared<EvalArgs>();
    addCodecOptions(command, a->codec);
    command.add_option("--sweep", a->sweep, "several values of one parameter")
        ->type_name("key=FROM:TO:STEP|key=V1,V2,...");
    command.add_option("--mask", a->mask, "texels measured (default: visible)")->type_name("visible|covered|all");
    command.add_option("--csv", a->csv, "write the rows here (default: stdout)")->type_name("OUT.csv");
    command
        .add_option("--gpu-format", a->gpuFormat,
                    "also transcode each reconstruction to this GPU format at load time and measure it (chain "
                    "columns gpu_format, gpu_mpsnr, gpu_logpsnr, gpu_pu21psnr, load_ms; vram_bpp is the GPU's)")
        ->type_name("bc6h:fast|normal|high|max|astc:BLOCK");
    addThreadsOption(command, a->threads);
    command.add_option("FILE|DIR", a->inputs, "EXR files, or folders of them")->required();
    return [a] { return runEval(*a); };
}

}  // namespace lmc::cli
