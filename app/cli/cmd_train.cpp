// lmc train: trains a learned codec (codec/learned/trainer.h) on EXR lightmaps. Ctrl-C stops with a checkpoint.
#include <chrono>
#include <csignal>
#include <cstdio>
#include <string>

#include "app/cli/cli.h"
#include "codec/learned/trainer.h"

namespace lmc::cli {
namespace {

CancelToken gTrainCancel;
extern "C" void onTrainInterrupt(int) {
    gTrainCancel.cancel();
}

}  // namespace

int runTrain(const Args& args) {
    ArgParser p(args);
    for (const char* o : {"--family", "--data", "--val", "--out", "--minutes", "--steps", "--resume", "--init",
                          "--batch", "--patch", "--lr", "--lambda-min", "--lambda-max", "--gan-weight",
                          "--ssim-weight", "--checkpoint-minutes", "--seed", "--threads", "--latent-channels",
                          "--hyper-channels", "--device"})
        p.option(o, true);
    p.option("--quiet", false);
    if (!p.parse()) return usageError(p.error());
    if (!p.positionals().empty()) return usageError("train takes no positional arguments");
    if (!p.has("--family") || !p.has("--out")) return usageError("train needs --family ae|vae|gan and --out WEIGHTS");
    auto family = learned::familyFromId(p.value("--family"));
    if (!family) return usageError(family.error().message);
    learned::TrainOptions o;
    o.family = *family;
    o.data = p.values("--data");
    o.validation = p.values("--val");
    o.out = p.value("--out");
    o.resume = p.value("--resume");
    o.init = p.value("--init");
    o.device = p.value("--device", "cpu");
    if (o.data.empty()) return usageError("train needs at least one --data DIR|FILE");
    struct D {
        const char* name;
        double* field;
        double lo, hi;
    } doubles[] = {{"--minutes", &o.minutes, 0.01, 100000},      {"--lr", &o.learningRate, 1e-7, 1},
                   {"--lambda-min", &o.lambdaMin, 1e-3, 1e9},     {"--lambda-max", &o.lambdaMax, 1e-3, 1e9},
                   {"--gan-weight", &o.ganWeight, 0, 1000},       {"--ssim-weight", &o.ssimWeight, 0, 1000},
                   {"--checkpoint-minutes", &o.checkpointMinutes, 0.01, 1e5}};
    for (auto& d : doubles) {
        if (!p.has(d.name)) continue;
        if (!parseDouble(p.value(d.name), *d.field) || *d.field < d.lo || *d.field > d.hi)
            return usageError(std::string("bad value for ") + d.name);
    }
    struct I {
        const char* name;
        long lo, hi;
    } ints[] = {{"--steps", 1, 1L << 40}, {"--batch", 1, 256},          {"--patch", 64, 2048},
                {"--seed", 0, 1L << 40},  {"--threads", 1, 256},        {"--latent-channels", 1, 1024},
                {"--hyper-channels", 1, 1024}};
    for (auto& i : ints) {
        if (!p.has(i.name)) continue;
        long v = 0;
        if (!parseInt(p.value(i.name), v) || v < i.lo || v > i.hi)
            return usageError(std::string("bad value for ") + i.name);
        const std::string n = i.name;
        if (n == "--steps") o.maxSteps = v;
        if (n == "--batch") o.batch = int(v);
        if (n == "--patch") o.patch = int(v);
        if (n == "--seed") o.seed = std::uint64_t(v);
        if (n == "--threads") o.threads = int(v);
        if (n == "--latent-channels") o.config.latentChannels = int(v);
        if (n == "--hyper-channels") o.config.hyperChannels = int(v);
    }
    if (o.patch % 64 != 0) return usageError("--patch must be a multiple of 64");
    // Only the gan's decoder stage has these terms; silently ignoring them would mislead a recipe.
    for (const char* ganOnly : {"--gan-weight", "--ssim-weight"})
        if (p.has(ganOnly) && o.family != learned::Family::Gan)
            return usageError(std::string(ganOnly) + " applies to --family gan only");
    const bool quiet = p.has("--quiet");
    o.cancel = &gTrainCancel;
    std::signal(SIGINT, onTrainInterrupt);
    std::signal(SIGTERM, onTrainInterrupt);

    bool barShown = false;
    auto progress = [&](const learned::TrainProgress& t) {
        if (!t.message.empty()) {
            std::fprintf(stderr, "\r%-100s\r[step %lld] %s\n", "", static_cast<long long>(t.step), t.message.c_str());
            return;
        }
        if (quiet) return;
        const int width = 30;
        const int filled = int(std::min(1.0, t.fraction) * width);
        std::string bar(std::size_t(filled), '#');
        bar.resize(width, '.');
        barShown = true;
        std::fprintf(stderr, "\r[%s] %3d%% step %lld  loss %.4f  bpp %.3f  mse_t %.2e  %.0f s", bar.c_str(),
                     int(t.fraction * 100), static_cast<long long>(t.step), t.loss, t.bpp, t.mse, t.elapsedSeconds);
        std::fflush(stderr);
    };
    auto result = learned::train(o, progress);
    if (barShown) std::fprintf(stderr, "\n");
    if (!result) return failure(result.error());
    std::printf("trained %lld steps (%lld in total) in %.0f s (%.3f s/step); model %s, checkpoint %s.ckpt, "
                "log %s.log.csv\n",
                static_cast<long long>(result->steps), static_cast<long long>(result->totalSteps), result->seconds, result->secondsPerStep, o.out.c_str(),
                o.out.c_str(), o.out.c_str());
    for (const auto& l : result->validationLines) std::printf("%s\n", l.c_str());
    return kExitOk;
}

}  // namespace lmc::cli
