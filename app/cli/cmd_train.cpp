// lmc train: trains a learned codec (codec/learned/trainer.h) on EXR lightmaps. Ctrl-C stops with a checkpoint.
#include <chrono>
#include <csignal>
#include <cstdio>
#include <memory>
#include <string>

#include "app/cli/cli.h"
#include "codec/learned/trainer.h"

namespace lmc::cli {
namespace {

CancelToken gTrainCancel;
extern "C" void onTrainInterrupt(int) {
    gTrainCancel.cancel();
}

struct TrainArgs {
    learned::TrainOptions o;
    std::string family;
    bool quiet = false;
    std::vector<CLI::Option*> ganOnly;  // terms only the gan's decoder stage has
};

int runTrain(TrainArgs& a) {
    auto family = learned::familyFromId(a.family);
    if (!family) return usageError(family.error().message);
    learned::TrainOptions& o = a.o;
    o.family = *family;
    if (o.patch % 64 != 0) return usageError("--patch must be a multiple of 64");
    // Silently ignoring gan-only terms would mislead a recipe.
    for (const CLI::Option* ganOnly : a.ganOnly)
        if (ganOnly->count() && o.family != learned::Family::Gan)
            return usageError(ganOnly->get_name() + " applies to --family gan only");
    const bool quiet = a.quiet;
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
    std::printf(
        "trained %lld steps (%lld in total) in %.0f s (%.3f s/step); model %s, checkpoint %s.ckpt, "
        "log %s.log.csv\n",
        static_cast<long long>(result->steps), static_cast<long long>(result->totalSteps), result->seconds,
        result->secondsPerStep, o.out.c_str(), o.out.c_str(), o.out.c_str());
    for (const auto& l : result->validationLines) std::printf("%s\n", l.c_str());
    return kExitOk;
}

}  // namespace

Run declareTrain(CLI::App& command) {
    auto a = std::make_shared<TrainArgs>();
    learned::TrainOptions& o = a->o;
    command.add_option("--family", a->family, "model family")->type_name("ae|vae|gan")->required();
    command.add_option("--data", o.data, "training files or folders")->type_name("DIR|FILE")->required();
    command.add_option("--val", o.validation, "held-out files or folders")->type_name("DIR|FILE");
    command.add_option("--out", o.out, "model (beside it: .ckpt, .log.csv)")->type_name("WEIGHTS.lmcw")->required();
    command.add_option("--resume", o.resume, "continue from this checkpoint")->type_name("CKPT");
    command.add_option("--init", o.init, "start from this model (gan: the vae's)")->type_name("WEIGHTS");
    command.add_option("--device", o.device, "where to train")->type_name("cpu|cuda");
    auto ranged = [&](const char* name, auto& field, const CLI::Validator& range, const char* what) {
        return command.add_option(name, field, what)->check(range)->capture_default_str();
    };
    ranged("--minutes", o.minutes, numberIn(0.01, 1e5), "training time budget");
    ranged("--lr", o.learningRate, numberIn(1e-7, 1), "learning rate");
    ranged("--lambda-min", o.lambdaMin, numberIn(1e-3, 1e9), "smallest rate-distortion lambda");
    ranged("--lambda-max", o.lambdaMax, numberIn(1e-3, 1e9), "largest rate-distortion lambda");
    a->ganOnly.push_back(ranged("--gan-weight", o.ganWeight, numberIn(0, 1000), "adversarial loss weight (gan)"));
    a->ganOnly.push_back(ranged("--ssim-weight", o.ssimWeight, numberIn(0, 1000), "weight of 1 - SSIM (gan)"));
    ranged("--checkpoint-minutes", o.checkpointMinutes, numberIn(0.01, 1e5), "minutes between checkpoints");
    ranged("--steps", o.maxSteps, integerIn(1, 1LL << 40), "step budget (0: --minutes decides)");
    ranged("--batch", o.batch, integerIn(1, 256), "patches per step");
    ranged("--patch", o.patch, integerIn(64, 2048), "patch side, a multiple of 64");
    ranged("--seed", o.seed, integerIn(0, 1LL << 40), "random seed");
    ranged("--threads", o.threads, integerIn(1, 256), "worker threads");
    ranged("--latent-channels", o.config.latentChannels, integerIn(1, 1024), "latent channels");
    ranged("--hyper-channels", o.config.hyperChannels, integerIn(1, 1024), "hyperprior channels");
    command.add_flag("--quiet", a->quiet, "no progress bar");
    return [a] { return runTrain(*a); };
}

}  // namespace lmc::cli
