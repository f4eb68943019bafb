// lmc: the command-line face of Lightmap Codec Studio. Each command lives in its own cmd_*.cpp; this table is the
// one place that lists them.
#include <cstdio>
#include <cstring>
#include <string>

#include "app/cli/cli.h"

namespace lmc::cli {
int runCodecs(const Args& args);
int runInfo(const Args& args);
int runEncode(const Args& args);
int runDecode(const Args& args);
int runEval(const Args& args);
int runBake(const Args& args);
int runBakeSet(const Args& args);
int runApply(const Args& args);
int runPreset(const Args& args);
int runTrain(const Args& args);
int runReport(const Args& args);

const Command kCommands[] = {
    {"codecs", "codecs", "list every codec with its parameters, ranges and defaults", runCodecs},
    {"info", "info FILE", "size, channels, pixel type, value range and covered fraction of an EXR", runInfo},
    {"encode", "encode -c CODEC [-p key=value]... [--threads N] IN.exr OUT", "compress a lightmap", runEncode},
    {"decode", "decode [--float] IN OUT.exr",
     "decompress any stream lmc wrote (.lmc, .dds, .dds.zst, .astc, .jxl, .avif, .exr, .j2k)", runDecode},
    {"eval",
     "eval -c CODEC [-p key=value]... [--sweep key=FROM:TO:STEP|key=V1,V2,...] [--mask visible|covered|all] "
     "[--csv OUT.csv] [--threads N] FILE|DIR...",
     "encode, decode and measure; one CSV row per file and setting", runEval},
    {"bake",
     "bake [--seed N] [--size 1024|WxH] [--style interior|exterior|night|mixed] [--spp N] [--bounces N] [--preview] "
     "[--threads N] [--no-dilate] [--float] [--compression zip|piz|none] OUT.exr",
     "bake a procedural lightmap atlas (path-traced, coverage mask in alpha)", runBake},
    {"bake-set",
     "bake-set --count N --out DIR [--seed BASE] [--sizes 256,512x1024,...] [--validation 0.1] [--spp N] [--preview]",
     "bake a varied training set (styles, seeds, sizes) with a train/validation manifest.tsv", runBakeSet},
    {"apply", "apply --preset P.json [--threads N] [--overwrite] [--metrics OUT.csv] --out DIR FILE|DIR...",
     "compress files and folders (recursive *.exr) with a preset's codec and parameters; never overwrites inputs",
     runApply},
    {"preset",
     "preset show P.json | preset create -c CODEC [-p key=value]... [--target NAME] [--measure IN.exr] [--overwrite] "
     "OUT.json",
     "validate and print a preset, or write one (optionally with a metrics snapshot measured on IN.exr)", runPreset},
    {"train",
     "train --family ae|vae|gan --data DIR|FILE... --out WEIGHTS.lmcw [--val DIR|FILE...] [--minutes N | --steps N] "
     "[--resume CKPT] [--init WEIGHTS] [--batch 8] [--patch 128] [--lr 1e-3] [--lambda-min L] [--lambda-max L] "
     "[--gan-weight 2] [--ssim-weight 0] "
     "[--threads 1] [--seed N] [--checkpoint-minutes 5] [--device cpu|cuda]",
     "train a learned codec on EXR lightmaps (checkpoints every few minutes, resumable, CSV log, validation)",
     runTrain},
    {"report",
     "report [--anchor bc6h] [--versus CODEC]... [--metric mpsnr|pu21psnr|logpsnr] [--method pchip|poly3] [--pareto] "
     "[--out-csv BD.csv] [--markdown BD.md] EVAL.csv...",
     "Bjøntegaard BD-rate / BD-quality of every codec in eval CSVs against reference codecs, per file and mean",
     runReport},
};

void printHelp(std::FILE* out) {
    std::fprintf(out, "Lightmap Codec Studio command line %s\n\nusage:\n", LMC_VERSION);
    for (const auto& c : kCommands) std::fprintf(out, "  lmc %s\n      %s\n", c.usage, c.summary);
    std::fprintf(out, "\nexit status: 0 success, 1 usage error, 2 bad input or failed codec\n");
}
}  // namespace lmc::cli

int main(int argc, char** argv) {
    using namespace lmc::cli;
    if (argc < 2) {
        printHelp(stderr);
        return kExitUsage;
    }
    std::string name = argv[1];
    if (name == "help" || name == "--help" || name == "-h") {
        printHelp(stdout);
        return kExitOk;
    }
    if (name == "--version") {
        std::printf("lmc %s\n", LMC_VERSION);
        return kExitOk;
    }
    Args args(argv + 2, argv + argc);
    for (const auto& c : kCommands)
        if (name == c.name) return c.run(args);
    return usageError("unknown command '" + name + "'");
}
