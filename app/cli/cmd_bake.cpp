// lmc bake / bake-set: procedural lightmaps from our own baker (codec/baker), for the bundled sample and for
// training data. Ctrl-C cancels a running bake cleanly.
#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

#include "app/cli/cli.h"
#include "codec/baker/baker.h"
#include "codec/exr_io.h"
#include "codec/file_io.h"

namespace lmc::cli {

namespace {

CancelToken gCancel;
extern "C" void onInterrupt(int) {
    gCancel.cancel();
}

// "\rlabel  42%" on stderr, redrawn only when the percentage changes.
struct TerminalProgress {
    std::string label;
    bool enabled = true;
    std::mutex mutex;
    int last = -1;
    void operator()(double fraction) {
        if (!enabled) return;
        int pct = int(fraction * 100.0);
        std::lock_guard<std::mutex> lock(mutex);
        if (pct == last) return;
        last = pct;
        std::fprintf(stderr, "\r%s %3d%%", label.c_str(), pct);
        std::fflush(stderr);
    }
    void finish() {
        if (enabled && last >= 0) std::fprintf(stderr, "\n");
    }
};

bool parseCount(const ArgParser& p, const std::string& name, long lo, long hi, long& out) {
    if (!p.has(name)) return true;
    return parseInt(p.value(name), out) && out >= lo && out <= hi;
}

void declareBakeOptions(ArgParser& p) {
    p.option("--spp", true, "--samples");
    p.option("--bounces", true);
    p.option("--preview", false);
    p.option("--threads", true);
    p.option("--padding", true);
    p.option("--no-dilate", false);
    p.option("--float", false);
    p.option("--compression", true);
    p.option("--quiet", false, "-q");
}

// Options shared by bake and bake-set; returns an empty string or a usage error.
std::string readBakeOptions(const ArgParser& p, BakeSettings& s, int& threads, ExrWriteOptions& exr) {
    long v = 0;
    s.preview = p.has("--preview");
    if (p.has("--spp")) {
        if (!parseCount(p, "--spp", 1, kMaxBakeSamples, v))
            return "--spp must be an integer from 1 to " + std::to_string(kMaxBakeSamples);
        s.samples = int(v);
    }
    if (p.has("--bounces")) {
        if (!parseCount(p, "--bounces", 0, kMaxBakeBounces, v))
            return "--bounces must be an integer from 0 to " + std::to_string(kMaxBakeBounces);
        s.bounces = int(v);
    }
    if (p.has("--padding")) {
        if (!parseCount(p, "--padding", 0, 64, v)) return "--padding must be an integer from 0 to 64";
        s.padding = int(v);
    }
    if (p.has("--threads")) {
        if (!parseCount(p, "--threads", 1, 256, v)) return "--threads must be an integer from 1 to 256";
        threads = int(v);
    }
    s.dilate = !p.has("--no-dilate");
    exr.pixelType = p.has("--float") ? ExrPixelType::Float : ExrPixelType::Half;
    std::string c = p.value("--compression", "zip");
    if (c == "zip")
        exr.compression = ExrCompression::Zip;
    else if (c == "piz")
        exr.compression = ExrCompression::Piz;
    else if (c == "none")
        exr.compression = ExrCompression::None;
    else
        return "--compression must be zip, piz or none";
    return {};
}

struct BakeOutcome {
    double seconds = 0;
    double covered = 0;
};

Result<BakeOutcome> bakeToFile(const BakeSettings& s, int threads, const ExrWriteOptions& exr, const std::string& out,
                               bool quiet, const std::string& label) {
    TerminalProgress progress;
    progress.label = label;
    progress.enabled = !quiet;
    CodecContext ctx;
    ctx.threads = threads;
    ctx.cancel = &gCancel;
    ctx.progress = [&progress](double f) { progress(f); };
    auto start = std::chrono::steady_clock::now();
    auto image = bakeLightmap(s, ctx);
    progress.finish();
    if (!image) return image.error();
    BakeOutcome outcome;
    outcome.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    outcome.covered = computeStats(image->view()).coveredFraction;
    if (auto st = writeExr(out, image->view(), exr); !st) return st.error();
    return outcome;
}

}  // namespace

int runBake(const Args& args) {
    ArgParser p(args);
    p.option("--seed", true);
    p.option("--size", true);
    p.option("--style", true);
    declareBakeOptions(p);
    if (!p.parse()) return usageError(p.error());
    if (p.positionals().size() != 1) return usageError("bake needs exactly one OUT.exr");
    BakeSettings s;
    if (p.has("--seed")) {
        long seed = 0;
        if (!parseInt(p.value("--seed"), seed) || seed < 0) return usageError("--seed must be a non-negative integer");
        s.seed = std::uint64_t(seed);
    }
    auto size = parseBakeSize(p.value("--size", "1024"));
    if (!size) return usageError(size.error().message);
    s.width = size->first, s.height = size->second;
    auto style = parseBakeStyle(p.value("--style", "interior"));
    if (!style) return usageError(style.error().message);
    s.style = *style;
    int threads = 0;
    ExrWriteOptions exr;
    if (auto e = readBakeOptions(p, s, threads, exr); !e.empty()) return usageError(e);
    if (auto st = validateBakeSettings(s); !st) return usageError(st.error().message);
    const std::string& out = p.positionals()[0];
    // Fail before a long bake, not after it.
    std::error_code ec;
    auto parent = std::filesystem::path(out).parent_path();
    if (!parent.empty() && !std::filesystem::is_directory(parent, ec))
        return failure(out + ": folder " + parent.string() + " does not exist");
    std::signal(SIGINT, onInterrupt);
    std::string label = "baking " + std::to_string(s.width) + "x" + std::to_string(s.height) + " " +
                        baker::bakeStyleName(s.style) + " seed " + std::to_string(s.seed);
    auto outcome = bakeToFile(s, threads, exr, out, p.has("--quiet"), label);
    if (!outcome) return failure(outcome.error());
    std::printf("%s: %dx%d %s seed %llu, %d spp, %d bounces, %.1f%% covered, %.1f s\n", out.c_str(), s.width, s.height,
                baker::bakeStyleName(s.style), static_cast<unsigned long long>(s.seed), s.resolvedSamples(),
                s.resolvedBounces(), 100.0 * outcome->covered, outcome->seconds);
    return kExitOk;
}

int runBakeSet(const Args& args) {
    ArgParser p(args);
    p.option("--count", true, "-n");
    p.option("--out", true, "-o");
    p.option("--seed", true);
    p.option("--sizes", true);
    p.option("--validation", true);
    declareBakeOptions(p);
    if (!p.parse()) return usageError(p.error());
    if (!p.positionals().empty()) return usageError("bake-set takes no positional arguments (use --out DIR)");
    if (!p.has("--count") || !p.has("--out")) return usageError("bake-set needs --count N and --out DIR");
    long count = 0, base = 1000;
    if (!parseInt(p.value("--count"), count) || count < 1 || count > 100000)
        return usageError("--count must be an integer from 1 to 100000");
    if (p.has("--seed") && (!parseInt(p.value("--seed"), base) || base < 0))
        return usageError("--seed must be a non-negative integer");
    double validation = 0.1;
    if (p.has("--validation") &&
        (!parseDouble(p.value("--validation"), validation) || validation < 0 || validation > 0.9))
        return usageError("--validation must be a fraction from 0 to 0.9");
    // Sizes drawn from; non-square ones included, as real atlases are.
    std::vector<std::pair<int, int>> sizes;
    std::string list = p.value("--sizes", "256,512,512,1024,512x1024,1024x512,256x1024");
    for (std::size_t start = 0; start <= list.size();) {
        std::size_t comma = list.find(',', start);
        std::string item = list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        auto sz = parseBakeSize(item);
        if (!sz) return usageError("--sizes: " + sz.error().message);
        sizes.push_back(*sz);
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    BakeSettings proto;
    int threads = 0;
    ExrWriteOptions exr;
    if (auto e = readBakeOptions(p, proto, threads, exr); !e.empty()) return usageError(e);
    std::string dir = p.value("--out");
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) return failure("cannot create " + dir + ": " + ec.message());
    std::signal(SIGINT, onInterrupt);

    std::string manifest = "file\tsplit\tstyle\tseed\twidth\theight\tspp\tbounces\tcovered\tseconds\n";
    const BakeStyle styles[] = {BakeStyle::Interior, BakeStyle::Exterior, BakeStyle::Night, BakeStyle::Mixed};
    int validationCount = 0;
    for (long i = 0; i < count; ++i) {
        BakeSettings s = proto;
        s.seed = std::uint64_t(base + i);
        baker::Rng pickRng(s.seed, 0xda7a);
        s.style = styles[(i + pickRng.range(0, 3)) % 4];
        auto size = sizes[std::size_t(pickRng.range(0, int(sizes.size()) - 1))];
        s.width = size.first, s.height = size.second;
        s.dilate = proto.dilate && pickRng.chance(0.7f);  // some atlases keep black gutters
        // Spread validation files evenly: file i is in validation when (i+1)*f crosses an integer.
        bool val = std::floor(double(i + 1) * validation) > std::floor(double(i) * validation);
        validationCount += val;
        char name[128];
        std::snprintf(name, sizeof name, "bake_%05ld_%s_%dx%d.exr", i, baker::bakeStyleName(s.style), s.width,
                      s.height);
        std::string path = (std::filesystem::path(dir) / name).string();
        std::string label = "[" + std::to_string(i + 1) + "/" + std::to_string(count) + "] " + name;
        auto outcome = bakeToFile(s, threads, exr, path, p.has("--quiet"), label);
        if (!outcome) return failure(outcome.error());
        char row[256];
        std::snprintf(row, sizeof row, "%s\t%s\t%s\t%llu\t%d\t%d\t%d\t%d\t%.4f\t%.2f\n", name, val ? "val" : "train",
                      baker::bakeStyleName(s.style), static_cast<unsigned long long>(s.seed), s.width, s.height,
                      s.resolvedSamples(), s.resolvedBounces(), outcome->covered, outcome->seconds);
        manifest += row;
        // Rewritten after every file, so an interrupted run still describes what it made.
        std::string mpath = (std::filesystem::path(dir) / "manifest.tsv").string();
        if (auto st = writeFileAtomic(mpath, reinterpret_cast<const std::uint8_t*>(manifest.data()), manifest.size());
            !st)
            return failure(st.error());
    }
    std::printf("%s: %ld lightmaps (%ld train, %d validation), manifest.tsv\n", dir.c_str(), count,
                count - validationCount, validationCount);
    return kExitOk;
}

}  // namespace lmc::cli
