// lmc bake / bake-set: procedural lightmaps from our own baker (codec/baker), for the bundled sample and for
// training data. Ctrl-C cancels a running bake cleanly.
#include <atomic>
#include <chrono>
#include <climits>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
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

const std::map<std::string, ExrCompression> kCompressions = {
    {"zip", ExrCompression::Zip}, {"piz", ExrCompression::Piz}, {"none", ExrCompression::None}};

// Options shared by bake and bake-set.
struct BakeArgs {
    BakeSettings settings;
    int threads = 0;
    ExrWriteOptions exr;
    bool quiet = false;
};

void addBakeOptions(CLI::App& command, BakeArgs& a) {
    BakeSettings& s = a.settings;
    ExrWriteOptions& exr = a.exr;
    command.add_option("--spp,--samples", s.samples, "samples per texel (48; preview 4)")
        ->check(integerIn(1, kMaxBakeSamples));
    command.add_option("--bounces", s.bounces, "diffuse bounces (3; preview 2)")->check(integerIn(0, kMaxBakeBounces));
    command.add_flag("--preview", s.preview, "few samples, for a look in seconds");
    addThreadsOption(command, a.threads);
    command.add_option("--padding", s.padding, "texels between charts (default: by size)")->check(integerIn(0, 64));
    command.add_flag_callback(
        "--no-dilate", [&s] { s.dilate = false; }, "leave the gutters next to charts black");
    command.add_flag_callback(
        "--float", [&exr] { exr.pixelType = ExrPixelType::Float; }, "32-bit texels, not half");
    command
        .add_option_function<std::string>(
            "--compression", [&exr](const std::string& c) { exr.compression = kCompressions.at(c); },
            "EXR compression (default: zip)")
        ->type_name("zip|piz|none")
        ->check(CLI::IsMember(kCompressions).description(""));
    command.add_flag("-q,--quiet", a.quiet, "no progress display");
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

struct BakeOneArgs : BakeArgs {
    std::string size = "1024", style = "interior", out;
};

int runBake(BakeOneArgs& a) {
    BakeSettings& s = a.settings;
    auto size = parseBakeSize(a.size);
    if (!size) return usageError(size.error().message);
    s.width = size->first, s.height = size->second;
    auto style = parseBakeStyle(a.style);
    if (!style) return usageError(style.error().message);
    s.style = *style;
    if (auto st = validateBakeSettings(s); !st) return usageError(st.error().message);
    const std::string& out = a.out;
    // Fail before a long bake, not after it.
    std::error_code ec;
    auto parent = std::filesystem::path(out).parent_path();
    if (!parent.empty() && !std::filesystem::is_directory(parent, ec))
        return failure(out + ": folder " + parent.string() + " does not exist");
    std::signal(SIGINT, onInterrupt);
    std::string label = "baking " + std::to_string(s.width) + "x" + std::to_string(s.height) + " " +
                        baker::bakeStyleName(s.style) + " seed " + std::to_string(s.seed);
    auto outcome = bakeToFile(s, a.threads, a.exr, out, a.quiet, label);
    if (!outcome) return failure(outcome.error());
    std::printf("%s: %dx%d %s seed %llu, %d spp, %d bounces, %.1f%% covered, %.1f s\n", out.c_str(), s.width, s.height,
                baker::bakeStyleName(s.style), static_cast<unsigned long long>(s.seed), s.resolvedSamples(),
                s.resolvedBounces(), 100.0 * outcome->covered, outcome->seconds);
    return kExitOk;
}

struct BakeSetArgs : BakeArgs {
    long count = 0, seed = 1000;
    double validation = 0.1;
    std::string sizes = "256,512,512,1024,512x1024,1024x512,256x1024", out;
};

int runBakeSet(BakeSetArgs& a) {
    const long count = a.count, base = a.seed;
    const double validation = a.validation;
    // Sizes drawn from; non-square ones included, as real atlases are.
    std::vector<std::pair<int, int>> sizes;
    const std::string& list = a.sizes;
    for (std::size_t start = 0; start <= list.size();) {
        std::size_t comma = list.find(',', start);
        std::string item = list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        auto sz = parseBakeSize(item);
        if (!sz) return usageError("--sizes: " + sz.error().message);
        sizes.push_back(*sz);
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    const BakeSettings& proto = a.settings;
    const std::string& dir = a.out;
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
        auto outcome = bakeToFile(s, a.threads, a.exr, path, a.quiet, label);
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

}  // namespace

Run declareBake(CLI::App& command) {
    auto a = std::make_shared<BakeOneArgs>();
    command.add_option("--seed", a->settings.seed, "scene seed")->check(integerIn(0, LLONG_MAX));
    command.add_option("--size", a->size, "atlas size")->type_name("N|WxH")->capture_default_str();
    command.add_option("--style", a->style, "scene")->type_name("interior|exterior|night|mixed")->capture_default_str();
    addBakeOptions(command, *a);
    command.add_option("OUT.exr", a->out, "lightmap to write (coverage mask in alpha)")->required();
    return [a] { return runBake(*a); };
}

Run declareBakeSet(CLI::App& command) {
    auto a = std::make_shared<BakeSetArgs>();
    command.add_option("-n,--count", a->count, "lightmaps to bake")->required()->check(integerIn(1, 100000));
    command.add_option("-o,--out", a->out, "folder to write them and manifest.tsv to")->type_name("DIR")->required();
    command.add_option("--seed", a->seed, "first seed")->check(integerIn(0, LLONG_MAX))->capture_default_str();
    command.add_option("--sizes", a->sizes, "sizes drawn from")->type_name("N|WxH,...")->capture_default_str();
    command.add_option("--validation", a->validation, "held-out fraction")
        ->check(numberIn(0, 0.9))
        ->capture_default_str();
    addBakeOptions(command, *a);
    return [a] { return runBakeSet(*a); };
}

}  // namespace lmc::cli
