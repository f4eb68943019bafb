// lmc apply: compress many lightmaps with the codec and parameters of a preset; lmc preset show / create.
//
// Inputs are EXR files or folders (searched recursively for *.exr, any case). Each input is written to
// OUT/<path relative to the folder it was found in, or its file name><codec extension>, replacing the input's
// extension ("rooms/a.exr" -> "OUT/rooms/a.dds"). Safety rules, all checked before anything is written:
//   * no output may be an input, the preset or the metrics CSV: compared by device and inode, so links and hard
//     links are caught; each write also passes its own input to writeFileAtomic as the protected source;
//   * OUT may contain inputs (even be their folder): outputs carry the codec's extension, never .exr, and the check
//     above refuses any collision, so nothing an input is stored in can be replaced;
//   * two inputs mapping to the same output (a.exr given from two folders) are refused;
//   * existing outputs are refused unless --overwrite.
// A file that fails (corrupt, unreadable, too large) is reported and skipped; the others are still written, and the
// exit status is 2 at the end. Progress goes to stderr (one line per file), the summary to stdout.
//
// A solving preset ("solve" in the JSON, `lmc preset create --solve mpsnr=45`) searches the codec's rate parameter
// for each file (codec/rate_solve.h), always starting from the preset's value so a file's output does not depend
// on the other files of the batch. A file that cannot reach the target is still written at its best and named;
// the exit status is then 2 at the end. The --metrics CSV gains target,target_reached,rate_param,rate_value,probes,
// solve_ms after its usual columns; the params column holds the solved setting.
//
// A preset with a chain ("gpu_format", `lmc preset create --gpu-format bc6h:normal`) writes the same stored stream;
// with --metrics each file is also transcoded to that GPU format as a game would at load time, and the CSV gains the
// chain columns (gpu_format, gpu_mpsnr, gpu_logpsnr, gpu_pu21psnr, load_ms; vram_bpp is the GPU format's). A
// solving preset searches on the stored stream's quality; the chain is measured at the setting it found.
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "app/cli/cli.h"
#include "app/preset/metrics_csv.h"
#include "app/preset/preset.h"
#include "codec/codec.h"
#include "codec/evaluate.h"
#include "codec/exr_io.h"
#include "codec/file_io.h"
#include "codec/metrics.h"
#include "codec/rate_solve.h"

namespace lmc::cli {

namespace {

namespace fs = std::filesystem;

struct Job {
    std::string input;  // as found (what the user sees in messages and the CSV)
    fs::path relative;  // below the output folder, extension already replaced
    std::string output;
};

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return s;
}

using FileId = std::pair<dev_t, ino_t>;

bool fileId(const std::string& path, FileId& id) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return false;
    id = {st.st_dev, st.st_ino};
    return true;
}

// Expands inputs into (file, relative name) pairs; folders recursively, sorted for a stable order.
Result<std::vector<std::pair<std::string, fs::path>>> expandRecursive(const std::vector<std::string>& inputs) {
    std::vector<std::pair<std::string, fs::path>> out;
    for (const auto& in : inputs) {
        std::error_code ec;
        if (!fs::is_directory(in, ec)) {
            out.emplace_back(in, fs::path(in).filename());
            continue;
        }
        std::vector<std::pair<std::string, fs::path>> found;
        fs::recursive_directory_iterator it(in, fs::directory_options::skip_permission_denied, ec), end;
        if (ec) return makeError(ErrorCode::IoError, in + ": " + ec.message());
        for (; it != end; it.increment(ec)) {
            if (ec) return makeError(ErrorCode::IoError, in + ": " + ec.message());
            std::error_code fileEc;
            if (!it->is_regular_file(fileEc) || lower(it->path().extension().string()) != ".exr") continue;
            found.emplace_back(it->path().string(), it->path().lexically_relative(in));
        }
        if (found.empty()) std::fprintf(stderr, "lmc: warning: no .exr files in %s\n", in.c_str());
        std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
        out.insert(out.end(), found.begin(), found.end());
    }
    return out;
}

void printWarnings(const std::string& path, const std::vector<std::string>& warnings) {
    for (const auto& w : warnings) std::fprintf(stderr, "lmc: warning: %s: %s\n", path.c_str(), w.c_str());
}

struct ApplyArgs {
    std::string preset, out, metrics;
    int threads = 0;
    bool overwrite = false;
    std::vector<std::string> inputs;
};

int runApply(const ApplyArgs& a) {
    const CodecRegistry& registry = CodecRegistry::builtin();
    const std::string& presetPath = a.preset;
    auto loaded = preset::loadPreset(presetPath, registry);
    if (!loaded) return failure(loaded.error().message);  // a bad preset is bad input (2), whatever the cause
    printWarnings(presetPath, loaded->warnings);
    const preset::Preset& pre = loaded->preset;
    const Codec* codec = registry.find(pre.codecId);
    if (!codec) return failure("unknown codec '" + pre.codecId + "'");
    const std::string extension = codec->traits(pre.params).fileExtension;  // bc6h at half resolution: .lmc
    if (lower(extension) == ".exr")
        return failure("codec '" + codec->id() + "' writes .exr files, which apply refuses");
    const std::string paramText = formatParamSet(codec->schema(), pre.params);
    std::optional<GpuFormat> gpuFormat;
    if (!pre.gpuFormat.empty()) {
        auto parsed = parseGpuFormat(registry, pre.gpuFormat);
        if (!parsed) return failure(presetPath + ": " + parsed.error().message);
        gpuFormat = std::move(parsed).value();
    }
    const bool chained = gpuFormat.has_value() && !a.metrics.empty();

    const fs::path outDir = a.out;
    std::error_code ec;
    if (fs::exists(outDir, ec) && !fs::is_directory(outDir, ec))
        return usageError("--out " + outDir.string() + " exists and is not a folder");

    auto expanded = expandRecursive(a.inputs);
    if (!expanded) return failure(expanded.error());
    if (expanded->empty()) return failure("no .exr files found in the given folders");

    // Everything that must never be written to: inputs, the preset, and (below) the CSV.
    std::set<FileId> protectedIds;
    for (const auto& [input, rel] : *expanded)
        if (FileId id; fileId(input, id)) protectedIds.insert(id);
    if (FileId id; fileId(presetPath, id)) protectedIds.insert(id);

    std::vector<Job> jobs;
    std::map<std::string, std::string> outputOwner;  // normalised output path -> input
    int existing = 0;
    std::string firstExisting;
    for (const auto& [input, rel] : *expanded) {
        Job job;
        job.input = input;
        job.relative = rel;
        job.relative.replace_extension(extension);
        job.output = (outDir / job.relative).string();
        const std::string key = fs::weakly_canonical(fs::absolute(job.output, ec), ec).lexically_normal().string();
        auto [it, fresh] = outputOwner.emplace(key, input);
        FileId a{}, b{};
        if (!fresh && fileId(it->second, a) && fileId(input, b) && a == b) continue;  // the same file named twice
        if (!fresh)
            return usageError("inputs " + it->second + " and " + input + " would both be written to " + job.output);
        if (FileId id; fileId(job.output, id)) {
            if (protectedIds.count(id))
                return usageError("refusing to overwrite an input: " + input + " would be written to " + job.output +
                                  ", which is an input or the preset");
            if (fs::is_directory(job.output, ec)) return usageError(job.output + " is a folder");
            if (existing++ == 0) firstExisting = job.output;
        }
        jobs.push_back(std::move(job));
    }
    const std::string& csvPath = a.metrics;
    if (!csvPath.empty()) {
        if (FileId id; fileId(csvPath, id) && protectedIds.count(id))
            return usageError("refusing to write the metrics CSV over an input or the preset: " + csvPath);
        const std::string key = fs::weakly_canonical(fs::absolute(csvPath, ec), ec).lexically_normal().string();
        if (outputOwner.count(key)) return usageError("--metrics " + csvPath + " is also an output file");
    }
    if (existing > 0 && !a.overwrite)
        return usageError(std::to_string(existing) + " output file(s) already exist (first: " + firstExisting +
                          "); pass --overwrite to replace them");

    CodecContext ctx;
    ctx.threads = a.threads;
    MetricsOptions metricOptions;
    metricOptions.threads = a.threads;
    const std::optional<SolveTarget> solve = pre.solve;
    std::string csv = preset::metricsCsvHeader(true, chained);
    if (solve) csv.insert(csv.size() - 1, ",target,target_reached,rate_param,rate_value,probes,solve_ms");
    int ok = 0, failed = 0, missed = 0;
    std::uint64_t totalBytes = 0;
    std::int64_t totalTexels = 0;
    double bppSum = 0;
    const auto startAll = std::chrono::steady_clock::now();
    for (std::size_t i = 0; i < jobs.size(); ++i) {
        const Job& job = jobs[i];
        auto fail = [&](std::string why) {
            // Library messages often start with the path already; print it once.
            if (why.rfind(job.input + ": ", 0) == 0) why.erase(0, job.input.size() + 2);
            std::fprintf(stderr, "[%zu/%zu] %s: FAILED: %s\n", i + 1, jobs.size(), job.input.c_str(), why.c_str());
            ++failed;
        };
        auto image = readExr(job.input);
        if (!image) {
            fail(image.error().message);
            continue;
        }
        const ImageView view = image->image.view();
        // With --metrics the stream is decoded and measured as a player of the written file would see it.
        EvaluateOptions evalOptions;
        evalOptions.decode = !csvPath.empty();
        evalOptions.metrics = metricOptions;
        const auto fileStart = std::chrono::steady_clock::now();
        Result<Evaluation> e = makeError(ErrorCode::Internal, "not evaluated");
        ParamSet params = pre.params;
        std::optional<SolveResult> solved;
        if (solve) {
            SolveOptions solveOptions;
            solveOptions.evaluate = evalOptions;
            auto r = solveRate(*codec, view, pre.params, *solve, ctx, solveOptions);
            if (!r) {
                fail(r.error().message);
                continue;
            }
            params = r->params;
            e = std::move(r->evaluation);
            solved = std::move(*r);
            if (chained && e) {
                // The search probes the stored stream alone; the chain is measured once, at the setting it found.
                EvaluateOptions chainOptions = evalOptions;
                chainOptions.gpuFormat = &*gpuFormat;
                e = evaluate(*codec, view, params, ctx, chainOptions);
            }
        } else {
            evalOptions.gpuFormat = chained ? &*gpuFormat : nullptr;
            e = evaluate(*codec, view, pre.params, ctx, evalOptions);
        }
        const double fileMs = millisecondsSince(fileStart);
        if (!e) {
            fail(e.error().message);
            continue;
        }
        const Bytes* bytes = &e->bytes;
        if (const fs::path parent = fs::path(job.output).parent_path(); !parent.empty()) {
            fs::create_directories(parent, ec);
            if (ec) {
                fail("cannot create folder " + parent.string() + ": " + ec.message());
                continue;
            }
        }
        if (auto s = writeFileAtomic(job.output, *bytes, job.input); !s) {
            fail(s.error().message);
            continue;
        }
        const double bpp = e->bitsPerTexel;
        std::string quality;
        if (!csvPath.empty()) {
            if (const auto failedStage = firstFailure(e)) {
                fail("written, but measuring it failed: " + failedStage->message);
                continue;
            }
            preset::MetricsCsvRow row = preset::measuredRow(job.input, *codec, params, *e, view,
                                                            computeStats(view).coveredFraction, metricOptions.mask);
            row.output = job.output;
            std::string line = preset::metricsCsvRow(row, true, chained);
            if (solved) {
                char buf[160];
                std::snprintf(buf, sizeof buf, ",%s,%s,%s,%.10g,%d,%.1f", formatSolveTarget(*solve).c_str(),
                              solved->reached ? "yes" : "no", preset::csvField(solved->rateParam).c_str(),
                              solved->rateValue, solved->evaluations, fileMs);
                line.insert(line.size() - 1, buf);
            }
            csv += line;
        }
        if (e->metrics && !(solved && solve->metric == SolveMetric::MPsnr)) {
            char buf[96];
            std::snprintf(buf, sizeof buf, ", mPSNR %.2f dB", e->metrics->mPsnr);
            quality = buf;
        }
        if (e->chain && e->chain->metrics) {
            char buf[128];
            std::snprintf(buf, sizeof buf, ", through %s mPSNR %.2f dB, load %.0f ms", e->chain->format.c_str(),
                          e->chain->metrics->mPsnr, e->chain->loadMs);
            quality += buf;
        } else if (e->chain && e->chain->error) {
            fail("written, but transcoding it to " + e->chain->format + " failed: " + e->chain->error->message);
            continue;
        }
        if (solved) {
            const ParamSpec* spec = findParam(codec->schema(), solved->rateParam);
            char buf[224];
            if (solve->metric == SolveMetric::Bpp)
                std::snprintf(buf, sizeof buf, ", %s %s (%s), %s=%s, %d probes", solved->reached ? "within" : "OVER",
                              formatSolveTarget(*solve).c_str(), solved->reached ? "kept" : "NOT kept: its best",
                              solved->rateParam.c_str(),
                              spec ? formatParamValue(*spec, solved->rateValue).c_str() : "?", solved->evaluations);
            else
                std::snprintf(buf, sizeof buf, ", %s %.2f dB for %s (%s), %s=%s, %d probes",
                              solveMetricName(solve->metric), solved->achieved, formatSolveTarget(*solve).c_str(),
                              solved->reached ? "reached" : "NOT reached: its best", solved->rateParam.c_str(),
                              spec ? formatParamValue(*spec, solved->rateValue).c_str() : "?", solved->evaluations);
            quality += buf;
            if (!solved->reached) ++missed;
        }
        ++ok;
        totalBytes += bytes->size();
        totalTexels += view.texelCount();
        bppSum += bpp;
        std::fprintf(stderr, "[%zu/%zu] %s -> %s: %zu bytes, %.4f bpp%s, %.0f ms\n", i + 1, jobs.size(),
                     job.input.c_str(), job.output.c_str(), bytes->size(), bpp, quality.c_str(),
                     solved ? fileMs : e->encodeMs);
    }
    if (!csvPath.empty()) {
        if (auto s = writeFileAtomic(csvPath, reinterpret_cast<const std::uint8_t*>(csv.data()), csv.size()); !s)
            return failure(s.error().message);
    }
    std::printf("apply: %s %s%s%s, %d ok, %d failed, %llu bytes written", codec->id().c_str(), paramText.c_str(),
                solve ? (" solving " + formatSolveTarget(*solve)).c_str() : "",
                gpuFormat ? (" -> " + gpuFormat->name).c_str() : "", ok, failed,
                static_cast<unsigned long long>(totalBytes));
    if (solve) std::printf(", %d below target", missed);
    if (ok > 0)
        std::printf(", mean %.4f bpp per file, %.4f bpp overall", bppSum / ok, bitsPerTexel(totalBytes, totalTexels));
    std::printf(", %.1f s\n", millisecondsSince(startAll) / 1000.0);
    if (failed || missed) {
        std::string why;
        if (failed) why = std::to_string(failed) + " of " + std::to_string(jobs.size()) + " file(s) failed";
        if (missed)
            why += (why.empty() ? "" : "; ") + std::to_string(missed) + " of " + std::to_string(jobs.size()) +
                   (solve->metric == SolveMetric::Bpp ? " file(s) did not fit " : " file(s) did not reach ") +
                   formatSolveTarget(*solve) + " (written at their best)";
        return failure(why);
    }
    return kExitOk;
}

int runPresetShow(const std::string& path) {
    const CodecRegistry& registry = CodecRegistry::builtin();
    auto loaded = preset::loadPreset(path, registry);
    if (!loaded) return failure(loaded.error().message);
    printWarnings(path, loaded->warnings);
    std::printf("preset     %s\n%s", path.c_str(), preset::describePreset(loaded->preset, registry).c_str());
    return kExitOk;
}

struct PresetCreateArgs {
    CodecChoice codec;
    std::string target, measure, out, solve, gpuFormat;
    int threads = 0;
    bool overwrite = false;
};

int runPresetCreate(const PresetCreateArgs& a) {
    const CodecRegistry& registry = CodecRegistry::builtin();
    const Codec* codec = registry.find(a.codec.id);
    auto params = parseParamAssignments(codec->schema(), a.codec.params);
    if (!params) return usageError(params.error().message);
    std::optional<SolveTarget> solve;
    if (!a.solve.empty()) {
        auto t = parseSolveTarget(a.solve);
        if (!t) return usageError("--solve: " + t.error().message);
        if (!codec->rateParam())
            return usageError("--solve: codec '" + codec->id() + "' has no rate parameter to search");
        solve = *t;
    }
    // A bad --gpu-format is a usage error (InvalidArgument), as it is for `lmc eval`.
    auto pre = preset::makePreset(registry, codec->id(), *params, a.target, solve, a.gpuFormat);
    if (!pre) return failure(pre.error());
    const std::string& out = a.out;
    const std::string& measure = a.measure;
    std::error_code ec;
    if (!measure.empty() && sameFile(measure, out)) return usageError("refusing to overwrite " + measure);
    if (fs::exists(out, ec) && !a.overwrite) return usageError(out + " already exists; pass --overwrite to replace it");
    if (!measure.empty()) {
        auto image = readExr(measure);
        if (!image) return failure(image.error());
        CodecContext ctx;
        ctx.threads = a.threads;
        const ImageView view = image->image.view();
        EvaluateOptions options;
        options.metrics.threads = a.threads;
        if (solve) {
            // The snapshot is what the search reaches on this map; its rate value becomes the search's start.
            SolveOptions solveOptions;
            solveOptions.evaluate = options;
            auto r = solveRate(*codec, view, pre->params, *solve, ctx, solveOptions);
            if (!r) return failure(measure + ": " + r.error().message);
            if (!r->reached)
                std::fprintf(stderr, "lmc: warning: %s: %s not reached (best %.4g)\n", measure.c_str(),
                             formatSolveTarget(*solve).c_str(), r->achieved);
            pre->params = r->params;
            pre->metrics = preset::makeMetricsSnapshot(&*r->evaluation.metrics, r->evaluation.bytes.size(), view.width,
                                                       view.height, measure);
        } else {
            auto e = evaluate(*codec, view, pre->params, ctx, options);
            if (const auto failed = firstFailure(e)) return failure(measure + ": " + failed->message);
            pre->metrics = preset::makeMetricsSnapshot(&*e->metrics, e->bytes.size(), view.width, view.height, measure);
        }
    }
    if (auto s = preset::savePreset(out, *pre, registry, measure); !s) return failure(s.error());
    std::printf("%s: %s %s%s%s%s\n", out.c_str(), codec->id().c_str(),
                formatParamSet(codec->schema(), pre->params).c_str(),
                pre->gpuFormat.empty() ? "" : (" -> " + pre->gpuFormat).c_str(),
                solve ? (", solving " + formatSolveTarget(*solve) + " per file").c_str() : "",
                pre->target.empty() ? "" : (" for " + pre->target).c_str());
    return kExitOk;
}

}  // namespace

Run declareApply(CLI::App& command) {
    auto a = std::make_shared<ApplyArgs>();
    command.add_option("--preset", a->preset, "codec and parameters")->type_name("P.json")->required();
    command.add_option("-o,--out", a->out, "output folder, laid out as the inputs")->type_name("DIR")->required();
    addThreadsOption(command, a->threads);
    command.add_flag("--overwrite", a->overwrite, "replace existing outputs");
    command.add_option("--metrics", a->metrics, "decode and measure every file into this CSV")->type_name("OUT.csv");
    command.add_option("FILE|DIR", a->inputs, "EXR files, or folders searched recursively")->required();
    return [a] { return runApply(*a); };
}

Run declarePreset(CLI::App& command) {
    command.require_subcommand(1);
    CLI::App* show = command.add_subcommand("show", "validate and print a preset");
    auto path = std::make_shared<std::string>();
    show->add_option("P.json", *path, "preset file")->required();
    CLI::App* create = command.add_subcommand("create", "write a preset, optionally with a metrics snapshot");
    auto a = std::make_shared<PresetCreateArgs>();
    addCodecOptions(*create, a->codec);
    create->add_option("--target", a->target, "what the preset is for, e.g. mobile")->type_name("NAME");
    create->add_option("--measure", a->measure, "store the metrics measured on this lightmap")->type_name("IN.exr");
    create
        ->add_option("--solve", a->solve,
                     "search the rate parameter per file: the fewest bytes reaching mpsnr=, pu21psnr= or logpsnr= DB, "
                     "or the best quality within bpp= BITS")
        ->type_name("METRIC=VALUE");
    create
        ->add_option("--gpu-format", a->gpuFormat,
                     "the GPU format the stored stream is transcoded to at load time (`lmc apply --metrics` "
                     "reports that chain)")
        ->type_name("bc6h:fast|normal|high|max|astc:BLOCK");
    addThreadsOption(*create, a->threads);
    create->add_flag("--overwrite", a->overwrite, "replace an existing OUT.json");
    create->add_option("OUT.json", a->out, "preset to write")->required();
    return [show, path, a] { return show->parsed() ? runPresetShow(*path) : runPresetCreate(*a); };
}

}  // namespace lmc::cli
